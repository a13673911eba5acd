"""Providers that higher layers register for the model's convenience methods.

The model must not import the layers above it, yet users expect ``scenario.sweep(...)`` to work.
A higher layer registers the function once, on import (``provide("sweep", sweep)`` in
:mod:`gametheory.sweeps`), and the model looks it up at call time, as ``@register`` does for
solvers. Importing :mod:`gametheory` imports every provider.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import GameTheoryError

__all__ = ["provide", "provider"]

_PROVIDERS: dict[str, Callable[..., Any]] = {}


def provide(name: str, function: Callable[..., Any]) -> None:
    """Register ``function`` as the provider of ``name``."""
    _PROVIDERS[name] = function


def provider(name: str) -> Callable[..., Any]:
    """The function registered for ``name``.

    Raises
    ------
    GameTheoryError
        If nothing registered it (the providing package was never imported).
    """
    try:
        return _PROVIDERS[name]
    except KeyError:
        raise GameTheoryError(
            f"'{name}' is not available: import gametheory (or gametheory.{name}s) first"
        ) from None
