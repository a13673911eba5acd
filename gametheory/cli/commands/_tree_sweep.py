"""``sweep`` and ``robust`` on tree scenarios (``.toml`` files with a ``[tree]`` table).

``gametheory sweep tree.toml --grid p_hawk=0:1:21 [--out f.csv|.parquet]`` prints the share of
each predicted path and, along a single grid parameter, where it switches;
``gametheory robust tree.toml --samples N --seed S`` prints the probability of each predicted
path under the declared beliefs, with Wilson 95 % intervals (``--format json``: the
``gametheory.robust/1`` data, ``solver`` holding the concept). A tree sweep runs on the matrix
sweeps' machinery: ``--chunk-size``, ``--out`` written chunk by chunk, ``--resume``,
``--overwrite``, ``--processes K`` (at most 2), ``--workers K`` / ``--scheduler ADDR`` (Dask).
Options that have no meaning for trees (solver methods; for ``robust``, files and executors) are
refused with one line.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from ..._format import format_number
from ...analysis.uncertainty._tree import tree_uncertainty
from ...errors import ScenarioError
from ...io.toml_tree import read_tree_scenario
from ...sweeps.tree import MAX_PROCESSES, tree_sweep
from ..options import say_how_to_resume

__all__ = ["run_tree_robust", "run_tree_sweep"]

#: Outcomes listed in the table output.
_SHOWN = 20


#: Why an option of the matrix machinery does not apply to trees.
_WHY = {
    "--method": "each point's tree is solved with --concept spe|nash|bne|pbe",
    "--workers": "tree draws are solved in this process",
    "--scheduler": "tree draws are solved in this process",
    "--out": "no per-point file for trees; use 'gametheory sweep' with --out",
    "--processes": "tree draws are solved in this process",
}


def _refuse(args: argparse.Namespace, flags: list[tuple[str, object]]) -> None:
    for flag, used in flags:
        if used:
            raise ScenarioError(
                f"{flag} does not apply to tree scenarios ({_WHY[flag]})",
                file=str(args.file),
            )


def _concept(args: argparse.Namespace) -> str:
    concept = getattr(args, "concept", None) or "spe"
    return "spe" if concept == "auto" else str(concept)


def run_tree_sweep(args: argparse.Namespace) -> int:
    """``gametheory sweep`` on a tree scenario."""
    if Path(args.file).suffix.lower() == ".efg":
        raise ScenarioError("a Gambit .efg tree has no parameters to sweep", file=str(args.file))
    _refuse(args, [("--method", args.method != "auto")])
    if args.processes and args.processes > MAX_PROCESSES:
        raise ScenarioError(
            f"--processes {args.processes}: a tree sweep uses at most {MAX_PROCESSES} processes"
        )
    scenario = read_tree_scenario(args.file)
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
    executor, workers = "inline", None
    if args.processes:
        executor, workers = "processes", args.processes
    elif args.workers or args.scheduler:
        executor, workers = "dask", args.workers
    try:
        result = tree_sweep(
            scenario,
            **design,
            fixed=dict(args.set),
            concept=_concept(args),
            chunk_size=args.chunk_size,
            executor=executor,
            workers=workers,
            scheduler=args.scheduler,
            out=args.out,
            resume=args.resume,
            overwrite=args.overwrite,
            progress=not args.quiet,
        )
    except KeyboardInterrupt:
        say_how_to_resume(args.out)
        raise
    summary = result.summary()
    print(
        f"{result.design.size:,} points ({result.design.kind}), concept {result.concept}; "
        "predicted paths by share:"
    )
    for row in summary.head(_SHOWN).itertuples(index=False):
        print(f"  {row.share:7.2%}  {row.outcome}")
    if len(summary) > _SHOWN:
        print(f"  ... and {len(summary) - _SHOWN} more outcomes")
    if result.design.kind == "grid" and len(result.design.names) == 1:
        name = result.design.names[0]
        changes = result.switches(name)
        print(f"Where the prediction changes along {name}:" if changes else "No switch.")
        for before, after, old, new in changes:
            print(
                f"  between {name} = {format_number(before)} and {format_number(after)}: "
                f"{old}  ->  {new}"
            )
    if args.out:
        print(f"results: {args.out}")
    return 0


def run_tree_robust(args: argparse.Namespace) -> int:
    """``gametheory robust`` on a tree scenario."""
    if Path(args.file).suffix.lower() == ".efg":
        raise ScenarioError("a Gambit .efg tree has no parameters to draw", file=str(args.file))
    _refuse(
        args,
        [
            ("--method", args.method != "auto"),
            ("--out", args.out),
            ("--processes", args.processes),
            ("--workers", args.workers),
            ("--scheduler", args.scheduler),
        ],
    )
    scenario = read_tree_scenario(args.file)
    result = tree_uncertainty(
        scenario,
        args.samples,
        seed=args.seed,
        method=args.sampling,
        fixed=dict(args.set),
        concept=_concept(args),
    )
    if args.format == "json":
        print(json.dumps({**result.to_dict(), "concept": result.solver}, indent=2))
        return 0
    print(result.describe())
    print()
    print("Predicted paths (probability, 95 % Wilson interval, equilibria):")
    for item in result.outcomes[:_SHOWN]:
        print(
            f"  {item.probability:6.3f}  [{item.low:.3f}, {item.high:.3f}]  "
            f"{item.kind:<9}  {item.outcome}"
        )
    if len(result.outcomes) > _SHOWN:
        print(f"  ... and {len(result.outcomes) - _SHOWN} more outcomes (see --format json)")
    print()
    print("Beliefs:")
    for name, words in result.beliefs.items():
        print(f"  {name}: {words}")
    if result.fixed:
        held = ", ".join(f"{k}={format_number(v, 6)}" for k, v in result.fixed.items())
        print(f"Held fixed: {held}")
    return 0
