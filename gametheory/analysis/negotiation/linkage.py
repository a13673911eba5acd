"""Issue linkage: negotiate two issues together or apart, and who gains from linking them.

Two chip-form scenarios over the same players (say, "military magnets vs AI chips" and "trade:
tariffs, deadline, civilian licences") are composed by :func:`link` into one scenario whose
strategies combine both issues' chips and whose payoffs are the sum of the issues' payoffs plus
optional **linkage terms** (expressions over the chips of both issues, e.g. the extra value to
China of licensing military magnets when AI-chip controls are relaxed).

:func:`compare_linkage` then sets the linked negotiation beside the separate ones:

- equilibria: the outcome and payoffs of each issue alone, and of the linked game;
- bargaining: the Nash bargaining solution of each issue alone (disagreement: that issue's
  first listed equilibrium), summed, against the Nash bargaining solution of the linked game
  (disagreement: its first listed equilibrium);
- each player's **gain from linkage** under both, so one can see when a linkage helps or hurts
  each side. Linking without linkage terms can still change bargaining outcomes, because the
  linked feasible set (the sum of the two sets) allows trade-offs across issues
  (Sebenius, "Negotiation arithmetic", International Organization 37, 1983).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ...errors import ScenarioError
from ...model.expr import Expression
from ...model.scenario import Parameter, Scenario
from ...solvers import solve
from .bargaining import bargain

__all__ = ["compare_linkage", "link"]


def _check_issue(scenario: Scenario, which: str) -> None:
    if scenario.form != "chips" or scenario.timing != "simultaneous":
        raise ScenarioError(
            f"the {which} issue must be a simultaneous scenario in chip form to be linked"
        )


def link(
    first: Scenario,
    second: Scenario,
    linkage: Mapping[str, str] | None = None,
    *,
    parameters: Sequence[Parameter] = (),
    title: str | None = None,
) -> Scenario:
    """Compose two issue scenarios into one linked scenario.

    Parameters
    ----------
    first, second
        Chip-form scenarios with the same players; chip names must differ, and a parameter
        declared in both must be declared identically.
    linkage
        Optional extra payoff per player: an expression over both issues' chips and the
        parameters (including ``parameters``).
    parameters
        Parameters used only by the linkage terms.
    title
        Title of the linked scenario.
    """
    _check_issue(first, "first")
    _check_issue(second, "second")
    if set(first.players) != set(second.players):
        raise ScenarioError(
            f"linked issues need the same players; got {', '.join(first.players)} and "
            f"{', '.join(second.players)}"
        )
    clash = {c.name for c in first.chips} & {c.name for c in second.chips}
    if clash:
        raise ScenarioError(f"chip '{sorted(clash)[0]}' appears in both issues; rename it")
    merged: dict[str, Parameter] = dict(first.parameters)
    for name, prm in list(second.parameters.items()) + [(p.name, p) for p in parameters]:
        if name in merged and merged[name] != prm:
            raise ScenarioError(f"parameter '{name}' is declared differently in the two issues")
        merged[name] = prm
    linkage = dict(linkage or {})
    unknown = [p for p in linkage if p not in first.players]
    if unknown:
        raise ScenarioError(f"linkage term for unknown player '{unknown[0]}'")
    payoffs = {}
    for player in first.players:
        parts = [_text(first.payoffs[player]), _text(second.payoffs[player])]
        if player in linkage:
            parts.append(linkage[player])
        payoffs[player] = " + ".join(f"({part})" for part in parts)
    return Scenario.from_chips(
        list(first.players),
        [*first.chips, *second.chips],
        payoffs,
        list(merged.values()),
        title=title or f"{first.title} + {second.title} (linked)",
        description=f"Linked negotiation of: {first.title}; {second.title}.",
        sources=tuple(dict.fromkeys([*first.sources, *second.sources])),
    )


def _text(entry: Any) -> str:
    if not isinstance(entry, Expression):  # pragma: no cover - chip form always has one
        raise ScenarioError("linked issues must be in chip form")
    return entry.text


def compare_linkage(
    first: Scenario,
    second: Scenario,
    linked: Scenario | None = None,
    params: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """Equilibria and bargaining outcomes with the issues separate and linked.

    Parameters
    ----------
    first, second
        The issue scenarios.
    linked
        Their linked scenario (default: :func:`link` without linkage terms).
    params
        Parameter values (each scenario takes the ones it declares).

    Returns
    -------
    dict
        ``separate`` and ``linked`` (outcome, payoffs, whether the equilibrium is unique, Nash
        bargaining payoffs), and ``gain_from_linkage`` for equilibrium and bargaining payoffs,
        by player. Where a game has several equilibria the first listed is used, and
        ``unique`` says so.
    """
    linked = linked or link(first, second)
    params = dict(params or {})
    players = list(first.players)
    separate = {}
    eq_sum = np.zeros(len(players))
    nbs_sum = np.zeros(len(players))
    for issue in (first, second):
        summary = _summarise(issue, params, players)
        separate[issue.title] = summary
        eq_sum += [summary["payoffs"][p] for p in players]
        nbs_sum += [summary["nash_bargaining"][p] for p in players]
    together = _summarise(linked, params, players)
    return {
        "players": players,
        "separate": separate,
        "linked": together,
        "gain_from_linkage": {
            "equilibrium": {
                p: together["payoffs"][p] - float(eq_sum[k]) for k, p in enumerate(players)
            },
            "nash_bargaining": {
                p: together["nash_bargaining"][p] - float(nbs_sum[k]) for k, p in enumerate(players)
            },
        },
    }


def _summarise(
    scenario: Scenario, params: Mapping[str, float], players: list[str]
) -> dict[str, Any]:
    own = {k: v for k, v in params.items() if k in scenario.parameters}
    game = scenario.game(own)
    result = solve(game)
    eq = result.equilibria[0]
    order = [game.players.index(p) for p in players]
    nbs = bargain(game, list(eq.payoffs)) if game.n_players == 2 else None
    nash = dict(zip(game.players, nbs.nash, strict=True)) if nbs else {}
    return {
        "outcome": eq.describe(),
        "payoffs": {game.players[i]: float(eq.payoffs[i]) for i in order},
        "unique": len(result.equilibria) == 1 and result.complete,
        "nash_bargaining": {p: float(nash[p]) for p in players} if nash else {},
    }
