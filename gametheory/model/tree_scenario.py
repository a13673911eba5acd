"""Tree scenarios: game trees whose payoffs and chance probabilities are parameter expressions.

A :class:`TreeScenario` is the extensive-form counterpart of a chip
:class:`~gametheory.model.scenario.Scenario`: the same :class:`~gametheory.model.scenario.Parameter`
declarations and the same expression language (:mod:`gametheory.model.expr`), over a tree of
named nodes. :meth:`TreeScenario.tree` evaluates every expression at one parameter point and
returns an immutable :class:`~gametheory.model.tree.Tree`, after checking that the probabilities
at every chance node lie in [0, 1] and sum to one.

Structure is checked once, on construction, so that a file's mistakes are reported before any
parameter value is tried: every node is reached from the root exactly once (no cycles, no node
shared by two parents, none left over), the tree is at most :data:`MAX_DEPTH` moves deep and has
at most :data:`MAX_NODES` nodes, every expression names only declared parameters and move
indicators, and the information sets join only nodes of one player with the same moves.

Information sets come from two places:

- a player's ``hidden`` movers (``does_not_see = ["chance"]`` in a file): two nodes of that
  player are in one information set when the moves on their paths agree except for moves by the
  hidden movers, whose *occurrence* the player knows but not their label (Kuhn 1953; the usual
  way "the US does not know China's type" is written, Osborne and Rubinstein 1994, ch. 11);
- an explicit ``infoset`` label on a node, which joins it with every node of the same label.

Move indicators in expressions (1 if the path from the root to the terminal node takes that move,
else 0), in the style of chip indicators: ``node.move`` for a named node, ``Player.move`` for a
move of that player anywhere on the path, ``chance.move`` for a chance move.

Cost: construction is linear in the nodes times the depth; :meth:`TreeScenario.tree` evaluates
one expression per chance move and one per player at each terminal node (about 10 microseconds
each), so a tree of the largest size written by hand takes well under a second.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Literal

from ..errors import GameTheoryError, ScenarioError
from ._hooks import provider
from .expr import Expression
from .scenario import Parameter, resolve_parameters
from .tree import Chance, Decision, Node, Terminal, Tree

__all__ = ["CHANCE_NAME", "MAX_DEPTH", "MAX_NODES", "TreeNodeSpec", "TreeScenario"]

#: Most nodes in a tree scenario (trees written by hand; generated trees go through ``.efg``).
MAX_NODES = 20_000
#: Most moves from the root to a terminal node.
MAX_DEPTH = 200
#: The name of the chance player in ``hidden`` lists and ``chance.move`` indicators.
CHANCE_NAME = "chance"
#: Tolerance on chance probabilities summing to one (as for :class:`Tree`).
_PROB_TOL = 1e-9
#: Most node ids shown in the label of an information set joined automatically.
_LABEL_IDS = 3

NodeKind = Literal["decision", "chance", "terminal"]
#: Fields of a :class:`TreeScenario` held as read-only mappings (dicts when pickled).
_READ_ONLY = frozenset({"parameters", "default_payoffs", "hidden", "infoset_of"})


@dataclass(frozen=True)
class TreeNodeSpec:
    """One node of a tree scenario, as written.

    Attributes
    ----------
    id
        The node's name (unique; an identifier for named nodes, ``parent/move`` for nodes written
        inline under a move).
    kind
        ``"decision"``, ``"chance"`` or ``"terminal"``.
    player
        The mover at a decision node.
    moves
        ``(move, child id)`` pairs, in the order written.
    probabilities
        One expression per move at a chance node.
    payoffs
        ``{player: expression}`` at a terminal node; players left out take the scenario's
        default payoff expression.
    infoset
        An explicit information-set label, or None.
    key
        The dotted key of the node in its file (for error messages).
    description
        Free text.
    line
        The node's line in its file, if known (for errors found at a parameter point).
    """

    id: str
    kind: NodeKind
    player: str | None = None
    moves: tuple[tuple[str, str], ...] = ()
    probabilities: tuple[Expression, ...] = ()
    payoffs: Mapping[str, Expression] = field(default_factory=dict)
    infoset: str | None = None
    key: str = ""
    description: str = ""
    line: int | None = None


@dataclass(frozen=True, eq=False)
class TreeScenario:
    """An immutable game tree with parameters (see the module docstring).

    Parameters
    ----------
    title
        Title.
    players
        Player names, in payoff order.
    nodes
        Every node; ``root`` names the first one played.
    root
        Id of the root node.
    parameters
        Declared parameters (as in chip scenarios).
    default_payoffs
        ``{player: expression}`` used at terminal nodes that give no payoff for that player.
    hidden
        ``{player: movers}``: the movers (players, or ``"chance"``) whose moves the player does
        not observe.
    description, sources, notes, path
        Documentation, and the file it was read from.

    Raises
    ------
    ScenarioError
        With the dotted key of the first node that breaks a rule, and the rule.
    """

    title: str
    players: tuple[str, ...]
    nodes: tuple[TreeNodeSpec, ...]
    root: str
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    default_payoffs: Mapping[str, Expression] = field(default_factory=dict)
    hidden: Mapping[str, frozenset[str]] = field(default_factory=dict)
    description: str = ""
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    path: str | None = None
    order: tuple[int, ...] = field(init=False, repr=False)
    infoset_of: Mapping[str, str] = field(init=False, repr=False)

    form = "tree"
    timing = "tree"

    def __post_init__(self) -> None:
        players = tuple(self.players)
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "default_payoffs", MappingProxyType(dict(self.default_payoffs)))
        object.__setattr__(self, "hidden", MappingProxyType(dict(self.hidden)))
        self._check_players()
        if len(self.nodes) > MAX_NODES:
            raise ScenarioError(
                f"{len(self.nodes):,} nodes; the limit for a tree scenario is {MAX_NODES:,} "
                "(write larger trees as Gambit .efg files)",
                key="tree",
            )
        by_id: dict[str, int] = {}
        for i, node in enumerate(self.nodes):
            if node.id in by_id:
                raise ScenarioError(f"node id '{node.id}' is used twice", key=node.key)
            by_id[node.id] = i
        if self.root not in by_id:
            raise ScenarioError(f"the root '{self.root}' is not a node", key="root")
        for node in self.nodes:
            self._check_node(node)
        order = self._order(by_id)
        object.__setattr__(self, "order", order)
        self._check_names()
        object.__setattr__(self, "infoset_of", MappingProxyType(self._infosets(by_id)))

    # ------------------------------------------------------------------ pickling
    def __getstate__(self) -> dict[str, Any]:
        """The fields as plain data, for pickling.

        Read-only mappings become dicts (a mapping proxy does not pickle) and cached values
        are dropped. Sweeps send the scenario to worker processes and Dask workers this way.
        """
        state = {
            name: dict(value) if isinstance(value, MappingProxyType) else value
            for name, value in vars(self).items()
        }
        state.pop("_infoset_first", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Restore the fields, the mappings read-only again.

        The structure was checked when the scenario was made, so it is not checked again.
        """
        for name, value in state.items():
            if name in _READ_ONLY:
                value = MappingProxyType(dict(value))
            object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ structure checks
    def _check_players(self) -> None:
        if not self.players:
            raise ScenarioError("a tree scenario needs at least one player", key="players")
        for name in self.players:
            if name == CHANCE_NAME:
                raise ScenarioError(
                    f"'{CHANCE_NAME}' is reserved for chance moves; name the player otherwise",
                    key=f"players.{name}",
                )
        for player, movers in self.hidden.items():
            if player not in self.players:
                raise ScenarioError(
                    f"unknown player '{player}'", key=f"players.{player}.does_not_see"
                )
            for mover in movers:
                if mover not in self.players and mover != CHANCE_NAME:
                    raise ScenarioError(
                        f"'{mover}' is not a player or '{CHANCE_NAME}' "
                        f"(players: {', '.join(self.players)})",
                        key=f"players.{player}.does_not_see",
                    )
        for player in self.default_payoffs:
            if player not in self.players:
                raise ScenarioError(
                    f"payoff for unknown player '{player}' (players: {', '.join(self.players)})",
                    key=f"payoffs.{player}",
                )

    def _check_node(self, node: TreeNodeSpec) -> None:
        key = node.key
        if node.id in self.players or node.id == CHANCE_NAME:
            raise ScenarioError(
                f"node id '{node.id}' is also a player's name (or '{CHANCE_NAME}'), which would "
                "make 'name.move' indicators ambiguous; rename the node",
                key=key,
            )
        if node.kind == "decision" and node.player not in self.players:
            close = difflib.get_close_matches(str(node.player), self.players, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            raise ScenarioError(
                f"unknown player '{node.player}'{hint} (players: {', '.join(self.players)})",
                key=f"{key}.player",
            )
        if node.kind != "terminal" and not node.moves:
            raise ScenarioError(f"a {node.kind} node needs at least one move", key=f"{key}.moves")
        if node.kind == "chance" and len(node.probabilities) != len(node.moves):
            raise ScenarioError("a chance node needs one probability per move", key=f"{key}.chance")
        labels = [m for m, _ in node.moves]
        twice = [m for i, m in enumerate(labels) if m in labels[:i]]
        if twice:
            raise ScenarioError(f"move '{twice[0]}' is named twice", key=f"{key}.moves")
        for player in node.payoffs:
            if player not in self.players:
                raise ScenarioError(
                    f"payoff for unknown player '{player}' (players: {', '.join(self.players)})",
                    key=f"{key}.payoffs.{player}",
                )
        if node.kind == "terminal":
            missing = [
                p for p in self.players if p not in node.payoffs and p not in self.default_payoffs
            ]
            if missing:
                raise ScenarioError(
                    f"no payoff for '{missing[0]}' here and no default in [payoffs]",
                    key=f"{key}.payoffs",
                )

    def _order(self, by_id: Mapping[str, int]) -> tuple[int, ...]:
        """Nodes breadth-first from the root; every node reached exactly once."""
        seen_from: dict[int, str] = {by_id[self.root]: "the root"}
        order = [by_id[self.root]]
        depth = {order[0]: 0}
        i = 0
        while i < len(order):
            node = self.nodes[order[i]]
            for move, child_id in node.moves:
                where = f"{node.key}.moves.{move}"
                if child_id not in by_id:
                    close = difflib.get_close_matches(child_id, list(by_id), n=1)
                    hint = f"; did you mean '{close[0]}'?" if close else ""
                    raise ScenarioError(f"move leads to unknown node '{child_id}'{hint}", key=where)
                child = by_id[child_id]
                if child in seen_from:
                    what = (
                        "the root: that would be a cycle"
                        if child == order[0]
                        else f"also reached from {seen_from[child]}"
                    )
                    raise ScenarioError(
                        f"node '{child_id}' is {what}; in a tree every node has one parent "
                        "(write a second node for the second history)",
                        key=where,
                    )
                seen_from[child] = f"'{node.id}' by '{move}'"
                depth[child] = depth[order[i]] + 1
                if depth[child] > MAX_DEPTH:
                    raise ScenarioError(
                        f"the tree is more than {MAX_DEPTH} moves deep here; the limit is "
                        f"{MAX_DEPTH}",
                        key=where,
                    )
                order.append(child)
            i += 1
        if len(order) < len(self.nodes):
            lost = next(n for j, n in enumerate(self.nodes) if j not in seen_from)
            raise ScenarioError(
                f"node '{lost.id}' is not reached from the root '{self.root}' (a cycle, or "
                "no move leads to it)",
                key=lost.key,
            )
        return tuple(order)

    def _known_names(self) -> set[str]:
        names = set(self.parameters)
        for node in self.nodes:
            mover = node.player if node.kind == "decision" else CHANCE_NAME
            for move, _ in node.moves:
                names.add(f"{node.id}.{move}")
                names.add(f"{mover}.{move}")
        return names

    def _check_names(self) -> None:
        known = self._known_names()
        params = set(self.parameters)
        for player, expr in self.default_payoffs.items():
            _check_expression(expr, known, f"payoffs.{player}")
        for node in self.nodes:
            for player, expr in node.payoffs.items():
                _check_expression(expr, known, f"{node.key}.payoffs.{player}")
            for (move, _), expr in zip(node.moves, node.probabilities, strict=False):
                # Probabilities are fixed before any move is made: parameters only.
                _check_expression(
                    expr,
                    params,
                    f"{node.key}.chance.{move}",
                    "chance probabilities use parameters only, not move indicators",
                )

    def _infosets(self, by_id: Mapping[str, int]) -> dict[str, str]:
        """The information-set label of every decision node (checked: one owner, same moves)."""
        parent: dict[int, tuple[int, str]] = {}
        for i in self.order:
            for move, child in self.nodes[i].moves:
                parent[by_id[child]] = (i, move)
        groups: dict[tuple[object, ...], list[int]] = {}
        for i in self.order:
            node = self.nodes[i]
            if node.kind != "decision":
                continue
            if node.infoset is not None:
                groups.setdefault(("label", node.infoset), []).append(i)
                continue
            player = str(node.player)
            hidden = self.hidden.get(player, frozenset())
            view: list[tuple[str, str]] = []
            j = i
            while j in parent:
                up, move = parent[j]
                above = self.nodes[up]
                mover = str(above.player) if above.kind == "decision" else CHANCE_NAME
                view.append((mover, "?" if mover in hidden and mover != player else move))
                j = up
            groups.setdefault(("view", player, *reversed(view)), []).append(i)
        labels: dict[str, str] = {}
        owner_of_label: dict[str, str] = {}
        for group_key, members in groups.items():
            first = self.nodes[members[0]]
            if group_key[0] == "label":
                label = str(group_key[1])
            elif len(members) == 1:
                label = first.id
            else:
                ids = [self.nodes[m].id for m in members]
                label = " | ".join(ids[:_LABEL_IDS])
                if len(ids) > _LABEL_IDS:
                    label += f" (+{len(ids) - _LABEL_IDS} more)"
            if label in owner_of_label:
                raise ScenarioError(
                    f"information set '{label}' has the name of another information set's node "
                    f"('{owner_of_label[label]}'); name it otherwise",
                    key=f"{first.key}.infoset",
                )
            owner_of_label[label] = first.id
            moves = sorted(m for m, _ in first.moves)
            for m in members[1:]:
                other = self.nodes[m]
                why = "infoset" if group_key[0] == "label" else "does_not_see"
                if other.player != first.player:
                    raise ScenarioError(
                        f"information set '{label}' joins '{first.id}' of {first.player} and "
                        f"'{other.id}' of {other.player}; an information set has one owner",
                        key=f"{other.key}.{'infoset' if why == 'infoset' else 'player'}",
                    )
                if sorted(mv for mv, _ in other.moves) != moves:
                    raise ScenarioError(
                        f"information set '{label}' joins '{first.id}' (moves "
                        f"{[mv for mv, _ in first.moves]}) and '{other.id}' (moves "
                        f"{[mv for mv, _ in other.moves]}); {first.player} could tell them "
                        "apart by their moves, so they need the same moves (or another "
                        f"{why} setting)",
                        key=f"{other.key}.moves",
                    )
            for m in members:
                labels[self.nodes[m].id] = label
        return labels

    @cached_property
    def _infoset_first(self) -> dict[str, TreeNodeSpec]:
        """The first node (in breadth-first order) of every information set, by label."""
        first: dict[str, TreeNodeSpec] = {}
        for i in self.order:
            node = self.nodes[i]
            if node.kind == "decision":
                first.setdefault(self.infoset_of[node.id], node)
        return first

    # ------------------------------------------------------------------ parameters
    @property
    def baseline(self) -> dict[str, float]:
        """The declared value of every parameter."""
        return {name: prm.value for name, prm in self.parameters.items()}

    def resolve(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Baseline values with ``overrides`` applied, each checked against its range."""
        return resolve_parameters(self.parameters, overrides, self.path)

    # ------------------------------------------------------------------ compile
    def tree(self, params: Mapping[str, float] | None = None, **overrides: float) -> Tree:
        """The game tree at one parameter point (baseline values unless overridden).

        Raises
        ------
        ScenarioError
            If a chance node's probabilities are outside [0, 1] or do not sum to one at this
            point, or an expression is not finite there (naming the node's key).
        """
        values = self.resolve({**(params or {}), **overrides})
        try:
            return self._build(values)
        except GameTheoryError as exc:
            raise exc.located(file=self.path, line=self._line_of(exc.key)) from None

    def _line_of(self, key: str | None) -> int | None:
        """The line of the node whose key starts ``key`` (None if unknown)."""
        if not key:
            return None
        best = None
        for node in self.nodes:
            if (key == node.key or key.startswith(node.key + ".")) and (
                best is None or len(node.key) > len(best.key)
            ):
                best = node
        return best.line if best is not None else None

    def sweep(self, **kwargs: Any) -> Any:
        """Solve this tree at every point of a grid or a sample.

        See :func:`gametheory.sweeps.tree.tree_sweep` (``grid=``, ``sample=``, ``seed=``,
        ``concept="spe"|"nash"|"bne"|"pbe"``, ``fixed=``, ``processes=``).

        The model does not depend on the sweeps: :mod:`gametheory.sweeps.tree` registers itself
        as the provider when imported (the first use of ``gametheory``'s API imports it).
        """
        return provider("tree_sweep")(self, **kwargs)

    def uncertainty(self, n: int = 10_000, **kwargs: Any) -> Any:
        """Probability of each predicted path under the declared beliefs about the parameters.

        See :func:`gametheory.analysis.uncertainty.tree_uncertainty` (``seed=``, ``method=``,
        ``fixed=``, ``concept=``), registered as the provider when imported.
        """
        return provider("tree_uncertainty")(self, n, **kwargs)

    def _build(self, values: Mapping[str, float]) -> Tree:
        by_id = {node.id: i for i, node in enumerate(self.nodes)}
        path_moves: dict[int, frozenset[str]] = {self.order[0]: frozenset()}
        built: dict[int, Node] = {}
        for i in self.order:
            node = self.nodes[i]
            mover = node.player if node.kind == "decision" else CHANCE_NAME
            for move, child in node.moves:
                path_moves[by_id[child]] = path_moves[i] | {f"{node.id}.{move}", f"{mover}.{move}"}
        for i in reversed(self.order):
            node = self.nodes[i]
            if node.kind == "terminal":
                built[i] = Terminal(
                    tuple(self._payoff(node, p, values, path_moves[i]) for p in self.players),
                    node.id,
                )
            elif node.kind == "decision":
                built[i] = Decision(
                    str(node.player),
                    {move: built[by_id[child]] for move, child in self._moves_in_set_order(node)},
                    self.infoset_of[node.id],
                    node.id,
                )
            else:
                probs = self._probabilities(node, values)
                built[i] = Chance(
                    {
                        move: (p, built[by_id[child]])
                        for (move, child), p in zip(node.moves, probs, strict=True)
                    },
                    node.id,
                )
        return Tree.build(self.players, built[self.order[0]], self.title)

    def _moves_in_set_order(self, node: TreeNodeSpec) -> tuple[tuple[str, str], ...]:
        """The node's moves in the order of the first node of its information set."""
        first = self._infoset_first[self.infoset_of[node.id]]
        if first is node:
            return node.moves
        where = dict(node.moves)
        return tuple((move, where[move]) for move, _ in first.moves)

    def _payoff(
        self, node: TreeNodeSpec, player: str, values: Mapping[str, float], on_path: frozenset[str]
    ) -> float:
        expr = node.payoffs.get(player)
        key = f"{node.key}.payoffs.{player}"
        if expr is None:
            expr, key = self.default_payoffs[player], f"payoffs.{player}"
        return _evaluate(expr, values, on_path, key)

    def _probabilities(self, node: TreeNodeSpec, values: Mapping[str, float]) -> list[float]:
        probs = [
            _evaluate(expr, values, frozenset(), f"{node.key}.chance.{move}")
            for (move, _), expr in zip(node.moves, node.probabilities, strict=True)
        ]
        shown = ", ".join(f"{m} {p:.6g}" for (m, _), p in zip(node.moves, probs, strict=True))
        for (move, _), p in zip(node.moves, probs, strict=True):
            if not 0.0 <= p <= 1.0:
                raise ScenarioError(
                    f"the probability of '{move}' is {p:.6g}, outside [0, 1], at these parameter "
                    f"values ({shown})",
                    key=f"{node.key}.chance.{move}",
                )
        total = math.fsum(probs)
        if abs(total - 1.0) > _PROB_TOL:
            raise ScenarioError(
                f"the probabilities sum to {total:.12g}, not 1, at these parameter values "
                f"({shown})",
                key=f"{node.key}.chance",
            )
        return probs

    # ------------------------------------------------------------------ display
    def summary(self) -> str:
        """One line: title, players, nodes and parameters."""
        kinds = [n.kind for n in self.nodes]
        return (
            f"{self.title}: tree scenario of {', '.join(self.players)}: {len(self.nodes):,} "
            f"nodes ({kinds.count('terminal'):,} terminal, {kinds.count('chance'):,} chance), "
            f"{len(self.parameters)} parameter{'' if len(self.parameters) == 1 else 's'}"
        )

    def __repr__(self) -> str:
        return f"<TreeScenario {self.summary()}>"


def _check_expression(expr: Expression, known: set[str], key: str, note: str = "") -> None:
    try:
        expr.check_names(known)
    except GameTheoryError as exc:
        if note:
            raise type(exc)(f"{exc.message} ({note})", key=key) from None
        raise exc.located(key=key) from None


def _evaluate(
    expr: Expression, values: Mapping[str, float], on_path: frozenset[str], key: str
) -> float:
    env = {name: values[name] if name in values else float(name in on_path) for name in expr.names}
    try:
        return float(expr.evaluate(env))
    except GameTheoryError as exc:
        raise exc.located(key=key) from None
