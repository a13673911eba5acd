"""Benchmark: one equilibrium of zero-sum imperfect-information trees, ours and pygambit.

The trees are ``benchmarks/trees.py``'s :func:`imperfect_tree` with player 2's payoffs replaced
by minus player 1's. Ours: ``nash_sequence_lp`` (the sequence-form LP solved by HiGHS, with
its independent re-check); pygambit 17: ``lp_solve(rational=False)`` (its sequence-form LP) in
a child process with a time limit. Prints seconds, the ratio Gambit / ours and both values.

Usage::

    python benchmarks/trees_zero_sum.py [--sizes 1000 10000 100000] [--seed 1] [--timeout 120]
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import multiprocessing as mp
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from trees import imperfect_tree, run_in_child

import gametheory as gt
from gametheory.io.efg import dumps_efg
from gametheory.solvers.sequence_lp import nash_sequence_lp


def zero_sum(tree: gt.Tree) -> gt.Tree:
    """The same tree with player 2's payoffs set to minus player 1's."""
    payoffs = tree.payoffs.copy()
    payoffs[:, 1] = -payoffs[:, 0]
    return dataclasses.replace(tree, payoffs=payoffs)


def _gambit_worker(text: str, queue: mp.Queue) -> None:
    import pygambit as gbt

    game = gbt.read_efg(io.StringIO(text))
    start = time.perf_counter()
    try:
        eq = gbt.nash.lp_solve(game, rational=False).equilibrium
    except RuntimeError as exc:  # e.g. "Bad pivot in LUDecomposition"
        queue.put((time.perf_counter() - start, str(exc)))
        return
    queue.put((time.perf_counter() - start, float(next(iter(eq.payoffs))[1])))


def time_gambit(text: str, timeout: float) -> tuple[float, float | str] | None:
    """pygambit's LP: (seconds, value to player 1 or its error), or None past the limit."""
    got = run_in_child(_gambit_worker, (text,), timeout)
    return got[0] if got else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    print(f"{'leaves':>8} {'ours':>9} {'value':>14} {'gambit lp':>11} {'ratio':>8}  agree")
    for size in args.sizes:
        tree = zero_sum(imperfect_tree(size, args.seed))
        start = time.perf_counter()
        result = nash_sequence_lp(tree)
        ours = time.perf_counter() - start
        value = float(result[0].payoffs[0])
        theirs = time_gambit(dumps_efg(tree), args.timeout)
        if theirs is None:
            text, ratio, agree = f"> {args.timeout:.0f} s", f"> {args.timeout / ours:.1f}x", "-"
        elif isinstance(theirs[1], str):
            text, ratio, agree = f"{theirs[0]:.2f} s", "-", f"gambit failed: {theirs[1]}"
        else:
            text, ratio = f"{theirs[0]:.2f} s", f"{theirs[0] / ours:.1f}x"
            agree = str(abs(theirs[1] - value) <= 1e-8 * max(1.0, abs(value)))
        print(
            f"{tree.terminals.size:>8,} {ours:>7.2f} s {value:>14.10f} {text:>11} {ratio:>8}  "
            f"{agree}",
            flush=True,
        )


if __name__ == "__main__":
    main()
