"""Running a sweep: chunks, executors, the chunk store and resuming.

A sweep is split into chunks of ``chunk_size`` consecutive points. Each chunk is solved by
:func:`~gametheory.sweeps.table.solve_chunk` in this process, in worker processes, or on a Dask
cluster, and its rows are written as one part file as soon as it is done (written to a temporary
name, then renamed, so a part is either complete or absent). Only a bounded number of chunks is
in flight, so memory stays bounded whatever the number of points.

When every chunk is done the parts are streamed, in point order, into the output file (Parquet
or CSV) and the part folder is removed. A sweep that is interrupted (Ctrl-C, a killed worker, a
crash) leaves its part folder behind; run it again with ``resume=True`` (``--resume``) and it
solves only the missing chunks. The folder records the design, the scenario's content and the
solver settings, and a resume with different ones is refused.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import json
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import ScenarioError
from ..model.expr import Expression
from ..model.game import DEFAULT_TOL
from ..model.scenario import Scenario
from .design import Design
from .store import ChunkStore
from .table import BATCHED_METHODS, solve_chunk

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DEFAULT_CHUNK", "ChunkStore", "run_chunks", "scenario_hash"]

#: Points per chunk unless told otherwise.
DEFAULT_CHUNK = 20_000


def _entry_text(entry: Any) -> str | list[str]:
    """A payoff entry as text: the expression, or each matrix entry's expression or number."""
    if isinstance(entry, Expression):
        return entry.text
    if entry.dtype != object:
        return [repr(float(v)) for v in entry.flat]
    return [str(e.text) for e in entry.flat]


def scenario_hash(scenario: Scenario) -> str:
    """A content hash of what determines the games (players, actions, payoffs, parameters)."""
    payoffs = {player: _entry_text(entry) for player, entry in scenario.payoffs.items()}
    content = {
        "players": scenario.players,
        "actions": scenario.actions,
        "payoffs": payoffs,
        "parameters": {n: [p.value, p.min, p.max] for n, p in scenario.parameters.items()},
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Task:
    """One chunk: its number and point range."""

    index: int
    start: int
    stop: int


def _tasks(design: Design, chunk_size: int) -> list[Task]:
    return [
        Task(k, start, min(start + chunk_size, design.size))
        for k, start in enumerate(range(0, design.size, chunk_size))
    ]


def run_chunks(
    scenario: Scenario,
    design: Design,
    *,
    method: str = "auto",
    tol: float = DEFAULT_TOL,
    chunk_size: int = DEFAULT_CHUNK,
    executor: str = "inline",
    workers: int | None = None,
    scheduler: str | None = None,
    skip: set[int] | None = None,
    progress: bool = True,
    solve: Callable[..., pd.DataFrame] = solve_chunk,
) -> Iterator[tuple[int, pd.DataFrame]]:
    """Solve the chunks of a design (except ``skip``), yielding ``(chunk number, rows)``.

    Chunks may arrive out of order from parallel executors; their numbers say where they go.
    ``solve(scenario, design, start, stop, method, tol)`` makes a chunk's rows (tree sweeps
    pass their own; it must be a module-level function, sent to workers by reference).
    """
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise ScenarioError(f"chunk size must be a positive whole number, got {chunk_size!r}")
    tasks = [t for t in _tasks(design, chunk_size) if t.index not in (skip or set())]
    bar = _progress(design.size, sum(t.stop - t.start for t in tasks), progress)
    try:
        if executor == "inline":
            for task in tasks:
                frame = solve(scenario, design, task.start, task.stop, method, tol)
                bar.update(task.stop - task.start)
                yield task.index, frame
        elif executor == "processes":
            yield from _bounded(
                cf.ProcessPoolExecutor(max_workers=workers),
                scenario,
                design,
                tasks,
                method,
                tol,
                bar,
                solve,
            )
        elif executor == "dask":
            yield from _dask(scenario, design, tasks, method, tol, bar, workers, scheduler, solve)
        else:
            raise ScenarioError(
                f"unknown executor '{executor}'; expected 'inline', 'processes' or 'dask'"
            )
    finally:
        bar.close()


class _NoProgress:
    """Stands in for a progress bar when none is wanted (and avoids importing tqdm.auto)."""

    def update(self, count: int) -> None:
        del count

    def close(self) -> None:
        pass


#: Reads the time for :class:`_LineProgress` (a module attribute so tests can replace it).
_clock = time.monotonic


class _LineProgress:
    """Progress for a pipe or a log file: whole lines, never a bar redrawn in place.

    A line at most every ``every`` seconds while the sweep runs, and one when it ends (on
    :meth:`close`, unless the last line already said the same).
    """

    def __init__(self, total: int, done: int, every: float = 60.0) -> None:
        self.total = total
        self.done = done
        self.every = every
        self.start = self.last = _clock()
        self.printed: int | None = None
        self.closed = False

    def update(self, count: int) -> None:
        self.done += count
        now = _clock()
        if now - self.last >= self.every:
            self._line(now)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.printed != self.done:
                self._line(_clock())

    def _line(self, now: float) -> None:
        self.last = now
        self.printed = self.done
        share = self.done / self.total if self.total else 1.0
        print(
            f"sweep: {self.done:,}/{self.total:,} points ({share:.0%}), {now - self.start:.1f} s",
            file=sys.stderr,
            flush=True,
        )


def _interactive() -> bool:
    """Whether progress can be drawn in place: a terminal, or a Jupyter kernel's widget."""
    if "ipykernel" in sys.modules:
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed
        return False


def _progress(total: int, todo: int, enabled: bool) -> Any:
    if not enabled:
        return _NoProgress()
    if not _interactive():
        # tqdm on a pipe writes every redraw with \r and prints its last state twice.
        return _LineProgress(total, total - todo)
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        initial=total - todo,
        unit="pt",
        desc="sweep",
        smoothing=0.1,
    )


def _bounded(
    pool: cf.Executor,
    scenario: Scenario,
    design: Design,
    tasks: list[Task],
    method: str,
    tol: float,
    bar: Any,
    solve: Callable[..., pd.DataFrame] = solve_chunk,
) -> Iterator[tuple[int, pd.DataFrame]]:
    """Run tasks on a pool with at most twice the worker count in flight."""
    limit = 2 * max(1, getattr(pool, "_max_workers", 2))
    pending: dict[cf.Future[pd.DataFrame], Task] = {}
    queue = iter(tasks)
    try:
        while True:
            while len(pending) < limit:
                task = next(queue, None)
                if task is None:
                    break
                future = pool.submit(solve, scenario, design, task.start, task.stop, method, tol)
                pending[future] = task
            if not pending:
                break
            done, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in done:
                task = pending.pop(future)
                frame = future.result()
                bar.update(task.stop - task.start)
                yield task.index, frame
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(
    scenario: Scenario,
    design: Design,
    tasks: list[Task],
    method: str,
    tol: float,
    bar: Any,
    workers: int | None,
    scheduler: str | None,
    solve: Callable[..., pd.DataFrame] = solve_chunk,
) -> Iterator[tuple[int, pd.DataFrame]]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ScenarioError(
            "the Dask executor needs dask.distributed: pip install 'gametheory[dask]'"
        ) from None
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(
            n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = Client(cluster)
    try:
        limit = 2 * max(1, len(client.scheduler_info().get("workers", {})) or 2)
        scenario_f, design_f = client.scatter([scenario, design], broadcast=True)
        queue = iter(tasks)
        running = as_completed()
        owner: dict[Any, Task] = {}

        def submit() -> bool:
            task = next(queue, None)
            if task is None:
                return False
            future = client.submit(
                solve, scenario_f, design_f, task.start, task.stop, method, tol, pure=False
            )
            owner[future.key] = task
            running.add(future)
            return True

        for _ in range(limit):
            if not submit():
                break
        for future in running:
            task = owner.pop(future.key)
            frame = future.result()
            bar.update(task.stop - task.start)
            submit()
            yield task.index, frame
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def sweep_meta(
    scenario: Scenario, design: Design, method: str, tol: float, chunk_size: int
) -> dict[str, Any]:
    """What identifies a sweep for resuming."""
    return {
        "design": design.to_dict(),
        "scenario": scenario_hash(scenario),
        "method": method,
        "tol": tol,
        "chunk_size": chunk_size,
    }


def check_method(method: str) -> None:
    """Refuse an unknown method before any work starts."""
    from ..solvers.registry import methods

    if method not in BATCHED_METHODS and method not in methods():
        names = ", ".join(["auto", *sorted(methods())])
        raise ScenarioError(f"unknown method '{method}'; available methods: {names}")
