"""Thresholds that hold the prediction: how far each parameter can move before the outcome does.

For a scenario at its baseline (or at chosen values), each parameter is moved with the others
held fixed. :func:`thresholds` finds the interval of that parameter, within its declared range,
in which the joint outcome label (the set of equilibria, labelled as sweeps label it, see
:func:`gametheory.sweeps.results.joint_outcomes`) is the one at the baseline, and what the
outcome becomes just beyond each end.

Method
------
1. Every parameter is evaluated on a grid of :data:`GRID_POINTS` values over its search range
   (all parameters in one batch of the sweeps' solver, :func:`gametheory.sweeps.solve_chunk`).
   Walking outwards from the baseline, the first grid value with another outcome brackets the
   nearest change on that side.
2. Each bracket is refined by bisection, all brackets together, each step solving at every
   bracket's midpoint, until it is narrower than :data:`REFINE` times the range. Where the
   payoffs are affine in the parameter, the boundary is where two payoff differences cross, and
   bisection converges to it.
3. An outcome that holds over less than :data:`REL_TOL` times the range next to a boundary, or
   at the midpoint of the final bracket only, is the game's own outcome *at* the boundary
   (a degenerate game, e.g. a player indifferent, with a continuum of equilibria); it is
   reported as ``degenerate_at_low`` / ``degenerate_at_high`` and the outcome beyond is taken
   just past it.

Limits: an outcome that changes and changes back within one grid step is not seen; parameters
without a finite declared range are searched within ``baseline +- max(1, |baseline|) * 10``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._format import format_number
from ...errors import ScenarioError
from ...model.game import DEFAULT_TOL
from ...model.scenario import Scenario
from ...sweeps.design import Design
from ...sweeps.results import auto_chunk_size, point_outcomes
from ...sweeps.table import solve_chunk

__all__ = ["GRID_POINTS", "REFINE", "REL_TOL", "Threshold", "Thresholds", "thresholds"]

#: Grid values per parameter for the first pass.
GRID_POINTS = 401
#: Boundaries are reported to this tolerance, times the parameter's search range.
REL_TOL = 1e-9
#: Bisection goes on until a bracket is this narrow (times the range): finer than ``REL_TOL``,
#: so that a degenerate point (whose outcome holds over about the solver's tolerance) is seen.
REFINE = 1e-12
#: A parameter without a finite declared range is searched within
#: ``baseline +- max(1, |baseline|) * UNBOUNDED_SPAN``.
UNBOUNDED_SPAN = 10.0


@dataclass(frozen=True)
class Threshold:
    """The interval of one parameter in which the prediction holds, the others fixed.

    Attributes
    ----------
    name, baseline
        The parameter and its value at the point examined.
    low, high
        The interval's ends (to ``REL_TOL`` times the search range).
    low_is_range_end, high_is_range_end
        Whether the end is the end of the search range (no change found on that side).
    outcome_below, outcome_above
        The joint outcome just beyond each end (``None`` at a range end).
    degenerate_at_low, degenerate_at_high
        The outcome at the boundary itself when it differs from both sides (a degenerate
        game there, e.g. a continuum of equilibria); else ``None``.
    declared_min, declared_max
        The declared range (``None`` where unbounded).
    search_low, search_high
        The range searched: the declared one, or ``baseline +- max(1, |baseline|) * 10`` on
        an unbounded side.
    """

    name: str
    baseline: float
    low: float
    high: float
    low_is_range_end: bool
    high_is_range_end: bool
    outcome_below: str | None
    outcome_above: str | None
    degenerate_at_low: str | None
    degenerate_at_high: str | None
    declared_min: float | None
    declared_max: float | None
    search_low: float
    search_high: float

    @property
    def bounded(self) -> bool:
        """Whether the parameter has a finite declared range on both sides."""
        return self.declared_min is not None and self.declared_max is not None

    def describe(self) -> str:
        """The parameter's interval in plain words (what the command line prints)."""
        t = self
        if t.bounded:
            searched = f"declared range {_num(t.search_low)} to {_num(t.search_high)}"
        else:
            searched = (
                f"no finite declared range; searched {_num(t.search_low)} to {_num(t.search_high)}"
            )
        if t.low_is_range_end and t.high_is_range_end:
            text = f"{t.name}: the prediction holds over the whole range ({searched})"
        else:
            text = (
                f"{t.name}: the prediction holds from {_num(t.low)} to {_num(t.high)} ({searched})"
            )
        for at, beyond, word, degenerate in (
            (t.low, t.outcome_below, "below", t.degenerate_at_low),
            (t.high, t.outcome_above, "above", t.degenerate_at_high),
        ):
            if degenerate is not None:
                text += f"; at {_num(at)} itself the game is degenerate ({_degenerate(degenerate)})"
            if beyond is not None:
                text += f"; {word} {_num(at)}: {beyond}"
        return text

    @property
    def room(self) -> float:
        """Distance from the point to the nearest change of outcome, as a share of the range.

        The range is the one searched; ``inf`` when the prediction holds over all of it.
        """
        span = self.search_high - self.search_low
        gaps = [
            gap
            for gap, end in (
                (self.baseline - self.low, self.low_is_range_end),
                (self.high - self.baseline, self.high_is_range_end),
            )
            if not end
        ]
        return min(gaps) / span if gaps and span > 0 else float("inf")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "name": self.name,
            "baseline": self.baseline,
            "low": self.low,
            "high": self.high,
            "low_is_range_end": self.low_is_range_end,
            "high_is_range_end": self.high_is_range_end,
            "outcome_below": self.outcome_below,
            "outcome_above": self.outcome_above,
            "degenerate_at_low": self.degenerate_at_low,
            "degenerate_at_high": self.degenerate_at_high,
            "declared_min": self.declared_min,
            "declared_max": self.declared_max,
            "search_low": self.search_low,
            "search_high": self.search_high,
        }


@dataclass(frozen=True)
class Thresholds:
    """The thresholds of every parameter examined, at one point of a scenario.

    Attributes
    ----------
    title
        The scenario's title.
    values
        Every parameter's value at the point examined.
    outcome
        The joint outcome label there.
    parameters
        One :class:`Threshold` per parameter, in declaration order.
    """

    title: str
    values: Mapping[str, float]
    outcome: str
    parameters: tuple[Threshold, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        return {
            "title": self.title,
            "values": dict(self.values),
            "outcome": self.outcome,
            "rel_tol": REL_TOL,
            "parameters": [t.to_dict() for t in self.parameters],
        }


@dataclass(frozen=True)
class _PointsDesign(Design):
    """A design of explicit points (every parameter given at every point)."""

    columns: Mapping[str, NDArray[np.float64]] = field(default_factory=dict)

    def points(self, start: int, stop: int) -> dict[str, NDArray[np.float64]]:
        stop = min(stop, self.size)
        return {name: values[start:stop] for name, values in self.columns.items()}


class _Evaluator:
    """Joint outcome labels at many points, each one parameter moved from a base point."""

    def __init__(self, scenario: Scenario, base: Mapping[str, float], tol: float) -> None:
        self.scenario = scenario
        self.base = dict(base)
        self.tol = tol
        self.chunk = auto_chunk_size(scenario)
        self.solved = 0

    def __call__(self, moves: Sequence[tuple[str, float]]) -> list[str]:
        """The outcome label at each ``(parameter, value)`` move from the base point."""
        count = len(moves)
        if not count:
            return []
        names = tuple(self.base)
        columns = {
            name: np.full(count, value, dtype=np.float64) for name, value in self.base.items()
        }
        for k, (name, value) in enumerate(moves):
            columns[name][k] = value
        design = _PointsDesign("points", names, count, columns=columns)
        labels: list[str] = []
        for start in range(0, count, self.chunk):
            table = solve_chunk(self.scenario, design, start, start + self.chunk, tol=self.tol)
            outcomes = point_outcomes(table, list(names))
            labels.extend(str(o) for o in outcomes["outcome"])
        self.solved += count
        return labels


@dataclass
class _Side:
    """One side of one parameter's search: a bracket [inside, outside] being refined."""

    name: str
    inside: float  # the outcome here is the baseline's
    outside: float  # the outcome here is not
    outside_outcome: str
    span: float  # width of the search range: sets the bracket's resolution
    done: bool = False
    at_end: bool = False
    degenerate: str | None = None

    def open(self) -> bool:
        """Whether the bracket is still wider than the resolution wanted."""
        return not self.done and abs(self.outside - self.inside) > REFINE * self.span


def thresholds(
    scenario: Scenario,
    values: Mapping[str, float] | None = None,
    *,
    params: Sequence[str] | None = None,
    grid_points: int = GRID_POINTS,
    tol: float = DEFAULT_TOL,
) -> Thresholds:
    """For each parameter, the interval around the point where the prediction holds.

    Parameters
    ----------
    scenario
        A simultaneous scenario.
    values
        Parameter overrides for the point examined (default: the baseline).
    params
        Parameters to examine (default: all, in declaration order).
    grid_points
        Grid values per parameter in the first pass (at least 3).
    tol
        The solver's relative regret tolerance.

    Returns
    -------
    Thresholds
        The outcome at the point and one :class:`Threshold` per parameter.

    Raises
    ------
    ScenarioError
        For an unknown parameter, a value outside its declared range, or a sequential scenario.
    """
    if scenario.timing != "simultaneous":
        raise ScenarioError(
            "thresholds of sequential scenarios are not supported yet; use the simultaneous "
            "version",
            file=scenario.path,
        )
    if isinstance(grid_points, bool) or not isinstance(grid_points, int) or grid_points < 3:
        raise ScenarioError(f"grid_points must be a whole number >= 3, got {grid_points!r}")
    base = scenario.resolve(values or {})
    if not base:
        raise ScenarioError("the scenario declares no parameters to move", file=scenario.path)
    names = list(scenario.parameters) if params is None else list(dict.fromkeys(params))
    scenario.resolve({name: base.get(name, 0.0) for name in names})  # unknown names refused
    evaluate = _Evaluator(scenario, base, tol)
    windows = {name: _window(scenario, name, base[name]) for name in names}

    # 1. The grid pass: the baseline, then every parameter's grid, in one batch.
    grids = {name: np.linspace(low, high, grid_points) for name, (low, high) in windows.items()}
    first = next(iter(base))
    moves: list[tuple[str, float]] = [(first, base[first])]
    for name, grid in grids.items():
        moves.extend((name, float(v)) for v in grid)
    labels = evaluate(moves)
    outcome = labels[0]
    sides: list[_Side] = []
    ends: dict[tuple[str, int], _Side | None] = {}
    offset = 1
    for name, grid in grids.items():
        here = labels[offset : offset + len(grid)]
        offset += len(grid)
        b = base[name]
        for direction in (-1, 1):
            side = _bracket(name, b, grid, here, outcome, direction, windows[name])
            ends[(name, direction)] = side
            if side is not None:
                sides.append(side)

    # 2. Bisection of every bracket together.
    active = [s for s in sides if s.open()]
    while active:
        mids = [(s.name, (s.inside + s.outside) / 2) for s in active]
        for side, (_, mid), got in zip(active, mids, evaluate(mids), strict=True):
            if mid in (side.inside, side.outside):  # no float left between them
                side.done = True
                continue
            if got == outcome:
                side.inside = mid
            else:
                side.outside, side.outside_outcome = mid, got
        active = [s for s in active if s.open()]

    # 3. Degenerate boundaries: an outcome over less than REL_TOL of the range, or at the
    #    final midpoint only.
    probes: list[tuple[str, float]] = []
    for side in sides:
        low, high = windows[side.name]
        step = REL_TOL * (high - low) * (1 if side.outside > side.inside else -1)
        past = min(max(side.outside + step, low), high)
        probes.extend([(side.name, past), (side.name, (side.inside + side.outside) / 2)])
    checked = evaluate(probes)
    for k, side in enumerate(sides):
        beyond, middle = checked[2 * k], checked[2 * k + 1]
        end = windows[side.name][1 if side.outside > side.inside else 0]
        if probes[2 * k][1] == end and abs(end - side.inside) <= REL_TOL * side.span:
            # The change is at the end of the range itself: the prediction holds up to it,
            # and the game at the end point is degenerate.
            side.at_end, side.degenerate = True, beyond
        elif beyond != side.outside_outcome and beyond != outcome:
            side.degenerate, side.outside_outcome = side.outside_outcome, beyond
        elif middle not in (outcome, side.outside_outcome):
            side.degenerate = middle

    results = []
    for name in names:
        prm = scenario.parameters[name]
        w_low, w_high = windows[name]
        low, low_end, below, low_degenerate = _end(ends[(name, -1)], w_low)
        high, high_end, above, high_degenerate = _end(ends[(name, 1)], w_high)
        results.append(
            Threshold(
                name=name,
                baseline=base[name],
                low=low,
                high=high,
                low_is_range_end=low_end,
                high_is_range_end=high_end,
                outcome_below=below,
                outcome_above=above,
                degenerate_at_low=low_degenerate,
                degenerate_at_high=high_degenerate,
                declared_min=prm.min,
                declared_max=prm.max,
                search_low=w_low,
                search_high=w_high,
            )
        )
    return Thresholds(scenario.title, base, outcome, tuple(results))


def _end(side: _Side | None, stop: float) -> tuple[float, bool, str | None, str | None]:
    """One end of an interval.

    Its value, whether it is the range's end, the outcome beyond it and the outcome at a
    degenerate boundary.
    """
    if side is None:
        return stop, True, None, None
    if side.at_end:
        return stop, True, None, side.degenerate
    return side.inside, False, side.outside_outcome, side.degenerate


def _window(scenario: Scenario, name: str, baseline: float) -> tuple[float, float]:
    """The range searched: declared, or ``baseline +- max(1, |baseline|) * 10`` where open."""
    prm = scenario.parameters[name]
    reach = max(1.0, abs(baseline)) * UNBOUNDED_SPAN
    low = baseline - reach if prm.min is None else prm.min
    high = baseline + reach if prm.max is None else prm.max
    return float(low), float(high)


def _bracket(
    name: str,
    baseline: float,
    grid: NDArray[np.float64],
    labels: list[str],
    outcome: str,
    direction: int,
    window: tuple[float, float],
) -> _Side | None:
    """The nearest change of outcome from the baseline in one direction, as a bracket."""
    if direction > 0:
        order = [k for k in range(len(grid)) if grid[k] > baseline]
    else:
        order = [k for k in reversed(range(len(grid))) if grid[k] < baseline]
    inside = baseline
    for k in order:
        if labels[k] != outcome:
            return _Side(name, inside, float(grid[k]), labels[k], window[1] - window[0])
        inside = float(grid[k])
    return None


def _num(value: float) -> str:
    return format_number(value, 6)


def _degenerate(label: str) -> str:
    count = len(label.split(" | "))
    return f"{count} equilibria" if count > 1 else label
