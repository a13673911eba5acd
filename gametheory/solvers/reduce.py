"""Shrink a bimatrix game before enumerating its equilibria, and map the answers back.

Two reductions leave the equilibrium set unchanged up to an explicit map:

- **Strictly dominated strategies** (by another pure strategy, iterated) are played with
  probability zero in every equilibrium, so the equilibria of the game without them, padded with
  zeros, are exactly the equilibria of the game (e.g. Osborne and Rubinstein, *A Course in Game
  Theory*, 1994, section 4.2).
- **Strategies strictly dominated by a mixture** of the player's other strategies (one linear
  programme per strategy, when no pure strategy dominates any more) are likewise played in no
  equilibrium (Myerson, *Game Theory*, 1991, section 2.5; Osborne and Rubinstein 1994,
  lemma 60.1): e.g. rows paying ``(3, 0)``, ``(0, 3)`` and ``(1, 1)`` against two columns, the
  third is beaten by the half-half mixture of the first two and by neither alone.
- **Duplicate strategies**: two rows with the same payoffs for both players (against every column
  still present), as the plans of a sequential normal form that differ only after the other
  player's moves are cut off. In an equilibrium of the game with one copy, the copy's weight can
  be split among the duplicates in any way; the equilibrium set of the full game is that
  polytope, and its extreme points put each class's whole weight on one member. An equilibrium
  of the reduced game whose mixed strategies use ``c`` duplicated classes with ``k_1 .. k_c``
  members thus stands for ``k_1 * .. * k_c`` extreme equilibria of the full game, spanning one
  connected set.

Cost: each round compares every pair of remaining strategies, ``O(m^2 n + m n^2)``, and there are
at most ``m + n`` rounds; rounds without pure dominance solve one linear programme (HiGHS, through
scipy) per remaining strategy, only in games of at most :data:`MAX_MIXED_CELLS` cells. A mixture
found by the LP is kept only if it beats the strategy in every column by more than rounding
error, checked directly in floating point (an LP tolerance cannot remove a strategy).
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["Reduced", "expand", "reduce_bimatrix"]

#: Pairwise dominance checks are skipped when they would compare more entries than this.
MAX_COMPARISONS = 50_000_000
#: Mixed-strategy dominance (one LP per strategy and round) only in games of at most this many
#: cells.
MAX_MIXED_CELLS = 10_000
#: A mixture dominates when it beats the strategy everywhere by more than this times the
#: payoffs' largest magnitude (far above the rounding error of the check, ~1e-16).
MIXED_MARGIN = 1e-9
#: Random mixtures of the other player's strategies tried before the LPs: a row that is the
#: unique best response to one of them is not dominated and needs no LP. Besides the columns
#: and these (uniform over the simplex, so near its centre), sparse ones (Dirichlet 0.2, near
#: its faces) and each pair of columns at weights 1/4, 1/2, 3/4 are tried: on 200 random
#: 12x12 games, 459 rows were left for an LP with the first kind alone, 114 with all three.
BEST_RESPONSE_SAMPLES = 256
SPARSE_SAMPLES = 1024

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
        Number of original rows and columns removed as strictly dominated (by a pure strategy
        or by a mixture).
    mixed
        How many of those were dominated by a mixture only.
    """

    A: NDArray[np.float64]
    B: NDArray[np.float64]
    row_classes: Classes
    col_classes: Classes
    dominated: int
    mixed: int = 0

    @property
    def merged(self) -> int:
        """Number of original strategies merged into another as duplicates."""
        return sum(len(c) - 1 for c in self.row_classes + self.col_classes)

    @property
    def changed(self) -> bool:
        """Whether the reduction removed or merged anything."""
        return bool(self.dominated or self.merged)


def reduce_bimatrix(
    A: NDArray[np.float64], B: NDArray[np.float64], *, mixed: bool = True
) -> Reduced:
    """Iteratively merge duplicate strategies and remove strictly dominated ones.

    Exact comparisons of the payoffs as given (strict dominance needs a strict inequality in
    every entry, duplicates equality in every entry of both players' payoffs). When no pure
    strategy dominates another, strategies dominated by a mixture are removed (all at once:
    iterated strict dominance does not depend on the order of removal, Gilboa, Kalai and Zemel,
    *Mathematics of Operations Research* 15, 1990), and the pure rounds resume.
    """
    rows: list[list[int]] = [[i] for i in range(A.shape[0])]
    cols: list[list[int]] = [[j] for j in range(A.shape[1])]
    dominated = by_mixture = 0
    while True:
        r = [c[0] for c in rows]
        s = [c[0] for c in cols]
        rows = _merge(rows, np.concatenate([A[np.ix_(r, s)], B[np.ix_(r, s)]], axis=1))
        cols = _merge(cols, np.concatenate([A[np.ix_(r, s)], B[np.ix_(r, s)]], axis=0).T)
        r = [c[0] for c in rows]
        s = [c[0] for c in cols]
        row_out = _dominated(A[np.ix_(r, s)])
        col_out = _dominated(B[np.ix_(r, s)].T)
        if mixed and not row_out.any() and not col_out.any() and len(r) * len(s) <= MAX_MIXED_CELLS:
            row_out = _mixed_dominated(A[np.ix_(r, s)])
            col_out = _mixed_dominated(B[np.ix_(r, s)].T)
            by_mixture += sum(len(c) for c, out in zip(rows, row_out, strict=True) if out)
            by_mixture += sum(len(c) for c, out in zip(cols, col_out, strict=True) if out)
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
        by_mixture,
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


def _mixed_dominated(own: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Strategies (rows of ``own``) strictly dominated by a mixture of the other rows.

    Rows that are the unique best response to some column or sampled mixture are skipped
    (:func:`_best_responses`); the others get an LP.

    For row ``i``: maximise ``e`` subject to ``sum_j p_j own[j, c] - own[i, c] >= e`` for every
    column ``c``, ``p`` a probability vector over the other rows (HiGHS). Row ``i`` is dominated
    if the mixture found beats it in every column by more than :data:`MIXED_MARGIN` times the
    payoffs' scale, checked directly. Cost: one LP with ``count`` variables and ``width``
    constraints per row.
    """
    from scipy.optimize import linprog

    count, width = own.shape
    out = np.zeros(count, dtype=bool)
    if count < 3:  # a mixture of one other row is that row (the pure check covers it)
        return out
    margin = MIXED_MARGIN * max(1.0, float(np.abs(own).max()))
    for i in np.nonzero(~_best_responses(own))[0].tolist():
        others = np.delete(own, i, axis=0)
        # Variables (p_1 .. p_{count-1}, e): minimise -e; e - p @ others[:, c] <= -own[i, c].
        cost = np.zeros(count)
        cost[-1] = -1.0
        upper = np.hstack([-others.T, np.ones((width, 1))])
        equal = np.hstack([np.ones((1, count - 1)), np.zeros((1, 1))])
        bounds = [(0.0, None)] * (count - 1) + [(None, None)]
        result = linprog(
            cost, A_ub=upper, b_ub=-own[i], A_eq=equal, b_eq=[1.0], bounds=bounds, method="highs"
        )
        if result.status != 0 or -result.fun <= margin:
            continue
        p = np.clip(result.x[:-1], 0.0, None)
        p /= p.sum()
        out[i] = bool((p @ others - own[i] > margin).all())
    return out


def _best_responses(own: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Rows that are a strict best response to some column or to a fixed sample of mixtures.

    A strict best response to any mixture of the other player is not strictly dominated (it
    beats every mixture of the others there), so only the remaining rows need an LP. Cost:
    ``O(count * width * SAMPLES)``.
    """
    count, width = own.shape
    values = own @ _probe_mixtures(width)
    top = values.argmax(axis=0)
    columns = np.arange(values.shape[1])
    first = values[top, columns]
    values[top, columns] = -np.inf
    strict = first > values.max(axis=0)
    best = np.zeros(count, dtype=bool)
    best[top[strict]] = True
    return best


@functools.lru_cache(maxsize=64)
def _probe_mixtures(width: int) -> NDArray[np.float64]:
    """Mixtures of ``width`` columns (one per column of the result) probing for best responses.

    The pure columns, :data:`BEST_RESPONSE_SAMPLES` uniform and :data:`SPARSE_SAMPLES` sparse
    random mixtures (fixed seed), and every pair of columns at weights 1/4, 1/2 and 3/4.
    """
    rng = np.random.default_rng(1991)
    first, second = np.triu_indices(width, 1)
    pairs = []
    for weight in (0.25, 0.5, 0.75):
        pair = np.zeros((width, len(first)))
        pair[first, np.arange(len(first))] = weight
        pair[second, np.arange(len(first))] = 1.0 - weight
        pairs.append(pair)
    mixtures = np.hstack(
        [
            np.eye(width),
            rng.dirichlet(np.ones(width), BEST_RESPONSE_SAMPLES).T,
            rng.dirichlet(np.full(width, 0.2), SPARSE_SAMPLES).T,
            *pairs,
        ]
    )
    mixtures.flags.writeable = False  # cached: shared by every call
    return mixtures


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
