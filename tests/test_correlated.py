"""Correlated and coarse correlated equilibria (gametheory.solvers.correlated).

Expected values come from Aumann (1974) and hand derivations written out below; every
returned distribution is re-checked against the obedience inequalities written here from the
definition, not with the module's own checker.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import SolverError
from gametheory.solvers.correlated import (
    correlated_equilibrium,
    obedience_gains,
    product_distribution,
)

# Chicken as in Aumann (1974), section 9: payoffs 6, 7, 2, 0 (C = chicken out, D = dare).
CHICKEN = gt.Game.from_arrays(
    [[6, 2], [7, 0]],
    [[6, 7], [2, 0]],
    players=("Row", "Col"),
    actions=(("C", "D"), ("C", "D")),
)


def ce_violation(payoffs: np.ndarray, p: np.ndarray) -> float:
    """Largest sum_{s_-i} p(a, s_-i) (u_i(b, s_-i) - u_i(a, s_-i)) over i, a, b (definition)."""
    n_players = payoffs.shape[0]
    shape = payoffs.shape[1:]
    worst = 0.0
    for i in range(n_players):
        for a, b in itertools.product(range(shape[i]), repeat=2):
            total = 0.0
            for s in itertools.product(*(range(n) for n in shape)):
                if s[i] != a:
                    continue
                t = list(s)
                t[i] = b
                total += p[s] * (payoffs[i][tuple(t)] - payoffs[i][s])
            worst = max(worst, total)
    return worst


def cce_violation(payoffs: np.ndarray, p: np.ndarray) -> float:
    """Largest sum_s p(s) (u_i(b, s_-i) - u_i(s)) over i, b (definition)."""
    shape = payoffs.shape[1:]
    worst = 0.0
    for i in range(payoffs.shape[0]):
        for b in range(shape[i]):
            total = 0.0
            for s in itertools.product(*(range(n) for n in shape)):
                t = list(s)
                t[i] = b
                total += p[s] * (payoffs[i][tuple(t)] - payoffs[i][s])
            worst = max(worst, total)
    return worst


def test_aumann_one_third_distribution_is_a_ce_worth_five_each():
    # Aumann (1974): 1/3 on each of (D,C), (C,D), (C,C) gives each player 5 = (7 + 2 + 6) / 3.
    p = np.array([[1 / 3, 1 / 3], [1 / 3, 0.0]])
    assert ce_violation(CHICKEN.payoffs, p) <= 1e-12
    assert np.all(obedience_gains(CHICKEN, p, "ce") <= 1e-12)
    flat = CHICKEN.payoffs.reshape(2, -1) @ p.ravel()
    assert flat == pytest.approx([5.0, 5.0])
    # Putting weight on (D,D) breaks obedience for a player told D: (D,D) gives 0, C gives 2.
    bad = np.array([[0.25, 0.25], [0.25, 0.25]])
    assert obedience_gains(CHICKEN, bad, "ce").max() == pytest.approx(0.25)


def test_chicken_welfare_maximum_derived_by_hand():
    # Obedience: told C, Row prefers C iff p(C,C) <= 2 p(C,D); told D, iff 2 p(D,D) <= p(D,C).
    # Welfare 12 p(CC) + 9 (p(CD) + p(DC)) is maximal with p(DD) = 0 and the first constraint
    # tight for both players: p(CD) = p(DC) = q, p(CC) = 1 - 2q = 2q, q = 1/4, welfare 10.5.
    res = correlated_equilibrium(CHICKEN)
    assert res.welfare == pytest.approx(10.5, abs=1e-7)
    assert res.distribution == pytest.approx(np.array([[0.5, 0.25], [0.25, 0.0]]), abs=1e-7)
    assert res.payoffs == pytest.approx([5.25, 5.25], abs=1e-7)
    assert res.verified
    assert ce_violation(CHICKEN.payoffs, res.distribution) <= 1e-7
    # Over all CEs: at most the largest payoff (7 at the pure equilibrium (D,C)) and at least
    # the maximin value 2 (playing C guarantees 2; the pure equilibrium (C,D) gives exactly 2).
    for player in ("Row", "Col"):
        low, high = res.payoff_ranges[player]
        assert low == pytest.approx(2.0, abs=1e-7)
        assert high == pytest.approx(7.0, abs=1e-7)


def test_recommendation_table_reads_as_conditional_beliefs():
    res = correlated_equilibrium(CHICKEN)
    table = dict(res.table())
    assert table[("C", "C")] == pytest.approx(0.5, abs=1e-7)
    rec = res.recommendations("Row")
    # Told C (prob 3/4), Row believes Col plays C with prob 0.5/0.75 = 2/3.
    assert rec["C"]["probability"] == pytest.approx(0.75, abs=1e-7)
    assert rec["C"]["others"]["C"] == pytest.approx(2 / 3, abs=1e-6)
    assert rec["D"]["others"] == pytest.approx({"C": 1.0}, abs=1e-6)
    text = str(res)
    assert "Row told C" in text and "obedience check passed" in text
    data = res.to_dict()
    assert data["concept"] == "ce" and data["verified"] is True
    assert data["distribution"][0]["profile"] == {"Row": "C", "Col": "C"}


def test_cce_of_chicken_allows_at_least_the_ce_welfare():
    ce = correlated_equilibrium(CHICKEN, "ce")
    cce = correlated_equilibrium(CHICKEN, "cce")
    assert cce.welfare >= ce.welfare - 1e-7
    assert cce_violation(CHICKEN.payoffs, cce.distribution) <= 1e-7
    # Every CE is a CCE, so the CCE set's payoff ranges contain the CE set's.
    for player in ("Row", "Col"):
        low_ce, high_ce = ce.payoff_ranges[player]
        low_cce, high_cce = cce.payoff_ranges[player]
        assert low_cce <= low_ce + 1e-7 and high_cce >= high_ce - 1e-7


def random_game(seed: int, shape: tuple[int, ...], integers: bool = False) -> gt.Game:
    rng = np.random.default_rng(seed)
    arrays = [rng.integers(0, 5, size=shape) if integers else rng.normal(size=shape) for _ in shape]
    return gt.Game.from_arrays(*arrays)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("shape", [(3, 3), (2, 2, 2), (3, 2, 2), (4, 3)])
def test_random_games_distributions_obey_and_nest(seed, shape):
    game = random_game(seed, shape, integers=seed % 2 == 0)
    ce = correlated_equilibrium(game, "ce")
    cce = correlated_equilibrium(game, "cce")
    scale = float(game.scales.max())
    assert ce_violation(game.payoffs, ce.distribution) <= 1e-7 * scale
    assert cce_violation(game.payoffs, cce.distribution) <= 1e-7 * scale
    # The CE is also a CCE (summing the conditional constraints over recommendations).
    assert cce_violation(game.payoffs, ce.distribution) <= 1e-7 * scale
    assert cce.welfare >= ce.welfare - 1e-6 * scale
    for player in game.players:
        assert cce.payoff_ranges[player][0] <= ce.payoff_ranges[player][0] + 1e-6 * scale
        assert cce.payoff_ranges[player][1] >= ce.payoff_ranges[player][1] - 1e-6 * scale


@pytest.mark.parametrize("seed", range(5))
def test_every_nash_equilibrium_is_a_ce_within_the_ranges(seed):
    game = random_game(100 + seed, (3, 3))
    ce = correlated_equilibrium(game)
    for eq in gt.solve(game, "vertex_enumeration"):
        p = product_distribution(eq)
        assert ce_violation(game.payoffs, p) <= 1e-9 * float(game.scales.max())
        # Its payoffs lie in the CE payoff ranges and its welfare below the maximum.
        for i, player in enumerate(game.players):
            low, high = ce.payoff_ranges[player]
            assert low - 1e-6 <= eq.payoffs[i] <= high + 1e-6
        assert eq.payoffs.sum() <= ce.welfare + 1e-6


def test_three_player_pure_equilibria_are_ces():
    game = random_game(7, (2, 2, 2), integers=True)
    ce = correlated_equilibrium(game)
    for eq in gt.solve(game, "pure"):
        assert ce_violation(game.payoffs, product_distribution(eq)) <= 1e-12
        assert eq.payoffs.sum() <= ce.welfare + 1e-7


def test_size_limit_checked_before_building():
    big = gt.Game.from_arrays(np.zeros((60, 60)), np.zeros((60, 60)))
    with pytest.raises(SolverError, match="entries"):
        correlated_equilibrium(big)
    with pytest.raises(SolverError, match="concept"):
        correlated_equilibrium(CHICKEN, "nash")


def test_result_is_frozen():
    res = correlated_equilibrium(CHICKEN)
    with pytest.raises(AttributeError):
        res.concept = "cce"  # type: ignore[misc]
    with pytest.raises(ValueError):
        res.distribution[0, 0] = 1.0
