"""Option values refused before any work, solver options checked by name, OS errors as one line."""

from __future__ import annotations

import dataclasses
import errno

import pytest

import gametheory.solvers.registry as registry
from gametheory.cli.main import main

from .conftest import PAYOFFS

LONDON = PAYOFFS / "london_talks_2025.toml"
CHICKEN = PAYOFFS / "chicken.toml"
SEQUENTIAL = PAYOFFS / "london_talks_2025_sequential.toml"
TARGET = ["--target", "Row=Swerve", "--target", "Col=Swerve"]


def cli(capsys, *args) -> tuple[int, str, str]:
    status = main([str(a) for a in args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_refused(status: int, err: str, fragment: str) -> None:
    assert status == 2, err
    assert "Traceback" not in err
    assert fragment in err, err


# ---------------------------------------------------------------------- numbers, by argparse
SWEEP_BAD = [
    (["--sample", "10", "--seed", "-1"], "argument --seed"),
    (["--sample", "10", "--seed", "1.5"], "argument --seed"),
    (["--sample", "10", "--processes", "-1"], "argument --processes"),
    (["--sample", "10", "--processes", "0"], "argument --processes"),
    (["--sample", "10", "--processes", "100000"], "argument --processes"),
    (["--sample", "10", "--workers", "-1"], "argument --workers"),
    (["--sample", "10", "--workers", "0"], "argument --workers"),
    (["--sample", "10", "--chunk-size", "0"], "argument --chunk-size"),
    (["--sample", "10", "--chunk-size", "-1"], "argument --chunk-size"),
    (["--sample", "0"], "argument --sample"),
    (["--sample", "-5"], "argument --sample"),
    (["--sample", "2.5"], "argument --sample"),
    (["--grid", "tariff=0:1:100000000000"], "limit"),
    (["--grid", "tariff=nan:1:3"], "finite"),
    (["--grid", "tariff=0,inf"], "finite"),
    (["--grid", "tariff=0:1"], "START:STOP:NUM"),
    (["--grid", "tariff=0:1:3", "--lhs"], "--lhs goes with --sample"),
    (["--grid", "tariff=0:1:3", "--grid", "tariff=1,2"], "more than once"),
    (["--grid", "tariff=0:1:3", "--set", "pressure_value=nan"], "finite"),
]


@pytest.mark.parametrize(("args", "fragment"), SWEEP_BAD, ids=[" ".join(a) for a, _ in SWEEP_BAD])
def test_bad_sweep_numbers_are_refused_before_any_file_is_written(
    args, fragment, tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    status, _, err = cli(capsys, "sweep", LONDON, *args, "--out", "r.csv", "--quiet")
    assert_refused(status, err, fragment)
    assert list(tmp_path.iterdir()) == []  # no r.csv, no r.csv.parts


def test_resume_without_out_is_refused(capsys) -> None:
    status, _, err = cli(capsys, "sweep", CHICKEN, "--sample", "5", "--resume", "--quiet")
    assert_refused(status, err, "--resume needs --out")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["solve", CHICKEN, "--tol", "0"], "argument --tol"),
        (["solve", CHICKEN, "--tol", "1.5"], "argument --tol"),
        (["solve", CHICKEN, "--tol", "nan"], "argument --tol"),
        (["solve", CHICKEN, "--tol", "-1e-9"], "argument --tol"),
        (["solve", CHICKEN, "--set", "crash=inf"], "finite"),
        (["show", CHICKEN, "--set", "crash=nan"], "finite"),
        (["whatif", CHICKEN, *TARGET, "--margin", "-1"], "argument --margin"),
        (["whatif", CHICKEN, *TARGET, "--margin", "nan"], "argument --margin"),
        (["whatif", CHICKEN, *TARGET, "--seed", "-1"], "argument --seed"),
        (["report", CHICKEN, "--out", "r.txt"], ".html or .md"),
    ],
)
def test_bad_numbers_of_other_commands(args, fragment, capsys) -> None:
    status, _, err = cli(capsys, *args)
    assert_refused(status, err, fragment)


# ---------------------------------------------------------------------- names
def test_misspelt_grid_name_gets_a_suggestion(capsys) -> None:
    status, _, err = cli(capsys, "sweep", LONDON, "--grid", "tarif=0:1:5", "--quiet")
    assert_refused(status, err, "did you mean 'tariff'")
    assert len(err.strip().splitlines()) == 1


def test_misspelt_vary_and_set_names_get_suggestions(capsys) -> None:
    status, _, err = cli(capsys, "sweep", LONDON, "--sample", "5", "--vary", "tarif", "--quiet")
    assert_refused(status, err, "did you mean 'tariff'")
    args = ["--grid", "tariff=0:1:3", "--set", "presure_value=1", "--quiet"]
    status, _, err = cli(capsys, "sweep", LONDON, *args)
    assert_refused(status, err, "did you mean 'pressure_value'")


# ---------------------------------------------------------------------- solver options
@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ["--method", "lemke_howson", "--option", "initial_lable=1"],
            ["unknown option 'initial_lable'", "did you mean 'initial_label'"],
        ),
        (
            ["--method", "lemke_howson", "--option", "max_pivots=many"],
            ["max_pivots must be int", "'many'"],
        ),
        (["--method", "lemke_howson", "--option", "max_pivots=true"], ["max_pivots must be int"]),
        (["--option", "tol=0.1"], ["--tol"]),
        (
            ["--option", "initial_label=1"],
            ["method 'auto' (which chose 'vertex_enumeration')", "options of vertex_enumeration"],
        ),
        (["--method", "pure", "--option", "colour=1"], ["unknown option 'colour'"]),
        (["--method", "iesds", "--option", "then=magic"], ["unknown method 'magic'"]),
    ],
)
def test_bad_solver_options_are_named(args, fragments, capsys) -> None:
    status, _, err = cli(capsys, "solve", CHICKEN, *args)
    for fragment in fragments:
        assert_refused(status, err, fragment)
    assert len(err.strip().splitlines()) == 1


def test_good_solver_options_still_work(capsys) -> None:
    args = ["--method", "lemke_howson", "--option", "initial_label=all", "--format", "json"]
    status, out, err = cli(capsys, "solve", CHICKEN, *args)
    assert status == 0, err
    assert '"initial_label": "all"' in out


def test_a_bug_inside_a_solver_is_not_reported_as_a_bad_option(monkeypatch, capsys) -> None:
    def broken(game, *, tol):
        raise TypeError("a bug, not bad input")

    info = registry.methods()["pure"]
    monkeypatch.setitem(registry._REGISTRY, "pure", dataclasses.replace(info, function=broken))
    with pytest.raises(TypeError, match="a bug"):
        main(["solve", str(CHICKEN), "--method", "pure"])


def test_method_options_with_subgame_perfection_are_refused(capsys) -> None:
    status, _, err = cli(capsys, "solve", SEQUENTIAL, "--method", "lemke_howson")
    assert_refused(status, err, "--concept nash")
    status, _, err = cli(
        capsys, "solve", SEQUENTIAL, "--concept", "nash", "--method", "pure", "--format", "json"
    )
    assert status == 0, err


# ---------------------------------------------------------------------- operating-system errors
def test_a_broken_store_is_one_line(tmp_path, capsys) -> None:
    out = tmp_path / "r.csv"
    (tmp_path / "r.csv.parts").write_text("not a folder")
    args = ["--grid", "crash=2:3:2", "--out", out, "--resume", "--quiet"]
    status, _, err = cli(capsys, "sweep", CHICKEN, *args)
    assert_refused(status, err, f"error: {out}.parts: is in the way of the sweep's parts folder")
    assert len(err.strip().splitlines()) == 1


def test_output_under_a_file_is_one_line(tmp_path, capsys) -> None:
    (tmp_path / "file.txt").write_text("x")
    out = tmp_path / "file.txt" / "r.csv"
    status, _, err = cli(capsys, "sweep", CHICKEN, "--grid", "crash=2:3:2", "--out", out, "--quiet")
    assert_refused(status, err, f"error: {out.parent}: is not a folder")


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            PermissionError(errno.EACCES, "Permission denied", "/data/r.csv"),
            "/data/r.csv: permission denied",
        ),
        (IsADirectoryError(errno.EISDIR, "Is a directory", "/data"), "/data: is a directory"),
        (
            OSError(errno.EROFS, "Read-only file system", "/mnt/r.csv"),
            "/mnt/r.csv: read-only file system",
        ),
        (OSError(errno.ENOSPC, "No space left on device"), "error: no space left on device"),
        (
            OSError(errno.EXDEV, "Invalid cross-device link", "/a/x", None, "/b/x"),
            "/a/x -> /b/x: invalid cross-device link",
        ),
    ],
    ids=["permission", "directory", "read-only", "no-path", "two-paths"],
)
def test_os_errors_are_one_line_naming_the_path(error, expected, monkeypatch, capsys) -> None:
    def fail(args):
        raise error

    main(["validate", str(CHICKEN)])  # loads the command's module
    capsys.readouterr()
    monkeypatch.setattr("gametheory.cli.commands.validate.run", fail)
    status, _, err = cli(capsys, "validate", CHICKEN)
    assert_refused(status, err, expected)
    assert err.startswith("error: ") and len(err.strip().splitlines()) == 1
