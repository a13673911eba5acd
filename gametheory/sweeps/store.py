"""The chunk store: the part files of an unfinished sweep, their manifest, the lock, the output.

A sweep written to ``OUT`` keeps its finished chunks in the folder ``OUT.parts/``:

``sweep.json``
    What identifies the sweep (design, scenario hash, method, tolerance, chunk size). A resume
    with anything different is refused.
``manifest.json``
    For every finished part: its chunk number, file name, row count, point range, size and
    the SHA-256 of its bytes. A part is written to a temporary name, renamed into place, and
    only then recorded here (the manifest itself is replaced atomically), so a part the
    manifest does not list may be incomplete and is never used.
``lock``
    Held with ``flock`` for the whole run (on systems without ``fcntl``, created with
    ``O_EXCL``); it holds the PID of the run. A second run on the same output is refused.
``chunk-NNNNNN.csv`` / ``chunk-NNNNNN.parquet``
    The parts.

On resume every listed part is verified (present, same size and SHA-256, the recorded row
count, its ``point`` column covering exactly its point range, in order); a part that fails, or
that the manifest does not list, is deleted with a :class:`StoreWarning` and solved again.
Temporary files left by a killed run are removed. :meth:`ChunkStore.finish` verifies every part
again, writes the output to a temporary name, checks its rows and points, and only then renames
it into place and removes the parts folder: no output file is published unless every part
verified.

Every failure of the operating system (a read-only or missing folder, a full disk, an output
path that is a folder) is raised as one :class:`~gametheory.errors.ScenarioError` naming the
path, and nothing half-written is left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import json
import os
import secrets
import shutil
import stat
import sys
import threading
import time
import warnings
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType, TracebackType
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from ..errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd

try:
    _fcntl: ModuleType | None = importlib.import_module("fcntl")
except ImportError:  # not POSIX: the lock is a file created with O_EXCL
    _fcntl = None

__all__ = ["FORMATS", "ChunkStore", "Part", "StoreWarning"]

FORMATS = {".parquet": "parquet", ".csv": "csv"}
META = "sweep.json"
MANIFEST = "manifest.json"
LOCK = "lock"
MANIFEST_VERSION = 1
#: Hidden folders beside the output that are being created or removed are left alone this long.
_STALE_AFTER = 60.0
_BLOCK = 1 << 20
_LISTED = 10


class StoreWarning(UserWarning):
    """A stored part failed verification (or was never recorded) and will be solved again."""


@dataclass(frozen=True)
class Part:
    """The manifest's record of one finished part."""

    index: int
    file: str
    rows: int
    start: int
    stop: int
    size: int
    sha256: str

    @classmethod
    def from_json(cls, key: str, data: Any) -> Part | None:
        """The record stored under ``key``, or None if it is not a well-formed record."""
        if not isinstance(data, dict) or not key.isdigit():
            return None
        numbers = [data.get(k) for k in ("rows", "start", "stop", "size")]
        counts = [n for n in numbers if type(n) is int and n >= 0]
        digest, file = data.get("sha256"), data.get("file")
        if len(counts) != len(numbers) or not isinstance(file, str) or not isinstance(digest, str):
            return None
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            return None
        rows, start, stop, size = counts
        return cls(int(key), file, rows, start, stop, size, digest)

    def to_json(self) -> dict[str, Any]:
        """The record as stored (without the chunk number, which is its key)."""
        record = asdict(self)
        del record["index"]
        return record


# ---------------------------------------------------------------------- the lock
class _Lock:
    """An exclusive lock on ``OUT.parts/lock`` held by this process.

    With ``fcntl``: an open descriptor holding ``flock(LOCK_EX)`` (the kernel releases it when
    the process dies). Without: the lock file itself, created with ``O_EXCL``, removed on
    release.
    """

    def __init__(self, key: str, path: Path, fd: int | None) -> None:
        self.key = key
        self.path = path  # follows the folder when it is renamed away at the end
        self.fd = fd
        self.held = True
        self.thread = threading.get_ident()

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        with _REGISTRY_LOCK:
            if _HELD.get(self.key) is self:
                del _HELD[self.key]
        if not self.held:
            return
        self.held = False
        if self.fd is not None:
            fd, self.fd = self.fd, None
            with contextlib.suppress(OSError):
                if _fcntl is not None:
                    _fcntl.flock(fd, _fcntl.LOCK_UN)
            with contextlib.suppress(OSError):
                os.close(fd)
        else:
            with contextlib.suppress(OSError):
                if _read_pid(self.path) == str(os.getpid()):
                    self.path.unlink()

    def forget(self) -> None:
        """In a forked child: drop this process's copy without releasing the parent's lock."""
        if self.held and self.fd is not None:
            with contextlib.suppress(OSError):
                os.close(self.fd)
        self.fd = None
        self.held = False


#: Locks this process holds, by output path: a later store for the same output in the same
#: thread takes the lock over (the earlier run has ended, e.g. interrupted in a notebook whose
#: traceback still refers to its store).
_HELD: dict[str, _Lock] = {}
_REGISTRY_LOCK = threading.Lock()


def _forget_locks_in_child() -> None:
    """After fork: worker processes must not keep the lock alive once their parent dies."""
    for lock in list(_HELD.values()):
        lock.forget()
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_locks_in_child)


def _read_pid(path: Path | int) -> str:
    """The PID written in a lock file (or descriptor), or ``"unknown"``."""
    try:
        if isinstance(path, int):
            data = os.pread(path, 32, 0) if hasattr(os, "pread") else b""
        else:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return "unknown"
            with path.open("rb") as handle:
                data = handle.read(32)
    except OSError:
        return "unknown"
    text = data.decode("ascii", "replace").strip()
    return text if text.isdigit() else "unknown"


def _thread_alive(ident: int) -> bool:
    return any(t.ident == ident and t.is_alive() for t in threading.enumerate())


# ---------------------------------------------------------------------- files
def _describe(exc: OSError) -> str:
    what = exc.strerror or str(exc) or type(exc).__name__
    return what[:1].lower() + what[1:]


def _os_error(action: str, exc: OSError, path: Path, *, exact: bool = True) -> ScenarioError:
    """One error naming the path and what went wrong.

    The path is the one the system names, if it does and ``exact``; else ``path``.
    """
    where = str(path)
    if exact and exc.filename is not None:
        where = os.fsdecode(exc.filename)
    return ScenarioError(f"{action}: {_describe(exc)}", file=where)


def _write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file and flush it to disk."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` at once: a temporary file, then a rename."""
    temporary = path.with_name(f".{path.name}.tmp")
    try:
        _write_file(temporary, data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def _fsync_folder(path: Path) -> None:
    """Make a rename in ``path`` durable (POSIX; elsewhere a no-op)."""
    if sys.platform == "win32":
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_tree(path: Path) -> None:
    shutil.rmtree(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class _Cover:
    """Checks, batch by batch, that a ``point`` column covers exactly ``start .. stop - 1``.

    In order, with every point present (a point has one row per equilibrium, at least one).
    """

    def __init__(self, start: int, stop: int) -> None:
        self.start = start
        self.stop = stop
        self.rows = 0
        self.last: int | None = None
        self.problem: str | None = None

    def add(self, points: NDArray[Any]) -> None:
        if self.problem is not None or len(points) == 0:
            return
        if not np.issubdtype(points.dtype, np.integer):
            self.problem = "its point column is not whole numbers"
            return
        self.rows += len(points)
        previous = self.start - 1 if self.last is None else self.last
        steps = np.diff(points, prepend=previous)
        if self.last is None and int(points[0]) != self.start:
            self.problem = f"it starts at point {int(points[0]):,}, not {self.start:,}"
        elif (steps < 0).any() or (steps > 1).any():
            self.problem = "its points are out of order or some are missing"
        self.last = int(points[-1])

    def result(self) -> str | None:
        if self.problem is not None:
            return self.problem
        if self.last is None:
            return "it has no rows"
        if self.last != self.stop - 1:
            return f"it ends at point {self.last:,}, not {self.stop - 1:,}"
        return None


def _point_batches(fmt: str, source: Path | bytes) -> Iterator[NDArray[Any]]:
    """The ``point`` column of a part or output, in batches."""
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        handle = pa.BufferReader(source) if isinstance(source, bytes) else source
        for batch in pq.ParquetFile(handle).iter_batches(columns=["point"]):
            yield batch.column(0).to_numpy(zero_copy_only=False)
    else:
        import pandas as pd

        handle = io.BytesIO(source) if isinstance(source, bytes) else source
        with pd.read_csv(handle, usecols=["point"], chunksize=1_000_000) as reader:
            for frame in reader:
                yield frame["point"].to_numpy()


def _check_rows(fmt: str, source: Path | bytes, start: int, stop: int) -> tuple[int, str | None]:
    """Row count of a part or output, and what is wrong with its points (None if nothing)."""
    cover = _Cover(start, stop)
    try:
        for points in _point_batches(fmt, source):
            cover.add(points)
    except Exception as exc:  # pandas and pyarrow raise many kinds for a damaged file
        return cover.rows, f"it cannot be read as {fmt.upper()} ({type(exc).__name__}: {exc})"
    return cover.rows, cover.result()


def _concatenate(fmt: str, target: Path, sources: list[tuple[Path, Part]]) -> None:
    """Stream the parts, in order, into ``target``.

    Each part's bytes are checked against its SHA-256 as they are used.
    """

    def read(path: Path, entry: Part) -> bytes:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != entry.sha256:
            raise ScenarioError(
                f"{entry.file} changed while the output was being written; nothing was "
                "published; run again with --resume",
                file=str(path),
            )
        return data

    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        writer = None
        try:
            for path, entry in sources:
                table = pq.read_table(pa.BufferReader(read(path, entry)))
                if writer is None:
                    writer = pq.ParquetWriter(target, table.schema)
                writer.write_table(table.cast(writer.schema))
        finally:
            if writer is not None:
                writer.close()
        return
    header = None
    with target.open("wb") as sink:
        for path, entry in sources:
            data = read(path, entry)
            first, _, body = data.partition(b"\n")
            if header is None:
                header = first
                sink.write(first + b"\n")
            elif first != header:
                raise ScenarioError(
                    f"{entry.file} has different columns from the first part; nothing was "
                    "published",
                    file=str(path),
                )
            sink.write(body)
        sink.flush()
        os.fsync(sink.fileno())


# ---------------------------------------------------------------------- the store
class ChunkStore:
    """Part files of an unfinished sweep, and the final output file.

    Opening a store takes the lock on ``OUT.parts`` (creating the folder for a new sweep, or
    verifying the stored parts on resume); it is held until :meth:`finish` or :meth:`close`
    (use the store as a context manager so that a failed run gives it up at once).

    Parameters
    ----------
    out
        The output file (``.parquet`` or ``.csv``); parts live in ``OUT.parts/``.
    meta
        What identifies the sweep (design, scenario hash, method, tolerance, chunk size);
        ``meta["design"]["size"]`` and ``meta["chunk_size"]`` give the chunks' point ranges.
    resume
        Continue an unfinished sweep found at ``out``.
    overwrite
        Replace an existing output file or unfinished sweep.

    Raises
    ------
    ScenarioError
        For an output that exists (without ``overwrite``), an unfinished sweep (without
        ``resume`` or ``overwrite``) or a different one, a stored sweep that cannot be
        identified, another run writing to the same output, and any failure of the file
        system, each naming the path.
    """

    def __init__(
        self, out: str | Path, meta: dict[str, Any], *, resume: bool, overwrite: bool
    ) -> None:
        self.out = Path(out)
        suffix = self.out.suffix.lower()
        if suffix not in FORMATS:
            raise ScenarioError(
                f"output must end in .parquet or .csv, got '{self.out.name}'", file=str(self.out)
            )
        self.format = FORMATS[suffix]
        if self.format == "parquet":
            _require_pyarrow()
        self.parts = self.out.with_name(self.out.name + ".parts")
        self.meta_file = self.parts / META
        self.meta = meta
        chunk_size = meta.get("chunk_size")
        if type(chunk_size) is not int or chunk_size < 1:
            raise ScenarioError(f"chunk size must be a positive whole number, got {chunk_size!r}")
        size = meta.get("design", {}).get("size")
        if type(size) is not int or size < 1:
            raise ScenarioError(f"the design must have at least one point, got {size!r}")
        self.chunk_size = chunk_size
        self.size = size
        self.n_chunks = -(-size // chunk_size)
        self._manifest: dict[int, Part] = {}
        self._lock: _Lock | None = None
        self._created = False
        self._finished = False
        self._check_paths()
        self._key = os.path.join(os.path.realpath(self.out.parent), self.out.name)
        try:
            self._open(resume=resume, overwrite=overwrite)
        except BaseException:
            self._release()
            raise

    # ------------------------------------------------------------------ public
    def done(self) -> set[int]:
        """Chunk numbers already stored (every one verified)."""
        return set(self._manifest)

    def write(self, index: int, frame: pd.DataFrame) -> None:
        """Store one chunk: a temporary file, renamed into place, then recorded in the manifest."""
        self._check_held()
        start, stop = self._range(index)
        final = self._part(index)
        rows = len(frame)
        cover = _Cover(start, stop)
        cover.add(frame["point"].to_numpy())
        problem = cover.result()
        if problem is not None:
            raise ScenarioError(f"chunk {index} was not stored: {problem}", file=str(final))
        buffer = io.BytesIO()
        if self.format == "parquet":
            frame.to_parquet(buffer, index=False)
        else:
            frame.to_csv(buffer, index=False)
        data = buffer.getvalue()
        temporary = final.with_name(f".{final.name}.tmp")
        try:
            _write_file(temporary, data)
            os.replace(temporary, final)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                temporary.unlink()
            if isinstance(exc, OSError):
                raise _os_error(f"cannot store chunk {index}", exc, temporary) from None
            raise
        entry = Part(
            index, final.name, rows, start, stop, len(data), hashlib.sha256(data).hexdigest()
        )
        self._manifest[index] = entry
        try:
            self._save_manifest()
        except BaseException:
            del self._manifest[index]
            with contextlib.suppress(OSError):
                final.unlink()
            raise

    def finish(self, n_chunks: int) -> Path:
        """Verify every part, stream them in order into the output file, remove the parts.

        The output is written to a temporary name and its rows and points are checked before it
        is renamed into place; the parts folder is removed only after that.
        """
        self._check_held()
        if n_chunks != self.n_chunks:
            raise ScenarioError(
                f"cannot finish: this sweep has {self.n_chunks:,} chunks, not {n_chunks:,}",
                file=str(self.out),
            )
        missing = [self._part(k).name for k in range(n_chunks) if k not in self._manifest]
        bad = {k: why for k, e in self._manifest.items() if (why := self._verify(e)) is not None}
        if missing or bad:
            self._drop(bad)
            found = [f"{self._manifest_name(k)} ({why})" for k, why in bad.items()]
            found += [f"{name} (missing)" for name in missing]
            raise ScenarioError(
                f"cannot finish: {len(found)} part(s) failed verification: {_listing(found)}; "
                "no output was written; run the same sweep again with --resume to solve them "
                "again",
                file=str(self.parts),
            )
        entries = [self._manifest[k] for k in range(n_chunks)]
        temporary = self.parts / f".{self.out.name}.tmp"
        try:
            _concatenate(self.format, temporary, [(self.parts / e.file, e) for e in entries])
            rows, problem = _check_rows(self.format, temporary, 0, self.size)
            expected = sum(e.rows for e in entries)
            if problem is None and rows != expected:
                problem = f"it has {rows:,} rows, the parts {expected:,}"
            if problem is not None:
                raise ScenarioError(
                    f"the combined output failed its check ({problem}); nothing was published",
                    file=str(self.out),
                )
            os.replace(temporary, self.out)
        except OSError as exc:
            raise _os_error("cannot write the output", exc, self.out, exact=False) from None
        except Exception as exc:
            if isinstance(exc, ScenarioError):
                raise
            raise ScenarioError(
                f"cannot write the output: {type(exc).__name__}: {exc}", file=str(self.out)
            ) from None
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()
        _fsync_folder(self.out.parent)
        self._finished = True
        self._remove_parts()
        self._release()
        return self.out

    def close(self, *, failed: bool = False) -> None:
        """Give up the lock.

        After a failed run (``failed``), a parts folder this store created that holds no
        finished part is removed too: nothing would be lost.
        """
        if failed and self._created and not self._manifest and self._holds():
            self._remove_parts(quiet=True)
        self._release()

    def __enter__(self) -> ChunkStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close(failed=exc_type is not None)

    # ------------------------------------------------------------------ opening
    def _check_paths(self) -> None:
        """Refuse outputs that can never be written, before anything is created."""
        folder = self.out.parent
        try:
            if not folder.exists():
                raise ScenarioError("the folder does not exist", file=str(folder))
            if not folder.is_dir():
                raise ScenarioError("is not a folder", file=str(folder))
            if self.out.is_dir():
                raise ScenarioError(
                    "is a directory; give a file name ending in .parquet or .csv",
                    file=str(self.out),
                )
            if self.out.exists() and not self.out.is_file():
                raise ScenarioError("exists and is not a regular file", file=str(self.out))
            if self.parts.exists() and not self.parts.is_dir():
                raise ScenarioError(
                    f"is in the way of the sweep's parts folder; remove it (or write to another "
                    f"file than {self.out.name})",
                    file=str(self.parts),
                )
        except OSError as exc:
            raise _os_error("cannot use this output path", exc, self.out) from None
        for path in (folder, self.parts):
            if path.is_dir() and not os.access(path, os.W_OK | os.X_OK):
                raise ScenarioError(
                    "cannot write in this folder: permission denied", file=str(path)
                )

    def _open(self, *, resume: bool, overwrite: bool) -> None:
        self._remove_stale_siblings()
        for _ in range(5):
            if not self.parts.exists():
                if self.out.exists() and not overwrite:
                    raise ScenarioError(
                        "this sweep is complete (no unfinished parts to resume); use "
                        "--overwrite to run it again"
                        if resume
                        else "output file already exists; use --overwrite to replace it",
                        file=str(self.out),
                    )
                if self._create():
                    self._created = True
                    if overwrite:
                        self._unlink_output()
                    return
            elif self._lock_existing():
                self._remove_temporaries()
                if overwrite:
                    self._clear()
                    self._unlink_output()
                    return
                if not resume:
                    if self._holds_parts():
                        raise ScenarioError(
                            f"an unfinished sweep is stored in {self.parts}; run again with "
                            "--resume to continue it, or --overwrite to start again",
                            file=str(self.out),
                        )
                    if self.out.exists():
                        raise ScenarioError(
                            "output file already exists; use --overwrite to replace it",
                            file=str(self.out),
                        )
                    self._clear()  # an unfinished sweep with no chunk: nothing to lose
                    return
                self._check_meta()
                self._load_and_verify()
                return
        raise ScenarioError(
            "the parts folder keeps appearing and disappearing; is another sweep finishing?",
            file=str(self.parts),
        )

    def _create(self) -> bool:
        """Create ``OUT.parts``, locked, with ``sweep.json`` and an empty manifest.

        It is built under a hidden name and renamed into place, so it appears complete or not
        at all. False if a parts folder appeared meanwhile.
        """
        staging = self._sibling("new")
        fd = None
        try:
            os.mkdir(staging)
            fd = self._lock_new(staging / LOCK)
            _write_file(staging / META, self._meta_bytes())
            _write_file(staging / MANIFEST, self._manifest_bytes())
            os.rename(staging, self.parts)
        except BaseException as exc:
            self._abandon(staging, fd)
            if not isinstance(exc, OSError):
                raise
            if self.parts.exists():  # another run created it first
                return False
            raise _os_error(
                "cannot create the sweep's parts folder", exc, self.parts, exact=False
            ) from None
        _fsync_folder(self.out.parent)
        self._hold(self.parts / LOCK, fd)
        return True

    def _lock_new(self, path: Path) -> int | None:
        """Lock the lock file of a folder nobody else can see yet."""
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        try:
            os.write(fd, f"{os.getpid()}\n".encode())
            if _fcntl is None:
                os.close(fd)
                return None
            _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
        return fd

    def _abandon(self, staging: Path, fd: int | None) -> None:
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            _remove_tree(staging)

    def _lock_existing(self) -> bool:
        """Take the lock of an existing parts folder.

        False if the folder went away meanwhile (another run finished): look again.
        """
        path = self.parts / LOCK
        self._take_over()
        try:
            if path.is_symlink() or (path.exists() and not path.is_file()):
                raise ScenarioError("the lock is not a regular file; remove it", file=str(path))
            if _fcntl is None:
                return self._lock_exclusive(path)
            flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            try:
                fd = os.open(path, flags, 0o644)
            except FileNotFoundError:
                return False
            try:
                _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _read_pid(fd)
                os.close(fd)
                raise self._busy(pid) from None
            except BaseException:
                os.close(fd)
                raise
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(path))
            except FileNotFoundError:
                same = False
            if not same:  # the folder was finished and removed while we waited
                os.close(fd)
                return False
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            except BaseException:
                os.close(fd)
                raise
        except OSError as exc:
            raise _os_error("cannot lock the unfinished sweep", exc, path) from None
        self._hold(path, fd)
        return True

    def _lock_exclusive(self, path: Path) -> bool:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise self._busy(_read_pid(path), hint=path) from None
        except FileNotFoundError:
            return False
        try:
            os.write(fd, f"{os.getpid()}\n".encode())
        finally:
            os.close(fd)
        self._hold(path, None)
        return True

    def _busy(self, pid: str, hint: Path | None = None) -> ScenarioError:
        message = f"another sweep is writing to {self.out} (pid {pid})"
        if pid == str(os.getpid()):
            message += ", in another thread of this process"
        message += "; wait for it to finish"
        if hint is not None:
            message += f", or delete {hint} if no sweep is running"
        return ScenarioError(message)

    def _take_over(self) -> None:
        """Deal with a lock this process already holds for the same output.

        Taken over from a run in this thread (which has ended); refused if another live
        thread holds it.
        """
        with _REGISTRY_LOCK:
            held = _HELD.get(self._key)
        if held is None:
            return
        if held.thread != threading.get_ident() and _thread_alive(held.thread):
            raise self._busy(str(os.getpid()))
        held.release()

    def _hold(self, path: Path, fd: int | None) -> None:
        lock = _Lock(self._key, path, fd)
        with _REGISTRY_LOCK:
            _HELD[self._key] = lock
        self._lock = lock
        weakref.finalize(self, lock.release)

    def _holds(self) -> bool:
        return self._lock is not None and self._lock.held

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.release()

    def _check_held(self) -> None:
        if self._finished:
            raise ScenarioError("this sweep is already finished", file=str(self.out))
        if not self._holds():
            raise ScenarioError(
                "this sweep's store was closed (or another run of it in this process took "
                "over); open it again with --resume",
                file=str(self.out),
            )

    # ------------------------------------------------------------------ contents
    def _part(self, index: int) -> Path:
        return self.parts / f"chunk-{index:06d}.{self.format}"

    def _manifest_name(self, index: int) -> str:
        return self._part(index).name

    def _range(self, index: int) -> tuple[int, int]:
        if type(index) is not int or not 0 <= index < self.n_chunks:
            raise ScenarioError(
                f"chunk {index!r} is not one of this sweep's {self.n_chunks:,} chunks",
                file=str(self.out),
            )
        start = index * self.chunk_size
        return start, min(start + self.chunk_size, self.size)

    def _meta_bytes(self) -> bytes:
        return json.dumps(self.meta, sort_keys=True).encode()

    def _manifest_bytes(self) -> bytes:
        content = {
            "version": MANIFEST_VERSION,
            "format": self.format,
            "parts": {str(k): e.to_json() for k, e in sorted(self._manifest.items())},
        }
        return json.dumps(content, sort_keys=True).encode()

    def _save_manifest(self) -> None:
        path = self.parts / MANIFEST
        try:
            _write_atomic(path, self._manifest_bytes())
        except OSError as exc:
            raise _os_error("cannot record the finished chunks", exc, path) from None

    def _holds_parts(self) -> bool:
        try:
            return any(p.name.startswith("chunk-") for p in self.parts.iterdir())
        except OSError as exc:
            raise _os_error("cannot read the parts folder", exc, self.parts) from None

    def _clear(self) -> None:
        """Empty the parts folder (keeping the lock) and start a new manifest."""
        try:
            for entry in self.parts.iterdir():
                if entry.name == LOCK:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    _remove_tree(entry)
                else:
                    entry.unlink()
            self._manifest = {}
            _write_atomic(self.meta_file, self._meta_bytes())
            _write_atomic(self.parts / MANIFEST, self._manifest_bytes())
        except OSError as exc:
            raise _os_error("cannot clear the unfinished sweep", exc, self.parts) from None

    def _unlink_output(self) -> None:
        try:
            self.out.unlink(missing_ok=True)
        except OSError as exc:
            raise _os_error("cannot remove the existing output", exc, self.out) from None

    def _remove_temporaries(self) -> None:
        """Remove the temporary files a killed run left.

        In the parts folder, and (from earlier versions) beside the output.
        """
        try:
            found = [p for p in self.parts.iterdir() if _temporary(p.name)]
            old = self.out.with_name(f".{self.out.name}.tmp")
            if old.is_file():
                found.append(old)
            for path in found:
                if path.is_dir() and not path.is_symlink():
                    _remove_tree(path)
                else:
                    path.unlink()
        except OSError as exc:
            raise _os_error("cannot remove a stale temporary file", exc, self.parts) from None

    def _check_meta(self) -> None:
        """The stored ``sweep.json`` must identify this same sweep."""
        why = None
        stored: Any = None
        try:
            info = os.lstat(self.meta_file)
            if not stat.S_ISREG(info.st_mode):
                why = "sweep.json is not a regular file"
            else:
                stored = json.loads(self.meta_file.read_bytes())
        except FileNotFoundError:
            why = "sweep.json is missing"
        except OSError as exc:
            raise _os_error("cannot read the stored sweep", exc, self.meta_file) from None
        except ValueError:
            why = "sweep.json is not valid JSON"
        expected = json.loads(self._meta_bytes())
        if why is None and (not isinstance(stored, dict) or not set(expected) <= set(stored)):
            why = "sweep.json does not describe a sweep"
        if why is not None:
            raise ScenarioError(
                f"the unfinished sweep stored in {self.parts} cannot be identified ({why}); "
                "use --overwrite to start again",
                file=str(self.out),
            )
        if stored != expected:
            changed = sorted(k for k in expected if stored.get(k) != expected[k]) or ["settings"]
            raise ScenarioError(
                "cannot resume: the unfinished sweep was started with a different "
                f"{', '.join(changed)}; use --overwrite to start again",
                file=str(self.out),
            )

    def _load_manifest(self) -> tuple[dict[int, Part], str | None]:
        """The recorded parts, and what was wrong with the manifest file (None if nothing)."""
        path = self.parts / MANIFEST
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return {}, "manifest.json is not a regular file"
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return {}, "manifest.json is missing"
        except OSError as exc:
            raise _os_error("cannot read the manifest", exc, path) from None
        except ValueError:
            return {}, "manifest.json is not valid JSON"
        if (
            not isinstance(data, dict)
            or data.get("version") != MANIFEST_VERSION
            or data.get("format") != self.format
            or not isinstance(data.get("parts"), dict)
        ):
            return {}, "manifest.json is not a manifest of this sweep"
        parts = {}
        for key, value in data["parts"].items():
            entry = Part.from_json(key, value)
            if entry is not None:
                parts[entry.index] = entry
        return parts, None

    def _load_and_verify(self) -> None:
        """Keep the parts that verify; delete (with one warning) every other part file."""
        recorded, trouble = self._load_manifest()
        bad: dict[str, str] = {}
        for index, entry in sorted(recorded.items()):
            why = self._verify(entry)
            if why is None:
                self._manifest[index] = entry
            else:
                name = self._part_name(index)
                bad[name if entry.file == name else f"the record of chunk {index}"] = why
        try:
            stored = sorted(p for p in self.parts.iterdir() if p.name.startswith("chunk-"))
            for path in stored:
                number = _chunk_number(path.name)
                kept = self._manifest.get(number) if number is not None else None
                if kept is not None and kept.file == path.name:
                    continue
                if path.name not in bad:
                    bad[path.name] = "not in the manifest" + (f": {trouble}" if trouble else "")
                if path.is_dir() and not path.is_symlink():
                    _remove_tree(path)
                else:
                    path.unlink()
        except OSError as exc:
            raise _os_error(
                "cannot remove a part that failed verification", exc, self.parts
            ) from None
        if recorded.keys() != self._manifest.keys() or trouble:
            self._save_manifest()
        if bad:
            found = [f"{name} ({why})" for name, why in bad.items()]
            warnings.warn(
                f"{self.parts}: {len(found)} stored part(s) failed verification and will be "
                f"solved again: {_listing(found)}",
                StoreWarning,
                stacklevel=4,
            )

    def _part_name(self, index: int) -> str:
        return self._part(index).name

    def _verify(self, entry: Part) -> str | None:
        """What is wrong with a recorded part (None if it verifies)."""
        if not 0 <= entry.index < self.n_chunks:
            return "not one of this sweep's chunks"
        if entry.file != self._part_name(entry.index):
            return "the manifest names another file"
        if (entry.start, entry.stop) != self._range(entry.index):
            return "the manifest records another point range"
        path = self.parts / entry.file
        try:
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):
                return "not a regular file"
            if info.st_size != entry.size:
                return f"{info.st_size:,} bytes, the manifest says {entry.size:,}"
            if _sha256(path) != entry.sha256:
                return "its SHA-256 differs from the manifest's"
        except FileNotFoundError:
            return "missing"
        except OSError as exc:
            return f"cannot be read: {_describe(exc)}"
        rows, problem = _check_rows(self.format, path, entry.start, entry.stop)
        if problem is not None:
            return problem
        if rows != entry.rows:
            return f"{rows:,} rows, the manifest says {entry.rows:,}"
        return None

    def _drop(self, bad: Iterable[int]) -> None:
        """Forget and delete parts that failed verification at the end."""
        bad = list(bad)
        if not bad:
            return
        for index in bad:
            entry = self._manifest.pop(index)
            with contextlib.suppress(OSError):
                (self.parts / entry.file).unlink()
        self._save_manifest()

    # ------------------------------------------------------------------ around the output
    def _sibling(self, what: str) -> Path:
        """A hidden folder beside the output, for building or removing the parts folder."""
        return self.out.with_name(f".{self.out.name}.parts-{what}-{secrets.token_hex(4)}.tmp")

    def _remove_stale_siblings(self) -> None:
        """Hidden folders left by a run killed while creating or removing its parts folder."""
        prefix = f".{self.out.name}.parts-"
        try:
            candidates = [
                p
                for p in self.out.parent.iterdir()
                if p.name.startswith(prefix) and p.name.endswith(".tmp") and p.is_dir()
            ]
        except OSError:
            return
        now = time.time()
        for path in candidates:
            with contextlib.suppress(OSError):
                if now - path.stat().st_mtime < _STALE_AFTER or _locked(path / LOCK):
                    continue
                _remove_tree(path)

    def _remove_parts(self, *, quiet: bool = False) -> None:
        """Remove the parts folder: renamed away first (so it disappears at once), then deleted."""
        trash = self._sibling("old")
        try:
            os.rename(self.parts, trash)
            if self._lock is not None:
                self._lock.path = trash / LOCK
            _remove_tree(trash)
        except OSError as exc:
            if not quiet:
                warnings.warn(
                    f"the output {self.out} is complete, but its parts folder could not be "
                    f"removed ({_describe(exc)}); delete {exc.filename or self.parts}",
                    StoreWarning,
                    stacklevel=3,
                )


def _locked(path: Path) -> bool:
    """Whether another process holds the flock on ``path`` (False if there is none)."""
    if _fcntl is None or not path.is_file():
        return False
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return True
    try:
        _fcntl.flock(fd, _fcntl.LOCK_EX | _fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False


def _temporary(name: str) -> bool:
    return name.startswith(".") and name.endswith(".tmp")


def _chunk_number(name: str) -> int | None:
    stem = name.partition(".")[0]
    number = stem.removeprefix("chunk-")
    return int(number) if number.isdigit() else None


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_LISTED])
    return shown if len(items) <= _LISTED else f"{shown} and {len(items) - _LISTED} more"


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ScenarioError(
            "writing Parquet needs pyarrow: pip install 'gametheory[parquet]', or use a .csv output"
        ) from None
