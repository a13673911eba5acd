"""Repeated interaction: when can an outcome be sustained, and what can each player guarantee.

For a stage game repeated infinitely with a common discount factor ``delta``, a target pure
profile ``a`` can be sustained as a subgame-perfect equilibrium by **grim trigger** strategies
(play ``a``; after any deviation play a stage Nash equilibrium ``e`` forever) if and only if, for
every player ``i``,

    (1 - delta) * dev_i + delta * u_i(e) <= u_i(a),
    i.e.  delta >= (dev_i - u_i(a)) / (dev_i - u_i(e))

where ``dev_i`` is ``i``'s best one-shot deviation payoff against ``a`` (Friedman 1971; Osborne
and Rubinstein, *A Course in Game Theory*, 1994, ch. 8). The threshold is computed for every
pure stage equilibrium used as the punishment, and the smallest is reported.

A **one-period punishment** (play ``e`` for one period after a deviation, then return to ``a``)
deters deviation when ``dev_i - u_i(a) <= delta * (u_i(a) - u_i(e))``, a larger threshold
``(dev_i - u_i(a)) / (u_i(a) - u_i(e))`` (this checks the deviation incentive on the path; the
punishment period itself is a stage equilibrium, so nobody gains by deviating during it).

The **minmax** payoff of a player is the lowest payoff the others can hold it to; an outcome
that gives a player less is never sustainable (individual rationality). For two players it is
computed exactly, with mixed punishments, by linear programming; for more players with pure
punishments only (an upper bound on the mixed minmax).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import RepeatedGameError
from ...model.game import Game

__all__ = ["SustainResult", "minmax_payoffs", "sustain"]


def minmax_payoffs(game: Game) -> tuple[float, ...]:
    """Each player's minmax payoff (mixed punishments for two players; pure otherwise)."""
    if game.n_players == 2:
        from ...solvers.minimax import maximin

        A, B = game.bimatrix()
        # Player 1's minmax: min over y of max_i (A y)_i = -max over y of min_i (-A y)_i.
        _, v1 = maximin(-A.T)
        _, v2 = maximin(-B)
        return (-v1, -v2)
    out = []
    for p in range(game.n_players):
        best_reply = game.payoffs[p].max(axis=p)  # over p's own action
        out.append(float(best_reply.min()))
    return tuple(out)


@dataclass(frozen=True)
class SustainResult:
    """Whether and when a pure profile can be sustained in the repeated game.

    Attributes
    ----------
    target
        The target profile's action labels.
    payoffs, deviation, minmax
        Target payoffs, best one-shot deviation payoffs and minmax payoffs, by player.
    individually_rational
        Whether every player gets strictly more than its minmax payoff at the target.
    grim_trigger
        Smallest discount factor for grim trigger (``0`` if the target is itself a stage
        equilibrium; ``None`` if no stage equilibrium punishes enough).
    punishment
        The stage equilibrium used by the best grim trigger.
    one_period
        Smallest discount factor with one period of that punishment (``None`` if impossible).
    """

    target: tuple[str, ...]
    payoffs: Mapping[str, float]
    deviation: Mapping[str, float]
    minmax: Mapping[str, float]
    individually_rational: bool
    grim_trigger: float | None
    punishment: tuple[str, ...] | None
    one_period: float | None

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "target": list(self.target),
            "payoffs": dict(self.payoffs),
            "deviation": dict(self.deviation),
            "minmax": dict(self.minmax),
            "individually_rational": self.individually_rational,
            "grim_trigger_delta": self.grim_trigger,
            "punishment": list(self.punishment) if self.punishment else None,
            "one_period_punishment_delta": self.one_period,
        }


def _threshold(gain: float, loss: float) -> float | None:
    """Smallest delta in [0, 1) with gain <= delta * loss (None if impossible)."""
    if gain <= 0:
        return 0.0
    if loss <= 0 or gain / loss >= 1:
        return None
    return gain / loss


def sustain(game: Game, target: Sequence[str | int]) -> SustainResult:
    """Discount factors at which a pure profile is sustainable in the infinitely repeated game.

    Parameters
    ----------
    game
        The stage game.
    target
        One action (label or index) per player.
    """
    if len(target) != game.n_players:
        raise RepeatedGameError(f"the target needs one action per player ({game.n_players})")
    index = tuple(game.action_index(p, a) for p, a in enumerate(target))
    labels = tuple(game.actions[p][i] for p, i in enumerate(index))
    u = np.array([game.payoffs[(p, *index)] for p in range(game.n_players)])
    deviation = np.array(
        [
            game.payoffs[p][(*index[:p], slice(None), *index[p + 1 :])].max()
            for p in range(game.n_players)
        ]
    )
    gains = deviation - u
    from ...solvers.pure import pure_equilibrium_mask

    best_delta, best_punishment, best_one = None, None, None
    for e in map(tuple, np.argwhere(pure_equilibrium_mask(game))):
        punish = np.array([game.payoffs[(p, *e)] for p in range(game.n_players)])
        grim = [
            _threshold(g, d - pe) if g > 0 else 0.0
            for g, d, pe in zip(gains, deviation, punish, strict=True)
        ]
        # Grim: delta >= gain / (dev - u(e)); equivalently gain <= delta * (dev - u(e)).
        if any(t is None for t in grim):
            continue
        delta = max(t for t in grim if t is not None)
        if best_delta is None or delta < best_delta:
            best_delta = delta
            best_punishment = tuple(game.actions[p][i] for p, i in enumerate(e))
            ones = [_threshold(g, ua - pe) for g, ua, pe in zip(gains, u, punish, strict=True)]
            best_one = (
                None if any(t is None for t in ones) else max(t for t in ones if t is not None)
            )
    minmax = np.array(minmax_payoffs(game))
    names = game.players
    return SustainResult(
        target=labels,
        payoffs={p: float(v) for p, v in zip(names, u, strict=True)},
        deviation={p: float(v) for p, v in zip(names, deviation, strict=True)},
        minmax={p: float(v) for p, v in zip(names, minmax, strict=True)},
        individually_rational=bool(np.all(u > minmax + 1e-12)),
        grim_trigger=best_delta,
        punishment=best_punishment,
        one_period=best_one,
    )
