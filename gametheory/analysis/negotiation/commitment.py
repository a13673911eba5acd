"""The value of moving first: Stackelberg commitment in two-player games.

A leader commits to a strategy, the follower observes it and best responds; ties are broken in
the leader's favour (the "strong" Stackelberg solution, which the leader can approach by
committing to a strategy arbitrarily close to an optimal one).

- **Pure commitment**: the leader's best pure action given the follower's best response.
- **Mixed commitment**: one linear program per follower action ``j``: maximise the leader's
  payoff ``x . A[:, j]`` over mixed ``x`` subject to ``j`` being a best response
  (``x . B[:, j] >= x . B[:, k]`` for all ``k``); the best of these is optimal (Conitzer and
  Sandholm, "Computing the optimal strategy to commit to", EC 2006).

:func:`commitment` compares both with the leader's payoffs in the simultaneous game's
equilibria, which is the value of moving first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ...errors import CommitmentError
from ...model.game import TIE_TOL, Game

__all__ = ["CommitmentResult", "commitment"]


@dataclass(frozen=True)
class CommitmentResult:
    """The leader's payoffs from committing, and from playing simultaneously.

    Attributes
    ----------
    leader, follower
        Player names.
    pure_strategy, pure_response, pure_value
        Best pure commitment, the follower's response and the leader's payoff.
    mixed_strategy, mixed_response, mixed_value
        Best mixed commitment (leader's probabilities by action), the response, the payoff.
    follower_values
        The follower's payoff under the pure and the mixed commitment.
    simultaneous
        The leader's payoffs in the equilibria of the simultaneous game (lowest, highest).
    """

    leader: str
    follower: str
    pure_strategy: str
    pure_response: str
    pure_value: float
    mixed_strategy: dict[str, float]
    mixed_response: str
    mixed_value: float
    follower_values: tuple[float, float]
    simultaneous: tuple[float, float]

    def value_of_moving_first(self) -> float:
        """Mixed commitment payoff minus the leader's best simultaneous-equilibrium payoff."""
        return self.mixed_value - self.simultaneous[1]

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "leader": self.leader,
            "follower": self.follower,
            "pure": {
                "strategy": self.pure_strategy,
                "response": self.pure_response,
                "leader_payoff": self.pure_value,
                "follower_payoff": self.follower_values[0],
            },
            "mixed": {
                "strategy": self.mixed_strategy,
                "response": self.mixed_response,
                "leader_payoff": self.mixed_value,
                "follower_payoff": self.follower_values[1],
            },
            "simultaneous_leader_payoffs": list(self.simultaneous),
            "value_of_moving_first": self.value_of_moving_first(),
        }


def _best_responses(values: NDArray[np.float64], scale: float) -> NDArray[np.int64]:
    return np.nonzero(values >= values.max() - TIE_TOL * scale)[0]


def commitment(game: Game, leader: str | int = 0) -> CommitmentResult:
    """Optimal pure and mixed commitment for ``leader`` in a two-player game.

    Parameters
    ----------
    game
        A two-player game.
    leader
        The committing player (name or index); the other follows.
    """
    from scipy.optimize import linprog

    if game.n_players != 2:
        raise CommitmentError(f"commitment needs a two-player game; this one has {game.n_players}")
    lead = game.player_index(leader)
    follow = 1 - lead
    # L[i, j]: leader's payoff when the leader plays i and the follower j; F likewise.
    L = game.payoffs[lead] if lead == 0 else game.payoffs[lead].T
    F = game.payoffs[follow] if lead == 0 else game.payoffs[follow].T
    scale = float(game.scales[follow])
    # Pure: for each leader action, the follower's best responses, ties in the leader's favour.
    best_pure = (-np.inf, 0, 0)
    for i in range(L.shape[0]):
        responses = _best_responses(F[i], scale)
        j = int(responses[np.argmax(L[i, responses])])
        if L[i, j] > best_pure[0] + 1e-12:
            best_pure = (float(L[i, j]), i, j)
    # Mixed: one LP per follower action.
    best_mixed: tuple[float, NDArray[np.float64], int] = (-np.inf, np.zeros(L.shape[0]), 0)
    m, n = L.shape
    for j in range(n):
        others = [k for k in range(n) if k != j]
        A_ub = (F[:, others] - F[:, [j]]).T if others else None  # x.F[:,k] - x.F[:,j] <= 0
        res = linprog(
            -L[:, j],
            A_ub=A_ub,
            b_ub=np.zeros(len(others)) if others else None,
            A_eq=np.ones((1, m)),
            b_eq=[1.0],
            bounds=[(0, None)] * m,
            method="highs",
        )
        if res.status == 0 and -res.fun > best_mixed[0] + 1e-12:
            x = np.clip(res.x, 0, None)
            best_mixed = (float(-res.fun), x / x.sum(), j)
    from ...solvers import solve

    equilibria = solve(game).equilibria
    leader_payoffs = [float(eq.payoffs[lead]) for eq in equilibria]
    value, x, j = best_mixed
    lead_actions, follow_actions = game.actions[lead], game.actions[follow]
    return CommitmentResult(
        leader=game.players[lead],
        follower=game.players[follow],
        pure_strategy=lead_actions[best_pure[1]],
        pure_response=follow_actions[best_pure[2]],
        pure_value=best_pure[0],
        mixed_strategy={a: float(p) for a, p in zip(lead_actions, x, strict=True)},
        mixed_response=follow_actions[j],
        mixed_value=value,
        follower_values=(float(F[best_pure[1], best_pure[2]]), float(x @ F[:, j])),
        simultaneous=(min(leader_payoffs), max(leader_payoffs)),
    )
