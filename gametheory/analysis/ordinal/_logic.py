"""Logical statements over option indicators, evaluated over every state at once.

The language of infeasibility conditions and preference statements (option prioritisation):

* an option indicator: ``modify`` (a yes/no option taken), ``tariff.high`` (a chip set to an
  alternative), or a 1-based option number ``3`` (the third yes/no option taken), as in GMCR II;
* ``not X`` (also ``-X``, ``~X``, ``!X``), ``X and Y`` (also ``&``), ``X or Y`` (also ``|``);
* ``X if Y`` (``X`` holds whenever ``Y`` does: ``Y`` implies ``X``), ``X implies Y``,
  ``X iff Y`` (both or neither), one of these per level, parentheses to nest.

``not`` binds tightest, then ``and``, then ``or``, then ``if``/``implies``/``iff``. Statements
are parsed by a small recursive-descent parser (never ``eval``), at most
:data:`MAX_STATEMENT_CHARS` characters and :data:`MAX_DEPTH` levels of nesting.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ...errors import ExpressionError

__all__ = ["MAX_DEPTH", "MAX_STATEMENT_CHARS", "Statement", "parse_statement"]

#: Longest statement accepted, in characters.
MAX_STATEMENT_CHARS = 2_000
#: Deepest nesting of parentheses and prefix negations accepted.
MAX_DEPTH = 50

BoolArray = NDArray[np.bool_]
#: Resolves an indicator name (or option number as text) to its truth value over the states.
Resolver = Callable[[str], BoolArray]

_TOKEN = re.compile(
    r"\s*(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)?)|(?P<number>[0-9]+)"
    r"|(?P<op>[()&|!~-]))"
)
_WORDS = {"and": "&", "or": "|", "not": "!", "if": "if", "iff": "iff", "implies": "implies"}


@dataclass(frozen=True)
class _Node:
    op: str
    args: tuple[_Node, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Statement:
    """A parsed statement: its text and the indicator names it uses.

    Parameters
    ----------
    text
        The statement as written.
    names
        Indicator names (or option numbers as text) it refers to, in order of appearance.
    """

    text: str
    names: tuple[str, ...]
    _tree: _Node

    def evaluate(self, resolve: Resolver) -> BoolArray:
        """The statement's truth value over the states (``resolve`` gives each indicator)."""
        return _evaluate(self._tree, resolve)


def _short(text: str) -> str:
    """The statement for a message: quoted, cut to 80 characters."""
    return repr(text if len(text) <= 80 else text[:77] + "...")


def parse_statement(text: str) -> Statement:
    """Parse one statement of the option language.

    Raises
    ------
    ExpressionError
        If the statement is empty, too long, too deep, or not well formed; the message quotes
        the position.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"expected a statement as text, got {type(text).__name__}")
    if len(text) > MAX_STATEMENT_CHARS:
        raise ExpressionError(
            f"statement is {len(text):,} characters long; the limit is {MAX_STATEMENT_CHARS:,}"
        )
    tokens, written = _tokenise(text)
    if not tokens:
        raise ExpressionError("empty statement; expected options joined by and/or/not/if")
    parser = _Parser(text, tokens, written)
    tree = parser.implication(0)
    if parser.pos != len(tokens):
        raise ExpressionError(
            f"unexpected '{written[parser.pos]}' in statement {_short(text)}; expected and, or, "
            "if, iff, implies or the end"
        )
    names: list[str] = []
    _collect(tree, names)
    return Statement(text, tuple(names), tree)


def _tokenise(text: str) -> tuple[list[str], list[str]]:
    """The statement's tokens (words as operators) and each token as written (for messages)."""
    tokens: list[str] = []
    written: list[str] = []
    pos = 0
    stripped = text.rstrip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if match is None:
            raise ExpressionError(
                f"cannot read statement {_short(text)} at character {pos + 1}: expected an option "
                "name, a number, parentheses or one of and/or/not/if/iff/implies/&/|/-"
            )
        pos = match.end()
        written.append(match.group().strip())
        word = match.group("name")
        if word is not None:
            tokens.append(_WORDS.get(word.lower(), word))
        else:
            tokens.append(match.group("number") or match.group("op"))
    return tokens, written


class _Parser:
    def __init__(self, text: str, tokens: list[str], written: list[str]) -> None:
        self.text = text
        self.tokens = tokens
        self.written = written
        self.pos = 0

    def _peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def implication(self, depth: int) -> _Node:
        left = self.disjunction(depth)
        op = self._peek()
        if op in ("if", "iff", "implies"):
            self.pos += 1
            right = self.disjunction(depth)
            assert op is not None
            if self._peek() in ("if", "iff", "implies"):
                raise ExpressionError(
                    f"statement {_short(self.text)} chains two of if/iff/implies; add parentheses"
                )
            return _Node(op, (left, right))
        return left

    def disjunction(self, depth: int) -> _Node:
        args = [self.conjunction(depth)]
        while self._peek() == "|":
            self.pos += 1
            args.append(self.conjunction(depth))
        return args[0] if len(args) == 1 else _Node("|", tuple(args))

    def conjunction(self, depth: int) -> _Node:
        args = [self.unary(depth)]
        while self._peek() == "&":
            self.pos += 1
            args.append(self.unary(depth))
        return args[0] if len(args) == 1 else _Node("&", tuple(args))

    def unary(self, depth: int) -> _Node:
        if depth > MAX_DEPTH:
            raise ExpressionError(
                f"statement {_short(self.text)} nests deeper than {MAX_DEPTH} levels"
            )
        token = self._peek()
        if token is None:
            raise ExpressionError(
                f"statement {_short(self.text)} ends too early; expected an option"
            )
        if token in ("!", "~", "-"):
            self.pos += 1
            return _Node("!", (self.unary(depth + 1),))
        if token == "(":
            self.pos += 1
            inner = self.implication(depth + 1)
            if self._peek() != ")":
                raise ExpressionError(f"statement {_short(self.text)} is missing a ')'")
            self.pos += 1
            return inner
        if token in (")", "&", "|", "if", "iff", "implies"):
            raise ExpressionError(
                f"unexpected '{self.written[self.pos]}' in statement {_short(self.text)}; "
                "expected an option"
            )
        self.pos += 1
        return _Node("name", name=token)


def _collect(node: _Node, names: list[str]) -> None:
    if node.op == "name":
        if node.name not in names:
            names.append(node.name)
        return
    for arg in node.args:
        _collect(arg, names)


def _evaluate(node: _Node, resolve: Resolver) -> BoolArray:
    if node.op == "name":
        return resolve(node.name)
    values = [_evaluate(arg, resolve) for arg in node.args]
    if node.op == "!":
        return ~values[0]
    if node.op == "&":
        return np.asarray(np.logical_and.reduce(values), dtype=bool)
    if node.op == "|":
        return np.asarray(np.logical_or.reduce(values), dtype=bool)
    left, right = values
    if node.op == "if":
        return left | ~right
    if node.op == "implies":
        return ~left | right
    return np.asarray(left == right)
