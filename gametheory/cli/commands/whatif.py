"""``gametheory whatif FILE --target PLAYER=ACTION ...``: what it would take."""

from __future__ import annotations

import argparse
import json

from ...analysis.negotiation.whatif import parameter_change, payoff_change
from ...io import load
from ..main import COMMANDS
from ..options import add_file, add_format, add_seed, add_set, add_target, bounded_float

__all__ = ["add_parser", "run"]

SUMMARY = COMMANDS["whatif"].summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``whatif`` and its options."""
    parser = sub.add_parser("whatif", help=SUMMARY, description=SUMMARY)
    add_file(parser, "scenario .toml or Gambit .nfg file")
    add_target(parser, "the target action of each player (repeat per player)", required=True)
    parser.add_argument(
        "--margin",
        type=bounded_float(0, low_open=False),
        default=0.1,
        help="every deviation must lose at least this much, a number >= 0 (default 0.1)",
    )
    parser.add_argument(
        "--norm",
        choices=("l1", "max"),
        default="l1",
        help="how payoff changes are measured: l1 (default, the total change) or max (the "
        "largest single change)",
    )
    parser.add_argument(
        "--vary",
        action="append",
        metavar="NAME",
        help="parameters allowed to change (repeatable; default: all with ranges)",
    )
    add_set(parser)
    add_seed(parser, "seed of the random search, a whole number >= 0 (default 0)")
    add_format(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    """Print the smallest payoff change, and parameter change, that make the target stick."""
    scenario = load(args.file)
    values = scenario.resolve(dict(args.set))
    target = dict(args.target)
    payoffs = payoff_change(scenario.game(values), target, margin=args.margin, norm=args.norm)
    params = (
        parameter_change(
            scenario, target, margin=args.margin, fixed=values, vary=args.vary, rng=args.seed
        )
        if scenario.parameters and scenario.timing == "simultaneous"
        else None
    )
    if args.format == "json":
        data = {
            "payoff_change": payoffs.to_dict(),
            "parameter_change": params.to_dict() if params else None,
        }
        print(json.dumps(data, indent=2))
    else:
        print(payoffs.sentence())
        if params is not None:
            print(params.sentence())
    return 0
