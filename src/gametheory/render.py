"""Text and HTML views of games, scenarios and results (for the terminal and for Jupyter).

Rendering reads the model and results; nothing in the model or the solvers imports it at module
level.
"""

from __future__ import annotations

import html
import textwrap
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .game import Game, Profile
    from .scenario import Scenario
    from .solvers.result import SolveResult

__all__ = [
    "format_number",
    "format_probability",
    "game_html",
    "game_text",
    "profile_label",
    "result_html",
    "result_text",
    "scenario_html",
    "strategy_label",
]


def format_number(value: float, digits: int = 4) -> str:
    """Compact number: integers without decimals, others to ``digits`` significant places."""
    if abs(value - round(value)) < 1e-9:
        return str(round(value))
    return f"{value:.{digits}g}"


def format_probability(value: float, digits: int = 4) -> str:
    """A probability as a small fraction when it is one (``1/3``), else a decimal."""
    frac = Fraction(value).limit_denominator(64)
    if frac != 0 and abs(float(frac) - value) < 1e-9:
        return str(frac)
    if 0 < value < 10**-digits:
        return f"{value:.2g}"  # tiny but positive: do not print it as 0
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def strategy_label(actions: tuple[str, ...], probs: np.ndarray, digits: int = 4) -> str:
    """``"Swerve"`` for a pure strategy, ``"1/2 Swerve + 1/2 Straight"`` for a mixed one."""
    support = [(a, float(x)) for a, x in zip(actions, probs, strict=True) if x > 1e-12]
    if len(support) == 1:
        return support[0][0]
    return " + ".join(f"{format_probability(x, digits)} {a}" for a, x in support)


def profile_label(profile: Profile, digits: int = 4) -> str:
    """``"Row: Swerve / Col: Straight"``."""
    game = profile.game
    return " / ".join(
        f"{player}: {strategy_label(game.actions[p], profile.strategies[p], digits)}"
        for p, player in enumerate(game.players)
    )


def _table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def _cell(game: Game, index: tuple[int, ...]) -> str:
    return ", ".join(format_number(float(game.payoffs[(p, *index)])) for p in range(game.n_players))


def game_text(game: Game) -> str:
    """The labelled payoff table as plain text.

    Two-player games are shown as a matrix (rows: first player; cells: ``row payoff, column
    payoff``); games of more players as one row per pure profile.
    """
    title = f"{game.title}\n" if game.title else ""
    if game.n_players == 2:
        row_player, col_player = game.players
        header = [f"{row_player} \\ {col_player}", *game.actions[1]]
        rows = [
            [a, *(_cell(game, (i, j)) for j in range(game.shape[1]))]
            for i, a in enumerate(game.actions[0])
        ]
        return title + _table(rows, header) + f"\n(cells: {row_player}, {col_player})"
    header = [*game.players, *(f"u({p})" for p in game.players)]
    rows = []
    for index in game.pure_profiles():
        rows.append(
            [game.actions[p][a] for p, a in enumerate(index)]
            + [format_number(float(game.payoffs[(p, *index)])) for p in range(game.n_players)]
        )
    return title + _table(rows, header)


def result_text(result: SolveResult) -> str:
    """A readable summary of a :class:`SolveResult`."""
    game = result.game
    lines = []
    if game.title:
        lines.append(game.title)
    if result.parameters:
        params = ", ".join(f"{k}={format_number(v)}" for k, v in result.parameters.items())
        lines.append(textwrap.fill(f"parameters: {params}", width=100, subsequent_indent="  "))
    method = result.method
    if "auto" in result.details:
        method += f" (auto: {result.details['auto']})"
    lines.append(f"method: {method}")
    count = len(result.equilibria)
    state = "complete" if result.complete else "NOT known to be complete"
    lines.append(f"{count} equilibri{'um' if count == 1 else 'a'} ({state})")
    for k, eq in enumerate(result.equilibria, start=1):
        kind = "pure" if eq.is_pure else "mixed"
        lines.append("")
        lines.append(f"Equilibrium {k} ({kind})")
        rows = [
            [
                player,
                strategy_label(game.actions[p], eq.strategies[p]),
                format_number(float(eq.payoffs[p])),
            ]
            for p, player in enumerate(game.players)
        ]
        lines.append(_table(rows, ["player", "strategy", "payoff"]))
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


# ---------------------------------------------------------------------- HTML
def _esc(text: object) -> str:
    return html.escape(str(text))


def game_html(game: Game) -> str:
    """The payoff table as an HTML table."""
    caption = f"<caption>{_esc(game.title)}</caption>" if game.title else ""
    if game.n_players == 2:
        head = "".join(f"<th>{_esc(a)}</th>" for a in game.actions[1])
        body = "".join(
            f"<tr><th>{_esc(a)}</th>"
            + "".join(f"<td>{_esc(_cell(game, (i, j)))}</td>" for j in range(game.shape[1]))
            + "</tr>"
            for i, a in enumerate(game.actions[0])
        )
        corner = f"{_esc(game.players[0])} \\ {_esc(game.players[1])}"
        return (
            f"<table>{caption}<thead><tr><th>{corner}</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    head = "".join(f"<th>{_esc(p)}</th>" for p in game.players)
    head += "".join(f"<th>u({_esc(p)})</th>" for p in game.players)
    body = ""
    for index in game.pure_profiles():
        cells = [game.actions[p][a] for p, a in enumerate(index)]
        cells += [format_number(float(game.payoffs[(p, *index)])) for p in range(game.n_players)]
        body += "<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in cells) + "</tr>"
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def result_html(result: SolveResult) -> str:
    """Equilibria as an HTML table, with method, completeness and warnings."""
    game = result.game
    head = "<th>#</th>" + "".join(f"<th>{_esc(p)}</th>" for p in game.players)
    head += "".join(f"<th>u({_esc(p)})</th>" for p in game.players)
    rows = ""
    for k, eq in enumerate(result.equilibria, start=1):
        cells = [strategy_label(game.actions[p], eq.strategies[p]) for p in range(game.n_players)]
        cells += [format_number(float(v)) for v in eq.payoffs]
        rows += f"<tr><td>{k}</td>" + "".join(f"<td>{_esc(c)}</td>" for c in cells) + "</tr>"
    state = "complete" if result.complete else "not known to be complete"
    summary = (
        f"<p><b>{len(result.equilibria)}</b> equilibria ({state}); method "
        f"<code>{_esc(result.method)}</code>, tolerance {result.tolerance:g}</p>"
    )
    warnings = "".join(f"<li>{_esc(w)}</li>" for w in result.warnings)
    warnings = f"<ul>{warnings}</ul>" if warnings else ""
    return (
        f"<div>{summary}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
        f"</table>{warnings}</div>"
    )


def scenario_html(scenario: Scenario) -> str:
    """The scenario's title and parameter table as HTML."""
    rows = "".join(
        f"<tr><td>{_esc(p.name)}</td><td>{format_number(p.value)}</td>"
        f"<td>{_esc('' if p.min is None else format_number(p.min))} – "
        f"{_esc('' if p.max is None else format_number(p.max))}</td><td>{_esc(p.unit)}</td>"
        f"<td>{_esc(p.description)}</td><td>{_esc(p.source)}</td></tr>"
        for p in scenario.parameters.values()
    )
    table = (
        "<table><thead><tr><th>parameter</th><th>value</th><th>range</th><th>unit</th>"
        f"<th>description</th><th>source</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>No parameters.</p>"
    )
    players = ", ".join(
        f"{_esc(p)} ({len(a)} strategies)"
        for p, a in zip(scenario.players, scenario.actions, strict=True)
    )
    return f"<div><h4>{_esc(scenario.title)}</h4><p>Players: {players}</p>{table}</div>"
