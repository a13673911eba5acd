"""Sequential scenarios: timing, conditional strategies, credibility and subgame perfection.

In a sequential scenario the chips are chosen in stages (``[timing] kind = "sequential"`` with
``stages = [["ai_chips"], ["military_magnets", ...]]``); everyone sees each stage's choices
before the next. A *history* at stage ``k`` is the list of options chosen at stages before
``k``.

- :func:`normal_form` compiles the scenario to a normal-form :class:`~gametheory.model.game.Game`
  whose strategies are *plans*: for each stage where the player holds chips, an option
  combination for every possible history. Conditional strategies such as China's linkage
  ("license military magnets if and only if the US relaxes AI-chip controls") are ordinary
  strategies of this game, and its Nash equilibria include those resting on threats that would
  not be carried out.
- :func:`spe` finds the subgame-perfect equilibria in pure strategies by backward induction:
  in every subgame (every history of every stage) the stage's players play a pure equilibrium of
  the stage game whose payoffs are the continuation values; where a subgame has several, every
  selection is followed (Osborne and Rubinstein, *A Course in Game Theory*, 1994, ch. 6). Mixed
  behaviour is not computed: a subgame without a pure equilibrium is reported.
- :func:`credibility` says, history by history, whether a player's conditional plan is a best
  response in the subgame where it would have to be carried out.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ...errors import SequentialError
from ...model.game import TIE_TOL, payoff_scales
from ...model.scenario import MAX_NORMAL_FORM_PROFILES, Scenario
from ...model.stages import (
    Structure,
    all_plans,
    check_plan_counts,
    history_label,
    normal_form,
    plans_game,
    play,
    stage_structure,
)

__all__ = ["SPE", "SPEResult", "credibility", "nash_vs_spe", "normal_form", "spe"]

#: Largest number of subgame-perfect equilibria enumerated.
MAX_SPE = 10_000


# ---------------------------------------------------------------------- backward induction
@dataclass(frozen=True)
class SPE:
    """One subgame-perfect equilibrium in pure strategies.

    Attributes
    ----------
    path
        The options chosen on the equilibrium path, chip by chip.
    payoffs
        Payoffs by player.
    plan
        What is played at every history: ``{(stage, history label): {chip: option}}``.
    """

    path: Mapping[str, str]
    payoffs: Mapping[str, float]
    plan: Mapping[tuple[int, str], Mapping[str, str]]

    def outcome(self, scenario: Scenario) -> str:
        """``US: maintain+extend / China: withhold+expedite`` for the path."""
        parts = []
        for player in scenario.players:
            held = [c.name for c in scenario.chips if c.player == player]
            parts.append(f"{player}: " + "+".join(self.path[c] for c in held))
        return " / ".join(parts)


@dataclass(frozen=True)
class SPEResult:
    """All pure subgame-perfect equilibria of a sequential scenario, and what was left out."""

    scenario: Scenario
    equilibria: tuple[SPE, ...]
    complete: bool
    warnings: tuple[str, ...] = field(default=())

    def outcomes(self) -> list[str]:
        """Equilibrium-path outcomes, in order."""
        return [eq.outcome(self.scenario) for eq in self.equilibria]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (the same conventions as ``solve``: labels by player)."""
        return {
            "concept": "subgame-perfect equilibrium (pure strategies)",
            "complete": self.complete,
            "warnings": list(self.warnings),
            "equilibria": [
                {
                    "outcome": eq.outcome(self.scenario),
                    "path": dict(eq.path),
                    "payoffs": dict(eq.payoffs),
                    "plan": [
                        {"stage": k, "history": h, "choices": dict(choice)}
                        for (k, h), choice in eq.plan.items()
                    ],
                }
                for eq in self.equilibria
            ],
        }

    def __str__(self) -> str:
        lines = [
            f"{len(self.equilibria)} subgame-perfect equilibri"
            f"{'um' if len(self.equilibria) == 1 else 'a'} in pure strategies"
            f" ({'complete' if self.complete else 'NOT complete'})"
        ]
        for k, eq in enumerate(self.equilibria, start=1):
            pay = ", ".join(f"{p} {v:.4g}" for p, v in eq.payoffs.items())
            lines.append(f"SPE {k}: {eq.outcome(self.scenario)}  (payoffs: {pay})")
            for (stage, history), choice in eq.plan.items():
                if stage > 0:
                    moves = ", ".join(f"{c}={o}" for c, o in choice.items())
                    lines.append(f"    after {history}: {moves}")
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _stage_equilibria(
    structure: Structure, stage: int, values: NDArray[np.float64]
) -> list[tuple[int, ...]]:
    """Pure equilibria of a stage game with payoffs ``values[p, a_1, ..., a_k]`` (movers)."""
    movers = structure.movers(stage)
    scales = payoff_scales(values.reshape(values.shape[0], *values.shape[1:]))
    mask = np.ones(values.shape[1:], dtype=bool)
    for axis, p in enumerate(movers):
        own = values[p]
        mask &= own >= own.max(axis=axis, keepdims=True) - TIE_TOL * scales[p]
    return [tuple(int(i) for i in idx) for idx in np.argwhere(mask)]


def _solve_subgame(
    structure: Structure,
    stage: int,
    history: tuple[tuple[str, str], ...],
    warnings: list[str],
) -> list[tuple[NDArray[np.float64], dict[tuple[int, str], dict[str, str]], dict[str, str]]]:
    """All pure SPE of the subgame at ``history``: (values, plan, path) each."""
    movers = structure.movers(stage)
    option_lists = [structure.options(stage, p) for p in movers]
    profiles = list(itertools.product(*option_lists))
    continuations: list[Any] = []
    for profile in profiles:
        chosen: list[tuple[str, str]] = []
        for p, options in zip(movers, profile, strict=True):
            chosen += list(zip(structure.player_chips(stage, p), options, strict=True))
        order = {c: i for i, c in enumerate(structure.stage_chips[stage])}
        chosen.sort(key=lambda item: order[item[0]])
        after = history + tuple(chosen)
        if stage == len(structure.stage_chips) - 1:
            continuations.append([(structure.payoffs(dict(after)), {}, dict(after))])
        else:
            continuations.append(_solve_subgame(structure, stage + 1, after, warnings))
    results = []
    selections = itertools.product(*continuations)
    for count, selection in enumerate(selections):
        if count >= MAX_SPE:
            warnings.append(
                f"more than {MAX_SPE:,} continuation selections at "
                f"'{history_label(history)}'; the list is cut"
            )
            break
        shape = tuple(len(o) for o in option_lists)
        values = np.stack([s[0] for s in selection], axis=1).reshape(-1, *shape)
        equilibria = _stage_equilibria(structure, stage, values)
        if not equilibria:
            warnings.append(
                f"the subgame after '{history_label(history)}' has no pure "
                "equilibrium for some continuation; mixed behaviour is not computed"
            )
        for eq in equilibria:
            flat = int(np.ravel_multi_index(eq, shape))
            value, plan_after, path = selection[flat]
            plan = {}
            for k_profile, continuation in zip(profiles, selection, strict=True):
                del k_profile
                plan.update(continuation[1])
            chosen_by_chip: dict[str, str] = {}
            for p, index in zip(movers, eq, strict=True):
                chosen_by_chip.update(
                    zip(
                        structure.player_chips(stage, p),
                        option_lists[movers.index(p)][index],
                        strict=True,
                    )
                )
            # In stage order, as histories and paths are, whatever the players' order.
            choice = {c: chosen_by_chip[c] for c in structure.stage_chips[stage]}
            plan[(stage, history_label(history))] = choice
            plan.update(plan_after)
            results.append((value, plan, path))
            if len(results) >= MAX_SPE:
                warnings.append(f"more than {MAX_SPE:,} subgame-perfect equilibria; cut")
                return results
    return results


def spe(
    scenario: Scenario, params: Mapping[str, float] | None = None, **overrides: float
) -> SPEResult:
    """All subgame-perfect equilibria in pure strategies, by backward induction (ties included).

    Parameters
    ----------
    scenario
        A scenario with sequential timing.
    params, **overrides
        Parameter values (as for :meth:`Scenario.game`).
    """
    structure = stage_structure(scenario, {**(params or {}), **overrides})
    warnings: list[str] = []
    found = _solve_subgame(structure, 0, (), warnings)
    equilibria = []
    for values, plan, path in found:
        ordered = dict(sorted(plan.items(), key=lambda item: (item[0][0], item[0][1])))
        equilibria.append(
            SPE(
                path=path,
                payoffs={p: float(v) for p, v in zip(scenario.players, values, strict=True)},
                plan=ordered,
            )
        )
    return SPEResult(
        scenario, tuple(equilibria), complete=not warnings, warnings=tuple(dict.fromkeys(warnings))
    )


# ---------------------------------------------------------------------- credibility
@dataclass(frozen=True)
class Credibility:
    """Whether a conditional plan would be carried out, history by history."""

    player: str
    stage: int
    checks: tuple[tuple[str, str, bool, str], ...]  # (history, planned, credible, best)

    @property
    def credible(self) -> bool:
        """True when the plan is a best response at every history."""
        return all(ok for _, _, ok, _ in self.checks)

    def sentence(self) -> str:
        """A readable verdict."""
        bad = [(h, plan, best) for h, plan, ok, best in self.checks if not ok]
        if not bad:
            return (
                f"{self.player}'s plan is credible: at every history it is a best response "
                "to the others' equilibrium play."
            )
        h, plan, best = bad[0]
        return (
            f"{self.player}'s plan is not credible: after {h} it prescribes {plan}, but "
            f"{best} pays {self.player} more there."
        )


def credibility(
    scenario: Scenario,
    player: str,
    plan: Mapping[str, str],
    params: Mapping[str, float] | None = None,
) -> Credibility:
    """Check a conditional plan of ``player`` for the stage where it moves last.

    Parameters
    ----------
    plan
        ``{history label: option combination}``; history labels as in :func:`spe` (e.g.
        ``"ai_chips=relax"``) and option combinations joined by ``+`` in chip order
        (e.g. ``"license+expedite"``).

    Returns
    -------
    Credibility
        For every history: the planned option, whether it is a best response there to the other
        movers' play in some subgame-perfect continuation, and the best option.
    """
    structure = stage_structure(scenario, params)
    if player not in scenario.players:
        raise SequentialError(f"unknown player '{player}'")
    p = scenario.players.index(player)
    stages = [k for k in range(len(structure.stage_chips)) if p in structure.movers(k)]
    if not stages:
        raise SequentialError(f"player '{player}' holds no chip")
    stage = stages[-1]
    options = ["+".join(o) for o in structure.options(stage, p)]
    histories = {history_label(h): h for h in structure.histories(stage)}
    for label, choice in plan.items():
        if label not in histories:
            raise SequentialError(
                f"unknown history '{label}'; histories are {', '.join(histories)}"
            )
        if choice not in options:
            raise SequentialError(
                f"unknown option '{choice}' for {player}; options are {', '.join(options)}"
            )
    checks = []
    for label, history in histories.items():
        if label not in plan:
            continue
        warnings: list[str] = []
        subgames = _solve_subgame(structure, stage, history, warnings)
        planned = plan[label]
        best_value = -np.inf
        best_option = planned
        credible = False
        for _, sub_plan, _ in subgames:
            others = sub_plan[(stage, label)]
            values = []
            for option in structure.options(stage, p):
                move: dict[str, str] = dict(others)
                move.update(zip(structure.player_chips(stage, p), option, strict=True))
                path = dict(history)
                path.update(move)
                # Later stages follow the same continuation plan where they exist.
                values.append(_continue(structure, stage, path, sub_plan)[p])
            values_arr = np.array(values)
            top = values_arr.max()
            ok = values_arr[options.index(planned)] >= top - TIE_TOL * max(1.0, abs(top))
            credible = credible or ok
            if top > best_value:
                best_value, best_option = top, options[int(values_arr.argmax())]
        checks.append((label, planned, credible, best_option))
    return Credibility(player, stage, tuple(checks))


def _continue(
    structure: Structure,
    stage: int,
    path: dict[str, str],
    plan: Mapping[tuple[int, str], Mapping[str, str]],
) -> NDArray[np.float64]:
    """Payoffs when play continues after ``stage`` by ``plan`` (last stage: immediate)."""
    for k in range(stage + 1, len(structure.stage_chips)):
        history = tuple((c, path[c]) for s in structure.stage_chips[:k] for c in s)
        path.update(plan.get((k, history_label(history)), {}))
    return structure.payoffs(path)


def nash_vs_spe(scenario: Scenario, params: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Pure Nash equilibria of the normal form beside the subgame-perfect ones.

    A Nash equilibrium whose plans differ from every subgame-perfect equilibrium somewhere off
    the path rests on a threat or promise that would not be carried out.

    Returns
    -------
    dict
        ``spe``: outcomes of the subgame-perfect equilibria; ``nash``: for every pure Nash
        equilibrium of the normal form, its plans, its outcome and whether it is subgame
        perfect.

    Raises
    ------
    SequentialError
        If the normal form would exceed the limits of :meth:`Scenario.game` (plans per player,
        pure profiles), checked from the stages before any history or plan is listed.
    """
    structure = stage_structure(scenario, params)
    try:
        check_plan_counts(structure, MAX_NORMAL_FORM_PROFILES)
    except SequentialError as exc:
        raise exc.located(file=scenario.path, key="timing.stages") from None
    found = spe(scenario, params)
    plans, labels = all_plans(structure)
    game = plans_game(structure, plans, labels)
    from ...solvers.pure import pure_equilibrium_mask

    # Compared chip by chip: the SPE's choices and the plans' are both keyed by chip name, so
    # the order of the chips in a stage (or of the players) cannot make them differ.
    spe_plans = [{key: dict(choice) for key, choice in eq.plan.items()} for eq in found.equilibria]
    nash = []
    for index in np.argwhere(pure_equilibrium_mask(game)):
        chosen = [plans[p][i] for p, i in enumerate(index)]
        path = play(structure, chosen)
        outcome = SPE(path, {}, {}).outcome(scenario)
        merged: dict[tuple[int, str], dict[str, str]] = {}
        for k in range(len(structure.stage_chips)):
            for h in structure.histories(k):
                options: dict[str, str] = {}
                for p in structure.movers(k):
                    options.update(
                        zip(structure.player_chips(k, p), chosen[p][(k, h)], strict=True)
                    )
                merged[(k, history_label(h))] = options
        perfect = any(all(merged[key] == plan[key] for key in plan) for plan in spe_plans)
        nash.append(
            {
                "plans": {scenario.players[p]: labels[p][i] for p, i in enumerate(index)},
                "outcome": outcome,
                "subgame_perfect": perfect,
            }
        )
    return {"spe": found.outcomes(), "nash": nash, "spe_complete": found.complete}
