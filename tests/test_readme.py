"""Every command and Python example in the README runs, as a newcomer would run it.

The commands run in a temporary folder holding a copy of ``payoffs/``, so relative paths work
as written and nothing is written into the repository. The extras the README's first command
installs must cover every command (Parquet needs pyarrow, reports need matplotlib and jinja2).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)


def _blocks(language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(README) if lang == language]


def readme_commands() -> list[str]:
    """``gametheory ...`` lines of the README's bash and console blocks (continuations joined)."""
    commands = []
    for language in ("bash", "console"):
        for block in _blocks(language):
            text = block.replace("\\\n", " ")
            for line in text.splitlines():
                line = line.removeprefix("$ ").strip()
                if line.startswith("gametheory "):
                    commands.append(line.split("  #")[0].split(" # ")[0].strip())
                elif "&& gametheory " in line:
                    commands.append("gametheory " + line.split("&& gametheory ", 1)[1])
    return commands


def test_the_readme_starts_with_the_two_commands() -> None:
    first, second = _blocks("bash")[:2]
    assert 'pip install ".[report]"' in first and "gametheory report" in first
    assert 'pip install -e ".[dev]"' in second and "pytest" in second
    ci = (ROOT / ".ci" / "run").read_text()
    assert second.strip() in ci


def test_the_first_install_brings_what_every_readme_command_needs() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    report = " ".join(extras["report"])
    if any(".parquet" in c for c in readme_commands()):
        assert "pyarrow" in report
    assert "matplotlib" in report and "jinja2" in report


def test_the_readme_lists_commands_that_exist() -> None:
    commands = readme_commands()
    assert len(commands) >= 10
    for command in commands:
        for word in shlex.split(command):
            if word.startswith("payoffs/"):
                assert (ROOT / word).is_file(), f"README names a missing file: {word}"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "payoffs", folder / "payoffs")
    return folder


def _gametheory() -> list[str]:
    script = shutil.which("gametheory")
    return [script] if script else [sys.executable, "-m", "gametheory"]


@pytest.mark.parametrize("command", readme_commands())
def test_readme_command_runs(command: str, workdir: Path) -> None:
    args = shlex.split(command)[1:]
    # A smaller sweep grid than the README's 200x200 keeps the suite quick; same command.
    args = [re.sub(r"^(\w+=[^:]+:[^:]+):200$", r"\1:20", a) for a in args]
    out = subprocess.run(
        [*_gametheory(), *args],
        capture_output=True,
        text=True,
        cwd=workdir,
        timeout=300,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert out.returncode == 0, f"{command}\n{out.stdout}\n{out.stderr}"
    assert "Traceback" not in out.stderr


def test_readme_console_output_is_what_the_command_prints(workdir: Path) -> None:
    """The first console block is shown with its output: check the lines it shows."""
    block = _blocks("console")[0]
    command, *shown = block.strip().splitlines()
    args = shlex.split(command.removeprefix("$ "))[1:]
    out = subprocess.run(
        [*_gametheory(), *args], capture_output=True, text=True, cwd=workdir, timeout=120
    )
    printed = [line.rstrip() for line in out.stdout.splitlines()]
    for line in shown:
        if line.strip() and "..." not in line:  # "..." marks a shortened line
            assert line.rstrip() in printed, line


def test_readme_python_examples_run(workdir: Path) -> None:
    """The Python blocks, in order, as one session (later blocks use earlier names)."""
    session = "\n".join(_blocks("python"))
    out = subprocess.run(
        [sys.executable, "-c", session], capture_output=True, text=True, cwd=workdir, timeout=300
    )
    assert out.returncode == 0, f"{session}\n{out.stderr}"
