"""Sweeps: designs, the tidy table, summaries, boundaries, executors and resuming."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory.sweeps import grid_design, sample_design

from .conftest import PAYOFFS, ROOT
from .test_cli import COMMAND

LONDON = PAYOFFS / "london_talks_2025.toml"


@pytest.fixture(scope="module")
def london() -> gt.Scenario:
    return gt.load(LONDON)


# ---------------------------------------------------------------------- designs
def test_grid_points_in_order_first_parameter_slowest(london) -> None:
    design = grid_design(london, {"tariff": [0.1, 0.2], "chip_value": [1, 2, 3]})
    points = design.points(0, 6)
    assert points["tariff"].tolist() == [0.1, 0.1, 0.1, 0.2, 0.2, 0.2]
    assert points["chip_value"].tolist() == [1, 2, 3, 1, 2, 3]
    assert points["security_cost"].tolist() == [9.0] * 6  # fixed at the declared value
    assert design.points(4, 6)["chip_value"].tolist() == [2, 3]


@pytest.mark.parametrize("kind", ["uniform", "lhs"])
def test_samples_do_not_depend_on_chunking(london, kind) -> None:
    design = sample_design(london, 10_000, seed=7, method=kind)
    whole = design.points(0, 10_000)
    pieces = [design.points(s, min(s + 777, 10_000)) for s in range(0, 10_000, 777)]
    for name in design.names:
        joined = np.concatenate([p[name] for p in pieces])
        assert np.array_equal(joined, whole[name])
        low, high = london.parameters[name].min, london.parameters[name].max
        assert whole[name].min() >= low and whole[name].max() <= high
    other = sample_design(london, 10_000, seed=8, method=kind).points(0, 10)
    assert not np.array_equal(other["tariff"], whole["tariff"][:10])


def test_latin_hypercube_uses_each_stratum_once(london) -> None:
    n = 500
    design = sample_design(london, n, seed=1, method="lhs")
    points = design.points(0, n)
    for name in design.names:
        p = london.parameters[name]
        strata = np.floor((points[name] - p.min) / (p.max - p.min) * n).astype(int)
        assert sorted(strata.tolist()) == list(range(n))


def test_designs_are_checked_before_any_work(london) -> None:
    with pytest.raises(gt.ScenarioError, match="outside its declared range"):
        grid_design(london, {"tariff": [0.1, 3.0]})
    with pytest.raises(gt.ScenarioError, match="unknown parameter 'tarif'"):
        grid_design(london, {"tarif": [0.1]})
    with pytest.raises(gt.ScenarioError, match=r"has 1,000,000,000,000 points; the limit"):
        grid_design(
            london,
            {
                n: np.linspace(0, 1, 1000)
                for n in ("tariff", "chip_value", "security_cost", "defence_need")
            },
        )
    with pytest.raises(gt.ScenarioError, match="exactly one of"):
        gt.sweep(london)


# ---------------------------------------------------------------------- table
def test_table_agrees_with_single_solves(london) -> None:
    sw = london.sweep(grid={"tariff": [0.0, 0.3, 1.2], "pressure_value": [0.0, 3.0, 9.0]})
    table = sw.table
    assert table["point"].nunique() == 9
    for _, rows in table.groupby("point"):
        params = {n: rows[n].iloc[0] for n in london.parameters}
        single = gt.solve(london.game(params))
        assert len(rows) == len(single.equilibria) == rows["n_equilibria"].iloc[0]
        for (_, row), eq in zip(rows.iterrows(), single.equilibria, strict=True):
            for p, player in enumerate(london.players):
                for a, action in enumerate(london.actions[p]):
                    assert row[f"{player}:{action}"] == pytest.approx(eq.strategies[p][a], abs=1e-9)
                assert row[f"payoff:{player}"] == pytest.approx(eq.payoffs[p], abs=1e-9)
            assert row["outcome"] == eq.describe()
        assert rows["complete"].iloc[0] == single.complete


def test_mixed_equilibria_and_components_in_the_table() -> None:
    chicken = gt.load(PAYOFFS / "chicken.toml")
    table = chicken.sweep(grid={"crash": [2.0, 10.0]}).table
    mixed = table[~table["pure"]]
    assert mixed["Row:Swerve"].tolist() == pytest.approx([1 / 2, 9 / 10])  # (c-1)/c
    assert (mixed["outcome"] == "Row: mix(Swerve, Straight) / Col: mix(Swerve, Straight)").all()
    # A degenerate game in a sweep: von Stengel's example has a continuum (2 components).
    sc = gt.Scenario.from_matrices(
        {"R": ["a", "b", "c"], "C": ["l", "r"]},
        {"R": [[3, 3], [2, 5], [0, 6]], "C": [["x", 3], [2, 6], [3, 1]]},
        [gt.Parameter("x", 3, 0, 10)],
    )
    table = sc.sweep(grid={"x": [3.0]}).table
    assert table["degenerate"].all() and not table["complete"].any()
    assert sorted(table["component"].value_counts().tolist()) == [1, 2]


def test_points_that_cannot_be_evaluated_are_marked() -> None:
    sc = gt.Scenario.from_matrices(
        {"R": ["a", "b"], "C": ["l", "r"]},
        {"R": [["1 / (x - 1)", 0], [0, 1]], "C": [[1, 0], [0, 1]]},
        [gt.Parameter("x", 0, 0, 2)],
    )
    table = sc.sweep(grid={"x": [0.0, 1.0, 2.0]}).table
    bad = table[table["x"] == 1.0]
    assert len(bad) == 1
    assert bad["status"].iloc[0] == "payoff not finite at this point"
    assert bad["n_equilibria"].iloc[0] == 0
    assert (table[table["x"] != 1.0]["status"] == "ok").all()


def test_summary_and_boundaries_follow_the_scenario_formulas(london) -> None:
    """The US enforces the deadline iff pressure_value - us_tariff_exposure * tariff exceeds
    remedy_time_value * extension_days / 90 (its deadline terms do not interact with China's
    chips), i.e. along tariff the boundary is at (pressure_value - 1.5) / 4."""
    tariffs = np.linspace(0, 1.45, 30)
    pressures = np.linspace(2, 7, 6)
    sw = london.sweep(grid={"tariff": tariffs, "pressure_value": pressures})
    summary = sw.summary()
    assert summary["share"].sum() == pytest.approx(1.0)
    assert set(summary["n_equilibria"]) == {1}
    step = tariffs[1] - tariffs[0]
    along = sw.boundaries()
    along = along[along["parameter"] == "tariff"]
    assert len(along) == len(pressures)
    for row in along.itertuples():
        assert row.at == pytest.approx((row.pressure_value - 1.5) / 4, abs=step / 2)
        assert "enforce" in row.from_outcome and "extend" in row.to_outcome
    with pytest.raises(gt.ScenarioError, match="grid"):
        london.sweep(sample=10).boundaries()


# ---------------------------------------------------------------------- executors
def test_same_table_whatever_the_executor_and_chunk_size(london) -> None:
    pytest.importorskip("distributed", reason="dask.distributed not installed ([dask] extra)")
    kwargs = {
        "sample": 300,
        "seed": 11,
        "params": ["tariff", "chip_value", "pressure_value", "magnet_leverage", "linkage_reward"],
    }
    reference = london.sweep(chunk_size=1000, **kwargs).table
    variants = {
        "inline-7": london.sweep(chunk_size=7, **kwargs).table,
        "processes-2": london.sweep(chunk_size=13, executor="processes", workers=2, **kwargs).table,
        "dask-local": london.sweep(chunk_size=11, executor="dask", workers=2, **kwargs).table,
    }
    for name, table in variants.items():
        pd.testing.assert_frame_equal(table, reference, check_exact=True, obj=name)


def test_written_results_round_trip(london, tmp_path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed ([parquet] extra)")
    grid = {"tariff": np.linspace(0, 1.45, 9), "chip_value": [0.0, 20.0]}
    memory = london.sweep(grid=grid).table
    for suffix in (".parquet", ".csv"):
        out = tmp_path / f"r{suffix}"
        sw = london.sweep(grid=grid, out=out, chunk_size=4)
        assert out.exists() and not (tmp_path / f"r{suffix}.parts").exists()
        pd.testing.assert_frame_equal(sw.table, memory, check_dtype=False)
        with pytest.raises(gt.ScenarioError, match="already exists"):
            london.sweep(grid=grid, out=out)
        with pytest.raises(gt.ScenarioError, match=r"complete \(no unfinished parts"):
            london.sweep(grid=grid, out=out, resume=True)


# ---------------------------------------------------------------------- resume
def _parts(out):
    return sorted(out.parent.glob(out.name + ".parts/chunk-*"))


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["ctrl-c", "killed"])
def test_an_interrupted_sweep_resumes_without_losing_or_repeating_chunks(tmp_path, how) -> None:
    out = tmp_path / "r.csv"
    args = [
        *COMMAND,
        "sweep",
        str(LONDON),
        "--sample",
        "6000",
        "--seed",
        "5",
        "--out",
        str(out),
        "--chunk-size",
        "100",
        "--quiet",
    ]
    process = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.time() + 60
    # Wait for six part files: the newest may not be in the manifest yet when the signal
    # lands, and a part the manifest does not record is removed rather than trusted.
    while len(_parts(out)) < 6 and time.time() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "sweep finished before it could be interrupted"
    os.kill(process.pid, how)
    _, err = process.communicate(timeout=60)
    assert process.returncode != 0
    if how == signal.SIGINT:
        assert process.returncode == 130
        assert "--resume" in err and "Traceback" not in err
    done = len(_parts(out))
    assert 5 <= done < 60
    assert not out.exists()
    # Without --resume the unfinished sweep is protected.
    again = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "--resume" in again.stderr
    resumed = subprocess.run(
        [*args, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert resumed.returncode == 0, resumed.stderr
    table = pd.read_csv(out)
    assert table["point"].nunique() == 6000
    assert not table.duplicated(["point", "equilibrium"]).any()
    clean = gt.load(LONDON).sweep(sample=6000, seed=5, chunk_size=100).table
    assert table["point"].tolist() == clean["point"].tolist()
    assert np.allclose(table["tariff"], clean["tariff"], rtol=0, atol=1e-12)
    assert table["outcome"].tolist() == clean["outcome"].tolist()


def test_resume_refuses_a_different_sweep(tmp_path) -> None:
    out = tmp_path / "r.csv"
    store_parts = tmp_path / "r.csv.parts"
    london = gt.load(LONDON)
    from gametheory.sweeps.run import ChunkStore, sweep_meta

    design = sample_design(london, 100, seed=1)
    ChunkStore(out, sweep_meta(london, design, "auto", 1e-9, 10), resume=False, overwrite=False)
    assert store_parts.exists()
    with pytest.raises(gt.ScenarioError, match="different design"):
        london.sweep(sample=100, seed=2, out=out, chunk_size=10, resume=True)
    done = london.sweep(sample=100, seed=2, out=out, chunk_size=10, overwrite=True)
    assert done.table["point"].nunique() == 100


# ---------------------------------------------------------------------- CLI
def test_cli_sweep_prints_shares_and_writes(tmp_path) -> None:
    out = tmp_path / "r.csv"
    run = subprocess.run(
        [
            *COMMAND,
            "sweep",
            str(LONDON),
            "--grid",
            "tariff=0:1.45:5",
            "--grid",
            "pressure_value=1,8",
            "--out",
            str(out),
            "--quiet",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "10 points (grid)" in run.stdout and "%" in run.stdout
    assert len(pd.read_csv(out)) == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grid", "tariff=0:1"], "START:STOP:NUM"),
        (["--grid", "tariff=0:9:5"], "outside its declared range"),
        (["--sample", "10", "--out", "r.xlsx"], ".parquet or .csv"),
        (["--sample", "10", "--method", "magic"], "unknown method"),
        (["--sample", "10", "--vary", "nope"], "unknown parameter 'nope'"),
    ],
)
def test_cli_sweep_bad_input(args, message, tmp_path) -> None:
    run = subprocess.run(
        [*COMMAND, "sweep", str(LONDON), *args, "--quiet"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert message in run.stderr and "Traceback" not in run.stderr
