"""Exact verification of equilibria in rational arithmetic.

Floating-point regret checks can accept profiles that are not equilibria when the tolerance is
loose, and show round-off (``0.49999999999999994``) when it is tight. When every payoff is a
rational number with a small denominator (integers, or decimals such as 0.55), a float
equilibrium is converted to the nearest fractions with bounded denominators and checked
exactly: if every player's best pure payoff equals its expected payoff in exact arithmetic, the
rational profile is an equilibrium, and it replaces the float one.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from ..game import Game

__all__ = ["exact_equilibrium", "rational_payoffs"]

#: Games with more payoff entries than this are not checked exactly (cost).
MAX_CELLS = 20_000
#: Largest denominator tried for payoffs and for probabilities.
PAYOFF_DENOMINATOR = 10_000
PROBABILITY_DENOMINATOR = 1_000_000


def rational_payoffs(game: Game) -> NDArray[np.object_] | None:
    """The payoffs as Fractions if each is (to 1e-12) a fraction with a small denominator."""
    if game.payoffs.size > MAX_CELLS:
        return None
    flat = game.payoffs.reshape(-1)
    fractions = [Fraction(float(v)).limit_denominator(PAYOFF_DENOMINATOR) for v in flat]
    if any(
        abs(float(f) - v) > 1e-12 * max(1.0, abs(v)) for f, v in zip(fractions, flat, strict=True)
    ):
        return None
    out = np.empty(len(fractions), dtype=object)
    out[:] = fractions
    return out.reshape(game.payoffs.shape)


def _rational_strategy(vec: NDArray[np.float64]) -> list[Fraction] | None:
    fracs = [Fraction(float(x)).limit_denominator(PROBABILITY_DENOMINATOR) for x in vec]
    total = sum(fracs, Fraction(0))
    if total == 0 or any(f < 0 for f in fracs):
        return None
    fracs = [f / total for f in fracs]
    if max(abs(float(f) - float(x)) for f, x in zip(fracs, vec, strict=True)) > 1e-9:
        return None
    return fracs


def exact_equilibrium(
    payoffs: NDArray[np.object_], strategies: tuple[NDArray[np.float64], ...]
) -> tuple[NDArray[np.float64], ...] | None:
    """Nearby rational profile verified exactly as an equilibrium, as floats; else None."""
    rational = [_rational_strategy(s) for s in strategies]
    if any(r is None for r in rational):
        return None
    vectors = [np.array(r, dtype=object) for r in rational]
    n = len(vectors)
    for p in range(n):
        values = payoffs[p]
        for q in reversed(range(n)):
            if q != p:
                values = np.tensordot(values, vectors[q], axes=([q], [0]))
        expected = sum((v * x for v, x in zip(values, vectors[p], strict=True)), Fraction(0))
        if max(values) != expected:
            return None
    return tuple(np.array([float(f) for f in r]) for r in rational if r is not None)
