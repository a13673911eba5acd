"""Benchmark: "how sure is the prediction" on London, and the nearest change of the prediction.

1. ``gametheory whatif`` on London from the command line (fresh processes, median of 3), for a
   target found by the local search (the US enforces the deadline, China slows licences) and an
   impossible one (China licenses military magnets), and the searches alone in this process:
   ``parameter_change`` for both targets and ``prediction_change``.
2. Sobol' indices of "the prediction holds" (``gt.sensitivity``, Saltelli design through the
   declared beliefs, SALib's estimators): the whole analysis with the batched solver, against
   the same design's points solved one call per game by Gambit's ``enummixed`` (pygambit) and
   nashpy's ``support_enumeration`` on a prefix, with the share of those points where each
   peer's equilibria give the same "prediction holds" as ours.
3. ``gametheory report`` on London (fresh process, wall and CPU).

Usage::

    python benchmarks/how_sure.py [--n 512] [--prefix 300]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np

import gametheory as gt

ROOT = Path(__file__).resolve().parents[1]
LONDON = ROOT / "payoffs" / "london_talks_2025.toml"
FOUND = ["--target", "US=maintain+enforce+keep", "--target", "China=withhold+slow"]
IMPOSSIBLE = ["--target", "US=maintain+extend+lift", "--target", "China=license+expedite"]


def cli(args: list[str], repeat: int = 3) -> tuple[float, float]:
    """Median wall time and CPU time of a command in fresh processes."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "gametheory", *args], check=True, capture_output=True, cwd=ROOT
        )
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def timed(call):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = call()
    return out, time.perf_counter() - start


def pure_profile(strategies: list[np.ndarray]) -> tuple[int, ...] | None:
    if all(np.isclose(np.max(s), 1.0) for s in strategies):
        return tuple(int(np.argmax(s)) for s in strategies)
    return None


def peers_on_prefix(n: int, prefix: int) -> None:
    """Solve the first points of the Sobol' design one call per game with the peers."""
    from SALib.sample import sobol as sobol_sample

    sc = gt.load(LONDON)
    names = [p for p in sc.parameters]
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    unit = sobol_sample.sample(problem, n, calc_second_order=False, scramble=True, seed=1)
    unit = unit[:prefix]
    values = {name: sc.parameters[name].belief.ppf(unit[:, j]) for j, name in enumerate(names)}
    tensor = sc.payoff_tensor(values)
    base = gt.solve(sc.game())
    target = pure_profile([np.asarray(s) for s in base[0].strategies])

    def holds(profiles: list[list[np.ndarray]]) -> bool:
        return len(profiles) == 1 and pure_profile(profiles[0]) == target

    start = time.perf_counter()
    ours = [
        holds(
            [[np.asarray(s) for s in eq.strategies] for eq in gt.solve(gt.Game.from_arrays(A, B))]
        )
        for A, B in zip(tensor[:, 0], tensor[:, 1], strict=True)
    ]
    ours_rate = prefix / (time.perf_counter() - start)
    print(f"  gametheory.solve, one call per game: {ours_rate:8.0f} games/s")
    try:
        import pygambit as gbt

        start = time.perf_counter()
        agree = 0
        for k, (A, B) in enumerate(zip(tensor[:, 0], tensor[:, 1], strict=True)):
            result = gbt.nash.enummixed_solve(gbt.StrategicGame.from_arrays(A, B), rational=False)
            profiles = [
                [np.array([float(p) for _, p in player]) for player in eq]
                for eq in result.equilibria
            ]
            agree += holds(profiles) == ours[k]
        rate = prefix / (time.perf_counter() - start)
        print(
            f"  Gambit enummixed (float):           {rate:8.0f} games/s, same indicator on "
            f"{agree}/{prefix}"
        )
    except ImportError:
        print("  pygambit not installed: skipping Gambit")
    import nashpy

    few = min(prefix, 30)  # about 2 games/s (8 x 4 games, every pair of supports)
    start = time.perf_counter()
    agree = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k, (A, B) in enumerate(zip(tensor[:few, 0], tensor[:few, 1], strict=True)):
            profiles = [list(p) for p in nashpy.Game(A, B).support_enumeration()]
            agree += holds(profiles) == ours[k]
    rate = few / (time.perf_counter() - start)
    print(
        f"  nashpy support_enumeration:         {rate:8.0f} games/s, same indicator on "
        f"{agree}/{few}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=512, help="Sobol' base sample (power of two)")
    parser.add_argument("--prefix", type=int, default=300, help="points solved by the peers")
    args = parser.parse_args()

    print("1. what would it take (London, 17 parameters)")
    for label, target in (("found (enforce/slow)", FOUND), ("impossible (license)", IMPOSSIBLE)):
        wall, cpu = cli(["whatif", str(LONDON), *target])
        print(f"  gametheory whatif, {label}: {wall:5.2f} s wall, {cpu:5.2f} s CPU")
    sc = gt.load(LONDON)
    gt.parameter_change(sc, {"US": "maintain+enforce+keep", "China": "withhold+slow"})  # warm
    for label, target in (
        ("found", {"US": "maintain+enforce+keep", "China": "withhold+slow"}),
        ("impossible", {"US": "maintain+extend+lift", "China": "license+expedite"}),
    ):
        result, seconds = timed(lambda t=target: gt.parameter_change(sc, t, margin=0.1))
        print(
            f"  parameter_change {label}: {seconds:6.3f} s (found={result.found}, "
            f"exact={result.exact}, distance={result.distance})"
        )
    result, seconds = timed(lambda: gt.prediction_change(sc))
    print(
        f"  prediction_change: {seconds:6.3f} s, distance {result.distance:.6f} "
        f"(exact {result.exact}), then {result.outcome}"
    )

    print(f"2. Sobol' indices of 'the prediction holds', n = {args.n}")
    import SALib.analyze.sobol  # noqa: F401  (import time is not the analysis)

    result, seconds = timed(lambda: gt.sensitivity(sc, n=args.n, seed=1))
    print(
        f"  gt.sensitivity (batched solver + SALib): {result.points:,} points in {seconds:.2f} s "
        f"= {result.points / seconds:,.0f} points/s; P(holds) {result.holds.mean:.3f}; top "
        + ", ".join(f"{n} {v:.2f}" for n, v in result.holds.ranked()[:3])
    )
    peers_on_prefix(args.n, args.prefix)

    print("3. gametheory report on London")
    wall, cpu = cli(["report", str(LONDON), "--out", "/tmp/how_sure_report.html"], repeat=1)
    print(f"  {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
