"""Beliefs about parameters: the distributions an analyst can declare over a parameter's range.

Most numbers in a negotiation scenario are judgement calls. A :class:`Distribution` says how
likely each value of such a number is, so that :func:`gametheory.uncertainty` can turn the
judgement calls into probabilities of outcomes. It is declared on a parameter
(``Parameter(..., distribution=Distribution("pert", likely=1.5))``, or
``distribution = { kind = "pert", likely = 1.5 }`` in a scenario file) and always lives inside
the parameter's declared range ``[min, max]``:

``uniform``
    Every value of ``[min, max]`` equally likely (the default belief of a parameter that
    declares none).
``triangular``
    ``min``, ``likely`` (the mode), ``max``: density rising linearly to ``likely`` and falling
    to ``max``.
``pert``
    ``min``, ``likely``, ``max``: the beta-PERT of project planning, a beta distribution scaled
    to the range with shapes ``1 + 4 (likely - min) / (max - min)`` and
    ``1 + 4 (max - likely) / (max - min)`` (lambda = 4; Malcolm et al. 1959, Vose 2008 ch. 9).
    Its mean is ``(min + 4 likely + max) / 6``; it puts less weight on the ends than the
    triangular with the same three numbers.
``normal``
    ``mu`` and ``sd``, truncated to the range (renormalised, not clipped: no point mass at the
    ends).
``lognormal``
    ``median`` and ``sigma`` (the standard deviation of the logarithm), truncated to the range
    intersected with ``(0, inf)``.
``beta``
    Shapes ``alpha`` and ``beta``, scaled from ``[0, 1]`` to the range.
``discrete``
    A list of ``values`` (inside the range) with ``weights`` (positive; equal if omitted;
    normalised by their sum).

A distribution may narrow the range with its own ``min`` and ``max`` (inside the parameter's);
otherwise it takes the parameter's. For ``triangular`` and ``pert`` an omitted ``likely``, for
``normal`` an omitted ``mu`` and for ``lognormal`` an omitted ``median`` is the parameter's
baseline value. :meth:`Parameter.belief <gametheory.model.scenario.Parameter.belief>` returns
the bound (complete) distribution.

Every distribution maps uniform numbers ``u`` in ``[0, 1]`` to values by its inverse
distribution function (:meth:`Distribution.ppf`), vectorised; Monte Carlo, Latin hypercube and
Sobol' points are all drawn that way. The model imports only numpy; :mod:`scipy.special` is
imported inside the functions that need it.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .._format import format_number
from ..errors import ScenarioError

__all__ = ["KINDS", "MAX_DISCRETE_VALUES", "Distribution"]

#: The numbers each kind takes besides ``min`` and ``max`` (required ones first).
KINDS: Mapping[str, tuple[str, ...]] = {
    "uniform": (),
    "triangular": ("likely",),
    "pert": ("likely",),
    "normal": ("mu", "sd"),
    "lognormal": ("median", "sigma"),
    "beta": ("alpha", "beta"),
    "discrete": ("values", "weights"),
}
#: Numbers that may be omitted and then come from the parameter's baseline value.
_FROM_VALUE = {"likely", "mu", "median"}
#: Numbers that may be omitted altogether.
_OPTIONAL = {"weights"}
#: Most values a discrete distribution may list.
MAX_DISCRETE_VALUES = 100_000
#: Least probability mass a truncated normal or lognormal must keep inside its range: below it
#: the truncation, not the declared shape, would decide every draw.
_MIN_MASS = 1e-12

_FIELDS = ("kind", "min", "max", "likely", "mu", "sd", "median", "sigma", "alpha", "beta")


@dataclass(frozen=True)
class Distribution:
    """A belief about one parameter: a distribution over (part of) its range.

    Parameters
    ----------
    kind
        One of :data:`KINDS`: ``uniform``, ``triangular``, ``pert``, ``normal``, ``lognormal``,
        ``beta``, ``discrete``.
    min, max
        The support; ``None`` takes the parameter's range when bound to a parameter.
    likely
        Mode of ``triangular`` and ``pert``.
    mu, sd
        Mean and standard deviation of ``normal`` before truncation.
    median, sigma
        Median and standard deviation of the logarithm of ``lognormal`` before truncation.
    alpha, beta
        Shapes of ``beta``.
    values, weights
        Values and weights of ``discrete``.

    Raises
    ------
    ScenarioError
        Unknown kind, a number the kind does not take or lacks, ``likely`` outside the range,
        ``sd``, ``sigma``, ``median``, ``alpha`` or ``beta`` not positive, weights not positive,
        discrete values outside the range. The error's key names the offending number.

    Examples
    --------
    >>> belief = Distribution("pert", min=0, max=5, likely=1.5)
    >>> belief.describe()
    'PERT from 0 to 5, most likely 1.5'
    >>> round(belief.mean(), 6)
    1.833333
    """

    kind: str
    min: float | None = None
    max: float | None = None
    likely: float | None = None
    mu: float | None = None
    sd: float | None = None
    median: float | None = None
    sigma: float | None = None
    alpha: float | None = None
    beta: float | None = None
    values: tuple[float, ...] | None = None
    weights: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str) or self.kind not in KINDS:
            raise ScenarioError(
                f"unknown distribution kind {self.kind!r}; expected one of {', '.join(KINDS)}",
                key="kind",
            )
        takes = set(KINDS[self.kind]) | {"min", "max"}
        for name in (*_FIELDS[1:], "values", "weights"):
            if getattr(self, name) is not None and name not in takes:
                raise ScenarioError(
                    f"a {self.kind} distribution does not take '{name}'; it takes "
                    f"{_takes(self.kind)}",
                    key=name,
                )
        for name in _FIELDS[1:]:
            self._set_number(name)
        self._set_list("values")
        self._set_list("weights")
        for name in KINDS[self.kind]:
            if getattr(self, name) is None and name not in _FROM_VALUE | _OPTIONAL:
                raise ScenarioError(
                    f"a {self.kind} distribution needs '{name}'; it takes {_takes(self.kind)}",
                    key=name,
                )
        self._check()

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | str) -> Distribution:
        """Build from a mapping such as ``{"kind": "pert", "likely": 1.5}``, or a kind name.

        Unknown keys are refused with the keys the kind takes.
        """
        if isinstance(data, str):
            return cls(data)
        if not isinstance(data, Mapping):
            raise ScenarioError(
                'a distribution is a kind name such as "uniform" or a table such as '
                f'{{ kind = "pert", likely = 1.5 }}, got {data!r}'
            )
        if "kind" not in data:
            raise ScenarioError(
                f"a distribution needs 'kind', one of {', '.join(KINDS)}", key="kind"
            )
        known = set(_FIELDS) | {"values", "weights"}
        for key in data:
            if key not in known:
                kind = data["kind"]
                hint = f"; a {kind} distribution takes {_takes(kind)}" if kind in KINDS else ""
                raise ScenarioError(f"unknown key '{key}'{hint}", key=str(key))
        fields = dict(data)
        for name in ("values", "weights"):
            if name in fields and fields[name] is not None:
                items = fields[name]
                if not isinstance(items, list | tuple):
                    raise ScenarioError(f"'{name}' must be a list of numbers", key=name)
                fields[name] = tuple(items)
        return cls(**fields)

    def bind(self, low: float | None, high: float | None, value: float) -> Distribution:
        """Fill omitted numbers from a parameter: its range and baseline ``value``.

        ``min``/``max`` default to ``low``/``high`` and must lie inside them; ``likely``,
        ``mu`` and ``median`` default to ``value``. The result is checked again.
        """
        lo = -math.inf if low is None else low
        hi = math.inf if high is None else high
        for name, bound in (("min", self.min), ("max", self.max)):
            if bound is not None and not lo <= bound <= hi:
                raise ScenarioError(
                    f"the distribution's {name} ({format_number(bound)}) is outside the "
                    f"parameter's range [{_bound(low, '-inf')}, {_bound(high, 'inf')}]",
                    key=name,
                )
        changes: dict[str, float | None] = {
            "min": self.min if self.min is not None else low,
            "max": self.max if self.max is not None else high,
        }
        for name in KINDS[self.kind]:
            if name in _FROM_VALUE and getattr(self, name) is None:
                changes[name] = value
        bound_ = replace(self, **changes)  # type: ignore[arg-type]
        if bound_.kind in ("uniform", "triangular", "pert", "beta") and not (
            bound_.min is not None
            and bound_.max is not None
            and math.isfinite(bound_.min)
            and math.isfinite(bound_.max)
        ):
            raise ScenarioError(
                f"a {bound_.kind} distribution needs a finite range: give the parameter (or the "
                "distribution) both min and max"
            )
        return bound_

    def _set_number(self, name: str) -> None:
        number = getattr(self, name)
        if number is None:
            return
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ScenarioError(f"'{name}' must be a number, got {number!r}", key=name)
        if not math.isfinite(number):
            raise ScenarioError(f"'{name}' must be a finite number, got {number}", key=name)
        object.__setattr__(self, name, float(number))

    def _set_list(self, name: str) -> None:
        items = getattr(self, name)
        if items is None:
            return
        if isinstance(items, str) or not isinstance(items, Sequence | np.ndarray):
            raise ScenarioError(f"'{name}' must be a list of numbers, got {items!r}", key=name)
        if len(items) > MAX_DISCRETE_VALUES:
            raise ScenarioError(
                f"'{name}' lists {len(items):,} numbers; the limit is {MAX_DISCRETE_VALUES:,}",
                key=name,
            )
        numbers = []
        for item in items:
            if isinstance(item, bool) or not isinstance(item, int | float | np.number):
                raise ScenarioError(f"'{name}' must list numbers, got {item!r}", key=name)
            if not math.isfinite(float(item)):
                raise ScenarioError(f"'{name}' must list finite numbers, got {item}", key=name)
            numbers.append(float(item))
        object.__setattr__(self, name, tuple(numbers))

    def _check(self) -> None:
        """Check the numbers against each other (those that are known)."""
        lo, hi = self.min, self.max
        if lo is not None and hi is not None and lo > hi:
            raise ScenarioError(
                f"min ({format_number(lo)}) is greater than max ({format_number(hi)})",
                key="min",
            )
        low = -math.inf if lo is None else lo
        high = math.inf if hi is None else hi
        if self.likely is not None and not low <= self.likely <= high:
            raise ScenarioError(
                f"likely ({format_number(self.likely)}) is outside the range "
                f"[{_bound(lo, '-inf')}, {_bound(hi, 'inf')}]",
                key="likely",
            )
        for name in ("sd", "sigma", "median", "alpha", "beta"):
            number = getattr(self, name)
            if number is not None and number <= 0:
                raise ScenarioError(
                    f"'{name}' must be positive, got {format_number(number)}", key=name
                )
        if self.kind == "lognormal" and hi is not None and hi <= 0:
            raise ScenarioError(
                f"a lognormal distribution takes positive values, but the range ends at "
                f"{format_number(hi)}",
                key="max",
            )
        if self.kind == "discrete":
            self._check_discrete(low, high)
        if lo is not None and hi is not None and lo < hi and self.kind in ("normal", "lognormal"):
            self._check_mass()

    def _check_discrete(self, low: float, high: float) -> None:
        values = self.values or ()
        if not values:
            raise ScenarioError("a discrete distribution needs at least one value", key="values")
        outside = [v for v in values if not low <= v <= high]
        if outside:
            raise ScenarioError(
                f"value {format_number(outside[0])} is outside the range "
                f"[{_bound(self.min, '-inf')}, {_bound(self.max, 'inf')}]",
                key="values",
            )
        if self.weights is not None:
            if len(self.weights) != len(values):
                raise ScenarioError(
                    f"{len(self.weights)} weights for {len(values)} values; give one weight per "
                    "value",
                    key="weights",
                )
            bad = [w for w in self.weights if not w > 0]
            if bad:
                raise ScenarioError(
                    f"weights must be positive, got {format_number(bad[0])}", key="weights"
                )
            if not math.isfinite(math.fsum(self.weights)):
                raise ScenarioError("the weights' sum is not a finite number", key="weights")

    def _check_mass(self) -> None:
        """Refuse a normal or lognormal whose range holds (almost) none of its mass."""
        a, b = self._standard_bounds()
        from scipy.special import ndtr

        mass = float(ndtr(b) - ndtr(a)) if a < 0 else float(ndtr(-a) - ndtr(-b))
        if not mass >= _MIN_MASS:
            name = "mu" if self.kind == "normal" else "median"
            raise ScenarioError(
                f"the range [{_bound(self.min, '-inf')}, {_bound(self.max, 'inf')}] holds "
                f"almost none of this {self.kind} distribution (probability {mass:.1e}); move "
                f"'{name}' inside the range or widen the spread",
                key=name,
            )

    # ------------------------------------------------------------------ numbers
    @property
    def is_bound(self) -> bool:
        """Whether every number is known (the range included), so it can be drawn from."""
        if self.min is None or self.max is None:
            return False
        return all(
            getattr(self, name) is not None for name in KINDS[self.kind] if name not in _OPTIONAL
        )

    def _require_bound(self) -> None:
        if not self.is_bound:
            missing = [n for n in ("min", "max") if getattr(self, n) is None] + [
                n for n in KINDS[self.kind] if n not in _OPTIONAL and getattr(self, n) is None
            ]
            raise ScenarioError(
                f"this {self.kind} distribution lacks {', '.join(missing)}: give them, or declare "
                "it on a parameter, which supplies its range and baseline value"
            )

    def _standard_bounds(self) -> tuple[float, float]:
        """The range in standard-normal units (of the logarithm for lognormal)."""
        lo = -math.inf if self.min is None else self.min
        hi = math.inf if self.max is None else self.max
        if self.kind == "normal":
            assert self.mu is not None and self.sd is not None
            return (lo - self.mu) / self.sd, (hi - self.mu) / self.sd
        assert self.median is not None and self.sigma is not None
        centre = math.log(self.median)
        log_lo = math.log(lo) if lo > 0 else -math.inf
        log_hi = math.log(hi) if hi < math.inf else math.inf
        return (log_lo - centre) / self.sigma, (log_hi - centre) / self.sigma

    def _beta_shapes(self) -> tuple[float, float]:
        assert self.min is not None and self.max is not None
        if self.kind == "beta":
            assert self.alpha is not None and self.beta is not None
            return self.alpha, self.beta
        assert self.likely is not None
        width = self.max - self.min
        if width == 0:
            return 1.0, 1.0
        return (
            1 + 4 * (self.likely - self.min) / width,
            1 + 4 * (self.max - self.likely) / width,
        )

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """Inverse distribution function: the values at cumulative probabilities ``u``.

        Vectorised over any array shape; ``u`` must lie in ``[0, 1]``. The values always lie
        inside ``[min, max]`` (clipped against rounding). Cost: a few array operations per
        value; the truncated normal and lognormal call :func:`scipy.special.ndtri`; beta and
        PERT interpolate a table of the exact inverse (see :func:`_beta_ppf`), about 0.1
        microseconds per value instead of 3 for :func:`scipy.special.betaincinv`.

        Raises
        ------
        ScenarioError
            If the distribution is not bound (see :meth:`bind`) or ``u`` leaves ``[0, 1]``.
        """
        self._require_bound()
        assert self.min is not None and self.max is not None
        q = np.asarray(u, dtype=np.float64)
        if q.size and not (np.all(q >= 0) and np.all(q <= 1)):
            raise ScenarioError("cumulative probabilities must lie in [0, 1]")
        lo, hi = self.min, self.max
        if lo == hi:
            return np.full(q.shape, lo)
        out = self._ppf(q, lo, hi)
        return np.clip(out, lo, hi)

    def _ppf(self, q: NDArray[np.float64], lo: float, hi: float) -> NDArray[np.float64]:
        if self.kind == "uniform":
            return lo + q * (hi - lo)
        if self.kind == "triangular":
            assert self.likely is not None
            # Inverse of the triangular CDF, piecewise: the two sides of the mode.
            c = self.likely
            below = lo + np.sqrt(q * (hi - lo) * (c - lo))
            above = hi - np.sqrt((1 - q) * (hi - lo) * (hi - c))
            out: NDArray[np.float64] = np.where(q < (c - lo) / (hi - lo), below, above)
            return out
        if self.kind in ("pert", "beta"):
            a, b = self._beta_shapes()
            return _beta_ppf(q, a, b) * (hi - lo) + lo
        if self.kind == "normal":
            assert self.mu is not None and self.sd is not None
            z = _truncated_normal_ppf(q, *self._standard_bounds())
            return self.mu + self.sd * z
        if self.kind == "lognormal":
            assert self.median is not None and self.sigma is not None
            z = _truncated_normal_ppf(q, *self._standard_bounds())
            return np.asarray(np.exp(math.log(self.median) + self.sigma * z), dtype=np.float64)
        values, cdf = self._discrete_table()
        index = np.minimum(np.searchsorted(cdf, q, side="right"), len(values) - 1)
        return values[index]

    def _discrete_table(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Values and their cumulative probabilities (the last exactly 1)."""
        values = np.asarray(self.values, dtype=np.float64)
        weights = (
            np.ones(len(values))
            if self.weights is None
            else np.asarray(self.weights, dtype=np.float64)
        )
        cdf = np.cumsum(weights) / weights.sum()
        cdf[-1] = 1.0
        return values, cdf

    def sample(self, n: int, rng: np.random.Generator | int | None = None) -> NDArray[np.float64]:
        """``n`` independent draws, from ``rng`` (a numpy Generator or a seed)."""
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 0:
            raise ScenarioError(f"the number of draws must be a non-negative integer, got {n!r}")
        generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
        return self.ppf(generator.random(int(n)))

    def mean(self) -> float:
        """The mean, in closed form (truncated normal and lognormal: their truncated means).

        Sources: the triangular mean ``(min + likely + max) / 3``; PERT ``(min + 4 likely +
        max) / 6``; beta ``min + (max - min) alpha / (alpha + beta)``; the truncated normal's
        ``mu + sd (phi(a) - phi(b)) / (Phi(b) - Phi(a))`` and the truncated lognormal's
        ``exp(m + s^2/2) (Phi(b - s) - Phi(a - s)) / (Phi(b) - Phi(a))`` (Johnson, Kotz and
        Balakrishnan 1994, ch. 13 and 14).
        """
        self._require_bound()
        assert self.min is not None and self.max is not None
        lo, hi = self.min, self.max
        if lo == hi:
            return lo
        if self.kind == "uniform":
            return (lo + hi) / 2
        if self.kind == "triangular":
            assert self.likely is not None
            return (lo + self.likely + hi) / 3
        if self.kind in ("pert", "beta"):
            a, b = self._beta_shapes()
            return lo + (hi - lo) * a / (a + b)
        if self.kind == "discrete":
            values, cdf = self._discrete_table()
            probs = np.diff(np.concatenate(([0.0], cdf)))
            return float(values @ probs)
        from scipy.special import ndtr

        a, b = self._standard_bounds()
        mass = float(ndtr(b) - ndtr(a)) if a < 0 else float(ndtr(-a) - ndtr(-b))
        if self.kind == "normal":
            assert self.mu is not None and self.sd is not None
            density = [
                math.exp(-z * z / 2) / math.sqrt(2 * math.pi) if math.isfinite(z) else 0.0
                for z in (a, b)
            ]
            return float(self.mu + self.sd * (density[0] - density[1]) / mass)
        assert self.median is not None and self.sigma is not None
        s = self.sigma
        return float(
            math.exp(math.log(self.median) + s * s / 2) * (ndtr(b - s) - ndtr(a - s)) / mass
        )

    # ------------------------------------------------------------------ words
    def describe(self) -> str:
        """The belief in plain words, e.g. ``"PERT from 0 to 5, most likely 1.5"``."""
        lo, hi = _bound(self.min, "min"), _bound(self.max, "max")
        if self.kind == "uniform":
            return f"uniform from {lo} to {hi}"
        if self.kind in ("triangular", "pert"):
            name = "PERT" if self.kind == "pert" else "triangular"
            likely = "the baseline" if self.likely is None else format_number(self.likely)
            return f"{name} from {lo} to {hi}, most likely {likely}"
        if self.kind == "normal":
            mu = "the baseline" if self.mu is None else format_number(self.mu)
            return (
                f"normal with mean {mu} and standard deviation {format_number(self.sd or 0)}, "
                f"truncated to [{lo}, {hi}]"
            )
        if self.kind == "lognormal":
            median = "the baseline" if self.median is None else format_number(self.median)
            return (
                f"lognormal with median {median} and log-standard deviation "
                f"{format_number(self.sigma or 0)}, truncated to [{lo}, {hi}]"
            )
        if self.kind == "beta":
            return (
                f"beta({format_number(self.alpha or 0)}, {format_number(self.beta or 0)}) "
                f"scaled to [{lo}, {hi}]"
            )
        values = self.values or ()
        if self.weights is None:
            shown = ", ".join(format_number(v) for v in values[:10])
            more = f" and {len(values) - 10:,} more" if len(values) > 10 else ""
            return f"equally likely: {shown}{more}"
        total = math.fsum(self.weights)
        parts = [
            f"{format_number(v)} ({format_number(w / total, 3)})"
            for v, w in zip(values[:10], self.weights[:10], strict=False)
        ]
        more = f" and {len(values) - 10:,} more" if len(values) > 10 else ""
        return "one of " + ", ".join(parts) + more

    def to_dict(self) -> dict[str, Any]:
        """The kind and its numbers (those given), as plain JSON-ready values."""
        out: dict[str, Any] = {"kind": self.kind}
        for name in _FIELDS[1:]:
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        for name in ("values", "weights"):
            items = getattr(self, name)
            if items is not None:
                out[name] = list(items)
        return out

    def __str__(self) -> str:
        return self.describe()


def _truncated_normal_ppf(q: NDArray[np.float64], a: float, b: float) -> NDArray[np.float64]:
    """Inverse CDF of the standard normal truncated to ``[a, b]``.

    ``Phi^-1(Phi(a) + q (Phi(b) - Phi(a)))``, computed in the tail the range lies in (by
    symmetry when ``a > 0``) so that a range far in the upper tail keeps its precision.
    """
    from scipy.special import ndtr, ndtri

    if a > 0:
        upper = float(ndtr(-a))
        z = -ndtri(upper - q * (upper - float(ndtr(-b))))
    else:
        lower = float(ndtr(a))
        z = ndtri(lower + q * (float(ndtr(b)) - lower))
    return np.clip(np.asarray(z, dtype=np.float64), a, b)


#: Nodes per half of the table of a beta inverse, and the largest interpolation error accepted
#: (checked at every cell's midpoint when the table is built; past it the exact inverse is used).
_BETA_NODES = 2049
_BETA_TOL = 1e-12


def _beta_ppf(q: NDArray[np.float64], a: float, b: float) -> NDArray[np.float64]:
    """Inverse of the regularised incomplete beta function ``I_x(a, b)``, vectorised.

    ``scipy.special.betaincinv`` costs about 3 microseconds a value, which made the beta and
    PERT beliefs the largest cost of a Monte Carlo run. Instead the inverse is tabulated once
    per shape and interpolated by cubic Hermite polynomials with the exact slopes
    ``dx/du = 1 / f(x)``. In each tail the inverse behaves like a power of ``u`` (``x ~ (a
    B(a, b) u)^(1/a)`` as ``u -> 0``), which no polynomial follows, so the lower half
    (``u <= 1/2``) is tabulated against ``s = u^(1/a)``, where it is smooth, and the upper half
    by symmetry, ``1 - x = I^-1_{1-u}(b, a)``. The table is checked against the exact inverse at
    the midpoint of every cell; a shape whose error exceeds :data:`_BETA_TOL` is computed
    exactly instead.
    """
    lower, upper = _beta_half(a, b), _beta_half(b, a)
    if lower is None or upper is None:
        from scipy.special import betaincinv

        return np.asarray(betaincinv(a, b, q), dtype=np.float64)
    low_half = q <= 0.5
    out = np.empty(q.shape)
    out[low_half] = _hermite(lower, q[low_half] ** (1 / a))
    out[~low_half] = 1 - _hermite(upper, (1 - q[~low_half]) ** (1 / b))
    return out


_HalfTable = tuple[float, NDArray[np.float64], NDArray[np.float64]]


@functools.lru_cache(maxsize=256)
def _beta_half(a: float, b: float) -> _HalfTable | None:
    """Table of ``x = I^-1_u(a, b)`` against ``s = u^(1/a)`` for ``u`` in ``[0, 1/2]``.

    Returns the node spacing, the values and the slopes ``dx/ds``, or None when the cubic
    Hermite interpolant misses the exact inverse by more than :data:`_BETA_TOL` somewhere.
    """
    from scipy.special import betaincinv, betaln

    top = 0.5 ** (1 / a)
    s = np.linspace(0.0, top, _BETA_NODES)
    x = np.asarray(betaincinv(a, b, s**a), dtype=np.float64)
    slope = _beta_slope(s, x, a, b, betaln(a, b))
    table = (top / (_BETA_NODES - 1), x, slope)
    mid = (s[:-1] + s[1:]) / 2
    exact = np.asarray(betaincinv(a, b, mid**a), dtype=np.float64)
    if not np.all(np.abs(_hermite(table, mid) - exact) <= _BETA_TOL):
        return None
    return table


def _beta_slope(
    s: NDArray[np.float64], x: NDArray[np.float64], a: float, b: float, log_beta: float
) -> NDArray[np.float64]:
    """``dx/ds`` with ``u = s^a``: ``a s^(a-1) / f(x)``, f the beta density.

    At ``s = 0`` it is the limit ``(a B(a, b))^(1/a)``, from ``I_x(a, b) ~ x^a / (a B(a, b))``.
    """
    slope = np.empty_like(s)
    inside = x > 0  # x is 0 at s = 0, and where s^a underflows (then the limit holds too)
    xs = x[inside]
    log_density = (a - 1) * np.log(xs) + (b - 1) * np.log1p(-xs) - log_beta
    slope[inside] = a * np.exp((a - 1) * np.log(s[inside]) - log_density)
    slope[~inside] = math.exp((math.log(a) + log_beta) / a)
    return slope


def _hermite(table: _HalfTable, s: NDArray[np.float64]) -> NDArray[np.float64]:
    """Evaluate a cubic Hermite table at ``s`` (clipped to its nodes)."""
    h, x, slope = table
    cell = np.clip((s / h).astype(np.int64), 0, len(x) - 2)
    t = np.clip(s / h - cell, 0.0, 1.0)
    t2, t3 = t * t, t * t * t
    value: NDArray[np.float64] = (
        (2 * t3 - 3 * t2 + 1) * x[cell]
        + (t3 - 2 * t2 + t) * h * slope[cell]
        + (-2 * t3 + 3 * t2) * x[cell + 1]
        + (t3 - t2) * h * slope[cell + 1]
    )
    return value


def _takes(kind: str) -> str:
    names = [*KINDS[kind], "min", "max"]
    return ", ".join(f"'{n}'" for n in names) if kind != "uniform" else "only 'min' and 'max'"


def _bound(value: float | None, default: str) -> str:
    return default if value is None else format_number(value)
