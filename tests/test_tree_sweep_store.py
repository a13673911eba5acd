"""Tree sweeps at scale: pickled scenarios, chunks, executors, the chunk store and resuming.

What a table should hold is checked against the closed form for the London private tree (the
US accepts the linkage offer iff p_hawk < tariff - 0.5 at the file's other baseline values,
derived in ``tests/test_london_private.py`` and docs/trees.md) and against single solves whose
equilibria pass the reduced-normal-form regret check; everything else compares a sweep run one
way with the same sweep run another way (chunk sizes, executors, interrupted and resumed).
"""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
import gametheory.sweeps.tree as tree_module
from gametheory.cli import main
from gametheory.errors import ScenarioError
from gametheory.io import load_tree_scenario
from gametheory.solvers.tree import tree_regret
from gametheory.sweeps.tree import tree_scenario_hash, tree_sweep

from .conftest import PAYOFFS

PRIVATE = PAYOFFS / "london_talks_2025_private.toml"
LONDON = load_tree_scenario(PRIVATE)
REPLY = "move:reply_if_hawk | reply_if_pragmatic"
# 40 points: p_hawk off the cut-offs 0.05 and 0.5 (tariff 0.55 and 1.0), so no tie.
P_HAWK = np.linspace(0.0125, 0.9875, 20)
GRID = {"p_hawk": P_HAWK, "tariff": [0.55, 1.0]}
FIXED = {"extended": 0.0}


@pytest.fixture(scope="module")
def reference() -> pd.DataFrame:
    return tree_sweep(LONDON, grid=GRID, fixed=FIXED).table


# ---------------------------------------------------------------------- pickling
def test_pickled_scenario_builds_the_same_tree() -> None:
    copy = pickle.loads(pickle.dumps(LONDON))
    point = {"p_hawk": 0.3, "tariff": 0.8, "extended": 0.0}
    a, b = LONDON.tree(point), copy.tree(point)
    for field in dataclasses.fields(a):
        left, right = getattr(a, field.name), getattr(b, field.name)
        if isinstance(left, np.ndarray):
            np.testing.assert_array_equal(left, right, err_msg=field.name)
        else:
            assert left == right, field.name
    assert copy.infoset_of == LONDON.infoset_of and dict(copy.parameters) == dict(LONDON.parameters)
    assert tree_scenario_hash(copy) == tree_scenario_hash(LONDON)
    with pytest.raises(dataclasses.FrozenInstanceError):
        copy.title = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        copy.parameters["p_hawk"] = None  # type: ignore[index]


# ---------------------------------------------------------------------- the table
def test_table_follows_the_closed_form(reference: pd.DataFrame) -> None:
    assert sorted(reference["point"].unique()) == list(range(40))
    for (p, tariff), rows in reference.groupby(["p_hawk", "tariff"]):
        replies = set(rows[REPLY]) - {""}
        if p < tariff - 0.5:
            assert "refuse" not in replies
        else:
            assert replies == {"refuse"}


def test_rows_equal_single_solves_that_pass_the_regret_check(reference: pd.DataFrame) -> None:
    for point in (0, 13, 39):
        rows = reference[reference["point"] == point]
        values = {n: float(rows.iloc[0][n]) for n in LONDON.parameters}
        tree = LONDON.tree(values)
        result = gt.spe_tree(tree)
        assert len(rows) == len(result)
        for (_, row), eq in zip(rows.iterrows(), result, strict=True):
            assert tree_regret(tree, eq.behaviour) <= 1e-9
            assert row["payoff:US"] == pytest.approx(eq.payoff()["US"])


@pytest.mark.parametrize("chunk_size", [1, 7, 40])
def test_same_table_whatever_the_chunk_size(reference: pd.DataFrame, chunk_size: int) -> None:
    table = tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=chunk_size).table
    pd.testing.assert_frame_equal(table, reference, check_exact=True)


def test_same_table_inline_processes_and_dask(reference: pd.DataFrame) -> None:
    pytest.importorskip("distributed", reason="dask.distributed not installed ([dask] extra)")
    two = tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=6, processes=2).table
    pd.testing.assert_frame_equal(two, reference, check_exact=True, obj="processes=2")
    dask = tree_sweep(
        LONDON, grid=GRID, fixed=FIXED, chunk_size=9, executor="dask", workers=2
    ).table
    pd.testing.assert_frame_equal(dask, reference, check_exact=True, obj="dask")


def test_chunks_are_solved_one_range_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int]] = []
    solve = tree_module.solve_tree_chunk

    def spy(scenario: Any, design: Any, start: int, stop: int, *rest: Any) -> pd.DataFrame:
        seen.append((start, stop))
        return solve(scenario, design, start, stop, *rest)

    monkeypatch.setattr(tree_module, "solve_tree_chunk", spy)
    tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=16)
    assert seen == [(0, 16), (16, 32), (32, 40)]
    seen.clear()
    tree_sweep(LONDON, grid=GRID, fixed=FIXED)  # default: a sixteenth of the design
    assert seen[:2] == [(0, 3), (3, 6)] and len(seen) == 14


def test_limits_are_checked_before_any_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("a tree was solved")

    monkeypatch.setattr(tree_module, "solve_tree_chunk", refuse)
    axis = np.linspace(0, 1, 1001)
    with pytest.raises(ScenarioError, match="above the limit of 1,000,000"):
        tree_sweep(LONDON, grid={"p_hawk": axis, "tariff": np.linspace(0.5, 1.45, 1000)})
    for bad, message in [
        ({"chunk_size": 0}, "chunk size"),
        ({"processes": 3}, "at most 2 processes"),
        ({"executor": "cloud"}, "unknown executor"),
        ({"executor": "processes", "workers": 5}, "from 1 to 2"),
        ({"workers": 2}, "not inline"),
        ({"processes": 2, "executor": "dask"}, "not both"),
        ({"resume": True}, "need out="),
    ]:
        with pytest.raises(ScenarioError, match=message):
            tree_sweep(LONDON, grid={"p_hawk": [0.1]}, **bad)


def test_a_point_without_equilibria_keeps_a_row(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tree_module, "solve_tree", lambda tree, concept, tol: ([], False))
    table = tree_sweep(LONDON, grid={"p_hawk": [0.2, 0.4]}).table
    assert list(table["point"]) == [0, 1]
    assert (table["n_equilibria"] == 0).all() and (table["outcome"] == "no equilibrium found").all()
    assert table["payoff:US"].isna().all()


# ---------------------------------------------------------------------- the store
@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_written_table_equals_the_one_in_memory(
    reference: pd.DataFrame, tmp_path: Path, suffix: str
) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="pyarrow not installed ([parquet] extra)")
    out = tmp_path / f"london{suffix}"
    sw = tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=7, out=out)
    assert sw.path == out and out.exists() and not Path(f"{out}.parts").exists()
    pd.testing.assert_frame_equal(sw.table, reference, check_dtype=False)
    memory = tree_sweep(LONDON, grid=GRID, fixed=FIXED)
    pd.testing.assert_frame_equal(sw.summary(), memory.summary())
    with pytest.raises(ScenarioError, match="already exists; use --overwrite"):
        tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=7, out=out)
    again = tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=7, out=out, overwrite=True)
    pd.testing.assert_frame_equal(again.table, reference, check_dtype=False)


class KilledError(Exception):
    """Stands in for a kill in the middle of a sweep."""


def interrupt_at(monkeypatch: pytest.MonkeyPatch, chunk: int, size: int) -> list[int]:
    """Make the chunk starting at ``chunk * size`` fail; return the starts solved."""
    starts: list[int] = []
    solve = tree_module.solve_tree_chunk

    def flaky(scenario: Any, design: Any, start: int, stop: int, *rest: Any) -> pd.DataFrame:
        if start == chunk * size:
            raise KilledError
        starts.append(start)
        return solve(scenario, design, start, stop, *rest)

    monkeypatch.setattr(tree_module, "solve_tree_chunk", flaky)
    return starts


def test_interrupted_sweep_resumes_to_the_same_table(
    reference: pd.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "london.csv"
    starts = interrupt_at(monkeypatch, 3, 6)
    with pytest.raises(KilledError):
        tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=6, out=out)
    assert starts == [0, 6, 12] and not out.exists()
    parts = sorted(p.name for p in Path(f"{out}.parts").glob("chunk-*"))
    assert parts == ["chunk-000000.csv", "chunk-000001.csv", "chunk-000002.csv"]
    with pytest.raises(ScenarioError, match=r"unfinished sweep.*--resume"):
        tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=6, out=out)
    monkeypatch.undo()
    starts = interrupt_at(monkeypatch, 99, 6)  # never fails; records what is solved
    sw = tree_sweep(LONDON, grid=GRID, fixed=FIXED, chunk_size=6, out=out, resume=True)
    assert starts == [18, 24, 30, 36]  # only the chunks not stored
    pd.testing.assert_frame_equal(sw.table, reference, check_dtype=False)


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_resume_refuses_another_grid_or_concept(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "london.csv"
    base = ["sweep", PRIVATE, "--set", "extended=0", "--out", out, "--chunk-size", 5, "--quiet"]
    grid = ["--grid", "p_hawk=0.1:0.9:20"]
    interrupt_at(monkeypatch, 2, 5)
    with pytest.raises(KilledError):
        main([str(a) for a in [*base, *grid]])
    capsys.readouterr()
    monkeypatch.undo()
    for extra, what in [
        (["--grid", "p_hawk=0.1:0.9:21"], "different design"),
        ([*grid, "--concept", "nash"], "different concept"),
        ([*grid, "--chunk-size", 4], "different chunk_size"),
    ]:
        code, _, err = run(capsys, *base, *extra, "--resume")
        assert code == 2 and err.count("\n") == 1
        assert f"error: {out}: cannot resume" in err and what in err
    code, text, _ = run(capsys, *base, *grid, "--resume")
    assert code == 0 and f"results: {out}" in text
    whole = tree_sweep(LONDON, grid={"p_hawk": np.linspace(0.1, 0.9, 20)}, fixed=FIXED)
    written = tree_module._read_table(out)
    pd.testing.assert_frame_equal(written, whole.table, check_dtype=False)


def test_resume_refuses_a_changed_scenario(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "london.parquet"
    pytest.importorskip("pyarrow", reason="pyarrow not installed ([parquet] extra)")
    interrupt_at(monkeypatch, 1, 4)
    with pytest.raises(KilledError):
        tree_sweep(LONDON, grid={"p_hawk": P_HAWK}, chunk_size=4, out=out)
    monkeypatch.undo()
    changed = tmp_path / "changed.toml"
    changed.write_text(PRIVATE.read_text().replace('title = "', 'title = "Changed: ', 1))
    same = load_tree_scenario(changed)  # only the title differs: the trees are the same
    assert tree_scenario_hash(same) == tree_scenario_hash(LONDON)
    other = dataclasses.replace(LONDON, players=tuple(reversed(LONDON.players)))
    assert tree_scenario_hash(other) != tree_scenario_hash(LONDON)
    with pytest.raises(ScenarioError, match="different scenario") as info:
        tree_sweep(other, grid={"p_hawk": P_HAWK}, chunk_size=4, out=out, resume=True)
    assert info.value.file == str(out)
    sw = tree_sweep(same, grid={"p_hawk": P_HAWK}, chunk_size=4, out=out, resume=True)
    assert sorted(sw.table["point"].unique()) == list(range(20))


def test_cli_executors_accepted_and_method_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["sweep", PRIVATE, "--grid", "p_hawk=0.1:0.9:6", "--set", "extended=0", "--quiet"]
    code, one, _ = run(capsys, *args, "--chunk-size", 2)
    assert code == 0
    code, two, _ = run(capsys, *args, "--processes", 2)
    assert code == 0 and two == one
    code, _, err = run(capsys, *args, "--method", "pure")
    assert code == 2 and "--method does not apply to tree" in err


@pytest.mark.parametrize("suffix", [".parquet", ".csv"])
def test_summary_of_a_file_is_read_in_batches_of_whole_points(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="pyarrow not installed ([parquet] extra)")
    grid = {"p_hawk": np.linspace(0.0, 1.0, 21), "tariff": [0.55, 1.0]}  # ties: several rows
    memory = tree_sweep(LONDON, grid=grid, fixed=FIXED)
    assert (memory.table.groupby("point").size() > 1).any()
    tree_sweep(LONDON, grid=grid, fixed=FIXED, out=tmp_path / f"s{suffix}")
    monkeypatch.setattr(tree_module, "READ_BATCH", 5)  # batches end inside a point's rows
    read: list[int] = []
    batches = tree_module._read_batches

    def spy(path: Path, wanted: list[str]) -> Any:
        for rows in batches(path, wanted):
            read.append(len(rows))
            yield rows

    monkeypatch.setattr(tree_module, "_read_batches", spy)
    streamed = tree_module.TreeSweep(LONDON, memory.design, "spe", path=tmp_path / f"s{suffix}")
    pd.testing.assert_frame_equal(streamed.summary(), memory.summary())
    assert max(read) <= 5 and streamed._table is None  # the whole table was never loaded
    pd.testing.assert_frame_equal(streamed.point_outcomes(), memory.point_outcomes())
    assert streamed.switches("p_hawk") == memory.switches("p_hawk")
