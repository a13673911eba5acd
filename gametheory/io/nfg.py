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

import re
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..errors import GameTheoryError, ScenarioError
from ..model.game import Game

__all__ = ["dumps_nfg", "loads_nfg", "read_nfg", "write_nfg"]

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
    """A stream of tokens with line numbers, for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.items: list[tuple[str, str, int]] = list(self._scan(text))
        self.pos = 0

    def _scan(self, text: str) -> Iterator[tuple[str, str, int]]:
        index = 0
        line = 1
        while True:
            match = _TOKEN.match(text, index)
            if not match or match.end() == index:
                rest = text[index:]
                if rest.strip():
                    line += rest[: len(rest) - len(rest.lstrip())].count("\n")
                    raise ScenarioError(
                        f"unexpected text {rest.strip()[:20]!r}", file=self.source, line=line
                    )
                return
            line += text[index : match.start(match.lastgroup or 0)].count("\n")
            kind = match.lastgroup or ""
            value = match.group(kind)
            if kind != "comma":
                yield kind, value, line
            line += value.count("\n")
            index = match.end()

    def error(self, expected: str) -> ScenarioError:
        if self.pos < len(self.items):
            _, value, line = self.items[self.pos]
            return ScenarioError(
                f"expected {expected}, found {value[:30]!r}", file=self.source, line=line
            )
        last = self.items[-1][2] if self.items else None
        return ScenarioError(
            f"expected {expected}, found the end of the file", file=self.source, line=last
        )

    def peek(self) -> tuple[str, str] | None:
        if self.pos < len(self.items):
            kind, value, _ = self.items[self.pos]
            return kind, value
        return None

    def take(self, kind: str, expected: str, value: str | None = None) -> str:
        item = self.peek()
        if item is None or item[0] != kind or (value is not None and item[1] != value):
            raise self.error(expected)
        self.pos += 1
        return item[1]

    def string(self, expected: str) -> str:
        raw = self.take("string", expected)
        return re.sub(r"\\(.)", r"\1", raw[1:-1])

    def number(self, expected: str) -> Fraction:
        word = self.take("word", expected)
        try:
            return Fraction(word)
        except (ValueError, ZeroDivisionError):
            self.pos -= 1
            raise self.error(expected) from None

    def at(self, kind: str, value: str | None = None) -> bool:
        item = self.peek()
        return item is not None and item[0] == kind and (value is None or item[1] == value)


def read_nfg(path: str | Path) -> Game:
    """Read a Gambit ``.nfg`` file (payoff or outcome version) into a :class:`Game`."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError("no such file", file=str(path)) from None
    except UnicodeDecodeError:
        raise ScenarioError("is not UTF-8 text", file=str(path)) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read file: {exc.strerror}", file=str(path)) from None
    return loads_nfg(text, source=str(path))


def loads_nfg(text: str, *, source: str = "<string>") -> Game:
    """Parse the text of a Gambit ``.nfg`` file."""
    tokens = _Tokens(text, source)
    tokens.take("word", "'NFG' at the start of a Gambit strategic-form file", "NFG")
    tokens.take("word", "version number 1", "1")
    tokens.take("word", "'R' (or 'D') after the version", None)
    title = tokens.string("the game title in double quotes")
    players = _string_list(tokens, "the list of player names")
    if not players:
        raise tokens.error("at least one player")
    actions = _strategies(tokens, players)
    if tokens.at("string"):
        tokens.string("a comment")
    shape = tuple(len(a) for a in actions)
    count = int(np.prod(shape))
    if count > 10_000_000:
        raise ScenarioError(f"game has {count:,} profiles; the limit is 10,000,000", file=source)
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


def _string_list(tokens: _Tokens, what: str) -> list[str]:
    tokens.take("brace", f"'{{' opening {what}", "{")
    items = []
    while tokens.at("string"):
        items.append(tokens.string(what))
    tokens.take("brace", f"'}}' closing {what}", "}")
    return items


def _strategies(tokens: _Tokens, players: list[str]) -> tuple[tuple[str, ...], ...]:
    tokens.take("brace", "'{' opening the strategy list", "{")
    actions: list[tuple[str, ...]] = []
    for player in players:
        if tokens.at("brace", "{"):
            names = _string_list(tokens, f"the strategy names of '{player}'")
        else:
            n = tokens.number(f"the number of strategies of '{player}'")
            if n.denominator != 1 or n < 1:
                tokens.pos -= 1
                raise tokens.error(f"a positive whole number of strategies for '{player}'")
            names = [str(i + 1) for i in range(int(n))]
        if not names:
            raise tokens.error(f"at least one strategy for '{player}'")
        if len(set(names)) != len(names) or "" in names:
            names = [name or str(i + 1) for i, name in enumerate(names)]
            if len(set(names)) != len(names):
                names = [f"{name}_{i + 1}" for i, name in enumerate(names)]
        actions.append(tuple(names))
    tokens.take("brace", "'}' closing the strategy list", "}")
    return tuple(actions)


def _listed_payoffs(tokens: _Tokens, n_players: int, count: int) -> np.ndarray:
    values = np.empty((count, n_players))
    for k in range(count):
        for p in range(n_players):
            values[k, p] = float(
                tokens.number(f"payoff {k * n_players + p + 1} of {count * n_players}")
            )
    return values


def _outcome_payoffs(tokens: _Tokens, n_players: int, count: int) -> np.ndarray:
    tokens.take("brace", "'{' opening the outcome list", "{")
    outcomes = [np.zeros(n_players)]  # outcome 0 is the null outcome
    while tokens.at("brace", "{"):
        tokens.take("brace", "'{'", "{")
        tokens.string("the outcome's name in double quotes")
        outcomes.append(
            np.array(
                [
                    float(tokens.number(f"payoff of player {p + 1} in outcome {len(outcomes)}"))
                    for p in range(n_players)
                ]
            )
        )
        tokens.take("brace", f"'}}' closing outcome {len(outcomes) - 1}", "}")
    tokens.take("brace", "'}' closing the outcome list", "}")
    values = np.empty((count, n_players))
    for k in range(count):
        number = tokens.number(f"the outcome number of profile {k + 1} of {count}")
        if number.denominator != 1 or not 0 <= number < len(outcomes):
            tokens.pos -= 1
            raise tokens.error(f"an outcome number between 0 and {len(outcomes) - 1}")
        values[k] = outcomes[int(number)]
    return values


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
