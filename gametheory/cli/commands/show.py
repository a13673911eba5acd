"""``gametheory show FILE``: the labelled payoff table."""

from __future__ import annotations

import argparse

from ..._format import format_number
from ...io import load
from ...model.scenario import Scenario
from ..main import COMMANDS
from ..options import add_file, add_set

__all__ = ["add_parser", "describe_parameters", "run"]

SUMMARY = COMMANDS["show"].summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``show`` and its options."""
    parser = sub.add_parser("show", help=SUMMARY, description=SUMMARY)
    add_file(parser, "scenario .toml (matrix, chip or tree) or Gambit .nfg/.efg file")
    add_set(parser)
    return parser


def describe_parameters(scenario: Scenario, values: dict[str, float]) -> str:
    """``parameters:`` and one line ``name = value unit`` per parameter ("" if none)."""
    if not values:
        return ""
    lines = ["parameters:"]
    for name, value in values.items():
        prm = scenario.parameters[name]
        unit = f" {prm.unit}" if prm.unit else ""
        lines.append(f"  {name} = {format_number(value)}{unit}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the parameters and the payoff table."""
    from ._tree import is_tree_path, run_show

    if is_tree_path(args.file):
        return run_show(args)  # a game tree: its outline
    scenario = load(args.file)
    values = scenario.resolve(dict(args.set))
    game = scenario.game(values)
    described = describe_parameters(scenario, values)
    if described:
        print(described)
        print()
    print(game)
    return 0
