"""``gametheory robust``: outcome probabilities from the command line.

The scenario is the 2x2 game of tests/test_robust.py, whose pure equilibrium switches on the
line ``a = b / 2``: with ``a`` and ``b`` uniform on ``[0, 1]``, ``P(Row: Up) = 3/4`` exactly.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

import gametheory as gt
from gametheory.cli.main import main

from .conftest import ROOT
from .test_cli import COMMAND

LINE = """schema_version = 1
title = "switch on a = b/2"
[parameters]
a = {{ value = 0.8, min = 0, max = 1{belief} }}
b = {{ value = 0.5, min = 0, max = 1 }}
[players.Row]
actions = ["Up", "Down"]
[players.Col]
actions = ["Left", "Right"]
[payoffs]
Row = [["a", 0], ["0.5 * b", 0]]
Col = [[1, 0], [1, 0]]
"""
UP = "Row: Up / Col: Left"


@pytest.fixture
def line_file(tmp_path: Path) -> Path:
    path = tmp_path / "line.toml"
    path.write_text(LINE.format(belief=""))
    return path


def test_table_output(line_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["robust", str(line_file), "--samples", "4096", "--seed", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"The prediction ({UP}) holds with probability" in out
    row = next(line for line in out.splitlines() if line.endswith(UP))
    probability, low, high = (float(x.strip("[],")) for x in row.split()[:3])
    assert low <= 0.75 <= high and low <= probability <= high
    assert "a: uniform from 0 to 1" in out


def test_json_is_the_python_result(line_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["robust", str(line_file), "--samples", "500", "--seed", "4", "--sampling", "sobol"]
    assert main([*args, "--format", "json", "--quiet"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = gt.uncertainty(gt.load(line_file), 500, seed=4, method="sobol").to_dict()
    assert data == json.loads(json.dumps(expected))
    assert data["method"] == "sobol" and data["n"] == 500


def test_processes_and_set_and_out(
    line_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["robust", str(line_file), "--samples", "600", "--format", "json", "--quiet"]
    assert main([*base, "--set", "b=1"]) == 0
    inline = json.loads(capsys.readouterr().out)
    assert inline["fixed"] == {"b": 1.0}
    out = tmp_path / "points.parquet"
    assert main([*base, "--set", "b=1", "--processes", "2", "--out", str(out)]) == 0
    parallel = json.loads(capsys.readouterr().out)
    assert {k: v for k, v in parallel.items() if k != "out"} == {
        k: v for k, v in inline.items() if k != "out"
    }
    import pandas as pd

    assert len(pd.read_parquet(out)) == 600


def test_progress_on_a_pipe(line_file: Path) -> None:
    out = subprocess.run(
        [*COMMAND, "robust", str(line_file), "--samples", "300"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines()[-1].startswith("sweep: 300/300 points (100%)")


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--samples", "0"], "--samples"),
        (["--samples", "-3"], "--samples"),
        (["--samples", "1000000000"], "--samples"),
        (["--samples", "10", "--sampling", "halton"], "invalid choice: 'halton'"),
        (["--samples", "10", "--seed", "-1"], "--seed"),
        (["--samples", "100000000", "--sampling", "lhs"], "Latin hypercube of 100,000,000 points"),
        (["--samples", "10", "--set", "a=3"], "outside its declared range"),
        (["--samples", "10", "--method", "magic"], "unknown method 'magic'"),
        (["--samples", "10", "--out", "x.csv"], "Parquet"),
    ],
)
def test_bad_input_exits_2_before_any_work(
    line_file: Path, extra: list[str], words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        code = main(["robust", str(line_file), *extra, "--quiet"])
        raise SystemExit(code)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_bad_belief_in_the_file_names_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(LINE.format(belief=', distribution = { kind = "pert", likely = 2 }'))
    assert main(["robust", str(path), "--samples", "10"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:4, key 'parameters.a.distribution.likely'" in err
    assert "likely (2) is outside the range [0, 1]" in err


def test_two_runs_writing_the_same_points_file_do_not_corrupt_it(tmp_path: Path) -> None:
    """Two runs with the same --out, interleaved: each writes its own temporary file, so the
    output is one run's complete table (it was a shared '.partial' name: one run failed and the
    file left behind could not be read)."""
    import pandas as pd

    from gametheory.analysis.uncertainty._robust import _Writer

    out = tmp_path / "same.parquet"
    first, second = _Writer(out), _Writer(out)
    a = pd.DataFrame({"x": [1.0, 2.0]})
    b = pd.DataFrame({"x": [3.0, 4.0, 5.0]})
    first.write(a)
    second.write(b)
    first.close()
    second.close()
    assert pd.read_parquet(out)["x"].tolist() == [3.0, 4.0, 5.0]
    assert [p.name for p in tmp_path.iterdir()] == ["same.parquet"]
