"""Stability sweeps: graph-model equilibria of a chip scenario at many parameter points.

Expected values come from the definitions of Fang, Hipel and Kilgour (1993): a state is Nash
(rational) stable for a decision maker with no unilateral improvement (a move to a state it
strictly prefers), and sequentially stable (SEQ) when each of its unilateral improvements can be
answered by an opponent's unilateral improvement that leaves it no better off than where it
started.
"""

from __future__ import annotations

import json

import pytest

import gametheory as gt
from gametheory.analysis.ordinal.sweep import (
    MAX_STABILITY_WORK,
    stability_summary,
    stability_sweep,
)
from gametheory.cli import main

from .conftest import PAYOFFS

CHICKEN = PAYOFFS / "chicken.toml"
PD = PAYOFFS / "prisoners_dilemma.toml"
SWERVE_STRAIGHT = "Row: Swerve / Col: Straight"
STRAIGHT_SWERVE = "Row: Straight / Col: Swerve"
CRASH = "Row: Straight / Col: Straight"


def _states(table, point, concept):
    rows = table[(table.point == point) & (table.concept == concept)]
    return set(rows.state)


def test_chicken_nash_states_follow_the_crash_cost():
    """Chicken (payoffs 0, +-1, -crash): for crash > 1 the Nash-stable states are the two
    where exactly one swerves. At crash = 1 a driver facing Straight gets -1 whether it swerves
    or not, so (Straight, Straight) has no strict improvement and is Nash stable too."""
    table = stability_sweep(gt.load(CHICKEN), grid={"crash": [1.0, 2.0, 50.0]})
    assert _states(table, 0, "nash") == {SWERVE_STRAIGHT, STRAIGHT_SWERVE, CRASH}
    for point in (1, 2):
        assert _states(table, point, "nash") == {SWERVE_STRAIGHT, STRAIGHT_SWERVE}
        assert table[(table.point == point) & (table.concept == "nash")].nash.all()


def test_prisoners_dilemma_mutual_quiet_is_sequentially_stable():
    """The prisoner's dilemma as a graph model (Fang, Hipel and Kilgour 1993, ch. 2): mutual
    defection is the only Nash-stable state; mutual cooperation is also SEQ stable, because a
    suspect who finks is answered by the other finking, which leaves it worse off (1 < 2)."""
    from gametheory.analysis.ordinal.explain import choices

    model = gt.GraphModel.from_scenario(gt.load(PD))
    result = gt.stability(model)
    nash = {choices(model, s) for s in result.equilibria("nash")}
    seq = {choices(model, s) for s in result.equilibria("seq")}
    assert nash == {"Suspect1: Fink / Suspect2: Fink"}
    assert seq == {"Suspect1: Fink / Suspect2: Fink", "Suspect1: Quiet / Suspect2: Quiet"}


def test_summary_shares_add_up_per_state():
    table = stability_sweep(gt.load(CHICKEN), grid={"crash": [1.0, 2.0, 3.0, 4.0]})
    summary = stability_summary(table)
    nash = summary[summary.concept == "nash"].set_index("state")
    assert nash.loc[SWERVE_STRAIGHT, "share"] == 1.0
    assert nash.loc[CRASH, "share"] == 0.25


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "either grid"),
        ({"grid": {"crash": [2.0]}, "sample": 3}, "either grid"),
        ({"sample": 0}, "sample must be"),
        ({"grid": {"crash": [500.0]}}, "crash"),
        ({"sample": MAX_STABILITY_WORK}, "over the limit"),
        ({"sample": 2, "concepts": ("nash", "bogus")}, "concepts must be"),
    ],
)
def test_bad_requests_are_refused_before_work(kwargs, message):
    with pytest.raises(gt.ScenarioError, match=message):
        stability_sweep(gt.load(CHICKEN), **kwargs)


def test_sequential_scenarios_are_refused():
    with pytest.raises(gt.ScenarioError, match="simultaneous"):
        stability_sweep(gt.load(PAYOFFS / "london_talks_2025_sequential.toml"), sample=2)


def test_cli_stability_sweep_text_json_and_table(tmp_path, capsys):
    out = tmp_path / "st.csv"
    args = ["stability", str(CHICKEN), "--grid", "crash=1:100:4", "--out", str(out)]
    assert main(args) == 0
    text = capsys.readouterr().out
    assert "graph-model equilibria at 4 parameter points" in text
    assert "100.0%  Row: Swerve / Col: Straight" in text
    assert out.exists()
    assert (
        main(["stability", str(CHICKEN), "--sample", "6", "--seed", "2", "--format", "json"]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["schema"] == "gametheory.stability-sweep/1" and data["points"] == 6
    assert main(["stability", str(PAYOFFS / "elmira_ordinal.toml"), "--sample", "3"]) == 2
    assert main(["stability", str(CHICKEN), "--out", str(out)]) == 2
