"""Benchmark: a large tree sweep streamed chunk by chunk, inline and in two processes.

Sweeps the private London tree scenario (``payoffs/london_talks_2025_private.toml``,
``extended = 0``) over a grid of ``p_hawk`` x ``tariff`` (100,000 points by default: 1,000 x
100) with the subgame-perfect concept, writing the table chunk by chunk to a Parquet file (the
``--out`` path of ``gametheory sweep``), then reads the summary back. Each run is a child
process, so its peak resident memory is its own (``resource.getrusage``: the child's and, for
``--processes``, its worker processes' peaks), and it prints:

- seconds for the sweep and for the summary, and points per second;
- peak RSS of the sweeping process and of its workers;
- for comparison, the memory of holding every point's tree at once (what tree sweeps did before
  they streamed): ``--trees-up-front K`` trees are built into a list in another child and
  the growth of its peak RSS per tree is multiplied out to the sweep's size.

There is no peer: neither pygambit nor nashpy sweeps parameters of a tree (a loop calling
pygambit at every point would be that, at several milliseconds a point for the one-equilibrium
LCP alone). Timings depend on the machine's load; no test asserts them.

Usage::

    python benchmarks/tree_sweep.py [--p-hawk 1000] [--tariff 100] [--modes inline processes]
        [--chunk-size N] [--trees-up-front 5000]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "payoffs" / "london_talks_2025_private.toml"


def _peak_mib(who: int) -> float:
    """Peak resident memory in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / (2**20 if sys.platform == "darwin" else 2**10)


def _grid(p_hawk: int, tariff: int) -> dict[str, object]:
    import numpy as np

    return {"p_hawk": np.linspace(0.0, 1.0, p_hawk), "tariff": np.linspace(0.0, 1.45, tariff)}


def child_sweep(mode: str, p_hawk: int, tariff: int, chunk_size: int | None) -> dict[str, float]:
    """Run one sweep in this (child) process; the figures as a dict."""
    from gametheory.io import load_tree_scenario
    from gametheory.sweeps.tree import tree_sweep

    scenario = load_tree_scenario(SCENARIO)
    before = _peak_mib(resource.RUSAGE_SELF)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "sweep.parquet"
        start = time.perf_counter()
        result = tree_sweep(
            scenario,
            grid=_grid(p_hawk, tariff),
            fixed={"extended": 0.0},
            processes=2 if mode == "processes" else None,
            chunk_size=chunk_size,
            out=out,
        )
        seconds = time.perf_counter() - start
        peak_sweep = _peak_mib(resource.RUSAGE_SELF)
        start = time.perf_counter()
        summary = result.summary()  # streamed from the file in batches
        summary_seconds = time.perf_counter() - start
        peak_summary = _peak_mib(resource.RUSAGE_SELF)
        import pyarrow.parquet as pq

        rows = pq.ParquetFile(out).metadata.num_rows
        size = out.stat().st_size
    return {
        "points": float(p_hawk * tariff),
        "seconds": seconds,
        "summary_seconds": summary_seconds,
        "rows": float(rows),
        "outcomes": float(len(summary)),
        "file_mib": size / 2**20,
        "rss_at_start_mib": before,
        "rss_sweep_mib": peak_sweep,
        "rss_with_summary_mib": peak_summary,
        "rss_workers_mib": _peak_mib(resource.RUSAGE_CHILDREN),
    }


def child_trees(count: int) -> dict[str, float]:
    """Build ``count`` trees into one list (the old, unstreamed sweep) and report the growth."""
    import numpy as np

    from gametheory.io import load_tree_scenario

    scenario = load_tree_scenario(SCENARIO)
    scenario.tree({"extended": 0.0})
    before = _peak_mib(resource.RUSAGE_SELF)
    start = time.perf_counter()
    values = np.linspace(0.0, 1.0, count)
    trees = [scenario.tree({"extended": 0.0, "p_hawk": float(v)}) for v in values]
    seconds = time.perf_counter() - start
    after = _peak_mib(resource.RUSAGE_SELF)
    return {
        "trees": float(len(trees)),
        "seconds": seconds,
        "mib_per_1000_trees": (after - before) * 1000 / count,
    }


def run_child(args: list[str]) -> dict[str, float]:
    """Run this script as a child with ``args``; its last line of output is JSON."""
    done = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True
    )
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--p-hawk", type=int, default=1000, help="grid values of p_hawk")
    parser.add_argument("--tariff", type=int, default=100, help="grid values of tariff")
    parser.add_argument("--modes", nargs="+", default=["inline", "processes"])
    parser.add_argument("--chunk-size", type=int, default=None)
    parser.add_argument("--trees-up-front", type=int, default=5000)
    parser.add_argument("--child", choices=["inline", "processes", "trees"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "trees":
        print(json.dumps(child_trees(args.trees_up_front)))
        return
    if args.child:
        print(json.dumps(child_sweep(args.child, args.p_hawk, args.tariff, args.chunk_size)))
        return
    points = args.p_hawk * args.tariff
    print(f"Tree sweep of {SCENARIO.name}: {points:,} points (spe), written to Parquet")
    print(
        f"{'mode':<12}{'seconds':>9}{'pts/s':>8}{'summary s':>11}{'rows':>9}"
        f"{'file MiB':>9}{'RSS MiB':>9}{'+summary':>10}{'workers':>9}"
    )
    for mode in args.modes:
        extra = ["--chunk-size", str(args.chunk_size)] if args.chunk_size else []
        f = run_child(
            ["--child", mode, "--p-hawk", str(args.p_hawk), "--tariff", str(args.tariff), *extra]
        )
        workers = f"{f['rss_workers_mib']:9.0f}" if mode == "processes" else f"{'-':>9}"
        print(
            f"{mode:<12}{f['seconds']:9.1f}{points / f['seconds']:8.0f}"
            f"{f['summary_seconds']:11.2f}{f['rows']:9,.0f}{f['file_mib']:9.1f}"
            f"{f['rss_sweep_mib']:9.0f}{f['rss_with_summary_mib']:10.0f}{workers}"
        )
    if args.trees_up_front:
        f = run_child(["--child", "trees", "--trees-up-front", str(args.trees_up_front)])
        per = f["mib_per_1000_trees"]
        print(
            f"Every tree held at once (before streaming): {per:.1f} MiB per 1,000 trees "
            f"(measured on {f['trees']:,.0f}), so about {per * points / 1000:,.0f} MiB of trees "
            f"for {points:,} points before the first solve"
        )


if __name__ == "__main__":
    main()
