"""Shared test helpers.

``regret_bimatrix`` is an independent regret check written directly from the definition of a
Nash equilibrium (no project code), used to test the project's own check and its solvers.
"""

from __future__ import annotations

import itertools
import math
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# HYPOTHESIS_PROFILE=thorough runs the property tests on many more examples.
settings.register_profile("default", max_examples=60)
settings.register_profile("thorough", max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parents[1]
PAYOFFS = ROOT / "payoffs"


def regret_n_player(payoffs: np.ndarray, strategies) -> float:
    """Largest gain from a pure deviation, summing over every pure profile (an oracle
    independent of the solvers' vectorised regret)."""
    n = payoffs.shape[0]
    shape = payoffs.shape[1:]
    worst = 0.0
    for i in range(n):
        values = np.zeros(shape[i])
        for s in itertools.product(*(range(k) for k in shape)):
            weight = math.prod(strategies[q][s[q]] for q in range(n) if q != i)
            values[s[i]] += weight * payoffs[i][s]
        worst = max(worst, float(values.max() - values @ strategies[i]))
    return worst


def flat_profile(profile) -> tuple[float, ...]:
    """A profile as one rounded tuple, for comparing sets of equilibria."""
    return tuple(np.round(np.concatenate(profile), 6) + 0.0)


def regret_bimatrix(A, B, x, y) -> float:
    """Largest gain from a unilateral pure deviation in the bimatrix game (A, B)."""
    A, B, x, y = (np.asarray(v, dtype=float) for v in (A, B, x, y))
    row = (A @ y).max() - x @ A @ y
    col = (x @ B).max() - x @ B @ y
    return float(max(row, col))


def as_set(result, digits: int = 6) -> set[tuple[float, ...]]:
    """A solve result's equilibria as a set of rounded flat probability tuples."""
    return {
        tuple(np.round(np.concatenate(eq.strategies), digits) + 0.0) for eq in result.equilibria
    }


def flat_set(profiles, digits: int = 6) -> set[tuple[float, ...]]:
    """Profiles given as (x, y, ...) tuples, as a set of rounded flat tuples."""
    return {
        tuple(np.round(np.concatenate([np.asarray(s, float) for s in p]), digits) + 0.0)
        for p in profiles
    }


def same_profiles(first, second, atol: float = 1e-7) -> bool:
    """Whether two collections of flat profiles match one to one within ``atol``."""
    first = [np.asarray(p, dtype=float) for p in first]
    second = [np.asarray(p, dtype=float) for p in second]

    # Collapse duplicates within each side (Gambit can list one twice).
    def unique(items):
        kept = []
        for p in items:
            if not any(np.abs(p - q).max() <= atol for q in kept):
                kept.append(p)
        return kept

    first, second = unique(first), unique(second)
    return len(first) == len(second) and all(
        any(np.abs(p - q).max() <= atol for q in second) for p in first
    )


@pytest.fixture
def payoffs_dir() -> Path:
    return PAYOFFS
