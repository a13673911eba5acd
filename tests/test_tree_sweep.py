"""Sweeps and outcome probabilities on tree scenarios (issue 10), checked against closed forms.

Expected values are derived in the tests from the games' payoffs, never from our own output:
entry deterrence against an incumbent of unknown type (enter iff 1 - 2p > 0; Fudenberg and
Tirole 1991, ch. 8; Gibbons 1992, sec. 4.1 for the structure), and the London private tree's
deadline cut-off (US accepts the linkage offer iff p_hawk <= cutoff, derived in
``tests/test_london_private.py`` and docs/trees.md: tariff - 0.5 at the baseline).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory.cli import main
from gametheory.errors import ScenarioError
from gametheory.io import load_tree_scenario
from gametheory.io.toml_tree import loads_tree_scenario
from gametheory.solvers.tree import tree_regret
from gametheory.sweeps.tree import TreeSweep, tree_sweep

from .conftest import PAYOFFS

PRIVATE = PAYOFFS / "london_talks_2025_private.toml"
LONDON = load_tree_scenario(PRIVATE)

# Entry deterrence with an unknown incumbent (payoffs Entrant, Incumbent): the entrant does not
# see the type; a tough incumbent prefers fighting (1 > 0), a weak one accommodating (1 > 0).
UNKNOWN_INCUMBENT = """\
schema_version = 1
title = "Entry against an incumbent of unknown type"

[parameters]
p_tough = { value = 0.3, min = 0, max = 1 }

[players.Entrant]
does_not_see = ["chance"]
[players.Incumbent]

[tree.nature]
chance = { tough = "p_tough", weak = "1 - p_tough" }
moves = { tough = "entrant_vs_tough", weak = "entrant_vs_weak" }

[tree.entrant_vs_tough]
player = "Entrant"
moves = { out = [0, 3], enter = "tough_answers" }

[tree.entrant_vs_weak]
player = "Entrant"
moves = { out = [0, 3], enter = "weak_answers" }

[tree.tough_answers]
player = "Incumbent"
moves = { fight = [-1, 1], accommodate = [1, 0] }

[tree.weak_answers]
player = "Incumbent"
moves = { fight = [-1, 0], accommodate = [1, 1] }
"""
ENTRANT = "move:entrant_vs_tough | entrant_vs_weak"


def entry_value(p: float) -> float:
    """Entering against each type's best answer (tough fights, weak accommodates): 1 - 2p."""
    return p * -1.0 + (1 - p) * 1.0


@pytest.fixture(scope="module")
def incumbent() -> gt.TreeScenario:
    assert gt.tree_sweep is tree_sweep  # the first use of the API registers the providers
    return loads_tree_scenario(UNKNOWN_INCUMBENT)


def test_entry_switch_point_is_one_half(incumbent: gt.TreeScenario) -> None:
    grid = [0.0, 0.1, 0.3, 0.45, 0.55, 0.7, 1.0]  # no tie: 1 - 2p != 0
    sw = incumbent.sweep(grid={"p_tough": grid})
    assert isinstance(sw, TreeSweep)
    table = sw.table
    assert list(table["point"].unique()) == list(range(len(grid)))
    for p in grid:
        rows = table[table["p_tough"] == p]
        assert (rows["n_equilibria"] == 1).all() and rows["complete"].all()
        expected = "enter" if entry_value(p) > 0 else "out"
        assert rows[ENTRANT].tolist() == [expected]
        assert rows["payoff:Entrant"].iloc[0] == pytest.approx(max(entry_value(p), 0.0))
    # the switch lies between 0.45 and 0.55 (1 - 2p = 0 at p = 1/2)
    ((low, high, before, after),) = sw.switches()
    assert (low, high) == (0.45, 0.55)
    assert after == "entrant_vs_tough/out + entrant_vs_weak/out"
    assert before == "tough_answers/fight + weak_answers/accommodate"


def test_entry_path_probabilities_follow_the_prior(incumbent: gt.TreeScenario) -> None:
    sw = incumbent.sweep(grid={"p_tough": [0.2]})
    row = sw.table.iloc[0]
    assert row["path"] == "tough_answers/fight (0.2); weak_answers/accommodate (0.8)"
    # the tough type's answer is on the path (reached with 0.2), as the weak type's is
    assert row["move:tough_answers"] == "fight" and row["move:weak_answers"] == "accommodate"


def test_entry_at_the_tie_lists_both(incumbent: gt.TreeScenario) -> None:
    # p = 1/2: entering and staying out are both worth 0 to the entrant
    sw = incumbent.sweep(grid={"p_tough": [0.5]})
    assert set(sw.table[ENTRANT]) == {"enter", "out"}


def test_outcome_probability_under_uniform_prior(incumbent: gt.TreeScenario) -> None:
    # p_tough uniform on [0, 1] (its declared range): P(enter) = P(1 - 2p > 0) = 1/2 exactly
    n = 400
    result = incumbent.uncertainty(n, seed=3)
    assert result.n == n and result.solver == "spe"
    enter = "tough_answers/fight + weak_answers/accommodate"
    got = [o for o in result.outcomes if o.outcome == enter]
    assert got and got[0].low <= 0.5 <= got[0].high
    assert sum(o.points for o in result.outcomes) == n
    # the baseline p_tough 0.3 predicts entry; its probability is that of the enter outcome
    assert result.baseline_outcome == enter
    assert result.baseline_holds == pytest.approx(got[0].probability)
    # Wilson interval by its formula (Wilson 1927) for the count seen
    k, z = got[0].points, 1.959963984540054
    phat = k / n
    centre = (phat + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n))
    assert (got[0].low, got[0].high) == pytest.approx((centre - half, centre + half))


def test_uncertainty_same_seed_same_points(incumbent: gt.TreeScenario) -> None:
    a = incumbent.uncertainty(50, seed=9, method="lhs")
    b = incumbent.uncertainty(50, seed=9, method="lhs")
    assert a.to_dict() == b.to_dict()


# ---------------------------------------------------------------------- London, deadline enforced
def london_cutoff(tariff: float) -> float:
    """dn (1 - p (1 - hs)) - sc >= pv - ue t  <=>  p <= (dn - sc - pv + ue t) / (dn (1 - hs))."""
    v = LONDON.baseline
    return (
        v["defence_need"]
        - v["security_cost"]
        - v["pressure_value"]
        + v["us_tariff_exposure"] * tariff
    ) / (v["defence_need"] * (1 - v["hawk_share"]))


@pytest.mark.parametrize("tariff", [0.55, 0.8, 1.0])
def test_london_accepts_iff_p_hawk_below_cutoff(tariff: float) -> None:
    cutoff = london_cutoff(tariff)
    assert cutoff == pytest.approx(tariff - 0.5)  # at the file's other baseline values
    grid = [p for p in np.linspace(0.0125, 0.9875, 40) if abs(p - cutoff) > 1e-3]
    sw = LONDON.sweep(grid={"p_hawk": grid}, fixed={"extended": 0, "tariff": tariff})
    reply = "move:reply_if_hawk | reply_if_pragmatic"
    for p, rows in sw.table.groupby("p_hawk"):
        replies = set(rows[reply]) - {""}
        if float(p) < cutoff:
            assert "refuse" not in replies and not any("refuse" in o for o in rows["outcome"])
        else:
            assert replies == {"refuse"}
            assert set(rows["outcome"]) == {"reply_if_hawk/refuse + reply_if_pragmatic/refuse"}
    switches = sw.switches()
    assert len(switches) == 1 and switches[0][0] < cutoff < switches[0][1]


def test_london_with_extension_always_refused() -> None:
    # accepting is worth 8 (1 - p/2) - 9 < 0 to the US for every prior (docs/trees.md)
    sw = LONDON.sweep(grid={"p_hawk": np.linspace(0, 1, 11)}, fixed={"extended": 1})
    reply = sw.table["move:reply_if_hawk | reply_if_pragmatic"]
    assert set(reply) - {""} == {"refuse"}


def test_sweep_rows_equal_single_solves() -> None:
    sw = LONDON.sweep(sample=6, seed=4, params=["p_hawk", "tariff"], fixed={"extended": 0})
    assert sw.design.kind == "uniform" and sw.design.size == 6
    for _, rows in sw.table.groupby("point"):
        first = rows.iloc[0]
        values = {name: float(first[name]) for name in LONDON.parameters}
        tree = LONDON.tree(values)
        result = gt.spe_tree(tree)
        assert len(rows) == len(result) == first["n_equilibria"]
        assert bool(first["complete"]) == result.complete
        for (_, row), eq in zip(rows.iterrows(), result, strict=True):
            assert tree_regret(tree, eq.behaviour) <= 1e-9
            assert row["payoff:US"] == pytest.approx(eq.payoff()["US"])
            assert row["payoff:China"] == pytest.approx(eq.payoff()["China"])
        assert values["extended"] == 0


def test_processes_give_the_same_table(incumbent: gt.TreeScenario) -> None:
    grid = {"p_tough": np.linspace(0, 1, 130)}
    one = tree_sweep(incumbent, grid=grid)
    two = tree_sweep(incumbent, grid=grid, processes=2)
    pd.testing.assert_frame_equal(one.table, two.table)


def test_bad_inputs_one_clear_error(incumbent: gt.TreeScenario) -> None:
    with pytest.raises(ScenarioError, match="unknown parameter 'p_tuff'; did you mean 'p_tough'"):
        incumbent.sweep(grid={"p_tuff": [0.1]})
    with pytest.raises(ScenarioError, match="outside"):
        incumbent.sweep(grid={"p_tough": [0.5, 1.5]})
    with pytest.raises(ScenarioError, match="either grid"):
        incumbent.sweep()
    with pytest.raises(ScenarioError, match="unknown concept"):
        incumbent.sweep(grid={"p_tough": [0.1]}, concept="ess")
    with pytest.raises(ScenarioError, match="both fixed"):
        incumbent.sweep(grid={"p_tough": [0.1]}, fixed={"p_tough": 0.2})
    with pytest.raises(gt.GameTheoryError, match=r"signalling.*\(at p_tough=0\.1\)"):
        incumbent.sweep(grid={"p_tough": [0.1]}, concept="pbe")


# ---------------------------------------------------------------------- command line
def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_sweep_grid_with_set_and_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "london.csv"
    args = ["sweep", PRIVATE, "--grid", "p_hawk=0.1:0.9:5", "--set", "extended=0"]
    code, text, _ = run(capsys, *args, "--set", "tariff=0.8", "--out", out)
    assert code == 0
    table = pd.read_csv(out)
    assert (table["extended"] == 0).all() and (table["tariff"] == 0.8).all()
    assert sorted(table["p_hawk"].unique()) == pytest.approx([0.1, 0.3, 0.5, 0.7, 0.9])
    # cutoff 0.3 at tariff 0.8: 0.1 deal, 0.5 and above refused; 0.3 is the tie
    assert "Where the prediction changes along p_hawk" in text
    assert "between p_hawk = 0.3 and 0.5" in text


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--grid", "p_hawkk=0:1:3"], "unknown parameter 'p_hawkk'; did you mean 'p_hawk'"),
        (["--grid", "p_hawk=0:1:3", "--set", "p_hawk=0.2"], "both fixed"),
        (["--grid", "p_hawk=0:1:3", "--method", "pure"], "--method does not apply to tree"),
        (["--grid", "p_hawk=0:1:3", "--resume"], "--resume needs --out"),
        (["--grid", "p_hawk=0:1:3", "--processes", "4"], "at most 2 processes"),
    ],
)
def test_cli_sweep_refusals(
    capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    code, _, err = run(capsys, "sweep", PRIVATE, *extra)
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_cli_robust_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "entry.toml"
    path.write_text(UNKNOWN_INCUMBENT)
    code, text, _ = run(capsys, "robust", path, "--samples", 64, "--seed", 2, "--format", "json")
    assert code == 0
    import json

    data = json.loads(text)
    assert data["schema"] == "gametheory.robust/1" and data["concept"] == "spe"
    assert sum(o["points"] for o in data["outcomes"]) == 64
    code, _, err = run(capsys, "robust", path, "--samples", 8, "--method", "pure")
    assert code == 2 and "--method does not apply to tree" in err


def test_cli_concept_refused_on_matrix_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "sweep", PAYOFFS / "chicken.toml", "--grid", "crash=2,4", "--concept", "spe"
    )
    assert code == 2 and "--concept applies to tree scenarios" in err


# ---------------------------------------------------------------------- report
def test_report_where_the_prediction_changes_and_how_sure(incumbent: gt.TreeScenario) -> None:
    from gametheory.report.tree import build_tree_report

    report = build_tree_report(incumbent.tree(), incumbent.title, scenario=incumbent, samples=64)
    titles = [s.title for s in report.sections]
    assert titles == ["The predicted play", "Where the prediction changes", "How sure", "Details"]
    switches, sure = report.sections[1], report.sections[2]
    # 21 values of p_tough in [0, 1]: 1 - 2p changes sign at the grid value 0.5 (a tie there)
    assert (
        "p_tough: between 0.45 and 0.5 the prediction changes from A to B." in switches.paragraphs
    )
    assert (
        "p_tough: between 0.5 and 0.55 the prediction changes from B to C." in switches.paragraphs
    )
    codes = dict(switches.tables[0].rows)
    assert codes["A"] == "tough_answers/fight + weak_answers/accommodate"
    assert codes["C"] == "entrant_vs_tough/out + entrant_vs_weak/out"
    assert switches.figures and switches.figures[0].svg.startswith("<svg")
    assert "64 points drawn from the declared beliefs" in sure.paragraphs[0]
    assert sum(float(row[1]) for row in sure.tables[0].rows) == pytest.approx(1.0, abs=0.01)


def test_signalling_details_show_pbe_not_spe() -> None:
    from gametheory.report.tree import build_tree_report

    from .test_tree_figure import beer_quiche

    details = build_tree_report(beer_quiche(), "Beer-quiche").sections[-1]
    captions = [t.caption for t in details.tables]
    assert captions[0] == "Perfect Bayesian equilibria"
    assert not any("subgame-perfect" in c for c in captions)
    beliefs = details.tables[1].rows
    # pooling on beer (Cho and Kreps 1987): after beer the prior 0.9/0.1; quiche is off the path
    assert (
        "1",
        "pooling",
        "beer",
        "not duel",
        "on the path: Bayes' rule gives strong 0.9, weak 0.1",
    ) in beliefs
    assert any(
        r[2] == "quiche" and r[4].startswith("off the path: any belief with") for r in beliefs
    )


def test_sweep_payoffs_among_gambits_nash_equilibria() -> None:
    # Every SPE is a Nash equilibrium: at each point of a sample, the sweep's payoffs must be
    # among those of Gambit's extreme Nash equilibria of the same tree (an independent tool).
    gbt = pytest.importorskip("pygambit")
    import io

    sw = LONDON.sweep(sample=4, seed=11, params=["p_hawk", "tariff"], fixed={"extended": 0})
    for _, rows in sw.table.groupby("point"):
        values = {name: float(rows.iloc[0][name]) for name in LONDON.parameters}
        game = gbt.read_efg(io.StringIO(gt.dumps_efg(LONDON.tree(values))))
        theirs = {
            tuple(round(float(eq.payoffs[p]), 6) + 0.0 for p in game.players)
            for eq in gbt.nash.enummixed_solve(game, rational=False).equilibria
        }
        ours = {
            (round(float(us), 6) + 0.0, round(float(china), 6) + 0.0)
            for us, china in zip(rows["payoff:US"], rows["payoff:China"], strict=True)
        }
        assert ours <= theirs
