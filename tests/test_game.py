"""The labelled game model: payoff layout, immutability, profiles and regret."""

from __future__ import annotations

import numpy as np
import pytest

import gametheory as gt


def test_layout_of_a_2x3_game() -> None:
    A = [[1, 2, 3], [4, 5, 6]]
    B = [[10, 20, 30], [40, 50, 60]]
    g = gt.Game.from_arrays(A, B, players=("R", "C"), actions=(("u", "d"), ("l", "m", "r")))
    assert g.shape == (2, 3)
    assert g.payoffs.shape == (2, 2, 3)
    # payoffs[p, row, col]: rows are the first player's actions.
    assert g.payoff(("d", "m")) == {"R": 5.0, "C": 50.0}
    assert g.payoff(("u", "r")) == {"R": 3.0, "C": 30.0}


def test_layout_of_a_3x2_game() -> None:
    A = [[1, 2], [3, 4], [5, 6]]
    g = gt.Game.from_arrays(A, np.zeros((3, 2)))
    assert g.shape == (3, 2)
    assert g.payoff(("a3", "a1"))["P1"] == 5.0


def test_layout_of_a_2x3x4_game() -> None:
    payoffs = np.arange(3 * 2 * 3 * 4, dtype=float).reshape(3, 2, 3, 4)
    g = gt.Game(
        ("A", "B", "C"), (("a0", "a1"), ("b0", "b1", "b2"), ("c0", "c1", "c2", "c3")), payoffs
    )
    assert g.shape == (2, 3, 4)
    assert g.payoff(("a1", "b2", "c3")) == {
        "A": payoffs[0, 1, 2, 3],
        "B": payoffs[1, 1, 2, 3],
        "C": payoffs[2, 1, 2, 3],
    }
    # Action values: player C's payoff for each action against pure a1, b2.
    values = g.action_values((np.array([0, 1.0]), np.array([0, 0, 1.0]), None), 2)
    assert values.tolist() == payoffs[2, 1, 2, :].tolist()


def test_games_are_immutable() -> None:
    source = np.array([[[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]])
    g = gt.Game(("R", "C"), (("u", "d"), ("l", "r")), source)
    source[0, 0, 0] = 99  # the game holds its own copy
    assert g.payoffs[0, 0, 0] == 1.0
    with pytest.raises(ValueError):
        g.payoffs[0, 0, 0] = 5
    with pytest.raises(AttributeError):
        g.title = "x"  # type: ignore[misc]
    changed = g.with_payoffs(g.payoffs * 2)
    assert changed.payoffs[0, 1, 1] == 8 and g.payoffs[0, 1, 1] == 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"players": ("R",), "actions": (("u",), ("l",))}, "players but"),
        ({"players": ("R", "R"), "actions": (("u",), ("l",))}, "twice"),
        ({"players": ("R", "C"), "actions": ((), ("l",))}, "empty"),
        ({"players": ("R", "C"), "actions": (("u", "d"), ("l",))}, "shape"),
    ],
)
def test_inconsistent_games_are_rejected(kwargs, message) -> None:
    with pytest.raises(gt.GameError, match=message):
        gt.Game(payoffs=np.zeros((2, 1, 1)), **kwargs)


def test_non_finite_payoffs_are_rejected() -> None:
    with pytest.raises(gt.GameError, match="finite"):
        gt.Game.from_arrays([[np.nan]], [[1.0]])


def test_profile_payoffs_and_regret_from_the_definition() -> None:
    # Battle of the sexes at the mixed equilibrium: both get 2/3, no regret.
    g = gt.Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    p = g.profile([[2 / 3, 1 / 3], [1 / 3, 2 / 3]])
    assert p.payoffs == pytest.approx([2 / 3, 2 / 3])
    assert p.regret == pytest.approx([0, 0], abs=1e-15)
    assert p.is_equilibrium()
    # At (Bach, Stravinsky) both get 0; player 1 could get 1 (switch to Stravinsky) and
    # player 2 could get 1 (switch to Bach).
    q = g.profile({"P1": "a1", "P2": "a2"})
    assert q.regret.tolist() == [1.0, 1.0]
    assert not q.is_equilibrium()


def test_is_equilibrium_uses_a_tolerance() -> None:
    """DESIGN.md section 9: nashpy's float == rejects this true equilibrium."""
    g = gt.Game.from_arrays([[0, 0], [5, -1]], [[0, 1], [0, -1]])
    p = g.profile([[1 / 2, 1 / 2], [1 / 6, 5 / 6]])
    assert p.is_equilibrium()


def test_regret_tolerance_scales_with_the_payoffs() -> None:
    g = gt.Game.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    almost = g.profile([[2 / 3 + 1e-7, 1 / 3 - 1e-7], [1 / 3, 2 / 3]])
    assert not almost.is_equilibrium()  # regret ~2e-7 > 1e-9
    big = g.with_payoffs(g.payoffs * 1e6)
    p = big.profile([[2 / 3, 1 / 3], [1 / 3, 2 / 3]])
    assert p.is_equilibrium()


def test_profiles_validate_their_strategies() -> None:
    g = gt.Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(gt.GameError, match="probability"):
        g.profile([[0.7, 0.7], [1, 0]])
    with pytest.raises(gt.GameError, match="unknown action"):
        g.profile({"P1": "a9", "P2": "a1"})
    with pytest.raises(gt.GameError, match="no strategy"):
        g.profile({"P1": "a1"})


def test_labels_at_the_surface() -> None:
    g = gt.Game.from_arrays(
        [[1, 0], [0, 1]],
        [[1, 0], [0, 1]],
        players=("US", "China"),
        actions=(("maintain", "relax"), ("withhold", "license")),
    )
    p = g.profile({"US": {"maintain": 1}, "China": {"withhold": 0.25, "license": 0.75}})
    assert p.strategy("China") == {"withhold": 0.25, "license": 0.75}
    assert p.support("China") == ("withhold", "license")
    assert p.describe() == "US: maintain / China: 1/4 withhold + 3/4 license"
    data = p.to_dict()
    assert data["strategies"]["US"] == {"maintain": 1.0, "relax": 0.0}
    assert set(data["payoffs"]) == {"US", "China"}
    assert "US" in g._repr_html_() and "license" in str(g)


def test_one_players_units_do_not_loosen_anothers_tolerance() -> None:
    g = gt.Game.from_arrays([[1e6, 0], [0, 1e6]], [[1, 0], [0, 1]])
    p = g.profile([[1, 0], [1 - 1e-6, 1e-6]])
    assert p.regret[0] == 0
    assert p.regret[1] == pytest.approx(1e-6)
    assert not p.is_equilibrium()  # 1e-6 > 1e-9 x player 2's range of 1
    assert g.scales.tolist() == [1e6, 1.0]
