"""Read tree scenario files (TOML) into :class:`~gametheory.model.tree_scenario.TreeScenario`.

A tree scenario file is a scenario file with a top-level ``[tree]`` table of named nodes
instead of chips and a payoff matrix (the syntax is documented in ``docs/trees.md``)::

    schema_version = 1
    title = "Entry deterrence"

    [parameters]
    fight_cost = { value = 2, min = 0 }

    [players.Entrant]
    [players.Incumbent]

    [tree.entry]                        # the first node is the root (or set root = "...")
    player = "Entrant"
    moves = { out = [0, 4], enter = "respond" }   # [payoffs in player order], or a node id

    [tree.respond]
    player = "Incumbent"
    moves.accommodate = [2, 1]
    moves.fight = ["-1", "2 - fight_cost"]

Chance nodes give ``chance = { move = "probability expression", ... }`` and ``moves`` with the
same names; terminal nodes give ``payoffs = { player = "expression" }`` (or a list in player
order, or nothing, to use the top-level ``[payoffs]`` expressions, in which the path's moves
are 0/1 indicators). ``does_not_see = ["chance"]`` under a player joins that player's nodes
whose histories differ only in moves it does not see; ``infoset = "label"`` on nodes joins them
explicitly.

Parsing is done by :mod:`tomllib`; the structure is validated by pydantic models that forbid
unknown keys; the tree is then checked by the model. Every error is one
:class:`~gametheory.errors.ScenarioError` naming the file, the dotted key and the line. Files are
refused above :data:`MAX_FILE_BYTES` before parsing, tables nested deeper than
:data:`MAX_DEPTH` after it, and trees beyond the model's node and depth limits before any node
is evaluated.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from ..errors import GameTheoryError, ScenarioError
from ..model.expr import Expression, parse
from ..model.scenario import Parameter
from ..model.tree_scenario import MAX_NODES, TreeNodeSpec, TreeScenario
from ._files import read_text_limited
from ._toml import (
    ParameterSpec,
    Strict,
    bare_numbers,
    find_line,
    parse_toml,
    pydantic_error,
    shown,
)

__all__ = [
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "is_tree_text",
    "loads_tree_scenario",
    "read_tree_scenario",
]

#: Tree scenario files larger than this are refused before parsing.
MAX_FILE_BYTES = 5_000_000
#: Deepest nesting of arrays and tables (nodes written inline under moves nest 2 levels each).
MAX_DEPTH = 64

_TREE_HEADER = re.compile(r"^\s*(\[\s*tree\s*[.\]]|tree\s*=)", re.MULTILINE)
_TREE_TABLE = re.compile(r"^\s*\[\s*tree\s*[.\]]", re.MULTILINE)


class _PlayerSpec(Strict):
    description: str = ""
    does_not_see: list[str] = Field(default_factory=list)


class _NodeSpec(Strict):
    player: str | None = None
    chance: dict[str, str | float] | None = None
    moves: dict[str, str | list[str | float] | dict[str, Any]] = Field(default_factory=dict)
    payoffs: dict[str, str | float] | list[str | float] | None = None
    infoset: str | None = None
    description: str = ""


class _TreeFileSpec(Strict):
    schema_version: Literal[1]
    title: str
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    parameters: dict[str, ParameterSpec] = Field(default_factory=dict)
    players: dict[str, _PlayerSpec]
    payoffs: dict[str, str | float] = Field(default_factory=dict)
    root: str | None = None
    tree: dict[str, dict[str, Any]]
    timing: Any = None
    chips: Any = None

    _bare_numbers = field_validator("parameters", mode="before")(bare_numbers)


def is_tree_text(text: str) -> bool:
    """Whether TOML text declares a tree: a top-level ``tree`` table (``[tree.X]`` nodes).

    A parameter that happens to be called ``tree`` does not count. Malformed TOML counts when
    it has a ``[tree...]`` header, so that the tree reader reports the error.
    """
    if _TREE_HEADER.search(text) is None:
        return False
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError):
        return _TREE_TABLE.search(text) is not None
    return isinstance(raw.get("tree"), dict)


def is_tree_file(path: str | Path) -> bool:
    """Whether a ``.toml`` file declares a tree (False if it cannot be read)."""
    try:
        return is_tree_text(read_text_limited(path, MAX_FILE_BYTES, "a tree scenario (.toml)"))
    except ScenarioError:
        return False


def read_tree_scenario(path: str | Path) -> TreeScenario:
    """Read a tree scenario TOML file.

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not valid TOML, or does not describe a valid tree.
    """
    text = read_text_limited(path, MAX_FILE_BYTES, "a tree scenario file (.toml)")
    return loads_tree_scenario(text, source=str(path))


def loads_tree_scenario(text: str, *, source: str = "<string>") -> TreeScenario:
    """Parse tree scenario TOML from a string (``source`` names it in errors)."""
    raw = parse_toml(text, source, MAX_DEPTH, hint="a key, node id or move name, is given twice?")
    try:
        spec = _TreeFileSpec.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, text, source, _allowed, _line) from None
    try:
        scenario = _build(spec, source, text)
    except GameTheoryError as exc:
        line = _line(text, exc.key)
        raise exc.located(file=source, line=line) from None
    try:
        scenario.tree()  # the baseline must be a valid tree (chance probabilities sum to one)
    except GameTheoryError as exc:
        # The node's header line is known; the key's own line is more precise.
        line = _line(text, exc.key) or exc.line
        raise type(exc)(exc.message, file=source, key=exc.key, line=line) from None
    return scenario


# ---------------------------------------------------------------------- building
def _build(spec: _TreeFileSpec, source: str, text: str) -> TreeScenario:
    for name in ("timing", "chips"):
        if getattr(spec, name) is not None:
            raise ScenarioError(
                f"a tree scenario gives its moves in [tree], not [{name}]; a file has one or "
                "the other",
                key=name,
            )
    if not spec.tree:
        raise ScenarioError("[tree] has no node", key="tree")
    parameters = [Parameter(name, **p.model_dump()) for name, p in spec.parameters.items()]
    players = tuple(spec.players)
    nodes: list[TreeNodeSpec] = []
    for node_id, table in spec.tree.items():
        key = f"tree.{node_id}"
        if not node_id.isidentifier():
            raise ScenarioError(
                "a node id must be a name (letters, digits and _, not starting with a digit), "
                "so that 'node.move' indicators can name it",
                key=key,
            )
        _add_node(node_id, table, key, players, nodes)
    headers = _node_headers(text)
    nodes = [replace(node, line=headers.get(node.key.split(".")[1])) for node in nodes]
    default = {p: _expression(e, f"payoffs.{p}") for p, e in spec.payoffs.items()}
    hidden = {p: frozenset(s.does_not_see) for p, s in spec.players.items() if s.does_not_see}
    root = spec.root if spec.root is not None else next(iter(spec.tree))
    return TreeScenario(
        spec.title,
        players,
        tuple(nodes),
        root,
        {p.name: p for p in parameters},
        default,
        hidden,
        description=spec.description,
        sources=tuple(spec.sources),
        notes=tuple(spec.notes),
        path=source,
    )


def _add_node(
    node_id: str, table: Any, key: str, players: tuple[str, ...], nodes: list[TreeNodeSpec]
) -> None:
    """Validate one node table and append it (and the nodes written inline under its moves)."""
    stack: list[tuple[str, Any, str]] = [(node_id, table, key)]
    while stack:
        if len(nodes) > MAX_NODES:
            raise ScenarioError(
                f"more than {MAX_NODES:,} nodes; the limit for a tree scenario is {MAX_NODES:,}",
                key="tree",
            )
        node_id, table, key = stack.pop()
        if not isinstance(table, dict):
            raise ScenarioError(f"expected a node table, got {shown(table)}", key=key)
        try:
            spec = _NodeSpec.model_validate(table)
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = [str(p) for p in first["loc"]]
            sub = ".".join(loc)
            if first["type"] == "extra_forbidden":
                message = (
                    "unknown key; a node has player, moves, chance, payoffs, infoset, description"
                )
            elif loc[0] == "moves" and len(loc) > 1:
                sub = ".".join(loc[:2])
                message = (
                    'a move leads to a node id ("respond"), a list of payoffs in player order '
                    '([2, "1 - cost"]) or a node table ({ player = "...", moves = { ... } }); '
                    f"got {shown(table.get('moves', {}).get(loc[1]))}"
                )
            elif loc[0] in ("payoffs", "chance"):
                sub = loc[0]
                message = (
                    f"{'payoffs' if loc[0] == 'payoffs' else 'chance probabilities'} are numbers "
                    "or expression strings (a table by "
                    f"{'player' if loc[0] == 'payoffs' else 'move'}"
                    f"{', or a list in player order' if loc[0] == 'payoffs' else ''}); "
                    f"got {shown(table.get(loc[0]))}"
                )
            else:
                message = f"{first['msg']} (got {shown(first.get('input'))})"
            raise ScenarioError(message, key=f"{key}.{sub}") from None
        kind = _kind(spec, key)
        moves: list[tuple[str, str]] = []
        for move, target in spec.moves.items():
            where = f"{key}.moves.{move}"
            if isinstance(target, str):
                moves.append((move, target))
                continue
            child = f"{node_id}/{move}"
            moves.append((move, child))
            if isinstance(target, list):
                target = {"payoffs": target}
            stack.append((child, target, where))
        probabilities: tuple[Expression, ...] = ()
        if kind == "chance":
            chance = spec.chance or {}
            if list(chance) != [m for m, _ in moves]:
                if set(chance) == {m for m, _ in moves}:
                    chance = {m: chance[m] for m, _ in moves}
                else:
                    raise ScenarioError(
                        f"chance gives probabilities for {sorted(chance)} but the moves are "
                        f"{[m for m, _ in moves]}; give one probability per move",
                        key=f"{key}.chance",
                    )
            probabilities = tuple(_expression(e, f"{key}.chance.{m}") for m, e in chance.items())
        nodes.append(
            TreeNodeSpec(
                node_id,
                kind,
                spec.player,
                tuple(moves),
                probabilities,
                _payoffs(spec.payoffs, players, f"{key}.payoffs"),
                spec.infoset,
                key,
                spec.description,
            )
        )


def _kind(spec: _NodeSpec, key: str) -> Literal["decision", "chance", "terminal"]:
    if spec.player is not None and spec.chance is not None:
        raise ScenarioError(
            "a node is either a player's decision ('player') or chance ('chance'), not both",
            key=f"{key}.chance",
        )
    if spec.payoffs is not None and spec.moves:
        raise ScenarioError(
            "a node with moves has no payoffs (payoffs belong to the terminal nodes)",
            key=f"{key}.payoffs",
        )
    if spec.player is not None:
        return "decision"
    if spec.chance is not None:
        if not spec.moves:
            raise ScenarioError(
                "a chance node needs moves = { move = node, ... } next to its chance table",
                key=f"{key}.moves",
            )
        return "chance"
    if spec.moves:
        raise ScenarioError(
            'a node with moves needs player = "..." (a decision) or chance = { ... }',
            key=key,
        )
    if spec.infoset is not None:
        raise ScenarioError("only decision nodes have an information set", key=f"{key}.infoset")
    return "terminal"


def _payoffs(
    raw: dict[str, str | float] | list[str | float] | None, players: tuple[str, ...], key: str
) -> dict[str, Expression]:
    if raw is None:
        return {}
    if isinstance(raw, list):
        if len(raw) != len(players):
            raise ScenarioError(
                f"{len(raw)} payoffs for {len(players)} players ({', '.join(players)}, in the "
                "order of the [players] tables)",
                key=key,
            )
        raw = dict(zip(players, raw, strict=True))
    return {p: _expression(e, f"{key}.{p}") for p, e in raw.items()}


def _expression(value: str | float, key: str) -> Expression:
    try:
        return parse(value)
    except GameTheoryError as exc:
        raise exc.located(key=key) from None


# ---------------------------------------------------------------------- errors
def _allowed(parent: tuple[Any, ...]) -> list[str]:
    if not parent:
        return [k for k in _TreeFileSpec.model_fields if k not in ("timing", "chips")]
    if len(parent) == 2 and parent[0] == "players":
        return list(_PlayerSpec.model_fields)
    if len(parent) == 2 and parent[0] == "parameters":
        return list(ParameterSpec.model_fields)
    return []


def _node_headers(text: str) -> dict[str, int]:
    """The line of each ``[tree.ID]`` header (the first one, for ``[tree.ID.moves]`` too)."""
    found: dict[str, int] = {}
    pattern = re.compile(r"^\s*\[\s*tree\s*\.\s*\"?([^\s.\]\"]+)")
    for number, line in enumerate(text.splitlines(), start=1):
        match = pattern.match(line)
        if match:
            found.setdefault(match.group(1), number)
    return found


def _line(text: str, key: str | None) -> int | None:
    """Line of a dotted key; inside ``[tree.ID]`` sections, searched within the node's lines."""
    if not key:
        return None
    parts = key.split(".")
    if parts[0] != "tree" or len(parts) < 2:
        return find_line(text, key)
    lines = text.splitlines()
    node = re.escape(parts[1])
    header = re.compile(r"^\s*\[\s*tree\s*\.\s*\"?" + node + r"\"?\s*[.\]]")
    start = next((i for i, line in enumerate(lines) if header.search(line)), None)
    if start is None:
        inline = re.compile(r"^\s*\"?" + node + r"\"?\s*=")
        start = next((i for i, line in enumerate(lines) if inline.search(line)), None)
        if start is None:
            return find_line(text, key)
    end = start + 1
    own = re.compile(r"^\s*\[\s*tree\s*\.\s*\"?" + node + r"\"?\s*[.\]]")
    while end < len(lines) and not (
        lines[end].lstrip().startswith("[") and not own.search(lines[end])
    ):
        end += 1
    for part in reversed(parts[2:]):
        if part in ("moves", "payoffs", "chance") and part != parts[-1]:
            continue
        pattern = re.compile(r"(^|[{,.\s])\"?" + re.escape(part) + r"\"?\s*[=.]")
        for i in range(start, end):
            if pattern.search(lines[i]):
                return i + 1
    return start + 1
