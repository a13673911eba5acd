"""Read and write Gambit strategic-form (``.nfg``) files.

Both variants of the format are read (see Gambit's documentation, "Game representation formats"):

- the **payoff** version: after the prologue, the payoffs of every pure profile, each listing
  one payoff per player, profiles ordered with the *first* player's strategy changing fastest;
- the **outcome** version: a list of outcomes ``{ "name" u_1, u_2, ... }`` followed by one outcome
  number per profile (same order; 0 is the null outcome, paying zero to everyone).

The strategy list in the prologue is either counts (``{ 3 2 }``) or names
(``{ { "U" "D" } { "L" "R" } }``). Numbers may be integers, decimals or rationals (``3/2``).
Games are written in the payoff version with strategy names, which Gambit reads back.
"""

from __future__ import annotations

import math
import re
from array import array
from fractions import Fraction
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import GameTheoryError, ScenarioError
from ..model.game import Game
from ..model.scenario import MAX_PAYOFF_ENTRIES, MAX_PLAYERS, MAX_STRATEGIES
from ._files import read_text_limited

__all__ = ["MAX_FILE_BYTES", "MAX_PLAYERS", "MAX_PROFILES", "dumps_nfg", "loads_nfg", "read_nfg"]
__all__ += ["MAX_PAYOFFS", "MAX_STRATEGIES", "write_nfg"]

#: Files larger than this are refused without being read whole (about 5 million payoffs).
MAX_FILE_BYTES = 64_000_000
#: Most pure profiles a file may declare; checked before anything is allocated. The players
#: (MAX_PLAYERS) and each one's strategies (MAX_STRATEGIES) are limited as in the model.
MAX_PROFILES = 10_000_000
#: Longest player list read: players past MAX_PLAYERS are refused once the strategy list is
#: read, so that a file of 40 players of two strategies hears that its profiles are too many.
_LISTED_PLAYERS = 2 * MAX_PLAYERS
#: Most payoffs (players x profiles) a file may declare: the largest game a scenario may hold.
MAX_PAYOFFS = MAX_PAYOFF_ENTRIES
#: Characters of plain numbers converted per vectorised step (bounds the temporary strings).
_CHUNK = 1 << 20
_SEPARATORS = re.compile(r"[\s,]+")
_WORD = re.compile(r"[^\s,]+")
#: Characters that make a word something other than a plain decimal number for the fast path
#: (rationals, quotes, braces, hex, underscores, names such as inf and nan).
_NOT_PLAIN = re.compile(r"[^0-9eE.+\-\s,]")

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<brace>[{}])
      | (?P<comma>,)
      | (?P<word>[^\s{}",]+)
    )""",
    re.VERBOSE | re.DOTALL,
)


class _Tokens:
    """A lazy stream of tokens with line numbers, for error messages.

    Tokens are scanned on demand, so the payoff body of a large file is never turned into a list
    of tokens: :meth:`rest` hands it over as text for the fast path.
    """

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.text = text
        self.index = 0  # where scanning resumes
        self.line = 1
        self.last_line: int | None = None
        self.lookahead: tuple[str, str, int] | None = None
        self.lookahead_from = 0  # where scanning for the lookahead started

    def _scan(self) -> tuple[str, str, int] | None:
        while True:
            match = _TOKEN.match(self.text, self.index)
            if not match or match.end() == self.index:
                rest = self.text[self.index :]
                if rest.strip():
                    line = self.line + rest[: len(rest) - len(rest.lstrip())].count("\n")
                    raise ScenarioError(
                        f"unexpected text {rest.strip()[:20]!r}", file=self.source, line=line
                    )
                return None
            self.line += self.text[self.index : match.start(match.lastgroup or 0)].count("\n")
            kind = match.lastgroup or ""
            value = match.group(kind)
            token = (kind, value, self.line)
            self.line += value.count("\n")
            self.index = match.end()
            if kind != "comma":
                return token

    def error(self, expected: str) -> ScenarioError:
        item = self._peek_item()
        if item is not None:
            _, value, line = item
            return ScenarioError(
                f"expected {expected}, found {value[:30]!r}", file=self.source, line=line
            )
        return ScenarioError(
            f"expected {expected}, found the end of the file", file=self.source, line=self.line
        )

    def _peek_item(self) -> tuple[str, str, int] | None:
        if self.lookahead is None:
            self.lookahead_from = self.index
            self.lookahead = self._scan()
        return self.lookahead

    def peek(self) -> tuple[str, str] | None:
        item = self._peek_item()
        return None if item is None else (item[0], item[1])

    def take(self, kind: str, expected: str, value: str | None = None) -> str:
        item = self._peek_item()
        if item is None or item[0] != kind or (value is not None and item[1] != value):
            raise self.error(expected)
        self.lookahead = None
        self.last_line = item[2]
        return item[1]

    def string(self, expected: str) -> str:
        raw = self.take("string", expected)
        return re.sub(r"\\(.)", r"\1", raw[1:-1])

    def number(self, expected: str) -> float:
        """A payoff: an integer, decimal or rational, as a float within float64's range."""
        item = self._peek_item()
        if item is None or item[0] != "word":
            raise self.error(expected)
        value = _parse_number(item[1])
        if value is None:
            raise self.error(expected)
        if not math.isfinite(value):
            raise ScenarioError(
                f"{expected} is {item[1][:30]!r}, outside the range of a 64-bit float "
                "(magnitudes up to about 1.8e308)",
                file=self.source,
                line=item[2],
            )
        self.take("word", expected)
        return value

    def count(self, expected: str, limit: int, low: int = 1) -> int:
        """A whole number from ``low`` to ``limit`` (a strategy count or an outcome number)."""
        item = self._peek_item()
        word = item[1] if item is not None and item[0] == "word" else ""
        if not re.fullmatch(r"\+?[0-9]{1,19}", word) or not low <= int(word) <= limit:
            raise self.error(f"{expected} (a whole number from {low} to {limit:,})")
        self.take("word", expected)
        return int(word)

    def at(self, kind: str, value: str | None = None) -> bool:
        item = self._peek_item()
        return item is not None and item[0] == kind and (value is None or item[1] == value)

    def position(self) -> int:
        """Where the text not yet taken starts (before any token already peeked)."""
        return self.index if self.lookahead is None else self.lookahead_from

    def skip_to_end(self) -> None:
        """Mark the whole text as taken (after a fast path has read the rest)."""
        self.index, self.lookahead = len(self.text), None


#: Largest exponent or digit count accepted in a number before converting it (beyond float64
#: either way; refusing early keeps exact arithmetic on a number like 1e999999999 from hanging).
_MAX_DIGITS = 400
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE]([+-]?[0-9]+))?")
_RATIONAL = re.compile(r"[+-]?[0-9]+/[0-9]+")


def _parse_number(word: str) -> float | None:
    """A number token as a float (inf when out of range); None when it is not a number."""
    if len(word) > _MAX_DIGITS + 10:
        return math.inf if re.fullmatch(r"[+-]?[0-9.eE+-]+", word) else None
    match = _DECIMAL.fullmatch(word)
    if match:
        exponent = match.group(3)
        if exponent is not None and len(exponent.lstrip("+-0")) > 4:
            return math.inf if not exponent.startswith("-") else 0.0
        try:
            return float(word)
        except OverflowError:  # pragma: no cover - float() returns inf for decimals
            return math.inf
    if _RATIONAL.fullmatch(word):
        try:
            return float(Fraction(word))
        except ZeroDivisionError:
            return None
        except OverflowError:
            return math.inf
    return None


def read_nfg(path: str | Path) -> Game:
    """Read a Gambit ``.nfg`` file (payoff or outcome version) into a :class:`Game`."""
    text = read_text_limited(path, MAX_FILE_BYTES, "a Gambit strategic-form file (.nfg)")
    return loads_nfg(text, source=str(path))


def loads_nfg(text: str, *, source: str = "<string>") -> Game:
    """Parse the text of a Gambit ``.nfg`` file.

    Limits, checked before anything is allocated: at most :data:`MAX_PLAYERS` players,
    :data:`MAX_STRATEGIES` strategies for one player, :data:`MAX_PROFILES` pure profiles and
    :data:`MAX_PAYOFFS` payoffs (players x profiles); numbers within float64's range. A payoff
    list of plain numbers (the usual case) is converted in vectorised steps.
    """
    tokens = _Tokens(text, source)
    tokens.take("word", "'NFG' at the start of a Gambit strategic-form file", "NFG")
    tokens.take("word", "version number 1", "1")
    tokens.take("word", "'R' (or 'D') after the version", None)
    title = tokens.string("the game title in double quotes")
    players = _string_list(tokens, "the list of player names", _LISTED_PLAYERS)
    if not players:
        raise tokens.error("at least one player")
    actions = _strategies(tokens, players)
    if len(players) > MAX_PLAYERS:
        raise ScenarioError(
            f"the game has {len(players)} players; the limit is {MAX_PLAYERS} (one array axis "
            "each)",
            file=source,
            line=tokens.last_line,
        )
    if tokens.at("string"):
        tokens.string("a comment")
    shape = tuple(len(a) for a in actions)
    count = math.prod(shape)
    if tokens.at("brace", "{"):
        payoffs = _outcome_payoffs(tokens, len(players), count)
    else:
        payoffs = _listed_payoffs(tokens, len(players), count)
    if tokens.peek() is not None:
        raise tokens.error("the end of the file after all payoffs")
    # Profiles are listed with the first player's strategy changing fastest (Fortran order).
    array = np.empty((len(players), *shape))
    for p in range(len(players)):
        array[p] = np.reshape(payoffs[:, p], shape, order="F")
    try:
        return Game(tuple(players), actions, array, title)
    except GameTheoryError as exc:
        raise ScenarioError(exc.message, file=source) from None


def _string_list(tokens: _Tokens, what: str, limit: int) -> list[str]:
    tokens.take("brace", f"'{{' opening {what}", "{")
    items: list[str] = []
    while tokens.at("string"):
        if len(items) == limit:
            raise tokens.error(f"'}}' closing {what} (at most {limit:,} entries)")
        items.append(tokens.string(what))
    tokens.take("brace", f"'}}' closing {what}", "}")
    return items


def _strategies(tokens: _Tokens, players: list[str]) -> tuple[tuple[str, ...], ...]:
    """Strategy names (or counts) for each player, within the limits on strategies and profiles.

    The running product is checked after every player, in Python integers, so neither a huge
    count nor many players can overflow it or allocate names first. The profiles may number at
    most :data:`MAX_PROFILES`, and at most :data:`MAX_PAYOFFS` divided by the number of players.
    """
    tokens.take("brace", "'{' opening the strategy list", "{")
    most = min(MAX_PROFILES, MAX_PAYOFFS // len(players))
    actions: list[tuple[str, ...]] = []
    profiles = 1
    for player in players:
        room = min(most // profiles, MAX_STRATEGIES)
        if tokens.at("brace", "{"):
            names = _string_list(tokens, f"the strategy names of '{player}'", room)
        else:
            what = f"the number of strategies of '{player}'"
            if tokens.at("word") and _too_many(tokens.peek(), room):
                raise _size_error(tokens, profiles, player, most, len(players))
            names = [str(i + 1) for i in range(tokens.count(what, room))]
        if not names:
            raise tokens.error(f"at least one strategy for '{player}'")
        profiles *= len(names)
        if len(set(names)) != len(names) or "" in names:
            names = [name or str(i + 1) for i, name in enumerate(names)]
            if len(set(names)) != len(names):
                names = [f"{name}_{i + 1}" for i, name in enumerate(names)]
        actions.append(tuple(names))
    tokens.take("brace", "'}' closing the strategy list", "}")
    return tuple(actions)


def _too_many(item: tuple[str, str] | None, room: int) -> bool:
    word = item[1] if item else ""
    return bool(re.fullmatch(r"\+?[0-9]+", word)) and (len(word) > 19 or int(word) > room)


def _size_error(
    tokens: _Tokens, profiles: int, player: str, most: int, n_players: int
) -> ScenarioError:
    item = tokens.peek()
    word = item[1] if item else "?"
    count = int(word) if len(word) <= 19 and word.lstrip("+").isdigit() else None
    if count is not None and count * profiles <= most:
        reason = f"more than {MAX_STRATEGIES:,}, the limit for one player"
    else:
        before = f", with the {profiles:,} profiles of the players before," if profiles > 1 else ""
        reason = f"which{before} makes more than {most:,} pure profiles, the limit"
        if most < MAX_PROFILES:
            reason += f" for {n_players} players ({MAX_PAYOFFS:,} payoffs in all)"
    return ScenarioError(
        f"'{player}' would have {word[:30]} strategies, {reason}",
        file=tokens.source,
        line=tokens.line,
    )


def _listed_payoffs(tokens: _Tokens, n_players: int, count: int) -> np.ndarray:
    """The payoff version's list: vectorised conversion when every entry is a plain number."""
    needed = count * n_players
    fast = _plain_numbers(tokens, needed)
    if fast is not None:
        tokens.skip_to_end()
        return fast.reshape(count, n_players)
    values = np.empty((count, n_players))
    for k in range(count):
        for p in range(n_players):
            values[k, p] = tokens.number(f"payoff {k * n_players + p + 1} of {needed}")
    return values


def _plain_numbers(
    tokens: _Tokens, needed: int, plain: re.Pattern[str] = _NOT_PLAIN
) -> NDArray[np.float64] | None:
    """The rest of the file as ``needed`` finite plain numbers, or None (then parse slowly).

    Consumes nothing (the caller calls :meth:`_Tokens.skip_to_end` on success); anything unusual
    (a rational, a brace, a number out of range, too few or too many entries) is left to the
    token-by-token path, which says where. The text is converted a chunk at a time, so the
    temporary strings stay small whatever the size of the file, and a file holding far more
    numbers than the game needs is given up on after the first chunk past ``needed``.
    """
    text = tokens.text
    start = tokens.position()
    if plain.search(text, start):
        return None
    values = np.empty(needed)
    filled = 0
    while start < len(text):
        stop = min(start + _CHUNK, len(text))
        if stop < len(text):
            gap = _SEPARATORS.search(text, stop)  # never cut a number in two
            stop = gap.start() if gap else len(text)
        words = _WORD.findall(text, start, stop)
        if filled + len(words) > needed:
            return None
        try:
            chunk = np.array(words, dtype=np.float64)
        except ValueError:
            return None
        if not np.isfinite(chunk).all():
            return None
        values[filled : filled + len(words)] = chunk
        filled += len(words)
        start = stop
    return values if filled == needed else None


#: Characters that make the outcome numbers something other than plain whole numbers.
_NOT_WHOLE = re.compile(r"[^0-9+\s,]")


def _outcome_payoffs(tokens: _Tokens, n_players: int, count: int) -> np.ndarray:
    tokens.take("brace", "'{' opening the outcome list", "{")
    most = min(MAX_PROFILES, MAX_PAYOFFS // n_players)
    flat = array("d", [0.0] * n_players)  # outcome 0 is the null outcome
    outcomes = 1
    while tokens.at("brace", "{"):
        if outcomes > most:
            raise tokens.error(f"'}}' closing the outcome list (at most {most:,} outcomes)")
        tokens.take("brace", "'{'", "{")
        tokens.string("the outcome's name in double quotes")
        for p in range(n_players):
            flat.append(tokens.number(f"payoff of player {p + 1} in outcome {outcomes}"))
        tokens.take("brace", f"'}}' closing outcome {outcomes}", "}")
        outcomes += 1
    tokens.take("brace", "'}' closing the outcome list", "}")
    table = np.frombuffer(flat, dtype=np.float64).reshape(outcomes, n_players)
    fast = _plain_numbers(tokens, count, _NOT_WHOLE)
    if fast is not None and ((fast >= 0) & (fast < outcomes)).all():
        tokens.skip_to_end()
        return table[fast.astype(np.int64)]
    numbers = np.empty(count, dtype=np.int64)
    for k in range(count):
        numbers[k] = tokens.count(
            f"the outcome number of profile {k + 1} of {count}", outcomes - 1, low=0
        )
    return table[numbers]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def dumps_nfg(game: Game) -> str:
    """Serialise a game as Gambit ``.nfg`` text (payoff version, strategy names)."""
    players = " ".join(_quote(p) for p in game.players)
    strategies = "\n".join("{ " + " ".join(_quote(a) for a in acts) + " }" for acts in game.actions)
    lines = [
        f"NFG 1 R {_quote(game.title)} {{ {players} }}",
        "",
        "{",
        strategies,
        "}",
        '""',
        "",
    ]
    flat = [game.payoffs[p].reshape(-1, order="F") for p in range(game.n_players)]
    entries = []
    for k in range(flat[0].size):
        entries.append(" ".join(_number(flat[p][k]) for p in range(game.n_players)))
    lines.append(" ".join(entries))
    return "\n".join(lines) + "\n"


def write_nfg(game: Game, path: str | Path) -> None:
    """Write a game to a Gambit ``.nfg`` file (payoff version)."""
    Path(path).write_text(dumps_nfg(game), encoding="utf-8")
