"""Contract test over every registered solver, properties, and cross-checks with nashpy."""

from __future__ import annotations

import nashpy
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import gametheory as gt
from gametheory.solvers.registry import choose_method

from .conftest import as_set, flat_set, regret_bimatrix

# Games every solver can take (two players; zero-sum ones so minimax applies too).
CONTRACT_GAMES = {
    "matching_pennies": ([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]),
    "rps": ([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], [[0, 1, -1], [-1, 0, 1], [1, -1, 0]]),
    "zero_sum_3x2": ([[3, -1], [-2, 4], [0, 0]], [[-3, 1], [2, -4], [0, 0]]),
    "degenerate_zero_sum": ([[0, 0], [0, 0]], [[0, 0], [0, 0]]),
}


@pytest.mark.parametrize("method", sorted(gt.methods()))
@pytest.mark.parametrize("name", sorted(CONTRACT_GAMES))
def test_every_solver_returns_verified_equilibria(method: str, name: str) -> None:
    A, B = CONTRACT_GAMES[name]
    game = gt.Game.from_arrays(A, B)
    result = gt.solve(game, method)
    assert isinstance(result, gt.SolveResult)
    assert result.method == method
    assert result.tolerance == gt.DEFAULT_TOL
    assert isinstance(result.complete, bool)
    if gt.methods()[method].finds != "pure":  # matching pennies has no pure equilibrium
        assert result.equilibria, f"{method} found nothing on {name}"
    for eq in result.equilibria:
        assert regret_bimatrix(A, B, *eq.strategies) <= 1e-9 * game.scales.max()
        for s in eq.strategies:
            assert s.min() >= 0 and s.sum() == pytest.approx(1.0)
    # Frozen result type.
    with pytest.raises(AttributeError):
        result.method = "other"  # type: ignore[misc]
    # Serialisable in the documented shape.
    data = result.to_dict()
    assert set(data) >= {
        "method",
        "options",
        "tolerance",
        "complete",
        "warnings",
        "equilibria",
        "parameters",
    }


def test_solvers_for_n_players_accept_three_player_games() -> None:
    rng = np.random.default_rng(3)
    payoffs = rng.integers(0, 5, size=(3, 2, 3, 2)).astype(float)
    game = gt.Game(("A", "B", "C"), (("a1", "a2"), ("b1", "b2", "b3"), ("c1", "c2")), payoffs)
    for method, info in gt.methods().items():
        if info.two_player_only:
            with pytest.raises(gt.SolverError, match="two-player"):
                gt.solve(game, method)
        else:
            result = gt.solve(game, method)
            for eq in result.equilibria:
                assert eq.is_equilibrium()


def test_unknown_method_lists_the_available_ones() -> None:
    with pytest.raises(gt.SolverError, match="vertex_enumeration"):
        gt.solve(gt.Game.from_arrays([[1]], [[1]]), "simplex")


def test_auto_says_what_it_picked() -> None:
    game = gt.Game.from_arrays(np.eye(3), np.eye(3))
    result = gt.solve(game)
    assert result.method == "vertex_enumeration"
    assert "vertex enumeration" in result.details["auto"]
    # 24x24 random: the upper bound on vertices (about 1.6e8) is past auto's limit.
    rng = np.random.default_rng(0)
    big = gt.Game.from_arrays(rng.random((24, 24)), rng.random((24, 24)))
    assert choose_method(big)[0] == "iesds"


def test_auto_removes_dominated_strategies_before_giving_up_on_enumeration() -> None:
    """A 12x12 game where the first row strictly dominates every other row: after elimination
    one row remains, the column player's unique best reply to it is column 3, so the game has
    exactly one equilibrium and auto can say the list is complete."""
    rng = np.random.default_rng(2)
    A = rng.uniform(0, 1, size=(12, 12))
    A[0] = 2.0
    B = rng.uniform(0, 1, size=(12, 12))
    B[0, 3] = 5.0
    result = gt.solve(gt.Game.from_arrays(A, B))
    # Vertex enumeration removes the 11 dominated rows itself before enumerating.
    assert result.method == "vertex_enumeration"
    assert result.details["reduction"]["dominated"] >= 11
    assert result.complete
    assert [eq.describe() for eq in result] == ["P1: a1 / P2: a4"]


def test_candidates_failing_the_regret_check_become_warnings() -> None:
    from gametheory.solvers.registry import _verified
    from gametheory.solvers.result import Candidates

    game = gt.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    wrong = (np.array([1.0, 0.0]), np.array([1.0, 0.0]))
    right = (np.array([0.5, 0.5]), np.array([0.5, 0.5]))
    result = _verified(game, "fake", {}, 1e-9, Candidates([wrong, right, right], True), {})
    assert len(result.equilibria) == 1  # wrong one dropped, duplicate merged
    assert not result.complete
    assert any("failed the independent regret check" in w for w in result.warnings)


# ----------------------------------------------------------------- Lemke-Howson
# DESIGN.md section 9: nashpy's lemke_howson loops on this degenerate game from label 7.
LH_A = [[5, 0, 8, 2], [7, 6, 7, 0], [3, 0, 8, 5], [5, 6, 0, 4]]
LH_B = [[4, 6, 1, 0], [4, 7, 2, 0], [0, 3, 8, 3], [6, 8, 3, 6]]


@pytest.mark.parametrize("label", range(8))
def test_lemke_howson_terminates_from_every_label_of_a_degenerate_game(label: int) -> None:
    game = gt.Game.from_arrays(LH_A, LH_B)
    result = gt.solve(game, "lemke_howson", initial_label=label)
    assert len(result.equilibria) == 1
    assert regret_bimatrix(LH_A, LH_B, *result[0].strategies) <= 1e-9 * game.scales.max()
    assert result.details["pivots"][str(label)] < 100


def test_lemke_howson_all_labels_finds_equilibria_inside_vertex_enumeration() -> None:
    game = gt.Game.from_arrays(LH_A, LH_B)
    lh = gt.solve(game, "lemke_howson", initial_label="all")
    ve = gt.solve(game, "vertex_enumeration")
    assert as_set(lh) <= as_set(ve)


def test_lemke_howson_rejects_bad_labels() -> None:
    game = gt.Game.from_arrays([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(gt.SolverError, match="initial_label"):
        gt.solve(game, "lemke_howson", initial_label=4)


# ----------------------------------------------------------------- properties
def bimatrices(max_size: int = 4, integers: bool = False):
    def build(shape):
        m, n = shape
        if integers:
            elements = st.integers(0, 4).map(float)
        else:
            elements = st.floats(-10, 10, allow_nan=False, allow_infinity=False, width=32)
        return st.tuples(
            arrays(np.float64, (m, n), elements=elements),
            arrays(np.float64, (m, n), elements=elements),
        )

    return st.tuples(st.integers(1, max_size), st.integers(1, max_size)).flatmap(build)


# Example counts come from the hypothesis profile (tests/conftest.py).
PROPERTY_SETTINGS = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(bimatrices(), st.booleans())
def test_vertex_enumeration_returns_only_equilibria_and_at_least_one(AB, _) -> None:
    A, B = AB
    game = gt.Game.from_arrays(A, B)
    result = gt.solve(game, "vertex_enumeration")
    assert result.equilibria  # Nash's theorem: at least one
    assert not any("failed" in w for w in result.warnings)
    for eq in result.equilibria:
        assert regret_bimatrix(A, B, *eq.strategies) <= 1e-8 * game.scales.max()


@PROPERTY_SETTINGS
@given(bimatrices(integers=True))
def test_pure_equilibria_are_extreme_equilibria(AB) -> None:
    A, B = AB
    game = gt.Game.from_arrays(A, B)
    assert as_set(gt.solve(game, "pure")) <= as_set(gt.solve(game, "vertex_enumeration"))


@PROPERTY_SETTINGS
@given(bimatrices(integers=True), st.floats(0.1, 100), st.floats(-50, 50), st.integers(0, 1))
def test_invariant_under_positive_affine_change_of_one_players_payoffs(AB, a, b, who) -> None:
    A, B = AB
    A2, B2 = (a * A + b, B) if who == 0 else (A, a * B + b)
    first = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
    second = gt.solve(gt.Game.from_arrays(A2, B2), "vertex_enumeration")
    assert as_set(first, 5) == as_set(second, 5)
    assert first.complete == second.complete


@PROPERTY_SETTINGS
@given(bimatrices(integers=True), st.randoms(use_true_random=False))
def test_invariant_under_relabelling(AB, rnd) -> None:
    A, B = AB
    m, n = A.shape
    rows, cols = list(range(m)), list(range(n))
    rnd.shuffle(rows)
    rnd.shuffle(cols)
    game = gt.Game.from_arrays(A, B)
    permuted = game.permute([rows, cols])
    original = gt.solve(game, "vertex_enumeration")
    moved = gt.solve(permuted, "vertex_enumeration")
    # Map the permuted game's equilibria back by action label.
    back = {
        tuple(
            np.round(
                [
                    eq.strategy(p)[a]
                    for p, acts in zip(game.players, game.actions, strict=True)
                    for a in acts
                ],
                6,
            )
            + 0.0
        )
        for eq in moved.equilibria
    }
    assert back == as_set(original)
    # Renaming players and actions changes nothing but labels.
    renamed = game.relabel({"P1": "Alice"}, {"P2": {"a1": "left"}})
    assert as_set(gt.solve(renamed)) == as_set(original)


@PROPERTY_SETTINGS
@given(bimatrices(max_size=4))
def test_support_and_vertex_enumeration_agree_on_nondegenerate_games(AB) -> None:
    A, B = AB
    game = gt.Game.from_arrays(A, B)
    se = gt.solve(game, "support_enumeration")
    ve = gt.solve(game, "vertex_enumeration")
    if se.complete and ve.complete:
        assert as_set(se, 5) == as_set(ve, 5)


def test_agrees_with_nashpy_vertex_enumeration_on_random_continuous_games() -> None:
    """Independent tool: nashpy's vertex enumeration on payoffs shifted positive."""
    rng = np.random.default_rng(20251126)
    for _ in range(150):
        m, n = rng.integers(2, 5, size=2)
        A, B = rng.normal(size=(m, n)), rng.normal(size=(m, n))
        ours = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
        shift = 1 - min(A.min(), B.min())
        theirs = list(nashpy.Game(A + shift, B + shift).vertex_enumeration())
        # nashpy sometimes returns profiles with regret ~1e-6 that are not equilibria
        # (DESIGN.md section 9); compare with its answers that pass an independent check.
        verified = [p for p in theirs if regret_bimatrix(A, B, *p) <= 1e-9]
        assert as_set(ours, 5) == flat_set(verified, 5)
        assert ours.complete and ours.degenerate is False


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_finds_equilibria_nashpy_support_enumeration_misses() -> None:
    """DESIGN.md section 9: small-integer games where nashpy's support enumeration fails."""
    rng = np.random.default_rng(7)
    missed = 0
    for _ in range(200):
        A, B = rng.integers(0, 10, size=(2, 4, 4)).astype(float)
        ours = gt.solve(gt.Game.from_arrays(A, B), "vertex_enumeration")
        theirs = flat_set(nashpy.Game(A, B).support_enumeration(), 5)
        # Every equilibrium nashpy finds that is extreme is also ours; ours are all verified.
        for eq in ours.equilibria:
            assert regret_bimatrix(A, B, *eq.strategies) <= 1e-9 * 9
        missed += len(as_set(ours, 5) - theirs)
    assert missed > 0
