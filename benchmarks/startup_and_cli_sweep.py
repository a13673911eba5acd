"""Benchmark: start-up time, and the whole command-line sweep against QuantEcon on the same games.

1. Start-up: wall time of ``python -c "import numpy"``, ``python -c "import gametheory"``,
   ``gametheory --help`` and ``gametheory solve`` on the London scenario (median of several runs,
   each a fresh process).
2. The London-talks scenario over a 400 x 400 grid (160,000 points: ``tariff`` x
   ``pressure_value``), end to end from the command line: start-up, payoff evaluation,
   solving, writing Parquet and the summary, in a fresh process. Against it, on the very same
   160,000 payoff tables (built by ``Scenario.payoff_tensor``, not timed), QuantEcon's
   ``support_enumeration`` one game per call (numba; compilation excluded by a warm-up call),
   and the agreement of the two on the equilibria of a sample of points.

3. Memory: a 1,000 x 1,000 London grid (1,000,000 points) from the command line to Parquet, with
   the peak resident memory of that process (the design bound is 600 MB whatever the size).

Usage::

    python benchmarks/startup_and_cli_sweep.py [--side 400] [--repeat 5] [--memory-side 1000]

Needs ``pip install -e ".[dev]" quantecon``. Nothing is asserted; it prints figures and ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LONDON = ROOT / "payoffs" / "london_talks_2025.toml"


def wall(command: list[str], repeat: int) -> float:
    """Median wall time of a command run ``repeat`` times, each in a fresh process."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def gametheory_command() -> list[str]:
    script = shutil.which("gametheory")
    return [script] if script else [sys.executable, "-m", "gametheory"]


def startup(repeat: int) -> None:
    cli = gametheory_command()
    rows = [
        ("python -c 'import numpy'", [sys.executable, "-c", "import numpy"]),
        ("python -c 'import gametheory'", [sys.executable, "-c", "import gametheory"]),
        ("gametheory --help", [*cli, "--help"]),
        ("gametheory solve london_talks_2025.toml", [*cli, "solve", str(LONDON)]),
    ]
    base = None
    print(f"start-up (median of {repeat} fresh processes)")
    for label, command in rows:
        seconds = wall(command, repeat)
        base = base or seconds
        print(f"  {label:<42} {seconds:6.3f} s  ({seconds / base:4.1f}x numpy's import)")


def grid_values(side: int) -> dict[str, np.ndarray]:
    import gametheory as gt

    scenario = gt.load(LONDON)
    tariff, pressure = np.meshgrid(
        np.linspace(0, 1.45, side), np.linspace(0, 20, side), indexing="ij"
    )
    values = {name: np.full(side * side, value) for name, value in scenario.baseline.items()}
    values["tariff"] = tariff.ravel()
    values["pressure_value"] = pressure.ravel()
    return values


def sweep_command(side: int, out: Path) -> list[str]:
    """The CLI sweep of London over a ``side`` x ``side`` grid of tariff and pressure_value."""
    return [
        *gametheory_command(),
        "sweep",
        str(LONDON),
        "--grid",
        f"tariff=0:1.45:{side}",
        "--grid",
        f"pressure_value=0:20:{side}",
        "--out",
        str(out),
        "--quiet",
    ]


def cli_sweep_memory(side: int, folder: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MiB) of a CLI sweep of ``side`` x ``side`` points.

    Measured by a fresh interpreter that runs only that command, so no other child counts.
    """
    script = (
        "import resource, subprocess, sys, time; start = time.perf_counter(); "
        "subprocess.run(sys.argv[1:], check=True, capture_output=True); "
        "print(time.perf_counter() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, *sweep_command(side, folder / "memory.parquet")],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds, peak = out.stdout.split()
    return float(seconds), float(peak)


def cli_sweep(side: int, folder: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        sweep_command(side, folder / "london.parquet"), check=True, capture_output=True, cwd=ROOT
    )
    return time.perf_counter() - start


def quantecon_sweep(side: int) -> tuple[float, list]:
    from quantecon.game_theory import NormalFormGame, Player, support_enumeration

    import gametheory as gt

    tensor = gt.load(LONDON).payoff_tensor(grid_values(side))
    games = [(np.ascontiguousarray(t[0]), np.ascontiguousarray(t[1].T)) for t in tensor]
    support_enumeration(NormalFormGame((Player(games[0][0]), Player(games[0][1]))))  # compile
    found = []
    start = time.perf_counter()
    for a, b in games:
        found.append(support_enumeration(NormalFormGame((Player(a), Player(b)))))
    return time.perf_counter() - start, found


def agreement(side: int, found: list, sample: int = 2000) -> str:
    import gametheory as gt

    scenario = gt.load(LONDON)
    values = grid_values(side)
    rng = np.random.default_rng(0)
    agree = 0
    points = rng.choice(side * side, size=min(sample, side * side), replace=False)
    for point in points:
        result = gt.solve(scenario.game({k: float(v[point]) for k, v in values.items()}))
        ours = sorted(np.round(np.concatenate(eq.strategies), 6).tolist() for eq in result)
        theirs = sorted(np.round(np.concatenate(eq), 6).tolist() for eq in found[point])
        agree += ours == theirs
    return f"{agree}/{len(points)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", type=int, default=400, help="grid points per parameter")
    parser.add_argument("--repeat", type=int, default=5, help="runs per start-up figure")
    parser.add_argument(
        "--memory-side", type=int, default=1000, help="grid side for the memory run (0: skip)"
    )
    args = parser.parse_args()
    startup(args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        ours = cli_sweep(args.side, Path(folder))
        if args.memory_side:
            seconds, peak = cli_sweep_memory(args.memory_side, Path(folder))
            print(
                f"\nLondon sweep, {args.memory_side**2:,} points from the CLI to Parquet: "
                f"{seconds:.1f} s, peak RSS {peak:.0f} MiB"
            )
    points = args.side**2
    print(f"\nLondon sweep, {points:,} points, same games")
    print(f"  gametheory sweep (whole CLI run) {ours:7.2f} s  {points / ours:9,.0f} points/s")
    try:
        theirs, found = quantecon_sweep(args.side)
    except ImportError:
        print("  QuantEcon not installed: pip install quantecon")
        return
    print(
        f"  QuantEcon support_enumeration    {theirs:7.2f} s  {points / theirs:9,.0f} points/s"
        f"  (ours {theirs / ours:.2f}x)"
    )
    print(f"  same equilibria on a sample: {agreement(args.side, found)}")


if __name__ == "__main__":
    main()
