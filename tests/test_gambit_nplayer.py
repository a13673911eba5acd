"""N-player mixed equilibria through the pygambit adapter (gametheory.solvers._gambit).

Independent expectations: every equilibrium of a generic 2x2x2 game computed here in closed
form (each player's indifference is bilinear in the others' probabilities, so the totally mixed
equilibria are the roots of one quadratic; McKelvey and McLennan 1997 on the count), the
three-player volunteer's dilemma (Diekmann 1985, derived below), Jordan's (1993) cyclic
matching pennies, our own vertex enumeration on two-player games, and pygambit's enumpoly
called directly. Every profile is also regret-checked here from the definition.
"""

from __future__ import annotations

import itertools
import math
import sys

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import SolverError

from .conftest import flat_profile, regret_n_player

gbt = pytest.importorskip("pygambit")


regret = regret_n_player
flat = flat_profile


def all_equilibria_2x2x2(payoffs: np.ndarray) -> set[tuple[float, ...]]:
    """Every equilibrium of a generic 2x2x2 game, as rounded flat tuples.

    x = (p, q, r) are the players' probabilities of their first action; D_i is player i's
    payoff from action 1 minus action 2, bilinear in the other two probabilities.
    """

    def w(x):
        return np.array([x, 1 - x])

    def gain(i, x):
        others = [q for q in range(3) if q != i]
        u = np.moveaxis(payoffs[i], i, 0)
        diff = u[0] - u[1]
        return float(w(x[others[0]]) @ diff @ w(x[others[1]]))

    def ok(x):
        for i in range(3):
            d = gain(i, x)
            if (x[i] == 1 and d < -1e-12) or (x[i] == 0 and d > 1e-12):
                return False
            if 0 < x[i] < 1 and abs(d) > 1e-9:
                return False
        return True

    found = set()

    def add(x):
        if all(-1e-12 <= v <= 1 + 1e-12 for v in x) and ok([min(1, max(0, v)) for v in x]):
            found.add(tuple(np.round([x[0], 1 - x[0], x[1], 1 - x[1], x[2], 1 - x[2]], 6) + 0.0))

    for pure in itertools.product([0.0, 1.0], repeat=3):
        add(list(pure))
    # Two players mix, the third is pure: each mixer's indifference is linear in the other's.
    for k in range(3):
        i, j = (q for q in range(3) if q != k)
        for xk in (0.0, 1.0):
            x = [0.0, 0.0, 0.0]
            x[k] = xk
            # gain(i) as a function of x_j: a + b x_j.
            x[j] = 0.0
            a_i = gain(i, x)
            x[j] = 1.0
            b_i = gain(i, x) - a_i
            x[i] = 0.0
            a_j = gain(j, x)
            x[i] = 1.0
            b_j = gain(j, x) - a_j
            if b_i == 0 or b_j == 0:
                continue
            x[j], x[i] = -a_i / b_i, -a_j / b_j
            if 0 < x[i] < 1 and 0 < x[j] < 1:
                add(list(x))

    # All three mix: D1 = a(r) + b(r) q, D2 = c(r) + d(r) p, D3 = e + f p + g q + h p q.
    def corners(i):
        """Coefficients (c00, c10, c01, c11) of gain(i) in its two others (in player order)."""
        others = [q for q in range(3) if q != i]
        vals = {}
        for u, v in itertools.product((0.0, 1.0), repeat=2):
            x = [0.0, 0.0, 0.0]
            x[others[0]], x[others[1]] = u, v
            vals[u, v] = gain(i, x)
        c00 = vals[0, 0]
        return c00, vals[1, 0] - c00, vals[0, 1] - c00, vals[1, 1] - vals[1, 0] - vals[0, 1] + c00

    P = np.polynomial.Polynomial
    g00, g10, g01, g11 = corners(0)  # in (q, r)
    a, b = P([g00, g01]), P([g10, g11])  # D1 = a(r) + b(r) q
    h00, h10, h01, h11 = corners(1)  # in (p, r)
    c, d = P([h00, h01]), P([h10, h11])  # D2 = c(r) + d(r) p
    e, f, g, h = corners(2)  # in (p, q): e + f p + g q + h p q
    # p = -c/d, q = -a/b; multiply D3 by b d.
    poly = e * b * d - f * c * b - g * a * d + h * a * c
    for root in poly.roots():
        if abs(root.imag) > 1e-9:
            continue
        r = float(root.real)
        if not 0 < r < 1 or abs(b(r)) < 1e-12 or abs(d(r)) < 1e-12:
            continue
        p, q = -c(r) / d(r), -a(r) / b(r)
        if 0 < p < 1 and 0 < q < 1:
            add([p, q, r])
    return found


def random_game(seed: int, shape, integers: bool = False) -> gt.Game:
    rng = np.random.default_rng(seed)
    make = (
        (lambda: rng.integers(0, 4, size=shape)) if integers else (lambda: rng.normal(size=shape))
    )
    return gt.Game.from_arrays(*(make() for _ in shape))


@pytest.mark.parametrize("seed", range(25))
def test_generic_2x2x2_every_equilibrium_against_closed_form(seed):
    game = random_game(300 + seed, (2, 2, 2))
    truth = all_equilibria_2x2x2(game.payoffs)
    assert len(truth) % 2 == 1  # oddness theorem (Wilson 1971) for generic games
    result = gt.solve(game, "gambit_enumpoly", restarts=12)
    assert not result.complete
    ours = {flat(eq.strategies) for eq in result}
    assert ours <= truth
    for eq in result:
        assert regret(game.payoffs, eq.strategies) <= 1e-9 * float(game.scales.max())
    # pygambit's enumpoly alone: never more than the truth.
    direct = gbt.nash.enumpoly_solve(gbt.StrategicGame.from_arrays(*game.payoffs))
    theirs = {
        flat([np.array([float(p) for _, p in player]) for player in eq]) for eq in direct.equilibria
    }
    assert theirs <= truth
    assert ours >= theirs
    assert ours == truth, (seed, sorted(truth - ours))


def test_volunteers_dilemma_has_seven_equilibria():
    # Diekmann (1985): each of three players volunteers at cost c = 1 or not; if anyone
    # volunteers all get b = 2, else 0. Equilibria (probabilities of volunteering):
    # - exactly one volunteers (3 pure);
    # - two mix and the third never volunteers: each mixer indifferent, b - c = b (1 - s)
    #   with s the other's probability of not volunteering: s = c/b = 1/2; the third then
    #   gets b (1 - 1/4) = 1.5 >= b - c = 1 from not volunteering (3 of these);
    # - all mix symmetrically: b - c = b (1 - s^2), s = sqrt(c/b) = 1/sqrt(2).
    b, c = 2.0, 1.0
    payoffs = np.zeros((3, 2, 2, 2))  # action 0 = volunteer, 1 = stay out
    for s in itertools.product((0, 1), repeat=3):
        someone = any(a == 0 for a in s)
        for i in range(3):
            payoffs[i][s] = (b if someone else 0.0) - (c if s[i] == 0 else 0.0)
    game = gt.Game.from_arrays(*payoffs, players=("US", "China", "EU"))
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
    assert all_equilibria_2x2x2(payoffs) == expected  # the test's closed form agrees
    result = gt.solve(game, "gambit_enumpoly")
    assert {flat(eq.strategies) for eq in result} == expected


def test_jordans_cyclic_pennies_unique_mixed_equilibrium():
    # Jordan (1993): player 1 wants to match player 2, 2 to match 3, 3 to mismatch 1. The
    # unique equilibrium has everyone mixing 1/2 (no pure profile is stable: the cycle).
    payoffs = np.zeros((3, 2, 2, 2))
    for s in itertools.product((0, 1), repeat=3):
        payoffs[0][s] = 1.0 if s[0] == s[1] else -1.0
        payoffs[1][s] = 1.0 if s[1] == s[2] else -1.0
        payoffs[2][s] = 1.0 if s[2] != s[0] else -1.0
    game = gt.Game.from_arrays(*payoffs)
    for method in ("gambit_enumpoly", "gambit_gnm", "gambit_simpdiv", "gambit_ipa", "logit"):
        result = gt.solve(game, method)
        assert len(result) == 1, method
        for s in result[0].strategies:
            assert s == pytest.approx([0.5, 0.5], abs=1e-9)


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("shape", [(2, 2, 3), (2, 3, 3), (3, 3, 3)])
@pytest.mark.parametrize("integers", [False, True], ids=["generic", "ties"])
def test_larger_games_contain_enumpoly_and_pass_regret(seed, shape, integers):
    game = random_game(700 + seed, shape, integers)
    result = gt.solve(game, "gambit_enumpoly", restarts=4)
    scale = float(game.scales.max())
    for eq in result:
        assert regret(game.payoffs, eq.strategies) <= 1e-9 * scale
    ours = {flat(eq.strategies) for eq in result}
    events = []
    direct = gbt.nash.enumpoly_solve(
        gbt.StrategicGame.from_arrays(*game.payoffs), event_callback=events.append
    )
    theirs = {
        flat([np.array([float(p) for _, p in player]) for player in eq]) for eq in direct.equilibria
    }
    assert theirs <= ours
    singular = any(type(e).__name__ == "EnumPolySingularSupportEvent" for e in events)
    assert any("continuum" in w for w in result.warnings) == singular
    # simpdiv runs in a child process, stopped after time_limit (it can hang in Gambit).
    for method, options in (
        ("gambit_gnm", {}),
        ("gambit_simpdiv", {"time_limit": 2.0}),
        ("gambit_ipa", {}),
    ):
        for eq in gt.solve(game, method, **options):
            assert regret(game.payoffs, eq.strategies) <= 1e-9 * scale


@pytest.mark.parametrize("seed", range(10))
def test_two_player_games_match_vertex_enumeration(seed):
    game = random_game(900 + seed, (3, 3))
    ours = {flat(eq.strategies) for eq in gt.solve(game, "gambit_enumpoly")}
    assert ours == {flat(eq.strategies) for eq in gt.solve(game, "vertex_enumeration")}


def test_limits_and_missing_pygambit(monkeypatch):
    big = random_game(1, (4, 4, 4))
    with pytest.raises(SolverError, match="support profiles"):
        gt.solve(big, "gambit_enumpoly")
    monkeypatch.setitem(sys.modules, "pygambit", None)
    with pytest.raises(SolverError, match=r"gametheory\[gambit\]"):
        gt.solve(random_game(2, (2, 2, 2)), "gambit_gnm")
