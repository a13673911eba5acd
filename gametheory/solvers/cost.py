"""Work estimates for the solvers, checked before anything is computed.

Each estimate counts the solver's dominant elementary steps in exact integer arithmetic (no
overflow whatever the game's size), and each solver registers a limit calibrated on this
project's 2-core machine so that a call within it finishes in well under a minute. A game over a
solver's limit gets a :class:`~gametheory.errors.SolverError` that names the estimate, the limit
and a method that can cope, before any array is allocated; ``solve(..., max_work=...)`` raises a
limit for a user who is willing to wait.

Measured here (2026-11): vertex enumeration tries about 100,000 bases per second (11x11,
705,432 bases: 7 s); support enumeration about half that; nashpy's enumerations a few thousand
per second at best; Lemke-Howson about (m + n)^3 / 2,000,000 seconds (100x100: 4 s); iterated
dominance one linear program per action per round (100x100: 44 s).
"""

from __future__ import annotations

import math

from ..model.game import Game

__all__ = [
    "bases",
    "dominance_work",
    "linear_program_work",
    "pivoting_work",
    "profile_work",
]


def bases(game: Game) -> int:
    """Bases per best-response polytope of a bimatrix game, ``C(m + n, m)``.

    Also the number of equal-size support pairs less one (Vandermonde's identity), so it bounds
    support enumeration too.
    """
    m, n = game.shape
    return math.comb(m + n, m)


def pivoting_work(game: Game) -> int:
    """Lemke-Howson: about ``m + n`` pivots of ``O((m + n)^2)`` each on typical games."""
    return sum(game.shape) ** 3


def dominance_work(game: Game) -> int:
    """Iterated dominance: one linear program per action, each over all the others' profiles."""
    return sum(game.shape) * math.prod(game.shape)


def linear_program_work(game: Game) -> int:
    """One linear program with a constraint per pure profile."""
    return math.prod(game.shape)


def profile_work(game: Game) -> int:
    """Checking every pure profile for every player."""
    return game.n_players * math.prod(game.shape)
