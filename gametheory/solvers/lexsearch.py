"""Every vertex of a best-response polytope by lexicographic pivoting, and the equilibria on them.

The polytope ``{z >= 0, M z <= 1}`` (``M`` positive, ``k x d``) is written with slack variables
``s = 1 - M z``; a *basis* is a choice of ``k`` of the ``d + k`` variables, and a vertex is where
the ``d`` others (the *cobasis*, the vertex's labels) are zero. Perturbing the right-hand side
lexicographically (``1 + (eps, eps^2, ...)``) makes the polytope simple, so every basis of the
perturbed polytope has exactly ``d`` neighbours, one per entering variable, found by the
lexicographic minimum-ratio test, and every vertex of the original polytope is the image of at
least one such basis. This is the perturbation lrs uses (Avis, "A revised implementation of the
reverse search vertex enumeration algorithm", 2000; Avis, Rosenberg, Savani and von Stengel,
"Enumeration of Nash equilibria for two-player games", *Economic Theory* 42, 2010, section 4).

Instead of lrs's reverse search (no memory, one pivot sequence at a time) the graph of bases is
searched in blocks: every basis of a block is expanded at once with numpy (all ``d`` ratio tests
of all bases in one array operation), and the bases already seen are kept in a vectorised hash
set of ``int64`` bit masks. Waiting bases are pending pivots from a parent whose dictionary
is stored once (at most :data:`POOL_ENTRIES` floats, then parents are rebuilt by a batched
solve). Memory is 16 bytes per basis plus that pool; time is ``O(V d k)`` arithmetic for ``V``
bases. When no vertex is degenerate (no basic variable is zero), the plain minimum-ratio
test has no ties and the lexicographic rule is never consulted; the first degenerate vertex met
restarts the search with the lexicographic rule on (``careful``).

:func:`bimatrix_equilibria` then follows lrsNash: for each vertex ``x`` of the smaller
player's polytope, the other player's strategy must lie on the face of the other polytope with
the complementary labels. For a nondegenerate vertex that face is one point, a small linear
system solved in batches; only degenerate vertices (more labels than the dimension, or a
singular system) are matched by label bit masks against every vertex of the other polytope,
which is then enumerated too.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .linalg import solve_small
from .polytope import normalised

__all__ = [
    "MAX_VARIABLES",
    "Enumerated",
    "KeySet",
    "bimatrix_equilibria",
    "polytope_bases",
    "vertex_bound",
]

#: Pivot entries at most this are treated as zero (entries of ``M`` are in [1, 2]).
PIVOT_TOL = 1e-9
#: Ratios and values within this are ties / zero (the polytopes have vertices of order one).
ZERO_TOL = 1e-9
#: A square system whose determinant is below this fraction of Hadamard's bound is singular.
SINGULAR_DET = 1e-11
#: Dictionary entries (floats) of parent bases kept on the search's stack, at most 800 MB (only
#: the largest searches, about 20x20, reach it); further parents wait as indices only and are
#: rebuilt (one batched solve) when their children are expanded. The benchmark's 20x20 (2.75
#: million bases, 139 equilibria): 53 s CPU and 1.2 GB peak (children pivoted from stored
#: parents), was 72 s and 2.8 GB (a dictionary stored per child, 1.6 GB pool); 40.5 s CPU
#: with the cheaper pairing.
POOL_ENTRIES = 100_000_000
#: Vertices paired together (their partner systems solved in one batch per support size).
PAIR_BLOCK = 32_768
#: Bases expanded together (arrays of ``BLOCK x d x k`` floats).
BLOCK = 2048
#: Label bit masks are ``int64``: at most this many labels (``m + n``).
MAX_VARIABLES = 62
#: Fixed random right-hand side (entries in [-1, 1]) probing for near-singular systems.
_PROBE = np.random.default_rng(20100).uniform(-1.0, 1.0, MAX_VARIABLES)
#: Multiplier of the hash set (Knuth's multiplicative hashing with the golden ratio).
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)

Bases = tuple[NDArray[np.float64], NDArray[np.int64]]
Moves = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]
Pending = tuple[
    NDArray[np.float64] | None,
    NDArray[np.float64] | None,
    NDArray[np.integer],
    NDArray[np.integer],
    Moves | None,
]


def vertex_bound(dimension: int, facets: int) -> int:
    """Most vertices a ``dimension``-polytope with ``facets`` facets can have.

    McMullen's upper-bound theorem (1970): the dual of the cyclic polytope attains
    ``C(N - ceil(d/2), floor(d/2)) + C(N - floor(d/2) - 1, ceil(d/2) - 1)``; it also bounds the
    bases of the lexicographically perturbed (simple) polytope searched here.
    """
    d, N = dimension, facets
    return math.comb(N - (d + 1) // 2, d // 2) + math.comb(N - d // 2 - 1, (d + 1) // 2 - 1)


class DegenerateVertexError(Exception):
    """Raised in a search without the lexicographic rule when a degenerate vertex appears."""


class TooManyBasesError(Exception):
    """Raised when a search exceeds its limit on bases."""


class KeySet:
    """A set of non-zero ``int64`` keys with vectorised insertion (open addressing).

    Linear probing in a table kept at most half full; :meth:`add` inserts a batch of distinct
    keys and says which were new, in a few array passes whatever the batch size.
    """

    def __init__(self, bits: int = 12) -> None:
        self.bits = bits
        self.table = np.zeros(1 << bits, dtype=np.int64)
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def add(self, keys: NDArray[np.int64]) -> NDArray[np.bool_]:
        """Insert distinct non-zero keys; True for those not already in the set."""
        if 2 * (self.count + len(keys)) > len(self.table):
            old = self.table[self.table != 0]
            while 2 * (self.count + len(keys)) > (1 << self.bits):
                self.bits += 1
            self.table = np.zeros(1 << self.bits, dtype=np.int64)
            self._insert(old)
        new = self._insert(keys)
        self.count += int(new.sum())
        return new

    def _insert(self, keys: NDArray[np.int64]) -> NDArray[np.bool_]:
        table = self.table
        mask = len(table) - 1
        slot = ((keys.view(np.uint64) * _GOLDEN) >> np.uint64(64 - self.bits)).astype(np.int64)
        new = np.zeros(len(keys), dtype=bool)
        active = np.arange(len(keys))
        while active.size:
            where, wanted = slot[active], keys[active]
            held = table[where]
            empty = held == 0
            table[where[empty]] = wanted[empty]
            won = empty & (table[where] == wanted)  # two new keys may race for one slot
            new[active[won]] = True
            active = active[~((held == wanted) | won)]
            slot[active] = (slot[active] + 1) & mask
        return new


def polytope_bases(M: NDArray[np.float64], *, careful: bool, max_bases: int) -> Iterator[Bases]:
    """Every basis of ``{z >= 0, M z <= 1}`` reachable by (lexicographic) pivots from ``z = 0``.

    Parameters
    ----------
    M
        ``(k, d)`` matrix with entries in ``[1, 2]``; variables ``0..d-1`` are ``z``,
        ``d..d+k-1`` the slacks of the rows.
    careful
        Use the lexicographic ratio test (needed on degenerate polytopes). Without it, the first
        basis with a zero basic variable raises :class:`DegenerateVertexError`.
    max_bases
        Raise :class:`TooManyBasesError` once more bases than this have been found.

    Yields
    ------
    tuple
        Blocks ``(beta, basic)``: values ``(F, k)`` of the basic variables and their indices.
    """
    k, d = M.shape
    bit = np.int64(1) << np.arange(d + k, dtype=np.int64)
    seen = KeySet()
    seen.add(np.array([bit[d:].sum()], dtype=np.int64))
    # Dictionary layout D[f, q, i]: coefficient of cobasic variable cob[f, q] in basic row i.
    # The stack holds *pending pivots*: a block of parent bases with their dictionaries (only
    # the parents with new children, compacted) and, per child, (parent, entering position,
    # leaving row). A child's dictionary is made when it is taken off the stack, so a parent's
    # dictionary is stored once for all its children. Beyond POOL_ENTRIES floats, the parents
    # are pushed as bare bases (int8) and rebuilt (one batched solve) when their children are.
    tableau = np.concatenate([M, np.eye(k)], axis=1)
    D0 = np.ascontiguousarray(M.T, dtype=np.float64)[None]
    start: Pending = (D0, np.ones((1, k)), (d + np.arange(k))[None], np.arange(d)[None], None)
    stack: list[Pending] = [start]
    stored = d * k
    while stack:
        D, beta, raw_basic, raw_cob, moves = stack.pop()
        if moves is not None and len(moves[0]) > BLOCK:
            f, q, r = moves
            stack.append((D, beta, raw_basic, raw_cob, (f[BLOCK:], q[BLOCK:], r[BLOCK:])))
            moves = (f[:BLOCK], q[:BLOCK], r[:BLOCK])
        elif D is not None:
            stored -= D.size
        basic, cob = raw_basic.astype(np.int64), raw_cob.astype(np.int64)
        if moves is not None:
            f, q, r = moves
            if D is None or beta is None:
                # Parents kept as bare bases: rebuild those this chunk's children come from.
                parents, f = np.unique(f, return_inverse=True)
                basic, cob = basic[parents], cob[parents]
                D, beta = _dictionaries(tableau, basic, cob)
            D, beta, basic, cob = _pivot(D, beta, basic, cob, f, q, r)
        elif D is None or beta is None:
            D, beta = _dictionaries(tableau, basic, cob)
        if not careful and bool((beta <= ZERO_TOL).any()):
            raise DegenerateVertexError
        yield beta, basic
        leave = _leaving_rows(D, beta, basic, cob, careful)
        key = bit[basic].sum(axis=1)
        leaving = np.take_along_axis(basic, leave, axis=1)
        flat = (key[:, None] ^ bit[cob] ^ bit[leaving]).ravel()
        order = np.argsort(flat)
        ordered = flat[order]
        first = np.empty(len(ordered), dtype=bool)
        first[0] = True
        np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
        new = seen.add(ordered[first])
        if len(seen) > max_bases:
            raise TooManyBasesError
        if new.any():
            f, q = np.divmod(np.sort(order[first][new]), d)  # by parent: chunks share parents
            parents, f_local = np.unique(f, return_inverse=True)
            r = leave[f, q]
            if stored + len(parents) * d * k <= POOL_ENTRIES:
                stack.append(
                    (D[parents], beta[parents], basic[parents], cob[parents], (f_local, q, r))
                )
                stored += len(parents) * d * k
            else:
                compact = (basic[parents].astype(np.int8), cob[parents].astype(np.int8))
                stack.append((None, None, *compact, (f_local, q, r)))


def _dictionaries(
    tableau: NDArray[np.float64], basic: NDArray[np.int64], cob: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Dictionaries ``B^-1 N`` (layout ``[f, q, i]``) and values ``B^-1 1`` of bases."""
    count, k = basic.shape
    d = cob.shape[1]
    Bm = np.moveaxis(tableau[:, basic], 1, 0)  # (F, k, k): columns of the basic variables
    rhs = np.empty((count, k, d + 1))
    rhs[:, :, :d] = np.moveaxis(tableau[:, cob], 1, 0)
    rhs[:, :, d] = 1.0
    solution = np.asarray(np.linalg.solve(Bm, rhs), dtype=np.float64)
    return np.ascontiguousarray(np.swapaxes(solution[:, :, :d], 1, 2)), solution[:, :, d]


def _leaving_rows(
    D: NDArray[np.float64],
    beta: NDArray[np.float64],
    basic: NDArray[np.int64],
    cob: NDArray[np.int64],
    careful: bool,
) -> NDArray[np.int64]:
    """Row leaving the basis for each (basis, entering cobasic position): ``(F, d)``.

    Without the lexicographic rule every basic variable is positive, and the minimum ratio
    ``beta_i / D_i`` over ``D_i > 0`` is the maximum of ``D_i / beta_i``: one product and one
    reduction, no masking.
    """
    if not careful:
        return np.asarray((D * (1.0 / beta)[:, None, :]).argmax(axis=2), dtype=np.int64)
    ratio = np.full(D.shape, np.inf)
    np.divide(beta[:, None, :], D, out=ratio, where=D > PIVOT_TOL)
    leave = ratio.argmin(axis=2)
    if careful:
        best = np.take_along_axis(ratio, leave[:, :, None], axis=2)
        tied = (ratio <= best + ZERO_TOL).sum(axis=2) > 1
        f, q = np.nonzero(tied)
        if len(f):
            leave[f, q] = _lexicographic_rows(
                D, basic, cob, ratio[f, q] <= best[f, q] + ZERO_TOL, f, q
            )
    return np.asarray(leave, dtype=np.int64)


def _lexicographic_rows(
    D: NDArray[np.float64],
    basic: NDArray[np.int64],
    cob: NDArray[np.int64],
    candidates: NDArray[np.bool_],
    f: NDArray[np.int64],
    q: NDArray[np.int64],
) -> NDArray[np.int64]:
    """Break ratio ties by the rows of the basis inverse (the perturbation's coefficients)."""
    _, d, k = D.shape
    candidates = candidates.copy()
    column = D[f, q, :]
    for c in range(k):
        # Column c of the basis inverse is the dictionary column of slack c (a unit vector
        # when slack c is basic).
        position = cob[f] == d + c
        cobasic = position.any(axis=1)
        inverse = np.where(
            cobasic[:, None], D[f, position.argmax(axis=1), :], (basic[f] == d + c) * 1.0
        )
        ratio = np.where(candidates, inverse / np.where(candidates, column, 1.0), np.inf)
        candidates &= ratio <= ratio.min(axis=1)[:, None] + ZERO_TOL
        if bool((candidates.sum(axis=1) == 1).all()):
            break
    return np.asarray(candidates.argmax(axis=1), dtype=np.int64)


def _pivot(
    D: NDArray[np.float64],
    beta: NDArray[np.float64],
    basic: NDArray[np.int64],
    cob: NDArray[np.int64],
    f: NDArray[np.int64],
    q: NDArray[np.int64],
    r: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """New dictionaries: cobasic ``cob[f, q]`` enters, the basic variable of row ``r`` leaves."""
    e = np.arange(len(f))
    pivot = D[f, q, r]
    column = D[f, q, :] / pivot[:, None]
    row = D[f, :, r]
    # One expression (gather, outer product, difference) is about twice as fast as updating the
    # gathered copy in place.
    new_D = np.take(D, f, axis=0) - row[:, :, None] * column[:, None, :]
    new_beta = beta[f] - column * beta[f, r][:, None]
    new_D[e, q, :] = -column
    new_D[e, :, r] = row / pivot[:, None]
    new_D[e, q, r] = 1.0 / pivot
    new_beta[e, r] = beta[f, r] / pivot
    new_basic, new_cob = basic[f], cob[f]
    leaving = new_basic[e, r].copy()
    new_basic[e, r] = new_cob[e, q]
    new_cob[e, q] = leaving
    return new_D, new_beta, new_basic, new_cob


def has_degenerate_vertex(M: NDArray[np.float64], *, max_bases: int) -> bool:
    """Whether ``{z >= 0 : M z <= 1}`` (``M`` normalised to [1, 2]) has a degenerate vertex.

    The search pivots from the zero vertex without the lexicographic rule and stops at the first
    basis with a zero basic variable; a polytope's vertex graph is connected (Balinski 1961),
    so a nondegenerate polytope is searched whole and a degenerate one is caught at the first
    degenerate vertex the search reaches. Cost: at most the polytope's vertices, each
    ``O(d k)``.
    """
    try:
        for _ in polytope_bases(M, careful=False, max_bases=max_bases):
            pass
    except DegenerateVertexError:
        return True
    return False


@dataclass(frozen=True)
class Enumerated:
    """Extreme equilibria of a bimatrix game from :func:`bimatrix_equilibria`.

    Attributes
    ----------
    strategies
        ``(E, m)`` and ``(E, n)`` arrays of the row and column strategies.
    degenerate
        True if a searched polytope has a degenerate vertex; None if only the nondegenerate
        polytope was searched (the other was not examined).
    vertices
        Distinct vertices of the searched polytope(s), zero vertex excluded.
    careful
        Whether the lexicographic rule was needed.
    """

    strategies: tuple[NDArray[np.float64], NDArray[np.float64]]
    degenerate: bool | None
    vertices: int
    careful: bool


def bimatrix_equilibria(A: NDArray[np.float64], B: NDArray[np.float64]) -> Enumerated:
    """All extreme equilibria of the bimatrix game ``(A, B)`` (lrsNash's pairing).

    The polytope of the player with fewer strategies is searched (it has fewer vertices), and
    the other player's strategies are solved from each vertex's labels.

    Raises
    ------
    TooManyBasesError
        If a search meets more bases than :func:`vertex_bound` allows (numerical trouble).

    Notes
    -----
    Cost: ``O(V d k)`` for the ``V`` bases of the searched polytope (``d`` its dimension, ``k``
    the other player's strategy count), plus one ``t x t`` solve per vertex; degenerate vertices
    add a search of the other polytope and a ``(degenerate vertices) x V'`` mask comparison.
    Floating point throughout, with tolerance 1e-9 on payoffs normalised to [1, 2]; the caller
    verifies every equilibrium (and :func:`gametheory.solve` does so exactly where payoffs are
    decimals).
    """
    m, n = A.shape
    if m > n:
        found = bimatrix_equilibria(B.T, A.T)
        return Enumerated(
            (found.strategies[1], found.strategies[0]),
            found.degenerate,
            found.vertices,
            found.careful,
        )
    An, Bn = normalised(A), normalised(B)
    try:
        return _equilibria(An, Bn, careful=False)
    except DegenerateVertexError:
        return _equilibria(An, Bn, careful=True)


def _equilibria(An: NDArray[np.float64], Bn: NDArray[np.float64], *, careful: bool) -> Enumerated:
    m, n = An.shape
    max_bases = vertex_bound(m, m + n)
    xs: list[NDArray[np.float64]] = []
    ys: list[NDArray[np.float64]] = []
    hard_points: list[NDArray[np.float64]] = []
    hard_masks: list[NDArray[np.int64]] = []
    vertex_keys = KeySet()
    label_bit = np.int64(1) << np.arange(m + n, dtype=np.int64)
    # Vertices wait in blocks of PAIR_BLOCK for their partners (fewer, larger batched solves).
    waiting: list[tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.int64]]] = []
    held = 0
    # P's variables are x (labels 0..m-1) then the column slacks (labels m..m+n-1).
    for beta, basic in polytope_bases(Bn.T, careful=careful, max_bases=max_bases):
        values = np.zeros((len(beta), m + n))
        np.put_along_axis(values, basic, beta, axis=1)
        zero = values <= ZERO_TOL
        masks = (zero * label_bit).sum(axis=1)
        # Several bases of a degenerate vertex share its label set; keep one; drop x = 0.
        keep = ~zero[:, :m].all(axis=1)
        if careful:
            _, first = np.unique(masks, return_index=True)
            once = np.zeros(len(masks), dtype=bool)
            once[first] = True
            keep &= once
            keep[keep] = vertex_keys.add(masks[keep])
        else:
            vertex_keys.count += int(keep.sum())
        waiting.append((values[keep, :m], zero[keep], masks[keep]))
        held += int(keep.sum())
        if held >= PAIR_BLOCK:
            _pair(An, waiting, xs, ys, hard_points, hard_masks)
            waiting, held = [], 0
    _pair(An, waiting, xs, ys, hard_points, hard_masks)
    degenerate: bool | None = True if careful else None
    if hard_points:
        x_hard, y_hard, q_degenerate = _match_masks(
            An, np.concatenate(hard_points), np.concatenate(hard_masks)
        )
        xs.append(x_hard)
        ys.append(y_hard)
        degenerate = careful or q_degenerate
    x_all = np.concatenate(xs) if xs else np.zeros((0, m))
    y_all = np.concatenate(ys) if ys else np.zeros((0, n))
    return Enumerated(
        (x_all / x_all.sum(axis=1, keepdims=True), y_all / y_all.sum(axis=1, keepdims=True)),
        degenerate,
        len(vertex_keys),
        careful,
    )


def _pair(
    An: NDArray[np.float64],
    waiting: list[tuple[NDArray[np.float64], NDArray[np.bool_], NDArray[np.int64]]],
    xs: list[NDArray[np.float64]],
    ys: list[NDArray[np.float64]],
    hard_points: list[NDArray[np.float64]],
    hard_masks: list[NDArray[np.int64]],
) -> None:
    """Partners of the waiting vertices; degenerate or singular ones are set aside as hard."""
    if not waiting:
        return
    m = An.shape[0]
    x = np.concatenate([w[0] for w in waiting])
    zero = np.concatenate([w[1] for w in waiting])
    masks = np.concatenate([w[2] for w in waiting])
    simple = zero.sum(axis=1) == m
    x_pairs, y_pairs, unsolved = _partners(An, x[simple], zero[simple])
    xs.append(x_pairs)
    ys.append(y_pairs)
    hard = ~simple
    hard[np.nonzero(simple)[0][unsolved]] = True
    if hard.any():
        hard_points.append(x[hard])
        hard_masks.append(masks[hard])


def _partners(
    An: NDArray[np.float64], x: NDArray[np.float64], zero: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int64]]:
    """The column player's vertex completing each nondegenerate row vertex, where one exists.

    A vertex ``x`` with support ``S`` and tight columns ``T`` (``|S| = |T|``) needs ``y`` with
    ``(A y)_i = 1`` on ``S`` and ``y = 0`` off ``T``: one square system per vertex.

    Returns the matched ``x``, their ``y``, and the indices of vertices whose system is singular
    (their face of ``Q`` may be more than a point; the caller matches them by labels).
    """
    m, n = An.shape
    support = ~zero[:, :m]
    tight = zero[:, m:]
    size = support.sum(axis=1)
    x_out, y_out, unsolved = [np.zeros((0, m))], [np.zeros((0, n))], [np.zeros(0, np.int64)]
    for t in np.unique(size).tolist():
        rows = np.nonzero(size == t)[0]
        S = np.nonzero(support[rows])[1].reshape(len(rows), t)
        T = np.nonzero(tight[rows])[1].reshape(len(rows), t)
        y_free, ok = _solve_ones(An[S[:, :, None], T[:, None, :]])
        # Few systems give y >= 0 (about 2% on a random 20x20): check A y <= 1 on those only.
        candidate = np.nonzero(ok & (y_free >= -ZERO_TOL).all(axis=1))[0]
        y = np.zeros((len(candidate), n))
        np.put_along_axis(y, T[candidate], y_free[candidate], axis=1)
        feasible = (y @ An.T <= 1.0 + ZERO_TOL).all(axis=1)
        x_out.append(x[rows[candidate[feasible]]])
        y_out.append(np.clip(y[feasible], 0.0, None))
        unsolved.append(rows[~ok])
    return np.concatenate(x_out), np.concatenate(y_out), np.concatenate(unsolved)


def _solve_ones(
    systems: NDArray[np.float64],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Solve ``M y = 1`` for a batch of square systems (entries in [1, 2]); flag singular ones.

    One LAPACK factorisation per system solves for two right-hand sides, ones and a fixed
    random vector ``r``: ``|M^-1 r|`` estimates ``1 / sigma_min`` (a random ``r`` has a
    component along the least singular direction), so a system whose estimated condition
    number exceeds ``1 / SINGULAR_DET`` is flagged singular. Exactly singular systems make
    LAPACK fail; the batch is then redone with determinants relative to Hadamard's bound.
    """
    count, t, _ = systems.shape
    if t <= 3:
        return solve_small(systems)
    rhs = np.empty((t, 2))  # broadcast over the batch
    rhs[:, 0] = 1.0
    rhs[:, 1] = _PROBE[:t]
    try:
        solution = np.asarray(np.linalg.solve(systems, rhs), dtype=np.float64)
    except np.linalg.LinAlgError:
        sign, logdet = np.linalg.slogdet(systems)
        bound = np.log(np.linalg.norm(systems, axis=2)).sum(axis=1)
        ok = (sign != 0) & (logdet - bound > np.log(SINGULAR_DET))
        y = np.zeros((count, t))
        if ok.any():
            y[ok] = np.linalg.solve(systems[ok], np.ones((int(ok.sum()), t, 1)))[:, :, 0]
        return y, ok
    # Entries are in [1, 2] (normalised payoffs), so 2 t bounds the infinity norm of M.
    probe = np.abs(solution[:, :, 1]).max(axis=1) * (2.0 * t)
    well = (probe < 1.0 / SINGULAR_DET) & np.isfinite(solution[:, :, 0]).all(axis=1)
    return solution[:, :, 0], np.asarray(well, dtype=bool)


def _match_masks(
    An: NDArray[np.float64],
    x: NDArray[np.float64],
    x_masks: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], bool]:
    """Pair row vertices with every column vertex whose labels complete theirs."""
    m, n = An.shape
    label_bit = np.int64(1) << np.arange(m + n, dtype=np.int64)
    points, masks = [], []
    seen = KeySet()
    # Q's variables are y (labels m..m+n-1) then the row slacks (labels 0..m-1).
    variable_label = np.concatenate([label_bit[m:], label_bit[:m]])
    for beta, basic in polytope_bases(An, careful=True, max_bases=vertex_bound(n, m + n)):
        values = np.zeros((len(beta), m + n))
        np.put_along_axis(values, basic, beta, axis=1)
        zero = values <= ZERO_TOL
        mask = (zero * variable_label).sum(axis=1)
        keep = ~zero[:, :n].all(axis=1)
        _, first = np.unique(mask, return_index=True)
        once = np.zeros(len(mask), dtype=bool)
        once[first] = True
        keep &= once
        keep[keep] = seen.add(mask[keep])
        points.append(values[keep, :n])
        masks.append(mask[keep])
    y_all = np.concatenate(points)
    y_masks = np.concatenate(masks)
    q_degenerate = bool((((y_masks[:, None] >> np.arange(m + n)) & 1).sum(axis=1) > n).any())
    full = (np.int64(1) << np.int64(m + n)) - 1
    x_out, y_out = [], []
    step = max(1, 1_000_000 // max(1, len(y_masks)))
    for start in range(0, len(x_masks), step):
        block = x_masks[start : start + step]
        i, j = np.nonzero((block[:, None] | y_masks[None, :]) == full)
        x_out.append(x[start + i])
        y_out.append(y_all[j])
    return (
        np.concatenate(x_out) if x_out else np.zeros((0, m)),
        np.concatenate(y_out) if y_out else np.zeros((0, n)),
        q_degenerate,
    )
