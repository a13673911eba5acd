"""Adapter to Gambit (pygambit, the optional ``[gambit]`` extra): the only module importing it.

Mixed equilibria of games of three or more players, by Gambit's algorithms (McKelvey,
McLennan and Turocy, *Gambit: Software Tools for Game Theory*, version 16/17):

- ``gambit_enumpoly``: support enumeration, solving each support's polynomial system
  (``enumpoly_solve``), for all equilibria of small games; plus global-Newton restarts (below)
  that catch equilibria ``enumpoly`` misses. **Never marked complete**: measured here,
  pygambit 17.0.0b2's ``enumpoly`` returned an incomplete list, reporting success and no
  singular support, for 3 of 25 random 2x2x2 games (an even number of equilibria in a generic
  game, where the oddness theorem of Wilson 1971 says the number is odd) and for about half of
  random 3x3x3 games. Supports whose system is singular (a continuum of equilibria may lie
  there) are reported in a warning.
- ``gambit_gnm``: the global Newton method (Govindan and Wilson 2003, "A global Newton method
  to compute Nash equilibria", J. Econ. Theory 110): follows one path from a perturbation and
  returns every equilibrium met on it; ``restarts`` random perturbations find more.
- ``gambit_simpdiv``: simplicial subdivision (van der Laan, Talman and van der Heyden 1987):
  one equilibrium, approximate then refined; slow on games past a few hundred profiles.
- ``gambit_ipa``: iterated polymatrix approximation (Govindan and Wilson 2004): one
  equilibrium, fast.

Every profile is re-checked by :func:`gametheory.solve`'s regret check (Gambit's own answers
are approximate: ``gnm`` and ``ipa`` to about 1e-10, ``simpdiv`` to its ``maxregret``), so
one that fails is dropped with a warning.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import Game
from .qre import polish_on_support
from .registry import register
from .result import Candidates

__all__ = ["gambit_enumpoly", "gambit_gnm", "gambit_ipa", "gambit_simpdiv", "support_profiles"]

FloatArray = NDArray[np.float64]

#: enumpoly's limit in support profiles (3x3x3: 343 in 0.05 s; 4x4x4: 3,375 in 17 s).
MAX_SUPPORT_PROFILES = 2_000
#: gnm's limit in payoff entries, N x prod(n_i) (3x3x3x3: 324 in 0.8 s per path).
MAX_GNM_ENTRIES = 2_000
#: simpdiv's limit in payoff entries (4x4x4: 192 in 0.7 s; 3x3x3x3: 324 took 47 s).
MAX_SIMPDIV_ENTRIES = 250
#: ipa's limit in payoff entries (3x3x3x3 in 0.02 s).
MAX_IPA_ENTRIES = 200_000
#: Events (steps, refinements) after which one Gambit path is abandoned (about 1 s of gnm).
MAX_STEPS = 50_000


def support_profiles(game: Game) -> int:
    """Support profiles enumpoly examines: ``prod (2^n_i - 1)``."""
    return math.prod(2**n - 1 for n in game.shape)


def payoff_entries(game: Game) -> int:
    """Payoff entries of the game, ``N x prod(n_i)``."""
    return game.n_players * math.prod(game.shape)


def _gambit(method: str) -> Any:
    try:
        import pygambit  # type: ignore[import-untyped]
    except ImportError:
        raise SolverError(
            f"method '{method}' needs pygambit, which is not installed; install the extra: "
            "pip install 'gametheory[gambit]'"
        ) from None
    return pygambit


def _polished(game: Game, profiles: list[tuple[FloatArray, ...]], tol: float) -> list[Any]:
    """Gambit's approximate profiles, polished where possible.

    Each is replaced by the exact equilibrium on its support where Newton's method finds one
    (else kept, for the regret check to judge).
    """
    out: list[Any] = []
    for profile in profiles:
        polished = polish_on_support(game, list(profile), tol)
        out.append(profile if polished is None else polished.strategies)
    return out


def _to_gambit(gbt: Any, game: Game) -> Any:
    return gbt.StrategicGame.from_arrays(*(np.asarray(a) for a in game.payoffs))


def _vectors(profile: Any) -> tuple[FloatArray, ...]:
    """A pygambit mixed strategy profile as one probability array per player."""
    return tuple(np.array([float(p) for _, p in player], dtype=np.float64) for player in profile)


class _StepBudgetError(Exception):
    """Raised from Gambit's event callback to stop a path that has taken too many steps."""


def _bounded(solver: Any, *args: Any, max_steps: int, **kwargs: Any) -> Any:
    """Call a pygambit solver, stopping it after ``max_steps`` events (None if stopped).

    pygambit 17.0.0b2's ``gnm_solve`` did not return on the three-player volunteer's dilemma
    from its default perturbation (still running after 15 s; it reports a step event about
    every 25 microseconds), so every path is bounded.
    """
    count = 0

    def tick(event: Any) -> None:
        nonlocal count
        count += 1
        if count > max_steps:
            raise _StepBudgetError

    try:
        return solver(*args, event_callback=tick, **kwargs)
    except (_StepBudgetError, RuntimeError) as exc:
        if isinstance(exc, _StepBudgetError) or "_StepBudgetError" in str(exc):
            return None
        raise


def _gnm_restarts(
    gbt: Any, g: Any, restarts: int, seed: int, max_steps: int
) -> tuple[list[tuple[FloatArray, ...]], int]:
    """Equilibria on ``restarts`` global-Newton paths, and how many paths were abandoned."""
    found: list[tuple[FloatArray, ...]] = []
    abandoned = 0
    for k in range(restarts):
        start = g if k == 0 else g.random_strategy_profile(gen=np.random.default_rng([seed, k]))
        result = _bounded(gbt.nash.gnm_solve, start, max_steps=max_steps)
        if result is None:
            abandoned += 1
        else:
            found += [_vectors(eq) for eq in result.equilibria]
    return found, abandoned


def _abandoned_warning(abandoned: int, max_steps: int) -> list[str]:
    if not abandoned:
        return []
    return [
        f"{abandoned} global-Newton path(s) were stopped after {max_steps:,} steps without "
        "finishing (raise max_steps to follow them further)"
    ]


def _is_new(profile: tuple[FloatArray, ...], known: list[tuple[FloatArray, ...]]) -> bool:
    return all(
        max(float(np.abs(a - b).max()) for a, b in zip(profile, other, strict=True)) > 1e-6
        for other in known
    )


@register(
    "gambit_enumpoly",
    summary="Gambit's enumpoly (supports x polynomial systems) plus global-Newton restarts; "
    "never complete (enumpoly misses equilibria); needs the [gambit] extra",
    two_player_only=False,
    finds="some",
    work=support_profiles,
    max_work=MAX_SUPPORT_PROFILES,
    work_unit="support profiles",
)
def gambit_enumpoly(
    game: Game, *, tol: float, restarts: int = 8, seed: int = 0, max_steps: int = MAX_STEPS
) -> Candidates:
    """Equilibria from Gambit's ``enumpoly_solve`` and ``restarts`` global-Newton paths.

    Returns
    -------
    Candidates
        Never complete. ``details`` counts enumpoly's equilibria, those only the restarts
        found, and the supports Gambit called singular (where continua may lie).
    """
    gbt = _gambit("gambit_enumpoly")
    if not (isinstance(restarts, int) and 0 <= restarts <= 1000):
        raise SolverError(f"restarts must be an integer from 0 to 1000, got {restarts!r}")
    g = _to_gambit(gbt, game)
    events: list[Any] = []
    result = gbt.nash.enumpoly_solve(g, use_strategic=True, event_callback=events.append)
    profiles = [_vectors(eq) for eq in result.equilibria]
    from_enumpoly = len(profiles)
    added = 0
    restarted, abandoned = _gnm_restarts(gbt, g, restarts, seed, max_steps)
    for candidate in restarted:
        if _is_new(candidate, profiles):
            profiles.append(candidate)
            added += 1
    singular = sum(type(e).__name__ == "EnumPolySingularSupportEvent" for e in events)
    budget = sum(type(e).__name__ == "EnumPolyBudgetExceededSupportEvent" for e in events)
    warnings = [
        "Gambit's enumpoly can miss isolated equilibria (measured with pygambit 17.0.0b2), so "
        "this list is not known to be complete"
    ]
    if added:
        warnings.append(f"{added} equilibria were found only by the global-Newton restarts")
    if singular:
        warnings.append(
            f"on {singular} support profile(s) Gambit's polynomial system was singular: the "
            "game may have a continuum of equilibria there, which is not listed"
        )
    if budget:
        warnings.append(f"Gambit gave up on {budget} support profile(s) (rectangle budget)")
    warnings.extend(_abandoned_warning(abandoned, max_steps))
    return Candidates(
        _polished(game, profiles, tol),
        complete=False,
        warnings=warnings,
        details={
            "enumpoly_equilibria": from_enumpoly,
            "added_by_restarts": added,
            "singular_supports": singular,
            "abandoned_supports": budget,
        },
        degenerate=True if singular else None,
    )


@register(
    "gambit_gnm",
    summary="Gambit's global Newton method: equilibria on restarts' paths (some); "
    "needs the [gambit] extra",
    two_player_only=False,
    finds="some",
    work=payoff_entries,
    max_work=MAX_GNM_ENTRIES,
    work_unit="payoff entries",
)
def gambit_gnm(
    game: Game, *, tol: float, restarts: int = 4, seed: int = 0, max_steps: int = MAX_STEPS
) -> Candidates:
    """Equilibria met on ``restarts`` global-Newton paths.

    The first path starts from Gambit's default perturbation, the others from random ones
    drawn with ``seed``; each is stopped after ``max_steps`` steps. Four paths by default: on
    rock-paper-scissors the first path alone returned a profile with regret 1 (dropped by the
    regret check), the others the equilibrium.
    """
    gbt = _gambit("gambit_gnm")
    if not (isinstance(restarts, int) and 1 <= restarts <= 1000):
        raise SolverError(f"restarts must be an integer from 1 to 1000, got {restarts!r}")
    profiles: list[tuple[FloatArray, ...]] = []
    found, abandoned = _gnm_restarts(gbt, _to_gambit(gbt, game), restarts, seed, max_steps)
    for candidate in found:
        if _is_new(candidate, profiles):
            profiles.append(candidate)
    return Candidates(
        _polished(game, profiles, tol),
        complete=False,
        warnings=[
            "the global Newton method finds some equilibria, not necessarily all",
            *_abandoned_warning(abandoned, max_steps),
        ],
    )


@register(
    "gambit_simpdiv",
    summary="Gambit's simplicial subdivision: one equilibrium; needs the [gambit] extra",
    two_player_only=False,
    finds="one",
    work=payoff_entries,
    max_work=MAX_SIMPDIV_ENTRIES,
    work_unit="payoff entries",
)
def gambit_simpdiv(game: Game, *, tol: float, time_limit: float = 10.0) -> Candidates:
    """One equilibrium by simplicial subdivision from the centroid.

    Gambit's default ``maxregret`` (1e-7 of the payoff range) is used, then the profile is
    polished on its support by Newton's method.

    pygambit 17.0.0b2's ``simpdiv_solve`` did not return on some random 3x3x3 games (60 s,
    with ``leash=100`` too, and no events to stop it by), so it runs in one child process
    that is stopped after ``time_limit`` seconds.
    """
    _gambit("gambit_simpdiv")
    if not (isinstance(time_limit, int | float) and 0 < time_limit <= 3600):
        raise SolverError(f"time_limit must be a number of seconds up to 3600, got {time_limit!r}")
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_simpdiv_child, args=(game.payoffs, sender), daemon=True)
    child.start()
    sender.close()
    found: list[list[float]] | None = None
    if receiver.poll(time_limit):
        found = receiver.recv()
    child.join(timeout=1.0)
    if child.is_alive():
        child.kill()
        child.join()
    if found is None:
        return Candidates(
            [],
            complete=False,
            warnings=[f"simplicial subdivision did not finish within {time_limit:g} s"],
        )
    profiles = [tuple(np.asarray(v, dtype=np.float64) for v in found)] if found else []
    warnings = [] if profiles else ["simplicial subdivision found no equilibrium"]
    return Candidates(_polished(game, profiles, tol), complete=False, warnings=warnings)


def _simpdiv_child(payoffs: FloatArray, sender: Any) -> None:
    """Run ``simpdiv_solve`` and send the equilibrium as lists (empty if none)."""
    import pygambit as gbt

    g = gbt.StrategicGame.from_arrays(*(np.asarray(a) for a in payoffs))
    result = gbt.nash.simpdiv_solve(g.mixed_strategy_profile(rational=True))
    equilibrium = result.equilibrium
    sender.send([] if equilibrium is None else [v.tolist() for v in _vectors(equilibrium)])
    sender.close()


@register(
    "gambit_ipa",
    summary="Gambit's iterated polymatrix approximation: one equilibrium; needs the [gambit] extra",
    two_player_only=False,
    finds="one",
    work=payoff_entries,
    max_work=MAX_IPA_ENTRIES,
    work_unit="payoff entries",
)
def gambit_ipa(game: Game, *, tol: float) -> Candidates:
    """One equilibrium by iterated polymatrix approximation (Gambit's default start)."""
    gbt = _gambit("gambit_ipa")
    result = _bounded(gbt.nash.ipa_solve, _to_gambit(gbt, game), max_steps=MAX_STEPS)
    equilibrium = None if result is None else result.equilibrium
    profiles = [] if equilibrium is None else [_vectors(equilibrium)]
    warnings = [] if profiles else ["iterated polymatrix approximation found no equilibrium"]
    return Candidates(_polished(game, profiles, tol), complete=False, warnings=warnings)
