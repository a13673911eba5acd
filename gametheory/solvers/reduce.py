"""Shrink a bimatrix game before enumerating its equilibria, and map the answers back.

Two reductions leave the equilibrium set unchanged up to an explicit map:

- **Strictly dominated strategies** (by another pure strategy, iterated) are played with
  probability zero in every equilibrium, so the equilibria of the game without them, padded with
  zeros, are exactly the equilibria of the game (e.g. Osborne and Rubinstein, *A Course in Game
  Theory*, 1994, section 4.2).
- **Duplicate strategies**: two rows with the same payoffs for both players (against every column
  still present), as the plans of a sequential normal form that differ only after the other
  player's moves are cut off. In an equilibrium of the game with one copy, the copy's weight can
  be split among the duplicates in any way; the equilibrium set of the full game is that
  polytope, and its extreme points put each class's whole weight on one member. An equilibrium
  of the reduced game whose mixed strategies use ``c`` duplicated classes with ``k_1 .. k_c``
  members thus stands for ``k_1 * .. * k_c`` extreme equilibria of the full game, spanning one
  connected set.

Cost: each round compares every pair of remaining strategies, ``O(m^2 n + m n^2)``, and there are
at most ``m + n`` rounds.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Reduced", "expand", "reduce_bimatrix"]

#: Pairwise dominance checks are skipped when they would compare more entries than this.
MAX_COMPARISONS = 50_000_000

Classes = tuple[NDArray[np.int64], ...]


@dataclass(frozen=True)
class Reduced:
    """A bimatrix game with dominated strategies removed and duplicates merged.

    Attributes
    ----------
    A, B
        Payoffs of the reduced game (one representative per class).
    row_classes, col_classes
        For each remaining row / column, the original strategies it stands for (sorted).
    dominated
        Number of original rows and columns removed as strictly dominated.
    """

    A: NDArray[np.float64]
    B: NDArray[np.float64]
    row_classes: Classes
    col_classes: Classes
    dominated: int

    @property
    def merged(self) -> int:
        """Number of original strategies merged into another as duplicates."""
        return sum(len(c) - 1 for c in self.row_classes + self.col_classes)

    @property
    def changed(self) -> bool:
        """Whether the reduction removed or merged anything."""
        return bool(self.dominated or self.merged)


def reduce_bimatrix(A: NDArray[np.float64], B: NDArray[np.float64]) -> Reduced:
    """Iteratively merge duplicate strategies and remove strictly dominated ones.

    Exact comparisons of the payoffs as given (strict dominance needs a strict inequality in
    every entry, duplicates equality in every entry of both players' payoffs).
    """
    rows: list[list[int]] = [[i] for i in range(A.shape[0])]
    cols: list[list[int]] = [[j] for j in range(A.shape[1])]
    dominated = 0
    while True:
        r = [c[0] for c in rows]
        s = [c[0] for c in cols]
        rows = _merge(rows, np.concatenate([A[np.ix_(r, s)], B[np.ix_(r, s)]], axis=1))
        cols = _merge(cols, np.concatenate([A[np.ix_(r, s)], B[np.ix_(r, s)]], axis=0).T)
        r = [c[0] for c in rows]
        s = [c[0] for c in cols]
        row_out = _dominated(A[np.ix_(r, s)])
        col_out = _dominated(B[np.ix_(r, s)].T)
        if not row_out.any() and not col_out.any():
            break
        dominated += sum(len(c) for c, out in zip(rows, row_out, strict=True) if out)
        dominated += sum(len(c) for c, out in zip(cols, col_out, strict=True) if out)
        rows = [c for c, out in zip(rows, row_out, strict=True) if not out]
        cols = [c for c, out in zip(cols, col_out, strict=True) if not out]
    r = [c[0] for c in rows]
    s = [c[0] for c in cols]
    return Reduced(
        A[np.ix_(r, s)],
        B[np.ix_(r, s)],
        tuple(np.array(sorted(c), dtype=np.int64) for c in rows),
        tuple(np.array(sorted(c), dtype=np.int64) for c in cols),
        dominated,
    )


def _merge(classes: list[list[int]], payoffs: NDArray[np.float64]) -> list[list[int]]:
    """Merge classes whose payoff rows (both players') are identical, keeping first order."""
    merged: dict[bytes, list[int]] = {}
    for members, row in zip(classes, payoffs, strict=True):
        merged.setdefault(np.ascontiguousarray(row + 0.0).tobytes(), []).extend(members)
    return list(merged.values())


def _dominated(own: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Strategies (rows of ``own``, the player's payoffs) strictly dominated by another row."""
    count, width = own.shape
    if count < 2 or count * count * width > MAX_COMPARISONS:
        return np.zeros(count, dtype=bool)
    beats = (own[:, None, :] > own[None, :, :]).all(axis=2)  # beats[a, b]: a dominates b
    return np.asarray(beats.any(axis=0))


def expand(
    reduced: Reduced,
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    shape: tuple[int, int],
    limit: int,
) -> tuple[list[tuple[NDArray[np.float64], NDArray[np.float64]]], bool]:
    """Extreme equilibria of the full game from one of the reduced game.

    Each class with positive weight puts its weight on one member; every combination is an
    extreme equilibrium. Returns at most ``limit`` profiles and whether any were left out.
    """
    row_choices = _splits(reduced.row_classes, x, shape[0], limit + 1)
    col_choices = _splits(reduced.col_classes, y, shape[1], limit + 1)
    found: list[tuple[NDArray[np.float64], NDArray[np.float64]]] = []
    for xs, ys in itertools.product(row_choices, col_choices):
        if len(found) == limit:
            return found, True
        found.append((xs, ys))
    return found, False


def _splits(
    classes: Classes, weights: NDArray[np.float64], size: int, limit: int
) -> list[NDArray[np.float64]]:
    """Ways of putting each used class's weight on one of its members (at most ``limit``)."""
    used = [(c, float(w)) for c, w in zip(classes, weights, strict=True) if w > 0]
    options = [c.tolist() for c, _ in used]
    found: list[NDArray[np.float64]] = []
    for members in itertools.product(*options):
        full = np.zeros(size)
        for member, (_, w) in zip(members, used, strict=True):
            full[member] = w
        found.append(full)
        if len(found) == limit:
            break
    return found
