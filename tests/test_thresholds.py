"""Thresholds that hold the prediction (issue 11, part 3), checked against closed forms."""

from __future__ import annotations

import json

import pytest

import gametheory as gt
from gametheory.analysis.uncertainty import Threshold, Thresholds, thresholds
from gametheory.cli.main import main
from gametheory.model.scenario import Parameter, Scenario

from .conftest import ROOT

LONDON = ROOT / "payoffs" / "london_talks_2025.toml"

#: Relative tolerance the thresholds promise (times each parameter's range).
REL = 1e-9


def _switch_game() -> Scenario:
    """Row: Up pays ``a``, Down pays 2, whatever Col does, so Row plays Up iff a > 2 (at a = 2
    Row is indifferent and the game has a continuum of equilibria). Col matches Row: after Up,
    Left pays ``3 + c`` against 0 (Left iff c > -3); after Down, Right pays ``1 + b`` against 0
    (Right for every b >= 0). At the baseline a = 1: (Down, Right); b and c never change it."""
    return Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {
            "Row": [["a", "a"], [2, 2]],
            "Col": [["3 + c", 0], [0, "1 + b"]],
        },
        parameters=[
            Parameter("a", 1.0, 0.0, 5.0),
            Parameter("b", 2.0, 0.0, 10.0),
            Parameter("c", 1.0),  # no declared range
        ],
        title="switch",
    )


def _by_name(result: Thresholds) -> dict[str, Threshold]:
    return {t.name: t for t in result.parameters}


def test_a_two_by_two_switch_at_the_hand_derived_value() -> None:
    result = thresholds(_switch_game())
    assert result.outcome == "Row: Down / Col: Right"
    a = _by_name(result)["a"]
    assert a.baseline == 1.0
    assert a.low == 0.0 and a.low_is_range_end and a.outcome_below is None
    assert a.high == pytest.approx(2.0, abs=REL * 5.0)
    assert not a.high_is_range_end
    assert a.outcome_above == "Row: Up / Col: Left"
    # At a = 2 Row is indifferent: the game is degenerate there, with an outcome of its own.
    assert a.degenerate_at_high is not None
    assert a.degenerate_at_high not in (result.outcome, a.outcome_above)
    assert a.degenerate_at_low is None


def test_a_parameter_that_never_changes_the_outcome_reports_the_whole_range() -> None:
    b = _by_name(thresholds(_switch_game()))["b"]
    assert (b.low, b.high) == (0.0, 10.0)
    assert b.low_is_range_end and b.high_is_range_end
    assert b.outcome_below is None and b.outcome_above is None


def test_a_parameter_without_a_declared_range_is_searched_ten_times_around_its_baseline() -> None:
    # c = 1: the window is 1 +- max(1, |1|) * 10 = [-9, 11]; Row plays Down whatever c is.
    c = _by_name(thresholds(_switch_game()))["c"]
    assert c.declared_min is None and c.declared_max is None
    assert (c.search_low, c.search_high) == (-9.0, 11.0)
    assert (c.low, c.high) == (-9.0, 11.0)
    assert c.low_is_range_end and c.high_is_range_end


def test_the_baseline_can_be_moved_with_values() -> None:
    # At a = 4 Row plays Up, and Col's Left needs c > -3: c's interval is (-3, 11].
    result = thresholds(_switch_game(), {"a": 4.0})
    assert result.outcome == "Row: Up / Col: Left"
    named = _by_name(result)
    assert named["a"].low == pytest.approx(2.0, abs=REL * 5.0)
    assert named["a"].high == 5.0 and named["a"].high_is_range_end
    assert named["a"].outcome_below == "Row: Down / Col: Right"
    assert named["c"].low == pytest.approx(-3.0, abs=REL * 20.0)
    assert named["c"].outcome_below == "Row: Up / Col: Right"


@pytest.mark.parametrize("tariff", [0.55, 0.8])
def test_london_pressure_value_threshold_follows_the_closed_form(tariff: float) -> None:
    """In payoffs/london_talks_2025.toml the US payoff's deadline terms are
    ``(pressure_value - us_tariff_exposure * tariff) * deadline.enforce
    + remedy_time_value * extension_days / 90 * deadline.extend`` and touch no other chip, so
    the US enforces iff pressure_value - 4 * tariff > 1.5 * 90 / 90 (baseline
    us_tariff_exposure = 4, remedy_time_value = 1.5, extension_days = 90): the boundary is
    pressure_value = 1.5 + 4 * tariff, as tests/test_sweep.py documents (3.7 at tariff 0.55).
    China's civilian licences then pay civilian_revenue - retaliation_motive = 2 - 4 < 0, so
    China slows them, and the US keeps its other controls (lifting pays -2 + 3 * expedite)."""
    london = gt.load(LONDON)
    result = thresholds(london, {"tariff": tariff}, params=["pressure_value"])
    assert result.outcome == "US: maintain+extend+lift / China: withhold+expedite"
    (pressure,) = result.parameters
    assert pressure.name == "pressure_value"
    assert pressure.low == 0.0 and pressure.low_is_range_end
    assert pressure.high == pytest.approx(1.5 + 4 * tariff, abs=REL * 20)
    assert pressure.outcome_above == "US: maintain+enforce+keep / China: withhold+slow"
    assert pressure.degenerate_at_high is not None  # the US is indifferent at the boundary


def test_a_tie_at_the_end_of_the_range_is_a_degenerate_range_end() -> None:
    """At security_cost = 0 relaxing AI-chip controls costs the US nothing and changes nothing
    else in its payoff, so the US is indifferent between maintain and relax (China withholds
    military magnets either way: -magnet_leverage + linkage_reward = -5 + 4 < 0). For any
    security_cost > 0 the US maintains: the prediction holds on (0, 20], with a tie at 0."""
    (cost,) = thresholds(gt.load(LONDON), params=["security_cost", "security_cost"]).parameters
    assert (cost.low, cost.high) == (0.0, 20.0)
    assert cost.low_is_range_end and cost.outcome_below is None
    assert cost.degenerate_at_low is not None
    assert "US: relax+extend+lift / China: withhold+expedite" in cost.degenerate_at_low.split(" | ")
    assert cost.degenerate_at_high is None


def test_the_result_is_plain_data() -> None:
    result = thresholds(_switch_game())
    data = json.loads(json.dumps(result.to_dict()))
    assert data["outcome"] == "Row: Down / Col: Right"
    assert [p["name"] for p in data["parameters"]] == ["a", "b", "c"]
    assert data["parameters"][0]["outcome_above"] == "Row: Up / Col: Left"
    with pytest.raises(AttributeError):
        result.outcome = "x"  # type: ignore[misc]


def test_unknown_parameters_are_refused() -> None:
    with pytest.raises(gt.ScenarioError, match="unknown parameter 'zz'"):
        thresholds(_switch_game(), params=["zz"])
    with pytest.raises(gt.ScenarioError, match="unknown parameter 'zz'"):
        thresholds(_switch_game(), {"zz": 1.0})


# ---------------------------------------------------------------------- command line
def test_the_command_prints_plain_words(capsys) -> None:
    assert main(["thresholds", str(LONDON)]) == 0
    out = capsys.readouterr().out
    assert "pressure_value: the prediction holds from 0 to 3.7 (declared range 0 to 20)" in out
    assert "above 3.7: US: maintain+enforce+keep / China: withhold+slow" in out


def test_the_command_writes_json(capsys) -> None:
    assert main(["thresholds", str(LONDON), "--set", "tariff=0.8", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    pressure = next(p for p in data["parameters"] if p["name"] == "pressure_value")
    assert pressure["high"] == pytest.approx(4.7, abs=REL * 20)


def test_the_command_refuses_an_unknown_parameter_in_one_line(capsys) -> None:
    assert main(["thresholds", str(LONDON), "--set", "tarif=0.8"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "unknown parameter 'tarif'" in err
    assert len(err.strip().splitlines()) == 1
