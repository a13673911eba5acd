"""The nearest parameter change making a target an equilibrium: exact where the payoff
differences are linear (a convex quadratic program), proofs of impossibility, and a first-order
optimality check of the local search on London's products of parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest

import gametheory as gt
from gametheory.analysis.negotiation.whatif import WhatIfError, parameter_change, prediction_change
from gametheory.model.scenario import Parameter, Scenario

from .conftest import ROOT

LONDON = ROOT / "payoffs" / "london_talks_2025.toml"


def _linear_game(a: float = 2.0, b: float = 4.0) -> Scenario:
    """Row's Up pays ``a`` and Down pays ``b + 1`` (whatever Col does); Col prefers Left by 1.

    (Up, Left) is an equilibrium with margin m iff a - (b + 1) >= m. From (a, b) = (2, 4), both
    ranges [0, 10], the nearest such point in range units is the projection of (0.2, 0.4) on
    the half-plane z_a - z_b >= (1 + m) / 10: move both by half the shortfall, each by
    (3 + m) / 20 of the range, a distance (3 + m) / (10 sqrt 2)."""
    return Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["a", "a"], ["b + 1", "b + 1"]], "Col": [[1, 0], [1, 0]]},
        parameters=[Parameter("a", a, 0.0, 10.0), Parameter("b", b, 0.0, 10.0)],
        title="linear",
    )


def test_linear_differences_give_the_exact_projection() -> None:
    m = 0.5
    result = parameter_change(_linear_game(), ["Up", "Left"], margin=m)
    assert result.found and result.exact
    assert result.values["a"] == pytest.approx(2 + 10 * (3 + m) / 20, abs=1e-9)
    assert result.values["b"] == pytest.approx(4 - 10 * (3 + m) / 20, abs=1e-9)
    assert result.distance == pytest.approx((3 + m) / (10 * math.sqrt(2)), abs=1e-9)
    assert "exact" in result.sentence() and "nearest" in result.sentence()
    # Re-checked independently: the game there has (Up, Left) with Row losing m by deviating.
    game = _linear_game().game(result.values)
    assert game.payoffs[0, 0, 0] - game.payoffs[0, 1, 0] == pytest.approx(m, abs=1e-9)


def test_a_bound_of_the_range_is_respected() -> None:
    """With b already at 0.5 the unconstrained projection would push b below 0: the nearest
    point then has b = 0 and a = 1 + m, found by the quadratic program with its bounds."""
    m = 0.5
    result = parameter_change(_linear_game(a=0.5, b=0.5), ["Up", "Left"], margin=m)
    # Unconstrained: each moves by (1 + m - (a - b)) / 2 = 0.75, b -> -0.25 < 0.
    assert result.exact
    assert result.values["b"] == pytest.approx(0.0, abs=1e-9)
    assert result.values["a"] == pytest.approx(1 + m, abs=1e-9)


def test_a_linear_difference_that_falls_short_proves_impossibility() -> None:
    """Col's Right always pays 1 less than Left: (Up, Right) is never an equilibrium."""
    result = parameter_change(_linear_game(), ["Up", "Right"], margin=0.1)
    assert not result.found and result.exact
    assert result.impossible is not None
    assert "Col gains at least 1 by switching to Left" in result.sentence()
    assert "not a proof" not in result.sentence()


def test_contradictory_linear_conditions_are_found_by_the_linear_program() -> None:
    """Row needs a - b >= 1 (Up over Down) and Col needs b - a >= 1: each possible alone,
    never both."""
    sc = Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["a", "a"], ["b", "b"]], "Col": [["b", "a"], ["b", "a"]]},
        parameters=[Parameter("a", 2.0, 0.0, 10.0), Parameter("b", 4.0, 0.0, 10.0)],
        title="contradiction",
    )
    result = parameter_change(sc, ["Up", "Left"], margin=1.0)
    assert not result.found and result.exact
    assert "linear program" in (result.impossible or "")


def test_london_impossible_target_is_proved() -> None:
    """China's payoff from licensing while the US maintains AI-chip controls is
    -magnet_leverage <= 0 (scenario formula): licensing never beats withholding."""
    sc = gt.load(LONDON)
    result = parameter_change(
        sc, {"US": "maintain+extend+lift", "China": "license+expedite"}, margin=0.1
    )
    assert not result.found and result.impossible is not None
    assert "China never loses by switching to withhold+expedite" in result.sentence()


def test_london_nonlinear_answer_is_a_first_order_optimum() -> None:
    """The US enforces the deadline iff g = pressure - us_exposure * tariff - remedy *
    extension_days / 90 exceeds the margin (the only binding condition; scenario formula). At
    the nearest point in range units, z = x - x0 over the range must be parallel to the gradient
    of g in range units (Lagrange), with g at the margin."""
    sc = gt.load(LONDON)
    result = parameter_change(
        sc, {"US": "maintain+enforce+keep", "China": "withhold+slow"}, margin=0.1
    )
    assert result.found and not result.exact
    v, b = result.values, result.baseline
    names = [
        "pressure_value",
        "us_tariff_exposure",
        "tariff",
        "remedy_time_value",
        "extension_days",
    ]
    span = {n: sc.parameters[n].max - sc.parameters[n].min for n in names}
    g = (
        v["pressure_value"]
        - v["us_tariff_exposure"] * v["tariff"]
        - (v["remedy_time_value"] * v["extension_days"] / 90)
    )
    assert g == pytest.approx(0.1, abs=1e-7)
    grad = np.array(
        [
            1.0,
            -v["tariff"],
            -v["us_tariff_exposure"],
            -v["extension_days"] / 90,
            -v["remedy_time_value"] / 90,
        ]
    ) * np.array([span[n] for n in names])
    z = np.array([(v[n] - b[n]) / span[n] for n in names])
    cosine = z @ grad / (np.linalg.norm(z) * np.linalg.norm(grad))
    assert cosine == pytest.approx(1.0, abs=1e-6)
    assert list(result.changed()) == [
        "tariff",
        "extension_days",
        "us_tariff_exposure",
        "pressure_value",
        "remedy_time_value",
    ]


def test_same_seed_same_answer() -> None:
    sc = gt.load(LONDON)
    target = {"US": "maintain+enforce+keep", "China": "withhold+slow"}
    first = parameter_change(sc, target, margin=0.1, rng=3)
    assert parameter_change(sc, target, margin=0.1, rng=3).values == first.values


def test_a_nonlinear_target_not_found_is_a_search_result() -> None:
    """Row's Up pays a * b <= 100 on the ranges, Down pays 200: never an equilibrium, but the
    difference is not linear, so the answer is a search result, said as such."""
    sc = Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["a * b", "a * b"], [200, 200]], "Col": [[1, 0], [1, 0]]},
        parameters=[Parameter("a", 2.0, 0.0, 10.0), Parameter("b", 4.0, 0.0, 10.0)],
        title="products",
    )
    result = parameter_change(sc, ["Up", "Left"], margin=0.1)
    assert not result.found and not result.exact and result.impossible is None
    assert "not a proof" in result.sentence()
    assert result.closest == pytest.approx(100 - 200, abs=1e-6)  # at a = b = 10


# ------------------------------------------------------------ where the prediction changes
def test_prediction_change_of_a_linear_game_is_the_closed_form() -> None:
    """(Up, Left) with a = 8, b = 4: Row plays Up iff a > b + 1 and Col always plays Left, so
    the prediction changes where b + 1 - a >= m: in range units (both ranges 10) the nearest such
    point moves a down and b up by (a - b - 1 + m) / 2 each, a distance (3 + m) / (10 sqrt 2)."""
    m = 1e-6
    result = prediction_change(_linear_game(a=8.0, b=4.0), margin=m)
    assert result.found and result.exact and result.all_exact
    assert result.prediction == "Row: Up / Col: Left"
    assert result.outcome == "Row: Down / Col: Left"
    assert result.values["a"] == pytest.approx(8 - (3 + m) / 2, abs=1e-9)
    assert result.values["b"] == pytest.approx(4 + (3 + m) / 2, abs=1e-9)
    assert result.distance == pytest.approx((3 + m) / (10 * math.sqrt(2)), abs=1e-9)
    assert "the nearest change through pure equilibria" in result.sentence()
    assert "a nearer change may exist" not in result.sentence()


def test_london_prediction_changes_where_lifting_stops_paying() -> None:
    """At London's baseline the US lifts its other controls because reciprocity_value (3)
    exceeds controls_leverage (2) while China expedites (scenario formula). Closing the gap of 1
    (plus the margin) by moving both, each by half (ranges 20): distance (1 + m) / (20 sqrt 2),
    and the US keeps its controls beyond. No other change is nearer: the result is that point."""
    m = 1e-6
    result = prediction_change(gt.load(LONDON), margin=m)
    assert result.found and result.exact and result.how == "deviation"
    assert result.distance == pytest.approx((1 + m) / (20 * math.sqrt(2)), rel=1e-6)
    assert set(result.changed()) == {"controls_leverage", "reciprocity_value"}
    assert result.outcome == "US: maintain+extend+keep / China: withhold+expedite"


def test_prediction_change_needs_a_single_pure_prediction() -> None:
    with pytest.raises(WhatIfError, match="3 equilibria"):
        prediction_change(gt.load(ROOT / "payoffs" / "chicken.toml"))
    with pytest.raises(WhatIfError, match="no parameter"):
        prediction_change(gt.load(ROOT / "payoffs" / "prisoners_dilemma.toml"))


def _random_linear(seed: int) -> Scenario:
    """Two linear conditions on (a, b) in [0, 10]^2 with random integer coefficients: Row's Up
    against Down, and Col's Left against Right when Row plays Up."""
    rng = np.random.default_rng(seed)
    c = rng.integers(-5, 6, size=8)
    up = f"{c[0]} * a + {c[1]} * b + {c[2]}"
    left = f"{c[3]} * a + {c[4]} * b + {c[5]}"
    return Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {
            "Row": [[up, up], [float(c[6]), float(c[6])]],
            "Col": [[left, float(c[7])], [0, 0]],
        },
        parameters=[Parameter("a", 5.0, 0.0, 10.0), Parameter("b", 5.0, 0.0, 10.0)],
        title=f"random linear {seed}",
    )


@pytest.mark.parametrize("seed", range(24))
def test_exact_answers_match_a_dense_grid(seed) -> None:
    """Independent check by brute force: on a 401 x 401 grid of the box, the nearest grid point
    where both conditions hold is within one grid step (1/400 of each range, so sqrt(2) / 400
    in range units) of the exact answer; where no grid point qualifies, no answer is claimed
    (and the proof says so)."""
    sc = _random_linear(seed)
    m = 0.5
    result = parameter_change(sc, ["Up", "Left"], margin=m)
    grid = np.linspace(0.0, 10.0, 401)
    A, B = np.meshgrid(grid, grid, indexing="ij")
    values = {"a": A.ravel(), "b": B.ravel()}
    tensor = sc.payoff_tensor(values)
    row_ok = tensor[:, 0, 0, 0] - tensor[:, 0, 1, 0] >= m
    col_ok = tensor[:, 1, 0, 0] - tensor[:, 1, 0, 1] >= m
    ok = row_ok & col_ok
    distances = np.hypot((A.ravel() - 5.0) / 10.0, (B.ravel() - 5.0) / 10.0)
    step = math.sqrt(2) / 400
    assert result.exact
    if ok.any():
        nearest = float(distances[ok].min())
        assert result.found
        assert nearest - step - 1e-9 <= result.distance <= nearest + 1e-9
    if result.impossible is not None:
        assert not ok.any()  # a proof of impossibility must hold on every grid point
    if result.found:
        assert result.margin >= m - 1e-9  # re-checked on the payoffs


def test_prediction_change_refuses_too_many_profiles_before_solving(monkeypatch) -> None:
    from gametheory.analysis.negotiation import whatif

    monkeypatch.setattr(whatif, "MAX_CANDIDATES", 31)  # London has 8 x 4 = 32 profiles
    with pytest.raises(WhatIfError, match="32 pure profiles"):
        prediction_change(gt.load(LONDON))


def test_large_batches_are_evaluated_in_chunks(monkeypatch) -> None:
    """Memory per payoff evaluation is bounded: with a tiny budget every point is its own batch,
    and the answer is the same."""
    from gametheory.analysis.negotiation import whatif

    sc = gt.load(LONDON)
    target = {"US": "maintain+enforce+keep", "China": "withhold+slow"}
    before = parameter_change(sc, target, margin=0.1, vary=["pressure_value"])
    monkeypatch.setattr(whatif, "EVALUATION_BYTES", 1)
    after = parameter_change(sc, target, margin=0.1, vary=["pressure_value"])
    assert after.values == before.values


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sample": 10**9}, "sample must be from 0 to 1,000,000"),
        ({"starts": 0}, "starts must be from 1"),
        ({"maxiter": 2.5}, "maxiter must be a whole number"),
    ],
)
def test_search_sizes_are_checked_before_any_work(kwargs, message) -> None:
    with pytest.raises(WhatIfError, match=message):
        parameter_change(_linear_game(), ["Up", "Left"], **kwargs)
