"""The model: the payoff-expression language, labelled games, scenarios and their stages.

The model imports nothing above it: no solver, no file format, no plotting (the
``import-linter`` contracts in ``pyproject.toml`` keep it so).
"""

from __future__ import annotations

from .expr import Expression, parse
from .game import DEFAULT_TOL, TIE_TOL, Game, Profile
from .scenario import Chip, Parameter, Scenario
from .stages import normal_form

__all__ = [
    "DEFAULT_TOL",
    "TIE_TOL",
    "Chip",
    "Expression",
    "Game",
    "Parameter",
    "Profile",
    "Scenario",
    "normal_form",
    "parse",
]
