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

Scale: the points are made, built and solved chunk by chunk (:func:`solve_tree_chunk`, never a
list of every tree), on the matrix sweeps' machinery (:func:`gametheory.sweeps.run.run_chunks`):
in this process, in at most :data:`MAX_PROCESSES` worker processes, or on a Dask cluster, each
worker receiving the pickled scenario and a chunk's point range. With ``out=`` every chunk is a
part file of :class:`gametheory.sweeps.store.ChunkStore` as soon as it is solved, and an
interrupted sweep resumes with ``resume=True``; the store's ``sweep.json`` records ``kind``
``"tree"``, the design, :func:`tree_scenario_hash`, the concept, the tolerance and the chunk
size, and a resume with any of them different is refused naming the file.

Cost: one tree build and one solve per point (about 10 ms for the 19-node London tree), memory
a few chunks' rows (holding every tree would cost about 3.8 MiB per 1,000 London trees). Limits:
the designs' limits, and at most :data:`MAX_TREE_POINTS` points (each point is solved on its
own), both checked before any tree is built.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
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
from .results import EXECUTORS, MAX_WORKERS
from .run import ChunkStore, run_chunks

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CHUNK",
    "CONCEPTS",
    "MAX_PROCESSES",
    "MAX_TREE_POINTS",
    "TreeSweep",
    "default_chunk_size",
    "equilibria_rows",
    "solve_tree",
    "solve_tree_chunk",
    "tree_scenario_hash",
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
#: Most points per chunk by default (a chunk of hand-written trees takes about a second).
CHUNK = 1_000


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
    path
        The output file, when the sweep was written to one (the table is then read from it on
        first use).
    """

    __slots__ = ("_table", "concept", "design", "path", "scenario")

    def __init__(
        self,
        scenario: TreeScenario,
        design: Design,
        concept: str,
        table: pd.DataFrame | None = None,
        *,
        path: Path | None = None,
    ) -> None:
        if table is None and path is None:
            raise ScenarioError("a tree sweep needs its table or the file holding it")
        self.scenario = scenario
        self.design = design
        self.concept = concept
        self.path = path
        self._table = table

    @property
    def table(self) -> pd.DataFrame:
        """One row per (point, equilibrium); columns in the module docstring."""
        if self._table is None:
            self._table = _read_table(cast(Path, self.path))
        return self._table

    def point_outcomes(self) -> pd.DataFrame:
        """One row per point: its parameters, ``n_equilibria``, ``complete`` and ``outcome``.

        The point's outcome lists its equilibria's distinct path labels in order, joined by
        ``" | "``. For a sweep written to a file whose table has not been loaded, only these
        columns are read, in batches.
        """
        import pandas as pd

        batches = list(self._point_outcome_batches())
        if len(batches) == 1:
            return batches[0]
        return pd.concat(batches, ignore_index=True)

    def summary(self) -> pd.DataFrame:
        """Share of the points where each joint outcome holds, most common first.

        Columns ``outcome``, ``points``, ``share``. For a sweep written to a file whose table
        has not been loaded, the file is read in batches of whole points, so memory stays
        bounded whatever the number of points.
        """
        import pandas as pd

        counts: dict[str, int] = {}
        for points in self._point_outcome_batches():
            for outcome, size in points.groupby("outcome", sort=False).size().items():
                counts[str(outcome)] = counts.get(str(outcome), 0) + int(size)
        total = sum(counts.values())
        summary = pd.DataFrame(list(counts.items()), columns=["outcome", "points"])
        summary["share"] = summary["points"] / max(total, 1)
        return summary.sort_values(["points", "outcome"], ascending=[False, True]).reset_index(
            drop=True
        )

    def _point_outcome_batches(self) -> Iterator[pd.DataFrame]:
        """Point outcomes batch by batch: from the table if loaded, else streamed from the file."""
        import pandas as pd

        params = list(self.design.names)
        if self._table is not None or self.path is None:
            yield _point_outcomes(self.table, params)
            return
        carry = None
        for rows in _read_batches(self.path, ["point", *params, *_POINT_COLUMNS]):
            if carry is not None:
                rows = pd.concat([carry, rows], ignore_index=True)
            last = rows["point"].iloc[-1]
            finished = rows["point"] != last  # the last point may go on in the next batch
            carry = rows[~finished]
            if finished.any():
                yield _point_outcomes(rows[finished], params)
        if carry is not None and len(carry):
            yield _point_outcomes(carry, params)

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


def default_chunk_size(size: int) -> int:
    """Points per chunk when none is given: a sixteenth of the design, at most :data:`CHUNK`.

    It depends on the design only (not on the executor), so a sweep interrupted on one
    executor can be resumed on another.
    """
    return max(1, min(CHUNK, -(-size // 16)))


def tree_scenario_hash(scenario: TreeScenario) -> str:
    """A content hash of what determines the trees: players, nodes, payoffs, parameters.

    Stored beside the parts of a sweep written to a file, so that resuming it on a changed
    scenario is refused.
    """
    nodes = [
        [
            node.id,
            node.kind,
            node.player,
            [list(move) for move in node.moves],
            [p.text for p in node.probabilities],
            {player: e.text for player, e in sorted(node.payoffs.items())},
            node.infoset,
        ]
        for node in scenario.nodes
    ]
    content = {
        "players": list(scenario.players),
        "root": scenario.root,
        "nodes": nodes,
        "default_payoffs": {p: e.text for p, e in sorted(scenario.default_payoffs.items())},
        "hidden": {p: sorted(m) for p, m in sorted(scenario.hidden.items())},
        "parameters": {n: [p.value, p.min, p.max] for n, p in scenario.parameters.items()},
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]


def solve_tree_chunk(
    scenario: TreeScenario, design: Design, start: int, stop: int, concept: str, tol: float
) -> pd.DataFrame:
    """The table rows of points ``start .. stop - 1``: each point's tree built and solved here.

    This is what a worker process or a Dask worker runs: it receives the (picklable) scenario
    and the design, never trees, so memory is bounded by one chunk's rows. A point where no
    equilibrium is found (a concept whose solver can find none) gets one row with
    ``n_equilibria`` 0, ``equilibrium`` -1 and outcome ``"no equilibrium found"``, so every
    point has a row.

    Raises
    ------
    GameTheoryError
        From building or solving a point's tree, naming the point's varying values.
    """
    import pandas as pd

    values = design.points(start, stop)
    names = list(design.names) + [n for n in scenario.parameters if n not in design.names]
    rows: list[dict[str, Any]] = []
    for i in range(stop - start):
        point = {n: float(values[n][i]) for n in names}
        try:
            tree = scenario.tree(point)
            behaviours, complete = solve_tree(tree, concept, tol)
        except GameTheoryError as exc:
            raise _at_point(exc, {n: point[n] for n in design.names}) from None
        found = equilibria_rows(tree, behaviours, complete) or [_no_equilibrium(tree, complete)]
        rows.extend({"point": start + i, **point, **row} for row in found)
    return pd.DataFrame(rows)


def _no_equilibrium(tree: Tree, complete: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "n_equilibria": 0,
        "equilibrium": -1,
        "outcome": "no equilibrium found",
        "path": "",
        "complete": complete,
    }
    row.update({f"payoff:{player}": math.nan for player in tree.players})
    row.update({f"move:{label}": "" for label in tree.infoset_labels})
    return row


def _executor(
    executor: str | None, processes: int | None, workers: int | None
) -> tuple[str, int | None]:
    """Where chunks are solved, and how many workers; checked before any work."""
    if processes is not None and (
        isinstance(processes, bool) or not isinstance(processes, int) or processes < 1
    ):
        raise ScenarioError(f"processes must be a whole number of at least 1, got {processes!r}")
    if processes is not None and processes > MAX_PROCESSES:
        raise ScenarioError(
            f"processes={processes}: a tree sweep uses at most {MAX_PROCESSES} processes"
        )
    if executor is None and processes is not None:
        if workers is not None:
            raise ScenarioError("give processes=K or workers=K, not both")
        executor = "processes" if processes > 1 else "inline"
        workers = processes if executor == "processes" else None
    elif executor is None:
        executor = "inline"
    elif processes is not None:
        raise ScenarioError("give processes=K or executor=..., not both")
    if executor not in EXECUTORS:
        raise ScenarioError(
            f"unknown executor '{executor}'; expected {', '.join(map(repr, EXECUTORS))}"
        )
    if workers is not None and executor == "inline":
        raise ScenarioError("workers= goes with executor='processes' or 'dask', not inline")
    if workers is not None:
        high = MAX_PROCESSES if executor == "processes" else MAX_WORKERS
        if isinstance(workers, bool) or not isinstance(workers, int) or not 1 <= workers <= high:
            raise ScenarioError(f"workers must be a whole number from 1 to {high}, got {workers!r}")
    if executor == "processes" and workers is None:
        workers = MAX_PROCESSES
    return executor, workers


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
    chunk_size: int | None = None,
    executor: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
) -> TreeSweep:
    """Solve a tree scenario at every point of a grid or a random sample.

    Points are made, built and solved chunk by chunk (never a list of every tree), in this
    process, in worker processes or on a Dask cluster, with the matrix sweeps' machinery
    (:func:`gametheory.sweeps.run.run_chunks` and :class:`gametheory.sweeps.store.ChunkStore`).

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
        Worker processes (at most :data:`MAX_PROCESSES`); the same as
        ``executor="processes", workers=processes``. Default: this process only.
    chunk_size
        Points per chunk (default :func:`default_chunk_size`: a sixteenth of the design, at
        most :data:`CHUNK`). Memory is bounded by a few chunks' rows.
    executor, workers, scheduler
        ``"inline"``, ``"processes"`` (``workers`` local processes, at most
        :data:`MAX_PROCESSES`) or ``"dask"`` (``scheduler`` address of a running cluster, or a
        local cluster of ``workers``; needs the ``[dask]`` extra).
    out
        Write the rows chunk by chunk to this ``.parquet`` or ``.csv`` file (parts in
        ``OUT.parts/`` until every chunk is done); the table is then read from the file.
    resume, overwrite
        Continue an interrupted sweep stored at ``out`` (refused, naming the file, if the
        design, scenario, concept, tolerance or chunk size differ), or replace what is there.
    progress
        Show progress (a bar, or lines on a pipe).

    Returns
    -------
    TreeSweep
        The table (see the module docstring) and what was solved; the same table whatever the
        executor and chunk size.

    Raises
    ------
    ScenarioError
        For an unknown parameter or concept, a value outside a declared range, a design above
        the limits (checked before any solve), or a point where the tree cannot be built or the
        concept does not apply (naming the point's values); and the store's errors for ``out``.
    """
    if concept not in CONCEPTS:
        raise ScenarioError(f"unknown concept '{concept}' for trees; expected one of {CONCEPTS}")
    executor, workers = _executor(executor, processes, workers)
    design = _design(scenario, grid, sample, seed, sampling, params, fixed)
    if design.size > MAX_TREE_POINTS:
        raise ScenarioError(
            f"a tree sweep of {design.size:,} points is above the limit of "
            f"{MAX_TREE_POINTS:,} (each point is a separate solve); use fewer points"
        )
    if chunk_size is None:
        chunk_size = default_chunk_size(design.size)
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1:
        raise ScenarioError(f"chunk size must be a positive whole number, got {chunk_size!r}")
    if executor != "inline":  # a concept that does not apply fails here, before any worker
        solve_tree_chunk(scenario, design, 0, 1, concept, tol)
    options: dict[str, Any] = {
        "method": concept,
        "tol": tol,
        "chunk_size": chunk_size,
        "executor": executor,
        "workers": workers,
        "scheduler": scheduler,
        "progress": progress,
        "solve": solve_tree_chunk,
    }
    like = cast(Scenario, scenario)  # run_chunks hands it to solve_tree_chunk untouched
    n_chunks = -(-design.size // chunk_size)
    if out is None:
        if resume or overwrite:
            raise ScenarioError("resume and overwrite need out= (the results file)")
        import pandas as pd

        frames = dict(run_chunks(like, design, **options))
        table = pd.concat([frames.pop(k) for k in range(n_chunks)], ignore_index=True)
        return TreeSweep(scenario, design, concept, table)
    meta = {
        "kind": "tree",
        "design": design.to_dict(),
        "scenario": tree_scenario_hash(scenario),
        "concept": concept,
        "tol": tol,
        "chunk_size": chunk_size,
    }
    with ChunkStore(out, meta, resume=resume, overwrite=overwrite) as store:
        for index, frame in run_chunks(like, design, skip=store.done(), **options):
            store.write(index, frame)
        path = store.finish(n_chunks)
    return TreeSweep(scenario, design, concept, path=path)


#: The columns a point's outcome is read from (besides ``point`` and the parameters).
_POINT_COLUMNS = ("n_equilibria", "complete", "outcome")
#: Rows read at a time when a summary streams a tree sweep's file.
READ_BATCH = 200_000


def _point_outcomes(table: pd.DataFrame, params: list[str]) -> pd.DataFrame:
    """One row per point of (whole points of) a tree sweep table."""
    first = table.groupby("point", sort=True).first()
    distinct = table.drop_duplicates(["point", "outcome"])
    joined = distinct.groupby("point", sort=True)["outcome"].agg(" | ".join)
    out = first[params].astype(float)
    out["n_equilibria"] = first["n_equilibria"].astype(int)
    out["complete"] = first["complete"].astype(bool)
    out["outcome"] = joined
    return out.rename_axis("point").reset_index()


def _read_batches(path: Path, wanted: list[str]) -> Iterator[pd.DataFrame]:
    """A tree sweep file's rows, :data:`READ_BATCH` at a time, only the wanted columns."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        with pq.ParquetFile(path) as handle:
            for batch in handle.iter_batches(batch_size=READ_BATCH, columns=wanted):
                yield batch.to_pandas()
        return
    import pandas as pd

    text = {"outcome": "str"} if "outcome" in wanted else {}
    with pd.read_csv(path, usecols=wanted, dtype=text, chunksize=READ_BATCH) as reader:
        for rows in reader:
            if "outcome" in rows:
                rows["outcome"] = rows["outcome"].fillna("")
            yield rows[wanted]


def _read_table(path: Path) -> pd.DataFrame:
    """A tree sweep's table from its file (empty text cells of a CSV back to ``""``)."""
    import pandas as pd

    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    header = pd.read_csv(path, nrows=0).columns
    text = [n for n in header if n in ("outcome", "path") or n.startswith("move:")]
    table = pd.read_csv(path, dtype=dict.fromkeys(text, "str"))
    table[text] = table[text].fillna("")
    return table


def _at_point(exc: GameTheoryError, point: Mapping[str, float]) -> GameTheoryError:
    where = ", ".join(f"{k}={v:g}" for k, v in point.items())
    return type(exc)(f"{exc.message} (at {where})", file=exc.file, key=exc.key, line=exc.line)


provide("tree_sweep", tree_sweep)
