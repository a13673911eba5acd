"""Text and HTML views of a :class:`~gametheory.solvers.result.SolveResult`.

Sits below :mod:`~gametheory.solvers.result`, which binds these functions as methods; reads the
result's attributes without importing it.
"""

from __future__ import annotations

import textwrap
from typing import Any

from .._format import esc, format_number, strategy_label, text_table

__all__ = ["result_html", "result_text"]


def result_text(result: Any) -> str:
    """A readable summary of a solve result: method, completeness, equilibria, warnings."""
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
        lines.append(text_table(rows, ["player", "strategy", "payoff"]))
    for warning in result.warnings:
        lines.append(f"warning: {warning}")
    return "\n".join(lines)


def result_html(result: Any) -> str:
    """Equilibria as an HTML table, with method, completeness and warnings."""
    game = result.game
    head = "<th>#</th>" + "".join(f"<th>{esc(p)}</th>" for p in game.players)
    head += "".join(f"<th>u({esc(p)})</th>" for p in game.players)
    rows = ""
    for k, eq in enumerate(result.equilibria, start=1):
        cells = [strategy_label(game.actions[p], eq.strategies[p]) for p in range(game.n_players)]
        cells += [format_number(float(v)) for v in eq.payoffs]
        rows += f"<tr><td>{k}</td>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>"
    state = "complete" if result.complete else "not known to be complete"
    summary = (
        f"<p><b>{len(result.equilibria)}</b> equilibria ({state}); method "
        f"<code>{esc(result.method)}</code>, tolerance {result.tolerance:g}</p>"
    )
    warnings = "".join(f"<li>{esc(w)}</li>" for w in result.warnings)
    warnings = f"<ul>{warnings}</ul>" if warnings else ""
    return (
        f"<div>{summary}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody>"
        f"</table>{warnings}</div>"
    )
