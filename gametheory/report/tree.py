"""Game trees in reports and notebooks: the tree figure, a section that leads with the answer.

:func:`plot_tree` draws a :class:`~gametheory.model.tree.Tree` on a matplotlib ``Axes``:
leaves evenly spaced, depth downward, moves labelled, the equilibrium path bold, the moves the
equilibrium would play off the path drawn darker than those it never plays, probabilities on
chance moves and mixed moves, information sets joined by a dashed line, non-credible threats
(moves a Nash equilibrium plays off its path that no subgame-perfect equilibrium plays there)
in red, and payoffs under the terminal nodes. :func:`tree_figure_data` prepares what is drawn
and is tested on its own.

Readable up to about :data:`MAX_DRAWN_LEAVES` leaves; a larger tree is drawn as its
equilibrium path and the moves beside it (each cut-off node shows its value under the
equilibrium), and the caption says so.

:func:`tree_section` returns a :class:`~gametheory.report.document.Section` that says the
predicted path and what each side would do off it in words, then shows the tree, then the
details (tables folded when long); for a signalling game it adds its perfect Bayesian
equilibria. :func:`build_tree_report` wraps it in a :class:`~gametheory.report.document.Report`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import GameTheoryError
from ..model.tree import CHANCE, DECISION, TERMINAL, Tree
from ..model.tree_scenario import TreeScenario
from ..solvers.bayesian import (
    PBEResult,
    PerfectBayesianEquilibrium,
    SignallingGame,
    pbe_signalling,
)
from ..solvers.tree import TreeEquilibrium, TreeSolveResult, nash_tree, spe, spe_gain
from .document import Figure, Report, Section, Table
from .figures import _new_axes, report_figure, to_svg

__all__ = [
    "MAX_DRAWN_LEAVES",
    "build_tree_report",
    "how_sure_section",
    "off_path_words",
    "path_words",
    "plot_tree",
    "switch_section",
    "tree_details_section",
    "tree_figure_data",
    "tree_section",
]

#: Most leaves drawn; a bigger tree is drawn as its equilibrium path and the moves beside it.
MAX_DRAWN_LEAVES = 60
#: Most nodes, and most pure profiles of the reduced normal form, for which the report also
#: lists Nash equilibria (to find non-credible threats); vertex enumeration grows fast beyond.
MAX_NASH_NODES = 400
MAX_NASH_PROFILES = 2_500
#: Most information sets described in words off the path (the rest are in the table).
MAX_WORDS_OFF_PATH = 6
#: Most rows of a table shown open (longer tables are folded).
MAX_OPEN_ROWS = 12
#: Most rows of any table (the rest are left out, and the caption says so).
MAX_TABLE_ROWS = 500
_EPS = 1e-9
#: Above this many drawn leaves the payoffs are written vertically.
_ROTATE_LEAVES = 14
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")


# ---------------------------------------------------------------------- figure data
@dataclass(frozen=True)
class _Edge:
    parent: int
    child: int
    label: str
    style: str  # "path", "chosen", "threat", "other"


def _behaviour_of(result: Any) -> tuple[np.ndarray | None, Any]:
    """The behaviour profile of a result (first equilibrium) or equilibrium, and the object."""
    if result is None:
        return None, None
    if isinstance(result, TreeSolveResult | PBEResult):
        if not len(result):
            return None, None
        result = result[0]
    behaviour = getattr(result, "behaviour", None)
    if behaviour is None:
        raise GameTheoryError(
            f"plot_tree: result must be a tree result or equilibrium, got {type(result).__name__}"
        )
    return np.asarray(behaviour, dtype=np.float64), result


def _threats(tree: Tree, behaviour: np.ndarray, reach: np.ndarray) -> set[int]:
    """Nodes entered by a move the profile plays off its path that no SPE plays there.

    Empty when the profile is itself subgame perfect (or the check cannot be made).
    """
    try:
        if spe_gain(tree, behaviour) <= 1e-7:
            return set()
        perfect = spe(tree)
    except GameTheoryError:
        return set()
    if not len(perfect):
        return set()
    played_by_spe = np.zeros(tree.n_actions, dtype=bool)
    for eq in perfect.equilibria:
        played_by_spe |= eq.behaviour > _EPS
    out = set()
    unreached = _infoset_reach(tree, reach) <= _EPS
    for node in np.flatnonzero((tree.kind == DECISION) & (reach <= _EPS)).tolist():
        h = int(tree.infoset[node])
        if not unreached[h]:
            continue
        lo = int(tree.action_offset[h])
        for k in range(int(tree.n_children[node])):
            if behaviour[lo + k] > _EPS and not played_by_spe[lo + k]:
                out.add(int(tree.first_child[node]) + k)
    return out


def _infoset_reach(tree: Tree, reach: np.ndarray) -> np.ndarray:
    """The largest reach probability of a node in each information set."""
    out = np.zeros(tree.n_infosets)
    decision = np.flatnonzero(tree.kind == DECISION)
    np.maximum.at(out, tree.infoset[decision], reach[decision])
    return out


def _drawn_nodes(tree: Tree, reach: np.ndarray | None, max_leaves: int) -> tuple[np.ndarray, str]:
    """Which nodes to draw, and a note when not all are."""
    n_leaves = int(tree.terminals.size)
    if n_leaves <= max_leaves:
        return np.ones(tree.n_nodes, dtype=bool), ""
    keep = np.zeros(tree.n_nodes, dtype=bool)
    keep[0] = True
    if reach is not None:
        on = reach > _EPS
        keep |= on
        keep[1:] |= on[tree.parent[1:]]
        note = (
            f"The tree has {n_leaves:,} terminal nodes; only the equilibrium path and the moves "
            "beside it are drawn (a cut-off node shows its value under the equilibrium)."
        )
        return keep, note
    count = 1
    for start, stop in tree.levels()[1:]:
        if count + (stop - start) > max_leaves:
            break
        keep[start:stop] = True
        count += stop - start
    note = (
        f"The tree has {n_leaves:,} terminal nodes; only its first levels are drawn "
        "(a cut-off node is marked with an ellipsis)."
    )
    return keep, note


def _layout(tree: Tree, keep: np.ndarray) -> dict[int, tuple[float, float]]:
    """Leaves of the drawn tree evenly spaced left to right (depth first), parents centred."""
    children: dict[int, list[int]] = {}
    for node in (np.flatnonzero(keep[1:]) + 1).tolist():
        children.setdefault(int(tree.parent[node]), []).append(int(node))
    depth = tree.depth
    order: list[int] = []
    stack = [0]
    while stack:
        v = stack.pop()
        order.append(v)
        stack.extend(reversed(children.get(v, [])))
    x: dict[int, float] = {}
    leaf = 0
    for v in order:
        if v not in children:
            x[v] = float(leaf)
            leaf += 1
    for v in reversed(order):
        if v in children:
            kids = children[v]
            x[v] = (x[kids[0]] + x[kids[-1]]) / 2
    return {v: (x[v], -float(depth[v])) for v in order}


def _infoset_texts(tree: Tree, eq: Any) -> dict[int, str]:
    """Labels of the receiver's information sets with beliefs, for a perfect Bayesian eq."""
    if not isinstance(eq, PerfectBayesianEquilibrium):
        return {}
    game = eq.game
    on = {game.messages.index(m) for m in eq.on_path()}
    out = {}
    for m, h in enumerate(game.receiver_infoset):
        message = game.messages[m]
        if m in on:
            mu = ", ".join(f"{t} {_format(v)}" for t, v in eq.belief(message).items())
            out[h] = f"beliefs: {mu}"
        else:
            support = next(x for x in eq.off_path if x.message == message)
            out[h] = f"off path: {support.describe()}"
    return out


def _format(value: float) -> str:
    text = f"{value:.3g}"
    return "0" if text == "-0" else text


def tree_figure_data(
    tree: Tree, result: Any = None, *, max_leaves: int = MAX_DRAWN_LEAVES
) -> dict[str, Any]:
    """What :func:`plot_tree` draws.

    Returns
    -------
    dict
        ``positions`` ``{node: (x, y)}``; ``edges`` (parent, child, label with any
        probability, style ``path``/``chosen``/``threat``/``other``); ``infosets`` (label,
        nodes left to right) of the drawn nodes of information sets with two or more;
        ``nodes`` ``{node: (kind, text)}`` (a decision node's player, ``chance``, or the
        payoffs of a terminal or cut-off node); ``note`` (empty unless the tree was cut);
        ``threats`` (number of threat moves).
    """
    behaviour, eq = _behaviour_of(result)
    reach = tree.reach(behaviour) if behaviour is not None else None
    keep, note = _drawn_nodes(tree, reach, max_leaves)
    positions = _layout(tree, keep)
    threats = (
        _threats(tree, behaviour, reach) if behaviour is not None and reach is not None else set()
    )
    moves = tree.move_probabilities(behaviour) if behaviour is not None else tree.probability
    values = tree.values(behaviour) if behaviour is not None else None
    edges = []
    for child in sorted(positions):
        if child == 0:
            continue
        parent = int(tree.parent[child])
        label = tree.move_labels[child]
        p = float(moves[child])
        if tree.kind[parent] == CHANCE or (behaviour is not None and _EPS < p < 1 - _EPS):
            label += f" ({_format(p)})"
        if child in threats:
            style = "threat"
        elif reach is not None and reach[child] > _EPS:
            style = "path"
        elif behaviour is not None and tree.kind[parent] == DECISION and p > _EPS:
            style = "chosen"
        else:
            style = "other"
        edges.append(_Edge(parent, child, label, style))
    nodes: dict[int, tuple[str, str]] = {}
    drawn_children = {int(tree.parent[v]) for v in positions if v}
    for v in positions:
        if tree.kind[v] == TERMINAL:
            pay = tree.payoffs[int(np.searchsorted(tree.terminals, v))]
            nodes[v] = ("terminal", ", ".join(_format(float(x)) for x in pay))
        elif v not in drawn_children:
            text = "..."
            if values is not None:
                text = "(" + ", ".join(_format(float(x)) for x in values[v]) + ") ..."
            nodes[v] = ("cut", text)
        elif tree.kind[v] == CHANCE:
            nodes[v] = ("chance", "chance")
        else:
            owner = int(tree.infoset_owner[tree.infoset[v]])
            nodes[v] = ("decision", tree.players[owner])
    labels = _infoset_texts(tree, eq)
    grouped: dict[int, list[int]] = {}
    for v in sorted(positions):
        if tree.kind[v] == DECISION:
            grouped.setdefault(int(tree.infoset[v]), []).append(v)
    infosets = []
    for h, members in sorted(grouped.items()):
        if len(members) > 1:
            members.sort(key=lambda v: positions[v][0])
            infosets.append((labels.get(h, tree.infoset_labels[h]), members))
    return {
        "positions": positions,
        "edges": edges,
        "nodes": nodes,
        "infosets": infosets,
        "note": note,
        "threats": len(threats),
        "players": tree.players,
        "owners": {
            v: int(tree.infoset_owner[tree.infoset[v]])
            for v in positions
            if tree.kind[v] == DECISION
        },
    }


# ---------------------------------------------------------------------- drawing
def figure_size(
    tree: Tree, result: Any = None, max_leaves: int = MAX_DRAWN_LEAVES
) -> tuple[float, float]:
    """A figure size (inches) that keeps labels readable for the part of the tree drawn."""
    behaviour, _ = _behaviour_of(result)
    reach = tree.reach(behaviour) if behaviour is not None else None
    keep, _ = _drawn_nodes(tree, reach, max_leaves)
    kept_parent = np.zeros(tree.n_nodes, dtype=bool)
    kept_parent[tree.parent[1:][keep[1:]]] = True
    leaves = int((keep & ~kept_parent).sum())
    levels = int(tree.depth[keep].max()) + 1
    extra = 0.6 if leaves > _ROTATE_LEAVES else 0.0
    width = max(5.0, min(15.0, 0.9 * leaves + 1.2))
    return width, max(2.6, min(11.0, 1.0 * levels + 0.5 + extra))


def plot_tree(
    tree: Tree, result: Any = None, ax: Any = None, *, max_leaves: int = MAX_DRAWN_LEAVES
) -> Any:
    """Draw the tree (and an equilibrium, if given); returns the Axes.

    Parameters
    ----------
    tree
        The tree.
    result
        A :class:`~gametheory.solvers.tree.TreeSolveResult` (its first equilibrium is
        drawn), a :class:`~gametheory.solvers.tree.TreeEquilibrium`, a perfect Bayesian
        equilibrium, or None (the tree alone).
    ax
        The Axes to draw on; a new pyplot figure when None.
    max_leaves
        Above this many terminal nodes only the path and the moves beside it are drawn.

    Notes
    -----
    Bold black: the equilibrium path; dark grey: moves the equilibrium would play off the
    path; light grey: moves never played; red: non-credible threats; dashed: information sets.
    Cost: one pass over the drawn nodes, plus a subgame-perfection check of a non-perfect
    profile to find threats.
    """
    data = tree_figure_data(tree, result, max_leaves=max_leaves)
    if ax is None:
        ax = _new_axes(*figure_size(tree, result, max_leaves))[0]
    pos = data["positions"]
    n_leaves = sum(1 for kind, _ in data["nodes"].values() if kind in ("terminal", "cut"))
    font = 6.5 if n_leaves > _ROTATE_LEAVES else 8.5
    _draw_edges(ax, data, font)
    _draw_infosets(ax, data, font)
    _draw_nodes(ax, data, font, rotate=n_leaves > _ROTATE_LEAVES)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - (0.9 if n_leaves > _ROTATE_LEAVES else 0.45), max(ys) + 0.35)
    ax.axis("off")
    if len(data["players"]) > 1:
        ax.text(
            1.0,
            0.0,
            "payoffs: " + ", ".join(data["players"]),
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=font,
            color="#444444",
        )
    return ax


_STYLES: dict[str, dict[str, Any]] = {
    "path": {"color": "black", "lw": 3.0, "zorder": 2},
    "chosen": {"color": "#555555", "lw": 1.6, "zorder": 1},
    "threat": {"color": "#d62728", "lw": 2.0, "zorder": 2, "ls": (0, (4, 2))},
    "other": {"color": "#bbbbbb", "lw": 1.0, "zorder": 1},
}


def _draw_edges(ax: Any, data: dict[str, Any], font: float) -> None:
    pos = data["positions"]
    for edge in data["edges"]:
        (x0, y0), (x1, y1) = pos[edge.parent], pos[edge.child]
        ax.plot([x0, x1], [y0, y1], solid_capstyle="round", **_STYLES[edge.style])
        threat = edge.style == "threat"
        ax.text(
            x0 + 0.6 * (x1 - x0),
            y0 + 0.6 * (y1 - y0),
            (edge.label + (" (threat)" if threat else "")).replace(" (", "\n("),
            ha="center",
            va="center",
            fontsize=font,
            color="#d62728" if threat else "black",
            fontweight="bold" if edge.style in ("path", "threat") else "normal",
            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.9},
            zorder=4,
        )


def _draw_infosets(ax: Any, data: dict[str, Any], font: float) -> None:
    """Dashed lines between members; a curve below the nodes when others lie between."""
    pos = data["positions"]
    by_level: dict[float, list[float]] = {}
    for x, y in pos.values():
        by_level.setdefault(y, []).append(x)
    depth_used: dict[float, int] = {}
    for label, members in data["infosets"]:
        label_at: tuple[float, float] | None = None
        for a, b in itertools.pairwise(members):
            (x0, y0), (x1, y1) = pos[a], pos[b]
            between = y0 == y1 and any(x0 < x < x1 for x in by_level.get(y0, []))
            if between:
                k = depth_used.get(y0, 0)
                depth_used[y0] = k + 1
                h = 0.2 + 0.13 * k
                t = np.linspace(0, 1, 40)
                xs = x0 + (x1 - x0) * t
                ys = y0 - 4 * h * t * (1 - t)
                ax.plot(xs, ys, color="#444444", lw=1.0, ls=(0, (3, 3)), zorder=1)
                spot = ((x0 + x1) / 2, y0 - h)
            else:
                ax.plot([x0, x1], [y0, y1], color="#444444", lw=1.0, ls=(0, (3, 3)), zorder=1)
                spot = ((x0 + x1) / 2, (y0 + y1) / 2)
            label_at = label_at or spot
        if label_at is not None:
            ax.text(
                label_at[0],
                label_at[1] - 0.03,
                label,
                ha="center",
                va="top",
                fontsize=font - 1,
                style="italic",
                color="#333333",
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
                zorder=4,
            )


def _draw_nodes(ax: Any, data: dict[str, Any], font: float, *, rotate: bool) -> None:
    pos = data["positions"]
    parents = {e.child: e.parent for e in data["edges"]}
    for v, (kind, text) in data["nodes"].items():
        x, y = pos[v]
        if kind in ("decision", "chance"):
            if kind == "decision":
                colour = _COLOURS[data["owners"][v] % len(_COLOURS)]
                ax.scatter([x], [y], s=70, color=colour, zorder=5, edgecolor="white")
            else:
                colour = "black"
                ax.scatter(
                    [x], [y], s=60, marker="s", facecolor="white", edgecolor="black", zorder=5
                )
            # The label goes on the side away from the edge coming in.
            px = pos[parents[v]][0] if v in parents else x
            ha = "left" if px < x else "right" if px > x or v in parents else "center"
            dx = 0.1 if ha == "left" else -0.1 if ha == "right" else 0.0
            ax.text(
                x + dx,
                y + 0.1,
                text,
                ha=ha,
                va="bottom",
                fontsize=font,
                color=colour,
                fontweight="bold" if kind == "decision" else "normal",
                style="italic" if kind == "chance" else "normal",
                zorder=6,
            )
        else:
            ax.scatter([x], [y], s=14, color="black", zorder=5)
            ax.text(
                x,
                y - 0.1,
                text,
                ha="center",
                va="top",
                fontsize=font,
                rotation=90 if rotate else 0,
                zorder=6,
            )


# ---------------------------------------------------------------------- words
def _move_words(tree: Tree, node: int) -> str:
    parent = int(tree.parent[node])
    if tree.kind[parent] == CHANCE:
        return f"chance: {tree.move_labels[node]}"
    owner = tree.players[int(tree.infoset_owner[tree.infoset[parent]])]
    return f"{owner} {tree.move_labels[node]}"


def _history(tree: Tree, node: int) -> str:
    """The moves leading to a node with their movers (``"hawk, US relax"``; chance bare)."""
    return ", ".join(_move_words(tree, v).removeprefix("chance: ") for v in tree.path(node)[1:])


def _pay_words(tree: Tree, values: np.ndarray) -> str:
    return ", ".join(f"{p} {_format(float(v))}" for p, v in zip(tree.players, values, strict=True))


def path_words(tree: Tree, behaviour: np.ndarray, limit: int = 8) -> list[str]:
    """The predicted play in words: one line per terminal node reached (most likely first)."""
    reach = tree.reach(behaviour)[tree.terminals]
    order = np.argsort(-reach, kind="stable")
    lines = []
    for t in order[:limit]:
        p = float(reach[t])
        if p <= _EPS:
            break
        node = int(tree.terminals[t])
        steps = " \u2192 ".join(_move_words(tree, v) for v in tree.path(node)[1:])
        prefix = "" if abs(p - 1) < _EPS else f"with probability {_format(p)}: "
        pay = _pay_words(tree, tree.payoffs[t])
        lines.append(f"{prefix}{steps or 'the game ends at once'} (payoffs {pay})")
    hidden = int((reach > _EPS).sum()) - len(lines)
    if hidden > 0:
        lines.append(f"and {hidden:,} less likely endings")
    return lines


def off_path_words(
    tree: Tree,
    behaviour: np.ndarray,
    arbitrary: frozenset[int] = frozenset(),
    limit: int = MAX_WORDS_OFF_PATH,
) -> tuple[list[str], int]:
    """What each side would do at information sets the profile does not reach.

    Returns up to ``limit`` sentences and the number of such information sets.
    """
    reach = tree.reach(behaviour)
    off = np.flatnonzero(_infoset_reach(tree, reach) <= _EPS)
    sizes = np.bincount(tree.infoset[tree.kind == DECISION], minlength=tree.n_infosets)
    lines: list[str] = []
    for h in off[:limit].tolist():
        owner = tree.players[int(tree.infoset_owner[h])]
        first = int(tree.infoset_members_first[h])
        where = (
            "after " + _history(tree, first)
            if sizes[h] == 1
            else f"at '{tree.infoset_labels[h]}' (not knowing which of {sizes[h]} histories)"
        )
        lo = int(tree.action_offset[h])
        moves = dict(
            zip(tree.infoset_moves(h), behaviour[lo : int(tree.action_offset[h + 1])], strict=True)
        )
        shown = [m for m, p in moves.items() if p > _EPS]
        act = (
            shown[0]
            if len(shown) == 1
            else " or ".join(f"{m} with probability {_format(moves[m])}" for m in shown)
        )
        note = " (its own earlier moves rule this out)" if h in arbitrary else ""
        lines.append(f"{where}, {owner} would {act}{note}")
    return lines, int(off.size)


# ---------------------------------------------------------------------- analysis
@dataclass(frozen=True)
class _Analysis:
    tree: Tree
    result: TreeSolveResult
    pbe: PBEResult | None
    threat: tuple[TreeEquilibrium, str] | None


def _analyse(tree: Tree, result: TreeSolveResult | None) -> _Analysis:
    if result is None:
        result = spe(tree)
    pbe = _pbe_or_none(tree)
    threat = _non_credible(tree, result) if pbe is None else None
    return _Analysis(tree, result, pbe, threat)


def _lead_pbe(pbe: PBEResult) -> PerfectBayesianEquilibrium:
    """The equilibrium to lead with: the first passing the intuitive criterion."""
    return next((eq for eq in pbe.equilibria if eq.intuitive), pbe.equilibria[0])


# ---------------------------------------------------------------------- sections
def tree_section(
    tree: Tree,
    result: TreeSolveResult | None = None,
    *,
    figure: bool = True,
    section_id: str = "tree",
    title: str = "The predicted play",
) -> Section:
    """The answer in words (the predicted path, what each side would do off it), then the tree.

    Parameters
    ----------
    tree
        The tree.
    result
        Its subgame-perfect equilibria (computed when None).
    figure
        Whether to draw figures (needs matplotlib).
    section_id, title
        The section's id and title.

    Notes
    -----
    A signalling game (see :class:`~gametheory.solvers.bayesian.SignallingGame`) leads with
    its perfect Bayesian equilibria in pure strategies (the first passing the intuitive
    criterion is drawn, with beliefs at the receiver's information sets); any other tree with
    its first subgame-perfect equilibrium, and, for trees up to :data:`MAX_NASH_NODES` nodes,
    a Nash equilibrium resting on a non-credible threat is drawn too. The tables are in
    :func:`tree_details_section`.
    """
    return _lead_section(_analyse(tree, result), figure, section_id, title)


def tree_details_section(
    tree: Tree,
    result: TreeSolveResult | None = None,
    *,
    section_id: str = "tree-details",
    title: str = "Details",
) -> Section:
    """The tables behind :func:`tree_section`: equilibria, moves per information set, PBE.

    Tables longer than :data:`MAX_OPEN_ROWS` rows are folded.
    """
    return _details_section(_analyse(tree, result), section_id, title)


def _lead_section(a: _Analysis, figure: bool, section_id: str, title: str) -> Section:
    tree, result = a.tree, a.result
    paragraphs: list[str] = []
    figures: list[Figure] = []
    if a.pbe is not None and len(a.pbe):
        eq: Any = _lead_pbe(a.pbe)
        why = "passes the intuitive criterion" if eq.intuitive else "the first listed"
        paragraphs.append(
            f"Predicted play (perfect Bayesian equilibrium, {eq.kind}; {why}): "
            + _pbe_play_words(a.pbe, eq)
        )
        off = [
            f"after {s.message}, {tree.players[a.pbe.game.receiver]} would {s.action}, "
            f"which is its best answer when {s.describe()}"
            for s in eq.off_path
        ]
        if off:
            paragraphs.append("Off the predicted path: " + "; ".join(off) + ".")
        paragraphs.append(_pbe_words(a.pbe))
        caption = _caption(tree, eq) + " Italic labels: the receiver's beliefs about the type."
    elif len(result):
        eq = result[0]
        count = len(result)
        lead = (
            f"Predicted play ({result.concept}"
            + ("" if count == 1 else f", the first of {count}")
            + ("" if result.complete else "; the list is not complete")
            + "): "
        )
        paragraphs.append(lead + "; ".join(path_words(tree, eq.behaviour)) + ".")
        off, total = off_path_words(tree, eq.behaviour, eq.arbitrary)
        if off:
            more = f" ({total - len(off):,} more in the details)" if total > len(off) else ""
            paragraphs.append("Off the predicted path: " + "; ".join(off) + more + ".")
        if count > 1:
            paragraphs.append(
                f"There are {count} {result.concept.replace('equilibrium', 'equilibria')}; "
                "the details show where they differ."
            )
        if a.pbe is not None:
            paragraphs.append(_pbe_words(a.pbe))
        caption = _caption(tree, eq)
    else:
        paragraphs.append(f"No {result.concept} was found. " + " ".join(result.warnings))
        return Section(section_id, title, tuple(paragraphs))
    if a.threat is not None:
        paragraphs.append(a.threat[1])
    if figure:
        figures.append(_tree_figure(tree, eq, f"{section_id}-equilibrium", caption))
        if a.threat is not None:
            figures.append(
                _tree_figure(
                    tree,
                    a.threat[0],
                    f"{section_id}-threat",
                    "A Nash equilibrium that is not subgame perfect: in red, the threat it "
                    "rests on, which the threatening side would not carry out if put to it.",
                )
            )
    return Section(section_id, title, tuple(paragraphs), (), tuple(figures))


def _details_section(a: _Analysis, section_id: str, title: str) -> Section:
    result = a.result
    paragraphs = []
    tables = []
    if a.pbe is not None and len(a.pbe):
        # A signalling game has no proper subgame: every Nash equilibrium is subgame perfect,
        # so the subgame-perfect list adds nothing; the PBE list is what to read.
        tables.append(_pbe_table(a.pbe))
        tables.append(_pbe_beliefs_table(a.pbe))
        paragraphs.append(
            "Each row is one perfect Bayesian equilibrium: pooling (every type sends the same "
            "message) or separating (each type its own), the beliefs that Bayes' rule gives "
            "after the messages sent, and for each message no type sends, the answer there "
            "and the beliefs about the type that make it a best answer."
        )
        paragraphs += [f"Note: {n}." for n in a.pbe.notes]
        paragraphs.append(
            f"The {len(result)} subgame-perfect equilibri{'um' if len(result) == 1 else 'a'} "
            "are not listed: a signalling game has no proper subgame, so subgame perfection "
            "rules out nothing that Nash equilibrium allows (gametheory solve --concept spe "
            "lists them)."
        )
        return Section(section_id, title, tuple(paragraphs), tuple(tables))
    if len(result):
        tables.append(_equilibrium_table(result))
        tables.append(_behaviour_table(result))
    paragraphs += [f"Note on the {result.concept}: {w}." for w in result.warnings]
    return Section(section_id, title, tuple(paragraphs), tuple(tables))


def _caption(tree: Tree, eq: Any) -> str:
    _, note = _drawn_nodes(tree, tree.reach(eq.behaviour), MAX_DRAWN_LEAVES)
    base = (
        "Bold: the predicted path; dark grey: what each side would do off it; light grey: "
        "moves not played; dashed lines join nodes a player cannot tell apart; numbers in "
        "brackets are probabilities of chance or mixed moves; payoffs under the ends."
    )
    return base + (" " + note if note else "")


def _tree_figure(tree: Tree, eq: Any, name: str, caption: str) -> Figure:
    fig, (ax,) = report_figure(*figure_size(tree, eq))
    plot_tree(tree, eq, ax=ax)
    return Figure(to_svg(fig), caption, name)


def _non_credible(tree: Tree, result: TreeSolveResult) -> tuple[TreeEquilibrium, str] | None:
    """A Nash equilibrium resting on a threat no SPE carries out, with a sentence, or None."""
    if tree.n_nodes > MAX_NASH_NODES or "subgame" not in result.concept:
        return None
    try:
        if math.prod(tree.reduced_strategy_counts()) > MAX_NASH_PROFILES:
            return None
        nash = nash_tree(tree)
    except GameTheoryError:
        return None
    bad = [eq for eq in nash.equilibria if spe_gain(tree, eq.behaviour) > 1e-7]
    for eq in bad:
        data = tree_figure_data(tree, eq)
        threats = [e for e in data["edges"] if e.style == "threat"]
        if not threats:
            continue
        first = threats[0]
        owner = tree.players[int(tree.infoset_owner[tree.infoset[first.parent]])]
        where = _history(tree, first.parent)
        where = f"after {where}" if where else "at the start"
        text = (
            f"{len(bad)} of the {len(nash)} Nash equilibria found (in the reduced normal form) "
            f"are not subgame perfect: they rest on threats that would not be carried out, for "
            f"example {owner}'s threat to {tree.move_labels[first.child]} {where} "
            f"(that equilibrium gives {_pay_words(tree, eq.payoffs)})."
        )
        return eq, text
    return None


def _equilibrium_table(result: TreeSolveResult) -> Table:
    rows = []
    for k, eq in enumerate(result.equilibria[:MAX_TABLE_ROWS], start=1):
        path = "; ".join(
            name if abs(p - 1) < _EPS else f"{name} ({_format(p)})" for name, p in eq.path()[:6]
        )
        rows.append((str(k), _pay_words(result.tree, eq.payoffs), path))
    return Table(
        ("#", "Expected payoffs", "Terminal nodes reached"),
        tuple(rows),
        f"Every {result.concept} found ({result.method})",
        fold=len(rows) > MAX_OPEN_ROWS,
    )


def _behaviour_table(result: TreeSolveResult) -> Table:
    tree = result.tree
    shown = result.equilibria[:6]
    rows = []
    for h, label in enumerate(tree.infoset_labels[:MAX_TABLE_ROWS]):
        owner = tree.players[int(tree.infoset_owner[h])]
        cells = []
        for eq in shown:
            moves = eq.strategy(h)
            played = [
                m if p > 1 - _EPS else f"{m} {_format(p)}" for m, p in moves.items() if p > _EPS
            ]
            cells.append(", ".join(played))
        rows.append((owner, label, *cells))
    more = f" (the first {len(shown)} of {len(result)})" if len(result) > len(shown) else ""
    if tree.n_infosets > MAX_TABLE_ROWS:
        more += f"; the first {MAX_TABLE_ROWS:,} of {tree.n_infosets:,} information sets"
    return Table(
        ("Player", "Information set", *(f"Equilibrium {k}" for k in range(1, len(shown) + 1))),
        tuple(rows),
        f"What each player does at each information set, by {result.concept}{more}",
        fold=len(rows) > MAX_OPEN_ROWS,
    )


def _pbe_or_none(tree: Tree) -> PBEResult | None:
    try:
        game = SignallingGame.from_tree(tree)
        return pbe_signalling(game)
    except GameTheoryError:
        return None


def _choice_words(text: str) -> str:
    """``"beer 0.6667, quiche 0.3333"`` -> ``"beer (0.6667) or quiche (0.3333)"``."""
    parts = [p.rsplit(" ", 1) for p in text.split(", ")]
    if len(parts) == 1 or any(len(p) != 2 for p in parts):
        return text
    return " or ".join(f"{label} ({_format(float(prob))})" for label, prob in parts)


def _pbe_play_words(pbe: PBEResult, eq: PerfectBayesianEquilibrium) -> str:
    """Strategies, beliefs on the path and payoffs of one PBE, in sentences."""
    g = pbe.game
    sender = g.tree.players[g.sender]
    receiver = g.tree.players[g.receiver]
    sends = "; ".join(f"if {t}, {_choice_words(m)}" for t, m in eq.sender_strategy().items())
    answers = "; ".join(
        f"after {m}, {_choice_words(a)}"
        for m, a in eq.receiver_strategy().items()
        if m in eq.on_path()
    )
    beliefs = "; ".join(
        f"after {m}: " + ", ".join(f"{t} {_format(v)}" for t, v in eq.belief(m).items())
        for m in eq.on_path()
    )
    pay = ", ".join(f"{t} {_format(v)}" for t, v in zip(g.types, eq.sender_payoffs, strict=True))
    return (
        f"{sender} sends: {sends}. {receiver} answers: {answers}, believing (by Bayes' rule) "
        f"{beliefs}. {sender}'s payoff by type: {pay}; {receiver}'s expected payoff "
        f"{_format(eq.receiver_payoff)}."
    )


def _pbe_words(pbe: PBEResult) -> str:
    g = pbe.game
    sender = g.tree.players[g.sender]
    receiver = g.tree.players[g.receiver]
    if not len(pbe):
        return (
            f"As a signalling game ({sender} knows its type, {receiver} sees only the message) "
            "it has no perfect Bayesian equilibrium of the kinds computed (pure, and hybrid "
            "for two types); see the notes in the details."
        )
    parts = []
    for eq in pbe.equilibria:
        sends = eq.sender_strategy()
        if eq.kind == "pooling":
            what = f"pooling on {next(iter(sends.values()))}"
        else:
            what = (
                f"{eq.kind} ("
                + ", ".join(f"{t} sends {_choice_words(m)}" for t, m in sends.items())
                + ")"
            )
        support = "; ".join(
            f"{receiver} answers {s.message} with {s.action}, needing {s.describe()}"
            for s in eq.off_path
        )
        ic = "passes" if eq.intuitive else "fails"
        parts.append(
            what + (f" ({support})" if support else "") + f", {ic} the intuitive criterion"
        )
    n = len(pbe)
    return (
        f"As a signalling game ({sender} knows its type, {receiver} sees only the message) it "
        f"has {n} perfect Bayesian equilibri{'um' if n == 1 else 'a'} "
        f"({'pure and hybrid' if len(g.types) == 2 else 'in pure strategies'}): "
        + "; ".join(parts)
        + "."
    )


def _pbe_table(pbe: PBEResult) -> Table:
    g = pbe.game
    rows = []
    for eq in pbe.equilibria:
        beliefs = "; ".join(
            f"after {m}: " + ", ".join(f"{t} {_format(v)}" for t, v in eq.belief(m).items())
            for m in eq.on_path()
        )
        rows.append(
            (
                eq.kind,
                ", ".join(f"{t} \u2192 {m}" for t, m in eq.sender_strategy().items()),
                ", ".join(f"{m} \u2192 {a}" for m, a in eq.receiver_strategy().items()),
                beliefs,
                "; ".join(f"{s.action} after {s.message}: {s.describe()}" for s in eq.off_path)
                or "none off the path",
                ", ".join(
                    f"{t} {_format(v)}" for t, v in zip(g.types, eq.sender_payoffs, strict=True)
                ),
                "passes" if eq.intuitive else f"fails: {eq.intuitive_reason}",
            )
        )
    return Table(
        (
            "Kind",
            "Sender",
            "Receiver",
            "Beliefs on the path (Bayes)",
            "Off-path answers and the beliefs that support them",
            "Sender's payoff by type",
            "Intuitive criterion",
        ),
        tuple(rows),
        "Perfect Bayesian equilibria",
        fold=len(rows) > MAX_OPEN_ROWS,
    )


def _pbe_beliefs_table(pbe: PBEResult) -> Table:
    """Beliefs at every information set of the receiver, per equilibrium, on or off the path."""
    g = pbe.game
    rows = []
    for k, eq in enumerate(pbe.equilibria[:MAX_TABLE_ROWS], start=1):
        on = set(eq.on_path())
        support = {s.message: s for s in eq.off_path}
        for m in g.messages:
            belief = ", ".join(f"{t} {_format(v)}" for t, v in eq.belief(m).items())
            if m in on:
                how = f"on the path: Bayes' rule gives {belief}"
            elif m in support:
                how = f"off the path: any belief with {support[m].describe()} (e.g. {belief})"
            else:
                how = f"off the path: {belief}"
            rows.append((str(k), eq.kind, m, eq.receiver_strategy()[m], how))
    return Table(
        ("#", "Kind", "After message", "Receiver's answer", "Beliefs about the type"),
        tuple(rows),
        "Beliefs at each of the receiver's information sets, equilibrium by equilibrium",
        fold=len(rows) > MAX_OPEN_ROWS,
    )


# ---------------------------------------------------------------------- parameters
#: Points per parameter in "Where the prediction changes".
SWITCH_POINTS = 21
#: Most parameters swept one at a time in "Where the prediction changes".
MAX_SWITCH_PARAMETERS = 24
#: Points drawn from the beliefs in "How sure" (a tree solve each).
HOW_SURE_SAMPLES = 256


def _ranged(scenario: TreeScenario) -> list[str]:
    """Parameters with a finite declared range, in file order."""
    return [
        name
        for name, prm in scenario.parameters.items()
        if prm.min is not None and prm.max is not None and prm.max > prm.min
    ][:MAX_SWITCH_PARAMETERS]


def _letters(labels: list[str]) -> dict[str, str]:
    """A short code (A, B, ..., Z, AA, ...) for each distinct predicted path."""
    codes = {}
    for k, label in enumerate(labels):
        code = ""
        n = k
        while True:
            code = chr(ord("A") + n % 26) + code
            n = n // 26 - 1
            if n < 0:
                break
        codes[label] = code
    return codes


def switch_section(
    scenario: TreeScenario,
    values: dict[str, float] | None = None,
    *,
    figure: bool = True,
    points: int = SWITCH_POINTS,
    section_id: str = "tree-switches",
    title: str = "Where the prediction changes",
) -> Section:
    """The predicted path against each parameter with a declared range, the others held.

    Each parameter is swept over ``points`` evenly spaced values of its declared range
    (:func:`gametheory.sweeps.tree.tree_sweep`, subgame perfection), the other parameters at
    ``values`` (the ``--set`` values, else the baseline). The section says, in words, between
    which grid values the prediction changes, and draws the predicted path (coded A, B, ...)
    against each parameter where it changes. Cost: ``points`` tree solves per parameter, for at
    most :data:`MAX_SWITCH_PARAMETERS` parameters.
    """
    from ..sweeps.tree import tree_sweep

    held = scenario.resolve(values or {})
    names = _ranged(scenario)
    lines: list[tuple[str, np.ndarray, list[str]]] = []
    steady: list[str] = []
    words: list[str] = []
    order: list[str] = []
    for name in names:
        prm = scenario.parameters[name]
        grid = np.linspace(float(prm.min), float(prm.max), points)  # type: ignore[arg-type]
        fixed = {k: v for k, v in held.items() if k != name}
        try:
            sweep = tree_sweep(scenario, grid={name: grid}, fixed=fixed)
        except GameTheoryError as exc:
            words.append(f"{name}: not swept ({exc.message}).")
            continue
        outcomes = sweep.point_outcomes()["outcome"].astype(str).tolist()
        order += [o for o in dict.fromkeys(outcomes) if o not in order]
        changes = sweep.switches(name)
        if not changes:
            steady.append(name)
            continue
        lines.append((name, grid, outcomes))
        for before, after, old, new in changes:
            words.append(
                f"{name}: between {_format(before)} and {_format(after)} the prediction changes "
                f"from {{{old}}} to {{{new}}}."
            )
    codes = _letters(order)
    words = [_coded(w, codes) for w in words]
    paragraphs = [
        f"Each parameter with a declared range is swept over {points} values of it, the others "
        "held at "
        + ("the values set" if values else "their baseline")
        + "; the predicted path is the subgame-perfect one (several equilibria at a point are "
        "joined by |). Paths are coded by letter; the table gives them in full."
    ]
    if words:
        paragraphs += words
    if steady:
        paragraphs.append(
            "The prediction does not change across the declared range of " + ", ".join(steady) + "."
        )
    figures: list[Figure] = []
    if figure and lines:
        figures.append(_switch_figure(lines, codes, section_id))
    table = Table(
        ("Code", "Predicted path (terminal nodes reached; | between equilibria)"),
        tuple((codes[o], o) for o in order[:MAX_TABLE_ROWS]),
        "The predicted paths met in the sweeps",
        fold=len(order) > MAX_OPEN_ROWS,
    )
    return Section(section_id, title, tuple(paragraphs), (table,), tuple(figures))


def _coded(text: str, codes: dict[str, str]) -> str:
    for label, code in sorted(codes.items(), key=lambda item: -len(item[0])):
        text = text.replace("{" + label + "}", code)
    return text


def _switch_figure(
    lines: list[tuple[str, np.ndarray, list[str]]], codes: dict[str, str], section_id: str
) -> Figure:
    from matplotlib.figure import Figure as MplFigure

    used = sorted({codes[o] for _, _, outcomes in lines for o in outcomes}, key=_code_key)
    rank = {code: k for k, code in enumerate(used)}
    height = 0.5 + max(1.0, 0.28 * len(used)) * len(lines)
    fig = MplFigure(figsize=(7.5, height), layout="constrained")
    axes = fig.subplots(len(lines), 1, squeeze=False)[:, 0]
    for ax, (name, grid, outcomes) in zip(axes, lines, strict=True):
        y = [rank[codes[o]] for o in outcomes]
        ax.step(grid, y, where="mid", color=_COLOURS[0], linewidth=2)
        ax.plot(grid, y, "o", color=_COLOURS[0], markersize=3)
        ax.set_yticks(range(len(used)), used)
        ax.set_ylim(-0.5, len(used) - 0.5)
        ax.set_xlabel(name)
        ax.set_ylabel("path")
        ax.grid(axis="x", alpha=0.3)
    return Figure(
        to_svg(fig),
        "The predicted path (code, see the table) against each parameter whose range changes "
        "it, the others held.",
        f"{section_id}-chart",
    )


def _code_key(code: str) -> tuple[int, str]:
    return (len(code), code)


def how_sure_section(
    scenario: TreeScenario,
    values: dict[str, float] | None = None,
    *,
    samples: int = HOW_SURE_SAMPLES,
    seed: int = 0,
    section_id: str = "tree-how-sure",
    title: str = "How sure",
) -> Section:
    """The probability of each predicted path under the declared beliefs (Wilson 95 %).

    See :func:`gametheory.analysis.uncertainty.tree_uncertainty`; parameters set in
    ``values`` are held there. Cost: ``samples`` tree solves.
    """
    from ..analysis.uncertainty import tree_uncertainty

    try:
        result = tree_uncertainty(scenario, samples, seed=seed, fixed=values or None)
    except GameTheoryError as exc:
        return Section(section_id, title, (f"Not computed: {exc.message}.",))
    rows = tuple(
        (
            o.outcome,
            _format(o.probability),
            f"{_format(o.low)} to {_format(o.high)}",
            o.kind,
            "yes" if o.outcome == result.baseline_outcome else "",
        )
        for o in result.outcomes[:MAX_TABLE_ROWS]
    )
    paragraphs = [
        f"{result.n:,} points drawn from the declared beliefs (seed {seed}): the prediction "
        f"({result.baseline_outcome}) holds with probability {_format(result.baseline_holds)} "
        f"(95 % Wilson interval {_format(result.baseline_low)} to "
        f"{_format(result.baseline_high)}).",
        "Beliefs: " + "; ".join(f"{k} {v}" for k, v in result.beliefs.items()) + ".",
        *result.notes,
    ]
    table = Table(
        ("Predicted path", "Probability", "95 % interval", "Equilibria", "The prediction"),
        rows,
        "Probability of each predicted path under the declared beliefs",
        fold=len(rows) > MAX_OPEN_ROWS,
    )
    return Section(section_id, title, tuple(paragraphs), (table,))


# ---------------------------------------------------------------------- report
def build_tree_report(
    tree: Tree,
    title: str | None = None,
    *,
    path: str | Path | None = None,
    figure: bool = True,
    scenario: TreeScenario | None = None,
    values: dict[str, float] | None = None,
    samples: int = HOW_SURE_SAMPLES,
) -> Report:
    """A report on a tree: the answer in words, the tree, the details, the methods box.

    Parameters
    ----------
    tree
        The tree.
    title
        The report's title (default: the tree's title, or "Game tree").
    path
        The file read, if any (its SHA-256 goes into the methods box).
    figure
        Whether to draw figures.
    scenario, values
        The tree scenario the tree was built from and the values set (``--set``): with
        parameters of declared range, the report adds :func:`switch_section` and
        :func:`how_sure_section` (``samples`` points drawn).
    """
    from .._version import __version__

    analysis = _analyse(tree, None)
    result = analysis.result
    sections: tuple[Section, ...] = (_lead_section(analysis, figure, "tree", "The predicted play"),)
    if scenario is not None and _ranged(scenario):
        changed = {k: v for k, v in (values or {}).items() if v != scenario.baseline.get(k)}
        sections += (
            switch_section(scenario, changed, figure=figure),
            how_sure_section(scenario, changed, samples=samples),
        )
    sections += (_details_section(analysis, "tree-details", "Details"),)
    methods = [
        ("gametheory version", __version__),
        ("tree", tree.summary()),
        (
            "subgame perfection",
            f"{result.method}; {'complete' if result.complete else 'NOT complete'}",
        ),
    ]
    if analysis.pbe is not None:
        methods.append(
            (
                "perfect Bayesian equilibria",
                "every pure sender strategy and receiver response enumerated; beliefs by Bayes' "
                "rule on the path, supporting belief sets off it; intuitive criterion (Cho and "
                "Kreps 1987)",
            )
        )
    if len(sections) > 2:
        methods.append(
            (
                "where the prediction changes",
                f"each parameter with a declared range swept over {SWITCH_POINTS} values, the "
                "others held; subgame perfection at each point",
            )
        )
        methods.append(
            (
                "how sure",
                f"{samples:,} points drawn from the declared beliefs (seed 0); Wilson 95 % "
                "intervals",
            )
        )
    if path is not None:
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        methods.append(("file content hash (SHA-256)", digest))
    methods.append(("generated", _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")))
    return Report(title or tree.title or "Game tree", sections, tuple(methods))
