"""Global sensitivity (issue 11, part 4) against closed forms.

Sobol' indices of an additive output ``a x1 + b x2`` with independent inputs are
``S_i = a_i^2 Var(x_i) / sum_j a_j^2 Var(x_j)``, first order and total alike (no interactions):
Sobol' (1993), Saltelli et al., *Global Sensitivity Analysis: The Primer* (2008), section 1.2.
An output that does not depend on a parameter has total index 0; one that depends on a single
parameter has total (and first-order) index 1 for it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import gametheory as gt
from gametheory.analysis.uncertainty import sensitivity
from gametheory.errors import ScenarioError
from gametheory.model.distributions import Distribution
from gametheory.model.scenario import Parameter, Scenario

from .conftest import ROOT

pytest.importorskip("SALib")

LONDON = ROOT / "payoffs" / "london_talks_2025.toml"


def _additive(a: float, b: float, x1: Distribution | None = None) -> Scenario:
    """Row's Up pays ``a x1 + b x2`` and dominates Down (-1); Col's Left dominates Right.

    The unique equilibrium is (Up, Left) at every point, so Row's equilibrium payoff is
    ``a x1 + b x2`` with x1, x2, x3 in [0, 1]; x3 appears nowhere that matters."""
    return Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {
            "Row": [[f"{a} * x1 + {b} * x2", f"{a} * x1 + {b} * x2"], [-1, -1]],
            "Col": [["1 + x3", "x3"], ["1 + x3", "x3"]],
        },
        parameters=[
            Parameter("x1", 0.5, 0.0, 1.0, distribution=x1),
            Parameter("x2", 0.5, 0.0, 1.0),
            Parameter("x3", 0.5, 0.0, 1.0),
        ],
        title="additive",
    )


def _within(value: float, expected: float, conf: float, slack: float = 0.03) -> bool:
    return abs(value - expected) <= max(conf * 1.5, slack)


def test_additive_payoff_first_and_total_indices_uniform() -> None:
    result = sensitivity(_additive(3.0, 1.0), n=1024, seed=1)
    row = result.output("payoff:Row")
    # Var(3 x1) = 9/12, Var(x2) = 1/12: S = 0.9, 0.1, 0.
    expected = (0.9, 0.1, 0.0)
    for k, e in enumerate(expected):
        assert row.first is not None and row.first_conf is not None
        assert row.total is not None and row.total_conf is not None
        assert _within(row.first[k], e, row.first_conf[k])
        assert _within(row.total[k], e, row.total_conf[k])
    assert row.total[2] == pytest.approx(0.0, abs=1e-12)  # x3 never changes Row's payoff
    assert row.mean == pytest.approx(2.0, abs=0.02)  # E[3 x1 + x2] = 2
    # Col's equilibrium payoff is 1 + x3: all of it is x3's.
    col = result.output("payoff:Col")
    assert col.total is not None and col.total[2] == pytest.approx(1.0, abs=0.03)
    assert col.total[0] == pytest.approx(0.0, abs=1e-12)
    # The prediction never changes: a constant indicator, no variance to share.
    assert result.holds.constant and result.holds.mean == 1.0
    assert result.shares == {"unique": 1.0, "several": 0.0, "none": 0.0}
    assert result.points == 1024 * 5


def test_additive_payoff_with_a_triangular_belief() -> None:
    """x1 triangular on [0, 1] with mode 0: variance (0 + 1 + 0 - 0 - 0 - 0) / 18 = 1/18, so
    with 3 x1 + x2: S_x1 = (9/18) / (9/18 + 1/12) = 6/7."""
    belief = Distribution("triangular", likely=0.0)
    result = sensitivity(_additive(3.0, 1.0, belief), n=1024, seed=2)
    row = result.output("payoff:Row")
    assert row.first is not None and row.first_conf is not None
    assert _within(row.first[0], 6 / 7, row.first_conf[0])
    assert _within(row.first[1], 1 / 7, row.first_conf[1])
    assert row.mean == pytest.approx(3 / 3 + 0.5, abs=0.02)  # E[x1] = 1/3
    assert "triangular" in result.beliefs["x1"].lower()


def _switch() -> Scenario:
    """Row plays Up iff a > 0.5 (Down pays 0.5); Col always plays Left (1 + b against b).
    Baseline a = 0.8: (Up, Left) holds iff a > 0.5, whatever b."""
    return Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["a", "a"], [0.5, 0.5]], "Col": [["1 + b", "b"], ["1 + b", "b"]]},
        parameters=[Parameter("a", 0.8, 0.0, 1.0), Parameter("b", 0.5, 0.0, 1.0)],
        title="switch",
    )


def test_an_outcome_that_depends_on_one_parameter_only() -> None:
    result = sensitivity(_switch(), n=1024, seed=3)
    holds = result.holds
    assert result.baseline_outcome == "Row: Up / Col: Left"
    assert holds.mean == pytest.approx(0.5, abs=0.02)  # P(a > 0.5) under uniform [0, 1]
    assert holds.total is not None and holds.first is not None
    assert holds.total[0] == pytest.approx(1.0, abs=0.05)
    assert holds.first[0] == pytest.approx(1.0, abs=0.05)
    assert holds.total[1] == pytest.approx(0.0, abs=1e-12)
    assert holds.ranked()[0][0] == "a"
    assert "hangs mostly on a" in result.describe()


def test_morris_ranks_the_influential_parameter_first() -> None:
    """Row's payoff 5 x1 + x2: each elementary effect is exact for a linear output; a step of
    half the probability scale of a uniform [0, 1] parameter moves it by 1/2, so mu* = 2.5
    for x1, 0.5 for x2, 0 for x3, and sigma = 0."""
    result = sensitivity(_additive(5.0, 1.0), n=20, seed=4, method="morris")
    row = result.output("payoff:Row")
    assert [name for name, _ in row.ranked()] == ["x1", "x2", "x3"]
    assert row.mu_star == pytest.approx((2.5, 0.5, 0.0), abs=1e-9)
    assert row.sigma == pytest.approx((0.0, 0.0, 0.0), abs=1e-9)
    assert result.points == 20 * 4


def test_selection_rule_over_several_equilibria() -> None:
    """Coordination game [[2, 0], [0, 1]] for both: equilibria (Up, Left) paying 2, (Down,
    Right) paying 1 and the mixed one paying 2/3 to each (each mixes 1/3, 2/3). Row's payoffs
    are all shifted by c, which changes no equilibrium. Mean rule: Col gets (2 + 1 + 2/3) / 3 =
    11/9 at every point (a constant output); first rule: the first equilibrium gt.solve lists."""
    sc = Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["2 + c", "c"], ["c", "1 + c"]], "Col": [[2, 0], [0, 1]]},
        parameters=[Parameter("c", 0.5, 0.0, 1.0)],
        title="coordination",
    )
    mean = sensitivity(sc, n=64, seed=0)
    assert mean.shares["several"] == 1.0
    col = mean.output("payoff:Col")
    assert col.constant and col.mean == pytest.approx(11 / 9, abs=1e-9)
    assert mean.output("payoff:Row").mean == pytest.approx(11 / 9 + 0.5, abs=0.01)
    assert "mean" in mean.selection
    first = sensitivity(sc, n=64, seed=0, selection="first")
    listed = gt.solve(sc.game())
    assert first.output("payoff:Col").mean == pytest.approx(listed[0].payoffs[1], abs=1e-9)
    assert "first" in first.selection


def test_london_indicator_hangs_on_the_lift_decision() -> None:
    """At London's baseline the US lifts its other controls because reciprocity_value (3)
    exceeds controls_leverage (2) (scenario formula, with China expediting): the indicator must
    depend on both, and not at all on defence_need, which enters no decision at the baseline's
    neighbourhood of choices (the US never relaxes AI-chip controls: security_cost > 0 ...).
    Checked loosely: both are among the three most important; same seed, same numbers."""
    sc = gt.load(LONDON)
    result = sensitivity(sc, n=128, seed=0)
    top = [name for name, _ in result.holds.ranked()[:3]]
    assert "reciprocity_value" in top and "controls_leverage" in top
    again = sensitivity(sc, n=128, seed=0)
    assert again.to_dict() == result.to_dict()
    json.dumps(result.to_dict())
    assert 0 < result.holds.mean < 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n": 100}, "power of two"),
        ({"n": 0}, "n must be a whole number"),
        ({"method": "fast"}, "method must be one of"),
        ({"selection": "best"}, "selection must be one of"),
        ({"levels": 3, "method": "morris"}, "levels must be an even"),
        ({"conf_level": 1.5}, "conf_level"),
        ({"params": ["nope"]}, "unknown parameter 'nope'"),
        ({"n": 2**16}, "more than the limit"),
    ],
)
def test_bad_arguments_fail_before_any_work(kwargs, message) -> None:
    with pytest.raises(ScenarioError, match=message):
        sensitivity(
            _switch() if "n" not in kwargs or kwargs["n"] != 2**16 else gt.load(LONDON), **kwargs
        )


def test_only_the_named_parameters_vary() -> None:
    result = sensitivity(_switch(), n=64, params=["b"])
    assert result.names == ("b",) and result.fixed == ("a",)
    assert result.holds.constant  # a stays at 0.8: Up always
    assert np.isclose(result.holds.mean, 1.0)


def test_the_report_figures_data() -> None:
    """sobol_data ranks by the total index and drops parameters that matter nowhere;
    outcome_probability_data keeps the prediction, sums the rest into one row, and the
    probabilities still add up to 1."""
    pytest.importorskip("matplotlib")
    from gametheory.report.figures import (
        outcome_probability_data,
        plot_outcome_probabilities,
        plot_sobol,
        report_figure,
        sobol_data,
    )

    result = sensitivity(_switch(), n=256, seed=5)
    data = sobol_data(result)
    assert list(data["parameter"]) == ["a"]  # b's total index is exactly 0: left out
    _, axes = report_figure(5, 3)
    assert len(plot_sobol(data, ax=axes[0]).patches) == 2  # total and first order
    probs = gt.uncertainty(gt.load(LONDON), n=2_000, seed=0)
    shown = outcome_probability_data(probs, top=1)
    assert shown["baseline"].iloc[0]
    assert shown["probability"].sum() == pytest.approx(1.0)
    assert shown["outcome"].iloc[-1].endswith("other outcomes")
    _, axes = report_figure(6, 3)
    assert len(plot_outcome_probabilities(shown, ax=axes[0]).patches) == len(shown)


def test_an_interaction_splits_first_order_and_total() -> None:
    """Row's payoff x1 * x2 with x1, x2 uniform on [0, 1]: Var = 1/9 - 1/16 = 7/144;
    E[f | x1] = x1 / 2 has variance 1/48, so S1 = (1/48) / (7/144) = 3/7 for each, and
    ST = 1 - S1(other) = 4/7: the indices differ by the interaction (Sobol' 1993)."""
    sc = Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["x1 * x2", "x1 * x2"], [-1, -1]], "Col": [[1, 0], [1, 0]]},
        parameters=[Parameter("x1", 0.5, 0.0, 1.0), Parameter("x2", 0.5, 0.0, 1.0)],
        title="product",
    )
    row = sensitivity(sc, n=2048, seed=6).output("payoff:Row")
    assert row.first is not None and row.total is not None
    assert row.first_conf is not None and row.total_conf is not None
    for k in range(2):
        assert _within(row.first[k], 3 / 7, row.first_conf[k])
        assert _within(row.total[k], 4 / 7, row.total_conf[k])
    assert row.variance == pytest.approx(7 / 144, rel=0.05)


def test_the_sample_size_limit_counts_values_not_only_points(monkeypatch) -> None:
    from gametheory.analysis.uncertainty import _sensitivity

    monkeypatch.setattr(_sensitivity, "MAX_CELLS", 1000)
    # 64 x (2 + 2) points x 2 parameters = 512 values: allowed; 256 x 4 x 2 = 2,048: refused.
    sensitivity(_switch(), n=64)
    with pytest.raises(ScenarioError, match="more than the limit of 1,000 values"):
        sensitivity(_switch(), n=256)
