"""Read and write Gambit extensive-form (``.efg``) files.

The format (Gambit's documentation, "Game representation formats") lists the nodes of the
tree depth first, one per entry, after a prologue ``EFG 2 R "title" { "player" ... }`` and an
optional comment string:

- ``p "node" player infoset "infoset name" { "move" ... } outcome`` : a decision node;
- ``c "node" infoset "infoset name" { "move" probability ... } outcome`` : a chance node;
- ``t "node" outcome`` : a terminal node;

where ``outcome`` is a number (0 for none), followed at its first use by ``"name" { payoff
... }``. Both ways of writing outcomes are read: payoffs given at every use (as Gambit writes
them) or only at the first. An information set's name and moves (and a chance set's
probabilities) may likewise be omitted after its first node. Outcomes at non-terminal nodes
are allowed: a terminal node's payoffs are the sum of the outcomes on its path. Numbers are
integers, decimals or rationals (``3/2``).

Trees are written with one outcome per terminal node, payoffs as exact as the floats allow
(decimals, or rationals for probabilities such as 1/3 so that chance sums stay exactly one),
which Gambit reads back.

Limits, checked while reading and before the tree's arrays are built: files up to
:data:`MAX_FILE_BYTES`, trees up to :data:`~gametheory.model.tree.MAX_NODES` nodes (counted
from the moves declared so far, so a file cannot announce more), the model's limits on
players and moves per node.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import GameTheoryError, ScenarioError
from ..model.tree import CHANCE, DECISION, MAX_MOVES, MAX_NODES, MAX_PLAYERS, TERMINAL, Tree
from ._files import read_text_limited
from .nfg import _Tokens

__all__ = ["MAX_FILE_BYTES", "dumps_efg", "loads_efg", "read_efg", "write_efg"]

#: Files larger than this are refused without being read whole (about a million nodes).
MAX_FILE_BYTES = 64_000_000


@dataclass
class _Infoset:
    """An information set (or chance set) as first declared: its name, moves, probabilities."""

    name: str
    moves: list[str]
    probabilities: list[float] | None
    line: int


@dataclass
class _Node:
    kind: int
    parent: int
    line: int
    owner: int = -1  # player index (decision) or -1
    infoset: _Infoset | None = None
    payoff: np.ndarray | None = None  # the outcome's payoffs at this node
    label: str = ""
    children: list[int] = field(default_factory=list)


def read_efg(path: str | Path) -> Tree:
    """Read a Gambit ``.efg`` file into a :class:`~gametheory.model.tree.Tree`."""
    text = read_text_limited(path, MAX_FILE_BYTES, "a Gambit extensive-form file (.efg)")
    return loads_efg(text, source=str(path))


def loads_efg(text: str, *, source: str = "<string>") -> Tree:
    """Parse the text of a Gambit ``.efg`` file.

    Raises
    ------
    ScenarioError
        Naming the file and line of the first problem and what was expected there.
    """
    tokens = _Tokens(text, source)
    tokens.take("word", "'EFG' at the start of a Gambit extensive-form file", "EFG")
    tokens.take("word", "version number 2", "2")
    tokens.take("word", "'R' (or 'D') after the version", None)
    title = tokens.string("the game title in double quotes")
    players = _players(tokens)
    if tokens.at("string"):
        tokens.string("a comment")
    reader = _Reader(tokens, players)
    nodes = reader.nodes()
    if tokens.peek() is not None:
        raise tokens.error("the end of the file after the last node of the tree")
    try:
        return _to_tree(nodes, players, title)
    except GameTheoryError as exc:
        raise ScenarioError(exc.message, file=source) from None


def _players(tokens: _Tokens) -> tuple[str, ...]:
    tokens.take("brace", "'{' opening the list of players", "{")
    names: list[str] = []
    while tokens.at("string"):
        if len(names) == MAX_PLAYERS:
            raise tokens.error(f"'}}' closing the list of players (at most {MAX_PLAYERS})")
        names.append(tokens.string("a player name"))
    tokens.take("brace", "'}' closing the list of players", "}")
    if not names:
        raise tokens.error("at least one player")
    # Empty or repeated names are made unique, as the .nfg reader does.
    if len(set(names)) != len(names) or "" in names:
        names = [name or f"Player {i + 1}" for i, name in enumerate(names)]
        if len(set(names)) != len(names):
            names = [f"{name} ({i + 1})" for i, name in enumerate(names)]
    return tuple(names)


class _Reader:
    """Reads the node list depth first, checking counts as it goes."""

    def __init__(self, tokens: _Tokens, players: tuple[str, ...]) -> None:
        self.tokens = tokens
        self.players = players
        self.infosets: dict[tuple[int, int], _Infoset] = {}  # (player or -1, number)
        self.outcomes: dict[int, tuple[np.ndarray, int]] = {}  # number -> (payoffs, line)

    def nodes(self) -> list[_Node]:
        out: list[_Node] = []
        pending = [(-1, 1)]  # (parent, children still to read) as a stack
        declared = 1
        while pending:
            parent, left = pending.pop()
            if left == 0:
                continue
            pending.append((parent, left - 1))
            node = self._node(parent)
            out.append(node)
            index = len(out) - 1
            if parent >= 0:
                out[parent].children.append(index)
            moves = len(node.infoset.moves) if node.infoset is not None else 0
            declared += moves
            if declared > MAX_NODES:
                raise ScenarioError(
                    f"the tree would have more than {MAX_NODES:,} nodes, the limit",
                    file=self.tokens.source,
                    line=node.line,
                )
            if moves:
                pending.append((index, moves))
        return out

    def _node(self, parent: int) -> _Node:
        t = self.tokens
        item = t.peek()
        kind_word = item[1] if item is not None and item[0] == "word" else ""
        if kind_word not in ("p", "c", "t"):
            raise t.error("a node: 'p' (decision), 'c' (chance) or 't' (terminal)")
        t.take("word", "a node type")
        line = t.last_line or t.line
        label = t.string("the node's name in double quotes (may be empty)")
        if kind_word == "t":
            node = _Node(TERMINAL, parent, line, label=label)
        elif kind_word == "p":
            player = t.count("the player number of a decision node", len(self.players), low=1)
            node = _Node(DECISION, parent, line, owner=player - 1, label=label)
            node.infoset = self._infoset(player - 1, chance=False)
        else:
            node = _Node(CHANCE, parent, line, label=label)
            node.infoset = self._infoset(-1, chance=True)
        node.payoff = self._outcome()
        return node

    def _infoset(self, owner: int, *, chance: bool) -> _Infoset:
        t = self.tokens
        number = t.count("the information set number", 10**9, low=1)
        line = t.last_line or t.line
        name = t.string("the information set's name") if t.at("string") else None
        moves: list[str] | None = None
        probs: list[float] | None = None
        if t.at("brace", "{"):
            moves, probs = self._moves(chance)
        known = self.infosets.get((owner, number))
        who = "chance" if chance else f"player {owner + 1}"
        if known is None:
            if moves is None:
                raise t.error(f"the moves of information set {number} of {who} at its first node")
            if probs is not None and not math.isclose(sum(probs), 1.0, abs_tol=1e-9):
                raise ScenarioError(
                    f"the probabilities of chance set {number} sum to {sum(probs):.12g}, not 1",
                    file=t.source,
                    line=line,
                )
            known = _Infoset(name or "", moves, probs, line)
            self.infosets[(owner, number)] = known
            return known
        if moves is not None and moves != known.moves:
            raise ScenarioError(
                f"information set {number} of {who} has moves {moves[:10]} here but "
                f"{known.moves[:10]} at line {known.line}; a player must not be able to "
                "tell its nodes apart",
                file=t.source,
                line=line,
            )
        if chance and probs is not None and known.probabilities != probs:
            raise ScenarioError(
                f"chance set {number} has other probabilities here than at line {known.line}",
                file=t.source,
                line=line,
            )
        return known

    def _moves(self, chance: bool) -> tuple[list[str], list[float] | None]:
        t = self.tokens
        t.take("brace", "'{' opening the moves", "{")
        moves: list[str] = []
        probs: list[float] = []
        while t.at("string"):
            if len(moves) == MAX_MOVES:
                raise t.error(f"'}}' closing the moves (at most {MAX_MOVES:,} at one node)")
            moves.append(t.string("a move name"))
            if chance:
                what = f"the probability of chance move '{moves[-1]}'"
                probs.append(t.number(what))
                if not 0 <= probs[-1] <= 1:
                    raise ScenarioError(
                        f"{what} is {probs[-1]:.12g}, not between 0 and 1",
                        file=t.source,
                        line=t.last_line,
                    )
        t.take("brace", "'}' closing the moves", "}")
        if not moves:
            raise t.error("at least one move")
        if len(set(moves)) != len(moves):
            moves = [f"{m} ({i + 1})" if moves.count(m) > 1 else m for i, m in enumerate(moves)]
        return moves, (probs if chance else None)

    def _outcome(self) -> np.ndarray | None:
        t = self.tokens
        number = t.count("the outcome number (0 for none)", 10**9, low=0)
        line = t.last_line or t.line
        payoffs = None
        if t.at("string"):
            t.string("the outcome's name")
            if t.at("brace", "{"):
                payoffs = self._payoffs(number)
        elif t.at("brace", "{"):
            payoffs = self._payoffs(number)
        if number == 0:
            if payoffs is not None:
                raise ScenarioError(
                    "outcome 0 is the null outcome and cannot have payoffs",
                    file=t.source,
                    line=line,
                )
            return None
        known = self.outcomes.get(number)
        if payoffs is None:
            if known is None:
                raise ScenarioError(
                    f"outcome {number} is used before its payoffs are given",
                    file=t.source,
                    line=line,
                )
            return known[0]
        if known is not None and not np.array_equal(known[0], payoffs):
            raise ScenarioError(
                f"outcome {number} has other payoffs here than at line {known[1]}",
                file=t.source,
                line=line,
            )
        if known is None:
            self.outcomes[number] = (payoffs, line)
        return payoffs

    def _payoffs(self, number: int) -> np.ndarray:
        t = self.tokens
        t.take("brace", "'{' opening the payoffs", "{")
        values = [
            t.number(f"the payoff of player {p + 1} in outcome {number}")
            for p in range(len(self.players))
        ]
        t.take("brace", f"'}}' closing the payoffs of outcome {number} (one per player)", "}")
        return np.array(values)


def _to_tree(nodes: list[_Node], players: tuple[str, ...], title: str) -> Tree:
    """Breadth-first arrays from the depth-first node list, payoffs summed along paths."""
    n = len(nodes)
    order = [0]
    i = 0
    while i < len(order):
        order.extend(nodes[order[i]].children)
        i += 1
    position = np.empty(n, dtype=np.int64)
    position[np.array(order)] = np.arange(n)
    parent = np.array([-1] + [position[nodes[k].parent] for k in order[1:]], dtype=np.int64)
    kind = np.array([nodes[k].kind for k in order], dtype=np.int8)
    # Payoffs: the outcomes on the path, summed (depth-first order has parents first).
    total = np.zeros((n, len(players)))
    for k, node in enumerate(nodes):
        if node.parent >= 0:
            total[k] = total[node.parent]
        if node.payoff is not None:
            total[k] += node.payoff
    payoffs = np.array([total[k] for k in order if nodes[k].kind == TERMINAL])
    payoffs = payoffs.reshape(-1, len(players))
    infoset_index: dict[int, int] = {}
    owners: list[int] = []
    labels: list[str] = []
    infoset = np.full(n, -1, dtype=np.int64)
    probability = np.ones(n)
    moves = [""] * n
    for pos, k in enumerate(order):
        node = nodes[k]
        info = node.infoset
        if info is None:
            continue
        for j, child in enumerate(node.children):
            moves[position[child]] = info.moves[j]
            if node.kind == CHANCE and info.probabilities is not None:
                probability[position[child]] = info.probabilities[j]
        if node.kind == CHANCE:
            continue
        key = id(info)
        if key not in infoset_index:
            infoset_index[key] = len(owners)
            owners.append(node.owner)
            labels.append(info.name)
        infoset[pos] = infoset_index[key]
    labels = _infoset_labels(labels, owners, players)
    node_labels = tuple(nodes[k].label for k in order)
    return Tree(
        players,
        parent,
        kind,
        infoset,
        np.array(owners, dtype=np.int64),
        probability,
        payoffs,
        tuple(moves),
        tuple(labels),
        node_labels,
        title,
    )


def _infoset_labels(names: list[str], owners: list[int], players: tuple[str, ...]) -> list[str]:
    """Names as given where unique and non-empty, else ``"<player>:<k>"``."""
    counts: dict[int, int] = {}
    generated = []
    for owner in owners:
        counts[owner] = counts.get(owner, 0) + 1
        generated.append(f"{players[owner]}:{counts[owner]}")
    count: dict[str, int] = {}
    for name in names:
        count[name] = count.get(name, 0) + 1
    kept = {name for name in names if name and count[name] == 1}
    out = []
    for name, gen in zip(names, generated, strict=True):
        if name in kept:
            out.append(name)
            continue
        while gen in kept:
            gen += "'"
        kept.add(gen)
        out.append(gen)
    return out


# ---------------------------------------------------------------------- writing
def dumps_efg(tree: Tree) -> str:
    """The text of a Gambit ``.efg`` file for a tree (one outcome per terminal node)."""
    lines = [
        f"EFG 2 R {_quote(tree.title or 'Untitled extensive game')} "
        "{ " + " ".join(_quote(p) for p in tree.players) + " }",
        '""',
        "",
    ]
    per_player: dict[int, int] = {}
    number: dict[int, int] = {}
    for h in range(tree.n_infosets):
        owner = int(tree.infoset_owner[h])
        per_player[owner] = per_player.get(owner, 0) + 1
        number[h] = per_player[owner]
    chance_sets = 0
    outcome = 0
    terminal_index = {int(z): t for t, z in enumerate(tree.terminals)}
    stack = [0]
    while stack:
        node = stack.pop()
        label = _quote(tree.node_labels[node])
        moves = tree.moves_at(node)
        kind = int(tree.kind[node])
        if kind == TERMINAL:
            outcome += 1
            pay = ", ".join(_number(v) for v in tree.payoffs[terminal_index[node]])
            lines.append(f't {label} {outcome} "" {{ {pay} }}')
        elif kind == CHANCE:
            chance_sets += 1
            start = int(tree.first_child[node])
            probs = _probabilities(tree.probability[start : start + len(moves)])
            body = " ".join(f"{_quote(m)} {p}" for m, p in zip(moves, probs, strict=True))
            lines.append(f'c {label} {chance_sets} "" {{ {body} }} 0')
        else:
            h = int(tree.infoset[node])
            head = f"p {label} {int(tree.infoset_owner[h]) + 1} {number[h]}"
            body = " ".join(_quote(m) for m in moves)
            lines.append(f"{head} {_quote(tree.infoset_labels[h])} {{ {body} }} 0")
        start = int(tree.first_child[node])
        stack.extend(range(start + int(tree.n_children[node]) - 1, start - 1, -1))
    return "\n".join(lines) + "\n"


def write_efg(tree: Tree, path: str | Path) -> None:
    """Write a tree to a Gambit ``.efg`` file."""
    try:
        Path(path).write_text(dumps_efg(tree), encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"cannot write file: {exc.strerror or exc}", file=str(path)) from None


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float) -> str:
    """A float as Gambit reads it exactly: an integer or a positional decimal."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    return np.format_float_positional(value, trim="-")


def _probabilities(values: np.ndarray) -> list[str]:
    """Chance probabilities written so that they sum to exactly one in Gambit's arithmetic.

    Each is the simplest fraction within 1e-12 (1/3, 1/10) where one exists, else the
    float's exact fraction; the last is one minus the others, exactly.
    """
    fractions = []
    for value in values[:-1]:
        near = Fraction(float(value)).limit_denominator(10**6)
        fractions.append(near if abs(float(near) - value) < 1e-12 else Fraction(float(value)))
    last = 1 - sum(fractions, Fraction(0))
    return [_fraction(f) for f in [*fractions, last]]


def _fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(value)
