"""The command table, the top-level parser and the one place where errors become exit codes.

Each command lives in ``gametheory/cli/commands/<name>.py`` and exports ``add_parser(sub)`` and
``run(args) -> int``. :data:`COMMANDS` maps each name to its module and a one-line summary; a
command's module is imported only when that command is run (or its ``--help`` is asked for), so
``gametheory --help`` loads no solver, table or plotting code of its own.

Errors caused by input are printed as one line on standard error with exit status 2, never as a
traceback: a :class:`~gametheory.errors.GameTheoryError` as ``error: MESSAGE`` (the message
names the file, key and line where known), and an :class:`OSError` (a missing file or folder,
permission denied, a directory where a file was expected, a read-only disk) as
``error: PATH: what went wrong``. Bad option values are refused by argparse with status 2 before
any file is read or written.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import warnings
from collections.abc import Collection, Sequence
from typing import NamedTuple, Protocol, cast

from .._version import __version__
from ..errors import GameTheoryError

__all__ = ["COMMANDS", "EXIT_INPUT", "EXIT_INTERRUPTED", "EXIT_OK", "build_parser", "main"]

EXIT_OK = 0
EXIT_INPUT = 2
EXIT_INTERRUPTED = 130


class Command(NamedTuple):
    """A command: the module that implements it and its one-line summary."""

    module: str
    summary: str


class CommandModule(Protocol):
    """What every module in ``gametheory.cli.commands`` exports."""

    def add_parser(
        self, sub: argparse._SubParsersAction[argparse.ArgumentParser]
    ) -> argparse.ArgumentParser: ...

    def run(self, args: argparse.Namespace) -> int: ...


_PACKAGE = "gametheory.cli.commands"

#: Every command, in the order ``gametheory --help`` lists them.
COMMANDS: dict[str, Command] = {
    "solve": Command(f"{_PACKAGE}.solve", "compute the equilibria of a scenario or game file"),
    "show": Command(f"{_PACKAGE}.show", "print the labelled payoff table"),
    "validate": Command(f"{_PACKAGE}.validate", "check a scenario or game file"),
    "methods": Command(f"{_PACKAGE}.methods", "list the available solvers"),
    "sweep": Command(
        f"{_PACKAGE}.sweep",
        "solve a scenario over a grid or a random sample of parameter values",
    ),
    "bargain": Command(
        f"{_PACKAGE}.bargain",
        "bargaining solutions of a two-player game, or alternating offers",
    ),
    "whatif": Command(
        f"{_PACKAGE}.whatif", "what it would take for a target outcome to be an equilibrium"
    ),
    "thresholds": Command(
        f"{_PACKAGE}.thresholds",
        "how far each parameter can move, alone, before the predicted outcome changes",
    ),
    "robust": Command(
        f"{_PACKAGE}.robust",
        "how likely each outcome is when parameters are drawn from their declared beliefs",
    ),
    "report": Command(f"{_PACKAGE}.report", "write a self-contained HTML or Markdown report"),
    "stability": Command(
        f"{_PACKAGE}.stability",
        "graph-model stability of every state when only rankings are known (ordinal analysis)",
    ),
}

EXAMPLES = """\
examples:
  gametheory solve payoffs/london_talks_2025.toml --set tariff=0.8
  gametheory show payoffs/chicken.toml --set crash=50
  gametheory solve payoffs/chicken.toml --format json
  gametheory sweep payoffs/chicken.toml --grid crash=1:20:50 --out results.csv
  gametheory bargain --discount 0.9 0.8
  gametheory report payoffs/london_talks_2025.toml --out report.html

'gametheory COMMAND --help' describes a command's options.
"""


def load_command(name: str) -> CommandModule:
    """Import the module of one command."""
    return cast(CommandModule, importlib.import_module(COMMANDS[name].module))


def build_parser(load: Collection[str] = ()) -> argparse.ArgumentParser:
    """The top-level parser; the commands named in ``load`` get their full parsers.

    The others get a stub with their summary only, which is all ``gametheory --help`` shows,
    so their modules are not imported.
    """
    parser = argparse.ArgumentParser(
        prog="gametheory",
        description="Model negotiations as games: solve scenario files and Gambit .nfg games.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"gametheory {__version__}",
        help="print the version and exit",
    )
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="COMMAND",
        title="commands",
        help="one of these (each has its own --help):",
    )
    for name, command in COMMANDS.items():
        if name in load:
            load_command(name).add_parser(sub)
        else:
            sub.add_parser(name, help=command.summary, description=command.summary)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command in an argument list: the first argument that is not an option.

    The top-level options (``-h``, ``--help``, ``--version``) take no value, so this is the
    word argparse will read as the command.
    """
    for arg in argv:
        if arg == "--":
            return None
        if not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def describe_os_error(exc: OSError) -> str:
    """``"PATH: what went wrong"`` for an error from the operating system."""
    what = exc.strerror or str(exc) or type(exc).__name__
    what = what[:1].lower() + what[1:]
    if exc.filename is None:
        return what
    path = os.fsdecode(exc.filename)
    if exc.filename2 is not None:
        path = f"{path} -> {os.fsdecode(exc.filename2)}"
    return f"{path}: {what}"


def _show_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: object = None,
    line: str | None = None,
) -> None:
    """Warnings on the command line are one line each: ``warning: MESSAGE``."""
    print(f"warning: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    name = _command_named(args_list)
    parser = build_parser([name] if name else [])
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else EXIT_INPUT
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            return load_command(args.command).run(args)
    except GameTheoryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, and keep Python from reporting
        # the failed flush of standard output at exit.
        with contextlib.suppress(OSError, ValueError):  # stdout may not be a file (captured)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as exc:
        print(f"error: {describe_os_error(exc)}", file=sys.stderr)
        return EXIT_INPUT
