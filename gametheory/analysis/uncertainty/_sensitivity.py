"""Which judgement calls matter: global sensitivity of a scenario's prediction (issue 11, part 4).

Every parameter is drawn from its belief (:attr:`gametheory.model.scenario.Parameter.belief`:
the declared distribution, else uniform over the declared range). SALib samples the unit
hypercube; each coordinate ``u`` becomes a parameter value through the belief's quantile
function, ``x = belief.ppf(u)``, so the indices are those of the outputs under the declared
beliefs. All points are solved together by the sweeps' batched solver
(:func:`gametheory.sweeps.table.solve_chunk`).

Outputs
-------
``baseline holds``
    1 where the point's joint outcome (the set of its equilibria, labelled as sweeps label it)
    is the one at the baseline, else 0. Its mean is the probability that the prediction holds;
    its indices say which beliefs that probability hangs on.
``payoff:PLAYER``
    Each player's equilibrium payoff. Where a point has several equilibria the rule is stated
    in the result (``selection``): ``"mean"`` (default), the mean over the equilibria the
    solver lists (the extreme equilibria of each connected set, so a continuum counts by its
    extreme points), or ``"first"``, the first in the solver's order (pure first). Points
    without any equilibrium (or whose payoffs are not finite) leave the payoff outputs
    undefined; they are then left out, and the result says why.

Methods
-------
``"sobol"``
    Saltelli's sampling on a scrambled Sobol' sequence (``n`` base points, ``n * (k + 2)``
    evaluations for ``k`` parameters) and the Saltelli (2010) / Jansen estimators of the
    first-order index ``S1`` (share of the output's variance explained by the parameter
    alone) and the total index ``ST`` (share involving it, interactions included), with
    bootstrap confidence intervals (SALib's ``sobol.analyze``). Saltelli et al., *Global
    Sensitivity Analysis: The Primer*, Wiley 2008; Saltelli et al., Comput. Phys. Commun. 181
    (2010) 259-270.
``"morris"``
    Morris (1991) elementary effects on ``n`` trajectories of ``k + 1`` points (``n * (k + 1)``
    evaluations), for screening many parameters cheaply: ``mu_star`` is the mean absolute
    change of the output for one step, ``sigma`` the standard deviation of the changes
    (non-linearity and interactions). The ``levels`` grid points are placed at the centres of
    equal-probability bins, ``(j + 1/2) / levels``, so no point sits at a range end (where
    hand-written payoffs are often degenerate), and a step moves the parameter by half of its
    probability scale (``levels = 4``: from the 1/8 quantile to the 5/8, or 3/8 to 7/8). Campolongo,
    Cariboni and Saltelli, Environ. Model. Softw. 22 (2007) 1509-1518, for ``mu_star``.

Limits: at most :data:`MAX_POINTS` evaluations and :data:`MAX_CELLS` sampled values in one
call (checked before sampling); Sobol' needs ``n`` a power of two; parameters without a
belief (an unbounded range and no declared distribution) and those whose belief is a single
value are held at the baseline and listed in ``fixed``. A constant output (e.g. the prediction
holds at every point) has no variance to share out: its indices are reported as 0 with
``constant=True``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._format import format_number
from ...errors import GameTheoryError, ScenarioError
from ...model.game import DEFAULT_TOL
from ...model.scenario import Scenario
from ...sweeps.results import auto_chunk_size, joint_outcomes
from ...sweeps.table import solve_chunk
from ._thresholds import _PointsDesign

__all__ = [
    "MAX_CELLS",
    "MAX_POINTS",
    "METHODS",
    "SELECTIONS",
    "OutputIndices",
    "Sensitivity",
    "sensitivity",
]

#: Most points one sensitivity analysis evaluates (about 0.1 s of solving per 1,000 points on
#: a two-player scenario the size of London's).
MAX_POINTS = 1_000_000
#: Most sampled values (points x parameters) held at once: 64 million, 512 MB of float64.
MAX_CELLS = 64_000_000
METHODS = ("sobol", "morris")
#: Rules for a point with several equilibria.
SELECTIONS = ("mean", "first")
#: The output name of the indicator.
HOLDS = "baseline holds"


@dataclass(frozen=True)
class OutputIndices:
    """Sensitivity indices of one output, one entry per varied parameter.

    Attributes
    ----------
    output
        ``"baseline holds"`` or ``"payoff:PLAYER"``.
    mean, variance
        Of the output over the points evaluated.
    constant
        The output is the same at every point: no variance to share out (indices are 0).
    first, first_conf, total, total_conf
        Sobol' first-order and total indices and the half-widths of their bootstrap confidence
        intervals (``None`` for Morris).
    mu_star, mu_star_conf, sigma
        Morris screening measures, per step of half the probability scale (``None`` for Sobol').
    """

    output: str
    mean: float
    variance: float
    constant: bool
    names: tuple[str, ...]
    first: tuple[float, ...] | None = None
    first_conf: tuple[float, ...] | None = None
    total: tuple[float, ...] | None = None
    total_conf: tuple[float, ...] | None = None
    mu_star: tuple[float, ...] | None = None
    mu_star_conf: tuple[float, ...] | None = None
    sigma: tuple[float, ...] | None = None

    @property
    def importance(self) -> tuple[float, ...]:
        """The measure parameters are ranked by: ``total`` (Sobol') or ``mu_star`` (Morris)."""
        measure = self.total if self.total is not None else self.mu_star
        assert measure is not None
        return measure

    def ranked(self) -> list[tuple[str, float]]:
        """``(name, importance)`` from the most to the least important."""
        pairs = list(zip(self.names, self.importance, strict=True))
        return sorted(pairs, key=lambda pair: (-pair[1], self.names.index(pair[0])))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        out: dict[str, Any] = {
            "output": self.output,
            "mean": self.mean,
            "variance": self.variance,
            "constant": self.constant,
            "parameters": {},
        }
        for k, name in enumerate(self.names):
            row: dict[str, float] = {}
            for attr in ("first", "first_conf", "total", "total_conf"):
                values = getattr(self, attr)
                if values is not None:
                    row[attr] = values[k]
            for attr in ("mu_star", "mu_star_conf", "sigma"):
                values = getattr(self, attr)
                if values is not None:
                    row[attr] = values[k]
            out["parameters"][name] = row
        return out


@dataclass(frozen=True)
class Sensitivity:
    """Global sensitivity of a scenario's prediction and payoffs to its parameters.

    Attributes
    ----------
    title
        The scenario's title.
    method
        ``"sobol"`` or ``"morris"``.
    n, seed, points
        Base sample size (Sobol') or trajectories (Morris), the seed, and the number of points
        evaluated.
    names, fixed
        Parameters varied (through their beliefs) and held at the baseline.
    beliefs
        Each varied parameter's belief, in words.
    baseline, baseline_outcome
        The parameter values of the baseline and its joint outcome.
    selection
        The rule for a point with several equilibria (see the module docstring), in words.
    shares
        Share of the points with a unique equilibrium, several, and none (or unsolvable).
    outputs
        One :class:`OutputIndices` per output: ``baseline holds`` first, then each player's
        payoff (left out when some point has no equilibrium: see ``notes``).
    conf_level
        Confidence level of the bootstrap intervals.
    notes
        What was left out and why, in words.
    """

    title: str
    method: str
    n: int
    seed: int
    points: int
    names: tuple[str, ...]
    fixed: tuple[str, ...]
    beliefs: Mapping[str, str]
    baseline: Mapping[str, float]
    baseline_outcome: str
    selection: str
    shares: Mapping[str, float]
    outputs: tuple[OutputIndices, ...]
    conf_level: float
    notes: tuple[str, ...] = ()

    def output(self, name: str) -> OutputIndices:
        """The indices of one output (``"baseline holds"`` or ``"payoff:PLAYER"``)."""
        for out in self.outputs:
            if out.output == name:
                return out
        raise KeyError(name)

    @property
    def holds(self) -> OutputIndices:
        """The indices of the indicator "the baseline outcome holds"."""
        return self.output(HOLDS)

    def describe(self) -> str:
        """The main finding in plain words."""
        holds = self.holds
        if holds.constant:
            return (
                f"The baseline outcome ({self.baseline_outcome}) "
                + ("holds at every point" if holds.mean > 0.5 else "holds at no point")
                + f" of the {self.points:,} evaluated, so no parameter moves it."
            )
        ranked = [(n, v) for n, v in holds.ranked() if v >= 0.05]
        measure = "total Sobol' index" if self.method == "sobol" else "Morris mu*"
        if not ranked:
            said = "no single parameter explains 5 % of it"
        else:
            said = "it hangs mostly on " + _join(
                [f"{n} ({measure} {format_number(v, 2)})" for n, v in ranked[:3]]
            )
        design = "Sobol' (Saltelli) design" if self.method == "sobol" else "Morris trajectories"
        return (
            f"The baseline outcome ({self.baseline_outcome}) holds at "
            f"{format_number(100 * holds.mean, 3)} % of the {self.points:,} points of the "
            f"{design}; {said}."
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "title": self.title,
            "method": self.method,
            "n": self.n,
            "seed": self.seed,
            "points": self.points,
            "parameters": list(self.names),
            "fixed": list(self.fixed),
            "beliefs": dict(self.beliefs),
            "baseline": dict(self.baseline),
            "baseline_outcome": self.baseline_outcome,
            "selection": self.selection,
            "shares": dict(self.shares),
            "conf_level": self.conf_level,
            "outputs": [o.to_dict() for o in self.outputs],
            "notes": list(self.notes),
        }


def sensitivity(
    scenario: Scenario,
    *,
    n: int = 512,
    seed: int = 0,
    method: str = "sobol",
    params: Sequence[str] | None = None,
    values: Mapping[str, float] | None = None,
    selection: str = "mean",
    levels: int = 4,
    num_resamples: int = 100,
    conf_level: float = 0.95,
    tol: float = DEFAULT_TOL,
) -> Sensitivity:
    """Global sensitivity (Sobol' or Morris) of the prediction and payoffs to the beliefs.

    Parameters
    ----------
    scenario
        A simultaneous scenario.
    n
        Sobol': base sample size, a power of two (``n * (k + 2)`` points for ``k``
        parameters). Morris: number of trajectories (``n * (k + 1)`` points).
    seed
        Seed of the sample and of the bootstrap (same seed, same numbers).
    method
        ``"sobol"`` (first-order and total indices) or ``"morris"`` (screening).
    params
        Parameters to vary (default: every parameter with a belief); the others stay at the
        baseline.
    values
        Overrides of the baseline (the point whose outcome the indicator tests, and the values
        of the parameters held fixed).
    selection
        ``"mean"`` or ``"first"``: the payoff of a point with several equilibria.
    levels
        Morris grid levels (even, at least 2).
    num_resamples, conf_level
        Bootstrap resamples and confidence level of the intervals.
    tol
        The solver's relative regret tolerance.

    Returns
    -------
    Sensitivity

    Raises
    ------
    ScenarioError
        Bad arguments, unknown parameters, a sequential scenario, no parameter to vary, or more
        than :data:`MAX_POINTS` points; all before any point is solved.

    Notes
    -----
    Cost: the points are solved in chunks by the batched solver; SALib's bootstrap adds
    ``num_resamples`` resamples per index. London (17 parameters), Sobol' with ``n = 512``:
    9,728 points, about 1 s.
    """
    _check_arguments(n, seed, method, selection, levels, num_resamples, conf_level)
    if scenario.timing != "simultaneous":
        raise ScenarioError(
            "sensitivity of sequential scenarios is not supported yet; use the simultaneous "
            "version",
            file=scenario.path,
        )
    base = scenario.resolve(values or {})
    names, fixed = _varied(scenario, params)
    k = len(names)
    count = n * (k + 2) if method == "sobol" else n * (k + 1)
    if count > MAX_POINTS:
        raise ScenarioError(
            f"{method} with n = {n:,} and {k} parameters needs {count:,} points, more than the "
            f"limit of {MAX_POINTS:,}; lower n"
        )
    if count * k > MAX_CELLS:
        raise ScenarioError(
            f"{method} with n = {n:,} and {k} parameters needs {count:,} points x {k} values "
            f"({8 * count * k / 2**20:,.0f} MB for the sample alone), more than the limit of "
            f"{MAX_CELLS:,} values; lower n or vary fewer parameters (params=...)"
        )
    problem = {"num_vars": k, "names": list(names), "bounds": [[0.0, 1.0]] * k}
    unit = _sample(problem, method, n, levels, seed)
    probabilities = (unit * (levels - 1) + 0.5) / levels if method == "morris" else unit
    columns = {
        name: np.full(len(unit) + 1, value, dtype=np.float64) for name, value in base.items()
    }
    for j, name in enumerate(names):
        belief = scenario.parameters[name].belief
        columns[name][1:] = belief.ppf(probabilities[:, j])
    labels, payoffs, counts = _solve(scenario, columns, selection, tol)
    baseline_outcome = str(labels[0])
    holds = (labels[1:] == baseline_outcome).astype(np.float64)
    counts = counts[1:]
    payoffs = payoffs[1:]
    outputs = [
        _indices(HOLDS, problem, unit, holds, method, levels, num_resamples, conf_level, seed)
    ]
    notes: list[str] = []
    if np.isnan(payoffs).any():
        missing = int(np.isnan(payoffs).any(axis=1).sum())
        notes.append(
            f"{missing:,} of {len(holds):,} points have no equilibrium (or payoffs that are not "
            "finite), so the payoff outputs are left out"
        )
    else:
        for p, player in enumerate(scenario.players):
            outputs.append(
                _indices(
                    f"payoff:{player}",
                    problem,
                    unit,
                    payoffs[:, p],
                    method,
                    levels,
                    num_resamples,
                    conf_level,
                    seed,
                )
            )
    total = max(len(counts), 1)
    shares = {
        "unique": float((counts == 1).sum() / total),
        "several": float((counts > 1).sum() / total),
        "none": float((counts < 1).sum() / total),
    }
    rule = (
        "mean over the equilibria the solver lists (the extreme equilibria of each set)"
        if selection == "mean"
        else "the first equilibrium in the solver's order (pure first)"
    )
    return Sensitivity(
        title=scenario.title,
        method=method,
        n=n,
        seed=seed,
        points=len(holds),
        names=names,
        fixed=fixed,
        beliefs={name: scenario.parameters[name].belief.describe() for name in names},
        baseline=base,
        baseline_outcome=baseline_outcome,
        selection=rule,
        shares=shares,
        outputs=tuple(outputs),
        conf_level=conf_level,
        notes=tuple(notes),
    )


def _check_arguments(
    n: object,
    seed: object,
    method: str,
    selection: str,
    levels: object,
    num_resamples: object,
    conf_level: object,
) -> None:
    """Refuse bad arguments before any work."""
    if method not in METHODS:
        raise ScenarioError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    if selection not in SELECTIONS:
        raise ScenarioError(f"selection must be one of {', '.join(SELECTIONS)}, got {selection!r}")
    for name, value, low in (("n", n, 2), ("seed", seed, 0), ("num_resamples", num_resamples, 1)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low:
            raise ScenarioError(f"{name} must be a whole number >= {low}, got {value!r}")
    if method == "sobol" and n & (n - 1):  # type: ignore[operator]
        raise ScenarioError(
            f"n must be a power of two for Sobol' sampling (its points balance only then), got {n}"
        )
    if (
        isinstance(levels, bool)
        or not isinstance(levels, int | np.integer)
        or levels < 2
        or levels % 2
    ):
        raise ScenarioError(f"levels must be an even whole number >= 2, got {levels!r}")
    if (
        isinstance(conf_level, bool)
        or not isinstance(conf_level, int | float)
        or not 0 < conf_level < 1
    ):
        raise ScenarioError(
            f"conf_level must be a number strictly between 0 and 1, got {conf_level!r}"
        )


def _varied(
    scenario: Scenario, params: Sequence[str] | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The parameters varied through their beliefs, and those held at the baseline."""
    if params is not None:
        wanted = list(dict.fromkeys(params))
        scenario.resolve(
            {
                name: scenario.parameters[name].value
                for name in wanted
                if name in scenario.parameters
            }
        )
        unknown = [name for name in wanted if name not in scenario.parameters]
        if unknown:
            raise ScenarioError(
                f"unknown parameter '{unknown[0]}' (declared parameters: "
                f"{', '.join(scenario.parameters) or 'none'})",
                file=scenario.path,
            )
    else:
        wanted = list(scenario.parameters)
    names = []
    for name in wanted:
        try:
            belief = scenario.parameters[name].belief
        except GameTheoryError:
            if params is not None:
                raise
            continue
        spread = belief.ppf(np.array([0.0, 1.0]))
        if spread[1] > spread[0]:
            names.append(name)
    if not names:
        raise ScenarioError(
            "no parameter to vary: give parameters a range (uniform belief) or a distribution",
            file=scenario.path,
        )
    fixed = tuple(name for name in scenario.parameters if name not in names)
    return tuple(names), fixed


def _sample(
    problem: dict[str, Any], method: str, n: int, levels: int, seed: int
) -> NDArray[np.float64]:
    """Points of the unit hypercube from SALib."""
    if method == "sobol":
        from SALib.sample import sobol as sobol_sample

        unit: NDArray[np.float64] = sobol_sample.sample(
            problem, n, calc_second_order=False, scramble=True, seed=_salib_seed(seed)
        )
    else:
        from SALib.sample import morris as morris_sample

        unit = morris_sample.sample(problem, n, num_levels=levels, seed=_salib_seed(seed))
    return np.asarray(unit, dtype=np.float64)


def _solve(
    scenario: Scenario, columns: dict[str, NDArray[np.float64]], selection: str, tol: float
) -> tuple[NDArray[np.object_], NDArray[np.float64], NDArray[np.int64]]:
    """Joint outcome label, selected payoffs and number of equilibria at every point."""
    count = len(next(iter(columns.values())))
    names = tuple(columns)
    design = _PointsDesign("points", names, count, columns=columns)
    chunk = auto_chunk_size(scenario)
    players = scenario.players
    labels = np.empty(count, dtype=object)
    payoffs = np.full((count, len(players)), np.nan)
    counts = np.zeros(count, dtype=np.int64)
    for start in range(0, count, chunk):
        table = solve_chunk(scenario, design, start, min(start + chunk, count), tol=tol)
        point = table["point"].to_numpy(dtype=np.int64)
        ok = table["status"].to_numpy(dtype=object) == "ok"
        joined = joint_outcomes(point, table["outcome"].to_numpy(dtype=object))
        first = np.unique(point, return_index=True)[1]
        status = table["status"].to_numpy(dtype=object)[first]
        where = np.unique(point)
        labels[where] = np.where(status == "ok", joined, status)
        counts[where] = np.where(status == "ok", table["n_equilibria"].to_numpy()[first], 0)
        values = table[[f"payoff:{p}" for p in players]].to_numpy(dtype=np.float64)
        real = ok & (table["equilibrium"].to_numpy() >= 0) & np.isfinite(values).all(axis=1)
        if selection == "first":
            pick = real & (table["equilibrium"].to_numpy() == 0)
            payoffs[point[pick]] = values[pick]
        else:
            sums = np.zeros((count, len(players)))
            seen = np.zeros(count)
            np.add.at(sums, point[real], values[real])
            np.add.at(seen, point[real], 1.0)
            has = seen > 0
            payoffs[has] = sums[has] / seen[has, None]
    return labels, payoffs, counts


def _indices(
    output: str,
    problem: dict[str, Any],
    unit: NDArray[np.float64],
    y: NDArray[np.float64],
    method: str,
    levels: int,
    num_resamples: int,
    conf_level: float,
    seed: int,
) -> OutputIndices:
    """SALib's indices of one output (zeros for a constant output)."""
    names = tuple(problem["names"])
    k = len(names)
    mean, variance = float(y.mean()), float(y.var())
    scale = max(abs(mean), 1.0)
    if variance <= (1e-12 * scale) ** 2:
        zeros = (0.0,) * k
        if method == "sobol":
            return OutputIndices(output, mean, variance, True, names, zeros, zeros, zeros, zeros)
        return OutputIndices(
            output, mean, variance, True, names, mu_star=zeros, mu_star_conf=zeros, sigma=zeros
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        if method == "sobol":
            from SALib.analyze import sobol as sobol_analyze

            got = sobol_analyze.analyze(
                problem,
                y,
                calc_second_order=False,
                num_resamples=num_resamples,
                conf_level=conf_level,
                print_to_console=False,
                seed=_salib_seed(seed),
            )
            return OutputIndices(
                output,
                mean,
                variance,
                False,
                names,
                first=_floats(got["S1"]),
                first_conf=_floats(got["S1_conf"]),
                total=_floats(got["ST"]),
                total_conf=_floats(got["ST_conf"]),
            )
        from SALib.analyze import morris as morris_analyze

        got = morris_analyze.analyze(
            problem,
            unit,
            y,
            num_resamples=num_resamples,
            conf_level=conf_level,
            print_to_console=False,
            num_levels=levels,
            seed=_salib_seed(seed),
        )
    # SALib divides each change by the step in the unit cube, levels / (2 (levels - 1)); the
    # change per step itself is what a reader can interpret.
    step = levels / (2 * (levels - 1))
    return OutputIndices(
        output,
        mean,
        variance,
        False,
        names,
        mu_star=_floats(np.asarray(got["mu_star"]) * step),
        mu_star_conf=_floats(np.asarray(got["mu_star_conf"]) * step),
        sigma=_floats(np.asarray(got["sigma"]) * step),
    )


def _salib_seed(seed: int) -> int:
    """The seed handed to SALib, shifted by one.

    SALib's bootstrap tests ``if seed:``, so 0 would draw unseeded resamples (SALib 1.5-1.6).
    """
    return seed + 1


def _floats(values: Any) -> tuple[float, ...]:
    return tuple(float(v) if math.isfinite(float(v)) else 0.0 for v in np.asarray(values))


def _join(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)
