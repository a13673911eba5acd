"""``gametheory thresholds FILE [--set k=v]``: how far each parameter moves the prediction."""

from __future__ import annotations

import argparse
import json

from ..._format import format_number
from ...analysis.uncertainty import Threshold, thresholds
from ...io import load
from ..main import COMMANDS
from ..options import add_file, add_format, add_set

__all__ = ["add_parser", "describe", "run"]

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
        print(describe(threshold))
    return 0


def _num(value: float) -> str:
    return format_number(value, 6)


def _degenerate(label: str) -> str:
    count = len(label.split(" | "))
    return f"{count} equilibria" if count > 1 else label


def describe(t: Threshold) -> str:
    """One parameter's interval in plain words."""
    if t.bounded:
        searched = f"declared range {_num(t.search_low)} to {_num(t.search_high)}"
    else:
        searched = (
            f"no finite declared range; searched {_num(t.search_low)} to {_num(t.search_high)}"
        )
    if t.low_is_range_end and t.high_is_range_end:
        text = f"{t.name}: the prediction holds over the whole range ({searched})"
    else:
        text = f"{t.name}: the prediction holds from {_num(t.low)} to {_num(t.high)} ({searched})"
    for at, beyond, word, degenerate in (
        (t.low, t.outcome_below, "below", t.degenerate_at_low),
        (t.high, t.outcome_above, "above", t.degenerate_at_high),
    ):
        if degenerate is not None:
            text += f"; at {_num(at)} itself the game is degenerate ({_degenerate(degenerate)})"
        if beyond is not None:
            text += f"; {word} {_num(at)}: {beyond}"
    return text
