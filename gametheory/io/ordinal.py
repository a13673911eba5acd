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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from ..errors import GameTheoryError, ScenarioError
from ._files import read_text_limited
from ._toml import Strict, find_line, parse_toml, pydantic_error

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


class _Player(Strict):
    description: str = ""


class _Chip(Strict):
    player: str
    options: list[str] | None = None
    description: str = ""


class _Preference(Strict):
    statements: list[str] | None = None
    ranking: list[Any] | None = None
    values: list[float] | None = None
    description: str = ""


class _OrdinalFile(Strict):
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
        return error.located(file=self.source, line=find_line(self.text, error.key))


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
    raw = parse_toml(text, source, _MAX_DEPTH)
    try:
        spec = _OrdinalFile.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, text, source) from None
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
                line=find_line(text, key),
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
