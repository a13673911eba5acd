"""Outcome probabilities under beliefs (gametheory.analysis.uncertainty._robust).

The reference case is a 2x2 game whose pure equilibrium switches on the line ``a = b / 2``:
Col's ``Left`` is strictly dominant, and Row plays ``Up`` (payoff ``a``) rather than ``Down``
(payoff ``b / 2``) exactly when ``a > b / 2``. So ``P(Up) = P(a > b / 2)``, an area derived
below by integration for a uniform and for a triangular belief about ``a``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import gametheory as gt
from gametheory.analysis.uncertainty._robust import MAX_LHS_BYTES, uncertainty, wilson_interval
from gametheory.errors import ScenarioError
from gametheory.model.distributions import Distribution
from gametheory.model.scenario import Parameter, Scenario
from gametheory.sweeps.design import MAX_POINTS

ROOT = Path(__file__).resolve().parents[1]
UP = "Row: Up / Col: Left"
DOWN = "Row: Down / Col: Left"


def line_scenario(belief_a: Distribution | None = None) -> Scenario:
    return Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["a", 0], ["0.5 * b", 0]], "Col": [[1, 0], [1, 0]]},
        [
            Parameter("a", 0.8, 0, 1, distribution=belief_a),
            Parameter("b", 0.5, 0, 1),
        ],
        title="switch on a = b/2",
    )


def area_uniform() -> float:
    """P(a > b/2), a and b uniform on [0, 1]: integral over b of (1 - b/2) = 1 - 1/4."""
    return 1 - 0.5 * 0.5


def area_triangular() -> float:
    """P(a > b/2), a triangular(0, 1, mode 0) with CDF F(x) = 1 - (1 - x)^2, b uniform.

    Integral over b in [0, 1] of (1 - b/2)^2 = [-(2/3)(1 - b/2)^3] from 0 to 1 = (2/3)(7/8).
    """
    return (2 / 3) * (1 - 0.5**3)


def test_areas_by_quadrature_agree_with_the_closed_forms() -> None:
    # A plain midpoint rule over b, as an independent check of the two integrals above.
    b = (np.arange(100_000) + 0.5) / 100_000
    assert np.mean(1 - b / 2) == pytest.approx(area_uniform(), abs=1e-9)
    assert np.mean((1 - b / 2) ** 2) == pytest.approx(area_triangular(), abs=1e-9)


@pytest.mark.parametrize("method", ["random", "lhs", "sobol"])
@pytest.mark.parametrize(
    ("belief", "exact"),
    [
        (None, area_uniform()),
        (Distribution("triangular", likely=0.0), area_triangular()),
    ],
)
def test_probabilities_match_the_exact_areas(
    method: str, belief: Distribution | None, exact: float
) -> None:
    result = uncertainty(line_scenario(belief), 4096, seed=3, method=method)
    up = next(o for o in result.outcomes if o.outcome == UP)
    assert up.low <= exact <= up.high
    assert result.probability(DOWN) == pytest.approx(1 - up.probability)
    assert result.baseline_outcome == UP  # a = 0.8 > 0.25
    assert result.baseline_holds == up.probability
    assert (result.baseline_low, result.baseline_high) == (up.low, up.high)
    assert result.kinds["unique"] == 4096  # the line itself has probability 0
    assert result.n == 4096 and result.method == method and result.seed == 3


def test_sobol_is_closer_than_its_interval() -> None:
    """Scrambled Sobol' points estimate the area with error near n^(-3/4) (Owen 1997), well
    inside the Wilson half-width of about 0.013 at n = 4096."""
    for seed in (5, 6):
        result = uncertainty(line_scenario(), 4096, seed=seed, method="sobol")
        assert abs(result.probability(UP) - area_uniform()) < 0.004


def test_wilson_interval_closed_form_values() -> None:
    # Computed by hand from Wilson (1927) / Agresti and Coull (1998) eq. 2 with z = 1.95996:
    # k = 5, n = 10: centre 0.5, half-width z sqrt(0.025 + z^2/400) / (1 + z^2/10) = 0.263407.
    assert wilson_interval(5, 10) == pytest.approx((0.236593, 0.763407), abs=1e-6)
    # k = 0: upper end z^2 / (n + z^2) = 3.841459 / 13.841459; k = n: lower end n / (n + z^2).
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.277533), abs=1e-6)
    assert wilson_interval(10, 10) == pytest.approx((0.722467, 1.0), abs=1e-6)
    # k = 81, n = 263: p = 0.3079848; centre (p + z^2/526) / (1 + z^2/263)
    # = 0.3152879 / 1.0146063 = 0.3107494; half-width z sqrt(p(1-p)/263 + z^2/276676)
    # / (1 + z^2/263) = 1.959964 * sqrt(0.00081038 + 0.00001388) / 1.0146063 = 0.0554603.
    assert wilson_interval(81, 263) == pytest.approx((0.255289, 0.366210), abs=2e-6)


def test_continuum_several_and_unique_are_counted_apart() -> None:
    # d = 0: Row is indifferent against Left, so every mix of Up and Down is an equilibrium
    # (a continuum); d = 1: (Up, Left) only. d is 0 with probability 1/4.
    sc = Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["d", 0], [0, 0]], "Col": [[1, 0], [1, 0]]},
        [
            Parameter(
                "d", 1, 0, 1, distribution={"kind": "discrete", "values": [0, 1], "weights": [1, 3]}
            )
        ],
    )
    result = uncertainty(sc, 2000, seed=0)
    assert set(result.kinds) == {"unique", "several", "continuum", "none"}
    assert result.kinds["unique"] + result.kinds["continuum"] == 2000
    low, high = wilson_interval(result.kinds["continuum"], 2000)
    assert low <= 0.25 <= high
    continuum = [o for o in result.outcomes if o.kind == "continuum"]
    assert [o.outcome for o in continuum] == [f"{UP} | {DOWN}"]
    chicken = uncertainty(gt.load(ROOT / "payoffs/chicken.toml"), 200, seed=0)
    assert chicken.kinds["several"] == 200  # two pure and one mixed, isolated, at every crash > 0


def test_executors_and_chunks_agree() -> None:
    sc = line_scenario(Distribution("pert", likely=0.3))
    first = uncertainty(sc, 3000, seed=9, method="lhs", chunk_size=3000).to_dict()
    for options in (
        {"chunk_size": 700},
        {"chunk_size": 700, "executor": "processes", "workers": 2},
        {"chunk_size": 1000, "executor": "dask", "workers": 2},
    ):
        assert uncertainty(sc, 3000, seed=9, method="lhs", **options).to_dict() == first
    other = uncertainty(sc, 3000, seed=10, method="lhs").to_dict()
    assert other["outcomes"] != first["outcomes"]


def test_fixed_parameters_and_scenario_method(tmp_path: Path) -> None:
    sc = line_scenario()
    result = sc.uncertainty(500, seed=1, fixed={"b": 1.0})
    assert dict(result.fixed) == {"b": 1.0} and list(result.beliefs) == ["a"]
    up = result.probability(UP)
    low, high = wilson_interval(round(up * 500), 500)
    assert low <= 0.5 <= high  # P(a > 1/2) with a uniform
    out = tmp_path / "points.parquet"
    sc.uncertainty(300, seed=2, out=out)
    import pandas as pd

    table = pd.read_parquet(out)
    assert table["point"].tolist() == list(range(300))
    assert set(table.columns) >= {"a", "b", "kind", "outcome", "baseline", "n_equilibria"}
    assert bool((table["baseline"] == (table["a"] > table["b"] / 2)).all())
    frame = result.to_frame()
    assert frame["probability"].sum() == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"n": 0}, "number of points must be from 1"),
        ({"n": -5}, "number of points must be from 1"),
        ({"n": 2.5}, "must be a whole number"),
        ({"n": MAX_POINTS + 1}, "number of points must be from 1"),
        ({"n": 10, "method": "halton"}, "unknown sampling method 'halton'"),
        ({"n": 10, "seed": -1}, "seed must be at least 0"),
        ({"n": 10, "executor": "threads"}, "unknown executor 'threads'"),
        ({"n": 10, "workers": 0}, "workers must be from 1"),
        ({"n": 10, "solver": "magic"}, "unknown method 'magic'"),
        ({"n": 10, "out": "points.csv"}, "Parquet"),
        ({"n": 10, "fixed": {"a": 7}}, "outside its declared range"),
        ({"n": 10, "fixed": {"zz": 1}}, "unknown parameter 'zz'"),
        (
            {"n": MAX_POINTS, "method": "lhs"},  # 4 bytes x 2 parameters x 1e8 > MAX_LHS_BYTES
            "Latin hypercube of 100,000,000 points over 2 parameters",
        ),
    ],
)
def test_bad_input_is_refused_before_any_work(options: dict, words: str) -> None:
    assert 4 * 2 * MAX_POINTS > MAX_LHS_BYTES
    with pytest.raises(ScenarioError, match=words):
        uncertainty(line_scenario(), **options)


def test_nothing_to_draw_and_sequential_scenarios() -> None:
    unbounded = Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["a", 0], [0, 0]], "Col": [[1, 0], [1, 0]]},
        [Parameter("a", 0.8, 0)],
    )
    with pytest.raises(ScenarioError, match="no parameter has a belief"):
        uncertainty(unbounded, 10)
    with pytest.raises(ScenarioError, match="no parameter has a belief"):
        uncertainty(line_scenario(), 10, fixed={"a": 0.5, "b": 0.5})
    sequential = gt.load(ROOT / "payoffs/london_talks_2025_sequential.toml")
    with pytest.raises(ScenarioError, match="sequential"):
        uncertainty(sequential, 10)


def test_beliefs_move_the_probabilities_on_london() -> None:
    sc = gt.load(ROOT / "payoffs/london_talks_2025.toml")
    result = uncertainty(sc, 2000, seed=0)
    assert result.baseline_outcome == ("US: maintain+extend+lift / China: withhold+expedite")
    assert math.isclose(sum(o.probability for o in result.outcomes), 1.0)
    assert sum(result.kinds.values()) == 2000
    assert result.baseline_low <= result.baseline_holds <= result.baseline_high


# ---------------------------------------------------------------- correlated beliefs
def normal_line_scenario(rho: float | None) -> Scenario:
    """Row plays Up iff a > b + 1; a and b standard normal (truncation at +-50 is immaterial)."""
    normal = {"kind": "normal", "mu": 0, "sd": 1}
    return Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["a", 0], ["b + 1", 0]], "Col": [[1, 0], [1, 0]]},
        [
            Parameter("a", 2, -50, 50, distribution=normal),
            Parameter("b", 0, -50, 50, distribution=normal),
        ],
        correlations={} if rho is None else {("a", "b"): rho},
    )


@pytest.mark.parametrize("rho", [None, 0.5, -0.7])
def test_correlated_probability_matches_the_closed_form(rho: float | None) -> None:
    """P(a - b > 1) with (a, b) bivariate normal of correlation r: Phi(-1 / sqrt(2 - 2r)).

    The Gaussian copula gives rank correlation rho with normal correlation r = 2 sin(pi rho / 6)
    (Kruskal 1958); with normal marginals the draws are exactly that bivariate normal.
    """
    r = 0.0 if rho is None else 2 * math.sin(math.pi * rho / 6)
    exact = 0.5 * (1 + math.erf(-1 / math.sqrt(2 - 2 * r) / math.sqrt(2)))
    result = uncertainty(normal_line_scenario(rho), 8192, seed=2)
    up = next(o for o in result.outcomes if o.outcome == UP)
    assert up.low <= exact <= up.high
    assert [(a, b) for a, b, _ in result.correlations] == ([] if rho is None else [("a", "b")])


def test_rank_correlation_of_the_draws() -> None:
    from scipy.stats import spearmanr

    from gametheory.analysis.uncertainty._robust import _design

    sc = Scenario.from_matrices(
        {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
        {"Row": [["a", "b"], ["c", 0]], "Col": [[1, 0], [1, 0]]},
        [
            Parameter("a", 0.5, 0, 1, distribution="pert"),
            Parameter("b", 0.5, 0, 1),
            Parameter("c", 2, 0, 10, distribution={"kind": "lognormal", "sigma": 1}),
        ],
        correlations={("a", "b"): 0.6, ("c", "b"): -0.4},
    )
    for method in ("random", "lhs", "sobol"):
        design, _ = _design(sc, 20_000, 1, method, None)
        v = design.points(0, 20_000)
        assert spearmanr(v["a"], v["b"])[0] == pytest.approx(0.6, abs=0.02)
        assert spearmanr(v["b"], v["c"])[0] == pytest.approx(-0.4, abs=0.02)
        assert v["b"].mean() == pytest.approx(0.5, abs=0.01)  # the marginal stays uniform
        assert v["a"].mean() == pytest.approx(0.5, abs=0.01)  # PERT(0, 0.5, 1): mean 1/2
    # a parameter held fixed drops out of the copula; the others keep theirs
    design, _ = _design(sc, 5000, 1, "random", {"c": 2.0})
    v = design.points(0, 5000)
    assert spearmanr(v["a"], v["b"])[0] == pytest.approx(0.6, abs=0.03)
    first = uncertainty(sc, 1500, seed=3, chunk_size=400).to_dict()
    assert first == uncertainty(sc, 1500, seed=3, executor="processes", workers=2).to_dict()
    assert first["correlations"] == [
        {"between": ["a", "b"], "rank": 0.6},
        {"between": ["b", "c"], "rank": -0.4},
    ]


@pytest.mark.parametrize(
    ("correlations", "key", "words"),
    [
        ({("a", "z"): 0.5}, "correlations.a.z", "unknown parameter 'z'"),
        ({("a", "a"): 0.5}, "correlations.a.a", "with itself"),
        ({("a", "b"): 1.0}, "correlations.a.b", "strictly between -1 and 1"),
        ([("a", "b", 0.5), ("b", "a", 0.2)], "correlations.b.a", "given twice"),
        ({("a", "b"): -0.9, ("b", "c"): -0.9, ("a", "c"): -0.9}, "correlations", "cannot hold"),
    ],
)
def test_bad_correlations(correlations: object, key: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words) as info:
        Scenario.from_matrices(
            {"Row": ["Up", "Down"], "Col": ["Left", "Right"]},
            {"Row": [["a", "b"], ["c", 0]], "Col": [[1, 0], [1, 0]]},
            [Parameter(n, 0.5, 0, 1) for n in "abc"],
            correlations=correlations,
        )
    assert info.value.key == key
