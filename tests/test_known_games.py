"""Known games from the literature: count, regret and values of every equilibrium."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt

from .conftest import flat_set, regret_bimatrix
from .known_games import KNOWN_GAMES, KnownGame

ALL_EQUILIBRIA_METHODS = ["vertex_enumeration", "auto"]


def _game(known: KnownGame) -> gt.Game:
    return gt.Game.from_arrays(known.A, known.B, title=known.name)


@pytest.mark.parametrize("known", KNOWN_GAMES, ids=lambda k: k.name)
@pytest.mark.parametrize("method", ALL_EQUILIBRIA_METHODS)
def test_extreme_equilibria_match_the_literature(known: KnownGame, method: str) -> None:
    result = gt.solve(_game(known), method)
    expected = flat_set([(np.array(x, float), np.array(y, float)) for x, y in known.equilibria])
    assert flat_set([eq.strategies for eq in result.equilibria]) == expected
    assert result.complete is known.isolated
    for eq in result.equilibria:
        assert regret_bimatrix(known.A, known.B, *eq.strategies) <= 1e-9


@pytest.mark.parametrize("known", KNOWN_GAMES, ids=lambda k: k.name)
def test_equilibrium_payoffs_match_the_literature(known: KnownGame) -> None:
    result = gt.solve(_game(known), "vertex_enumeration")
    by_profile = {
        tuple(np.round(np.concatenate(eq.strategies), 6) + 0.0): eq.payoffs
        for eq in result.equilibria
    }
    for (x, y), (u, v) in zip(known.equilibria, known.payoffs, strict=True):
        key = tuple(np.round(np.concatenate([np.array(x, float), np.array(y, float)]), 6) + 0.0)
        assert by_profile[key] == pytest.approx([float(u), float(v)], abs=1e-9)


@pytest.mark.parametrize("known", [k for k in KNOWN_GAMES if k.isolated], ids=lambda k: k.name)
def test_support_enumeration_on_nondegenerate_games(known: KnownGame) -> None:
    result = gt.solve(_game(known), "support_enumeration")
    expected = flat_set([(np.array(x, float), np.array(y, float)) for x, y in known.equilibria])
    assert flat_set([eq.strategies for eq in result.equilibria]) == expected
    assert result.complete


def test_degenerate_example_reports_its_continuum() -> None:
    known = next(k for k in KNOWN_GAMES if k.name == "von_stengel_degenerate_3x2")
    result = gt.solve(_game(known), "vertex_enumeration")
    assert result.degenerate is True
    assert not result.complete
    assert any("infinitely many" in w for w in result.warnings)
    # Two connected sets: the segment {top row} x [(1,0), (2/3,1/3)] and the isolated one.
    assert sorted(len(c) for c in result.details["components"]) == [1, 2]
    # Every point of the segment is an equilibrium (checked independently).
    for t in np.linspace(0, 1, 11):
        y = t * np.array([1, 0]) + (1 - t) * np.array([2 / 3, 1 / 3])
        assert regret_bimatrix(known.A, known.B, [1, 0, 0], y) <= 1e-12


def test_support_enumeration_warns_on_degenerate_games() -> None:
    known = next(k for k in KNOWN_GAMES if k.name == "von_stengel_degenerate_3x2")
    result = gt.solve(_game(known), "support_enumeration")
    assert not result.complete
    assert result.degenerate is True
    assert any("degenerate" in w for w in result.warnings)


@pytest.mark.parametrize("crash", [1.5, 2.0, 10.0, 50.0])
def test_chicken_mixed_equilibrium_closed_form(crash: float) -> None:
    """Swerve with probability (crash - 1) / crash, from the indifference condition."""
    sc = gt.load("payoffs/chicken.toml")
    result = gt.solve(sc.game(crash=crash))
    mixed = [eq for eq in result.equilibria if not eq.is_pure]
    assert len(mixed) == 1
    q = (crash - 1) / crash
    assert mixed[0].strategy("Row")["Swerve"] == pytest.approx(q, abs=1e-12)
    assert mixed[0].strategy("Col")["Swerve"] == pytest.approx(q, abs=1e-12)
    assert len(result.equilibria) == 3


def test_minimax_value_of_rock_paper_scissors_and_pennies() -> None:
    rps = next(k for k in KNOWN_GAMES if k.name == "rock_paper_scissors")
    result = gt.solve(_game(rps), "minimax")
    assert result.details["value"] == pytest.approx(0.0, abs=1e-12)
    assert result[0].strategy("P1") == pytest.approx({"a1": 1 / 3, "a2": 1 / 3, "a3": 1 / 3})
    # A zero-sum game with a known value: Osborne and Rubinstein (1994), section 2.5 style
    # 2x2 game [[2, -1], [-1, 1]] has value 1/5 with x = (2/5, 3/5) (solve 2p - (1-p) =
    # -p + (1-p)).
    game = gt.Game.from_arrays([[2, -1], [-1, 1]], [[-2, 1], [1, -1]])
    result = gt.solve(game, "minimax")
    assert result.details["value"] == pytest.approx(1 / 5, abs=1e-12)
    assert result[0].strategies[0] == pytest.approx([2 / 5, 3 / 5], abs=1e-12)


def test_minimax_refuses_general_sum_games() -> None:
    with pytest.raises(gt.SolverError, match="zero-sum"):
        gt.solve(gt.Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]]), "minimax")


def test_cliques_of_interchangeable_equilibria() -> None:
    """von Stengel's degenerate example: the top row with either of two column strategies is one
    clique ({x1} x {y1, y2}), the mixed equilibrium another. A constant 2x2 game: every profile
    is an equilibrium, the four pure ones form a single clique {a1, a2} x {b1, b2}."""
    known = next(k for k in KNOWN_GAMES if k.name == "von_stengel_degenerate_3x2")
    result = gt.solve(_game(known), "vertex_enumeration")
    assert result.details["cliques"] == [[0, 1], [2]]
    constant = gt.solve(gt.Game.from_arrays(np.zeros((2, 2)), np.zeros((2, 2))))
    assert len(constant.equilibria) == 4
    assert constant.details["cliques"] == [[0, 1, 2, 3]]
    assert constant.details["components"] == [[0, 1, 2, 3]]
    bos = next(k for k in KNOWN_GAMES if k.name == "battle_of_the_sexes")
    assert gt.solve(_game(bos)).details["cliques"] == [[0], [1], [2]]
