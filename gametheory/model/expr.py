"""A small, whitelisted arithmetic language for payoff expressions.

Scenario files are data, never code. A payoff expression such as::

    defence_need * military_magnets.license - security_cost * ai_chips.relax

is parsed once into a tree of the few node types below and evaluated with numpy, so the same
expression evaluates over a whole array of parameter values at once. Nothing is ever passed to
``eval``; Python's parser is used only to tokenise, and any syntax outside the whitelist
(attribute access other than ``chip.option``, subscripts, lambdas, strings, keyword arguments,
function calls other than the listed functions) is rejected with a clear message.

The language
------------
- numbers (``3``, ``0.55``, ``1e-3``), parameter names, chip indicators ``chip.option``
  (1 where that option is chosen, else 0);
- ``+ - * / **``, unary ``-`` and ``+``;
- comparisons ``< <= > >= == !=`` (giving 1 or 0; chains such as ``0 < x < 1`` are allowed);
- ``and``, ``or``, ``not`` on such 0/1 values;
- functions ``min(a, b, ...)``, ``max(a, b, ...)``, ``abs(x)``, ``exp(x)``, ``log(x)``,
  ``where(cond, a, b)``, and the conditional ``a if cond else b``.

Both branches of ``where`` and ``if``/``else`` are evaluated (they are vectorised), and the
result is checked: a value that is not finite at the evaluated point (division by zero, log of a
non-positive number, overflow) raises :class:`~gametheory.errors.ExpressionError`.
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ExpressionError

__all__ = ["Expression", "parse"]

MAX_LENGTH = 10_000
#: Longest stretch of an expression quoted in an error message.
SHOWN = 80

_BINARY: dict[type[ast.operator], tuple[str, Callable[[Any, Any], Any]]] = {
    ast.Add: ("+", operator.add),
    ast.Sub: ("-", operator.sub),
    ast.Mult: ("*", operator.mul),
    ast.Div: ("/", operator.truediv),
    ast.Pow: ("**", np.power),
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], Any]] = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
    ast.Eq: np.equal,
    ast.NotEq: np.not_equal,
}
_FUNCTIONS: dict[str, tuple[int, int | None]] = {
    # name: (min args, max args or None for any)
    "min": (1, None),
    "max": (1, None),
    "abs": (1, 1),
    "exp": (1, 1),
    "log": (1, 1),
    "where": (3, 3),
}

Value = NDArray[np.float64] | float
Node = tuple[Any, ...]


@dataclass(frozen=True)
class Expression:
    """A parsed payoff expression.

    Use :func:`parse` to build one. ``names`` lists every parameter name and chip indicator
    (``chip.option``) the expression refers to.

    Examples
    --------
    >>> e = parse("defence_need * magnets.license - 2")
    >>> sorted(e.names)
    ['defence_need', 'magnets.license']
    >>> float(e.evaluate({"defence_need": 8.0, "magnets.license": 1.0}))
    6.0
    """

    text: str
    tree: Node
    names: frozenset[str]

    def check_names(self, known: Iterable[str]) -> None:
        """Raise :class:`ExpressionError` if the expression uses a name not in ``known``."""
        known = set(known)
        unknown = sorted(self.names - known)
        if unknown:
            name = unknown[0]
            close = difflib.get_close_matches(name, sorted(known), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            listing = ", ".join(sorted(known)[:20]) or "(none)"
            if len(known) > 20:
                listing += f" and {len(known) - 20:,} more"
            raise ExpressionError(
                f"unknown name '{_shown(name)}' in expression '{_shown(self.text)}'{hint}. "
                f"Known names: {listing}"
            )

    def work(self, shapes: Mapping[str, tuple[int, ...]]) -> int:
        """Array elements :meth:`evaluate` computes when the names have these shapes.

        A cost estimate, made before any array is built: every operation costs the size of its
        broadcast result times its number of operands; numbers and names cost nothing.

        Examples
        --------
        >>> parse("a * b + 1").work({"a": (1, 3, 1), "b": (1, 1, 4)})  # (3 x 4) x 2 operands x 2
        48
        """
        # Iterative (post-order with an explicit stack): a tree nested as deeply as the parser
        # allows must not exhaust the interpreter's stack when called from deeper code.
        total = 0
        shapes_of: list[tuple[int, ...]] = []  # the shapes of the operands computed so far
        stack: list[tuple[Node, bool]] = [(self.tree, False)]
        while stack:
            node, expanded = stack.pop()
            if node[0] == "num":
                shapes_of.append(())
            elif node[0] == "name":
                shapes_of.append(tuple(shapes.get(node[1], ())))
            elif not expanded:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(_children(node)))
            else:
                count = len(_children(node))
                first = len(shapes_of) - count
                shape = tuple(np.broadcast_shapes(*shapes_of[first:]))
                del shapes_of[first:]
                total += math.prod(shape) * count
                shapes_of.append(shape)
        return total

    def evaluate(self, env: Mapping[str, Value], *, check: bool = True) -> NDArray[np.float64]:
        """Evaluate with numpy broadcasting; raise if the result is not finite.

        Parameters
        ----------
        env
            Value (scalar or array) of every name in :attr:`names`.
        check
            If False, return non-finite values instead of raising (sweeps mark such points).

        Returns
        -------
        numpy.ndarray
            The broadcast result as float64.
        """
        if self.tree[0] == "num" and math.isfinite(self.tree[1]):
            return np.asarray(self.tree[1], dtype=np.float64)  # a constant: nothing to check
        problems: list[str] = []
        with np.errstate(all="ignore"):
            result = np.asarray(_eval(self.tree, env, problems), dtype=np.float64)
        if check and not np.all(np.isfinite(result)):
            reason = "; ".join(dict.fromkeys(problems)) or "overflow or undefined arithmetic"
            raise ExpressionError(
                f"expression '{_shown(self.text)}' is not a finite number at the evaluated "
                f"point ({reason})"
            )
        return result


def parse(text: str | float | int) -> Expression:
    """Parse an expression (or wrap a number) into an :class:`Expression`.

    Raises
    ------
    ExpressionError
        On syntax outside the whitelisted language.
    """
    if isinstance(text, bool):
        raise ExpressionError(f"expected a number or an expression, got the boolean {text}")
    if isinstance(text, int | float):
        value = _finite_float(text)
        if not np.isfinite(value):
            raise ExpressionError(f"expected a finite number, got {text}")
        return Expression(repr(text), ("num", value), frozenset())
    if not isinstance(text, str):
        raise ExpressionError(
            f"expected a number or an expression string, got {type(text).__name__}"
        )
    # Expressions may span lines in a TOML multi-line string; whitespace is not significant.
    source = " ".join(text.split())
    if "#" in source:
        raise ExpressionError(f"'#' is not allowed in expression '{_shown(source)}' (no comments)")
    if not source:
        raise ExpressionError("empty expression; expected a number or an arithmetic expression")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters")
    normal = unicodedata.normalize("NFKC", source)
    if normal != source:
        # Python's parser silently reads identifiers in NFKC form ('ｘ' as 'x'): refuse instead.
        raise ExpressionError(
            f"expression '{_shown(source)}' contains characters that Unicode normalisation "
            f"(NFKC) changes, so names would not be looked up as typed; write '{_shown(normal)}'"
        )
    try:
        module = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        column = f" at column {exc.offset}" if exc.offset else ""
        raise ExpressionError(
            f"cannot parse expression '{_shown(source)}'{column}: {exc.msg}"
        ) from None
    except (RecursionError, MemoryError):
        raise ExpressionError(f"expression '{_shown(source)}' is too deeply nested") from None
    except ValueError as exc:  # e.g. a NUL character, on Python versions that raise ValueError
        raise ExpressionError(f"cannot parse expression '{_shown(source)}': {exc}") from None
    names: set[str] = set()
    try:
        tree = _convert(module.body, source, names)
    except RecursionError:
        raise ExpressionError(f"expression '{_shown(source)}' is too deeply nested") from None
    return Expression(source, tree, frozenset(names))


def _shown(text: str) -> str:
    """``text`` shortened for an error message (a long expression is not echoed whole)."""
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


def _finite_float(number: int | float) -> float:
    """``number`` as a float; an integer beyond float64's range is an :class:`ExpressionError`.

    Python integers have no size limit (TOML and expressions can hold a 400-digit one), and
    ``float()`` of such a number raises :class:`OverflowError`.
    """
    try:
        return float(number)
    except OverflowError:
        # str() of an integer beyond 4,300 digits raises, so describe it by its size.
        digits = int((abs(int(number)).bit_length() - 1) * math.log10(2)) + 1
        raise ExpressionError(
            f"an integer of about {digits:,} digits is outside the range of a 64-bit float "
            "(magnitudes up to about 1.8e308)"
        ) from None


def _reject(node: ast.AST, source: str, what: str) -> ExpressionError:
    fragment = ast.get_source_segment(source, node) or type(node).__name__
    return ExpressionError(
        f"'{_shown(fragment)}' in expression '{_shown(source)}' is not allowed: {what}. "
        "Expressions may use numbers, parameter names, chip.option indicators, + - * / **, "
        "comparisons, and/or/not, min, max, abs, exp, log, where(cond, a, b) and 'a if cond else b'"
    )


def _convert(node: ast.AST, source: str, names: set[str]) -> Node:
    """Translate a Python AST node into the whitelisted node tuples."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise _reject(node, source, "only numeric constants are allowed")
        try:
            return ("num", _finite_float(node.value))
        except ExpressionError as exc:
            raise ExpressionError(f"{exc.message} (in expression '{_shown(source)}')") from None
    if (isinstance(node, ast.Name) and "__" in node.id) or (
        isinstance(node, ast.Attribute)
        and ("__" in node.attr or (isinstance(node.value, ast.Name) and "__" in node.value.id))
    ):
        # Checked on the names themselves: ast.unparse() here cost a third of parsing a
        # matrix of expressions.
        raise _reject(node, source, "names with double underscores are not allowed")
    if isinstance(node, ast.Name):
        names.add(node.id)
        return ("name", node.id)
    if isinstance(node, ast.Attribute):
        if not isinstance(node.value, ast.Name):
            raise _reject(node, source, "only 'chip.option' indicators may use a dot")
        dotted = f"{node.value.id}.{node.attr}"
        names.add(dotted)
        return ("name", dotted)
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise _reject(node, source, "unsupported operator")
        return (
            "bin",
            type(node.op),
            _convert(node.left, source, names),
            _convert(node.right, source, names),
        )
    if isinstance(node, ast.UnaryOp):
        operand = _convert(node.operand, source, names)
        if isinstance(node.op, ast.USub):
            return ("neg", operand)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(node.op, ast.Not):
            return ("not", operand)
        raise _reject(node, source, "unsupported unary operator")
    if isinstance(node, ast.BoolOp):
        kind = "and" if isinstance(node.op, ast.And) else "or"
        return (kind, tuple(_convert(v, source, names) for v in node.values))
    if isinstance(node, ast.Compare):
        ops = []
        for op in node.ops:
            if type(op) not in _COMPARE:
                raise _reject(node, source, "unsupported comparison")
            ops.append(type(op))
        operands = [node.left, *node.comparators]
        return (
            "cmp",
            tuple(ops),
            tuple(_convert(o, source, names) for o in operands),
        )
    if isinstance(node, ast.IfExp):
        return (
            "where",
            _convert(node.test, source, names),
            _convert(node.body, source, names),
            _convert(node.orelse, source, names),
        )
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            raise _reject(node, source, "unknown function")
        if node.keywords:
            raise _reject(node, source, "keyword arguments are not allowed")
        name = node.func.id
        low, high = _FUNCTIONS[name]
        count = len(node.args)
        if count < low or (high is not None and count > high):
            expected = str(low) if low == high else f"at least {low}"
            raise _reject(node, source, f"{name}() takes {expected} argument(s), got {count}")
        args = tuple(_convert(a, source, names) for a in node.args)
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise _reject(node, source, "starred arguments are not allowed")
        return ("call", name, args)
    raise _reject(node, source, f"{type(node).__name__} syntax is not part of the language")


def _children(node: Node) -> tuple[Node, ...]:
    """The operands of an operation node (see :func:`_convert` for the node layout)."""
    kind = node[0]
    if kind in ("neg", "not"):
        return (node[1],)
    if kind == "bin":
        return (node[2], node[3])
    if kind in ("cmp", "call"):
        return tuple(node[2])
    if kind in ("and", "or"):
        return tuple(node[1])
    if kind == "where":
        return (node[1], node[2], node[3])
    raise AssertionError(f"unknown node {kind}")  # pragma: no cover


def _as_float(value: Any) -> Any:
    return np.asarray(value, dtype=np.float64)


def _eval(node: Node, env: Mapping[str, Value], problems: list[str]) -> Any:
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "name":
        return env[node[1]]
    if kind == "neg":
        return -_as_float(_eval(node[1], env, problems))
    if kind == "bin":
        op = node[1]
        left = _eval(node[2], env, problems)
        right = _eval(node[3], env, problems)
        if op is ast.Div and np.any(np.asarray(right) == 0):
            problems.append("division by zero")
        if op is ast.Pow:
            return np.power(_as_float(left), _as_float(right))
        return _BINARY[op][1](_as_float(left), _as_float(right))
    if kind == "cmp":
        values = [_as_float(_eval(o, env, problems)) for o in node[2]]
        result: Any = 1.0
        for op, a, b in zip(node[1], values[:-1], values[1:], strict=True):
            result = np.logical_and(result, _COMPARE[op](a, b))
        return _as_float(result)
    if kind == "not":
        return _as_float(np.logical_not(_eval(node[1], env, problems)))
    if kind in ("and", "or"):
        func = np.logical_and if kind == "and" else np.logical_or
        values = [_eval(v, env, problems) for v in node[1]]
        acc = values[0]
        for v in values[1:]:
            acc = func(acc, v)
        return _as_float(acc)
    if kind == "where":
        cond = _eval(node[1], env, problems)
        return np.where(
            np.asarray(cond) != 0, _eval(node[2], env, problems), _eval(node[3], env, problems)
        )
    if kind == "call":
        return _call(node[1], [_eval(a, env, problems) for a in node[2]], problems)
    raise AssertionError(f"unknown node {kind}")  # pragma: no cover


def _call(name: str, args: list[Any], problems: list[str]) -> Any:
    if name == "min":
        return _reduce(np.minimum, args)
    if name == "max":
        return _reduce(np.maximum, args)
    if name == "abs":
        return np.abs(_as_float(args[0]))
    if name == "exp":
        return np.exp(_as_float(args[0]))
    if name == "log":
        if np.any(_as_float(args[0]) <= 0):
            problems.append("log of a non-positive number")
        return np.log(_as_float(args[0]))
    cond, a, b = args
    return np.where(np.asarray(cond) != 0, a, b)


def _reduce(func: Callable[[Any, Any], Any], args: list[Any]) -> Any:
    acc = _as_float(args[0])
    for value in args[1:]:
        acc = func(acc, _as_float(value))
    return acc
