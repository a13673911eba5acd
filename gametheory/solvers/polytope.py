"""Best-response polytopes of bimatrix games and their vertices.

Follows von Stengel, "Equilibrium computation for two-player games in strategic and extensive
form", ch. 3 of *Algorithmic Game Theory* (2007), section 3.2. For an ``m x n`` game with
payoff matrices ``A`` and ``B`` made positive,

- ``P = {x in R^m : x >= 0, B^T x <= 1}`` with label ``i`` where ``x_i = 0`` and label ``m + j``
  where ``(B^T x)_j = 1``;
- ``Q = {y in R^n : A y <= 1, y >= 0}`` with label ``i`` where ``(A y)_i = 1`` and label
  ``m + j`` where ``y_j = 0``.

A pair ``(x, y) != (0, 0)`` of vertices whose labels together cover all ``m + n`` labels is, after
normalising each to sum one, an extreme Nash equilibrium (Theorem 3.4 there), and every extreme
equilibrium arises this way, degenerate games included (Avis, Rosenberg, Savani and von Stengel,
"Enumeration of Nash equilibria for two-player games", Economic Theory 42, 2010).

Vertices are found by trying every basis: every choice of ``t`` tight inequalities and ``t``
non-zero coordinates, solving the ``t x t`` system, and keeping feasible solutions. That costs
``C(m + n, m)`` small solves per polytope, done in vectorised batches; it is exact on degenerate
polytopes (a vertex lying on more facets than the dimension is found from several bases and
merged by its set of tight constraints), which is why it is used here instead of pivoting.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model.game import TIE_TOL
from .linalg import solve_small

__all__ = ["Vertices", "normalised", "polytope_vertices"]

#: Absolute tolerance on normalised payoffs (entries in [1, 2], so relative to each player's
#: payoff range) for feasibility and tightness: the project's tie tolerance.
EPS = TIE_TOL
#: Number of t x t systems solved per batch.
CHUNK = 100_000


@dataclass(frozen=True)
class Vertices:
    """Vertices of one best-response polytope.

    Attributes
    ----------
    points
        ``(V, d)`` array of vertex coordinates (the zero vertex is excluded).
    labels
        ``(V, m + n)`` boolean array: which labels each vertex has.
    degenerate
        Whether some vertex (the zero vertex included) has more than ``d`` labels.
    """

    points: NDArray[np.float64]
    labels: NDArray[np.bool_]
    degenerate: bool


def normalised(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    """Positive affine image of a payoff matrix with entries in ``[1, 2]``.

    Equilibria are unchanged by a positive affine change of one player's payoffs, and positive
    payoffs make the polytopes bounded.
    """
    low = float(matrix.min())
    span = float(matrix.max()) - low
    if span == 0:
        return np.ones_like(matrix, dtype=np.float64)
    return (matrix - low) / span + 1.0


def polytope_vertices(
    M: NDArray[np.float64],
    zero_labels: NDArray[np.int64],
    tight_labels: NDArray[np.int64],
    n_labels: int,
) -> Vertices:
    """All non-zero vertices of ``{z >= 0, M z <= 1}`` with their labels.

    Parameters
    ----------
    M
        ``(k, d)`` positive matrix.
    zero_labels
        Label of ``z_i = 0`` for each coordinate ``i`` (length ``d``).
    tight_labels
        Label of ``(M z)_j = 1`` for each row ``j`` (length ``k``).
    n_labels
        Total number of labels (``m + n``).
    """
    k, d = M.shape
    found: list[NDArray[np.float64]] = []
    for t in range(1, min(k, d) + 1):
        rows = np.array(list(itertools.combinations(range(k), t)), dtype=np.int64)
        cols = np.array(list(itertools.combinations(range(d), t)), dtype=np.int64)
        total = len(rows) * len(cols)
        for start in range(0, total, CHUNK):
            index = np.arange(start, min(start + CHUNK, total))
            r = rows[index // len(cols)]
            c = cols[index % len(cols)]
            found.append(_solve_bases(M, r, c, d))
    points = np.concatenate(found) if found else np.zeros((0, d))
    labels = _labels(M, points, zero_labels, tight_labels, n_labels)
    # A vertex is determined by the set of constraints tight at it, so representations of one
    # vertex found from different bases share a label set and distinct vertices do not.
    if len(points):
        _, first = np.unique(labels, axis=0, return_index=True)
        first = np.sort(first)
        points, labels = points[first], labels[first]
    # The zero vertex has exactly the d labels z_i = 0 (M 0 = 0 < 1), so it is never degenerate.
    degenerate = bool(len(points)) and bool((labels.sum(axis=1) > d).any())
    return Vertices(points, labels, degenerate)


def _solve_bases(
    M: NDArray[np.float64], rows: NDArray[np.int64], cols: NDArray[np.int64], d: int
) -> NDArray[np.float64]:
    """Solve ``M[rows, cols] z_cols = 1`` for a batch of bases; return feasible full vectors."""
    sub = M[rows[:, :, None], cols[:, None, :]]
    z_free, ok = solve_small(sub)
    if not ok.any():
        return np.zeros((0, d))
    z = np.zeros((int(ok.sum()), d))
    np.put_along_axis(z, cols[ok], z_free[ok], axis=1)
    feasible = (z >= -EPS).all(axis=1) & ((z @ M.T) <= 1 + EPS).all(axis=1)
    return np.clip(z[feasible], 0.0, None)


def _labels(
    M: NDArray[np.float64],
    points: NDArray[np.float64],
    zero_labels: NDArray[np.int64],
    tight_labels: NDArray[np.int64],
    n_labels: int,
) -> NDArray[np.bool_]:
    labels = np.zeros((len(points), n_labels), dtype=bool)
    labels[:, zero_labels] = points <= EPS
    labels[:, tight_labels] = np.abs(points @ M.T - 1.0) <= EPS
    return labels


def bimatrix_vertices(A: NDArray[np.float64], B: NDArray[np.float64]) -> tuple[Vertices, Vertices]:
    """Vertices of ``P`` (row player's) and ``Q`` (column player's) for payoffs ``A``, ``B``."""
    m, n = A.shape
    An, Bn = normalised(A), normalised(B)
    rows, cols = np.arange(m), m + np.arange(n)
    P = polytope_vertices(Bn.T, zero_labels=rows, tight_labels=cols, n_labels=m + n)
    Q = polytope_vertices(An, zero_labels=cols, tight_labels=rows, n_labels=m + n)
    return P, Q


def bases_count(m: int, n: int) -> int:
    """Number of bases tried per polytope for an ``m x n`` game."""
    return math.comb(m + n, m)
