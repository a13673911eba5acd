"""Benchmark: all equilibria of single random bimatrix games, gametheory against its peers.

Runs gametheory's solvers, nashpy's, pygambit's ``enummixed`` and (if installed) QuantEcon's
support enumeration on the same seeded games in the same run, and prints games per second, the
ratio to gametheory's ``vertex_enumeration``, and how often each answer equals the reference
(Gambit's ``enummixed`` in exact rational arithmetic, as a set of extreme equilibria).

This times one Python call per game, the way the peers are used; the batched sweep solver is a
separate benchmark. Usage::

    python benchmarks/solve_games.py [--games 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable, Iterable
from fractions import Fraction

import numpy as np

import gametheory as gt

Profiles = Iterable[tuple[np.ndarray, np.ndarray]]


def as_set(profiles: Profiles) -> frozenset[tuple[float, ...]]:
    return frozenset(
        tuple(np.round(np.concatenate([np.asarray(s, float) for s in p]), 6) + 0.0)
        for p in profiles
    )


def ours(method: str) -> Callable[[np.ndarray, np.ndarray], Profiles]:
    def run(A: np.ndarray, B: np.ndarray) -> Profiles:
        return [eq.strategies for eq in gt.solve(gt.Game.from_arrays(A, B), method)]

    return run


def nashpy_support(A: np.ndarray, B: np.ndarray) -> Profiles:
    import nashpy

    return list(nashpy.Game(A, B).support_enumeration())


def nashpy_vertex(A: np.ndarray, B: np.ndarray) -> Profiles:
    import nashpy

    shift = 1 - min(A.min(), B.min())  # nashpy's vertex enumeration needs positive payoffs
    return list(nashpy.Game(A + shift, B + shift).vertex_enumeration())


def gambit(rational: bool) -> Callable[[np.ndarray, np.ndarray], Profiles]:
    import pygambit as gbt

    def run(A: np.ndarray, B: np.ndarray) -> Profiles:
        if rational:
            A2 = np.array([[Fraction(str(v)) for v in r] for r in A.tolist()], dtype=object)
            B2 = np.array([[Fraction(str(v)) for v in r] for r in B.tolist()], dtype=object)
        else:
            A2, B2 = A, B
        game = gbt.StrategicGame.from_arrays(A2, B2)
        result = gbt.nash.enummixed_solve(game, rational=rational)
        out = []
        for eq in result.equilibria:
            x, y = ([float(p) for _, p in player] for player in eq)
            out.append((np.array(x), np.array(y)))
        return out

    return run


def quantecon_support(A: np.ndarray, B: np.ndarray) -> Profiles:
    from quantecon.game_theory import NormalFormGame, Player, support_enumeration

    return support_enumeration(NormalFormGame((Player(A), Player(B.T))))


def make_games(shape: tuple[int, int], count: int, integers: bool, seed: int):
    rng = np.random.default_rng(seed)
    games = []
    for _ in range(count):
        if integers:
            A, B = rng.integers(0, 10, size=(2, *shape)).astype(float)
        else:
            A, B = np.round(rng.uniform(-5, 5, size=(2, *shape)), 3)
        games.append((A, B))
    return games


def solvers() -> dict[str, Callable[[np.ndarray, np.ndarray], Profiles]]:
    table: dict[str, Callable[[np.ndarray, np.ndarray], Profiles]] = {
        "gametheory vertex_enumeration": ours("vertex_enumeration"),
        "gametheory support_enumeration": ours("support_enumeration"),
        "nashpy support_enumeration": nashpy_support,
        "nashpy vertex_enumeration": nashpy_vertex,
    }
    try:
        import pygambit  # noqa: F401

        table["gambit enummixed (float)"] = gambit(rational=False)
    except ImportError:
        print("pygambit not installed: skipping Gambit (pip install 'gametheory[gambit]')")
    try:
        import quantecon  # noqa: F401

        table["quantecon support_enumeration"] = quantecon_support
    except ImportError:
        print("quantecon not installed: skipping QuantEcon")
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--games", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    table = solvers()
    try:
        reference = gambit(rational=True)
    except ImportError:
        reference = ours("vertex_enumeration")
        print("reference: gametheory vertex_enumeration (pygambit missing)")
    for shape in [(3, 3), (4, 4), (5, 5)]:
        for integers in (False, True):
            games = make_games(shape, args.games, integers, args.seed)
            expected = [as_set(reference(A, B)) for A, B in games]
            kind = "integers 0..9" if integers else "decimals"
            print(f"\n{shape[0]}x{shape[1]} games, payoffs {kind}, {len(games)} games")
            base = None
            for name, solve in table.items():
                if name.startswith("quantecon"):
                    solve(*games[0])  # numba compilation is not timed
                start = time.perf_counter()
                answers = [as_set(solve(A, B)) for A, B in games]
                elapsed = time.perf_counter() - start
                rate = len(games) / elapsed
                base = base or rate
                exact = sum(a == e for a, e in zip(answers, expected, strict=True))
                print(
                    f"  {name:34} {rate:10.0f} games/s  ratio to ours {rate / base:7.3f}  "
                    f"same as Gambit rational: {exact}/{len(games)}"
                )


if __name__ == "__main__":
    main()
