"""Benchmark: subgame perfection on large perfect-information trees, gametheory and pygambit.

Builds seeded random perfect-information trees (two players, two or three moves per decision
node, continuous payoffs so there are no ties and the subgame-perfect equilibrium is unique)
of 1,000 to 100,000 nodes and times, on the same trees in the same run:

- gametheory: ``spe_tree`` (backward induction by levels, then the independent one-shot
  deviation re-check), from a built :class:`~gametheory.model.tree.Tree`; and the ``.efg``
  reading that gets the tree there;
- pygambit 17: reading the same ``.efg`` text, and its one equilibrium of a two-player tree by
  the sequence-form LCP (``lcp_solve(use_strategic=False, rational=False)``).
  Gambit has no subgame-perfect solver in Python, so this is the nearest peer: one Nash
  equilibrium of the same tree. Each Gambit run is in a worker process with a time limit.

It prints seconds, the ratio Gambit / ours, and whether Gambit's equilibrium gives the
subgame-perfect payoffs (it need not: a Nash equilibrium of the tree may rest on threats).

A second table (``--imperfect``) times one Nash equilibrium of seeded two-player
*imperfect-information* trees (:func:`imperfect_tree`: chance deals one of ``--chance`` (5)
hands at the root, which player 1 sees and player 2 does not; then the players alternate, each
not seeing the other's last move; 1,280 and 10,240 leaves by default; ``--imperfect-seeds``
for several trees of each size): ours by Lemke's algorithm on the sequence form
(``nash_tree(method="sequence")``: the logit priors then the centroid sharing the work,
re-check included; the table names the prior whose path ended) against pygambit's sequence-form LCP
(``lcp_solve(use_strategic=False)``; pygambit 17 refuses ``stop_after`` on trees, and its
tree LCP stops after one equilibrium anyway) on the same trees, in a child process with a time
limit ("> limit s" when it does not finish).

Usage::

    python benchmarks/trees.py [--sizes 1000 10000 100000] [--seed 1] [--gambit-timeout 120]
        [--imperfect 1000 10000] [--imperfect-seeds 1 2 3] [--chance 5]
        [--skip-gambit-imperfect]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import gametheory as gt
from gametheory.io.efg import dumps_efg, loads_efg


def random_tree(nodes: int, seed: int) -> gt.Tree:
    """A random perfect-information tree of about ``nodes`` nodes, built level by level."""
    rng = np.random.default_rng(seed)
    parent = [np.array([-1])]
    kinds = []
    count = 1
    level = np.array([0])
    while level.size:
        room = nodes - count
        grow = rng.random(level.size) < 0.75
        fan = rng.integers(2, 4, level.size) * grow
        total = np.cumsum(fan)
        keep = total <= room
        fan = np.where(keep, fan, 0)
        kinds.append(np.where(fan > 0, 1, 0).astype(np.int8))
        children = np.repeat(level, fan)
        parent.append(children)
        level = np.arange(count, count + children.size)
        count += children.size
    parent_arr = np.concatenate(parent)
    kind = np.concatenate(kinds)
    decision = np.flatnonzero(kind == 1)
    infoset = np.full(kind.size, -1)
    infoset[decision] = np.arange(decision.size)
    owner = rng.integers(0, 2, decision.size)
    payoffs = rng.normal(size=(int((kind == 0).sum()), 2))
    return gt.Tree(("P1", "P2"), parent_arr, kind, infoset, owner, np.ones(kind.size), payoffs)


def imperfect_tree(leaves: int, seed: int, chance: int = 4, branching: int = 2) -> gt.Tree:
    """A seeded two-player imperfect-information tree of about ``leaves`` leaves.

    Chance picks one of ``chance`` hands (player 1 sees it, player 2 does not); then the
    players alternate (player 1 first), ``branching`` moves each, and each mover does not see
    the other's last move (perfect recall holds: own moves and earlier ones are seen).
    Payoffs are independent standard normals (general-sum, no ties).
    """
    rng = np.random.default_rng(seed)
    depth = max(2, round(np.log(leaves / chance) / np.log(branching)))
    parent = [-1] + [0] * chance
    kind = [2]
    probability = [1.0] + [1.0 / chance] * chance
    infoset = [-1]
    owners: list[int] = []
    history = np.arange(chance).reshape(-1, 1)  # column 0: the hand; then the moves
    first = 1
    for level in range(depth):
        n = history.shape[0]
        mover = level % 2
        seen = history.copy()
        if mover == 1:
            seen[:, 0] = -1  # player 2 does not see the hand
        if level >= 1:
            seen[:, -1] = -1  # nor the other's last move
        keys, which = np.unique(seen, axis=0, return_inverse=True)
        infoset += (len(owners) + which.ravel()).tolist()
        owners += [mover] * keys.shape[0]
        kind += [1] * n
        parent += np.repeat(np.arange(first, first + n), branching).tolist()
        probability += [1.0] * (n * branching)
        moves = np.tile(np.arange(branching), n).reshape(-1, 1)
        history = np.concatenate([np.repeat(history, branching, axis=0), moves], axis=1)
        first += n
    n = history.shape[0]
    kind += [0] * n
    infoset += [-1] * n
    return gt.Tree(
        ("P1", "P2"),
        np.array(parent),
        np.array(kind),
        np.array(infoset),
        np.array(owners),
        np.array(probability),
        rng.normal(size=(n, 2)),
    )


def time_sequence(tree: gt.Tree) -> tuple[float, gt.TreeSolveResult]:
    """Seconds for one equilibrium by the sequence form (with its re-check), and the result."""
    start = time.perf_counter()
    result = gt.nash_tree(tree, "sequence")
    return time.perf_counter() - start, result


def _gambit_lcp_worker(text: str, queue: mp.Queue) -> None:
    import pygambit as gbt

    game = gbt.read_efg(io.StringIO(text))
    start = time.perf_counter()
    result = gbt.nash.lcp_solve(game, rational=False, use_strategic=False)
    elapsed = time.perf_counter() - start
    eq = result.equilibrium
    queue.put((elapsed, float(eq.max_regret())))


def run_in_child(
    target: Callable[..., None], args: tuple[Any, ...], timeout: float, results: int = 1
) -> list[Any]:
    """Run ``target(*args, queue)`` in a child process for at most ``timeout`` seconds.

    Returns what it put on the queue (at most ``results`` items; fewer if it ran out of time).
    """
    queue: mp.Queue = mp.Queue()
    worker = mp.Process(target=target, args=(*args, queue))
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        worker.terminate()
        worker.join()
    out: list[Any] = []
    while len(out) < results and not queue.empty():
        out.append(queue.get())
    return out


def time_gambit_lcp(text: str, timeout: float) -> tuple[float, float] | None:
    """pygambit's tree LCP: (seconds, its max regret), or None past the time limit."""
    got = run_in_child(_gambit_lcp_worker, (text,), timeout)
    return got[0] if got else None


def imperfect_table(
    sizes: list[int], seeds: list[int], chance: int, timeout: float, gambit: bool
) -> None:
    """Print ours vs pygambit on imperfect-information trees of the given leaf counts."""
    from gametheory.solvers.sequence_form import sequence_form

    print(
        f"\n{'leaves':>8} {'seed':>4} {'rows':>7} {'ours':>9} {'pivots':>7} {'gain':>8} "
        f"{'gambit lcp':>11} {'ratio':>7}  prior"
    )
    for size in sizes:
        for seed in seeds:
            tree = imperfect_tree(size, seed, chance=chance)
            rows = sequence_form(tree).lcp_rows
            elapsed, result = time_sequence(tree)
            start = result.method.split("algorithm from the ")[-1]
            prior, pivots = start.split(" (", 1)[0], start.split("(")[-1].split(" pivots")[0]
            if "precision" in start:
                prior += " " + start.split("precision ")[1].split(")")[0]
            theirs = time_gambit_lcp(dumps_efg(tree), timeout) if gambit else None
            if not gambit:
                their_text, ratio = "not run", "-"
            elif theirs is None:
                their_text, ratio = f"> {timeout:.0f} s", f"> {timeout / elapsed:.1f}x"
            else:
                their_text, ratio = f"{theirs[0]:.2f} s", f"{theirs[0] / elapsed:.1f}x"
            print(
                f"{tree.terminals.size:>8,} {seed:>4} {rows:>7,} {elapsed:>7.2f} s {pivots:>7} "
                f"{result[0].gain:>8.1e} {their_text:>11} {ratio:>7}  {prior}",
                flush=True,
            )


def time_ours(tree: gt.Tree) -> tuple[float, float, np.ndarray]:
    """Seconds to build the tree from its arrays (validation), to solve it, and the payoffs."""
    start = time.perf_counter()
    fresh = gt.Tree(
        tree.players,
        tree.parent,
        tree.kind,
        tree.infoset,
        tree.infoset_owner,
        tree.probability,
        tree.payoffs,
    )  # no cached arrays from earlier calls
    built = time.perf_counter() - start
    start = time.perf_counter()
    result = gt.spe_tree(fresh)
    elapsed = time.perf_counter() - start
    assert result.complete and len(result) == 1 and result[0].gain <= 1e-12
    return built, elapsed, result[0].payoffs


def _gambit_worker(text: str, solve: bool, queue: mp.Queue) -> None:
    import pygambit as gbt

    start = time.perf_counter()
    game = gbt.read_efg(io.StringIO(text))
    queue.put(time.perf_counter() - start)
    if not solve:
        return
    start = time.perf_counter()
    result = gbt.nash.lcp_solve(game, rational=False, use_strategic=False)
    elapsed = time.perf_counter() - start
    payoffs = result.equilibrium.payoffs
    queue.put((elapsed, [float(payoffs[p]) for p in game.players]))


def time_gambit(
    text: str, timeout: float, solve: bool
) -> tuple[float | None, tuple[float, list[float]] | None]:
    """Gambit's reading time and (solve time, payoffs), each None if not done in time."""
    got = run_in_child(_gambit_worker, (text, solve), timeout, results=2)
    got += [None] * (2 - len(got))
    return got[0], got[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 200, 1_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--gambit-timeout", type=float, default=60.0)
    parser.add_argument("--imperfect", type=int, nargs="*", default=[1_000, 10_000])
    parser.add_argument("--imperfect-seeds", type=int, nargs="+", default=[1])
    parser.add_argument("--chance", type=int, default=5, help="hands dealt at the root")
    parser.add_argument("--skip-gambit-imperfect", action="store_true")
    args = parser.parse_args()
    print(
        f"{'nodes':>8} {'ours build':>9} {'ours spe':>9} {'ours read':>10} {'gambit read':>12} "
        f"{'gambit lcp':>11} {'ratio':>8}  gambit's payoffs = SPE's"
    )
    gambit_solves = True  # stop asking Gambit to solve once it has run out of time
    for size in args.sizes:
        tree = random_tree(size, args.seed)
        text = dumps_efg(tree)
        start = time.perf_counter()
        loads_efg(text)
        ours_read = time.perf_counter() - start
        runs = [time_ours(tree) for _ in range(3)]
        built = min(r[0] for r in runs)
        ours_best = min(r[1] for r in runs)
        payoffs = runs[0][2]
        read, _ = time_gambit(text, args.gambit_timeout, False)
        solved = time_gambit(text, args.gambit_timeout, True)[1] if gambit_solves else None
        read_text = f"{read:>11.3f}s" if read is not None else f"{'timeout':>12}"
        if solved is None:
            over = f"> {args.gambit_timeout:.0f} s" if gambit_solves else "not run"
            line = f"{read_text} {over:>11} {'-':>8}  -"
            gambit_solves = False
        else:
            elapsed, theirs = solved
            same = bool(np.allclose(theirs, payoffs, atol=1e-6))
            line = f"{read_text} {elapsed:>10.3f}s {elapsed / ours_best:>7.0f}x  {same}"
        print(
            f"{tree.n_nodes:>8,} {built:>8.4f}s {ours_best:>8.4f}s {ours_read:>9.3f}s {line}",
            flush=True,
        )
    if args.imperfect:
        imperfect_table(
            args.imperfect,
            args.imperfect_seeds,
            args.chance,
            args.gambit_timeout,
            not args.skip_gambit_imperfect,
        )


if __name__ == "__main__":
    main()
