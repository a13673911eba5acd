"""Logit quantal response equilibrium (gametheory.solvers.qre).

Expected values: the closed form of matching pennies (uniform for every lambda, by symmetry),
the logit fixed point of an asymmetric matching pennies solved independently here with a
scalar root finder, and pygambit's ``logit_solve``, ``logit_solve_lambda`` and
``logit_estimate`` on random games.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.optimize import brentq

import gametheory as gt
from gametheory.errors import SolverError
from gametheory.solvers.qre import fit_lambda, logit_branch, logit_qre

PENNIES = gt.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
# Asymmetric matching pennies (the shape of Goeree, Holt and Palfrey's "Ten little treasures",
# AER 2001, with the row player's Top-Left payoff raised): Row gets 9 at (Top, Left), 1 at
# (Bottom, Right); Column gets 1 for mismatching.
ASYMMETRIC = gt.Game.from_arrays(
    [[9, 0], [0, 1]],
    [[0, 1], [1, 0]],
    players=("Row", "Col"),
    actions=(("Top", "Bottom"), ("Left", "Right")),
)


def logistic(z: float) -> float:
    if z < 0:
        return math.exp(z) / (1.0 + math.exp(z))
    return 1.0 / (1.0 + math.exp(-z))


def asymmetric_qre(lam: float) -> tuple[float, float]:
    """(P(Top), P(Left)) solving p = L(lam (9q - (1 - q))), q = L(lam ((1 - p) - p))."""

    def col(p: float) -> float:
        return logistic(lam * ((1 - p) - p))

    def gap(p: float) -> float:
        q = col(p)
        return p - logistic(lam * (9 * q - (1 - q)))

    p = brentq(gap, 0.0, 1.0, xtol=1e-15)
    return p, col(p)


@pytest.mark.parametrize("lam", [0.0, 0.3, 1.0, 4.0, 50.0])
def test_matching_pennies_qre_is_uniform_for_every_lambda(lam):
    profile = logit_qre(PENNIES, lam)
    for s in profile.strategies:
        assert s == pytest.approx([0.5, 0.5], abs=1e-12)


def test_matching_pennies_whole_branch_is_uniform_and_limit_is_nash():
    branch = logit_branch(PENNIES)
    assert np.abs(branch.strategies - 0.5).max() < 1e-12
    assert branch.lambdas[0] == 0 and branch.lambdas[-1] == pytest.approx(1e6 / 2)
    assert np.all(np.diff(branch.lambdas) > 0)
    assert branch.limit is not None and branch.limit.is_equilibrium()


@pytest.mark.parametrize("lam", [0.1, 0.5, 1.0, 2.0, 7.5, 30.0])
def test_asymmetric_pennies_matches_independent_fixed_point(lam):
    p, q = asymmetric_qre(lam)
    profile = logit_qre(ASYMMETRIC, lam)
    assert profile.strategy("Row")["Top"] == pytest.approx(p, abs=1e-9)
    assert profile.strategy("Col")["Left"] == pytest.approx(q, abs=1e-9)


def test_asymmetric_pennies_branch_points_and_limit():
    branch = logit_branch(ASYMMETRIC)
    # Every traced point solves the fixed point (checked at a spread of the points).
    checked = [k for k in range(len(branch.lambdas)) if branch.lambdas[k] <= 200]
    assert len(checked) > 10
    for k in checked:
        p, q = asymmetric_qre(float(branch.lambdas[k]))
        assert branch.strategies[k] == pytest.approx([p, 1 - p, q, 1 - q], abs=1e-8)
    # The unique Nash equilibrium: Col's Left makes Row indifferent (9q = 1 - q: q = 1/10),
    # Row's Top makes Col indifferent (1 - p = p: p = 1/2).
    assert branch.limit is not None
    assert branch.limit.strategy("Row")["Top"] == pytest.approx(0.5, abs=1e-9)
    assert branch.limit.strategy("Col")["Left"] == pytest.approx(0.1, abs=1e-9)
    outcomes = branch.outcome_probabilities()
    assert outcomes.shape == (len(branch.lambdas), 2, 2)
    assert outcomes.sum(axis=(1, 2)) == pytest.approx(np.ones(len(branch.lambdas)))
    assert "limit" in str(branch)
    assert branch.to_dict()["limit"]["strategies"]["Col"]["Left"] == pytest.approx(0.1)


def test_fit_recovers_lambda_from_exact_frequencies():
    # Counts proportional to the closed-form QRE at lambda 1.7 are best fit by lambda 1.7.
    p, q = asymmetric_qre(1.7)
    counts = {"Row": {"Top": 1e6 * p, "Bottom": 1e6 * (1 - p)}, "Col": [1e6 * q, 1e6 * (1 - q)]}
    fit = fit_lambda(ASYMMETRIC, counts)
    assert fit.lam == pytest.approx(1.7, rel=1e-5)
    assert "lambda" in str(fit)


def test_solve_logit_returns_regret_checked_limit():
    res = gt.solve(ASYMMETRIC, "logit")
    assert len(res) == 1 and not res.complete
    assert res[0].is_equilibrium()
    assert res[0].strategy("Col")["Left"] == pytest.approx(0.1)


def test_bad_input_is_refused():
    with pytest.raises(SolverError, match="counts of 'Row'"):
        fit_lambda(ASYMMETRIC, [[1, -2], [3, 4]])
    with pytest.raises(SolverError, match="no observations"):
        fit_lambda(ASYMMETRIC, [[0, 0], [0, 0]])
    with pytest.raises(SolverError, match="non-negative"):
        logit_qre(ASYMMETRIC, -1.0)
    big = gt.Game.from_arrays(np.zeros((300, 300)), np.zeros((300, 300)))
    with pytest.raises(SolverError, match="actions"):
        logit_branch(big)


def _gambit_vectors(profile):
    return [np.array([float(p) for _, p in player]) for player in profile]


SHAPES = [(2, 2), (3, 3), (4, 3), (2, 2, 2), (3, 3, 3)]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("shape", SHAPES)
def test_agrees_with_pygambit_logit(seed, shape):
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(1000 * seed + sum(shape))
    arrays = [rng.normal(size=shape) for _ in shape]
    game = gt.Game.from_arrays(*arrays)
    theirs = gbt.StrategicGame.from_arrays(*arrays)
    for lam in (0.5, 2.0, 6.0):
        ours = logit_qre(game, lam)
        gambit = gbt.qre.logit_solve_lambda(theirs, lam=[lam])[0]
        for a, b in zip(ours.strategies, _gambit_vectors(gambit.profile), strict=True):
            assert a == pytest.approx(b, abs=1e-7)
    # The limit: pygambit's logit_solve ends near an equilibrium; ours is polished to one.
    branch = logit_branch(game)
    assert branch.limit is not None and branch.limit.is_equilibrium()
    limit = gbt.nash.logit_solve(theirs).equilibrium
    for a, b in zip(branch.limit.strategies, _gambit_vectors(limit), strict=True):
        assert a == pytest.approx(b, abs=1e-5)
    # Maximum-likelihood fit of lambda: same lambda and log-likelihood as logit_estimate.
    # No zero counts: pygambit 17.0.0b2's logit_estimate did not return (20 s+) on a 2x2x2
    # game with one zero count, where the likelihood peaks at lambda 17.
    counts = [rng.integers(1, 40, size=n).astype(float) for n in shape]
    fit = fit_lambda(game, counts)
    data = theirs.mixed_strategy_profile(data=[c.tolist() for c in counts])
    estimate = gbt.qre.logit_estimate(data)
    # The likelihood is flat at its peak: the same height, lambda to a few parts in 10^4
    # (Gambit's profiles are accurate to about 1e-9, which moves its log-likelihood by 1e-8).
    assert fit.log_likelihood == pytest.approx(estimate.log_like, abs=1e-6)
    assert fit.lam == pytest.approx(estimate.lam, rel=1e-3, abs=1e-6)


def test_branch_with_folds_keeps_to_the_principal_branch():
    # A random 8x8 game whose branch folds back twice near lambda 2.5: with long steps the
    # tracer once cut across to another branch and ended at a different equilibrium than
    # pygambit's logit_solve ((a5, a8), found here by tracing with 10x shorter steps too).
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(2026)
    for shape in [(3, 3), (5, 5)]:
        [rng.normal(size=shape) for _ in shape]
        [rng.integers(1, 50, size=n) for n in shape]
    arrays = [rng.normal(size=(8, 8)) for _ in range(2)]
    game = gt.Game.from_arrays(*arrays)
    branch = logit_branch(game)
    assert np.any(np.diff(branch.lambdas) < 0)  # the fold is followed, not jumped
    limit = gbt.nash.logit_solve(gbt.StrategicGame.from_arrays(*arrays)).equilibrium
    for a, b in zip(branch.limit.strategies, _gambit_vectors(limit), strict=True):
        assert a == pytest.approx(b, abs=1e-6)
    fine = logit_branch(game, first_step=0.005, max_accel=1.05)
    assert fine.limit.distance(branch.limit) < 1e-9
