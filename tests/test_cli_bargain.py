"""``gametheory bargain``: horizons and numbers refused with a clear error, equilibria from 1."""

from __future__ import annotations

import json
import subprocess
from types import SimpleNamespace

import pytest

from gametheory.cli.main import main

from .conftest import PAYOFFS, ROOT
from .test_cli import COMMAND

CHICKEN = PAYOFFS / "chicken.toml"


def cli(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--discount", "0.9", "0.8", "--rounds", "0"], "argument --rounds"),
        (["--discount", "0.9", "0.8", "--rounds", "-3"], "argument --rounds"),
        (["--discount", "0.9", "0.8", "--rounds", "2.5"], "argument --rounds"),
        (["--discount", "0", "0.8"], "strictly between 0 and 1"),
        (["--discount", "0.9", "1"], "strictly between 0 and 1"),
        (["--discount", "nan", "0.8"], "strictly between 0 and 1"),
        (["--discount", "-inf", "0.8"], "argument --discount"),
        (["--days", "-5"], "argument --days"),
        (["--days", "0"], "argument --days"),
        (["--days", "inf"], "argument --days"),
        (["--days", "nan"], "argument --days"),
        (["--days", "90", "--period", "0"], "argument --period"),
        (["--days", "90", "--period", "-7"], "argument --period"),
        (["--days", "90", "--period", "inf"], "argument --period"),
        (["--days", "90", "--rate", "-0.1", "0.1"], "argument --rate"),
        (["--days", "90", "--rate", "0.1", "inf"], "argument --rate"),
        (["--days", "90", "--rate", "nan", "0.1"], "argument --rate"),
        ([CHICKEN, "--equilibrium", "0"], "argument --equilibrium"),
        ([CHICKEN, "--equilibrium", "-1"], "argument --equilibrium"),
        ([CHICKEN, "--equilibrium", "4"], "equilibrium 4 does not exist"),
        ([CHICKEN, "--equilibrium", "4"], "numbered from 1"),
        ([CHICKEN, "--discount", "0.9", "0.8"], "not both"),
        ([CHICKEN, "--disagreement", "1,2,3"], "U1,U2"),
        ([CHICKEN, "--disagreement", "minmax", "--equilibrium", "2"], "--equilibrium goes"),
        (["--days", "90", "--rounds", "3"], "--rounds goes with --discount"),
        (["--discount", "0.9", "0.8", "--rate", "0.1", "0.1"], "--rate goes with --days"),
        (["--discount", "0.9", "0.8", "--period", "3"], "--period goes with --days"),
        (["--discount", "0.9", "0.8", "--threats"], "--threats needs a scenario file"),
    ],
)
def test_bad_bargaining_input_is_refused(args, fragment, capsys) -> None:
    status, out, err = cli(capsys, "bargain", *args)
    assert status == 2, out
    assert "Traceback" not in err
    assert fragment in err, err


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--discount", "0.9", "0.8", "--rounds", "100000000"], ["10,000", "Rubinstein"]),
        (["--days", "1e12"], ["10,000", "Rubinstein", "--discount 0.998174 0.998174"]),
        (["--days", "70007"], ["10,001 rounds", "10,000"]),
        (["--days", "1e6", "--period", "0.001"], ["--discount 0.9999997 0.9999997"]),
    ],
)
def test_long_horizons_are_refused_at_once(args, fragments) -> None:
    # A subprocess with a timeout: these used to run for hours.
    out = subprocess.run(
        [*COMMAND, "bargain", *args], capture_output=True, text=True, cwd=ROOT, timeout=30
    )
    assert out.returncode == 2, out.stdout
    assert "Traceback" not in out.stderr
    for fragment in fragments:
        assert fragment in out.stderr, out.stderr


def test_the_longest_horizons_allowed_still_run(capsys) -> None:
    status, out, _ = cli(capsys, "bargain", "--discount", "0.9", "0.8", "--rounds", "10000")
    assert status == 0 and "deadline after 10000 rounds" in out
    status, out, _ = cli(capsys, "bargain", "--days", "70000")
    assert status == 0 and "10000 rounds" in out


def test_output_formats_are_unchanged(capsys) -> None:
    status, out, _ = cli(capsys, "bargain", "--discount", "0.9", "0.8")
    assert status == 0
    assert out == (
        "alternating offers, player 1 proposes first, no deadline\n"
        "shares: player 1 0.714286, player 2 0.285714\n"
    )
    status, out, _ = cli(capsys, "bargain", "--days", "90")
    assert out == (
        "90 days to the deadline in rounds of 7 days: 12 rounds; per-round discount factors "
        "0.998174, 0.998174\nshares: player 1 0.0108577, player 2 0.989142\n"
    )
    status, out, _ = cli(capsys, "bargain", "--discount", "0.9", "0.8", "--rounds", "1")
    assert out.splitlines()[1] == "shares: player 1 1, player 2 0"


def test_a_short_deadline_is_one_round(capsys) -> None:
    status, out, _ = cli(capsys, "bargain", "--days", "3")
    assert status == 0 and "1 rounds" in out


# ---------------------------------------------------------------------- equilibria from 1
def test_equilibria_are_numbered_from_one_as_solve_lists_them(capsys) -> None:
    status, out, _ = cli(capsys, "bargain", CHICKEN)
    assert status == 0
    assert out.startswith(
        "disagreement (equilibrium 1: Row: Swerve / Col: Straight): Row -1, Col 1"
    )
    status, solved, _ = cli(capsys, "solve", CHICKEN, "--format", "json")
    equilibria = json.loads(solved)["equilibria"]
    for k in (1, 2, 3):
        status, out, err = cli(
            capsys, "bargain", CHICKEN, "--equilibrium", str(k), "--format", "json"
        )
        assert status == 0, err
        data = json.loads(out)
        assert data["disagreement"] == pytest.approx(equilibria[k - 1]["payoffs"])
        assert data["disagreement_source"].startswith(f"equilibrium {k}: ")


def test_a_three_player_game_is_refused(tmp_path, capsys) -> None:
    path = tmp_path / "three.nfg"
    path.write_text('NFG 1 R "t" { "A" "B" "C" } { 1 1 1 }\n1 2 3\n')
    status, _, err = cli(capsys, "bargain", path)
    assert status == 2 and "two-player" in err


# ---------------------------------------------------------------------- numbers
def test_threat_payoffs_never_print_as_minus_zero_or_rounding_noise(monkeypatch, capsys) -> None:
    fake = SimpleNamespace(
        players=("Row", "Col"),
        threats=({"Swerve": 1.0, "Straight": 0.0}, {"Swerve": 0.5, "Straight": 0.5}),
        disagreement=(-0.0, 1.1102230246251565e-16),
        outcome=(-1e-17, 2.0000000000000004),
    )
    monkeypatch.setattr("gametheory.cli.commands.bargain.variable_threat", lambda game: fake)
    status, out, _ = cli(capsys, "bargain", CHICKEN, "--threats")
    assert status == 0
    assert out.splitlines()[-1] == (
        "variable threats: Row threatens Swerve, Col threatens 0.5 Swerve + 0.5 Straight; "
        "disagreement (0, 0); outcome Row 0, Col 2"
    )


def test_threats_on_a_real_game(capsys) -> None:
    status, out, _ = cli(capsys, "bargain", CHICKEN, "--threats")
    assert status == 0
    line = out.splitlines()[-1]
    assert line.startswith("variable threats: Row threatens ") and "-0" not in line.split()
