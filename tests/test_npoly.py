"""Certified N-player equilibrium enumeration (gametheory.solvers.polyenum).

Independent expectations: closed forms (Jordan's 1993 cyclic matching pennies; Diekmann's 1985
volunteer's dilemma; a 2x2x2 game built here with exactly two totally mixed equilibria, the
most McKelvey and McLennan 1997 allow), exact algebra (sympy solves each support's
indifference system in rational arithmetic), the oddness theorem (Wilson 1971) for generic
games, our two-player vertex enumeration, and pygambit's enumpoly called directly. Every
profile is regret-checked here from the definition.
"""

from __future__ import annotations

import itertools
import math
import os

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import SolverError
from gametheory.solvers.polyenum import MAX_SUPPORT_PROFILES, polynomial_enumeration

from .conftest import flat_profile, regret_n_player

METHOD = "polynomial_enumeration"
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"


regret = regret_n_player
flat = flat_profile


def check_all(game: gt.Game, result) -> None:
    scale = float(game.scales.max())
    for eq in result:
        assert regret(game.payoffs, eq.strategies) <= 1e-9 * scale


def random_game(seed: int, shape, integers: bool = False) -> gt.Game:
    rng = np.random.default_rng(seed)
    if integers:
        return gt.Game.from_arrays(*(rng.integers(0, 4, size=shape) for _ in shape))
    return gt.Game.from_arrays(*(rng.normal(size=shape) for _ in shape))


def exact_equilibria(payoffs: np.ndarray) -> set[tuple[float, ...]] | None:
    """Every equilibrium by exact algebra (sympy), None if some support has a continuum.

    For each support profile: unknowns are the support probabilities, equations are the sums
    to one and the indifferences; sympy's ``solve`` returns the solutions in closed form,
    kept when real and positive with no better action outside the supports (exactly).
    """
    import sympy

    n = payoffs.shape[0]
    shape = payoffs.shape[1:]
    found: set[tuple[float, ...]] = set()
    choices = [
        [c for k in range(1, m + 1) for c in itertools.combinations(range(m), k)] for m in shape
    ]
    for supports in itertools.product(*choices):
        x = [
            [sympy.Symbol(f"x{i}_{a}") if a in supports[i] else sympy.Integer(0) for a in range(m)]
            for i, m in enumerate(shape)
        ]
        unknowns = [v for row in x for v in row if isinstance(v, sympy.Symbol)]

        def value(i, a, x=x):
            total = sympy.Integer(0)
            for s in itertools.product(*(range(m) for m in shape)):
                if s[i] != a:
                    continue
                weight = math.prod((x[q][s[q]] for q in range(n) if q != i), start=sympy.Integer(1))
                total += sympy.Rational(int(payoffs[i][s])) * weight
            return sympy.expand(total)

        equations = [sum(x[i]) - 1 for i in range(n)]
        for i in range(n):
            first = supports[i][0]
            equations += [value(i, a) - value(i, first) for a in supports[i][1:]]
        solutions = sympy.solve(equations, unknowns, dict=True)
        for solution in solutions:
            if any(not solution.get(v, v).is_number for v in unknowns):
                return None  # a continuum: not all unknowns determined
            point = [[sympy.nsimplify(v).subs(solution) for v in row] for row in x]
            if any(not p.is_real or p <= 0 for row in point for p in row if p != 0):
                continue
            best = True
            for i in range(n):
                values = [
                    value(i, a).subs(
                        {
                            v: point[q][b]
                            for q, row in enumerate(x)
                            for b, v in enumerate(row)
                            if isinstance(v, sympy.Symbol)
                        }
                    )
                    for a in range(shape[i])
                ]
                top = values[supports[i][0]]
                if any(sympy.simplify(v - top) > 0 for v in values):
                    best = False
                    break
            if best:
                found.add(flat([np.array([float(p) for p in row]) for row in point]))
    return found


# --- closed forms -------------------------------------------------------------------------


def test_jordans_cyclic_pennies_unique_equilibrium_certified():
    # Jordan (1993): 1 wants to match 2, 2 to match 3, 3 to mismatch 1; the unique equilibrium
    # has everyone mixing 1/2 (no pure profile is stable: the best replies cycle).
    payoffs = np.zeros((3, 2, 2, 2))
    for s in itertools.product((0, 1), repeat=3):
        payoffs[0][s] = 1.0 if s[0] == s[1] else -1.0
        payoffs[1][s] = 1.0 if s[1] == s[2] else -1.0
        payoffs[2][s] = 1.0 if s[2] != s[0] else -1.0
    result = gt.solve(gt.Game.from_arrays(*payoffs), METHOD)
    assert result.complete
    assert len(result) == 1
    for s in result[0].strategies:
        assert s == pytest.approx([0.5, 0.5], abs=1e-12)


def test_volunteers_dilemma_seven_equilibria():
    # Diekmann (1985), b = 2, c = 1 (derivation in tests/test_gambit_nplayer.py): three pure
    # (one volunteers), three with two mixing at 1/2, one symmetric with P(stay) = 1/sqrt(2).
    b, c = 2.0, 1.0
    payoffs = np.zeros((3, 2, 2, 2))
    for s in itertools.product((0, 1), repeat=3):
        someone = any(a == 0 for a in s)
        for i in range(3):
            payoffs[i][s] = (b if someone else 0.0) - (c if s[i] == 0 else 0.0)
    stay = 1 / math.sqrt(2)
    expected = {
        (1, 0, 0, 1, 0, 1),
        (0, 1, 1, 0, 0, 1),
        (0, 1, 0, 1, 1, 0),
        (0.5, 0.5, 0.5, 0.5, 0, 1),
        (0.5, 0.5, 0, 1, 0.5, 0.5),
        (0, 1, 0.5, 0.5, 0.5, 0.5),
        (1 - stay, stay) * 3,
    }
    expected = {tuple(np.round(e, 6) + 0.0) for e in expected}
    result = gt.solve(gt.Game.from_arrays(*payoffs), METHOD)
    assert {flat(eq.strategies) for eq in result} == expected
    assert result.complete


def two_mixed_game() -> np.ndarray:
    """A 2x2x2 game whose totally mixed equilibria are exactly A and B below.

    With p, q, r each player's probability of its first action, player i's gain from its
    first action is D_i, bilinear in the others' probabilities:
    D1 = 4q - 4r + 1, D2 = 4p + 8r - 7, D3 = 16pq + 4p + 12q - 9. D1 = D2 = 0 give
    q = r - 1/4 and p = 7/4 - 2r; then D3 = 0 is the quadratic with roots r = 3/4 and 1/2:
    A = (1/4, 1/2, 3/4), B = (3/4, 1/4, 1/2). Two is the most a 2x2x2 game can have
    (McKelvey and McLennan 1997). Second actions pay 0.
    """
    payoffs = np.zeros((3, 2, 2, 2))
    for a, b_, c in itertools.product((0, 1), repeat=3):
        p, q, r = 1 - a, 1 - b_, 1 - c  # first action = 1
        payoffs[0][0, b_, c] = 4 * q - 4 * r + 1
        payoffs[1][a, 0, c] = 4 * p + 8 * r - 7
        payoffs[2][a, b_, 0] = 16 * p * q + 4 * p + 12 * q - 9
    return payoffs


def test_two_totally_mixed_equilibria():
    payoffs = two_mixed_game()
    game = gt.Game.from_arrays(*payoffs)
    result = gt.solve(game, METHOD)
    assert result.complete
    mixed = {flat(eq.strategies) for eq in result if all(min(s) > 0 for s in eq.strategies)}
    assert mixed == {
        flat([[0.25, 0.75], [0.5, 0.5], [0.75, 0.25]]),
        flat([[0.75, 0.25], [0.25, 0.75], [0.5, 0.5]]),
    }
    assert {flat(eq.strategies) for eq in result} == exact_equilibria(payoffs)
    assert len(result) % 2 == 1  # oddness (Wilson 1971): this game is generic
    check_all(game, result)


def test_constant_player_gives_continuum_warning():
    # Player 3's payoffs are all zero, so every strategy of player 3 is a best reply: if the
    # others' play is an equilibrium of their 2x2 game for some mixture of player 3, a segment
    # of equilibria follows. Here players 1 and 2 play matching pennies whatever 3 does, so
    # (1/2, 1/2, any r) are all equilibria: a continuum, never listed completely.
    payoffs = np.zeros((3, 2, 2, 2))
    for s in itertools.product((0, 1), repeat=3):
        payoffs[0][s] = 1.0 if s[0] == s[1] else -1.0
        payoffs[1][s] = -payoffs[0][s]
    game = gt.Game.from_arrays(*payoffs)
    result = gt.solve(game, METHOD)
    assert not result.complete
    assert any("continuum" in w for w in result.warnings)
    assert len(result) >= 1
    for eq in result:
        assert eq.strategies[0] == pytest.approx([0.5, 0.5], abs=1e-9)
        assert eq.strategies[1] == pytest.approx([0.5, 0.5], abs=1e-9)
    check_all(game, result)


def test_dominant_strategies_give_one_pure_equilibrium():
    # Each player's first action pays 1 more whatever the others do (a 3-player prisoner's
    # dilemma with private benefit 1, cost shared): the unique equilibrium is pure.
    rng = np.random.default_rng(5)
    base = rng.normal(size=(3, 2, 3, 2))
    payoffs = base.copy()
    payoffs[0][0] = base[0][1] + 1.0
    payoffs[1][:, 0] = np.maximum(base[1][:, 1], base[1][:, 2]) + 1.0
    payoffs[2][:, :, 0] = base[2][:, :, 1] + 1.0
    result = gt.solve(gt.Game.from_arrays(*payoffs), METHOD)
    assert result.complete
    assert [flat(eq.strategies) for eq in result] == [flat([[1, 0], [1, 0, 0], [1, 0]])]
    assert result.details["support_profiles_pruned"] >= 1


# --- exact algebra and peers --------------------------------------------------------------


@pytest.mark.parametrize("seed", range(4 if not THOROUGH else 30))
def test_integer_2x2x2_equals_exact_algebra(seed):
    rng = np.random.default_rng(100 + seed)
    payoffs = rng.integers(-50, 51, size=(3, 2, 2, 2)).astype(float)
    truth = exact_equilibria(payoffs)
    game = gt.Game.from_arrays(*payoffs)
    result = gt.solve(game, METHOD)
    check_all(game, result)
    if truth is None:  # sympy left a family unsolved: inconclusive
        return
    if result.complete:
        assert {flat(eq.strategies) for eq in result} == truth
        assert len(truth) % 2 == 1
    else:  # only allowed for a degenerate game: whatever we list is in the truth
        assert {flat(eq.strategies) for eq in result} <= truth


@pytest.mark.parametrize("seed", range(10))
def test_two_players_equal_vertex_enumeration(seed):
    game = random_game(900 + seed, (3, 3) if seed < 6 else (4, 3))
    ours = gt.solve(game, METHOD)
    reference = gt.solve(game, "vertex_enumeration")
    assert ours.complete and reference.complete
    assert {flat(eq.strategies) for eq in ours} == {flat(eq.strategies) for eq in reference}


SHAPES = [(2, 2, 2), (2, 2, 3), (2, 3, 3)] + ([(3, 3, 3)] if THOROUGH else [])


@pytest.mark.parametrize("seed", range(3 if not THOROUGH else 20))
@pytest.mark.parametrize("shape", SHAPES)
def test_generic_games_complete_and_contain_enumpoly(seed, shape):
    gbt = pytest.importorskip("pygambit")
    game = random_game(1300 + seed, shape)
    result = gt.solve(game, METHOD)
    assert result.complete
    assert len(result) % 2 == 1  # oddness theorem (Wilson 1971), generic game
    check_all(game, result)
    direct = gbt.nash.enumpoly_solve(gbt.StrategicGame.from_arrays(*game.payoffs))
    theirs = {
        flat([np.array([float(p) for _, p in player]) for player in eq]) for eq in direct.equilibria
    }
    assert theirs <= {flat(eq.strategies) for eq in result}


@pytest.mark.parametrize("seed", range(2))
def test_four_players_complete_and_contain_enumpoly(seed):
    gbt = pytest.importorskip("pygambit")
    game = random_game(2000 + seed, (2, 2, 2, 2))
    result = gt.solve(game, METHOD)
    assert result.complete
    assert len(result) % 2 == 1  # oddness theorem (Wilson 1971), generic game
    check_all(game, result)
    direct = gbt.nash.enumpoly_solve(gbt.StrategicGame.from_arrays(*game.payoffs))
    theirs = {
        flat([np.array([float(p) for _, p in player]) for player in eq]) for eq in direct.equilibria
    }
    assert theirs <= {flat(eq.strategies) for eq in result}


@pytest.mark.skipif(not THOROUGH, reason="3x3x3 games with ties take 5-15 s each")
@pytest.mark.parametrize("seed", range(5))
def test_3x3x3_with_ties_pass_regret_and_are_honest(seed):
    game = random_game(1900 + seed, (3, 3, 3), integers=True)
    result = gt.solve(game, METHOD)
    check_all(game, result)
    if not result.complete:
        assert any("continuum" in w or "budget" in w for w in result.warnings)


def test_one_generic_3x3x3_complete():
    game = random_game(0, (3, 3, 3))
    result = gt.solve(game, METHOD)
    assert result.complete
    assert len(result) % 2 == 1
    check_all(game, result)


@pytest.mark.parametrize("seed", range(3))
def test_games_with_ties_pass_regret_and_are_honest(seed):
    game = random_game(1700 + seed, (2, 2, 3), integers=True)
    result = gt.solve(game, METHOD)
    check_all(game, result)
    if not result.complete:
        assert any("continuum" in w or "budget" in w for w in result.warnings)


def grid_equilibria(payoffs: np.ndarray, points: int = 101) -> np.ndarray:
    """Every profile (p, q, r) of a 2x2x2 game on a grid with regret <= 1e-9, from the
    definition: each player's payoff from each action against the others' mixtures."""
    t = np.linspace(0, 1, points)
    grids = np.meshgrid(t, t, t, indexing="ij")
    mixes = [np.stack([g, 1 - g]) for g in grids]
    worst = np.zeros_like(grids[0])
    for i in range(3):
        j, k = (q for q in range(3) if q != i)
        u = np.moveaxis(payoffs[i], (i, j, k), (0, 1, 2))
        values = np.einsum("abc,b...,c...->a...", u, mixes[j], mixes[k])
        mine = (values * mixes[i]).sum(axis=0)
        worst = np.maximum(worst, values.max(axis=0) - mine)
    return t[np.argwhere(worst <= 1e-9)]


def test_complete_lists_of_games_with_ties_miss_nothing_on_a_grid():
    # Integer payoffs 0-3 (many ties). Where our list is proved complete, no profile on a
    # 101-point grid per player is an equilibrium (regret from the definition) unless it is in
    # the list; a continuum would show up as many grid points.
    complete = 0
    for seed in (4, 20, 35, 36, 39, 0, 1):
        rng = np.random.default_rng(5000 + seed)
        payoffs = rng.integers(0, 4, size=(3, 2, 2, 2)).astype(float)
        result = gt.solve(gt.Game.from_arrays(*payoffs), METHOD)
        check_all(gt.Game.from_arrays(*payoffs), result)
        if not result.complete:
            continue
        complete += 1
        ours = np.array([[eq.strategies[i][0] for i in range(3)] for eq in result])
        for point in grid_equilibria(payoffs):
            assert np.abs(ours - point).max(axis=1).min() <= 1e-6, (seed, point)
    assert complete >= 3


# --- limits and auto ----------------------------------------------------------------------


def test_limits_are_checked_before_work():
    with pytest.raises(SolverError, match="support profiles"):
        gt.solve(random_game(1, (4, 4, 4)), METHOD)
    with pytest.raises(SolverError, match="unknowns"):
        polynomial_enumeration(random_game(1, (5, 6)), tol=1e-9)
    assert MAX_SUPPORT_PROFILES >= 343


def test_auto_uses_it_for_small_n_player_games():
    result = gt.solve(random_game(3, (2, 2, 2)))
    assert result.method == METHOD
    assert result.complete
    big = gt.solve(random_game(3, (4, 4, 4)))
    assert big.method != METHOD
