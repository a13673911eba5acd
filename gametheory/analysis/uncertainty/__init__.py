"""Robust conclusions from judgement calls: how far the inputs can move, and the prediction hold.

Issue 11. Today: :func:`thresholds`, the interval of each parameter, the others fixed, in which
the predicted outcome holds.
"""

from __future__ import annotations

from ._thresholds import Threshold, Thresholds, thresholds

__all__ = ["Threshold", "Thresholds", "thresholds"]
