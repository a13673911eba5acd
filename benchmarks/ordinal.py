"""Benchmark: graph-model stability of 4 decision makers x 12 options (4,096 states).

No pip-installable peer exists (GMCR II and GMCR+ are desktop applications, gmcr-py an
unmaintained GUI), so the script times our engine on a seeded model and, for agreement and a
ratio, the definitions-based brute force of ``tests/test_ordinal_properties.py`` on a smaller
model (3 DMs x 2 options) in the same run. Usage::

    python benchmarks/ordinal.py [--seed 1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from gametheory.analysis.ordinal import CONCEPTS, GraphModel, analyse, coalitions


def random_model(n_dm: int, per_dm: int, seed: int, infeasible: int = 3) -> GraphModel:
    rng = np.random.default_rng(seed)
    dms = [f"D{d}" for d in range(n_dm)]
    options = {f"o{d}_{k}": dms[d] for d in range(n_dm) for k in range(per_dm)}
    names = list(options)
    conditions = []
    for _ in range(infeasible):
        a, b, c = rng.choice(names, size=3, replace=False)
        conditions.append(f"{a} and {b} and not {c}")
    irreversible = {str(name): "take" for name in rng.choice(names, size=n_dm, replace=False)}
    statements = {}
    for dm in dms:
        texts = []
        for _ in range(6):
            a, b = rng.choice(names, size=2, replace=False)
            op = rng.choice(["and", "or", "if", "iff"])
            neg = "not " if rng.random() < 0.5 else ""
            texts.append(f"{neg}{a} {op} {b}")
        statements[dm] = texts
    return GraphModel.build(
        dms, options, infeasible=conditions, irreversible=irreversible, statements=statements
    )


def best_of(repeat: int, fn) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    full, _ = best_of(args.repeat, lambda: analyse(random_model(4, 3, args.seed, infeasible=0)))
    print(
        f"4 DMs x 12 options, every one of the 4,096 states feasible: all five concepts in "
        f"{full:.3f} s (model building included)"
    )
    build, model = best_of(args.repeat, lambda: random_model(4, 3, args.seed))
    print(
        f"model: 4 DMs x 12 options, {model.n_states:,} feasible of 4,096 states "
        f"(built in {build:.3f} s)"
    )
    fresh = lambda: random_model(4, 3, args.seed)  # noqa: E731  (moves are cached per model)
    total, result = best_of(args.repeat, lambda: analyse(fresh()))
    print(
        f"all five concepts ({', '.join(CONCEPTS)}), moves included: {total:.3f} s "
        f"(model building included; {total - build:.3f} s analysis)"
    )
    for concept in CONCEPTS:
        t, _ = best_of(args.repeat, lambda c=concept: analyse(fresh(), (c,)))
        eq = len(result.equilibria(concept))
        print(f"  {concept:5s} {t - build:.3f} s   {eq} equilibria")
    t, co = best_of(1, lambda: coalitions(fresh()))
    print(
        f"coalition Nash + coalition SEQ, all 15 coalitions: {t - build:.3f} s, "
        f"{len(co.equilibria('cnash'))} CNash and {len(co.equilibria('cseq'))} CSEQ equilibria"
    )

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from test_ordinal_properties import Brute

    small = random_model(3, 2, args.seed, infeasible=1)
    t_ours, ours = best_of(args.repeat, lambda: analyse(random_model(3, 2, args.seed, 1)))
    start = time.perf_counter()
    brute = Brute(small)
    agree = all(
        bool(ours.stable[c][i, s]) == brute.stable(c, i, s)
        for c in CONCEPTS
        for i in range(3)
        for s in range(small.n_states)
    )
    t_brute = time.perf_counter() - start
    print(
        f"3 DMs x 6 options ({small.n_states} states): ours {t_ours:.4f} s, brute force from "
        f"the definitions {t_brute:.3f} s ({t_brute / t_ours:.0f}x), agree: {agree}"
    )


if __name__ == "__main__":
    main()
