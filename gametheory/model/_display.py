"""Text and HTML views of games, profiles and scenarios (for the terminal and for Jupyter).

This module sits below :mod:`~gametheory.model.game` and :mod:`~gametheory.model.scenario` and
imports neither: it reads their attributes (duck typing), and they bind its functions as
methods, as scikit-learn's estimators do with their HTML representation.
"""

from __future__ import annotations

from typing import Any

from .._format import esc, format_number, strategy_label, text_table

__all__ = ["game_html", "game_text", "profile_label", "scenario_html"]


def profile_label(profile: Any, digits: int = 4) -> str:
    """``"Row: Swerve / Col: Straight"`` for a profile of a labelled game."""
    game = profile.game
    return " / ".join(
        f"{player}: {strategy_label(game.actions[p], profile.strategies[p], digits)}"
        for p, player in enumerate(game.players)
    )


def _cell(game: Any, index: tuple[int, ...]) -> str:
    return ", ".join(format_number(float(game.payoffs[(p, *index)])) for p in range(game.n_players))


def game_text(game: Any) -> str:
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
        return title + text_table(rows, header) + f"\n(cells: {row_player}, {col_player})"
    header = [*game.players, *(f"u({p})" for p in game.players)]
    rows = []
    for index in game.pure_profiles():
        rows.append(
            [game.actions[p][a] for p, a in enumerate(index)]
            + [format_number(float(game.payoffs[(p, *index)])) for p in range(game.n_players)]
        )
    return title + text_table(rows, header)


def game_html(game: Any) -> str:
    """The payoff table as an HTML table."""
    caption = f"<caption>{esc(game.title)}</caption>" if game.title else ""
    if game.n_players == 2:
        head = "".join(f"<th>{esc(a)}</th>" for a in game.actions[1])
        body = "".join(
            f"<tr><th>{esc(a)}</th>"
            + "".join(f"<td>{esc(_cell(game, (i, j)))}</td>" for j in range(game.shape[1]))
            + "</tr>"
            for i, a in enumerate(game.actions[0])
        )
        corner = f"{esc(game.players[0])} \\ {esc(game.players[1])}"
        return (
            f"<table>{caption}<thead><tr><th>{corner}</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>"
        )
    head = "".join(f"<th>{esc(p)}</th>" for p in game.players)
    head += "".join(f"<th>u({esc(p)})</th>" for p in game.players)
    body = ""
    for index in game.pure_profiles():
        cells = [game.actions[p][a] for p, a in enumerate(index)]
        cells += [format_number(float(game.payoffs[(p, *index)])) for p in range(game.n_players)]
        body += "<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>"
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def scenario_html(scenario: Any) -> str:
    """The scenario's title and parameter table as HTML."""
    rows = "".join(
        f"<tr><td>{esc(p.name)}</td><td>{format_number(p.value)}</td>"
        f"<td>{esc('' if p.min is None else format_number(p.min))} – "
        f"{esc('' if p.max is None else format_number(p.max))}</td><td>{esc(p.unit)}</td>"
        f"<td>{esc(p.description)}</td><td>{esc(p.source)}</td></tr>"
        for p in scenario.parameters.values()
    )
    table = (
        "<table><thead><tr><th>parameter</th><th>value</th><th>range</th><th>unit</th>"
        f"<th>description</th><th>source</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>No parameters.</p>"
    )
    players = ", ".join(
        f"{esc(p)} ({len(a)} strategies)"
        for p, a in zip(scenario.players, scenario.actions, strict=True)
    )
    return f"<div><h4>{esc(scenario.title)}</h4><p>Players: {players}</p>{table}</div>"
