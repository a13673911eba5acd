"""Sweeps over tree scenarios: the predicted path at every point of a grid or a sample.

:func:`tree_sweep` builds the points with the matrix sweeps' designs
(:func:`~gametheory.sweeps.design.grid_design`, :func:`~gametheory.sweeps.design.sample_design`:
grid axes, uniform and Latin-hypercube samples, the same seeds give the same points), builds the
tree at each point (:meth:`TreeScenario.tree <gametheory.model.tree_scenario.TreeScenario.tree>`)
and solves it with the chosen concept (``spe``: :func:`~gametheory.solvers.tree.spe`;
``nash``: :func:`~gametheory.solvers.tree.nash_tree`; ``bne``:
:func:`~gametheory.solvers.bayesian.bayesian_nash`; ``pbe``:
:func:`~gametheory.solvers.bayesian.pbe_signalling`). Every equilibrium comes from those
solvers, which re-check each one independently (regret, or gain in any subgame).

The table has one row per (point, equilibrium):

``point``
    Index of the point in the design.
parameter columns
    Every parameter's value (varying ones first).
``n_equilibria``, ``equilibrium``
    How many equilibria the point has, and which one the row is (0, 1, ...).
``outcome``
    The predicted path as a label that does not move with chance probabilities: the terminal
    nodes the players' strategies lead to for some draw of chance, joined by ``" + "``.
``path``
    The terminal nodes reached with their probabilities, ``name (p); ...``.
``complete``
    Whether the point's list of equilibria is complete (as the solver says).
``payoff:PLAYER``
    Each player's expected payoff.
``move:INFOSET``
    The move taken at each decision (information set) reached with positive probability
    (``"offer"``, or ``"offer 0.3, no_offer 0.7"`` where the mover mixes); empty off the path.

Cost: one tree build and one solve per point (a few milliseconds for hand-written trees), in
this process or in at most :data:`MAX_PROCESSES` worker processes. Limits: the designs' limits,
and at most :data:`MAX_TREE_POINTS` points (each point is solved on its own).
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from ..errors import GameTheoryError, ScenarioError
from ..model._hooks import provide
from ..model.game import DEFAULT_TOL
from ..model.scenario import Scenario
from ..model.tree import CHANCE, DECISION, Tree
from ..model.tree_scenario import TreeScenario
from .design import Design, grid_design, sample_design

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CONCEPTS",
    "MAX_PROCESSES",
    "MAX_TREE_POINTS",
    "TreeSweep",
    "equilibria_rows",
    "solve_tree",
    "tree_sweep",
]

#: Solution concepts a tree sweep offers.
CONCEPTS = ("spe", "nash", "bne", "pbe")
#: Most points of a tree sweep (each point is a separate solve, about a millisecond or more).
MAX_TREE_POINTS = 1_000_000
#: Most worker processes a tree sweep starts.
MAX_PROCESSES = 2
#: Probabilities below this count as zero (a path not taken).
_ZERO = 1e-12
#: Points handed to a worker process at a time.
_CHUNK = 64


@dataclass(frozen=True, eq=False)
class TreeSweep:
    """The results of a tree sweep: the tidy table, the design and the concept.

    Attributes
    ----------
    scenario
        The tree scenario.
    design
        The points (a :class:`~gametheory.sweeps.design.Design`).
    concept
        ``"spe"``, ``"nash"``, ``"bne"`` or ``"pbe"``.
    table
        One row per (point, equilibrium); columns in the module docstring.
    """

    scenario: TreeScenario
    design: Design
    concept: str
    table: pd.DataFrame

    def point_outcomes(self) -> pd.DataFrame:
        """One row per point: its parameters, ``n_equilibria``, ``complete`` and ``outcome``.

        The point's outcome lists its equilibria's distinct path labels in order, joined by
        ``" | "``.
        """
        params = list(self.design.names)
        rows = []
        for point, group in self.table.groupby("point", sort=True):
            labels = list(dict.fromkeys(str(o) for o in group["outcome"]))
            first = group.iloc[0]
            rows.append(
                {
                    "point": int(cast(int, point)),
                    **{name: float(first[name]) for name in params},
                    "n_equilibria": int(first["n_equilibria"]),
                    "complete": bool(first["complete"]),
                    "outcome": " | ".join(labels),
                }
            )
        import pandas as pd

        return pd.DataFrame(rows, columns=["point", *params, "n_equilibria", "complete", "outcome"])

    def summary(self) -> pd.DataFrame:
        """Share of the points where each joint outcome holds, most common first.

        Columns ``outcome``, ``points``, ``share``.
        """
        points = self.point_outcomes()
        counts = points.groupby("outcome", sort=False).size().rename("points").reset_index()
        counts["share"] = counts["points"] / max(len(points), 1)
        return counts.sort_values(["points", "outcome"], ascending=[False, True]).reset_index(
            drop=True
        )

    def switches(self, name: str | None = None) -> list[tuple[float, float, str, str]]:
        """Where the predicted outcome changes along a grid parameter (the others fixed).

        Parameters
        ----------
        name
            A parameter of a grid design; default: its only one.

        Returns
        -------
        list
            ``(value_before, value_after, outcome_before, outcome_after)`` for each pair of
            neighbouring grid values whose joint outcomes differ (the switch lies between them,
            or at one of them where both outcomes are equilibria). With two or more grid
            parameters, only lines along ``name`` at the first value of the others are read.
        """
        if self.design.kind != "grid":
            raise ScenarioError("switch points are read along a grid; this sweep is a sample")
        if name is None:
            if len(self.design.names) != 1:
                raise ScenarioError(
                    f"name the grid parameter to read switches along (one of "
                    f"{', '.join(self.design.names)})"
                )
            name = self.design.names[0]
        if name not in self.design.names:
            raise ScenarioError(
                f"'{name}' is not a grid parameter of this sweep ({', '.join(self.design.names)})"
            )
        points = self.point_outcomes()
        for other, axis in zip(self.design.names, self.design.axes, strict=True):
            if other != name:
                points = points[points[other] == axis[0]]
        points = points.sort_values(name)
        values = points[name].to_numpy(dtype=float)
        labels = points["outcome"].to_numpy(dtype=object)
        return [
            (float(values[k]), float(values[k + 1]), str(labels[k]), str(labels[k + 1]))
            for k in range(len(values) - 1)
            if labels[k] != labels[k + 1]
        ]

    def __repr__(self) -> str:
        return (
            f"<TreeSweep {self.scenario.title!r}: {self.design.size:,} points "
            f"({self.design.kind}), {self.concept}, {len(self.table):,} rows>"
        )


# ---------------------------------------------------------------------- solving one tree
def solve_tree(tree: Tree, concept: str, tol: float = DEFAULT_TOL) -> tuple[list[Any], bool]:
    """Equilibria of one tree under a concept: ``(behaviour profiles, complete)``.

    Each solver re-checks its equilibria (see :mod:`gametheory.solvers.tree` and
    :mod:`gametheory.solvers.bayesian`).
    """
    from ..solvers.bayesian import bayesian_nash, pbe_signalling
    from ..solvers.tree import nash_tree, spe

    if concept == "spe":
        result = spe(tree, tol=tol)
        return [eq.behaviour for eq in result.equilibria], bool(result.complete)
    if concept == "nash":
        result = nash_tree(tree, tol=tol)
        return [eq.behaviour for eq in result.equilibria], bool(result.complete)
    if concept == "bne":
        bayes = bayesian_nash(tree, tol=tol)
        return [eq.equilibrium.behaviour for eq in bayes.equilibria], bool(bayes.complete)
    if concept == "pbe":
        pbe = pbe_signalling(tree, tol=tol)
        return [eq.behaviour for eq in pbe.equilibria], bool(pbe.complete)
    raise ScenarioError(f"unknown concept '{concept}' for trees; expected one of {CONCEPTS}")


def _possible(tree: Tree, behaviour: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Nodes the players' behaviour leads to for some draw of chance (chance moves all taken)."""
    move = tree.move_probabilities(behaviour) > _ZERO
    parents = tree.parent[1:]
    move[1:] |= tree.kind[parents] == CHANCE
    possible = np.ones(tree.n_nodes, dtype=bool)
    for start, stop in tree.levels()[1:]:
        possible[start:stop] = possible[tree.parent[start:stop]] & move[start:stop]
    return possible


def _mix_text(moves: Sequence[str], probabilities: NDArray[np.float64]) -> str:
    shown = [(m, float(p)) for m, p in zip(moves, probabilities, strict=True) if p > _ZERO]
    if len(shown) == 1:
        return shown[0][0]
    return ", ".join(f"{m} {p:.4g}" for m, p in shown)


def equilibria_rows(
    tree: Tree, behaviours: Sequence[NDArray[np.float64]], complete: bool
) -> list[dict[str, Any]]:
    """The table columns of one point's equilibria (without ``point`` and the parameters)."""
    rows = []
    terminals = tree.terminals
    for k, behaviour in enumerate(behaviours):
        reach = tree.reach(behaviour)
        possible = _possible(tree, behaviour)
        outcome = " + ".join(tree.node_name(int(t)) for t in terminals if possible[t])
        path = "; ".join(
            f"{tree.node_name(int(t))} ({reach[t]:.4g})" for t in terminals if reach[t] > _ZERO
        )
        payoffs = reach[terminals] @ tree.payoffs
        row: dict[str, Any] = {
            "n_equilibria": len(behaviours),
            "equilibrium": k,
            "outcome": outcome,
            "path": path,
            "complete": complete,
        }
        for player, value in zip(tree.players, payoffs, strict=True):
            row[f"payoff:{player}"] = float(value)
        infoset_reach = np.zeros(tree.n_infosets)
        decision = np.flatnonzero(tree.kind == DECISION)
        np.add.at(infoset_reach, tree.infoset[decision], reach[decision])
        for h, label in enumerate(tree.infoset_labels):
            lo, hi = int(tree.action_offset[h]), int(tree.action_offset[h + 1])
            row[f"move:{label}"] = (
                _mix_text(tree.infoset_moves(h), behaviour[lo:hi])
                if infoset_reach[h] > _ZERO
                else ""
            )
        rows.append(row)
    return rows


def _solve_many(trees: Sequence[Tree], concept: str, tol: float) -> list[list[dict[str, Any]]]:
    out = []
    for tree in trees:
        behaviours, complete = solve_tree(tree, concept, tol)
        out.append(equilibria_rows(tree, behaviours, complete))
    return out


# ---------------------------------------------------------------------- the sweep
def _design(
    scenario: TreeScenario,
    grid: Mapping[str, Sequence[float] | NDArray[np.float64]] | None,
    sample: int | None,
    seed: int,
    sampling: str,
    params: Sequence[str] | None,
    fixed: Mapping[str, float] | None,
) -> Design:
    if (grid is None) == (sample is None):
        raise ScenarioError("give either grid={name: values} or sample=N, not both or neither")
    # The designs read only .parameters, .path and .resolve, which a tree scenario has.
    like = cast(Scenario, scenario)
    if fixed:
        overlap = sorted(set(fixed) & set(grid or params or ()))
        if overlap:
            raise ScenarioError(
                f"'{overlap[0]}' is both fixed (--set) and varied; give it in one place",
                file=scenario.path,
            )
    if grid is not None:
        return grid_design(like, grid, fixed)
    if sampling not in ("uniform", "lhs"):
        raise ScenarioError(f"sampling must be 'uniform' or 'lhs', got '{sampling}'")
    return sample_design(
        like, cast(int, sample), seed=seed, names=params, method=sampling, fixed=fixed
    )


def tree_sweep(
    scenario: TreeScenario,
    *,
    grid: Mapping[str, Sequence[float] | NDArray[np.float64]] | None = None,
    sample: int | None = None,
    seed: int = 0,
    sampling: str = "uniform",
    params: Sequence[str] | None = None,
    fixed: Mapping[str, float] | None = None,
    concept: str = "spe",
    tol: float = DEFAULT_TOL,
    processes: int | None = None,
) -> TreeSweep:
    """Solve a tree scenario at every point of a grid or a random sample.

    Parameters
    ----------
    scenario
        The tree scenario.
    grid
        ``{name: values}``: every combination (the first name varies slowest).
    sample, seed, sampling, params
        A random sample of ``sample`` points over the declared ranges (``"uniform"`` or
        ``"lhs"``), of the parameters ``params`` (default: every parameter with a range).
    fixed
        Values of parameters that do not vary (``--set``).
    concept
        ``"spe"`` (default), ``"nash"``, ``"bne"`` or ``"pbe"``.
    tol
        The solvers' tolerance.
    processes
        Worker processes (at most :data:`MAX_PROCESSES`); default: this process only.

    Returns
    -------
    TreeSweep
        The table (see the module docstring) and what was solved.

    Raises
    ------
    ScenarioError
        For an unknown parameter or concept, a value outside a declared range, a design above
        the limits (checked before any solve), or a point where the tree cannot be built or the
        concept does not apply (naming the point's values).
    """
    if concept not in CONCEPTS:
        raise ScenarioError(f"unknown concept '{concept}' for trees; expected one of {CONCEPTS}")
    if processes is not None and (
        isinstance(processes, bool) or not isinstance(processes, int) or processes < 1
    ):
        raise ScenarioError(f"processes must be a whole number of at least 1, got {processes!r}")
    design = _design(scenario, grid, sample, seed, sampling, params, fixed)
    if design.size > MAX_TREE_POINTS:
        raise ScenarioError(
            f"a tree sweep of {design.size:,} points is above the limit of "
            f"{MAX_TREE_POINTS:,} (each point is a separate solve); use fewer points"
        )
    values = design.points(0, design.size)
    names = list(design.names) + [n for n in scenario.parameters if n not in design.names]
    points = [{n: float(values[n][i]) for n in names} for i in range(design.size)]
    trees = [_tree_at(scenario, point) for point in points]
    varying = [{n: point[n] for n in design.names} for point in points]
    per_point = _run(trees, concept, tol, varying, min(processes or 1, MAX_PROCESSES))
    rows = [
        {"point": i, **point, **row}
        for i, (point, found) in enumerate(zip(points, per_point, strict=True))
        for row in found
    ]
    import pandas as pd

    return TreeSweep(scenario, design, concept, pd.DataFrame(rows))


def _tree_at(scenario: TreeScenario, point: Mapping[str, float]) -> Tree:
    return scenario.tree(point)


def _run(
    trees: list[Tree],
    concept: str,
    tol: float,
    points: list[dict[str, float]],
    processes: int,
) -> list[list[dict[str, Any]]]:
    try:
        first = _solve_many(trees[:1], concept, tol)  # a concept that does not apply fails here
    except GameTheoryError as exc:
        raise _at_point(exc, points[0]) from None
    if processes <= 1 or len(trees) <= _CHUNK:
        out = first
        for i in range(1, len(trees)):
            try:
                out += _solve_many(trees[i : i + 1], concept, tol)
            except GameTheoryError as exc:
                raise _at_point(exc, points[i]) from None
        return out
    chunks = [trees[i : i + _CHUNK] for i in range(1, len(trees), _CHUNK)]
    with cf.ProcessPoolExecutor(max_workers=processes) as pool:
        results = list(pool.map(_solve_many, chunks, [concept] * len(chunks), [tol] * len(chunks)))
    return first + [found for chunk in results for found in chunk]


def _at_point(exc: GameTheoryError, point: Mapping[str, float]) -> GameTheoryError:
    where = ", ".join(f"{k}={v:g}" for k, v in point.items())
    return type(exc)(f"{exc.message} (at {where})", file=exc.file, key=exc.key, line=exc.line)


provide("tree_sweep", tree_sweep)
