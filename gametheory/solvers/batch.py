"""All extreme equilibria of many bimatrix games at once, with numpy and no loop over games.

The method is the vertex enumeration of :mod:`gametheory.solvers.polytope` (von Stengel 2007,
section 3.2; Avis, Rosenberg, Savani and von Stengel 2010), organised so that every step works
on a whole batch of games of the same shape:

1. normalise each player's payoffs to [1, 2] per game (a positive affine change);
2. for every basis (``t`` tight inequalities, ``t`` free coordinates) solve the ``t x t`` systems
   of all games together, with the games on the last (contiguous) axis: Cramer's rule for
   ``t <= 4``, :func:`~gametheory.solvers.linalg.solve_small` beyond;
3. keep feasible solutions and encode their labels as bitmasks (the basis's own labels are
   known; only the free coordinates and the slack of the other rows are tested); merge
   representations of one vertex by their label set (a vertex is determined by the
   constraints tight at it; only vertices with more than ``d`` labels can be found twice);
4. pair vertices of the two polytopes of each game whose labels cover every label (flat lists,
   no padding): the extreme equilibria;
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
from .linalg import SINGULAR, solve_small

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
    """For t = 2..min(k, d): every (rows, free columns) pair, as index arrays.

    ``rows`` is ``(count, k)``: the ``t`` tight rows of the basis first, then the other rows
    (whose slack decides feasibility); ``cols`` is ``(count, t)``. Bases with one free
    coordinate (t = 1) are not listed: their feasible solutions are known in closed form (see
    :func:`_vertices`).
    """
    out = []
    for t in range(2, min(k, d) + 1):
        tight = list(itertools.combinations(range(k), t))
        rows = np.array([[*r, *(i for i in range(k) if i not in r)] for r in tight], np.int64)
        cols = np.array(list(itertools.combinations(range(d), t)), dtype=np.int64)
        out.append((np.repeat(rows, len(cols), axis=0), np.tile(cols, (len(rows), 1))))
    return out


def _vertices(
    M: NDArray[np.float64], zero_bits: NDArray[np.int64], tight_bits: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Vertices of ``{z >= 0, M[g] z <= 1}`` for every game ``g``, as flat lists.

    Returns the ``game (V,)`` each vertex belongs to (sorted), its label ``masks (V,)`` and
    ``points (V, d)``; within a game, vertices are in the order of the first basis giving them.

    Candidates are held games-last, ``(bases, ..., games)``, so that every step is an
    elementwise pass over long contiguous rows instead of work on many tiny matrices, and only
    the free coordinates of a basis and the slack of its non-basic rows are computed: the
    others are zero and tight by construction.
    """
    G, k, d = M.shape
    Mt = np.ascontiguousarray(np.moveaxis(M, 0, -1))  # (k, d, G)
    bit_zero = np.left_shift(np.int64(1), zero_bits)
    bit_tight = np.left_shift(np.int64(1), tight_bits)
    # t = 1: z = e_c / M[r, c] is feasible exactly when M[r, c] is the largest entry of column
    # c, so each coordinate gives one vertex, e_c / max_r M[r, c], tight at the rows reaching
    # the maximum.
    top = Mt.max(axis=0)  # (d, G)
    single = 1.0 / top
    masks_1 = np.zeros((d, G), dtype=np.int64)
    for c in range(d):
        masks_1[c] = bit_zero.sum() - bit_zero[c]
        for r in range(k):
            masks_1[c] |= (np.abs(Mt[r, c] * single[c] - 1.0) <= TIE_TOL) * bit_tight[r]
    points = [np.zeros((d, d, G))]
    points[0][np.arange(d), np.arange(d)] = single
    masks = [masks_1]
    feasible = [np.ones((d, G), dtype=bool)]
    for rows, cols in _bases(k, d):
        count, t = cols.shape
        sub = Mt[rows[:, :, None], cols[:, None, :]]  # (count, k, t, G)
        z_free, ok = _solve_ones(M, sub[:, :t], rows[:, :t], cols)  # (count, t, G), (count, G)
        ok &= (z_free >= -TIE_TOL).all(axis=1)
        # Labels known by construction: the basis rows, and the coordinates outside the basis.
        known = bit_tight[rows[:, :t]].sum(axis=1) + bit_zero.sum() - bit_zero[cols].sum(axis=1)
        # The other labels (disjoint bits, so they add): free coordinates at zero, non-basic
        # rows at their bound.
        mask = known[:, None] + ((z_free <= TIE_TOL) * bit_zero[cols][:, :, None]).sum(axis=1)
        if t < k:
            slack = (sub[:, t:] * z_free[:, None]).sum(axis=2)  # (count, k - t, G): M z
            ok &= (slack <= 1 + TIE_TOL).all(axis=1)
            tight = np.abs(slack - 1.0) <= TIE_TOL
            mask += (tight * bit_tight[rows[:, t:]][:, :, None]).sum(axis=1)
        z = np.zeros((count, d, G))
        z[np.arange(count)[:, None], cols] = z_free
        points.append(z)
        masks.append(mask)
        feasible.append(ok)
    all_points = np.concatenate(points)
    all_masks = np.concatenate(masks)
    game, cand = np.nonzero(np.concatenate(feasible).T)  # sorted by game, then basis
    mask = all_masks[cand, game]
    keep = _first_of_each_label_set(game, mask, d)
    game, cand, mask = game[keep], cand[keep], mask[keep]
    return game, mask, np.clip(all_points[cand, :, game], 0.0, None)


def _first_of_each_label_set(
    game: NDArray[np.int64], mask: NDArray[np.int64], d: int
) -> NDArray[np.bool_]:
    """Keep one representation of each vertex (its label set) per game: the first.

    A feasible basis solution with exactly ``d`` labels has the basis's own labels, so it is
    the only representation of its vertex; only the others (degenerate vertices, more labels)
    are sorted to find repeats.
    """
    keep = np.ones(len(game), dtype=bool)
    other = np.nonzero(np.bitwise_count(mask) != d)[0]
    if len(other) < 2:
        return keep
    order = other[np.lexsort((other, mask[other], game[other]))]
    repeat = (game[order[1:]] == game[order[:-1]]) & (mask[order[1:]] == mask[order[:-1]])
    keep[order[1:][repeat]] = False
    return keep


def _solve_ones(
    M: NDArray[np.float64],
    S: NDArray[np.float64],
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """``S[b] z = 1`` for every basis ``b``, games last: ``S (count, t, t, G)``.

    ``t = 2, 3`` by Cramer's rule on whole rows of games (the closed forms of
    :func:`~gametheory.solvers.linalg.solve_small`, singular below the same
    :data:`~gametheory.solvers.linalg.SINGULAR`); larger ``t`` by
    :func:`~gametheory.solvers.linalg.solve_small` (partial pivoting) on ``M[g][rows, cols]``.
    """
    count, t = cols.shape
    if t == 4:
        # Cramer: S itself, then S with column i replaced by ones, in one stacked array.
        stacked = np.empty((5, *S.shape))
        stacked[:] = S
        for i in range(4):
            stacked[1 + i, :, :, i] = 1.0
        dets = _det4(stacked)  # (5, count, G)
        ok = np.abs(dets[0]) > SINGULAR
        inv = 1.0 / np.where(ok, dets[0], 1.0)
        return np.moveaxis(dets[1:] * inv, 0, 1), ok
    if t > 4:
        sub = M[:, rows[:, :, None], cols[:, None, :]]  # (G, count, t, t)
        z_free, ok = solve_small(sub.reshape(-1, t, t))
        G = len(M)
        return (
            np.ascontiguousarray(z_free.reshape(G, count, t).transpose(1, 2, 0)),
            np.ascontiguousarray(ok.reshape(G, count).T),
        )
    if t == 2:
        a, b, c, e = S[:, 0, 0], S[:, 0, 1], S[:, 1, 0], S[:, 1, 1]
        det = a * e - b * c
        ok = np.abs(det) > SINGULAR
        inv = 1.0 / np.where(ok, det, 1.0)
        return np.stack([(e - b) * inv, (a - c) * inv], axis=1), ok
    # t == 3: z_i = det(S with column i replaced by ones) / det(S).
    (a, b, c), (e, f, h), (p, q, r) = ((S[:, i, 0], S[:, i, 1], S[:, i, 2]) for i in range(3))
    m0, m1, m2 = f * r - h * q, e * r - h * p, e * q - f * p  # minors of the first row
    det = a * m0 - b * m1 + c * m2
    ok = np.abs(det) > SINGULAR
    inv = 1.0 / np.where(ok, det, 1.0)
    # Cramer numerators, expanded along the replaced column of ones.
    z0 = (m0 - (b * r - c * q) + (b * h - c * f)) * inv
    z1 = ((a * r - c * p) - m1 - (a * h - c * e)) * inv
    z2 = (m2 - (a * q - b * p) + (a * f - b * e)) * inv
    return np.stack([z0, z1, z2], axis=1), ok


def _det4(X: NDArray[np.float64]) -> NDArray[np.float64]:
    """Determinants of 4 x 4 matrices ``X[..., row, column, game]``, games last.

    Laplace expansion along the first two rows: the sum over column pairs of a 2 x 2 minor of
    rows 0-1 times the complementary minor of rows 2-3, with sign.
    """

    def minor(top: int, i: int, j: int) -> NDArray[np.float64]:
        out: NDArray[np.float64] = (
            X[..., top, i, :] * X[..., top + 1, j, :] - X[..., top, j, :] * X[..., top + 1, i, :]
        )
        return out

    pairs = [(0, 1, 2, 3, 1.0), (0, 2, 1, 3, -1.0), (0, 3, 1, 2, 1.0)]
    pairs += [(1, 2, 0, 3, 1.0), (1, 3, 0, 2, -1.0), (2, 3, 0, 1, 1.0)]
    total = np.zeros(X.shape[:-3] + X.shape[-1:])
    for i, j, k, m, sign in pairs:
        total += sign * minor(0, i, j) * minor(2, k, m)
    return total


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
    x_game, x_masks, xs = _vertices(np.swapaxes(Bn, 1, 2), row_bits, col_bits)
    # Q = {A y <= 1, y >= 0}: (A y)_i = 1 has label i, y_j = 0 has label m + j.
    y_game, y_masks, ys = _vertices(An, col_bits, row_bits)
    i, j = _complementary_pairs(G, x_game, x_masks, y_game, y_masks, (1 << (m + n)) - 1)
    g = x_game[i]
    x = xs[i]
    y = ys[j]
    x /= x.sum(axis=1, keepdims=True)
    y /= y.sum(axis=1, keepdims=True)
    # Degeneracy: a vertex with more labels than the dimension.
    degenerate = np.zeros(G, dtype=bool)
    degenerate[x_game[np.bitwise_count(x_masks) > m]] = True
    degenerate[y_game[np.bitwise_count(y_masks) > n]] = True
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
    for vertex, owner in ((i, x_game), (j, y_game)):
        values, counts = np.unique(vertex, return_counts=True)
        shared[owner[values[counts > 1]]] = True
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


def _complementary_pairs(
    G: int,
    x_game: NDArray[np.int64],
    x_masks: NDArray[np.int64],
    y_game: NDArray[np.int64],
    y_masks: NDArray[np.int64],
    full: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs ``(i, j)`` of vertices of one game whose labels together cover every label.

    Every vertex of P is tried against every vertex of Q of its game (flat lists, no padding),
    in order of game, then ``i``, then ``j``.
    """
    y_count = np.bincount(y_game, minlength=G)
    y_start = np.cumsum(y_count) - y_count
    repeat = y_count[x_game]
    i = np.repeat(np.arange(len(x_game)), repeat)
    ends = np.cumsum(repeat)
    j = np.arange(len(i)) - np.repeat(ends - repeat, repeat) + np.repeat(y_start[x_game], repeat)
    hit = (x_masks[i] | y_masks[j]) == full
    return i[hit], j[hit]


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
