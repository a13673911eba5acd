"""Read ordinal scenario files (graph models for conflict resolution) into plain specs.

An ordinal scenario names decision makers, their options (the chip syntax of scenario files; a
chip without ``options`` is a yes/no option), infeasible states, irreversible moves, each
decision maker's preferences (prioritisation statements, an explicit ranking or values) and the
status quo. The schema is in ``docs/ordinal.md``::

    schema_version = 1
    title = "Elmira groundwater conflict"
    infeasible = ["delay and accept", "not (delay or accept or abandon)"]
    irreversible = { modify = "take", abandon = "take" }
    status_quo = "NYNNN"

    [players.MoE]
    [chips.modify]
    player = "MoE"
    [preferences.MoE]
    statements = ["not modify", "accept", "insist if not modify"]

This module checks the structure (unknown keys, types, sizes) and returns an :class:`OrdinalSpec`
of plain data; the analysis layer builds the graph model from it
(``gametheory.analysis.ordinal.GraphModel.from_spec``) and locates its errors with
:meth:`OrdinalSpec.locate`, so every error names the file, the key and the line. The I/O layer
sits below the analyses and does not import them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import GameTheoryError, ScenarioError
from ._files import read_text_limited

__all__ = [
    "MAX_ORDINAL_FILE_BYTES",
    "OrdinalSpec",
    "is_ordinal",
    "loads_ordinal",
    "read_ordinal",
]

#: Ordinal scenario files larger than this are refused before parsing.
MAX_ORDINAL_FILE_BYTES = 2_000_000
#: Deepest nesting accepted (a ranking with ties nests three deep).
_MAX_DEPTH = 8


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _Player(_Strict):
    description: str = ""


class _Chip(_Strict):
    player: str
    options: list[str] | None = None
    description: str = ""


class _Preference(_Strict):
    statements: list[str] | None = None
    ranking: list[Any] | None = None
    values: list[float] | None = None
    description: str = ""


class _OrdinalFile(_Strict):
    schema_version: Literal[1]
    title: str
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    infeasible: list[str] = Field(default_factory=list)
    irreversible: dict[str, Literal["take", "drop"]] = Field(default_factory=dict)
    status_quo: int | str | None = None
    players: dict[str, _Player]
    chips: dict[str, _Chip]
    preferences: dict[str, _Preference]


@dataclass(frozen=True)
class OrdinalSpec:
    """An ordinal scenario file, checked for structure, as plain data.

    Parameters
    ----------
    title, description, sources, notes
        Documentation.
    players
        Decision makers in file order.
    options
        ``(name, player, alternatives)`` per option in file order; a yes/no option has
        ``("N", "Y")``.
    infeasible
        Conditions (statements or Y/N/- patterns).
    irreversible
        ``{indicator: "take" | "drop"}``.
    statements, rankings, values
        Each decision maker's preferences, from one of the three sources.
    status_quo
        The status quo state, if given.
    source, text
        The file name and its text (to locate errors).
    """

    title: str
    players: tuple[str, ...]
    options: tuple[tuple[str, str, tuple[str, ...]], ...]
    infeasible: tuple[str, ...] = ()
    irreversible: dict[str, str] = field(default_factory=dict)
    statements: dict[str, tuple[str, ...]] = field(default_factory=dict)
    rankings: dict[str, list[Any]] = field(default_factory=dict)
    values: dict[str, tuple[float, ...]] = field(default_factory=dict)
    status_quo: int | str | None = None
    description: str = ""
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    source: str = "<string>"
    text: str = field(default="", repr=False)

    def locate(self, error: GameTheoryError) -> GameTheoryError:
        """The error with this file and the line of its key filled in."""
        return error.located(file=self.source, line=_find_line(self.text, error.key))


def read_ordinal(path: str | Path) -> OrdinalSpec:
    """Read an ordinal scenario file (``.toml``).

    Raises
    ------
    ScenarioError
        If the file cannot be read, is larger than :data:`MAX_ORDINAL_FILE_BYTES`, is not valid
        TOML or does not follow the schema; the message names the file, the key and the line.
    """
    text = read_text_limited(path, MAX_ORDINAL_FILE_BYTES, "an ordinal scenario file (.toml)")
    return loads_ordinal(text, source=str(path))


def is_ordinal(path: str | Path) -> bool:
    """Whether a ``.toml`` file is an ordinal scenario (it has ``[preferences.*]`` tables)."""
    text = read_text_limited(path, MAX_ORDINAL_FILE_BYTES, "a scenario file (.toml)")
    return re.search(r"^\s*\[\s*preferences\s*[.\]]", text, re.MULTILINE) is not None


def loads_ordinal(text: str, *, source: str = "<string>") -> OrdinalSpec:
    """Parse an ordinal scenario from TOML text (``source`` names it in errors)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise ScenarioError(f"malformed TOML: {message}", file=source, line=line) from None
    except (RecursionError, ValueError):
        raise ScenarioError(
            "malformed TOML: nested too deeply or a number too long to read", file=source
        ) from None
    if _depth(raw) > _MAX_DEPTH:
        raise ScenarioError(
            f"arrays or tables are nested more than {_MAX_DEPTH} levels deep", file=source
        )
    try:
        spec = _OrdinalFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(part) for part in first["loc"])
        kind = first["type"]
        if kind == "extra_forbidden":
            message = "unknown key"
        elif kind == "missing":
            message = "required key is missing"
        else:
            shown = repr(first.get("input"))
            message = f"{first['msg']} (got {shown[:60]})"
        more = len(exc.errors()) - 1
        if more:
            message += f" [and {more} more problem(s)]"
        raise ScenarioError(message, file=source, key=key, line=_find_line(text, key)) from None
    return _to_spec(spec, text, source)


def _to_spec(spec: _OrdinalFile, text: str, source: str) -> OrdinalSpec:
    statements: dict[str, tuple[str, ...]] = {}
    rankings: dict[str, list[Any]] = {}
    values: dict[str, tuple[float, ...]] = {}
    for dm, pref in spec.preferences.items():
        given = [x for x in (pref.statements, pref.ranking, pref.values) if x is not None]
        if len(given) != 1:
            key = f"preferences.{dm}"
            raise ScenarioError(
                "give exactly one of statements = [...], ranking = [...] or values = [...]",
                file=source,
                key=key,
                line=_find_line(text, key),
            )
        if pref.statements is not None:
            statements[dm] = tuple(pref.statements)
        elif pref.ranking is not None:
            rankings[dm] = list(pref.ranking)
        elif pref.values is not None:
            values[dm] = tuple(pref.values)
    options = tuple(
        (name, chip.player, tuple(chip.options) if chip.options is not None else ("N", "Y"))
        for name, chip in spec.chips.items()
    )
    return OrdinalSpec(
        title=spec.title,
        players=tuple(spec.players),
        options=options,
        infeasible=tuple(spec.infeasible),
        irreversible=dict(spec.irreversible),
        statements=statements,
        rankings=rankings,
        values=values,
        status_quo=spec.status_quo,
        description=spec.description,
        sources=tuple(spec.sources),
        notes=tuple(spec.notes),
        source=source,
        text=text,
    )


def _depth(value: Any) -> int:
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


def _find_line(text: str, key: str | None) -> int | None:
    """Line of a dotted key (``preferences.MoE.statements[2]`` -> its table or assignment)."""
    if not key:
        return None
    parts = [p for p in re.split(r"[.\[\]]", key) if p and not p.isdigit()]
    lines = text.splitlines()
    for depth in range(len(parts), 0, -1):
        header = re.compile(
            r"^\s*\[+\s*" + r"\s*\.\s*".join(map(re.escape, parts[:depth])) + r"\s*\]+"
        )
        name = re.escape(parts[depth - 1])
        assignment = re.compile(r"^\s*\"?" + name + r"\"?\s*=")
        inline = re.compile(r"[{,]\s*\"?" + name + r"\"?\s*=")
        for pattern in (header, assignment, inline):
            hits = [i + 1 for i, line in enumerate(lines) if pattern.search(line)]
            if len(hits) == 1:
                return _item_line(lines, hits[0], key)
            if len(hits) > 1 and depth > 1:
                # the assignment inside the parent's table
                parent = _find_line(text, ".".join(parts[: depth - 1]))
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
        text = lines[number - 1]
        if number == line:
            text = text.split("=", 1)[-1]
        seen += len(re.findall(r"\"(?:[^\"\\]|\\.)*\"|'[^']*'|-?\d+(?:\.\d+)?", text))
        if seen >= index:
            return number
    return line
