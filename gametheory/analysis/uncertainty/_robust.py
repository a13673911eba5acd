"""Outcome probabilities: how likely each outcome is, given the beliefs about the parameters.

:func:`uncertainty` draws ``n`` parameter points from the declared beliefs (each parameter's
:attr:`~gametheory.model.scenario.Parameter.belief`: its distribution, or uniform over its
range), solves every point with the sweeps' batched solver, and counts the joint outcome
labels (the set of equilibria at a point, labelled as :func:`gametheory.sweeps.results.
joint_outcomes` labels it). It reports

- the probability of each outcome, with a Wilson score interval (Wilson 1927; Agresti and Coull
  1998, eq. 2);
- the probability that the baseline prediction (the outcome at the declared values) holds;
- the shares of points with a unique equilibrium, several isolated ones, a continuum (a
  connected set of equilibria: a degenerate game), or none found. A point with several
  equilibria is counted under its whole set of equilibria, never under one picked from it.

Sampling
--------
Points are drawn as uniform numbers ``u`` in ``[0, 1]^d`` (one column per parameter that
varies) and mapped through each belief's inverse distribution function
(:meth:`~gametheory.model.distributions.Distribution.ppf`), so the parameters are independent.

``"random"``
    Independent uniform numbers from numpy's generator, in blocks of
    :data:`gametheory.sweeps.design.BLOCK` points, block ``b`` seeded with ``(seed, b)``.
``"lhs"``
    Latin hypercube (McKay, Beckman and Conover 1979): each column's ``n`` strata used once,
    in a random order, at a random place inside the stratum. The construction is that of
    ``scipy.stats.qmc.LatinHypercube`` with ``scramble=True``, but built as the sweeps build it
    (one permutation per column, jitter by blocks) so that any slice of the sample can be made
    on its own, in any process.
``"sobol"``
    Scrambled Sobol' points (``scipy.stats.qmc.Sobol``, Owen scrambling seeded with ``seed``),
    each chunk made by fast-forwarding to its first point. Their balance properties hold for
    ``n`` a power of two.

The points depend only on the seed, the method and their index, never on chunks or executors,
so the numbers are the same inline, in processes and on Dask.

The Wilson interval treats the points as independent draws. For ``"lhs"`` and ``"sobol"`` the
estimate's variance is usually smaller, so the interval is conservative there.

Cost and limits
---------------
About as much as a sweep of ``n`` points (the solver dominates; a truncated normal, lognormal,
beta or PERT inverse costs 0.5-3 microseconds per value). Memory stays bounded: chunks are
counted as they arrive; only a Latin hypercube keeps one permutation per varying parameter
(4 bytes per point each, at most :data:`MAX_LHS_BYTES` in all). At most
:data:`gametheory.sweeps.design.MAX_POINTS` points.
"""

from __future__ import annotations

import math
import secrets
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ...errors import ScenarioError
from ...model.distributions import Distribution
from ...model.game import DEFAULT_TOL
from ...model.scenario import Scenario, copula_matrix
from ...solvers.batch import MAX_LABELS
from ...solvers.enumeration import BATCH_MAX_BASES
from ...solvers.polytope import bases_count
from ...sweeps.design import MAX_POINTS, Design
from ...sweeps.results import EXECUTORS, MAX_WORKERS, auto_chunk_size, point_outcomes
from ...sweeps.run import check_method, run_chunks
from ...sweeps.table import solve_chunk

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "MAX_LHS_BYTES",
    "METHODS",
    "Outcome",
    "Uncertainty",
    "uncertainty",
    "wilson_interval",
]

#: How the uniform numbers are drawn.
METHODS = ("random", "lhs", "sobol")
#: Memory a Latin hypercube's permutations may take (4 bytes per point and varying parameter).
MAX_LHS_BYTES = 512 * 2**20
#: The normal quantile of a two-sided 95 % interval, Phi^-1(0.975).
Z95 = 1.959963984540054
#: How the equilibria at a point are counted.
KINDS = ("unique", "several", "continuum", "none")


def wilson_interval(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (95 % by default).

    ``(p + z^2/(2n) -+ z sqrt(p(1-p)/n + z^2/(4n^2))) / (1 + z^2/n)`` with ``p = k/n``
    (Wilson 1927; Agresti and Coull 1998, eq. 2). Unlike the normal approximation it stays
    inside ``[0, 1]`` and is not empty at ``k = 0`` or ``k = n``.

    >>> [round(v, 4) for v in wilson_interval(5, 10)]
    [0.2366, 0.7634]
    """
    if trials <= 0:
        return (0.0, 1.0)
    n = float(trials)
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class Outcome:
    """One joint outcome and how likely it is.

    Attributes
    ----------
    outcome
        The joint outcome label (several equilibria joined by ``" | "``).
    points
        Points where it holds.
    probability, low, high
        Its share of the points and the Wilson 95 % interval.
    kind
        ``"unique"``, ``"several"``, ``"continuum"`` or ``"none"`` (what the equilibria at its
        points are).
    """

    outcome: str
    points: int
    probability: float
    low: float
    high: float
    kind: str

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "outcome": self.outcome,
            "points": self.points,
            "probability": self.probability,
            "low": self.low,
            "high": self.high,
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Uncertainty:
    """Outcome probabilities under the declared beliefs (see the module docstring).

    Attributes
    ----------
    title
        The scenario's title.
    n, seed, method
        Points drawn, the seed and the sampling method (``random``, ``lhs``, ``sobol``).
    beliefs
        The belief of each parameter that varies, in plain words.
    fixed
        The parameters held fixed and their values (overrides, and parameters without a belief:
        no distribution and an unbounded range).
    baseline
        Every parameter's value at the baseline point.
    baseline_outcome
        The joint outcome there (the prediction).
    baseline_holds, baseline_low, baseline_high
        The probability that the outcome is the prediction, and its Wilson 95 % interval.
    outcomes
        Every outcome seen, most likely first.
    kinds
        Points with a ``unique`` equilibrium, ``several`` isolated ones, a ``continuum`` and
        ``none`` found (or a payoff not finite there).
    complete
        Points whose list of equilibria is known to be complete (for games of three or more
        players only pure equilibria are sought, so mostly none).
    solver, tol
        The solver and its tolerance.
    continuum_detected
        Whether the solver reports connected sets (the batched two-player solver does); if not,
        a continuum is counted under ``several``.
    out
        The per-point Parquet file, if one was written.
    notes
        Caveats in plain words (a continuum not detected, pure equilibria only, Sobol' size).
    distributions
        The belief of each parameter that varies, as :class:`Distribution` objects.
    correlations
        The rank correlations drawn (those between parameters that vary).
    """

    title: str
    n: int
    seed: int
    method: str
    beliefs: Mapping[str, str]
    fixed: Mapping[str, float]
    baseline: Mapping[str, float]
    baseline_outcome: str
    baseline_holds: float
    baseline_low: float
    baseline_high: float
    outcomes: tuple[Outcome, ...]
    kinds: Mapping[str, int]
    complete: int
    solver: str
    tol: float
    continuum_detected: bool
    out: str | None = None
    notes: tuple[str, ...] = field(default=())
    distributions: Mapping[str, Distribution] = field(default_factory=dict)
    correlations: tuple[tuple[str, str, float], ...] = ()

    def share(self, kind: str) -> float:
        """Share of the points whose equilibria are of ``kind`` (see :data:`KINDS`)."""
        return self.kinds.get(kind, 0) / self.n if self.n else 0.0

    def probability(self, outcome: str) -> float:
        """Probability of one joint outcome label (0 if never seen)."""
        for item in self.outcomes:
            if item.outcome == outcome:
                return item.probability
        return 0.0

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "schema": "gametheory.robust/1",
            "title": self.title,
            "n": self.n,
            "seed": self.seed,
            "method": self.method,
            "beliefs": dict(self.beliefs),
            "distributions": {name: d.to_dict() for name, d in self.distributions.items()},
            "correlations": [{"between": [a, b], "rank": rho} for a, b, rho in self.correlations],
            "fixed": dict(self.fixed),
            "baseline": dict(self.baseline),
            "baseline_outcome": self.baseline_outcome,
            "baseline_holds": {
                "probability": self.baseline_holds,
                "low": self.baseline_low,
                "high": self.baseline_high,
            },
            "outcomes": [o.to_dict() for o in self.outcomes],
            "equilibria": {
                kind: {"points": self.kinds.get(kind, 0), "share": self.share(kind)}
                for kind in KINDS
            },
            "complete": self.complete,
            "solver": self.solver,
            "tol": self.tol,
            "continuum_detected": self.continuum_detected,
            "interval": "Wilson score, 95 %",
            "out": self.out,
            "notes": list(self.notes),
        }

    def to_frame(self) -> pd.DataFrame:
        """The outcome probabilities as a table, most likely first.

        Columns ``outcome``, ``kind``, ``points``, ``probability``, ``low``, ``high`` and
        ``baseline`` (whether it is the prediction).
        """
        import pandas as pd

        rows = [
            {**o.to_dict(), "baseline": o.outcome == self.baseline_outcome} for o in self.outcomes
        ]
        return pd.DataFrame(
            rows,
            columns=["outcome", "kind", "points", "probability", "low", "high", "baseline"],
        )

    def describe(self) -> str:
        """The result in plain words (what the command line prints)."""
        lines = [
            f"{self.title}: {self.n:,} points drawn from the declared beliefs "
            f"({_METHOD_WORDS[self.method]}, seed {self.seed})",
            f"The prediction ({self.baseline_outcome}) holds with probability "
            f"{_p(self.baseline_holds)} (95 % interval {_p(self.baseline_low)} to "
            f"{_p(self.baseline_high)}).",
            "Equilibria at the points drawn: "
            + ", ".join(f"{_KIND_WORDS[k]} {_p(self.share(k))}" for k in KINDS if self.kinds.get(k))
            + ".",
        ]
        lines.extend(self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.describe()


_METHOD_WORDS = {
    "random": "random points",
    "lhs": "Latin hypercube",
    "sobol": "scrambled Sobol' points",
}
_KIND_WORDS = {
    "unique": "unique",
    "several": "several isolated",
    "continuum": "a continuum (degenerate game)",
    "none": "none found",
}


def _p(value: float) -> str:
    return f"{value:.3f}"


@dataclass(frozen=True)
class _BeliefDesign(Design):
    """Points drawn from the beliefs: uniform numbers mapped through each belief's ``ppf``.

    ``kind`` is ``"uniform"`` (method ``random``), ``"lhs"`` or ``"sobol"``; the uniform
    numbers of the first two are the sweeps' sample of ``[0, 1]^d``.
    """

    beliefs: tuple[Distribution, ...] = ()
    #: Columns drawn through the Gaussian copula, and the Cholesky factor of their normal
    #: correlation matrix (see :func:`gametheory.model.scenario.copula_matrix`).
    copula_columns: tuple[int, ...] = ()
    copula: tuple[tuple[float, ...], ...] = ()

    def uniforms(self, start: int, stop: int) -> NDArray[np.float64]:
        """The uniform numbers of points ``start .. stop - 1``, one column per parameter.

        Correlated columns are made dependent through the Gaussian copula: ``Phi(L Phi^-1(u))``
        with ``L`` the Cholesky factor; the others are left as drawn.
        """
        stop = min(stop, self.size)
        if self.kind == "sobol":
            u = _sobol(self.seed or 0, len(self.names), start, stop)
        else:
            u = Design._sample(self, start, stop)
        if self.copula_columns:
            from scipy.special import ndtr, ndtri

            columns = list(self.copula_columns)
            tiny = np.finfo(np.float64).tiny
            z = ndtri(np.clip(u[:, columns], tiny, 1 - np.finfo(np.float64).eps / 2))
            u[:, columns] = ndtr(z @ np.asarray(self.copula).T)
        return u

    def points(self, start: int, stop: int) -> dict[str, NDArray[np.float64]]:
        stop = min(stop, self.size)
        count = max(stop - start, 0)
        u = self.uniforms(start, stop)
        out = {
            name: belief.ppf(u[:, k])
            for k, (name, belief) in enumerate(zip(self.names, self.beliefs, strict=True))
        }
        for name, value in self.fixed.items():
            out[name] = np.full(count, float(value))
        return out


def _sobol(seed: int, d: int, start: int, stop: int) -> NDArray[np.float64]:
    from scipy.stats import qmc

    engine = qmc.Sobol(d, scramble=True, seed=np.random.default_rng([seed, 1931]))
    if start:
        engine.fast_forward(start)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # balance needs powers of two: documented
        return np.asarray(engine.random(stop - start), dtype=np.float64)


@dataclass(frozen=True)
class _PointsDesign(Design):
    """One explicit point (the baseline)."""

    columns: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)

    def points(self, start: int, stop: int) -> dict[str, NDArray[np.float64]]:
        return {name: values[start:stop] for name, values in self.columns.items()}


def uncertainty(
    scenario: Scenario,
    n: int = 10_000,
    *,
    seed: int = 0,
    method: str = "random",
    fixed: Mapping[str, float] | None = None,
    solver: str = "auto",
    tol: float = DEFAULT_TOL,
    executor: str = "inline",
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int | None = None,
    out: str | Path | None = None,
    progress: bool = False,
) -> Uncertainty:
    """Probabilities of the outcomes under the declared beliefs about the parameters.

    Parameters
    ----------
    scenario
        A simultaneous scenario. Every parameter with a belief varies (its declared
        distribution, or uniform over a finite range); the others, and those in ``fixed``, are
        held at their values.
    n
        Points to draw (1 to :data:`~gametheory.sweeps.design.MAX_POINTS`).
    seed
        Seed of the draws (a whole number >= 0); the same seed gives the same numbers on every
        executor and chunk size.
    method
        ``"random"``, ``"lhs"`` (Latin hypercube) or ``"sobol"`` (scrambled Sobol').
    fixed
        Values for parameters held fixed (checked against their ranges).
    solver, tol
        The sweeps' solver (``"auto"``: batched vertex enumeration for two players, pure
        equilibria for more) and its tolerance.
    executor, workers, scheduler
        ``"inline"``, ``"processes"`` (``workers`` local processes) or ``"dask"`` (a running
        cluster at ``scheduler``, or a local one of ``workers``).
    chunk_size
        Points solved together (default from the game's size, up to 20,000).
    out
        Write one row per point (its parameters, equilibrium count, kind, outcome, whether it
        is the prediction) to this ``.parquet`` file, in point order, chunk by chunk.
    progress
        Show a progress bar on standard error.

    Returns
    -------
    Uncertainty
        The probabilities, intervals and shares; see :class:`Uncertainty`.

    Raises
    ------
    ScenarioError
        For a bad count, seed, method, executor, fixed value or output path, a sequential
        scenario, no parameter with a belief, or a Latin hypercube larger than
        :data:`MAX_LHS_BYTES`: all before any point is solved.

    Examples
    --------
    >>> import gametheory as gt
    >>> sc = gt.load("payoffs/chicken.toml")
    >>> result = gt.uncertainty(sc, n=2_000, seed=1)
    >>> result.baseline_holds
    1.0
    """
    design, baseline = _design(scenario, n, seed, method, fixed)
    _check_run(solver, executor, workers, chunk_size, out)
    if chunk_size is None:
        chunk_size = auto_chunk_size(scenario)
    names = list(design.names)
    prediction = _baseline_outcome(scenario, baseline, solver, tol)
    continuum_known = _components_known(scenario, solver)
    counts: dict[str, int] = {}
    kinds_of: dict[str, str] = {}
    kinds = dict.fromkeys(KINDS, 0)
    complete = 0
    writer = _Writer(out) if out is not None else None
    try:
        frames = run_chunks(
            scenario,
            design,
            method=solver,
            tol=tol,
            chunk_size=chunk_size,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )
        for _, frame in _in_order(frames):
            points = _summarise(frame, names, continuum_known)
            labels, sizes = np.unique(points["outcome"].to_numpy(dtype=str), return_counts=True)
            for label, size in zip(labels.tolist(), sizes.tolist(), strict=True):
                counts[label] = counts.get(label, 0) + int(size)
            firsts = points.drop_duplicates("outcome")
            for label, kind in zip(
                firsts["outcome"].tolist(), firsts["kind"].tolist(), strict=True
            ):
                kinds_of.setdefault(str(label), str(kind))
            for kind, size in points["kind"].value_counts().items():
                kinds[str(kind)] += int(size)
            complete += int(points["complete"].sum())
            if writer is not None:
                points["baseline"] = points["outcome"] == prediction
                writer.write(points)
        if writer is not None:
            writer.close()
    except BaseException:
        if writer is not None:
            writer.abort()
        raise
    return _result(
        scenario,
        design,
        baseline,
        prediction,
        counts,
        kinds_of,
        kinds,
        complete,
        solver,
        tol,
        continuum_known,
        None if out is None else str(out),
    )


def beliefs_to_draw(
    scenario: Any, fixed: Mapping[str, float] | None
) -> tuple[dict[str, float], list[str], list[Distribution], dict[str, float]]:
    """Which parameters are drawn, from which beliefs, and the values of the others.

    A parameter is drawn when it is not in ``fixed`` and has a declared distribution or a
    finite range (uniform over it); the others are held at their baseline (or ``fixed``)
    value. Works for chip and tree scenarios alike.

    Returns
    -------
    baseline, names, beliefs, held
        Every parameter's baseline value (with ``fixed`` applied), the drawn parameters in file
        order with their beliefs, and the held values.

    Raises
    ------
    ScenarioError
        When no parameter can be drawn.
    """
    baseline: dict[str, float] = dict(scenario.resolve(fixed or {}))
    names: list[str] = []
    beliefs: list[Distribution] = []
    held: dict[str, float] = {}
    for name, parameter in scenario.parameters.items():
        if name in (fixed or {}) or (
            parameter.distribution is None and (parameter.min is None or parameter.max is None)
        ):
            held[name] = baseline[name]
            continue
        try:
            beliefs.append(parameter.belief)
        except ScenarioError as exc:  # pragma: no cover - the condition above avoids it
            raise exc.located(file=scenario.path) from None
        names.append(name)
    if not names:
        raise ScenarioError(
            "no parameter has a belief to draw from: declare a distribution, or a finite range "
            "[min, max] (uniform over it), on at least one parameter that is not held fixed",
            file=scenario.path,
        )
    return baseline, names, beliefs, held


def _design(
    scenario: Scenario,
    n: object,
    seed: object,
    method: str,
    fixed: Mapping[str, float] | None,
) -> tuple[_BeliefDesign, dict[str, float]]:
    """Check the draws' arguments and build the design, before any work."""
    if scenario.timing != "simultaneous":
        raise ScenarioError(
            "outcome probabilities of sequential scenarios are not supported yet; use the "
            "simultaneous version of the scenario",
            file=scenario.path,
        )
    _whole("the number of points", n, 1, MAX_POINTS)
    _whole("seed", seed, 0, None)
    if method not in METHODS:
        raise ScenarioError(
            f"unknown sampling method '{method}'; expected one of {', '.join(METHODS)}"
        )
    baseline, names, beliefs, held = beliefs_to_draw(scenario, fixed)
    count = int(n)  # type: ignore[call-overload]
    if method == "lhs" and 4 * count * len(names) > MAX_LHS_BYTES:
        raise ScenarioError(
            f"a Latin hypercube of {count:,} points over {len(names)} parameters would keep "
            f"{4 * count * len(names) / 2**20:,.0f} MiB of permutations, above the limit of "
            f"{MAX_LHS_BYTES // 2**20} MiB; use method 'random' or 'sobol', or fewer points"
        )
    kind = "uniform" if method == "random" else method
    involved, factor = copula_matrix(scenario.correlations, names)
    assert factor is not None  # the scenario checked the whole matrix; a part of it is valid
    design = _BeliefDesign(
        kind,
        tuple(names),
        count,
        bounds=((0.0, 1.0),) * len(names),
        seed=int(seed),  # type: ignore[call-overload]
        fixed=held,
        beliefs=tuple(beliefs),
        copula_columns=tuple(names.index(name) for name in involved),
        copula=tuple(tuple(float(x) for x in row) for row in factor),
    )
    return design, baseline


def _whole(what: str, value: object, low: int, high: int | None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ScenarioError(f"{what} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"from {low:,} to {high:,}" if high is not None else f"at least {low:,}"
        raise ScenarioError(f"{what} must be {bound}, got {value:,}")


def _check_run(
    solver: str,
    executor: str,
    workers: int | None,
    chunk_size: int | None,
    out: str | Path | None,
) -> None:
    check_method(solver)
    if executor not in EXECUTORS:
        raise ScenarioError(
            f"unknown executor '{executor}'; expected {', '.join(map(repr, EXECUTORS))}"
        )
    if workers is not None:
        _whole("workers", workers, 1, MAX_WORKERS)
    if chunk_size is not None:
        _whole("chunk size", chunk_size, 1, MAX_POINTS)
    if out is not None and Path(out).suffix.lower() != ".parquet":
        raise ScenarioError(
            f"the per-point table is written as Parquet: name it .parquet, got '{out}'"
        )


def _baseline_outcome(
    scenario: Scenario, baseline: Mapping[str, float], solver: str, tol: float
) -> str:
    """The joint outcome at the baseline, solved as the points are."""
    names = tuple(baseline)
    columns = {name: np.array([value]) for name, value in baseline.items()}
    design = _PointsDesign("points", names, 1, columns=columns)
    table = solve_chunk(scenario, design, 0, 1, solver, tol)
    return str(point_outcomes(table, list(names))["outcome"].iloc[0])


def _components_known(scenario: Scenario, solver: str) -> bool:
    """Whether the sweeps' solver reports connected sets for this scenario (batched, 2 players)."""
    shape = tuple(len(a) for a in scenario.actions)
    return (
        len(shape) == 2
        and solver in ("auto", "vertex_enumeration")
        and sum(shape) <= MAX_LABELS
        and bases_count(*shape) <= BATCH_MAX_BASES
    )


def _summarise(frame: pd.DataFrame, names: list[str], continuum_known: bool) -> pd.DataFrame:
    """One row per point: parameters, equilibrium count, kind, complete and joint outcome."""
    points = point_outcomes(frame, names)
    ok = frame.groupby("point", sort=True)["status"].first().to_numpy() == "ok"
    count = points["n_equilibria"].to_numpy()
    kind = np.where(count == 1, "unique", "several").astype(object)
    if continuum_known:
        # A component shared by two extreme equilibria of a point spans a continuum.
        rows = frame[frame["equilibrium"] >= 0]
        shared = rows.groupby(["point", "component"]).size()
        spanned = shared[shared > 1].index.get_level_values("point").unique()
        kind[np.isin(points["point"].to_numpy(), spanned)] = "continuum"
    kind[(count == 0) | ~ok] = "none"
    points["kind"] = kind
    return points[["point", *names, "n_equilibria", "kind", "complete", "outcome"]]


def _in_order(frames: Iterator[tuple[int, pd.DataFrame]]) -> Iterator[tuple[int, pd.DataFrame]]:
    """Chunks in chunk order (parallel executors deliver them as they finish)."""
    waiting: dict[int, pd.DataFrame] = {}
    following = 0
    for index, frame in frames:
        waiting[index] = frame
        while following in waiting:
            yield following, waiting.pop(following)
            following += 1
    for index in sorted(waiting):  # pragma: no cover - every chunk arrives
        yield index, waiting.pop(index)


class _Writer:
    """The per-point table, written to Parquet chunk by chunk (a temporary name, then renamed)."""

    def __init__(self, out: str | Path) -> None:
        self.path = Path(out)
        # A name of its own, so that two runs writing the same output never share a file.
        self.temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.partial")
        self.handle: Any = None

    def write(self, points: pd.DataFrame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(points, preserve_index=False)
        if self.handle is None:
            try:
                self.handle = pq.ParquetWriter(self.temporary, table.schema)
            except OSError as exc:
                raise ScenarioError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        self.handle.write_table(table)

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()
            try:
                self.temporary.replace(self.path)
            except OSError as exc:
                self.temporary.unlink(missing_ok=True)
                raise ScenarioError(f"cannot write {self.path}: {exc.strerror or exc}") from None

    def abort(self) -> None:
        if self.handle is not None:
            self.handle.close()
        self.temporary.unlink(missing_ok=True)


def _result(
    scenario: Scenario,
    design: _BeliefDesign,
    baseline: Mapping[str, float],
    prediction: str,
    counts: Mapping[str, int],
    kinds_of: Mapping[str, str],
    kinds: Mapping[str, int],
    complete: int,
    solver: str,
    tol: float,
    continuum_known: bool,
    out: str | None,
) -> Uncertainty:
    n = design.size
    outcomes = []
    for label, points in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        low, high = wilson_interval(points, n)
        outcomes.append(Outcome(label, points, points / n, low, high, kinds_of[label]))
    holds = counts.get(prediction, 0)
    low, high = wilson_interval(holds, n)
    notes = []
    if not continuum_known:
        notes.append(
            "This solver does not report connected sets of equilibria: a continuum is counted "
            "as several equilibria."
        )
    if len(scenario.players) > 2 and solver in ("auto", "pure"):
        notes.append(
            "With three or more players only pure equilibria are sought: outcomes list the "
            "pure equilibria, and 'none found' means no pure equilibrium."
        )
    if design.kind == "sobol" and n & (n - 1):
        notes.append(f"Sobol' points keep their balance for a power of two; {n:,} is not one.")
    return Uncertainty(
        title=scenario.title,
        n=n,
        seed=int(design.seed or 0),
        method="random" if design.kind == "uniform" else design.kind,
        beliefs={name: b.describe() for name, b in zip(design.names, design.beliefs, strict=True)},
        fixed=dict(design.fixed),
        baseline=dict(baseline),
        baseline_outcome=prediction,
        baseline_holds=holds / n,
        baseline_low=low,
        baseline_high=high,
        outcomes=tuple(outcomes),
        kinds=dict(kinds),
        complete=complete,
        solver=solver,
        tol=tol,
        continuum_detected=continuum_known,
        out=out,
        notes=tuple(notes),
        distributions=dict(zip(design.names, design.beliefs, strict=True)),
        correlations=tuple(
            (a, b, rho)
            for a, b, rho in scenario.correlations
            if a in design.names and b in design.names
        ),
    )
