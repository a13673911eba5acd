"""The batched solver: many games at once, checked against Gambit and against itself."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers.batch import bimatrix_batch, pure_batch
from gametheory.solvers.linalg import solve_small

from .conftest import regret_bimatrix, same_profiles

SHAPES = [(2, 2), (2, 3), (3, 2), (3, 3), (3, 4), (4, 4), (4, 5), (5, 5)]


def batch_sets(result, n_games: int) -> list[set[tuple[float, ...]]]:
    sets: list[set[tuple[float, ...]]] = [set() for _ in range(n_games)]
    flat = np.hstack(result.strategies)
    for g, row in zip(result.game, flat, strict=True):
        sets[g].add(tuple(row))
    return sets


@pytest.mark.parametrize("t", [1, 2, 3, 4, 5])
def test_solve_small_solves_and_flags_singular_systems(t: int) -> None:
    rng = np.random.default_rng(t)
    M = rng.uniform(1, 2, size=(500, t, t))
    x, ok = solve_small(M)
    assert ok.all()
    assert np.allclose(np.einsum("kij,kj->ki", M, x), 1.0)
    if t > 1:
        M[:, 0] = M[:, 1]  # two equal rows
        _, ok = solve_small(M)
        assert not ok.any()


@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("integers", [True, False], ids=["integers", "decimals"])
def test_batch_matches_gambit_enummixed(shape, integers) -> None:
    gbt = pytest.importorskip("pygambit", reason="pygambit not installed ([gambit] extra)")
    from .test_gambit_crosscheck import _to_gambit, gambit_extreme_equilibria

    del gbt
    rng = np.random.default_rng(hash(shape) % 2**32 + integers)
    count = 150
    if integers:
        A, B = rng.integers(0, 5, size=(2, count, *shape)).astype(float)
    else:
        A, B = np.round(rng.uniform(-5, 5, size=(2, count, *shape)), 2)
    result = bimatrix_batch(A, B)
    ours = batch_sets(result, count)
    for g in range(count):
        theirs = gambit_extreme_equilibria(_to_gambit(A[g]), _to_gambit(B[g]), digits=None)
        assert same_profiles(ours[g], theirs), g
    assert not result.rejected.any()


def test_batch_answers_do_not_depend_on_the_batch() -> None:
    rng = np.random.default_rng(11)
    A, B = rng.integers(0, 4, size=(2, 400, 3, 4)).astype(float)
    whole = bimatrix_batch(A, B)
    parts = [bimatrix_batch(A[k : k + 1], B[k : k + 1]) for k in range(0, 400, 37)]
    sets = batch_sets(whole, 400)
    for k, part in zip(range(0, 400, 37), parts, strict=True):
        assert same_profiles(batch_sets(part, 1)[0], sets[k])
        assert part.complete[0] == whole.complete[k]
        assert part.degenerate[0] == whole.degenerate[k]


def test_batch_flags_and_components() -> None:
    # von Stengel (2007) degenerate 3x2 example: a segment plus an isolated equilibrium;
    # then a nondegenerate game (battle of the sexes).
    A = np.array([[[3, 3], [2, 5], [0, 6]], [[2, 0], [0, 1], [0, 0]]], dtype=float)
    B = np.array([[[3, 3], [2, 6], [3, 1]], [[1, 0], [0, 2], [-1, -2]]], dtype=float)
    result = bimatrix_batch(A, B)
    assert result.degenerate.tolist() == [True, False]
    assert result.complete.tolist() == [False, True]
    first = result.component[result.game == 0]
    assert sorted(np.bincount(first).tolist()) == [1, 2]
    for g, x, y in zip(result.game, *result.strategies, strict=True):
        assert regret_bimatrix(A[g], B[g], x, y) <= 1e-12


def test_pure_batch_matches_single_games() -> None:
    rng = np.random.default_rng(3)
    payoffs = rng.integers(0, 3, size=(50, 3, 2, 3, 2)).astype(float)
    mask = pure_batch(payoffs)
    for g in range(50):
        game = gt.Game(("A", "B", "C"), (("a", "b"), ("x", "y", "z"), ("p", "q")), payoffs[g])
        single = {tuple(int(np.argmax(s)) for s in eq.strategies) for eq in gt.solve(game, "pure")}
        assert {tuple(i) for i in np.argwhere(mask[g])} == single


def test_removing_dominated_actions_first_changes_no_equilibrium() -> None:
    from gametheory.solvers.batch import bimatrix_batch_reduced, dominance_masks

    rng = np.random.default_rng(8)
    for shape in [(3, 3), (4, 4), (5, 2)]:
        A, B = rng.integers(0, 6, size=(2, 600, *shape)).astype(float)
        full = bimatrix_batch(A, B)
        reduced = bimatrix_batch_reduced(A, B)
        for first, second in zip(batch_sets(full, 600), batch_sets(reduced, 600), strict=True):
            assert same_profiles(first, second)
        assert np.array_equal(full.complete, reduced.complete)
    # Prisoner's dilemma: Quiet is strictly dominated for both.
    rows, cols = dominance_masks(np.array([[[2.0, 0], [3, 1]]]), np.array([[[2.0, 3], [0, 1]]]))
    assert rows.tolist() == [[False, True]] and cols.tolist() == [[False, True]]


def _iterated_strict_dominance(a, b):
    """Iterated removal of pure actions strictly dominated by a pure action, from the
    definition (Osborne and Rubinstein 1994, def. 60.2), one game at a time."""
    rows, cols = list(range(a.shape[0])), list(range(a.shape[1]))
    while True:
        dead_r = [
            r for r in rows if any(all(a[s, c] > a[r, c] for c in cols) for s in rows if s != r)
        ]
        dead_c = [
            c for c in cols if any(all(b[r, d] > b[r, c] for r in rows) for d in cols if d != c)
        ]
        if not dead_r and not dead_c:
            return rows, cols
        rows = [r for r in rows if r not in dead_r]
        cols = [c for c in cols if c not in dead_c]


def test_batched_dominance_matches_the_definition_on_tie_heavy_games():
    from gametheory.solvers.batch import dominance_masks

    rng = np.random.default_rng(8)
    A = rng.integers(0, 4, size=(1500, 5, 3)).astype(float)
    B = rng.integers(0, 4, size=(1500, 5, 3)).astype(float)
    rows, cols = dominance_masks(A, B)
    for g in range(len(A)):
        expected_rows, expected_cols = _iterated_strict_dominance(A[g], B[g])
        assert list(np.flatnonzero(rows[g])) == expected_rows
        assert list(np.flatnonzero(cols[g])) == expected_cols


def test_joint_outcomes_join_each_points_equilibria_in_order():
    from gametheory.sweeps.results import joint_outcomes

    points = np.array([2, 0, 0, 1, 2, 2])
    labels = np.array(["x", "a", "b", "a", "y", "z"], dtype=object)
    assert joint_outcomes(points, labels).tolist() == ["a | b", "a", "x | y | z"]


@pytest.mark.parametrize("t", [2, 3, 4, 5])
def test_games_last_solves_match_lapack_and_flag_singular_bases(t: int) -> None:
    # Reference: LAPACK (numpy.linalg.solve), one system at a time.
    from gametheory.solvers.batch import _bases, _solve_ones

    k = d = t + 1
    rng = np.random.default_rng(40 + t)
    M = rng.uniform(1, 2, size=(60, k, d))
    M[:30, :, 1] = M[:30, :, 0]  # first 30 games: columns 0 and 1 equal
    rows, cols = next((r, c) for r, c in _bases(k, d) if c.shape[1] == t)
    Mt = np.ascontiguousarray(np.moveaxis(M, 0, -1))
    S = Mt[rows[:, :t, None], cols[:, None, :]]
    z, ok = _solve_ones(M, S, rows[:, :t], cols)
    both = (cols == 0).any(axis=1) & (cols == 1).any(axis=1)
    for g in range(60):
        for b in range(len(cols)):
            if g < 30 and both[b]:
                assert not ok[b, g]
                continue
            assert ok[b, g]
            sub = M[g][np.ix_(rows[b, :t], cols[b])]
            assert np.allclose(z[b, :, g], np.linalg.solve(sub, np.ones(t)), atol=1e-9)


def test_four_by_four_determinants_match_lapack() -> None:
    from gametheory.solvers.batch import _det4

    rng = np.random.default_rng(4)
    S = rng.uniform(-2, 2, size=(5, 4, 4, 200))
    det = _det4(S)
    assert np.allclose(det, np.linalg.det(np.moveaxis(S, -1, 1)), atol=1e-12)


@pytest.mark.parametrize("shape", [(4, 4), (5, 5), (6, 4), (3, 6)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_batch_equals_the_single_game_polytope_path_on_tie_heavy_games(shape) -> None:
    # The single-game path enumerates each polytope's vertices separately (polytope.py) and
    # pairs them (enumeration._completely_labelled): the same equilibria, one for one, and the
    # same degeneracy flag, on integer games 0..2 (mostly degenerate, many continua).
    from gametheory.solvers.enumeration import _completely_labelled
    from gametheory.solvers.polytope import bimatrix_vertices

    rng = np.random.default_rng(sum(shape))
    count = 120
    A, B = rng.integers(0, 3, size=(2, count, *shape)).astype(float)
    result = bimatrix_batch(A, B)
    ours = [np.hstack(result.strategies)[result.game == g] for g in range(count)]
    for g in range(count):
        P, Q = bimatrix_vertices(A[g], B[g])
        pairs = _completely_labelled(P, Q)
        theirs = [
            np.concatenate([P.points[i] / P.points[i].sum(), Q.points[j] / Q.points[j].sum()])
            for i, j in pairs
        ]
        assert len(ours[g]) == len(theirs), g
        assert same_profiles(ours[g], theirs), g
        assert result.degenerate[g] == (P.degenerate or Q.degenerate), g
        for row in ours[g]:
            assert regret_bimatrix(A[g], B[g], row[: shape[0]], row[shape[0] :]) <= 1e-9
    assert result.degenerate.mean() > 0.5  # the check exercised degenerate games
