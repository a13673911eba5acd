"""``gametheory thresholds FILE [--set k=v]``: how far each parameter moves the prediction."""

from __future__ import annotations

import argparse
import json

from ..._format import format_number
from ...analysis.uncertainty import thresholds
from ...io import load
from ..main import COMMANDS
from ..options import add_file, add_format, add_set

__all__ = ["add_parser", "run"]

SUMMARY = COMMANDS["thresholds"].summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``thresholds`` and its options."""
    parser = sub.add_parser("thresholds", help=SUMMARY, description=SUMMARY)
    add_file(parser, "scenario .toml file")
    add_set(parser)
    add_format(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Print, for each parameter, the interval in which the predicted outcome holds."""
    scenario = load(args.file)
    result = thresholds(scenario, dict(args.set))
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    where = ", ".join(f"{k}={format_number(v, 6)}" for k, v in args.set) or "the baseline"
    print(f"Prediction at {where}: {result.outcome}")
    print("Each parameter moved alone, the others held fixed:")
    for threshold in result.parameters:
        print(threshold.describe())
    return 0
