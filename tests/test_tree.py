"""Game trees (gametheory.model.tree): building, validation, subgames, reduced normal form."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.model.tree import (
    MAX_NODES,
    MAX_REDUCED_STRATEGIES,
    Chance,
    Decision,
    Terminal,
    Tree,
)


def entry_deterrence() -> Tree:
    """Selten (1978), as in Osborne and Rubinstein (1994), fig. 96.1: out (0, 5); enter, then
    accommodate (2, 2) or fight (-1, -1)."""
    return Tree.build(
        ("Entrant", "Incumbent"),
        Decision(
            "Entrant",
            {
                "out": Terminal((0, 5)),
                "enter": Decision(
                    "Incumbent", {"accommodate": Terminal((2, 2)), "fight": Terminal((-1, -1))}
                ),
            },
        ),
        "Entry deterrence",
    )


def centipede() -> Tree:
    """Three-stage centipede (Rosenthal 1981): 1 takes (1, 0) or passes; 2 takes (0, 2) or
    passes; 1 takes (3, 1) or passes to (2, 4)."""
    return Tree.build(
        ("1", "2"),
        Decision(
            "1",
            {
                "take": Terminal((1, 0)),
                "pass": Decision(
                    "2",
                    {
                        "take": Terminal((0, 2)),
                        "pass": Decision("1", {"take": Terminal((3, 1)), "pass": Terminal((2, 4))}),
                    },
                ),
            },
        ),
    )


def horse() -> Tree:
    """Selten's horse (Selten 1975, fig. 1): 1 plays C or D; after C, 2 plays c (1, 1, 1) or
    d; player 3 does not know whether D or (C, d) was played: L/R pay (4, 4, 0)/(1, 1, 1)
    after (C, d) and (3, 2, 2)/(0, 0, 0) after D."""
    return Tree.build(
        ("1", "2", "3"),
        Decision(
            "1",
            {
                "C": Decision(
                    "2",
                    {
                        "c": Terminal((1, 1, 1)),
                        "d": Decision(
                            "3", {"L": Terminal((4, 4, 0)), "R": Terminal((1, 1, 1))}, "3"
                        ),
                    },
                ),
                "D": Decision("3", {"L": Terminal((3, 2, 2)), "R": Terminal((0, 0, 0))}, "3"),
            },
        ),
    )


def test_entry_deterrence_reduced_normal_form_is_the_textbook_table() -> None:
    """Osborne and Rubinstein (1994), fig. 96.1's strategic form: out gives (0, 5) whatever
    the incumbent's plan; enter gives (2, 2) against accommodate and (-1, -1) against fight."""
    game = entry_deterrence().reduced_normal_form()
    assert game.actions == (("out", "enter"), ("accommodate", "fight"))
    np.testing.assert_array_equal(game.payoffs[0], [[0, 0], [2, -1]])
    np.testing.assert_array_equal(game.payoffs[1], [[5, 5], [2, -1]])


def test_centipede_reduced_strategies_merge_plans_excluded_by_own_moves() -> None:
    """Player 1 has 2 x 2 = 4 plans but taking at once makes its second move moot, so 3
    reduced strategies (take/*, pass/take, pass/pass), as in Gambit's reduced strategic form;
    player 2 has 2."""
    tree = centipede()
    assert tree.reduced_strategy_counts() == [3, 2]
    game = tree.reduced_normal_form()
    assert game.actions == (("take/*", "pass/take", "pass/pass"), ("take", "pass"))
    # From the tree: take/* ends at once; pass/take against pass gives (3, 1).
    assert game.payoff(("take/*", "pass")) == {"1": 1.0, "2": 0.0}
    assert game.payoff(("pass/take", "pass")) == {"1": 3.0, "2": 1.0}
    assert game.payoff(("pass/pass", "take")) == {"1": 0.0, "2": 2.0}


def test_horse_has_no_proper_subgame() -> None:
    """Selten (1975): the horse has no proper subgame (player 3's information set spans both
    branches), so subgame perfection does not refine its Nash equilibria."""
    tree = horse()
    assert tree.subgames().tolist() == [0]
    assert tree.has_perfect_recall
    assert not tree.is_perfect_information
    assert tree.reduced_normal_form().shape == (2, 2, 2)


def test_subgames_of_a_tree_with_a_simultaneous_stage() -> None:
    """A first move, then matching pennies (the second mover does not see the first's
    choice): the root and the matching-pennies root are subgames, the second mover's node is
    not (its information set is shared)."""
    pennies = Decision(
        "A",
        {
            "H": Decision("B", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}, "B"),
            "T": Decision("B", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))}, "B"),
        },
        "A",
    )
    tree = Tree.build(("A", "B"), Decision("A", {"play": pennies, "quit": Terminal((0, 0))}))
    # Breadth-first: 0 root, 1 pennies, 2 quit, 3-4 B's nodes.
    assert tree.subgames().tolist() == [0, 1]


def test_chance_reach_and_values() -> None:
    tree = Tree.build(
        ("A",),
        Chance(
            {
                "good": (0.25, Decision("A", {"x": Terminal((4,)), "y": Terminal((0,))})),
                "bad": (0.75, Terminal((8,))),
            }
        ),
    )
    assert tree.chance_reach.tolist() == [1.0, 0.25, 0.75, 0.25, 0.25]
    values = tree.values([0.5, 0.5])
    assert values[0, 0] == pytest.approx(0.25 * 2 + 0.75 * 8)


def test_outline_and_repr() -> None:
    tree = entry_deterrence()
    assert "5 nodes, 3 terminal" in repr(tree)
    assert "  enter -> Incumbent" in tree.outline()
    assert "    fight -> (Entrant -1, Incumbent -1)" in str(tree)
    cut = horse().outline(max_lines=3)
    assert cut.endswith("outline cut)")


# ---------------------------------------------------------------------- validation
def test_information_set_moves_must_agree() -> None:
    with pytest.raises(gt.GameError, match=r"moves .* differ"):
        Tree.build(
            ("A", "B"),
            Decision(
                "A",
                {
                    "x": Decision("B", {"l": Terminal((0, 0)), "r": Terminal((0, 0))}, "b"),
                    "y": Decision("B", {"r": Terminal((0, 0)), "l": Terminal((0, 0))}, "b"),
                },
            ),
        )
    with pytest.raises(gt.GameError, match="belongs to B, not A"):
        Tree.build(
            ("A", "B"),
            Decision(
                "A",
                {
                    "x": Decision("B", {"l": Terminal((0, 0))}, "b"),
                    "y": Decision("A", {"l": Terminal((0, 0))}, "b"),
                },
            ),
        )


def test_chance_probabilities_must_sum_to_one() -> None:
    with pytest.raises(gt.GameError, match=r"sum to 0\.9"):
        Tree.build(("A",), Chance({"a": (0.4, Terminal((0,))), "b": (0.5, Terminal((1,)))}))
    with pytest.raises(gt.GameError, match="not between 0 and 1"):
        Tree.build(("A",), Chance({"a": (1.5, Terminal((0,))), "b": (-0.5, Terminal((1,)))}))


def test_absent_minded_driver_lacks_perfect_recall() -> None:
    """Piccione and Rubinstein (1997): one information set holds a node and its successor."""
    driver = Tree.build(
        ("driver",),
        Decision(
            "driver",
            {
                "exit": Terminal((0,)),
                "continue": Decision(
                    "driver", {"exit": Terminal((4,)), "continue": Terminal((1,))}, "d"
                ),
            },
            "d",
        ),
    )
    assert not driver.has_perfect_recall
    with pytest.raises(gt.GameError, match="perfect recall"):
        driver.reduced_normal_form()


def test_array_constructor_errors() -> None:
    args = dict(
        players=("A",),
        kind=[1, 0, 0],
        infoset=[0, -1, -1],
        infoset_owner=[0],
        probability=[1.0, 1.0, 1.0],
        payoffs=[[0.0], [1.0]],
    )
    assert Tree(parent=[-1, 0, 0], **args).n_nodes == 3
    with pytest.raises(gt.GameError, match="node 0 is the root"):
        Tree(parent=[0, 0, 0], **args)
    with pytest.raises(gt.GameError, match="earlier node"):
        Tree(parent=[-1, 2, 0], **args)
    with pytest.raises(gt.GameError, match="payoffs has shape"):
        Tree(parent=[-1, 0, 0], **{**args, "payoffs": [[0.0]]})
    with pytest.raises(gt.GameError, match="finite"):
        Tree(parent=[-1, 0, 0], **{**args, "payoffs": [[0.0], [np.nan]]})
    with pytest.raises(gt.GameError, match="needs at least one move"):
        Tree(parent=[-1, 0, 0], **{**args, "kind": [1, 1, 0], "infoset": [0, 0, -1]})


def test_node_count_checked_before_reading_the_arrays() -> None:
    class Huge:
        def __len__(self) -> int:
            return MAX_NODES + 1

        def __array__(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("the array was read before its length was checked")

    with pytest.raises(gt.GameError, match="nodes; the limit is"):
        Tree(("A",), Huge(), [0], [-1], [], [1.0], [[0.0]])  # type: ignore[arg-type]


def test_reduced_normal_form_refused_before_listing() -> None:
    """Chance picks one of 18 states, each a two-move decision of A: 2^18 = 262,144 reduced
    strategies (no move excludes another), over the limit; counted, not listed."""
    states = {
        f"s{i}": (1 / 18, Decision("A", {"x": Terminal((0,)), "y": Terminal((1,))}))
        for i in range(18)
    }
    tree = Tree.build(("A",), Chance(states))
    assert tree.reduced_strategy_counts() == [MAX_REDUCED_STRATEGIES + 1]
    with pytest.raises(gt.GameError, match="more than 200,000 reduced strategies"):
        tree.reduced_normal_form()
