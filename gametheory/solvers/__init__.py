"""Equilibrium solvers behind one dispatcher.

Importing this package registers every solver; :func:`solve` is the entry point and
:func:`methods` lists what is available.
"""

from __future__ import annotations

from . import (  # noqa: F401  (registers)
    _gambit,
    _nashpy,
    dominance,
    enumeration,
    lemke_howson,
    minimax,
    polyenum,
    pure,
    qre,
    sequence_form,
    sequence_lp,
)
from .dominance import DominanceResult, iterated_dominance
from .enumeration import is_degenerate
from .registry import SolverInfo, choose_method, methods, register, solve
from .result import JSON_SCHEMA_ID, Candidates, SolveResult

__all__ = [
    "JSON_SCHEMA_ID",
    "Candidates",
    "DominanceResult",
    "SolveResult",
    "SolverInfo",
    "choose_method",
    "is_degenerate",
    "iterated_dominance",
    "methods",
    "register",
    "solve",
]
