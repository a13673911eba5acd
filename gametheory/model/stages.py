"""The stage structure of a sequential scenario and its normal form of conditional plans.

In a sequential scenario the chips are chosen in stages (``[timing] kind = "sequential"`` with
``stages = [["ai_chips"], ["military_magnets", ...]]``); everyone sees each stage's choices
before the next. A *history* at stage ``k`` is the list of (chip, option) pairs chosen at the
stages before ``k``.

:func:`normal_form` compiles such a scenario to a :class:`~gametheory.model.game.Game` whose
strategies are *plans*: for each stage where a player holds chips, an option combination for
every possible history. It is model code (a change of representation, no solving), so
:meth:`Scenario.game() <gametheory.model.scenario.Scenario.game>` can call it; the analyses on
top (subgame perfection, credibility) live in :mod:`gametheory.analysis.negotiation.sequential`.

This module reads a scenario's attributes and does not import :mod:`.scenario`, which imports
it.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import SequentialError
from .game import Game
from .tree import MAX_NODES, Decision, Terminal, Tree

__all__ = [
    "MAX_PLANS",
    "Structure",
    "all_plans",
    "check_plan_counts",
    "history_label",
    "log_plan_counts",
    "normal_form",
    "plans_game",
    "play",
    "stage_structure",
    "stage_tree",
]

#: Largest number of plans per player in a normal form.
MAX_PLANS = 200_000


@dataclass(frozen=True)
class Structure:
    """Stages, who moves in each, and how chip choices map to the simultaneous payoff table."""

    scenario: Any
    tensor: NDArray[np.float64]  # (N, n_1, ..., n_N) over chip combinations (moves)
    stage_chips: tuple[tuple[str, ...], ...]
    chip_owner: Mapping[str, int]
    chip_options: Mapping[str, tuple[str, ...]]

    def movers(self, stage: int) -> list[int]:
        """The players who hold a chip at this stage."""
        return sorted({self.chip_owner[c] for c in self.stage_chips[stage]})

    def player_chips(self, stage: int, player: int) -> list[str]:
        """The chips a player chooses at this stage."""
        return [c for c in self.stage_chips[stage] if self.chip_owner[c] == player]

    def options(self, stage: int, player: int) -> list[tuple[str, ...]]:
        """A player's option combinations at a stage (one option per chip it holds there)."""
        return list(
            itertools.product(*(self.chip_options[c] for c in self.player_chips(stage, player)))
        )

    def histories(self, stage: int) -> list[tuple[tuple[str, str], ...]]:
        """Every history before ``stage``: tuples of (chip, option) in stage order."""
        chips = [c for s in self.stage_chips[:stage] for c in s]
        return [
            tuple(zip(chips, combo, strict=True))
            for combo in itertools.product(*(self.chip_options[c] for c in chips))
        ]

    def payoffs(self, choice: Mapping[str, str]) -> NDArray[np.float64]:
        """Payoffs when every chip's option is given."""
        index: list[Any] = [slice(None)]
        for p, player in enumerate(self.scenario.players):
            held = [c for c in self.scenario.chips if c.player == player]
            combo = "+".join(choice[c.name] for c in held)
            index.append(self.scenario.actions[p].index(combo))
        return np.array(self.tensor[tuple(index)])


def stage_structure(scenario: Any, params: Mapping[str, float] | None) -> Structure:
    """The stage structure of a sequential scenario at one parameter point."""
    if scenario.timing != "sequential":
        raise SequentialError(
            "this scenario has simultaneous timing; declare [timing] kind = 'sequential' with "
            "stages to use subgame perfection"
        )
    values = scenario.resolve(params or {})
    tensor = scenario.payoff_tensor({k: np.array([v]) for k, v in values.items()})[0]
    owner = {c.name: scenario.players.index(c.player) for c in scenario.chips}
    options = {c.name: c.options for c in scenario.chips}
    return Structure(scenario, tensor, scenario.stages, owner, options)


def history_label(history: tuple[tuple[str, str], ...]) -> str:
    """``"ai_chips=relax, tariff=lift"``, or ``"start"`` for the empty history."""
    return ", ".join(f"{chip}={option}" for chip, option in history) or "start"


# ---------------------------------------------------------------------- normal form
def log_plan_counts(structure: Structure) -> list[float]:
    """Each player's number of plans, as a decimal logarithm, counted from the stages alone.

    A plan chooses one option combination for every history of the earlier stages, so the
    count has ``prod(options before the stage)`` factors per stage and can have thousands of
    digits; nothing is listed to count it.
    """
    counts = []
    for p in range(len(structure.scenario.players)):
        log_plans = 0.0
        histories = 1
        for k, stage in enumerate(structure.stage_chips):
            mine = math.prod(len(structure.chip_options[c]) for c in structure.player_chips(k, p))
            log_plans += histories * math.log10(mine)
            histories *= math.prod(len(structure.chip_options[c]) for c in stage)
        counts.append(log_plans)
    return counts


def check_plan_counts(structure: Structure, max_profiles: int | None = None) -> None:
    """Refuse a normal form too large to list, before any history or plan is listed.

    Parameters
    ----------
    structure
        The stage structure.
    max_profiles
        If given, also refuse more pure profiles (every player's plans multiplied) than this.

    Raises
    ------
    SequentialError
        If a player would have more than :data:`MAX_PLANS` plans, or the profiles exceed
        ``max_profiles``.
    """
    logs = log_plan_counts(structure)
    for player, log_plans in zip(structure.scenario.players, logs, strict=True):
        if log_plans > math.log10(MAX_PLANS) + 1e-9:
            raise SequentialError(
                f"player '{player}' would have {_count(log_plans)} conditional plans (limit "
                f"{MAX_PLANS:,}); use spe() on the game tree instead"
            )
    if max_profiles is not None and sum(logs) > math.log10(max_profiles) + 1e-9:
        raise SequentialError(
            f"the normal form would have {_count(sum(logs))} pure profiles (every player's "
            f"conditional plans multiplied), more than the limit of {max_profiles:,}; use "
            "spe() on the game tree instead"
        )


def _count(log10: float) -> str:
    """A count given by its decimal logarithm ("262,144" or "about 10^9,216")."""
    return f"{10**log10:,.0f}" if log10 < 15 else f"about 10^{log10:,.0f}"


def _plan_space(structure: Structure, player: int) -> list[tuple[int, list[Any]]]:
    """(stage, histories) for each stage where the player moves."""
    return [
        (k, structure.histories(k))
        for k in range(len(structure.stage_chips))
        if player in structure.movers(k)
    ]


def all_plans(
    structure: Structure,
) -> tuple[list[list[dict[tuple[int, Any], tuple[str, ...]]]], list[list[str]]]:
    """Every player's complete plans and their labels.

    Raises
    ------
    SequentialError
        If a player would have more than :data:`MAX_PLANS` plans (checked before any history
        is listed).
    """
    check_plan_counts(structure)
    scenario = structure.scenario
    plans: list[list[dict[tuple[int, Any], tuple[str, ...]]]] = []
    labels: list[list[str]] = []
    for p in range(len(scenario.players)):
        space = _plan_space(structure, p)
        per_stage = []
        for k, histories in space:
            opts = structure.options(k, p)
            per_stage.append(
                [
                    dict(zip(((k, h) for h in histories), choice, strict=True))
                    for choice in itertools.product(opts, repeat=len(histories))
                ]
            )
        player_plans = (
            [
                {key: value for part in combo for key, value in part.items()}
                for combo in itertools.product(*per_stage)
            ]
            if per_stage
            else [{}]
        )
        plans.append(player_plans)
        labels.append([_plan_label(structure, p, plan) for plan in player_plans])
    return plans, labels


def normal_form(scenario: Any, params: Mapping[str, float] | None = None) -> Game:
    """The normal form of a sequential scenario: strategies are complete conditional plans.

    A plan is labelled stage by stage, ``option`` where the stage has one history and
    ``{history: option; ...}`` otherwise, e.g. ``[ai_chips=maintain: withhold; ai_chips=relax:
    license]``.

    Raises
    ------
    SequentialError
        If a player would have more than :data:`MAX_PLANS` plans.
    """
    structure = stage_structure(scenario, params)
    plans, labels = all_plans(structure)
    return plans_game(structure, plans, labels)


def plans_game(
    structure: Structure,
    plans: list[list[dict[tuple[int, Any], tuple[str, ...]]]],
    labels: list[list[str]],
) -> Game:
    """The normal-form game of the given plans (labels are the plans' labels)."""
    scenario = structure.scenario
    n = len(scenario.players)
    shape = tuple(len(ps) for ps in plans)
    payoffs = np.empty((n, *shape))
    for index in itertools.product(*(range(s) for s in shape)):
        choice = play(structure, [plans[p][i] for p, i in enumerate(index)])
        cell: tuple[Any, ...] = (slice(None), *index)
        payoffs[cell] = structure.payoffs(choice)
    return Game(
        scenario.players,
        tuple(tuple(lb) for lb in labels),
        payoffs,
        f"{scenario.title} (normal form of the sequential game)",
    )


def _plan_label(structure: Structure, player: int, plan: Mapping[tuple[int, Any], Any]) -> str:
    parts = []
    for k, histories in _plan_space(structure, player):
        chosen = ["+".join(plan[(k, h)]) for h in histories]
        if len(histories) == 1:
            parts.append(chosen[0])
        else:
            parts.append(
                "["
                + "; ".join(
                    f"{history_label(h)}: {c}" for h, c in zip(histories, chosen, strict=True)
                )
                + "]"
            )
    return " then ".join(parts)


def play(structure: Structure, plans: Sequence[Mapping[tuple[int, Any], Any]]) -> dict[str, str]:
    """Follow every player's plan from the start; return every chip's option."""
    history: tuple[tuple[str, str], ...] = ()
    for k in range(len(structure.stage_chips)):
        chosen: dict[str, str] = {}
        for p in structure.movers(k):
            options = plans[p][(k, history)]
            chosen.update(zip(structure.player_chips(k, p), options, strict=True))
        history = history + tuple((c, chosen[c]) for c in structure.stage_chips[k])
    return dict(history)


# ---------------------------------------------------------------------- game tree
def stage_tree(scenario: Any, params: Mapping[str, float] | None = None) -> Tree:
    """The game tree of a sequential scenario (see :mod:`gametheory.model.tree`).

    Each stage's movers choose one option combination each, in player order; a mover does not
    see the choices made earlier in the same stage (its nodes there form one information set),
    and everyone sees every earlier stage. Information sets are labelled ``"<player> at stage
    <k> after <history>"``; moves by option combination (``"license+expedite"``).

    Raises
    ------
    SequentialError
        If the tree would have more than :data:`~gametheory.model.tree.MAX_NODES` nodes
        (counted from the stages before any node is built).
    """
    structure = stage_structure(scenario, params)
    count = _tree_node_count(structure)
    if count > MAX_NODES:
        raise SequentialError(
            f"the game tree would have {count:,} nodes (limit {MAX_NODES:,}); use fewer chips "
            "or options"
        )
    root = _stage_node(structure, 0, (), 0, {})
    return Tree.build(scenario.players, root, f"{scenario.title} (game tree)")


def _tree_node_count(structure: Structure) -> int:
    """Nodes of the stage tree: per stage, histories times the movers' partial products."""
    total = 0
    histories = 1
    for k, stage in enumerate(structure.stage_chips):
        partial = 1
        for p in structure.movers(k):
            total += histories * partial
            partial *= len(structure.options(k, p))
        histories *= math.prod(len(structure.chip_options[c]) for c in stage)
        if total > MAX_NODES:
            return total
    return total + histories


def _stage_node(
    structure: Structure,
    stage: int,
    history: tuple[tuple[str, str], ...],
    mover: int,
    chosen: dict[str, str],
) -> Decision | Terminal:
    """The node where the ``mover``-th mover of ``stage`` chooses, after ``history``."""
    if stage == len(structure.stage_chips):
        return Terminal(tuple(float(v) for v in structure.payoffs(dict(history))))
    movers = structure.movers(stage)
    p = movers[mover]
    player = structure.scenario.players[p]
    label = f"{player} at stage {stage + 1} after {history_label(history)}"
    moves: dict[str, Decision | Terminal] = {}
    for option in structure.options(stage, p):
        now = dict(chosen)
        now.update(zip(structure.player_chips(stage, p), option, strict=True))
        if mover + 1 < len(movers):
            child = _stage_node(structure, stage, history, mover + 1, now)
        else:
            after = history + tuple((c, now[c]) for c in structure.stage_chips[stage])
            child = _stage_node(structure, stage + 1, after, 0, {})
        moves["+".join(option)] = child
    return Decision(player, moves, infoset=label)
