"""When ``auto`` uses ``polynomial_enumeration`` (kept apart so the registry can ask cheaply).

The registry imports this module; :mod:`.polyenum` imports the registry to register itself,
so these checks live here, with no dependence on either.
"""

from __future__ import annotations

import math

import numpy as np

from ..model.game import Game

__all__ = [
    "AUTO_MAX_SUPPORT_PROFILES",
    "AUTO_MAX_UNKNOWNS",
    "auto_fits",
    "pure_dominance_solvable",
    "support_profile_count",
    "unknowns",
]

#: ``auto`` uses ``polynomial_enumeration`` on games of more than two players up to this many
#: support profiles and :data:`AUTO_MAX_UNKNOWNS` unknowns (3x3x3: 343 and 6; random 3x3x3
#: 2-15 s).
AUTO_MAX_SUPPORT_PROFILES = 343
AUTO_MAX_UNKNOWNS = 6


def support_profile_count(game: Game) -> int:
    """Support profiles examined: ``prod (2^n_i - 1)``."""
    return math.prod(2**n - 1 for n in game.shape)


def unknowns(game: Game) -> int:
    """Unknowns of the largest indifference system: ``sum (n_i - 1)``."""
    return sum(n - 1 for n in game.shape)


def auto_fits(game: Game) -> bool:
    """Whether ``auto`` should use this method on a game of three or more players.

    Yes within the ``AUTO_`` limits, unless iterated pure dominance alone solves the game
    (``iesds`` then explains the unique equilibrium better).
    """
    return (
        support_profile_count(game) <= AUTO_MAX_SUPPORT_PROFILES
        and unknowns(game) <= AUTO_MAX_UNKNOWNS
        and not pure_dominance_solvable(game)
    )


def pure_dominance_solvable(game: Game) -> bool:
    """Whether iterated strict dominance by pure actions leaves a single profile.

    That profile is then the unique equilibrium (Osborne and Rubinstein 1994, section 4.2).

    Cost: at most ``sum n_i`` rounds of ``n_i^2`` comparisons over the surviving profiles.
    """
    alive = [tuple(range(n)) for n in game.shape]
    changed = True
    while changed:
        changed = False
        for i in range(game.n_players):
            index = tuple(np.array(alive[j]) for j in range(game.n_players))
            own = np.moveaxis(game.payoffs[i][np.ix_(*index)], i, 0)
            own = own.reshape(len(alive[i]), -1)
            keep = [a for k, a in enumerate(alive[i]) if not np.any(np.all(own > own[k], axis=1))]
            if len(keep) < len(alive[i]):
                alive[i] = tuple(keep)
                changed = True
    return all(len(a) == 1 for a in alive)
