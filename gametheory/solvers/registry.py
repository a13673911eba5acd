"""One registry of solver functions and the :func:`solve` dispatcher.

A solver is a free function ``f(game, *, tol, **options) -> Candidates``. It is registered with
:func:`register` under a name, with the game sizes it accepts. :func:`solve` looks it up, calls it,
and then, independently of the solver, re-checks every candidate with the regret check of
:class:`~gametheory.model.game.Profile`, merges duplicates and sorts the equilibria, so that every
solver's answers pass the same test and come back as the same :class:`SolveResult` type.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SolverError
from ..model.game import DEFAULT_TOL, Game, Profile
from ._nplayer_auto import auto_fits
from .exact import exact_equilibrium, integer_payoffs
from .result import Candidates, SolveResult

__all__ = ["SolverInfo", "methods", "register", "solve"]

SolverFunction = Callable[..., Candidates]

#: Profiles closer than this (max abs probability difference) are merged as duplicates.
DUPLICATE_DISTANCE = 1e-6
#: Up to this many accepted equilibria, each candidate is compared with every one of them for
#: near-duplicates; beyond it, only profiles equal to six decimals are merged (linear time).
FUZZY_DEDUPLICATION = 200
#: Most equilibria checked and listed in one result; more found makes the result incomplete.
MAX_LISTED = 1_000


@dataclass(frozen=True)
class SolverInfo:
    """A registered solver: its function, what it accepts and how much work it may take.

    ``work`` estimates the solver's elementary steps for a game (see :mod:`.cost`); ``solve``
    refuses a game whose estimate exceeds ``max_work`` before calling the solver.
    """

    name: str
    function: SolverFunction
    summary: str
    two_player_only: bool
    finds: str  # "all", "one", "pure" or "some"
    work: Callable[[Game], int] | None = None
    max_work: int = 0
    work_unit: str = ""

    def options(self) -> tuple[str, ...]:
        """The keyword options the solver accepts (besides ``tol``)."""
        parameters = inspect.signature(self.function).parameters.values()
        return tuple(p.name for p in parameters if p.kind is p.KEYWORD_ONLY and p.name != "tol")

    def fits(self, game: Game, max_work: int | None = None) -> bool:
        """Whether the game is within the solver's work limit (and player count)."""
        if self.two_player_only and game.n_players != 2:
            return False
        limit = self.max_work if max_work is None else max_work
        return self.work is None or self.work(game) <= limit


_REGISTRY: dict[str, SolverInfo] = {}


def register(
    name: str,
    *,
    summary: str,
    two_player_only: bool,
    finds: str,
    work: Callable[[Game], int] | None = None,
    max_work: int = 0,
    work_unit: str = "",
) -> Callable[[SolverFunction], SolverFunction]:
    """Register a solver function under ``name`` (decorator).

    ``work``, ``max_work`` and ``work_unit`` state the solver's cost model and limit (see
    :mod:`.cost`); every solver that can be slow on large games declares them.
    """

    def decorate(function: SolverFunction) -> SolverFunction:
        if name in _REGISTRY:
            raise RuntimeError(f"solver '{name}' registered twice")
        _REGISTRY[name] = SolverInfo(
            name, function, summary, two_player_only, finds, work, max_work, work_unit
        )
        return function

    return decorate


def methods() -> dict[str, SolverInfo]:
    """All registered solvers by name (``auto`` is not a solver but a choice among them)."""
    return dict(_REGISTRY)


#: How the warning for a game of constant payoffs begins (a nested solve's is reworded).
CONSTANT_GAME_WARNING = "every player's payoffs are constant"

#: Methods suggested, in this order, when a game is too large for the one asked for.
FALLBACKS = ("vertex_enumeration", "support_enumeration", "iesds", "lemke_howson", "pure")

#: Vertex enumeration is chosen by ``auto`` when its work estimate is at most this: bases per
#: polytope for small games, else the upper bound on the vertices it visits after reducing the
#: game (16x16 random games: under 10 s).
AUTO_MAX_BASES = 2_000_000


def choose_method(game: Game) -> tuple[str, str]:
    """The method ``auto`` picks for a game, and why.

    The first that fits its work limit of: vertex enumeration (two players, up to
    :data:`AUTO_MAX_BASES` bases), iterated dominance (then the best method for what remains),
    Lemke-Howson (two players, one equilibrium), and pure equilibria, which always fits, so
    ``auto`` finishes on every game it accepts.
    """
    shape = "x".join(str(n) for n in game.shape)
    if game.n_players == 2:
        m, n = game.shape
        info = _REGISTRY.get("vertex_enumeration")
        if info is not None and info.work is not None and info.fits(game, AUTO_MAX_BASES):
            count = info.work(game)
            unit = "bases per polytope" if count == math.comb(m + n, m) else info.work_unit
            return "vertex_enumeration", (
                f"two-player {shape} game: vertex enumeration finds every extreme equilibrium "
                f"({count:,} {unit})"
            )
    if game.n_players != 2 and _fits("polynomial_enumeration", game) and auto_fits(game):
        return "polynomial_enumeration", (
            f"{game.n_players}-player {shape} game: support enumeration with certified "
            "root isolation finds every equilibrium"
        )
    if _fits("iesds", game):
        if game.n_players != 2:
            return "iesds", (
                f"{game.n_players}-player game: iterated elimination of strictly dominated "
                "strategies, then pure equilibria of what remains"
            )
        return "iesds", (
            f"two-player {shape} game is too large for enumeration: strictly dominated "
            "strategies are removed first, then vertex enumeration if what remains is small "
            "enough, else Lemke-Howson for one equilibrium"
        )
    if _fits("lemke_howson", game):
        return "lemke_howson", (
            f"two-player {shape} game is too large for enumeration and for iterated dominance: "
            "Lemke-Howson finds one equilibrium"
        )
    return "pure", (
        f"{shape} game is too large for every method that seeks mixed equilibria: only pure "
        "equilibria are sought"
    )


def _fits(method: str, game: Game) -> bool:
    info = _REGISTRY.get(method)
    return info is not None and info.fits(game)


def two_player_method(game: Game) -> str:
    """For a two-player game: vertex enumeration if small, else Lemke-Howson, else pure."""
    info = _REGISTRY.get("vertex_enumeration")
    if info is not None and info.fits(game, AUTO_MAX_BASES):
        return "vertex_enumeration"
    return "lemke_howson" if _fits("lemke_howson", game) else "pure"


def _too_much_work(info: SolverInfo, game: Game, max_work: int | None) -> SolverError | None:
    """The error for a game beyond the solver's work limit, naming methods that can cope."""
    if info.work is None:
        return None
    work = info.work(game)
    limit = info.max_work if max_work is None else max_work
    if work <= limit:
        return None
    shape = "x".join(str(n) for n in game.shape)
    instead = [
        name
        for name in FALLBACKS
        if name != info.name and name in _REGISTRY and _REGISTRY[name].fits(game)
    ]
    hint = (
        f"methods that can cope: {', '.join(instead)}"
        if instead
        else "no method can solve a game this size"
    )
    return SolverError(
        f"method '{info.name}' would need about {work:,} {info.work_unit} for this {shape} "
        f"game (limit {limit:,}); {hint}, or pass max_work={work} to wait"
    )


def _check_options(info: SolverInfo, options: dict[str, Any]) -> None:
    accepted = info.options()
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        listing = ", ".join(accepted) if accepted else "none"
        raise SolverError(
            f"method '{info.name}' has no option '{unknown[0]}'; its options: {listing}"
        )


def solve(
    game: Game,
    method: str = "auto",
    *,
    tol: float = DEFAULT_TOL,
    max_work: int | None = None,
    **options: Any,
) -> SolveResult:
    """Compute equilibria of a game.

    Parameters
    ----------
    game
        The game to solve.
    method
        A registered solver name (see :func:`methods`) or ``"auto"``, which picks vertex
        enumeration for two-player games of moderate size, Lemke-Howson for larger ones, and
        iterated dominance plus pure equilibria for games of more players; the choice and the
        reason are recorded in ``details["auto"]``.
    tol
        Relative regret tolerance (see :mod:`gametheory.model.game`).
    max_work
        Raise the method's work limit (see :mod:`gametheory.solvers.cost`); by default a game
        the method could not finish in well under a minute is refused before any work.
    **options
        Passed to the solver; an option it does not take is an error.

    Returns
    -------
    SolveResult
        Verified equilibria. Candidates that fail the regret check are dropped with a warning,
        and the result is then never marked complete. Where payoffs are decimals with at most six
        places (integers included), each equilibrium is also verified in exact arithmetic and
        replaced by its exact rational value; ``details["exactly_verified"]`` counts them.

    Examples
    --------
    >>> import gametheory as gt
    >>> pennies = gt.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> res = gt.solve(pennies)
    >>> res.method, len(res), res.complete
    ('vertex_enumeration', 1, True)
    >>> res[0].strategy("P1")
    {'a1': 0.5, 'a2': 0.5}
    """
    if not isinstance(game, Game):
        raise SolverError(
            f"solve() needs a Game, got {type(game).__name__}; "
            "compile a scenario first with scenario.game()"
        )
    if not (isinstance(tol, int | float) and 0 < tol < 1):
        raise SolverError(f"tol must be a number between 0 and 1, got {tol!r}")
    details: dict[str, Any] = {}
    if method == "auto":
        method, reason = choose_method(game)
        details["auto"] = reason
    info = _REGISTRY.get(method)
    if info is None:
        names = ", ".join(["auto", *sorted(_REGISTRY)])
        raise SolverError(f"unknown method '{method}'; available methods: {names}")
    if info.two_player_only and game.n_players != 2:
        raise SolverError(
            f"method '{method}' needs a two-player game; this game has {game.n_players} players"
        )
    _check_options(info, options)
    too_much = _too_much_work(info, game, max_work)
    if too_much is not None:
        raise too_much
    scale_problem = _payoff_range_problem(game)
    if scale_problem is not None:
        raise SolverError(scale_problem)
    candidates = info.function(game, tol=tol, **options)
    return _verified(game, method, options, tol, candidates, details)


#: Payoffs larger than this in magnitude overflow the products and sums inside the solvers.
MAX_MAGNITUDE = 1e100
#: A player whose payoffs differ by less than this fraction of their size has differences that
#: float64 (53-bit significand) cannot resolve reliably.
MIN_RELATIVE_SPREAD = 1e-12


def _payoff_range_problem(game: Game) -> str | None:
    magnitude = float(np.abs(game.payoffs).max())
    if magnitude > MAX_MAGNITUDE:
        return (
            f"payoffs as large as {magnitude:.3g} overflow floating-point arithmetic; rescale "
            "them (multiplying a player's payoffs by a positive number, or adding a constant, "
            "changes no equilibrium)"
        )
    return None


def _precision_warnings(game: Game) -> list[str]:
    """Warnings for players whose payoff differences are lost at their magnitude."""
    warnings = []
    for p, player in enumerate(game.players):
        own = game.payoffs[p]
        size = float(np.abs(own).max())
        spread = float(own.max() - own.min())
        if size > 0 and 0 < spread < MIN_RELATIVE_SPREAD * size:
            warnings.append(
                f"{player}'s payoffs differ by {spread:.3g} at a size of {size:.3g}: float64 "
                "cannot resolve such differences, so ties and equilibria may be artefacts; "
                "subtract a constant from that player's payoffs (no equilibrium changes)"
            )
        elif size >= 2.0**53 and np.all(own == np.round(own)):
            warnings.append(
                f"{player}'s payoffs reach {size:.3g}, beyond 2^53, where float64 no longer "
                "holds every integer exactly: payoffs that differ by a little may have become "
                "equal; subtract a constant or rescale"
            )
    return warnings


def _verified(
    game: Game,
    method: str,
    options: dict[str, Any],
    tol: float,
    candidates: Candidates,
    details: dict[str, Any],
) -> SolveResult:
    warnings = list(candidates.warnings) + _precision_warnings(game)
    complete = candidates.complete
    if all(float(np.ptp(game.payoffs[p])) == 0 for p in range(game.n_players)):
        details["every_profile_is_equilibrium"] = True
        warnings.append(
            f"{CONSTANT_GAME_WARNING}, so every profile (pure or mixed) is an "
            "equilibrium; the list shows only what the method found"
        )
    accepted: list[Profile] = []
    rejected = 0
    exact_payoffs = integer_payoffs(game.payoffs)
    exact = 0
    profiles = list(candidates.profiles)
    if len(profiles) > MAX_LISTED:
        complete = False
        warnings.append(
            f"{method} found {len(profiles):,} candidate equilibria; the first {MAX_LISTED:,} "
            "are checked and listed"
        )
        profiles = profiles[:MAX_LISTED]
    seen: set[tuple[float, ...]] = set()
    accepted_flat: list[np.ndarray] = []  # for near-duplicate checks in one array operation
    for strategies in profiles:
        try:
            profile = Profile(game, tuple(strategies))
        except ValueError:
            rejected += 1
            continue
        if not profile.is_equilibrium(tol):
            rejected += 1
            continue
        if exact_payoffs is not None:
            polished = exact_equilibrium(exact_payoffs, profile.strategies)
            if polished is not None:
                profile = Profile(game, polished)
                exact += 1
        flat = np.concatenate(profile.strategies)
        key = tuple(np.round(flat, 6).tolist())
        if key in seen or (
            0 < len(accepted) <= FUZZY_DEDUPLICATION
            and float(np.abs(np.stack(accepted_flat) - flat).max(axis=1).min())
            <= DUPLICATE_DISTANCE
        ):
            continue
        seen.add(key)
        accepted.append(profile)
        accepted_flat.append(flat)
    if rejected:
        complete = False
        warnings.append(
            f"{rejected} candidate profile(s) from {method} failed the independent regret check "
            f"(tolerance {tol:g} x each player's payoff range) and were dropped"
        )
    accepted.sort(key=_sort_key)
    info = _REGISTRY.get(method)
    if game.n_players == 2 and info is not None and info.finds == "all":
        details["components"] = components(accepted)
        details["cliques"] = cliques(accepted)
    return SolveResult(
        game=game,
        equilibria=tuple(accepted),
        method=method,
        options=options,
        tolerance=tol,
        complete=complete,
        warnings=tuple(dict.fromkeys(warnings)),  # a nested solve may repeat a warning
        degenerate=candidates.degenerate,
        details={**details, **candidates.details, "exactly_verified": exact},
    )


def components(equilibria: list[Profile]) -> list[list[int]]:
    """Group extreme equilibria of a two-player game into connected sets.

    Two extreme equilibria that share one player's strategy are joined by a segment of
    equilibria (the conditions on the other player's strategy are linear), so the connected sets
    are the classes of the "shares a strategy" relation (Avis et al. 2010, section 5 on cliques).

    Returns
    -------
    list of list of int
        Indices into ``equilibria``, each group sorted, groups in order of their first member.
    """
    parent = list(range(len(equilibria)))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    stacked = [np.array([eq.strategies[p] for eq in equilibria]) for p in range(2)]
    for a in range(1, len(equilibria)):
        # Earlier equilibria sharing a strategy with this one, in one array operation each.
        shares = np.zeros(a, dtype=bool)
        for strategies in stacked:
            shares |= np.abs(strategies[:a] - strategies[a]).max(axis=1) <= DUPLICATE_DISTANCE
        for b in np.nonzero(shares)[0].tolist():
            parent[root(a)] = root(b)
    groups: dict[int, list[int]] = {}
    for a in range(len(equilibria)):
        groups.setdefault(root(a), []).append(a)
    return list(groups.values())


def _strategy_ids(equilibria: list[Profile], player: int) -> list[int]:
    """Number the distinct strategies of one player across equilibria (0, 1, ...)."""
    seen: list[Any] = []
    ids = []
    for eq in equilibria:
        s = eq.strategies[player]
        near: Any = (
            np.nonzero(np.abs(np.array(seen) - s).max(axis=1) <= DUPLICATE_DISTANCE)[0]
            if seen
            else []
        )
        if len(near):
            ids.append(int(near[0]))
        else:
            seen.append(s)
            ids.append(len(seen) - 1)
    return ids


def cliques(equilibria: list[Profile]) -> list[list[int]]:
    """Maximal sets of interchangeable extreme equilibria of a two-player game.

    A clique is a set X of the row player's and Y of the column player's extreme strategies such
    that every pair in X x Y is an extreme equilibrium; then every pair of mixtures of X and of Y
    is an equilibrium, and the equilibrium set is the union of these products over the maximal
    cliques (Avis, Rosenberg, Savani and von Stengel 2010, section 5). Maximal cliques are found
    as the closed sets of column strategies: intersections of the sets of column strategies
    each row strategy is paired with.

    Returns
    -------
    list of list of int
        For each maximal clique, the indices of its extreme equilibria (sorted).
    """
    xs, ys = _strategy_ids(equilibria, 0), _strategy_ids(equilibria, 1)
    partners: dict[int, frozenset[int]] = {}
    for x, y in zip(xs, ys, strict=True):
        partners[x] = partners.get(x, frozenset()) | {y}
    closed = set(partners.values())
    frontier = set(closed)
    while frontier:
        new = {a & b for a in frontier for b in closed if a & b} - closed
        closed |= new
        frontier = new
    found = []
    for ys_set in closed:
        xs_set = {x for x, ps in partners.items() if ys_set <= ps}
        members = sorted(
            k for k, (x, y) in enumerate(zip(xs, ys, strict=True)) if x in xs_set and y in ys_set
        )
        found.append(members)
    # Keep only maximal cliques (a closed set can give a clique inside a larger one).
    maximal = [c for c in found if not any(set(c) < set(d) for d in found)]
    return [list(c) for c in sorted({tuple(c) for c in maximal})]


def _sort_key(profile: Profile) -> tuple[Any, ...]:
    """Pure equilibria first, then by strategies (largest weight on early actions first)."""
    flat = np.concatenate(profile.strategies)
    return (not profile.is_pure, tuple(np.round(-flat, 9)))
