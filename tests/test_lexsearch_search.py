"""The lexicographic search's stack of pending pivots, and mixed-strategy dominance (issue 12).

Expected values come from independent sources: QuantEcon's ``vertex_enumeration`` (Qhull on
the polar polytopes), Gambit's ``enummixed`` (pygambit 17, rational), scipy's Qhull for vertex
counts, and the textbook example of a strategy dominated only by a mixture (Myerson, *Game
Theory*, 1991, section 2.5). Timings are in ``benchmarks/large_games.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import HalfspaceIntersection

import gametheory as gt
from gametheory.solvers import lexsearch
from gametheory.solvers.lexsearch import bimatrix_equilibria, polytope_bases, vertex_bound
from gametheory.solvers.polytope import normalised
from gametheory.solvers.reduce import reduce_bimatrix

from .conftest import regret_bimatrix, same_profiles
from .test_large_games import flat, gambit_equilibria


def quantecon_equilibria(A, B):
    qe = pytest.importorskip("quantecon.game_theory")
    game = qe.NormalFormGame((qe.Player(A), qe.Player(B.T)))
    return [np.concatenate(eq) for eq in qe.vertex_enumeration(game)]


def qhull_vertices(M):
    """Vertices of {z >= 0, M z <= 1} by scipy's Qhull (the zero vertex included)."""
    k, d = M.shape
    halfspaces = np.vstack(
        [np.hstack([M, -np.ones((k, 1))]), np.hstack([-np.eye(d), np.zeros((d, 1))])]
    )
    interior = np.full(d, 0.5 / M.sum(axis=1).max())
    points = HalfspaceIntersection(halfspaces, interior).intersections
    return len(np.unique(np.round(points, 9), axis=0))


# --- the stack of pending pivots --------------------------------------------------------------


@pytest.mark.parametrize("pool", [0, 400, 10**9])
def test_every_vertex_whatever_the_pool(monkeypatch, pool):
    # With no room for parents' dictionaries every child's parent is rebuilt; with some, a mix;
    # the bases found must be the same set, and their vertices Qhull's (a nondegenerate 7x9).
    monkeypatch.setattr(lexsearch, "BLOCK", 16)  # many small blocks: many stack entries
    monkeypatch.setattr(lexsearch, "POOL_ENTRIES", pool)
    rng = np.random.default_rng(5)
    M = normalised(rng.random((9, 7)))
    bases = []
    for beta, basic in polytope_bases(M, careful=False, max_bases=vertex_bound(7, 16)):
        bases.extend(tuple(sorted(b)) for b in basic.tolist())
        assert (beta > 0).all()
    assert len(bases) == len(set(bases))
    assert len(bases) == qhull_vertices(M)


@pytest.mark.parametrize("pool", [0, 10**9])
def test_degenerate_game_with_rebuilt_parents_matches_gambit(monkeypatch, pool):
    # Integer payoffs 0..3 make a degenerate 7x7 (lexicographic rule on); the extreme
    # equilibria must be Gambit's rational enummixed whether parents are stored or rebuilt.
    monkeypatch.setattr(lexsearch, "BLOCK", 8)
    monkeypatch.setattr(lexsearch, "POOL_ENTRIES", pool)
    rng = np.random.default_rng(17)
    A, B = rng.integers(0, 4, (7, 7)), rng.integers(0, 4, (7, 7))
    found = bimatrix_equilibria(A.astype(float), B.astype(float))
    assert found.careful
    mine = [np.concatenate(p) for p in zip(*found.strategies, strict=True)]
    assert same_profiles(mine, gambit_equilibria(A, B), atol=1e-9)
    for x, y in zip(*found.strategies, strict=True):
        assert regret_bimatrix(A, B, x, y) <= 1e-9


@pytest.mark.parametrize("seed", range(4))
def test_random_games_match_quantecon_with_a_small_pool(monkeypatch, seed):
    monkeypatch.setattr(lexsearch, "BLOCK", 64)
    monkeypatch.setattr(lexsearch, "POOL_ENTRIES", 5_000)
    rng = np.random.default_rng(100 + seed)
    A, B = rng.random((9, 10)), rng.random((9, 10))
    found = bimatrix_equilibria(A, B)
    mine = [np.concatenate(p) for p in zip(*found.strategies, strict=True)]
    assert same_profiles(mine, quantecon_equilibria(A, B), atol=1e-7)


# --- dominance by a mixture -------------------------------------------------------------------


def test_row_dominated_only_by_a_mixture_is_removed():
    # Rows (3, 0), (0, 3), (1, 1): the third is beaten by neither pure row but by the
    # half-half mixture, (1.5, 1.5) > (1, 1) (Myerson 1991, section 2.5).
    A = np.array([[3.0, 0.0], [0.0, 3.0], [1.0, 1.0]])
    B = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]])
    reduced = reduce_bimatrix(A, B)
    assert [c.tolist() for c in reduced.row_classes] == [[0], [1]]
    assert reduced.dominated == 1 and reduced.mixed == 1


def test_weak_dominance_by_a_mixture_is_not_removed():
    # (1.5, 1.5) only ties the half-half mixture: weakly dominated rows may be played.
    A = np.array([[3.0, 0.0], [0.0, 3.0], [1.5, 1.5]])
    reduced = reduce_bimatrix(A, np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]))
    assert reduced.A.shape == (3, 2) and reduced.mixed == 0


def test_mixed_dominance_in_a_large_game_keeps_quantecons_equilibria():
    # A random 10x10 with three rows and two columns that are 0.01 below the average of two
    # others (each beaten by that mixture): the solver removes them (and whatever else a
    # mixture dominates), and its equilibria must be QuantEcon's on the full 13x12 game.
    rng = np.random.default_rng(2024)
    A, B = rng.random((10, 10)), rng.random((10, 10))
    for a, b in [(0, 1), (2, 3), (4, 5)]:
        A = np.vstack([A, (A[a] + A[b]) / 2 - 0.01])
        B = np.vstack([B, rng.random(B.shape[1])])
    for a, b in [(0, 1), (6, 7)]:
        B = np.hstack([B, (B[:, [a]] + B[:, [b]]) / 2 - 0.01])
        A = np.hstack([A, rng.random((A.shape[0], 1))])
    assert A.shape == (13, 12)
    reduced = reduce_bimatrix(A, B)
    kept_rows = {i for c in reduced.row_classes for i in c.tolist()}
    kept_cols = {j for c in reduced.col_classes for j in c.tolist()}
    assert not kept_rows & {10, 11, 12} and not kept_cols & {10, 11}
    assert reduced.mixed >= 5 and reduced.dominated == 13 + 12 - len(kept_rows) - len(kept_cols)
    result = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    assert result.details["reduction"]["dominated"] == reduced.dominated
    assert same_profiles(flat(result), quantecon_equilibria(A, B), atol=1e-7)
    for eq in result.equilibria:
        assert regret_bimatrix(A, B, *eq.strategies) <= 1e-9
