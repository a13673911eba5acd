"""The command line on game trees: solve (text and JSON), validate and show on .toml and .efg."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import gametheory as gt
from gametheory.cli import main

from .conftest import PAYOFFS
from .test_tree_scenario import ENTRY, PENNIES

PRIVATE = PAYOFFS / "london_talks_2025_private.toml"


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    path = tmp_path / "entry.toml"
    path.write_text(ENTRY)
    return path


def _run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_solve_text_says_the_default_concept(capsys: pytest.CaptureFixture[str], entry: Path):
    code, out, err = _run(capsys, "solve", entry)
    assert code == 0, err
    assert "concept: subgame-perfect equilibria (spe) (the default for game trees" in out
    assert "fight_cost = 2" in out
    # By hand (tests/test_tree_scenario.py): fight cost 2 > 1, so enter and accommodate.
    assert "path: respond/accommodate" in out
    code, out, _ = _run(capsys, "solve", entry, "--set", "fight_cost=0.5")
    assert code == 0 and "path: entry/out" in out and "fight_cost = 0.5" in out


def test_solve_json_schema(capsys: pytest.CaptureFixture[str], entry: Path) -> None:
    code, out, err = _run(capsys, "solve", entry, "--format", "json", "--set", "fight_cost=0.5")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema"] == "gametheory.tree_solve/1"
    assert data["concept"] == "spe" and data["concept_requested"] == "default"
    assert data["concept_name"] == "subgame-perfect equilibrium"
    assert data["complete"] is True
    assert data["parameters"] == {"fight_cost": 0.5}
    assert data["players"] == ["Entrant", "Incumbent"]
    (eq,) = data["equilibria"]
    assert eq["payoffs"] == {"Entrant": 0.0, "Incumbent": 4.0}
    assert eq["behaviour"]["entry"] == {
        "player": "Entrant",
        "moves": {"out": 1.0, "enter": 0.0},
        "excluded_by_own_moves": False,
    }
    assert eq["behaviour"]["respond"]["moves"] == {"accommodate": 0.0, "fight": 1.0}
    assert eq["path"] == [{"terminal": "entry/out", "probability": 1.0}]


def test_solve_nash_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "pennies.toml"
    path.write_text(PENNIES)
    code, out, err = _run(capsys, "solve", path, "--concept", "nash", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["concept"] == "nash" and data["concept_requested"] == "nash"
    (eq,) = data["equilibria"]
    # Matching pennies: each side mixes 1/2-1/2 and each terminal node is reached with 1/4.
    assert eq["behaviour"]["a"]["moves"] == pytest.approx({"heads": 0.5, "tails": 0.5})
    assert [p["probability"] for p in eq["path"]] == pytest.approx([0.25] * 4)


def test_solve_efg(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "entry.efg"
    gt.write_efg(_entry_tree(), path)
    code, out, err = _run(capsys, "solve", path)
    assert code == 0, err
    assert "the default for game trees" in out and "path: respond/accommodate" in out
    code, _, err = _run(capsys, "solve", path, "--set", "x=1")
    assert code == 2 and "a Gambit .efg tree has no parameters" in err


def _entry_tree() -> gt.Tree:
    from gametheory.io import loads_tree_scenario

    return loads_tree_scenario(ENTRY).tree()


def test_solve_refuses_what_does_not_apply(capsys: pytest.CaptureFixture[str], entry: Path):
    code, _, err = _run(capsys, "solve", entry, "--method", "lemke_howson")
    assert code == 2 and "--concept nash" in err
    code, _, err = _run(capsys, "solve", entry, "--option", "x=1")
    assert code == 2 and "--option is for normal-form solvers" in err
    code, _, err = _run(capsys, "solve", entry, "--set", "fight_cots=1")
    assert code == 2 and "did you mean 'fight_cost'" in err


def test_validate_and_show(capsys: pytest.CaptureFixture[str], entry: Path) -> None:
    code, out, _ = _run(capsys, "validate", PRIVATE)
    assert code == 0
    assert "OK (tree scenario, 19 nodes, 10 terminal, 6 information sets, 16 parameters)" in out
    code, out, _ = _run(capsys, "show", entry, "--set", "fight_cost=3")
    assert code == 0
    assert "fight_cost = 3" in out and "fight -> " in out and "Incumbent -1" in out


def test_bad_tree_file_is_one_line_with_file_and_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(ENTRY.replace('player = "Incumbent"', 'player = "Incumbnt"'))
    for command in ("solve", "validate", "show"):
        code, _, err = _run(capsys, command, path)
        assert code == 2
        assert err.startswith(f"error: {path}:15") and err.count("\n") == 1


def test_sweep_on_a_tree_reports_the_switch(
    capsys: pytest.CaptureFixture[str], entry: Path
) -> None:
    # fighting pays the incumbent 2 - fight_cost against 1: fights (deters entry) iff cost < 1
    code, out, err = _run(capsys, "sweep", entry, "--grid", "fight_cost=0:3:4")
    assert code == 0, err
    assert "between fight_cost = 0 and 1" in out  # more in tests/test_tree_sweep.py


def test_london_private_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "solve", PRIVATE, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    (eq,) = data["equilibria"]
    assert eq["payoffs"] == pytest.approx({"US": 1.5, "China": 0.5})
    assert {p["terminal"]: p["probability"] for p in eq["path"]} == pytest.approx(
        {"reply_if_hawk/refuse": 0.5, "reply_if_pragmatic/refuse": 0.5}
    )


def test_pbe_and_bne_on_beer_quiche_from_an_efg(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Beer-quiche (Cho and Kreps 1987, prior 0.9 strong): two pooling PBE, on beer and on
    quiche; only beer-pooling survives the intuitive criterion."""
    from .test_bayesian import beer_quiche

    path = tmp_path / "bq.efg"
    gt.write_efg(beer_quiche(), path)
    code, out, err = _run(capsys, "solve", path, "--concept", "pbe", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    kinds = [eq["kind"] for eq in data["equilibria"]]
    assert kinds == ["pooling", "pooling"]
    passing = [eq for eq in data["equilibria"] if eq["intuitive_criterion"]["passes"]]
    assert len(passing) == 1 and set(passing[0]["sender_strategy"].values()) == {"beer"}
    code, out, err = _run(capsys, "solve", path, "--concept", "bne")
    assert code == 0 and "Bayesian Nash" in out, err
    # Not a signalling game, not a tree: one line each, exit 2.
    code, _, err = _run(capsys, "solve", PRIVATE, "--concept", "pbe")
    assert code == 2 and "signalling game" in err and "Traceback" not in err
    code, _, err = _run(capsys, "solve", PAYOFFS / "chicken.toml", "--concept", "bne")
    assert code == 2 and "applies to game trees" in err


def test_report_on_a_tree_scenario_leads_with_the_predicted_play(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    out = tmp_path / "private.html"
    code, _, err = _run(capsys, "report", PRIVATE, "--set", "p_hawk=0.3", "--out", out)
    assert code == 0, err
    html = out.read_text()
    assert html.index("Predicted play") < html.index("<svg")
    assert "US maintain" in html and "China offer" in html and "US refuse" in html
    code, _, err = _run(capsys, "report", PRIVATE, "--target", "US=maintain", "--out", out)
    assert code == 2 and "--target" in err
