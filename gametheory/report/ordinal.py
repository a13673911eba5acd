"""Report section for a graph model: states and their stability, sanctions in words, move graph.

:func:`ordinal_section` returns a :class:`~gametheory.report.document.Section` (the report builder
decides where it goes); :func:`plot_moves` draws the unilateral improvements around the
equilibria on a matplotlib ``Axes`` (:func:`move_graph_data` is the data behind it).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
from pathlib import Path
from typing import Any

from ..analysis.ordinal import CONCEPTS, GraphModel, Stability, analyse, coalitions, sanctions
from ..analysis.ordinal.explain import evolution, state_name
from ..analysis.ordinal.stability import MAX_COALITION_DMS
from .document import Figure, Report, Section, Table
from .figures import _new_axes, report_figure, to_svg

__all__ = ["build_ordinal_report", "move_graph_data", "ordinal_section", "plot_moves"]

#: Most states the state table lists (equilibria and the status quo first).
MAX_TABLE_STATES = 64
#: Most states the move graph draws.
MAX_GRAPH_STATES = 16
#: Most sanctions spelled out in words.
MAX_SANCTIONS = 12
LABELS = {"nash": "Nash", "gmr": "GMR", "smr": "SMR", "seq": "SEQ", "sim": "SIM"}


def ordinal_section(model: GraphModel, *, figure: bool = True) -> Section:
    """The graph-model section: summary, state table, sanctions in words, move graph.

    Parameters
    ----------
    model
        The graph model (from an ordinal file or a scenario's payoffs).
    figure
        Whether to draw the move graph (needs matplotlib).
    """
    result = analyse(model)
    paragraphs = list(_summary(model, result))
    tables = [_state_table(model, result)]
    sanction_rows = _sanction_rows(model, result)
    if sanction_rows:
        tables.append(
            Table(
                ("Equilibrium", "Why the improvement is not taken"),
                tuple(sanction_rows),
                "Graph-model equilibria that are not Nash stable: each unilateral improvement "
                "from them and the answer that deters it (SEQ: credible answers only).",
                fold=len(sanction_rows) > 8,
            )
        )
    figures = []
    if figure:
        fig, (ax,) = report_figure(6.5, 5.0)
        plot_moves(model, ax=ax, result=result)
        figures.append(
            Figure(
                to_svg(fig),
                "Unilateral improvements around the equilibria: an arrow is a move its decision "
                "maker prefers; thick circles are SEQ equilibria, the square the status quo.",
                "ordinal_moves",
            )
        )
    return Section(
        "ordinal",
        "Stability when only rankings are known (graph model)",
        tuple(paragraphs),
        tuple(tables),
        tuple(figures),
    )


def build_ordinal_report(model: GraphModel, path: str | Path | None = None) -> Report:
    """A report on an ordinal scenario file: its graph model and the stability of every state.

    ``path`` is the file read (its SHA-256 goes into the methods box).
    """
    from .._version import __version__

    methods = [("gametheory version", __version__)]
    if path is not None:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        methods.append(("scenario content hash (SHA-256)", digest))
    methods.append(("generated", _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")))
    return Report(model.title or "Graph model", (ordinal_section(model),), tuple(methods))


def _summary(model: GraphModel, result: Stability) -> list[str]:
    seq = result.equilibria("seq")
    nash = set(result.equilibria("nash"))
    if seq:
        both = [state_name(model, s) for s in seq if s in nash]
        lead = (
            "Likely resolutions (stable for every decision maker when only credible "
            "sanctions count, sequential stability): "
            + _join_names([state_name(model, s) for s in seq[:6]], len(seq))
            + "."
        )
        if len(both) == len(seq):
            lead += " All of them are also Nash stable: nobody gains there by a move of its own."
        elif both:
            lead += (
                " Of these, no decision maker can even gain by a move of its own at "
                + _join_names(both[:6], len(both))
                + " (Nash stable)."
            )
    else:
        lead = (
            "No state is stable for every decision maker under sequential stability: the "
            "conflict has no resolution that credible sanctions alone hold in place."
        )
    out = [
        lead,
        f"The graph model has {len(model.decision_makers)} decision makers, "
        f"{len(model.options)} options and {model.n_states} feasible states. Each decision "
        "maker only ranks the states; a state is stable for it when every move it would "
        "gain by can be answered by the others in a way that leaves it no better off (the "
        "concepts differ in which answers count).",
    ]
    for concept in CONCEPTS:
        eq = result.equilibria(concept)
        names = ", ".join(state_name(model, s) for s in eq[:8]) or "none"
        more = f" and {len(eq) - 8} more" if len(eq) > 8 else ""
        out.append(f"{LABELS[concept]} equilibria: {names}{more}.")
    if len(model.decision_makers) <= MAX_COALITION_DMS and model.n_states <= 4096:
        co = coalitions(model)
        eq = co.equilibria("cnash")
        names = ", ".join(state_name(model, s) for s in eq[:8]) or "none"
        out.append(f"Stable against every coalition (coalition Nash): {names}.")
    if model.status_quo is not None:
        reach = []
        for s in result.equilibria("seq")[:8]:
            path = evolution(model, s)
            if path is not None:
                reach.append(f"{state_name(model, s)} in {len(path)} move(s)")
        out.append(
            f"From the status quo, {state_name(model, model.status_quo)}, unilateral "
            "improvements reach " + (", ".join(reach) if reach else "no SEQ equilibrium") + "."
        )
    return out


def _join_names(names: list[str], total: int) -> str:
    more = f" and {total - len(names)} more" if total > len(names) else ""
    if len(names) == 1:
        return names[0] + more
    if more:
        return ", ".join(names) + more
    return ", ".join(names[:-1]) + " and " + names[-1]


def _stable_cell(model: GraphModel, result: Stability, concept: str, s: int) -> str:
    row = result.stable[concept][:, s]
    if row.all():
        return "equilibrium"
    stable = [model.decision_makers[d] for d in range(len(row)) if row[d]]
    return ", ".join(stable) if stable else "-"


def _ordered_states(model: GraphModel, result: Stability) -> list[int]:
    first = []
    if model.status_quo is not None:
        first.append(model.status_quo)
    for concept in CONCEPTS:
        first += [s for s in result.equilibria(concept) if s not in first]
    rest = [s for s in range(model.n_states) if s not in first]
    return (first + rest)[:MAX_TABLE_STATES]


def _state_table(model: GraphModel, result: Stability) -> Table:
    dms = model.decision_makers
    columns = (
        "State",
        *(o.name for o in model.options),
        *(f"{dm} rank" for dm in dms),
        *(LABELS[c] for c in CONCEPTS),
    )
    places = {dm: _places(model, dm) for dm in dms}
    rows = []
    for s in _ordered_states(model, result):
        settings = model.settings(s)
        rows.append(
            (
                str(s + 1) + (" (status quo)" if s == model.status_quo else ""),
                *(settings[o.name] for o in model.options),
                *(str(places[dm][s]) for dm in dms),
                *(_stable_cell(model, result, c, s) for c in CONCEPTS),
            )
        )
    shown = "" if len(rows) == model.n_states else f" (first {len(rows)} of {model.n_states})"
    return Table(
        columns,
        tuple(rows),
        "States" + shown + ": option settings, each decision maker's rank (1 = most preferred, "
        "ties share a rank) and, per concept, 'equilibrium' or the decision makers for whom "
        "the state is stable",
        fold=len(rows) > 20 or len(columns) > 12,
    )


def _places(model: GraphModel, dm: str) -> dict[int, int]:
    out = {}
    for place, group in enumerate(model.ranking(dm), start=1):
        for s in group:
            out[s] = place
    return out


def _sanction_rows(model: GraphModel, result: Stability) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    nash = set(result.equilibria("nash"))
    for concept in ("seq", "smr", "gmr"):
        for s in result.equilibria(concept):
            if s in nash or any(row[0].startswith(f"{state_name(model, s)} ") for row in rows):
                continue
            for d in range(len(model.decision_makers)):
                for answer in sanctions(model, s, d, concept):
                    rows.append(
                        (f"{state_name(model, s)} ({LABELS[concept]})", answer.describe(model))
                    )
                    if len(rows) >= MAX_SANCTIONS:
                        return rows
    return rows


def move_graph_data(
    model: GraphModel, result: Stability | None = None, limit: int = MAX_GRAPH_STATES
) -> dict[str, Any]:
    """States around the equilibria, their positions on a circle, and the improvements.

    Returns
    -------
    dict
        ``states`` (indices shown), ``positions`` {state: (x, y)}, ``arcs`` [(mover, from,
        to)] of unilateral improvements between shown states, ``equilibria`` (SEQ) and
        ``status_quo``.
    """
    result = result or analyse(model)
    focus = list(result.equilibria("seq"))
    if model.status_quo is not None and model.status_quo not in focus:
        focus.insert(0, model.status_quo)
    shown = focus[:limit]
    for d in range(len(model.decision_makers)):
        src, dst = model.improvements(d)
        for a, b in zip(src.tolist(), dst.tolist(), strict=True):
            if len(shown) >= limit:
                break
            if b in focus and a not in shown:
                shown.append(a)
    if not shown:
        shown = list(range(min(limit, model.n_states)))
    count = len(shown)
    positions = {
        s: (math.cos(2 * math.pi * k / count), math.sin(2 * math.pi * k / count))
        for k, s in enumerate(shown)
    }
    arcs = []
    members = set(shown)
    for d in range(len(model.decision_makers)):
        src, dst = model.improvements(d)
        arcs += [
            (d, a, b)
            for a, b in zip(src.tolist(), dst.tolist(), strict=True)
            if a in members and b in members
        ]
    return {
        "states": shown,
        "positions": positions,
        "arcs": arcs,
        "equilibria": [s for s in result.equilibria("seq") if s in members],
        "status_quo": model.status_quo if model.status_quo in members else None,
    }


def plot_moves(model: GraphModel, ax: Any = None, result: Stability | None = None) -> Any:
    """Draw the unilateral improvements around the SEQ equilibria; returns the Axes."""
    data = move_graph_data(model, result)
    if ax is None:
        ax = _new_axes(6.5, 5.0)[0]
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown"]
    drawn = set()
    for mover, a, b in data["arcs"]:
        (x0, y0), (x1, y1) = data["positions"][a], data["positions"][b]
        label = model.decision_makers[mover] if mover not in drawn else None
        drawn.add(mover)
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={
                "arrowstyle": "-|>",
                "color": colours[mover % len(colours)],
                "lw": 1.2,
                "shrinkA": 11,
                "shrinkB": 11,
                "connectionstyle": "arc3,rad=0.12",
            },
        )
        if label:
            ax.plot([], [], color=colours[mover % len(colours)], label=f"{label} improves")
    for s, (x, y) in data["positions"].items():
        equilibrium = s in data["equilibria"]
        marker = "s" if s == data["status_quo"] else "o"
        ax.scatter(
            [x],
            [y],
            s=420,
            marker=marker,
            facecolor="white",
            edgecolor="black",
            linewidth=2.5 if equilibrium else 0.8,
            zorder=3,
        )
        ax.text(x, y, str(s + 1), ha="center", va="center", fontsize=8, zorder=4)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    if drawn:
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3)
    ax.set_title("Moves around the equilibria (state numbers)", fontsize=9)
    return ax
