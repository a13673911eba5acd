"""Bargaining: axiomatic solutions over a feasible set, and alternating offers with deadlines.

Axiomatic solutions (two players)
---------------------------------
The feasible set of a two-player game is the convex hull of its pure payoff profiles (any
lottery over outcomes can be agreed), with free disposal: any payoff pair weakly below a point
of the hull is feasible too. Given a disagreement point ``d`` (given, or the payoffs of one of
the game's equilibria), :func:`bargain` computes, over the feasible points that give each player
at least ``d`` (individual rationality),

- the **Nash** bargaining solution, maximising ``(u1 - d1)(u2 - d2)`` (Nash 1950; Osborne and
  Rubinstein, *Bargaining and Markets*, 1990, ch. 2);
- the **Kalai-Smorodinsky** solution, the furthest feasible point on the segment from ``d`` to
  the ideal point (each player's best feasible payoff given ``u >= d``) (Kalai and Smorodinsky
  1975);
- the **egalitarian** solution, the furthest feasible point ``d + s (1, 1)`` (Kalai 1977); it
  can be only weakly efficient;
- the **utilitarian** solution, maximising ``u1 + u2``; where several points do, the one whose
  gains over ``d`` are closest to equal;

and the **Pareto frontier** of the feasible set. The Nash, Kalai-Smorodinsky and utilitarian
solutions lie on the Pareto frontier.

Everything is computed on the frontier polyline (no linear programs), in ``O(n log n)`` for ``n``
payoff points. Whether ``d`` is feasible is decided with a tolerance of ``1e-9`` times the largest
absolute payoff, so a disagreement point on the frontier (the payoffs of a mixed equilibrium,
say) is not refused because of rounding; such a point is then every solution.

Alternating offers
------------------
:func:`rubinstein` gives the unique subgame-perfect division of a pie of size 1 in Rubinstein's
(1982) infinite-horizon game: the first proposer gets ``(1 - d2) / (1 - d1 d2)`` (Osborne and
Rubinstein 1990, Theorem 3.4). :func:`alternating_offers` solves the finite-horizon game with a
deadline by backward induction (the last proposer takes everything, since the alternative is
disagreement), so the effect of extending a deadline can be read off. :func:`discount_factor`
turns a period length in days and a yearly rate into a per-period factor.

Variable threats
----------------
:func:`variable_threat` solves Nash's (1953) variable-threat game.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._format import format_number
from ...errors import BargainingError
from ...model.game import Game

__all__ = [
    "BargainingError",
    "BargainingResult",
    "OffersResult",
    "ThreatResult",
    "alternating_offers",
    "bargain",
    "discount_factor",
    "feasible_vertices",
    "pareto_frontier",
    "rubinstein",
    "variable_threat",
]

#: Feasibility tolerance, relative to the largest absolute payoff.
FEASIBILITY_TOL = 1e-9
#: Results this close to zero (relative to the largest payoff) are rounding noise: shown as 0.
_ZERO_TOL = 1e-12
#: Three frontier points are collinear when the sine of the turn between them is below this.
_COLLINEAR_SINE = 1e-12


def _scale(*arrays: NDArray[np.float64]) -> float:
    """The largest absolute value (1 if all are zero): the unit of payoff tolerances."""
    largest = max((float(np.max(np.abs(a))) for a in arrays if a.size), default=0.0)
    return largest if largest > 0 else 1.0


def _clean(value: float, scale: float = 1.0) -> float:
    """A plain float without a negative zero; rounding noise near zero becomes 0."""
    value = float(value)
    return 0.0 if abs(value) <= _ZERO_TOL * scale else value + 0.0


# ---------------------------------------------------------------------- feasible set
def feasible_vertices(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Extreme points of the convex hull of 2-D payoff profiles, counterclockwise."""
    from scipy.spatial import ConvexHull, QhullError

    points = np.unique(np.asarray(points, dtype=np.float64).reshape(-1, 2), axis=0)
    if len(points) == 0:
        raise BargainingError("the feasible set is empty: no payoff profiles were given")
    if len(points) <= 2:
        return points
    try:
        hull = ConvexHull(points)
    except QhullError:
        # All points on a line: the extreme points are the two ends.
        order = np.lexsort((points[:, 1], points[:, 0]))
        ends: NDArray[np.float64] = points[[order[0], order[-1]]]
        return ends
    extreme: NDArray[np.float64] = points[hull.vertices]
    return extreme


def _nondominated(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Distinct points no other point weakly dominates, by increasing ``u1`` (``u2`` falls).

    Sorted by ``u1`` descending (``u2`` descending among ties), a point is undominated exactly
    when its ``u2`` exceeds every ``u2`` before it: one sort and a running maximum.
    """
    order = np.lexsort((-points[:, 1], -points[:, 0]))
    ranked = points[order]
    best_before = np.maximum.accumulate(np.concatenate(([-np.inf], ranked[:-1, 1])))
    kept: NDArray[np.float64] = ranked[ranked[:, 1] > best_before][::-1]
    return kept


def _upper_chain(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Vertices of the upper convex hull of points sorted by increasing ``u1`` (monotone chain).

    Andrew's monotone chain: a point is kept while the chain turns clockwise at it; points on a
    straight part (turn below ``_COLLINEAR_SINE``, i.e. collinear up to rounding) are dropped.
    """
    xs, ys = points[:, 0].tolist(), points[:, 1].tolist()
    chain: list[int] = []
    limit = _COLLINEAR_SINE**2
    for k in range(len(xs)):
        bx, by = xs[k], ys[k]
        while len(chain) >= 2:
            o, a = chain[-2], chain[-1]
            ux, uy = xs[a] - xs[o], ys[a] - ys[o]
            vx, vy = bx - xs[a], by - ys[a]
            cross = ux * vy - uy * vx  # negative: a clockwise turn at a, which is kept
            if cross < 0 and cross * cross > limit * (ux * ux + uy * uy) * (vx * vx + vy * vy):
                break
            chain.pop()
        chain.append(k)
    return points[chain]


def pareto_frontier(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pareto-efficient extreme points of the convex hull, by increasing ``u1``.

    Consecutive points are joined by efficient segments: the frontier is their polyline, with
    ``u1`` strictly increasing and ``u2`` strictly decreasing along it.

    Parameters
    ----------
    points
        Payoff profiles, shape ``(n, 2)``.

    Returns
    -------
    numpy.ndarray
        The frontier's vertices, shape ``(k, 2)``; one point if one profile dominates all.

    Notes
    -----
    ``O(n log n)``: the undominated points (a sort and a running maximum of ``u2``), then the
    upper convex hull of those (Andrew's monotone chain). Points on a straight part of the
    frontier are not vertices. The convex hull of the points and its comprehensive extension
    (free disposal) have the same efficient frontier.

    Examples
    --------
    >>> pareto_frontier(np.array([[0, 0], [8, -5], [-9, 6], [-1, 1]])).tolist()
    [[-9.0, 6.0], [-1.0, 1.0], [8.0, -5.0]]
    """
    pts = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    if len(pts) == 0:
        raise BargainingError("the feasible set is empty: no payoff profiles were given")
    if not np.all(np.isfinite(pts)):
        raise BargainingError("feasible payoff points must be finite numbers")
    return _upper_chain(_nondominated(pts))


def _height(frontier: NDArray[np.float64], u1: float) -> float:
    """Largest feasible ``u2`` given ``u1`` (free disposal), for ``u1`` up to the rightmost."""
    xs, ys = frontier[:, 0], frontier[:, 1]
    if u1 <= xs[0]:
        return float(ys[0])
    if u1 >= xs[-1]:
        return float(ys[-1])
    return float(np.interp(u1, xs, ys))


def _width(frontier: NDArray[np.float64], u2: float) -> float:
    """Largest feasible ``u1`` given ``u2`` (free disposal), for ``u2`` up to the topmost."""
    xs, ys = frontier[:, 0], frontier[:, 1]
    if u2 <= ys[-1]:
        return float(xs[-1])
    if u2 >= ys[0]:
        return float(xs[0])
    return float(np.interp(u2, ys[::-1], xs[::-1]))


def _rational_part(
    frontier: NDArray[np.float64], d: NDArray[np.float64], tol: float
) -> NDArray[np.float64]:
    """The part of the frontier polyline with ``u >= d``, by increasing ``u1``.

    Raises if ``d`` is infeasible: no frontier point gives both players at least ``d - tol``.
    A single point when nothing feasible gives both more than ``d`` (``d`` itself when ``d`` is
    within ``tol`` of the frontier).
    """
    if d.shape != (2,) or not np.all(np.isfinite(d)):
        raise BargainingError(f"the disagreement point must be two finite numbers, got {d}")
    low = d - tol
    if low[0] > frontier[-1, 0] or low[1] > _height(frontier, float(low[0])):
        raise BargainingError(
            f"the disagreement point {d.tolist()} is outside the feasible set: no feasible "
            "agreement gives both players at least that much"
        )
    if d[0] <= frontier[0, 0]:
        start = frontier[0]
    else:
        start = np.array([d[0], _height(frontier, float(d[0]))])
    if d[1] <= frontier[-1, 1]:
        end = frontier[-1]
    else:
        end = np.array([_width(frontier, float(d[1])), d[1]])
    if start[0] >= end[0] - tol and start[1] <= end[1] + tol:
        point = d if np.max(np.abs(start - d)) <= tol else start
        return np.array([point], dtype=np.float64)
    inner = frontier[(frontier[:, 0] > start[0]) & (frontier[:, 1] > end[1])]
    inner = inner[
        (np.max(np.abs(inner - start), axis=1) > tol) & (np.max(np.abs(inner - end), axis=1) > tol)
    ]
    return np.vstack([start, inner, end])


def _ray_exit(
    boundary: NDArray[np.float64], d: NDArray[np.float64], direction: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Where the ray ``d + s direction`` (both components >= 0) leaves the feasible set.

    ``boundary`` runs from the line ``u1 = d1`` (or above it) to ``u2 = d2``, with ``u1`` rising
    and ``u2`` falling, so the side of the ray each boundary point is on changes once.
    """
    side = direction[0] * (boundary[:, 1] - d[1]) - direction[1] * (boundary[:, 0] - d[0])
    after = np.flatnonzero(side <= 0)
    if len(after) == 0:
        return np.asarray(boundary[-1], dtype=np.float64)
    k = int(after[0])
    if k == 0:
        return np.asarray(boundary[0], dtype=np.float64)
    t = side[k - 1] / (side[k - 1] - side[k])
    crossing: NDArray[np.float64] = boundary[k - 1] + t * (boundary[k] - boundary[k - 1])
    return crossing


def _nash_point(part: NDArray[np.float64], d: NDArray[np.float64]) -> NDArray[np.float64]:
    """Maximise ``(u1 - d1)(u2 - d2)`` over the individually rational frontier polyline.

    On a segment ``p + t (q - p)`` the product is a concave quadratic in ``t`` (``u1`` rises as
    ``u2`` falls), maximised at its stationary point clipped to ``[0, 1]``.
    """
    best = np.asarray(part[0], dtype=np.float64)
    best_value = float(np.prod(best - d))
    for p, q in pairwise(part):
        a1, a2 = q - p
        b1, b2 = p - d
        curvature = 2 * a1 * a2  # < 0 on an efficient segment
        t = -(a1 * b2 + a2 * b1) / curvature if curvature < 0 else 1.0
        t = min(1.0, max(0.0, t))
        for u in (p + t * (q - p), q):
            value = float(np.prod(u - d))
            if value > best_value:
                best, best_value = u, value
    return best


def _utilitarian_point(
    part: NDArray[np.float64], d: NDArray[np.float64], tol: float
) -> NDArray[np.float64]:
    """Maximise ``u1 + u2`` over the individually rational frontier; ties: most equal gains.

    The maximisers form a vertex or one segment of slope -1 (the frontier is concave). On a
    tied segment the gain difference ``(u1 - d1) - (u2 - d2)`` rises along it; the point where
    it is zero is returned, or the tied end nearest to it.
    """
    totals = part.sum(axis=1)
    tied = np.flatnonzero(totals >= totals.max() - tol)
    piece = part[tied[0] : tied[-1] + 1]
    if len(piece) == 1:
        return np.asarray(piece[0], dtype=np.float64)
    return _ray_exit(piece, d, np.array([1.0, 1.0]))


# ---------------------------------------------------------------------- solutions
@dataclass(frozen=True)
class BargainingResult:
    """Bargaining solutions over one feasible set.

    Attributes
    ----------
    players
        The two players' names.
    disagreement
        The disagreement point ``d``.
    frontier
        Pareto-efficient extreme points of the feasible set (by increasing first payoff).
    nash, kalai_smorodinsky, egalitarian, utilitarian
        The solutions, as payoff pairs; each gives both players at least ``d``.
    ideal
        The ideal point used by Kalai-Smorodinsky.
    source
        Where ``d`` came from (e.g. "given", "equilibrium 1: ...").
    """

    players: tuple[str, str]
    disagreement: tuple[float, float]
    frontier: tuple[tuple[float, float], ...]
    nash: tuple[float, float]
    kalai_smorodinsky: tuple[float, float]
    egalitarian: tuple[float, float]
    utilitarian: tuple[float, float]
    ideal: tuple[float, float]
    source: str = "given"

    def gains(self, solution: str = "nash") -> dict[str, float]:
        """Each player's gain over disagreement at a solution."""
        point = getattr(self, solution)
        return {p: float(point[i] - self.disagreement[i]) + 0.0 for i, p in enumerate(self.players)}

    def to_dict(self) -> dict[str, Any]:
        """Plain data, labelled by player."""

        def labelled(point: tuple[float, float]) -> dict[str, float]:
            return {p: float(v) for p, v in zip(self.players, point, strict=True)}

        return {
            "players": list(self.players),
            "disagreement": labelled(self.disagreement),
            "disagreement_source": self.source,
            "solutions": {
                "nash": labelled(self.nash),
                "kalai_smorodinsky": labelled(self.kalai_smorodinsky),
                "egalitarian": labelled(self.egalitarian),
                "utilitarian": labelled(self.utilitarian),
            },
            "ideal": labelled(self.ideal),
            "pareto_frontier": [labelled(p) for p in self.frontier],
        }

    def __str__(self) -> str:
        p1, p2 = self.players
        lines = [
            f"disagreement ({self.source}): {p1} {format_number(self.disagreement[0])}, "
            f"{p2} {format_number(self.disagreement[1])}"
        ]
        for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
            u = getattr(self, name)
            lines.append(f"{name:18} {p1} {format_number(u[0])}, {p2} {format_number(u[1])}")
        frontier = " -> ".join(
            f"({format_number(a)}, {format_number(b)})" for a, b in self.frontier
        )
        lines.append(f"Pareto frontier: {frontier}")
        return "\n".join(lines)


def bargain(
    source: Game | Sequence[Sequence[float]] | NDArray[np.float64],
    disagreement: Sequence[float] | str = "equilibrium",
    *,
    equilibrium: int = 0,
    method: str = "auto",
) -> BargainingResult:
    """Bargaining solutions for a two-player game (or an explicit set of payoff points).

    Parameters
    ----------
    source
        A two-player :class:`~gametheory.model.game.Game` (feasible set: the convex hull of its pure
        payoff profiles) or an array of payoff points ``(K, 2)``.
    disagreement
        A payoff pair, or ``"equilibrium"``: the payoffs of equilibrium number ``equilibrium``
        (0-based, in :func:`gametheory.solve`'s order, computed with ``method``), or
        ``"minmax"``: each player's security level (what it can guarantee itself).
    equilibrium, method
        Which equilibrium, and how to find them.

    Returns
    -------
    BargainingResult
        All four solutions give each player at least ``d``. When nothing feasible gives both
        players more than ``d`` (e.g. ``d`` on the Pareto frontier), the Nash,
        Kalai-Smorodinsky and utilitarian solutions are the one efficient point with
        ``u >= d`` (``d`` itself if it is efficient).

    Raises
    ------
    BargainingError
        For an empty feasible set, a game without two players, or a disagreement point outside
        the feasible set (by more than ``1e-9`` times the largest absolute payoff).

    Notes
    -----
    Free disposal: the feasible set is everything weakly below the convex hull of the points.
    The Nash solution is unique (Nash 1950); the egalitarian one can be only weakly efficient
    (on a flat top or a vertical side of that set). References: J. Nash, "The bargaining
    problem", Econometrica 18 (1950); E. Kalai and M. Smorodinsky, "Other solutions to Nash's
    bargaining problem", Econometrica 43 (1975); E. Kalai, "Proportional solutions to
    bargaining situations", Econometrica 45 (1977); Osborne and Rubinstein (1990), ch. 2.

    Examples
    --------
    >>> r = bargain([[0, 10], [4, 8], [8, 2], [1, 1]], [3, 3])
    >>> [round(v, 4) for v in r.nash], r.utilitarian
    ([5.1667, 6.25], (4.0, 8.0))
    """
    players: tuple[str, str] = ("P1", "P2")
    label = "given"
    if isinstance(source, Game):
        if source.n_players != 2:
            raise BargainingError(
                f"bargaining needs a two-player game; this one has {source.n_players}"
            )
        players = (source.players[0], source.players[1])
        points = np.asarray(source.payoffs, dtype=np.float64).reshape(2, -1).T
    else:
        points = np.asarray(source, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != 2 or len(points) == 0:
            raise BargainingError("the feasible set must be a non-empty list of (u1, u2) points")
        if not np.all(np.isfinite(points)):
            raise BargainingError("feasible payoff points must be finite numbers")
    if isinstance(disagreement, str):
        if not isinstance(source, Game):
            raise BargainingError(f"disagreement '{disagreement}' needs a game, not points")
        d, label = _disagreement_from_game(source, disagreement, equilibrium, method)
    else:
        d = np.asarray(disagreement, dtype=np.float64).reshape(-1)
    frontier = pareto_frontier(points)
    scale = _scale(points, d) if np.all(np.isfinite(d)) else 1.0
    tol = FEASIBILITY_TOL * scale
    part = _rational_part(frontier, d, tol)
    # Ideal point: each player's best payoff among feasible points with u >= d.
    ideal = np.array([part[-1, 0], part[0, 1]])
    # The upper-right boundary of the feasible points with u >= d: the frontier part, with the
    # flat top and the vertical side that free disposal adds where they give at least d.
    boundary = part
    if part[0, 0] > d[0] + tol:
        boundary = np.vstack([[d[0], part[0, 1]], boundary])
    if part[-1, 1] > d[1] + tol:
        boundary = np.vstack([boundary, [part[-1, 0], d[1]]])
    if len(part) == 1:
        nash = ks = utilitarian = part[0]
    else:
        nash = _nash_point(part, d)
        ks = _ray_exit(part, d, ideal - d)
        utilitarian = _utilitarian_point(part, d, tol)
    egalitarian = _ray_exit(boundary, d, np.array([1.0, 1.0]))

    def pair(u: NDArray[np.float64]) -> tuple[float, float]:
        return (_clean(u[0], scale), _clean(u[1], scale))

    return BargainingResult(
        players=players,
        disagreement=(float(d[0]) + 0.0, float(d[1]) + 0.0),
        frontier=tuple(pair(u) for u in frontier),
        nash=pair(nash),
        kalai_smorodinsky=pair(ks),
        egalitarian=pair(egalitarian),
        utilitarian=pair(utilitarian),
        ideal=pair(ideal),
        source=label,
    )


def _disagreement_from_game(
    game: Game, kind: str, index: int, method: str
) -> tuple[NDArray[np.float64], str]:
    if kind == "equilibrium":
        from ...solvers import solve

        result = solve(game, method)
        if not 0 <= index < len(result.equilibria):
            raise BargainingError(
                f"equilibrium {index} does not exist; the game has {len(result.equilibria)} "
                "listed equilibria (numbered from 0)"
            )
        eq = result.equilibria[index]
        # Labels count from 1, as `solve` prints them; the argument is a 0-based index.
        return np.array(eq.payoffs), f"equilibrium {index + 1} as solve lists it: {eq.describe()}"
    if kind == "minmax":
        from .repeated import minmax_payoffs

        return np.array(minmax_payoffs(game)), "minmax (security levels)"
    raise BargainingError(
        f"disagreement must be a payoff pair, 'equilibrium' or 'minmax'; got '{kind}'"
    )


# ---------------------------------------------------------------------- alternating offers
@dataclass(frozen=True)
class OffersResult:
    """Shares of a pie of size 1 in an alternating-offers game.

    Attributes
    ----------
    shares
        Agreed shares of players 0 and 1 (agreement is immediate in equilibrium).
    first
        Who proposes first (0 or 1).
    rounds
        Number of rounds before the deadline (``None``: no deadline).
    discount
        Per-round discount factors.
    path
        For a finite horizon, the proposer's share in each round if reached (round 1 first).
    """

    shares: tuple[float, float]
    first: int
    rounds: int | None
    discount: tuple[float, float]
    path: tuple[float, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "shares": list(self.shares),
            "first_proposer": self.first,
            "rounds": self.rounds,
            "discount": list(self.discount),
            "proposer_share_by_round": list(self.path),
        }


def _check_discount(delta: float, who: str) -> float:
    if isinstance(delta, bool) or not isinstance(delta, int | float | np.floating):
        raise BargainingError(f"discount factor of {who} must be a number, got {delta!r}")
    if not 0 < float(delta) < 1:
        raise BargainingError(
            f"discount factor of {who} must be strictly between 0 and 1, got {delta}"
        )
    return float(delta)


def rubinstein(delta1: float, delta2: float, first: int = 0) -> OffersResult:
    """Subgame-perfect shares in Rubinstein's infinite-horizon alternating-offers game.

    The first proposer ``i`` gets ``(1 - delta_j) / (1 - delta_i delta_j)`` and the other the
    rest, agreed at once (Rubinstein 1982; Osborne and Rubinstein 1990, Theorem 3.4).

    Examples
    --------
    >>> rubinstein(0.9, 0.9).shares[0]  # 1 / (1 + 0.9) = 10/19
    0.526315789...
    >>> round(rubinstein(0.9, 0.8).shares[0], 12)  # (1 - 0.8) / (1 - 0.72) = 5/7
    0.714285714286
    """
    d = (_check_discount(delta1, "player 1"), _check_discount(delta2, "player 2"))
    if first not in (0, 1):
        raise BargainingError(f"first proposer must be 0 or 1, got {first!r}")
    other = 1 - first
    proposer = (1 - d[other]) / (1 - d[first] * d[other])
    shares = [0.0, 0.0]
    shares[first], shares[other] = proposer, 1 - proposer
    return OffersResult((shares[0], shares[1]), first, None, d)


def alternating_offers(
    rounds: int,
    delta1: float,
    delta2: float,
    first: int = 0,
    disagreement: tuple[float, float] = (0.0, 0.0),
) -> OffersResult:
    """Subgame-perfect shares with a deadline after ``rounds`` rounds, by backward induction.

    Players alternate proposals, ``first`` proposing in round 1. If round ``rounds`` ends
    without agreement, each gets its ``disagreement`` payoff then. In each round the proposer
    offers the responder exactly the discounted value of continuing, which the responder
    accepts; in the last round that value is the discounted disagreement payoff.

    Returns
    -------
    OffersResult
        Shares agreed in round 1 and the proposer's share in every round.
    """
    if isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1:
        raise BargainingError(f"rounds must be a positive whole number, got {rounds!r}")
    d = (_check_discount(delta1, "player 1"), _check_discount(delta2, "player 2"))
    if first not in (0, 1):
        raise BargainingError(f"first proposer must be 0 or 1, got {first!r}")
    if any(not 0 <= v < 1 for v in disagreement) or sum(disagreement) >= 1:
        raise BargainingError(
            "disagreement payoffs must be non-negative shares summing to less than the pie"
        )
    # values[i]: what player i gets if the game reaches the start of the next round.
    values = np.array(disagreement, dtype=float)
    path = []
    for r in range(rounds, 0, -1):
        proposer = first if r % 2 == 1 else 1 - first
        responder = 1 - proposer
        offer = d[responder] * values[responder]
        new = np.zeros(2)
        new[responder] = offer
        new[proposer] = 1 - offer
        path.append(float(new[proposer]) + 0.0)
        values = new
    return OffersResult(
        (float(values[0]) + 0.0, float(values[1]) + 0.0), first, rounds, d, tuple(reversed(path))
    )


def discount_factor(days: float, yearly_rate: float) -> float:
    """Per-period discount factor for periods of ``days`` at a yearly rate (compounded yearly).

    ``(1 + yearly_rate) ** (-days / 365)``; e.g. 30-day rounds at 10 % a year give about 0.9922.
    """
    if not days > 0:
        raise BargainingError(f"period length must be positive days, got {days}")
    if not yearly_rate > 0:
        raise BargainingError(f"yearly rate must be positive, got {yearly_rate}")
    return float((1.0 + yearly_rate) ** (-days / 365.0))


# ---------------------------------------------------------------------- variable threats
def _sign_change(
    f: Callable[[float], float], lo: float, hi: float, f_lo: float, f_hi: float
) -> float:
    """Where the continuous ``f`` changes sign in ``[lo, hi]``, to ``1e-13``.

    Needs ``f(lo) > 0 > f(hi)``. Regula falsi with the Illinois modification (halving the
    value kept at an end that stays twice), and a bisection every third step, so the bracket
    at least halves every three steps even where ``f`` is tangent to zero on one side of the
    root (there a small ``|f|`` says little about the distance to the root, so the bracket's
    width decides when to stop).
    """
    side = 0
    for step in range(200):
        mid = (lo + hi) / 2
        if step % 3 != 2:
            secant = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
            mid = secant if lo < secant < hi else mid
        f_mid = f(mid)
        if f_mid == 0:
            return mid
        if f_mid > 0:
            lo, f_lo = mid, f_mid
            f_hi = f_hi / 2 if side > 0 else f_hi
            side = 1
        else:
            hi, f_hi = mid, f_mid
            f_lo = f_lo / 2 if side < 0 else f_lo
            side = -1
        if hi - lo <= 1e-13:
            break
    return lo if f_lo <= -f_hi else hi


@dataclass(frozen=True)
class ThreatResult:
    """Nash's variable-threat bargaining solution of a two-player game.

    Attributes
    ----------
    players
        The two players' names.
    threats
        Each player's optimal threat (mixed strategy, by action).
    disagreement
        The payoffs if both threats were carried out.
    outcome
        The Nash bargaining solution from that disagreement point.
    slope
        A supporting slope ``s`` of the frontier at the outcome (``s u1 + u2`` is constant on
        the supporting line): on a segment, the segment's (the threats are optimal in the
        zero-sum game ``s A - B``); at a vertex, the slope of the line from the threat point to
        the outcome, which lies between the slopes of the vertex's two segments (or, if the
        threat point is the vertex, a slope there at which ``s A - B`` has the consistent
        value). ``inf`` for a vertical supporting line (written as ``None`` by
        :meth:`to_dict`).
    at_kink
        Whether the outcome is a vertex of the Pareto frontier (a kink, or one of its ends).
    """

    players: tuple[str, str]
    threats: tuple[dict[str, float], dict[str, float]]
    disagreement: tuple[float, float]
    outcome: tuple[float, float]
    slope: float
    at_kink: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data (an infinite slope as ``None``, which JSON can hold)."""
        return {
            "threats": {p: t for p, t in zip(self.players, self.threats, strict=True)},
            "disagreement": dict(zip(self.players, self.disagreement, strict=True)),
            "outcome": dict(zip(self.players, self.outcome, strict=True)),
            "frontier_slope": self.slope if math.isfinite(self.slope) else None,
            "at_kink": self.at_kink,
        }


def variable_threat(game: Game) -> ThreatResult:
    """Nash's (1953) variable-threat game: optimal threats and the bargain they lead to.

    Parameters
    ----------
    game
        A two-player game with payoff matrices ``A`` (player 1) and ``B`` (player 2). The
        feasible set is the convex hull of its payoff profiles.

    Returns
    -------
    ThreatResult
        One pair of optimal threats (they need not be unique; the outcome is), the payoffs if
        they were carried out, and the Nash bargaining solution from there.

    Raises
    ------
    BargainingError
        If the game does not have two players.

    Notes
    -----
    Weigh the payoffs by ``w = (l, 1 - l)``, ``0 <= l <= 1``, a normal of the Pareto frontier
    at a point ``p``, and let ``g(d) = l d1 - (1 - l) d2``. The Nash solution from ``d`` is
    ``p`` when ``g(d) = g(p)``, and it moves along the frontier in player 1's favour as ``g(d)``
    grows. So ``p`` is the outcome of the threat game exactly when, for some normal at ``p``,
    the zero-sum game ``l A - (1 - l) B`` (player 1 maximising) has value ``V(l) = g(p)``
    (Nash 1953; Owen 1995, section VII.3). That outcome is unique, and the residual
    ``E_p(l) = V(l) - g(p)`` changes sign once along the frontier: ``E >= 0`` at the top end
    with ``l = 0``, ``E <= 0`` at the right end with ``l = 1``.

    The algorithm solves the zero-sum game of every frontier segment (its normal) and walks the
    frontier from the top. A segment is the answer when its own game puts the bargain strictly
    inside it (``E > 0`` at its upper end, ``< 0`` at its lower end); its optimal strategies
    are the threats. A vertex is the answer when the residuals of the segments on either side
    straddle zero: then player 1's optimal strategy in the game of the segment before it
    guarantees a bargain at or right of the vertex, and player 2's optimal strategy in the game
    of the segment after it a bargain at or left of it, so together they are optimal threats
    (at the ends of the frontier the missing neighbour is ``-B``, or ``A``: holding the other
    player down). ``slope`` is then the slope of the line from the threat point to the vertex,
    the supporting line along which the vertex is the Nash solution from there. Residuals
    within ``1e-9`` times the largest absolute payoff count as zero.

    References: J. Nash, "Two-person cooperative games", Econometrica 21 (1953); G. Owen, *Game
    Theory*, 3rd ed., 1995, section VII.3.

    Examples
    --------
    >>> r = variable_threat(Game.from_arrays([[0, 6], [2, 8], [9, 8]], [[6, 1], [5, 3], [2, 5]]))
    >>> [round(13 * v, 9) for v in r.outcome], r.slope, r.at_kink  # (105/13, 62/13)
    ([105.0, 62.0], 3.0, False)
    """
    from ...solvers.minimax import maximin

    if game.n_players != 2:
        raise BargainingError(f"the threat game needs two players; this one has {game.n_players}")
    A, B = game.bimatrix()
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    points = np.c_[A.ravel(), B.ravel()]
    frontier = pareto_frontier(points)
    scale = _scale(points)
    tol = FEASIBILITY_TOL * scale

    def zero_sum(lam: float) -> NDArray[np.float64]:
        weighted: NDArray[np.float64] = lam * A - (1.0 - lam) * B
        return weighted

    def residual(lam: float, p: NDArray[np.float64]) -> float:
        return maximin(zero_sum(lam))[1] - float(lam * p[0] - (1.0 - lam) * p[1])

    # One normal per segment, (l_k, 1 - l_k), and the segment's threat game.
    normals = [(float(p[1] - q[1]), float(q[0] - p[0])) for p, q in pairwise(frontier)]
    lams = [w1 / (w1 + w2) for w1, w2 in normals]
    games = [zero_sum(lam) for lam in lams]
    solved = [maximin(g) for g in games]
    # upper[k], lower[k]: segment k's residual at its upper-left and lower-right ends.
    upper, lower = [], []
    for k, lam in enumerate(lams):
        v = solved[k][1]
        p, q = frontier[k], frontier[k + 1]
        upper.append(v - float(lam * p[0] - (1.0 - lam) * p[1]))
        lower.append(v - float(lam * q[0] - (1.0 - lam) * q[1]))

    def result(
        x: NDArray[np.float64],
        y: NDArray[np.float64],
        outcome: NDArray[np.float64],
        slope: float,
        kink: bool,
    ) -> ThreatResult:
        d = np.array([x @ A @ y, x @ B @ y])

        def strategy(actions: tuple[str, ...], probs: NDArray[np.float64]) -> dict[str, float]:
            probs = np.where(probs > _ZERO_TOL, probs, 0.0)
            probs = probs / probs.sum()
            return {a: float(v) + 0.0 for a, v in zip(actions, probs, strict=True)}

        return ThreatResult(
            players=(game.players[0], game.players[1]),
            threats=(strategy(game.actions[0], x), strategy(game.actions[1], y)),
            disagreement=(_clean(d[0], scale), _clean(d[1], scale)),
            outcome=(_clean(outcome[0], scale), _clean(outcome[1], scale)),
            slope=_clean(slope),
            at_kink=kink,
        )

    def at_vertex(k: int) -> ThreatResult:
        """Vertex k is the outcome: threats from the games of the segments on either side."""
        p = frontier[k]
        x = solved[k - 1][0] if k > 0 else maximin(-B)[0]
        y = maximin(-games[k].T)[0] if k < len(lams) else maximin(-A.T)[0]
        gap = p - np.array([x @ A @ y, x @ B @ y])
        if gap[0] > tol:  # the line from the threat point to the vertex
            return result(x, y, p, float(gap[1] / gap[0]), True)
        if gap[1] > tol:
            return result(x, y, p, math.inf, True)
        # The threat point is the vertex: a normal there at which the value is consistent.
        lo = lams[k - 1] if k > 0 else 0.0
        hi = lams[k] if k < len(lams) else 1.0
        e_lo = lower[k - 1] if k > 0 else residual(0.0, p)
        e_hi = upper[k] if k < len(lams) else residual(1.0, p)
        if e_lo <= tol:
            lam = lo
        elif e_hi >= -tol:
            lam = hi
        else:
            lam = _sign_change(lambda v: residual(v, p), lo, hi, e_lo, e_hi)
        return result(x, y, p, lam / (1.0 - lam) if lam < 1 else math.inf, True)

    # Walk from the top of the frontier: vertex 0, segment 0, vertex 1, ..., vertex m. On
    # reaching vertex k, segment k - 1's residual there is >= 0 (at k = 0, E(0) >= 0).
    for k in range(len(lams)):
        if upper[k] <= tol:
            return at_vertex(k)
        if lower[k] < -tol:
            p, q = frontier[k], frontier[k + 1]
            t = upper[k] / (upper[k] - lower[k])
            y = maximin(-games[k].T)[0]
            w1, w2 = normals[k]
            return result(solved[k][0], y, p + t * (q - p), w1 / w2, False)
    return at_vertex(len(frontier) - 1)
