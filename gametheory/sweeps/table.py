"""Solving one chunk of a sweep into tidy rows (one per point and equilibrium).

The columns of a sweep table, in order:

``point``
    Index of the point in the design.
parameter columns
    Every parameter's value at the point (varying ones first, in design order).
``n_equilibria``, ``equilibrium``
    How many equilibria the point has and which one the row is (0, 1, ...; -1 on a row that
    stands for a point without equilibria).
``outcome``
    A readable label, e.g. ``US: maintain+extend / China: withhold+expedite``. A mixed strategy
    shows its support, ``mix(Swerve, Straight)``, so that points with the same kind of
    equilibrium share a label; its probabilities are in the action columns.
``pure``, ``component``, ``complete``, ``degenerate``, ``status``
    Whether the equilibrium is pure; its connected set within the point; whether the point's
    list is every equilibrium; whether the point's game, after strictly dominated actions are
    removed, is degenerate; ``"ok"`` or the reason a point could not be solved (e.g. a payoff
    that is not finite there).
``payoff:PLAYER``
    Expected payoff of each player.
``PLAYER:ACTION``
    Probability of each action of each player.

Equilibria within a point are ordered as :func:`gametheory.solve` orders them: pure first, then
by their probabilities, so a sweep and a single solve list them alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ScenarioError
from ..model.game import DEFAULT_TOL, Game
from ..model.scenario import Scenario
from ..solvers.batch import MAX_LABELS, bimatrix_batch_reduced, pure_batch
from ..solvers.enumeration import BATCH_MAX_BASES
from ..solvers.polytope import bases_count
from ..solvers.registry import solve
from .design import Design

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BATCHED_METHODS", "RESERVED_COLUMNS", "columns", "solve_chunk"]

#: Methods a sweep runs in batch; any other registered method is run point by point.
BATCHED_METHODS = ("auto", "vertex_enumeration", "pure")


#: The fixed columns of every sweep table; no parameter may be named like one of them.
RESERVED_COLUMNS = (
    "point",
    "n_equilibria",
    "equilibrium",
    "outcome",
    "pure",
    "component",
    "complete",
    "degenerate",
    "status",
)


def columns(scenario: Scenario, design: Design) -> list[str]:
    """Column names of a sweep table, in order.

    One namespace rule keeps them apart: parameters take their own names, which must not be one
    of :data:`RESERVED_COLUMNS`; payoffs are ``payoff:PLAYER`` and probabilities
    ``PLAYER:ACTION``. A scenario whose names would make two columns alike (a parameter called
    ``status``, or a player called ``payoff`` beside a player whose action list makes
    ``payoff:X`` twice) is refused before anything is solved.

    Raises
    ------
    ScenarioError
        Naming the clashing column and what produced it.
    """
    params = list(design.names) + [n for n in scenario.parameters if n not in design.names]
    probs = [
        f"{player}:{action}"
        for player, actions in zip(scenario.players, scenario.actions, strict=True)
        for action in actions
    ]
    names = [
        RESERVED_COLUMNS[0],
        *params,
        *RESERVED_COLUMNS[1:],
        *(f"payoff:{p}" for p in scenario.players),
        *probs,
    ]
    _check_unique(names, scenario)
    return names


def _check_unique(names: list[str], scenario: Scenario) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            if name in RESERVED_COLUMNS:
                reason = f"parameter '{name}' has the name of a fixed column of sweep tables"
            else:
                reason = (
                    f"column '{name}' would be made twice (player names and action names "
                    "combine as PLAYER:ACTION and payoff:PLAYER)"
                )
            raise ScenarioError(
                f"{reason}; rename it (reserved: {', '.join(RESERVED_COLUMNS)})",
                file=scenario.path,
            )
        seen.add(name)


def solve_chunk(
    scenario: Scenario,
    design: Design,
    start: int,
    stop: int,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
) -> pd.DataFrame:
    """Solve points ``start .. stop - 1`` of a design; return their rows (see module docstring).

    Payoffs for the whole chunk are evaluated at once; two-player games are solved together by
    :func:`~gametheory.solvers.batch.bimatrix_batch_reduced` (strictly dominated actions
    removed first), pure equilibria of N-player games by
    :func:`~gametheory.solvers.batch.pure_batch`; other methods run point by point.
    """
    values = design.points(start, stop)
    count = len(next(iter(values.values()))) if values else 0
    tensor = scenario.payoff_tensor(values, check=False)
    finite = np.asarray(np.isfinite(tensor.reshape(count, -1)).all(axis=1), dtype=bool)
    shape = tensor.shape[2:]
    index = np.nonzero(finite)[0]
    two_player = len(shape) == 2
    batchable = (
        two_player
        and method in ("auto", "vertex_enumeration")
        and sum(shape) <= MAX_LABELS
        and bases_count(*shape) <= BATCH_MAX_BASES
    )
    if batchable:
        found = _bimatrix_rows(tensor[index], tol)
    elif method in ("auto", "pure") and not two_player:
        found = _pure_rows(tensor[index])
    else:
        found = _pointwise_rows(scenario, tensor[index], method, tol)
    found["game"] = index[found["game"]]
    return _frame(scenario, design, values, start, count, finite, found)


def _bimatrix_rows(tensor: NDArray[np.float64], tol: float) -> dict[str, Any]:
    # Strictly dominated actions are removed first (same equilibria, much smaller games for
    # option scenarios, where most combinations of chips are dominated).
    result = bimatrix_batch_reduced(tensor[:, 0], tensor[:, 1], tol)
    return {
        "game": result.game,
        "strategies": result.strategies,
        "payoffs": result.payoffs,
        "component": result.component,
        "complete": result.complete,
        "degenerate": result.degenerate,
    }


def _pure_rows(tensor: NDArray[np.float64]) -> dict[str, Any]:
    G, N = tensor.shape[:2]
    shape = tensor.shape[2:]
    mask = pure_batch(tensor)
    hits = np.argwhere(mask)
    game = hits[:, 0]
    strategies = tuple(np.eye(shape[p])[hits[:, 1 + p]] for p in range(N))
    payoffs = np.column_stack([tensor[(game, p, *hits[:, 1:].T)] for p in range(N)]).reshape(
        len(game), N
    )
    return {
        "game": game,
        "strategies": strategies,
        "payoffs": payoffs,
        "component": np.arange(len(game)) * 0,
        "complete": np.zeros(G, dtype=bool),  # mixed equilibria are not sought
        "degenerate": None,
    }


def _pointwise_rows(
    scenario: Scenario, tensor: NDArray[np.float64], method: str, tol: float
) -> dict[str, Any]:
    N = len(scenario.players)
    games: list[int] = []
    strategies: list[list[NDArray[np.float64]]] = [[] for _ in range(N)]
    payoffs: list[NDArray[np.float64]] = []
    complete: list[bool] = []
    degenerate: list[bool] = []
    for g in range(len(tensor)):
        result = solve(Game(scenario.players, scenario.actions, tensor[g]), method, tol=tol)
        complete.append(result.complete)
        degenerate.append(bool(result.degenerate))
        for eq in result.equilibria:
            games.append(g)
            payoffs.append(eq.payoffs)
            for p in range(N):
                strategies[p].append(eq.strategies[p])
    shape = tensor.shape[2:]
    return {
        "game": np.array(games, dtype=np.int64),
        "strategies": tuple(
            np.array(s).reshape(len(games), shape[p]) for p, s in enumerate(strategies)
        ),
        "payoffs": np.array(payoffs).reshape(len(games), N),
        "component": np.zeros(len(games), dtype=np.int64),
        "complete": np.array(complete, dtype=bool),
        "degenerate": np.array(degenerate, dtype=bool),
    }


def _frame(
    scenario: Scenario,
    design: Design,
    values: dict[str, NDArray[np.float64]],
    start: int,
    count: int,
    finite: NDArray[np.bool_],
    found: dict[str, Any],
) -> pd.DataFrame:
    import pandas as pd

    players = scenario.players
    game = found["game"]
    strategies: tuple[NDArray[np.float64], ...] = found["strategies"]
    flat = np.hstack(strategies)
    pure = np.ones(len(game), dtype=bool)
    for s in strategies:
        pure &= s.max(axis=1) >= 1 - 1e-12
    # Order within each point as solve() does: pure first, then by probabilities (descending).
    keys = [-np.round(flat[:, k], 9) for k in reversed(range(flat.shape[1]))]
    order = np.lexsort([*keys, ~pure, game]) if len(game) else np.zeros(0, dtype=np.int64)
    game, flat, pure = game[order], flat[order], pure[order]
    strategies = tuple(s[order] for s in strategies)
    payoffs = found["payoffs"][order]
    component = _first_appearance_rank(game, found["component"][order])
    rank = _rank_within(game)
    per_point = np.bincount(game, minlength=count)
    # Points with no equilibrium (unsolvable, or none found) keep one row.
    empty = np.nonzero(per_point == 0)[0]
    rows_game = np.concatenate([game, empty])
    order = np.argsort(rows_game, kind="stable")
    rows_game = rows_game[order]
    n_rows = len(rows_game)
    is_eq = np.concatenate([np.ones(len(game), bool), np.zeros(len(empty), bool)])[order]

    def spread(column: NDArray[Any], fill: Any) -> NDArray[Any]:
        """Place per-equilibrium values on their rows; rows without equilibrium get ``fill``."""
        out = np.full(n_rows, fill, dtype=column.dtype)
        out[is_eq] = column
        return out

    complete = found["complete"]
    degenerate = found["degenerate"]
    data: dict[str, Any] = {"point": (start + rows_game).astype(np.int64)}
    for name in columns(scenario, design)[1 : 1 + len(scenario.parameters)]:
        data[name] = values[name][rows_game]
    data["n_equilibria"] = per_point[rows_game].astype(np.int64)
    data["equilibrium"] = spread(rank.astype(np.int64), -1)
    labels = _outcomes(scenario, strategies)
    data["outcome"] = spread(np.array(labels, dtype=object), "")
    data["pure"] = spread(pure.astype(bool), False)
    data["component"] = spread(component.astype(np.int64), -1)
    full_complete = np.zeros(count, dtype=bool)
    full_complete[np.nonzero(finite)[0]] = complete
    data["complete"] = full_complete[rows_game]
    full_degenerate = np.zeros(count, dtype=bool)
    if degenerate is not None:
        full_degenerate[np.nonzero(finite)[0]] = degenerate
    data["degenerate"] = full_degenerate[rows_game]
    status = np.where(finite[rows_game], "ok", "payoff not finite at this point")
    status = np.where(finite[rows_game] & ~is_eq, "no equilibrium found", status)
    data["status"] = status.astype(object)
    for p, player in enumerate(players):
        data[f"payoff:{player}"] = spread(payoffs[:, p].astype(np.float64), np.nan)
    column = 0
    for player, actions in zip(players, scenario.actions, strict=True):
        for action in actions:
            data[f"{player}:{action}"] = spread(flat[:, column].astype(np.float64), np.nan)
            column += 1
    return pd.DataFrame(data, columns=columns(scenario, design))


def _rank_within(game: NDArray[np.int64]) -> NDArray[np.int64]:
    """0, 1, 2, ... within each run of equal (sorted) ``game`` values."""
    if not len(game):
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.nonzero(np.diff(game))[0] + 1]
    lengths = np.diff(np.r_[starts, len(game)])
    rank: NDArray[np.int64] = np.arange(len(game)) - np.repeat(starts, lengths)
    return rank


def _first_appearance_rank(game: NDArray[np.int64], label: NDArray[np.int64]) -> NDArray[np.int64]:
    """Renumber labels within each game 0, 1, ... in order of first appearance."""
    if not len(game):
        return np.zeros(0, dtype=np.int64)
    key = game * (int(label.max()) + 1) + label
    _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(first), dtype=np.int64)
    rank[order] = _rank_within(game[first[order]])
    return rank[inverse]


def _outcomes(scenario: Scenario, strategies: Sequence[NDArray[np.float64]]) -> list[str]:
    """Readable labels: action names for pure strategies, the support for mixed ones."""
    parts = []
    for player, actions, probs in zip(scenario.players, scenario.actions, strategies, strict=True):
        names = np.array(actions, dtype=object)
        best = probs.argmax(axis=1) if len(probs) else np.zeros(0, dtype=np.int64)
        labels = names[best] if len(probs) else np.zeros(0, dtype=object)
        for row in np.nonzero(probs.max(axis=1) < 1 - 1e-12)[0] if len(probs) else []:
            support = [a for a, x in zip(actions, probs[row], strict=True) if x > 1e-12]
            labels[row] = f"mix({', '.join(support)})"
        parts.append([f"{player}: {label}" for label in labels])
    return [" / ".join(items) for items in zip(*parts, strict=True)]
