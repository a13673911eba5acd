"""Benchmark: sweeps of many small games, gametheory's batched solver against its peers.

On the same seeded random 3x3 and 4x4 games (continuous payoffs, and small integers 0..9 full of
ties), in the same run, this times:

- gametheory's batched vertex enumeration (all games in one call), and the same after removing
  strictly dominated actions game by game (``bimatrix_batch_reduced``, what sweeps run);
- QuantEcon's numba support enumeration, one call per game (compilation excluded);
- Gambit's ``enummixed`` in floating point, one call per game;
- nashpy's support enumeration, one call per game;

prints games per second and the ratio of ours to each, and checks the answers: on a subset, each
method's set of equilibria is compared with Gambit's ``enummixed`` in exact rational arithmetic.
Slow peers run on a prefix of the same games (their rate is per game either way).

Then it measures streaming: a sweep of a parameterised 3x3 scenario over ``--points`` random
points written chunk by chunk to Parquet, in a fresh process, reporting time and peak RSS for a
small and a large design (memory should not grow with the number of points).

Usage::

    python benchmarks/sweep.py [--games 100000] [--points 1000000] [--shapes 3x3,4x4]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import warnings
from fractions import Fraction

import numpy as np

from gametheory.solvers.batch import bimatrix_batch, bimatrix_batch_reduced


def make_games(shape, count, integers, seed=2026):
    rng = np.random.default_rng(seed)
    if integers:
        return rng.integers(0, 10, size=(2, count, *shape)).astype(float)
    return np.round(rng.uniform(-5, 5, size=(2, count, *shape)), 3)


def as_set(profiles):
    return [np.concatenate([np.asarray(s, float) for s in p]) for p in profiles]


def same(first, second, atol=1e-6):
    def unique(items):
        kept = []
        for p in items:
            if not any(np.abs(p - q).max() <= atol for q in kept):
                kept.append(p)
        return kept

    a, b = unique(first), unique(second)
    return len(a) == len(b) and all(any(np.abs(p - q).max() <= atol for q in b) for p in a)


def ours_per_game(result, count):
    out = [[] for _ in range(count)]
    flat = np.hstack(result.strategies)
    for g, row in zip(result.game, flat, strict=True):
        if g < count:
            out[g].append(row)
    return out


def gambit_solver(rational):
    import pygambit as gbt

    def run(A, B):
        if rational:
            A = np.array([[Fraction(str(v)) for v in r] for r in A.tolist()], dtype=object)
            B = np.array([[Fraction(str(v)) for v in r] for r in B.tolist()], dtype=object)
        game = gbt.StrategicGame.from_arrays(A, B)
        result = gbt.nash.enummixed_solve(game, rational=rational)
        return [
            np.array([float(p) for player in eq for _, p in player]) for eq in result.equilibria
        ]

    return run


def quantecon_solver():
    from quantecon.game_theory import NormalFormGame, Player, support_enumeration

    def run(A, B):
        return as_set(support_enumeration(NormalFormGame((Player(A), Player(B.T)))))

    return run


def nashpy_solver():
    import nashpy

    def run(A, B):
        return as_set(nashpy.Game(A, B).support_enumeration())

    return run


def timed_loop(solver, A, B, count):
    start = time.perf_counter()
    answers = [solver(A[g], B[g]) for g in range(count)]
    return count / (time.perf_counter() - start), answers


def compare(shape, integers, games):
    A, B = make_games(shape, games, integers)
    kind = "integers 0..9" if integers else "continuous"
    print(f"\n{shape[0]}x{shape[1]} games, {kind}, {games:,} games")
    start = time.perf_counter()
    result = bimatrix_batch(A, B)
    ours_rate = games / (time.perf_counter() - start)
    print(f"  gametheory batched vertex enumeration  {ours_rate:10.0f} games/s  (all {games:,})")
    start = time.perf_counter()
    reduced = bimatrix_batch_reduced(A, B)
    reduced_rate = games / (time.perf_counter() - start)
    print(f"  ... dominated actions removed first    {reduced_rate:10.0f} games/s  (all {games:,})")
    check = min(games, 2000)
    reference = [gambit_solver(True)(A[g], B[g]) for g in range(check)]
    for name, found in (("batched", result), ("reduced", reduced)):
        mine = ours_per_game(found, check)
        agree = sum(same(a, b) for a, b in zip(mine, reference, strict=True))
        print(f"    {name}: same as Gambit rational on {agree}/{check}")
    peers = [
        ("quantecon support_enumeration", quantecon_solver, games),
        ("gambit enummixed (float)", lambda: gambit_solver(False), min(games, 10_000)),
        ("nashpy support_enumeration", nashpy_solver, min(games, 1000 if shape[0] < 4 else 300)),
    ]
    figures = {"ours": ours_rate, "ours reduced": reduced_rate}
    for name, factory, count in peers:
        try:
            solver = factory()
        except ImportError:
            print(f"  {name}: not installed, skipped")
            continue
        solver(A[0], B[0])  # warm up (numba compiles here)
        rate, answers = timed_loop(solver, A, B, count)
        n = min(count, check)
        agree = sum(same(a, b) for a, b in zip(answers[:n], reference[:n], strict=True))
        figures[name] = rate
        print(
            f"  {name:38} {rate:10.0f} games/s  (first {count:,})  ours is "
            f"{ours_rate / rate:7.1f}x ({reduced_rate / rate:.1f}x reduced)  "
            f"same as Gambit rational on {agree}/{n}"
        )
    return figures


STREAM_CHILD = """
import json, resource, sys, time
import gametheory as gt
names = [f"{p}{i}{j}" for p in "ab" for i in range(3) for j in range(3)]
sc = gt.Scenario.from_matrices(
    {"R": ["r0", "r1", "r2"], "C": ["c0", "c1", "c2"]},
    {"R": [[f"a{i}{j}" for j in range(3)] for i in range(3)],
     "C": [[f"b{i}{j}" for j in range(3)] for i in range(3)]},
    [gt.Parameter(n, 0.5, 0, 1) for n in names])
points, out = int(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
sw = sc.sweep(sample=points, seed=1, out=out, chunk_size=20000)
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"points": points, "seconds": elapsed, "peak_mib": peak}))
"""


def streaming(points):
    print("\nstreaming sweep of a parameterised 3x3 scenario to Parquet, chunks of 20,000")
    for n in sorted({min(points, 100_000), points}):
        with tempfile.TemporaryDirectory() as tmp:
            run = subprocess.run(
                [sys.executable, "-c", STREAM_CHILD, str(n), f"{tmp}/out.parquet"],
                capture_output=True,
                text=True,
                check=True,
            )
        data = json.loads(run.stdout.strip().splitlines()[-1])
        rate = data["points"] / data["seconds"]
        print(
            f"  {data['points']:>10,} points: {data['seconds']:6.1f} s ({rate:,.0f} points/s), "
            f"peak RSS {data['peak_mib']:.0f} MiB"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=100_000)
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--shapes", default="3x3,4x4", help="comma-separated, e.g. 4x4")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    shapes = [tuple(int(v) for v in s.split("x")) for s in args.shapes.split(",")]
    for shape in shapes:
        for integers in (False, True):
            compare(shape, integers, args.games)
    if args.points:
        streaming(args.points)


if __name__ == "__main__":
    main()
