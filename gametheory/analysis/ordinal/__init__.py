"""Conflict analysis when only rankings are known: the graph model for conflict resolution.

Issue 13. :class:`GraphModel` (decision makers, options, feasible states, irreversible moves,
rankings by option prioritisation, explicit ranking or a chip scenario's payoffs), :func:`analyse`
(Nash, GMR, SMR, SEQ and SIM stability of every state for every decision maker) and
:func:`coalitions` (coalition Nash and coalition SEQ), and :func:`sanctions`, :func:`evolution`
and :func:`inverse` to explain and reverse-engineer the results. See ``docs/ordinal.md``.
"""

from __future__ import annotations

from .explain import Edit, Sanction, Step, evolution, inverse, sanctions, with_statements
from .model import GraphModel, Irreversible, Option
from .stability import (
    CONCEPTS,
    CoalitionStability,
    Stability,
    analyse,
    coalitions,
    limited_move,
)

__all__ = [
    "CONCEPTS",
    "CoalitionStability",
    "Edit",
    "GraphModel",
    "Irreversible",
    "Option",
    "Sanction",
    "Stability",
    "Step",
    "analyse",
    "coalitions",
    "evolution",
    "inverse",
    "limited_move",
    "sanctions",
    "with_statements",
]
