"""Learning and evolutionary dynamics: how play might arrive at (or circle around) equilibria.

These are explanation tools, not equilibrium solvers: they show a path of play, which may or
may not converge.

- **Fictitious play** (Brown 1951, "Iterative solution of games by fictitious play"): each
  round every player best-responds to the empirical frequencies of the others' past play; ties
  are broken uniformly at random.
- **Stochastic fictitious play** (Fudenberg and Kreps 1993; Hofbauer and Sandholm 2002, "On
  the global convergence of stochastic fictitious play", Econometrica 70): each round every
  player draws its action from a logit response, with noise parameter ``etha``, to its payoffs
  against the others' empirical frequencies plus a uniform perturbation in ``[0, epsilon_bar)``.
- **Replicator dynamics** (Taylor and Jonker 1978): in a symmetric two-player game with payoff
  matrix ``A`` a population's shares move by ``x_i' = x_i ((A x)_i - x^T A x)``.
- **Asymmetric (two-population) replicator dynamics**: one population per player,
  ``x' = x * (A y - x^T A y)`` and ``y' = y * (x^T B - x^T B y)``.

The four reproduce nashpy's ``Game.fictitious_play``, ``stochastic_fictitious_play``,
``replicator_dynamics`` and ``asymmetric_replicator_dynamics`` on the same inputs: with
``seed=s`` the random draws are those of ``np.random.seed(s)`` followed by nashpy's call, so the
sequence of play is the same; the replicator equations are integrated by the same LSODA
integrator (scipy's ``odeint``) at the same time points. Fictitious play here also takes games
of more than two players (best responses to the product of the others' frequencies).

Cost and limits: fictitious play costs one best response per player per round (``iterations
x N x prod(n_i)`` operations), refused beyond :data:`MAX_LEARNING_WORK`; replicator dynamics
store ``len(timepoints) x n`` shares, refused beyond :data:`MAX_STORED`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import SolverError
from ..model.game import Game, Profile

__all__ = [
    "MAX_LEARNING_WORK",
    "MAX_STORED",
    "LearningPath",
    "asymmetric_replicator_dynamics",
    "fictitious_play",
    "replicator_dynamics",
    "stochastic_fictitious_play",
]

FloatArray = NDArray[np.float64]

#: Largest ``iterations x N x prod(n_i)`` for (stochastic) fictitious play.
MAX_LEARNING_WORK = 500_000_000
#: Largest number of stored numbers in a path (time points or rounds x actions).
MAX_STORED = 50_000_000


@dataclass(frozen=True, eq=False)
class LearningPath:
    """A path of play: per player, a probability vector at each time point or round.

    Attributes
    ----------
    game
        The game.
    method
        ``"fictitious_play"``, ``"stochastic_fictitious_play"``, ``"replicator_dynamics"`` or
        ``"asymmetric_replicator_dynamics"``.
    times
        Round numbers (0, 1, ...) or the integration time points.
    strategies
        Per player an array ``(len(times), n_i)``: empirical frequencies of play (uniform
        before any play) for fictitious play, population shares for replicator dynamics.
    counts
        Per player the play counts ``(len(times), n_i)`` (fictitious play only, else empty).
    distributions
        Per player the logit response each round ``(len(times) - 1, n_i)`` (stochastic
        fictitious play only, else empty).
    options
        The options, seed included.
    """

    game: Game
    method: str
    times: FloatArray
    strategies: tuple[FloatArray, ...]
    counts: tuple[FloatArray, ...] = ()
    distributions: tuple[FloatArray, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("strategies", "counts", "distributions"):
            arrays = []
            for a in getattr(self, name):
                array = np.array(a, dtype=np.float64)
                array.setflags(write=False)
                arrays.append(array)
            object.__setattr__(self, name, tuple(arrays))
        times = np.array(self.times, dtype=np.float64)
        times.setflags(write=False)
        object.__setattr__(self, "times", times)
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))

    def final(self) -> Profile:
        """The last point of the path as a profile.

        Check ``max_regret`` before calling it an equilibrium: these dynamics need not converge.
        """
        return Profile(self.game, tuple(s[-1] for s in self.strategies))

    def to_dict(self) -> dict[str, Any]:
        """Plain data by label."""
        game = self.game
        return {
            "schema": "gametheory.learning/1",
            "method": self.method,
            "options": dict(self.options),
            "players": list(game.players),
            "actions": {p: list(a) for p, a in zip(game.players, game.actions, strict=True)},
            "times": self.times.tolist(),
            "strategies": {
                p: s.tolist() for p, s in zip(game.players, self.strategies, strict=True)
            },
            "final_regret": self.final().max_regret,
        }

    def __str__(self) -> str:
        last = self.final()
        return (
            f"{self.method.replace('_', ' ')}: {len(self.times)} points, ends at "
            f"{last.describe()} (largest regret {last.max_regret:.3g})"
        )

    def __repr__(self) -> str:
        return f"<LearningPath {self.method}: {len(self.times)} points>"


def _random_state(seed: int | np.random.RandomState | None) -> np.random.RandomState:
    """Legacy generator, so that ``seed=s`` reproduces nashpy after ``np.random.seed(s)``."""
    if isinstance(seed, np.random.RandomState):
        return seed
    if seed is not None and not (isinstance(seed, int) and not isinstance(seed, bool)):
        raise SolverError(f"seed must be an integer, got {seed!r}")
    return np.random.RandomState(seed)


def _check_rounds(game: Game, iterations: int) -> None:
    if not (isinstance(iterations, int) and not isinstance(iterations, bool) and iterations >= 0):
        raise SolverError(f"iterations must be a non-negative integer, got {iterations!r}")
    work = iterations * game.n_players * math.prod(game.shape)
    if work > MAX_LEARNING_WORK:
        raise SolverError(
            f"{iterations:,} rounds of this game would take about {work:,} operations "
            f"(limit {MAX_LEARNING_WORK:,}); use fewer iterations"
        )
    stored = (iterations + 1) * sum(game.shape)
    if stored > MAX_STORED:
        raise SolverError(
            f"{iterations:,} rounds would store {stored:,} numbers (limit {MAX_STORED:,})"
        )


def _initial_counts(game: Game, play_counts: Sequence[ArrayLike] | None) -> list[FloatArray]:
    if play_counts is None:
        return [np.zeros(n) for n in game.shape]
    counts = [np.asarray(c, dtype=np.float64).reshape(-1) for c in play_counts]
    if len(counts) != game.n_players or any(
        c.shape != (n,) or not np.all(np.isfinite(c)) or c.min() < 0
        for c, n in zip(counts, game.shape, strict=False)
    ):
        raise SolverError(
            f"play_counts must be {game.n_players} arrays of non-negative counts of lengths "
            f"{list(game.shape)}"
        )
    return counts


def _values_against(game: Game, weights: list[FloatArray], player: int) -> FloatArray:
    """Payoffs of ``player``'s actions against the others' (unnormalised) weights."""
    if game.n_players == 2:
        A, B = game.bimatrix()
        return np.asarray(A @ weights[1] if player == 0 else B.T @ weights[0], dtype=np.float64)
    u = game.payoffs[player]
    for q in reversed(range(game.n_players)):
        if q != player:
            u = np.tensordot(u, weights[q], axes=([q], [0]))
    return np.asarray(u, dtype=np.float64)


def _frequencies(counts: FloatArray) -> FloatArray:
    totals = counts.sum(axis=1, keepdims=True)
    uniform = np.full_like(counts, 1.0 / counts.shape[1])
    safe = np.where(totals > 0, totals, 1.0)
    return np.where(totals > 0, counts / safe, uniform)


def fictitious_play(
    game: Game,
    iterations: int,
    *,
    play_counts: Sequence[ArrayLike] | None = None,
    seed: int | np.random.RandomState | None = None,
) -> LearningPath:
    """Fictitious play for ``iterations`` rounds (Brown 1951).

    Each round every player plays a best response to the others' play counts so far (ties
    broken uniformly at random with ``seed``), then the counts are updated.

    Parameters
    ----------
    game
        Any N-player game.
    iterations
        Number of rounds.
    play_counts
        Initial counts per player (default zero).
    seed
        Integer seed or a ``numpy.random.RandomState``; ``seed=s`` gives the same sequence as
        nashpy's ``fictitious_play`` after ``np.random.seed(s)``.

    Returns
    -------
    LearningPath
        ``counts`` per player at rounds ``0..iterations``, and their frequencies.
    """
    _check_rounds(game, iterations)
    rng = _random_state(seed)
    counts = _initial_counts(game, play_counts)
    history = [[c] for c in counts]
    for _ in range(iterations):
        plays = []
        for i in range(game.n_players):
            utilities = _values_against(game, counts, i)
            plays.append(rng.choice(np.flatnonzero(utilities == np.max(utilities))))
        counts = [c.copy() for c in counts]
        for c, play, h in zip(counts, plays, history, strict=True):
            c[play] += 1
            h.append(c)
    stacked = [np.array(h) for h in history]
    return LearningPath(
        game=game,
        method="fictitious_play",
        times=np.arange(iterations + 1, dtype=np.float64),
        strategies=tuple(_frequencies(c) for c in stacked),
        counts=tuple(stacked),
        options={"iterations": iterations, "seed": seed if isinstance(seed, int) else None},
    )


def _logit_response(values: FloatArray, etha: float) -> FloatArray:
    z = etha**-1 * values  # nashpy's expression, shifted for overflow
    z = np.exp(z - z.max())
    return np.asarray(z / z.sum(), dtype=np.float64)


def stochastic_fictitious_play(
    game: Game,
    iterations: int,
    *,
    etha: float = 0.1,
    epsilon_bar: float = 0.01,
    play_counts: Sequence[ArrayLike] | None = None,
    seed: int | np.random.RandomState | None = None,
) -> LearningPath:
    """Stochastic fictitious play (Hofbauer and Sandholm 2002, as nashpy implements it).

    Each round every player computes its payoffs against the others' empirical frequencies
    (uniform before any play), adds independent uniform noise in ``[0, epsilon_bar)`` to each,
    and draws its action from the logit distribution with noise parameter ``etha``.

    Parameters
    ----------
    game
        Any N-player game.
    iterations
        Number of rounds.
    etha
        Logit noise (smaller is closer to best response; must be positive).
    epsilon_bar
        Largest payoff perturbation.
    play_counts
        Initial counts per player (default zero).
    seed
        As for :func:`fictitious_play` (same draws as nashpy after ``np.random.seed(s)``).
    """
    _check_rounds(game, iterations)
    if not (etha > 0 and math.isfinite(etha)):
        raise SolverError(f"etha must be a positive number, got {etha!r}")
    if not (epsilon_bar >= 0 and math.isfinite(epsilon_bar)):
        raise SolverError(f"epsilon_bar must be a non-negative number, got {epsilon_bar!r}")
    rng = _random_state(seed)
    counts = _initial_counts(game, play_counts)
    history = [[c] for c in counts]
    responses: list[list[FloatArray]] = [[] for _ in counts]
    for _ in range(iterations):
        dists = []
        for i in range(game.n_players):
            beliefs = [c / c.sum() if c.sum() > 0 else c + 1 / len(c) for c in counts]
            utilities = _values_against(game, beliefs, i)
            noisy = utilities + rng.random_sample(game.shape[i]) * epsilon_bar
            dists.append(_logit_response(noisy, etha))
        plays = [rng.choice(len(d), p=d) for d in dists]
        counts = [c.copy() for c in counts]
        for i, (c, play) in enumerate(zip(counts, plays, strict=True)):
            c[play] += 1
            history[i].append(c)
            responses[i].append(dists[i])
    stacked = [np.array(h) for h in history]
    return LearningPath(
        game=game,
        method="stochastic_fictitious_play",
        times=np.arange(iterations + 1, dtype=np.float64),
        strategies=tuple(_frequencies(c) for c in stacked),
        counts=tuple(stacked),
        distributions=tuple(
            np.array(r).reshape(iterations, n) for r, n in zip(responses, game.shape, strict=True)
        ),
        options={
            "iterations": iterations,
            "etha": etha,
            "epsilon_bar": epsilon_bar,
            "seed": seed if isinstance(seed, int) else None,
        },
    )


def _timepoints(timepoints: ArrayLike | None, actions: int) -> FloatArray:
    times = np.linspace(0, 10, 1000) if timepoints is None else np.asarray(timepoints, float)
    if times.ndim != 1 or times.size < 2 or not np.all(np.isfinite(times)):
        raise SolverError("timepoints must be a 1-D array of at least two finite times")
    if np.any(np.diff(times) <= 0):
        raise SolverError("timepoints must be increasing")
    if times.size * actions > MAX_STORED:
        raise SolverError(
            f"{times.size:,} time points x {actions} shares = {times.size * actions:,} "
            f"numbers (limit {MAX_STORED:,})"
        )
    return times


def _start(start: ArrayLike | None, n: int, who: str) -> FloatArray:
    if start is None:
        return np.ones(n) / n
    x = np.asarray(start, dtype=np.float64).reshape(-1)
    if x.shape != (n,) or not np.all(np.isfinite(x)) or x.min() < 0 or abs(x.sum() - 1) > 1e-9:
        raise SolverError(f"{who} must be a probability vector of length {n}, got {x.tolist()}")
    return x


def _integrate(derivative: Any, start: FloatArray, times: FloatArray) -> FloatArray:
    """LSODA (scipy's ``odeint``, as nashpy) at ``times``; an integration failure is an error."""
    import warnings

    from scipy.integrate import odeint

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            path = odeint(derivative, start, times)
        except Warning as exc:
            raise SolverError(
                f"the replicator equation could not be integrated ({exc}); the shares may "
                "leave the simplex (check the mutation matrix: rows should sum to one)"
            ) from None
    return np.asarray(path, dtype=np.float64)


def _symmetric_matrix(game: Game | ArrayLike) -> tuple[Game, FloatArray]:
    if isinstance(game, Game):
        if game.n_players != 2 or game.shape[0] != game.shape[1]:
            raise SolverError("replicator dynamics need a two-player game with square payoffs")
        A, B = game.bimatrix()
        if not np.array_equal(A, B.T):
            raise SolverError(
                "replicator dynamics need a symmetric game (B = A transposed); use "
                "asymmetric_replicator_dynamics for two populations"
            )
        return game, np.asarray(A, dtype=np.float64)
    A = np.asarray(game, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.all(np.isfinite(A)):
        raise SolverError("replicator dynamics need a square matrix of finite payoffs")
    return Game.from_arrays(A, A.T), A


def replicator_dynamics(
    game: Game | ArrayLike,
    *,
    y0: ArrayLike | None = None,
    timepoints: ArrayLike | None = None,
    mutation_matrix: ArrayLike | None = None,
) -> LearningPath:
    """Replicator dynamics of one population playing a symmetric game (Taylor and Jonker 1978).

    Solves ``x' = (x * (A x)) M - x (x^T A x)`` with mutation matrix ``M`` (identity by default:
    the plain replicator equation) by LSODA at the given time points (default 1,000 points on
    [0, 10]), from ``y0`` (default uniform).

    Parameters
    ----------
    game
        A symmetric two-player :class:`Game`, or the square payoff matrix ``A``.
    """
    game, A = _symmetric_matrix(game)
    n = A.shape[0]
    times = _timepoints(timepoints, n)
    x0 = _start(y0, n, "y0")
    M = np.eye(n) if mutation_matrix is None else np.asarray(mutation_matrix, dtype=np.float64)
    if (
        M.shape != (n, n)
        or not np.all(np.isfinite(M))
        or M.min() < 0
        or np.abs(M.sum(axis=1) - 1).max() > 1e-9
    ):
        raise SolverError(
            f"mutation_matrix must be a {n}x{n} mutation matrix: non-negative, each row "
            "(the chances a type becomes each type) summing to one"
        )

    def derivative(x: FloatArray, t: float) -> FloatArray:
        f = A @ x
        return np.asarray(f * x @ M - x * (x @ f), dtype=np.float64)

    xs = _integrate(derivative, x0, times)
    return LearningPath(
        game=game,
        method="replicator_dynamics",
        times=times,
        strategies=(xs, xs),
        options={"y0": x0.tolist(), "mutation": mutation_matrix is not None},
    )


def asymmetric_replicator_dynamics(
    game: Game,
    *,
    x0: ArrayLike | None = None,
    y0: ArrayLike | None = None,
    timepoints: ArrayLike | None = None,
) -> LearningPath:
    """Two-population replicator dynamics of a bimatrix game.

    ``x' = x * (A y - x^T A y)``, ``y' = y * (B^T x - x^T B y)``, integrated by LSODA at the
    time points (default 1,000 on [0, 10]) from ``x0``, ``y0`` (default uniform).
    """
    if not isinstance(game, Game) or game.n_players != 2:
        raise SolverError("asymmetric replicator dynamics need a two-player Game")
    A, B = game.bimatrix()
    m, n = game.shape
    times = _timepoints(timepoints, m + n)
    start = np.concatenate([_start(x0, m, "x0"), _start(y0, n, "y0")])

    def derivative(z: FloatArray, t: float) -> FloatArray:
        x, y = z[:m], z[m:]
        f1, f2 = A @ y, x @ B
        return np.concatenate((x * (f1 - f1 @ x), y * (f2 - f2 @ y)))

    zs = _integrate(derivative, start, times)
    return LearningPath(
        game=game,
        method="asymmetric_replicator_dynamics",
        times=times,
        strategies=(zs[:, :m], zs[:, m:]),
        options={"x0": start[:m].tolist(), "y0": start[m:].tolist()},
    )
