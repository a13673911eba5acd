"""Numbers, labels and escaping on plain data, shared by every text and HTML view.

This module sits at the bottom of the package with :mod:`gametheory.errors`: it imports nothing
of the project, so the model, the solvers and the reports can all use it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["esc", "format_number", "format_probability", "strategy_label", "text_table"]


def format_number(value: float, digits: int = 4) -> str:
    """Compact number: integers without decimals, others to ``digits`` significant places.

    Negative zero, and values that round to zero, print as ``0`` (never ``-0``).

    >>> format_number(3.0), format_number(-0.0), format_number(2 / 3), format_number(-1e-12)
    ('3', '0', '0.6667', '0')
    """
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    if abs(value - round(value)) < 1e-9:
        return str(round(value) + 0)  # round(-0.0) is 0 as an int: no sign
    text = f"{value:.{digits}g}"
    return "0" if float(text) == 0 else text


def format_probability(value: float, digits: int = 4) -> str:
    """A probability as a small fraction when it is one (``1/3``), else a decimal.

    >>> format_probability(1 / 3), format_probability(0.25), format_probability(0.123456)
    ('1/3', '1/4', '0.1235')
    """
    frac = Fraction(value).limit_denominator(64)
    if frac != 0 and abs(float(frac) - value) < 1e-9:
        return str(frac)
    if 0 < value < 10**-digits:
        return f"{value:.2g}"  # tiny but positive: do not print it as 0
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


def strategy_label(actions: Sequence[str], probs: ArrayLike, digits: int = 4) -> str:
    """``"Swerve"`` for a pure strategy, ``"1/2 Swerve + 1/2 Straight"`` for a mixed one.

    >>> strategy_label(("Swerve", "Straight"), [0.5, 0.5])
    '1/2 Swerve + 1/2 Straight'
    """
    values = np.asarray(probs, dtype=float)
    support = [(a, float(x)) for a, x in zip(actions, values, strict=True) if x > 1e-12]
    if len(support) == 1:
        return support[0][0]
    return " + ".join(f"{format_probability(x, digits)} {a}" for a, x in support)


def text_table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A plain-text table with left-aligned columns and a dashed rule under the header."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return "\n".join(out)


def esc(text: object) -> str:
    """HTML-escape any value's text."""
    return html.escape(str(text))
