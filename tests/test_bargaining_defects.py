"""Bargaining defects found in review, each tested against its definition.

Every expected value below is derived by hand (or by an independent computation written here
from the definition) and the source is named:

- Nash (1950), "The bargaining problem", Econometrica 18: the Nash solution maximises
  ``(u1 - d1)(u2 - d2)`` over feasible points with ``u >= d``;
- Nash (1953), "Two-person cooperative games", Econometrica 21: variable threats;
- Kalai and Smorodinsky (1975), "Other solutions to Nash's bargaining problem", Econometrica 43;
- Kalai (1977), "Proportional solutions to bargaining situations", Econometrica 45;
- Rubinstein (1982), "Perfect equilibrium in a bargaining model", Econometrica 50;
- Osborne and Rubinstein, *Bargaining and Markets* (1990), and *A Course in Game Theory* (1994).
"""

from __future__ import annotations

import re
import time

import numpy as np
import pytest
from scipy.optimize import linprog

import gametheory as gt
from gametheory.analysis.negotiation.bargaining import (
    BargainingError,
    alternating_offers,
    bargain,
    pareto_frontier,
    rubinstein,
    variable_threat,
)


# ---------------------------------------------------------------------- independent helpers
def zero_sum_value(M) -> tuple[float, np.ndarray]:
    """Value and an optimal mixed strategy of the row (maximising) player, by linprog.

    max v subject to M^T x >= v, sum x = 1, x >= 0 (von Neumann; Osborne and Rubinstein 1994,
    Proposition 22.2). Written here, not taken from the project.
    """
    M = np.asarray(M, dtype=float)
    m, n = M.shape
    c = np.r_[np.zeros(m), -1.0]
    A_ub = np.c_[-M.T, np.ones(n)]
    res = linprog(
        c,
        A_ub=A_ub,
        b_ub=np.zeros(n),
        A_eq=np.r_[np.ones(m), 0.0][None, :],
        b_eq=[1.0],
        bounds=[(0, None)] * m + [(None, None)],
        method="highs",
    )
    assert res.status == 0
    return float(res.x[-1]), res.x[:m]


def nash_solution_brute(cells, d) -> np.ndarray:
    """Nash's (1950) solution over the convex hull of ``cells`` from ``d``, by brute force.

    The Pareto frontier of a polygon is a union of segments between its points, and every such
    segment is feasible, so maximising the product over every segment between two cells (and
    every cell) maximises it over the hull. On a segment the points with ``u >= d`` form an
    interval of t, and the product is a quadratic in t: its maximum is at an end of the interval
    or at the stationary point. If no point gives both players strictly more than d, the only
    efficient point with ``u >= d`` is returned (found by maximising u1 + u2 the same way).
    """
    cells = np.asarray(cells, dtype=float)
    d = np.asarray(d, dtype=float)
    tiny = 1e-12 * max(np.abs(cells).max(), np.abs(d).max(), 1e-300)  # rounding, in payoffs
    i, j = np.meshgrid(np.arange(len(cells)), np.arange(len(cells)), indexing="ij")
    p, q = cells[i.ravel()], cells[j.ravel()]
    a = q - p
    b = p - d
    # Interval of t in [0, 1] with b + t a >= 0 in both coordinates.
    lo, hi = np.zeros(len(p)), np.ones(len(p))
    for k in range(2):
        with np.errstate(divide="ignore", invalid="ignore"):
            bound = -b[:, k] / a[:, k]
        up = a[:, k] > 0
        down = a[:, k] < 0
        lo = np.where(up, np.maximum(lo, bound), lo)
        hi = np.where(down, np.minimum(hi, bound), hi)
        lo = np.where((a[:, k] == 0) & (b[:, k] < -tiny), np.inf, lo)
    ok = lo <= hi + 1e-12
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = -(a[:, 0] * b[:, 1] + a[:, 1] * b[:, 0]) / (2 * a[:, 0] * a[:, 1])
    stat = np.where(np.isfinite(stat), np.clip(stat, lo, hi), lo)
    best, best_value = None, -np.inf
    for t in (lo, hi, stat):
        t = np.where(ok, t, 0.0)
        u = p + t[:, None] * a
        value = np.where(ok, np.prod(np.clip(u - d, 0, None), axis=1), -np.inf)
        k = int(np.argmax(value))
        if value[k] > best_value:
            best, best_value = u[k], value[k]
    if best_value > tiny**2 * 1e12:  # a product above (1e-6 payoff units) squared
        return np.asarray(best)
    best, best_sum = None, -np.inf
    for t in (lo, hi):
        t = np.where(ok, t, 0.0)
        u = p + t[:, None] * a
        total = np.where(ok, u.sum(axis=1), -np.inf)
        k = int(np.argmax(total))
        if total[k] > best_sum:
            best, best_sum = u[k], total[k]
    return np.asarray(best)


def is_pareto_efficient(cells, u, tol=1e-6) -> bool:
    """Whether u is feasible and no point of the hull of ``cells`` dominates it (two LPs)."""
    cells = np.asarray(cells, dtype=float)
    k = len(cells)
    for me in (0, 1):
        other = 1 - me
        # max u_me subject to u_other >= (given) - tiny, u in the hull.
        res = linprog(
            -cells[:, me],
            A_ub=-cells[:, other][None, :],
            b_ub=[-(u[other] - 1e-9)],
            A_eq=np.ones((1, k)),
            b_eq=[1.0],
            bounds=[(0, None)] * k,
            method="highs",
        )
        if res.status != 0 or abs(-res.fun - u[me]) > tol:
            return False
    return True


def brute_nondominated(points) -> np.ndarray:
    """Distinct points that no other point weakly dominates with one strict gain: O(n^2)."""
    P = np.unique(np.asarray(points, dtype=float), axis=0)
    geq = np.all(P[None, :, :] >= P[:, None, :], axis=2)  # geq[i, j]: P[j] >= P[i]
    gt_ = np.any(P[None, :, :] > P[:, None, :], axis=2)
    dominated = np.any(geq & gt_, axis=1)
    return P[~dominated]


def brute_frontier(points) -> np.ndarray:
    """Pareto-efficient extreme points of the convex hull, from the definition.

    A nondominated point p is a vertex of the efficient frontier unless a mixture of two other
    nondominated points q, r (q1 < p1 < r1) weakly dominates it, i.e. unless the segment qr
    passes through or above p (in the plane two points suffice, by Caratheodory). "Through" is
    up to 1e-12: (0.57, 0.82), (0.63, 0.77), (0.69, 0.72) are collinear, in binary only nearly.
    """
    nd = brute_nondominated(points)
    keep = []
    for p in nd:
        left = nd[nd[:, 0] < p[0]]
        right = nd[nd[:, 0] > p[0]]
        covered = False
        for q in left:
            t = (p[0] - q[0]) / (right[:, 0] - q[0])
            height = q[1] + t * (right[:, 1] - q[1])
            if np.any(height >= p[1] - 1e-12):  # through p, up to rounding of the input
                covered = True
                break
        if not covered:
            keep.append(p)
    out = np.array(keep)
    return out[np.argsort(out[:, 0])]


def no_negative_zero(*values: float) -> bool:
    return all(format(v, ".4g") != "-0" and format(v, "g") != "-0" for v in values)


# ---------------------------------------------------------------------- 1. d on the frontier
def test_disagreement_on_the_pareto_frontier_is_feasible_and_is_every_solution() -> None:
    """(2, 9) = (0, 10)/2 + (4, 8)/2 lies on the efficient segment (0,10)-(4,8). Nothing
    feasible gives both players at least (2, 9) except (2, 9) itself, so every solution that is
    individually rational (Nash 1950; Kalai and Smorodinsky 1975; Kalai 1977) is (2, 9)."""
    points = [[0, 10], [4, 8], [8, 2], [1, 1]]
    result = bargain(points, [2, 9])
    for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian", "ideal"):
        assert getattr(result, name) == pytest.approx((2.0, 9.0), abs=1e-12), name
    # A vertex of the frontier as d, and one on the next segment: (6, 5) = ((4,8)+(8,2))/2.
    for d in ([4, 8], [6, 5], [0, 10], [8, 2]):
        result = bargain(points, d)
        assert result.nash == pytest.approx(tuple(d), abs=1e-12)
        assert result.utilitarian == pytest.approx(tuple(d), abs=1e-12)
    # Rounding must not decide feasibility: 1e-12 above the frontier is the frontier...
    assert bargain(points, [2, 9 + 1e-12]).nash == pytest.approx((2, 9), abs=1e-9)
    # ...but a clear step outside is still refused.
    with pytest.raises(BargainingError, match="outside the feasible set"):
        bargain(points, [2, 9.001])
    with pytest.raises(BargainingError, match="outside the feasible set"):
        bargain(points, [8.001, 0])


def test_disagreement_on_the_weakly_efficient_edge() -> None:
    """Free disposal: (-1, 2) is below (0, 2), so feasible. The only point giving both at least
    d on the efficient frontier is (0, 2): Nash, Kalai-Smorodinsky and utilitarian are (0, 2).
    Kalai's (1977) egalitarian solution is the furthest point d + s(1, 1) that is feasible:
    u2 = 2 + s <= 2 forces s = 0, so it is d itself."""
    result = bargain([[0, 0], [4, 0], [0, 2]], [-1, 2])
    assert result.nash == pytest.approx((0, 2))
    assert result.kalai_smorodinsky == pytest.approx((0, 2))
    assert result.utilitarian == pytest.approx((0, 2))
    assert result.egalitarian == pytest.approx((-1, 2))


# ---------------------------------------------------------------------- 2. variable threats
# A = [[0, 6], [2, 8], [9, 8]], B = [[6, 1], [5, 3], [2, 5]]: the cells are (0,6), (6,1),
# (2,5), (8,3), (9,2), (8,5). The efficient frontier is (0,6) -> (8,5) -> (9,2): (2,5) is below
# the chord u2 = 6 - u1/8 (5.75 at u1 = 2), and (8,3), (6,1) are dominated by (8,5).
KINK_A = [[0, 6], [2, 8], [9, 8]]
KINK_B = [[6, 1], [5, 3], [2, 5]]


def test_variable_threat_on_the_segment_next_to_a_kink() -> None:
    """Nash (1953): on a frontier segment where 3 u1 + u2 = 29 ((8,5) to (9,2)) the Nash
    solution from d is the point with 3 u1 - u2 = 3 d1 - d2, so the threats solve the zero-sum
    game 3A - B = [[-6, 17], [1, 21], [25, 19]] (player 1 maximises).

    By hand: row 1 is dominated by row 3; in [[1, 21], [25, 19]] there is no saddle point
    (maximin 19 < minimax 21); player 1 mixes (p, 1 - p) on rows 2, 3 with
    p + 25 (1 - p) = 21 p + 19 (1 - p), p = 3/13; player 2 mixes (q, 1 - q) with
    q + 21 (1 - q) = 25 q + 19 (1 - q), q = 1/13; the value is 25 - 24 (3/13) = 253/13.
    253/13 = 19.46 > 19 = 3*8 - 5 and < 25 = 3*9 - 2, so the point lies inside the segment:
    3 u1 + u2 = 29 and 3 u1 - u2 = 253/13 give u1 = 105/13, u2 = 62/13.
    The threats' payoffs: x A y = 1344/169, x B y = 743/169 (3 * 1344 - 743 = 3289 = 13 * 253).
    """
    A, B = np.array(KINK_A, float), np.array(KINK_B, float)
    value, x_check = zero_sum_value(3 * A - B)  # independent check of the hand derivation
    assert value == pytest.approx(253 / 13, abs=1e-12)
    assert x_check == pytest.approx([0, 3 / 13, 10 / 13], abs=1e-9)

    result = variable_threat(gt.Game.from_arrays(KINK_A, KINK_B))
    assert result.outcome == pytest.approx((105 / 13, 62 / 13), abs=1e-9)
    assert not result.at_kink
    assert result.slope == pytest.approx(3.0)
    assert list(result.threats[0].values()) == pytest.approx([0, 3 / 13, 10 / 13], abs=1e-9)
    assert list(result.threats[1].values()) == pytest.approx([1 / 13, 12 / 13], abs=1e-9)
    assert result.disagreement == pytest.approx((1344 / 169, 743 / 169), abs=1e-9)


def test_variable_threat_at_a_true_kink() -> None:
    """A symmetric game, A = [[3, 0], [4, -1]], B = A^T: cells (3,3), (0,4), (4,0), (-1,-1);
    frontier (0,4) -> (3,3) -> (4,0), slopes 1/3 and 3 around the kink (3,3).

    Nash (1953): the point (3,3) is the solution if for some supporting slope s in [1/3, 3] the
    threat game s A - B = [[3s - 3, -4], [4s, 1 - s]] has value 3s - 3 (= s u1 - u2 at (3,3)).
    For s in [1/3, 3] row 2 dominates row 1 (4s > 3s - 3, 1 - s > -4) and against it column 2
    is better for player 2 (1 - s < 4s), so the value is 1 - s; 1 - s = 3s - 3 gives s = 1.
    The threats are (a2, b2), the disagreement point (-1, -1), and the outcome is the kink."""
    A = [[3, 0], [4, -1]]
    result = variable_threat(gt.Game.from_arrays(A, np.transpose(A)))
    assert result.outcome == pytest.approx((3, 3))
    assert result.at_kink
    assert result.slope == pytest.approx(1.0, abs=1e-7)
    assert list(result.threats[0].values()) == pytest.approx([0, 1], abs=1e-7)
    assert list(result.threats[1].values()) == pytest.approx([0, 1], abs=1e-7)
    assert result.disagreement == pytest.approx((-1, -1), abs=1e-7)


def test_variable_threat_at_the_end_of_the_frontier() -> None:
    """Player 1 has one action: A = [[0, 8, -10]], B = [[6, 5, 5.9]]. Frontier (0,6) -> (8,5).
    Whatever player 2 threatens with, column 1 (d = (0, 6), on the frontier) or column 3
    (d = (-10, 5.9): the line from d to (0,6) has slope 0.01, below the segment's 1/8, so the
    Nash solution is (0, 6)), the bargain is (0, 6), the best possible for player 2 (Nash 1953).
    """
    result = variable_threat(gt.Game.from_arrays([[0, 8, -10]], [[6, 5, 5.9]]))
    assert result.outcome == pytest.approx((0, 6), abs=1e-9)
    assert result.at_kink
    assert list(result.threats[1].values())[1] == pytest.approx(0, abs=1e-9)


def _check_variable_threat(A, B) -> tuple[bool, bool]:
    """Check one game against Nash (1953); return (at_kink, outcome is a cell)."""
    A, B = np.asarray(A, float), np.asarray(B, float)
    cells = np.c_[A.ravel(), B.ravel()]
    result = variable_threat(gt.Game.from_arrays(A, B))
    x = np.array(list(result.threats[0].values()))
    y = np.array(list(result.threats[1].values()))
    u = np.array(result.outcome)
    scale = max(1.0, np.abs(cells).max())
    tol = 1e-6 * scale
    # The outcome is Pareto efficient in the convex hull of the cells.
    assert is_pareto_efficient(cells, u, tol), (A, B, u)
    # It is the Nash solution from the threats' payoffs...
    d = np.array([x @ A @ y, x @ B @ y])
    assert np.array(result.disagreement) == pytest.approx(d, abs=tol)
    assert nash_solution_brute(cells, d) == pytest.approx(u, abs=tol), (A, B, d)
    # ...and the threats are an equilibrium of the threat game: no pure deviation moves the
    # bargain in the deviator's favour.
    for i in range(len(A)):
        deviation = nash_solution_brute(cells, [A[i] @ y, B[i] @ y])
        assert deviation[0] <= u[0] + tol, (A, B, i)
    for j in range(A.shape[1]):
        deviation = nash_solution_brute(cells, [x @ A[:, j], x @ B[:, j]])
        assert deviation[1] <= u[1] + tol, (A, B, j)
    return result.at_kink, bool(np.any(np.all(np.abs(cells - u) <= tol, axis=1)))


def test_variable_threat_on_random_games() -> None:
    """Seeded random bimatrix games (uniform payoffs, and small integers with many ties and
    frontier cells as threat points): variable_threat never raises, and its outcome is the
    Nash (1953) solution, checked from the definition above. With uniform payoffs no three
    cells are collinear, so the outcome is a kink exactly when it is one of the cells."""
    rng = np.random.default_rng(20240611)
    for _ in range(200):
        m, n = rng.integers(2, 5, size=2)
        A, B = rng.random((m, n)), rng.random((m, n))
        at_kink, is_cell = _check_variable_threat(A, B)
        assert at_kink == is_cell, (A, B)
    for _ in range(150):
        m, n = rng.integers(1, 5, size=2)
        A = rng.integers(-4, 5, size=(m, n))
        B = rng.integers(-4, 5, size=(m, n))
        _check_variable_threat(A, B)


# ---------------------------------------------------------------------- 3. utilitarian
def test_utilitarian_respects_the_disagreement_point() -> None:
    """In a bargaining problem every solution gives each player at least d (individual
    rationality). Frontier 0.9 u1 + u2 = 9 from (0,9) to (10,0), d = (3,3): u1 + u2 = 9 + 0.1 u1
    increases with u1, and u2 >= 3 allows u1 <= 20/3, so the utilitarian point is (20/3, 3),
    not (10, 0).

    The other solutions there, by hand: Nash maximises (u1 - 3)(6 - 0.9 u1), so
    6 - 0.9 u1 = 0.9 (u1 - 3), u1 = 29/6, u2 = 4.65 (Nash 1950). The ideal point is
    (20/3, 6.3); the ray from d towards it, d + s (11/3, 3.3), meets the frontier at s = 1/2:
    (29/6, 4.65) (Kalai and Smorodinsky 1975). Egalitarian: 0.9 (3 + s) + 3 + s = 9 gives
    s = 33/19, (90/19, 90/19) (Kalai 1977)."""
    result = bargain([[0, 0], [10, 0], [0, 9]], [3, 3])
    assert result.utilitarian == pytest.approx((20 / 3, 3))
    assert result.nash == pytest.approx((29 / 6, 4.65))
    assert result.ideal == pytest.approx((20 / 3, 6.3))
    assert result.kalai_smorodinsky == pytest.approx((29 / 6, 4.65))
    assert result.egalitarian == pytest.approx((90 / 19, 90 / 19))


def test_utilitarian_ties_go_to_the_most_equal_gains() -> None:
    """Documented tie rule: among the points maximising u1 + u2 (with u >= d) the one whose
    gains over d are closest to equal. Split the dollar with d = (0.2, 0): every point from
    (0.2, 0.8) to (1, 0) sums to 1; equal gains u1 - 0.2 = 1 - u1 give (0.6, 0.4). On the set
    with frontier (3,1) -> (4,0) (both sum to 4) and d = (0,0), gains are most nearly equal at
    (3, 1)."""
    assert bargain([[0, 0], [1, 0], [0, 1]], [0.2, 0]).utilitarian == pytest.approx((0.6, 0.4))
    assert bargain([[0, 0], [1, 0], [0, 1]], [0, 0]).utilitarian == pytest.approx((0.5, 0.5))
    tied = bargain([[0, 0], [4, 0], [3, 1], [0, 1]], [0, 0])
    assert tied.utilitarian == pytest.approx((3, 1))


# ---------------------------------------------------------------------- 4. Pareto frontier
def _clouds():
    rng = np.random.default_rng(7)
    yield rng.random((300, 2))  # continuous
    yield rng.integers(0, 6, size=(300, 2))  # a small grid: duplicates and ties everywhere
    yield rng.integers(-3, 4, size=(40, 2))
    t = rng.random(400) * np.pi / 2  # near a concave arc: many efficient points
    yield np.round(np.c_[np.cos(t), np.sin(t)] * rng.uniform(0.95, 1.0, size=(400, 1)), 2)
    line = rng.integers(0, 11, size=60)  # a straight efficient edge u1 + u2 = 10
    yield np.r_[np.c_[line, 10 - line], rng.integers(0, 8, size=(100, 2))]
    yield np.array([[1, 1], [1, 1], [0, 2], [2, 0], [1, 1]])
    yield np.array([[0, 0], [1, 1], [2, 2]])  # collinear, increasing: one efficient point
    yield np.array([[0, 2], [1, 1], [2, 0]])  # collinear, decreasing: two ends
    yield np.array([[5, 5]])


def test_pareto_frontier_matches_the_definition() -> None:
    for points in _clouds():
        got = pareto_frontier(np.asarray(points, dtype=float))
        assert np.allclose(got, brute_frontier(points)), points


def test_pareto_frontier_is_fast_on_many_efficient_points() -> None:
    """All 100,001 points on a quarter circle are extreme and efficient (the quadratic filter's
    worst case: 10,001 of them took about 10 s). Printed, not asserted: timings vary."""
    t = np.linspace(0, np.pi / 2, 100_001)
    arc = np.c_[np.cos(t), np.sin(t)]
    start = time.perf_counter()
    frontier = pareto_frontier(arc)
    elapsed = time.perf_counter() - start
    print(f"pareto_frontier: 100,001 points on an arc in {elapsed:.3f} s")
    assert len(frontier) == len(arc)
    cloud = np.random.default_rng(1).random((100_001, 2))
    start = time.perf_counter()
    pareto_frontier(cloud)
    print(f"pareto_frontier: 100,001 random points in {time.perf_counter() - start:.3f} s")


# ---------------------------------------------------------------------- 5. the rest
def test_kalai_smorodinsky_and_egalitarian_on_a_rectangle() -> None:
    """Square [0,10] x [0,1], d = 0: the ideal point (10, 1) is feasible, so it is the
    Kalai-Smorodinsky and Nash solution; Kalai's (1977) egalitarian point is the furthest
    s (1, 1) that is feasible, (1, 1), only weakly efficient."""
    result = bargain([[0, 0], [10, 0], [10, 1], [0, 1]], [0, 0])
    assert result.nash == pytest.approx((10, 1))
    assert result.kalai_smorodinsky == pytest.approx((10, 1))
    assert result.egalitarian == pytest.approx((1, 1))
    assert result.utilitarian == pytest.approx((10, 1))


def test_kalai_smorodinsky_on_a_curved_frontier() -> None:
    """Kalai and Smorodinsky (1975): frontier (0,4) -> (2,3) -> (4,0), d = (1, 0). Ideal point:
    (4, 3.5) (player 2's best with u1 >= 1 is 3.5 on the first segment u2 = 4 - u1/2).
    The ray d + s (3, 3.5) meets the second segment u2 = 3 - 1.5 (u1 - 2) where
    3.5 s = 3 - 1.5 (3 s - 1) = 4.5 - 4.5 s: s = 9/16, (1 + 27/16, 63/32)."""
    result = bargain([[0, 4], [2, 3], [4, 0], [0, 0]], [1, 0])
    assert result.ideal == pytest.approx((4, 3.5))
    assert result.kalai_smorodinsky == pytest.approx((43 / 16, 63 / 32))
    # Nash (1950): on u2 = 6 - 1.5 u1, maximise (u1 - 1)(6 - 1.5 u1): 6 - 1.5 u1 = 1.5 (u1 - 1),
    # u1 = 2.5 (inside [2, 4]), u2 = 2.25.
    assert result.nash == pytest.approx((2.5, 2.25))


def test_rubinstein_shares_in_both_delta_forms() -> None:
    """Rubinstein (1982); Osborne and Rubinstein (1990), Theorem 3.4: proposer i gets
    (1 - d_j) / (1 - d_i d_j), the responder d_j (1 - d_i) / (1 - d_i d_j). With
    d_i = exp(-r_i h) and h -> 0 the first proposer's share tends to r_j / (r_i + r_j), the
    asymmetric Nash solution (Osborne and Rubinstein 1990, section 4.2)."""
    for d1, d2 in ((0.5, 0.5), (0.9, 0.8), (0.3, 0.95)):
        denominator = 1 - d1 * d2
        assert rubinstein(d1, d2).shares == pytest.approx(
            ((1 - d2) / denominator, d2 * (1 - d1) / denominator)
        )
        assert rubinstein(d1, d2, first=1).shares == pytest.approx(
            (d1 * (1 - d2) / denominator, (1 - d1) / denominator)
        )
    r1, r2, h = 0.1, 0.3, 1e-6
    shares = rubinstein(np.exp(-r1 * h), np.exp(-r2 * h)).shares
    assert shares == pytest.approx((r2 / (r1 + r2), r1 / (r1 + r2)), abs=1e-5)


def test_finite_horizon_with_disagreement_payoffs() -> None:
    """Backward induction (Osborne and Rubinstein 1990, ch. 3; Stahl 1972): with disagreement
    payoffs (e1, e2) received after the last round, one round gives the responder d2 e2; two
    rounds (player 2 proposing last) give player 1 1 - d2 (1 - d1 e1)."""
    d1, d2, e = 0.9, 0.8, (0.2, 0.3)
    assert alternating_offers(1, d1, d2, disagreement=e).shares == pytest.approx(
        (1 - d2 * 0.3, d2 * 0.3)
    )
    assert alternating_offers(2, d1, d2, disagreement=e).shares == pytest.approx(
        (1 - d2 * (1 - d1 * 0.2), d2 * (1 - d1 * 0.2))
    )
    assert alternating_offers(2, d1, d2, first=1).shares == pytest.approx((d1, 1 - d1))


def test_no_negative_zero_in_printed_numbers() -> None:
    """-0.0 must not reach the output: zero payoffs given as -0.0, a zero gain, threats."""
    negative_zero = re.compile(r"-0(?![.\d])")  # "-0" but not "-0.5" or "-01"
    result = bargain([[0, 0], [1, 0], [0, 1]], (-0.0, -0.0))
    assert not negative_zero.search(str(result)), str(result)
    assert no_negative_zero(*result.disagreement, *result.gains("utilitarian").values())
    zero = bargain([[-1.0, 0.0], [0.0, -1.0], [-0.0, -0.0]], (-1.0, -1.0))
    assert not negative_zero.search(str(zero)), str(zero)
    assert no_negative_zero(*zero.nash, *zero.egalitarian, *zero.utilitarian)
    offers = alternating_offers(1, 0.9, 0.9, disagreement=(-0.0, -0.0))
    assert no_negative_zero(*offers.shares, *offers.path)
    threat = variable_threat(gt.Game.from_arrays([[0, -0.0], [-0.0, 0]], [[1, 0], [0, 1]]))
    assert no_negative_zero(*threat.disagreement, *threat.outcome, threat.slope)
    for strategy in threat.threats:
        assert no_negative_zero(*strategy.values())


def test_threat_result_with_a_vertical_supporting_line_is_plain_json() -> None:
    """A slope of inf (the threat point straight below the rightmost vertex) is written as
    null, so the JSON stays standard."""
    import json

    from gametheory.analysis.negotiation.bargaining import ThreatResult

    result = ThreatResult(("P1", "P2"), ({"a": 1.0}, {"b": 1.0}), (6, -5), (6, 2), np.inf, True)
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["frontier_slope"] is None
