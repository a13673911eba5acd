"""Learning dynamics (gametheory.solvers.learning) and their plots (gametheory.report.dynamics).

Expected values: closed forms for the replicator equation of rock-paper-scissors (uniform is
a rest point; x_1 x_2 x_3 is a constant of motion, Hofbauer and Sigmund 1998, section 7.7) and
nashpy's own functions on the same inputs and seeds (nashpy is imported here, never by the
library outside its adapter).
"""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.errors import GameTheoryError, SolverError
from gametheory.solvers.learning import (
    asymmetric_replicator_dynamics,
    fictitious_play,
    replicator_dynamics,
    stochastic_fictitious_play,
)

nashpy = pytest.importorskip("nashpy")

RPS = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], dtype=float)


def random_bimatrix(seed: int, integers: bool):
    rng = np.random.default_rng(seed)
    m, n = (int(v) for v in rng.integers(2, 5, size=2))
    if integers:
        return rng.integers(0, 4, size=(m, n)).astype(float), rng.integers(0, 4, size=(m, n))
    return rng.normal(size=(m, n)), rng.normal(size=(m, n))


def test_rps_uniform_is_a_rest_point():
    # (A x)_i = 0 for x uniform, so x_i ((A x)_i - x^T A x) = 0: the path stays put.
    path = replicator_dynamics(RPS, timepoints=np.linspace(0, 20, 200))
    assert np.abs(path.strategies[0] - 1 / 3).max() < 1e-12


def test_rps_orbits_keep_the_product_of_shares():
    # d/dt log(x1 x2 x3) = sum_i (A x)_i - 3 x^T A x = 0 for zero-sum RPS: closed orbits.
    start = np.array([0.5, 0.3, 0.2])
    path = replicator_dynamics(RPS, y0=start, timepoints=np.linspace(0, 30, 600))
    product = path.strategies[0].prod(axis=1)
    assert product == pytest.approx(np.full_like(product, 0.5 * 0.3 * 0.2), rel=1e-5)
    assert path.strategies[0].sum(axis=1) == pytest.approx(np.ones(600), abs=1e-8)


def test_rps_pure_strategies_are_rest_points_and_not_stable():
    for k in range(3):
        x = np.eye(3)[k]
        path = replicator_dynamics(RPS, y0=x, timepoints=np.linspace(0, 5, 50))
        assert np.abs(path.strategies[0] - x).max() < 1e-12


@pytest.mark.parametrize("seed", range(6))
def test_replicator_matches_nashpy(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 5))
    A = rng.normal(size=(n, n))
    y0 = rng.dirichlet(np.ones(n))
    times = np.linspace(0, 8, 300)
    ours = replicator_dynamics(A, y0=y0, timepoints=times)
    theirs = nashpy.Game(A).replicator_dynamics(y0=y0, timepoints=times)
    assert ours.strategies[0] == pytest.approx(theirs, abs=1e-9)
    # Rows sum to one: each type mutates to a random other type with probability 5 %.
    mutation = 0.95 * np.eye(n) + 0.05 * rng.dirichlet(np.ones(n), size=n)
    ours = replicator_dynamics(A, y0=y0, timepoints=times, mutation_matrix=mutation)
    theirs = nashpy.Game(A).replicator_dynamics(y0=y0, timepoints=times, mutation_matrix=mutation)
    assert ours.strategies[0] == pytest.approx(theirs, abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_asymmetric_replicator_matches_nashpy(seed):
    A, B = random_bimatrix(seed, integers=False)
    rng = np.random.default_rng(seed + 50)
    x0, y0 = rng.dirichlet(np.ones(A.shape[0])), rng.dirichlet(np.ones(A.shape[1]))
    times = np.linspace(0, 6, 200)
    ours = asymmetric_replicator_dynamics(gt.Game.from_arrays(A, B), x0=x0, y0=y0, timepoints=times)
    xs, ys = nashpy.Game(A, B).asymmetric_replicator_dynamics(x0=x0, y0=y0, timepoints=times)
    assert ours.strategies[0] == pytest.approx(xs, abs=1e-9)
    assert ours.strategies[1] == pytest.approx(ys, abs=1e-9)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("integers", [True, False])
def test_fictitious_play_same_sequence_as_nashpy(seed, integers):
    A, B = random_bimatrix(seed, integers)
    ours = fictitious_play(gt.Game.from_arrays(A, B), 150, seed=seed)
    np.random.seed(seed)  # noqa: NPY002  (nashpy draws from the global generator)
    theirs = list(nashpy.Game(A, B).fictitious_play(iterations=150))
    assert len(theirs) == 151
    for t, (row, col) in enumerate(theirs):
        assert np.array_equal(ours.counts[0][t], row) and np.array_equal(ours.counts[1][t], col)


@pytest.mark.parametrize("seed", range(8))
def test_stochastic_fictitious_play_same_sequence_as_nashpy(seed):
    A, B = random_bimatrix(seed, integers=seed % 2 == 0)
    ours = stochastic_fictitious_play(gt.Game.from_arrays(A, B), 120, etha=0.2, seed=seed)
    np.random.seed(seed)  # noqa: NPY002  (nashpy draws from the global generator)
    theirs = list(
        nashpy.Game(A, B).stochastic_fictitious_play(iterations=120, etha=0.2, epsilon_bar=0.01)
    )
    for t, (counts, dists) in enumerate(theirs):
        assert np.array_equal(ours.counts[0][t], counts[0])
        assert np.array_equal(ours.counts[1][t], counts[1])
        if t > 0:
            assert ours.distributions[0][t - 1] == pytest.approx(dists[0], abs=1e-12)
            assert ours.distributions[1][t - 1] == pytest.approx(dists[1], abs=1e-12)


def test_fictitious_play_converges_in_matching_pennies_frequencies():
    # Robinson (1951): in zero-sum games the empirical frequencies converge to equilibrium.
    pennies = gt.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    path = fictitious_play(pennies, 4000, seed=1)
    assert path.final().max_regret < 0.05
    assert path.strategies[0][-1] == pytest.approx([0.5, 0.5], abs=0.03)


def test_three_player_fictitious_play_stays_at_a_strict_pure_equilibrium():
    # Coordination among three: everyone gets 1 when all play the same action, else 0.
    same = np.zeros((2, 2, 2))
    same[0, 0, 0] = same[1, 1, 1] = 1
    game = gt.Game.from_arrays(same, same, same)
    path = fictitious_play(game, 50, play_counts=[[1, 0], [1, 0], [1, 0]], seed=0)
    for counts in path.counts:
        assert counts[-1].tolist() == [51.0, 0.0]


def test_bad_input():
    game = gt.Game.from_arrays(RPS, RPS)  # B = A, not A transposed: not symmetric
    with pytest.raises(SolverError, match="symmetric"):
        replicator_dynamics(game)
    with pytest.raises(SolverError, match="mutation matrix"):
        replicator_dynamics(RPS, mutation_matrix=5 * np.ones((3, 3)), timepoints=[0, 100])
    with pytest.raises(SolverError, match="iterations"):
        fictitious_play(game, -1)
    with pytest.raises(SolverError, match="limit"):
        fictitious_play(game, 10**9)
    with pytest.raises(SolverError, match="probability vector"):
        replicator_dynamics(RPS, y0=[0.5, 0.5, 0.5])
    with pytest.raises(SolverError, match="etha"):
        stochastic_fictitious_play(game, 3, etha=0)


def test_plots_draw_and_return_axes():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    from gametheory.report.dynamics import (
        plot_phase,
        plot_qre_branch,
        plot_shares,
        plot_simplex,
        simplex_data,
    )
    from gametheory.solvers.qre import logit_branch

    assert simplex_data(np.eye(3))[2] == pytest.approx([0.5, np.sqrt(3) / 2])
    path = replicator_dynamics(RPS, y0=[0.5, 0.3, 0.2])
    for plot in (plot_shares, plot_simplex):
        ax = Figure().subplots()
        assert plot(path, ax=ax) is ax
        assert len(ax.lines) >= 3 if plot is plot_shares else len(ax.lines) >= 1
    pennies = gt.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    ax = Figure().subplots()
    assert plot_phase(fictitious_play(pennies, 30, seed=0), ax=ax) is ax
    ax = Figure().subplots()
    assert plot_qre_branch(logit_branch(pennies), ax=ax) is ax
    with pytest.raises(GameTheoryError, match="three actions"):
        plot_simplex(fictitious_play(pennies, 3, seed=0), ax=Figure().subplots())
