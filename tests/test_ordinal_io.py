"""Ordinal scenario files: the bundled ones load, and bad input is one error with file:line."""

from __future__ import annotations

import re

import numpy as np
import pytest

from gametheory.analysis.ordinal import GraphModel, analyse
from gametheory.errors import ScenarioError
from gametheory.io.ordinal import MAX_ORDINAL_FILE_BYTES, is_ordinal, loads_ordinal, read_ordinal

from .conftest import PAYOFFS
from .test_ordinal import ELMIRA_EQUILIBRIA, _elmira_numbers, elmira

ELMIRA = PAYOFFS / "elmira_ordinal.toml"
LONDON = PAYOFFS / "london_talks_2025_ordinal.toml"


def test_elmira_file_is_the_published_model():
    model = GraphModel.from_spec(read_ordinal(ELMIRA))
    reference = elmira()
    assert model.labels == reference.labels
    np.testing.assert_array_equal(model.ranks, reference.ranks)
    assert model.status_quo == reference.status_quo
    result = analyse(model)
    for concept, expected in ELMIRA_EQUILIBRIA.items():
        assert _elmira_numbers(model, result.equilibria(concept)) == expected


def test_london_ordinal_equilibrium_is_the_observed_outcome():
    # The Reuters report (seed): AI-chip controls maintained, deadline extended, military magnets
    # withheld, civilian licences expedited. Whether other controls were lifted is not reported.
    model = GraphModel.from_spec(read_ordinal(LONDON))
    result = analyse(model)
    for concept in ("nash", "seq"):
        settings = [model.settings(s) for s in result.equilibria(concept)]
        assert settings, concept
        for chosen in settings:
            assert chosen["ai_chips"] == "maintain"
            assert chosen["deadline"] == "extend"
            assert chosen["military_magnets"] == "withhold"
            assert chosen["civilian_licences"] == "expedite"
    assert model.settings(model.status_quo)["deadline"] == "enforce"


def test_ordinal_files_are_recognised():
    assert is_ordinal(ELMIRA) and is_ordinal(LONDON)
    assert not is_ordinal(PAYOFFS / "london_talks_2025.toml")


BASE = """schema_version = 1
title = "t"
infeasible = ["x and y"]
[players.A]
[players.B]
[chips.x]
player = "A"
[chips.y]
player = "B"
[preferences.A]
statements = ["x", "not y"]
[preferences.B]
ranking = ["NY", "NN", "YN"]
"""


def _error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        GraphModel.from_spec(loads_ordinal(text, source="f.toml"))
    return info.value


def test_the_base_document_builds():
    model = GraphModel.from_spec(loads_ordinal(BASE, source="f.toml"))
    assert model.labels == ("NN", "YN", "NY")


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ('statements = ["x", "not y"]', 'statements = ["x", "not w"]', 11, "unknown option 'w'"),
        ('statements = ["x", "not y"]', 'statements = ["x",\n  "y or"]', 12, "ends too early"),
        ('ranking = ["NY", "NN", "YN"]', 'ranking = ["NY", "NN"]', 13, "leaves out"),
        ('ranking = ["NY", "NN", "YN"]', 'ranking = ["NY", "NN", "YY"]', 13, "not a feasible"),
        ('player = "B"', 'player = "C"', 8, "unknown decision maker 'C'"),
        ('infeasible = ["x and y"]', 'infeasible = ["x and z"]', 3, "unknown option 'z'"),
        ('title = "t"', 'title = "t"\nstatus_quo = 9', 3, "out of range"),
        ('title = "t"', 'title = "t"\nirreversible = { x = "maybe" }', 3, "take"),
        ("[players.B]", "[players.B]\ncolour = 1", 6, "unknown key"),
        (
            'statements = ["x", "not y"]',
            'statements = ["x"]\nranking = [1, 2, 3]',
            10,
            "exactly one",
        ),
        ("[preferences.B]", "[preferences.C]", None, "exactly one"),
        ('title = "t"', 'title = "t" = 2', 2, "malformed TOML"),
    ],
)
def test_bad_input_is_one_error_with_file_and_line(old, new, line, message):
    assert old in BASE
    error = _error(BASE.replace(old, new))
    assert message in error.message
    assert error.file == "f.toml"
    if line is not None:
        assert error.line == line, str(error)


def test_file_size_checked_before_parsing(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text(BASE + "#" * MAX_ORDINAL_FILE_BYTES)
    with pytest.raises(ScenarioError, match="larger than"):
        read_ordinal(path)


@pytest.mark.parametrize(
    ("text", "shown"),
    [("delay and and accept", "and"), ("delay AND or accept", "or"), ("delay & & accept", "&")],
)
def test_a_misplaced_operator_is_quoted_as_written(text: str, shown: str) -> None:
    """The message quotes the word the user wrote (it showed '&' for a doubled 'and')."""
    from gametheory.analysis.ordinal._logic import parse_statement
    from gametheory.errors import ExpressionError

    with pytest.raises(ExpressionError, match=f"^unexpected '{re.escape(shown)}' in statement"):
        parse_statement(text)
