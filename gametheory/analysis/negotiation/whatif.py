"""What would it take: the smallest change that makes a target outcome an equilibrium.

Two questions about a target pure profile ``a`` (e.g. "China licenses military magnets, the US
keeps AI-chip controls"):

:func:`payoff_change`
    The smallest change of the payoff table itself (L1 or max norm) after which ``a`` is a
    strict Nash equilibrium with a given margin: every unilateral deviation loses at least
    ``margin``. Only the target cell and the deviation cells matter, so this is a small linear
    program, solved exactly by scipy's HiGHS.

:func:`parameter_change`
    The smallest change of the scenario's declared parameters, within their ranges (distance
    measured in units of each parameter's range), after which ``a`` is a strict equilibrium with
    the margin. Payoffs are arbitrary expressions of the parameters, so this is a nonlinear
    program. A batch of random points in the ranges (4,096 by default, ``rng``) shows where
    the target holds; SLSQP then searches for the nearest such point from the baseline and from
    the closest sampled ones (or, when no sampled point qualifies, from those that come
    closest). Every answer is re-checked on the compiled payoffs, and when nothing is found the
    result says so, with how close the search came, rather than claiming the target is
    impossible.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..._format import format_number
from ...errors import GameTheoryError, WhatIfError
from ...model.game import Game
from ...model.scenario import Scenario

__all__ = ["ParameterChange", "PayoffChange", "parameter_change", "payoff_change"]


def _kind(margin: float) -> str:
    """What the target must become, in plain words."""
    if margin > 0:
        return (
            f"an equilibrium in which each side would lose at least {format_number(margin)} "
            "by changing its own choice"
        )
    return "an equilibrium"


def _join(items: list[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _change(old: float, new: float) -> str:
    """``raise ... from 7.5 to 16.6 (+9.1)`` without the verb's object."""
    delta = new - old
    sign = "+" if delta > 0 else "-"
    return f"from {format_number(old)} to {format_number(new)} ({sign}{format_number(abs(delta))})"


def _target_index(game: Game, target: Sequence[str | int] | Mapping[str, str]) -> tuple[int, ...]:
    if isinstance(target, Mapping):
        missing = [p for p in game.players if p not in target]
        if missing:
            raise WhatIfError(f"the target gives no action for player '{missing[0]}'")
        unknown = [p for p in target if p not in game.players]
        if unknown:
            raise WhatIfError(
                f"the target names unknown player '{unknown[0]}'; players are "
                f"{', '.join(game.players)}"
            )
        target = [target[p] for p in game.players]
    if len(target) != game.n_players:
        raise WhatIfError(f"the target needs one action per player ({game.n_players})")
    try:
        return tuple(game.action_index(p, a) for p, a in enumerate(target))
    except GameTheoryError as exc:
        raise WhatIfError(f"target: {exc.message}") from None


def _deviations(game: Game, index: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
    """(player, profile) for every unilateral deviation from ``index``."""
    out = []
    for p in range(game.n_players):
        for a in range(game.shape[p]):
            if a != index[p]:
                out.append((p, (*index[:p], a, *index[p + 1 :])))
    return out


def margins(game: Game, index: tuple[int, ...]) -> NDArray[np.float64]:
    """Payoff loss of each unilateral deviation (positive: the deviation does not pay)."""
    return np.array(
        [game.payoffs[(p, *index)] - game.payoffs[(p, *dev)] for p, dev in _deviations(game, index)]
    )


@dataclass(frozen=True)
class PayoffChange:
    """The smallest payoff change making a target a strict equilibrium.

    Attributes
    ----------
    target
        Action labels of the target.
    norm, margin
        How the change is measured and the margin required.
    size
        The size of the smallest change (0 if the target already qualifies).
    changes
        ``[(player, profile labels, old payoff, new payoff)]`` for every changed entry.
    game
        The changed game.
    """

    target: tuple[str, ...]
    norm: str
    margin: float
    size: float
    changes: tuple[tuple[str, tuple[str, ...], float, float], ...]
    game: Game

    def sentence(self) -> str:
        """A readable summary."""
        profile = " / ".join(
            f"{p}: {a}" for p, a in zip(self.game.players, self.target, strict=True)
        )
        if not self.changes:
            return f"{profile} is already {_kind(self.margin)}."
        cells: dict[tuple[str, ...], list[tuple[str, float, float]]] = {}
        for player, labels, old, new in self.changes:
            cells.setdefault(labels, []).append((player, old, new))
        parts = []
        for labels, moves in cells.items():
            where = (
                "at the target itself"
                if labels == self.target
                else f"where the outcome is ({', '.join(labels)})"
            )
            said = [
                f"{'raise' if new > old else 'lower'} {player}'s payoff {_change(old, new)}"
                for player, old, new in moves
            ]
            parts.append(f"{where}, {_join(said)}")
        total = (
            f"In all, payoffs move by {format_number(self.size)} (the sum of the changes)."
            if self.norm == "l1"
            else f"No payoff moves by more than {format_number(self.size)}."
        )
        return (
            f"The smallest change to the payoffs that would make {profile} "
            f"{_kind(self.margin)}: " + "; ".join(parts) + ". " + total
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "target": list(self.target),
            "norm": self.norm,
            "margin": self.margin,
            "size": self.size,
            "changes": [
                {"player": p, "profile": list(labels), "from": old, "to": new}
                for p, labels, old, new in self.changes
            ],
            "sentence": self.sentence(),
        }


def payoff_change(
    game: Game,
    target: Sequence[str | int] | Mapping[str, str],
    *,
    margin: float = 0.0,
    norm: str = "l1",
) -> PayoffChange:
    """Smallest change of payoffs (``"l1"`` or ``"max"`` norm) making ``target`` an equilibrium.

    With ``margin > 0`` every unilateral deviation must lose at least ``margin`` (a strict
    equilibrium). Each deviation constraint involves the target cell and one deviation cell of
    the deviating player, so the LP has one variable pair per such cell.
    """
    from scipy.optimize import linprog

    if norm not in ("l1", "max"):
        raise WhatIfError(f"norm must be 'l1' or 'max', got '{norm}'")
    if not np.isfinite(margin) or margin < 0:
        raise WhatIfError(f"margin must be a non-negative number, got {margin}")
    index = _target_index(game, target)
    deviations = _deviations(game, index)
    # Cells whose payoff may change: each player's target cell and its deviation cells.
    cells: list[tuple[int, tuple[int, ...]]] = [(p, index) for p in range(game.n_players)]
    cells += deviations
    position = {cell: k for k, cell in enumerate(cells)}
    n = len(cells)
    # Variables: up_k, down_k >= 0 (change = up - down), then t (max norm).
    n_vars = 2 * n + 1
    A_ub, b_ub = [], []
    for p, dev in deviations:
        # (u_p(a) + up_a - down_a) - (u_p(dev) + up_d - down_d) >= margin
        row = np.zeros(n_vars)
        ka, kd = position[(p, index)], position[(p, dev)]
        row[ka], row[n + ka] = -1.0, 1.0
        row[kd], row[n + kd] = 1.0, -1.0
        A_ub.append(row)
        b_ub.append(game.payoffs[(p, *index)] - game.payoffs[(p, *dev)] - margin)
    c = np.zeros(n_vars)
    if norm == "l1":
        c[: 2 * n] = 1.0
    else:
        c[-1] = 1.0
        for k in range(n):  # up_k + down_k <= t
            row = np.zeros(n_vars)
            row[k], row[n + k], row[-1] = 1.0, 1.0, -1.0
            A_ub.append(row)
            b_ub.append(0.0)
    res = linprog(
        c,
        A_ub=np.array(A_ub) if A_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        bounds=[(0, None)] * n_vars,
        method="highs",
    )
    if res.status != 0:  # pragma: no cover - the LP is always feasible
        raise WhatIfError(f"the linear program failed: {res.message}")
    delta = res.x[:n] - res.x[n : 2 * n]
    payoffs = game.payoffs.copy()
    changes = []
    for (p, cell), change in zip(cells, delta, strict=True):
        if abs(change) > 1e-12:
            old = float(game.payoffs[(p, *cell)])
            payoffs[(p, *cell)] = old + change
            labels = tuple(game.actions[q][i] for q, i in enumerate(cell))
            changes.append((game.players[p], labels, old, old + float(change)))
    changed = game.with_payoffs(payoffs)
    labels = tuple(game.actions[p][i] for p, i in enumerate(index))
    size = float(np.abs(delta).sum() if norm == "l1" else np.abs(delta).max(initial=0.0))
    return PayoffChange(labels, norm, float(margin), size, tuple(changes), changed)


@dataclass(frozen=True)
class ParameterChange:
    """The smallest change of declared parameters making a target a strict equilibrium.

    Attributes
    ----------
    target
        Action labels of the target.
    found
        Whether a parameter point was found (and verified) where the target qualifies.
    baseline, values
        Parameter values before and after (``values`` is None when not found).
    distance
        Euclidean distance in units of each parameter's range (None when not found).
    margin
        Smallest deviation loss at ``values`` (at least the required margin when found).
    starts
        Number of optimisation starts tried.
    sampled
        Number of random points sampled in the ranges.
    closest
        When nothing is found: the largest smallest deviation loss seen at any point tried
        (negative: at best, some side still gains ``-closest`` by changing its own choice).
    """

    target: tuple[str, ...]
    found: bool
    baseline: Mapping[str, float]
    values: Mapping[str, float] | None
    distance: float | None
    margin: float | None
    starts: int
    required_margin: float = 0.0
    players: tuple[str, ...] = field(default=())
    sampled: int = 0
    closest: float | None = None

    def changed(self) -> dict[str, tuple[float, float]]:
        """Parameters that moved: ``{name: (before, after)}``."""
        if self.values is None:
            return {}
        return {
            name: (self.baseline[name], value)
            for name, value in self.values.items()
            if abs(value - self.baseline[name]) > 1e-9 * max(1.0, abs(self.baseline[name]))
        }

    def sentence(self) -> str:
        """A readable summary."""
        profile = " / ".join(f"{p}: {a}" for p, a in zip(self.players, self.target, strict=True))
        if not self.found:
            searched = (
                f"{self.sampled:,} random points and {self.starts} local searches"
                if self.sampled
                else f"{self.starts} local searches"
            )
            closest = ""
            if self.closest is not None and self.closest < 0:
                closest = (
                    " At the closest point tried, some side still gained "
                    f"{format_number(-self.closest)} by changing its own choice."
                )
            elif self.closest is not None and self.closest < self.required_margin:
                lost = format_number(self.closest)
                closest = (
                    " At the closest point tried, some side would be indifferent to changing "
                    "its own choice."
                    if lost == "0"
                    else f" At the closest point tried, some side would lose only {lost} by "
                    "changing its own choice."
                )
            return (
                f"No parameter values within the declared ranges were found that make {profile} "
                f"{_kind(self.required_margin)} ({searched}); this is a search result, not a "
                f"proof that none exist.{closest}"
            )
        moved = self.changed()
        if not moved:
            return f"{profile} is already {_kind(self.required_margin)} at the baseline."
        parts = [f"{name} moves {_change(a, b)}" for name, (a, b) in moved.items()]
        share = 100 * (self.distance or 0.0)
        return (
            f"{profile} becomes {_kind(self.required_margin)} if "
            + ", ".join(parts)
            + f": the smallest change found, {format_number(share, 2)} % of the declared "
            "ranges in all."
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data."""
        return {
            "target": list(self.target),
            "found": self.found,
            "baseline": dict(self.baseline),
            "values": dict(self.values) if self.values is not None else None,
            "changed": {k: {"from": a, "to": b} for k, (a, b) in self.changed().items()},
            "distance": self.distance,
            "margin_at_values": self.margin,
            "required_margin": self.required_margin,
            "starts": self.starts,
            "sampled": self.sampled,
            "closest": self.closest,
            "sentence": self.sentence(),
        }


def parameter_change(
    scenario: Scenario,
    target: Sequence[str | int] | Mapping[str, str],
    *,
    margin: float = 1e-6,
    vary: Sequence[str] | None = None,
    fixed: Mapping[str, float] | None = None,
    starts: int = 20,
    rng: np.random.Generator | int | None = 0,
    sample: int = 4096,
    maxiter: int = 300,
) -> ParameterChange:
    """Smallest change of parameters (within ranges) making ``target`` a strict equilibrium.

    Parameters
    ----------
    scenario
        The scenario.
    target
        One action per player (labels, or ``{player: action}``).
    margin
        Every unilateral deviation must lose at least this much.
    vary
        Parameters allowed to move (default: all with a finite declared range).
    fixed
        Overrides for the starting point (others at their declared values).
    starts
        Optimisation starts: the baseline, then random points in the ranges.
    rng
        Random generator or seed for the starts (recorded behaviour: same seed, same answer).
    sample
        Random points evaluated (in one batch) to find where the target holds.
    maxiter
        Iteration limit of each local search; searches from points where the target does not
        hold are what reach it, so a smaller limit gives up sooner on impossible targets.
    """
    from scipy.optimize import minimize

    if not np.isfinite(margin) or margin < 0:
        raise WhatIfError(f"margin must be a non-negative number, got {margin}")
    if scenario.timing != "simultaneous":
        raise WhatIfError(
            "parameter_change works on simultaneous scenarios; for a sequential one, use "
            "payoff_change on its normal form (scenario.game())"
        )
    base = scenario.resolve(fixed or {})
    game0 = scenario.game(base)
    index = _target_index(game0, target)
    labels = tuple(game0.actions[p][i] for p, i in enumerate(index))
    names = (
        list(vary)
        if vary is not None
        else [n for n, p in scenario.parameters.items() if p.min is not None and p.max is not None]
    )
    for name in names:
        prm = scenario.parameters.get(name)
        if prm is None:
            raise WhatIfError(f"unknown parameter '{name}'")
        if prm.min is None or prm.max is None:
            raise WhatIfError(f"parameter '{name}' has no declared range to search")
    low = np.array([scenario.parameters[n].min for n in names], dtype=float)
    high = np.array([scenario.parameters[n].max for n in names], dtype=float)
    span = np.where(high > low, high - low, 1.0)
    x0 = np.array([base[n] for n in names], dtype=float)
    deviations = _deviations(game0, index)
    if not deviations:
        raise WhatIfError("every player has a single action: nothing can deviate")

    def losses_batch(X: NDArray[np.float64]) -> NDArray[np.float64]:
        """Deviation losses at many parameter points at once: shape (K, deviations)."""
        values = {k: np.full(len(X), v) for k, v in base.items()}
        for j, n in enumerate(names):
            values[n] = X[:, j]
        tensor = scenario.payoff_tensor(values, check=False)
        flat = tensor.reshape(len(X), tensor.shape[1], -1)
        shape = tensor.shape[2:]
        target_cell = int(np.ravel_multi_index(index, shape))
        out = np.stack(
            [
                flat[:, p, target_cell] - flat[:, p, int(np.ravel_multi_index(dev, shape))]
                for p, dev in deviations
            ],
            axis=1,
        )
        cleaned: NDArray[np.float64] = np.where(np.isfinite(out), out, -1e6)
        return cleaned

    def losses(x: NDArray[np.float64]) -> NDArray[np.float64]:
        single: NDArray[np.float64] = losses_batch(x[None])[0]
        return single

    def jacobian(x: NDArray[np.float64]) -> NDArray[np.float64]:
        """Forward differences, all coordinates in one batched evaluation."""
        h = 1e-7 * span
        X = np.vstack([x, x + np.diag(h)])
        values = losses_batch(X)
        slopes: NDArray[np.float64] = ((values[1:] - values[0]) / h[:, None]).T
        return slopes

    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    best_x: NDArray[np.float64] | None = None
    best_distance = np.inf

    def consider(x: NDArray[np.float64]) -> None:
        nonlocal best_x, best_distance
        # Re-checked on the compiled payoffs rather than trusting the optimiser.
        if losses(x).min(initial=np.inf) >= margin - 1e-9:
            distance = float(np.linalg.norm((x - x0) / span))
            if distance < best_distance:
                best_x, best_distance = x, distance

    closest = float(losses(x0).min(initial=np.inf))
    consider(x0)
    tried = 0
    sampled = 0
    if names and best_distance > 0:
        # A batch of random points shows where the target holds; the closest of them, the
        # baseline and a few random points start the local search for the nearest such point.
        points = low + generator.random((max(sample, 0), len(names))) * (high - low)
        sampled = len(points)
        worst = losses_batch(points).min(axis=1) if sampled else np.zeros(0)
        closest = max(closest, float(worst.max(initial=-np.inf)))
        feasible = points[worst >= margin]
        order = np.argsort(np.linalg.norm((feasible - x0) / span, axis=1))
        starts_list = [x0, *feasible[order[: max(starts // 2, 1)]]]
        if len(feasible):
            extra = max(starts - len(starts_list), 0)
            starts_list += [low + generator.random(len(names)) * (high - low) for _ in range(extra)]
        else:
            # Without a feasible sample the local search rarely succeeds: start from the
            # sampled points that come closest (largest smallest deviation loss), a few only.
            nearest = np.argsort(-worst)[: min(3, starts)]
            starts_list += [points[k] for k in nearest]
        for start in starts_list:
            tried += 1
            consider(start)
            res = minimize(
                lambda x: float(np.sum(((x - x0) / span) ** 2)),
                start,
                jac=lambda x: 2 * (x - x0) / span**2,
                bounds=list(zip(low, high, strict=True)),
                constraints=[
                    {"type": "ineq", "fun": lambda x: losses(x) - margin, "jac": jacobian}
                ],
                method="SLSQP",
                options={"maxiter": maxiter, "ftol": 1e-12},
            )
            end = np.clip(res.x, low, high)
            closest = max(closest, float(losses(end).min(initial=np.inf)))
            consider(end)
    candidates = range(tried)
    players = scenario.players
    if best_x is None:
        return ParameterChange(
            labels,
            False,
            base,
            None,
            None,
            None,
            len(candidates),
            float(margin),
            players,
            sampled,
            closest if np.isfinite(closest) else None,
        )
    values = dict(base)
    values.update({n: float(v) for n, v in zip(names, best_x, strict=True)})
    achieved = float(losses(best_x).min(initial=np.inf))
    return ParameterChange(
        labels,
        True,
        base,
        values,
        best_distance,
        achieved,
        len(candidates),
        float(margin),
        players,
        sampled,
        None,
    )


def calibrate(
    scenario: Scenario,
    observed: Mapping[str, str],
    *,
    sample: int = 20_000,
    seed: int = 0,
    vary: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The region of parameter space where an observed outcome is an equilibrium, from a sweep.

    Parameters
    ----------
    scenario
        A simultaneous chip-form scenario.
    observed
        The observed choices, ``{chip: option}``; chips left out are free (e.g. the four
        choices the London report describes, leaving other chips open).
    sample, seed, vary
        The random sample over the declared ranges (see :func:`gametheory.sweep`).

    Returns
    -------
    dict
        ``share_equilibrium``: share of points where some pure equilibrium matches;
        ``share_unique``: share where the point's only equilibrium matches; ``ranges``: for each
        varied parameter, min, quartiles and max over the points where it is the unique
        equilibrium, beside the declared range; ``points``: those points (a DataFrame).
    """
    if scenario.form != "chips":
        raise WhatIfError("calibrate needs a scenario in chip form (observed choices by chip)")
    chips = {c.name: c for c in scenario.chips}
    for chip, option in observed.items():
        if chip not in chips:
            raise WhatIfError(f"unknown chip '{chip}'; chips are {', '.join(chips)}")
        if option not in chips[chip].options:
            raise WhatIfError(
                f"unknown option '{option}' for chip '{chip}'; options are "
                f"{', '.join(chips[chip].options)}"
            )
    from ...sweeps import sweep

    result = sweep(scenario, sample=sample, seed=seed, params=vary)
    table = result.table
    matches = np.ones(len(table), dtype=bool) & table["pure"].to_numpy(dtype=bool)
    for player, actions in zip(scenario.players, scenario.actions, strict=True):
        held = [c.name for c in scenario.chips if c.player == player]
        for k, chip in enumerate(held):
            if chip in observed:
                ok_actions = [a for a in actions if a.split("+")[k] == observed[chip]]
                chosen = table[[f"{player}:{a}" for a in ok_actions]].sum(axis=1).to_numpy()
                matches &= chosen >= 1 - 1e-9
    table = table.assign(matches=matches)
    per_point = table.groupby("point").agg(
        any_match=("matches", "any"), n=("n_equilibria", "first")
    )
    unique = per_point["any_match"] & (per_point["n"] == 1)
    points = table[table["point"].isin(per_point.index[unique])].drop_duplicates("point")
    ranges = {}
    for name in result.design.names:
        prm = scenario.parameters[name]
        values = points[name].to_numpy()
        ranges[name] = {
            "declared": [prm.min, prm.max],
            "min": float(values.min()) if len(values) else None,
            "q25": float(np.quantile(values, 0.25)) if len(values) else None,
            "median": float(np.median(values)) if len(values) else None,
            "q75": float(np.quantile(values, 0.75)) if len(values) else None,
            "max": float(values.max()) if len(values) else None,
        }
    return {
        "observed": dict(observed),
        "points": points.reset_index(drop=True),
        "share_equilibrium": float(per_point["any_match"].mean()),
        "share_unique": float(unique.mean()),
        "ranges": ranges,
        "sample": sample,
        "seed": seed,
    }
