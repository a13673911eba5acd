"""One registry of solver functions and the :func:`solve` dispatcher.

A solver is a free function ``f(game, *, tol, **options) -> Candidates``. It is registered with
:func:`register` under a name, with the game sizes it accepts. :func:`solve` looks it up, calls it,
and then, independently of the solver, re-checks every candidate with the regret check of
:class:`~gametheory.model.game.Profile`, merges duplicates and sorts the equilibria, so that every
solver's answers pass the same test and come back as the same :class:`SolveResult` type.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import SolverError
from ..model.game import DEFAULT_TOL, Game, Profile
from .exact import exact_equilibrium, integer_payoffs
from .result import Candidates, SolveResult

__all__ = ["SolverInfo", "methods", "register", "solve"]

SolverFunction = Callable[..., Candidates]

#: Profiles closer than this (max abs probability difference) are merged as duplicates.
DUPLICATE_DISTANCE = 1e-6


@dataclass(frozen=True)
class SolverInfo:
    """A registered solver: its function and what it accepts."""

    name: str
    function: SolverFunction
    summary: str
    two_player_only: bool
    finds: str  # "all", "one", "pure" or "some"


_REGISTRY: dict[str, SolverInfo] = {}


def register(
    name: str, *, summary: str, two_player_only: bool, finds: str
) -> Callable[[SolverFunction], SolverFunction]:
    """Register a solver function under ``name`` (decorator)."""

    def decorate(function: SolverFunction) -> SolverFunction:
        if name in _REGISTRY:
            raise RuntimeError(f"solver '{name}' registered twice")
        _REGISTRY[name] = SolverInfo(name, function, summary, two_player_only, finds)
        return function

    return decorate


def methods() -> dict[str, SolverInfo]:
    """All registered solvers by name (``auto`` is not a solver but a choice among them)."""
    return dict(_REGISTRY)


#: Vertex enumeration is chosen by ``auto`` when each polytope has at most this many bases.
AUTO_MAX_BASES = 200_000


def choose_method(game: Game) -> tuple[str, str]:
    """The method ``auto`` picks for a game, and why."""
    if game.n_players != 2:
        return "iesds", (
            f"{game.n_players}-player game: iterated elimination of strictly dominated "
            "strategies, then pure equilibria of what remains"
        )
    m, n = game.shape
    bases = math.comb(m + n, m)
    if bases <= AUTO_MAX_BASES:
        return "vertex_enumeration", (
            f"two-player {m}x{n} game: vertex enumeration finds every extreme equilibrium "
            f"({bases:,} bases per polytope)"
        )
    return "iesds", (
        f"two-player {m}x{n} game is too large for enumeration ({bases:,} bases): strictly "
        "dominated strategies are removed first, then vertex enumeration if what remains is "
        "small enough, else Lemke-Howson for one equilibrium"
    )


def two_player_method(game: Game) -> str:
    """Vertex enumeration when a two-player game is small enough, else Lemke-Howson."""
    m, n = game.shape
    return "vertex_enumeration" if math.comb(m + n, m) <= AUTO_MAX_BASES else "lemke_howson"


def solve(
    game: Game, method: str = "auto", *, tol: float = DEFAULT_TOL, **options: Any
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
    **options
        Passed to the solver.

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
    candidates = info.function(game, tol=tol, **options)
    return _verified(game, method, options, tol, candidates, details)


def _verified(
    game: Game,
    method: str,
    options: dict[str, Any],
    tol: float,
    candidates: Candidates,
    details: dict[str, Any],
) -> SolveResult:
    warnings = list(candidates.warnings)
    complete = candidates.complete
    accepted: list[Profile] = []
    rejected = 0
    exact_payoffs = integer_payoffs(game.payoffs)
    exact = 0
    for strategies in candidates.profiles:
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
        if any(profile.distance(other) <= DUPLICATE_DISTANCE for other in accepted):
            continue
        accepted.append(profile)
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
        warnings=tuple(warnings),
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

    for a, first in enumerate(equilibria):
        for b in range(a):
            second = equilibria[b]
            if any(
                float(np.abs(s - t).max()) <= DUPLICATE_DISTANCE
                for s, t in zip(first.strategies, second.strategies, strict=True)
            ):
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
        for k, t in enumerate(seen):
            if float(np.abs(s - t).max()) <= DUPLICATE_DISTANCE:
                ids.append(k)
                break
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
