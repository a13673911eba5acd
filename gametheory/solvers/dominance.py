"""Iterated elimination of strictly dominated strategies (pure or mixed dominators).

An action ``a`` of player ``i`` is strictly dominated when some mixed strategy ``s`` over the
player's other remaining actions pays strictly more against every remaining profile of the other
players. This is decided by one linear program per action (maximise the smallest margin ``e``
such that ``sum_k s_k u_i(k, c) - u_i(a, c) >= e`` for every profile ``c`` of the others, which is
the maximin problem of :func:`~gametheory.solvers.minimax.maximin`; dominated when
``e > tol * scale``). Eliminating strictly dominated strategies, in any order, never removes
an equilibrium and never creates one (Osborne and Rubinstein, *A Course in Game Theory*, 1994,
section 4.2), so equilibria of the reduced game are exactly those of the game.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import Game
from .cost import dominance_work
from .minimax import maximin
from .registry import CONSTANT_GAME_WARNING, register, solve, two_player_method
from .result import Candidates

#: Iterated dominance is refused beyond this many LP entries per round (about 70x70 actions).
MAX_DOMINANCE_WORK = 1_000_000

__all__ = ["DominanceResult", "Elimination", "iesds", "iterated_dominance"]


@dataclass(frozen=True)
class Elimination:
    """One eliminated action and what dominates it."""

    round: int
    player: str
    action: str
    dominated_by: dict[str, float]
    margin: float


@dataclass(frozen=True)
class DominanceResult:
    """The outcome of iterated strict dominance.

    Attributes
    ----------
    game
        The original game.
    reduced
        The game restricted to the surviving actions.
    surviving
        For each player, the indices (in ``game``) of surviving actions.
    eliminated
        The eliminations in order.
    """

    game: Game
    reduced: Game
    surviving: tuple[tuple[int, ...], ...]
    eliminated: tuple[Elimination, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "surviving": {
                p: [self.game.actions[i][k] for k in keep]
                for i, (p, keep) in enumerate(zip(self.game.players, self.surviving, strict=True))
            },
            "eliminated": [
                {
                    "round": e.round,
                    "player": e.player,
                    "action": e.action,
                    "dominated_by": e.dominated_by,
                    "margin": e.margin,
                }
                for e in self.eliminated
            ],
        }


def _dominator(
    own: NDArray[np.float64], a: int, others: list[int], eps: float
) -> tuple[NDArray[np.float64], float] | None:
    """Mixed strategy over ``others`` strictly dominating row ``a`` of ``own``, if any.

    ``own`` is ``(n_own, n_profiles)``: the player's payoff for each own action against each
    remaining profile of the other players.
    """
    k = len(others)
    if k == 0:
        return None
    diff = own[others] - own[a]  # (k, profiles)
    # The best mix maximises its worst-case margin: the row player's maximin of ``diff``.
    try:
        weights, _ = maximin(diff)
    except SolverError:
        return None
    # Re-check the margin directly rather than trusting the LP objective.
    margin = float((weights @ diff).min())
    if margin > eps:
        return weights, margin
    return None


def iterated_dominance(
    game: Game, tol: float = 1e-9, *, max_work: int | None = MAX_DOMINANCE_WORK
) -> DominanceResult:
    """Iteratively remove strictly dominated actions (by pure or mixed strategies).

    Parameters
    ----------
    game
        Any N-player game.
    tol
        Relative tolerance: dominance must hold by more than ``tol`` times the player's payoff
        scale.

    Returns
    -------
    DominanceResult
        Surviving actions, the reduced game and the eliminations with their dominators.

    Raises
    ------
    SolverError
        If the game is too large: one round would need more than ``max_work`` linear-program
        entries (see :mod:`gametheory.solvers.cost`; ``None`` lifts the limit).

    Notes
    -----
    Each round solves one small LP per remaining action; rounds repeat until nothing changes.
    """
    work = dominance_work(game)
    if max_work is not None and work > max_work:
        shape = "x".join(str(n) for n in game.shape)
        raise SolverError(
            f"iterated dominance of this {shape} game would solve linear programs with about "
            f"{work:,} entries per round (limit {max_work:,}); pass max_work={work} to wait"
        )
    scales = game.scales
    surviving = [list(range(n)) for n in game.shape]
    eliminated: list[Elimination] = []
    round_number = 0
    changed = True
    while changed:
        changed = False
        round_number += 1
        for p in range(game.n_players):
            for action in list(surviving[p]):
                if len(surviving[p]) < 2:
                    break
                current = surviving[p].index(action)
                own = np.moveaxis(game.payoffs[p][np.ix_(*surviving)], p, 0)
                own = own.reshape(len(surviving[p]), -1)
                rest = [k for k in range(len(surviving[p])) if k != current]
                found = _dominator(own, current, rest, tol * scales[p])
                if found is None:
                    continue
                weights, margin = found
                dominated_by = {
                    game.actions[p][surviving[p][k]]: float(w)
                    for k, w in zip(rest, weights, strict=True)
                    if w > 1e-12
                }
                eliminated.append(
                    Elimination(
                        round_number, game.players[p], game.actions[p][action], dominated_by, margin
                    )
                )
                surviving[p].remove(action)
                changed = True
    keep = tuple(tuple(s) for s in surviving)
    reduced_payoffs = game.payoffs[np.ix_(range(game.n_players), *surviving)]
    reduced = Game(
        game.players,
        tuple(tuple(game.actions[p][k] for k in s) for p, s in enumerate(surviving)),
        reduced_payoffs,
        game.title,
    )
    return DominanceResult(game, reduced, keep, tuple(eliminated))


@register(
    "iesds",
    summary="iterated strict dominance, then equilibria of the reduced game",
    two_player_only=False,
    finds="all",
    work=dominance_work,
    max_work=MAX_DOMINANCE_WORK,
    work_unit="linear-program entries per round",
)
def iesds(game: Game, *, tol: float, then: str = "auto") -> Candidates:
    """Eliminate strictly dominated actions, solve what remains, map back.

    The reduced game is solved with ``then`` (``auto`` by default: vertex enumeration for two
    players when the reduced game is small enough, else Lemke-Howson; pure equilibria for
    more). When one action per player survives, that profile is the unique equilibrium and the
    result is complete.

    Returns
    -------
    Candidates
        Equilibria of the original game; ``details["eliminated"]`` lists the eliminations.
    """
    result = iterated_dominance(game, tol, max_work=None)  # solve() checked the work
    reduced = result.reduced
    details: dict[str, Any] = {"dominance": result.to_dict()}
    if all(len(s) == 1 for s in result.surviving):
        inner_profiles = [tuple(np.ones(1) for _ in reduced.players)]
        complete, warnings = True, []
        details["then"] = "none: one action per player survives"
    else:
        if then == "auto":
            then = two_player_method(reduced) if reduced.n_players == 2 else "pure"
        inner = solve(reduced, then, tol=tol)
        inner_profiles = [eq.strategies for eq in inner.equilibria]
        complete, warnings = (
            inner.complete,
            [w for w in inner.warnings if not w.startswith(CONSTANT_GAME_WARNING)],
        )
        if inner.details.get("every_profile_is_equilibrium"):
            warnings.append(
                "after dominance, every remaining player's payoffs are constant: every "
                "mixture of the surviving actions is an equilibrium"
            )
        details["then"] = then
    profiles = []
    for strategies in inner_profiles:
        full = []
        for p, s in enumerate(strategies):
            vec = np.zeros(game.shape[p])
            vec[list(result.surviving[p])] = s
            full.append(vec)
        profiles.append(tuple(full))
    return Candidates(profiles, complete=complete, warnings=warnings, details=details)
