"""Robust conclusions from judgement calls: how far the inputs can move, and the prediction hold.

Issue 11. Today: :func:`thresholds`, the interval of each parameter, the others fixed, in which
the predicted outcome holds.
"""

from __future__ import annotations

from ...model._hooks import provide
from ._robust import Outcome, Uncertainty, uncertainty, wilson_interval
from ._sensitivity import OutputIndices, Sensitivity, sensitivity
from ._thresholds import Threshold, Thresholds, thresholds
from ._tree import tree_uncertainty

provide("uncertainty", uncertainty)

__all__ = [
    "Outcome",
    "OutputIndices",
    "Sensitivity",
    "Threshold",
    "Thresholds",
    "Uncertainty",
    "sensitivity",
    "thresholds",
    "tree_uncertainty",
    "uncertainty",
    "wilson_interval",
]
