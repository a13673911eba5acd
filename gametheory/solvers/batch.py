"""All extreme equilibria of many bimatrix games at once, with numpy and no loop over games.

The method is the vertex enumeration of :mod:`gametheory.solvers.polytope` (von Stengel 2007,
section 3.2; Avis, Rosenberg, Savani and von Stengel 2010), organised so that every step works
on a whole batch of games of the same shape:

1. normalise each player's payoffs to [1, 2] per game (a positive affine change);
2. for every basis (``t`` tight inequalities, ``t`` free coordinates) solve the ``t x t`` systems
   of all games together (:func:`~gametheory.solvers.linalg.solve_small`);
3. keep feasible solutions, encode their labels as bitmasks, and merge representations of one
   vertex by their label set (a vertex is determined by the constraints tight at it);
4. pair vertices of the two polytopes whose labels cover every label: the extreme equilibria;
5. flag degenerate games (a vertex with more labels than the dimension) and group extreme
   equilibria into connected sets (two that share a vertex lie in one set);
6. re-check every equilibrium with a regret check (tolerance per player, as in
   :mod:`gametheory.model.game`).

It is exact on degenerate games (every extreme equilibrium is found), which support enumeration
is not, and it is what :func:`gametheory.solve` uses for ``vertex_enumeration`` too, so a sweep
and a single solve give the same answers.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model.game import DEFAULT_TOL, TIE_TOL
from .linalg import solve_small

__all__ = [
    "BatchEquilibria",
    "bimatrix_batch",
    "bimatrix_batch_reduced",
    "dominance_masks",
    "pure_batch",
]

#: Bitmask labels need ``m + n`` bits (computed exactly in float64 arithmetic).
MAX_LABELS = 52
#: Working-memory target (float64 entries) for one internal block of games.
BLOCK_ENTRIES = 1_000_000


@dataclass(frozen=True)
class BatchEquilibria:
    """Equilibria of a batch of games, as flat arrays (one row per equilibrium).

    Attributes
    ----------
    game
        ``(E,)`` index of the game each equilibrium belongs to (sorted).
    strategies
        One ``(E, n_p)`` array of probabilities per player.
    payoffs
        ``(E, N)`` expected payoffs.
    component
        ``(E,)`` connected set of each equilibrium within its game (0, 1, ...).
    n_games
        Number of games in the batch.
    degenerate
        ``(G,)`` whether each game is degenerate (``None`` where not checked).
    complete
        ``(G,)`` whether each game's list is every equilibrium (isolated equilibria only).
    rejected
        ``(G,)`` number of candidates per game that failed the regret check.
    """

    game: NDArray[np.int64]
    strategies: tuple[NDArray[np.float64], ...]
    payoffs: NDArray[np.float64]
    component: NDArray[np.int64]
    n_games: int
    degenerate: NDArray[np.bool_] | None
    complete: NDArray[np.bool_]
    rejected: NDArray[np.int64]


def _normalised(M: NDArray[np.float64]) -> NDArray[np.float64]:
    """Per game (axis 0), map entries to [1, 2]; constant matrices become all ones."""
    flat = M.reshape(len(M), -1)
    low = flat.min(axis=1)
    span = flat.max(axis=1) - low
    safe = np.where(span > 0, span, 1.0)
    out: NDArray[np.float64] = (M - low[:, None, None]) / safe[:, None, None] + 1.0
    out[span == 0] = 1.0
    return out


def _bases(k: int, d: int) -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """For t = 2..min(k, d): every (tight rows, free columns) pair, as index arrays.

    Bases with one free coordinate (t = 1) are not listed: their feasible solutions are known
    in closed form (see :func:`_vertices`).
    """
    out = []
    for t in range(2, min(k, d) + 1):
        rows = np.array(list(itertools.combinations(range(k), t)), dtype=np.int64)
        cols = np.array(list(itertools.combinations(range(d), t)), dtype=np.int64)
        out.append((np.repeat(rows, len(cols), axis=0), np.tile(cols, (len(rows), 1))))
    return out


def _vertices(
    M: NDArray[np.float64], zero_bits: NDArray[np.int64], tight_bits: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.bool_]]:
    """Vertices of ``{z >= 0, M[g] z <= 1}`` for every game ``g``.

    Returns ``points (G, V, d)``, label ``masks (G, V)`` and ``valid (G, V)``, compacted so that
    the valid vertices of each game come first and ``V`` is the largest count in the batch.
    """
    G, k, d = M.shape
    # t = 1: z = e_c / M[r, c] is feasible exactly when M[r, c] is the largest entry of column
    # c, so each coordinate gives one vertex, e_c / max_r M[r, c] (ties are merged below).
    single = np.zeros((G, d, d))
    single[:, np.arange(d), np.arange(d)] = 1.0 / M.max(axis=1)
    points_parts = [single]
    feasible_parts = [np.ones((G, d), dtype=bool)]
    for rows, cols in _bases(k, d):
        count, t = rows.shape
        sub = M[:, rows[:, :, None], cols[:, None, :]]  # (G, count, t, t)
        z_free, ok = solve_small(sub.reshape(-1, t, t))
        z = np.zeros((G * count, d))
        np.put_along_axis(z, np.tile(cols, (G, 1)), z_free, axis=1)
        z = z.reshape(G, count, d)
        points_parts.append(z)
        feasible_parts.append(ok.reshape(G, count) & (z >= -TIE_TOL).all(axis=2))
    points = np.concatenate(points_parts, axis=1)
    slack = points @ np.swapaxes(M, 1, 2)  # (G, bases, k): M z for every candidate
    feasible = np.concatenate(feasible_parts, axis=1) & (slack <= 1 + TIE_TOL).all(axis=2)
    # Label bitmasks by a dot product with powers of two (exact in float64 below 2**53).
    masks = ((points <= TIE_TOL) @ np.exp2(zero_bits)).astype(np.int64)
    masks += ((np.abs(slack - 1.0) <= TIE_TOL) @ np.exp2(tight_bits)).astype(np.int64)
    # Merge representations of one vertex (same label set); invalid entries sort last.
    sentinel = np.iinfo(np.int64).max
    keys = np.where(feasible, masks, sentinel)
    order = np.argsort(keys, axis=1, kind="stable")
    keys = np.take_along_axis(keys, order, axis=1)
    valid = keys != sentinel
    valid[:, 1:] &= keys[:, 1:] != keys[:, :-1]
    # Compact: valid first (stable), then trim to the largest count.
    compact = np.argsort(~valid, axis=1, kind="stable")
    order = np.take_along_axis(order, compact, axis=1)
    valid = np.take_along_axis(valid, compact, axis=1)
    width = max(int(valid.sum(axis=1).max(initial=0)), 1)
    order, valid = order[:, :width], valid[:, :width]
    points = np.clip(np.take_along_axis(points, order[:, :, None], axis=1), 0.0, None)
    masks = np.take_along_axis(masks, order, axis=1)
    return points, masks, valid


def _components(
    game: NDArray[np.int64], i: NDArray[np.int64], j: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Connected sets: equilibria sharing a vertex of either polytope, numbered per game."""
    E = len(game)
    label = np.arange(E)
    if E == 0:
        return label
    keys = [game * (i.max() + 1) + i, game * (j.max() + 1) + j]
    while True:
        before = label.copy()
        for key in keys:
            _, group = np.unique(key, return_inverse=True)
            smallest = np.full(group.max() + 1, E)
            np.minimum.at(smallest, group, label)
            label = smallest[group]
        # Follow labels to their roots (pointer jumping).
        label = label[label]
        if np.array_equal(label, before):
            break
    # Renumber 0, 1, ... within each game, in order of first appearance.
    _, first_index, inverse = np.unique(label, return_index=True, return_inverse=True)
    root_game = game[first_index]
    rank = np.zeros(len(first_index), dtype=np.int64)
    order = np.argsort(first_index, kind="stable")
    sorted_games = root_game[order]
    starts = np.r_[0, np.nonzero(np.diff(sorted_games))[0] + 1]
    counts = np.diff(np.r_[starts, len(order)])
    rank[order] = np.arange(len(order)) - np.repeat(starts, counts)
    return rank[inverse]


def _ranges(M: NDArray[np.float64]) -> NDArray[np.float64]:
    flat = M.reshape(len(M), -1)
    span = flat.max(axis=1) - flat.min(axis=1)
    return np.where(span > 0, span, 1.0)


def _block_size(m: int, n: int) -> int:
    bases = (
        m
        + n
        + sum(
            len(list(itertools.combinations(range(n), t)))
            * len(list(itertools.combinations(range(m), t)))
            for t in range(2, min(m, n) + 1)
        )
    )
    return max(1, BLOCK_ENTRIES // (bases * (m + n)))


def bimatrix_batch(
    A: NDArray[np.float64], B: NDArray[np.float64], tol: float = DEFAULT_TOL
) -> BatchEquilibria:
    """Every extreme equilibrium of each game ``(A[g], B[g])`` of a batch.

    Parameters
    ----------
    A, B
        ``(G, m, n)`` payoff matrices of the row and column player.
    tol
        Relative regret tolerance for the final check (per player and game).

    Returns
    -------
    BatchEquilibria
        Flat arrays of verified equilibria, sorted by game.

    Notes
    -----
    Cost per game: ``C(m+n, m)`` small solves per polytope plus a ``V_P x V_Q`` pairing, all in
    vectorised blocks sized to keep working memory to a few tens of megabytes.
    """
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    G, m, n = A.shape
    if m + n > MAX_LABELS:
        raise ValueError(f"batched enumeration supports m + n <= {MAX_LABELS}, got {m + n}")
    size = _block_size(m, n)
    parts = [_solve_block(A[s : s + size], B[s : s + size], tol, s) for s in range(0, G, size)]
    if not parts:
        parts = [_solve_block(A, B, tol, 0)]
    return BatchEquilibria(
        game=np.concatenate([p.game for p in parts]),
        strategies=tuple(np.concatenate([p.strategies[k] for p in parts]) for k in (0, 1)),
        payoffs=np.concatenate([p.payoffs for p in parts]),
        component=np.concatenate([p.component for p in parts]),
        n_games=G,
        degenerate=np.concatenate([p.degenerate for p in parts if p.degenerate is not None]),
        complete=np.concatenate([p.complete for p in parts]),
        rejected=np.concatenate([p.rejected for p in parts]),
    )


def _solve_block(
    A: NDArray[np.float64], B: NDArray[np.float64], tol: float, offset: int
) -> BatchEquilibria:
    G, m, n = A.shape
    An, Bn = _normalised(A), _normalised(B)
    row_bits = np.arange(m, dtype=np.int64)
    col_bits = np.arange(m, m + n, dtype=np.int64)
    # P = {x >= 0, B^T x <= 1}: x_i = 0 has label i, (B^T x)_j = 1 has label m + j.
    xs, x_masks, x_valid = _vertices(np.swapaxes(Bn, 1, 2), row_bits, col_bits)
    # Q = {A y <= 1, y >= 0}: (A y)_i = 1 has label i, y_j = 0 has label m + j.
    ys, y_masks, y_valid = _vertices(An, col_bits, row_bits)
    full = (1 << (m + n)) - 1
    paired = (x_masks[:, :, None] | y_masks[:, None, :]) == full
    paired &= x_valid[:, :, None] & y_valid[:, None, :]
    g, i, j = np.nonzero(paired)
    x = xs[g, i]
    y = ys[g, j]
    x /= x.sum(axis=1, keepdims=True)
    y /= y.sum(axis=1, keepdims=True)
    # Degeneracy: a vertex with more labels than the dimension.
    x_popcount = np.bitwise_count(x_masks)
    y_popcount = np.bitwise_count(y_masks)
    degenerate = ((x_popcount > m) & x_valid).any(axis=1) | ((y_popcount > n) & y_valid).any(axis=1)
    # Independent regret check, per player's payoff range.
    Ay = np.einsum("emn,en->em", A[g], y)
    xB = np.einsum("em,emn->en", x, B[g])
    row_value = np.einsum("em,em->e", x, Ay)
    col_value = np.einsum("en,en->e", xB, y)
    ok = (Ay.max(axis=1) - row_value <= tol * _ranges(A)[g]) & (
        xB.max(axis=1) - col_value <= tol * _ranges(B)[g]
    )
    rejected = np.bincount(g[~ok], minlength=G)
    g, i, j, x, y = g[ok], i[ok], j[ok], x[ok], y[ok]
    payoffs = np.column_stack([row_value[ok], col_value[ok]])
    component = _components(g, i, j)
    # A continuum exists where a vertex is shared by two extreme equilibria of one game.
    shared = np.zeros(G, dtype=bool)
    for vertex in (i, j):
        width = int(vertex.max(initial=0)) + 1
        values, counts = np.unique(g * width + vertex, return_counts=True)
        shared[values[counts > 1] // width] = True
    complete = ~shared & (rejected == 0)
    return BatchEquilibria(
        game=g + offset,
        strategies=(x, y),
        payoffs=payoffs,
        component=component,
        n_games=G,
        degenerate=degenerate,
        complete=complete,
        rejected=rejected,
    )


def pure_batch(payoffs: NDArray[np.float64], tol: float = TIE_TOL) -> NDArray[np.bool_]:
    """Pure equilibria of a batch of N-player games.

    Parameters
    ----------
    payoffs
        ``(G, N, n_1, ..., n_N)``: one payoff array per game (layout of
        :mod:`gametheory.model.game`).
    tol
        Relative tie tolerance per player and game.

    Returns
    -------
    numpy.ndarray
        ``(G, n_1, ..., n_N)`` boolean mask of pure equilibria.
    """
    G, N = payoffs.shape[:2]
    mask = np.ones((G, *payoffs.shape[2:]), dtype=bool)
    for p in range(N):
        own = payoffs[:, p]
        flat = own.reshape(G, -1)
        span = flat.max(axis=1) - flat.min(axis=1)
        eps = tol * np.where(span > 0, span, 1.0).reshape((G,) + (1,) * N)
        mask &= own >= own.max(axis=1 + p, keepdims=True) - eps
    return mask


def dominance_masks(
    A: NDArray[np.float64], B: NDArray[np.float64]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Actions surviving iterated elimination of actions strictly dominated by a pure action.

    Vectorised over the batch: in each round, row ``r`` of game ``g`` is removed when another
    surviving row beats it by more than the tie tolerance against every surviving column, and
    likewise for columns; rounds repeat until nothing changes. Strict dominance never removes an
    equilibrium (Osborne and Rubinstein 1994, section 4.2).

    Returns
    -------
    rows, cols
        ``(G, m)`` and ``(G, n)`` boolean masks of surviving actions.
    """
    G, m, n = A.shape
    rows = np.ones((G, m), dtype=bool)
    cols = np.ones((G, n), dtype=bool)
    eps_a = (TIE_TOL * _ranges(A))[:, None, None]
    eps_b = (TIE_TOL * _ranges(B))[:, None, None]
    active = np.arange(G)  # games in which the last round removed something
    while len(active):
        a, b, r, c = A[active], B[active], rows[active], cols[active]
        ea, eb = eps_a[active], eps_b[active]
        # beats[g, r2, r]: row r2 beats row r at every live column (one column at a time:
        # elementwise ANDs over whole arrays are much faster than a reduction over a short axis).
        beats = np.ones((len(active), m, m), dtype=bool)
        for j in range(n):
            beats &= (a[:, :, None, j] > a[:, None, :, j] + ea) | ~c[:, j, None, None]
        row_dominated = (beats & r[:, :, None]).any(axis=1) & r
        beats = np.ones((len(active), n, n), dtype=bool)
        for i in range(m):
            beats &= (b[:, i, :, None] > b[:, i, None, :] + eb) | ~r[:, i, None, None]
        col_dominated = (beats & c[:, :, None]).any(axis=1) & c
        rows[active] = r & ~row_dominated
        cols[active] = c & ~col_dominated
        changed = row_dominated.any(axis=1) | col_dominated.any(axis=1)
        active = active[changed]
    return rows, cols


def _pattern_groups(masks: NDArray[np.bool_]) -> tuple[NDArray[np.bool_], NDArray[np.int64]]:
    """The distinct rows of a boolean matrix and, for each row, the index of its pattern.

    Rows of up to 62 columns are packed into integers first, which makes the grouping a 1-D
    ``unique`` instead of a lexicographic sort of rows.
    """
    if masks.shape[1] <= 62:
        weights = np.left_shift(np.int64(1), np.arange(masks.shape[1], dtype=np.int64))
        keys = masks.astype(np.int64) @ weights
        _, first, group = np.unique(keys, return_index=True, return_inverse=True)
        return masks[first], group.reshape(-1)
    patterns, group = np.unique(masks, axis=0, return_inverse=True)
    return patterns, group.reshape(-1)


def bimatrix_batch_reduced(
    A: NDArray[np.float64], B: NDArray[np.float64], tol: float = DEFAULT_TOL
) -> BatchEquilibria:
    """:func:`bimatrix_batch` after removing strictly dominated pure actions, game by game.

    Games are grouped by which actions survive and each group is solved at its reduced size,
    which is much faster for option ("chip") games where most actions are dominated. The
    equilibria are the same; ``degenerate`` then describes the reduced game.
    """
    A = np.asarray(A, dtype=np.float64)
    B = np.asarray(B, dtype=np.float64)
    G, m, n = A.shape
    rows, cols = dominance_masks(A, B)
    patterns, group = _pattern_groups(np.hstack([rows, cols]))
    parts = []
    for k, pattern in enumerate(patterns):
        games = np.nonzero(group == k)[0]
        keep_r, keep_c = np.nonzero(pattern[:m])[0], np.nonzero(pattern[m:])[0]
        sub = bimatrix_batch(
            A[np.ix_(games, keep_r, keep_c)], B[np.ix_(games, keep_r, keep_c)], tol
        )
        x = np.zeros((len(sub.game), m))
        y = np.zeros((len(sub.game), n))
        x[:, keep_r] = sub.strategies[0]
        y[:, keep_c] = sub.strategies[1]
        parts.append((games, sub, x, y))
    game = np.concatenate([games[sub.game] for games, sub, _, _ in parts])
    order = np.argsort(game, kind="stable")
    degenerate = np.zeros(G, dtype=bool)
    complete = np.zeros(G, dtype=bool)
    rejected = np.zeros(G, dtype=np.int64)
    for games, sub, _, _ in parts:
        if sub.degenerate is not None:
            degenerate[games] = sub.degenerate
        complete[games] = sub.complete
        rejected[games] = sub.rejected
    return BatchEquilibria(
        game=game[order],
        strategies=(
            np.concatenate([x for *_, x, _ in parts])[order],
            np.concatenate([y for *_, y in parts])[order],
        ),
        payoffs=np.concatenate([sub.payoffs for _, sub, _, _ in parts])[order],
        component=np.concatenate([sub.component for _, sub, _, _ in parts])[order],
        n_games=G,
        degenerate=degenerate,
        complete=complete,
        rejected=rejected,
    )
