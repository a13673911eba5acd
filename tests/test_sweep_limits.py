"""Sweeps refuse what they cannot do before any work or file, and stay within bounded memory.

Cases from the hostile-input review (issue 9): column names that collide, arguments that
divided by zero or forked without bound, a grid too large to hold, a summary that read the whole
table back, and chunks too large for large games.
"""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt
from gametheory.sweeps.design import MAX_AXIS_VALUES, MAX_POINTS
from gametheory.sweeps.results import CHUNK_BYTES, auto_chunk_size

from .conftest import PAYOFFS

CHICKEN = PAYOFFS / "chicken.toml"

MATRIX = """
schema_version = 1
title = "t"
[parameters]
{param} = {{ value = 1.0, min = 0, max = 2 }}
[players.{row}]
actions = ["a", "b"]
[players.{col}]
actions = {col_actions}
[payoffs]
{row} = [["{param}", 0], [0, 1]]
{col} = [[1, 0], [0, 1]]
"""


def scenario(param="x", row="R", col="C", col_actions='["c", "d"]'):
    return gt.load_string(MATRIX.format(param=param, row=row, col=col, col_actions=col_actions))


@pytest.mark.parametrize("reserved", ["point", "status", "outcome", "n_equilibria", "pure"])
def test_a_parameter_named_like_a_fixed_column_is_refused(reserved, tmp_path):
    sc = scenario(param=reserved)
    out = tmp_path / "r.csv"
    with pytest.raises(gt.ScenarioError, match=f"parameter '{reserved}' has the name"):
        sc.sweep(grid={reserved: [0.5, 1.0]}, out=out)
    assert not out.exists() and not (tmp_path / "r.csv.parts").exists()


def test_player_and_action_names_that_make_one_column_twice_are_refused():
    # Player "payoff" with action "C" makes the column "payoff:C", which is also player C's
    # payoff column.
    sc = scenario(row="C", col="payoff", col_actions='["C", "d"]')
    with pytest.raises(gt.ScenarioError, match="column 'payoff:C' would be made twice"):
        sc.sweep(grid={"x": [1.0]})


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ({"chunk_size": 0}, "chunk_size must be at least 1"),
        ({"chunk_size": -1}, "chunk_size must be at least 1"),
        ({"chunk_size": 2.5}, "chunk_size must be a whole number"),
        ({"seed": -1}, "seed must be at least 0"),
        ({"workers": 100_000, "executor": "processes"}, "workers must be from 1 to 256"),
        ({"workers": 0, "executor": "processes"}, "workers must be from 1 to 256"),
    ],
)
def test_bad_arguments_are_refused_before_any_file(argument, message, tmp_path):
    sc = gt.load(CHICKEN)
    out = tmp_path / "r.csv"
    with pytest.raises(gt.ScenarioError, match=message):
        sc.sweep(sample=10, out=out, **argument)
    assert list(tmp_path.iterdir()) == []


def test_a_grid_too_large_to_hold_is_refused_before_its_values_are_read():
    sc = gt.load(CHICKEN)
    # range() has a length but no values in memory: the check must not materialise it.
    with pytest.raises(gt.ScenarioError, match=f"limit is {MAX_AXIS_VALUES:,} per parameter"):
        sc.sweep(grid={"crash": range(10**12)})
    side = int(MAX_POINTS**0.5) + 1
    with pytest.raises(gt.ScenarioError, match="points; the limit is"):
        gt.sweep(
            gt.load(PAYOFFS / "london_talks_2025.toml"),
            grid={"tariff": np.linspace(0, 1, side), "pressure_value": np.linspace(0, 1, side)},
        )


def test_chunks_shrink_for_large_games():
    small = gt.load(CHICKEN)
    assert auto_chunk_size(small) == 20_000
    players = {"R": [f"r{i}" for i in range(128)], "C": [f"c{i}" for i in range(128)]}
    rng = np.random.default_rng(0)
    big = gt.Scenario.from_matrices(
        players, {"R": rng.random((128, 128)), "C": rng.random((128, 128))}
    )
    chunk = auto_chunk_size(big)
    # One point's payoffs are 2 x 128 x 128 x 8 bytes = 256 KiB; with working copies (x4) a
    # chunk must stay within the budget.
    assert chunk * 4 * 2 * 128 * 128 * 8 <= CHUNK_BYTES
    assert chunk >= 1


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_the_streamed_summary_equals_the_in_memory_one(suffix, tmp_path, monkeypatch):
    import gametheory.sweeps.results as results

    monkeypatch.setattr(results, "READ_BATCH", 7)  # batches that cut points in two
    sc = gt.load(CHICKEN)
    grid = {"crash": np.linspace(1, 20, 60)}
    in_memory = sc.sweep(grid=grid).summary()
    written = sc.sweep(grid=grid, out=tmp_path / f"r{suffix}", chunk_size=11)
    streamed = written.summary()
    assert written._table is None  # the summary did not load the table
    assert streamed.to_dict("list") == in_memory.to_dict("list")
    assert streamed["points"].sum() == 60


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garbage.parquet", b"\x00\x01not parquet" * 50, "cannot read the sweep table"),
        ("other.csv", b"a,b\n1,2\n", "is not a sweep table"),
        ("binary.csv", bytes(range(256)) * 4, "sweep table"),
    ],
)
def test_report_sweep_of_a_file_that_is_not_a_sweep_is_one_error(name, content, message, tmp_path):
    pytest.importorskip("jinja2")
    from gametheory.report import build_report

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(gt.ScenarioError, match=message):
        build_report(gt.load(CHICKEN), sweep=path)
