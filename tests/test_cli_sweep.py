"""``gametheory sweep``: progress on a pipe or a terminal; misspelt names in the Python API."""

from __future__ import annotations

import itertools
import os
import struct
import subprocess
import sys

import pytest

if sys.platform != "win32":
    import fcntl
    import termios

import gametheory as gt
from gametheory.sweeps.design import grid_design, sample_design
from gametheory.sweeps.run import _progress

from .conftest import PAYOFFS, ROOT
from .test_cli import COMMAND

CHICKEN = PAYOFFS / "chicken.toml"
LONDON = PAYOFFS / "london_talks_2025.toml"
SWEEP = ["sweep", str(CHICKEN), "--grid", "crash=2:20:40", "--chunk-size", "5"]


def test_progress_on_a_pipe_is_one_summary_line() -> None:
    out = subprocess.run([*COMMAND, *SWEEP], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "\r" not in out.stderr
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("sweep: 40/40 points (100%)"), lines[0]
    assert "40 points (grid)" in out.stdout


def test_quiet_prints_no_progress() -> None:
    out = subprocess.run(
        [*COMMAND, *SWEEP, "--quiet"], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0 and out.stderr == ""


def test_progress_lines_are_never_repeated(capsys, monkeypatch) -> None:
    """Updates that reach the total, then close(): the last state is printed once."""
    clock = itertools.count(0.0, 100.0)  # 100 s between readings: every update may print
    monkeypatch.setattr("gametheory.sweeps.run._clock", lambda: next(clock))
    bar = _progress(30, 30, True)
    for _ in range(3):
        bar.update(10)
    bar.close()
    bar.close()
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == len(set(lines)) and lines[-1].startswith("sweep: 30/30 points (100%)")
    assert sum("30/30" in line for line in lines) == 1


def test_a_resumed_sweep_counts_what_was_done(capsys) -> None:
    bar = _progress(100, 40, True)
    bar.update(40)
    bar.close()
    assert capsys.readouterr().err.startswith("sweep: 100/100 points (100%)")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_a_terminal_still_gets_the_live_bar() -> None:
    leader, follower = os.openpty()
    # A terminal 100 columns wide (a new pseudo-terminal has none, and tqdm then draws nothing).
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    try:
        process = subprocess.Popen(
            [*COMMAND, *SWEEP], cwd=ROOT, stdout=subprocess.PIPE, stderr=follower
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                data = os.read(leader, 4096)
            except OSError:  # the terminal closed
                break
            if not data:
                break
            chunks.append(data)
        process.wait(timeout=120)
    finally:
        os.close(leader)
    text = b"".join(chunks).decode(errors="replace")
    assert process.returncode == 0
    assert "\r" in text and "100%" in text  # tqdm redraws its bar in place


# ---------------------------------------------------------------------- names
def test_misspelt_names_in_the_python_api_get_suggestions() -> None:
    london = gt.load(LONDON)
    with pytest.raises(gt.ScenarioError, match="did you mean 'tariff'"):
        grid_design(london, {"tarif": [0, 1]})
    with pytest.raises(gt.ScenarioError, match="did you mean 'tariff'"):
        sample_design(london, 10, names=["tarif"])
    with pytest.raises(gt.ScenarioError, match="did you mean 'tariff'"):
        london.sweep(grid={"tarif": [0, 1]})
    with pytest.raises(gt.ScenarioError, match=r"unknown parameter 'zzz' \(declared"):
        grid_design(london, {"zzz": [0, 1]})  # nothing close: no suggestion
