"""Plots for reports and notebooks (matplotlib).

Every plotting function takes ``ax=None`` (a new figure is made when omitted) and returns the
Axes; the data each one draws is prepared by a separate ``*_data`` function, tested on its own.
:func:`to_svg` turns a figure into an SVG string for a self-contained page.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..game import Game
from ..solvers.result import SolveResult

__all__ = [
    "heatmap_data",
    "outcome_map_data",
    "plot_outcome_map",
    "plot_payoff_heatmap",
    "plot_payoff_space",
    "to_svg",
]


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def to_svg(figure: Any) -> str:
    """The figure as an SVG document (no external references), then closed."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    _pyplot().close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def heatmap_data(result: SolveResult, player: int = 0) -> dict[str, Any]:
    """What the payoff heat map shows: one player's payoffs, labels, and pure equilibria cells.

    Mixed equilibria are marked on every cell in their support (``mixed`` cells).
    """
    game = result.game
    if game.n_players != 2:
        raise ValueError("the payoff heat map needs a two-player game")
    pure: set[tuple[int, int]] = set()
    mixed: set[tuple[int, int]] = set()
    for eq in result.equilibria:
        rows = np.nonzero(eq.strategies[0] > 1e-9)[0]
        cols = np.nonzero(eq.strategies[1] > 1e-9)[0]
        cells = {(int(r), int(c)) for r in rows for c in cols}
        (pure if eq.is_pure else mixed).update(cells)
    return {
        "values": game.payoffs[player],
        "other": game.payoffs[1 - player],
        "rows": game.actions[0],
        "cols": game.actions[1],
        "players": game.players,
        "pure": sorted(pure),
        "mixed": sorted(mixed - pure),
    }


def plot_payoff_heatmap(result: SolveResult, ax: Any = None) -> Any:
    """Annotated heat map of the first player's payoffs; equilibria outlined."""
    data = heatmap_data(result)
    plt = _pyplot()
    if ax is None:
        n_rows, n_cols = data["values"].shape
        _, ax = plt.subplots(figsize=(1.6 + 1.7 * n_cols, 0.8 + 0.45 * n_rows))
    values = data["values"]
    ax.imshow(values, cmap="RdYlGn", aspect="auto")
    for (r, c), v in np.ndenumerate(values):
        ax.text(c, r, f"{v:.3g}, {data['other'][r, c]:.3g}", ha="center", va="center", fontsize=8)
    for r, c in data["pure"]:
        ax.add_patch(_box(r, c, "black", 2.5))
    for r, c in data["mixed"]:
        ax.add_patch(_box(r, c, "navy", 1.2, dashed=True))
    ax.set_xticks(range(len(data["cols"])), data["cols"], rotation=30, ha="right", fontsize=8)
    ax.set_yticks(range(len(data["rows"])), data["rows"], fontsize=8)
    p1, p2 = data["players"]
    ax.set_xlabel(p2)
    ax.set_ylabel(p1)
    ax.set_title(f"Payoffs ({p1}, {p2}); colour: {p1}; equilibria outlined", fontsize=9)
    return ax


def _box(r: int, c: int, color: str, width: float, dashed: bool = False) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (c - 0.5, r - 0.5),
        1,
        1,
        fill=False,
        edgecolor=color,
        linewidth=width,
        linestyle="--" if dashed else "-",
    )


def plot_payoff_space(
    game: Game, bargaining: Any = None, result: SolveResult | None = None, ax: Any = None
) -> Any:
    """Payoff profiles, their convex hull, the Pareto frontier, disagreement point and solutions."""
    from ..bargaining import feasible_vertices, pareto_frontier

    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(5, 4))
    points = game.payoffs.reshape(2, -1).T
    hull = feasible_vertices(points)
    if len(hull) >= 3:
        ax.fill(hull[:, 0], hull[:, 1], color="0.9", label="feasible set")
    ax.scatter(points[:, 0], points[:, 1], s=12, color="0.4", label="pure outcomes")
    frontier = pareto_frontier(points)
    ax.plot(frontier[:, 0], frontier[:, 1], color="black", lw=1.5, label="Pareto frontier")
    if result is not None:
        eq = np.array([e.payoffs for e in result.equilibria])
        if len(eq):
            ax.scatter(eq[:, 0], eq[:, 1], marker="s", s=40, color="tab:red", label="equilibria")
    if bargaining is not None:
        ax.scatter(*bargaining.disagreement, marker="x", s=60, color="black", label="disagreement")
        markers = {"nash": "o", "kalai_smorodinsky": "^", "egalitarian": "D", "utilitarian": "*"}
        for name, marker in markers.items():
            ax.scatter(
                *getattr(bargaining, name), marker=marker, s=60, label=name.replace("_", "-")
            )
    ax.set_xlabel(game.players[0])
    ax.set_ylabel(game.players[1])
    ax.legend(fontsize=7, loc="best")
    ax.set_title("Payoff space", fontsize=9)
    return ax


def outcome_map_data(points: pd.DataFrame, x: str, y: str) -> dict[str, Any]:
    """Per-point outcomes over two parameters, as codes with their labels."""
    codes, labels = pd.factorize(points["outcome"])
    return {
        "x": points[x].to_numpy(),
        "y": points[y].to_numpy(),
        "codes": codes,
        "labels": list(labels),
        "xlabel": x,
        "ylabel": y,
    }


def plot_outcome_map(points: pd.DataFrame, x: str, y: str, ax: Any = None) -> Any:
    """Which joint outcome holds where, over two parameters (one dot per design point)."""
    data = outcome_map_data(points, x, y)
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    cmap = plt.get_cmap("tab10")
    for k, label in enumerate(data["labels"]):
        mask: NDArray[np.bool_] = data["codes"] == k
        short = label if len(label) <= 70 else label[:67] + "..."
        ax.scatter(data["x"][mask], data["y"][mask], s=6, color=cmap(k % 10), label=short)
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    ax.legend(fontsize=6, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=1)
    ax.set_title("Equilibrium outcome by parameter values", fontsize=9)
    return ax
