"""Sanctions, evolution paths and inverse analysis of graph models (issue 13, part 4)."""

from __future__ import annotations

import numpy as np
import pytest

from gametheory.analysis.ordinal import GraphModel, analyse
from gametheory.analysis.ordinal.explain import evolution, inverse, sanctions, with_statements
from gametheory.errors import ScenarioError

from .test_ordinal import cuba, elmira, prisoners_dilemma


def _code(model: GraphModel, code: int) -> int:
    return int(np.flatnonzero(model.codes() == code)[0])


def test_cuba_lifting_the_blockade_is_deterred_by_the_missiles_returning():
    # At blockade + withdrawal (decimal state 6) the US would lift the blockade (state 4); the
    # USSR's improvement from 4 is to put the missiles back (state 0), worse for the US than 6
    # (Fang, Hipel and Kilgour 1993; the SEQ stability of state 6 derived in test_ordinal.py).
    model = cuba()
    (only,) = sanctions(model, _code(model, 6), "US", "seq")
    assert only.improvement == _code(model, 4)
    assert only.sanctioned and only.outcome == _code(model, 0)
    assert [step.mover for step in only.response] == [1]
    text = only.describe(model)
    assert "US drops blockade" in text and "USSR drops withdraw" in text


def test_unsanctioned_improvement_is_said_so():
    # Elmira, status quo (state 1): LocalGov insisting (state 5) is sanctioned under GMR by MoE
    # modifying (state 6, which LocalGov ranks below 1) but not under SEQ: MoE does not gain
    # from modifying and Uniroyal has no improvement from 5.
    model = elmira()
    status_quo = model.state("NYNNN")
    (gmr,) = sanctions(model, status_quo, "LocalGov", "gmr")
    assert gmr.sanctioned and model.labels[gmr.outcome] == "YYNNY"
    (seq,) = sanctions(model, status_quo, "LocalGov", "seq")
    assert not seq.sanctioned and seq.response == ()
    assert "no improving move" in seq.describe(model)


def test_sanctions_agree_with_stability():
    model = elmira()
    result = analyse(model)
    for concept in ("gmr", "smr", "seq"):
        for d in range(3):
            for s in range(model.n_states):
                answers = sanctions(model, s, d, concept)
                stable = all(a.sanctioned for a in answers)
                assert stable == result.is_stable(concept, d, s), (concept, d, s)


def test_elmira_evolution_from_the_status_quo():
    # From the status quo (1) LocalGov's insistence reaches state 5 in one improvement; state 8
    # (modify and accept) cannot be reached by unilateral improvements, since MoE never gains
    # by modifying alone: it took the MoE-Uniroyal coalition (Kilgour et al. 2001).
    model = elmira()
    path = evolution(model, model.state("NYNNY"))
    assert path is not None and len(path) == 1 and path[0].mover == 2
    assert evolution(model, model.state("YNYNY")) is None
    assert evolution(model, model.status_quo) == ()


def test_inverse_finds_the_smallest_statement_change():
    # Prisoner's dilemma by statements: each ranks "the other cooperates" first, then "I
    # defect" (scores: defect alone 3 > both cooperate 2 > both defect 1 > cooperate alone 0).
    # By hand: mutual cooperation (NN) is already SEQ-stable (no change needed), but it cannot
    # become Nash by editing A alone, since B still gains by defecting from NN.
    model = GraphModel.build(
        ["A", "B"],
        {"a_defects": "A", "b_defects": "B"},
        statements={"A": ["not b_defects", "a_defects"], "B": ["not a_defects", "b_defects"]},
    )
    nn = model.state("NN")
    assert inverse(model, nn, "A", "nash") is None
    edit = inverse(model, nn, "A", "seq")
    assert edit is not None and edit.changes == ()
    # Making YN (A defects alone) a Nash equilibrium needs only B to stop gaining from
    # defecting there: one change (drop or negate "b_defects").
    yn = model.state("YN")
    edit = inverse(model, yn, "B", "nash")
    assert edit is not None and len(edit.changes) == 1
    changed = with_statements(model, "B", edit.after)
    assert yn in analyse(changed, ("nash",)).equilibria("nash")


def test_inverse_needs_statements():
    with pytest.raises(ScenarioError, match="statements"):
        inverse(prisoners_dilemma(), 0, "A")
