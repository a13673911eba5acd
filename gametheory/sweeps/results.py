"""The :class:`Sweep` result and :func:`sweep`, the entry point for what-if sweeps."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ScenarioError
from ..model.game import DEFAULT_TOL
from ..model.scenario import Scenario
from .design import Design, grid_design, sample_design
from .run import DEFAULT_CHUNK, ChunkStore, check_method, run_chunks, sweep_meta
from .table import columns

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Sweep", "sweep"]


class Sweep:
    """The results of a sweep: a tidy table and what can be read from it.

    Attributes
    ----------
    scenario, design, method, tol
        What was solved, and how.
    path
        The output file, when the sweep was written to one (the table is then read from it on
        first use).
    """

    def __init__(
        self,
        scenario: Scenario,
        design: Design,
        method: str,
        tol: float,
        *,
        table: pd.DataFrame | None = None,
        path: Path | None = None,
    ) -> None:
        self.scenario = scenario
        self.design = design
        self.method = method
        self.tol = tol
        self.path = path
        self._table = table

    @property
    def table(self) -> pd.DataFrame:
        """One row per (point, equilibrium); columns in :mod:`gametheory.sweeps.table`."""
        import pandas as pd

        if self._table is None:
            if self.path is None:
                raise ScenarioError("this sweep has no table")
            if self.path.suffix.lower() == ".parquet":
                self._table = pd.read_parquet(self.path)
            else:
                table = pd.read_csv(self.path)
                table["outcome"] = table["outcome"].fillna("")
                self._table = table
        return self._table

    def point_outcomes(self) -> pd.DataFrame:
        """One row per point: its parameters, number of equilibria and joint outcome label.

        The joint outcome lists the point's equilibria in order, separated by ``" | "``.
        """
        return point_outcomes(self.table, list(self.design.names))

    def summary(self) -> pd.DataFrame:
        """Share of the design where each joint outcome holds, most common first.

        For a sweep written to a file whose table has not been loaded, the file is read in
        batches of complete points, so memory stays bounded whatever the number of points.

        Returns
        -------
        pandas.DataFrame
            Columns ``outcome``, ``n_equilibria``, ``points``, ``share``.
        """
        import pandas as pd

        counts: dict[tuple[str, int], int] = {}
        for points in self._point_outcome_batches():
            grouped = points.groupby(["outcome", "n_equilibria"], sort=False).size()
            for (outcome, n_equilibria), size in grouped.items():
                key = (str(outcome), int(n_equilibria))
                counts[key] = counts.get(key, 0) + int(size)
        total = sum(counts.values())
        summary = pd.DataFrame(
            [(o, n, c) for (o, n), c in counts.items()],
            columns=["outcome", "n_equilibria", "points"],
        )
        summary["share"] = summary["points"] / max(total, 1)
        return summary.sort_values(["points", "outcome"], ascending=[False, True]).reset_index(
            drop=True
        )

    def _point_outcome_batches(self) -> Iterator[pd.DataFrame]:
        """Point outcomes batch by batch: from the table if loaded, else streamed from the file."""
        params = list(self.design.names)
        if self._table is not None or self.path is None:
            yield self.point_outcomes()
            return
        wanted = ["point", *params, "n_equilibria", "complete", "status", "outcome"]
        carry = None
        for rows in _read_batches(self.path, wanted):
            if carry is not None:
                rows = pd_concat([carry, rows])
            last = rows["point"].iloc[-1]
            finished = rows["point"] != last  # the last point may continue in the next batch
            carry = rows[~finished]
            if finished.any():
                yield point_outcomes(rows[finished], params)
        if carry is not None and len(carry):
            yield point_outcomes(carry, params)

    def boundaries(self) -> pd.DataFrame:
        """Where the set of equilibria changes, along each parameter of a grid.

        For each varied parameter and each pair of neighbouring grid values (the other
        parameters held fixed) whose joint outcomes differ, one row: the parameter, the two
        values and their midpoint, the outcomes on each side, and the other parameters' values.

        Raises
        ------
        ScenarioError
            For sampled designs, whose points have no grid neighbours.
        """
        import pandas as pd

        if self.design.kind != "grid":
            raise ScenarioError(
                "boundaries() needs a grid design; a random sample has no grid neighbours"
            )
        points = self.point_outcomes().sort_values("point")
        shape = tuple(len(a) for a in self.design.axes)
        codes, labels = pd.factorize(points["outcome"])
        grid = codes.reshape(shape)
        rows = []
        for k, name in enumerate(self.design.names):
            axis = np.asarray(self.design.axes[k])
            before = np.take(grid, range(shape[k] - 1), axis=k)
            after = np.take(grid, range(1, shape[k]), axis=k)
            for index in np.argwhere(before != after):
                low, high = axis[index[k]], axis[index[k] + 1]
                row: dict[str, Any] = {
                    "parameter": name,
                    "low": float(low),
                    "high": float(high),
                    "at": float((low + high) / 2),
                    "from_outcome": labels[before[tuple(index)]],
                    "to_outcome": labels[after[tuple(index)]],
                }
                for j, other in enumerate(self.design.names):
                    if j != k:
                        row[other] = float(self.design.axes[j][index[j]])
                rows.append(row)
        return pd.DataFrame(rows)

    def __repr__(self) -> str:
        return (
            f"<Sweep of {self.scenario.title!r}: {self.design.kind} design, "
            f"{self.design.size:,} points, method {self.method}>"
        )

    def _repr_html_(self) -> str:
        summary = self.summary().head(10)
        return str(
            f"<p>{self.design.kind} design over {', '.join(self.design.names)}: "
            f"{self.design.size:,} points, method <code>{self.method}</code></p>"
            + summary.to_html(index=False)
        )


def sweep(
    scenario: Scenario,
    *,
    grid: Mapping[str, Sequence[float] | NDArray[np.float64]] | None = None,
    sample: int | None = None,
    seed: int = 0,
    sampling: str = "uniform",
    params: Sequence[str] | None = None,
    fixed: Mapping[str, float] | None = None,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
    chunk_size: int | None = None,
    executor: str = "inline",
    workers: int | None = None,
    scheduler: str | None = None,
    out: str | Path | None = None,
    resume: bool = False,
    overwrite: bool = False,
    progress: bool = False,
) -> Sweep:
    """Solve a scenario at many parameter points.

    Parameters
    ----------
    scenario
        The scenario.
    grid
        ``{parameter: values}`` for a full grid (first parameter slowest), or
    sample
        a number of random points over the declared ranges (``sampling`` ``"uniform"`` or
        ``"lhs"``, ``seed``; ``params`` restricts which parameters vary).
    fixed
        Values for parameters that do not vary (others stay at their declared values).
    method
        ``"auto"`` (batched vertex enumeration for two players, pure equilibria for more),
        ``"vertex_enumeration"``, ``"pure"``, or any solver name (then run point by point).
    tol
        Relative regret tolerance.
    chunk_size
        Points per chunk (memory is bounded by a few chunks). By default chosen from the game's
        size (:func:`auto_chunk_size`): up to 20,000 points, fewer for large games so that a
        chunk's payoff arrays stay near 256 MiB.
    executor
        ``"inline"`` (this process), ``"processes"`` (``workers`` local processes) or ``"dask"``
        (``scheduler`` address of a running cluster, or a local cluster of ``workers``).
    out
        Write results chunk by chunk to this ``.parquet`` or ``.csv`` file (the table is read
        back from it when used); otherwise the table is kept in memory.
    resume, overwrite
        Continue an unfinished sweep at ``out``, or replace what is there.
    progress
        Show a progress bar (the notebook widget in Jupyter).

    Returns
    -------
    Sweep
        The tidy table with :meth:`Sweep.summary` and :meth:`Sweep.boundaries`. The table is the
        same whatever the executor and chunk size.
    """
    import pandas as pd

    if (grid is None) == (sample is None):
        raise ScenarioError("give exactly one of grid=... or sample=...")
    if scenario.timing != "simultaneous":
        raise ScenarioError(
            "sweeps of sequential scenarios are not supported yet; sweep the simultaneous "
            "version, or call gametheory.analysis.negotiation.sequential.spe at chosen points",
            file=scenario.path,
        )
    check_method(method)
    if chunk_size is None:
        chunk_size = auto_chunk_size(scenario)
    _check_count("chunk_size", chunk_size, 1, None)
    _check_count("seed", seed, 0, None)
    if workers is not None:
        _check_count("workers", workers, 1, MAX_WORKERS)
    if executor not in EXECUTORS:
        raise ScenarioError(
            f"unknown executor '{executor}'; expected {', '.join(map(repr, EXECUTORS))}"
        )
    if grid is not None:
        design = grid_design(scenario, grid, fixed)
    else:
        design = sample_design(
            scenario, sample or 0, seed=seed, names=params, method=sampling, fixed=fixed
        )
    options: dict[str, Any] = {
        "method": method,
        "tol": tol,
        "chunk_size": chunk_size,
        "executor": executor,
        "workers": workers,
        "scheduler": scheduler,
        "progress": progress,
    }
    columns(scenario, design)  # refuse clashing column names before any work or file
    n_chunks = -(-design.size // chunk_size)
    if out is None:
        frames = dict(run_chunks(scenario, design, **options))
        table = pd.concat([frames[k] for k in range(n_chunks)], ignore_index=True)
        return Sweep(scenario, design, method, tol, table=table)
    with ChunkStore(
        out,
        sweep_meta(scenario, design, method, tol, chunk_size),
        resume=resume,
        overwrite=overwrite,
    ) as store:  # a failed run releases the lock and leaves no empty parts folder
        for index, frame in run_chunks(scenario, design, skip=store.done(), **options):
            store.write(index, frame)
        path = store.finish(n_chunks)
    return Sweep(scenario, design, method, tol, path=path)


def joint_outcomes(points: NDArray[np.int64], outcomes: NDArray[np.object_]) -> NDArray[np.object_]:
    """The joint outcome label of each point, in increasing point order.

    ``points`` and ``outcomes`` are the table's columns (one row per point and equilibrium, the
    rows of a point in equilibrium order). Labels are joined once per distinct combination,
    not once per point, so a million points cost a few array operations.

    >>> joint_outcomes(np.array([0, 1, 1, 2]), np.array(["a", "b", "c", "a"], dtype=object))
    array(['a', 'b | c', 'a'], dtype=object)
    """
    order = np.argsort(points, kind="stable")
    points, outcomes = points[order], outcomes[order]
    codes, labels = _factorize(outcomes)
    _, starts, counts = np.unique(points, return_index=True, return_counts=True)
    width = int(counts.max()) if len(counts) else 0
    matrix = np.full((len(starts), width), -1, dtype=np.int64)
    rank = np.arange(len(points)) - np.repeat(starts, counts)
    matrix[np.repeat(np.arange(len(starts)), counts), rank] = codes
    combos, inverse = np.unique(matrix, axis=0, return_inverse=True)
    names = np.array(
        [" | ".join(labels[c] for c in combo if c >= 0) for combo in combos], dtype=object
    )
    return names[inverse.reshape(-1)]


def _factorize(values: NDArray[np.object_]) -> tuple[NDArray[np.int64], list[str]]:
    labels, codes = np.unique(values.astype(str), return_inverse=True)
    return codes.reshape(-1).astype(np.int64), [str(x) for x in labels]


#: Rows read at a time when a summary streams a sweep file.
READ_BATCH = 200_000


def point_outcomes(table: pd.DataFrame, params: list[str]) -> pd.DataFrame:
    """One row per point of a sweep table: parameters, counts and the joint outcome label.

    A point that could not be solved shows its status (the reason) as its outcome.
    """
    first = table.groupby("point", sort=True).first()
    joined = joint_outcomes(table["point"].to_numpy(), table["outcome"].to_numpy(dtype=object))
    out = first[[*params, "n_equilibria", "complete"]].copy()
    out["outcome"] = np.where(first["status"] == "ok", joined, first["status"])
    return out.reset_index()


def _read_batches(path: Path, wanted: list[str]) -> Iterator[pd.DataFrame]:
    """A sweep file's rows, ``READ_BATCH`` at a time, only the wanted columns."""
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq

        with pq.ParquetFile(path) as handle:
            for batch in handle.iter_batches(batch_size=READ_BATCH, columns=wanted):
                yield batch.to_pandas()
    else:
        import pandas as pd

        for rows in pd.read_csv(path, usecols=wanted, chunksize=READ_BATCH):
            rows["outcome"] = rows["outcome"].fillna("")
            yield rows


def pd_concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate frames with a fresh index."""
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def auto_chunk_size(scenario: Scenario) -> int:
    """Points per chunk so that one chunk's payoff arrays stay near :data:`CHUNK_BYTES`.

    A chunk holds the payoff tensor of its points (players x profiles x 8 bytes each) and the
    solver's working arrays, a few times that; small games get :data:`DEFAULT_CHUNK` points.
    """
    per_point = 8 * len(scenario.players) * math.prod(len(a) for a in scenario.actions)
    return int(max(1, min(DEFAULT_CHUNK, CHUNK_BYTES // (CHUNK_FACTOR * per_point))))


#: Memory budget for one chunk's payoff arrays, and the factor for the solver's working copies.
CHUNK_BYTES = 256 * 2**20
CHUNK_FACTOR = 4

#: Most local processes or Dask workers a sweep may start.
MAX_WORKERS = 256
#: Where chunks can be solved.
EXECUTORS = ("inline", "processes", "dask")


def _check_count(name: str, value: object, low: int, high: int | None) -> None:
    """Refuse an argument that is not a whole number in ``[low, high]``, before any work."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ScenarioError(f"{name} must be a whole number, got {value!r}")
    if value < low or (high is not None and value > high):
        bound = f"from {low:,} to {high:,}" if high is not None else f"at least {low:,}"
        raise ScenarioError(f"{name} must be {bound}, got {value!r}")
