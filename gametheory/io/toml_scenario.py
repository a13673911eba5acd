"""Read scenario files (TOML) into :class:`~gametheory.model.scenario.Scenario` objects.

The file schema (``schema_version = 1``) is documented in ``docs/scenario-files.md``. Parsing is
done by :mod:`tomllib`; the structure is validated by pydantic models that forbid unknown keys;
the payoffs are then compiled by the model, which checks shapes and expression names. Every error
is re-raised as one :class:`~gametheory.errors.ScenarioError` naming the file, the dotted key and,
where it can be found, the line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator

from ..errors import GameTheoryError, ScenarioError
from ..model.scenario import Chip, Parameter, Scenario
from ._files import read_text_limited
from ._toml import (
    ParameterSpec,
    Strict,
    bare_numbers,
    find_line,
    parse_toml,
    pydantic_error,
)

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "loads_scenario", "read_scenario"]

#: Scenario files larger than this are refused before parsing.
MAX_FILE_BYTES = 5_000_000
#: Deepest nesting of arrays and tables accepted (a payoff matrix of N players nests N + 2 deep).
MAX_DEPTH = 32


class _PlayerSpec(Strict):
    actions: list[str] | None = None
    description: str = ""


class _ChipSpec(Strict):
    player: str
    options: list[str]
    description: str = ""


class _TimingSpec(Strict):
    kind: str = "simultaneous"
    stages: list[list[str]] = Field(default_factory=list)


class _ScenarioSpec(Strict):
    schema_version: Literal[1]
    title: str
    description: str = ""
    sources: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    parameters: dict[str, ParameterSpec] = Field(default_factory=dict)
    players: dict[str, _PlayerSpec]
    chips: dict[str, _ChipSpec] = Field(default_factory=dict)
    payoffs: dict[str, Any]
    timing: _TimingSpec = Field(default_factory=_TimingSpec)
    # [correlations] with dotted keys: defence_need.security_cost = 0.5 (rank correlation).
    correlations: dict[str, dict[str, Any]] = Field(default_factory=dict)

    _bare_numbers = field_validator("parameters", mode="before")(bare_numbers)


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
    raw = parse_toml(text, source, MAX_DEPTH)
    try:
        spec = _ScenarioSpec.model_validate(raw)
    except ValidationError as exc:
        raise pydantic_error(exc, text, source, _allowed_keys) from None
    try:
        return _build(spec, source)
    except GameTheoryError as exc:
        line = find_line(text, exc.key) if exc.key else None
        raise exc.located(file=source, line=line) from None


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


_MODELS: dict[str, type[BaseModel]] = {
    "": _ScenarioSpec,
    "parameters": ParameterSpec,
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
