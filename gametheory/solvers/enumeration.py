"""All equilibria of two-player games: vertex enumeration and support enumeration.

Both follow von Stengel, "Equilibrium computation for two-player games in strategic and
extensive form" (*Algorithmic Game Theory*, 2007, ch. 3): support enumeration is Algorithm 3.4
(section 3.3), vertex enumeration pairs the completely labelled vertices of the best-response
polytopes (section 3.4; Avis, Rosenberg, Savani and von Stengel, Economic Theory 42, 2010).
"""

from __future__ import annotations

import itertools

import numpy as np
from numpy.typing import NDArray

from ..model.game import TIE_TOL, Game
from .batch import MAX_LABELS, bimatrix_batch
from .cost import bases
from .polytope import Vertices, bases_count, bimatrix_vertices
from .registry import register
from .result import Candidates

__all__ = ["MAX_BASES", "is_degenerate", "support_enumeration", "vertex_enumeration"]

#: Refuse enumeration beyond this many bases per polytope (about 14x14); use lemke_howson.
MAX_BASES = 3_000_000
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
    P, Q = bimatrix_vertices(A, B)
    return P.degenerate or Q.degenerate


@register(
    "vertex_enumeration",
    summary="all extreme equilibria of a two-player game, exact on degenerate games",
    two_player_only=True,
    finds="all",
    work=bases,
    max_work=MAX_BASES,
    work_unit="bases per best-response polytope",
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
    Cost: ``C(m + n, m)`` small linear solves per polytope plus one ``|V_P| x |V_Q|`` label
    product, so it suits games up to about 10x10; beyond that use ``lemke_howson``.
    Floating-point arithmetic on normalised payoffs; near-singular bases (a pivot
    below 1e-11) are treated as singular.
    """
    m, n = game.shape
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
    return Candidates(profiles, complete=not continuum, warnings=warnings, degenerate=degenerate)


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
