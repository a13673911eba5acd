"""One equilibrium of a two-player game by the Lemke-Howson algorithm.

Complementary pivoting on the best-response polytopes, as in von Stengel, "Equilibrium
computation for two-player games in strategic and extensive form" (*Algorithmic Game Theory*,
2007, ch. 3), section 3.5 (Algorithm 3.5) with the lexicographic minimum-ratio test of
section 3.5.3, which makes the path unique, and hence finite, on degenerate games. A pivot limit
bounds the work anyway, so no call can loop forever (unlike nashpy's ``lemke_howson``, which was
seen to loop on a degenerate 4x4 game).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import Game
from .cost import pivoting_work
from .polytope import normalised
from .registry import register
from .result import Candidates

__all__ = ["lemke_howson", "lemke_howson_path"]

#: Pivots allowed per starting label before giving up.
DEFAULT_MAX_PIVOTS = 100_000
_PIVOT_EPS = 1e-12


class _Tableau:
    """Dictionary ``M z + s = 1`` with basic variables, for one polytope.

    Variables are numbered by label; ``columns`` maps a variable (label) to its tableau column.
    """

    def __init__(self, M: NDArray[np.float64], z_labels: list[int], s_labels: list[int]) -> None:
        k, d = M.shape
        # Columns: the d structural variables, then the k slacks; last column is the rhs.
        self.T = np.hstack([M, np.eye(k), np.ones((k, 1))])
        self.labels = z_labels + s_labels
        self.basis = list(s_labels)
        self.slack_cols = np.arange(d, d + k)

    def column(self, label: int) -> int:
        return self.labels.index(label)

    def has(self, label: int) -> bool:
        return label in self.labels

    def pivot(self, entering: int) -> int:
        """Pivot ``entering`` into the basis; return the label that leaves."""
        T = self.T
        col = self.column(entering)
        candidates = np.nonzero(T[:, col] > _PIVOT_EPS)[0]
        if not len(candidates):
            raise SolverError("Lemke-Howson: unbounded ray (the polytope is not bounded)")
        # Lexicographic minimum ratio over (rhs, slack columns) / pivot column.
        keys = np.column_stack([T[candidates, -1], T[np.ix_(candidates, self.slack_cols)]])
        keys = keys / T[candidates, col][:, None]
        order = np.lexsort(keys.T[::-1])
        row = int(candidates[order[0]])
        T[row] /= T[row, col]
        others = np.arange(len(T)) != row
        T[others] -= np.outer(T[others, col], T[row])
        leaving = self.basis[row]
        self.basis[row] = entering
        return leaving

    def values(self, labels: list[int]) -> NDArray[np.float64]:
        out = np.zeros(len(labels))
        for row, label in enumerate(self.basis):
            if label in labels:
                out[labels.index(label)] = self.T[row, -1]
        return out


def lemke_howson_path(
    A: NDArray[np.float64], B: NDArray[np.float64], label: int, max_pivots: int
) -> tuple[tuple[NDArray[np.float64], NDArray[np.float64]] | None, int]:
    """Follow the Lemke-Howson path that drops ``label``; return the equilibrium and pivots.

    Returns ``(None, pivots)`` if ``max_pivots`` was reached.
    """
    m, n = A.shape
    An, Bn = normalised(A), normalised(B)
    rows, cols = list(range(m)), list(range(m, m + n))
    # P: B^T x + s = 1 (x has labels 0..m-1, slack s_j has label m+j).
    P = _Tableau(Bn.T, rows, cols)
    # Q: A y + r = 1 (y_j has label m+j, slack r_i has label i).
    Q = _Tableau(An, cols, rows)
    entering = label
    tableau = P if label < m else Q
    for pivots in range(1, max_pivots + 1):
        leaving = tableau.pivot(entering)
        if leaving == label:
            x, y = P.values(rows), Q.values(cols)
            return (x / x.sum(), y / y.sum()), pivots
        # The complement of the leaving label enters in the other tableau.
        entering = leaving
        tableau = Q if tableau is P else P
    return None, max_pivots


@register(
    "lemke_howson",
    summary="one equilibrium of a two-player game by complementary pivoting",
    two_player_only=True,
    finds="one",
    work=pivoting_work,
    max_work=30_000_000,
    work_unit="tableau operations",
)
def lemke_howson(
    game: Game,
    *,
    tol: float,
    initial_label: int | str = 0,
    max_pivots: int = DEFAULT_MAX_PIVOTS,
) -> Candidates:
    """Find one equilibrium by Lemke-Howson (or one per starting label with ``"all"``).

    Parameters
    ----------
    game
        A two-player game.
    tol
        Relative tolerance (applied by the dispatcher's check).
    initial_label
        The label dropped first: ``0 .. m-1`` for the row player's actions, ``m .. m+n-1``
        for the column player's; or ``"all"`` to run from every label and collect what they
        find (still not guaranteed to be every equilibrium).
    max_pivots
        Pivot limit per label; reaching it gives a warning instead of an answer.

    Returns
    -------
    Candidates
        Never marked complete.

    Notes
    -----
    Each pivot costs ``O((m + n)^2)``; the number of pivots can be exponential in the worst
    case (Savani and von Stengel 2006) but is small on typical games.
    """
    m, n = game.shape
    if initial_label == "all":
        labels = list(range(m + n))
    elif (
        isinstance(initial_label, int)
        and not isinstance(initial_label, bool)
        and 0 <= initial_label < m + n
    ):
        labels = [initial_label]
    else:
        raise SolverError(
            f"initial_label must be an integer from 0 to {m + n - 1} or 'all', "
            f"got {initial_label!r}"
        )
    A, B = game.bimatrix()
    profiles = []
    warnings = []
    pivots: dict[str, Any] = {}
    for label in labels:
        found, count = lemke_howson_path(A, B, label, max_pivots)
        pivots[str(label)] = count
        if found is None:
            warnings.append(f"Lemke-Howson from label {label} stopped after {count} pivots")
        else:
            profiles.append(found)
    return Candidates(
        profiles,
        complete=False,
        warnings=warnings,
        details={"pivots": pivots},
    )
