"""``gametheory robust FILE --samples N``: how likely each outcome is under the declared beliefs."""

from __future__ import annotations

import argparse
import json

from ..._format import format_number
from ...analysis.uncertainty import uncertainty
from ...analysis.uncertainty._robust import METHODS
from ...errors import ScenarioError
from ...io import load
from ...sweeps.design import MAX_POINTS
from ..main import COMMANDS
from ..options import (
    add_executor,
    add_file,
    add_format,
    add_method,
    add_seed,
    add_set,
    positive_int,
)
from ._tree import is_tree_path

__all__ = ["add_parser", "run"]

SUMMARY = COMMANDS["robust"].summary
#: Outcomes listed in the table output (all of them in JSON).
SHOWN = 20


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``robust`` and its options."""
    parser = sub.add_parser("robust", help=SUMMARY, description=SUMMARY)
    add_file(parser, "scenario .toml file (parameters may declare a distribution)")
    parser.add_argument(
        "--samples",
        type=positive_int(MAX_POINTS),
        required=True,
        metavar="N",
        help=f"number of parameter points to draw (1 to {MAX_POINTS:,})",
    )
    add_seed(parser, "random seed, a whole number >= 0 (default 0)")
    parser.add_argument(
        "--sampling",
        choices=METHODS,
        default="random",
        help="how points are drawn: random (default), lhs (Latin hypercube) or sobol "
        "(scrambled Sobol'; best with a power of two)",
    )
    add_set(parser, "hold a parameter fixed at a value, e.g. --set tariff=0.8 (repeatable)")
    parser.add_argument(
        "--concept",
        choices=("spe", "nash", "bne", "pbe"),
        default=None,
        help="tree scenarios only: the solution concept at each point (default spe)",
    )
    add_method(parser)
    add_format(parser)
    parser.add_argument(
        "--out", metavar="FILE", help="write one row per point to this .parquet file"
    )
    add_executor(parser)
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def run(args: argparse.Namespace) -> int:
    """Draw the points, solve them and print the probability of each outcome."""
    if is_tree_path(args.file):
        from ._tree_sweep import run_tree_robust

        return run_tree_robust(args)
    if args.concept:
        raise ScenarioError("--concept applies to tree scenarios; matrix scenarios take --method")
    scenario = load(args.file)
    executor, workers = "inline", None
    if args.processes:
        executor, workers = "processes", args.processes
    elif args.workers or args.scheduler:
        executor, workers = "dask", args.workers
    result = uncertainty(
        scenario,
        args.samples,
        seed=args.seed,
        method=args.sampling,
        fixed=dict(args.set),
        solver=args.method,
        executor=executor,
        workers=workers,
        scheduler=args.scheduler,
        out=args.out,
        progress=not args.quiet,
    )
    if args.format == "json":
        print(json.dumps(result.to_dict(), indent=2))
        return 0
    print(result.describe())
    print()
    print("Outcomes (probability, 95 % Wilson interval, equilibria):")
    for item in result.outcomes[:SHOWN]:
        print(
            f"  {item.probability:6.3f}  [{item.low:.3f}, {item.high:.3f}]  "
            f"{item.kind:<9}  {item.outcome}"
        )
    if len(result.outcomes) > SHOWN:
        print(f"  ... and {len(result.outcomes) - SHOWN} more outcomes (see --format json)")
    print()
    print("Beliefs:")
    for name, words in result.beliefs.items():
        print(f"  {name}: {words}")
    for first, second, rho in result.correlations:
        print(f"  rank correlation of {first} and {second}: {format_number(rho, 3)}")
    if result.fixed:
        held = ", ".join(f"{k}={format_number(v, 6)}" for k, v in result.fixed.items())
        print(f"Held fixed: {held}")
    if args.out:
        print(f"points: {args.out}")
    return 0
