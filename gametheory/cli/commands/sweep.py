"""``gametheory sweep FILE``: solve a scenario over a grid or a random sample of parameters."""

from __future__ import annotations

import argparse
from typing import Any

from ...errors import ScenarioError
from ...io import load
from ...sweeps import DEFAULT_CHUNK, sweep
from ...sweeps.design import MAX_POINTS
from ...sweeps.results import MAX_WORKERS
from ..main import COMMANDS
from ..options import (
    add_design,
    add_executor,
    add_file,
    add_method,
    add_seed,
    add_set,
    positive_int,
    say_how_to_resume,
)
from ._tree import is_tree_path

__all__ = ["MAX_WORKERS", "add_parser", "run"]

SUMMARY = COMMANDS["sweep"].summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add ``sweep`` and its options."""
    parser = sub.add_parser("sweep", help=SUMMARY, description=SUMMARY)
    add_file(parser, "scenario .toml file")
    add_design(parser, required=True)
    parser.add_argument("--lhs", action="store_true", help="with --sample: Latin-hypercube sample")
    add_seed(parser, "with --sample: random seed, a whole number >= 0 (default 0)")
    parser.add_argument(
        "--vary",
        action="append",
        metavar="NAME",
        help="with --sample: sample only these parameters (repeatable; default: every "
        "parameter with a declared range)",
    )
    add_set(parser, "fix a parameter that does not vary, e.g. --set tariff=0.8 (repeatable)")
    parser.add_argument(
        "--concept",
        choices=("spe", "nash", "bne", "pbe"),
        default=None,
        help="tree scenarios only: the solution concept at each point (default spe)",
    )
    add_method(parser)
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="results file (.parquet or .csv), written chunk by chunk",
    )
    parser.add_argument(
        "--chunk-size",
        type=positive_int(MAX_POINTS),
        default=None,
        metavar="N",
        help=(
            f"points per chunk (default {DEFAULT_CHUNK:,}, fewer for large games so that a "
            "chunk's payoffs stay near 256 MiB)"
        ),
    )
    add_executor(parser)
    parser.add_argument(
        "--resume", action="store_true", help="continue an interrupted sweep stored at --out"
    )
    parser.add_argument(
        "--overwrite", action="store_true", help="with --out: replace existing results"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _check_combinations(args: argparse.Namespace) -> None:
    if args.grid:
        for flag, used in (("--lhs", args.lhs), ("--vary", args.vary)):
            if used:
                raise ScenarioError(f"{flag} goes with --sample, not --grid")
        names = [name for name, _ in args.grid]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ScenarioError(f"--grid {twice[0]} is given more than once")
    for flag, used in (("--resume", args.resume), ("--overwrite", args.overwrite)):
        if used and not args.out:
            raise ScenarioError(f"{flag} needs --out (the results file)")


def run(args: argparse.Namespace) -> int:
    """Run the sweep and print the share of each outcome."""
    _check_combinations(args)
    if is_tree_path(args.file):
        from ._tree_sweep import run_tree_sweep

        return run_tree_sweep(args)
    if args.concept:
        raise ScenarioError("--concept applies to tree scenarios; matrix sweeps take --method")
    scenario = load(args.file)
    executor, workers = "inline", None
    if args.processes:
        executor, workers = "processes", args.processes
    elif args.workers or args.scheduler:
        executor, workers = "dask", args.workers
    options: dict[str, Any] = {
        "fixed": dict(args.set),
        "method": args.method,
        "chunk_size": args.chunk_size,
        "executor": executor,
        "workers": workers,
        "scheduler": args.scheduler,
        "out": args.out,
        "resume": args.resume,
        "overwrite": args.overwrite,
        "progress": not args.quiet,
    }
    design: dict[str, Any]
    if args.grid:
        design = {"grid": dict(args.grid)}
    else:
        design = {
            "sample": args.sample,
            "seed": args.seed,
            "sampling": "lhs" if args.lhs else "uniform",
            "params": args.vary,
        }
    try:
        result = sweep(scenario, **design, **options)
    except KeyboardInterrupt:
        say_how_to_resume(args.out)
        raise
    summary = result.summary()
    print(f"{result.design.size:,} points ({result.design.kind}); outcomes by share:")
    for row in summary.head(20).itertuples(index=False):
        print(f"  {row.share:7.2%}  {row.outcome}")
    if len(summary) > 20:
        print(f"  ... and {len(summary) - 20} more outcomes")
    if args.out:
        print(f"results: {args.out}")
    return 0
