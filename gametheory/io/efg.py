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
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import GameTheoryError, ScenarioError
from ..model.tree import CHANCE, DECISION, MAX_MOVES, MAX_NODES, MAX_PLAYERS, TERMINAL, Tree
from ._files import read_text_limited
from .nfg import _parse_number

__all__ = ["MAX_FILE_BYTES", "dumps_efg", "loads_efg", "read_efg", "write_efg"]

#: Files larger than this are refused without being read whole (about a million nodes).
MAX_FILE_BYTES = 64_000_000


@dataclass
class _Infoset:
    """An information set (or chance set) as first declared: its name, moves, probabilities."""

    name: str
    moves: list[str]
    probabilities: list[float] | None
    token: int  # index of its number's token (for the line in messages)
    owner: int = -1
    index: int = -1  # position among decision sets as first read (-1 for chance sets)


#: One token: a quoted string, a brace, or a word (numbers, node types); a lone ``"`` is a
#: string never closed. Commas and whitespace separate tokens and are skipped.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]|[^\s{}",]+|"', re.DOTALL)
_CHUNK = 1 << 20  # characters scanned at a time, so a large file is never one list of tokens
_END = ""  # stands for the end of the file (no token is empty)


class _Stream:
    """Tokens of the text in batches, from one compiled regular expression.

    ``toks[i]`` is the next token; a node never needs more than :meth:`reserve` tokens, so
    the batch is topped up only between nodes. Line numbers are found again from a token's
    index when a message needs one, so the scan does no per-character work in Python.
    """

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.pos = 0  # where scanning resumes in the text
        self.toks: list[str] = []
        self.i = 0
        self.base = 0  # index in the whole file of toks[0]
        self.done = False
        self.fill(1)

    def fill(self, reserve: int) -> None:
        """Make at least ``reserve`` tokens (or the end of the file) available from ``i``."""
        while not self.done and len(self.toks) - self.i < reserve:
            batch = self._scan()
            self.base += self.i
            self.toks = self.toks[self.i :] + batch
            self.i = 0
            if self.pos >= len(self.text):
                self.done = True
                self.toks.append(_END)

    def _scan(self) -> list[str]:
        """The tokens of the next piece of text, cut after a newline.

        A string cannot cross the cut unnoticed: the piece would then hold a lone ``"``. In
        that case (or a string never closed) the piece is scanned again match by match on the
        whole text, up to the first token that reaches the cut.
        """
        text, pos = self.text, self.pos
        end = text.find("\n", pos + _CHUNK)
        end = len(text) if end < 0 else end + 1
        batch: list[str] = _TOKEN.findall(text, pos, end)
        if '"' not in batch:
            self.pos = end
            return batch
        batch = []
        self.pos = len(text)
        for match in _TOKEN.finditer(text, pos):
            batch.append(match.group())
            if match.end() >= end:
                self.pos = match.end()
                break
        return batch

    def line(self, token: int) -> int:
        """The line of the token with this index in the whole file (end: the last line)."""
        found = None
        for k, match in enumerate(_TOKEN.finditer(self.text)):
            found = match
            if k == token:
                return self.text.count("\n", 0, match.start()) + 1
        end = found.end() if found is not None else 0
        return self.text.count("\n", 0, end) + 1

    def fail(self, message: str, token: int) -> ScenarioError:
        return ScenarioError(message, file=self.source, line=self.line(token))

    def error(self, expected: str) -> ScenarioError:
        word = self.toks[self.i]
        if word == _END:
            found = "the end of the file"
        elif word == '"':
            found = "a '\"' that opens a string never closed"
        else:
            found = repr(word[:30])
        return self.fail(f"expected {expected}, found {found}", self.base + self.i)

    def take(self, expected: str, value: str) -> None:
        if self.toks[self.i] != value:
            raise self.error(expected)
        self.i += 1

    def at_string(self) -> bool:
        word = self.toks[self.i]
        return word[:1] == '"' and len(word) > 1

    def string(self, expected: str) -> str:
        word = self.toks[self.i]
        if word[:1] != '"' or len(word) < 2:
            raise self.error(expected)
        self.i += 1
        inner = word[1:-1]
        return _UNESCAPE.sub(r"\1", inner) if "\\" in inner else inner

    def word(self, expected: str) -> str:
        word = self.toks[self.i]
        if word in ("", "{", "}") or word[0] == '"':
            raise self.error(expected)
        self.i += 1
        return word

    def count(self, expected: str, limit: int, low: int) -> int:
        """A whole number from ``low`` to ``limit``."""
        word = self.toks[self.i]
        digits = word[1:] if word[:1] == "+" else word
        if (
            not (digits.isascii() and digits.isdigit() and len(digits) <= 19)
            or not low <= int(digits) <= limit
        ):
            raise self.error(f"{expected} (a whole number from {low} to {limit:,})")
        self.i += 1
        return int(digits)

    def number(self, expected: str) -> float:
        """An integer, decimal or rational, as a float within float64's range."""
        word = self.toks[self.i]
        value = _number_value(word)
        if value is None:
            raise self.error(expected)
        if not math.isfinite(value):
            raise self.fail(
                f"{expected} is {word[:30]!r}, outside the range of a 64-bit float "
                "(magnitudes up to about 1.8e308)",
                self.base + self.i,
            )
        self.i += 1
        return value


_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_DIGITS = frozenset("0123456789.")


def _number_value(word: str) -> float | None:
    """A number token as a float (inf when out of range), None when not a number.

    Plain decimals go straight to ``float`` (ASCII, no ``_``, ending in a digit or point: the
    words ``float`` takes that are decimals in the file's grammar too); others, rationals and
    very long words to the checked parser.
    """
    if 0 < len(word) < 40 and word[-1] in _DIGITS and word.isascii() and "_" not in word:
        try:
            return float(word)
        except ValueError:
            pass
    if not word or word[0] in '"{}':
        return None
    return _parse_number(word)


def read_efg(path: str | Path) -> Tree:
    """Read a Gambit ``.efg`` file into a :class:`~gametheory.model.tree.Tree`."""
    text = read_text_limited(path, MAX_FILE_BYTES, "a Gambit extensive-form file (.efg)")
    return loads_efg(text, source=str(path))


def loads_efg(text: str, *, source: str = "<string>") -> Tree:
    """Parse the text of a Gambit ``.efg`` file.

    One compiled regular expression scans the text in batches of tokens and the nodes are
    read from them with no per-character work in Python: 100,000 nodes in well under a
    second (``benchmarks/trees.py``).

    Raises
    ------
    ScenarioError
        Naming the file and line of the first problem and what was expected there.
    """
    fast = _fast_read(text)
    if fast is not None:
        title, players, nodes = fast
    else:  # unusual layout or a problem: the token reader says exactly what and where
        title, players, nodes = _token_read(text, source)
    try:
        return _to_tree(nodes, players, title)
    except _OverflowError as exc:
        if nodes.stream is None:  # read again to name the line
            nodes = _token_read(text, source)[2]  # same nodes, same order
        assert nodes.stream is not None
        raise nodes.stream.fail(
            "the outcomes on the path to this terminal node sum to a payoff beyond the range "
            "of a 64-bit float (magnitudes up to about 1.8e308)",
            nodes.token[exc.node],
        ) from None
    except GameTheoryError as exc:
        raise ScenarioError(exc.message, file=source) from None


class _OverflowError(Exception):
    """Outcomes summed along a path left float64's range (at node ``node``, file order)."""

    def __init__(self, node: int) -> None:
        super().__init__(node)
        self.node = node


def _path_sums(nodes: _Nodes, width: int, terminal_dfs: np.ndarray) -> np.ndarray:
    """Payoffs of the terminal nodes (file order): the outcomes on their paths, summed.

    Raises :class:`_OverflowError` at the first terminal node whose sum is not finite.
    """
    total = np.zeros((len(nodes.parent), width))
    with np.errstate(over="ignore", invalid="ignore"):
        for k, parent in enumerate(nodes.parent):
            if parent >= 0:
                total[k] = total[parent]
            pay = nodes.payoff[k]
            if pay is not None:
                total[k] += pay
    leaf: np.ndarray = total[terminal_dfs]
    bad = np.flatnonzero(~np.isfinite(leaf).all(axis=1))
    if bad.size:
        raise _OverflowError(int(terminal_dfs[bad[0]]))
    return leaf


def _token_read(text: str, source: str) -> tuple[str, tuple[str, ...], _Nodes]:
    """Read token by token, for any layout the format allows, with line-numbered errors."""
    s = _Stream(text, source)
    s.fill(64)
    s.take("'EFG' at the start of a Gambit extensive-form file", "EFG")
    s.take("version number 2", "2")
    s.word("'R' (or 'D') after the version")
    title = s.string("the game title in double quotes")
    players = _players(s)
    if s.at_string():
        s.string("a comment")
    nodes = _Reader(s, players).nodes()
    if s.toks[s.i] != _END:
        raise s.error("the end of the file after the last node of the tree")
    nodes.stream = s
    return title, players, nodes


# ---------------------------------------------------------------------- fast path
_STR = r'"(?:[^"\\]|\\.)*"'
_NUM = r'[0-9]{1,19}(?![^\s{}",])'
_HEADER = re.compile(
    rf"\s*EFG\s+2\s+[^\s{{}}\",]+\s+({_STR})\s*\{{((?:\s*{_STR})*)\s*\}}(?:\s*({_STR}))?"
)
_OUTCOME = rf"\s+({_NUM})(?:\s+({_STR}))?(?:\s*\{{([^{{}}\"]*)\}})?"
_NODE = re.compile(
    rf"""\s*(?:
      t\s+({_STR}){_OUTCOME}
    | p\s+({_STR})\s+({_NUM})\s+({_NUM})(?:\s+({_STR}))?(?:\s*\{{([^{{}}]*)\}})?{_OUTCOME}
    | c\s+({_STR})\s+({_NUM})(?:\s+({_STR}))?(?:\s*\{{([^{{}}]*)\}})?{_OUTCOME}
    )""",
    re.VERBOSE,
)


class _FallbackError(Exception):
    """The fast path met something it does not handle; the token reader takes over."""


def _unquote(word: str) -> str:
    inner = word[1:-1]
    return _UNESCAPE.sub(r"\1", inner) if "\\" in inner else inner


def _fast_read(text: str) -> tuple[str, tuple[str, ...], _Nodes] | None:
    """Read a file laid out as Gambit writes it, one regular-expression match per node.

    Returns None (and the token reader runs, giving the same tree or the error with its line)
    as soon as anything is unusual or wrong: a missing space, a comma between tokens, a
    string over several lines, a count past a limit, inconsistent sets or outcomes.
    """
    header = _HEADER.match(text)
    if header is None:
        return None
    names = [_unquote(w) for w in _TOKEN.findall(header.group(2))]
    if not names or len(names) > MAX_PLAYERS:
        return None
    if len(set(names)) != len(names) or "" in names:
        names = [name or f"Player {i + 1}" for i, name in enumerate(names)]
        if len(set(names)) != len(names):
            names = [f"{name} ({i + 1})" for i, name in enumerate(names)]
    players = tuple(names)
    try:
        nodes, end = _FastReader(text, len(players)).nodes(header.end())
    except _FallbackError:
        return None
    if text[end:].strip():
        return None
    return _unquote(header.group(1)), players, nodes


class _FastReader:
    """The node list from :data:`_NODE` matches, with the token reader's rules."""

    def __init__(self, text: str, n_players: int) -> None:
        self.text = text
        self.n_players = n_players
        self.infosets: dict[tuple[int, int], _Infoset] = {}
        self.outcomes: dict[int, tuple[float, ...]] = {}
        self.move_lists: dict[tuple[str, bool], tuple[list[str], list[float] | None]] = {}
        self.out = _Nodes()

    def nodes(self, pos: int) -> tuple[_Nodes, int]:
        out, match_at, text = self.out, _NODE.match, self.text
        pending: list[tuple[int, _Infoset | None, int, int]] = [(-1, None, 1, 0)]
        declared = 1
        while pending:
            parent, info, left, depth = pending.pop()
            if left == 0:
                continue
            pending.append((parent, info, left - 1, depth))
            m = match_at(text, pos)
            if m is None:
                raise _FallbackError
            pos = m.end()
            node_set = self._node(m.groups())
            index = out.add(parent, depth, info, left)
            if node_set is not None:
                declared += len(node_set.moves)
                if declared > MAX_NODES:
                    raise _FallbackError
                pending.append((index, node_set, len(node_set.moves), depth + 1))
        return out, pos

    def _node(self, g: tuple[str | None, ...]) -> _Infoset | None:
        out = self.out
        info: _Infoset | None = None
        if g[0] is not None:  # terminal
            out.label.append(_unquote(g[0]))
            out.kind.append(TERMINAL)
            out.infoset.append(-1)
            out.payoff.append(self._outcome(g[1], g[2], g[3]))
            return None
        if g[4] is not None:  # decision
            player = int(g[5] or 0)
            if not 1 <= player <= self.n_players:
                raise _FallbackError
            info = self._infoset(player - 1, g[6], g[7], g[8])
            out.label.append(_unquote(g[4]))
            out.kind.append(DECISION)
            out.infoset.append(info.index)
            out.payoff.append(self._outcome(g[9], g[10], g[11]))
            return info
        info = self._infoset(-1, g[13], g[14], g[15])
        out.label.append(_unquote(g[12] or '""'))
        out.kind.append(CHANCE)
        out.infoset.append(-1)
        out.payoff.append(self._outcome(g[16], g[17], g[18]))
        return info

    def _infoset(
        self, owner: int, number_word: str | None, name: str | None, body: str | None
    ) -> _Infoset:
        number = int(number_word or 0)
        if not 1 <= number <= 10**9:
            raise _FallbackError
        moves = probs = None
        if body is not None:  # the same move lists recur: each text is parsed once
            parsed = self.move_lists.get((body, owner < 0))
            if parsed is None:
                parsed = _fast_moves(body, chance=owner < 0)
                self.move_lists[(body, owner < 0)] = parsed
            moves, probs = parsed
        known = self.infosets.get((owner, number))
        if known is None:
            if moves is None:
                raise _FallbackError
            known = _Infoset(_unquote(name) if name else "", moves, probs, -1, owner)
            if owner >= 0:
                known.index = len(self.out.sets)
                self.out.sets.append(known)
            self.infosets[(owner, number)] = known
            return known
        if moves is not None and (
            moves != known.moves or (owner < 0 and probs != known.probabilities)
        ):
            raise _FallbackError
        return known

    def _outcome(
        self, number_word: str | None, name: str | None, body: str | None
    ) -> tuple[float, ...] | None:
        number = int(number_word or 0)
        if number > 10**9:
            raise _FallbackError
        payoffs = None
        if body is not None:
            words = _TOKEN.findall(body)
            if len(words) != self.n_players:
                raise _FallbackError
            payoffs = tuple(map(_finite, words))
        if number == 0:
            if payoffs is not None:
                raise _FallbackError
            return None
        known = self.outcomes.get(number)
        if payoffs is None:
            if known is None:
                raise _FallbackError
            return known
        if known is None:
            self.outcomes[number] = payoffs
        elif known != payoffs:
            raise _FallbackError
        return payoffs


def _finite(word: str) -> float:
    value = _number_value(word)
    if value is None or not math.isfinite(value):
        raise _FallbackError
    return value


def _fast_moves(body: str, *, chance: bool) -> tuple[list[str], list[float] | None]:
    words = _TOKEN.findall(body)
    if chance:
        labels, numbers = words[0::2], words[1::2]
        if len(labels) != len(numbers):
            raise _FallbackError
    else:
        labels, numbers = words, []
    if not labels or len(labels) > MAX_MOVES:
        raise _FallbackError
    for word in labels:
        if len(word) < 2 or word[0] != '"':
            raise _FallbackError
    moves = [_unquote(w) for w in labels]
    probs = None
    if chance:
        probs = list(map(_finite, numbers))
        if not all(0 <= q <= 1 for q in probs) or not math.isclose(sum(probs), 1.0, abs_tol=1e-9):
            raise _FallbackError
    if len(set(moves)) != len(moves):
        moves = [f"{m} ({i + 1})" if moves.count(m) > 1 else m for i, m in enumerate(moves)]
    return moves, probs


def _players(s: _Stream) -> tuple[str, ...]:
    s.take("'{' opening the list of players", "{")
    names: list[str] = []
    while True:
        s.fill(2)
        if not s.at_string():
            break
        if len(names) == MAX_PLAYERS:
            raise s.error(f"'}}' closing the list of players (at most {MAX_PLAYERS})")
        names.append(s.string("a player name"))
    s.take("'}' closing the list of players", "}")
    if not names:
        raise s.error("at least one player")
    # Empty or repeated names are made unique, as the .nfg reader does.
    if len(set(names)) != len(names) or "" in names:
        names = [name or f"Player {i + 1}" for i, name in enumerate(names)]
        if len(set(names)) != len(names):
            names = [f"{name} ({i + 1})" for i, name in enumerate(names)]
    s.fill(8)
    return tuple(names)


@dataclass
class _Nodes:
    """The nodes in the file's (depth-first) order, one entry per node in each list."""

    parent: list[int] = field(default_factory=list)
    depth: list[int] = field(default_factory=list)
    kind: list[int] = field(default_factory=list)
    infoset: list[int] = field(default_factory=list)  # decision set index or -1
    payoff: list[tuple[float, ...] | None] = field(default_factory=list)
    label: list[str] = field(default_factory=list)
    move: list[str] = field(default_factory=list)
    probability: list[float] = field(default_factory=list)
    sets: list[_Infoset] = field(default_factory=list)  # decision sets, as first read
    token: list[int] = field(default_factory=list)  # first token of each (token reader only)
    stream: _Stream | None = None  # for line numbers (token reader only)

    def add(self, parent: int, depth: int, info: _Infoset | None, left: int) -> int:
        """Record a node below ``parent`` and return its index.

        It is the move ``left`` from the end of ``info``'s moves, or the root when ``info`` is
        None.
        """
        index = len(self.parent)
        self.parent.append(parent)
        self.depth.append(depth)
        if info is None:
            self.move.append("")
            self.probability.append(1.0)
        else:
            j = len(info.moves) - left
            self.move.append(info.moves[j])
            probs = info.probabilities
            self.probability.append(probs[j] if probs is not None else 1.0)
        return index


class _Reader:
    """Reads the node list depth first, checking counts as it goes."""

    def __init__(self, s: _Stream, players: tuple[str, ...]) -> None:
        self.s = s
        self.players = players
        self.infosets: dict[tuple[int, int], _Infoset] = {}  # (player or -1, number)
        self.outcomes: dict[int, tuple[tuple[float, ...], int]] = {}  # number -> (payoffs, token)
        self.out = _Nodes()

    def nodes(self) -> _Nodes:
        s, out = self.s, self.out
        reserve = 2 * MAX_MOVES + 2 * len(self.players) + 32
        # (parent, its infoset, children still to read, depth of the children) as a stack
        pending: list[tuple[int, _Infoset | None, int, int]] = [(-1, None, 1, 0)]
        declared = 1
        while pending:
            parent, info, left, depth = pending.pop()
            if left == 0:
                continue
            pending.append((parent, info, left - 1, depth))
            s.fill(reserve)
            start = s.base + s.i
            out.token.append(start)
            node_set = self._node()
            index = out.add(parent, depth, info, left)
            if node_set is not None:
                moves = len(node_set.moves)
                declared += moves
                if declared > MAX_NODES:
                    raise s.fail(
                        f"the tree would have more than {MAX_NODES:,} nodes, the limit", start
                    )
                pending.append((index, node_set, moves, depth + 1))
        return out

    def _node(self) -> _Infoset | None:
        s, out = self.s, self.out
        kind_word = s.toks[s.i]
        if kind_word not in ("p", "c", "t"):
            raise s.error("a node: 'p' (decision), 'c' (chance) or 't' (terminal)")
        s.i += 1
        out.label.append(s.string("the node's name in double quotes (may be empty)"))
        info: _Infoset | None = None
        if kind_word == "t":
            out.kind.append(TERMINAL)
            out.infoset.append(-1)
        elif kind_word == "p":
            player = s.count("the player number of a decision node", len(self.players), 1)
            info = self._infoset(player - 1, chance=False)
            out.kind.append(DECISION)
            out.infoset.append(info.index)
        else:
            info = self._infoset(-1, chance=True)
            out.kind.append(CHANCE)
            out.infoset.append(-1)
        out.payoff.append(self._outcome())
        return info

    def _infoset(self, owner: int, *, chance: bool) -> _Infoset:
        s = self.s
        number = s.count("the information set number", 10**9, 1)
        token = s.base + s.i - 1
        name = s.string("the information set's name") if s.at_string() else None
        moves: list[str] | None = None
        probs: list[float] | None = None
        if s.toks[s.i] == "{":
            moves, probs = self._moves(chance)
        known = self.infosets.get((owner, number))
        who = "chance" if chance else f"player {owner + 1}"
        if known is None:
            if moves is None:
                raise s.error(f"the moves of information set {number} of {who} at its first node")
            if probs is not None and not math.isclose(sum(probs), 1.0, abs_tol=1e-9):
                raise s.fail(
                    f"the probabilities of chance set {number} sum to {sum(probs):.12g}, not 1",
                    token,
                )
            known = _Infoset(name or "", moves, probs, token, owner)
            if not chance:
                known.index = len(self.out.sets)
                self.out.sets.append(known)
            self.infosets[(owner, number)] = known
            return known
        if moves is not None and moves != known.moves:
            raise s.fail(
                f"information set {number} of {who} has moves {moves[:10]} here but "
                f"{known.moves[:10]} at line {s.line(known.token)}; a player must not be able "
                "to tell its nodes apart",
                token,
            )
        if chance and probs is not None and known.probabilities != probs:
            raise s.fail(
                f"chance set {number} has other probabilities here than at line "
                f"{s.line(known.token)}",
                token,
            )
        return known

    def _moves(self, chance: bool) -> tuple[list[str], list[float] | None]:
        s = self.s
        s.take("'{' opening the moves", "{")
        moves: list[str] = []
        probs: list[float] = []
        while s.at_string():
            if len(moves) == MAX_MOVES:
                raise s.error(f"'}}' closing the moves (at most {MAX_MOVES:,} at one node)")
            moves.append(s.string("a move name"))
            if chance:
                what = f"the probability of chance move '{moves[-1]}'"
                probs.append(s.number(what))
                if not 0 <= probs[-1] <= 1:
                    raise s.fail(
                        f"{what} is {probs[-1]:.12g}, not between 0 and 1", s.base + s.i - 1
                    )
        s.take("'}' closing the moves", "}")
        if not moves:
            raise s.error("at least one move")
        if len(set(moves)) != len(moves):
            moves = [f"{m} ({i + 1})" if moves.count(m) > 1 else m for i, m in enumerate(moves)]
        return moves, (probs if chance else None)

    def _outcome(self) -> tuple[float, ...] | None:
        s = self.s
        number = s.count("the outcome number (0 for none)", 10**9, 0)
        token = s.base + s.i - 1
        payoffs = None
        if s.at_string():
            s.string("the outcome's name")
            if s.toks[s.i] == "{":
                payoffs = self._payoffs(number)
        elif s.toks[s.i] == "{":
            payoffs = self._payoffs(number)
        if number == 0:
            if payoffs is not None:
                raise s.fail("outcome 0 is the null outcome and cannot have payoffs", token)
            return None
        known = self.outcomes.get(number)
        if payoffs is None:
            if known is None:
                raise s.fail(f"outcome {number} is used before its payoffs are given", token)
            return known[0]
        if known is not None and known[0] != payoffs:
            raise s.fail(
                f"outcome {number} has other payoffs here than at line {s.line(known[1])}",
                token,
            )
        if known is None:
            self.outcomes[number] = (payoffs, token)
        return payoffs

    def _payoffs(self, number: int) -> tuple[float, ...]:
        s = self.s
        s.take("'{' opening the payoffs", "{")
        values = tuple(
            s.number(f"the payoff of player {p + 1} in outcome {number}")
            for p in range(len(self.players))
        )
        s.take(f"'}}' closing the payoffs of outcome {number} (one per player)", "}")
        return values


def _to_tree(nodes: _Nodes, players: tuple[str, ...], title: str) -> Tree:
    """Breadth-first arrays from the depth-first node lists, payoffs summed along paths.

    Breadth-first order is the depth-first order sorted stably by depth (both list the nodes
    of one depth in the order of their paths).
    """
    n = len(nodes.parent)
    order = np.argsort(np.array(nodes.depth, dtype=np.int64), kind="stable")
    position = np.empty(n, dtype=np.int64)
    position[order] = np.arange(n)
    parent_dfs = np.array(nodes.parent, dtype=np.int64)
    parent = np.where(parent_dfs[order] >= 0, position[np.maximum(parent_dfs[order], 0)], -1)
    kind_dfs = np.array(nodes.kind, dtype=np.int8)
    kind = kind_dfs[order]
    width = len(players)
    zero = (0.0,) * width
    terminal_dfs = np.flatnonzero(kind_dfs == TERMINAL)
    inner_payoffs = any(
        nodes.payoff[k] is not None for k in np.flatnonzero(kind_dfs != TERMINAL).tolist()
    )
    if inner_payoffs:  # outcomes above the leaves: sum along paths
        leaf = _path_sums(nodes, width, terminal_dfs)
    else:
        leaf = np.array(
            [nodes.payoff[k] or zero for k in terminal_dfs.tolist()], dtype=float
        ).reshape(-1, width)
    # Terminals in breadth-first order.
    payoffs = leaf[np.argsort(position[terminal_dfs], kind="stable")]
    # Decision sets numbered in the order of their first node, breadth first.
    set_dfs = np.array(nodes.infoset, dtype=np.int64)
    set_bfs = set_dfs[order]
    decision = set_bfs >= 0
    keys = set_bfs[decision]
    unique, first = np.unique(keys, return_index=True)
    ranked = unique[np.argsort(first, kind="stable")]
    remap = np.full(len(nodes.sets), -1, dtype=np.int64)
    remap[ranked] = np.arange(ranked.size)
    infoset = np.full(n, -1, dtype=np.int64)
    infoset[decision] = remap[keys]
    owners = [nodes.sets[k].owner for k in ranked.tolist()]
    names = [nodes.sets[k].name for k in ranked.tolist()]
    labels = _infoset_labels(names, owners, players)
    order_list = order.tolist()
    return Tree(
        players,
        parent,
        kind,
        infoset,
        np.array(owners, dtype=np.int64),
        np.array(nodes.probability)[order],
        payoffs,
        tuple(nodes.move[k] for k in order_list),
        tuple(labels),
        tuple(nodes.label[k] for k in order_list),
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
