"""Exact verification of equilibria in integer arithmetic.

Floating-point regret checks can accept profiles that are not equilibria when the tolerance is
loose, and show round-off (``0.49999999999999994``) when it is tight. When every payoff is a
decimal with at most :data:`MAX_DECIMALS` places (integers, or values such as 0.55), the payoffs
are scaled to integers, each probability of a float equilibrium is replaced by the nearest
fraction with a bounded denominator, and the equilibrium conditions are checked exactly with
Python integers: if each player's best pure payoff equals its expected payoff, the rational
profile is an exact equilibrium, and it replaces the float one.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

__all__ = ["exact_equilibrium", "integer_payoffs"]

#: Games with more payoff entries than this are not checked exactly (cost).
MAX_CELLS = 20_000
#: Payoffs are recognised as decimals with up to this many places.
MAX_DECIMALS = 6
#: Largest denominator tried for each probability.
PROBABILITY_DENOMINATOR = 1_000_000


def integer_payoffs(payoffs: NDArray[np.float64]) -> NDArray[np.object_] | None:
    """The payoffs times ``10**k`` as Python integers, for the smallest ``k`` that works.

    Returns None if some payoff is not a decimal with at most :data:`MAX_DECIMALS` places
    (to a relative accuracy of 1e-12), or the game is too large.
    """
    if payoffs.size > MAX_CELLS:
        return None
    for places in range(MAX_DECIMALS + 1):
        scaled = payoffs * 10**places
        rounded = np.round(scaled)
        if np.all(np.abs(scaled - rounded) <= 1e-12 * np.maximum(1.0, np.abs(scaled))):
            return np.vectorize(int, otypes=[object])(rounded)  # type: ignore[no-any-return]
    return None


def _integer_strategy(vec: NDArray[np.float64]) -> tuple[list[int], int] | None:
    """Numerators and common denominator of the nearest bounded-denominator fractions."""
    fracs = [Fraction(float(x)).limit_denominator(PROBABILITY_DENOMINATOR) for x in vec]
    if any(f < 0 for f in fracs):
        return None
    total = sum(fracs, Fraction(0))
    if total == 0:
        return None
    fracs = [f / total for f in fracs]
    if max(abs(float(f) - float(x)) for f, x in zip(fracs, vec, strict=True)) > 1e-9:
        return None
    common = math.lcm(*(f.denominator for f in fracs))
    return [f.numerator * (common // f.denominator) for f in fracs], common


def exact_equilibrium(
    payoffs: NDArray[np.object_], strategies: tuple[NDArray[np.float64], ...]
) -> tuple[NDArray[np.float64], ...] | None:
    """A nearby rational profile verified exactly as an equilibrium (as floats), or None.

    Parameters
    ----------
    payoffs
        Integer payoffs from :func:`integer_payoffs` (layout of :mod:`gametheory.model.game`).
    strategies
        A float profile that passed the floating-point regret check.
    """
    integral = [_integer_strategy(s) for s in strategies]
    if any(item is None for item in integral):
        return None
    numerators = [np.array(item[0], dtype=object) for item in integral if item is not None]
    denominators = [item[1] for item in integral if item is not None]
    n = len(numerators)
    for p in range(n):
        values = payoffs[p]
        for q in reversed(range(n)):
            if q != p:
                values = np.tensordot(values, numerators[q], axes=([q], [0]))
        # values[a] is (common factor) x the payoff of pure action a; compare best to expected.
        expected = sum(int(v) * int(x) for v, x in zip(values, numerators[p], strict=True))
        if max(values) * denominators[p] != expected:
            return None
    return tuple(
        np.array([int(x) / d for x in num], dtype=np.float64)
        for num, d in zip(numerators, denominators, strict=True)
    )
