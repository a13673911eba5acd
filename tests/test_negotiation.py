"""Bargaining, repeated games and what-would-it-take: closed forms and textbook cases."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

import gametheory as gt
from gametheory.analysis.negotiation.bargaining import (
    BargainingError,
    alternating_offers,
    bargain,
    discount_factor,
    pareto_frontier,
    rubinstein,
)
from gametheory.analysis.negotiation.repeated import minmax_payoffs, sustain
from gametheory.analysis.negotiation.whatif import WhatIfError, parameter_change, payoff_change

from .conftest import PAYOFFS, ROOT
from .test_cli import COMMAND


# ---------------------------------------------------------------------- Rubinstein
def test_rubinstein_closed_forms() -> None:
    """Osborne and Rubinstein (1990), Theorem 3.4: proposer gets (1 - d2) / (1 - d1 d2)."""
    assert rubinstein(0.9, 0.9).shares == pytest.approx((10 / 19, 9 / 19))
    assert rubinstein(0.9, 0.8).shares == pytest.approx((5 / 7, 2 / 7))
    assert rubinstein(0.9, 0.8, first=1).shares == pytest.approx((1 - 0.1 / 0.28, 0.1 / 0.28))


def test_finite_horizon_by_backward_induction() -> None:
    d1, d2 = 0.9, 0.8
    # One round: the proposer takes everything; two: the responder gets d2 of the pie
    # (it would take everything in round 2); three: 1 - d2 (1 - d1).
    assert alternating_offers(1, d1, d2).shares == pytest.approx((1.0, 0.0))
    assert alternating_offers(2, d1, d2).shares == pytest.approx((1 - d2, d2))
    assert alternating_offers(3, d1, d2).shares == pytest.approx((1 - d2 * (1 - d1), d2 * (1 - d1)))
    # Long horizons converge to Rubinstein's shares from both parities.
    for rounds in (400, 401):
        assert alternating_offers(rounds, d1, d2).shares == pytest.approx((5 / 7, 2 / 7))


def test_deadlines_in_days() -> None:
    assert discount_factor(30, 0.1) == pytest.approx(1.1 ** (-30 / 365))
    with pytest.raises(BargainingError):
        discount_factor(0, 0.1)


@pytest.mark.parametrize(
    "call",
    [
        lambda: rubinstein(1.0, 0.5),
        lambda: rubinstein(0.0, 0.5),
        lambda: rubinstein(0.9, 1.2),
        lambda: alternating_offers(0, 0.9, 0.9),
        lambda: rubinstein(0.9, 0.9, first=2),
    ],
)
def test_bad_discount_factors_and_rounds(call) -> None:
    with pytest.raises(BargainingError):
        call()


# ---------------------------------------------------------------------- axiomatic
def test_split_the_dollar_is_split_equally() -> None:
    """Symmetry (Nash 1950): a symmetric problem is split equally."""
    result = bargain([[0, 0], [1, 0], [0, 1]], (0, 0))
    assert result.nash == pytest.approx((0.5, 0.5))
    assert result.kalai_smorodinsky == pytest.approx((0.5, 0.5))
    assert result.egalitarian == pytest.approx((0.5, 0.5))


def test_linear_frontier_with_a_moved_disagreement_point() -> None:
    """Frontier u1/2 + u2 = 1, d = (1/2, 0): maximising (u1 - 1/2)(1 - u1/2) gives u1 = 5/4."""
    result = bargain([[0, 0], [2, 0], [0, 1]], (0.5, 0))
    assert result.nash == pytest.approx((1.25, 0.375))
    assert result.kalai_smorodinsky == pytest.approx((1.25, 0.375))
    assert result.ideal == pytest.approx((2.0, 0.75))
    assert result.utilitarian == pytest.approx((2.0, 0.0))


def test_kinked_frontier_separates_the_solutions() -> None:
    """Frontier (0,1) -> (3/2, 4/5) -> (2, 0), d = 0. Derived by hand:
    Nash: the product increases along both segments towards the kink, so (3/2, 4/5);
    KS: ideal (2, 1), the ray u2 = u1/2 meets 3.2 - 1.6 u1 at u1 = 32/21;
    egalitarian: u1 = u2 = s on the first segment, s = 1 - (2/15) s, so s = 15/17."""
    points = [[0, 0], [2, 0], [0, 1], [1.5, 0.8]]
    result = bargain(points, (0, 0))
    assert result.nash == pytest.approx((1.5, 0.8))
    assert result.kalai_smorodinsky == pytest.approx((32 / 21, 16 / 21))
    assert result.egalitarian == pytest.approx((15 / 17, 15 / 17))
    assert pareto_frontier(np.array(points)).tolist() == [[0, 1], [1.5, 0.8], [2, 0]]


def test_disagreement_from_an_equilibrium_of_a_game() -> None:
    game = gt.load(PAYOFFS / "prisoners_dilemma.toml").game()
    result = bargain(game)  # disagreement: the unique equilibrium (Fink, Fink) = (1, 1)
    assert result.disagreement == (1.0, 1.0)
    assert result.nash == pytest.approx((2.0, 2.0))
    assert "Fink" in result.source
    data = result.to_dict()
    assert data["solutions"]["nash"] == {"Suspect1": 2.0, "Suspect2": 2.0}
    minmax = bargain(game, "minmax")
    assert minmax.disagreement == pytest.approx((1.0, 1.0))


def test_bargaining_bad_input() -> None:
    with pytest.raises(BargainingError, match="outside the feasible set"):
        bargain([[0, 0], [1, 0], [0, 1]], (2, 2))
    with pytest.raises(BargainingError, match=r"empty|non-empty"):
        bargain(np.zeros((0, 2)), (0, 0))
    with pytest.raises(BargainingError, match="does not exist"):
        bargain(gt.load(PAYOFFS / "prisoners_dilemma.toml").game(), equilibrium=3)
    three = gt.Game(("A", "B", "C"), (("a",), ("b",), ("c",)), np.zeros((3, 1, 1, 1)))
    with pytest.raises(BargainingError, match="two-player"):
        bargain(three)


# ---------------------------------------------------------------------- repeated
def test_grim_trigger_threshold_in_the_prisoners_dilemma() -> None:
    """Cooperation (R = 2) against temptation T = 3 and punishment P = 1: grim trigger needs
    delta >= (T - R) / (T - P) = 1/2; one period of punishment would need (T - R)/(R - P) = 1,
    so it cannot work (Osborne and Rubinstein 1994, ch. 8)."""
    game = gt.load(PAYOFFS / "prisoners_dilemma.toml").game()
    result = sustain(game, ["Quiet", "Quiet"])
    assert result.grim_trigger == pytest.approx(0.5)
    assert result.one_period is None
    assert result.punishment == ("Fink", "Fink")
    assert result.individually_rational
    assert result.minmax == {"Suspect1": 1.0, "Suspect2": 1.0}


def test_one_period_punishment_where_it_works() -> None:
    # T = 4, R = 3, P = 0: grim (4 - 3) / (4 - 0) = 1/4; one period (4 - 3) / (3 - 0) = 1/3.
    game = gt.Game.from_arrays([[3, -1], [4, 0]], [[3, 4], [-1, 0]])
    result = sustain(game, ["a1", "a1"])
    assert result.grim_trigger == pytest.approx(0.25)
    assert result.one_period == pytest.approx(1 / 3)
    assert sustain(game, ["a2", "a2"]).grim_trigger == 0.0  # a stage equilibrium


def test_minmax_of_matching_pennies_is_the_value() -> None:
    game = gt.load(PAYOFFS / "matching_pennies.toml").game()
    assert minmax_payoffs(game) == pytest.approx((0.0, 0.0), abs=1e-12)


# ---------------------------------------------------------------------- what would it take
def test_smallest_payoff_change_in_the_prisoners_dilemma() -> None:
    """Each suspect gains 1 by deviating from (Quiet, Quiet); closing both gaps by `margin`
    costs 2 (1 + margin) in the L1 norm, and (1 + margin) / 2 in the max norm (each gap is
    shared between two cells)."""
    game = gt.load(PAYOFFS / "prisoners_dilemma.toml").game()
    for margin in (0.0, 0.5):
        l1 = payoff_change(game, ["Quiet", "Quiet"], margin=margin)
        assert l1.size == pytest.approx(2 * (1 + margin))
        assert gt.Profile(l1.game, (np.array([1.0, 0]), np.array([1.0, 0]))).is_equilibrium()
        top = payoff_change(
            game, {"Suspect1": "Quiet", "Suspect2": "Quiet"}, margin=margin, norm="max"
        )
        assert top.size == pytest.approx((1 + margin) / 2)
    already = payoff_change(game, ["Fink", "Fink"])
    assert already.size == 0 and "already" in already.sentence()


def test_smallest_parameter_change_follows_the_scenario_formula() -> None:
    """In the London scenario the US enforces the deadline iff
    pressure_value - us_tariff_exposure * tariff - remedy_time_value * extension_days / 90
    exceeds 0, and with enforcement China slows civilian licences and the US keeps its other
    controls; so with only pressure_value free the target needs 4 * 0.55 + 1.5 + margin."""
    sc = gt.load(PAYOFFS / "london_talks_2025.toml")
    target = {"US": "maintain+enforce+keep", "China": "withhold+slow"}
    result = parameter_change(sc, target, margin=0.1, vary=["pressure_value"])
    assert result.found
    assert result.values["pressure_value"] == pytest.approx(3.8, abs=1e-6)
    assert list(result.changed()) == ["pressure_value"]
    eq = gt.solve(sc.game(result.values))
    assert [e.describe() for e in eq] == ["US: maintain+enforce+keep / China: withhold+slow"]


def test_an_impossible_target_is_reported_as_not_found() -> None:
    """China's payoff from licensing without AI-chip relaxation is -magnet_leverage <= 0, so no
    declared range makes (maintain, license) a strict equilibrium."""
    sc = gt.load(PAYOFFS / "london_talks_2025.toml")
    result = parameter_change(
        sc, {"US": "maintain+extend+lift", "China": "license+expedite"}, margin=0.1, starts=4
    )
    assert not result.found
    # -magnet_leverage is linear in the parameters: its maximum over the range, 0, proves it.
    assert result.impossible is not None and "never loses" in result.sentence()


def test_whatif_bad_targets() -> None:
    game = gt.load(PAYOFFS / "prisoners_dilemma.toml").game()
    with pytest.raises(WhatIfError, match="unknown action 'Talk'"):
        payoff_change(game, ["Talk", "Quiet"])
    with pytest.raises(WhatIfError, match="unknown player"):
        payoff_change(game, {"Suspect1": "Quiet", "Suspect2": "Quiet", "Judge": "x"})
    with pytest.raises(WhatIfError, match="norm"):
        payoff_change(game, ["Quiet", "Quiet"], norm="l2")


# ---------------------------------------------------------------------- CLI
def test_cli_bargain_and_whatif() -> None:
    run = subprocess.run(
        [*COMMAND, "bargain", "--discount", "0.9", "0.8", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["shares"] == pytest.approx([5 / 7, 2 / 7])
    run = subprocess.run(
        [*COMMAND, "bargain", str(PAYOFFS / "battle_of_the_sexes.toml"), "--disagreement", "0,0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0 and "nash" in run.stdout
    run = subprocess.run(
        [
            *COMMAND,
            "whatif",
            str(PAYOFFS / "london_talks_2025.toml"),
            "--target",
            "US=maintain+enforce+keep",
            "--target",
            "China=withhold+slow",
            "--vary",
            "pressure_value",
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["parameter_change"]["values"]["pressure_value"] == pytest.approx(3.8, abs=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bargain", "--discount", "1.5", "0.9"], "strictly between 0 and 1"),
        (["bargain", str(PAYOFFS / "chicken.toml"), "--disagreement", "50,50"], "outside"),
        (["bargain"], "give a scenario file"),
        (
            [
                "whatif",
                str(PAYOFFS / "chicken.toml"),
                "--target",
                "Row=Fly",
                "--target",
                "Col=Swerve",
            ],
            "unknown action 'Fly'",
        ),
        (["whatif", str(PAYOFFS / "chicken.toml"), "--target", "Row"], "PLAYER=ACTION"),
    ],
)
def test_cli_negotiation_bad_input(args, message) -> None:
    run = subprocess.run([*COMMAND, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2, run.stdout
    assert message in run.stderr and "Traceback" not in run.stderr


def test_frontier_skips_vertices_dominated_only_by_mixtures() -> None:
    """(0, 0) is a vertex of the hull of (0,0), (8,-5), (-9,6), (-1,1) that no vertex dominates,
    but mixtures of (-1, 1) and (8, -5) do. On that segment u = (-1 + 9t, 1 - 6t), and
    maximising (9t - 1)(1 - 6t) gives t = 15/108, so the Nash solution is (1/4, 1/6)."""
    points = [[0, 0], [8, -5], [-9, 6], [-1, 1]]
    assert pareto_frontier(np.array(points)).tolist() == [[-9, 6], [-1, 1], [8, -5]]
    assert bargain(points, (0, 0)).nash == pytest.approx((0.25, 1 / 6))


# ---------------------------------------------------------------------- linkage
def _issues():
    P = gt.Parameter
    magnets = gt.Scenario.from_chips(
        ["US", "China"],
        [
            gt.Chip("ai_chips", "US", ("maintain", "relax")),
            gt.Chip("military_magnets", "China", ("withhold", "license")),
        ],
        {
            "US": "defence_need * military_magnets.license - security_cost * ai_chips.relax",
            "China": "chip_value * ai_chips.relax - magnet_leverage * military_magnets.license",
        },
        [
            P("defence_need", 8, 0, 20),
            P("security_cost", 9, 0, 20),
            P("chip_value", 6, 0, 20),
            P("magnet_leverage", 5, 0, 20),
        ],
        title="Magnets for chips",
    )
    trade = gt.Scenario.from_chips(
        ["US", "China"],
        [
            gt.Chip("deadline", "US", ("enforce", "extend")),
            gt.Chip("civilian_licences", "China", ("slow", "expedite")),
        ],
        {
            "US": "6 * civilian_licences.expedite + 1.5 * deadline.extend",
            "China": "2 * civilian_licences.expedite - 4 * civilian_licences.expedite * "
            "deadline.enforce - 3 * deadline.enforce",
        },
        title="Trade truce",
    )
    return magnets, trade


def test_linked_payoffs_are_the_sum_plus_linkage_terms() -> None:
    from gametheory.analysis.negotiation.linkage import link

    magnets, trade = _issues()
    linked = link(
        magnets,
        trade,
        {"China": "bonus * military_magnets.license * ai_chips.relax"},
        parameters=[gt.Parameter("bonus", 4, 0, 20)],
    )
    game = linked.game()
    assert game.shape == (4, 4)
    cell = game.payoff(("relax+extend", "license+expedite"))
    m = magnets.game().payoff(("relax", "license"))
    t = trade.game().payoff(("extend", "expedite"))
    assert cell["US"] == pytest.approx(m["US"] + t["US"])
    assert cell["China"] == pytest.approx(m["China"] + t["China"] + 4)


def test_linking_without_linkage_terms_keeps_equilibria_and_never_lowers_the_nash_product():
    """Payoffs add up across issues, so equilibria of the linked game are the pairs of the
    issues' equilibria; and the sum of the separate Nash bargaining points is feasible in the
    linked game, so the linked Nash product (over the linked disagreement point, the sum of
    the separate ones) is at least as large."""
    from gametheory.analysis.negotiation.linkage import compare_linkage

    magnets, trade = _issues()
    report = compare_linkage(magnets, trade)
    assert report["linked"]["outcome"] == "US: maintain+extend / China: withhold+expedite"
    assert report["gain_from_linkage"]["equilibrium"] == {"US": 0.0, "China": 0.0}
    d = np.array(
        [sum(s["payoffs"][p] for s in report["separate"].values()) for p in ("US", "China")]
    )
    separate = np.array(
        [sum(s["nash_bargaining"][p] for s in report["separate"].values()) for p in ("US", "China")]
    )
    linked = np.array([report["linked"]["nash_bargaining"][p] for p in ("US", "China")])
    assert np.prod(linked - d) >= np.prod(separate - d) - 1e-9
    assert report["separate"]["Magnets for chips"]["nash_bargaining"] == pytest.approx(
        {"US": 0.25, "China": 1 / 6}
    )


def test_linkage_bad_input() -> None:
    from gametheory.analysis.negotiation.linkage import link

    magnets, _trade = _issues()
    with pytest.raises(gt.ScenarioError, match="appears in both"):
        link(magnets, magnets)
    other = gt.Scenario.from_chips(
        ["EU", "China"],
        [gt.Chip("x", "EU", ("a", "b")), gt.Chip("y", "China", ("a", "b"))],
        {"EU": "1", "China": "1"},
    )
    with pytest.raises(gt.ScenarioError, match="same players"):
        link(magnets, other)


def test_calibration_region_matches_the_closed_form() -> None:
    """With only tariff (0..1.45) and pressure_value (0..20) varying, the US extends the
    deadline iff pressure_value < 1.5 + 4 tariff; that region is 6.38 of the 29 units of area
    (integral of 1.5 + 4t over [0, 1.45]), a share of 0.22."""
    from gametheory.analysis.negotiation.whatif import WhatIfError, calibrate

    sc = gt.load(PAYOFFS / "london_talks_2025.toml")
    result = calibrate(
        sc,
        {"deadline": "extend", "civilian_licences": "expedite"},
        sample=20_000,
        seed=3,
        vary=["tariff", "pressure_value"],
    )
    assert result["share_unique"] == pytest.approx(6.38 / 29, abs=0.015)
    points = result["points"]
    assert (points["pressure_value"] < 1.5 + 4 * points["tariff"] + 1e-9).all()
    with pytest.raises(WhatIfError, match="unknown option"):
        calibrate(sc, {"deadline": "postpone"}, sample=10)


def test_variable_threat_game_with_a_straight_frontier() -> None:
    """Nash (1953), transferable-utility case: on a frontier u1 + u2 = c the threats solve the
    zero-sum game A - B with value v, and the outcome is ((c + v) / 2, (c - v) / 2).
    Battle of the sexes: c = 3, A - B = [[1, 0], [0, -1]] has value 0 (row 1 against column 2),
    so the outcome is (3/2, 3/2) from threats (Bach, Stravinsky)."""
    from gametheory.analysis.negotiation.bargaining import variable_threat

    bos = gt.load(PAYOFFS / "battle_of_the_sexes.toml").game()
    result = variable_threat(bos)
    assert result.outcome == pytest.approx((1.5, 1.5))
    assert result.threats[0] == {"Bach": 1.0, "Stravinsky": 0.0}
    assert result.threats[1] == {"Bach": 0.0, "Stravinsky": 1.0}
    assert result.disagreement == pytest.approx((0.0, 0.0))
    # An asymmetric one: A = [[6, 0], [1, 3]], B = [[0, 6], [1, 3]], frontier u1 + u2 = 6;
    # A - B = [[6, -6], [0, 0]] has value 0, so the outcome is (3, 3).
    game = gt.Game.from_arrays([[6, 0], [1, 3]], [[0, 6], [1, 3]])
    assert variable_threat(game).outcome == pytest.approx((3.0, 3.0))
    assert not variable_threat(game).at_kink
