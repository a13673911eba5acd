"""Options shared by several commands, each defined once, and argparse types for numbers.

Every numeric option is checked by an argparse type function, so a bad value is refused with
exit status 2 before a command reads a file or writes one. Values are parsed here; what they
mean (whether a parameter exists, whether a method is known) is checked by the commands.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable

from ..model.game import DEFAULT_TOL

__all__ = [
    "add_design",
    "add_executor",
    "add_file",
    "add_format",
    "add_method",
    "add_seed",
    "add_set",
    "add_target",
    "add_tol",
    "assignment",
    "bounded_float",
    "grid_axis",
    "positive_int",
    "say_how_to_resume",
    "target_pair",
    "whole_number",
]

#: Help for ``--set``, shared by every command that takes it.
SET_HELP = "override a parameter's value, e.g. --set tariff=0.8 (repeatable)"


# ---------------------------------------------------------------------- value types
def whole_number(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number in ``[low, high]`` (either bound may be open)."""
    if low is not None and high is not None:
        wanted = f"a whole number from {low:,} to {high:,}"
    elif low is not None:
        wanted = "a positive whole number" if low == 1 else f"a whole number >= {low:,}"
    else:
        wanted = "a whole number"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    parse.__name__ = "whole number"  # argparse names the type in some messages
    return parse


def positive_int(high: int | None = None) -> Callable[[str], int]:
    """An argparse type: a whole number ``>= 1`` (and ``<= high``)."""
    return whole_number(1, high)


def bounded_float(
    low: float | None = None,
    high: float | None = None,
    *,
    low_open: bool = True,
    high_open: bool = True,
) -> Callable[[str], float]:
    """An argparse type: a finite number between ``low`` and ``high``.

    The bounds are excluded unless ``low_open`` / ``high_open`` is false.
    """
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {low:g}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {high:g}")
    if low is not None and high is not None and low_open and high_open:
        wanted = f"a number strictly between {low:g} and {high:g}"
    elif parts:
        wanted = "a finite number " + " and ".join(parts)
    else:
        wanted = "a finite number"

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        if not math.isfinite(value):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        too_low = low is not None and (value <= low if low_open else value < low)
        too_high = high is not None and (value >= high if high_open else value > high)
        if too_low or too_high:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    parse.__name__ = "number"
    return parse


def assignment(text: str) -> tuple[str, float]:
    """``"tariff=0.8"`` -> ``("tariff", 0.8)``; the value must be a finite number."""
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{name}: expected a number, got {raw.strip()!r}"
        ) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{name}: expected a finite number, got {raw.strip()!r}")
    return name, value


def target_pair(text: str) -> tuple[str, str]:
    """``"US=maintain+extend"`` -> ``("US", "maintain+extend")``."""
    player, sep, action = text.partition("=")
    if not sep or not player.strip() or not action.strip():
        raise argparse.ArgumentTypeError(f"expected PLAYER=ACTION, got {text!r}")
    return player.strip(), action.strip()


# ---------------------------------------------------------------------- shared options
def add_file(parser: argparse.ArgumentParser, help: str, *, optional: bool = False) -> None:
    """The positional scenario or game file."""
    if optional:
        parser.add_argument("file", nargs="?", help=help)
    else:
        parser.add_argument("file", help=help)


def add_set(parser: argparse.ArgumentParser, help: str = SET_HELP) -> None:
    """``--set NAME=VALUE`` (repeatable); ``args.set`` is a list of ``(name, value)`` pairs."""
    parser.add_argument(
        "--set", action="append", default=[], type=assignment, metavar="NAME=VALUE", help=help
    )


def add_method(parser: argparse.ArgumentParser) -> None:
    """``--method NAME``, default ``auto``."""
    parser.add_argument(
        "--method",
        default="auto",
        metavar="NAME",
        help="solver to use (see 'gametheory methods'); default: auto",
    )


def add_tol(parser: argparse.ArgumentParser) -> None:
    """``--tol X``: the relative regret tolerance, strictly between 0 and 1."""
    parser.add_argument(
        "--tol",
        type=bounded_float(0, 1),
        default=None,
        help=f"relative regret tolerance, between 0 and 1 (default {DEFAULT_TOL:g})",
    )


def add_format(parser: argparse.ArgumentParser) -> None:
    """``--format table|json``."""
    parser.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="output format: table (default) or json",
    )


def add_seed(parser: argparse.ArgumentParser, help: str) -> None:
    """``--seed N``: a non-negative whole number, default 0."""
    parser.add_argument("--seed", type=whole_number(0), default=0, metavar="N", help=help)


def add_target(parser: argparse.ArgumentParser, help: str, *, required: bool = False) -> None:
    """``--target PLAYER=ACTION`` (repeatable); ``args.target`` is a list of pairs."""
    parser.add_argument(
        "--target",
        action="append",
        required=required,
        type=target_pair,
        metavar="PLAYER=ACTION",
        help=help,
    )


# ---------------------------------------------------------------------- designs
GRID_FORMAT = "START:STOP:NUM (NUM a positive whole number) or V1,V2,..."


def grid_axis(item: str) -> tuple[str, list[float]]:
    """``"tariff=0:1:5"`` -> ``("tariff", [0, 0.25, 0.5, 0.75, 1])``; ``NAME=1,2,3`` lists."""
    import numpy as np

    from ..sweeps.design import MAX_AXIS_VALUES

    name, sep, spec = item.partition("=")
    name = name.strip()
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=START:STOP:NUM, got {item!r}")
    try:
        if ":" in spec:
            start, stop, num = spec.split(":")
            count = int(num)
            if count < 1:
                raise ValueError
            if count > MAX_AXIS_VALUES:
                raise argparse.ArgumentTypeError(
                    f"{name}: {count:,} values is above the limit of {MAX_AXIS_VALUES:,} per "
                    "parameter"
                )
            values = np.linspace(float(start), float(stop), count).tolist()
        else:
            values = [float(v) for v in spec.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{name}: expected {GRID_FORMAT}, got {spec!r}") from None
    if not all(math.isfinite(v) for v in values):
        raise argparse.ArgumentTypeError(f"{name}: values must be finite numbers, got {spec!r}")
    return name, values


def add_design(parser: argparse.ArgumentParser, *, required: bool) -> None:
    """``--grid NAME=START:STOP:NUM`` (repeatable) or ``--sample N``, one of the two."""
    from ..sweeps.design import MAX_POINTS

    design = parser.add_mutually_exclusive_group(required=required)
    design.add_argument(
        "--grid",
        action="append",
        type=grid_axis,
        metavar="NAME=START:STOP:NUM",
        help="grid values for a parameter (repeatable; or NAME=V1,V2,...)",
    )
    design.add_argument(
        "--sample",
        type=positive_int(MAX_POINTS),
        metavar="N",
        help=f"number of random points (1 to {MAX_POINTS:,})",
    )


def add_executor(parser: argparse.ArgumentParser) -> None:
    """``--processes N``, ``--workers N`` (local Dask) or ``--scheduler ADDRESS``, or none.

    Where points are solved; inline (this process) when none is given.
    """
    from ..sweeps.results import MAX_WORKERS

    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--processes",
        type=positive_int(MAX_WORKERS),
        metavar="N",
        help=f"use N local processes (1 to {MAX_WORKERS})",
    )
    where.add_argument(
        "--workers",
        type=positive_int(MAX_WORKERS),
        metavar="N",
        help=f"start a local Dask cluster of N workers (1 to {MAX_WORKERS})",
    )
    where.add_argument(
        "--scheduler", metavar="ADDRESS", help="use a running Dask cluster, e.g. tcp://host:8786"
    )


def say_how_to_resume(out: str | None) -> None:
    """After Ctrl-C: where the finished chunks are and how to continue (on stderr)."""
    if out:
        print(
            f"interrupted: finished chunks are kept in {out}.parts; run the same "
            "command with --resume to continue",
            file=sys.stderr,
        )
