"""Iterated elimination of strictly dominated strategies."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt


def test_an_action_dominated_only_by_a_mixed_strategy() -> None:
    """Row 'c' pays (1, 1); neither 'a' (3, 0) nor 'b' (0, 3) beats it everywhere, but the
    half-half mix pays (1.5, 1.5) and does: the textbook case of domination by a mixed strategy
    (e.g. Osborne 2004, ch. 4)."""
    game = gt.Game.from_arrays(
        [[3, 0], [0, 3], [1, 1]],
        [[0, 0], [0, 0], [0, 0]],
        players=("R", "C"),
        actions=(("a", "b", "c"), ("l", "r")),
    )
    result = gt.iterated_dominance(game)
    assert [(e.player, e.action) for e in result.eliminated] == [("R", "c")]
    (elimination,) = result.eliminated
    assert elimination.dominated_by == pytest.approx({"a": 0.5, "b": 0.5})
    assert elimination.margin == pytest.approx(0.5)
    assert result.reduced.actions == (("a", "b"), ("l", "r"))


def test_weak_dominance_is_not_strict() -> None:
    game = gt.Game.from_arrays([[1, 1], [1, 0]], [[1, 1], [1, 1]])
    assert gt.iterated_dominance(game).eliminated == ()


def test_prisoners_dilemma_reduces_to_one_profile() -> None:
    game = gt.load("payoffs/prisoners_dilemma.toml").game()
    result = gt.solve(game, "iesds")
    assert result.complete
    assert [eq.describe() for eq in result] == ["Suspect1: Fink / Suspect2: Fink"]
    rounds = result.details["dominance"]["eliminated"]
    assert {(e["player"], e["action"]) for e in rounds} == {
        ("Suspect1", "Quiet"),
        ("Suspect2", "Quiet"),
    }


def test_three_player_game_with_a_dominant_strategy_for_each() -> None:
    """Each player gets 1 for 'yes' plus a term that depends only on the others' actions, so
    'yes' is strictly dominant for everyone and (yes, yes, yes) is the unique equilibrium."""
    rng = np.random.default_rng(0)
    payoffs = np.empty((3, 2, 2, 2))
    for p in range(3):
        others = rng.normal(size=(2, 2))  # indexed by the other two players' actions
        for index in np.ndindex(2, 2, 2):
            rest = tuple(a for q, a in enumerate(index) if q != p)
            payoffs[(p, *index)] = index[p] + others[rest]
    acts = ("no", "yes")
    game = gt.Game(("A", "B", "C"), (acts, acts, acts), payoffs)
    result = gt.solve(game)  # auto: iesds for three players
    assert result.method == "iesds"
    assert result.complete
    assert [eq.describe() for eq in result] == ["A: yes / B: yes / C: yes"]
