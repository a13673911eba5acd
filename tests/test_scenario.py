"""Scenarios: the matrix form, the chip form, parameters, and the London-talks baseline."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt

from .conftest import PAYOFFS

CHICKEN = """
schema_version = 1
title = "Chicken with a parameterised crash cost"

[parameters]
crash = { value = 10, min = 1, max = 100, description = "cost of mutual escalation" }

[players.Row]
actions = ["Swerve", "Straight"]

[players.Col]
actions = ["Swerve", "Straight"]

[payoffs]
Row = [[0, -1], [1, "-crash"]]
Col = [[0, 1], [-1, "-crash"]]
"""


def test_the_matrix_form_loads_exactly_as_written() -> None:
    sc = gt.load_string(CHICKEN)
    game = sc.game()
    assert game.players == ("Row", "Col")
    assert game.actions == (("Swerve", "Straight"), ("Swerve", "Straight"))
    assert game.payoffs[0].tolist() == [[0, -1], [1, -10]]
    assert game.payoffs[1].tolist() == [[0, 1], [-1, -10]]
    assert sc.parameters["crash"].description == "cost of mutual escalation"
    assert sc.game(crash=50).payoffs[0, 1, 1] == -50
    assert sc.game({"crash": 2}).payoffs[1, 1, 1] == -2


def test_three_player_matrix_form_uses_deeper_nesting() -> None:
    text = """
schema_version = 1
title = "three"
[players.A]
actions = ["a0", "a1"]
[players.B]
actions = ["b0", "b1", "b2"]
[players.C]
actions = ["c0", "c1"]
[payoffs]
A = [[[1, 2], [3, 4], [5, 6]], [[7, 8], [9, 10], [11, 12]]]
B = [[[0, 0], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, 0]]]
C = [[[0, 0], [0, 0], [0, 0]], [[0, 0], [0, 0], [0, "1 + 1"]]]
"""
    game = gt.load_string(text).game()
    assert game.shape == (2, 3, 2)
    assert game.payoff(("a1", "b1", "c0"))["A"] == 9
    assert game.payoff(("a1", "b2", "c1"))["C"] == 2


def test_chip_form_builds_strategies_from_chip_combinations() -> None:
    sc = gt.load(PAYOFFS / "london_talks_2025.toml")
    assert sc.form == "chips"
    assert sc.actions[0] == tuple(
        f"{a}+{d}+{o}"
        for a in ("maintain", "relax")
        for d in ("enforce", "extend")
        for o in ("keep", "lift")
    )
    assert sc.actions[1] == (
        "withhold+slow",
        "withhold+expedite",
        "license+slow",
        "license+expedite",
    )


def test_chip_payoffs_follow_the_expressions() -> None:
    """Check one cell by hand from the file's formulas at the baseline values."""
    sc = gt.load(PAYOFFS / "london_talks_2025.toml")
    v = sc.baseline
    game = sc.game()
    cell = game.payoff(("relax+enforce+lift", "license+expedite"))
    us = (
        v["defence_need"]
        + v["civilian_supply_value"]
        - v["security_cost"]
        - v["controls_leverage"]
        + v["reciprocity_value"]
        + v["pressure_value"]
        - v["us_tariff_exposure"] * v["tariff"]
    )
    china = (
        v["chip_value"]
        - v["magnet_leverage"]
        + v["linkage_reward"]
        + v["civilian_revenue"]
        - v["retaliation_motive"]
        + v["controls_relief"]
        - v["china_tariff_exposure"] * v["tariff"]
    )
    assert cell == pytest.approx({"US": us, "China": china})


def test_london_talks_baseline_reproduces_the_reported_outcome() -> None:
    """Reuters, 15 June 2025: civilian licences expedited, military magnets withheld, AI-chip
    controls maintained, deadline extended."""
    sc = gt.load(PAYOFFS / "london_talks_2025.toml")
    result = gt.solve(sc.game())
    assert result.complete
    assert len(result.equilibria) == 1
    eq = result[0]
    assert eq.is_pure
    us = eq.support("US")[0].split("+")
    china = eq.support("China")[0].split("+")
    assert us[0] == "maintain" and us[1] == "extend"
    assert china == ["withhold", "expedite"]
    # The same outcome by iterated strict dominance, which leaves one profile.
    dominance = gt.iterated_dominance(sc.game())
    assert dominance.reduced.shape == (1, 1)


def test_london_talks_outcome_moves_when_parameters_do() -> None:
    sc = gt.load(PAYOFFS / "london_talks_2025.toml")
    # A low tariff and a high value of deadline pressure: the US enforces the deadline and
    # China, retaliating, slows civilian licences.
    eq = gt.solve(sc.game(tariff=0.1, pressure_value=3))[0]
    assert eq.support("US")[0].split("+")[1] == "enforce"
    assert eq.support("China")[0] == "withhold+slow"


def test_batch_payoffs_are_vectorised_over_points() -> None:
    sc = gt.load(PAYOFFS / "chicken.toml")
    crash = np.array([1.0, 5.0, 50.0])
    tensor = sc.payoff_tensor({"crash": crash})
    assert tensor.shape == (3, 2, 2, 2)
    assert tensor[:, 0, 1, 1].tolist() == [-1.0, -5.0, -50.0]
    london = gt.load(PAYOFFS / "london_talks_2025.toml")
    values = {k: np.full(4, v) for k, v in london.baseline.items()}
    values["tariff"] = np.linspace(0, 1.45, 4)
    batch = london.payoff_tensor(values)
    for k in range(4):
        single = london.game(tariff=values["tariff"][k])
        assert np.allclose(batch[k], single.payoffs)


def test_overrides_are_checked() -> None:
    sc = gt.load(PAYOFFS / "chicken.toml")
    with pytest.raises(gt.ScenarioError, match=r"outside its declared range \[1.0, 100.0\]"):
        sc.game(crash=200)
    with pytest.raises(gt.ScenarioError, match="did you mean 'crash'"):
        sc.game(crahs=5)
    with pytest.raises(gt.ScenarioError, match="finite"):
        sc.game(crash=float("nan"))


def test_scenario_from_python() -> None:
    sc = gt.Scenario.from_chips(
        ["US", "China"],
        [
            gt.Chip("ai_chips", "US", ("maintain", "relax")),
            gt.Chip("magnets", "China", ("withhold", "license")),
        ],
        {
            "US": "d * magnets.license - s * ai_chips.relax",
            "China": "c * ai_chips.relax - 2 * magnets.license",
        },
        [gt.Parameter("d", 8, 0, 20), gt.Parameter("s", 9, 0, 20), gt.Parameter("c", 6, 0, 20)],
        title="sketch from DESIGN.md",
    )
    result = gt.solve(sc.game())
    assert [eq.describe() for eq in result] == ["US: maintain / China: withhold"]
    assert "sketch" in sc._repr_html_()


def test_fixed_game_wraps_as_scenario() -> None:
    game = gt.Game.from_arrays([[1, 2], [3, 4]], [[0, 0], [0, 1]], title="g")
    assert gt.Scenario.from_game(game).game() == game


def test_a_huge_game_is_refused_before_any_work() -> None:
    chips = "".join(
        f'[chips.c{i}]\nplayer = "{"A" if i % 2 else "B"}"\noptions = ["x", "y", "z"]\n'
        for i in range(30)
    )
    text = (
        f'schema_version = 1\ntitle = "t"\n[players.A]\n[players.B]\n{chips}'
        '[payoffs]\nA = "1"\nB = "1"\n'
    )
    with pytest.raises(gt.ScenarioError, match=r"payoff entries .* the limit is 10,000,000"):
        gt.load_string(text)
