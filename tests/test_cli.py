"""The command line, through the installed entry point, and bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gametheory.cli import main

from .conftest import PAYOFFS, ROOT

EXE = shutil.which("gametheory")
COMMAND = [EXE] if EXE else [sys.executable, "-m", "gametheory"]


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *map(str, args)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )


LONDON = PAYOFFS / "london_talks_2025.toml"


def test_solve_prints_a_labelled_table() -> None:
    out = run("solve", LONDON)
    assert out.returncode == 0, out.stderr
    assert "maintain+extend+lift" in out.stdout
    assert "withhold+expedite" in out.stdout
    assert "1 equilibrium (complete)" in out.stdout
    assert "tariff=0.55" in out.stdout


def test_solve_json_follows_the_documented_schema() -> None:
    out = run("solve", PAYOFFS / "chicken.toml", "--format", "json", "--set", "crash=4")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema"] == "gametheory.solve/1"
    assert data["parameters"] == {"crash": 4.0}
    assert data["method"] == "vertex_enumeration"
    assert data["complete"] is True
    assert data["tolerance"] == 1e-9
    assert isinstance(data["warnings"], list) and isinstance(data["options"], dict)
    assert len(data["equilibria"]) == 3
    mixed = next(e for e in data["equilibria"] if not e["pure"])
    assert mixed["strategies"]["Row"]["Swerve"] == pytest.approx(3 / 4)  # (crash-1)/crash
    assert set(mixed["payoffs"]) == {"Row", "Col"}


def test_json_is_the_same_from_python() -> None:
    import gametheory as gt

    sc = gt.load(PAYOFFS / "stag_hunt.toml")
    values = sc.resolve({"stag": 3})
    expected = gt.solve(sc.game(values)).with_parameters(values).to_dict()
    out = run("solve", PAYOFFS / "stag_hunt.toml", "--set", "stag=3", "--format", "json")
    assert json.loads(out.stdout) == json.loads(json.dumps(expected))


def test_method_and_options() -> None:
    out = run(
        "solve",
        PAYOFFS / "battle_of_the_sexes.toml",
        "--method",
        "lemke_howson",
        "--option",
        "initial_label=1",
    )
    assert out.returncode == 0, out.stderr
    assert "NOT known to be complete" in out.stdout
    out = run("solve", PAYOFFS / "matching_pennies.toml", "--method", "minimax", "--format", "json")
    assert json.loads(out.stdout)["details"]["value"] == pytest.approx(0, abs=1e-12)


def test_show_validate_and_methods() -> None:
    out = run("show", PAYOFFS / "prisoners_dilemma.toml")
    assert out.returncode == 0 and "Quiet" in out.stdout and "3, 0" in out.stdout
    out = run("validate", LONDON)
    assert out.returncode == 0 and "OK" in out.stdout
    out = run("methods")
    assert out.returncode == 0 and "vertex_enumeration" in out.stdout


def test_solves_a_gambit_file(tmp_path) -> None:
    path = tmp_path / "g.nfg"
    path.write_text('NFG 1 R "pennies" { "A" "B" } { 2 2 }\n1 -1 -1 1 -1 1 1 -1\n')
    out = run("solve", path)
    assert out.returncode == 0, out.stderr
    assert "1/2 1 + 1/2 2" in out.stdout


# ---------------------------------------------------------------------- bad input
GOOD_HEAD = """schema_version = 1
title = "t"
[parameters]
x = { value = 1, min = 0, max = 5 }
[players.R]
actions = ["u", "d"]
[players.C]
actions = ["l", "r"]
"""

BAD_FILES = {
    "malformed_toml": ('schema_version = 1\ntitle = "t\nplayers = 3\n', ["malformed TOML", ":2"]),
    "unknown_key": (
        GOOD_HEAD + "colour = 3\n[payoffs]\nR = [[1, 2], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["colour", "unknown key", "allowed keys"],
    ),
    "unknown_parameter_field": (
        GOOD_HEAD.replace("max = 5", "maxx = 5")
        + "[payoffs]\nR = [[1, 2], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["parameters.x.maxx", "unknown key", ":4"],
    ),
    "missing_key": (
        'schema_version = 1\ntitle = "t"\n[players.R]\nactions = ["u"]\n',
        ["payoffs", "required key is missing"],
    ),
    "wrong_schema_version": (
        GOOD_HEAD.replace("schema_version = 1", "schema_version = 7")
        + "[payoffs]\nR = [[1, 2], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["schema_version must be 1"],
    ),
    "wrong_shape": (
        GOOD_HEAD + "[payoffs]\nR = [[1, 2, 3], [3, 4, 5]]\nC = [[1, 2], [3, 4]]\n",
        ["payoffs.R[0]", "expected 2 entries", "'C'", ":10"],
    ),
    "not_a_list": (
        GOOD_HEAD + "[payoffs]\nR = 5\nC = [[1, 2], [3, 4]]\n",
        ["payoffs.R", "expected a list of 2 entries"],
    ),
    "non_numeric_payoff": (
        GOOD_HEAD + "[payoffs]\nR = [[1, true], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["payoffs.R[0][1]", "boolean"],
    ),
    "non_finite_payoff": (
        GOOD_HEAD + "[payoffs]\nR = [[1, nan], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["payoffs.R[0][1]", "finite"],
    ),
    "infinite_payoff": (
        GOOD_HEAD + "[payoffs]\nR = [[1, inf], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["payoffs.R[0][1]", "finite"],
    ),
    "unknown_name": (
        GOOD_HEAD + '[payoffs]\nR = [[1, "2 * y"], [3, 4]]\nC = [[1, 2], [3, 4]]\n',
        ["payoffs.R", "unknown name 'y'", "Known names: x"],
    ),
    "code_in_expression": (
        GOOD_HEAD + "[payoffs]\nR = [[1, \"__import__('os')\"], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["payoffs.R[0][1]", "not allowed"],
    ),
    "division_by_zero": (
        GOOD_HEAD + '[payoffs]\nR = [[1, "1 / (x - 1)"], [3, 4]]\nC = [[1, 2], [3, 4]]\n',
        ["payoffs.R[0][1]", "division by zero"],
    ),
    "empty_action_list": (
        GOOD_HEAD.replace('["u", "d"]', "[]") + "[payoffs]\nR = []\nC = []\n",
        ["players.R.actions", "empty action list"],
    ),
    "chip_for_unknown_player": (
        'schema_version = 1\ntitle = "t"\n[players.A]\n[players.B]\n'
        '[chips.c]\nplayer = "Z"\noptions = ["a", "b"]\n'
        '[payoffs]\nA = "1"\nB = "1"\n',
        ["chips.c.player", "unknown player 'Z'"],
    ),
    "player_without_chips": (
        'schema_version = 1\ntitle = "t"\n[players.A]\n[players.B]\n'
        '[chips.c]\nplayer = "A"\noptions = ["a", "b"]\n'
        '[payoffs]\nA = "c.a"\nB = "1"\n',
        ["players.B", "controls no chip"],
    ),
    "bad_range": (
        GOOD_HEAD.replace("value = 1", "value = 9")
        + "[payoffs]\nR = [[1, 2], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["parameters.x", "outside its declared range"],
    ),
    "sequential_matrix": (
        GOOD_HEAD + '[timing]\nkind = "sequential"\n[payoffs]\n'
        "R = [[1, 2], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["timing", "needs the chip form"],
    ),
    "unknown_timing": (
        GOOD_HEAD + '[timing]\nkind = "later"\n[payoffs]\n'
        "R = [[1, 2], [3, 4]]\nC = [[1, 2], [3, 4]]\n",
        ["timing", "not supported"],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_scenario_files_get_one_clear_error(name, tmp_path, capsys) -> None:
    text, expected = BAD_FILES[name]
    path = tmp_path / f"{name}.toml"
    path.write_text(text)
    # The installed entry point once; the same main() in-process for the other commands.
    outputs = [run("validate", path)]
    for command in ("solve", "show"):
        status = main([command, str(path)])
        captured = capsys.readouterr()
        outputs.append(subprocess.CompletedProcess([command], status, captured.out, captured.err))
    for out in outputs:
        assert out.returncode == 2, (out.args, out.stdout, out.stderr)
        assert "Traceback" not in out.stderr
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1, out.stderr
        assert lines[0].startswith(f"error: {path}")
        for fragment in expected:
            assert fragment in lines[0], (fragment, lines[0])


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--set", "crash=500"], "outside its declared range"),
        (["--set", "crsh=5"], "did you mean 'crash'"),
        (["--set", "crash=abc"], "expected a number"),
        (["--set", "crash"], "NAME=VALUE"),
        (["--method", "magic"], "unknown method 'magic'"),
        (["--method", "minimax"], "zero-sum"),
        (["--method", "lemke_howson", "--option", "initial_label=9"], "initial_label"),
        (["--method", "pure", "--option", "colour=1"], "bad solver option"),
    ],
)
def test_bad_overrides_and_options(args, expected) -> None:
    out = run("solve", PAYOFFS / "chicken.toml", *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert expected in out.stderr


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('NFG 1 R "t" { "A" "B" } { 2 2 }\n1 2 3\n', "expected payoff 4 of 8"),
        ('EFG 2 R "t" { "A" }\n', "expected 'NFG'"),
        ('NFG 1 R "t" { "A" "B" } { 2 x }\n', "number of strategies of 'B'"),
        ('NFG 1 R "t" { "A" "B" } { 1 1 }\n{ { "" 1, 2 } }\n 3\n', "outcome number"),
        ('NFG 1 R "t" { "A" "B" } { 1 1 }\n1 2 3\n', "end of the file"),
    ],
)
def test_unreadable_nfg_files(text, expected, tmp_path) -> None:
    path = tmp_path / "bad.nfg"
    path.write_text(text)
    out = run("solve", path)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert out.stderr.startswith(f"error: {path}")
    assert expected in out.stderr


def test_missing_file_and_unknown_type(tmp_path) -> None:
    out = run("solve", tmp_path / "nope.toml")
    assert out.returncode == 2 and "no such file" in out.stderr
    other = tmp_path / "game.xlsx"
    other.write_text("x")
    out = run("validate", other)
    assert out.returncode == 2 and "unknown file type" in out.stderr


def test_report_to_a_folder_that_cannot_be_written_fails_before_any_work(tmp_path: Path) -> None:
    """A bad --out is named at once (it was found only after the report was computed)."""
    missing = tmp_path / "no" / "report.html"
    proc = run("report", PAYOFFS / "london_talks_2025_private.toml", "--out", missing)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {missing}: no such file or directory"
    assert list(tmp_path.iterdir()) == []


def test_validate_reads_an_ordinal_scenario() -> None:
    """validate on a graph-model file builds the model (it refused the file as 'not a game').
    Elmira: 3 decision makers; 12 feasible states (the literature's 9, its state 9 in four
    versions, as payoffs/elmira_ordinal.toml notes)."""
    out = run("validate", str(PAYOFFS / "elmira_ordinal.toml"))
    assert out.returncode == 0
    assert "OK (ordinal scenario, 3 decision makers, 12 feasible states)" in out.stdout


def test_solve_on_a_folder_says_it_is_a_folder(tmp_path: Path) -> None:
    out = run("solve", str(tmp_path))
    assert out.returncode == 2
    assert out.stderr.strip() == f"error: {tmp_path}: is a folder; expected a scenario file"


def test_unicode_digits_are_not_payoffs(tmp_path: Path) -> None:
    """An Arabic-Indic digit is not the number 1 in a Gambit file (regular expressions' \\d
    matched it and float() read it)."""
    path = tmp_path / "u.nfg"
    path.write_text('NFG 1 R "x" { "A" "B" } { 1 1 }\n\u0661 2\n', encoding="utf-8")
    out = run("solve", str(path))
    assert out.returncode == 2
    assert out.stderr.startswith(f"error: {path}:2: expected payoff 1 of 2")
