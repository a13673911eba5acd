"""Bayesian Nash and perfect Bayesian equilibria against textbook cases.

Expected values are derived here, in the tests, from the sources' payoffs:
- beer-quiche: Cho and Kreps (1987), section II; payoffs as in Fudenberg and Tirole (1991),
  section 11.2 (sender: 1 for the preferred breakfast + 2 if not challenged; receiver: 1 for
  dueling the weak or not dueling the strong);
- Spence (1973) with two types, one education level and a receiver paid -(wage -
  productivity)^2 (Gibbons 1992, section 4.2.B: the receiver stands for a competitive market);
- entry deterrence with an incumbent whose type (tough or weak) the entrant does not know
  (Kreps and Wilson 1982; Fudenberg and Tirole 1991, section 8.2).
"""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.errors import SolverError
from gametheory.model.tree import Chance, Decision, Terminal, Tree
from gametheory.solvers.bayesian import (
    MAX_PROFILES,
    SignallingGame,
    bayesian_nash,
    pbe_gain,
    pbe_signalling,
    signalling_tree,
)
from gametheory.solvers.tree import tree_regret


# ---------------------------------------------------------------------- beer-quiche
def beer_quiche(prior_strong: float = 0.9) -> Tree:
    def payoffs(t: str, m: str, a: str) -> tuple[float, float]:
        sender = (1 if (t == "strong") == (m == "beer") else 0) + (2 if a == "not duel" else 0)
        receiver = 1 if (a == "duel") == (t == "weak") else 0
        return sender, receiver

    return signalling_tree(
        {"strong": prior_strong, "weak": 1 - prior_strong},
        ["beer", "quiche"],
        ["duel", "not duel"],
        payoffs,
        sender="Sender",
        receiver="Receiver",
    )


def test_beer_quiche_two_pooling_families_and_intuitive_criterion() -> None:
    result = pbe_signalling(beer_quiche())
    # Receiver: duel pays mu(weak), not duel pays mu(strong); so it duels iff mu(weak) >= 1/2.
    # Separating equilibria fail: the weak type sending quiche is dueled (1) but would get 2
    # from beer, and the reverse gives the weak type 0 < 3. So: two pooling equilibria.
    assert len(result) == 2
    assert not result.of_kind("separating")
    pools = {eq.on_path(): eq for eq in result.of_kind("pooling")}
    beer, quiche = pools[("beer",)], pools[("quiche",)]
    # Pooling on beer: Bayes gives the prior (0.9, 0.1) -> no duel; strong 1+2, weak 0+2.
    assert beer.belief("beer") == pytest.approx({"strong": 0.9, "weak": 0.1})
    assert beer.receiver_strategy() == {"beer": "not duel", "quiche": "duel"}
    assert beer.sender_payoffs == pytest.approx([3, 2])
    # Off the path the weak type must not want quiche: quiche + no duel gives it 3 > 2, so the
    # receiver duels after quiche, which needs mu(weak | quiche) >= 1/2.
    (support,) = beer.off_path
    assert (support.message, support.action) == ("quiche", "duel")
    assert support.bounds["weak"] == pytest.approx((0.5, 1.0))
    assert support.describe() == "mu(weak | quiche) in [0.5, 1]"
    # Pooling on quiche: strong 0+2, weak 1+2; beer off the path must be dueled,
    # mu(weak | beer) >= 1/2.
    assert quiche.sender_payoffs == pytest.approx([2, 3])
    assert quiche.off_path[0].bounds["weak"] == pytest.approx((0.5, 1.0))
    # Intuitive criterion (Cho and Kreps 1987): beer gives the weak type at most 0+2 < 3, so
    # it is equilibrium-dominated for weak; believing the sender strong, the receiver does
    # not duel and the strong type gets 3 > 2. Quiche-pooling fails; beer-pooling passes
    # (quiche gives strong at most 2 < 3; the weak type, if believed, is dueled: 1 < 2).
    assert beer.intuitive and not quiche.intuitive
    assert "strong" in quiche.intuitive_reason
    for eq in result:
        assert pbe_gain(eq) <= 1e-9
        assert tree_regret(result.game.tree, eq.behaviour) <= 1e-9


def test_beer_quiche_with_a_weak_majority_has_only_a_hybrid_equilibrium() -> None:
    # With prior strong 0.4 < 1/2, pooling anywhere is dueled on the path: pooling on beer
    # gives weak 0 while quiche gives it at least 1; pooling on quiche gives strong 0 while
    # beer gives it at least 1. Separating fails as above. The hybrid equilibrium: strong
    # drinks beer, weak mixes; quiche reveals weak (duel, weak gets 1); at beer the receiver
    # mixes, so it is indifferent: mu(weak | beer) = 0.6 s / (0.6 s + 0.4) = 1/2, s = 2/3;
    # weak is indifferent: 2 (1 - d) = 1, d = 1/2; strong gets 1 + 2 (1/2) = 2 > 0.
    result = pbe_signalling(beer_quiche(0.4))
    assert not result.complete
    (eq,) = result
    assert eq.kind == "hybrid" and eq.on_path() == ("beer", "quiche")
    assert eq.sender_probabilities() == pytest.approx(np.array([[1, 0], [2 / 3, 1 / 3]]))
    assert eq.receiver_probabilities()[0] == pytest.approx([0.5, 0.5])
    assert eq.receiver_probabilities()[1] == pytest.approx([1, 0])
    assert eq.belief("beer") == pytest.approx({"strong": 0.5, "weak": 0.5})
    assert eq.sender_payoffs == pytest.approx([2, 1])
    assert eq.receiver_payoff == pytest.approx(0.4 * 0.5 + 0.6 * (2 / 3 * 0.5 + 1 / 3))
    assert eq.sender_strategy()["weak"] == "beer 0.6667, quiche 0.3333"
    assert pbe_gain(eq) <= 1e-9
    assert tree_regret(result.game.tree, eq.behaviour) <= 1e-9


def test_beer_quiche_dict_names_beliefs_at_every_information_set() -> None:
    data = pbe_signalling(beer_quiche()).to_dict()
    assert data["concept"] == "perfect Bayesian equilibrium" and data["complete"] is False
    first = data["equilibria"][0]
    assert set(first["beliefs"]) == {"Receiver after beer", "Receiver after quiche"}
    assert first["off_path_support"][0]["text"].startswith("mu(weak | ")
    assert first["payoffs"]["Sender"] == pytest.approx(0.9 * 3 + 0.1 * 2)


# ---------------------------------------------------------------------- Spence
def spence(p_high: float, c_high: float, c_low: float) -> Tree:
    productivity = {"high": 2.0, "low": 1.0}
    cost = {"high": c_high, "low": c_low}
    wage = {"wage 2": 2.0, "wage 1": 1.0}

    def payoffs(t: str, m: str, a: str) -> tuple[float, float]:
        e = 1.0 if m == "educate" else 0.0
        return wage[a] - cost[t] * e, -((wage[a] - productivity[t]) ** 2)

    return signalling_tree(
        {"high": p_high, "low": 1 - p_high},
        ["educate", "none"],
        ["wage 2", "wage 1"],
        payoffs,
        sender="Worker",
        receiver="Firm",
    )


def test_spence_separating_and_pooling_conditions() -> None:
    p, c_h, c_l = 0.3, 0.5, 1.5
    result = pbe_signalling(spence(p, c_h, c_l))
    # The firm pays 2 iff mu(high) >= 1/2 (E(2 - theta)^2 = mu(low) vs E(1 - theta)^2 = mu(high)).
    # Separating (high educates, low does not) needs 1 >= 2 - c_L (low does not mimic) and
    # 2 - c_H >= 1 (high does not drop out): c_H <= 1 <= c_L holds here.
    assert c_h <= 1 <= c_l
    (sep,) = result.of_kind("separating")
    assert sep.sender_strategy() == {"high": "educate", "low": "none"}
    assert sep.belief("educate")["high"] == pytest.approx(1.0)
    assert sep.belief("none")["high"] == pytest.approx(0.0)
    assert sep.sender_payoffs == pytest.approx([2 - c_h, 1])
    assert not sep.off_path and sep.intuitive
    # Pooling on no education: Bayes gives mu(high) = p = 0.3 < 1/2, wage 1. Education off the
    # path must be paid 1 (at wage 2 the high type gets 2 - c_H > 1), so mu(high | educate)
    # in [0, 1/2]. Pooling on education needs 2 - c_L >= 1, false here.
    (pool,) = result.of_kind("pooling")
    assert pool.on_path() == ("none",)
    assert pool.off_path[0].action == "wage 1"
    assert pool.off_path[0].bounds["high"] == pytest.approx((0.0, 0.5))
    assert pool.off_path[0].describe() == "mu(low | educate) in [0.5, 1]"
    # Intuitive criterion: education gives low at most 2 - c_L = 0.5 < 1 (dominated); high,
    # believed, gets 2 - c_H = 1.5 > 1: the pooling equilibrium fails, the separating one stays.
    assert not pool.intuitive
    assert len(result) == 2
    assert [eq.intuitive for eq in result] == [True, False]


def test_spence_pooling_on_education_when_cheap_for_both() -> None:
    # With c_L = 0.8 < 1 and prior p = 0.6 >= 1/2, pooling on education pays wage 2 on the
    # path: high gets 2 - c_H, low 2 - c_L = 1.2 >= 1 = the most 'none' can pay if the firm
    # answers it with wage 1 (which needs mu(high | none) <= 1/2). Separating fails
    # (low would mimic: 2 - 0.8 > 1).
    result = pbe_signalling(spence(0.6, 0.5, 0.8))
    assert not result.of_kind("separating")
    educated = [eq for eq in result.of_kind("pooling") if eq.on_path() == ("educate",)]
    assert len(educated) == 1
    assert educated[0].off_path[0].action == "wage 1"
    assert educated[0].off_path[0].bounds["high"] == pytest.approx((0.0, 0.5))
    # Pooling on 'none' pays 2 on the path; both off-path answers keep types at home
    # (educating pays at most 2 - c): two equilibria, with complementary belief intervals.
    idle = [eq for eq in result.of_kind("pooling") if eq.on_path() == ("none",)]
    bounds = sorted(eq.off_path[0].bounds["high"] for eq in idle)
    assert bounds == [pytest.approx((0.0, 0.5)), pytest.approx((0.5, 1.0))]
    # Hybrid: high educates with probability e, else joins low at 'none'. The firm must be
    # indifferent at 'none': mu(high | none) = 0.6 (1 - e) / (0.6 (1 - e) + 0.4) = 1/2, so
    # e = 1/3; high must be indifferent: 2 - c_H = 1.5 = 2 w + (1 - w), so the firm pays 2
    # with probability w = 1/2; low gets 1.5 > 2 - c_L = 1.2 and stays at 'none'.
    (hybrid,) = result.of_kind("hybrid")
    assert hybrid.sender_probabilities() == pytest.approx(np.array([[1 / 3, 2 / 3], [0, 1]]))
    assert hybrid.receiver_probabilities()[1] == pytest.approx([0.5, 0.5])
    assert hybrid.sender_payoffs == pytest.approx([1.5, 1.5])


# ---------------------------------------------------------------------- entry deterrence
def entry(p_tough: float) -> Tree:
    def after_entry(tough: bool) -> Decision:
        fight, accommodate = (1.0, 0.0) if tough else (0.0, 1.0)
        return Decision(
            "Incumbent",
            {"fight": Terminal((-1.0, fight)), "accommodate": Terminal((1.0, accommodate))},
        )

    def incumbent(tough: bool) -> Decision:
        return Decision(
            "Entrant",
            {"out": Terminal((0.0, 3.0)), "enter": after_entry(tough)},
            infoset="Entrant",
        )

    return Tree.build(
        ("Entrant", "Incumbent"),
        Chance({"tough": (p_tough, incumbent(True)), "weak": (1 - p_tough, incumbent(False))}),
    )


def test_entry_deterrence_bayesian_nash_with_unknown_type() -> None:
    # Entering pays p(-1) + (1 - p)(1) = 1 - 2p when each type plays its dominant answer
    # (tough fights, weak accommodates): with p = 0.3, 0.4 > 0 = staying out.
    p = 0.3
    result = bayesian_nash(entry(p))
    assert result.types == ("tough", "weak") and result.prior == pytest.approx((p, 1 - p))
    entered = [
        eq for eq in result if eq.equilibrium.strategy("Entrant")["enter"] == pytest.approx(1)
    ]
    assert len(entered) == 1
    eq = entered[0]
    assert eq.equilibrium.payoff()["Entrant"] == pytest.approx(1 - 2 * p)
    assert eq.by_type["tough"] == pytest.approx({"Entrant": -1.0, "Incumbent": 1.0})
    assert eq.by_type["weak"] == pytest.approx({"Entrant": 1.0, "Incumbent": 1.0})
    # Staying out is also a Nash equilibrium if the weak type threatens to fight often enough
    # (unreached, so not ruled out by Nash): out needs p(-1) + (1-p)(1 - 2q) <= 0, q >= 2/7.
    out = [eq for eq in result if eq.equilibrium.strategy("Entrant")["out"] == pytest.approx(1)]
    assert out
    for o in out:
        q = o.equilibrium.behaviour[-2:]  # weak type's (fight, accommodate) is the last set
        assert o.by_type["weak"]["Incumbent"] == pytest.approx(3.0)
        assert q[0] >= 2 / 7 - 1e-9
    for e in result:
        assert tree_regret(result.result.tree, e.equilibrium.behaviour) <= 1e-9
    assert "payoffs_by_type" in result.to_dict()["equilibria"][0]


def test_entry_deterrence_deterred_when_tough_is_likely() -> None:
    # With p = 0.7, entering pays 1 - 2p = -0.4 < 0 whatever the weak type does (at best
    # it accommodates), so in every Bayesian Nash equilibrium the entrant stays out.
    result = bayesian_nash(entry(0.7))
    assert len(result) >= 1
    for eq in result:
        assert eq.equilibrium.strategy("Entrant")["out"] == pytest.approx(1)


# ---------------------------------------------------------------------- three types, errors
def test_three_types_use_linear_programmes_for_off_path_ranges() -> None:
    # Three types and two messages, the receiver matches its answer to the type; sending 'b'
    # costs 2 to everyone, so every type pools on 'a' and 'b' is off the path. The receiver
    # answers 'b' with action X iff mu(x) >= mu(y) and mu(x) >= mu(z): mu(x) ranges over
    # [1/3, 1], mu(y) and mu(z) over [0, 1/2].
    types = {"x": 0.5, "y": 0.3, "z": 0.2}

    def payoffs(t: str, m: str, a: str) -> tuple[float, float]:
        return (1.0 - (2.0 if m == "b" else 0.0), 1.0 if a.lower() == t else 0.0)

    result = pbe_signalling(signalling_tree(types, ["a", "b"], ["X", "Y", "Z"], payoffs))
    pooled = [eq for eq in result if eq.on_path() == ("a",) and eq.response[1] == 0]
    assert len(pooled) == 1
    bounds = pooled[0].off_path[0].bounds
    assert bounds["x"] == pytest.approx((1 / 3, 1.0), abs=1e-7)
    assert bounds["y"] == pytest.approx((0.0, 0.5), abs=1e-7)
    assert not pooled[0].off_path[0].exact
    assert np.isclose(pooled[0].beliefs[1].sum(), 1.0)
    assert all(pbe_gain(eq) <= 1e-9 for eq in result)


def test_not_a_signalling_game_is_refused_clearly() -> None:
    with pytest.raises(SolverError, match="root must be a chance move"):
        SignallingGame.from_tree(
            Tree.build(("A", "B"), Decision("A", {"x": Terminal((0, 0)), "y": Terminal((1, 1))}))
        )
    with pytest.raises(SolverError, match="must not see the type"):
        tree = Tree.build(
            ("S", "R"),
            Chance(
                {
                    t: (0.5, Decision("S", {"m": Decision("R", {"a": Terminal((0, 0))})}))
                    for t in ("u", "v")
                }
            ),
        )
        SignallingGame.from_tree(tree)
    with pytest.raises(SolverError, match="root is a chance move"):
        bayesian_nash(Tree.build(("A",), Decision("A", {"x": Terminal((0,))})))


def test_profile_limit_is_checked_before_enumerating() -> None:
    types = {f"t{k}": 1 / 8 for k in range(8)}
    messages = [f"m{k}" for k in range(7)]
    tree = signalling_tree(types, messages, ["a", "b"], lambda t, m, a: (0.0, 0.0))
    assert MAX_PROFILES < 7**8 * 2**7
    with pytest.raises(SolverError, match="pure profiles"):
        pbe_signalling(tree)


# ---------------------------------------------------------------------- against Gambit
@pytest.mark.parametrize(
    "tree", [beer_quiche(), spence(0.3, 0.5, 1.5), spence(0.6, 0.5, 0.8)], ids=str
)
def test_pure_pbe_are_gambits_pure_nash_equilibria(tree: Tree) -> None:
    """In these games every receiver action is a best response to some belief (beer-quiche:
    duel iff mu(weak) >= 1/2; Spence: wage 2 iff mu(high) >= 1/2), so the pure PBE are exactly
    the pure Nash equilibria, which Gambit's enumpure finds independently."""
    gbt = pytest.importorskip("pygambit")
    import io

    from gametheory.io.efg import dumps_efg
    from gametheory.solvers.tree import _behaviour_from_mixed

    theirs = gbt.read_efg(io.StringIO(dumps_efg(tree)))
    found = gbt.nash.enumpure_solve(theirs).equilibria
    gambit = {
        tuple(
            _behaviour_from_mixed(
                tree, [np.array([float(x) for _, x in eq[pl]]) for pl in theirs.players]
            )[0].tolist()
        )
        for eq in found
    }
    ours = {tuple(eq.behaviour.tolist()) for eq in pbe_signalling(tree) if eq.kind != "hybrid"}
    assert ours == gambit and len(ours) >= 2


def test_random_two_type_games_against_gambit_and_a_belief_grid() -> None:
    """Random 2 types x 2 messages x 3 actions games: our pure PBE are exactly Gambit's pure
    Nash equilibria whose off-path answers are best responses to some belief, found here by
    a grid of 2,001 beliefs (independent of our intervals); every PBE, hybrids included, has
    zero regret in the reduced normal form."""
    gbt = pytest.importorskip("pygambit")
    import io

    from gametheory.io.efg import dumps_efg
    from gametheory.solvers.tree import _behaviour_from_mixed

    rng = np.random.default_rng(7)
    grid = np.linspace(0, 1, 2001)
    types, messages, actions = ("u", "v"), ["m", "n"], ["a", "b", "c"]
    compared = 0
    for _ in range(25):
        table = rng.integers(0, 6, size=(2, 2, 3, 2)).astype(float)

        def payoffs(t: str, m: str, a: str, table: np.ndarray = table) -> tuple[float, float]:
            row = table[types.index(t), messages.index(m), actions.index(a)]
            return float(row[0]), float(row[1])

        prior = float(rng.uniform(0.2, 0.8))
        tree = signalling_tree({"u": prior, "v": 1 - prior}, messages, actions, payoffs)
        result = pbe_signalling(tree)
        for eq in result:
            assert tree_regret(tree, eq.behaviour) <= 1e-9
        theirs = gbt.read_efg(io.StringIO(dumps_efg(tree)))
        expected = set()
        for eq in gbt.nash.enumpure_solve(theirs).equilibria:
            behaviour = _behaviour_from_mixed(
                tree, [np.array([float(x) for _, x in eq[pl]]) for pl in theirs.players]
            )[0]
            sends = behaviour[:4].reshape(2, 2).argmax(axis=1)  # types' information sets first
            answer = behaviour[4:].reshape(2, 3).argmax(axis=1)
            supported = True
            for m in range(2):
                if m in sends:
                    continue
                r = table[:, m, :, 1]  # receiver's payoffs (types, actions)
                values = np.outer(grid, r[0]) + np.outer(1 - grid, r[1])
                best = values.max(axis=1) - values[:, answer[m]] <= 1e-9
                supported &= bool(best.any())
            if supported:
                expected.add(tuple(behaviour.tolist()))
        ours = {tuple(eq.behaviour.tolist()) for eq in result if eq.kind != "hybrid"}
        assert ours == expected
        compared += bool(expected)
    assert compared >= 15
