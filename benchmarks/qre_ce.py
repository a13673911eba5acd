"""QRE, correlated equilibria, learning dynamics and N-player solvers against pygambit / nashpy.

Same games, same run; prints each timing and the ratio (peer / ours: above 1 means ours is
faster) and the largest difference between the answers. Run: ``python benchmarks/qre_ce.py``.
Single process; about a minute.
"""

from __future__ import annotations

import time

import numpy as np

import gametheory as gt
from gametheory.solvers.correlated import correlated_equilibrium
from gametheory.solvers.learning import fictitious_play, replicator_dynamics
from gametheory.solvers.qre import fit_lambda, logit_branch, logit_qre


def timed(function, repeat: int = 3):
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        best = min(best, time.perf_counter() - start)
    return best, value


def vectors(profile):
    return [np.array([float(p) for _, p in player]) for player in profile]


def row(label: str, ours: float, theirs: float, diff: float | str) -> None:
    ratio = theirs / ours if ours > 0 else float("inf")
    diff_text = diff if isinstance(diff, str) else f"{diff:.1e}"
    print(f"{label:<38} {ours:9.4f} s {theirs:9.4f} s {ratio:7.2f}x   {diff_text}")


def main() -> None:
    import nashpy
    import pygambit as gbt

    rng = np.random.default_rng(2026)
    times = np.linspace(0, 10, 1000)
    print(f"{'case':<38} {'ours':>11} {'peer':>11} {'ratio':>8}   max difference")
    for shape in [(3, 3), (5, 5), (8, 8), (2, 2, 2), (3, 3, 3), (4, 4, 4)]:
        arrays = [rng.normal(size=shape) for _ in shape]
        game = gt.Game.from_arrays(*arrays)
        theirs = gbt.StrategicGame.from_arrays(*arrays)
        name = "x".join(map(str, shape))
        t_ours, branch = timed(lambda game=game: logit_branch(game))
        t_gbt, res = timed(lambda theirs=theirs: gbt.nash.logit_solve(theirs))
        diff = max(
            float(np.abs(a - b).max())
            for a, b in zip(branch.limit.strategies, vectors(res.equilibrium), strict=True)
        )
        row(f"QRE limit {name} vs logit_solve", t_ours, t_gbt, diff)
        t_ours, q = timed(lambda game=game: logit_qre(game, 3.0))
        t_gbt, qq = timed(lambda theirs=theirs: gbt.qre.logit_solve_lambda(theirs, lam=[3.0]))
        diff = max(
            float(np.abs(a - b).max())
            for a, b in zip(q.strategies, vectors(qq[0].profile), strict=True)
        )
        row(f"QRE at lambda 3 {name}", t_ours, t_gbt, diff)
        counts = [rng.integers(1, 50, size=n).astype(float) for n in shape]
        t_ours, fit = timed(lambda game=game, counts=counts: fit_lambda(game, counts), 1)
        data = theirs.mixed_strategy_profile(data=[c.tolist() for c in counts])
        t_gbt, est = timed(lambda data=data: gbt.qre.logit_estimate(data), 1)
        row(f"fit lambda {name} vs logit_estimate", t_ours, t_gbt, abs(fit.lam - est.lam))
        t_ce, _ = timed(lambda game=game: correlated_equilibrium(game))
        print(f"{'CE welfare max + ranges ' + name:<38} {t_ce:9.4f} s   (no peer computes it)")
        if len(shape) == 3 and shape != (4, 4, 4):
            t_ours, mine = timed(lambda game=game: gt.solve(game, "gambit_enumpoly"), 1)
            t_gbt, direct = timed(
                lambda theirs=theirs: gbt.nash.enumpoly_solve(theirs, use_strategic=True), 1
            )
            row(
                f"all equilibria {name} vs enumpoly",
                t_ours,
                t_gbt,
                f"{len(mine)} vs {len(direct.equilibria)} equilibria",
            )
    for n in (3, 6):
        A, B = rng.normal(size=(n, n)), rng.normal(size=(n, n))
        game = gt.Game.from_arrays(A, B)
        t_ours, path = timed(lambda game=game: fictitious_play(game, 2000, seed=1))

        def nashpy_fp(A=A, B=B):
            np.random.seed(1)  # noqa: NPY002  (nashpy draws from the global generator)
            return list(nashpy.Game(A, B).fictitious_play(iterations=2000))

        t_np, plays = timed(nashpy_fp)
        same = all(np.array_equal(path.counts[0][t], plays[t][0]) for t in range(len(plays)))
        row(f"fictitious play {n}x{n}, 2000 rounds", t_ours, t_np, "same" if same else "DIFFER")
        S = rng.normal(size=(n, n))
        t_ours, rd = timed(lambda S=S: replicator_dynamics(S, timepoints=times))
        t_np, xs = timed(lambda S=S: nashpy.Game(S).replicator_dynamics(timepoints=times))
        row(f"replicator {n} strategies", t_ours, t_np, float(np.abs(rd.strategies[0] - xs).max()))


if __name__ == "__main__":
    main()
