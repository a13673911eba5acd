"""The minimax solution of two-player zero-sum games by linear programming."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import Game
from .cost import linear_program_work
from .registry import register
from .result import Candidates

__all__ = ["maximin", "minimax"]


def maximin(A: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """Row player's maximin strategy and the value of the zero-sum game with row payoffs ``A``.

    Solves ``max v`` subject to ``A^T x >= v 1``, ``sum x = 1``, ``x >= 0`` with scipy's HiGHS
    (von Neumann's minimax theorem; e.g. Osborne and Rubinstein, *A Course in Game Theory*,
    1994, Proposition 22.2).
    """
    from scipy.optimize import linprog

    m, n = A.shape
    # Variables (x_1..x_m, v); minimise -v.
    c = np.zeros(m + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-A.T, np.ones((n, 1))])
    b_ub = np.zeros(n)
    A_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    bounds = [(0, None)] * m + [(None, None)]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=bounds, method="highs")
    if res.status != 0:
        raise SolverError(f"the minimax linear program failed: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    return x / x.sum(), float(res.x[-1])


@register(
    "minimax",
    summary="optimal strategies and value of a two-player zero-sum (or constant-sum) game",
    two_player_only=True,
    finds="one",
    work=linear_program_work,
    max_work=4_000_000,
    work_unit="constraint entries in the linear program",
)
def minimax(game: Game, *, tol: float) -> Candidates:
    """Solve a zero-sum game: each player's maximin strategy, by linear programming.

    Returns
    -------
    Candidates
        One equilibrium (the pair of optimal strategies) and ``details["value"]``, the row
        player's value. ``complete`` is False: optimal strategies need not be unique.

    Raises
    ------
    SolverError
        If ``A + B`` is not constant (the game is not zero- or constant-sum).
    """
    A, B = game.bimatrix()
    total = A + B
    if np.ptp(total) > tol * float(game.scales.max()):
        raise SolverError(
            "method 'minimax' needs a zero-sum (or constant-sum) game; here A + B varies "
            f"from {total.min():g} to {total.max():g}. Use 'vertex_enumeration' instead"
        )
    x, value = maximin(A)
    y, _ = maximin(-A.T)
    return Candidates(
        [(x, y)],
        complete=False,
        details={"value": value},
        warnings=["optimal strategies need not be unique; one pair is shown"],
    )
