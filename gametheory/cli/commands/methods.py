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
    print()
    print("Other solution concepts (gametheory solve FILE --concept NAME):")
    for line in OTHER_CONCEPTS:
        print(line)
    return 0


#: What ``--concept`` offers besides Nash equilibria, with its guarantee (docs/solvers.md).
OTHER_CONCEPTS = (
    "spe: subgame-perfect equilibria of sequential scenarios and game trees (backward induction)",
    "nash on a two-player tree with --method sequence (auto past the reduced normal form's "
    "limits): one equilibrium by Lemke's algorithm on the sequence form, re-checked by best "
    "responses; not every equilibrium [2 players]",
    "ce: welfare-maximising correlated equilibrium and each player's payoff range over all of "
    "them (HiGHS linear programs; exact optimum to 1e-7, obedience re-checked) [N players]",
    "cce: the same for coarse correlated equilibria [N players]",
    "qre: logit quantal response equilibrium branch from lambda 0 (path following) and its "
    "limit, polished to a regret-checked Nash equilibrium [N players]",
)
