"""Every equilibrium of a small N-player game, with certified root isolation.

Method ``polynomial_enumeration``. Support enumeration (Porter, Nudelman and Shoham 2008,
"Simple search methods for finding a Nash equilibrium", Games Econ. Behav. 63) over every
support profile ``(S_1, ..., S_N)``:

1. **Pruning.** A profile is skipped when an action in some ``S_i`` is *conditionally strictly
   dominated* given the others' supports: another action of player ``i`` pays strictly more
   against every pure profile of ``S_-i`` (Porter et al., section 3), so it pays more against
   every mixture with exactly those supports.
2. **The indifference system.** With ``y_i`` the probabilities of ``S_i`` after its first action
   (that one is ``1 - sum y_i``), each player's payoff differences between the actions of
   ``S_i`` are multilinear in the others' ``y``: ``sum (|S_i| - 1)`` equations in as many
   unknowns. Equilibria with exactly these supports are its roots with every probability
   positive and no profitable action outside the supports (McKelvey and McLennan 1996,
   "Computation of equilibria in finite games", Handbook of Computational Economics 1, ch. 2).
3. **Certified root isolation** on the box ``[-1/64, 1 + 1/64]^d`` (Moore, Kearfott and Cloud
   2009, *Introduction to Interval Analysis*, SIAM, chapters 5 and 8): a box is *excluded*
   when the interval value of some equation does not contain 0, of some outside action's gain
   is positive, or of some probability is negative; the *Krawczyk operator*
   ``K(X) = m - Y F(m) + (I - Y F'(X)) (X - m)`` excludes the box when ``K(X)`` misses it,
   *proves exactly one root* in it when ``K(X)`` lies in its interior (Newton's method then
   refines that root), and otherwise contracts the box to ``X ∩ K(X)``, which is bisected along
   the variable of largest ``width x |derivative|`` when it barely shrinks.
4. **Check.** A certified root becomes a candidate when its support probabilities are
   non-negative and the profile passes the regret check (again, independently, in
   :func:`gametheory.solve`).

Completeness is proved, and the result marked complete, only when every box of every
support profile was excluded or certified. A box that reaches :data:`MIN_WIDTH` undecided
(a singular root, or a continuum of equilibria, as when a player's payoffs are constant) or a
support profile that exhausts :data:`MAX_BOXES_PER_SUPPORT` makes the result incomplete, with a
warning naming the supports and where the undecided boxes are; from such boxes Gauss-Newton
steps look for sample equilibria, which are listed when they pass the regret check.

Interval values use midpoint-radius arithmetic (Rump 1999, "Fast and parallel interval
arithmetic", BIT 39) with each radius inflated by a bound on the floating-point rounding of
its dot products (Higham 2002, *Accuracy and Stability of Numerical Algorithms*, eq. 3.5:
``gamma_n = n u / (1 - n u)``) rather than directed rounding, which numpy does not offer.

Cost and limits: ``prod (2^n_i - 1)`` support profiles (3x3x3: 343) of up to
``sum (n_i - 1)`` unknowns each; games beyond :data:`MAX_SUPPORT_PROFILES` or
:data:`MAX_UNKNOWNS` are refused before any work. Boxes are evaluated :data:`BATCH` at a time
in array operations. Measured on this machine (``benchmarks/nplayer.py``, 10 seeded games
each, two runs on a shared machine): generic 2x2x2 median 0.02-0.03 s, 3x3x3 1.0-1.1 s
(max 3 s), 2x2x2x2 0.2 s, all proved complete; with integer payoffs 0-3 (ties) 3x3x3 median
2-3.5 s (max 26 s), mostly incomplete because of continua. pygambit's enumpoly is 10-60x
faster and missed equilibria on 7 of the 10 generic 3x3x3 games.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import Game, Profile, payoff_scales
from ._nplayer_auto import support_profile_count, unknowns
from .registry import register
from .result import Candidates

__all__ = [
    "MAX_SUPPORT_PROFILES",
    "MAX_UNKNOWNS",
    "polynomial_enumeration",
    "support_profile_count",
]

FloatArray = NDArray[np.float64]

#: Most support profiles examined (3x3x3: 343; 2x2x2x2: 81; 3x3x3x3: 2,401 is refused).
MAX_SUPPORT_PROFILES = 2_000
#: Most unknowns ``sum (n_i - 1)`` in one indifference system (3x3x3: 6; 4x4x3: 8).
MAX_UNKNOWNS = 8
#: Boxes examined for one support profile before it is given up (result then incomplete).
MAX_BOXES_PER_SUPPORT = 60_000
#: For a structurally singular system (no root can be certified): boxes, and the width below
#: which a box that cannot be excluded is reported.
MAX_SINGULAR_BOXES = 2_000
SINGULAR_WIDTH = 1.0 / 256.0
#: Boxes examined in one solve before the search stops (result then incomplete).
MAX_BOXES = 150_000
#: Width below which an undecided box is reported instead of bisected.
MIN_WIDTH = 1e-7
#: Margin of the search box beyond [0, 1], so that roots on a face of the simplex are interior.
MARGIN = 1.0 / 64.0
#: Fraction of a box's width added on each side before the Krawczyk test.
INFLATION = 1e-3
#: Where a box is cut, as a fraction of its width (off the middle, so that roots with simple
#: dyadic coordinates such as 1/2 or 1/4 fall inside boxes rather than on their faces).
CUT = 0.4921875 + 1e-7
#: How far below zero a gain on a face of the simplex may be for :func:`_face_excluded`.
FACE_TOL = 1e-12
#: Boxes examined together in one set of array operations.
BATCH = 1024
#: Unit roundoff of float64.
UNIT = 2.0**-53
#: Support probabilities at least this negative disqualify a certified root.
NEGATIVE = -1e-10
#: Undecided boxes per support profile from which sample equilibria are sought.
SAMPLES = 3


@dataclass(frozen=True)
class _System:
    """The indifference system of one support profile, in the coordinates ``z_j = (1, y_j)``.

    ``tensors[i]`` has shape ``(n_i - 1, |S_j| for j != i)``: row ``r`` is player ``i``'s
    payoff (divided by its range) from the ``r``-th action other than the first of ``S_i``,
    minus that from the first, multilinear in the others' ``z``. The first ``|S_i| - 1`` rows
    are equations (actions in the support), the rest must be <= 0 (actions outside).
    """

    supports: tuple[tuple[int, ...], ...]
    tensors: tuple[FloatArray, ...]
    rows: tuple[tuple[int, ...], ...]  # the action of each row, per player
    offsets: tuple[int, ...]  # first unknown of each player
    dim: int
    #: (i, j, tensor): derivative of player i's equations in y_j, with y_j's axis last.
    derivatives: tuple[tuple[int, int, FloatArray], ...] = ()

    def sizes(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.supports)


def _build(game: Game, supports: tuple[tuple[int, ...], ...], scales: FloatArray) -> _System:
    n = game.n_players
    tensors = []
    rows = []
    for i in range(n):
        index = tuple(
            np.arange(game.shape[i]) if j == i else np.array(supports[j]) for j in range(n)
        )
        own = np.moveaxis(game.payoffs[i][np.ix_(*index)], i, 0) / scales[i]
        first = supports[i][0]
        order = [a for a in supports[i][1:]] + [
            a for a in range(game.shape[i]) if a not in supports[i]
        ]
        tensor = own[order] - own[first]
        # x_j = A_j z_j: x_j[first] = 1 - sum y_j, x_j[b] = y_j[b - 1].
        axis = 1
        for j in range(n):
            if j == i:
                continue
            size = len(supports[j])
            a = np.eye(size)
            a[0, 1:] = -1.0
            tensor = np.moveaxis(np.tensordot(tensor, a, axes=([axis], [0])), -1, axis)
            axis += 1
        tensors.append(tensor)
        rows.append(tuple(order))
    offsets = tuple(itertools.accumulate([0] + [len(s) - 1 for s in supports]))[:-1]
    dim = sum(len(s) - 1 for s in supports)
    sizes = [len(s) for s in supports]
    derivatives = []
    for i, tensor in enumerate(tensors):
        others = [j for j in range(n) if j != i]
        for position, j in enumerate(others):
            if sizes[i] > 1 and sizes[j] > 1:
                part = tensor[: sizes[i] - 1].take(np.arange(1, sizes[j]), axis=1 + position)
                derivatives.append((i, j, np.moveaxis(part, 1 + position, -1)))
    return _System(supports, tuple(tensors), tuple(rows), offsets, dim, tuple(derivatives))


def _contract(
    mid: FloatArray, rad: FloatArray, zmid: FloatArray, zrad: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Midpoint-radius product of interval tensors' axis 2 with interval vectors, per box.

    ``mid``/``rad`` have shape ``(boxes, rows, s, ...)``, ``zmid``/``zrad`` ``(boxes, s)``.
    The radius covers the exact products' spread plus the rounding of the dot products
    (``gamma_{s+2}`` times their absolute values, Higham 2002, eq. 3.5).
    """
    shape = mid.shape
    m3 = mid.reshape(shape[0], shape[1], shape[2], -1)
    r3 = rad.reshape(m3.shape)
    am = np.abs(m3)
    az = np.abs(zmid) + zrad
    new_mid = np.einsum("brsk,bs->brk", m3, zmid).reshape(shape[:2] + shape[3:])
    absolute = (np.einsum("brsk,bs->brk", am + r3, az)).reshape(new_mid.shape)
    spread = (np.einsum("brsk,bs->brk", am, zrad) + np.einsum("brsk,bs->brk", r3, az)).reshape(
        new_mid.shape
    )
    k = shape[2] + 2
    gamma = k * UNIT / (1 - k * UNIT)
    return new_mid, spread * (1 + 4 * UNIT) + 2 * gamma * absolute + 1e-300


def _zs(system: _System, mid: FloatArray, rad: FloatArray) -> list[tuple[FloatArray, FloatArray]]:
    """Each player's ``z = (1, y)`` per box, as interval midpoints and radii ``(boxes, s)``."""
    out = []
    ones = np.ones((mid.shape[0], 1))
    for off, s in zip(system.offsets, system.sizes(), strict=True):
        out.append(
            (
                np.concatenate((ones, mid[:, off : off + s - 1]), axis=1),
                np.concatenate((0 * ones, rad[:, off : off + s - 1]), axis=1),
            )
        )
    return out


def _batch(tensor: FloatArray, boxes: int) -> tuple[FloatArray, FloatArray]:
    mid = np.broadcast_to(tensor, (boxes, *tensor.shape))
    return mid, np.zeros(mid.shape)


def _values(
    system: _System, zs: list[tuple[FloatArray, FloatArray]]
) -> list[tuple[FloatArray, FloatArray]]:
    """Interval value of every row of every player, per box: ``(boxes, rows)``."""
    out = []
    boxes = zs[0][0].shape[0]
    for i, tensor in enumerate(system.tensors):
        mid, rad = _batch(tensor, boxes)
        for j, (zm, zr) in enumerate(zs):
            if j != i:
                mid, rad = _contract(mid, rad, zm, zr)
        out.append((mid, rad))
    return out


def _jacobian(
    system: _System, zs: list[tuple[FloatArray, FloatArray]]
) -> tuple[FloatArray, FloatArray]:
    """Interval Jacobian of the equations (rows) in the unknowns (columns), per box."""
    d = system.dim
    boxes = zs[0][0].shape[0]
    jm, jr = np.zeros((boxes, d, d)), np.zeros((boxes, d, d))
    sizes = system.sizes()
    for i, j, tensor in system.derivatives:
        mid, rad = _batch(tensor, boxes)
        for k, z in enumerate(zs):
            if k != i and k != j:
                mid, rad = _contract(mid, rad, *z)
        r0, c0 = system.offsets[i], system.offsets[j]
        jm[:, r0 : r0 + sizes[i] - 1, c0 : c0 + sizes[j] - 1] = mid
        jr[:, r0 : r0 + sizes[i] - 1, c0 : c0 + sizes[j] - 1] = rad
    return jm, jr


def _equations(
    system: _System, values: list[tuple[FloatArray, FloatArray]]
) -> tuple[FloatArray, FloatArray]:
    sizes = system.sizes()
    mids = [v[0][:, : sizes[i] - 1] for i, v in enumerate(values)]
    rads = [v[1][:, : sizes[i] - 1] for i, v in enumerate(values)]
    return np.concatenate(mids, axis=1), np.concatenate(rads, axis=1)


def _excluded(system: _System, lo: FloatArray, hi: FloatArray) -> NDArray[np.bool_]:
    """Per box: whether interval values prove it holds no equilibrium of these supports."""
    out: NDArray[np.bool_] = np.any(hi < 0, axis=1)  # some probability negative throughout
    for off, s in zip(system.offsets, system.sizes(), strict=True):
        # The first action's probability 1 - sum y must be able to be >= 0.
        if s > 1:
            out |= lo[:, off : off + s - 1].sum(axis=1) > 1.0 + 1e-12
    sizes = system.sizes()
    values = _values(system, _zs(system, (lo + hi) / 2, (hi - lo) / 2))
    for i, (vm, vr) in enumerate(values):
        eq = sizes[i] - 1
        out |= np.any(np.abs(vm[:, :eq]) > vr[:, :eq], axis=1)
        out |= np.any(vm[:, eq:] - vr[:, eq:] > 0, axis=1)
    return out


NONE, UNIQUE, SHRUNK = 0, 1, 2


def _krawczyk(
    system: _System, lo: FloatArray, hi: FloatArray
) -> tuple[NDArray[np.int_], FloatArray, FloatArray, FloatArray, FloatArray]:
    """One Krawczyk step per box: NONE, UNIQUE (in K(X)) or SHRUNK (to X ∩ K(X)).

    The operator is applied to each box inflated by :data:`INFLATION` of its width on each
    side (epsilon-inflation, Rump 1999), so that a root on the face shared by two boxes is
    certified from either; every conclusion is about the inflated box, which contains the box.
    Where the Jacobian at the centre is singular, ``Y = 0`` and the box comes back unchanged.
    Returns the codes, the new boxes' bounds and the interval Jacobian (midpoints, radii).
    """
    pad = INFLATION * (hi - lo) + 1e-15
    blo, bhi = lo - pad, hi + pad
    m, r = (blo + bhi) / 2, (bhi - blo) / 2
    boxes, d = m.shape
    fm, fr = _equations(system, _values(system, _zs(system, m, np.zeros_like(m))))
    jm, jr = _jacobian(system, _zs(system, m, r))
    centre_j, _ = _jacobian(system, _zs(system, m, np.zeros_like(m)))
    with np.errstate(all="ignore"):
        condition = np.linalg.cond(centre_j)
    singular = ~np.isfinite(condition) | (condition > 1e12)
    safe = np.where(singular[:, None, None], np.eye(d), centre_j)
    y = np.linalg.inv(safe)
    y[singular] = 0.0
    ay = np.abs(y)
    gamma = (d + 2) * UNIT / (1 - (d + 2) * UNIT)
    residual = np.eye(d) - y @ jm
    centre = m - np.einsum("bij,bj->bi", y, fm)
    spread = np.abs(residual) + ay @ jr + 2 * gamma * (ay @ np.abs(jm) + 1)
    width = np.einsum("bij,bj->bi", spread, r)
    radius = (
        np.einsum("bij,bj->bi", ay, fr)
        + width
        + 2 * gamma * (np.abs(m) + np.einsum("bij,bj->bi", ay, np.abs(fm)))
        + 1e-300
    )
    k_lo, k_hi = centre - radius, centre + radius
    codes = np.full(boxes, SHRUNK)
    inside = np.all(k_lo > blo, axis=1) & np.all(k_hi < bhi, axis=1) & ~singular
    codes[inside] = UNIQUE
    new_lo = np.where(inside[:, None], k_lo, np.maximum(lo, k_lo))
    new_hi = np.where(inside[:, None], k_hi, np.minimum(hi, k_hi))
    apart = np.any(k_hi < blo, axis=1) | np.any(k_lo > bhi, axis=1)
    apart |= ~inside & np.any(new_lo > new_hi, axis=1)
    codes[apart] = NONE
    keep = singular[:, None]
    new_lo = np.where(keep, lo, new_lo)
    new_hi = np.where(keep, hi, new_hi)
    return codes, new_lo, new_hi, jm, jr


def _structurally_regular(system: _System) -> bool:
    """Whether the Jacobian's non-zero pattern admits a perfect matching of equations to unknowns.

    Without one the Jacobian is singular at every point (its determinant is a sum of products
    along perfect matchings), so no root can be certified: the roots, if any, are singular or
    form a continuum (as when a player's payoffs do not depend on its action).
    """
    d = system.dim
    pattern = np.zeros((d, d), dtype=bool)
    sizes = system.sizes()
    for i, j, tensor in system.derivatives:
        r0, c0 = system.offsets[i], system.offsets[j]
        moved = np.moveaxis(tensor, -1, 1).reshape(sizes[i] - 1, sizes[j] - 1, -1)
        pattern[r0 : r0 + sizes[i] - 1, c0 : c0 + sizes[j] - 1] = np.any(moved != 0, axis=2)
    match: dict[int, int] = {}  # unknown -> equation

    def augment(row: int, seen: set[int]) -> bool:
        for col in np.nonzero(pattern[row])[0].tolist():
            if col not in seen:
                seen.add(col)
                if col not in match or augment(match[col], seen):
                    match[col] = row
                    return True
        return False

    return all(augment(row, set()) for row in range(d))


def _residual(system: _System, y: FloatArray) -> FloatArray:
    point = y[None, :]
    value: FloatArray = _equations(
        system, _values(system, _zs(system, point, np.zeros_like(point)))
    )[0][0]
    return value


def _newton(system: _System, y: FloatArray, steps: int = 30) -> FloatArray | None:
    """Gauss-Newton from ``y`` (least squares where the Jacobian is singular)."""
    for _ in range(steps):
        f = _residual(system, y)
        if float(np.abs(f).max(initial=0.0)) < 1e-15:
            return y
        point = y[None, :]
        jm = _jacobian(system, _zs(system, point, np.zeros_like(point)))[0][0]
        step = np.linalg.lstsq(jm, f, rcond=None)[0]
        y = y - step
        if not np.all(np.isfinite(y)) or float(np.abs(step).max()) < 1e-16:
            break
    return y if float(np.abs(_residual(system, y)).max(initial=0.0)) < 1e-11 else None


def _face_excluded(system: _System, lo: FloatArray, hi: FloatArray) -> bool:
    """Whether a small box touching a face of the simplex holds no root inside the simplex.

    Each row is linear in each player's ``y`` (the rows are multilinear across players), so
    along an unknown ``y_c`` of player ``j`` a row of another player is
    ``g(face) + (y_c - face) * D`` with ``D`` its coefficient of ``y_c``. When the box touches
    ``y_c = 0`` and some outside action's gain has ``g(face) >= 0`` and ``D > 0`` throughout
    (or an equation has ``g(face)`` and ``D`` of one strict sign), every point with ``y_c > 0``
    has a profitable deviation (or a non-zero equation): no equilibrium with these supports is
    in the box. The same at ``y_c = 1`` when ``j`` mixes two actions (the other probability is
    ``1 - y_c``), with ``D < 0``. This settles the ties where a gain vanishes exactly on a face.
    ``g(face)`` is allowed to be as low as ``-FACE_TOL`` (rows are in units of the player's
    payoff range): what is then not excluded lies within ``FACE_TOL / D`` of the face, where
    the face's profile is an equilibrium within the regret tolerance.
    """
    sizes = system.sizes()
    box_lo, box_hi = lo[None, :], hi[None, :]
    for j, (off, s) in enumerate(zip(system.offsets, sizes, strict=True)):
        for k in range(s - 1):
            c = off + k
            for face, direction in ((0.0, 1.0), (1.0, -1.0)):
                if not (lo[c] <= face <= hi[c]) or (face == 1.0 and s != 2):
                    continue
                face_lo, face_hi = box_lo.copy(), box_hi.copy()
                face_lo[0, c] = face_hi[0, c] = face
                at_face = _values(
                    system, _zs(system, (face_lo + face_hi) / 2, (face_hi - face_lo) / 2)
                )
                zs = _zs(system, (box_lo + box_hi) / 2, (box_hi - box_lo) / 2)
                unit = np.zeros((1, s))
                unit[0, k + 1] = 1.0
                zs[j] = (unit, np.zeros((1, s)))
                slope = _values(system, zs)
                for i in range(len(sizes)):
                    if i == j:
                        continue
                    eq = sizes[i] - 1
                    fm, fr = at_face[i][0][0], at_face[i][1][0]
                    dm, dr = slope[i][0][0] * direction, slope[i][1][0]
                    rising = (fm - fr >= -FACE_TOL) & (dm - dr > 0)
                    falling = (fm + fr <= FACE_TOL) & (dm + dr < 0)
                    if np.any(rising[eq:]) or np.any(rising[:eq] | falling[:eq]):
                        return True
    return False


def _refine(system: _System, lo: FloatArray, hi: FloatArray) -> FloatArray | None:
    """The root proved to lie in ``[lo, hi]``, by Newton's method from its centre.

    None if Newton's method leaves the box (slightly widened for rounding) or stalls; a box
    already narrower than 1e-12 gives its centre.
    """
    if float((hi - lo).max()) < 1e-12:
        return (lo + hi) / 2
    root = _newton(system, (lo + hi) / 2)
    margin = 1e-9 + 1e-6 * (hi - lo)
    if root is None or np.any(root < lo - margin) or np.any(root > hi + margin):
        return None
    return root


def _profile(game: Game, system: _System, y: FloatArray) -> tuple[FloatArray, ...] | None:
    """The full strategy profile at ``y``, or None if a support probability is negative."""
    strategies = []
    for i, (off, support) in enumerate(zip(system.offsets, system.supports, strict=True)):
        x = np.zeros(game.shape[i])
        free = y[off : off + len(support) - 1]
        x[list(support[1:])] = free
        x[support[0]] = 1.0 - float(free.sum())
        if float(x.min()) < NEGATIVE:
            return None
        x = np.clip(x, 0.0, None)
        strategies.append(x / x.sum())
    return tuple(strategies)


def _dominated(game: Game, supports: tuple[tuple[int, ...], ...]) -> bool:
    """Whether an action of some S_i is conditionally strictly dominated given S_-i."""
    n = game.n_players
    for i in range(n):
        index = tuple(
            np.arange(game.shape[i]) if j == i else np.array(supports[j]) for j in range(n)
        )
        own = np.moveaxis(game.payoffs[i][np.ix_(*index)], i, 0).reshape(game.shape[i], -1)
        for a in supports[i]:
            if np.any(np.all(own > own[a], axis=1)):
                return True
    return False


def _support_profiles(game: Game) -> Iterator[tuple[tuple[int, ...], ...]]:
    per_player = [
        [c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]
        for n in game.shape
    ]
    # Smaller supports first: pure and small mixed equilibria are cheap and common.
    return iter(sorted(itertools.product(*per_player), key=lambda s: sum(map(len, s))))


@dataclass
class _Search:
    """What the search over one game found."""

    profiles: list[tuple[FloatArray, ...]] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    boxes: int = 0
    certified: int = 0
    examined: int = 0
    pruned: int = 0
    stopped: bool = False


def _bisect(
    lo: FloatArray, hi: FloatArray, jm: FloatArray, jr: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Cut each box in two along the unknown of largest width x |derivative| (else the widest).

    Returns the bounds of the halves, stacked: ``(2 * boxes, d)``.
    """
    widths = hi - lo
    smear = (np.abs(jm) + jr).max(axis=1) * widths
    k = np.where(smear.max(axis=1) > 0, np.argmax(smear, axis=1), np.argmax(widths, axis=1))
    rows = np.arange(lo.shape[0])
    cut = lo[rows, k] + CUT * widths[rows, k]
    left_hi, right_lo = hi.copy(), lo.copy()
    left_hi[rows, k] = cut
    right_lo[rows, k] = cut
    return np.concatenate((lo, right_lo)), np.concatenate((left_hi, hi))


def _label(game: Game, supports: tuple[tuple[int, ...], ...]) -> str:
    return "; ".join(
        f"{game.players[i]}: {{{', '.join(game.actions[i][a] for a in s)}}}"
        for i, s in enumerate(supports)
    )


def _solve_support(game: Game, system: _System, tol: float, search: _Search) -> None:
    d = system.dim
    if d == 0:
        profile = _profile(game, system, np.zeros(0))
        if profile is not None and Profile(game, profile).is_equilibrium(tol):
            search.profiles.append(profile)
        return
    regular = _structurally_regular(system)
    budget = MAX_BOXES_PER_SUPPORT if regular else MAX_SINGULAR_BOXES
    min_width = MIN_WIDTH if regular else SINGULAR_WIDTH
    stack_lo = [np.full((1, d), -MARGIN)]
    stack_hi = [np.full((1, d), 1.0 + MARGIN)]
    boxes = 0
    undecided: list[FloatArray] = []  # centres
    undecided_widths: list[FloatArray] = []  # half-widths
    narrow: list[FloatArray] = []  # centres of boxes left when the budget ran out
    roots: list[FloatArray] = []
    while stack_lo:
        if boxes >= budget or search.boxes >= MAX_BOXES:
            search.stopped = True
            left = np.concatenate(stack_lo)
            left_hi = np.concatenate(stack_hi)
            narrow.extend(((left + left_hi) / 2)[-SAMPLES:])
            where = ", ".join(np.array2string(c, precision=3) for c in narrow)
            search.undecided.append(
                f"{_label(game, system.supports)}: search stopped after {boxes:,} boxes "
                f"with {len(left)} undecided (centres of unknowns {where})"
            )
            break
        # The most recent boxes first (depth first), a batch at a time.
        lo, hi = np.concatenate(stack_lo), np.concatenate(stack_hi)
        take = min(BATCH, lo.shape[0])
        stack_lo = [lo[:-take]] if lo.shape[0] > take else []
        stack_hi = [hi[:-take]] if hi.shape[0] > take else []
        lo, hi = lo[-take:], hi[-take:]
        boxes += take
        search.boxes += take
        alive = ~_excluded(system, lo, hi)
        lo, hi = lo[alive], hi[alive]
        if lo.shape[0] == 0:
            continue
        widths = (hi - lo).max(axis=1)
        if not regular:
            small = widths < min_width
            undecided.extend(((lo + hi) / 2)[small])
            undecided_widths.extend(((hi - lo) / 2)[small])
            lo, hi = lo[~small], hi[~small]
            if lo.shape[0]:
                jm, jr = _jacobian(system, _zs(system, (lo + hi) / 2, (hi - lo) / 2))
                halves = _bisect(lo, hi, jm, jr)
                stack_lo.append(halves[0])
                stack_hi.append(halves[1])
            continue
        codes, new_lo, new_hi, jm, jr = _krawczyk(system, lo, hi)
        for b in np.nonzero(codes == UNIQUE)[0].tolist():
            root = _refine(system, new_lo[b], new_hi[b])
            if root is None:  # Newton left K(X): cut the box and try again
                codes[b] = SHRUNK
                new_lo[b], new_hi[b] = lo[b], hi[b]
            else:
                search.certified += 1
                roots.append(root)
        shrunk = codes == SHRUNK
        new_lo, new_hi, widths, jm, jr = (
            new_lo[shrunk],
            new_hi[shrunk],
            widths[shrunk],
            jm[shrunk],
            jr[shrunk],
        )
        new_widths = (new_hi - new_lo).max(axis=1)
        small = new_widths < min_width
        undecided.extend(((new_lo + new_hi) / 2)[small])
        undecided_widths.extend(((new_hi - new_lo) / 2)[small])
        again = ~small & (new_widths < 0.7 * widths)
        cut = ~small & ~again
        if np.any(again):
            stack_lo.append(new_lo[again])
            stack_hi.append(new_hi[again])
        if np.any(cut):
            halves = _bisect(new_lo[cut], new_hi[cut], jm[cut], jr[cut])
            stack_lo.append(halves[0])
            stack_hi.append(halves[1])
    undecided = [
        c
        for c, w in zip(undecided, undecided_widths, strict=True)
        if not _face_excluded(system, c - w, c + w)
    ]
    if undecided:
        where = ", ".join(np.array2string(c, precision=4) for c in undecided[:SAMPLES])
        kind = "" if regular else " (the system is singular everywhere)"
        search.undecided.append(
            f"{_label(game, system.supports)}{kind}: {len(undecided)} box(es) narrower than "
            f"{min_width:g} could be neither excluded nor certified (centres of unknowns "
            f"{where})"
        )
    starts = [(root, False) for root in roots] + [(c, True) for c in undecided[:SAMPLES] + narrow]
    for point, polish in starts:
        root = _newton(system, point) if polish else point
        if root is not None:
            profile = _profile(game, system, root)
            if profile is not None and Profile(game, profile).is_equilibrium(tol):
                search.profiles.append(profile)


@register(
    "polynomial_enumeration",
    summary="every equilibrium of a small N-player game: support enumeration with certified "
    "(Krawczyk interval) root isolation; complete only when proven",
    two_player_only=False,
    finds="all",
    work=support_profile_count,
    max_work=MAX_SUPPORT_PROFILES,
    work_unit="support profiles",
)
def polynomial_enumeration(game: Game, *, tol: float) -> Candidates:
    """Every equilibrium of a small game, certified (see the module docstring).

    Parameters
    ----------
    game
        Any number of players; refused beyond :data:`MAX_SUPPORT_PROFILES` support profiles
        or :data:`MAX_UNKNOWNS` unknowns per system (checked before any work).
    tol
        Relative regret tolerance for the candidates' check.

    Returns
    -------
    Candidates
        Complete when every box of every support profile was excluded or certified to hold
        one root. ``details`` counts support profiles examined and pruned, boxes, certified
        roots, and lists undecided supports.
    """
    profiles = support_profile_count(game)
    if profiles > MAX_SUPPORT_PROFILES:
        raise SolverError(
            f"polynomial_enumeration examines {profiles:,} support profiles for this "
            f"{'x'.join(map(str, game.shape))} game (limit {MAX_SUPPORT_PROFILES:,})"
        )
    count = unknowns(game)
    if count > MAX_UNKNOWNS:
        raise SolverError(
            f"polynomial_enumeration would solve systems of {count} unknowns for this "
            f"{'x'.join(map(str, game.shape))} game (limit {MAX_UNKNOWNS})"
        )
    scales = payoff_scales(game.payoffs)
    search = _Search()
    for supports in _support_profiles(game):
        if search.boxes >= MAX_BOXES:
            search.stopped = True
            break
        if _dominated(game, supports):
            search.pruned += 1
            continue
        search.examined += 1
        _solve_support(game, _build(game, supports, scales), tol, search)
    warnings = []
    if search.undecided:
        shown = search.undecided[:5]
        more = len(search.undecided) - len(shown)
        warnings.append(
            "a continuum of equilibria or a singular solution may exist on "
            f"{len(search.undecided)} support profile(s), so the list may be incomplete "
            "(sample points found there are listed when they pass the regret check): "
            + " | ".join(shown)
            + (f" | and {more} more" if more else "")
        )
    if search.stopped:
        warnings.append(
            f"the box search stopped at its budget ({MAX_BOXES_PER_SUPPORT:,} boxes per support "
            f"profile, {MAX_BOXES:,} in all), so the list may be incomplete"
        )
    complete = not search.undecided and not search.stopped
    return Candidates(
        _unique(search.profiles),
        complete=complete,
        warnings=warnings,
        details={
            "support_profiles": support_profile_count(game),
            "support_profiles_pruned": search.pruned,
            "support_profiles_solved": search.examined,
            "boxes": search.boxes,
            "certified_roots": search.certified,
            "undecided_supports": len(search.undecided),
        },
        degenerate=True if search.undecided else None,
    )


def _unique(profiles: list[tuple[FloatArray, ...]]) -> list[tuple[FloatArray, ...]]:
    out: list[tuple[FloatArray, ...]] = []
    for p in profiles:
        flat = np.concatenate(p)
        if all(float(np.abs(np.concatenate(q) - flat).max()) > 1e-9 for q in out):
            out.append(p)
    return out
