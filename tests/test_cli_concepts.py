"""``gametheory solve --concept ce|cce|qre`` and ``gametheory methods``."""

from __future__ import annotations

import json

import pytest

from gametheory.cli import main

from .conftest import PAYOFFS

CHICKEN = PAYOFFS / "chicken.toml"
PENNIES = PAYOFFS / "matching_pennies.toml"


def test_ce_text_shows_table_beliefs_and_ranges(capsys):
    assert main(["solve", str(CHICKEN), "--concept", "ce"]) == 0
    out = capsys.readouterr().out
    assert "mediator draws one joint profile" in out
    assert "range of each player's payoff" in out
    assert "obedience check passed" in out


def test_cce_json_with_parameters(capsys):
    assert (
        main(["solve", str(CHICKEN), "--concept", "cce", "--set", "crash=4", "--format", "json"])
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["concept"] == "cce" and data["verified"] is True
    assert data["parameters"] == {"crash": 4.0}
    total = sum(row["probability"] for row in data["distribution"])
    assert total == pytest.approx(1.0)
    # Chicken with crash cost 4: the best CE welfare is at least that of the pure equilibria
    # (1 + -1 = 0) and the CCE set contains the CE set, so its welfare is at least 0.
    assert data["welfare"] >= -1e-9


def test_qre_limit_of_matching_pennies_is_uniform(capsys):
    assert (
        main(
            [
                "solve",
                str(PENNIES),
                "--concept",
                "qre",
                "--format",
                "json",
                "--option",
                "max_lambda=1000",
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    limit = data["limit"]["strategies"]
    for strategy in limit.values():
        assert list(strategy.values()) == pytest.approx([0.5, 0.5])
    assert data["lambdas"][0] == 0


def test_bad_concept_options(capsys):
    assert main(["solve", str(CHICKEN), "--concept", "qre", "--option", "lam=3"]) == 2
    assert "no option 'lam'" in capsys.readouterr().err
    assert main(["solve", str(CHICKEN), "--concept", "ce", "--method", "pure"]) == 2
    assert "--method" in capsys.readouterr().err


def test_methods_lists_concepts_and_gambit(capsys):
    assert main(["methods"]) == 0
    out = capsys.readouterr().out
    for name in ("gambit_enumpoly", "gambit_gnm", "gambit_simpdiv", "gambit_ipa", "logit"):
        assert f"{name}:" in out
    for concept in ("ce:", "cce:", "qre:"):
        assert concept in out
