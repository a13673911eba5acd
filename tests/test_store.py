"""The chunk store under hostile conditions: damaged, swapped or unlisted parts, a missing or
garbage ``sweep.json``, a killed run, two runs on one output, and paths that cannot be written.

Every test works in its own temporary directory. Unfinished sweeps are made by interrupting
``gt.sweep`` after a few chunks (as Ctrl-C in a notebook would), or by killing a slowed-down
sweep in a subprocess.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory.sweeps import grid_design, results, store
from gametheory.sweeps.run import ChunkStore, sweep_meta
from gametheory.sweeps.store import StoreWarning

from .conftest import PAYOFFS, ROOT
from .test_cli import COMMAND

CHICKEN = PAYOFFS / "chicken.toml"
VALUES = np.linspace(1, 100, 300)  # 300 points, 6 chunks of 50
GRID = {"crash": VALUES}
CHUNK = 50
N_CHUNKS = 6
CLI_SWEEP = ["sweep", str(CHICKEN), "--grid", "crash=1:100:300", "--chunk-size", str(CHUNK)]

# A sweep slowed down to a given number of seconds per chunk, in a subprocess:
# argv = out, seconds per chunk.
SLOW_SWEEP = f"""
import sys, time
import numpy as np
import gametheory as gt
from gametheory.sweeps import results

real = results.run_chunks

def slow(*args, **kwargs):
    for item in real(*args, **kwargs):
        time.sleep(float(sys.argv[2]))
        yield item

results.run_chunks = slow
gt.sweep(gt.load({str(CHICKEN)!r}), grid={{"crash": np.linspace(1, 100, 300)}},
         chunk_size={CHUNK}, out=sys.argv[1], resume=True)
"""


@pytest.fixture(scope="module")
def chicken() -> gt.Scenario:
    return gt.load(CHICKEN)


@pytest.fixture(scope="module")
def reference(chicken) -> pd.DataFrame:
    """The uninterrupted sweep, in memory."""
    return gt.sweep(chicken, grid=GRID, chunk_size=CHUNK).table


def _needs(fmt: str) -> None:
    if fmt == "parquet":
        pytest.importorskip("pyarrow", reason="pyarrow not installed ([parquet] extra)")


def _parts(out: Path) -> Path:
    return out.with_name(out.name + ".parts")


def _part(out: Path, index: int) -> Path:
    return _parts(out) / f"chunk-{index:06d}{out.suffix}"


def _interrupted(chicken, out: Path, done: int) -> None:
    """An unfinished sweep at ``out`` with ``done`` chunks stored (Ctrl-C after them)."""
    real = results.run_chunks

    def partial(*args, **kwargs):
        for count, item in enumerate(real(*args, **kwargs)):
            if count == done:
                raise KeyboardInterrupt
            yield item

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(results, "run_chunks", partial)
        with pytest.raises(KeyboardInterrupt):
            gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    assert sorted(p.name for p in _parts(out).glob("chunk-*")) == [
        _part(out, k).name for k in range(done)
    ]


def _resume(chicken, out: Path, **kwargs) -> gt.Sweep:
    return gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out, resume=True, **kwargs)


def _same(table: pd.DataFrame, reference: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(table, reference, check_dtype=False, check_exact=True)


def _leftovers(folder: Path) -> list[str]:
    """Temporary files anywhere under ``folder``."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.endswith(".tmp"))


def _finished_cleanly(out: Path) -> None:
    assert out.is_file()
    assert not _parts(out).exists()
    assert _leftovers(out.parent) == []
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".")] == []


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


# ---------------------------------------------------------------------- the manifest
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_the_manifest_records_every_finished_part(chicken, tmp_path, fmt) -> None:
    _needs(fmt)
    out = tmp_path / f"r.{fmt}"
    _interrupted(chicken, out, 3)
    manifest = json.loads((_parts(out) / "manifest.json").read_text())
    assert sorted(manifest["parts"]) == ["0", "1", "2"]
    for key, entry in manifest["parts"].items():
        k = int(key)
        data = _part(out, k).read_bytes()
        assert entry["file"] == _part(out, k).name
        assert (entry["start"], entry["stop"]) == (k * CHUNK, (k + 1) * CHUNK)
        assert entry["size"] == len(data)
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        rows = pd.read_csv(_part(out, k)) if fmt == "csv" else pd.read_parquet(_part(out, k))
        assert entry["rows"] == len(rows)
    assert _leftovers(tmp_path) == []


# ---------------------------------------------------------------------- damaged parts
def test_a_csv_part_cut_at_a_line_boundary_is_redone(chicken, reference, tmp_path) -> None:
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 4)
    part = _part(out, 1)
    lines = part.read_bytes().splitlines(keepends=True)
    part.write_bytes(b"".join(lines[:-1]))  # one row fewer, still well-formed CSV
    with pytest.warns(StoreWarning, match=r"chunk-000001\.csv"):
        sw = _resume(chicken, out)
    _same(sw.table, reference)
    assert len(pd.read_csv(out)) == len(reference)
    _finished_cleanly(out)


def test_a_csv_part_cut_mid_line_is_redone(chicken, reference, tmp_path) -> None:
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 4)
    part = _part(out, 2)
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2 + 7])
    with pytest.warns(StoreWarning, match=r"chunk-000002\.csv"):
        sw = _resume(chicken, out)
    _same(sw.table, reference)
    _finished_cleanly(out)


@pytest.mark.parametrize("damage", ["truncated", "empty"])
def test_a_damaged_parquet_part_is_redone(chicken, reference, tmp_path, damage) -> None:
    _needs("parquet")
    out = tmp_path / "r.parquet"
    _interrupted(chicken, out, 3)
    part = _part(out, 1)
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"")
    with pytest.warns(StoreWarning, match=r"chunk-000001\.parquet"):
        sw = _resume(chicken, out)
    _same(sw.table, reference)
    _finished_cleanly(out)


def test_swapped_parts_are_both_redone(chicken, reference, tmp_path) -> None:
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 4)
    one, two = _part(out, 1), _part(out, 2)
    first, second = one.read_bytes(), two.read_bytes()
    one.write_bytes(second)
    two.write_bytes(first)
    with pytest.warns(StoreWarning) as caught:
        sw = _resume(chicken, out)
    text = " ".join(str(w.message) for w in caught)
    assert one.name in text and two.name in text
    _same(sw.table, reference)
    _finished_cleanly(out)


def test_a_part_missing_from_the_manifest_and_stale_temporaries_are_removed(
    chicken, reference, tmp_path
) -> None:
    """Killed between renaming a part into place and recording it: the part is redone."""
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 3)
    manifest_file = _parts(out) / "manifest.json"
    manifest = json.loads(manifest_file.read_text())
    del manifest["parts"]["2"]
    manifest_file.write_text(json.dumps(manifest))
    (_parts(out) / ".chunk-000003.csv.tmp").write_bytes(b"point,half a ro")
    (_parts(out) / ".manifest.json.tmp").write_bytes(b"{")
    with pytest.warns(StoreWarning, match=r"chunk-000002\.csv"):
        sw = _resume(chicken, out)
    _same(sw.table, reference)
    _finished_cleanly(out)


def test_a_part_damaged_during_the_run_is_never_published(chicken, reference, tmp_path) -> None:
    """finish() verifies every part again: a part changed after it was written stops the
    final file (nothing is published, the parts stay) and is redone on resume."""
    out = tmp_path / "r.csv"
    real = results.run_chunks

    def tampering(*args, **kwargs):
        yield from real(*args, **kwargs)
        part = _part(out, 0)  # every chunk is stored; finish() comes next
        lines = part.read_bytes().splitlines(keepends=True)
        part.write_bytes(b"".join(lines[:-1]))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(results, "run_chunks", tampering)
        with pytest.raises(gt.ScenarioError, match=r"chunk-000000\.csv") as info:
            gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    assert "--resume" in str(info.value)
    assert not out.exists()
    assert _parts(out).is_dir()
    assert _leftovers(tmp_path) == []
    sw = _resume(chicken, out)
    _same(sw.table, reference)
    _finished_cleanly(out)


def test_a_resume_works_while_the_interrupted_run_is_still_referenced(
    chicken, reference, tmp_path
) -> None:
    """In a notebook the traceback of an interrupted sweep keeps its store alive; the same
    thread may resume at once."""
    out = tmp_path / "r.csv"
    real = results.run_chunks

    def partial(*args, **kwargs):
        for count, item in enumerate(real(*args, **kwargs)):
            if count == 2:
                raise KeyboardInterrupt
            yield item

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(results, "run_chunks", partial)
        with pytest.raises(KeyboardInterrupt) as info:
            gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    sw = _resume(chicken, out)
    assert info.traceback  # still alive
    _same(sw.table, reference)
    _finished_cleanly(out)


# ---------------------------------------------------------------------- sweep.json
@pytest.mark.parametrize(
    "damage", ["missing", "garbage", "not an object", "empty"], ids=lambda d: d.replace(" ", "-")
)
def test_an_unidentifiable_stored_sweep_is_refused_clearly(
    chicken, reference, tmp_path, damage
) -> None:
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 2)
    meta = _parts(out) / "sweep.json"
    if damage == "missing":
        meta.unlink()
    else:
        meta.write_bytes(
            {"garbage": b"\x00{not json", "not an object": b"[1, 2]", "empty": b""}[damage]
        )
    with pytest.raises(gt.ScenarioError, match="cannot be identified") as info:
        _resume(chicken, out)
    assert "--overwrite" in str(info.value)
    assert _part(out, 0).exists() and _part(out, 1).exists()  # nothing was thrown away
    assert _leftovers(tmp_path) == []
    sw = gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out, overwrite=True)
    _same(sw.table, reference)
    _finished_cleanly(out)


def test_the_cli_says_the_stored_sweep_cannot_be_identified(chicken, tmp_path) -> None:
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 2)
    (_parts(out) / "sweep.json").write_bytes(b"\xff\xfe garbage")
    run = _cli(*CLI_SWEEP, "--out", str(out), "--resume", "--quiet")
    assert run.returncode == 2, run.stderr
    assert "cannot be identified" in run.stderr and "--overwrite" in run.stderr
    assert "Traceback" not in run.stderr


# ---------------------------------------------------------------------- killed runs
def _slow_sweep(out: Path, seconds: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_SWEEP, str(out), str(seconds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for(condition, process: subprocess.Popen[str], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if process.poll() is not None:
            _, err = process.communicate()
            pytest.fail(f"the helper sweep ended before {what}: {err}")
        if time.monotonic() > deadline:
            process.kill()
            process.communicate(timeout=30)
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.02)


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
# Killed between renaming a part into place and recording it, that part is redone (warned).
@pytest.mark.filterwarnings("ignore::gametheory.sweeps.store.StoreWarning")
def test_a_killed_sweep_resumes_to_the_uninterrupted_table(
    chicken, reference, tmp_path, fmt
) -> None:
    _needs(fmt)
    out = tmp_path / f"r.{fmt}"
    process = _slow_sweep(out, 0.15)
    try:
        _wait_for(lambda: len(list(_parts(out).glob("chunk-*"))) >= 2, process, "two chunks")
    finally:
        _stop(process)
    assert process.returncode == -signal.SIGKILL
    assert not out.exists()
    sw = _resume(chicken, out)
    _same(sw.table, reference)
    _finished_cleanly(out)


# ---------------------------------------------------------------------- two runs at once
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_second_run_on_the_same_output_is_refused_cleanly(chicken, reference, tmp_path) -> None:
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 2)
    lock = _parts(out) / "lock"
    process = _slow_sweep(out, 30)  # resumes, then holds the lock for minutes
    try:
        _wait_for(
            lambda: lock.exists() and lock.read_text().strip() == str(process.pid),
            process,
            "the helper to take the lock",
        )
        busy = rf"another sweep is writing to .*r\.csv \(pid {process.pid}\)"
        for kwargs in ({"resume": True}, {"overwrite": True}, {}):
            with pytest.raises(gt.ScenarioError, match=busy):
                gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out, **kwargs)
        run = _cli(*CLI_SWEEP, "--out", str(out), "--resume", "--quiet")
        assert run.returncode == 2, run.stderr
        assert f"another sweep is writing to {out} (pid {process.pid})" in run.stderr
        assert "Traceback" not in run.stderr
        # The refused runs touched nothing.
        assert _part(out, 0).exists() and _part(out, 1).exists()
        assert process.poll() is None
    finally:
        _stop(process)
    # The holder was killed: its lock went with it.
    sw = _resume(chicken, out)
    _same(sw.table, reference)
    _finished_cleanly(out)


def test_a_stale_fallback_lock_file_names_its_pid(chicken, tmp_path, monkeypatch) -> None:
    """Without fcntl (not POSIX) the lock is a file created with O_EXCL holding the PID."""
    monkeypatch.setattr(store, "_fcntl", None)
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 2)
    gc.collect()
    lock = _parts(out) / "lock"
    assert not lock.exists()  # released when the interrupted run's store went away
    lock.write_text("424242\n")
    with pytest.raises(gt.ScenarioError, match=r"another sweep is writing to .* \(pid 424242\)"):
        _resume(chicken, out)
    lock.unlink()
    _resume(chicken, out)
    _finished_cleanly(out)


@pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc/self/fd").exists(), reason="needs fork and /proc"
)
def test_forked_workers_do_not_keep_the_lock(chicken, tmp_path) -> None:
    """Worker processes forked during a run close their copy of the lock, so a killed run's
    workers cannot keep the lock after it."""
    out = tmp_path / "r.csv"
    design = grid_design(chicken, GRID)
    with ChunkStore(
        out, sweep_meta(chicken, design, "auto", 1e-9, CHUNK), resume=False, overwrite=False
    ):
        lock = _parts(out) / "lock"
        inherited = [fd for fd in os.listdir("/proc/self/fd") if _points_to(fd, lock)]
        assert inherited
        pid = os.fork()
        if pid == 0:  # the child: report whether the lock's descriptor is still open
            still = any(_points_to(fd, lock) for fd in os.listdir("/proc/self/fd"))
            os._exit(1 if still else 0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0


def _points_to(fd: str, path: Path) -> bool:
    try:
        return os.readlink(f"/proc/self/fd/{fd}") == os.path.realpath(path)
    except OSError:
        return False


# ---------------------------------------------------------------------- paths that fail
def test_an_output_path_that_is_a_directory(chicken, tmp_path) -> None:
    out = tmp_path / "r.csv"
    out.mkdir()
    for kwargs in ({}, {"overwrite": True}, {"resume": True}):
        with pytest.raises(gt.ScenarioError, match="is a directory"):
            gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out, **kwargs)
    assert out.is_dir() and sorted(p.name for p in tmp_path.iterdir()) == ["r.csv"]
    run = _cli(*CLI_SWEEP, "--out", str(out), "--quiet")
    assert run.returncode == 2 and "is a directory" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_missing_folder_creates_nothing(chicken, tmp_path) -> None:
    out = tmp_path / "nope" / "r.csv"
    with pytest.raises(gt.ScenarioError, match=r"nope.*does not exist"):
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="needs /proc")
def test_a_path_under_proc_is_one_clear_error(chicken) -> None:
    out = Path("/proc/gametheory-sweep.csv")
    with pytest.raises(gt.ScenarioError, match=r"/proc"):
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    assert not out.exists()


def test_a_read_only_output_directory(chicken, tmp_path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as root: chmod does not stop writing")
        with pytest.raises(gt.ScenarioError, match=r"ro.*permission denied"):
            gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=folder / "r.csv")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


def test_a_read_only_parts_folder_on_resume(chicken, tmp_path) -> None:
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 2)
    _parts(out).chmod(0o555)
    try:
        if os.access(_parts(out), os.W_OK):
            pytest.skip("running as root: chmod does not stop writing")
        with pytest.raises(gt.ScenarioError, match=r"r\.csv\.parts.*permission denied"):
            _resume(chicken, out)
    finally:
        _parts(out).chmod(0o755)
    assert _part(out, 0).exists() and _part(out, 1).exists()


def test_a_folder_that_refuses_new_entries(chicken, tmp_path, monkeypatch) -> None:
    """What a read-only folder does when access() cannot tell (root, ACLs, some mounts)."""

    def refuse(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(os, "mkdir", refuse)
    out = tmp_path / "r.csv"
    with pytest.raises(gt.ScenarioError, match=r"r\.csv\.parts.*permission denied"):
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def _failing_writes(monkeypatch, fail_from: int) -> list[str]:
    """Make the store's file writes fail with 'disk full' from the ``fail_from``-th on."""
    real = store._write_file
    calls: list[str] = []

    def write(path, data):
        calls.append(Path(path).name)
        if len(calls) >= fail_from:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        real(path, data)

    monkeypatch.setattr(store, "_write_file", write)
    return calls


def test_a_full_disk_while_creating_the_store_leaves_nothing(
    chicken, tmp_path, monkeypatch
) -> None:
    _failing_writes(monkeypatch, 1)
    out = tmp_path / "r.csv"
    with pytest.raises(gt.ScenarioError, match="no space left on device"):
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_during_the_run(chicken, reference, tmp_path, monkeypatch) -> None:
    calls = _failing_writes(monkeypatch, 7)  # sweep.json, manifest, 2 x (part, manifest), part
    out = tmp_path / "r.csv"
    with pytest.raises(gt.ScenarioError, match="no space left on device") as info:
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    assert str(_parts(out)) in str(info.value)
    assert calls[-1].endswith(".tmp")
    assert _leftovers(tmp_path) == []
    assert sorted(p.name for p in _parts(out).glob("chunk-*")) == [
        _part(out, 0).name,
        _part(out, 1).name,
    ]
    monkeypatch.undo()
    sw = _resume(chicken, out)
    _same(sw.table, reference)
    _finished_cleanly(out)


def test_a_full_disk_while_writing_the_final_file_publishes_nothing(
    chicken, reference, tmp_path, monkeypatch
) -> None:
    out = tmp_path / "r.csv"
    real = store._concatenate

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(args[1]))

    monkeypatch.setattr(store, "_concatenate", full)
    with pytest.raises(gt.ScenarioError, match="no space left on device"):
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    assert not out.exists() and _parts(out).is_dir()
    assert _leftovers(tmp_path) == []
    monkeypatch.setattr(store, "_concatenate", real)
    sw = _resume(chicken, out)
    _same(sw.table, reference)
    _finished_cleanly(out)


# ---------------------------------------------------------------------- refused runs
@pytest.mark.parametrize("chunk_size", [-5, 2.5, True])
def test_a_refused_chunk_size_leaves_no_parts_folder(chicken, tmp_path, chunk_size) -> None:
    out = tmp_path / "r.csv"
    with pytest.raises(gt.ScenarioError, match=r"chunk.size"):
        gt.sweep(chicken, grid=GRID, chunk_size=chunk_size, out=out)
    assert list(tmp_path.iterdir()) == []


def test_a_refused_executor_leaves_no_parts_folder(chicken, tmp_path) -> None:
    out = tmp_path / "r.csv"
    with pytest.raises(gt.ScenarioError, match="unknown executor"):
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out, executor="nope")
    assert list(tmp_path.iterdir()) == []


def test_an_unfinished_sweep_with_no_chunk_does_not_block_the_next_run(
    chicken, reference, tmp_path
) -> None:
    out = tmp_path / "r.csv"
    with pytest.raises(gt.ScenarioError, match="unknown executor"):
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out, executor="nope")
    sw = gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    _same(sw.table, reference)
    _finished_cleanly(out)


def test_an_unfinished_sweep_with_chunks_is_protected(chicken, tmp_path) -> None:
    out = tmp_path / "r.csv"
    _interrupted(chicken, out, 2)
    with pytest.raises(gt.ScenarioError, match="--resume"):
        gt.sweep(chicken, grid=GRID, chunk_size=CHUNK, out=out)
    assert _part(out, 0).exists() and _part(out, 1).exists()


def test_the_store_as_a_context_manager_removes_an_empty_folder_after_a_failure(
    chicken, tmp_path
) -> None:
    out = tmp_path / "r.csv"
    design = grid_design(chicken, GRID)
    meta = sweep_meta(chicken, design, "auto", 1e-9, CHUNK)
    with pytest.raises(RuntimeError), ChunkStore(out, meta, resume=False, overwrite=False):
        assert _parts(out).is_dir()
        raise RuntimeError("the run failed before any chunk")
    assert list(tmp_path.iterdir()) == []
