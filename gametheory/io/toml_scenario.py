"""Read scenario files (TOML) into :class:`~gametheory.model.scenario.Scenario` objects.

The file schema (``schema_version = 1``) is documented in ``docs/scenario-files.md``. Parsing is
done by :mod:`tomllib`; the structure is validated by pydantic models that forbid unknown keys;
the payoffs are then compiled by the model, which checks shapes and expression names. Every error
is re-raised as one :class:`~gametheory.errors.ScenarioError` naming the file, the dotted key and,
where it can be found, the line.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import GameTheoryError, ScenarioError
from ..model.scenario import Chip, Parameter, Scenario
from ._files import read_text_limited

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "loads_scenario", "read_scenario"]

#: Scenario files larger than this are refused before parsing.
MAX_FILE_BYTES = 5_000_000
#: Deepest nesting of arrays and tables accepted (a payoff matrix of N players nests N + 2 deep).
MAX_DEPTH = 32


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class _ParameterSpec(_Strict):
    value: float
    min: float | None = None
    max: float | None = None
    unit: str = ""
    description: str = ""
    source: str = ""
    # A kind name ("uniform") or a table ({ kind = "pert", likely = 1.5 }); checked by the
    # model's Distribution, which names the offending key.
    distribution: Any = None


class _PlayerSpec(_Strict):
    actions: list[str] | None = None
    description: str = ""


class _ChipSpec(_Strict):
    player: str
    options: list[str]
    description: str = ""


class _TimingSpec(_Strict):
    kind: str = "simultaneous"
    stages: list[list[str]] = Field(default_factory=list)


class _ScenarioSpec(_Strict):
    schema_version: Literal[1]
    title: str
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    parameters: dict[str, _ParameterSpec] = Field(default_factory=dict)
    players: dict[str, _PlayerSpec]
    chips: dict[str, _ChipSpec] = Field(default_factory=dict)
    payoffs: dict[str, Any]
    timing: _TimingSpec = Field(default_factory=_TimingSpec)
    # [correlations] with dotted keys: defence_need.security_cost = 0.5 (rank correlation).
    correlations: dict[str, dict[str, Any]] = Field(default_factory=dict)

    @field_validator("parameters", mode="before")
    @classmethod
    def _bare_numbers(cls, value: Any) -> Any:
        """Allow ``tariff = 0.55`` as shorthand for ``tariff = { value = 0.55 }``."""
        if isinstance(value, dict):
            return {
                k: {"value": v} if isinstance(v, int | float) and not isinstance(v, bool) else v
                for k, v in value.items()
            }
        return value


def read_scenario(path: str | Path) -> Scenario:
    """Read a scenario TOML file.

    Parameters
    ----------
    path
        The ``.toml`` file.

    Raises
    ------
    ScenarioError
        If the file cannot be read, is not valid TOML, or does not follow the schema.
    """
    name = str(path)
    text = read_text_limited(path, MAX_FILE_BYTES, "a scenario file (.toml)")
    return loads_scenario(text, source=name)


def loads_scenario(text: str, *, source: str = "<string>") -> Scenario:
    """Parse scenario TOML from a string (``source`` names it in errors)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = re.search(r"\(at line (\d+), column (\d+)\)", message)
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
        raise ScenarioError(f"malformed TOML: {message}", file=source, line=line) from None
    except RecursionError:
        raise ScenarioError(
            f"arrays or tables are nested too deeply (the limit is {MAX_DEPTH} levels)",
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
    depth = _depth(raw)
    if depth > MAX_DEPTH:
        raise ScenarioError(
            f"arrays or tables are nested {depth} levels deep; the limit is {MAX_DEPTH}",
            file=source,
        )
    try:
        spec = _ScenarioSpec.model_validate(raw)
    except ValidationError as exc:
        raise _validation_error(exc, text, source) from None
    try:
        return _build(spec, source)
    except GameTheoryError as exc:
        line = _find_line(text, exc.key) if exc.key else None
        raise exc.located(file=source, line=line) from None


def _depth(value: Any) -> int:
    """How deeply lists and tables nest in parsed TOML (iterative: no recursion limit)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in children)
    return deepest


def _build(spec: _ScenarioSpec, source: str) -> Scenario:
    parameters = [Parameter(name, **p.model_dump()) for name, p in spec.parameters.items()]
    meta: dict[str, Any] = {
        "title": spec.title,
        "description": spec.description,
        "sources": tuple(spec.sources),
        "notes": tuple(spec.notes),
        "timing": spec.timing.kind,
        "stages": tuple(tuple(stage) for stage in spec.timing.stages),
        "path": source,
        "correlations": tuple(
            (first, second, rho)
            for first, inner in spec.correlations.items()
            for second, rho in inner.items()
        ),
    }
    with_actions = [p for p, s in spec.players.items() if s.actions is not None]
    if spec.chips:
        if with_actions:
            raise ScenarioError(
                "a scenario uses either chips or action lists, not both; remove 'actions' or "
                "the [chips] tables",
                key=f"players.{with_actions[0]}.actions",
            )
        chips = [
            Chip(name, c.player, tuple(c.options), c.description) for name, c in spec.chips.items()
        ]
        for player, payoff in spec.payoffs.items():
            if not isinstance(payoff, str | int | float) or isinstance(payoff, bool):
                raise ScenarioError(
                    "in chip form each payoff is one expression string over parameters and "
                    f"chip.option indicators; got {type(payoff).__name__}",
                    key=f"payoffs.{player}",
                )
        return Scenario.from_chips(list(spec.players), chips, spec.payoffs, parameters, **meta)
    missing = [p for p, s in spec.players.items() if s.actions is None]
    if missing:
        raise ScenarioError(
            "expected 'actions = [...]' for every player (or [chips.*] tables giving "
            "each player's options)",
            key=f"players.{missing[0]}",
        )
    players = {p: s.actions or [] for p, s in spec.players.items()}
    return Scenario.from_matrices(players, spec.payoffs, parameters, **meta)


def _validation_error(exc: ValidationError, text: str, source: str) -> ScenarioError:
    """Turn pydantic's report into one readable error (the first problem, plus a count)."""
    errors = exc.errors()
    first = errors[0]
    key = ".".join(str(part) for part in first["loc"])
    kind = first["type"]
    if kind == "extra_forbidden":
        message = "unknown key"
        parent = first["loc"][:-1]
        allowed = _allowed_keys(parent)
        if allowed:
            message += f"; allowed keys here are {', '.join(allowed)}"
    elif kind == "missing":
        message = "required key is missing"
    elif kind in ("model_type", "dict_type"):
        # pydantic names the internal model ("instance of _ParameterSpec"): say what to write.
        parameter = len(first["loc"]) == 2 and first["loc"][0] == "parameters"
        what = "a number or a table such as { value = 0.5, min = 0 }" if parameter else "a table"
        message = f"expected {what}, got {_shown(first.get('input'))}"
    elif kind == "literal_error" and key == "schema_version":
        message = f"schema_version must be 1, got {_shown(first.get('input'))}"
    else:
        message = f"{first['msg']} (got {_shown(first.get('input'))})"
    if len(errors) > 1:
        message += f" [and {len(errors) - 1} more problem(s)]"
    line = _find_line(text, key)
    return ScenarioError(message, file=source, key=key or None, line=line)


def _shown(value: Any) -> str:
    """A short repr of a value for an error message (a long one is cut, never echoed whole)."""
    try:
        text = repr(value)
    except ValueError:  # an integer beyond the int-to-str digit limit
        text = "a very long integer"
    return text if len(text) <= 80 else text[:77] + "..."


_MODELS: dict[str, type[BaseModel]] = {
    "": _ScenarioSpec,
    "parameters": _ParameterSpec,
    "players": _PlayerSpec,
    "chips": _ChipSpec,
    "timing": _TimingSpec,
}


def _allowed_keys(parent: tuple[Any, ...]) -> list[str]:
    model: type[BaseModel]
    if not parent:
        model = _ScenarioSpec
    elif parent[0] == "timing":
        model = _TimingSpec
    elif len(parent) == 2 and parent[0] in _MODELS:
        model = _MODELS[str(parent[0])]
    else:
        return []
    return list(model.model_fields)


def _find_line(text: str, key: str | None) -> int | None:
    """Best-effort line number of a dotted key in TOML text (None if not unique)."""
    if not key:
        return None
    parts = [p for p in re.split(r"[.\[\]]", key) if p and not p.isdigit()]
    if not parts:
        return None
    lines = text.splitlines()
    if parts[0] == "correlations" and len(parts) == 3:
        # A dotted key inside [correlations]: first.second = rho.
        dotted = re.compile(
            r"^\s*\"?" + re.escape(parts[1]) + r"\"?\s*\.\s*\"?" + re.escape(parts[2]) + r"\"?\s*="
        )
        hits = [i + 1 for i, line in enumerate(lines) if dotted.search(line)]
        if len(hits) == 1:
            return hits[0]
    # A table header such as [players.Row] or the key itself, innermost first.
    for depth in range(len(parts), 0, -1):
        name = re.escape(parts[depth - 1])
        header = re.compile(
            r"^\s*\[+\s*" + r"\s*\.\s*".join(map(re.escape, parts[:depth])) + r"\s*\]+"
        )
        assignment = re.compile(r"^\s*\"?" + name + r"\"?\s*=")
        inline = re.compile(r"[{,]\s*\"?" + name + r"\"?\s*=")
        for pattern in (header, assignment, inline):
            hits = [i + 1 for i, line in enumerate(lines) if pattern.search(line)]
            if len(hits) == 1:
                return hits[0]
    return None
