"""Cross-check against Gambit (pygambit 17, an independent implementation).

Gambit's ``enummixed`` in rational arithmetic lists the extreme equilibria of a bimatrix game
(it may list one twice, DESIGN.md section 9, so sets are compared). Our ``vertex_enumeration``
must find exactly the same set, on degenerate games full of ties as well as on generic ones.
Skipped with a reason where pygambit is not installed (it comes with the ``[dev]`` and
``[gambit]`` extras).
"""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt

from .conftest import as_set, regret_bimatrix

gbt = pytest.importorskip("pygambit", reason="pygambit not installed ([gambit] extra)")


def gambit_extreme_equilibria(A, B, digits: int | None = 6) -> set[tuple[float, ...]]:
    """Gambit's extreme equilibria as flat probability tuples (rounded unless digits=None)."""
    game = gbt.StrategicGame.from_arrays(A, B)
    result = gbt.nash.enummixed_solve(game, rational=True)
    flat = [np.array([float(p) for player in eq for _, p in player]) for eq in result.equilibria]
    if digits is not None:
        flat = [np.round(f, digits) + 0.0 for f in flat]
    return {tuple(f) for f in flat}


def random_games(seed: int, count: int, integers: bool):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        m, n = (int(v) for v in rng.integers(2, 6, size=2))
        if integers:
            yield rng.integers(0, 5, size=(m, n)), rng.integers(0, 5, size=(m, n))
        else:
            # Decimals with two places, so Gambit's rational arithmetic sees the same numbers.
            yield (
                np.round(rng.uniform(-5, 5, size=(m, n)), 2),
                np.round(rng.uniform(-5, 5, size=(m, n)), 2),
            )


def _to_gambit(M):
    from fractions import Fraction

    return np.array(
        [[Fraction(str(v)) for v in row] for row in np.asarray(M).tolist()], dtype=object
    )


@pytest.mark.parametrize("integers", [True, False], ids=["small-integers", "decimals"])
def test_same_extreme_equilibria_as_gambit_enummixed(integers: bool) -> None:
    degenerate = 0
    for A, B in random_games(2026 + integers, 300, integers):
        ours = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
        theirs = gambit_extreme_equilibria(_to_gambit(A), _to_gambit(B))
        assert as_set(ours, 6) == theirs, (A.tolist(), B.tolist())
        degenerate += bool(ours.degenerate)
        for eq in ours.equilibria:
            assert regret_bimatrix(A, B, *eq.strategies) <= 1e-9 * 5
    if integers:
        assert degenerate > 100  # small integer payoffs make most games degenerate


@pytest.mark.parametrize(
    ("A", "B"),
    [
        # nashpy documentation, degenerate game: A = [[1, 1, -1], [2, -1, 0]],
        # B = [[1/2, -1, -1/2], [-1, 3, 2]] ("Degenerate games" section).
        ([[1, 1, -1], [2, -1, 0]], [[0.5, -1, -0.5], [-1, 3, 2]]),
        # DESIGN.md section 9: the game on which nashpy's lemke_howson loops from label 7.
        (
            [[5, 0, 8, 2], [7, 6, 7, 0], [3, 0, 8, 5], [5, 6, 0, 4]],
            [[4, 6, 1, 0], [4, 7, 2, 0], [0, 3, 8, 3], [6, 8, 3, 6]],
        ),
        # A strategy whose payoffs are all zero (nashpy's vertex enumeration fails on these).
        ([[0, 0], [1, 2]], [[0, 0], [2, 1]]),
        # All payoffs equal: every profile is an equilibrium.
        ([[1, 1], [1, 1]], [[1, 1], [1, 1]]),
    ],
)
def test_degenerate_examples_match_gambit(A, B) -> None:
    ours = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    assert as_set(ours, 6) == gambit_extreme_equilibria(_to_gambit(A), _to_gambit(B))
