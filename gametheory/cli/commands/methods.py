"""``gametheory methods``: the available solvers."""

from __future__ import annotations

import argparse

from ...solvers import methods
from ..main import COMMANDS

__all__ = ["add_parser", "run"]

SUMMARY = COMMANDS["methods"].summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``methods``."""
    return sub.add_parser("methods", help=SUMMARY, description=SUMMARY)


def run(args: argparse.Namespace) -> int:
    """One line per solver: name, summary, scope and what it finds."""
    del args
    print("auto: picks one of the methods below by game size and says which")
    for name, info in sorted(methods().items()):
        scope = "2 players" if info.two_player_only else "N players"
        print(f"{name}: {info.summary} [{scope}; finds {info.finds}]")
    return 0
