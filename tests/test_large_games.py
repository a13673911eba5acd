"""All extreme equilibria of larger two-player games (issue 12, part 1).

Expected values come from independent sources: Gambit's ``enummixed`` (pygambit 17, its own
exact vertex enumeration), scipy's Qhull (vertex counts of the best-response polytopes),
McMullen's upper-bound theorem, and closed forms for the reductions. Timings are in
``benchmarks/large_games.py``, not here.
"""

from __future__ import annotations

import json
import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.solvers.lexsearch import KeySet, bimatrix_equilibria, polytope_bases, vertex_bound
from gametheory.solvers.polytope import normalised
from gametheory.solvers.reduce import expand, reduce_bimatrix

from .conftest import regret_bimatrix, same_profiles

DATA = Path(__file__).parent / "data"
LONDON = "payoffs/london_talks_2025_sequential.toml"


def exact_regret_is_zero(A, B, x, y) -> bool:
    """Exact equilibrium check in rationals (payoffs are integers or short decimals)."""
    A = [[Fraction(str(v)) for v in row] for row in np.asarray(A).tolist()]
    B = [[Fraction(str(v)) for v in row] for row in np.asarray(B).tolist()]
    x = [Fraction(v).limit_denominator(10**12) for v in x]
    y = [Fraction(v).limit_denominator(10**12) for v in y]
    rows = [sum(a * q for a, q in zip(row, y, strict=True)) for row in A]
    cols = [sum(B[i][j] * x[i] for i in range(len(x))) for j in range(len(y))]
    row_value = sum(p * r for p, r in zip(x, rows, strict=True))
    col_value = sum(q * c for q, c in zip(y, cols, strict=True))
    return max(rows) == row_value and max(cols) == col_value


def gambit_equilibria(A, B, rational: bool = True):
    """Gambit's extreme equilibria as flat float arrays (rational arithmetic by default)."""
    gbt = pytest.importorskip("pygambit", reason="pygambit not installed ([gambit] extra)")

    def exact(M):
        return np.array(
            [[Fraction(str(v)) for v in row] for row in np.asarray(M).tolist()], dtype=object
        )

    game = gbt.StrategicGame.from_arrays(exact(A), exact(B))
    result = gbt.nash.enummixed_solve(game, rational=rational)
    return [np.array([float(p) for player in eq for _, p in player]) for eq in result.equilibria]


def flat(result):
    return [np.concatenate(eq.strategies) for eq in result.equilibria]


# Sizes above 6x6 (more than 1,000 bases) take the reduction + lexicographic search path.
SIZES = [(6, 7), (7, 6), (7, 7), (7, 8), (8, 8)]


@pytest.mark.parametrize(("m", "n"), SIZES)
def test_same_extreme_equilibria_as_gambit_on_continuous_games(m, n):
    rng = np.random.default_rng(100 * m + n)
    A = np.round(rng.uniform(-5, 5, (m, n)), 2)
    B = np.round(rng.uniform(-5, 5, (m, n)), 2)
    result = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    assert "reduction" in result.details  # the new engine ran
    # Gambit in floating point here (its rational mode takes seconds on decimals).
    assert same_profiles(flat(result), gambit_equilibria(A, B, rational=False), atol=1e-7)


@pytest.mark.parametrize(
    ("m", "n", "seed"), [(6, 7, 1), (7, 6, 2), (7, 7, 3), (7, 7, 4), (8, 8, 5)]
)
def test_same_extreme_equilibria_as_gambit_on_degenerate_integer_games(m, n, seed):
    rng = np.random.default_rng(seed)
    A = rng.integers(0, 10, (m, n))
    B = rng.integers(0, 10, (m, n))
    result = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    assert same_profiles(flat(result), gambit_equilibria(A, B), atol=1e-9)
    for eq in result.equilibria:
        x, y = eq.strategies
        assert regret_bimatrix(A, B, x, y) <= 1e-9
        assert exact_regret_is_zero(A, B, x, y)


def test_tiny_payoff_alphabet_is_highly_degenerate_and_still_exact():
    # Payoffs 0..2 on 7x7: many ties at every vertex (the lexicographic rule is needed).
    rng = np.random.default_rng(7)
    A, B = rng.integers(0, 3, (7, 7)), rng.integers(0, 3, (7, 7))
    result = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    assert result.degenerate
    assert same_profiles(flat(result), gambit_equilibria(A, B), atol=1e-9)


def test_every_profile_passes_the_regret_check_on_a_15x15_game():
    rng = np.random.default_rng(15)
    A, B = rng.random((15, 15)), rng.random((15, 15))
    result = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    assert len(result) >= 1 and len(result) % 2 == 1  # nondegenerate: an odd number
    assert result.complete
    for eq in result.equilibria:
        assert regret_bimatrix(A, B, *eq.strategies) <= 1e-9


def test_vertex_counts_agree_with_qhull():
    # Qhull (scipy.spatial.ConvexHull) on the polar of P = {x >= 0, B^T x <= 1}: each facet of
    # the polar is a vertex of P (the zero vertex included).
    from scipy.spatial import ConvexHull

    rng = np.random.default_rng(3)
    M = normalised(rng.random((9, 8)))  # 9 constraints, dimension 8
    k, d = M.shape
    G = np.vstack([-np.eye(d), M])
    h = np.concatenate([np.zeros(d), np.ones(k)])
    centre = np.full(d, 0.5 / M.sum(axis=1).max())
    hull = ConvexHull(G / (h - G @ centre)[:, None])
    qhull_vertices = len(np.unique(np.round(hull.equations, 9), axis=0))
    ours = sum(len(beta) for beta, _ in polytope_bases(M, careful=False, max_bases=10**6))
    assert ours == qhull_vertices
    assert ours <= vertex_bound(d, d + k)


def test_upper_bound_theorem_values():
    # McMullen: the dual cyclic 4-polytope with 8 facets has 8 * 5 / 2 = 20 vertices; a
    # d-cube-like bound for d = 2: an N-gon has N vertices.
    assert vertex_bound(4, 8) == 20
    assert vertex_bound(2, 7) == 7
    assert vertex_bound(3, 6) == 2 * 6 - 4  # simple 3-polytopes: 2N - 4 vertices


def test_keyset_reports_new_keys_once():
    keys = KeySet(bits=2)
    assert keys.add(np.array([5, 9, 13], dtype=np.int64)).tolist() == [True, True, True]
    assert keys.add(np.array([9, 21], dtype=np.int64)).tolist() == [False, True]
    big = np.arange(1, 5000, dtype=np.int64)
    assert keys.add(big).sum() == 4999 - 4  # 5, 9, 13, 21 already there
    assert len(keys) == 4999


# --- reduction -------------------------------------------------------------------------------


def test_duplicate_rows_give_every_split_as_an_extreme_equilibrium():
    # Matching pennies with the row player's first action duplicated: the unique equilibrium
    # (1/2, 1/2; 1/2, 1/2) of the reduced game splits its first half over the two copies, so
    # the full game's equilibria are a segment with extreme points (1/2, 0, 1/2) and
    # (0, 1/2, 1/2) (Gambit agrees below).
    A = np.array([[1, -1], [1, -1], [-1, 1]])
    reduced = reduce_bimatrix(A.astype(float), -A.astype(float))
    assert [c.tolist() for c in reduced.row_classes] == [[0, 1], [2]]
    profiles, cut = expand(reduced, np.array([0.5, 0.5]), np.array([0.5, 0.5]), (3, 2), 10)
    assert not cut
    assert {tuple(x) for x, _ in profiles} == {(0.5, 0.0, 0.5), (0.0, 0.5, 0.5)}


def test_dominated_and_duplicate_strategies_in_a_large_game():
    # A 3x3 game padded to 6x9: rows 3..5 are strictly dominated copies (payoff - 10 for the
    # row player), columns 3..5 duplicate columns 0..2, columns 6..8 are strictly dominated
    # copies; the answer must equal Gambit's on the full game.
    rng = np.random.default_rng(11)
    core_A, core_B = rng.integers(0, 6, (3, 3)), rng.integers(0, 6, (3, 3))
    A = np.zeros((6, 9), dtype=int)
    B = np.zeros((6, 9), dtype=int)
    for i in range(6):
        for j in range(9):
            A[i, j] = core_A[i % 3, j % 3] - (i >= 3) * 10
            B[i, j] = core_B[i % 3, j % 3] - (j >= 6) * 10
    reduced = reduce_bimatrix(A.astype(float), B.astype(float))
    assert reduced.A.shape[0] <= 3 and reduced.A.shape[1] <= 3
    assert reduced.dominated >= 3 + 3 and reduced.merged >= 2
    kept = sum(len(c) for c in reduced.row_classes + reduced.col_classes)
    assert kept + reduced.dominated == 6 + 9
    result = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    assert same_profiles(flat(result), gambit_equilibria(A, B), atol=1e-9)


def test_london_sequential_normal_form_matches_gambit_fixture():
    fixture = json.loads((DATA / "london_sequential_enummixed.json").read_text())
    game = gt.load(LONDON).game()
    assert list(game.shape) == fixture["shape"]
    expected = [
        np.array([float(Fraction(p)) for player in eq for p in player])
        for eq in fixture["equilibria"]
    ]
    result = gt.solve(game, "vertex_enumeration")
    assert len(result) == fixture["distinct"] == 16
    assert same_profiles(flat(result), expected, atol=1e-12)
    assert result.details["exactly_verified"] == len(result)
    # Gambit lists each extreme equilibrium; the sixteen are one connected set (one component).
    assert len(result.details["components"]) == 1
    assert not result.complete  # a continuum: honestly not "every equilibrium"
    assert gt.solve(game).method == "vertex_enumeration"


def test_limits_are_checked_before_computing():
    rng = np.random.default_rng(0)
    game = gt.Game.from_arrays(rng.random((24, 24)), rng.random((24, 24)))
    info = gt.methods()["vertex_enumeration"]
    assert info.work(game) == vertex_bound(24, 48) > info.max_work
    with pytest.raises(gt.SolverError, match="would need about"):
        gt.solve(game, "vertex_enumeration")


def test_lexsearch_swaps_players_when_the_column_player_has_fewer_strategies():
    rng = np.random.default_rng(21)
    A, B = rng.random((9, 5)), rng.random((9, 5))
    found = bimatrix_equilibria(A, B)
    x, y = found.strategies
    assert x.shape[1] == 9 and y.shape[1] == 5
    flipped = bimatrix_equilibria(B.T, A.T)
    assert same_profiles(
        [np.concatenate(p) for p in zip(x, y, strict=True)],
        [np.concatenate(p) for p in zip(flipped.strategies[1], flipped.strategies[0], strict=True)],
    )


# --- invariances (DESIGN.md section 6) -------------------------------------------------------


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=15)
@given(
    seed=st.integers(0, 10**6),
    scale=st.sampled_from([0.5, 3.0, 7.0]),
    shift=st.sampled_from([-4.0, 0.0, 2.5]),
)
def test_invariant_under_positive_affine_changes_and_relabelling(seed, scale, shift):
    rng = np.random.default_rng(seed)
    m, n = (int(v) for v in rng.integers(6, 9, 2))
    A, B = rng.integers(0, 10, (m, n)), rng.integers(0, 10, (m, n))
    base = flat(gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration"))
    affine = flat(gt.solve(gt.Game.from_arrays(A * scale + shift, B * 2 - 3), "vertex_enumeration"))
    assert same_profiles(base, affine, atol=1e-9)
    rows, cols = rng.permutation(m), rng.permutation(n)
    permuted = gt.solve(
        gt.Game.from_arrays(A[rows][:, cols], B[rows][:, cols]), "vertex_enumeration"
    )
    back = [
        np.concatenate([p[:m][np.argsort(rows)], p[m:][np.argsort(cols)]]) for p in flat(permuted)
    ]
    assert same_profiles(base, back, atol=1e-9)


def test_math_sanity_of_work_estimate():
    # 12x12: the 12-polytope with 24 facets, C(18, 6) + C(17, 5).
    assert vertex_bound(12, 24) == math.comb(18, 6) + math.comb(17, 5)


@pytest.mark.parametrize("side", ["none", "row payoffs", "column payoffs"])
def test_is_degenerate_beyond_the_batch_matches_every_basis(side: str) -> None:
    """Beyond the batched size `is_degenerate` pivots over each polytope and stops at the first
    degenerate vertex. Oracle: the definition (von Stengel 2007, Def. 3.2: some vertex of a
    best-response polytope has more labels than its dimension) checked on every basis."""
    from gametheory.solvers import is_degenerate
    from gametheory.solvers.polytope import bimatrix_vertices

    rng = np.random.default_rng({"none": 1, "row payoffs": 2, "column payoffs": 3}[side])
    A, B = rng.random((10, 11)), rng.random((10, 11))
    if side == "row payoffs":
        A = np.round(A * 3)  # ties in A: degenerate vertices of Q only
    elif side == "column payoffs":
        B = np.round(B * 3)  # ties in B: degenerate vertices of P only
    game = gt.Game.from_arrays(A, B)
    P, Q = bimatrix_vertices(*game.bimatrix())
    assert is_degenerate(game) == (P.degenerate or Q.degenerate) == (side != "none")
