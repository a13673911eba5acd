"""Adapter to nashpy: the only module that imports it.

nashpy's solvers are offered for comparison and cross-checking, with two of its known pitfalls
worked around (measured in DESIGN.md section 9):

- ``vertex_enumeration`` assumes positive payoffs, so payoffs are first mapped to ``[1, 2]`` by a
  positive affine change (which changes no equilibrium);
- ``support_enumeration`` misses equilibria of degenerate games and, through an exact
  ``>= 0`` test, sometimes of nondegenerate ones; its list is therefore never marked complete.

nashpy's ``lemke_howson`` is not wrapped: it can loop forever on degenerate games; use this
project's ``lemke_howson``, which has a pivot bound.
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..model.game import Game
from .cost import bases
from .polytope import normalised
from .registry import register
from .result import Candidates

#: nashpy tries bases or supports one at a time in Python: refuse beyond this (8x8 and up).
MAX_NASHPY_BASES = 5_000

__all__ = ["nashpy_support_enumeration", "nashpy_vertex_enumeration"]


def _collect(iterator: Iterable[Sequence[ArrayLike]]) -> list[tuple[NDArray[np.float64], ...]]:
    """Materialise nashpy's generator, silencing its degeneracy warnings (ours are reported)."""
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore")
        return [tuple(np.asarray(s, dtype=np.float64) for s in p) for p in iterator]


@register(
    "nashpy_vertex_enumeration",
    summary="nashpy's vertex enumeration (payoffs shifted positive first)",
    two_player_only=True,
    finds="some",
    work=bases,
    max_work=MAX_NASHPY_BASES,
    work_unit="bases (nashpy tries each in Python)",
)
def nashpy_vertex_enumeration(game: Game, *, tol: float) -> Candidates:
    """Equilibria from ``nashpy.Game.vertex_enumeration`` on payoffs normalised to [1, 2].

    Returns
    -------
    Candidates
        Never marked complete: nashpy's polytope code is not guaranteed on degenerate games.
    """
    import nashpy

    A, B = game.bimatrix()
    profiles = _collect(nashpy.Game(normalised(A), normalised(B)).vertex_enumeration())
    return Candidates(
        profiles,
        complete=False,
        warnings=[
            "nashpy's vertex enumeration is not guaranteed complete on "
            "degenerate games; use 'vertex_enumeration'"
        ],
    )


@register(
    "nashpy_support_enumeration",
    summary="nashpy's support enumeration (may miss equilibria)",
    two_player_only=True,
    finds="some",
    work=bases,
    max_work=MAX_NASHPY_BASES,
    work_unit="support pairs (nashpy tries each in Python)",
)
def nashpy_support_enumeration(game: Game, *, tol: float) -> Candidates:
    """Equilibria from ``nashpy.Game.support_enumeration``.

    Returns
    -------
    Candidates
        Never marked complete (see the module docstring).
    """
    import nashpy

    A, B = game.bimatrix()
    profiles = _collect(nashpy.Game(A, B).support_enumeration(tol=tol * float(game.scales.min())))
    return Candidates(
        profiles,
        complete=False,
        warnings=[
            "nashpy's support enumeration can miss equilibria; use "
            "'support_enumeration' or 'vertex_enumeration'"
        ],
    )
