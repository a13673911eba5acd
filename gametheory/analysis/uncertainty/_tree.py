"""Outcome probabilities of tree scenarios under the declared beliefs about their parameters.

:func:`tree_uncertainty` is :func:`~gametheory.analysis.uncertainty.uncertainty` for game trees:
the points are drawn exactly as for chip scenarios (each varying parameter's belief, through its
quantile function, from random, Latin-hypercube or scrambled Sobol' uniforms; Gaussian copula
not applied, tree scenarios declare no correlations), each point's tree is solved by
:func:`~gametheory.sweeps.tree.solve_tree` under the chosen concept, and the probability of each
predicted path (the joint outcome of :meth:`TreeSweep.point_outcomes
<gametheory.sweeps.tree.TreeSweep.point_outcomes>`) is its share of the points, with the Wilson
95 % interval (Wilson 1927) of :func:`~gametheory.analysis.uncertainty.wilson_interval`.

Cost: one tree build and one solve per point (milliseconds each for hand-written trees), so
10,000 points take seconds to a minute. Limit: :data:`~gametheory.sweeps.tree.MAX_TREE_POINTS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ...errors import GameTheoryError, ScenarioError
from ...model._hooks import provide
from ...model.game import DEFAULT_TOL
from ...model.tree_scenario import TreeScenario
from ...sweeps.tree import CONCEPTS, MAX_TREE_POINTS, equilibria_rows, solve_tree
from ._robust import (
    METHODS,
    Outcome,
    Uncertainty,
    _BeliefDesign,
    _whole,
    beliefs_to_draw,
    wilson_interval,
)

__all__ = ["tree_uncertainty"]


def _kind(count: int) -> str:
    return "none" if count == 0 else "unique" if count == 1 else "several"


def _joint(scenario: TreeScenario, values: Mapping[str, float], concept: str, tol: float) -> Any:
    tree = scenario.tree(values)
    behaviours, complete = solve_tree(tree, concept, tol)
    rows = equilibria_rows(tree, behaviours, complete)
    label = " | ".join(dict.fromkeys(str(r["outcome"]) for r in rows))
    return label, len(rows), complete


def tree_uncertainty(
    scenario: TreeScenario,
    n: int = 10_000,
    *,
    seed: int = 0,
    method: str = "random",
    fixed: Mapping[str, float] | None = None,
    concept: str = "spe",
    tol: float = DEFAULT_TOL,
) -> Uncertainty:
    """Probability of each predicted path of a tree scenario under the declared beliefs.

    Parameters
    ----------
    scenario
        The tree scenario; parameters with a ``distribution``, or a finite range (uniform over
        it), vary; the others and those in ``fixed`` are held.
    n, seed, method
        Points drawn, the random seed, and ``"random"``, ``"lhs"`` or ``"sobol"``.
    fixed
        Values held fixed (``--set``).
    concept
        ``"spe"`` (default), ``"nash"``, ``"bne"`` or ``"pbe"``.
    tol
        The solvers' tolerance.

    Returns
    -------
    Uncertainty
        The same result as for chip scenarios: outcomes with Wilson 95 % intervals, the
        baseline prediction and how often it holds, and how many points had one or several
        equilibria (``solver`` holds the concept).

    Raises
    ------
    ScenarioError
        For bad arguments (checked before any solve), or a point where the tree cannot be
        built or solved (naming the point's values).
    """
    _whole("the number of points", n, 1, MAX_TREE_POINTS)
    _whole("seed", seed, 0, None)
    if method not in METHODS:
        raise ScenarioError(
            f"unknown sampling method '{method}'; expected one of {', '.join(METHODS)}"
        )
    if concept not in CONCEPTS:
        raise ScenarioError(f"unknown concept '{concept}' for trees; expected one of {CONCEPTS}")
    baseline, names, beliefs, held = beliefs_to_draw(scenario, fixed)
    design = _BeliefDesign(
        "uniform" if method == "random" else method,
        tuple(names),
        int(n),
        bounds=((0.0, 1.0),) * len(names),
        seed=int(seed),
        fixed=held,
        beliefs=tuple(beliefs),
    )
    prediction, _, _ = _joint(scenario, baseline, concept, tol)
    values = design.points(0, design.size)
    counts: dict[str, int] = {}
    kinds_of: dict[str, str] = {}
    kinds: dict[str, int] = {}
    complete = 0
    for i in range(design.size):
        point = {name: float(column[i]) for name, column in values.items()}
        try:
            label, count, done = _joint(scenario, point, concept, tol)
        except GameTheoryError as exc:
            where = ", ".join(f"{k}={v:g}" for k, v in point.items() if k in names)
            raise type(exc)(
                f"{exc.message} (at {where})", file=exc.file, key=exc.key, line=exc.line
            ) from None
        counts[label] = counts.get(label, 0) + 1
        kind = _kind(count)
        kinds_of.setdefault(label, kind)
        kinds[kind] = kinds.get(kind, 0) + 1
        complete += int(done)
    outcomes = []
    for label, points in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        low, high = wilson_interval(points, design.size)
        outcomes.append(Outcome(label, points, points / design.size, low, high, kinds_of[label]))
    holds = counts.get(prediction, 0)
    low, high = wilson_interval(holds, design.size)
    notes = [
        "Outcomes are predicted paths: the terminal nodes the players' strategies lead to for "
        "some draw of chance, joined by ' + '; several equilibria at a point are joined by ' | '."
    ]
    if complete < design.size:
        notes.append(
            f"At {design.size - complete:,} of {design.size:,} points the solver's list of "
            "equilibria is not complete (ties, or mixtures between the listed equilibria)."
        )
    return Uncertainty(
        title=scenario.title,
        n=design.size,
        seed=int(seed),
        method=method,
        beliefs={name: b.describe() for name, b in zip(names, beliefs, strict=True)},
        fixed=held,
        baseline=dict(baseline),
        baseline_outcome=prediction,
        baseline_holds=holds / design.size,
        baseline_low=low,
        baseline_high=high,
        outcomes=tuple(outcomes),
        kinds=kinds,
        complete=complete,
        solver=concept,
        tol=tol,
        continuum_detected=False,
        notes=tuple(notes),
        distributions=dict(zip(names, beliefs, strict=True)),
    )


provide("tree_uncertainty", tree_uncertainty)
