"""``gametheory validate FILE``: check a scenario or game file."""

from __future__ import annotations

import argparse

from ...io import load
from ..main import COMMANDS
from ..options import add_file

__all__ = ["add_parser", "run"]

SUMMARY = COMMANDS["validate"].summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``validate``."""
    parser = sub.add_parser(
        "validate",
        help=SUMMARY,
        description=f"{SUMMARY}: read it and compile its game at the declared parameter values; "
        "exit status 2 (with one line saying what is wrong) if it is not valid",
    )
    add_file(
        parser, "scenario .toml (matrix, chip, tree or ordinal) or Gambit .nfg/.efg file to check"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    """Load the file, compile its game and say what it holds."""
    from ._tree import is_tree_path, run_validate

    if is_tree_path(args.file):
        return run_validate(args)  # a game tree: .efg, or a .toml with a [tree] table
    if args.file.lower().endswith(".toml"):
        from ...io.ordinal import is_ordinal

        if is_ordinal(args.file):
            return _validate_ordinal(args.file)
    scenario = load(args.file)
    game = scenario.game()
    shape = "x".join(str(n) for n in game.shape)
    print(
        f"{args.file}: OK ({scenario.form} form, {shape} game, "
        f"{len(scenario.parameters)} parameters)"
    )
    return 0


def _validate_ordinal(path: str) -> int:
    """Read an ordinal scenario file and build its graph model (states, moves, rankings)."""
    from ...analysis.ordinal import GraphModel

    model = GraphModel.read(path)
    print(
        f"{path}: OK (ordinal scenario, {len(model.decision_makers)} decision makers, "
        f"{model.n_states} feasible states)"
    )
    return 0
