"""The one result type every solver returns, and what solvers hand to the dispatcher."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..model.game import Game, Profile
from ._display import result_html, result_text

__all__ = ["JSON_SCHEMA_ID", "Candidates", "SolveResult"]

#: Identifier written into every JSON result; bumped only on incompatible changes.
JSON_SCHEMA_ID = "gametheory.solve/1"


@dataclass
class Candidates:
    """What a solver function returns to :func:`gametheory.solve` before verification.

    Parameters
    ----------
    profiles
        Candidate equilibria, each a tuple of one probability vector per player.
    complete
        Whether the solver claims the list contains every equilibrium.
    warnings
        Messages about degeneracy, non-convergence or limits of the method.
    details
        Method-specific data (e.g. the value of a zero-sum game), JSON-serialisable.
    degenerate
        Whether the game was found degenerate (``None`` if not checked).
    """

    profiles: Sequence[tuple[NDArray[np.float64], ...]]
    complete: bool
    warnings: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    degenerate: bool | None = None


@dataclass(frozen=True, eq=False)
class SolveResult:
    """Equilibria of one game, with how they were found.

    Attributes
    ----------
    game
        The game solved.
    equilibria
        Verified equilibria (each passed the independent regret check), duplicates merged.
    method
        The solver that produced them (for ``auto``, the one it picked).
    options
        Options passed to the solver.
    tolerance
        Relative regret tolerance used (see :mod:`gametheory.model.game`).
    complete
        True only when the list is known to contain every equilibrium of the game.
    warnings
        Degeneracy, rejected candidates, non-convergence, method limits.
    degenerate
        Whether the game is degenerate (``None`` if not checked).
    parameters
        Parameter values the game was compiled at (empty for a plain game).
    details
        Method-specific extras (e.g. ``value`` for minimax, ``eliminated`` for iesds).
    """

    game: Game
    equilibria: tuple[Profile, ...]
    method: str
    options: Mapping[str, Any]
    tolerance: float
    complete: bool
    warnings: tuple[str, ...] = ()
    degenerate: bool | None = None
    parameters: Mapping[str, float] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))
        object.__setattr__(self, "equilibria", tuple(self.equilibria))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle support (read-only mappings are not picklable)."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for name in ("options", "parameters", "details"):
            fields[name] = dict(fields[name])
        return (_rebuild_result, (fields,))

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.equilibria)

    def __getitem__(self, index: int) -> Profile:
        return self.equilibria[index]

    def with_parameters(self, parameters: Mapping[str, float]) -> SolveResult:
        """A copy recording the parameter values the game was compiled at."""
        return SolveResult(
            self.game,
            self.equilibria,
            self.method,
            self.options,
            self.tolerance,
            self.complete,
            self.warnings,
            self.degenerate,
            parameters,
            self.details,
        )

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON structure (``docs/json-schema.md``) as plain data."""
        game = self.game
        return {
            "schema": JSON_SCHEMA_ID,
            "game": {
                "title": game.title,
                "players": list(game.players),
                "actions": {p: list(a) for p, a in zip(game.players, game.actions, strict=True)},
            },
            "parameters": {k: float(v) for k, v in self.parameters.items()},
            "method": self.method,
            "options": _plain(dict(self.options)),
            "tolerance": self.tolerance,
            "complete": self.complete,
            "degenerate": self.degenerate,
            "warnings": list(self.warnings),
            "equilibria": [eq.to_dict() for eq in self.equilibria],
            "details": _plain(dict(self.details)),
        }

    def to_json(self, indent: int | None = 2) -> str:
        """Serialise :meth:`to_dict` as JSON."""
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False)

    def __str__(self) -> str:
        return result_text(self)

    def __repr__(self) -> str:
        state = "complete" if self.complete else "not known to be complete"
        count = len(self.equilibria)
        noun = "equilibrium" if count == 1 else "equilibria"
        return f"<SolveResult {self.method}: {count} {noun}, {state}>"

    def _repr_html_(self) -> str:
        return result_html(self)


def _rebuild_result(fields: dict[str, Any]) -> SolveResult:
    return SolveResult(**fields)


def _plain(value: Any) -> Any:
    """Convert numpy scalars/arrays and tuples to JSON-friendly Python objects."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    return value
