"""Bargaining: axiomatic solutions over a feasible set, and alternating offers with deadlines.

Axiomatic solutions (two players)
---------------------------------
The feasible set of a two-player game is the convex hull of its pure payoff profiles (any
lottery over outcomes can be agreed). Given a disagreement point ``d`` (given, or the payoffs of
one of the game's equilibria), :func:`bargain` computes

- the **Nash** bargaining solution, maximising ``(u1 - d1)(u2 - d2)`` over feasible points with
  ``u >= d`` (Nash 1950; Osborne and Rubinstein, *Bargaining and Markets*, 1990, ch. 2);
- the **Kalai-Smorodinsky** solution, the furthest feasible point on the segment from ``d`` to
  the ideal point (each player's best feasible payoff given ``u >= d``) (Kalai and Smorodinsky
  1975);
- the **egalitarian** solution, the furthest feasible point ``d + s (1, 1)`` (Kalai 1977);

(payoffs may be thrown away, so "feasible" means weakly below a point of the hull; the Nash and
Kalai-Smorodinsky solutions then lie on the Pareto frontier);
- the **utilitarian** solution, a feasible point maximising ``u1 + u2`` (one is returned where
  there are several);

and the **Pareto frontier** of the feasible set.

Alternating offers
------------------
:func:`rubinstein` gives the unique subgame-perfect division of a pie of size 1 in Rubinstein's
(1982) infinite-horizon game: the first proposer gets ``(1 - d2) / (1 - d1 d2)`` (Osborne and
Rubinstein 1990, Theorem 3.4). :func:`alternating_offers` solves the finite-horizon game with a
deadline by backward induction (the last proposer takes everything, since the alternative is
disagreement), so the effect of extending a deadline can be read off. :func:`discount_factor`
turns a period length in days and a yearly rate into a per-period factor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ...errors import BargainingError
from ...model.game import Game

__all__ = [
    "BargainingError",
    "BargainingResult",
    "OffersResult",
    "alternating_offers",
    "bargain",
    "discount_factor",
    "feasible_vertices",
    "pareto_frontier",
    "rubinstein",
    "variable_threat",
]


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


def pareto_frontier(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Pareto-efficient extreme points of the convex hull, by increasing ``u1``.

    Consecutive points are joined by efficient segments: the frontier is their polyline.
    """
    vertices = feasible_vertices(points)
    if len(vertices) >= 3:
        # The efficient boundary is the counterclockwise chain from the rightmost vertex (the
        # highest, among ties) to the topmost (the rightmost, among ties); vertices inside it
        # are dominated by points of the hull even when no vertex dominates them.
        right = int(np.lexsort((vertices[:, 1], vertices[:, 0]))[-1])
        top = int(np.lexsort((vertices[:, 0], vertices[:, 1]))[-1])
        chain = [vertices[right]]
        k = right
        while k != top:
            k = (k + 1) % len(vertices)
            chain.append(vertices[k])
        vertices = np.array(chain)
    efficient = [
        v
        for v in vertices
        if not np.any(np.all(vertices >= v, axis=1) & np.any(vertices > v, axis=1))
    ]
    frontier = np.array(efficient)
    return frontier[np.argsort(frontier[:, 0])]


def _check_disagreement(vertices: NDArray[np.float64], d: NDArray[np.float64]) -> None:
    if d.shape != (2,) or not np.all(np.isfinite(d)):
        raise BargainingError(f"the disagreement point must be two finite numbers, got {d}")
    _best_for(vertices, d, 0)  # raises if no feasible point gives both at least d


def _furthest_along(
    vertices: NDArray[np.float64], d: NDArray[np.float64], direction: NDArray[np.float64]
) -> float | None:
    """Largest ``s >= 0`` with ``d + s * direction`` weakly below a point of the hull.

    Payoffs can be thrown away (free disposal), so the bargaining set is everything weakly
    below the convex hull; returns None if even ``d`` is not in it.
    """
    from scipy.optimize import linprog

    k = len(vertices)
    # Variables: lambda_1..lambda_k, s. Maximise s subject to d + s dir <= sum lambda v.
    c = np.zeros(k + 1)
    c[-1] = -1.0
    A_ub = np.zeros((2, k + 1))
    A_ub[:, :k] = -vertices.T
    A_ub[:, k] = direction
    b_ub = -d
    A_eq = np.zeros((1, k + 1))
    A_eq[0, :k] = 1.0
    res = linprog(
        c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=[(0, None)] * (k + 1), method="highs"
    )
    if res.status != 0:
        return None
    return float(res.x[-1])


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
        The solutions, as payoff pairs.
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
        return {p: float(point[i] - self.disagreement[i]) for i, p in enumerate(self.players)}

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
            f"disagreement ({self.source}): {p1} {self.disagreement[0]:.4g}, "
            f"{p2} {self.disagreement[1]:.4g}"
        ]
        for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian"):
            u = getattr(self, name)
            lines.append(f"{name:18} {p1} {u[0]:.4g}, {p2} {u[1]:.4g}")
        frontier = " -> ".join(f"({a:.4g}, {b:.4g})" for a, b in self.frontier)
        lines.append(f"Pareto frontier: {frontier}")
        return "\n".join(lines)


def _nash_point(frontier: NDArray[np.float64], d: NDArray[np.float64]) -> NDArray[np.float64]:
    """Maximise (u1 - d1)(u2 - d2) over the frontier polyline restricted to u >= d."""
    best: NDArray[np.float64] | None = None
    best_value = -np.inf
    segments = [(frontier[k], frontier[k + 1]) for k in range(len(frontier) - 1)]
    segments = segments or [(frontier[0], frontier[0])]
    for p, q in segments:
        direction = q - p
        candidates = [0.0, 1.0]
        # f(t) = (p1 + t a1 - d1)(p2 + t a2 - d2); stationary point where f'(t) = 0.
        a1, a2 = direction
        b1, b2 = p - d
        if a1 * a2 != 0:
            candidates.append(-(a1 * b2 + a2 * b1) / (2 * a1 * a2))
        for t in candidates:
            if not 0 <= t <= 1:
                continue
            u = p + t * direction
            if np.all(u >= d - 1e-12):
                value = float(np.prod(u - d))
                if value > best_value + 1e-15:
                    best, best_value = u, value
    if best is None:
        raise BargainingError(
            "no efficient agreement gives both players their disagreement payoffs"
        )
    return best


def _ray_point(
    vertices: NDArray[np.float64], d: NDArray[np.float64], direction: NDArray[np.float64]
) -> NDArray[np.float64]:
    s = _furthest_along(vertices, d, direction)
    if s is None:
        raise BargainingError(f"the disagreement point {d.tolist()} is outside the feasible set")
    return d + s * direction


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

    Raises
    ------
    BargainingError
        For an empty feasible set, a game without two players, or a disagreement point outside
        the feasible set.
    """
    players: tuple[str, str] = ("P1", "P2")
    label = "given"
    if isinstance(source, Game):
        if source.n_players != 2:
            raise BargainingError(
                f"bargaining needs a two-player game; this one has {source.n_players}"
            )
        players = (source.players[0], source.players[1])
        points = source.payoffs.reshape(2, -1).T
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
    vertices = feasible_vertices(points)
    _check_disagreement(vertices, d)
    frontier = pareto_frontier(points)
    # Ideal point: each player's best payoff among feasible points with u >= d.
    ideal = np.array(
        [
            _best_for(vertices, d, 0),
            _best_for(vertices, d, 1),
        ]
    )
    nash = _nash_point(frontier, d)
    span = ideal - d
    ks = d if np.all(span <= 0) else _ray_point(vertices, d, np.where(span > 0, span, 0.0))
    egalitarian = _ray_point(vertices, d, np.array([1.0, 1.0]))
    utilitarian = vertices[np.argmax(vertices.sum(axis=1))]

    def pair(u: NDArray[np.float64]) -> tuple[float, float]:
        return (float(u[0]), float(u[1]))

    return BargainingResult(
        players=players,
        disagreement=pair(d),
        frontier=tuple(pair(u) for u in frontier),
        nash=pair(nash),
        kalai_smorodinsky=pair(ks),
        egalitarian=pair(egalitarian),
        utilitarian=pair(utilitarian),
        ideal=pair(ideal),
        source=label,
    )


def _best_for(vertices: NDArray[np.float64], d: NDArray[np.float64], player: int) -> float:
    """Player's largest payoff over hull points with u >= d (an LP over hull weights)."""
    from scipy.optimize import linprog

    k = len(vertices)
    c = -vertices[:, player]
    A_ub = -vertices.T
    b_ub = -d
    res = linprog(
        c,
        A_ub=A_ub,
        b_ub=b_ub,
        A_eq=np.ones((1, k)),
        b_eq=[1.0],
        bounds=[(0, None)] * k,
        method="highs",
    )
    if res.status != 0:
        raise BargainingError(
            f"the disagreement point {d.tolist()} is outside the feasible set: no feasible "
            "agreement gives both players at least that much"
        )
    return float(-res.fun)


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
        return np.array(eq.payoffs), f"equilibrium {index}: {eq.describe()}"
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
        path.append(float(new[proposer]))
        values = new
    return OffersResult(
        (float(values[0]), float(values[1])), first, rounds, d, tuple(reversed(path))
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
@dataclass(frozen=True)
class ThreatResult:
    """Nash's variable-threat bargaining solution of a two-player game.

    Attributes
    ----------
    threats
        Each player's optimal threat (mixed strategy, by action).
    disagreement
        The payoffs if both threats were carried out.
    outcome
        The Nash bargaining solution from that disagreement point.
    slope
        Slope ``s`` of the frontier where the outcome lies (``s u1 + u2`` is constant there).
    at_kink
        Whether the outcome is a kink of the frontier (see :func:`variable_threat`).
    """

    players: tuple[str, str]
    threats: tuple[dict[str, float], dict[str, float]]
    disagreement: tuple[float, float]
    outcome: tuple[float, float]
    slope: float
    at_kink: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "threats": {p: t for p, t in zip(self.players, self.threats, strict=True)},
            "disagreement": dict(zip(self.players, self.disagreement, strict=True)),
            "outcome": dict(zip(self.players, self.outcome, strict=True)),
            "frontier_slope": self.slope,
            "at_kink": self.at_kink,
        }


def variable_threat(game: Game) -> ThreatResult:
    """Nash's (1953) variable-threat game: optimal threats and the bargain they lead to.

    On a segment of the Pareto frontier where ``s u1 + u2`` is constant, the Nash bargaining
    solution from a disagreement point ``d`` gives player 1 more the larger ``s d1 - d2`` is, so
    the players choose threats as in the zero-sum game with matrix ``s A - B`` (player 1
    maximises). For each frontier segment this zero-sum game is solved by linear programming and
    the segment is kept if the resulting bargain lies on it; this is exact whenever the outcome
    lies on a segment (in particular for transferable utility, a straight frontier). When it
    lies on a kink, the kink is the outcome and the threats reported are those of the zero-sum
    game at the mean of the adjacent slopes (``at_kink`` is then True).

    References: J. Nash, "Two-person cooperative games", Econometrica 21 (1953); G. Owen, *Game
    Theory*, 3rd ed., 1995, section VII.3.
    """
    from ...solvers.minimax import maximin

    if game.n_players != 2:
        raise BargainingError(f"the threat game needs two players; this one has {game.n_players}")
    A, B = game.bimatrix()
    points = game.payoffs.reshape(2, -1).T
    frontier = pareto_frontier(points)
    segments = [(frontier[k], frontier[k + 1]) for k in range(len(frontier) - 1)]

    def threats_for(slope: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        zero_sum = slope * A - B
        x, _ = maximin(zero_sum)
        y, _ = maximin(-zero_sum.T)
        return x, y

    def result(
        x: NDArray[np.float64],
        y: NDArray[np.float64],
        slope: float,
        kink: bool,
        outcome: NDArray[np.float64] | None = None,
    ) -> ThreatResult:
        d = np.array([x @ A @ y, x @ B @ y])
        if outcome is None:
            outcome = np.asarray(bargain(points, [float(d[0]), float(d[1])]).nash, dtype=float)
        return ThreatResult(
            players=(game.players[0], game.players[1]),
            threats=(
                dict(zip(game.actions[0], map(float, x), strict=True)),
                dict(zip(game.actions[1], map(float, y), strict=True)),
            ),
            disagreement=(float(d[0]), float(d[1])),
            outcome=(float(outcome[0]), float(outcome[1])),
            slope=slope,
            at_kink=kink,
        )

    if not segments:  # a single efficient point: it is the outcome whatever the threats
        x, y = threats_for(1.0)
        return result(x, y, 1.0, True, frontier[0])
    slopes = []
    for p, q in segments:
        slope = float((p[1] - q[1]) / (q[0] - p[0]))  # s u1 + u2 constant along p -> q
        slopes.append(slope)
        x, y = threats_for(slope)
        candidate = result(x, y, slope, False)
        u = np.array(candidate.outcome)
        lo, hi = min(p[0], q[0]) - 1e-9, max(p[0], q[0]) + 1e-9
        if lo <= u[0] <= hi and abs(slope * u[0] + u[1] - (slope * p[0] + p[1])) <= 1e-7:
            return candidate
    # No segment is consistent: the outcome is a kink. Pick the kink the bargains point to.
    for k in range(1, len(frontier) - 1):
        slope = (slopes[k - 1] + slopes[k]) / 2
        x, y = threats_for(slope)
        candidate = result(x, y, slope, True)
        if np.allclose(candidate.outcome, frontier[k], atol=1e-7):
            return candidate
    x, y = threats_for(slopes[0])  # pragma: no cover - a fallback that should not be reached
    return result(x, y, slopes[0], True)
