"""Gambit .efg files: reading, writing, errors, and agreement with pygambit."""

from __future__ import annotations

import io

import numpy as np
import pytest

import gametheory as gt
from gametheory.io import efg as efg_module
from gametheory.io.efg import dumps_efg, loads_efg, read_efg, write_efg
from gametheory.model.tree import Chance, Decision, Terminal, Tree

from .test_tree import centipede, entry_deterrence, horse

POKER = """EFG 2 R "One-card poker" { "Fred" "Alice" }
"outcome version: payoffs at an outcome's first use only; infoset moves omitted later"

c "" 1 "" { "Red" 1/2 "Black" 0.5 } 0
p "" 1 1 "red card" { "Raise" "Fold" } 0
p "" 2 1 "raised" { "Meet" "Pass" } 0
t "" 1 "Win Big" { 2, -2 }
t "" 2 "Win" { 1 -1 }
t "" 2
p "" 1 2 "black card" { "Raise" "Fold" } 0
p "" 2 1 0
t "" 3 "Lose Big" { -2, 2 }
t "" 2
t "" 4 "Lose" { -1, 1 }
"""


def gambit_catalog_trees() -> list[str]:
    """Slugs of the extensive games in pygambit's catalog (Gambit's own sample trees)."""
    gbt = pytest.importorskip("pygambit")
    table = gbt.catalog.games(is_tree=True)
    return sorted(table["Game"]) if "Game" in table else sorted(table.iloc[:, 0])


def test_outcome_version_and_omitted_infoset_moves() -> None:
    """Myerson (1991), fig. 2.1's one-card poker in the outcome style: payoffs given once,
    reused by number; Alice's second node omits its information set's name and moves."""
    tree = loads_efg(POKER)
    assert tree.players == ("Fred", "Alice")
    assert tree.n_infosets == 3
    assert tree.infoset_labels == ("red card", "black card", "raised")
    assert tree.probability[1:3].tolist() == [0.5, 0.5]
    assert sorted(map(tuple, tree.payoffs.tolist())) == sorted(
        [(2, -2), (1, -1), (1, -1), (-2, 2), (1, -1), (-1, 1)]
    )


def test_outcomes_at_inner_nodes_add_up() -> None:
    text = """EFG 2 R "" { "A" "B" }
p "" 1 1 "" { "x" "y" } 1 "entry fee" { -1, 0 }
t "" 2 "" { 3, 3 }
t "" 0
"""
    tree = loads_efg(text)
    assert tree.payoffs.tolist() == [[2.0, 3.0], [-1.0, 0.0]]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('EFG 2 R "" { "A" }\nq "" 0\n', 2, "a node: 'p'"),
        ('EFG 2 R "" { "A" }\np "" 2 1 "" { "x" } 0\nt "" 0\n', 2, "player number"),
        ('EFG 2 R "" { "A" }\np "" 1 1 "" { "x" "y" } 0\nt "" 1\nt "" 0\n', 3, "before its"),
        (
            'EFG 2 R "" { "A" }\nc "" 1 "" { "a" 1/2 "b" 1/3 } 0\nt "" 0\nt "" 0\n',
            2,
            "sum to 0.83",
        ),
        (
            'EFG 2 R "" { "A" }\nc "" 1 "" { "a" 3/2 "b" -1/2 } 0\nt "" 0\nt "" 0\n',
            2,
            "not between 0 and 1",
        ),
        (
            'EFG 2 R "" { "A" "B" }\np "" 1 1 "" { "x" "y" } 0\np "" 2 1 "" { "l" "r" } 0\n'
            't "" 0\nt "" 0\np "" 2 1 "" { "r" "l" } 0\nt "" 0\nt "" 0\n',
            6,
            "tell its nodes apart",
        ),
        ('EFG 2 R "" { "A" }\np "" 1 1 "" { "x" "y" } 0\nt "" 0\n', 3, "the end of the file"),
        ('EFG 2 R "" { "A" }\nt "" 1 "o" { 1 } \nt "" 0\n', 3, "end of the file after"),
        ('EFG 2 R "" { "A" }\nt "" 1 "o" { 1e999 }\n', 2, "outside the range"),
    ],
)
def test_errors_name_the_line(text, line, message) -> None:
    with pytest.raises(gt.ScenarioError, match=message) as caught:
        loads_efg(text, source="bad.efg")
    assert caught.value.line == line, str(caught.value)
    assert str(caught.value).startswith(f"bad.efg:{line}:")


def test_node_count_checked_from_the_declared_moves(monkeypatch) -> None:
    monkeypatch.setattr(efg_module, "MAX_NODES", 10)
    text = 'EFG 2 R "" { "A" }\np "" 1 1 "" { "a" "b" "c" "d" "e" "f" "g" "h" "i" "j" } 0\n'
    with pytest.raises(gt.ScenarioError, match="more than 10 nodes") as caught:
        loads_efg(text, source="wide.efg")
    assert caught.value.line == 2


def test_write_and_read_back(tmp_path) -> None:
    tree = Tree.build(
        ("A", "B"),
        Chance(
            {
                "hawk": (1 / 3, Decision("A", {"x": Terminal((0.1, -2.5)), "y": Terminal((1, 2))})),
                "dove": (2 / 3, Decision("A", {"x": Terminal((3, 0)), "y": Terminal((-1e-3, 7))})),
            }
        ),
        'A "quoted" title',
    )
    path = tmp_path / "t.efg"
    write_efg(tree, path)
    back = read_efg(path)
    assert back.title == tree.title
    assert back.parent.tolist() == tree.parent.tolist()
    assert back.payoffs.tolist() == tree.payoffs.tolist()
    assert back.probability.tolist() == pytest.approx(tree.probability.tolist(), abs=1e-15)
    assert "1/3" in path.read_text() and "2/3" in path.read_text()


# ---------------------------------------------------------------------- pygambit
def test_gambit_reads_what_we_write() -> None:
    """Our files read by Gambit: same reduced strategic form (Gambit's strategic form of a
    tree is the reduced one), strategy for strategy."""
    gbt = pytest.importorskip("pygambit")
    for tree in (entry_deterrence(), centipede(), horse()):
        theirs = gbt.read_efg(io.StringIO(dumps_efg(tree)))
        arrays = np.array(theirs.to_arrays(dtype=float), dtype=float)
        np.testing.assert_array_equal(arrays, tree.reduced_normal_form().payoffs)


def test_we_read_gambits_sample_trees() -> None:
    """Every extensive game in pygambit's catalog, written by pygambit: the same node,
    terminal and information-set counts, perfect recall, subgame count, and (with perfect
    recall) the same reduced strategic form as Gambit's."""
    gbt = pytest.importorskip("pygambit")
    slugs = gambit_catalog_trees()
    assert len(slugs) >= 20
    for slug in slugs:
        theirs = gbt.catalog.load(slug)
        ours = loads_efg(theirs.to_efg(), source=slug)
        assert ours.n_nodes == len(theirs.get_histories(gbt.H.after())), slug
        assert ours.has_perfect_recall == theirs.is_perfect_recall, slug
        assert len(ours.subgames()) == len(theirs.get_subgame_roots()), slug
        if ours.has_perfect_recall:
            arrays = np.array(theirs.to_arrays(dtype=float), dtype=float)
            np.testing.assert_allclose(arrays, ours.reduced_normal_form().payoffs, err_msg=slug)


def test_round_trip_through_gambit() -> None:
    """Gambit's file of our tree, read by us, is our tree again."""
    gbt = pytest.importorskip("pygambit")
    tree = horse()
    again = loads_efg(gbt.read_efg(io.StringIO(dumps_efg(tree))).to_efg())
    assert again.parent.tolist() == tree.parent.tolist()
    assert again.move_labels == tree.move_labels
    assert again.infoset.tolist() == tree.infoset.tolist()
    np.testing.assert_array_equal(again.payoffs, tree.payoffs)


def test_load_tree_and_load(tmp_path) -> None:
    path = tmp_path / "entry.efg"
    write_efg(entry_deterrence(), path)
    tree = gt.load_tree(path)
    assert tree.players == ("Entrant", "Incumbent")
    assert gt.spe_tree(tree)[0].payoff() == {"Entrant": 2.0, "Incumbent": 2.0}
    with pytest.raises(gt.ScenarioError, match="load_tree"):
        gt.load(path)
    with pytest.raises(gt.ScenarioError, match=r"expected a Gambit \.efg"):
        gt.load_tree(tmp_path / "game.nfg")
    with pytest.raises(gt.ScenarioError, match="no such file"):
        gt.load_tree(tmp_path / "missing.efg")
