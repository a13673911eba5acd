"""London talks with private information: the thresholds notebook 08 states, derived by hand.

Every expected value here comes from the payoff expressions of
``payoffs/london_talks_2025_private.toml`` worked through node by node (the derivation is in
the comments of :func:`hand_solution`), never from the solver's output. The solver
(``gt.spe_tree``) is then checked at points on both sides of each threshold, every equilibrium
it returns is re-checked for zero regret, and at a few points Gambit's Nash equilibria (an
independent tool) must pay what ours do. The baseline prediction itself is tested in
``tests/test_tree_scenario.py`` and is not repeated here.

Notation (the file's parameters): dn defence_need, sc security_cost, hs hawk_share, pv
pressure_value, ue us_tariff_exposure, ce china_tariff_exposure, t tariff, cv chip_value,
lr linkage_reward, mh magnet_value_hawk, mp magnet_value_pragmatic, ov offer_value,
rt remedy_time_value x extension_days / 90, e extended, p p_hawk.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest

import gametheory as gt
from gametheory.io import load_tree_scenario
from gametheory.solvers.tree import tree_regret

from .conftest import PAYOFFS

PRIVATE = PAYOFFS / "london_talks_2025_private.toml"
SCENARIO = load_tree_scenario(PRIVATE)
TOL = 1e-9


def hand_solution(**changes: float) -> dict[str, Any]:
    """The subgame-perfect prediction worked out by hand from the file's [payoffs].

    Terminal payoffs, read off the expressions (lapse = 1 - e: the truce lapses when no
    magnets are licensed and the deadline is enforced):

    - maintain, no offer:        US (1-e)(pv - ue t) + e rt;        China -(1-e) ce t
    - maintain, offer, refuse:   US (1-e)(pv - ue t) + e rt;        China ov - (1-e) ce t
    - maintain, offer, accept:   US dn s - sc + e rt;               China cv - m + lr + ov
    - relax, license:            US dn s - sc + e rt;               China cv - m + lr
    - relax, withhold:           US -sc + (1-e)(pv - ue t) + e rt;  China cv - (1-e) ce t

    where s = hs for a hawk and 1 for a pragmatic China (the share of licences granted) and
    m = mh hs for a hawk, mp for a pragmatic China (its cost of licensing).
    """
    v = {k: float(x) for k, x in SCENARIO.baseline.items()}
    v.update({k: float(x) for k, x in changes.items()})
    e, p = v["extended"], v["p_hawk"]
    rt = v["remedy_time_value"] * v["extension_days"] / 90
    lapse_us = (1 - e) * (v["pressure_value"] - v["us_tariff_exposure"] * v["tariff"])
    lapse_china = -(1 - e) * v["china_tariff_exposure"] * v["tariff"]
    cost = {
        "hawk": v["magnet_value_hawk"] * v["hawk_share"],
        "pragmatic": v["magnet_value_pragmatic"],
    }
    share = {"hawk": v["hawk_share"], "pragmatic": 1.0}

    # Node 1, China after a unilateral relax (a subgame: China knows its type and the move):
    # license iff cv - m + lr > cv - (1-e) ce t, i.e. (1-e) ce t > m - lr. Pragmatic:
    # 3 - 4 < 0, always. Hawk: 6 - 4 = 2, so only with the deadline enforced and ce t > 2
    # (tariff > 1/3 at ce = 6).
    licenses = {k: -lapse_china > cost[k] - v["linkage_reward"] + TOL for k in cost}

    # Node 2, the US's reply to an offer. Both types offer (node 3), so its belief is the prior
    # p. Accept iff dn (1 - p (1 - hs)) - sc >= (1-e)(pv - ue t): the expected share of the
    # licences against a lapse (with the extension, against nothing: rt is paid either way).
    deal_us = v["defence_need"] * (p * share["hawk"] + (1 - p)) - v["security_cost"] + e * rt
    refuse_us = lapse_us + e * rt
    accepts = deal_us > refuse_us + TOL
    tie_reply = abs(deal_us - refuse_us) <= TOL

    # Node 3, China after "maintain": offering beats not offering for both types whatever the
    # US replies: refused, ov + lapse > lapse; accepted, cv - m + lr + ov > lapse (hawk
    # 6 - 6 + 4 + 0.5 = 4.5 > 0 >= lapse). So the offer pools and reveals nothing.
    # Node 4, the US at the root: maintain is worth max(deal, refuse) (as the reply decides);
    # relax is worth sum over types of dn s - sc (if that type licenses) or -sc + lapse.
    relax_us = (
        sum(
            (1 - p if k == "pragmatic" else p)
            * (
                v["defence_need"] * share[k] - v["security_cost"]
                if licenses[k]
                else -v["security_cost"] + lapse_us
            )
            for k in cost
        )
        + e * rt
    )
    maintain_us = max(deal_us, refuse_us)
    return {
        "hawk_licenses_after_relax": licenses["hawk"],
        "pragmatic_licenses_after_relax": licenses["pragmatic"],
        "accepts": accepts,
        "tie_reply": tie_reply,
        "maintain_us": maintain_us,
        "relax_us": relax_us,
        "us": max(maintain_us, relax_us),
        "deal_us": deal_us,
        "refuse_us": refuse_us,
    }


def enforced_cutoff(**changes: float) -> float:
    """With the deadline enforced: the deal is struck iff p_hawk <= this (node 2 solved for p).

    dn (1 - p (1 - hs)) - sc >= pv - ue t  <=>  p <= (dn - sc - pv + ue t) / (dn (1 - hs)).
    At the other baseline values: (8 - 9 - 1 + 4 t) / 4 = t - 0.5; 0.05 at t = 0.55.
    """
    v = {k: float(x) for k, x in SCENARIO.baseline.items()} | changes
    return (
        v["defence_need"]
        - v["security_cost"]
        - v["pressure_value"]
        + v["us_tariff_exposure"] * v["tariff"]
    ) / (v["defence_need"] * (1 - v["hawk_share"]))


def extension_need(p: float) -> float:
    """With the extension: the US accepts iff dn >= sc / (1 - p (1 - hs)) = 9 / (1 - p/2)."""
    return 9.0 / (1 - p / 2)


def outcomes(result: gt.TreeSolveResult) -> set[str]:
    """The outcome of each equilibrium: 'deal' (offer accepted), 'relax first' (the US relaxes,
    China licenses), 'refused' (offer refused), read from the moves on its path."""
    return {name for eq in result for name in outcomes_of(eq)}


def outcomes_of(eq: Any) -> set[str]:
    """The outcome of one equilibrium (a set of one name, or of the moves if unexpected)."""
    names = {"accept": "deal", "license": "relax first", "refuse": "refused"}
    moves = {name.split("/")[1] for name, prob in eq.path() if prob > TOL}
    return {names[moves.pop()]} if len(moves) == 1 and moves <= names.keys() else {str(moves)}


def solve(**values: float) -> gt.TreeSolveResult:
    tree = SCENARIO.tree(**values)
    result = gt.spe_tree(tree)
    assert len(result) >= 1
    for eq in result:
        assert tree_regret(tree, eq.behaviour) <= 1e-9
    return result


# ---------------------------------------------------------------------- the derivation itself
def test_hand_derivation_gives_the_files_numbers() -> None:
    # The numbers the notebook and docs/trees.md quote, from the formulas alone.
    assert enforced_cutoff() == pytest.approx(0.05)
    assert enforced_cutoff(tariff=1.0) == pytest.approx(0.5)
    assert enforced_cutoff(tariff=0.5) == pytest.approx(0.0)
    assert [extension_need(p) for p in (0.0, 0.5, 1.0)] == pytest.approx([9.0, 12.0, 18.0])
    base = hand_solution()
    assert base["us"] == pytest.approx(1.5) and not base["accepts"]
    assert not base["hawk_licenses_after_relax"] and base["pragmatic_licenses_after_relax"]
    enforced = hand_solution(extended=0, p_hawk=0.5)
    assert enforced["refuse_us"] == pytest.approx(-1.2)
    assert enforced["hawk_licenses_after_relax"]


# ---------------------------------------------------------------------- deadline enforced
@pytest.mark.parametrize("tariff", [0.55, 0.8, 1.0])
@pytest.mark.parametrize("side", [-0.02, 0.02])
def test_enforced_deadline_deal_iff_p_hawk_below_cutoff(tariff: float, side: float) -> None:
    p = enforced_cutoff(tariff=tariff) + side
    p = min(max(p, 0.0), 1.0)
    hand = hand_solution(extended=0, tariff=tariff, p_hawk=p)
    result = solve(extended=0, tariff=tariff, p_hawk=p)
    for eq in result:
        assert eq.payoff()["US"] == pytest.approx(hand["us"])
    if side < 0:
        # below the cut-off: the deal; the US is indifferent between accepting the offer and
        # relaxing first (both types license after a relax when a lapse threatens), so both
        # routes are equilibria and the list is honestly marked incomplete
        assert hand["accepts"] and hand["relax_us"] == pytest.approx(hand["maintain_us"])
        assert outcomes(result) == {"deal", "relax first"}
        assert not result.complete
        assert hand["us"] == pytest.approx(-1 - 4 * p)  # 8 (1 - p/2) - 9
    else:
        assert not hand["accepts"]
        assert outcomes(result) == {"refused"}
        assert result.complete and len(result) == 1
        assert hand["us"] == pytest.approx(1 - 4 * tariff)


def test_enforced_deadline_below_half_tariff_no_deal_at_any_prior() -> None:
    # cut-off t - 0.5 < 0 at t = 0.45: refused even for a surely pragmatic China
    assert enforced_cutoff(tariff=0.45) < 0
    assert outcomes(solve(extended=0, tariff=0.45, p_hawk=0.0)) == {"refused"}


def test_exactly_at_the_cutoff_both_outcomes_are_equilibria() -> None:
    # p_hawk = 0.05 (a point of the notebook's grid): deal and refusal both worth -1.2 to the US
    hand = hand_solution(extended=0, p_hawk=0.05)
    assert hand["deal_us"] == pytest.approx(hand["refuse_us"])
    result = solve(extended=0, p_hawk=0.05)
    assert outcomes(result) == {"deal", "relax first", "refused"}
    assert not result.complete


# ---------------------------------------------------------------------- extension granted
@pytest.mark.parametrize(
    ("defence_need", "p", "accepts"),
    [
        (8.0, 0.0, False),
        (12.0, 0.45, True),
        (12.0, 0.55, False),
        (9.5, 0.09, True),
        (9.5, 0.12, False),
    ],
)
def test_extension_refused_unless_magnets_worth_enough(
    defence_need: float, p: float, accepts: bool
) -> None:
    # accept iff dn >= 9 / (1 - p/2); with dn 9.5 that is p <= 2 (1 - 9/9.5) = 0.105
    assert (defence_need >= extension_need(p)) == accepts
    hand = hand_solution(defence_need=defence_need, p_hawk=p)
    assert hand["accepts"] == accepts
    result = solve(defence_need=defence_need, p_hawk=p)
    for eq in result:
        assert eq.payoff()["US"] == pytest.approx(hand["us"])
    if p > 0:
        # with a hawk possible, accepting beats relaxing first (a hawk withholds after a relax
        # when there is no lapse to fear), so the deal goes through the offer only
        assert outcomes(result) == ({"deal"} if accepts else {"refused"})
        assert result.complete and len(result) == 1


# ---------------------------------------------------------------------- the offer pools
@pytest.mark.parametrize(
    "values", [{}, {"extended": 0, "p_hawk": 0.3}, {"defence_need": 12, "p_hawk": 0.3}]
)
def test_both_types_offer_so_the_offer_reveals_nothing(values: dict[str, float]) -> None:
    for eq in solve(**values):
        behaviour = eq.behaviour_by_infoset()
        if behaviour["chips_if_hawk | chips_if_pragmatic"]["maintain"] == 1.0:
            assert behaviour["linkage_if_hawk"]["offer"] == 1.0
            assert behaviour["linkage_if_pragmatic"]["offer"] == 1.0


# ---------------------------------------------------------------------- off the path
@pytest.mark.parametrize(
    ("extended", "tariff", "hawk_licenses"),
    [(1, 0.55, False), (1, 1.4, False), (0, 0.30, False), (0, 0.37, True), (0, 0.55, True)],
)
def test_hawk_answer_to_a_unilateral_relax(
    extended: int, tariff: float, hawk_licenses: bool
) -> None:
    # license iff (1 - e) x 6 x t > 12 x 0.5 - 4 = 2, i.e. enforced deadline and t > 1/3
    hand = hand_solution(extended=extended, tariff=tariff, p_hawk=0.5)
    assert hand["hawk_licenses_after_relax"] == hawk_licenses
    assert hand["pragmatic_licenses_after_relax"]
    for eq in solve(extended=extended, tariff=tariff, p_hawk=0.5):
        behaviour = eq.behaviour_by_infoset()
        assert behaviour["magnets_if_hawk"]["license"] == (1.0 if hawk_licenses else 0.0)
        assert behaviour["magnets_if_pragmatic"]["license"] == 1.0


# ---------------------------------------------------------------------- the notebook's grid
def test_notebook_grid_regions() -> None:
    # 41 priors, both deadline settings: what the notebook's figure shows
    grid = np.linspace(0.0, 1.0, 41)
    for extended in (1, 0):
        for p in grid:
            p = float(p)
            result = solve(extended=extended, p_hawk=p)
            hand = hand_solution(extended=extended, p_hawk=p)
            found = outcomes(result)
            if extended or p > enforced_cutoff() + TOL:
                assert found == {"refused"}, (extended, p)
            elif abs(p - enforced_cutoff()) <= TOL:
                assert found == {"deal", "relax first", "refused"}
            else:
                assert found == {"deal", "relax first"}
            for eq in result:
                assert eq.payoff()["US"] == pytest.approx(hand["us"])
            # complete except where the US is indifferent, or a type has probability 0 and
            # its offer choice is then undetermined
            indifferent = not extended and p <= enforced_cutoff() + TOL
            assert result.complete == (not indifferent and 0 < p < 1), (extended, p)


def test_zero_probability_type_is_undetermined_but_outcome_is_not() -> None:
    # at p_hawk 0 the hawk never occurs: its offer choice changes no payoff, so both are listed
    result = solve(p_hawk=0.0)
    assert len(result) == 2 and not result.complete
    hawk = {eq.behaviour_by_infoset()["linkage_if_hawk"]["offer"] for eq in result}
    assert hawk == {0.0, 1.0}
    assert {tuple(np.round(eq.payoffs, 9)) for eq in result} == {(1.5, 0.5)}


# ---------------------------------------------------------------------- against Gambit
@pytest.mark.parametrize(
    "values",
    [
        {"extended": 0, "tariff": 0.8, "p_hawk": 0.28},
        {"extended": 0, "tariff": 0.8, "p_hawk": 0.32},
        {"defence_need": 12, "p_hawk": 0.45},
        {"defence_need": 12, "p_hawk": 0.55},
    ],
)
def test_payoffs_among_gambits_nash_equilibria(values: dict[str, float]) -> None:
    # Every SPE is a Nash equilibrium, so our payoffs must be among those of Gambit's extreme
    # Nash equilibria of the same tree (enummixed on its strategic form).
    gbt = pytest.importorskip("pygambit")
    tree = SCENARIO.tree(**values)
    game = gbt.read_efg(io.StringIO(gt.dumps_efg(tree)))
    theirs = {
        tuple(round(float(eq.payoffs[p]), 6) + 0.0 for p in game.players)
        for eq in gbt.nash.enummixed_solve(game, rational=False).equilibria
    }
    ours = {tuple(round(float(v), 6) + 0.0 for v in eq.payoffs) for eq in gt.spe_tree(tree)}
    assert ours <= theirs


def test_sequentially_rational_offers_leave_two_routes_to_the_deal() -> None:
    # Deadline enforced, p_hawk 0.025: for China after "maintain", offering beats not offering
    # whatever the US replies (refused: 0.5 - 3.3 = -2.8 > -3.3; accepted: 4.5 hawk, 7.5
    # pragmatic). Subgame perfection does not impose this where the US's relax makes those
    # nodes unreachable (they start no subgame); among the equilibria listed, those in which
    # both types offer are the two routes to the same trade: accept the offer, or relax first.
    result = solve(extended=0, p_hawk=0.025)
    sensible = [
        eq
        for eq in result
        if eq.behaviour_by_infoset()["linkage_if_hawk"]["offer"] == 1.0
        and eq.behaviour_by_infoset()["linkage_if_pragmatic"]["offer"] == 1.0
    ]
    assert len(sensible) == 2
    assert {outcome for eq in sensible for outcome in outcomes_of(eq)} == {"deal", "relax first"}
    # China prefers the offer route by offer_value: 7.5 - 3p against 7 - 3p
    china = sorted(eq.payoff()["China"] for eq in sensible)
    assert china == pytest.approx([7 - 3 * 0.025, 7.5 - 3 * 0.025])
