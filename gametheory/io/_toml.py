"""What the TOML readers share.

Parsing with located errors, the strict pydantic base, the parameter table, pydantic's report
turned into one error, and finding a key's line.

Scenario files (:mod:`.toml_scenario`), tree scenarios (:mod:`.toml_tree`) and ordinal scenarios
(:mod:`.ordinal`) differ in their schemas, not in how a malformed file is reported: every error
names the file, the key and, where it can be found, the line.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import ScenarioError

__all__ = [
    "ParameterSpec",
    "Strict",
    "bare_numbers",
    "depth",
    "find_line",
    "parse_toml",
    "pydantic_error",
    "shown",
]


class Strict(BaseModel):
    """A table with exactly the declared keys, of exactly the declared types."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ParameterSpec(Strict):
    """One ``[parameters]`` entry; its numbers are checked by the model's ``Parameter``."""

    value: float
    min: float | None = None
    max: float | None = None
    unit: str = ""
    description: str = ""
    source: str = ""
    # A kind name ("uniform") or a table ({ kind = "pert", likely = 1.5 }); checked by the
    # model's Distribution, which names the offending key.
    distribution: Any = None


def bare_numbers(value: Any) -> Any:
    """Allow ``tariff = 0.55`` as shorthand for ``tariff = { value = 0.55 }``."""
    if isinstance(value, dict):
        return {
            k: {"value": v} if isinstance(v, int | float) and not isinstance(v, bool) else v
            for k, v in value.items()
        }
    return value


def parse_toml(text: str, source: str, max_depth: int, hint: str = "") -> dict[str, Any]:
    """Parse TOML text; a malformed file becomes one :class:`ScenarioError` with its line.

    ``hint`` is added to tomllib's complaint about a key given twice.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        if hint and ("overwrite" in message or "declare" in message):
            message += f" ({hint})"
        raise ScenarioError(f"malformed TOML: {message}", file=source, line=line) from None
    except RecursionError:
        raise ScenarioError(
            f"arrays or tables are nested too deeply (the limit is {max_depth} levels)",
            file=source,
        ) from None
    except ValueError:
        # tomllib lets int() refuse an integer of more than sys.get_int_max_str_digits() digits.
        limit = sys.get_int_max_str_digits()
        long = re.search(rf"\d[\d_]{{{max(limit - 1, 1)},}}", text)
        line = text.count("\n", 0, long.start()) + 1 if long else None
        raise ScenarioError(
            f"malformed TOML: an integer has more than {limit:,} digits, too many to read; "
            "numbers must lie within the range of a 64-bit float (magnitudes up to about 1.8e308)",
            file=source,
            line=line,
        ) from None
    deepest = depth(raw)
    if deepest > max_depth:
        raise ScenarioError(
            f"arrays or tables are nested {deepest} levels deep; the limit is {max_depth}",
            file=source,
        )
    return raw


def depth(value: Any) -> int:
    """How deeply lists and tables nest in parsed TOML (iterative: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        children: Any
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in children)
    return deepest


def shown(value: Any) -> str:
    """A short repr of a value for an error message (a long one is cut, never echoed whole)."""
    try:
        text = repr(value)
    except ValueError:  # an integer beyond the int-to-str digit limit
        text = "a very long integer"
    return text if len(text) <= 80 else text[:77] + "..."


def pydantic_error(
    exc: ValidationError,
    text: str,
    source: str,
    allowed: Callable[[tuple[Any, ...]], list[str]] = lambda parent: [],
    line: Callable[[str, str | None], int | None] | None = None,
) -> ScenarioError:
    """Pydantic's report as one readable error: the first problem, its line, and a count.

    ``allowed(parent)`` lists the keys a table accepts (for "unknown key" messages); ``line``
    finds a key's line (default :func:`find_line`).
    """
    errors = exc.errors()
    first = errors[0]
    key = ".".join(str(part) for part in first["loc"])
    kind = first["type"]
    if kind == "extra_forbidden":
        message = "unknown key"
        keys = allowed(first["loc"][:-1])
        if keys:
            message += f"; allowed keys here are {', '.join(keys)}"
    elif kind == "missing":
        message = "required key is missing"
    elif kind in ("model_type", "dict_type"):
        # pydantic names the internal model ("instance of ParameterSpec"): say what to write.
        parameter = len(first["loc"]) == 2 and first["loc"][0] == "parameters"
        what = "a number or a table such as { value = 0.5, min = 0 }" if parameter else "a table"
        message = f"expected {what}, got {shown(first.get('input'))}"
    elif kind == "literal_error" and key == "schema_version":
        message = f"schema_version must be 1, got {shown(first.get('input'))}"
    else:
        message = f"{first['msg']} (got {shown(first.get('input'))})"
    if len(errors) > 1:
        message += f" [and {len(errors) - 1} more problem(s)]"
    where = (line or find_line)(text, key)
    return ScenarioError(message, file=source, key=key or None, line=where)


def find_line(text: str, key: str | None) -> int | None:
    """Best-effort line of a dotted key in TOML text (``None`` when it cannot be told).

    ``players.Row.actions`` finds the ``[players.Row]`` header or the ``actions =`` line;
    ``preferences.MoE.statements[2]`` finds the third item of a multi-line array;
    ``correlations.a.b`` finds the dotted key ``a.b = ...``.
    """
    if not key:
        return None
    parts = [p for p in re.split(r"[.\[\]]", key) if p and not p.isdigit()]
    if not parts:
        return None
    lines = text.splitlines()
    if parts[0] == "correlations" and len(parts) == 3:
        dotted = re.compile(
            r"^\s*\"?"
            + re.escape(parts[1])
            + r"\"?\s*\.\s*\"?"
            + re.escape(parts[2])
            + r"\"?\s*[=.]"  # ``a.b = r``, or ``a.b.c = r`` (a value that is a table)
        )
        hits = [i + 1 for i, line in enumerate(lines) if dotted.search(line)]
        if len(hits) == 1:
            return hits[0]
    # A table header such as [players.Row] or the key itself, innermost first.
    for level in range(len(parts), 0, -1):
        header = re.compile(
            r"^\s*\[+\s*" + r"\s*\.\s*".join(map(re.escape, parts[:level])) + r"\s*\]+"
        )
        name = re.escape(parts[level - 1])
        assignment = re.compile(r"^\s*\"?" + name + r"\"?\s*=")
        inline = re.compile(r"[{,]\s*\"?" + name + r"\"?\s*=")
        for pattern in (header, assignment, inline):
            hits = [i + 1 for i, line in enumerate(lines) if pattern.search(line)]
            if len(hits) == 1:
                return _item_line(lines, hits[0], key)
            if len(hits) > 1 and level > 1:
                # Several: the first inside the parent's table.
                parent = find_line(text, ".".join(parts[: level - 1]))
                after = [h for h in hits if parent is not None and h >= parent]
                if after:
                    return _item_line(lines, after[0], key)
    return None


def _item_line(lines: list[str], line: int, key: str) -> int:
    """For ``key[k]`` in a multi-line array starting at ``line``, the line of item k."""
    match = re.search(r"\[(\d+)\]$", key)
    if not match:
        return line
    index = int(match.group(1))
    seen = -1
    for number in range(line, min(len(lines), line + 500) + 1):
        content = lines[number - 1]
        if number == line:
            content = content.split("=", 1)[-1]
        seen += len(re.findall(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'|-?\d+(?:\.\d+)?", content))
        if seen >= index:
            return number
    return line
