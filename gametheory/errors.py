"""Errors raised for bad input.

Every error a user can cause by a bad file, a bad override or a bad call derives from
:class:`GameTheoryError`. Each carries where the problem is (``file``, ``key``, ``line``) and
what was expected, so the command line can print one clear sentence and exit non-zero instead
of showing a traceback.
"""

from __future__ import annotations


class GameTheoryError(ValueError):
    """Base class for every error caused by bad input.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    file
        The file being read, if any.
    key
        The dotted key inside that file (e.g. ``payoffs.US``), if known.
    line
        The 1-based line number, where the parser knows it.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        key: str | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.key = key
        self.line = line
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file:
            where.append(self.file if self.line is None else f"{self.file}:{self.line}")
        elif self.line is not None:
            where.append(f"line {self.line}")
        if self.key:
            where.append(f"key '{self.key}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def located(
        self, *, file: str | None = None, key: str | None = None, line: int | None = None
    ) -> GameTheoryError:
        """Return a copy of this error with missing location fields filled in."""
        return type(self)(
            self.message,
            file=self.file or file,
            key=self.key or key,
            line=self.line if self.line is not None else line,
        )


class ScenarioError(GameTheoryError):
    """A scenario or game file is malformed, or a parameter override is invalid."""


class ExpressionError(GameTheoryError):
    """A payoff expression cannot be parsed or evaluated."""


class GameError(GameTheoryError):
    """A game or profile was built from inconsistent data."""


class SolverError(GameTheoryError):
    """A solver was asked for something it cannot do (unknown method, wrong game type)."""


class BargainingError(GameTheoryError):
    """Bad input to a bargaining computation."""


class CommitmentError(GameTheoryError):
    """Bad input to a commitment computation."""


class RepeatedGameError(GameTheoryError):
    """Bad input to a repeated-game computation."""


class WhatIfError(GameTheoryError):
    """Bad input to a what-would-it-take question."""


class SequentialError(GameTheoryError):
    """A sequential computation was asked of an unsuitable scenario or plan."""
