"""What would it take: the smallest change that makes a target outcome an equilibrium.

Two questions about a target pure profile ``a`` (e.g. "China licenses military magnets, the US
keeps AI-chip controls"):

:func:`payoff_change`
    The smallest change of the payoff table itself (L1 or max norm) after which ``a`` is a
    strict Nash equilibrium with a given margin: every unilateral deviation loses at least
    ``margin``. Only the target cell and the deviation cells matter, so this is a small linear
    program, solved exactly by scipy's HiGHS.

:func:`parameter_change`
    The smallest change of the scenario's declared parameters, within their ranges (distance
    measured in units of each parameter's range), after which ``a`` is a strict equilibrium with
    the margin. Payoffs are arbitrary expressions of the parameters, so this is a nonlinear
    program. A batch of random points in the ranges (4,096 by default, ``rng``) shows where
    the target holds; SLSQP then searches for the nearest such point from the baseline and from
    the closest sampled ones (or, when no sampled point qualifies, from those that come
    closest). Every answer is re-checked on the compiled payoffs, and when nothing is found the
    result says so, with how close the search came, rather than claiming the target is
    impossible.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._format import format_number
from ...errors import GameTheoryError, WhatIfError
from ...model.game import Game
from ...model.scenario import Scenario

__all__ = [
    "ParameterChange",
    "PayoffChange",
    "PredictionChange",
    "parameter_change",
    "payoff_change",
    "prediction_change",
]


def _kind(margin: float) -> str:
    """What the target must become, in plain words."""
    if margin > 0:
        return (
            f"an equilibrium in which each side would lose at least {format_number(margin)} "
            "by changing its own choice"
        )
    return "an equilibrium"


def _join(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _change(old: float, new: float) -> str:
    """``raise ... from 7.5 to 16.6 (+9.1)`` without the verb's object."""
    delta = new - old
    sign = "+" if delta > 0 else "-"
    return f"from {format_number(old)} to {format_number(new)} ({sign}{format_number(abs(delta))})"


def _target_index(game: Game, target: Sequence[str | int] | Mapping[str, str]) -> tuple[int, ...]:
    if isinstance(target, Mapping):
        missing = [p for p in game.players if p not in target]
        if missing:
            raise WhatIfError(f"the target gives no action for player '{missing[0]}'")
        unknown = [p for p in target if p not in game.players]
        if unknown:
            raise WhatIfError(
                f"the target names unknown player '{unknown[0]}'; players are "
                f"{', '.join(game.players)}"
            )
        target = [target[p] for p in game.players]
    if len(target) != game.n_players:
        raise WhatIfError(f"the target needs one action per player ({game.n_players})")
    try:
        return tuple(game.action_index(p, a) for p, a in enumerate(target))
    except GameTheoryError as exc:
        raise WhatIfError(f"target: {exc.message}") from None


def _deviations(game: Game, index: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    """(player, profile) for every unilateral deviation from ``index``."""
    out = []
    for p in range(game.n_players):
        for a in range(game.shape[p]):
            if a != index[p]:
                out.append((p, (*index[:p], a, *index[p + 1 :])))
    return out


def margins(game: Game, index: tuple[int, ...]) -> NDArray[np.float64]:
    """Payoff loss of each unilateral deviation (positive: the deviation does not pay)."""
    return np.array(
        [game.payoffs[(p, *index)] - game.payoffs[(p, *dev)] for p, dev in _deviations(game, index)]
    )


@dataclass(frozen=True)
class PayoffChange:
    """The smallest payoff change making a target a strict equilibrium.

    Attributes
    ----------
    target
        Action labels of the target.
    norm, margin
        How the change is measured and the margin required.
    size
        The size of the smallest change (0 if the target already qualifies).
    changes
        ``[(player, profile labels, old payoff, new payoff)]`` for every changed entry.
    game
        The changed game.
    """

    target: tuple[str, ...]
    norm: str
    margin: float
    size: float
    changes: tuple[tuple[str, tuple[str, ...], float, float], ...]
    game: Game

    def sentence(self) -> str:
        """A readable summary."""
        profile = " / ".join(
            f"{p}: {a}" for p, a in zip(self.game.players, self.target, strict=True)
        )
        if not self.changes:
            return f"{profile} is already {_kind(self.margin)}."
        cells: dict[tuple[str, ...], list[tuple[str, float, float]]] = {}
        for player, labels, old, new in self.changes:
            cells.setdefault(labels, []).append((player, old, new))
        parts = []
        for labels, moves in cells.items():
            where = (
                "at the target itself"
                if labels == self.target
                else f"where the outcome is ({', '.join(labels)})"
            )
            said = [
                f"{'raise' if new > old else 'lower'} {player}'s payoff {_change(old, new)}"
                for player, old, new in moves
            ]
            parts.append(f"{where}, {_join(said)}")
        total = (
            f"In all, payoffs move by {format_number(self.size)} (the sum of the changes)."
            if self.norm == "l1"
            else f"No payoff moves by more than {format_number(self.size)}."
        )
        return (
            f"The smallest change to the payoffs that would make {profile} "
            f"{_kind(self.margin)}: " + "; ".join(parts) + ". " + total
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "target": list(self.target),
            "norm": self.norm,
            "margin": self.margin,
            "size": self.size,
            "changes": [
                {"player": p, "profile": list(labels), "from": old, "to": new}
                for p, labels, old, new in self.changes
            ],
            "sentence": self.sentence(),
        }


def payoff_change(
    game: Game,
    target: Sequence[str | int] | Mapping[str, str],
    *,
    margin: float = 0.0,
    norm: str = "l1",
) -> PayoffChange:
    """Smallest change of payoffs (``"l1"`` or ``"max"`` norm) making ``target`` an equilibrium.

    With ``margin > 0`` every unilateral deviation must lose at least ``margin`` (a strict
    equilibrium). Each deviation constraint involves the target cell and one deviation cell of
    the deviating player, so the LP has one variable pair per such cell.
    """
    from scipy.optimize import linprog

    if norm not in ("l1", "max"):
        raise WhatIfError(f"norm must be 'l1' or 'max', got '{norm}'")
    if not np.isfinite(margin) or margin < 0:
        raise WhatIfError(f"margin must be a non-negative number, got {margin}")
    index = _target_index(game, target)
    deviations = _deviations(game, index)
    # Cells whose payoff may change: each player's target cell and its deviation cells.
    cells: list[tuple[int, tuple[int, ...]]] = [(p, index) for p in range(game.n_players)]
    cells += deviations
    position = {cell: k for k, cell in enumerate(cells)}
    n = len(cells)
    # Variables: up_k, down_k >= 0 (change = up - down), then t (max norm).
    n_vars = 2 * n + 1
    A_ub, b_ub = [], []
    for p, dev in deviations:
        # (u_p(a) + up_a - down_a) - (u_p(dev) + up_d - down_d) >= margin
        row = np.zeros(n_vars)
        ka, kd = position[(p, index)], position[(p, dev)]
        row[ka], row[n + ka] = -1.0, 1.0
        row[kd], row[n + kd] = 1.0, -1.0
        A_ub.append(row)
        b_ub.append(game.payoffs[(p, *index)] - game.payoffs[(p, *dev)] - margin)
    c = np.zeros(n_vars)
    if norm == "l1":
        c[: 2 * n] = 1.0
    else:
        c[-1] = 1.0
        for k in range(n):  # up_k + down_k <= t
            row = np.zeros(n_vars)
            row[k], row[n + k], row[-1] = 1.0, 1.0, -1.0
            A_ub.append(row)
            b_ub.append(0.0)
    res = linprog(
        c,
        A_ub=np.array(A_ub) if A_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        bounds=[(0, None)] * n_vars,
        method="highs",
    )
    if res.status != 0:  # pragma: no cover - the LP is always feasible
        raise WhatIfError(f"the linear program failed: {res.message}")
    delta = res.x[:n] - res.x[n : 2 * n]
    payoffs = game.payoffs.copy()
    changes = []
    for (p, cell), change in zip(cells, delta, strict=True):
        if abs(change) > 1e-12:
            old = float(game.payoffs[(p, *cell)])
            payoffs[(p, *cell)] = old + change
            labels = tuple(game.actions[q][i] for q, i in enumerate(cell))
            changes.append((game.players[p], labels, old, old + float(change)))
    changed = game.with_payoffs(payoffs)
    labels = tuple(game.actions[p][i] for p, i in enumerate(index))
    size = float(np.abs(delta).sum() if norm == "l1" else np.abs(delta).max(initial=0.0))
    return PayoffChange(labels, norm, float(margin), size, tuple(changes), changed)


@dataclass(frozen=True)
class ParameterChange:
    """The smallest change of declared parameters making a target a strict equilibrium.

    Attributes
    ----------
    target
        Action labels of the target.
    found
        Whether a parameter point was found (and verified) where the target qualifies.
    baseline, values
        Parameter values before and after (``values`` is None when not found).
    distance
        Euclidean distance in units of each parameter's range (None when not found).
    margin
        Smallest deviation loss at ``values`` (at least the required margin when found).
    starts
        Number of local searches run.
    required_margin
        The margin asked for.
    players
        The players' names, in order.
    sampled
        Number of points of the parameter space evaluated (in batches) to find starts.
    closest
        When nothing is found: the largest smallest deviation loss seen at any point tried
        (negative: at best, some side still gains ``-closest`` by changing its own choice).
    exact
        Whether the answer is exact: every deviation's payoff difference is linear in the
        varied parameters, so the question is a convex quadratic program (the nearest point of
        a polyhedron), solved to optimality, or shown infeasible by a linear program.
    impossible
        When the target cannot qualify anywhere in the declared ranges and this is proved (a
        payoff difference linear in the parameters whose largest value over the ranges falls
        short, or linear conditions that contradict each other): why, in words.
    """

    target: tuple[str, ...]
    found: bool
    baseline: Mapping[str, float]
    values: Mapping[str, float] | None
    distance: float | None
    margin: float | None
    starts: int
    required_margin: float = 0.0
    players: tuple[str, ...] = field(default=())
    sampled: int = 0
    closest: float | None = None
    exact: bool = False
    impossible: str | None = None

    def changed(self) -> dict[str, tuple[float, float]]:
        """Parameters that moved: ``{name: (before, after)}``."""
        return _moved(self.baseline, self.values)

    def sentence(self) -> str:
        """A readable summary."""
        profile = " / ".join(f"{p}: {a}" for p, a in zip(self.players, self.target, strict=True))
        if not self.found and self.impossible is not None:
            return (
                f"No parameter values within the declared ranges make {profile} "
                f"{_kind(self.required_margin)}: {self.impossible}."
            )
        if not self.found:
            searched = (
                f"{self.sampled:,} points sampled and {self.starts} local searches"
                if self.sampled
                else f"{self.starts} local searches"
            )
            closest = ""
            if self.closest is not None and self.closest < 0:
                closest = (
                    " At the closest point tried, some side still gained "
                    f"{format_number(-self.closest)} by changing its own choice."
                )
            elif self.closest is not None and self.closest < self.required_margin:
                lost = format_number(self.closest)
                closest = (
                    " At the closest point tried, some side would be indifferent to changing "
                    "its own choice."
                    if lost == "0"
                    else f" At the closest point tried, some side would lose only {lost} by "
                    "changing its own choice."
                )
            return (
                f"No parameter values within the declared ranges were found that make {profile} "
                f"{_kind(self.required_margin)} ({searched}); this is a search result, not a "
                f"proof that none exist.{closest}"
            )
        moved = self.changed()
        if not moved:
            return f"{profile} is already {_kind(self.required_margin)} at the baseline."
        parts = [f"{name} moves {_change(a, b)}" for name, (a, b) in moved.items()]
        share = format_number(100 * (self.distance or 0.0), 2)
        how = (
            f"the nearest such point, {share} % of the declared ranges in all (exact: every "
            "payoff difference involved is linear in the parameters)"
            if self.exact
            else f"the smallest change found, {share} % of the declared ranges in all"
        )
        return (
            f"{profile} becomes {_kind(self.required_margin)} if " + ", ".join(parts) + f": {how}."
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "target": list(self.target),
            "found": self.found,
            "exact": self.exact,
            "impossible": self.impossible,
            "baseline": dict(self.baseline),
            "values": dict(self.values) if self.values is not None else None,
            "changed": {k: {"from": a, "to": b} for k, (a, b) in self.changed().items()},
            "distance": self.distance,
            "margin_at_values": self.margin,
            "required_margin": self.required_margin,
            "starts": self.starts,
            "sampled": self.sampled,
            "closest": self.closest,
            "sentence": self.sentence(),
        }


#: Random points at which a deviation's payoff difference must match its linear model (built
#: from one step per parameter) for the difference to count as linear in the parameters.
LINEAR_CHECKS = 16
#: Relative tolerance of that check (times the largest absolute difference seen, at least 1).
LINEAR_TOL = 1e-9
#: Memory for one batch of payoff evaluations (points are evaluated in batches of this size).
EVALUATION_BYTES = 64 * 2**20
#: Most pure profiles :func:`prediction_change` examines (one small problem each).
MAX_CANDIDATES = 4096
#: Points along the segment from the baseline to a qualifying sampled point, to bring the start
#: of a local search close to the nearest qualifying point on that segment.
SEGMENT_POINTS = 32


class _Losses:
    """Deviation losses of one target profile at many points of the varied parameters.

    A call with ``X`` of shape ``(K, n)`` (values of the varied parameters, the others at the
    base point) evaluates the scenario's payoffs once for all ``K`` points and returns the
    ``(K, D)`` losses ``u_p(target) - u_p(deviation)``, one column per unilateral deviation;
    non-finite payoffs count as a loss of ``-1e6`` (the target fails there).
    """

    def __init__(
        self,
        scenario: Scenario,
        base: Mapping[str, float],
        names: Sequence[str],
        index: tuple[int, ...],
        deviations: Sequence[tuple[int, tuple[int, ...]]],
    ) -> None:
        self.scenario = scenario
        self.base = dict(base)
        self.names = list(names)
        shape = tuple(len(a) for a in scenario.actions)
        self.players = np.array([p for p, _ in deviations], dtype=np.intp)
        self.target = int(np.ravel_multi_index(index, shape))
        self.cells = np.array([np.ravel_multi_index(dev, shape) for _, dev in deviations])
        self.evaluated = 0
        # Points per payoff evaluation, so that one batch's payoff tensor stays near 64 MB.
        per_point = 8 * len(scenario.players) * math.prod(shape)
        self.chunk = max(1, EVALUATION_BYTES // per_point)

    def __call__(self, X: NDArray[np.float64]) -> NDArray[np.float64]:
        X = np.atleast_2d(X)
        if len(X) > self.chunk:
            parts = [self(X[k : k + self.chunk]) for k in range(0, len(X), self.chunk)]
            return np.concatenate(parts)
        values = {k: np.full(len(X), v) for k, v in self.base.items()}
        for j, name in enumerate(self.names):
            values[name] = X[:, j]
        tensor = self.scenario.payoff_tensor(values, check=False)
        flat = tensor.reshape(len(X), tensor.shape[1], -1)
        out = flat[:, self.players, self.target] - flat[:, self.players, self.cells]
        self.evaluated += len(X)
        cleaned: NDArray[np.float64] = np.where(np.isfinite(out), out, -1e6)
        return cleaned


@dataclass(frozen=True)
class _Linear:
    """Linear models of the losses: ``L(x) ~ at_base + slopes @ (x - x0)``, where exact."""

    at_base: NDArray[np.float64]  # (D,)
    slopes: NDArray[np.float64]  # (D, n), per unit of each parameter
    linear: NDArray[np.bool_]  # (D,): the model matched at every check point


def _linear_models(
    losses: Conditions,
    x0: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    generator: np.random.Generator,
) -> _Linear:
    """One step of half the range per parameter, then random checks, in one batch."""
    n = len(x0)
    half = (high - low) / 2
    step = np.where(x0 + half <= high, half, -half)
    checks = low + generator.random((LINEAR_CHECKS, n)) * (high - low)
    values = losses(np.vstack([x0, x0 + np.diag(step), checks]))
    at_base = values[0]
    slopes = ((values[1 : n + 1] - at_base) / step[:, None]).T
    predicted = at_base + (checks - x0) @ slopes.T
    scale = np.maximum(np.abs(values).max(axis=0), 1.0)
    linear = (np.abs(values[n + 1 :] - predicted) <= LINEAR_TOL * scale).all(axis=0)
    return _Linear(at_base, slopes, linear)


def _nearest_on_polyhedron(
    model: _Linear,
    x0: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    span: NDArray[np.float64],
    margin: float,
) -> NDArray[np.float64] | None:
    """Exact nearest point (range units) where every linear loss is at least ``margin``.

    A linear program (HiGHS) first decides feasibility and gives a feasible start; SLSQP then
    solves the convex quadratic program, whose local optimum is the global one. None when the
    linear program is infeasible.
    """
    from scipy.optimize import linprog, minimize

    A = model.slopes * span  # per unit of range
    need = margin - model.at_base
    z_low, z_high = (low - x0) / span, (high - x0) / span
    bounds = list(zip(z_low, z_high, strict=True))
    lp = linprog(np.zeros(len(x0)), A_ub=-A, b_ub=-need, bounds=bounds, method="highs")
    if lp.status != 0:
        return None
    res = minimize(
        lambda z: float(z @ z),
        lp.x,
        jac=lambda z: 2 * z,
        bounds=bounds,
        constraints=[{"type": "ineq", "fun": lambda z: A @ z - need, "jac": lambda z: A}],
        method="SLSQP",
        options={"maxiter": 500, "ftol": 1e-15},
    )
    z = np.clip(res.x if np.all(A @ res.x - need >= -1e-9) else lp.x, z_low, z_high)
    point: NDArray[np.float64] = x0 + z * span
    return point


def _samples(
    x0: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    count: int,
    generator: np.random.Generator,
) -> NDArray[np.float64]:
    """Half uniform over the ranges, half around the base point at radii from 1 % to 100 %.

    The second half are ``x0 + r * u * range`` for random directions ``u`` and radii ``r``
    uniform in log scale, clipped to the ranges: near points are what the search is after.
    """
    n = len(x0)
    near = count // 2
    uniform = low + generator.random((count - near, n)) * (high - low)
    directions = generator.normal(size=(near, n))
    directions /= np.maximum(np.linalg.norm(directions, axis=1, keepdims=True), 1e-300)
    radii = 10 ** generator.uniform(-2, 0, size=(near, 1))
    around = np.clip(x0 + radii * directions * (high - low), low, high)
    return np.vstack([around, uniform])


def parameter_change(
    scenario: Scenario,
    target: Sequence[str | int] | Mapping[str, str],
    *,
    margin: float = 1e-6,
    vary: Sequence[str] | None = None,
    fixed: Mapping[str, float] | None = None,
    starts: int = 4,
    rng: np.random.Generator | int | None = 0,
    sample: int = 4096,
    maxiter: int = 200,
) -> ParameterChange:
    """Smallest change of parameters (within ranges) making ``target`` a strict equilibrium.

    Distances are Euclidean in units of each parameter's declared range. The target qualifies
    where every unilateral deviation loses at least ``margin``: one condition per deviation on
    the payoff difference ``u_p(target) - u_p(deviation)``.

    Method
    ------
    1. Every payoff difference is modelled as linear in the varied parameters (one step of half
       the range per parameter) and the model is checked at :data:`LINEAR_CHECKS` random
       points, all in one batched evaluation of the payoffs.
    2. A linear difference whose largest value over the ranges (at their ends) falls short of
       ``margin`` proves the target impossible; the result says which and why.
    3. When every difference is linear, the qualifying region is a polyhedron: a linear program
       (HiGHS) decides whether it is empty (then the target is impossible) and SLSQP finds its
       nearest point, a convex quadratic program, so the answer is exact (``exact=True``).
    4. Otherwise (products of parameters, ``min``/``max``, ...): ``sample`` points, half around
       the baseline and half over the ranges, are evaluated in one batch; the nearest
       qualifying ones are pulled towards the baseline along the segment joining them, and
       SLSQP (analytic objective, batched forward-difference constraint Jacobians) runs from
       those, from the baseline and from the solution of the problem linearised at the
       baseline, ``starts`` searches at most. That is a local search: "not found" is a search
       result, not a proof.

    Every answer is re-checked on the compiled payoffs before it is reported.

    Cost: a few batched payoff evaluations plus one quadratic program when linear; otherwise
    ``starts`` SLSQP runs of at most ``maxiter`` iterations, each iteration one batched
    evaluation of ``n + 1`` points. On the London scenario (17 parameters, products of
    parameters) about 0.3 s, against about 10 s for the 20-start search it replaced.

    Parameters
    ----------
    scenario
        The scenario (simultaneous timing).
    target
        One action per player (labels, or ``{player: action}``).
    margin
        Every unilateral deviation must lose at least this much.
    vary
        Parameters allowed to move (default: all with a finite declared range; a parameter
        whose range is a single value cannot move and is left out).
    fixed
        Overrides for the starting point (others at their declared values).
    starts
        Largest number of local searches (non-linear case).
    rng
        Random generator or seed (same seed, same answer).
    sample
        Points evaluated in one batch to find starts (non-linear case).
    maxiter
        Iteration limit of each local search.
    """
    with _one_blas_thread():
        return _parameter_change(
            scenario,
            target,
            margin=margin,
            vary=vary,
            fixed=fixed,
            starts=starts,
            rng=rng,
            sample=sample,
            maxiter=maxiter,
        )


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """BLAS on one thread for the duration.

    SLSQP's small dense solves run 10-50 times slower with OpenBLAS threads on a busy machine
    (measured: 0.5 ms against 24 ms per iteration on 17 variables with both cores loaded).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency; without it, only slower
        yield
        return
    with threadpool_limits(1, user_api="blas"):
        yield


def _parameter_change(
    scenario: Scenario,
    target: Sequence[str | int] | Mapping[str, str],
    *,
    margin: float,
    vary: Sequence[str] | None,
    fixed: Mapping[str, float] | None,
    starts: int,
    rng: np.random.Generator | int | None,
    sample: int,
    maxiter: int,
) -> ParameterChange:
    if not np.isfinite(margin) or margin < 0:
        raise WhatIfError(f"margin must be a non-negative number, got {margin}")
    _check_search(starts, sample, maxiter)
    if scenario.timing != "simultaneous":
        raise WhatIfError(
            "parameter_change works on simultaneous scenarios; for a sequential one, use "
            "payoff_change on its normal form (scenario.game())"
        )
    base = scenario.resolve(fixed or {})
    game0 = scenario.game(base)
    index = _target_index(game0, target)
    labels = tuple(game0.actions[p][i] for p, i in enumerate(index))
    box = _Box.of(scenario, base, vary)
    deviations = _deviations(game0, index)
    if not deviations:
        raise WhatIfError("every player has a single action: nothing can deviate")
    losses = _Losses(scenario, base, box.names, index, deviations)
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    problem = _Problem(losses, box, margin)
    problem.analyse(generator, sample, starts)
    if not problem.exact:
        problem.search(maxiter)
    impossible = None
    if problem.proof is not None:
        d, top = problem.proof
        impossible = (
            _linear_proof(
                game0.players[deviations[d][0]],
                game0.actions[deviations[d][0]][deviations[d][1][deviations[d][0]]],
                top,
                margin,
            )
            if d >= 0
            else (
                "the conditions, each linear in the parameters, cannot all hold at once "
                "(a linear program over the declared ranges has no solution)"
            )
        )
    point = problem.point
    values = distance = achieved = None
    if point is not None:
        values = dict(base)
        values.update({n: float(v) for n, v in zip(box.names, point, strict=True)})
        distance = box.distance(point)
        achieved = float(losses(point)[0].min())
    return ParameterChange(
        labels,
        point is not None,
        base,
        values,
        distance,
        achieved,
        problem.searches,
        float(margin),
        scenario.players,
        losses.evaluated,
        None if point is not None or not np.isfinite(problem.closest) else problem.closest,
        problem.exact,
        impossible,
    )


#: Largest random sample and number of local searches a search accepts.
MAX_SAMPLE = 1_000_000
MAX_STARTS = 1_000


def _check_search(starts: object, sample: object, maxiter: object) -> None:
    """Refuse search sizes that are not whole numbers in range, before any work."""
    for name, value, low, high in (
        ("starts", starts, 1, MAX_STARTS),
        ("sample", sample, 0, MAX_SAMPLE),
        ("maxiter", maxiter, 1, 100_000),
    ):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise WhatIfError(f"{name} must be a whole number, got {value!r}")
        if not low <= value <= high:
            raise WhatIfError(f"{name} must be from {low:,} to {high:,}, got {value:,}")


def _linear_proof(player: str, action: str, top: float, margin: float) -> str:
    """Why a linear condition that falls short everywhere makes the target impossible."""
    if top < 0:
        said = f"{player} gains at least {format_number(-top)} by switching to {action}"
    elif format_number(top) == "0":
        said = f"{player} never loses by switching to {action}"
    else:
        said = (
            f"{player} loses at most {format_number(top)} by switching to {action}, less "
            f"than the {format_number(margin)} required,"
        )
    return (
        f"{said} anywhere in the declared ranges (that payoff difference is linear in the "
        "parameters, so its extremes are at the ends of the ranges)"
    )


@dataclass(frozen=True)
class _Box:
    """The varied parameters: names, ranges, the base point, distances in range units."""

    names: tuple[str, ...]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    x0: NDArray[np.float64]

    @property
    def span(self) -> NDArray[np.float64]:
        span: NDArray[np.float64] = self.high - self.low
        return span

    def distance(self, point: NDArray[np.float64]) -> float:
        return float(np.linalg.norm((point - self.x0) / self.span)) if len(self.names) else 0.0

    @classmethod
    def of(cls, scenario: Scenario, base: Mapping[str, float], vary: Sequence[str] | None) -> _Box:
        """Parameters allowed to move: ``vary``, or all with a finite range; fixed ranges out."""
        names = (
            list(dict.fromkeys(vary))
            if vary is not None
            else [
                n for n, p in scenario.parameters.items() if p.min is not None and p.max is not None
            ]
        )
        for name in names:
            prm = scenario.parameters.get(name)
            if prm is None:
                raise WhatIfError(f"unknown parameter '{name}'")
            if prm.min is None or prm.max is None:
                raise WhatIfError(f"parameter '{name}' has no declared range to search")
        names = [
            n
            for n in names
            if scenario.parameters[n].max > scenario.parameters[n].min  # type: ignore[operator]
        ]
        return cls(
            tuple(names),
            np.array([scenario.parameters[n].min for n in names], dtype=float),
            np.array([scenario.parameters[n].max for n in names], dtype=float),
            np.array([base[n] for n in names], dtype=float),
        )


Conditions = Callable[[NDArray[np.float64]], NDArray[np.float64]]


class _Problem:
    """The nearest point of the box where every column of ``conditions(X)`` is >= ``margin``.

    :meth:`analyse` does the cheap part: the base point, linear models and their proofs, the
    exact answer when every condition is linear, else a batched sample, the nearest qualifying
    sampled point pulled towards the base (an upper bound, ``estimate``) and the starts of the
    local searches. :meth:`search` runs them (SLSQP). Every point kept has been re-checked on
    the conditions themselves.
    """

    def __init__(self, conditions: Conditions, box: _Box, margin: float) -> None:
        self.conditions = conditions
        self.box = box
        self.margin = margin
        self.point: NDArray[np.float64] | None = None
        self.distance = np.inf
        self.exact = False
        self.proof: tuple[int, float] | None = None  # (condition, its maximum); -1: an LP
        self.closest = -np.inf
        self.starts: list[NDArray[np.float64]] = []
        self.searches = 0

    @property
    def estimate(self) -> float:
        """The distance of the best point found so far (``inf`` if none)."""
        return self.distance

    def consider(self, point: NDArray[np.float64]) -> None:
        point = self._snap(point)
        worst = float(self.conditions(point)[0].min())
        self.closest = max(self.closest, worst)
        if worst >= self.margin - 1e-9:
            distance = self.box.distance(point)
            if distance < self.distance:
                self.point, self.distance = point, distance

    def _snap(self, point: NDArray[np.float64]) -> NDArray[np.float64]:
        """Moves below 1e-6 of a range (optimiser noise) put back to the base, if it still holds."""
        box = self.box
        tiny = np.abs(point - box.x0) < 1e-6 * box.span
        if not tiny.any() or tiny.all():
            return point
        snapped: NDArray[np.float64] = np.where(tiny, box.x0, point)
        if self.conditions(snapped)[0].min() >= self.margin - 1e-9:
            return snapped
        return point

    def analyse(self, generator: np.random.Generator, sample: int, starts: int) -> None:
        box, margin = self.box, self.margin
        x0 = box.x0
        self.consider(x0)
        if self.point is not None or not len(box.names):
            self.exact = self.point is not None
            return
        at_base = self.conditions(x0)[0]
        model = _linear_models(self.conditions, x0, box.low, box.high, generator)
        short = _short(model, x0, box.low, box.high, margin)
        if short is not None:
            self.proof, self.exact = short, True
            return
        if model.linear.all():
            point = _nearest_on_polyhedron(model, x0, box.low, box.high, box.span, margin)
            if point is None:
                self.proof, self.exact = (-1, float("nan")), True
                return
            self.consider(point)
            if np.isfinite(self.distance):
                self.exact = True
                return
        points = _samples(x0, box.low, box.high, max(sample, 0), generator)
        worst = self.conditions(points).min(axis=1) if len(points) else np.zeros(0)
        self.closest = max(self.closest, float(worst.max(initial=-np.inf)))
        feasible = points[worst >= margin]
        order = np.argsort(np.linalg.norm((feasible - x0) / box.span, axis=1))
        pulled = [_pull(self.conditions, x0, p, margin) for p in feasible[order[: max(starts, 1)]]]
        for point in pulled[:1]:
            self.consider(point)
        local = _local_gradient(self.conditions, x0, box.span)
        linearised = _nearest_on_polyhedron(
            _Linear(at_base, local, np.ones(len(at_base), dtype=bool)),
            x0,
            box.low,
            box.high,
            box.span,
            margin,
        )
        chosen: list[NDArray[np.float64]] = list(pulled)
        if linearised is not None:
            self.consider(linearised)
            chosen.insert(min(1, len(chosen)), linearised)
        if not len(feasible):
            chosen += [points[k] for k in np.argsort(-worst)[:2]]
        chosen.insert(min(2, len(chosen)), x0)
        self.starts = chosen[: max(starts, 1)]

    def search(self, maxiter: int) -> None:
        from scipy.optimize import minimize

        box, margin, conditions = self.box, self.margin, self.conditions
        x0, span = box.x0, box.span

        def jacobian(x: NDArray[np.float64]) -> NDArray[np.float64]:
            return _local_gradient(conditions, x, span)

        for start in self.starts:
            self.searches += 1
            res = minimize(
                lambda x: float(np.sum(((x - x0) / span) ** 2)),
                start,
                jac=lambda x: 2 * (x - x0) / span**2,
                bounds=list(zip(box.low, box.high, strict=True)),
                constraints=[
                    {"type": "ineq", "fun": lambda x: conditions(x)[0] - margin, "jac": jacobian}
                ],
                method="SLSQP",
                options={"maxiter": maxiter, "ftol": 1e-12},
            )
            self.consider(np.clip(res.x, box.low, box.high))
        self.starts = []


def _short(
    model: _Linear,
    x0: NDArray[np.float64],
    low: NDArray[np.float64],
    high: NDArray[np.float64],
    margin: float,
) -> tuple[int, float] | None:
    """A linear condition whose maximum over the box falls short of ``margin``: (index, max)."""
    reach = np.maximum(model.slopes * (low - x0), model.slopes * (high - x0)).sum(axis=1)
    best = model.at_base + reach
    scale = np.maximum(np.abs(model.at_base), 1.0)
    short = model.linear & (best < margin - 1e-9 * scale)
    if not short.any():
        return None
    d = int(np.argmin(np.where(short, best, np.inf)))
    return d, float(best[d])


def _local_gradient(
    conditions: Conditions, x: NDArray[np.float64], span: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Forward differences of the conditions at ``x``, all coordinates in one batch: ``(C, n)``."""
    h = 1e-7 * span
    values = conditions(np.vstack([x, x + np.diag(h)]))
    slopes: NDArray[np.float64] = ((values[1:] - values[0]) / h[:, None]).T
    return slopes


def _pull(
    conditions: Conditions, x0: NDArray[np.float64], point: NDArray[np.float64], margin: float
) -> NDArray[np.float64]:
    """The qualifying point nearest the base on a grid of the segment from the base to ``point``."""
    t = np.linspace(0.0, 1.0, SEGMENT_POINTS + 1)[1:]
    line = x0 + t[:, None] * (point - x0)
    ok = conditions(line).min(axis=1) >= margin
    first: NDArray[np.float64] = line[int(np.argmax(ok))] if ok.any() else point
    return first


def calibrate(
    scenario: Scenario,
    observed: Mapping[str, str],
    *,
    sample: int = 20_000,
    seed: int = 0,
    vary: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The region of parameter space where an observed outcome is an equilibrium, from a sweep.

    Parameters
    ----------
    scenario
        A simultaneous chip-form scenario.
    observed
        The observed choices, ``{chip: option}``; chips left out are free (e.g. the four
        choices the London report describes, leaving other chips open).
    sample, seed, vary
        The random sample over the declared ranges (see :func:`gametheory.sweep`).

    Returns
    -------
    dict
        ``share_equilibrium``: share of points where some pure equilibrium matches;
        ``share_unique``: share where the point's only equilibrium matches; ``ranges``: for each
        varied parameter, min, quartiles and max over the points where it is the unique
        equilibrium, beside the declared range; ``points``: those points (a DataFrame).
    """
    if scenario.form != "chips":
        raise WhatIfError("calibrate needs a scenario in chip form (observed choices by chip)")
    chips = {c.name: c for c in scenario.chips}
    for chip, option in observed.items():
        if chip not in chips:
            raise WhatIfError(f"unknown chip '{chip}'; chips are {', '.join(chips)}")
        if option not in chips[chip].options:
            raise WhatIfError(
                f"unknown option '{option}' for chip '{chip}'; options are "
                f"{', '.join(chips[chip].options)}"
            )
    from ...sweeps import sweep

    result = sweep(scenario, sample=sample, seed=seed, params=vary)
    table = result.table
    matches = np.ones(len(table), dtype=bool) & table["pure"].to_numpy(dtype=bool)
    for player, actions in zip(scenario.players, scenario.actions, strict=True):
        held = [c.name for c in scenario.chips if c.player == player]
        for k, chip in enumerate(held):
            if chip in observed:
                ok_actions = [a for a in actions if a.split("+")[k] == observed[chip]]
                chosen = table[[f"{player}:{a}" for a in ok_actions]].sum(axis=1).to_numpy()
                matches &= chosen >= 1 - 1e-9
    table = table.assign(matches=matches)
    per_point = table.groupby("point").agg(
        any_match=("matches", "any"), n=("n_equilibria", "first")
    )
    unique = per_point["any_match"] & (per_point["n"] == 1)
    points = table[table["point"].isin(per_point.index[unique])].drop_duplicates("point")
    ranges = {}
    for name in result.design.names:
        prm = scenario.parameters[name]
        values = points[name].to_numpy()
        ranges[name] = {
            "declared": [prm.min, prm.max],
            "min": float(values.min()) if len(values) else None,
            "q25": float(np.quantile(values, 0.25)) if len(values) else None,
            "median": float(np.median(values)) if len(values) else None,
            "q75": float(np.quantile(values, 0.75)) if len(values) else None,
            "max": float(values.max()) if len(values) else None,
        }
    return {
        "observed": dict(observed),
        "points": points.reset_index(drop=True),
        "share_equilibrium": float(per_point["any_match"].mean()),
        "share_unique": float(unique.mean()),
        "ranges": ranges,
        "sample": sample,
        "seed": seed,
    }


@dataclass(frozen=True)
class PredictionChange:
    """The nearest point of the parameter space where the predicted outcome changes.

    Attributes
    ----------
    prediction
        The predicted outcome at the base point (a single pure equilibrium), as a label.
    found
        Whether a point was found (and verified by solving the game there) with another outcome.
    baseline, values
        Parameter values at the base point and at the point found.
    distance
        Euclidean distance in units of each parameter's declared range.
    outcome
        The outcome at the point found: its equilibria, joined by ``" | "``.
    how
        ``"deviation"`` (a unilateral deviation from the prediction starts to pay) or
        ``"entry"`` (another pure profile becomes an equilibrium too).
    exact
        Whether that candidate was solved exactly (its conditions are linear in the parameters).
        The nearest change overall is exact only if every candidate was (``all_exact``).
    all_exact
        Every candidate was solved exactly or proved impossible: the distance is then the
        nearest change through pure equilibria, not a search result.
    candidates
        Number of candidate changes examined (deviations plus other pure profiles).
    """

    prediction: str
    found: bool
    baseline: Mapping[str, float]
    values: Mapping[str, float] | None
    distance: float | None
    outcome: str | None
    how: str | None
    exact: bool
    all_exact: bool
    candidates: int
    margin: float

    def changed(self) -> dict[str, tuple[float, float]]:
        """Parameters that moved: ``{name: (before, after)}``."""
        return _moved(self.baseline, self.values)

    def sentence(self) -> str:
        """A readable summary."""
        if not self.found:
            if self.all_exact:
                return (
                    f"No parameter values within the declared ranges change the prediction "
                    f"({self.prediction}) through pure equilibria: every way it could change is "
                    "linear in the parameters and out of reach."
                )
            return (
                f"No change of the prediction ({self.prediction}) was found within the declared "
                "ranges; this is a search result, not a proof."
            )
        moved = self.changed()
        parts = [f"{name} {_change(a, b)}" for name, (a, b) in moved.items()]
        share = format_number(100 * (self.distance or 0.0), 2)
        how = (
            "a side starts to gain by changing its own choice"
            if self.how == "deviation"
            else "another outcome becomes an equilibrium"
        )
        certainty = (
            "It is the nearest change through pure equilibria: every condition involved is "
            "linear in the parameters."
            if self.all_exact
            else "It is a search result (some conditions are not linear in the parameters): a "
            "nearer change may exist."
        )
        found = "" if self.all_exact else " found"
        return (
            f"The smallest joint move of the parameters that changes the prediction "
            f"({self.prediction}){found} is: {_join(parts)}, {share} % of the declared ranges "
            f"in all. There {how}; just past that tie the outcome becomes {self.outcome}. "
            + certainty
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "prediction": self.prediction,
            "found": self.found,
            "baseline": dict(self.baseline),
            "values": dict(self.values) if self.values is not None else None,
            "changed": {k: {"from": a, "to": b} for k, (a, b) in self.changed().items()},
            "distance": self.distance,
            "outcome": self.outcome,
            "how": self.how,
            "exact": self.exact,
            "all_exact": self.all_exact,
            "candidates": self.candidates,
            "margin": self.margin,
            "sentence": self.sentence(),
        }


#: Non-linear candidates whose local searches are run (those with the nearest sampled points).
SEARCHED_CANDIDATES = 3


def prediction_change(
    scenario: Scenario,
    *,
    values: Mapping[str, float] | None = None,
    vary: Sequence[str] | None = None,
    margin: float = 1e-6,
    rng: np.random.Generator | int | None = 0,
    sample: int = 1024,
    starts: int = 2,
    maxiter: int = 200,
) -> PredictionChange:
    """The nearest point (in units of each parameter's range) where the prediction changes.

    The prediction must be a single pure equilibrium ``a``. It changes where either some
    unilateral deviation from ``a`` starts to pay (by at least ``margin``), or another pure
    profile ``b`` becomes an equilibrium (every deviation from it losing at least ``margin``).
    Each of these candidates is the problem :func:`parameter_change` solves (exactly where its
    conditions are linear in the parameters; impossible ones proved so); the non-linear
    candidates with the nearest sampled points (:data:`SEARCHED_CANDIDATES`) get local searches.
    The nearest candidate point is verified by solving the game there.

    Limits: a change through mixed equilibria alone (two mixed equilibria appearing while ``a``
    stays an equilibrium) is not searched; with non-linear payoffs the answer is a search result.

    Cost: one small problem per deviation and per other pure profile (41 on London), a few
    batched payoff evaluations each, plus at most ``SEARCHED_CANDIDATES * starts`` SLSQP runs.
    """
    from ...solvers import solve

    if not np.isfinite(margin) or margin <= 0:
        raise WhatIfError(f"margin must be a positive number, got {margin}")
    _check_search(starts, sample, maxiter)
    if scenario.timing != "simultaneous":
        raise WhatIfError("prediction_change works on simultaneous scenarios")
    profiles = math.prod(len(a) for a in scenario.actions)
    if profiles > MAX_CANDIDATES:
        raise WhatIfError(
            f"the game has {profiles:,} pure profiles, more than the {MAX_CANDIDATES:,} "
            "prediction_change examines (one problem each); use thresholds or parameter_change "
            "with a target"
        )
    base = scenario.resolve(values or {})
    game0 = scenario.game(base)
    result = solve(game0)
    eqs = list(result.equilibria)
    if len(eqs) != 1 or not eqs[0].is_pure:
        raise WhatIfError(
            f"the prediction at these values is {len(eqs)} equilibria"
            + ("" if len(eqs) != 1 else " (mixed)")
            + "; prediction_change needs a single pure equilibrium"
        )
    index = tuple(int(np.argmax(s)) for s in eqs[0].strategies)
    prediction = _label(game0, index)
    box = _Box.of(scenario, base, vary)
    if not box.names:
        raise WhatIfError("no parameter with a declared range (of more than one value) to move")
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    with _one_blas_thread():
        problems = _candidates(scenario, base, box, index, margin)
        for _, problem in problems:
            problem.analyse(generator, sample, starts)
        searchable = sorted(
            (p for _, p in problems if not p.exact and p.proof is None),
            key=lambda p: p.estimate,
        )
        for problem in searchable[:SEARCHED_CANDIDATES]:
            problem.search(maxiter)
    found = [(p.distance, k) for k, (_, p) in enumerate(problems) if p.point is not None]
    all_exact = all(p.exact for _, p in problems)
    if not found:
        return PredictionChange(
            prediction, False, base, None, None, None, None, False, all_exact, len(problems), margin
        )
    nearest = min(d for d, _ in found)
    # Among candidates as near (to 1e-6, a search's tolerance), an exact one is preferred.
    tied = [(not problems[k][1].exact, d, k) for d, k in found if d <= nearest * (1 + 1e-6) + 1e-12]
    *_, best = min(tied)
    how, problem = problems[best]
    assert problem.point is not None
    at = dict(base)
    at.update({n: float(v) for n, v in zip(box.names, problem.point, strict=True)})
    there = solve(scenario.game(at))
    outcome = " | ".join(_equilibrium_label(game0, eq) for eq in there.equilibria)
    return PredictionChange(
        prediction,
        outcome != prediction,
        base,
        at,
        problem.distance,
        outcome,
        how,
        problem.exact,
        all_exact,
        len(problems),
        margin,
    )


def _label(game: Game, index: tuple[int, ...]) -> str:
    return " / ".join(
        f"{p}: {game.actions[k][i]}"
        for k, (p, i) in enumerate(zip(game.players, index, strict=True))
    )


def _equilibrium_label(game: Game, eq: Any) -> str:
    if eq.is_pure:
        return _label(game, tuple(int(np.argmax(s)) for s in eq.strategies))
    return str(eq.describe())


def _candidates(
    scenario: Scenario,
    base: Mapping[str, float],
    box: _Box,
    index: tuple[int, ...],
    margin: float,
) -> list[tuple[str, _Problem]]:
    """One problem per deviation from the prediction and per other pure profile."""
    game0 = scenario.game(base)
    deviations = _deviations(game0, index)
    losses = _Losses(scenario, base, box.names, index, deviations)
    out: list[tuple[str, _Problem]] = []
    for d in range(len(deviations)):

        def gains(X: NDArray[np.float64], d: int = d) -> NDArray[np.float64]:
            loss: NDArray[np.float64] = -losses(X)[:, [d]]
            return loss

        out.append(("deviation", _Problem(gains, box, margin)))
    for other in np.ndindex(*game0.shape):
        if other == index:
            continue
        others = _Losses(scenario, base, box.names, other, _deviations(game0, other))
        out.append(("entry", _Problem(others, box, margin)))
    return out


def _moved(
    baseline: Mapping[str, float], values: Mapping[str, float] | None
) -> dict[str, tuple[float, float]]:
    """``{name: (before, after)}`` for the parameters that moved by more than 1e-9 relative."""
    if values is None:
        return {}
    return {
        name: (baseline[name], value)
        for name, value in values.items()
        if abs(value - baseline[name]) > 1e-9 * max(1.0, abs(baseline[name]))
    }
