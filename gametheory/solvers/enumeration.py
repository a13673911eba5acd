"""All equilibria of two-player games: vertex enumeration and support enumeration.

Both follow von Stengel, "Equilibrium computation for two-player games in strategic and
extensive form" (*Algorithmic Game Theory*, 2007, ch. 3): support enumeration is Algorithm 3.4
(section 3.3), vertex enumeration pairs the completely labelled vertices of the best-response
polytopes (section 3.4; Avis, Rosenberg, Savani and von Stengel, Economic Theory 42, 2010).

Vertex enumeration has two engines. Small games (at most :data:`SMALL_BASES` bases per polytope)
try every basis in one vectorised batch, the code sweeps use. Larger games are first reduced
(:mod:`.reduce`: strictly dominated strategies removed, duplicate strategies merged) and then
the vertices of one best-response polytope are found by lexicographic pivoting
(:mod:`.lexsearch`), at a cost that follows the number of vertices rather than the number of
bases; the answers are mapped back to the full game with the extreme points the duplicates imply.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import TIE_TOL, Game
from .batch import MAX_LABELS, bimatrix_batch
from .cost import bases
from .lexsearch import (
    MAX_VARIABLES,
    TooManyBasesError,
    bimatrix_equilibria,
    has_degenerate_vertex,
    vertex_bound,
)
from .polytope import Vertices, bases_count, bimatrix_vertices, normalised
from .reduce import Reduced, expand, reduce_bimatrix
from .registry import MAX_LISTED, register
from .result import Candidates

__all__ = [
    "MAX_BASES",
    "MAX_VERTICES",
    "enumeration_work",
    "is_degenerate",
    "support_enumeration",
    "vertex_bound",
    "vertex_enumeration",
]

#: Refuse basis-by-basis enumeration (``is_degenerate``) beyond this many bases per polytope.
MAX_BASES = 3_000_000
#: Up to this many bases per polytope, vertex enumeration tries every basis in one batch (the
#: sweep code); beyond it, the game is reduced and its vertices found by lexicographic pivoting.
SMALL_BASES = 1_000
#: Games with more payoff cells than this are not reduced (their work is counted in bases).
MAX_REDUCED_CELLS = 1_000_000
#: Refuse vertex enumeration when the upper-bound theorem allows more vertices than this for the
#: searched polytope (20x20: 40,060,020; random 20x20 games have about 2 million).
MAX_VERTICES = 50_000_000
#: Support pairs tried by support enumeration before a game is refused (about 20 s).
MAX_SUPPORT_PAIRS = 1_000_000
#: Up to this many bases per polytope, single games go through the batched solver (the same
#: code as sweeps); larger ones through the chunked single-game path.
BATCH_MAX_BASES = 200_000

Strategies = tuple[NDArray[np.float64], ...]


def is_degenerate(game: Game) -> bool:
    """Whether a two-player game is degenerate.

    A bimatrix game is nondegenerate when no mixed strategy with support of size ``k`` has more
    than ``k`` pure best responses (von Stengel 2007, Definition 3.2); equivalently, no vertex of
    either best-response polytope has more labels than the polytope's dimension.
    """
    m, n = game.shape
    A, B = game.bimatrix()
    if m + n <= MAX_LABELS and bases_count(m, n) <= BATCH_MAX_BASES:
        found = bimatrix_batch(A[None], B[None])
        return bool(found.degenerate is not None and found.degenerate[0])
    bound = max(vertex_bound(m, m + n), vertex_bound(n, m + n))
    if m + n <= MAX_VARIABLES and bound <= MAX_VERTICES:
        # Pivot over each best-response polytope; stop at the first degenerate vertex.
        An, Bn = normalised(A), normalised(B)
        return has_degenerate_vertex(Bn.T, max_bases=bound) or has_degenerate_vertex(
            An, max_bases=bound
        )
    P, Q = bimatrix_vertices(A, B)
    return P.degenerate or Q.degenerate


@lru_cache(maxsize=16)
def _reduced(game: Game, mixed: bool = True) -> Reduced:
    return reduce_bimatrix(*game.bimatrix(), mixed=mixed)


def enumeration_work(game: Game) -> int:
    """Work of :func:`vertex_enumeration`: bases tried, or a bound on the vertices visited.

    Small games count their ``C(m + n, m)`` bases; larger ones are reduced first and count the
    upper-bound-theorem maximum of vertices of the reduced game's smaller polytope. Games of
    more than :data:`MAX_REDUCED_CELLS` cells, or still more than 62 strategies in all after
    reduction, count bases (far past any limit).
    """
    m, n = game.shape
    if bases_count(m, n) <= SMALL_BASES or m * n > MAX_REDUCED_CELLS:
        return bases_count(m, n)
    reduced = _reduced(game, mixed=False)  # no LPs before the limit check: a safe bound
    m, n = reduced.A.shape
    if bases_count(m, n) <= SMALL_BASES or m + n > MAX_VARIABLES:
        return bases_count(m, n)
    return vertex_bound(min(m, n), m + n)


@register(
    "vertex_enumeration",
    summary="all extreme equilibria of a two-player game, exact on degenerate games",
    two_player_only=True,
    finds="all",
    work=enumeration_work,
    max_work=MAX_VERTICES,
    work_unit="bases or vertices (upper bound) of a best-response polytope",
)
def vertex_enumeration(game: Game, *, tol: float) -> Candidates:
    """Enumerate the extreme equilibria of a bimatrix game from its polytopes' vertices.

    Parameters
    ----------
    game
        A two-player game.
    tol
        Relative tolerance (used by the dispatcher's check; the polytope arithmetic works on
        payoffs normalised to [1, 2] with its own absolute tolerance).

    Returns
    -------
    Candidates
        Every extreme equilibrium. ``complete`` is True when the equilibria are isolated. When
        two extreme equilibria share a strategy of one player, every mix of them is also an
        equilibrium (the equilibrium set contains a continuum); then ``complete`` is False,
        ``details["components"]`` groups the extreme equilibria into connected sets and a
        warning says so.

    Notes
    -----
    Cost: up to :data:`SMALL_BASES` bases per polytope, ``C(m + n, m)`` small linear solves per
    polytope plus one ``|V_P| x |V_Q|`` label product. Beyond, the reduction (``O(m^2 n)``) and
    ``O(V d k)`` arithmetic for the ``V`` vertices of the smaller polytope (dimension ``d``):
    measured here, random 12x12 games in about 0.1 s, 15x15 about 0.5 s, 20x20 about 50-60 s
    (millions of vertices, up to 3 GB); refused past :data:`MAX_VERTICES`
    (the upper-bound theorem).
    Floating-point arithmetic on normalised payoffs with tolerance 1e-9; every equilibrium is
    re-checked by :func:`gametheory.solve`, exactly where payoffs are decimals.
    """
    m, n = game.shape
    if bases_count(m, n) > SMALL_BASES:
        return _reduced_enumeration(game, tol)
    if m + n <= MAX_LABELS and bases_count(m, n) <= BATCH_MAX_BASES:
        A, B = game.bimatrix()
        found = bimatrix_batch(A[None], B[None], tol)
        profiles = list(zip(found.strategies[0], found.strategies[1], strict=True))
        degenerate = bool(found.degenerate is not None and found.degenerate[0])
        shared = len(set(found.component.tolist())) < len(found.component)
    else:
        P, Q = bimatrix_vertices(*game.bimatrix())
        pairs = _completely_labelled(P, Q)
        profiles = [
            (P.points[i] / P.points[i].sum(), Q.points[j] / Q.points[j].sum()) for i, j in pairs
        ]
        degenerate = P.degenerate or Q.degenerate
        shared = len({i for i, _ in pairs}) < len(pairs) or len({j for _, j in pairs}) < len(pairs)
    # Two extreme equilibria sharing one player's strategy span a segment of equilibria.
    continuum = bool(shared)
    warnings = _warnings(degenerate, continuum)
    return Candidates(profiles, complete=not continuum, warnings=warnings, degenerate=degenerate)


def _warnings(degenerate: bool, continuum: bool) -> list[str]:
    """What vertex enumeration says about a degenerate game and a continuum of equilibria."""
    warnings = []
    if degenerate:
        warnings.append(
            "the game is degenerate (a strategy has more pure best responses than "
            "the size of its support)"
        )
    if continuum:
        warnings.append(
            "the game has infinitely many equilibria: the listed extreme equilibria span "
            "connected sets (details['components']); every convex combination of extreme "
            "equilibria that share a strategy is also an equilibrium"
        )
    return warnings


def _reduced_enumeration(game: Game, tol: float) -> Candidates:
    """Reduce the game, enumerate the reduced game, map its equilibria back."""
    reduced = _reduced(game)
    m_full, n_full = game.bimatrix()[0].shape
    m, n = reduced.A.shape
    details: dict[str, object] = {
        "reduction": {
            "shape": [m, n],
            "dominated": reduced.dominated,
            "merged_duplicates": reduced.merged,
        }
    }
    warnings: list[str] = []
    if bases_count(m, n) <= SMALL_BASES:
        small = vertex_enumeration(Game.from_arrays(reduced.A, reduced.B), tol=tol)
        pairs = [(p[0], p[1]) for p in small.profiles]
        degenerate = bool(small.degenerate)
        searched = True
    else:
        if m + n > MAX_VARIABLES:
            raise SolverError(
                f"vertex enumeration handles at most {MAX_VARIABLES} strategies in all after "
                f"reduction; this game has {m + n}"
            )
        try:
            found = bimatrix_equilibria(reduced.A, reduced.B)
        except TooManyBasesError:
            raise SolverError(
                "vertex enumeration met more bases than the upper-bound theorem allows: the "
                "payoffs are too badly scaled for floating-point pivoting"
            ) from None
        pairs = list(zip(*found.strategies, strict=True))
        degenerate = bool(found.degenerate)
        searched = found.degenerate is not None
        details["vertices"] = found.vertices
    profiles: list[tuple[np.ndarray, np.ndarray]] = []
    truncated = False
    for x, y in pairs:
        more, cut = expand(reduced, x, y, (m_full, n_full), MAX_LISTED + 1 - len(profiles))
        profiles.extend(more)
        truncated |= cut
    if truncated or len(profiles) > MAX_LISTED:
        warnings.append(
            f"the duplicate strategies imply more than {MAX_LISTED:,} extreme equilibria; "
            f"the first {MAX_LISTED:,} are listed"
        )
    xs = {tuple(np.round(p[0], 9)) for p in profiles}
    ys = {tuple(np.round(p[1], 9)) for p in profiles}
    continuum = len(xs) < len(profiles) or len(ys) < len(profiles)
    degenerate = degenerate or reduced.merged > 0
    warnings += _warnings(degenerate, continuum)
    return Candidates(
        profiles,
        complete=not continuum and not truncated,
        warnings=warnings,
        details=details,
        degenerate=True if degenerate else (False if searched else None),
    )


def _completely_labelled(P: Vertices, Q: Vertices) -> list[tuple[int, int]]:
    """Index pairs of vertices whose labels together cover every label."""
    if not len(P.points) or not len(Q.points):
        return []
    missing_both = (~P.labels).astype(np.int64) @ (~Q.labels).astype(np.int64).T
    i, j = np.nonzero(missing_both == 0)
    return list(zip(i.tolist(), j.tolist(), strict=True))


@register(
    "support_enumeration",
    summary="all equilibria of a nondegenerate two-player game, by equal-size supports",
    two_player_only=True,
    finds="all",
    work=bases,
    max_work=MAX_SUPPORT_PAIRS,
    work_unit="support pairs",
)
def support_enumeration(game: Game, *, tol: float) -> Candidates:
    """Enumerate equilibria by trying every pair of equal-size supports.

    For supports ``I`` (rows) and ``J`` (columns) with ``|I| = |J| = k``, solve the indifference
    equations ``sum_j A[i, j] y_j = v`` (``i in I``), ``sum_i B[i, j] x_i = u`` (``j in J``),
    and keep solutions that are non-negative and best responses (von Stengel 2007, Algorithm 3.4).
    All ``k`` at once are solved as one batch.

    Returns
    -------
    Candidates
        ``complete`` is True only for nondegenerate games (checked from the polytopes); in a
        degenerate game equal-size supports can miss equilibria, which a warning states.

    Notes
    -----
    Cost: ``sum_k C(m, k) C(n, k) = C(m + n, m) - 1`` linear solves. Best responses are decided
    with :data:`~gametheory.model.game.TIE_TOL` relative to each player's payoff range, not exact
    comparisons, so round-off such as ``-4.6e-17`` does not discard a true equilibrium.
    """
    A, B = game.bimatrix()
    eps_row, eps_col = TIE_TOL * game.scales
    m, n = game.shape
    profiles: list[Strategies] = []
    for k in range(1, min(m, n) + 1):
        rows = np.array(list(itertools.combinations(range(m), k)), dtype=np.int64)
        cols = np.array(list(itertools.combinations(range(n), k)), dtype=np.int64)
        row_support = np.repeat(rows, len(cols), axis=0)
        col_support = np.tile(cols, (len(rows), 1))
        block = (row_support[:, :, None], col_support[:, None, :])
        y, ok_y = _indifferent(A[block], n, col_support)
        x, ok_x = _indifferent(np.swapaxes(B[block], 1, 2), m, row_support)
        ok = ok_x & ok_y
        x, y = x[ok], y[ok]
        row_values = y @ A.T  # (S, m): payoff of each row against y
        col_values = x @ B  # (S, n)
        row_regret = row_values.max(axis=1) - np.einsum("sm,sm->s", row_values, x)
        col_regret = col_values.max(axis=1) - np.einsum("sn,sn->s", col_values, y)
        best = (row_regret <= eps_row) & (col_regret <= eps_col)
        profiles.extend((x[s], y[s]) for s in np.nonzero(best)[0])
    degenerate = is_degenerate(game)
    warnings = []
    if degenerate:
        warnings.append(
            "the game is degenerate: support enumeration over equal-size supports may miss "
            "equilibria; use method 'vertex_enumeration' for every extreme equilibrium"
        )
    return Candidates(profiles, complete=not degenerate, warnings=warnings, degenerate=degenerate)


def _indifferent(
    sub: NDArray[np.float64], size: int, support: NDArray[np.int64]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Solve ``sub @ p = v 1, sum p = 1`` for a batch of square ``sub``; embed ``p`` in R^size.

    Returns the embedded probability vectors and which systems were non-singular with
    non-negative solutions.
    """
    count, k, _ = sub.shape
    system = np.zeros((count, k + 1, k + 1))
    system[:, :k, :k] = sub
    system[:, :k, k] = -1.0
    system[:, k, :k] = 1.0
    rhs = np.zeros((count, k + 1))
    rhs[:, k] = 1.0
    det = np.linalg.det(system)
    ok = np.abs(det) > 1e-12 * np.prod(np.linalg.norm(system, axis=2), axis=1)
    solution = np.zeros((count, k + 1))
    if ok.any():
        solution[ok] = np.linalg.solve(system[ok], rhs[ok][:, :, None])[:, :, 0]
    p = solution[:, :k]
    ok &= (p >= -1e-12).all(axis=1)
    p = np.clip(p, 0.0, None)
    full = np.zeros((count, size))
    np.put_along_axis(full, support, p, axis=1)
    return full, ok
