"""Beliefs about parameters (gametheory.model.distributions): closed forms and bad input.

Expected values come from the distributions' textbook closed forms, written here with ``math``
only (no scipy, no project code): the triangular inverse CDF and mean (Johnson, Kotz and
Balakrishnan 1995, Continuous Univariate Distributions vol. 2, ch. 26), the PERT mean
``(a + 4c + b) / 6`` (Malcolm et al. 1959), the regularised incomplete beta ``I_x(3, 3) =
10x^3 - 15x^4 + 6x^5`` and ``I_x(2, 1) = x^2``, and the truncated normal and lognormal CDFs and
means (Johnson, Kotz and Balakrishnan 1994, vol. 1, ch. 13-14).
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gametheory.errors import ScenarioError
from gametheory.io.toml_scenario import loads_scenario
from gametheory.model.distributions import KINDS, Distribution
from gametheory.model.scenario import Parameter

U = np.linspace(0.0, 1.0, 201)


def phi_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def phi_pdf(z: float) -> float:
    return math.exp(-z * z / 2) / math.sqrt(2 * math.pi)


def test_uniform_ppf_and_mean() -> None:
    d = Distribution("uniform", min=-2, max=6)
    assert np.allclose(d.ppf(U), -2 + 8 * U, atol=1e-12)
    assert d.mean() == 2.0


def test_triangular_ppf_matches_the_closed_form_inverse() -> None:
    a, c, b = 1.0, 2.0, 6.0
    d = Distribution("triangular", min=a, max=b, likely=c)
    fc = (c - a) / (b - a)
    expected = [
        a + math.sqrt(u * (b - a) * (c - a))
        if u < fc
        else b - math.sqrt((1 - u) * (b - a) * (b - c))
        for u in U
    ]
    assert np.allclose(d.ppf(U), expected, atol=1e-9)
    assert d.mean() == pytest.approx((a + b + c) / 3, abs=1e-12)


def test_pert_with_a_central_mode_is_beta_3_3() -> None:
    d = Distribution("pert", min=0, max=10, likely=5)
    x = d.ppf(U) / 10
    assert np.allclose(10 * x**3 - 15 * x**4 + 6 * x**5, U, atol=1e-9)
    assert d.mean() == pytest.approx(5.0, abs=1e-12)


def test_pert_mean_and_shape() -> None:
    d = Distribution("pert", min=0, max=5, likely=1.5)
    assert d.mean() == pytest.approx((0 + 4 * 1.5 + 5) / 6, abs=1e-12)
    draws = d.sample(200_000, 7)
    assert draws.mean() == pytest.approx((0 + 4 * 1.5 + 5) / 6, abs=0.01)
    assert d.describe() == "PERT from 0 to 5, most likely 1.5"


def test_beta_scaled_to_the_range() -> None:
    d = Distribution("beta", min=2, max=4, alpha=2, beta=1)  # CDF on [0, 1]: x^2
    assert np.allclose(d.ppf(U), 2 + 2 * np.sqrt(U), atol=1e-9)
    assert d.mean() == pytest.approx(2 + 2 * 2 / 3, abs=1e-12)


def test_truncated_normal_cdf_and_mean() -> None:
    mu, sd, lo, hi = 1.0, 2.0, 0.0, 5.0
    d = Distribution("normal", min=lo, max=hi, mu=mu, sd=sd)
    alpha, beta = (lo - mu) / sd, (hi - mu) / sd
    mass = phi_cdf(beta) - phi_cdf(alpha)
    x = d.ppf(U)
    cdf = [(phi_cdf((v - mu) / sd) - phi_cdf(alpha)) / mass for v in x]
    assert np.allclose(cdf, U, atol=1e-9)
    assert d.mean() == pytest.approx(mu + sd * (phi_pdf(alpha) - phi_pdf(beta)) / mass, abs=1e-9)


def test_truncated_lognormal_cdf_and_mean() -> None:
    median, s, lo, hi = 2.0, 0.8, 0.5, 6.0
    d = Distribution("lognormal", min=lo, max=hi, median=median, sigma=s)
    m = math.log(median)
    a, b = (math.log(lo) - m) / s, (math.log(hi) - m) / s
    mass = phi_cdf(b) - phi_cdf(a)
    x = d.ppf(U)
    cdf = [(phi_cdf((math.log(v) - m) / s) - phi_cdf(a)) / mass for v in x]
    assert np.allclose(cdf, U, atol=1e-9)
    expected = math.exp(m + s * s / 2) * (phi_cdf(b - s) - phi_cdf(a - s)) / mass
    assert d.mean() == pytest.approx(expected, abs=1e-9)
    assert d.sample(200_000, 3).mean() == pytest.approx(expected, abs=0.02)


def test_lognormal_from_zero() -> None:
    d = Distribution("lognormal", min=0, max=20, median=3, sigma=0.5)
    x = d.ppf(U)
    assert x[0] == 0.0 and x[-1] == pytest.approx(20.0, abs=1e-9)
    # P(X > 20) = 1 - Phi(ln(20/3)/0.5) = 7.5e-5 is cut off: the median barely moves.
    assert d.ppf(np.array([0.5]))[0] == pytest.approx(3.0, rel=1e-4)


def test_discrete_probabilities() -> None:
    d = Distribution("discrete", min=0, max=10, values=(1, 4, 9), weights=(1, 2, 1))
    fine = (np.arange(100_000) + 0.5) / 100_000
    x = d.ppf(fine)
    assert [np.mean(x == v) for v in (1, 4, 9)] == pytest.approx([0.25, 0.5, 0.25], abs=1e-4)
    assert d.mean() == pytest.approx(0.25 * 1 + 0.5 * 4 + 0.25 * 9)
    assert d.ppf(np.array([0.0, 1.0])).tolist() == [1.0, 9.0]
    equal = Distribution("discrete", min=0, max=10, values=(2, 3))
    assert equal.mean() == 2.5


@given(
    kind=st.sampled_from(sorted(KINDS)),
    u=st.lists(st.floats(0, 1), min_size=1, max_size=20),
    lo=st.floats(-100, 100),
    width=st.floats(0, 100),
)
def test_values_stay_inside_the_range(kind: str, u: list[float], lo: float, width: float) -> None:
    hi = lo + width
    numbers = {
        "uniform": {},
        "triangular": {"likely": lo + width / 3},
        "pert": {"likely": hi},
        "normal": {"mu": lo + width / 2, "sd": width or 1.0},
        "lognormal": {"median": 1.0 + abs(lo), "sigma": 2.0},
        "beta": {"alpha": 0.5, "beta": 3.0},
        "discrete": {"values": (lo, hi)},
    }[kind]
    if kind == "lognormal":
        lo, hi = max(lo, 0.0), max(hi, 0.0) + 1.0
    x = Distribution(kind, min=lo, max=hi, **numbers).ppf(np.array(u))  # type: ignore[arg-type]
    assert np.all((x >= lo) & (x <= hi))


def test_sample_is_reproducible() -> None:
    d = Distribution("triangular", min=0, max=1, likely=0.2)
    assert np.array_equal(d.sample(50, 11), d.sample(50, np.random.default_rng(11)))


# ---------------------------------------------------------------- parameters
def test_parameter_binds_range_and_baseline() -> None:
    p = Parameter("x", 1.5, 0, 5, distribution=Distribution("pert"))
    assert p.belief == Distribution("pert", min=0, max=5, likely=1.5)
    q = Parameter("x", 1.5, 0, 5, distribution={"kind": "normal", "sd": 1})
    assert q.belief.mu == 1.5 and (q.belief.min, q.belief.max) == (0, 5)
    narrow = Parameter("x", 1.5, 0, 5, distribution={"kind": "uniform", "min": 1, "max": 2})
    assert narrow.belief.ppf(np.array([0.0, 1.0])).tolist() == [1.0, 2.0]


def test_default_belief_is_uniform_and_needs_a_range() -> None:
    assert Parameter("x", 1, 0, 4).belief == Distribution("uniform", min=0, max=4)
    with pytest.raises(ScenarioError, match="unbounded range") as info:
        _ = Parameter("x", 1, 0).belief
    assert info.value.key == "parameters.x"
    with pytest.raises(ScenarioError, match="finite range"):
        Parameter("x", 1, 0, distribution="pert")


@pytest.mark.parametrize(
    ("spec", "key", "words"),
    [
        ({"kind": "pert", "likely": 7}, "likely", "outside the range"),
        ({"kind": "triangular", "likely": -1}, "likely", "outside the range"),
        ({"kind": "normal", "sd": 0}, "sd", "must be positive"),
        ({"kind": "normal", "sd": -1}, "sd", "must be positive"),
        ({"kind": "lognormal", "sigma": 0}, "sigma", "must be positive"),
        ({"kind": "cauchy"}, "kind", "unknown distribution kind"),
        ({"likely": 1}, "kind", "needs 'kind'"),
        ({"kind": "discrete", "values": [1, 9]}, "values", "outside the range"),
        ({"kind": "discrete", "values": []}, "values", "at least one value"),
        ({"kind": "discrete", "values": [1, 2], "weights": [1, 0]}, "weights", "positive"),
        ({"kind": "discrete", "values": [1, 2], "weights": [1]}, "weights", "one weight per"),
        ({"kind": "beta", "alpha": 0, "beta": 2}, "alpha", "must be positive"),
        ({"kind": "beta", "alpha": 1}, "beta", "needs 'beta'"),
        ({"kind": "pert", "sd": 1}, "sd", "does not take"),
        ({"kind": "pert", "lambda": 3}, "lambda", "unknown key"),
        ({"kind": "uniform", "min": -1}, "min", "outside the parameter's range"),
        ({"kind": "normal", "mu": 1, "sd": 1e-3, "min": 4}, "mu", "almost none"),
        ({"kind": "pert", "likely": "high"}, "likely", "must be a number"),
    ],
)
def test_bad_distributions_name_the_key(spec: dict, key: str, words: str) -> None:
    with pytest.raises(ScenarioError, match=words) as info:
        Parameter("x", 1.5, 0, 5, distribution=spec)
    assert info.value.key == f"parameters.x.distribution.{key}"


def test_unbound_distribution_cannot_be_drawn() -> None:
    with pytest.raises(ScenarioError, match="lacks min, max, likely"):
        Distribution("pert").ppf(U)
    with pytest.raises(ScenarioError, match=r"\[0, 1\]"):
        Distribution("uniform", min=0, max=1).ppf(np.array([1.5]))


def test_to_dict_round_trips() -> None:
    d = Distribution("discrete", min=0, max=5, values=(1, 2), weights=(3, 1))
    assert Distribution.from_dict(d.to_dict()) == d
    assert d.describe() == "one of 1 (0.75), 2 (0.25)"


# ---------------------------------------------------------------- scenario files
TOML = """schema_version = 1
title = "beliefs"
[parameters]
a = {{ value = 1, min = 0, max = 5, distribution = {a} }}
b = {{ value = 2, min = 0, max = 5, distribution = "triangular" }}
[players.R]
actions = ["x", "y"]
[players.C]
actions = ["x", "y"]
[payoffs]
R = [["a", 0], [0, "b"]]
C = [["b", 0], [0, "a"]]
"""


def test_file_syntax() -> None:
    sc = loads_scenario(TOML.format(a='{ kind = "discrete", values = [1, 2], weights = [1, 3] }'))
    assert sc.parameters["a"].belief.mean() == pytest.approx(1.75)
    assert sc.parameters["b"].belief == Distribution("triangular", min=0, max=5, likely=2)
    again = pickle.loads(pickle.dumps(sc))
    assert again.parameters["a"].belief == sc.parameters["a"].belief


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('{ kind = "pert", likely = 7 }', "likely", "outside the range"),
        ('{ kind = "normal", mu = 1, sd = 0 }', "sd", "must be positive"),
        ('"gamma"', "kind", "unknown distribution kind"),
        ("3", None, "kind name such as"),
        ('{ kind = "pert", likely = 1, lambda = 3 }', "lambda", "unknown key"),
    ],
)
def test_file_errors_give_file_line_and_key(text: str, key: str | None, words: str) -> None:
    with pytest.raises(ScenarioError, match=words) as info:
        loads_scenario(TOML.format(a=text), source="beliefs.toml")
    error = info.value
    assert error.file == "beliefs.toml" and error.line == 4
    assert error.key == "parameters.a.distribution" + (f".{key}" if key else "")


@pytest.mark.parametrize(
    ("a", "b"), [(1, 1), (1, 5), (5, 1), (2.6, 3.4), (3, 3), (0.5, 0.5), (0.3, 2), (20, 3)]
)
def test_beta_inverse_table_matches_scipy(a: float, b: float) -> None:
    """The tabulated inverse (PERT shapes lie in [1, 5]) against scipy's betaincinv."""
    from scipy.special import betaincinv

    u = np.concatenate(
        [
            np.random.default_rng(1).random(200_000),
            np.geomspace(1e-16, 0.5, 2000),
            1 - np.geomspace(1e-16, 0.5, 2000),
            [0.0, 0.5, 1.0],
        ]
    )
    x = Distribution("beta", min=0, max=1, alpha=a, beta=b).ppf(u)
    assert np.abs(x - betaincinv(a, b, u)).max() < 1e-12


def test_correlations_in_a_file() -> None:
    text = TOML.format(a='"pert"') + "[correlations]\na.b = 0.5\n"
    assert loads_scenario(text).correlations == (("a", "b", 0.5),)
    with pytest.raises(ScenarioError, match="unknown parameter 'zz'") as info:
        loads_scenario(TOML.format(a='"pert"') + "[correlations]\na.zz = 0.5\n", source="c.toml")
    assert info.value.key == "correlations.a.zz" and info.value.line == 14
    with pytest.raises(ScenarioError, match="expected a table") as info:
        loads_scenario(TOML.format(a='"pert"') + "[correlations]\na = 0.5\n", source="c.toml")
    assert info.value.line == 14  # the offending `a = 0.5`, not the parameter `a` on line 4
