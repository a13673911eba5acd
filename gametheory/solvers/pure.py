"""Pure-strategy equilibria of N-player games."""

from __future__ import annotations

import numpy as np

from ..model.game import TIE_TOL, Game
from .cost import profile_work
from .registry import MAX_LISTED, register
from .result import Candidates

__all__ = ["pure_equilibria", "pure_equilibrium_mask"]


def pure_equilibrium_mask(game: Game, tol: float = TIE_TOL) -> np.ndarray:
    """Boolean array of the game's shape: True where the pure profile is an equilibrium.

    A profile is an equilibrium when no player gains more than ``tol`` times its payoff scale
    by a unilateral deviation (ties decided at :data:`~gametheory.model.game.TIE_TOL` by default).
    Vectorised: one maximum along each player's own axis.
    """
    mask = np.ones(game.shape, dtype=bool)
    for p, scale in enumerate(game.scales):
        own = game.payoffs[p]
        mask &= own >= own.max(axis=p, keepdims=True) - tol * scale
    return mask


@register(
    "pure",
    summary="every pure-strategy equilibrium of an N-player game",
    two_player_only=False,
    finds="pure",
    work=profile_work,
    max_work=200_000_000,
    work_unit="payoff comparisons",
)
def pure_equilibria(game: Game, *, tol: float) -> Candidates:
    """Enumerate pure-strategy equilibria by checking every profile at once.

    Returns
    -------
    Candidates
        Every pure equilibrium. ``complete`` is False: mixed equilibria are not sought (a game
        with no pure equilibrium still has a mixed one, by Nash's theorem).

    Notes
    -----
    Cost: ``O(N * prod(n_i))`` operations and memory of one boolean per profile.
    """
    mask = pure_equilibrium_mask(game)
    found = int(mask.sum())
    profiles = []
    listed = _listable(game)
    for index in np.argwhere(mask)[:listed]:
        strategies = []
        for p, a in enumerate(index):
            vec = np.zeros(game.shape[p])
            vec[a] = 1.0
            strategies.append(vec)
        profiles.append(tuple(strategies))
    warnings = ["only pure-strategy equilibria are sought; mixed equilibria may also exist"]
    if found > listed:
        warnings.append(f"{found:,} pure equilibria exist; the first {listed:,} are listed")
    return Candidates(
        profiles,
        complete=False,
        warnings=warnings,
        details={"scope": "pure", "pure_equilibria": found},
    )


#: Probabilities held by the listed equilibria at most (each is one dense vector per player).
MAX_LISTED_PROBABILITIES = 20_000_000


def _listable(game: Game) -> int:
    """How many equilibria to list: :data:`MAX_LISTED`, fewer when strategies are very long.

    A 2^20 x 2 game's equilibria are vectors of a million probabilities each; listing a
    thousand of them would take gigabytes.
    """
    return max(1, min(MAX_LISTED, MAX_LISTED_PROBABILITIES // sum(game.shape)))
