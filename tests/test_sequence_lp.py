"""The sequence-form LP for constant-sum trees (gametheory.solvers.sequence_lp).

Expected values: Kuhn (1950) poker's value -1/18 and its equilibrium family for player 1;
matching pennies' closed form; pygambit 17's ``lp_solve`` on the same random trees. Every
result is re-checked by the solver (nash_gain) and here by ``tree_regret``.
"""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest

from gametheory.errors import SolverError
from gametheory.model.tree import Decision, Terminal, Tree
from gametheory.solvers.sequence_form import nash_gain
from gametheory.solvers.sequence_lp import is_constant_sum, nash_sequence_lp
from gametheory.solvers.tree import tree_regret

from .test_sequence_form import kuhn_poker
from .test_tree import horse
from .test_tree_solvers import random_tree_with_information_sets


def shifted(tree: Tree, payoffs: np.ndarray) -> Tree:
    return dataclasses.replace(tree, payoffs=payoffs)


def test_kuhn_poker_value_and_family() -> None:
    """Kuhn (1950): value -1/18 to player 1; player 1 bluffs the Jack with alpha in [0, 1/3],
    bets the King with 3 alpha, never bets the Queen, calls with the Queen after check-bet
    with alpha + 1/3, folds the Jack and calls with the King there."""
    tree = kuhn_poker()
    eq = nash_sequence_lp(tree)[0]
    assert eq.payoffs[0] == pytest.approx(-1 / 18, abs=1e-12)
    assert tree_regret(tree, eq.behaviour) <= 1e-9
    alpha = eq.strategy("1J")["bet"]
    assert -1e-12 <= alpha <= 1 / 3 + 1e-12
    assert eq.strategy("1K")["bet"] == pytest.approx(3 * alpha, abs=1e-9)
    assert eq.strategy("1Q")["bet"] == pytest.approx(0, abs=1e-9)
    assert eq.strategy("1Qcb")["call"] == pytest.approx(alpha + 1 / 3, abs=1e-9)
    assert eq.strategy("1Jcb")["fold"] == pytest.approx(1, abs=1e-9)
    assert eq.strategy("2Kb")["call"] == pytest.approx(1.0, abs=1e-9)
    assert eq.strategy("2Jb")["fold"] == pytest.approx(1.0, abs=1e-9)


def pennies() -> Tree:
    return Tree.build(
        ("P1", "P2"),
        Decision(
            "P1",
            {
                "H": Decision("P2", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}, "p2"),
                "T": Decision("P2", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))}, "p2"),
            },
            "p1",
        ),
    )


def test_matching_pennies() -> None:
    """Closed form: value 0, both players 1/2."""
    eq = nash_sequence_lp(pennies())[0]
    assert eq.payoffs[0] == pytest.approx(0, abs=1e-12)
    assert eq.strategy("p1")["H"] == pytest.approx(0.5, abs=1e-9)
    assert eq.strategy("p2")["h"] == pytest.approx(0.5, abs=1e-9)


def test_constant_sum_shift() -> None:
    """Adding 10 to player 2's payoffs (constant sum 10) keeps Kuhn's value -1/18 to
    player 1 and 10 + 1/18 to player 2."""
    tree = kuhn_poker()
    pay = tree.payoffs.copy()
    pay[:, 1] += 10
    moved = shifted(tree, pay)
    assert is_constant_sum(moved) and is_constant_sum(tree)
    result = nash_sequence_lp(moved)
    assert result[0].payoffs == pytest.approx([-1 / 18, 10 + 1 / 18], abs=1e-12)
    assert "zero-sum value" in result.method


def test_random_zero_sum_trees_against_pygambit() -> None:
    """Random imperfect-information trees made zero-sum: the value equals pygambit's
    ``lp_solve`` value to 1e-8 (relative)."""
    gbt = pytest.importorskip("pygambit")
    from gametheory.io.efg import dumps_efg

    rng = np.random.default_rng(11)
    for _ in range(15):
        base = random_tree_with_information_sets(rng)
        pay = base.payoffs.copy()
        pay[:, 1] = -pay[:, 0]
        tree = shifted(base, pay)
        eq = nash_sequence_lp(tree)[0]
        assert nash_gain(tree, eq.behaviour)[0] <= 1e-9
        theirs = gbt.read_efg(io.StringIO(dumps_efg(tree)))
        profile = gbt.nash.lp_solve(theirs, rational=False).equilibrium
        value = float(next(iter(profile.payoffs))[1])
        assert eq.payoffs[0] == pytest.approx(value, rel=1e-8, abs=1e-10)


def test_general_sum_refused_naming_the_leaf() -> None:
    tree = Tree.build(
        ("A", "B"),
        Decision("A", {"l": Terminal((1, -1)), "r": Terminal((2, 0), label="odd")}),
    )
    assert not is_constant_sum(tree)
    with pytest.raises(SolverError, match=r"constant-sum.*'odd'"):
        nash_sequence_lp(tree)


def test_three_players_refused() -> None:
    with pytest.raises(SolverError, match="two-player"):
        nash_sequence_lp(horse())
