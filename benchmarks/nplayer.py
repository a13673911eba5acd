"""All equilibria of seeded N-player games: ``polynomial_enumeration`` against pygambit's enumpoly.

Same games, same run. For each shape and kind (generic normal payoffs; "ties": integers 0-3),
prints per game kind: our median and worst time, how many of our results are complete, the
number of equilibria we list, pygambit 17.0.0b2 ``enumpoly_solve`` (run in one child process per
game, stopped after ``--time-limit`` seconds) median time and count, how many games enumpoly
missed equilibria that we certify (ours complete, theirs a strict subset), and how many listed
a profile we do not (there should be none where ours is complete). Run:
``python benchmarks/nplayer.py [--games 10] [--time-limit 30]``. At most one child process at a
time.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import time
from typing import Any

import numpy as np

import gametheory as gt


def random_game(seed: int, shape: tuple[int, ...], ties: bool) -> gt.Game:
    rng = np.random.default_rng(seed)
    if ties:
        return gt.Game.from_arrays(*(rng.integers(0, 4, size=shape) for _ in shape))
    return gt.Game.from_arrays(*(rng.normal(size=shape) for _ in shape))


def key(strategies: Any) -> tuple[float, ...]:
    return tuple(
        np.round(np.concatenate([np.asarray(s, dtype=float) for s in strategies]), 6) + 0.0
    )


def _enumpoly_child(payoffs: np.ndarray, sender: Any) -> None:
    import pygambit as gbt

    start = time.perf_counter()
    result = gbt.nash.enumpoly_solve(gbt.StrategicGame.from_arrays(*payoffs))
    found = [[[float(p) for _, p in player] for player in eq] for eq in result.equilibria]
    sender.send((time.perf_counter() - start, found))
    sender.close()


def enumpoly(game: gt.Game, time_limit: float) -> tuple[float, list[Any] | None]:
    """pygambit's enumpoly in a child process: (seconds, equilibria or None if stopped)."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_enumpoly_child, args=(game.payoffs, sender), daemon=True)
    start = time.perf_counter()
    child.start()
    sender.close()
    answer = receiver.recv() if receiver.poll(time_limit) else None
    child.join(timeout=1.0)
    if child.is_alive():
        child.kill()
        child.join()
    if answer is None:
        return time.perf_counter() - start, None
    return answer[0], answer[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=10)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--shapes", default="2x2x2,2x2x3,2x3x3,3x3x3,2x2x2x2")
    args = parser.parse_args()
    shapes = [tuple(int(n) for n in s.split("x")) for s in args.shapes.split(",")]
    print(
        f"{'game':<14}{'ours med/max s':>16}{'complete':>10}{'eq ours':>9}"
        f"{'gambit med s':>14}{'eq gambit':>11}{'gambit missed':>15}{'extra':>7}{'odd':>6}"
    )
    for shape in shapes:
        for ties in (False, True):
            times, gtimes, complete, ours_n, theirs_n = [], [], 0, 0, 0
            missed, extra, odd, stopped = 0, 0, 0, 0
            for seed in range(args.games):
                game = random_game(10_000 + seed, shape, ties)
                start = time.perf_counter()
                result = gt.solve(game, "polynomial_enumeration")
                times.append(time.perf_counter() - start)
                ours = {key(eq.strategies) for eq in result}
                complete += result.complete
                ours_n += len(ours)
                odd += result.complete and len(ours) % 2 == 1
                seconds, found = enumpoly(game, args.time_limit)
                gtimes.append(seconds)
                if found is None:
                    stopped += 1
                    continue
                theirs = {key(eq) for eq in found}
                theirs_n += len(theirs)
                missed += result.complete and theirs < ours
                extra += bool(theirs - ours)
            label = "x".join(map(str, shape)) + (" ties" if ties else "")
            g_count = f"{theirs_n}" + (f" ({stopped} stopped)" if stopped else "")
            print(
                f"{label:<14}{statistics.median(times):>8.2f}/{max(times):<7.2f}"
                f"{complete:>6}/{args.games:<3}{ours_n:>9}{statistics.median(gtimes):>14.3f}"
                f"{g_count:>11}{missed:>15}{extra:>7}{odd:>6}",
                flush=True,
            )


if __name__ == "__main__":
    main()
