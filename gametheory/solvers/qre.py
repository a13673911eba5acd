"""Logit quantal response equilibrium: the principal branch, its limit, and fitting lambda.

In a logit quantal response equilibrium (McKelvey and Palfrey 1995, "Quantal response
equilibria for normal form games", Games Econ. Behav. 10) each player ``i`` plays action ``a``
with probability proportional to ``exp(lambda * v_ia(sigma))``, where ``v_ia`` is the action's
expected payoff against the others' mixed strategies. At ``lambda = 0`` play is uniform; as
``lambda`` grows players respond ever more sharply, and the *principal branch* of solutions
starting at the uniform profile converges to a Nash equilibrium (the logit tracing procedure).

The branch is traced as a curve in ``(log sigma, lambda)`` by predictor-corrector path following
(Allgower and Georg 1990; Turocy 2005, "A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence", Games Econ. Behav. 51): the unit tangent is the
null vector of the Jacobian, a predictor step along it is corrected by Newton iterations with
the minimum-norm update, and the step length grows while the corrector converges quickly and
shrinks when it does not. Arc length is the curve's parameter, so folds (where lambda turns
back) are followed, not jumped.

``lambda`` is in units of one over the payoffs (multiplying payoffs by ``c`` divides it by
``c``), as in Gambit. Tracing stops once ``lambda`` times the largest payoff range reaches
``max_lambda``; the end point is then polished to an exact Nash equilibrium of its support by
Newton's method on the indifference conditions and regret-checked.

Cost and limits: each step builds the Jacobian (``N^2`` contractions of the payoff array) and
factors an ``n x (n + 1)`` matrix (``n`` = total number of actions); typically a few hundred
steps. Games with more than :data:`MAX_QRE_WORK` payoff entries times ``N^2``, or more than
:data:`MAX_ACTIONS` actions in all, are refused before tracing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import SolverError
from ..model.game import DEFAULT_TOL, Game, Profile
from .registry import register
from .result import Candidates

__all__ = [
    "MAX_ACTIONS",
    "MAX_QRE_WORK",
    "LogitFit",
    "QREBranch",
    "fit_lambda",
    "logit_branch",
    "logit_qre",
]

FloatArray = NDArray[np.float64]

#: Largest ``N^2 * prod(n_i)`` traced (each step costs a few of these multiplications).
MAX_QRE_WORK = 2_000_000
#: Largest total number of actions (the linear algebra per step is cubic in it).
MAX_ACTIONS = 400
#: Default end of tracing: lambda times the largest payoff range.
MAX_LAMBDA = 1e6
#: Most predictor-corrector steps before giving up.
MAX_STEPS = 20_000
#: Smallest cosine between successive tangents for a step to be accepted.
MIN_COSINE = 0.99
#: Largest corrector distance, as a fraction of the step length, for a step to be accepted.
MAX_CORRECTION = 0.2


def qre_work(game: Game) -> int:
    """Payoff entries touched per tracing step: ``N^2 * prod(n_i)``."""
    return game.n_players**2 * math.prod(game.shape)


def _check_size(game: Game) -> None:
    if sum(game.shape) > MAX_ACTIONS:
        raise SolverError(
            f"logit QRE tracing handles at most {MAX_ACTIONS} actions in all; this game has "
            f"{sum(game.shape)}"
        )
    work = qre_work(game)
    if work > MAX_QRE_WORK:
        shape = "x".join(str(n) for n in game.shape)
        raise SolverError(
            f"logit QRE tracing of this {shape} game would touch {work:,} payoff entries per "
            f"step (limit {MAX_QRE_WORK:,})"
        )


class _System:
    """The logit equations ``H(x, lambda) = 0`` of one game and their Jacobian.

    For player ``i`` with reference action 0: ``x_ia - x_i0 - lambda (v_ia - v_i0) = 0`` for
    ``a > 0``, and ``sum_a exp(x_ia) - 1 = 0``; ``x`` are log-probabilities.
    """

    def __init__(self, game: Game) -> None:
        self.game = game
        self.shape = game.shape
        self.offsets = np.concatenate([[0], np.cumsum(self.shape)]).astype(int)
        self.size = int(self.offsets[-1])

    def split(self, flat: FloatArray) -> list[FloatArray]:
        return [flat[self.offsets[i] : self.offsets[i + 1]] for i in range(len(self.shape))]

    def values(self, sigma: list[FloatArray]) -> list[FloatArray]:
        return [self.game.action_values(sigma, i) for i in range(len(self.shape))]

    def pair_values(self, sigma: list[FloatArray], i: int, j: int) -> FloatArray:
        """``M[a, b]``: i's payoff from a when j plays b, the others mixing by sigma."""
        u = self.game.payoffs[i]
        for q in reversed(range(len(self.shape))):
            if q not in (i, j):
                u = np.tensordot(u, sigma[q], axes=([q], [0]))
        return np.asarray(u if i < j else u.T, dtype=np.float64)

    def residual(self, y: FloatArray) -> FloatArray:
        x, lam = y[:-1], y[-1]
        sigma = [np.exp(part) for part in self.split(x)]
        values = self.values(sigma)
        out = np.empty(self.size)
        for i, (xi, vi, si) in enumerate(zip(self.split(x), values, sigma, strict=True)):
            start = self.offsets[i]
            out[start] = si.sum() - 1.0
            out[start + 1 : self.offsets[i + 1]] = xi[1:] - xi[0] - lam * (vi[1:] - vi[0])
        return out

    def jacobian(self, y: FloatArray) -> FloatArray:
        """``dH / d(x, lambda)``, shape ``(n, n + 1)``."""
        x, lam = y[:-1], y[-1]
        sigma = [np.exp(part) for part in self.split(x)]
        values = self.values(sigma)
        jac = np.zeros((self.size, self.size + 1))
        n_players = len(self.shape)
        for i in range(n_players):
            r0, r1 = self.offsets[i], self.offsets[i + 1]
            jac[r0, r0:r1] = sigma[i]
            rows = slice(r0 + 1, r1)
            block = np.zeros((self.shape[i] - 1, self.shape[i]))
            block[:, 0] = -1.0
            block[:, 1:] = np.eye(self.shape[i] - 1)
            jac[rows, r0:r1] = block
            for j in range(n_players):
                if j == i:
                    continue
                m = self.pair_values(sigma, i, j)  # (n_i, n_j)
                diff = (m[1:] - m[0]) * sigma[j][None, :]
                jac[rows, self.offsets[j] : self.offsets[j + 1]] = -lam * diff
            jac[rows, -1] = -(values[i][1:] - values[i][0])
        return jac


def _tangent(jac: FloatArray, previous: FloatArray | None) -> FloatArray:
    """Unit null vector of the ``n x (n + 1)`` Jacobian, oriented along ``previous``."""
    q, _ = np.linalg.qr(jac.T, mode="complete")
    t = q[:, -1]
    if previous is None:
        if t[-1] < 0:
            t = -t
    elif float(t @ previous) < 0:
        t = -t
    return np.asarray(t, dtype=np.float64)


def _newton(
    system: _System, y: FloatArray, *, fixed_lambda: bool, iterations: int = 8
) -> tuple[FloatArray, bool]:
    """Newton's method from ``y``: minimum-norm steps, or at fixed lambda a square solve."""
    for _ in range(iterations):
        h = system.residual(y)
        jac = system.jacobian(y)
        try:
            if fixed_lambda:
                step = np.linalg.solve(jac[:, :-1], h)
                y = y - np.append(step, 0.0)
            else:
                step = np.linalg.lstsq(jac, h, rcond=None)[0]
                y = y - step
        except np.linalg.LinAlgError:
            return y, False
        if not np.all(np.isfinite(y)):
            return y, False
        if float(np.abs(step).max()) < 1e-11 * max(1.0, float(np.abs(y).max()) * 1e-3):
            return y, float(np.abs(system.residual(y)).max()) < 1e-8
    return y, float(np.abs(system.residual(y)).max()) < 1e-9


def _start(system: _System) -> FloatArray:
    x = np.concatenate([np.full(n, -math.log(n)) for n in system.shape])
    return np.append(x, 0.0)


def _trace(
    game: Game,
    *,
    stop_lambda: float,
    first_step: float,
    max_accel: float,
    max_steps: int,
) -> tuple[list[FloatArray], bool, str]:
    """Points ``(x, lambda)`` of the principal branch from 0 to ``stop_lambda``.

    Returns the points (the last one exactly at ``stop_lambda`` when reached), whether it was
    reached, and a message if not.
    """
    system = _System(game)
    y = _start(system)
    t = _tangent(system.jacobian(y), None)
    points = [y]
    h = first_step
    for _ in range(max_steps):
        predicted = y + h * t
        corrected, ok = _newton(system, predicted, fixed_lambda=False, iterations=6)
        if ok:
            t_new = _tangent(system.jacobian(corrected), t)
            ok = (
                float(t_new @ t) > 0.9
                and float(np.linalg.norm(corrected - predicted)) < 0.5 * h + 1e-9
            )
        if not ok:
            h /= 2.0
            if h < 1e-12 * max(1.0, float(np.abs(y).max())):
                return points, False, f"step size collapsed at lambda {y[-1]:.6g}"
            continue
        if corrected[-1] >= stop_lambda:
            # Land exactly on stop_lambda: interpolate, then solve at fixed lambda.
            w = (stop_lambda - y[-1]) / (corrected[-1] - y[-1])
            guess = y + w * (corrected - y)
            guess[-1] = stop_lambda
            landed, ok = _newton(system, guess, fixed_lambda=True)
            points.append(landed if ok else corrected)
            return points, True, ""
        y, t = corrected, t_new
        points.append(y)
        h *= max_accel
    return points, False, f"{max_steps} steps taken, lambda reached only {y[-1]:.6g}"


def polish_on_support(game: Game, sigma: list[FloatArray], tol: float) -> Profile | None:
    """The Nash equilibrium on the support of ``sigma`` nearest it, if Newton finds one.

    The support is read at thresholds 1e-6, 1e-3 and 1e-9 in turn; on it the indifference
    conditions (each player's supported actions earn the same) are solved by Powell's hybrid
    method (MINPACK ``hybrd``) from ``sigma``, and the result is returned only if it is a
    probability profile passing the regret check at ``tol``.
    """
    from scipy.optimize import root

    for threshold in (1e-6, 1e-3, 1e-9):
        supports = [np.flatnonzero(s > threshold) for s in sigma]
        sizes = [len(s) for s in supports]

        def unpack(z: FloatArray, supports: list[NDArray[np.intp]] = supports) -> list[FloatArray]:
            out, k = [], 0
            for i, sup in enumerate(supports):
                full = np.zeros(game.shape[i])
                full[sup] = z[k : k + len(sup)]
                out.append(full)
                k += len(sup)
            return out

        def equations(z: FloatArray, supports: list[NDArray[np.intp]] = supports) -> FloatArray:
            strategies = unpack(z)
            eqs = []
            for i, sup in enumerate(supports):
                v = game.action_values(strategies, i)[sup]
                eqs.append([strategies[i].sum() - 1.0])
                eqs.append((v[1:] - v[0]) / float(game.scales[i]))
            return np.concatenate(eqs)

        z0 = np.concatenate([s[sup] / s[sup].sum() for s, sup in zip(sigma, supports, strict=True)])
        if sum(sizes) == len(sizes):
            z = z0
        else:
            sol = root(equations, z0, method="hybr")
            z = np.asarray(sol.x, dtype=np.float64)
        strategies = unpack(z)
        if any(s.min() < -1e-12 or not np.isfinite(s).all() for s in strategies):
            continue
        strategies = [np.clip(s, 0.0, None) / np.clip(s, 0.0, None).sum() for s in strategies]
        try:
            profile = Profile(game, tuple(strategies))
        except ValueError:
            continue
        if profile.is_equilibrium(tol):
            return profile
    return None


@dataclass(frozen=True, eq=False)
class QREBranch:
    """The traced principal branch of the logit QRE correspondence.

    Attributes
    ----------
    game
        The game.
    lambdas
        Lambda at each traced point (read-only), starting at 0.
    strategies
        Probabilities at each point, shape ``(len(lambdas), total actions)``, players' blocks
        in order (read-only). :meth:`profile` labels one point.
    limit
        The Nash equilibrium the branch approaches (the end point polished on its support and
        regret-checked), or None if polishing failed; then ``end_regret`` tells how far off the
        end point is.
    end_regret
        Largest regret of the unpolished end point, relative to each player's payoff range.
    method, options, tolerance, warnings
        How it was computed.
    """

    game: Game
    lambdas: FloatArray
    strategies: FloatArray
    limit: Profile | None
    end_regret: float
    method: str
    options: Mapping[str, Any]
    tolerance: float
    warnings: tuple[str, ...] = ()
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("lambdas", "strategies"):
            array = np.array(getattr(self, name), dtype=np.float64)
            array.setflags(write=False)
            object.__setattr__(self, name, array)
        object.__setattr__(self, "options", MappingProxyType(dict(self.options)))
        object.__setattr__(self, "details", MappingProxyType(dict(self.details)))
        object.__setattr__(self, "warnings", tuple(self.warnings))

    def _split(self, row: FloatArray) -> tuple[FloatArray, ...]:
        offsets = np.concatenate([[0], np.cumsum(self.game.shape)]).astype(int)
        return tuple(row[offsets[i] : offsets[i + 1]] for i in range(self.game.n_players))

    def profile(self, index: int) -> Profile:
        """The QRE at traced point ``index`` as a labelled profile (not an equilibrium)."""
        return Profile(self.game, self._split(self.strategies[index]))

    def outcome_probabilities(self) -> FloatArray:
        """Probability of each joint outcome at each traced point, shape ``(K, *game.shape)``."""
        out = []
        for row in self.strategies:
            joint = np.ones(())
            for s in self._split(row):
                joint = np.multiply.outer(joint, s)
            out.append(joint)
        return np.asarray(out, dtype=np.float64)

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the path by label and the limit."""
        game = self.game
        return {
            "schema": "gametheory.qre/1",
            "method": self.method,
            "options": dict(self.options),
            "tolerance": self.tolerance,
            "warnings": list(self.warnings),
            "players": list(game.players),
            "actions": {p: list(a) for p, a in zip(game.players, game.actions, strict=True)},
            "lambdas": self.lambdas.tolist(),
            "strategies": self.strategies.tolist(),
            "limit": None if self.limit is None else self.limit.to_dict(),
            "end_regret": self.end_regret,
        }

    def __str__(self) -> str:
        picks = sorted({0, *np.linspace(0, len(self.lambdas) - 1, 6).astype(int).tolist()})
        lines = [f"Logit QRE principal branch ({len(self.lambdas)} points traced):"]
        for k in picks:
            lines.append(f"  lambda {self.lambdas[k]:<12.6g} {self.profile(k).describe()}")
        if self.limit is not None:
            lines.append(f"  limit (a Nash equilibrium, regret-checked): {self.limit.describe()}")
        else:
            lines.append(
                f"  the end point is not polished to an equilibrium (relative regret "
                f"{self.end_regret:.2g})"
            )
        lines.extend(f"  warning: {w}" for w in self.warnings)
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<QREBranch: {len(self.lambdas)} points to lambda {self.lambdas[-1]:.3g}>"


def logit_branch(
    game: Game,
    *,
    max_lambda: float = MAX_LAMBDA,
    first_step: float = 0.03,
    max_accel: float = 1.1,
    max_steps: int = MAX_STEPS,
    tol: float = DEFAULT_TOL,
) -> QREBranch:
    """Trace the principal branch of the logit QRE from lambda 0 towards a Nash equilibrium.

    Parameters
    ----------
    game
        Any N-player game.
    max_lambda
        Stop where lambda times the largest payoff range reaches this (dimensionless).
    first_step, max_accel, max_steps
        Initial arc length, growth factor of the step after a good step, step limit.
    tol
        Relative regret tolerance for the limit equilibrium.

    Returns
    -------
    QREBranch

    Examples
    --------
    >>> import gametheory as gt
    >>> pennies = gt.Game.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> branch = logit_branch(pennies)
    >>> branch.limit.strategy("P1")
    {'a1': 0.5, 'a2': 0.5}
    """
    _check_size(game)
    if not (max_lambda > 0 and first_step > 0 and max_accel >= 1 and max_steps >= 1):
        raise SolverError(
            "max_lambda and first_step must be positive, max_accel at least 1, max_steps >= 1"
        )
    scale = float(game.scales.max())
    stop = max_lambda / scale
    points, reached, message = _trace(
        game, stop_lambda=stop, first_step=first_step, max_accel=max_accel, max_steps=max_steps
    )
    warnings = [] if reached else [message]
    ys = np.array(points)
    strategies = np.exp(ys[:, :-1])
    system = _System(game)
    end = [np.exp(part) for part in system.split(ys[-1, :-1])]
    end = [s / s.sum() for s in end]
    end_profile = Profile(game, tuple(end))
    end_regret = float((end_profile.regret / game.scales).max())
    limit = polish_on_support(game, end, tol)
    if limit is None:
        warnings.append(
            "the end of the branch could not be polished to a Nash equilibrium on its support; "
            f"its relative regret is {end_regret:.2g}"
        )
    return QREBranch(
        game=game,
        lambdas=ys[:, -1],
        strategies=strategies,
        limit=limit,
        end_regret=end_regret,
        method="logit QRE path following",
        options={
            "max_lambda": max_lambda,
            "first_step": first_step,
            "max_accel": max_accel,
            "max_steps": max_steps,
        },
        tolerance=tol,
        warnings=tuple(warnings),
        details={"reached": reached, "steps": len(points) - 1},
    )


def logit_qre(game: Game, lam: float, *, first_step: float = 0.03) -> Profile:
    """The logit QRE at ``lam`` on the principal branch (traced from 0, landed exactly).

    The returned profile is a QRE, not a Nash equilibrium: it solves
    ``sigma_ia = exp(lam v_ia) / sum_b exp(lam v_ib)`` to about 1e-10.
    """
    _check_size(game)
    if not lam >= 0:
        raise SolverError(f"lambda must be non-negative, got {lam!r}")
    system = _System(game)
    if lam == 0:
        y = _start(system)
    else:
        points, reached, message = _trace(
            game, stop_lambda=lam, first_step=first_step, max_accel=1.1, max_steps=MAX_STEPS
        )
        if not reached:
            raise SolverError(f"logit QRE tracing did not reach lambda {lam:g}: {message}")
        y = points[-1]
    strategies = [np.exp(part) for part in system.split(y[:-1])]
    return Profile(game, tuple(s / s.sum() for s in strategies))


@dataclass(frozen=True, eq=False)
class LogitFit:
    """A maximum-likelihood fit of the logit QRE to observed choice counts.

    Attributes
    ----------
    lam
        The fitted lambda.
    profile
        The QRE at ``lam`` (predicted choice probabilities).
    log_likelihood
        ``sum counts * log(probability)`` at the fit.
    counts
        The observed counts, one array per player.
    """

    lam: float
    profile: Profile
    log_likelihood: float
    counts: tuple[FloatArray, ...]

    def __str__(self) -> str:
        return (
            f"Logit QRE fit: lambda {self.lam:.6g}, log-likelihood "
            f"{self.log_likelihood:.6g}; predicted {self.profile.describe()}"
        )


def _counts(game: Game, counts: Sequence[ArrayLike] | Mapping[str, Any]) -> tuple[FloatArray, ...]:
    if isinstance(counts, Mapping):
        arrays = []
        for p, player in enumerate(game.players):
            given = counts.get(player)
            if given is None:
                raise SolverError(f"no counts given for player '{player}'")
            vec = np.zeros(game.shape[p])
            if isinstance(given, Mapping):
                for action, count in given.items():
                    vec[game.action_index(p, action)] = float(count)
            else:
                vec = np.asarray(given, dtype=float).reshape(-1)
            arrays.append(vec)
    else:
        arrays = [np.asarray(c, dtype=float).reshape(-1) for c in counts]
    if len(arrays) != game.n_players:
        raise SolverError(f"counts for {game.n_players} players expected, got {len(arrays)}")
    for p, vec in enumerate(arrays):
        if vec.shape != (game.shape[p],) or not np.all(np.isfinite(vec)) or vec.min() < 0:
            raise SolverError(
                f"counts of '{game.players[p]}' must be {game.shape[p]} non-negative numbers, "
                f"got {vec.tolist()}"
            )
    if sum(float(v.sum()) for v in arrays) <= 0:
        raise SolverError("no observations: every count is zero")
    return tuple(arrays)


def _log_likelihood(counts: tuple[FloatArray, ...], strategies: Sequence[FloatArray]) -> float:
    total = 0.0
    for c, s in zip(counts, strategies, strict=True):
        mask = c > 0
        total += float(c[mask] @ np.log(np.clip(s[mask], 1e-300, None)))
    return total


def fit_lambda(
    game: Game,
    counts: Sequence[ArrayLike] | Mapping[str, Any],
    *,
    max_lambda: float = 1e3,
) -> LogitFit:
    """Fit lambda to observed choice counts by maximum likelihood along the principal branch.

    The branch is traced from 0 to ``max_lambda`` (times the largest payoff range); the
    log-likelihood of the counts is evaluated at each point, and the best point is refined by
    golden-section search between its neighbours, each trial solved at fixed lambda by Newton's
    method (the global maximiser along the branch, as pygambit's ``logit_estimate`` by default).

    Parameters
    ----------
    game
        The game.
    counts
        Per player, the number of times each action was observed: arrays in action order, or
        ``{player: {action: count}}``.
    max_lambda
        End of the search, times the largest payoff range.

    Returns
    -------
    LogitFit
    """
    observed = _counts(game, counts)
    _check_size(game)
    stop = max_lambda / float(game.scales.max())
    points, _, _ = _trace(
        game, stop_lambda=stop, first_step=0.03, max_accel=1.1, max_steps=MAX_STEPS
    )
    system = _System(game)

    def strategies_of(y: FloatArray) -> list[FloatArray]:
        return [np.exp(part) for part in system.split(y[:-1])]

    scores = [_log_likelihood(observed, strategies_of(y)) for y in points]
    best = int(np.argmax(scores))
    lo = points[max(best - 1, 0)]
    hi = points[min(best + 1, len(points) - 1)]

    def at(lam: float) -> tuple[FloatArray, float]:
        if hi[-1] == lo[-1]:
            y = points[best]
        else:
            w = (lam - lo[-1]) / (hi[-1] - lo[-1])
            y = lo + w * (hi - lo)
            y[-1] = lam
            y, ok = _newton(system, y, fixed_lambda=True)
            if not ok:
                return points[best], scores[best]
        return y, _log_likelihood(observed, strategies_of(y))

    a, b = float(lo[-1]), float(hi[-1])
    best_y, best_score = points[best], scores[best]
    if b > a:
        golden = (math.sqrt(5) - 1) / 2
        c, d = b - golden * (b - a), a + golden * (b - a)
        (yc, fc), (yd, fd) = at(c), at(d)
        for _ in range(60):
            if fc > fd:
                b, d, yd, fd = d, c, yc, fc
                c = b - golden * (b - a)
                yc, fc = at(c)
            else:
                a, c, yc, fc = c, d, yd, fd
                d = a + golden * (b - a)
                yd, fd = at(d)
            if b - a < 1e-10 * max(1.0, b):
                break
        for y, f in ((yc, fc), (yd, fd)):
            if f > best_score:
                best_y, best_score = y, f
    strategies = [s / s.sum() for s in strategies_of(best_y)]
    return LogitFit(
        lam=float(best_y[-1]),
        profile=Profile(game, tuple(strategies)),
        log_likelihood=best_score,
        counts=observed,
    )


@register(
    "logit",
    summary="limit of the logit QRE principal branch (McKelvey-Palfrey; path following)",
    two_player_only=False,
    finds="one",
    work=qre_work,
    max_work=MAX_QRE_WORK,
    work_unit="payoff entries per tracing step",
)
def logit(game: Game, *, tol: float, max_lambda: float = MAX_LAMBDA) -> Candidates:
    """One Nash equilibrium: the limit of the logit QRE principal branch (the tracing procedure).

    Returns
    -------
    Candidates
        The polished limit (or the raw end point, which the regret check may then reject);
        never complete.
    """
    branch = logit_branch(game, max_lambda=max_lambda, tol=tol)
    if branch.limit is not None:
        profiles = [branch.limit.strategies]
    else:
        profiles = [branch.profile(len(branch.lambdas) - 1).strategies]
    return Candidates(
        profiles,
        complete=False,
        warnings=list(branch.warnings),
        details={"qre_points": len(branch.lambdas), "end_lambda": float(branch.lambdas[-1])},
    )
