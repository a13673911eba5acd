"""Reading input files within a size limit, with one clear error for every way it can fail.

The size is enforced by reading at most ``limit + 1`` bytes, not by trusting ``st_size``, and only
regular files are opened: a FIFO would block the open itself, and ``/dev/zero`` reports size 0
and never ends.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import ScenarioError

__all__ = ["read_text_limited"]


def read_text_limited(path: str | Path, limit: int, what: str) -> str:
    """The UTF-8 text of a regular file of at most ``limit`` bytes.

    Parameters
    ----------
    path
        The file.
    limit
        Largest size accepted, in bytes.
    what
        What the file should be, for messages (``"a scenario file"``).

    Raises
    ------
    ScenarioError
        Naming the file: missing, a directory, not a regular file, unreadable, too large, or not
        UTF-8.
    """
    name = str(path)
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise ScenarioError(f"is a directory, expected {what}", file=name)
        if not stat.S_ISREG(info.st_mode):
            raise ScenarioError(
                f"is not a regular file (a device, FIFO or socket), expected {what}", file=name
            )
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise ScenarioError("no such file", file=name) from None
    except IsADirectoryError:
        raise ScenarioError(f"is a directory, expected {what}", file=name) from None
    except PermissionError:
        raise ScenarioError("permission denied", file=name) from None
    except OSError as exc:
        raise ScenarioError(f"cannot read file: {exc.strerror or exc}", file=name) from None
    if len(data) > limit:
        raise ScenarioError(
            f"file is larger than {limit:,} bytes, the limit for {what}; nothing was parsed",
            file=name,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(
            f"is not UTF-8 text (invalid byte at offset {exc.start})", file=name
        ) from None
