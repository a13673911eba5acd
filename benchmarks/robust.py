"""Benchmark: outcome probabilities of the London scenario, against QuantEcon on the same games.

1. ``gametheory robust payoffs/london_talks_2025.toml --samples N`` end to end from the command
   line (start-up, drawing the points from the declared beliefs, payoffs, solving, counting),
   median of several fresh processes; the issue's target is under 10 s for N = 100,000.
2. ``gt.uncertainty`` in this process for each sampling method, and with two worker processes.
3. The very same N London games (the points the command draws, payoff tables built by
   ``Scenario.payoff_tensor``, not timed) solved one game per call by QuantEcon's
   ``support_enumeration`` (numba; compilation excluded by a warm-up call), and the probability
   of the baseline prediction computed from its equilibria, next to ours.

Usage::

    python benchmarks/robust.py [--samples 100000] [--seed 1] [--repeat 3]

Needs ``pip install -e ".[dev]" quantecon``. Nothing is asserted; it prints figures and ratios.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
LONDON = ROOT / "payoffs" / "london_talks_2025.toml"


def gametheory_command() -> list[str]:
    script = shutil.which("gametheory")
    return [script] if script else [sys.executable, "-m", "gametheory"]


def cli_robust(samples: int, seed: int, repeat: int) -> float:
    """Median wall time of the whole command, each run a fresh process."""
    command = [
        *gametheory_command(),
        "robust",
        str(LONDON),
        "--samples",
        str(samples),
        "--seed",
        str(seed),
        "--quiet",
    ]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(samples: int, seed: int) -> None:
    import gametheory as gt

    scenario = gt.load(LONDON)
    gt.uncertainty(scenario, 100, seed=seed)  # imports and tables, not timed
    runs = [
        ("random, inline", {"method": "random"}),
        ("lhs, inline", {"method": "lhs"}),
        ("sobol, inline", {"method": "sobol"}),
        ("random, 2 processes", {"method": "random", "executor": "processes", "workers": 2}),
    ]
    for label, options in runs:
        start = time.perf_counter()
        result = gt.uncertainty(scenario, samples, seed=seed, **options)  # type: ignore[arg-type]
        seconds = time.perf_counter() - start
        print(
            f"  gt.uncertainty {label:<22} {seconds:6.2f} s  P(prediction) "
            f"{result.baseline_holds:.4f} [{result.baseline_low:.4f}, {result.baseline_high:.4f}]"
        )


def quantecon(samples: int, seed: int) -> tuple[float, float]:
    """Seconds for QuantEcon to solve the same games, and P(prediction) from its answers."""
    from quantecon.game_theory import NormalFormGame, Player, support_enumeration

    import gametheory as gt
    from gametheory.analysis.uncertainty._robust import _design

    scenario = gt.load(LONDON)
    design, _ = _design(scenario, samples, seed, "random", None)
    tensor = scenario.payoff_tensor(design.points(0, samples))
    baseline = gt.solve(scenario.game())
    assert len(baseline) == 1 and baseline[0].is_pure
    row, col = (int(np.argmax(s)) for s in baseline[0].strategies)
    games = [(np.ascontiguousarray(t[0]), np.ascontiguousarray(t[1].T)) for t in tensor]
    support_enumeration(NormalFormGame((Player(games[0][0]), Player(games[0][1]))))  # compile
    holds = 0
    start = time.perf_counter()
    for a, b in games:
        found = support_enumeration(NormalFormGame((Player(a), Player(b))))
        holds += len(found) == 1 and found[0][0][row] > 1 - 1e-9 and found[0][1][col] > 1 - 1e-9
    return time.perf_counter() - start, holds / samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=100_000, help="points drawn")
    parser.add_argument("--seed", type=int, default=1, help="seed of the draws")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the whole command")
    args = parser.parse_args()
    n = args.samples
    print(f"London scenario, {n:,} points drawn from the declared beliefs (seed {args.seed})")
    ours = cli_robust(n, args.seed, args.repeat)
    print(
        f"  gametheory robust (whole CLI run, median of {args.repeat}) {ours:6.2f} s  "
        f"{n / ours:9,.0f} points/s"
    )
    in_process(n, args.seed)
    try:
        theirs, share = quantecon(n, args.seed)
    except ImportError:
        print("  QuantEcon not installed: pip install quantecon")
        return
    print(
        f"  QuantEcon support_enumeration, same games {theirs:6.2f} s  {n / theirs:9,.0f} "
        f"points/s (the whole CLI run is {theirs / ours:.1f}x faster); P(prediction) from its "
        f"equilibria {share:.4f}"
    )


if __name__ == "__main__":
    main()
