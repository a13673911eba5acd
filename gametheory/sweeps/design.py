"""Sweep designs: which parameter points to solve.

A :class:`Design` describes a full grid, a uniform random sample or a Latin-hypercube sample
over parameter ranges. It never materialises all its points: :meth:`Design.points` returns any
range ``[start, stop)`` of them, and the values of a point depend only on the design and the
point's index, never on how the points are split into chunks or which process computes them.
That is what makes a sweep give the same table on one core, many processes or a Dask cluster,
whatever the chunk size.

Random designs draw from fixed blocks of :data:`BLOCK` points, block ``b`` seeded with
``(seed, b)`` (numpy's ``SeedSequence``), so any point can be regenerated on its own.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ScenarioError
from ..model.scenario import Scenario

__all__ = ["BLOCK", "MAX_AXIS_VALUES", "MAX_POINTS", "Design", "grid_design", "sample_design"]

#: Random draws are made in blocks of this many points.
BLOCK = 4096
#: Largest design accepted (points); larger ones are refused before any work starts.
MAX_POINTS = 100_000_000
#: Most values one parameter may take in a grid (its values are held in memory).
MAX_AXIS_VALUES = 1_000_000
#: Latin-hypercube samples keep one permutation per parameter in memory (4 bytes per point).
MAX_LHS_POINTS = 20_000_000


@dataclass(frozen=True)
class Design:
    """A set of parameter points.

    Attributes
    ----------
    kind
        ``"grid"``, ``"uniform"`` or ``"lhs"``.
    names
        The parameters that vary, in order.
    size
        Number of points.
    axes
        For a grid, each parameter's values (the grid is their Cartesian product, the first
        parameter varying slowest).
    bounds
        For samples, each parameter's ``(low, high)``.
    seed
        For samples, the random seed.
    fixed
        Values of the parameters that do not vary.
    """

    kind: str
    names: tuple[str, ...]
    size: int
    axes: tuple[tuple[float, ...], ...] = ()
    bounds: tuple[tuple[float, float], ...] = ()
    seed: int | None = None
    fixed: Mapping[str, float] = field(default_factory=dict)

    def points(self, start: int, stop: int) -> dict[str, NDArray[np.float64]]:
        """Values of every parameter (varying and fixed) for points ``start .. stop - 1``."""
        stop = min(stop, self.size)
        count = max(stop - start, 0)
        values = self._grid(start, stop) if self.kind == "grid" else self._sample(start, stop)
        out = {name: values[:, k] for k, name in enumerate(self.names)}
        for name, value in self.fixed.items():
            out[name] = np.full(count, float(value))
        return out

    def _grid(self, start: int, stop: int) -> NDArray[np.float64]:
        shape = tuple(len(a) for a in self.axes)
        index = np.unravel_index(np.arange(start, stop), shape)
        return np.column_stack(
            [np.asarray(axis)[i] for axis, i in zip(self.axes, index, strict=True)]
        ).reshape(stop - start, len(self.names))

    def _uniforms(self, start: int, stop: int) -> NDArray[np.float64]:
        """U(0, 1) draws for points ``start .. stop - 1``, one column per parameter."""
        d = len(self.names)
        rows = []
        for block in range(start // BLOCK, (stop - 1) // BLOCK + 1 if stop > start else 0):
            draws = np.random.default_rng([self.seed or 0, block]).random((BLOCK, d))
            lo = max(start - block * BLOCK, 0)
            hi = min(stop - block * BLOCK, BLOCK)
            rows.append(draws[lo:hi])
        return np.concatenate(rows) if rows else np.zeros((0, d))

    def _sample(self, start: int, stop: int) -> NDArray[np.float64]:
        u = self._uniforms(start, stop)
        if self.kind == "lhs":
            strata = np.column_stack(
                [
                    _permutation(self.seed or 0, k, self.size)[start:stop]
                    for k in range(len(self.names))
                ]
            ).reshape(stop - start, len(self.names))
            u = (strata + u) / self.size
        low = np.array([b[0] for b in self.bounds])
        high = np.array([b[1] for b in self.bounds])
        scaled: NDArray[np.float64] = low + u * (high - low)
        return scaled

    def to_dict(self) -> dict[str, Any]:
        """Plain data (stored beside partial results to check that a resume is the same sweep)."""
        return {
            "kind": self.kind,
            "names": list(self.names),
            "size": self.size,
            "axes": [list(a) for a in self.axes],
            "bounds": [list(b) for b in self.bounds],
            "seed": self.seed,
            "fixed": dict(self.fixed),
        }


@functools.lru_cache(maxsize=64)
def _permutation(seed: int, column: int, size: int) -> NDArray[np.int32]:
    """The Latin-hypercube strata of one parameter: a permutation of ``0 .. size - 1``."""
    return np.random.default_rng([seed, 7919, column]).permutation(size).astype(np.int32)


def _check_names(scenario: Scenario, names: Sequence[str], what: str) -> None:
    for name in names:
        if name not in scenario.parameters:
            close = difflib.get_close_matches(name, list(scenario.parameters), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            declared = ", ".join(scenario.parameters) or "none"
            raise ScenarioError(
                f"{what}: unknown parameter '{name}'{hint} (declared parameters: {declared})",
                file=scenario.path,
            )


def _check_size(size: int) -> None:
    if size > MAX_POINTS:
        raise ScenarioError(
            f"the design has {size:,} points; the limit is {MAX_POINTS:,}. Use fewer grid values "
            "or a smaller sample"
        )
    if size < 1:
        raise ScenarioError("the design has no points")


def _length(values: object, name: str) -> int:
    """How many values a grid axis has, without converting them."""
    try:
        return int(np.size(values)) if isinstance(values, np.ndarray) else len(values)  # type: ignore[arg-type]
    except TypeError:
        raise ScenarioError(
            f"grid: parameter '{name}' needs a list of values, got {values!r}"
        ) from None


def grid_design(
    scenario: Scenario,
    grid: Mapping[str, Sequence[float] | NDArray[np.float64]],
    fixed: Mapping[str, float] | None = None,
) -> Design:
    """A full grid: every combination of the given values (checked against declared ranges).

    Parameters
    ----------
    scenario
        The scenario whose parameters vary.
    grid
        ``{name: values}``; the first name varies slowest.
    fixed
        Overrides for parameters that do not vary (others stay at their declared values).
    """
    names = tuple(grid)
    _check_names(scenario, names, "grid")
    if not names:
        raise ScenarioError("a grid needs at least one parameter")
    lengths = {name: _length(grid[name], name) for name in names}
    for name, length in lengths.items():
        if length > MAX_AXIS_VALUES:
            raise ScenarioError(
                f"grid: parameter '{name}' has {length:,} values; the limit is "
                f"{MAX_AXIS_VALUES:,} per parameter"
            )
    _check_size(math.prod(lengths.values()))  # before any value is converted
    axes = []
    for name in names:
        values = np.asarray(grid[name], dtype=np.float64).reshape(-1)
        if values.size == 0:
            raise ScenarioError(f"grid: parameter '{name}' has no values")
        for v in (values.min(), values.max()):
            scenario.parameters[name].check(float(v), key=f"grid.{name}")
        axes.append(tuple(float(v) for v in values))
    size = math.prod(len(a) for a in axes)
    _check_size(size)
    return Design("grid", names, size, axes=tuple(axes), fixed=_fixed(scenario, names, fixed))


def sample_design(
    scenario: Scenario,
    size: int,
    *,
    seed: int = 0,
    names: Sequence[str] | None = None,
    method: str = "uniform",
    fixed: Mapping[str, float] | None = None,
) -> Design:
    """A random sample over declared parameter ranges.

    Parameters
    ----------
    scenario
        The scenario.
    size
        Number of points.
    seed
        Random seed (recorded; the same seed gives the same points).
    names
        Parameters to vary; default: every parameter with a finite declared range.
    method
        ``"uniform"`` or ``"lhs"`` (Latin hypercube: each parameter's range is cut into ``size``
        equal strata and each stratum is used once).
    fixed
        Overrides for parameters that do not vary.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ScenarioError(f"seed must be a whole number of at least 0, got {seed!r}")
    if method not in ("uniform", "lhs"):
        raise ScenarioError(f"sample method must be 'uniform' or 'lhs', got '{method}'")
    if names is None:
        names = [
            n
            for n, p in scenario.parameters.items()
            if p.min is not None and p.max is not None and n not in (fixed or {})
        ]
    names = tuple(names)
    _check_names(scenario, names, "sample")
    if not names:
        raise ScenarioError("no parameter with a declared range [min, max] to sample")
    bounds = []
    for name in names:
        p = scenario.parameters[name]
        if p.min is None or p.max is None:
            raise ScenarioError(
                f"parameter '{name}' has no declared range [min, max] to sample from",
                file=scenario.path,
            )
        bounds.append((p.min, p.max))
    if not isinstance(size, int | np.integer) or isinstance(size, bool):
        raise ScenarioError(f"sample size must be a whole number, got {size!r}")
    size = int(size)
    _check_size(size)
    if method == "lhs" and size > MAX_LHS_POINTS:
        raise ScenarioError(
            f"a Latin-hypercube sample of {size:,} points is above the limit of "
            f"{MAX_LHS_POINTS:,}; use method 'uniform'"
        )
    return Design(
        method,
        names,
        size,
        bounds=tuple(bounds),
        seed=int(seed),
        fixed=_fixed(scenario, names, fixed),
    )


def _fixed(
    scenario: Scenario, varying: Sequence[str], overrides: Mapping[str, float] | None
) -> dict[str, float]:
    values = scenario.resolve(overrides or {})
    return {name: value for name, value in values.items() if name not in varying}
