"""Sequential scenarios, subgame perfection, credibility and commitment."""

from __future__ import annotations

import json
import subprocess

import pytest

import gametheory as gt
from gametheory.analysis.negotiation.commitment import commitment
from gametheory.analysis.negotiation.sequential import (
    SequentialError,
    credibility,
    nash_vs_spe,
    spe,
)

from .conftest import PAYOFFS, ROOT
from .test_cli import COMMAND

SEQUENTIAL = PAYOFFS / "london_talks_2025_sequential.toml"
LINKAGE = {"ai_chips=maintain": "withhold+expedite", "ai_chips=relax": "license+expedite"}

ENTRY = """
schema_version = 1
title = "Entry deterrence (Selten's chain-store stage game)"
[players.Entrant]
[players.Incumbent]
[chips.entry]
player = "Entrant"
options = ["out", "enter"]
[chips.response]
player = "Incumbent"
options = ["accommodate", "fight"]
[timing]
kind = "sequential"
stages = [["entry"], ["response"]]
[payoffs]
Entrant = "entry.out * 0 + entry.enter * (2 * response.accommodate - 1 * response.fight)"
Incumbent = "entry.out * 5 + entry.enter * (2 * response.accommodate - 1 * response.fight)"
"""


def test_entry_deterrence_the_textbook_case() -> None:
    """Selten (1978); e.g. Osborne and Rubinstein (1994), ch. 6: the threat to fight is not
    credible, so the only subgame-perfect outcome is (enter, accommodate), while (out, fight)
    is a Nash equilibrium of the normal form resting on that threat."""
    sc = gt.load_string(ENTRY)
    result = spe(sc)
    assert result.complete
    # Two SPE, alike on the path: after "out" the incumbent is indifferent (5 either way), and
    # both of its choices there are listed.
    assert result.outcomes() == ["Entrant: enter / Incumbent: accommodate"] * 2
    assert result.equilibria[0].payoffs == {"Entrant": 2.0, "Incumbent": 2.0}
    compared = nash_vs_spe(sc)
    outcomes = {(n["outcome"], n["subgame_perfect"]) for n in compared["nash"]}
    assert ("Entrant: out / Incumbent: fight", False) in outcomes
    assert ("Entrant: enter / Incumbent: accommodate", True) in outcomes
    threat = credibility(sc, "Incumbent", {"entry=enter": "fight"})
    assert not threat.credible
    assert "accommodate pays Incumbent more" in threat.sentence()


def test_normal_form_strategies_are_conditional_plans() -> None:
    sc = gt.load_string(ENTRY)
    game = sc.game()
    assert game.actions[0] == ("out", "enter")
    assert game.actions[1] == (
        "[entry=out: accommodate; entry=enter: accommodate]",
        "[entry=out: accommodate; entry=enter: fight]",
        "[entry=out: fight; entry=enter: accommodate]",
        "[entry=out: fight; entry=enter: fight]",
    )
    # Entering against "fight whenever entered" pays the entrant -1.
    assert game.payoff(("enter", "[entry=out: fight; entry=enter: fight]"))["Entrant"] == -1


def test_london_sequential_baseline_and_linkage() -> None:
    sc = gt.load(SEQUENTIAL)
    baseline = spe(sc)
    assert baseline.outcomes() == ["US: maintain+extend+lift / China: withhold+expedite"]
    # linkage_reward (4) < magnet_leverage (5): China would not license after relaxation.
    assert not credibility(sc, "China", LINKAGE).credible
    # With linkage_reward 7 > 5 the promise is credible; with security_cost 6 < defence_need 8
    # the US then relaxes and China licenses (from the payoff formulas of the file).
    assert credibility(sc, "China", LINKAGE, params={"linkage_reward": 7}).credible
    moved = spe(sc, linkage_reward=7, security_cost=6)
    assert moved.outcomes() == ["US: relax+extend+lift / China: license+expedite"]


def test_a_nash_equilibrium_resting_on_a_non_credible_promise() -> None:
    """security_cost 6 < defence_need 8 but linkage_reward 4 < magnet_leverage 5: if the US
    believed China's promise it would relax, which is a Nash equilibrium of the normal form,
    but not subgame perfect."""
    sc = gt.load(SEQUENTIAL)
    compared = nash_vs_spe(sc, {"security_cost": 6})
    assert compared["spe"] == ["US: maintain+extend+lift / China: withhold+expedite"]
    relaxed = [n for n in compared["nash"] if n["outcome"].startswith("US: relax")]
    assert relaxed and not any(n["subgame_perfect"] for n in relaxed)


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ('[["entry", "response"]]', "at least two"),
        ('[["entry"], ["entry", "response"]]', "more than one stage"),
        ('[["entry"], ["nope"]]', "unknown chip 'nope'"),
        ('[["entry"], []]', "in no stage"),
    ],
)
def test_bad_stages(stages, message) -> None:
    text = ENTRY.replace('stages = [["entry"], ["response"]]', f"stages = {stages}")
    with pytest.raises(gt.ScenarioError, match=message):
        gt.load_string(text)


def test_spe_needs_sequential_timing() -> None:
    with pytest.raises(SequentialError, match="simultaneous"):
        spe(gt.load(PAYOFFS / "london_talks_2025.toml"))
    with pytest.raises(gt.ScenarioError, match="not supported"):
        gt.load(SEQUENTIAL).sweep(sample=3)


def test_cli_solve_concept_spe() -> None:
    run = subprocess.run(
        [*COMMAND, "solve", str(SEQUENTIAL), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["concept"].startswith("subgame-perfect")
    assert data["equilibria"][0]["outcome"] == (
        "US: maintain+extend+lift / China: withhold+expedite"
    )
    run = subprocess.run(
        [*COMMAND, "solve", str(PAYOFFS / "chicken.toml"), "--concept", "spe"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "sequential" in run.stderr


# ---------------------------------------------------------------------- commitment
def test_commitment_example_of_conitzer_and_sandholm() -> None:
    """Conitzer and Sandholm (EC 2006): in A = [[2, 4], [1, 3]], B = [[1, 0], [0, 1]] the
    simultaneous equilibrium gives the leader 2, pure commitment to the bottom row 3, and
    committing to (1/2, 1/2) 3.5 (the follower, indifferent, breaks the tie for the leader)."""
    game = gt.Game.from_arrays(
        [[2, 4], [1, 3]], [[1, 0], [0, 1]], players=("L", "F"), actions=(("U", "D"), ("l", "r"))
    )
    result = commitment(game)
    assert result.simultaneous == (2.0, 2.0)
    assert (result.pure_strategy, result.pure_response, result.pure_value) == ("D", "r", 3.0)
    assert result.mixed_value == pytest.approx(3.5)
    assert result.mixed_strategy == pytest.approx({"U": 0.5, "D": 0.5})
    assert result.value_of_moving_first() == pytest.approx(1.5)


def test_commitment_as_the_second_player() -> None:
    # Matching pennies: committing to any strategy is exploited down to the value 0.
    game = gt.load(PAYOFFS / "matching_pennies.toml").game()
    result = commitment(game, "Player2")
    assert result.mixed_value == pytest.approx(0.0, abs=1e-9)
    assert result.value_of_moving_first() == pytest.approx(0.0, abs=1e-9)


# ---------------------------------------------------------------------- chip order in a stage
ORDERED = """
schema_version = 1
title = "A first move, then a prisoner's dilemma"
[players.A]
[players.B]
[chips.first]
player = "A"
options = ["left", "right"]
[chips.a_chip]
player = "A"
options = ["cooperate", "defect"]
[chips.b_chip]
player = "B"
options = ["trust", "cheat"]
[timing]
kind = "sequential"
stages = [["first"], STAGE]
[payoffs]
A = '''2 * first.left + 3 * a_chip.cooperate * b_chip.trust + 5 * a_chip.defect * b_chip.trust
     + a_chip.defect * b_chip.cheat'''
B = '''3 * a_chip.cooperate * b_chip.trust + 5 * a_chip.cooperate * b_chip.cheat
     + a_chip.defect * b_chip.cheat'''
"""


@pytest.mark.parametrize("stage", ['["a_chip", "b_chip"]', '["b_chip", "a_chip"]'])
def test_nash_vs_spe_whatever_the_order_of_chips_in_a_stage(stage) -> None:
    """Issue 10: listing the later player's chip first marked no equilibrium subgame perfect.

    Derived by hand. After either first move the second stage is a prisoner's dilemma
    (3,3 / 0,5 / 5,0 / 1,1), where defecting (cheating) is strictly dominant, so backward
    induction gives (defect, cheat) in both subgames and A moves left (2 + 1 > 1): one SPE.
    Pure Nash equilibria of the normal form: A's first move cannot be right (moving left gets
    A at least 2 + 0 > 1); with left, B cheats on the path (dominant) and must cheat after
    right too (else A gains 5 > 3 by moving right and defecting), and A defects on the path;
    A's choice after right is free. So two Nash equilibria, one of them subgame perfect (the
    one in which A would also defect after right).
    """
    sc = gt.load_string(ORDERED.replace("STAGE", stage))
    result = spe(sc)
    assert result.complete
    assert result.outcomes() == ["A: left+defect / B: cheat"]
    compared = nash_vs_spe(sc)
    assert len(compared["nash"]) == 2
    assert [n["subgame_perfect"] for n in compared["nash"]].count(True) == 1
    perfect = next(n for n in compared["nash"] if n["subgame_perfect"])
    assert perfect["plans"]["A"].endswith("first=right: defect]")
    # The equilibrium's plan lists each stage's choices in the stage's order.
    chips = list(result.equilibria[0].plan[(1, "first=left")])
    assert chips == [c.strip('" ') for c in stage.strip("[]").split(",")]


def test_nash_vs_spe_checks_the_normal_form_size_before_listing() -> None:
    """B answers each of A's 8 options with one of 4: 4^8 = 65,536 plans (under the per-player
    limit) and 8 x 65,536 = 524,288 profiles, over Scenario.game()'s 50,000."""
    text = ENTRY.replace(
        'options = ["out", "enter"]', 'options = ["o1", "o2", "o3", "o4", "o5", "o6", "o7", "o8"]'
    ).replace('options = ["accommodate", "fight"]', 'options = ["r1", "r2", "r3", "r4"]')
    text = (
        text.split("[payoffs]")[0] + '[payoffs]\nEntrant = "entry.o1"\nIncumbent = "response.r1"\n'
    )
    sc = gt.load_string(text)
    with pytest.raises(SequentialError, match="524,288 pure profiles"):
        sc.game()
    with pytest.raises(SequentialError, match=r"524,288 pure profiles.*50,000"):
        nash_vs_spe(sc)


def test_plans_counted_before_histories_are_listed() -> None:
    """Sixteen two-option chips first (65,536 histories), then one two-option chip: its owner
    would have 2^65,536 plans, about 10^19,728; refused from the counts alone."""
    from gametheory.model.stages import all_plans, stage_structure

    chips = "\n".join(f'[chips.c{i}]\nplayer = "A"\noptions = ["n", "y"]' for i in range(16))
    first = ", ".join(f'"c{i}"' for i in range(16))
    text = f"""
schema_version = 1
title = "wide first stage"
[players.A]
[players.B]
{chips}
[chips.reply]
player = "B"
options = ["n", "y"]
[timing]
kind = "sequential"
stages = [[{first}], ["reply"]]
[payoffs]
A = "c0.y"
B = "reply.y"
"""
    sc = gt.load_string(text)
    with pytest.raises(SequentialError, match=r"'B' would have about 10\^19,728"):
        all_plans(stage_structure(sc, None))


# ---------------------------------------------------------------------- the stage form as a tree
def test_stage_form_compiles_to_a_tree_with_the_same_spe() -> None:
    """The tree of the London sequential scenario: stage 1 the US on AI chips, stage 2 both
    sides at once (China's nodes form information sets over the US's stage-2 choices). Its
    subgame-perfect equilibria, found by the tree solver, are those of backward induction on
    the stages: one, with the same path and payoffs."""
    from gametheory.model.stages import stage_tree

    sc = gt.load(SEQUENTIAL)
    tree = stage_tree(sc)
    # 1 root + 2 US stage-2 nodes + 2 x 4 China nodes + 2 x 4 x 4 terminal nodes.
    assert (tree.n_nodes, len(tree.terminals)) == (43, 32)
    assert tree.subgames().tolist() == [0, 1, 2]
    ours = gt.spe_tree(tree)
    stages = spe(sc)
    assert ours.complete and len(ours) == len(stages.equilibria) == 1
    assert ours[0].payoff() == stages.equilibria[0].payoffs
    assert ours[0].path() == [("maintain/extend+lift/withhold+expedite", 1.0)]


@pytest.mark.parametrize("stage", ['["a_chip", "b_chip"]', '["b_chip", "a_chip"]'])
def test_stage_tree_whatever_the_order_of_chips(stage) -> None:
    from gametheory.model.stages import stage_tree

    sc = gt.load_string(ORDERED.replace("STAGE", stage))
    result = gt.spe_tree(stage_tree(sc))
    assert len(result) == 1
    assert result[0].payoff() == spe(sc).equilibria[0].payoffs == {"A": 3.0, "B": 1.0}


def test_stage_tree_size_checked_before_building(monkeypatch) -> None:
    from gametheory.model import stages

    monkeypatch.setattr(stages, "MAX_NODES", 40)
    with pytest.raises(SequentialError, match="43 nodes"):
        stages.stage_tree(gt.load(SEQUENTIAL))
