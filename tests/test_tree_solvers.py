"""Equilibria of game trees (gametheory.solvers.tree): textbook cases and pygambit."""

from __future__ import annotations

import io

import numpy as np
import pytest

import gametheory as gt
from gametheory.model.tree import Chance, Decision, Terminal, Tree
from gametheory.solvers.tree import (
    _behaviour_from_mixed,
    nash_tree,
    spe,
    spe_gain,
    tree_regret,
)

from .test_tree import centipede, entry_deterrence, horse


def test_entry_deterrence_has_one_spe() -> None:
    """Selten (1978); Osborne and Rubinstein (1994), example 96.1: after entry, accommodating
    (2) beats fighting (-1), so the entrant enters (2 > 0): one SPE, (enter, accommodate),
    payoffs (2, 2). (The stage form of issue 10 reported 2.)"""
    result = spe(entry_deterrence())
    assert result.complete and len(result) == 1
    eq = result[0]
    assert eq.strategy("Entrant:1") == {"out": 0.0, "enter": 1.0}
    assert eq.strategy("Incumbent:1") == {"accommodate": 1.0, "fight": 0.0}
    assert eq.payoff() == {"Entrant": 2.0, "Incumbent": 2.0}
    assert eq.path() == [("enter/accommodate", 1.0)]
    assert eq.gain <= 1e-12


def test_entry_deterrence_nash_equilibria_include_the_threat() -> None:
    """The reduced normal form's equilibria: (enter, accommodate), and 'out' against any
    incumbent plan that fights with probability q >= 2/3 (entering then pays
    2(1 - q) - q <= 0); its extreme points are q = 1 and q = 2/3."""
    result = nash_tree(entry_deterrence())
    found = sorted(
        (eq.strategy("Entrant:1")["enter"], round(eq.strategy("Incumbent:1")["fight"], 9))
        for eq in result
    )
    assert found == [(0.0, round(2 / 3, 9)), (0.0, 1.0), (1.0, 0.0)]
    assert all(eq.gain <= 1e-9 for eq in result)


def test_three_stage_centipede_one_spe() -> None:
    """Rosenthal (1981): at the last node 1 takes (3 > 2), so 2 takes (2 > 1), so 1 takes at
    once (1 > 0): one SPE, everyone takes, payoffs (1, 0). (The stage form reported 16.)"""
    result = spe(centipede())
    assert result.complete and len(result) == 1
    eq = result[0]
    assert all(eq.strategy(h)["take"] == 1.0 for h in ("1:1", "2:1", "1:2"))
    assert eq.payoff() == {"1": 1.0, "2": 0.0}


def ultimatum(pie: int) -> Tree:
    """The discrete ultimatum game: the proposer offers k = 0..pie units; the responder, who
    sees the offer, accepts (pie - k, k) or rejects (0, 0)."""
    offers = {
        str(k): Decision(
            "Responder", {"accept": Terminal((pie - k, k)), "reject": Terminal((0, 0))}
        )
        for k in range(pie + 1)
    }
    return Tree.build(("Proposer", "Responder"), Decision("Proposer", offers))


def test_discrete_ultimatum_game() -> None:
    """By hand (e.g. Osborne 2004, ch. 6): every offer k >= 1 is accepted (k > 0); at k = 0
    the responder is indifferent. If it accepts 0, the proposer offers 0 and keeps the pie; if
    it rejects 0, the proposer offers 1 and keeps pie - 1. Two pure SPE; mixing at 0 gives
    more (the proposer's best offer depends on the mixture), so the list is not complete."""
    pie = 4
    result = spe(ultimatum(pie))
    payoffs = sorted(tuple(eq.payoff().values()) for eq in result)
    assert payoffs == [(pie - 1, 1.0), (pie, 0.0)]
    for eq in result:
        for k in range(1, pie + 1):
            assert eq.strategy(f"Responder:{k + 1}")["accept"] == 1.0
    assert not result.complete
    assert any("indifferent" in w for w in result.warnings)


def test_selten_horse_nash_equilibria() -> None:
    """Selten (1975), fig. 1 (payoffs as in tests/test_tree.horse). The pure Nash equilibria,
    by hand: (C, c, R) and (C, d, R) give (1, 1, 1): D would give 1 only 0 against R, 2 is
    indifferent, and 3 (reached after C, d) prefers R (1 > 0); (D, c, L) gives (3, 2, 2): C
    would give 1 only 1 against c, and 3 prefers L (2 > 0). No other pure profile: (C, c, L)
    and (D, *, R) let 1 gain, (C, d, L) lets 3 gain, (D, d, L) lets 1 gain by C (4 > 3). No
    proper subgame, so these are also its pure SPE (the horse's point: (D, c, L) is subgame
    perfect but not trembling-hand perfect).

    Mixed ones, by hand: only 2 can mix. If 1 puts weight on C and 3 on L, 2 strictly prefers
    d (1 + 3 P(L) > 1), then C pays 1 more than D, and 3, reached only after (C, d), plays R;
    if 1 plays D, 3 is reached only there and plays L. With 1 playing C and 3 playing R, 2 gets
    1 whatever q = P(c), 1 gets 1 > 0 (D against R) and 3, reached with probability 1 - q,
    prefers R: (C, q, R) for every q. With 1
    playing D and 3 playing L, 2 is not reached and 1 keeps D iff q + 4(1 - q) <= 3, q >= 1/3:
    (D, q, L) for q in [1/3, 1]. Both are continua, so no list is complete."""
    pure = {(("C",), ("c",), ("R",)), (("C",), ("d",), ("R",)), (("D",), ("c",), ("L",))}
    for result in (nash_tree(horse()), spe(horse())):
        found = set()
        for eq in result:
            plays = tuple(
                tuple(m for m, p in eq.strategy(h).items() if p == 1.0) for h in ("1:1", "2:1", "3")
            )
            if plays[1]:
                found.add(plays)
                continue
            q = eq.strategy("2:1")["c"]
            assert plays in {(("C",), (), ("R",)), (("D",), (), ("L",))}
            assert plays[0] == ("C",) or q >= 1 / 3 - 1e-9
        assert found == pure
        assert not result.complete  # continua of equilibria


def test_a_subgame_that_needs_a_mixed_equilibrium() -> None:
    """A chooses to quit (0.5, 0) or play matching pennies, whose only equilibrium mixes 1/2
    and gives A 0 (von Neumann's value); so A quits, and the SPE mixes 1/2 in the subgame."""
    pennies = Decision(
        "A",
        {
            "H": Decision("B", {"h": Terminal((1, -1)), "t": Terminal((-1, 1))}, "B"),
            "T": Decision("B", {"h": Terminal((-1, 1)), "t": Terminal((1, -1))}, "B"),
        },
        "A",
    )
    tree = Tree.build(("A", "B"), Decision("A", {"play": pennies, "quit": Terminal((0.5, 0))}))
    result = spe(tree)
    assert result.complete and len(result) == 1
    eq = result[0]
    assert eq.strategy("A:1") == {"play": 0.0, "quit": 1.0}
    assert eq.strategy("A") == pytest.approx({"H": 0.5, "T": 0.5})
    assert eq.strategy("B") == pytest.approx({"h": 0.5, "t": 0.5})
    assert eq.payoff() == pytest.approx({"A": 0.5, "B": 0.0})
    # Nash equilibria of the whole tree need nothing in the unreached subgame but that B's
    # mixture keeps A from playing: playing H pays 2(h) - 1 <= 1/2 and T 1 - 2(h) <= 1/2.
    assert all(eq.payoff()["A"] == pytest.approx(0.5) for eq in nash_tree(tree))


def test_the_recheck_catches_a_non_credible_threat() -> None:
    """(out, fight) is a Nash equilibrium but fighting after entry loses 3 in that subgame."""
    tree = entry_deterrence()
    threat = np.array([1.0, 0.0, 0.0, 1.0])  # out; fight
    assert tree_regret(tree, threat) == pytest.approx(0.0)
    assert spe_gain(tree, threat) == pytest.approx(3 / 6)  # 3 over the range of 6


def test_chance_and_perfect_information() -> None:
    """Chance picks a state; A sees it: the best move in each state, payoffs the average."""
    tree = Tree.build(
        ("A",),
        Chance(
            {
                "rain": (0.3, Decision("A", {"umbrella": Terminal((2,)), "none": Terminal((-5,))})),
                "sun": (0.7, Decision("A", {"umbrella": Terminal((1,)), "none": Terminal((3,))})),
            }
        ),
    )
    eq = spe(tree)[0]
    assert eq.payoff()["A"] == pytest.approx(0.3 * 2 + 0.7 * 3)
    assert sorted(eq.path()) == [("rain/umbrella", 0.3), ("sun/none", 0.7)]


def test_needs_perfect_recall() -> None:
    driver = Tree.build(
        ("d",),
        Decision(
            "d",
            {
                "exit": Terminal((0,)),
                "go": Decision("d", {"exit": Terminal((4,)), "go": Terminal((1,))}, "x"),
            },
            "x",
        ),
    )
    with pytest.raises(gt.SolverError, match="perfect recall"):
        spe(driver)


# ---------------------------------------------------------------------- random trees
def random_perfect_information(rng: np.random.Generator, nodes: int, players: int = 2) -> Tree:
    """A random perfect-information tree with continuous payoffs (no ties), breadth first."""
    parent = [-1]
    kind = []
    frontier = [0]
    count = 1
    queue = [0]
    i = 0
    while i < len(queue):
        node = queue[i]
        room = nodes - count
        if room >= 2 and (i == 0 or rng.random() < 0.8):
            k = int(rng.integers(2, 4)) if room >= 3 else 2
            kind.append(1)
            for _ in range(k):
                parent.append(node)
                queue.append(count)
                count += 1
        else:
            kind.append(0)
        i += 1
    del frontier
    kind_arr = np.array(kind, dtype=np.int8)
    n = len(parent)
    decision = np.flatnonzero(kind_arr == 1)
    infoset = np.full(n, -1)
    infoset[decision] = np.arange(decision.size)
    owner = rng.integers(0, players, decision.size)
    payoffs = rng.normal(size=(int((kind_arr == 0).sum()), players))
    return Tree(
        tuple(f"P{p + 1}" for p in range(players)),
        np.array(parent),
        kind_arr,
        infoset,
        owner,
        np.ones(n),
        payoffs,
    )


def recursive_backward_induction(tree: Tree, node: int = 0) -> np.ndarray:
    """Textbook backward induction, written out recursively (the test's own oracle)."""
    if tree.kind[node] == 0:
        return tree.payoffs[int(np.searchsorted(tree.terminals, node))]
    start = int(tree.first_child[node])
    values = [
        recursive_backward_induction(tree, c)
        for c in range(start, start + int(tree.n_children[node]))
    ]
    mover = int(tree.infoset_owner[tree.infoset[node]])
    return max(values, key=lambda v: v[mover])


def test_vectorised_backward_induction_matches_the_recursive_one() -> None:
    rng = np.random.default_rng(7)
    for _ in range(20):
        tree = random_perfect_information(rng, int(rng.integers(5, 400)), int(rng.integers(1, 4)))
        result = spe(tree)
        assert result.complete and len(result) == 1
        np.testing.assert_allclose(result[0].payoffs, recursive_backward_induction(tree))
        assert result[0].gain <= 1e-12


def random_tree_with_information_sets(rng: np.random.Generator) -> Tree:
    """Two players; a first move (or chance), then stages in which B moves without seeing
    A's last move (one information set over A's moves), payoffs small integers (ties)."""

    def stage(depth: int) -> Decision | Terminal | Chance:
        if depth == 0 or rng.random() < 0.2:
            return Terminal(tuple(int(x) for x in rng.integers(0, 6, 2)))
        label = f"s{rng.integers(10**9)}"
        a_moves = [f"a{k}" for k in range(int(rng.integers(2, 4)))]
        b_moves = [f"b{k}" for k in range(2)]
        hidden = rng.random() < 0.6
        return Decision(
            "A",
            {
                a: Decision(
                    "B",
                    {b: stage(depth - 1) for b in b_moves},
                    f"{label}:B" if hidden else None,
                )
                for a in a_moves
            },
        )

    if rng.random() < 0.3:
        root: Decision | Chance = Chance({"x": (0.4, stage(2)), "y": (0.6, stage(2))})
    else:
        root = Decision("B", {"l": stage(2), "r": Terminal((2, 2))})
    return Tree.build(("A", "B"), root)


def test_random_trees_against_pygambit() -> None:
    """Each of our pure SPE is a pure Nash equilibrium that Gambit finds in the same tree (with
    the same payoffs), and our Nash equilibria of the reduced form are Gambit's enummixed
    equilibria of it, compared as behaviour strategies."""
    gbt = pytest.importorskip("pygambit")
    from gametheory.io.efg import dumps_efg

    rng = np.random.default_rng(2026)
    checked = 0
    sizes = []
    for _ in range(60):
        tree = random_tree_with_information_sets(rng)
        if np.prod(tree.reduced_strategy_counts()) > 80:
            continue  # Gambit's enummixed took minutes on some 9 x 19 degenerate forms
        sizes.append(int(np.prod(tree.reduced_strategy_counts())))
        theirs = gbt.read_efg(io.StringIO(dumps_efg(tree)))
        plans = [tree.reduced_strategies(p) for p in range(2)]
        pure = gbt.nash.enumpure_solve(theirs)
        gambit_pure = {
            tuple(int(np.argmax([float(x) for _, x in eq[pl]])) for pl in theirs.players)
            for eq in pure.equilibria
        }
        for eq in spe(tree):
            if not np.all((eq.behaviour == 0) | (eq.behaviour == 1)):
                continue
            index = tuple(
                plans[p].index(
                    tuple(
                        a for a in sorted(np.flatnonzero(eq.behaviour)) if _played(tree, eq, p, a)
                    )
                )
                for p in range(2)
            )
            assert index in gambit_pure
        mixed = gbt.nash.enummixed_solve(theirs, rational=False)
        gambit_behaviour = {
            _key(
                _behaviour_from_mixed(
                    tree, [np.array([float(x) for _, x in eq[pl]]) for pl in theirs.players]
                )[0]
            )
            for eq in mixed.equilibria
        }
        ours = {_key(eq.behaviour) for eq in nash_tree(tree)}
        assert ours == gambit_behaviour
        checked += 1
    assert checked >= 12 and sum(size > 10 for size in sizes) >= 4, sizes


def _played(tree: Tree, eq, player: int, action: int) -> bool:
    """Whether an action belongs to the player and its information set is not excluded by the
    player's own moves (reduced strategies leave those out)."""
    h = int(np.searchsorted(tree.action_offset, action, side="right") - 1)
    return (
        int(tree.infoset_owner[h]) == player and h not in eq.arbitrary and _reachable(tree, eq, h)
    )


def _reachable(tree: Tree, eq, h: int) -> bool:
    """The information set is reachable given its owner's own pure moves."""
    before = tree.own_sequences[tree.infoset_members_first[h], tree.infoset_owner[h]]
    while before >= 0:
        if eq.behaviour[before] != 1.0:
            return False
        g = int(np.searchsorted(tree.action_offset, before, side="right") - 1)
        before = tree.own_sequences[tree.infoset_members_first[g], tree.infoset_owner[g]]
    return True


def _key(behaviour: np.ndarray) -> tuple[float, ...]:
    return tuple(np.round(behaviour, 6) + 0.0)


def test_large_tree_with_ties_lists_one_spe_and_says_so() -> None:
    """Past MAX_TIED_NODES, a perfect-information tree with ties gets the first-best-move SPE
    (re-checked), marked incomplete, instead of an enumeration that could take minutes."""
    from gametheory.solvers.tree import MAX_TIED_NODES

    rng = np.random.default_rng(3)
    tree = random_perfect_information(rng, MAX_TIED_NODES + 500)
    tied = Tree(
        tree.players,
        tree.parent,
        tree.kind,
        tree.infoset,
        tree.infoset_owner,
        tree.probability,
        np.round(tree.payoffs),  # a few integer values: ties everywhere
    )
    result = spe(tied)
    assert len(result) == 1 and not result.complete
    assert "not every one" in result.warnings[0]
    assert result[0].gain <= 1e-12
    np.testing.assert_allclose(result[0].payoffs, tied.values(result[0].behaviour)[0])


def test_properties_on_random_trees() -> None:
    """Every SPE is a Nash equilibrium (zero regret in the reduced normal form, computed by
    Profile from the payoff array, not by the SPE re-check); the set of SPE does not change
    when a player's payoffs are scaled by a positive factor and shifted (von Neumann and
    Morgenstern utilities)."""
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(30):
        tree = random_tree_with_information_sets(rng)
        if np.prod(tree.reduced_strategy_counts()) > 500:
            continue
        result = spe(tree)
        if len(result) > 40:
            continue  # ties everywhere: hundreds of SPE, seconds to re-solve
        for eq in result:
            assert tree_regret(tree, eq.behaviour) <= 1e-9
        moved = Tree(
            tree.players,
            tree.parent,
            tree.kind,
            tree.infoset,
            tree.infoset_owner,
            tree.probability,
            tree.payoffs * np.array([3.0, 0.5]) + np.array([5.0, -2.0]),
        )
        assert {_key(eq.behaviour) for eq in spe(moved)} == {_key(eq.behaviour) for eq in result}
        checked += 1
    assert checked >= 10


def test_a_three_mover_subgame_gets_its_mixed_equilibrium() -> None:
    """Jordan's (1993) three-player matching pennies as a subgame where nobody sees another's
    move: 1 wants to match 2, 2 to match 3, 3 to mismatch 1. It has no pure equilibrium (every
    profile leaves someone wanting to switch) and a unique equilibrium, everyone mixing 1/2,
    worth 0 to each. Player 1 may first quit for 0.5, so the subgame-perfect equilibrium quits
    and mixes 1/2 everywhere in the subgame (before, only pure equilibria were sought in parts
    with three movers, so none was found)."""

    def pay(a: int, b: int, c: int) -> Terminal:
        return Terminal((1 if a == b else -1, 1 if b == c else -1, 1 if c != a else -1))

    def third(a: int, b: int) -> Decision:
        return Decision("3", {"H3": pay(a, b, 0), "T3": pay(a, b, 1)}, "3")

    def second(a: int) -> Decision:
        return Decision("2", {"H2": third(a, 0), "T2": third(a, 1)}, "2")

    pennies = Decision("1", {"H1": second(0), "T1": second(1)}, "1:pennies")
    tree = Tree.build(
        ("1", "2", "3"), Decision("1", {"play": pennies, "quit": Terminal((0.5, 0, 0))})
    )
    result = spe(tree)
    assert result.complete and len(result) == 1
    eq = result[0]
    assert eq.strategy("1:pennies") == pytest.approx({"H1": 0.5, "T1": 0.5})
    assert eq.strategy("2") == pytest.approx({"H2": 0.5, "T2": 0.5})
    assert eq.strategy("3") == pytest.approx({"H3": 0.5, "T3": 0.5})
    assert eq.payoff() == pytest.approx({"1": 0.5, "2": 0.0, "3": 0.0})
