"""One equilibrium of a two-player constant-sum tree by the sequence-form linear program.

For a zero-sum tree (payoff matrices ``A = -B`` of the sequence form, see
:mod:`gametheory.solvers.sequence_form`) the equilibria are the solutions of a linear program
of linear size (Koller, Megiddo and von Stengel 1994, "Fast algorithms for finding randomized
strategies in game trees", STOC; von Stengel 1996, "Efficient computation of behavior
strategies", *GEB* 14, Theorem 4.4; von Stengel, ch. 3 of *Algorithmic Game Theory*, 2007,
section 3.11). Player 1's max-min program is::

    maximise f'q  subject to  F'q - A'x <= 0,  E x = e,  x >= 0  (q free),

whose optimum is the game's value to player 1 and whose ``x`` is an optimal realization plan.
Its dual is player 2's min-max program ``min e'p s.t. E'p - A y >= 0, F y = f, y >= 0``:
the dual variables of the inequality rows ``F'q - A'x <= 0`` (one per sequence of player 2)
are player 2's optimal plan ``y``. ``scipy.optimize.linprog`` minimises ``-f'q`` and reports
``ineqlin.marginals`` (the objective's sensitivity to the right-hand side, ``<= 0``), so
``y = -ineqlin.marginals``. Should that plan fail its feasibility check, player 2's own
program is solved instead.

A constant-sum tree (``u1 + u2 = c`` at every leaf) has the equilibria of the zero-sum tree
with payoffs ``(u1 - u2) / 2`` (the constant changes no comparison), so that is what is
solved, scaled to at most 1 in absolute value.

Cost: building the sequence form is linear in the tree; HiGHS's simplex is polynomial in
practice on these sparse programs (measured in ``benchmarks/trees_zero_sum.py``). Limits: two
players, perfect recall, constant-sum (checked first, naming the leaf that breaks it), and
the sequence form's :data:`~gametheory.solvers.sequence_form.MAX_LCP_ROWS`, checked before
anything of that size is allocated. The result is re-checked by
:func:`~gametheory.solvers.sequence_form.nash_gain`, independently of the LP.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import DEFAULT_TOL
from ..model.tree import Tree
from .sequence_form import _behaviour, excluded_infosets, nash_gain, sequence_form
from .tree import TreeSolveResult, _equilibrium, constant_sum_break, register_one_equilibrium

__all__ = ["constant_sum_break", "is_constant_sum", "nash_sequence_lp"]

FloatArray = NDArray[np.float64]

#: Most violation of a plan's constraints (payoffs scaled to 1) accepted from the LP's duals.
_PLAN_TOL = 1e-7


def is_constant_sum(tree: Tree, tol: float = DEFAULT_TOL) -> bool:
    """Whether two players' payoffs add up to one constant at every leaf.

    Up to ``tol`` relative to the largest payoff magnitude; False unless two players.
    """
    return tree.n_players == 2 and constant_sum_break(tree, tol) is None


def _check(tree: Tree, tol: float) -> None:
    if not isinstance(tree, Tree):
        raise SolverError(f"the sequence-form LP needs a Tree, got {type(tree).__name__}")
    if tree.n_players != 2:
        raise SolverError(
            f"the sequence-form LP is for two-player constant-sum trees; this one has "
            f"{tree.n_players} players ({', '.join(tree.players)})"
        )
    t = constant_sum_break(tree, tol)
    if t is not None:
        first, leaf = int(tree.terminals[0]), int(tree.terminals[t])
        s0 = float(tree.payoffs[0].sum())
        st = float(tree.payoffs[t].sum())
        raise SolverError(
            f"the sequence-form LP needs a constant-sum tree; the payoffs at leaf "
            f"'{tree.node_name(leaf)}' add up to {st:.12g}, at leaf '{tree.node_name(first)}' "
            f"to {s0:.12g}"
        )


def _maxmin(E: Any, e: FloatArray, F: Any, f: FloatArray, M: Any) -> tuple[FloatArray, float, Any]:
    """Max-min plan ``z`` of the player with constraints (E, e) against (F, f), payoff ``z'M w``.

    Returns the plan, the value, and the opponent's plan read from the duals (or None).
    """
    import scipy.sparse as sp
    from scipy.optimize import linprog

    m, k = E.shape[1], F.shape[0]
    a_ub = sp.hstack([-M.T, F.T], format="csr")
    a_eq = sp.hstack([E, sp.csr_matrix((E.shape[0], k))], format="csr")
    c = np.concatenate([np.zeros(m), -f])
    bounds = [(0.0, None)] * m + [(None, None)] * k
    res = linprog(
        c,
        A_ub=a_ub,
        b_ub=np.zeros(a_ub.shape[0]),
        A_eq=a_eq,
        b_eq=e,
        bounds=bounds,
        method="highs",
    )
    if res.status != 0:
        raise SolverError(f"HiGHS did not solve the sequence-form LP: {res.message}")
    plan = np.maximum(np.asarray(res.x[:m], dtype=np.float64), 0.0)
    duals = getattr(res, "ineqlin", None)
    other = None if duals is None else -np.asarray(duals.marginals, dtype=np.float64)
    return plan, float(-res.fun), other


def _feasible(F: Any, f: FloatArray, y: Any) -> bool:
    if y is None or not np.all(np.isfinite(y)):
        return False
    return bool(y.min(initial=0.0) >= -_PLAN_TOL and np.abs(F @ y - f).max() <= _PLAN_TOL)


def solve_sequence_lp(tree: Tree, tol: float = DEFAULT_TOL) -> tuple[FloatArray, float, str]:
    """Behaviour of one equilibrium, the value to player 1, and how ``y`` was obtained."""
    _check(tree, tol)
    form = sequence_form(tree)  # perfect recall and the size limit, before allocating
    half = (tree.payoffs[:, 0] - tree.payoffs[:, 1]) / 2.0
    scale = max(float(np.abs(half).max(initial=0.0)), 1e-300)
    # (A - B) / 2 is exactly zero-sum; scaled so that leaf payoffs are at most 1.
    A = ((form.A - form.B) / (2.0 * scale)).tocsr()
    x, value, y = _maxmin(form.E, form.e, form.F, form.f, A)
    how = "player 2's plan from the LP's duals"
    if not _feasible(form.F, form.f, y):
        y, _, _ = _maxmin(form.F, form.f, form.E, form.e, (-A.T).tocsr())
        how = "player 2's plan from its own LP"
    y = np.maximum(y, 0.0)
    behaviour = _behaviour(tree, form, (x, y))
    constant = float(np.mean(tree.payoffs[:, 0] + tree.payoffs[:, 1])) if half.size else 0.0
    return behaviour, value * scale + constant / 2.0, how


@register_one_equilibrium("sequence_lp")
def nash_sequence_lp(
    tree: Tree, *, tol: float = DEFAULT_TOL, warnings: tuple[str, ...] = ()
) -> TreeSolveResult:
    """One Nash equilibrium of a two-player constant-sum tree by the sequence-form LP (HiGHS).

    Parameters
    ----------
    tree
        A two-player constant-sum tree with perfect recall; chance moves allowed.
    tol
        Relative tolerance of the constant-sum test and of the re-check.
    warnings
        Warnings to pass on.

    Returns
    -------
    TreeSolveResult
        One equilibrium (``complete=False``: there may be others, all with the same value),
        re-checked by :func:`~gametheory.solvers.sequence_form.nash_gain`; the method string
        gives the value to player 1.

    Raises
    ------
    SolverError
        Not two players, no perfect recall, not constant-sum (naming the leaf), past the size
        limit, HiGHS not optimal, or the re-check fails.

    Cost
    ----
    One sparse LP of (sequences of 1 + information sets of 2 + 1) variables; a second one
    only if the duals fail their check. See the module docstring for sources.
    """
    behaviour, value, how = solve_sequence_lp(tree, tol)
    gain, check = nash_gain(tree, behaviour)
    if gain > tol * 10:
        raise SolverError(
            f"the sequence-form LP's equilibrium failed the re-check ({check}): a player gains "
            f"{gain:.3g} of its payoff range by deviating"
        )
    arbitrary = excluded_infosets(tree, behaviour)
    return TreeSolveResult(
        tree,
        "Nash equilibrium",
        f"sequence-form LP (HiGHS), zero-sum value {value:.12g} to {tree.players[0]}; "
        "one equilibrium",
        (_equilibrium(tree, behaviour, arbitrary, gain),),
        False,
        tuple(dict.fromkeys([*warnings, how, f"re-checked by {check}"])),
        tol,
    )
