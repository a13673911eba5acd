"""Tree scenarios in TOML: equilibria derived by hand in each test; bad input with file:line."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gametheory as gt
from gametheory.errors import GameTheoryError, ScenarioError
from gametheory.io import load_tree_scenario, loads_tree_scenario
from gametheory.model.tree import CHANCE
from gametheory.solvers.tree import tree_regret

from .conftest import PAYOFFS

PRIVATE = PAYOFFS / "london_talks_2025_private.toml"

# Entry deterrence (Selten 1978) with a parameterised cost of fighting. Entrant: out 0,
# enter and accommodated 2, enter and fought -1. Incumbent: out 4, accommodate 1,
# fight 2 - fight_cost.
ENTRY = """\
schema_version = 1
title = "Entry deterrence"

[parameters]
fight_cost = { value = 2, min = 0 }

[players.Entrant]
[players.Incumbent]

[tree.entry]
player = "Entrant"
moves = { out = [0, 4], enter = "respond" }

[tree.respond]
player = "Incumbent"
moves.accommodate = [2, 1]
moves.fight = ["-1", "2 - fight_cost"]
"""

# The same game with the payoffs as one expression per player over the path's moves.
ENTRY_INDICATORS = """\
schema_version = 1
title = "Entry deterrence, payoffs from move indicators"

[parameters]
fight_cost = 2

[players.Entrant]
[players.Incumbent]

[payoffs]
Entrant = "2 * Incumbent.accommodate - Incumbent.fight"
Incumbent = "4 * entry.out + respond.accommodate + (2 - fight_cost) * respond.fight"

[tree.entry]
player = "Entrant"
moves = { out = {}, enter = "respond" }

[tree.respond]
player = "Incumbent"
moves = { accommodate = {}, fight = {} }
"""


def _spe_path(scenario: gt.TreeScenario, **values: float) -> tuple[list[str], dict[str, float]]:
    result = gt.spe_tree(scenario.tree(**values))
    assert result.complete
    assert len(result) == 1
    eq = result[0]
    assert tree_regret(eq.tree, eq.behaviour) <= 1e-9  # independent regret re-check
    return [name for name, _ in eq.path()], eq.payoff()


# ---------------------------------------------------------------------- entry deterrence
@pytest.mark.parametrize("cost", [0.0, 0.5, 0.99, 1.01, 2.0, 5.0])
def test_entry_deterrence_threshold_derived_by_hand(cost: float) -> None:
    # By hand: the incumbent accommodates iff 1 > 2 - c, i.e. c > 1; the entrant then enters
    # (2 > 0). For c < 1 the incumbent fights, and the entrant, expecting -1 < 0, stays out.
    scenario = loads_tree_scenario(ENTRY)
    path, pay = _spe_path(scenario, fight_cost=cost)
    if cost > 1:
        assert path == ["respond/accommodate"]
        assert pay == {"Entrant": 2.0, "Incumbent": 1.0}
    else:
        assert path == ["entry/out"]
        assert pay == {"Entrant": 0.0, "Incumbent": 4.0}


def test_indicator_payoffs_give_the_same_tree() -> None:
    explicit = loads_tree_scenario(ENTRY)
    indicators = loads_tree_scenario(ENTRY_INDICATORS)
    for cost in (0.3, 2.0):
        a, b = explicit.tree(fight_cost=cost), indicators.tree(fight_cost=cost)
        np.testing.assert_array_equal(a.payoffs, b.payoffs)
        assert a.move_labels == b.move_labels


def test_scenario_is_immutable_with_baseline_and_resolve() -> None:
    scenario = loads_tree_scenario(ENTRY)
    assert scenario.baseline == {"fight_cost": 2.0}
    assert scenario.resolve({"fight_cost": 0.5}) == {"fight_cost": 0.5}
    with pytest.raises(ScenarioError, match="did you mean 'fight_cost'"):
        scenario.resolve({"fight_cots": 1})
    with pytest.raises(ScenarioError, match="outside its declared range"):
        scenario.tree(fight_cost=-1)
    with pytest.raises(AttributeError):
        scenario.title = "x"  # type: ignore[misc]
    with pytest.raises(ScenarioError, match="unknown parameter 'fight_cots'"):
        scenario.sweep(grid={"fight_cots": [1.0]})  # sweeps: tests/test_tree_sweep.py


# ---------------------------------------------------------------------- chance and a prior
PRIOR = """\
schema_version = 1
title = "Fight an opponent of unknown type"

[parameters]
p_strong = { value = 0.3, min = 0, max = 1 }

[players.Challenger]
does_not_see = ["chance"]

[tree.nature]
chance = { strong = "p_strong", weak = "1 - p_strong" }
moves = { strong = "vs_strong", weak = "vs_weak" }

[tree.vs_strong]
player = "Challenger"
moves = { fight = [-1], yield = [0] }

[tree.vs_weak]
player = "Challenger"
moves = { yield = [0], fight = [1] }
"""


@pytest.mark.parametrize("p", [0.0, 0.3, 0.49, 0.51, 0.8, 1.0])
def test_prior_as_chance_probability(p: float) -> None:
    # By hand: fighting is worth (1 - p) * 1 + p * (-1) = 1 - 2p, yielding 0: fight iff p < 1/2.
    scenario = loads_tree_scenario(PRIOR)
    tree = scenario.tree(p_strong=p)
    chance = tree.probability[tree.parent == 0]
    assert tree.kind[0] == CHANCE
    np.testing.assert_allclose(chance, [p, 1 - p])
    assert tree.n_infosets == 1  # the challenger does not see the type
    assert tree.infoset_moves(0) == ("fight", "yield")  # the second node's moves reordered
    result = gt.spe_tree(tree)
    eq = result[0]
    assert tree_regret(tree, eq.behaviour) <= 1e-9
    expected = "fight" if p < 0.5 else "yield"
    assert eq.strategy(0)[expected] == pytest.approx(1.0)
    assert eq.payoff()["Challenger"] == pytest.approx(max(1 - 2 * p, 0.0))


def test_probabilities_not_summing_to_one_at_an_override(tmp_path: Path) -> None:
    path = tmp_path / "prior.toml"
    path.write_text(PRIOR.replace('"1 - p_strong"', '"0.7"'))
    scenario = load_tree_scenario(path)  # the baseline (0.3 + 0.7) is fine
    with pytest.raises(ScenarioError) as info:
        scenario.tree(p_strong=0.5)
    assert f"{path}:10" in str(info.value)  # the [tree.nature] line
    assert "sum to 1.2, not 1" in str(info.value)


# ---------------------------------------------------------------------- information sets
PENNIES = """\
schema_version = 1
title = "Matching pennies as a tree"

[players.A]
[players.B]
does_not_see = ["A"]

[tree.a]
player = "A"
moves = { heads = "b_after_heads", tails = "b_after_tails" }

[tree.b_after_heads]
player = "B"
moves = { heads = [1, -1], tails = [-1, 1] }

[tree.b_after_tails]
player = "B"
moves = { heads = [-1, 1], tails = [1, -1] }
"""


@pytest.mark.parametrize(
    "text",
    [
        PENNIES,
        # the explicit syntax: the same information set named on both nodes
        PENNIES.replace('does_not_see = ["A"]\n', "").replace(
            'player = "B"\n', 'player = "B"\ninfoset = "B guesses"\n'
        ),
    ],
)
def test_matching_pennies_tree_has_the_unique_mixed_equilibrium(text: str) -> None:
    # Matching pennies has one equilibrium, each player mixing 1/2-1/2, value 0 (von Neumann
    # and Morgenstern 1944; any textbook). Written as a tree with B not seeing A's move.
    tree = loads_tree_scenario(text).tree()
    assert tree.n_infosets == 2
    for solve in (gt.spe_tree, gt.nash_tree):
        result = solve(tree)
        assert len(result) == 1
        eq = result[0]
        assert tree_regret(tree, eq.behaviour) <= 1e-9
        np.testing.assert_allclose(eq.behaviour, 0.5, atol=1e-9)
        np.testing.assert_allclose(eq.payoffs, 0.0, atol=1e-9)


def test_matching_pennies_agrees_with_pygambit() -> None:
    gbt = pytest.importorskip("pygambit")
    tree = loads_tree_scenario(PENNIES).tree()
    game = gbt.read_efg(__import__("io").StringIO(gt.dumps_efg(tree)))
    found = gbt.nash.enummixed_solve(game, rational=False).equilibria
    assert len(found) == 1
    for player in game.players:
        assert [float(x) for _, x in found[0][player]] == pytest.approx([0.5, 0.5])


# ---------------------------------------------------------------------- London, private information
def test_london_private_baseline_derived_by_hand() -> None:
    # By hand at the baseline (extension granted, p_hawk 0.5): accepting the offer is worth
    # 8 x (1 - q/2) - 9 < 0 to the US for any belief q, refusing 0, so the US refuses; offering
    # is then worth offer_value 0.5 to China against 0, so both types offer; relaxing first is
    # worth (1 - p)(8 - 9) + p(-9) < 0 (a hawk withholds: 6 - 6 + 4 < 6; a pragmatic China
    # licenses: 6 - 3 + 4 > 6), so the US maintains. Payoffs: US 1.5 (remedy time), China 0.5.
    scenario = load_tree_scenario(PRIVATE)
    result = gt.spe_tree(scenario.tree())
    assert result.complete and len(result) == 1
    eq = result[0]
    assert tree_regret(eq.tree, eq.behaviour) <= 1e-9
    assert eq.payoff() == pytest.approx({"US": 1.5, "China": 0.5})
    assert sorted(eq.path()) == [("reply_if_hawk/refuse", 0.5), ("reply_if_pragmatic/refuse", 0.5)]
    behaviour = eq.behaviour_by_infoset()
    assert behaviour["chips_if_hawk | chips_if_pragmatic"] == {"maintain": 1.0, "relax": 0.0}
    assert behaviour["magnets_if_hawk"] == {"license": 0.0, "withhold": 1.0}
    assert behaviour["magnets_if_pragmatic"] == {"license": 1.0, "withhold": 0.0}
    # the US has two information sets: it never sees the type
    us = [label for label in eq.tree.infoset_labels if label.startswith(("chips", "reply"))]
    assert len(us) == 2


@pytest.mark.parametrize("p", [0.0, 0.2, 0.8, 1.0])
def test_london_private_offer_made_and_refused_for_every_prior(p: float) -> None:
    tree = load_tree_scenario(PRIVATE).tree(p_hawk=p)
    for eq in gt.spe_tree(tree).equilibria:
        assert eq.payoff() == pytest.approx({"US": 1.5, "China": 0.5})
        assert all(name.endswith("/refuse") for name, _ in eq.path())


@pytest.mark.parametrize(("p", "deal"), [(0.0, True), (0.04, True), (0.06, False), (0.5, False)])
def test_london_private_without_extension_threshold(p: float, deal: bool) -> None:
    # By hand with the deadline enforced: refusing costs the US 4 x 0.55 - 1 = 1.2; the deal
    # is worth 8 x (1 - p/2) - 9 = -1 - 4p (both types offer: the offer reveals nothing), so the
    # US deals iff -1 - 4p >= -1.2, i.e. p <= 0.05.
    tree = load_tree_scenario(PRIVATE).tree(extended=0, p_hawk=p)
    result = gt.spe_tree(tree)
    assert len(result) >= 1
    for eq in result.equilibria:
        assert tree_regret(tree, eq.behaviour) <= 1e-9
        if deal:
            assert eq.payoff()["US"] == pytest.approx(-1 - 4 * p)
        else:
            assert eq.payoff()["US"] == pytest.approx(-1.2)
            assert all(name.endswith("/refuse") for name, _ in eq.path())


def test_a_parameter_called_tree_does_not_make_a_tree(tmp_path: Path) -> None:
    from gametheory.io.toml_tree import is_tree_text

    chicken = (PAYOFFS / "chicken.toml").read_text()
    assert not is_tree_text(chicken.replace("[parameters]", "[parameters]\ntree = 1"))
    assert is_tree_text(ENTRY)
    assert is_tree_text(ENTRY + "\n[tree.broken\n")  # malformed: the tree reader says why


def test_simultaneous_london_is_still_a_scenario() -> None:
    assert isinstance(gt.load(PAYOFFS / "london_talks_2025.toml"), gt.Scenario)
    with pytest.raises(ScenarioError, match="load_tree"):
        gt.load(PRIVATE)
    with pytest.raises(ScenarioError, match=r"gametheory.load\(path\)"):
        load_tree_scenario(PAYOFFS / "london_talks_2025.toml")
    assert gt.load_tree(PRIVATE, p_hawk=0.2).n_nodes == 19


# ---------------------------------------------------------------------- bad input
def _error(text: str) -> str:
    with pytest.raises(GameTheoryError) as info:
        loads_tree_scenario(text, source="t.toml")
    return str(info.value)


def _line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_probabilities_not_summing_to_one() -> None:
    text = PRIOR.replace('"1 - p_strong"', '"0.5"')
    message = _error(text)
    assert f"t.toml:{_line_of(text, 'chance = ')}" in message
    assert "sum to 0.8, not 1" in message


def test_probability_outside_zero_one() -> None:
    text = PRIOR.replace('"1 - p_strong"', '"1.4 - p_strong"').replace(
        '"p_strong"', '"p_strong - 0.4"', 1
    )
    message = _error(text)
    assert "outside [0, 1]" in message and "t.toml:" in message


def test_move_named_twice() -> None:
    text = ENTRY.replace("moves.fight =", "moves.accommodate =")
    message = _error(text)
    line = _line_of(text, 'moves.accommodate = ["-1"')
    assert f"t.toml:{line}" in message
    assert "given twice" in message


def test_duplicate_node_id() -> None:
    text = ENTRY + '\n[tree.respond]\nplayer = "Entrant"\nmoves = { x = [0, 0] }\n'
    message = _error(text)
    assert f"t.toml:{len(ENTRY.splitlines()) + 2}" in message
    assert "malformed TOML" in message


def test_unknown_player() -> None:
    text = ENTRY.replace('player = "Incumbent"', 'player = "Incumbnt"')
    message = _error(text)
    assert f"t.toml:{_line_of(text, 'Incumbnt')}" in message
    assert "unknown player 'Incumbnt'; did you mean 'Incumbent'?" in message


def test_information_set_with_different_moves() -> None:
    text = PENNIES.replace("heads = [-1, 1], tails = [1, -1]", "heads = [-1, 1], edge = [1, -1]")
    message = _error(text)
    assert f"t.toml:{_line_of(text, 'edge = ')}" in message
    assert "need the same moves" in message


def test_information_set_with_different_owners() -> None:
    text = (
        PENNIES.replace('does_not_see = ["A"]\n', "")
        .replace('player = "B"\n', 'player = "B"\ninfoset = "guess"\n', 1)
        .replace('[tree.b_after_tails]\nplayer = "B"\n', '[tree.b_after_tails]\nplayer = "A"\n')
        .replace("[tree.b_after_tails]\n", '[tree.b_after_tails]\ninfoset = "guess"\n')
    )
    message = _error(text)
    tail = text.index("[tree.b_after_tails]")
    line = text.count("\n", 0, text.index('infoset = "guess"', tail)) + 1
    assert f"t.toml:{line}" in message
    assert "an information set has one owner" in message


def test_cycle() -> None:
    text = ENTRY.replace('moves.fight = ["-1", "2 - fight_cost"]', 'moves.fight = "entry"')
    message = _error(text)
    assert f"t.toml:{_line_of(text, 'moves.fight = ')}" in message
    assert "cycle" in message


def test_node_with_two_parents_and_unreached_node() -> None:
    text = ENTRY.replace('moves.fight = ["-1", "2 - fight_cost"]', 'moves.fight = "end"')
    text = text.replace("moves.accommodate = [2, 1]", 'moves.accommodate = "end"')
    text += "\n[tree.end]\npayoffs = [0, 0]\n"
    message = _error(text)
    assert "one parent" in message and "t.toml:" in message
    lonely = ENTRY + "\n[tree.lonely]\npayoffs = [0, 0]\n"
    message = _error(lonely)
    assert f"t.toml:{_line_of(lonely, '[tree.lonely]')}" in message
    assert "not reached from the root" in message


def test_unknown_name_in_a_payoff() -> None:
    text = ENTRY.replace("2 - fight_cost", "2 - fight_kost")
    message = _error(text)
    assert f"t.toml:{_line_of(text, 'fight_kost')}" in message
    assert "did you mean 'fight_cost'" in message


def test_unknown_key_and_wrong_payoff_count() -> None:
    text = ENTRY.replace('player = "Incumbent"', 'player = "Incumbent"\nowner = "x"')
    message = _error(text)
    assert f"t.toml:{_line_of(text, 'owner =')}" in message and "unknown key" in message
    text = ENTRY.replace("[2, 1]", "[2, 1, 0]")
    message = _error(text)
    assert f"t.toml:{_line_of(text, '[2, 1, 0]')}" in message
    assert "3 payoffs for 2 players" in message


def test_wrong_kind_of_move_target_or_probability() -> None:
    text = ENTRY.replace("[2, 1]", "5")
    message = _error(text)
    assert f"t.toml:{_line_of(text, 'moves.accommodate = 5')}" in message
    assert "a move leads to a node id" in message
    message = _error(PRIOR.replace('"p_strong"', "true", 1))
    assert "chance probabilities are numbers or expression strings" in message
    message = _error(PRIOR.replace('"p_strong"', '"p_strong * vs_weak.fight"', 1))
    assert "chance probabilities use parameters only" in message


def test_depth_limit() -> None:
    from gametheory.model.tree_scenario import MAX_DEPTH

    lines = ['schema_version = 1\ntitle = "chain"\n[players.P]\n']
    for i in range(MAX_DEPTH + 1):
        lines.append(f'[tree.n{i}]\nplayer = "P"\nmoves = {{ stop = [0], go = "n{i + 1}" }}\n')
    lines.append(f"[tree.n{MAX_DEPTH + 1}]\npayoffs = [1]\n")
    message = _error("\n".join(lines))
    assert f"more than {MAX_DEPTH} moves deep" in message
    assert re.search(r"t\.toml:\d+", message)


def test_node_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    import gametheory.io.toml_tree as reader
    import gametheory.model.tree_scenario as model

    monkeypatch.setattr(reader, "MAX_NODES", 4)
    monkeypatch.setattr(model, "MAX_NODES", 4)
    message = _error(ENTRY.replace("[0, 4]", '{ player = "Entrant", moves = { a = [0, 4] } }'))
    assert "the limit for a tree scenario is 4" in message


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gametheory.io.toml_tree as reader

    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.toml"
    path.write_text(ENTRY)
    with pytest.raises(ScenarioError, match="larger than 100 bytes"):
        load_tree_scenario(path)


@pytest.mark.parametrize(
    "values", [{}, {"extended": 0, "p_hawk": 0.04}, {"extended": 0, "p_hawk": 0.3}]
)
def test_london_private_against_pygambit(values: dict[str, float]) -> None:
    # Every subgame-perfect equilibrium is a Nash equilibrium: our SPE payoffs must be among
    # those of Gambit's extreme Nash equilibria (enummixed on the strategic form of the same
    # tree written as .efg). In this game every one of Gambit's equilibria pays the same as
    # some SPE, so the two sets coincide.
    gbt = pytest.importorskip("pygambit")
    import io

    tree = load_tree_scenario(PRIVATE).tree(**values)
    game = gbt.read_efg(io.StringIO(gt.dumps_efg(tree)))
    theirs = {
        tuple(round(float(eq.payoffs[p]), 9) for p in game.players)
        for eq in gbt.nash.enummixed_solve(game, rational=False).equilibria
    }
    ours = {tuple(round(float(v), 9) + 0.0 for v in eq.payoffs) for eq in gt.spe_tree(tree)}
    assert ours == theirs


# ---------------------------------------------------------------------- property: TOML = Python
def _random_tree(seed: int) -> tuple[str, gt.Tree]:
    """A random tree with chance, written both as a tree scenario and with Tree.build."""
    from gametheory.model.tree import Chance, Decision, Terminal

    rng = np.random.default_rng(seed)
    players = ("A", "B")
    tables: list[str] = []
    count = [0]

    def make(depth: int) -> tuple[str, object]:
        name = f"n{count[0]}"
        count[0] += 1
        kind = "terminal" if depth >= 3 or rng.random() < 0.25 else rng.choice(["A", "B", "c"])
        if kind == "terminal":
            pay = [int(v) for v in rng.integers(-5, 6, size=2)]
            tables.append(f"[tree.{name}]\npayoffs = {pay}\n")
            return name, Terminal(tuple(pay))
        moves = [f"m{k}" for k in range(int(rng.integers(1, 4)))]
        children = [make(depth + 1) for _ in moves]
        targets = ", ".join(f'{m} = "{c}"' for m, (c, _) in zip(moves, children, strict=True))
        if kind == "c":
            weights = rng.integers(1, 5, size=len(moves))
            probs = [f"{w}/{weights.sum()}" for w in weights]
            chance = ", ".join(f'{m} = "{p}"' for m, p in zip(moves, probs, strict=True))
            tables.append(f"[tree.{name}]\nchance = {{ {chance} }}\nmoves = {{ {targets} }}\n")
            node = Chance(
                {
                    m: (float(w) / float(weights.sum()), c)
                    for m, w, (_, c) in zip(moves, weights, children, strict=True)
                }
            )
            return name, node
        tables.append(f'[tree.{name}]\nplayer = "{kind}"\nmoves = {{ {targets} }}\n')
        return name, Decision(str(kind), {m: c for m, (_, c) in zip(moves, children, strict=True)})

    _, root = make(0)
    head = 'schema_version = 1\ntitle = "random"\n[players.A]\n[players.B]\n'
    # the root's table first: it is the root
    order = sorted(tables, key=lambda t: int(t.split("]")[0].split(".n")[1]))
    return head + "\n".join(order), gt.Tree.build(players, root)  # type: ignore[arg-type]


@settings(deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_toml_tree_equals_the_python_tree(seed: int) -> None:
    text, expected = _random_tree(seed)
    ours = loads_tree_scenario(text).tree()
    for name in ("parent", "kind", "infoset", "infoset_owner", "payoffs"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(expected, name), err_msg=name)
    np.testing.assert_allclose(ours.probability, expected.probability, atol=1e-15)
    assert ours.move_labels == expected.move_labels
    np.testing.assert_allclose(gt.spe_tree(ours)[0].payoffs, gt.spe_tree(expected)[0].payoffs)
