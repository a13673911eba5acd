"""Every solver states its work and refuses what it cannot finish, before computing anything.

Cases from the hostile-input review (issue 9): 13x13 vertex enumeration ran for minutes, nashpy
had no guard, ``auto`` never finished on 2048x2048 or 2^20 x 2 chip games, huge payoffs gave
"0 equilibria (complete)", payoffs near 2^62 were silently merged, and an all-zero game did not
say that every profile is an equilibrium.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gametheory as gt
from gametheory.solvers.registry import MAX_LISTED


def random_game(m: int, n: int, seed: int = 0, integers: bool = False) -> gt.Game:
    rng = np.random.default_rng(seed)
    if integers:
        return gt.Game.from_arrays(rng.integers(0, 9, (m, n)), rng.integers(0, 9, (m, n)))
    return gt.Game.from_arrays(rng.random((m, n)), rng.random((m, n)))


def test_every_solver_declares_its_work():
    for name, info in gt.methods().items():
        assert info.work is not None and info.max_work > 0 and info.work_unit, name


@pytest.mark.parametrize(
    ("method", "shape"),
    [
        ("vertex_enumeration", (22, 22)),
        ("support_enumeration", (12, 12)),
        ("nashpy_vertex_enumeration", (8, 8)),
        ("nashpy_support_enumeration", (8, 8)),
        ("lemke_howson", (400, 400)),
        ("iesds", (120, 120)),
    ],
)
def test_too_much_work_is_refused_at_once_naming_what_copes(method, shape):
    game = random_game(*shape)
    with pytest.raises(gt.SolverError) as error:
        gt.solve(game, method)
    message = str(error.value)
    assert f"method '{method}' would need about" in message
    assert "max_work=" in message
    assert "methods that can cope:" in message
    # The suggestion really copes: it is within its own limit.
    suggested = message.split("methods that can cope: ")[1].split(",")[0].strip()
    assert gt.methods()[suggested].fits(game)


def test_vertex_enumeration_work_is_bases_or_the_upper_bound_on_vertices():
    # Small games: C(m + n, m) bases per best-response polytope (Avis et al. 2010), 5x5 gives
    # C(10, 5). Larger ones: McMullen's upper bound on the vertices of a 12-polytope with 24
    # facets, C(24 - 6, 6) + C(24 - 6 - 1, 5).
    info = gt.methods()["vertex_enumeration"]
    assert info.work(random_game(5, 5)) == math.comb(10, 5) == 252
    assert info.work(random_game(12, 12)) == math.comb(18, 6) + math.comb(17, 5) == 24_752


def test_max_work_lowers_or_raises_the_limit():
    small = random_game(4, 4, seed=1)
    with pytest.raises(gt.SolverError, match="limit 10"):
        gt.solve(small, "vertex_enumeration", max_work=10)
    assert gt.solve(small, "vertex_enumeration", max_work=10_000).complete


def test_auto_finishes_on_a_game_too_large_for_mixed_equilibria():
    game = random_game(600, 600, integers=True)
    result = gt.solve(game)
    assert result.method == "pure"
    assert not result.complete
    assert "too large" in result.details["auto"]
    assert len(result) <= MAX_LISTED
    assert all(eq.is_pure and eq.is_equilibrium() for eq in result)


def test_auto_finishes_on_twenty_chips_against_one():
    # 2^20 combinations of 20 two-option chips against one player with 2 actions.
    game = random_game(2**20, 2, seed=5)
    result = gt.solve(game)
    assert result.method == "pure"
    assert "too large" in result.details["auto"]


def test_many_equilibria_are_listed_up_to_the_limit_and_counted():
    # Every profile of a constant game is a pure equilibrium: 50x50 = 2,500 of them.
    game = gt.Game.from_arrays(np.ones((50, 50)), np.ones((50, 50)))
    result = gt.solve(game, "pure")
    assert len(result) == MAX_LISTED
    assert result.details["pure_equilibria"] == 2_500
    assert any("2,500 pure equilibria exist" in w for w in result.warnings)


def test_a_constant_game_says_every_profile_is_an_equilibrium():
    result = gt.solve(gt.Game.from_arrays(np.zeros((30, 30)), np.zeros((30, 30))))
    assert result.details["every_profile_is_equilibrium"] is True
    assert sum("every profile" in w for w in result.warnings) == 1


def test_payoffs_that_overflow_are_refused():
    pennies = np.array([[1.0, -1.0], [-1.0, 1.0]])
    game = gt.Game.from_arrays(pennies * 1.7e308, -pennies * 1.7e308)
    with pytest.raises(gt.SolverError, match="overflow"):
        gt.solve(game)
    # Rescaled, the same game has its one equilibrium (1/2, 1/2) for each player.
    (eq,) = gt.solve(gt.Game.from_arrays(pennies, -pennies))
    assert np.allclose(eq.strategies[0], 0.5)


def test_payoffs_beyond_2_to_53_warn_that_precision_is_lost():
    big = 2**62
    game = gt.Game.from_arrays([[big, big + 1], [big + 1, big]], [[big, big], [big, big + 3]])
    result = gt.solve(game)
    assert any("beyond 2^53" in w for w in result.warnings)


def test_an_unknown_solver_option_is_one_clear_error():
    with pytest.raises(gt.SolverError, match="no option 'bogus'; its options: initial_label"):
        gt.solve(random_game(2, 2), "lemke_howson", bogus=1)


def test_very_long_strategies_list_fewer_equilibria_not_gigabytes():
    # Every row of this 2^20 x 2 game is a pure equilibrium with the column player's first
    # action... listing 1,000 dense vectors of a million probabilities would take 8 GB.
    rows = 2**20
    A = np.ones((rows, 2))
    B = np.zeros((rows, 2))
    B[:, 0] = 1.0
    result = gt.solve(gt.Game.from_arrays(A, B), "pure")
    assert len(result) == 20_000_000 // (rows + 2) == 19
    assert result.details["pure_equilibria"] == rows
    assert not result.complete
