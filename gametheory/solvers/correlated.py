"""Correlated and coarse correlated equilibria of N-player games, by linear programming.

A *correlated equilibrium* (Aumann 1974, "Subjectivity and correlation in randomized
strategies", J. Math. Econ. 1) is a probability distribution ``p`` over joint action profiles
such that a mediator who draws a profile from ``p`` and tells each player only its own part
gives no player a reason to disobey: for every player ``i`` and actions ``a, b``,

    sum over s_-i of  p(a, s_-i) * (u_i(b, s_-i) - u_i(a, s_-i))  <=  0.

A *coarse correlated equilibrium* (Moulin and Vial 1978, "Strategically zero-sum games",
Int. J. Game Theory 7) only asks that no player gain by committing, before the draw, to one
fixed action ``b`` instead of following the mediator:

    sum over s of  p(s) * (u_i(b, s_-i) - u_i(s))  <=  0.

Both sets are polytopes (linear constraints on ``p``), every Nash equilibrium (as a product
distribution) lies in the correlated set, and the correlated set lies in the coarse one. This
module solves linear programs over them with scipy's HiGHS: the welfare-maximising point and
the range of each player's expected payoff over the set (two LPs per player).

Cost and limits
---------------
One variable per joint profile (``prod n_i``) and ``sum_i n_i (n_i - 1)`` obedience constraints
(CE) or ``sum_i n_i`` (CCE); the constraint matrix is dense. The product of the two is checked
against :data:`MAX_LP_ENTRIES` before anything is built (a 40x40 two-player CE has 1,600
variables and 3,120 constraints: 5 million entries).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import Game, Profile

__all__ = [
    "CORRELATED_TOL",
    "MAX_LP_ENTRIES",
    "CorrelatedResult",
    "correlated_equilibrium",
    "obedience_gains",
]

FloatArray = NDArray[np.float64]

#: Entries (joint profiles x obedience constraints) of the largest LP built; about 40 MB.
MAX_LP_ENTRIES = 5_000_000
#: Default relative tolerance for obedience: HiGHS's feasibility tolerance is 1e-7.
CORRELATED_TOL = 1e-7
#: Probabilities below this (after the LP) are printed as zero in recommendation tables.
SHOWN_PROBABILITY = 1e-9

CONCEPTS = {"ce": "correlated equilibrium", "cce": "coarse correlated equilibrium"}


def _constraint_count(game: Game, concept: str) -> int:
    if concept == "ce":
        return sum(n * (n - 1) for n in game.shape)
    return sum(game.shape)


def lp_entries(game: Game, concept: str = "ce") -> int:
    """Entries of the obedience constraint matrix: joint profiles times constraints."""
    return math.prod(game.shape) * max(1, _constraint_count(game, concept))


def _check_size(game: Game, concept: str, max_entries: int) -> None:
    entries = lp_entries(game, concept)
    if entries > max_entries:
        shape = "x".join(str(n) for n in game.shape)
        raise SolverError(
            f"the {CONCEPTS[concept]} linear program of this {shape} game would have "
            f"{math.prod(game.shape):,} variables x {_constraint_count(game, concept):,} "
            f"constraints = {entries:,} entries (limit {max_entries:,}); pass "
            f"max_entries={entries} to build it anyway"
        )


def _moved(game: Game, player: int) -> FloatArray:
    """Player ``player``'s payoffs with that player's axis first, the rest flattened."""
    u = np.moveaxis(game.payoffs[player], player, 0)
    return np.asarray(u.reshape(game.shape[player], -1), dtype=np.float64)


def _back(rows: FloatArray, game: Game, player: int) -> FloatArray:
    """Rows laid out as ``(k, n_player, rest)`` back to ``(k, prod shape)`` in game order."""
    others = [n for q, n in enumerate(game.shape) if q != player]
    full = rows.reshape(rows.shape[0], game.shape[player], *others)
    return np.moveaxis(full, 1, 1 + player).reshape(rows.shape[0], -1)


def _obedience_matrix(game: Game, concept: str) -> tuple[FloatArray, NDArray[np.intp]]:
    """Rows ``G`` with ``G @ p <= 0`` the obedience constraints, and each row's player."""
    blocks, owners = [], []
    for i, n in enumerate(game.shape):
        u = _moved(game, i)
        if concept == "ce":
            pairs = [(a, b) for a in range(n) for b in range(n) if a != b]
            rows = np.zeros((len(pairs), n, u.shape[1]))
            for k, (a, b) in enumerate(pairs):
                rows[k, a] = u[b] - u[a]
        else:
            rows = u[:, None, :] - u[None, :, :]
        scale = float(game.scales[i])
        blocks.append(_back(rows / scale, game, i))
        owners.extend([i] * rows.shape[0])
    return np.vstack(blocks), np.asarray(owners, dtype=np.intp)


def obedience_gains(game: Game, distribution: FloatArray, concept: str = "ce") -> FloatArray:
    """Each player's largest expected gain from disobeying the mediator (never negative).

    Computed directly from the definitions (conditional on each recommendation for ``ce``,
    before the draw for ``cce``), independently of the linear program.

    Parameters
    ----------
    game
        The game.
    distribution
        Probabilities of the joint profiles, shape ``game.shape``.
    concept
        ``"ce"`` or ``"cce"``.

    Returns
    -------
    numpy.ndarray
        One gain per player, in payoff units.
    """
    p = np.asarray(distribution, dtype=np.float64)
    gains = np.zeros(game.n_players)
    for i in range(game.n_players):
        u = game.payoffs[i]
        best = 0.0
        if concept == "ce":
            for a in range(game.shape[i]):
                weight = np.take(p, a, axis=i)
                obey = float(np.sum(weight * np.take(u, a, axis=i)))
                for b in range(game.shape[i]):
                    best = max(best, float(np.sum(weight * np.take(u, b, axis=i))) - obey)
        else:
            others = p.sum(axis=i)
            obey = float(np.sum(p * u))
            for b in range(game.shape[i]):
                best = max(best, float(np.sum(others * np.take(u, b, axis=i))) - obey)
        gains[i] = best
    return gains


@dataclass(frozen=True, eq=False)
class CorrelatedResult:
    """A correlated (or coarse correlated) equilibrium and the payoff ranges of its set.

    Attributes
    ----------
    game
        The game.
    concept
        ``"ce"`` (correlated) or ``"cce"`` (coarse correlated).
    distribution
        Probability of each joint profile, shape ``game.shape`` (read-only): the
        welfare-maximising point of the set found by the LP.
    payoffs
        Each player's expected payoff under ``distribution``.
    payoff_ranges
        ``{player: (lowest, highest)}`` expected payoff over the whole set (one LP each).
    gains
        Each player's largest gain from disobeying, from :func:`obedience_gains`.
    method, options, tolerance
        How it was computed; ``tolerance`` is relative to each player's payoff range.
    warnings
        Anything the reader should know (e.g. the LP's status).
    """

    game: Game
    concept: str
    distribution: FloatArray
    payoffs: FloatArray
    payoff_ranges: Mapping[str, tuple[float, float]]
    gains: FloatArray
    method: str
    options: Mapping[str, Any]
    tolerance: float
    warnings: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("distribution", "payoffs", "gains"):
            array = np.array(getattr(self, name), dtype=np.float64)
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        for name in ("payoff_ranges", "options", "details"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    @property
    def welfare(self) -> float:
        """Sum of the players' expected payoffs."""
        return float(self.payoffs.sum())

    @property
    def verified(self) -> bool:
        """Whether every player's gain from disobeying is within the tolerance."""
        return bool(np.all(self.gains <= self.tolerance * self.game.scales))

    def table(self) -> list[tuple[tuple[str, ...], float]]:
        """The mediator's lottery: ``(joint profile labels, probability)``, likeliest first."""
        game = self.game
        rows = []
        for index in itertools.product(*(range(n) for n in game.shape)):
            prob = float(self.distribution[index])
            if prob > SHOWN_PROBABILITY:
                labels = tuple(game.actions[i][a] for i, a in enumerate(index))
                rows.append((labels, prob))
        rows.sort(key=lambda row: -row[1])
        return rows

    def recommendations(self, player: str | int) -> dict[str, dict[str, Any]]:
        """What a player is told, how often, and what it then believes about the others.

        Returns
        -------
        dict
            ``{recommended action: {"probability": P(told it), "others": {joint labels of
            the others: conditional probability}}}``, for each action recommended with positive
            probability.
        """
        game = self.game
        i = game.player_index(player)
        out: dict[str, dict[str, Any]] = {}
        other_players = [q for q in range(game.n_players) if q != i]
        for a, action in enumerate(game.actions[i]):
            weight = np.take(self.distribution, a, axis=i)
            total = float(weight.sum())
            if total <= SHOWN_PROBABILITY:
                continue
            others: dict[str, float] = {}
            for index in itertools.product(*(range(game.shape[q]) for q in other_players)):
                prob = float(weight[index]) / total
                if prob > SHOWN_PROBABILITY:
                    label = ", ".join(
                        game.actions[q][b] for q, b in zip(other_players, index, strict=True)
                    )
                    others[label] = prob
            out[action] = {"probability": total, "others": others}
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready)."""
        game = self.game
        return {
            "schema": "gametheory.correlated/1",
            "concept": self.concept,
            "game": {
                "title": game.title,
                "players": list(game.players),
                "actions": {p: list(a) for p, a in zip(game.players, game.actions, strict=True)},
            },
            "method": self.method,
            "options": dict(self.options),
            "tolerance": self.tolerance,
            "verified": self.verified,
            "warnings": list(self.warnings),
            "distribution": [
                {"profile": dict(zip(game.players, labels, strict=True)), "probability": prob}
                for labels, prob in self.table()
            ],
            "payoffs": {p: float(v) for p, v in zip(game.players, self.payoffs, strict=True)},
            "welfare": self.welfare,
            "payoff_ranges": {p: list(r) for p, r in self.payoff_ranges.items()},
            "gains_from_disobeying": {
                p: float(v) for p, v in zip(game.players, self.gains, strict=True)
            },
            "recommendations": {p: self.recommendations(p) for p in game.players},
            "details": dict(self.details),
        }

    def __str__(self) -> str:
        game = self.game
        lines = [
            f"Welfare-maximising {CONCEPTS[self.concept]} ({self.method}, tolerance "
            f"{self.tolerance:g}):",
            "  the mediator draws one joint profile:",
        ]
        for labels, prob in self.table():
            lines.append(f"    {prob:8.4f}  {' / '.join(labels)}")
        payoffs = ", ".join(f"{p} {v:.6g}" for p, v in zip(game.players, self.payoffs, strict=True))
        lines.append(f"  expected payoffs: {payoffs} (welfare {self.welfare:.6g})")
        if self.concept == "ce":
            lines.append("  each player, told an action, believes the others play:")
            for p in game.players:
                for action, rec in self.recommendations(p).items():
                    beliefs = ", ".join(f"{v:.4g} {k}" for k, v in rec["others"].items())
                    lines.append(
                        f"    {p} told {action} (prob {rec['probability']:.4g}): {beliefs}"
                    )
        lines.append(f"  range of each player's payoff over every {CONCEPTS[self.concept]}:")
        for p, (low, high) in self.payoff_ranges.items():
            lines.append(f"    {p}: {low:.6g} to {high:.6g}")
        gains = max(float(g / s) for g, s in zip(self.gains, game.scales, strict=True))
        state = "passed" if self.verified else "FAILED"
        lines.append(f"  obedience check {state} (largest relative gain {gains:.2g})")
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<CorrelatedResult {self.concept}: welfare {self.welfare:.6g}>"


def _linprog(objective: FloatArray, constraints: FloatArray, what: str) -> tuple[FloatArray, float]:
    """Minimise ``objective @ p`` over distributions ``p`` with ``constraints @ p <= 0``."""
    from scipy.optimize import linprog

    size = objective.size
    res = linprog(
        objective,
        A_ub=constraints,
        b_ub=np.zeros(constraints.shape[0]),
        A_eq=np.ones((1, size)),
        b_eq=[1.0],
        bounds=(0, None),
        method="highs",
    )
    if res.status != 0:
        raise SolverError(f"the linear program for {what} failed: {res.message}")
    return np.asarray(res.x, dtype=np.float64), float(res.fun)


def _cleaned(p: FloatArray) -> FloatArray:
    p = np.clip(p, 0.0, None)
    return np.asarray(p / p.sum(), dtype=np.float64)


def correlated_equilibrium(
    game: Game,
    concept: str = "ce",
    *,
    tol: float = CORRELATED_TOL,
    ranges: bool = True,
    max_entries: int = MAX_LP_ENTRIES,
) -> CorrelatedResult:
    """The welfare-maximising correlated (or coarse correlated) equilibrium, and payoff ranges.

    Parameters
    ----------
    game
        Any N-player game.
    concept
        ``"ce"`` (Aumann 1974) or ``"cce"`` (Moulin and Vial 1978).
    tol
        Relative tolerance of the independent obedience check (times each player's payoff
        range); the distribution returned is checked by :func:`obedience_gains`.
    ranges
        Also compute each player's lowest and highest payoff over the set (two more LPs per
        player).
    max_entries
        Refuse an LP whose constraint matrix would have more entries (checked first).

    Returns
    -------
    CorrelatedResult

    Raises
    ------
    SolverError
        Unknown concept, a game over the size limit, an LP that fails, or a distribution that
        fails the obedience check.

    Notes
    -----
    Cost: ``1 + 2N`` linear programs with ``prod n_i`` variables (HiGHS dual simplex). The
    welfare maximiser need not be unique; HiGHS returns a vertex of the optimal face.

    Examples
    --------
    >>> import gametheory as gt
    >>> chicken = gt.Game.from_arrays([[6, 2], [7, 0]], [[6, 7], [2, 0]],
    ...                               actions=(("C", "D"), ("C", "D")))
    >>> ce = correlated_equilibrium(chicken)
    >>> round(ce.welfare, 6)
    10.5
    """
    if concept not in CONCEPTS:
        raise SolverError(f"concept must be 'ce' or 'cce', got {concept!r}")
    if not (isinstance(tol, int | float) and 0 < tol < 1):
        raise SolverError(f"tol must be a number between 0 and 1, got {tol!r}")
    _check_size(game, concept, max_entries)
    constraints, _ = _obedience_matrix(game, concept)
    flat = game.payoffs.reshape(game.n_players, -1)
    # Welfare in each player's own units would favour the player with the larger numbers;
    # the sum of payoffs as given is the convention (Papadimitriou and Roughgarden 2008).
    welfare = flat.sum(axis=0)
    p, _ = _linprog(-welfare, constraints, f"the welfare-maximising {CONCEPTS[concept]}")
    p = _cleaned(p)
    payoff_ranges: dict[str, tuple[float, float]] = {}
    if ranges:
        for i, player in enumerate(game.players):
            _, low = _linprog(flat[i], constraints, f"{player}'s lowest payoff")
            _, high = _linprog(-flat[i], constraints, f"{player}'s highest payoff")
            payoff_ranges[player] = (low, -high)
    distribution = p.reshape(game.shape)
    gains = obedience_gains(game, distribution, concept)
    result = CorrelatedResult(
        game=game,
        concept=concept,
        distribution=distribution,
        payoffs=flat @ p,
        payoff_ranges=payoff_ranges,
        gains=gains,
        method="linear programming (HiGHS)",
        options={"concept": concept, "ranges": ranges},
        tolerance=tol,
        details={
            "variables": int(p.size),
            "constraints": int(constraints.shape[0]),
        },
    )
    if not result.verified:
        raise SolverError(
            f"the {CONCEPTS[concept]} found by the LP fails the obedience check (gains "
            f"{gains.tolist()}); the payoffs may be too badly scaled for HiGHS"
        )
    return result


def product_distribution(profile: Profile) -> FloatArray:
    """The joint distribution of independent mixing (outer product of the strategies)."""
    out = np.ones(())
    for s in profile.strategies:
        out = np.multiply.outer(out, s)
    return np.asarray(out, dtype=np.float64)
