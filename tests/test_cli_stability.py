"""``gametheory stability``: ordinal files, chip and matrix scenarios, JSON, errors."""

from __future__ import annotations

import json

import pytest

from gametheory.cli.main import main

from .conftest import PAYOFFS
from .test_ordinal import ELMIRA_EQUILIBRIA, ELMIRA_STATES

ELMIRA = PAYOFFS / "elmira_ordinal.toml"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["stability", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _published(data, numbers) -> set[int]:
    number = {}
    for k, label in ELMIRA_STATES.items():
        for item in [label] if isinstance(label, str) else label:
            number[item] = k
    labels = {entry["state"]: entry["label"] for entry in data["states"]}
    return {number[labels[n]] for n in numbers}


def test_elmira_json_matches_the_published_equilibria(capsys):
    code, out, _ = run(capsys, ELMIRA, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["schema"] == "gametheory.stability/1"
    assert data["decision_makers"] == ["MoE", "Uniroyal", "LocalGov"]
    assert len(data["states"]) == 12 and data["status_quo"] == 1
    assert data["states"][0]["settings"] == {
        "modify": "N",
        "delay": "Y",
        "accept": "N",
        "abandon": "N",
        "insist": "N",
    }
    for concept, expected in ELMIRA_EQUILIBRIA.items():
        assert _published(data, data["stability"][concept]["equilibria"]) == expected
    # Kilgour, Hipel, Fang and Peng (2001): only 8 (and abandonment) survive coalitions.
    assert _published(data, data["coalitions"]["cnash"]["equilibria"]) == {8, 9}
    # Rankings: MoE's best state is 7 of the literature (NNYNY), its worst the four abandons.
    best = data["rankings"]["MoE"][0]
    assert _published(data, best) == {7} and len(data["rankings"]["MoE"][-1]) == 4
    assert data["comparison"] is None


def test_elmira_text(capsys):
    code, out, _ = run(capsys, ELMIRA)
    assert code == 0
    assert "12 feasible states" in out and "(status quo)" in out
    assert "sequential stability (SEQ)" in out and "equilibria:" in out
    assert "MoE: 9 > 3 > 4 > 10 > 7 > 1 > 2 > 8 > [5 6 11 12]" in out


def test_matrix_scenario_compares_nash_and_gmcr(capsys):
    # Prisoner's dilemma (Osborne 2004): the only Nash equilibrium is (Fink, Fink); as a graph
    # model mutual quiet is also SEQ-stable, deterred by the other's fink (Fang, Hipel and
    # Kilgour 1993), so it is reported as stable only through sanctions.
    code, out, _ = run(capsys, PAYOFFS / "prisoners_dilemma.toml", "--format", "json")
    assert code == 0
    data = json.loads(out)
    labels = {e["state"]: e["settings"] for e in data["states"]}
    comparison = data["comparison"]
    assert [labels[s] for s in comparison["nash_equilibria"]] == [
        {"Suspect1": "Fink", "Suspect2": "Fink"}
    ]
    (only,) = comparison["gmcr_not_nash"]
    assert labels[only["state"]] == {"Suspect1": "Quiet", "Suspect2": "Quiet"}
    assert "seq" in only["concepts"] and only["sanctions_under"] == "seq"
    assert any("Suspect2 switches Quiet -> Fink" in s for s in only["sanctions"])
    assert data["payoffs"]["Suspect1"] == [2.0, 3.0, 0.0, 1.0]


def test_chip_scenario_every_nash_equilibrium_is_a_gmcr_equilibrium(capsys):
    # A pure Nash equilibrium has no profitable deviation, so it is Nash (R) stable for every
    # DM of the derived graph model, hence GMR, SMR, SEQ and SIM stable (Fang et al. 1993).
    code, out, _ = run(capsys, PAYOFFS / "london_talks_2025.toml", "--format", "json")
    assert code == 0
    data = json.loads(out)
    nash = data["comparison"]["nash_equilibria"]
    assert nash
    assert set(nash) <= set(data["stability"]["nash"]["equilibria"])
    for concept, states in data["comparison"]["nash_and_gmcr"].items():
        assert states == nash, concept


def test_set_changes_the_ranking(capsys):
    # Chicken (Osborne 2004): Row gets -1 swerving against Straight and -crash crashing, so at
    # crash = 1 the two tie for Row's last place; at the baseline (10) the crash is worst.
    base = json.loads(run(capsys, PAYOFFS / "chicken.toml", "--format", "json")[1])
    moved = json.loads(
        run(capsys, PAYOFFS / "chicken.toml", "--set", "crash=1", "--format", "json")[1]
    )
    assert all(len(group) == 1 for group in base["rankings"]["Row"])
    assert len(moved["rankings"]["Row"][-1]) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((ELMIRA, "--set", "x=1"), "--set changes parameters of chip scenarios"),
        ((PAYOFFS / "missing.toml",), "no such file"),
        ((PAYOFFS / "london_talks_2025_sequential.toml",), "sequential"),
    ],
)
def test_errors_exit_2(capsys, args, message):
    code, _, err = run(capsys, *args)
    assert code == 2
    assert err.startswith("error:") and message in err


def test_bad_ordinal_file_names_file_and_line(capsys, tmp_path):
    text = ELMIRA.read_text().replace('"NNYNY", "NNYNN"', '"NNYNY", "NNYNQ"', 1)
    path = tmp_path / "bad.toml"
    path.write_text(text)
    code, _, err = run(capsys, path)
    assert code == 2
    line = next(i + 1 for i, t in enumerate(text.splitlines()) if "NNYNQ" in t)
    assert f"bad.toml:{line}" in err and "preferences.MoE.ranking" in err


def test_concepts_too_large_are_left_out_with_a_note(capsys, monkeypatch):
    from gametheory.analysis.ordinal import stability

    monkeypatch.setattr(stability, "_SIM_CHUNK", 0)
    monkeypatch.setattr(stability, "MAX_COALITION_PAIRS", 10)
    code, out, _ = run(capsys, ELMIRA, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert "sim" not in data["stability"] and "seq" in data["stability"]
    assert data["coalitions"] is None
    assert [note.split(":")[0] for note in data["notes"]] == ["sim left out", "coalitions left out"]
    code, out, _ = run(capsys, ELMIRA)
    assert "Note: sim left out" in out


def test_horizon_adds_limited_move_stability(capsys):
    # Prisoner's dilemma: L_1 is Nash ({Fink, Fink} = state 4); from two moves ahead mutual
    # quiet (state 1) is stable too (Kilgour 1985; derived by hand in test_ordinal.py).
    path = PAYOFFS / "prisoners_dilemma.toml"
    data = json.loads(run(capsys, path, "--horizon", "2", "--format", "json")[1])
    assert data["stability"]["l2"]["equilibria"] == [1, 4]
    assert data["stability"]["nash"]["equilibria"] == [4]
    code, _, err = run(capsys, ELMIRA, "--horizon", "2")
    assert code == 2 and "two decision makers" in err
    code, out, _ = run(capsys, path, "--horizon", "3")
    assert "limited-move stability (L3)" in out
