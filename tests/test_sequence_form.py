"""The sequence form and Lemke's algorithm on it (gametheory.solvers.sequence_form).

Expected values come from the definitions (KMvS 1996), closed forms (matching pennies, Kuhn
poker's value -1/18, Kuhn 1950) and pygambit; every equilibrium is re-checked by its regret in
the reduced normal form (``tree_regret``), which does not use the LCP.
"""

from __future__ import annotations

import dataclasses
import io
import itertools

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import GameError, SolverError
from gametheory.model.tree import Chance, Decision, Terminal, Tree
from gametheory.solvers import sequence_form as sf
from gametheory.solvers.tree import nash_tree, tree_regret

from .test_tree import horse
from .test_tree_solvers import random_tree_with_information_sets


def small_tree() -> Tree:
    """P1 plays L or R; P2 plays c or d without seeing it; after L, P1 plays p or q without
    seeing P2's move (one information set over L/c and L/d)."""
    return Tree.build(
        ("P1", "P2"),
        Decision(
            "P1",
            {
                "L": Decision(
                    "P2",
                    {
                        "c": Decision("P1", {"p": Terminal((1, 2)), "q": Terminal((3, 4))}, "b"),
                        "d": Decision("P1", {"p": Terminal((5, 6)), "q": Terminal((7, 8))}, "b"),
                    },
                    "h",
                ),
                "R": Decision("P2", {"c": Terminal((9, 10)), "d": Terminal((11, 12))}, "h"),
            },
        ),
    )


def test_matrices_written_out_from_the_definitions() -> None:
    """KMvS (1996), section 3: sequences of P1 are (empty, L, R, Lp, Lq), of P2 (empty, c, d);
    E has a row for the empty sequence (x[empty] = 1) and one per information set
    (-x[parent] + moves = 0); A[s, t] is the payoff of the leaf that the pair (s, t) reaches."""
    form = sf.sequence_form(small_tree())
    np.testing.assert_array_equal(
        form.E.toarray(), [[1, 0, 0, 0, 0], [-1, 1, 1, 0, 0], [0, -1, 0, 1, 1]]
    )
    np.testing.assert_array_equal(form.F.toarray(), [[1, 0, 0], [-1, 1, 1]])
    np.testing.assert_array_equal(form.e, [1, 0, 0])
    np.testing.assert_array_equal(form.f, [1, 0])
    a = np.zeros((5, 3))
    b = np.zeros((5, 3))
    # (Lp, c) 1/2, (Lq, c) 3/4, (Lp, d) 5/6, (Lq, d) 7/8, (R, c) 9/10, (R, d) 11/12.
    for (s, t), (u, v) in {
        (3, 1): (1, 2),
        (4, 1): (3, 4),
        (3, 2): (5, 6),
        (4, 2): (7, 8),
        (2, 1): (9, 10),
        (2, 2): (11, 12),
    }.items():
        a[s, t], b[s, t] = u, v
    np.testing.assert_array_equal(form.A.toarray(), a)
    np.testing.assert_array_equal(form.B.toarray(), b)
    assert form.lcp_rows == 5 + 3 + (1 + 2) + (1 + 1) + 1  # x, y, E, F rows and t + z0 = 1


def test_chance_weights_the_payoff_matrices() -> None:
    """A leaf's entry is its payoff times the chance probability on its path."""
    tree = Tree.build(
        ("P1", "P2"),
        Chance(
            {
                "x": (0.25, Decision("P1", {"a": Terminal((4, 0)), "b": Terminal((8, 0))})),
                "y": (0.75, Terminal((4, 4))),
            }
        ),
    )
    form = sf.sequence_form(tree)
    np.testing.assert_allclose(form.A.toarray(), [[3.0], [1.0], [2.0]])
    np.testing.assert_allclose(form.B.toarray(), [[3.0], [0.0], [0.0]])


def matching_pennies() -> Tree:
    def row(first: str) -> Decision:
        win = 1 if first == "H" else -1
        return Decision("B", {"h": Terminal((win, -win)), "t": Terminal((-win, win))}, "B")

    return Tree.build(("A", "B"), Decision("A", {"H": row("H"), "T": row("T")}))


def test_matching_pennies_with_an_information_set() -> None:
    """The unique equilibrium mixes 1/2-1/2 for both (von Neumann); value 0."""
    result = nash_tree(matching_pennies(), "sequence")
    assert len(result) == 1 and not result.complete
    eq = result[0]
    assert eq.strategy("A:1") == pytest.approx({"H": 0.5, "T": 0.5})
    assert eq.strategy("B") == pytest.approx({"h": 0.5, "t": 0.5})
    assert eq.payoffs == pytest.approx([0, 0])
    assert "sequence form" in result.method


def kuhn_poker() -> Tree:
    """Kuhn (1950) poker: cards J < Q < K, ante 1, one bet of 1; player 1 checks or bets;
    facing a bet a player folds or calls; player 2 after a check checks or bets."""
    cards = "JQK"

    def showdown(c1: int, c2: int, stake: int) -> Terminal:
        win = stake if c1 > c2 else -stake
        return Terminal((win, -win))

    deals = {}
    for c1, c2 in itertools.permutations(range(3), 2):
        deal = f"{cards[c1]}{cards[c2]}"
        deals[deal] = (
            1 / 6,
            Decision(
                "1",
                {
                    "check": Decision(
                        "2",
                        {
                            "check": showdown(c1, c2, 1),
                            "bet": Decision(
                                "1",
                                {"fold": Terminal((-1, 1)), "call": showdown(c1, c2, 2)},
                                f"1{cards[c1]}cb",
                            ),
                        },
                        f"2{cards[c2]}c",
                    ),
                    "bet": Decision(
                        "2",
                        {"fold": Terminal((1, -1)), "call": showdown(c1, c2, 2)},
                        f"2{cards[c2]}b",
                    ),
                },
                f"1{cards[c1]}",
            ),
        )
    return Tree.build(("1", "2"), Chance(deals))


def test_kuhn_poker_value() -> None:
    """Kuhn (1950): in every equilibrium player 1's expected payoff is -1/18 (zero-sum, so
    the value is unique whichever equilibrium Lemke ends at); player 2 bets with K after a
    check and calls a bet with K, folds a bet with J (the unique parts of its strategy)."""
    tree = kuhn_poker()
    for rng in (None, 1, 2):
        result = sf.nash_sequence(tree, rng=rng)
        eq = result[0]
        assert eq.payoffs[0] == pytest.approx(-1 / 18, abs=1e-9)
        assert tree_regret(tree, eq.behaviour) <= 1e-9
        assert eq.strategy("2Kb")["call"] == pytest.approx(1.0)
        assert eq.strategy("2Jb")["fold"] == pytest.approx(1.0)
        assert eq.strategy("2Kc")["bet"] == pytest.approx(1.0)


def test_entry_deterrence_sequence_equilibrium_is_checked() -> None:
    """Selten (1978): the equilibria are (enter, accommodate) and 'out' with fighting
    probability >= 2/3 (reduced normal form); whichever Lemke finds must be one of them."""
    from .test_tree import entry_deterrence

    tree = entry_deterrence()
    eq = nash_tree(tree, "sequence")[0]
    assert tree_regret(tree, eq.behaviour) <= 1e-9
    enter = eq.strategy("Entrant:1")["enter"]
    fight = eq.strategy("Incumbent:1")["fight"]
    assert (enter == pytest.approx(1) and fight == pytest.approx(0)) or (
        enter == pytest.approx(0) and fight >= 2 / 3 - 1e-9
    )


def test_three_players_refused() -> None:
    """The sequence form here is for two players; Selten's horse has three."""
    with pytest.raises(SolverError, match="two-player"):
        nash_tree(horse(), "sequence")


def test_random_trees_with_ties_pass_the_regret_check() -> None:
    """Small-integer payoffs (ties, degenerate LCPs), chance and information sets: every
    result passes the reduced-normal-form regret check, from the default (logit) priors and
    random priors."""
    rng = np.random.default_rng(7)
    for k in range(20):
        tree = random_tree_with_information_sets(rng)
        for seed in (None, k):
            result = sf.nash_sequence(tree, rng=seed)
            eq = result[0]
            assert sf.nash_gain(tree, eq.behaviour)[0] <= 1e-9
            assert np.allclose(eq.reach @ tree.payoffs, eq.payoffs)


def gambit_game(tree: Tree):  # type: ignore[no-untyped-def]
    gbt = pytest.importorskip("pygambit")
    from gametheory.io.efg import dumps_efg

    return gbt, gbt.read_efg(io.StringIO(dumps_efg(tree)))


def test_zero_sum_values_equal_pygambit() -> None:
    """Zero-sum random trees: the value is unique, so ours equals pygambit's sequence-form
    LCP's (``lcp_solve(use_strategic=False)``) and its LP's (``lp_solve``) whenever the LP's
    answer is an equilibrium. (pygambit 17.0.0b2's ``lp_solve`` returned a profile with
    max_regret 0.3 on the first tree of this seed; its LCP and ours agree there on -1.4.)"""
    rng = np.random.default_rng(11)
    lp_agrees = 0
    for _ in range(25):
        tree = random_tree_with_information_sets(rng)
        tree = Tree(
            tree.players,
            tree.parent,
            tree.kind,
            tree.infoset,
            tree.infoset_owner,
            tree.probability,
            np.stack([tree.payoffs[:, 0] - 2.5, 2.5 - tree.payoffs[:, 0]], axis=1),
        )
        gbt, game = gambit_game(tree)
        first = next(iter(game.players))
        ours = sf.nash_sequence(tree)[0]
        assert sf.nash_gain(tree, ours.behaviour)[0] <= 1e-9
        lcp = gbt.nash.lcp_solve(game, rational=False, use_strategic=False).equilibrium
        assert float(lcp.max_regret()) <= 1e-7
        assert ours.payoffs[0] == pytest.approx(float(lcp.payoffs[first]), abs=1e-7)
        lp = gbt.nash.lp_solve(game, rational=False, use_strategic=False).equilibrium
        if float(lp.max_regret()) <= 1e-7:
            assert ours.payoffs[0] == pytest.approx(float(lp.payoffs[first]), abs=1e-7)
            lp_agrees += 1
    assert lp_agrees >= 20


def test_general_sum_random_trees_both_pass_regret() -> None:
    """General-sum trees: Lemke may end elsewhere than pygambit's LCP; both must be
    equilibria (ours by the reduced-form regret, Gambit's by its max_regret)."""
    rng = np.random.default_rng(5)
    for _ in range(15):
        tree = random_tree_with_information_sets(rng)
        gbt, game = gambit_game(tree)
        ours = sf.nash_sequence(tree)[0]
        assert sf.nash_gain(tree, ours.behaviour)[0] <= 1e-9
        theirs = gbt.nash.lcp_solve(game, rational=False, use_strategic=False)
        assert float(theirs.equilibrium.max_regret()) <= 1e-7


def large_information_tree(rng: np.random.Generator) -> Tree:
    """Chance picks one of 18 branches; in each, player 1 moves u/v and player 2, seeing
    nothing of which branch or move, answers l/r after u: 2^18 reduced strategies for 1."""
    leaves = {}
    for k in range(18):
        leaves[f"m{k}"] = Decision(
            "1",
            {
                "u": Decision(
                    "2",
                    {
                        "l": Terminal(tuple(rng.normal(size=2))),
                        "r": Terminal(tuple(rng.normal(size=2))),
                    },
                    "2",
                ),
                "v": Terminal(tuple(rng.normal(size=2))),
            },
        )
    return Tree.build(("1", "2"), Chance({k: (1 / 18, node) for k, node in leaves.items()}))


def test_auto_uses_the_sequence_form_past_the_reduced_limits() -> None:
    """Player 1 has 2^18 reduced strategies (over the 200,000 limit): auto says it used the
    sequence form, and the equilibrium passes the best-response check."""
    tree = large_information_tree(np.random.default_rng(3))
    assert not sf.reduced_form_fits(tree)
    result = nash_tree(tree)
    assert "sequence form" in result.method and not result.complete
    assert any("past its limits" in w for w in result.warnings)
    gain, _ = sf.nash_gain(tree, result[0].behaviour)
    assert gain <= 1e-9


def test_auto_uses_the_lp_for_a_large_constant_sum_tree() -> None:
    """The 2^18-strategy tree made zero-sum: auto takes the sequence-form LP and says so; the
    value is unique in a zero-sum game (von Neumann), so Lemke's algorithm must give the same
    one; ``"sequence_lp"`` by name gives Kuhn poker's -1/18 (Kuhn 1950)."""
    tree = large_information_tree(np.random.default_rng(3))
    zero_sum = dataclasses.replace(
        tree, payoffs=np.stack([tree.payoffs[:, 0], -tree.payoffs[:, 0]], axis=1)
    )
    result = nash_tree(zero_sum)
    assert "sequence-form LP" in result.method and not result.complete
    assert any("constant-sum tree by the sequence-form LP" in w for w in result.warnings)
    lemke = nash_tree(zero_sum, "sequence")
    assert result[0].payoffs == pytest.approx(lemke[0].payoffs, abs=1e-9)
    assert sf.nash_gain(zero_sum, result[0].behaviour)[0] <= 1e-9
    kuhn = nash_tree(kuhn_poker(), "sequence_lp")
    assert kuhn[0].payoffs[0] == pytest.approx(-1 / 18, abs=1e-9)
    general = nash_tree(tree)  # the same tree, general-sum: Lemke's algorithm
    assert "Lemke" in general.method


def test_subgame_past_the_reduced_limits_is_solved_by_the_sequence_form() -> None:
    """Subgame perfection where a proper subgame (the 2^18-strategy tree above, behind an
    outside option worth 10 to player 1, above any payoff inside) is past the reduced normal
    form's limits: one equilibrium of it by the sequence form, said, not complete; player 1
    takes the outside option (10 beats every payoff in the subgame)."""
    inner = large_information_tree(np.random.default_rng(3))
    assert np.abs(inner.payoffs).max() < 10
    tree = Tree.build(
        ("1", "2"),
        Decision("1", {"out": Terminal((10.0, 0.0)), "in": _as_node(inner, 0)}, "start"),
    )
    result = gt.spe_tree(tree)
    assert len(result) == 1 and not result.complete
    assert any("past the reduced normal form's limits" in w for w in result.warnings)
    eq = result[0]
    assert eq.strategy("start") == pytest.approx({"out": 1.0, "in": 0.0})
    assert gt.solvers.tree.spe_gain(tree, eq.behaviour) <= 1e-9


def _as_node(tree: Tree, node: int):  # type: ignore[no-untyped-def]
    """The subtree of ``tree`` at ``node`` as builder nodes (labels and information sets kept)."""
    kind = int(tree.kind[node])
    if kind == 0:
        t = int(np.searchsorted(tree.terminals, node))
        return Terminal(tuple(float(v) for v in tree.payoffs[t]))
    start = int(tree.first_child[node])
    kids = range(start, start + int(tree.n_children[node]))
    if kind == 2:
        return Chance(
            {tree.move_labels[c]: (float(tree.probability[c]), _as_node(tree, c)) for c in kids}
        )
    h = int(tree.infoset[node])
    return Decision(
        tree.players[int(tree.infoset_owner[h])],
        {tree.move_labels[c]: _as_node(tree, c) for c in kids},
        tree.infoset_labels[h],
    )


def test_prior_validation_and_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = matching_pennies()
    with pytest.raises(GameError, match="fully mixed"):
        sf.lemke_sequence(tree, [1.0, 0.0, 0.5, 0.5])
    with pytest.raises(GameError, match="sum to"):
        sf.lemke_sequence(tree, [0.6, 0.6, 0.5, 0.5])
    with pytest.raises(GameError, match="4 entries"):
        sf.lemke_sequence(tree, [0.5, 0.5])
    monkeypatch.setattr(sf, "MAX_LCP_ROWS", 10)
    with pytest.raises(SolverError, match="limit is 10"):
        sf.sequence_form(tree)


def prisoners_dilemma() -> Tree:
    """Simultaneous prisoner's dilemma as a tree (B does not see A's move): T=5, R=3, P=1, S=0."""
    pay = {("C", "c"): (3, 3), ("C", "d"): (0, 5), ("D", "c"): (5, 0), ("D", "d"): (1, 1)}

    def reply(a: str) -> Decision:
        return Decision("B", {b: Terminal(pay[(a, b)]) for b in ("c", "d")}, "B")

    return Tree.build(("A", "B"), Decision("A", {"C": reply("C"), "D": reply("D")}))


def test_logit_prior_follows_a_dominant_move() -> None:
    """Defection strictly dominates by 1 or 2 (of a range of 5) at every node: the logit
    response at precision 100 puts weight exp(-100 * 1/5) ~ 2e-9 on cooperating (McKelvey and
    Palfrey 1998's logit rule); the floor keeps the prior fully mixed at 1e-6."""
    tree = prisoners_dilemma()
    prior = sf.logit_prior(tree, 100.0)
    assert prior.min() >= 1e-6 * 0.99
    sums = np.add.reduceat(prior, tree.action_offset[:-1])
    assert sums == pytest.approx(np.ones(tree.n_infosets))
    assert prior[tree.action_offset[0] + 1] == pytest.approx(1.0, abs=1e-5)  # A defects
    assert prior[tree.action_offset[1] + 1] == pytest.approx(1.0, abs=1e-5)  # B defects


def test_logit_prior_of_matching_pennies_is_the_centre() -> None:
    """Every logit QRE of symmetric matching pennies is (1/2, 1/2) (McKelvey and Palfrey 1995):
    the logit responses to the centre are the centre, so the prior stays there."""
    prior = sf.logit_prior(matching_pennies(), 300.0)
    assert prior == pytest.approx(np.full(4, 0.5), abs=1e-12)


def test_logit_prior_arguments_are_checked() -> None:
    tree = matching_pennies()
    for bad in (
        {"precision": 0.0},
        {"precision": float("nan")},
        {"iterations": -1},
        {"iterations": 2.5},
        {"damping": 0.0},
        {"damping": 1.5},
    ):
        with pytest.raises(GameError):
            sf.logit_prior(tree, **bad)  # type: ignore[arg-type]
    assert sf.logit_prior(tree, iterations=0) == pytest.approx(np.full(4, 0.5))


def test_a_path_run_in_slices_is_the_same_path() -> None:
    """Resuming a path (as the portfolio of priors does) changes nothing: pivoting one step at
    a time ends at the same basis, after as many pivots, as one uninterrupted run."""
    rng = np.random.default_rng(21)
    for _ in range(5):
        tree = random_tree_with_information_sets(rng)
        prior = sf.logit_prior(tree, 30.0)
        x, y, _, pivots = sf.lemke_sequence(tree, prior)
        path = sf._LemkePath(tree, prior, None)
        steps = 0
        while not path.advance(1):
            steps += 1
        x2, y2, _, pivots2 = path.result()
        assert pivots2 == pivots == steps + 1
        assert np.array_equal(x, x2) and np.array_equal(y, y2)


def test_priors_share_the_work_when_slices_are_short(monkeypatch: pytest.MonkeyPatch) -> None:
    """With slices of 3 pivots the priors take turns (the notes count the other paths' pivots);
    the result is still an equilibrium of Kuhn poker with its value -1/18 (Kuhn 1950)."""
    monkeypatch.setattr(sf, "SLICE_MIN", 1)
    tree = kuhn_poker()
    result = sf.nash_sequence(tree)
    assert result[0].payoffs[0] == pytest.approx(-1 / 18, abs=1e-9)
    assert tree_regret(tree, result[0].behaviour) <= 1e-9
    assert any("paths from other priors" in w for w in result.warnings)


def test_every_prior_failing_raises_one_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """When every default prior's path fails, the last failure is raised (not a hang, not a
    wrong answer)."""

    def broken(self: object, pivots: int) -> bool:
        raise SolverError("met a singular basis (injected)")

    monkeypatch.setattr(sf._LemkePath, "advance", broken)
    with pytest.raises(SolverError, match="singular basis"):
        sf.nash_sequence(kuhn_poker())


def test_pivot_limit_raises() -> None:
    with pytest.raises(SolverError, match="within 1 pivots"):
        sf.lemke_sequence(kuhn_poker(), max_pivots=1)
    for none in (0, -5):  # no pivot allowed: an error at once, not a loop
        with pytest.raises(SolverError, match="within 0 pivots"):
            sf.lemke_sequence(kuhn_poker(), max_pivots=none)


def test_cli_method_sequence(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from gametheory.io.efg import dumps_efg

    path = tmp_path / "kuhn.efg"
    path.write_text(dumps_efg(kuhn_poker()))
    from gametheory.cli.main import main

    assert main(["solve", str(path), "--concept", "nash", "--method", "sequence"]) == 0
    assert gt.nash_tree is nash_tree
