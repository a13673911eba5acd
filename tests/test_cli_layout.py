"""The command line's layout: the command table, help on every option, lazy command modules."""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import re
import shlex
import subprocess
import sys

import pytest

from gametheory.cli.main import COMMANDS, build_parser, main

from .conftest import ROOT

CLI = ROOT / "gametheory" / "cli"


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_every_command_module_exports_add_parser_and_run() -> None:
    for name, command in COMMANDS.items():
        assert command.module == f"gametheory.cli.commands.{name}"
        module = importlib.import_module(command.module)
        assert callable(module.add_parser) and callable(module.run), name
        assert command.summary


def test_the_table_lists_every_command_module() -> None:
    # Modules starting with "_" are helpers shared by commands (e.g. _tree), not commands.
    files = {p.stem for p in (CLI / "commands").glob("*.py") if not p.stem.startswith("_")}
    assert files == set(COMMANDS)


def test_every_argument_and_option_has_help() -> None:
    parser = build_parser(COMMANDS)
    parsers = {"gametheory": parser, **_commands(parser)}
    assert set(parsers) == {"gametheory", *COMMANDS}
    missing = [
        f"{name} {action.option_strings or action.dest}"
        for name, sub in parsers.items()
        for action in sub._actions
        if not isinstance(action, argparse._HelpAction)
        and (not action.help or action.help == argparse.SUPPRESS)
    ]
    assert missing == []


def test_top_level_help_lists_commands_and_shows_examples(capsys) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for name, command in COMMANDS.items():
        assert re.search(rf"^\s+{name}\s+{re.escape(command.summary[:30])}", out, re.M), name
    assert "examples:" in out
    # RawDescriptionHelpFormatter keeps one example per line.
    assert "\n  gametheory solve payoffs/london_talks_2025.toml --set tariff=0.8\n" in out


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("sweep", "points per chunk (default 20,000, fewer for large games"),
        ("bargain", "numbered from 1"),
        ("solve", "default 1e-09"),
        ("show", "scenario .toml (matrix, chip or tree) or Gambit .nfg/.efg file"),
        ("whatif", "output format"),
    ],
)
def test_command_help(command, expected, capsys) -> None:
    assert main([command, "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # undo argparse's line wrapping
    assert expected in out


def test_shared_options_are_declared_once_in_options_module() -> None:
    declared: dict[str, list[str]] = {}
    for path in sorted(CLI.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                declared.setdefault(node.args[0].value, []).append(path.name)
    for flag in ("--set", "--method", "--tol", "--format", "--seed", "--target"):
        assert declared.get(flag) == ["options.py"], (flag, declared.get(flag))


_LOADED = """
import contextlib, io, json, sys
import gametheory
before = set(sys.modules)
from gametheory.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    status = main({argv!r})
print(json.dumps([status, sorted(set(sys.modules) - before)]))
"""

HEAVY = ("pandas", "scipy", "pydantic", "tqdm", "matplotlib", "jinja2", "pyarrow", "distributed")


def _loaded_by_cli(argv: list[str]) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-c", _LOADED.format(argv=argv)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    status, loaded = json.loads(out.stdout)
    assert status == 0
    return list(loaded)


def test_help_imports_no_command_and_nothing_heavy_beyond_the_package() -> None:
    loaded = _loaded_by_cli(["--help"])
    ours = [m for m in loaded if m.startswith("gametheory")]
    assert sorted(ours) == ["gametheory.cli", "gametheory.cli.main"]
    assert [m for m in loaded if m.split(".")[0] in HEAVY] == []


def test_a_command_imports_only_its_own_module() -> None:
    loaded = _loaded_by_cli(["methods"])
    commands = [m for m in loaded if m.startswith("gametheory.cli.commands.")]
    assert commands == ["gametheory.cli.commands.methods"]


def test_gametheory_help_loads_no_solver_or_pydantic() -> None:
    code = (
        "import contextlib, io, sys\nfrom gametheory.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n    main(['--help'])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'scipy', "
        "'pandas') or m.startswith('gametheory.solvers')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_python_dash_m_runs_the_same_command_line() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gametheory", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0 and out.stdout.startswith("gametheory ")


def _documented_commands() -> list[tuple[str, str]]:
    """Every ``gametheory ...`` line in code blocks of the README and docs/."""
    found = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = path.read_text(encoding="utf-8").replace("\\\n", " ")
        for block in re.findall(r"```(?:bash|console|sh)?\n(.*?)```", text, re.S):
            for line in block.splitlines():
                line = line.strip().removeprefix("$ ")
                for part in line.split("&&"):
                    part = part.strip()
                    if part.startswith("gametheory "):
                        found.append((path.name, part.split(" #")[0].strip()))
    return found


DOCUMENTED = _documented_commands()


def test_the_docs_have_commands_to_check() -> None:
    assert len(DOCUMENTED) >= 15


@pytest.mark.parametrize(("doc", "line"), DOCUMENTED, ids=[f"{d}:{c}" for d, c in DOCUMENTED])
def test_documented_commands_parse(doc, line, capsys) -> None:
    argv = shlex.split(line)[1:]
    parser = build_parser([argv[0]])
    try:
        parser.parse_args(argv)
    except SystemExit:  # pragma: no cover - the failure message is the point
        pytest.fail(f"{doc}: {line!r} does not parse: {capsys.readouterr().err}")
