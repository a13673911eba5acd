"""Plots of learning paths and of the logit QRE branch (matplotlib, imported when drawing).

Every function takes ``ax=None`` (a new pyplot figure) or an Axes, and returns the Axes it drew
on. The numbers each one draws come from a ``*_data`` function that is tested without
matplotlib.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import GameTheoryError
from ..solvers.learning import LearningPath
from ..solvers.qre import QREBranch

__all__ = [
    "plot_phase",
    "plot_qre_branch",
    "plot_shares",
    "plot_simplex",
    "simplex_data",
]

FloatArray = NDArray[np.float64]


def _axes(ax: Any, width: float = 6.0, height: float = 4.0) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.figure(figsize=(width, height), layout="constrained").subplots()


def plot_shares(path: LearningPath, player: str | int = 0, ax: Any = None) -> Any:
    """Each action's probability (frequency or population share) along the path."""
    ax = _axes(ax)
    i = path.game.player_index(player)
    for k, action in enumerate(path.game.actions[i]):
        ax.plot(path.times, path.strategies[i][:, k], label=action)
    xlabel = "round" if "fictitious" in path.method else "time"
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"{path.game.players[i]}: probability")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(path.method.replace("_", " "))
    ax.legend(loc="best", fontsize="small")
    return ax


def simplex_data(shares: FloatArray) -> FloatArray:
    """Points of a 3-action simplex in the plane: corners (0, 0), (1, 0), (1/2, sqrt(3)/2)."""
    shares = np.asarray(shares, dtype=np.float64)
    if shares.ndim != 2 or shares.shape[1] != 3:
        raise GameTheoryError("a simplex plot needs three actions")
    corners = np.array([[0.0, 0.0], [1.0, 0.0], [0.5, math.sqrt(3) / 2]])
    return np.asarray(shares @ corners, dtype=np.float64)


def plot_simplex(path: LearningPath, player: str | int = 0, ax: Any = None) -> Any:
    """The path of a player with three actions drawn inside the triangle of mixtures."""
    ax = _axes(ax, 5.0, 4.6)
    i = path.game.player_index(player)
    points = simplex_data(path.strategies[i])
    corners = simplex_data(np.eye(3))
    ax.fill(corners[:, 0], corners[:, 1], facecolor="none", edgecolor="0.4")
    for (x, y), label in zip(corners, path.game.actions[i], strict=True):
        ax.annotate(label, (x, y), ha="center", va="bottom" if y > 0 else "top")
    ax.plot(points[:, 0], points[:, 1], lw=1.2)
    ax.plot(points[0, 0], points[0, 1], "o", label="start")
    ax.plot(points[-1, 0], points[-1, 1], "s", label="end")
    ax.set_aspect("equal")
    ax.axis("off")
    ax.legend(loc="upper right", fontsize="small")
    ax.set_title(f"{path.method.replace('_', ' ')}: {path.game.players[i]}")
    return ax


def plot_phase(path: LearningPath, ax: Any = None) -> Any:
    """Two players' probability of their first action against each other (2x2 games)."""
    game = path.game
    if game.n_players != 2:
        raise GameTheoryError("a phase plot needs a two-player game")
    ax = _axes(ax, 4.6, 4.6)
    x, y = path.strategies[0][:, 0], path.strategies[1][:, 0]
    ax.plot(x, y, lw=1.2)
    ax.plot(x[0], y[0], "o", label="start")
    ax.plot(x[-1], y[-1], "s", label="end")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel(f"{game.players[0]}: P({game.actions[0][0]})")
    ax.set_ylabel(f"{game.players[1]}: P({game.actions[1][0]})")
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_qre_branch(branch: QREBranch, ax: Any = None) -> Any:
    """Each action's probability along the logit QRE branch against lambda (log scale)."""
    ax = _axes(ax)
    game = branch.game
    offsets = np.concatenate([[0], np.cumsum(game.shape)]).astype(int)
    lambdas = branch.lambdas[1:]  # lambda 0 cannot sit on a log axis
    for i, player in enumerate(game.players):
        for k, action in enumerate(game.actions[i]):
            column = branch.strategies[1:, offsets[i] + k]
            ax.plot(lambdas, column, label=f"{player}: {action}")
    ax.set_xscale("log")
    ax.set_xlabel("lambda (precision of responses)")
    ax.set_ylabel("probability")
    ax.set_ylim(-0.02, 1.02)
    ax.legend(loc="best", fontsize="small")
    ax.set_title("logit QRE principal branch")
    return ax
