"""Benchmark: all extreme equilibria of larger bimatrix games, gametheory against its peers.

For each seeded game (random uniform payoffs at 10x10, 12x12, 15x15 and 20x20, and integer
payoffs 0..9 at 12x12, degenerate), in the same run:

- gametheory: ``gt.solve(game, "vertex_enumeration")`` (reduction, lexicographic pivoting,
  independent regret check, exact verification where payoffs are decimals), in this process,
  with its CPU time and the process's peak resident memory so far (``getrusage``; the games
  grow, so it is the largest game's peak);
- QuantEcon's ``vertex_enumeration`` (Qhull on the polar of the best-response polytopes, numba;
  compiled on a 3x3 game first, not timed);
- Gambit's ``enummixed`` (pygambit 17: ``enummixed_solve(StrategicGame.from_arrays(A, B),
  rational=False)``).

Each peer runs in a child process killed after ``--budget`` seconds (one child at a time). The
answers are compared as sets of extreme equilibria (profiles equal within 1e-6); "same as Gambit"
is reported where Gambit finished. Usage::

    python benchmarks/large_games.py [--sizes 10 12 15 20] [--games 1] [--budget 120] [--seed 2026]
        [--skip-peers]

The London sequential normal form (32x16) is compared with Gambit's stored answer
(``tests/data/london_sequential_enummixed.json``; Gambit needs minutes, so it is not rerun).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import gametheory as gt

Profiles = list[np.ndarray]


def ours(A: np.ndarray, B: np.ndarray) -> Profiles:
    result = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    return [np.concatenate(eq.strategies) for eq in result.equilibria]


def quantecon(A: np.ndarray, B: np.ndarray) -> Profiles:
    import quantecon.game_theory as qe

    game = qe.NormalFormGame((qe.Player(A), qe.Player(B.T)))
    return [np.concatenate(eq) for eq in qe.vertex_enumeration(game)]


def gambit(A: np.ndarray, B: np.ndarray) -> Profiles:
    import pygambit as gbt

    game = gbt.StrategicGame.from_arrays(A, B)
    result = gbt.nash.enummixed_solve(game, rational=False)
    return [np.array([float(p) for player in eq for _, p in player]) for eq in result.equilibria]


def _warm_up(name: str) -> None:
    """QuantEcon compiles its numba kernels on the first call: do it before timing."""
    if name == "quantecon":
        rng = np.random.default_rng(0)
        quantecon(rng.random((3, 3)), rng.random((3, 3)))


def _child(name: str, A: np.ndarray, B: np.ndarray, queue: Any) -> None:
    function = {"quantecon": quantecon, "gambit": gambit}[name]
    _warm_up(name)
    start = time.perf_counter()
    profiles = function(A, B)
    queue.put((time.perf_counter() - start, [p.tolist() for p in profiles]))


def in_child(
    name: str, A: np.ndarray, B: np.ndarray, budget: float
) -> tuple[float, Profiles] | None:
    """Run a peer in a child process; None if it did not finish within ``budget`` seconds."""
    context = mp.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_child, args=(name, A, B, queue))
    child.start()
    deadline = time.monotonic() + budget + (30.0 if name == "quantecon" else 0.0)
    answer = None
    while time.monotonic() < deadline:
        try:
            seconds, profiles = queue.get(timeout=0.5)
            answer = (seconds, [np.array(p) for p in profiles])
            break
        except Exception:  # queue.Empty: still running
            if not child.is_alive() and queue.empty():
                break
    if child.is_alive():
        child.terminate()
    child.join()
    return answer


def same(first: Profiles, second: Profiles, atol: float = 1e-6) -> bool:
    def unique(items: Profiles) -> Profiles:
        kept: Profiles = []
        for p in items:
            if not any(np.abs(p - q).max() <= atol for q in kept):
                kept.append(p)
        return kept

    a, b = unique(first), unique(second)
    return len(a) == len(b) and all(any(np.abs(p - q).max() <= atol for q in b) for p in a)


def games(sizes: list[int], seed: int, count: int) -> list[tuple[str, np.ndarray, np.ndarray]]:
    rng = np.random.default_rng(seed)
    found = []
    for n in sizes:
        for k in range(count):
            label = f"{n}x{n} uniform" + (f" #{k + 1}" if count > 1 else "")
            found.append((label, rng.random((n, n)), rng.random((n, n))))
    for k in range(count):
        label = "12x12 integers 0..9" + (f" #{k + 1}" if count > 1 else "")
        found.append(
            (
                label,
                rng.integers(0, 10, (12, 12)).astype(float),
                rng.integers(0, 10, (12, 12)).astype(float),
            )
        )
    return found


def london() -> str:
    """Ours on the London sequential normal form against the stored Gambit answer."""
    import json
    from fractions import Fraction
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    fixture = json.loads((root / "tests/data/london_sequential_enummixed.json").read_text())
    game = gt.load(str(root / "payoffs/london_talks_2025_sequential.toml")).game()
    start = time.perf_counter()
    result = gt.solve(game, "vertex_enumeration")
    seconds = time.perf_counter() - start
    mine = [np.concatenate(eq.strategies) for eq in result.equilibria]
    theirs = [
        np.array([float(Fraction(p)) for player in eq for p in player])
        for eq in fixture["equilibria"]
    ]
    verdict = "same set" if same(mine, theirs) else "DIFFERENT set"
    return (
        f"| London sequential 32x16 | {seconds:.3f} s, {len(mine)} eq. | n/a | "
        f"{fixture['seconds']:g} s (stored answer, tests/data), {len(theirs)} eq., {verdict} "
        f"| {'yes' if verdict == 'same set' else 'NO'} |"
    )


def timed(function: Callable[[np.ndarray, np.ndarray], Profiles], A: np.ndarray, B: np.ndarray):
    start = time.perf_counter()
    profiles = function(A, B)
    return time.perf_counter() - start, profiles


def cpu_and_peak(function: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``function``; its CPU seconds and this process's peak resident memory in MB after."""
    import resource

    start = time.process_time()
    value = function()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    return value, time.process_time() - start, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 12, 15, 20])
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per peer and game")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--games", type=int, default=1, help="games per size")
    parser.add_argument(
        "--skip-peers", action="store_true", help="time ours only (no QuantEcon, no Gambit)"
    )
    args = parser.parse_args()
    warm = np.random.default_rng(0)
    # Imports and first-call set-up (the reduction's LP solver, the pivoting path), not timed,
    # as QuantEcon's numba kernels are compiled before its timing.
    ours(warm.random((8, 8)), warm.random((8, 8)))
    ours(warm.random((12, 12)), warm.random((12, 12)))
    print(f"budget per peer and game: {args.budget:g} s (peers in a child process)")
    header = (
        "| game | gametheory | QuantEcon vertex_enumeration | Gambit enummixed (float) "
        "| same as Gambit |"
    )
    print(header)
    print("|---|---|---|---|---|")
    print(london(), flush=True)
    for label, A, B in games(args.sizes, args.seed, args.games):
        (seconds, mine), cpu, peak = cpu_and_peak(lambda A=A, B=B: timed(ours, A, B))
        cells = [f"{seconds:.3f} s ({cpu:.1f} s CPU, peak {peak:,.0f} MB), {len(mine)} eq."]
        agreement = "n/a"
        for name in () if args.skip_peers else ("quantecon", "gambit"):
            answer = in_child(name, A, B, args.budget)
            if answer is None:
                cells.append(f"> {args.budget:g} s (stopped)")
                continue
            peer_seconds, theirs = answer
            ratio = peer_seconds / seconds if seconds > 0 else float("inf")
            cells.append(
                f"{peer_seconds:.3f} s (ours {ratio:.2g}x faster), {len(theirs)} eq., "
                f"{'same set' if same(mine, theirs) else 'DIFFERENT set'}"
            )
            if name == "gambit":
                agreement = "yes" if same(mine, theirs) else "NO"
        print(f"| {label} | " + " | ".join(cells) + f" | {agreement} |", flush=True)


if __name__ == "__main__":
    main()
