"""One equilibrium of a two-player tree through the sequence form and Lemke's algorithm.

The sequence form (Koller, Megiddo and von Stengel 1996, "Efficient computation of equilibria
for extensive two-person games", *GEB* 14; von Stengel 1996, "Efficient computation of behavior
strategies", *GEB* 14; von Stengel, ch. 3 of *Algorithmic Game Theory*, 2007) describes a
player's mixed behaviour by its *realization plan*: the probability ``x[s]`` of each of its
sequences of own moves (the empty sequence, and one sequence per (information set, move) under
perfect recall). Plans are the solutions ``x >= 0`` of ``E x = e``: ``x[empty] = 1`` and, at
each information set, the moves' probabilities add up to that of the sequence leading there.
Payoffs are bilinear, ``x' A y`` and ``x' B y``, where ``A[s, t]`` sums the chance-weighted
payoffs of the terminal nodes reached by the sequence pair ``(s, t)`` (only leaves contribute,
so ``A`` and ``B`` have at most one entry per leaf). Sizes are linear in the tree.

An equilibrium is a solution of the linear complementarity problem (KMvS 1996, eq. (4.x))::

    E x = e,  F y = f,  x, y >= 0,
    a = E'u - A y >= 0,  b = F'v - B'x >= 0,  x'a = 0,  y'b = 0   (u, v free).

It is found by Lemke's algorithm with the covering vector of von Stengel, van den Elzen and
Talman (2002, "Computing normal form perfect equilibria for extensive two-person games",
*Econometrica* 70): from a fully mixed *prior* pair of plans ``(p, q)``, an extra variable
``z0`` (here ``z0 = 1 - t``) blends the opponent's plan with the prior,
``a = E'u - A y - (A q) z0``, while the plans are scaled by ``t``: ``E x = e t``,
``F y = f t``. At ``t = 0`` each player's plan is (t times) its pure best response to the
prior; the path follows the linear tracing procedure and ends when ``z0`` leaves the basis
(``t = 1``), at an equilibrium (normal-form perfect for a generic prior, VvdET 2002).

Which prior matters for speed: the path's length from different priors differs by orders of
magnitude (on the benchmark's 8,192-leaf trees, 13,000 to over 100,000 pivots from the
centroid, 75 to 1,600 from a prior near the logit quantal-response branch). By default
(:func:`solve_sequence`) several priors share the work: :func:`logit_prior` at precisions
:data:`LOGIT_PRECISIONS`, then the centroid (every move equally likely), each path run in
turn for a slice of pivots that doubles every round, paths resumed rather than restarted; the
first path to end at an equilibrium that passes the re-check wins. An explicit behaviour
prior, or a random one from ``rng``, runs alone and can lead to other equilibria.

Degeneracy (ties in payoffs, and the degenerate start, where the best responses' plans are
basic at zero) is handled by the lexicographic minimum-ratio rule with respect to the starting
basis: the right-hand side is perturbed by ``B0 (eps, eps^2, ...)``, which makes the start
non-degenerate, and ties in the ratio test are broken by comparing rows of ``B^-1 B0``
(computed only when there is a tie). The pivot count is bounded (:data:`MAX_PIVOTS_FACTOR`
times the rows); past it a :class:`~gametheory.errors.SolverError` is raised rather than hang.

Linear algebra, chosen by measurement: the LCP of a 10,000-leaf tree has about 7,500 rows; a
dense tableau or basis inverse would take 450 MB and O(rows^2) per pivot, so the basis is kept
as a sparse LU factorisation (``scipy.sparse.linalg.splu``) of an earlier basis with a low-rank
(Sherman-Morrison-Woodbury) update for the columns changed since, refactorised every
:data:`REFACTOR_EVERY` changes. The columns keep their natural order in the
factorisation: the LCP's bases are nearly block triangular, and on the benchmark's 8,192-leaf
tree the natural order has less fill than COLAMD (L+U 38,933 against 42,819 entries at the
start) and solves four times faster (0.12 ms against 0.44 ms); SuperLU's partial pivoting by
rows keeps it stable. A pivot then costs one sparse solve, the low-rank update and the ratio test
(about 0.5-0.9 ms at 9,224 rows); see ``benchmarks/trees.py`` for measured times against Gambit.

The equilibrium's realization plans are turned into behaviour (von Stengel 1996:
``x[s a] / x[s]``); at an information set that the player's own moves exclude
(``x[s] = 0``) the first move is used and the set is reported in ``arbitrary``, as elsewhere
in :mod:`gametheory.solvers.tree`. The result is re-checked independently of the LCP: by the
regret in the reduced normal form (:func:`~gametheory.solvers.tree.tree_regret`) when that form
is within its limits, else by each player's best response computed by dynamic programming over
its own information sets.

Limits: :data:`MAX_LCP_ROWS` rows (sequences plus information sets of both players), checked
before anything of that size is allocated; two players; perfect recall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import GameError, SolverError
from ..model.game import DEFAULT_TOL, payoff_scales
from ..model.tree import DECISION, MAX_REDUCED_WORK, Tree
from .tree import (
    TreeSolveResult,
    _best_response_value,
    _equilibrium,
    reduced_form_fits,
    register_one_equilibrium,
    tree_regret,
)

__all__ = [
    "LOGIT_PRECISIONS",
    "MAX_LCP_ROWS",
    "MAX_PIVOTS_FACTOR",
    "REFACTOR_EVERY",
    "SequenceForm",
    "lemke_sequence",
    "logit_prior",
    "nash_gain",
    "nash_sequence",
    "reduced_form_fits",
    "sequence_form",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Most rows of the LCP (both players' sequences and information sets, plus 3).
MAX_LCP_ROWS = 200_000
#: Most pivots, as a multiple of the LCP's rows (plus 1,000), before giving up.
MAX_PIVOTS_FACTOR = 20
#: Logit-response iterations that make the default prior (:func:`logit_prior`).
LOGIT_ITERATIONS = 200
#: The default priors, tried in turn: logit precisions (payoffs scaled to 1), then the centroid.
LOGIT_PRECISIONS = (100.0, 30.0, 300.0, 10.0)
#: Below this many LCP rows the centroid is tried first (paths are short; the logit priors'
#: passes over the tree would cost more than the pivots they save).
SMALL_LCP_ROWS = 1_000
#: Fewest pivots in the first slice each default prior gets (see :func:`solve_sequence`).
SLICE_MIN = 500
#: Pivots between two sparse LU factorisations of the basis.
REFACTOR_EVERY = 40
#: Pivot elements smaller than this (payoffs are scaled to at most 1) are not used.
_PIVOT_TOL = 1e-9
#: Ratios closer than this (relatively) are ties, broken lexicographically.
_TIE_TOL = 1e-12
#: Size of the right-hand-side perturbation that breaks degeneracy (payoffs scaled to 1).
_PERTURBATION = 1e-7
#: Seed of the perturbation's random factors (fixed: the path is reproducible).
_PERTURBATION_SEED = 20020101
#: Most negative value of a basic variable accepted at the end, without the perturbation.
_FEASIBILITY_TOL = 1e-7


class _PivotLimitError(SolverError):
    """Lemke's algorithm reached its pivot budget (another prior may do better)."""


@dataclass(frozen=True, eq=False)
class SequenceForm:
    """The sequence form of a two-player tree (KMvS 1996).

    Attributes
    ----------
    E, F
        Constraint matrices, ``(1 + infosets, 1 + moves)`` of player 1 and 2: row 0 is the
        empty sequence, row ``1 + i`` the ``i``-th information set of the player (in
        ``infosets[p]`` order): ``-1`` at the sequence leading to it, ``+1`` at its moves.
    e, f
        Right-hand sides: ``(1, 0, ..., 0)``.
    A, B
        Payoff matrices ``(sequences of 1, sequences of 2)``: chance-weighted payoffs of the
        leaves, summed per sequence pair.
    sequences
        Per player, the tree's action index of each sequence (``-1`` for the empty one).
    infosets
        Per player, its information sets (tree indices) in the order of the rows of E / F.
    parent
        Per player, for each of its information sets (row order), the index of the sequence
        leading to it.
    """

    E: Any
    F: Any
    e: FloatArray
    f: FloatArray
    A: Any
    B: Any
    sequences: tuple[IntArray, IntArray]
    infosets: tuple[IntArray, IntArray]
    parent: tuple[IntArray, IntArray]

    @property
    def shape(self) -> tuple[int, int]:
        """Number of sequences of each player."""
        return int(self.sequences[0].size), int(self.sequences[1].size)

    @property
    def lcp_rows(self) -> int:
        """Rows of the LCP that Lemke's algorithm pivots on."""
        return lcp_rows(self.shape, (self.infosets[0].size, self.infosets[1].size))

    def realization(self, tree: Tree, player: int, behaviour: FloatArray) -> FloatArray:
        """The realization plan of a player's behaviour (one entry per sequence)."""
        local = _local_index(tree, self.sequences[player])
        plan = np.zeros(self.sequences[player].size)
        plan[0] = 1.0
        for i, h in enumerate(self.infosets[player].tolist()):
            lo, hi = int(tree.action_offset[h]), int(tree.action_offset[h + 1])
            plan[local[lo:hi]] = plan[self.parent[player][i]] * behaviour[lo:hi]
        return plan


def lcp_rows(sequences: tuple[int, int], infosets: tuple[int, int]) -> int:
    """Rows of the LCP for the given numbers of sequences and information sets."""
    return sequences[0] + sequences[1] + infosets[0] + infosets[1] + 3


def _check_tree(tree: Tree) -> int:
    """Check the tree for the sequence form; the LCP's rows."""
    if not isinstance(tree, Tree):
        raise SolverError(f"the sequence form needs a Tree, got {type(tree).__name__}")
    if tree.n_players != 2:
        raise SolverError(
            f"the sequence form is for two-player trees; this one has {tree.n_players} players "
            f"({', '.join(tree.players)})"
        )
    violation = tree.perfect_recall_violation
    if violation is not None:
        raise SolverError(f"the sequence form needs perfect recall; {violation}")
    counts = np.bincount(tree.infoset_owner, minlength=2)
    moves = np.diff(tree.action_offset)
    seqs = [1 + int(moves[tree.infoset_owner == p].sum()) for p in range(2)]
    rows = lcp_rows((seqs[0], seqs[1]), (int(counts[0]), int(counts[1])))
    if rows > MAX_LCP_ROWS:
        raise SolverError(
            f"the sequence form's LCP would have {rows:,} rows ({seqs[0]:,} + {seqs[1]:,} "
            f"sequences, {int(counts[0]):,} + {int(counts[1]):,} information sets); the limit "
            f"is {MAX_LCP_ROWS:,}"
        )
    return rows


def _local_index(tree: Tree, sequences: IntArray) -> IntArray:
    """Map from the tree's action indices (and -1 at the end) to a player's sequence index."""
    local = np.zeros(tree.n_actions + 1, dtype=np.int64)
    local[sequences[1:]] = np.arange(1, sequences.size)
    local[-1] = 0
    return local


def sequence_form(tree: Tree) -> SequenceForm:
    """The sequence form (E, e, F, f, A, B as ``scipy.sparse`` matrices) of a two-player tree.

    Cost: linear in the nodes (sizes are checked first against :data:`MAX_LCP_ROWS`).

    Raises
    ------
    SolverError
        Without two players or perfect recall, or past the size limit.
    """
    import scipy.sparse as sp

    _check_tree(tree)
    follow = tree.own_sequences[tree.infoset_members_first, tree.infoset_owner]
    constraints = []
    sequences = []
    infosets = []
    parents = []
    for p in range(2):
        mine = np.flatnonzero(tree.infoset_owner == p)
        mine = mine[np.argsort(tree.infoset_members_first[mine], kind="stable")]
        lo, hi = tree.action_offset[mine], tree.action_offset[mine + 1]
        ranges = [np.arange(a, b) for a, b in zip(lo, hi, strict=True)]
        acts = np.concatenate(ranges) if ranges else np.zeros(0, dtype=np.int64)
        seq = np.concatenate([[-1], acts]).astype(np.int64)
        local = _local_index(tree, seq)
        parent = local[follow[mine]]
        width = (hi - lo).astype(np.int64)
        rows = np.concatenate(
            [[0], np.arange(1, mine.size + 1), np.repeat(np.arange(1, mine.size + 1), width)]
        )
        cols = np.concatenate([[0], parent, local[acts.astype(np.int64)]])
        vals = np.concatenate([[1.0], -np.ones(mine.size), np.ones(acts.size)])
        matrix = sp.csr_matrix(
            (vals, (rows.astype(np.int64), cols.astype(np.int64))),
            shape=(mine.size + 1, seq.size),
        )
        constraints.append(matrix)
        sequences.append(seq)
        infosets.append(mine.astype(np.int64))
        parents.append(parent.astype(np.int64))
    z = tree.terminals
    s1 = _local_index(tree, sequences[0])[tree.own_sequences[z, 0]]
    s2 = _local_index(tree, sequences[1])[tree.own_sequences[z, 1]]
    w = tree.chance_reach[z]
    shape = (sequences[0].size, sequences[1].size)
    payoff = [sp.csr_matrix((w * tree.payoffs[:, k], (s1, s2)), shape=shape) for k in range(2)]
    unit = [np.zeros(m.shape[0]) for m in constraints]
    unit[0][0] = unit[1][0] = 1.0
    return SequenceForm(
        constraints[0],
        constraints[1],
        unit[0],
        unit[1],
        payoff[0],
        payoff[1],
        (sequences[0], sequences[1]),
        (infosets[0], infosets[1]),
        (parents[0], parents[1]),
    )


# ---------------------------------------------------------------------- basis (sparse LU + SMW)
class _Basis:
    """The basis matrix: a sparse LU factorisation of an earlier basis and a low-rank update.

    After the factorisation of ``B0``, the columns at a set ``J`` of positions have been
    replaced: ``B = B0 + (B_J - B0_J) E_J'``. With ``Z_J = B0^-1 B_J`` (one column per changed
    position, kept from the solve that brought the column in) the Sherman-Morrison-Woodbury
    formula gives ``B^-1 b = z - (Z_J - E_J) C^-1 z_J`` with ``z = B0^-1 b`` and the
    *capacitance* ``C = E_J' Z_J`` (``|J| x |J|``). A solve is then one sparse solve, a small
    dense solve and one ``n x |J|`` product, cheaper in numpy than a loop over product-form
    etas. The basis is factorised again after :data:`REFACTOR_EVERY` changes, or when ``C``
    is numerically singular.
    """

    def __init__(self, matrix: Any, columns: list[int], free: NDArray[np.bool_]) -> None:
        self.matrix = matrix  # csc, all columns of the LCP
        self.columns = np.array(columns, dtype=np.int64)
        self.free = free  # per column of the LCP: a free variable (never leaves)
        self.bounded = ~free[self.columns]  # per position
        n = self.columns.size
        self.slot_of = np.full(n, -1, dtype=np.int64)
        self.positions = np.zeros(REFACTOR_EVERY, dtype=np.int64)
        self.updates = np.zeros((REFACTOR_EVERY, n))
        self.k = 0
        self.cinv: FloatArray = np.zeros((0, 0))
        self._cached: tuple[int, FloatArray] | None = None
        self._factor()

    def _factor(self) -> None:
        from scipy.sparse.linalg import splu

        basis = self.matrix[:, self.columns].tocsc()
        try:
            self.lu = splu(basis, permc_spec="NATURAL")
        except RuntimeError as exc:  # singular: numerical trouble on the path
            raise SolverError(f"Lemke's algorithm met a singular basis ({exc})") from None
        self.slot_of[self.positions[: self.k]] = -1
        self.k = 0
        self.cinv = np.zeros((0, 0))
        self._cached = None

    @property
    def fresh(self) -> bool:
        """Whether the basis was just factorised (no update pending)."""
        return self.k == 0

    def solve(self, rhs: FloatArray) -> FloatArray:
        """``B^-1 rhs``."""
        return self._update(self.lu.solve(rhs))

    def ftran(self, j: int) -> FloatArray:
        """``B^-1`` times column ``j`` of the LCP (kept for :meth:`replace`)."""
        z = self.lu.solve(_column(self.matrix, j))
        self._cached = (j, z)
        return self._update(z)

    def _update(self, z: FloatArray) -> FloatArray:
        if not self.k:
            return z.copy()
        where = self.positions[: self.k]
        s = self.cinv @ z[where]
        out: FloatArray = z - s @ self.updates[: self.k]
        out[where] += s
        return out

    def replace(self, r: int, j: int) -> None:
        """Put column ``j`` of the LCP at position ``r`` of the basis."""
        if self._cached is not None and self._cached[0] == j:
            z = self._cached[1]
        else:
            z = self.lu.solve(_column(self.matrix, j))
        self.columns[r] = j
        self.bounded[r] = not self.free[j]
        if self.k >= REFACTOR_EVERY:
            self._factor()
            return
        slot = int(self.slot_of[r])
        if slot < 0:
            slot = self.k
            self.slot_of[r] = slot
            self.positions[slot] = r
            self.k += 1
        self.updates[slot] = z
        where = self.positions[: self.k]
        try:
            self.cinv = np.asarray(np.linalg.inv(self.updates[: self.k, where].T), dtype=np.float64)
        except np.linalg.LinAlgError:
            self._factor()
            return
        if not np.all(np.isfinite(self.cinv)):
            self._factor()


# ---------------------------------------------------------------------- Lemke
@dataclass(frozen=True)
class _Layout:
    m1: int
    m2: int
    k1: int
    k2: int

    @property
    def x(self) -> int:
        return 0

    @property
    def y(self) -> int:
        return self.m1

    @property
    def a(self) -> int:
        return self.m1 + self.m2

    @property
    def b(self) -> int:
        return 2 * self.m1 + self.m2

    @property
    def u(self) -> int:
        return 2 * self.m1 + 2 * self.m2

    @property
    def v(self) -> int:
        return self.u + self.k1

    @property
    def t(self) -> int:
        return self.v + self.k2

    @property
    def z0(self) -> int:
        return self.t + 1

    @property
    def rows(self) -> int:
        return self.m1 + self.m2 + self.k1 + self.k2 + 1

    def complement(self, j: int) -> int:
        if j < self.a:
            return j + self.m1 + self.m2
        if j < self.u:
            return j - self.m1 - self.m2
        raise AssertionError(j)


def _lcp_matrix(form: SequenceForm, p: FloatArray, q: FloatArray) -> tuple[Any, _Layout]:
    """The LCP's equations as one sparse matrix ``M [x y a b u v t z0]' = (0, ..., 0, 1)``."""
    import scipy.sparse as sp

    E, F, A, B = form.E, form.F, form.A, form.B
    m1, m2 = form.shape
    lay = _Layout(m1, m2, E.shape[0], F.shape[0])
    zero = None
    Aq = (A @ q).reshape(-1, 1)
    Btp = (B.T @ p).reshape(-1, 1)
    rows = [
        [zero, A, sp.identity(m1), zero, -E.T, zero, zero, Aq],
        [B.T, zero, zero, sp.identity(m2), zero, -F.T, zero, Btp],
        [E, zero, zero, zero, zero, zero, -form.e.reshape(-1, 1), zero],
        [zero, F, zero, zero, zero, zero, -form.f.reshape(-1, 1), zero],
        [None] * 6 + [np.ones((1, 1)), np.ones((1, 1))],
    ]
    # bmat needs each block column's width somewhere: give the last row explicit zeros.
    rows[4][0] = sp.csr_matrix((1, m1))
    rows[4][1] = sp.csr_matrix((1, m2))
    rows[4][2] = sp.csr_matrix((1, m1))
    rows[4][3] = sp.csr_matrix((1, m2))
    rows[4][4] = sp.csr_matrix((1, lay.k1))
    rows[4][5] = sp.csr_matrix((1, lay.k2))
    matrix = sp.bmat(rows, format="csc")
    return matrix, lay


def _best_response(form: SequenceForm, player: int, values: FloatArray) -> IntArray:
    """Sequences of a full pure best response to sequence payoffs ``values`` (dynamic program).

    Includes the empty sequence and one move at every information set (also those the
    player's own moves exclude). Ties go to the first move.
    """
    E = form.E if player == 0 else form.F
    total = values.astype(np.float64).copy()
    parent = form.parent[player]
    csr = E.tocsr()
    chosen = [0]
    # Information sets were ordered by first node; later ones come after their parents.
    for i in range(parent.size - 1, -1, -1):
        start, stop = csr.indptr[i + 1], csr.indptr[i + 2]
        cols = csr.indices[start:stop]
        moves = cols[csr.data[start:stop] > 0]
        best = int(moves[int(np.argmax(total[moves]))])
        total[parent[i]] += total[best]
        chosen.append(best)
    return np.array(sorted(chosen), dtype=np.int64)


def lemke_sequence(
    tree: Tree,
    prior: ArrayLike | None = None,
    *,
    rng: np.random.Generator | int | None = None,
    max_pivots: int | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray, int]:
    """Realization plans of one equilibrium by Lemke's algorithm on the sequence form.

    Parameters
    ----------
    tree
        A two-player tree with perfect recall (chance moves allowed).
    prior
        A fully mixed behaviour profile (length ``tree.n_actions``) to start from; default the
        centroid (uniform moves at every information set), or a random one when ``rng`` is
        given.
    rng
        Seed or generator for a random prior (each information set's moves from a flat
        Dirichlet distribution).
    max_pivots
        Most pivots (default :data:`MAX_PIVOTS_FACTOR` x rows + 1,000).

    Returns
    -------
    x, y, behaviour, pivots
        The two realization plans (in :func:`sequence_form` order), the behaviour profile
        built from them, and the number of pivots.

    Raises
    ------
    SolverError
        Past the size limit, after too many pivots, or on a numerically singular basis.
    """
    path = _LemkePath(tree, _prior(tree, prior, rng), max_pivots)
    path.advance(path.limit + 1)  # ends, or raises at the pivot limit
    return path.result()


class _LemkePath:
    """Lemke's algorithm on the sequence form from one prior, run in resumable slices.

    :meth:`advance` pivots until the path ends or a slice is used up, so that several priors
    can share a budget (see :func:`solve_sequence`).
    """

    def __init__(self, tree: Tree, prior: FloatArray, max_pivots: int | None) -> None:
        self.tree = tree
        self.form = form = sequence_form(tree)
        p = form.realization(tree, 0, prior)
        q = form.realization(tree, 1, prior)
        scale = np.maximum(np.abs(tree.payoffs).max(axis=0, initial=0.0), 1e-300)
        scaled = SequenceForm(
            form.E,
            form.F,
            form.e,
            form.f,
            form.A / scale[0],
            form.B / scale[1],
            form.sequences,
            form.infosets,
            form.parent,
        )
        matrix, self.lay = _lcp_matrix(scaled, p, q)
        rows = self.lay.rows
        self.limit = max_pivots if max_pivots is not None else MAX_PIVOTS_FACTOR * rows + 1_000
        br1 = _best_response(scaled, 0, scaled.A @ q)
        br2 = _best_response(scaled, 1, scaled.B.T @ p)
        columns = _start_basis(self.lay, br1, br2)
        free = np.zeros(matrix.shape[1], dtype=bool)
        free[self.lay.u : self.lay.t] = True
        self.basis = _Basis(matrix, columns, free)
        self.rhs = np.zeros(rows)
        self.rhs[-1] = 1.0
        self.start = list(columns)
        # The perturbation B0 delta makes every starting basic variable delta_i > 0 (see the
        # module docstring); the final basis is then evaluated without it.
        delta = _PERTURBATION * (1.0 + np.random.default_rng(_PERTURBATION_SEED).random(rows))
        self.perturbed = self.rhs + matrix[:, columns] @ delta
        self.beta = self.basis.solve(self.perturbed)
        self.entering = self.lay.t
        self.pivots = 0
        self.done = False

    def advance(self, pivots: int) -> bool:
        """Pivot at most ``pivots`` more times; whether the path has ended.

        Raises
        ------
        SolverError
            Past the pivot limit (:class:`_PivotLimitError`), on an unbounded ray or a
            singular basis.
        """
        basis, lay = self.basis, self.lay
        stop = self.pivots + pivots
        while not self.done:
            if self.pivots >= self.limit:
                raise _PivotLimitError(
                    f"Lemke's algorithm on the sequence form did not end within "
                    f"{max(self.limit, 0):,} pivots ({lay.rows:,} rows); try another prior"
                )
            if self.pivots >= stop:
                break
            d = basis.ftran(self.entering)
            r = _ratio_test(basis, self.beta, d, self.start)
            if r < 0:
                raise SolverError(
                    "Lemke's algorithm on the sequence form met an unbounded ray (numerical "
                    "trouble; try another prior)"
                )
            theta = self.beta[r] / d[r]
            self.beta -= theta * d
            self.beta[r] = theta
            leaving = int(basis.columns[r])
            basis.replace(r, self.entering)
            self.pivots += 1
            if basis.fresh:
                self.beta = basis.solve(self.perturbed)
            if leaving == lay.z0:
                self.done = True
            else:
                self.entering = lay.complement(leaving)
        return self.done

    def result(self) -> tuple[FloatArray, FloatArray, FloatArray, int]:
        """The ended path's plans, behaviour and pivots (see :func:`lemke_sequence`)."""
        basis, lay = self.basis, self.lay
        beta = basis.solve(self.rhs)
        bounded = basis.bounded
        if bounded.any() and float(beta[bounded].min()) < -_FEASIBILITY_TOL:
            raise SolverError(
                "Lemke's algorithm on the sequence form ended at a basis that is infeasible "
                f"without the perturbation (a variable is {float(beta[bounded].min()):.3g}); "
                "try another prior"
            )
        x = np.zeros(lay.m1)
        y = np.zeros(lay.m2)
        for pos, col in enumerate(basis.columns.tolist()):
            if col < lay.y:
                x[col] = beta[pos]
            elif col < lay.a:
                y[col - lay.y] = beta[pos]
        x = np.maximum(x, 0.0)
        y = np.maximum(y, 0.0)
        behaviour = _behaviour(self.tree, self.form, (x, y))
        return x, y, behaviour, self.pivots


def _start_basis(lay: _Layout, br1: IntArray, br2: IntArray) -> list[int]:
    """Basic columns at t = 0: u, v, the best responses' sequences (at 0), other slacks, z0."""
    in1 = np.zeros(lay.m1, dtype=bool)
    in1[br1] = True
    in2 = np.zeros(lay.m2, dtype=bool)
    in2[br2] = True
    cols: list[int] = []
    cols += (lay.x + np.flatnonzero(in1)).tolist()
    cols += (lay.y + np.flatnonzero(in2)).tolist()
    cols += (lay.a + np.flatnonzero(~in1)).tolist()
    cols += (lay.b + np.flatnonzero(~in2)).tolist()
    cols += list(range(lay.u, lay.t))
    cols.append(lay.z0)
    return cols


def _column(matrix: Any, j: int) -> FloatArray:
    """Column ``j`` of a CSC matrix, dense."""
    out = np.zeros(matrix.shape[0])
    lo, hi = matrix.indptr[j], matrix.indptr[j + 1]
    out[matrix.indices[lo:hi]] = matrix.data[lo:hi]
    return out


def _ratio_test(basis: _Basis, beta: FloatArray, d: FloatArray, start: list[int]) -> int:
    """The leaving row: minimum ratio over bounded basic variables, ties lexicographically."""
    bounded = basis.bounded
    scale = max(1.0, float(np.abs(d[bounded]).max(initial=0.0)))
    cand = np.flatnonzero(bounded & (d > _PIVOT_TOL * scale))
    if not cand.size:
        return -1
    ratios = np.maximum(beta[cand], 0.0) / d[cand]
    best = ratios.min()
    tied = cand[ratios <= best + _TIE_TOL * max(1.0, best)]
    if tied.size == 1:
        return int(tied[0])
    return _lexico_min(basis, d, tied, start)


def _lexico_min(basis: _Basis, d: FloatArray, tied: IntArray, start: list[int]) -> int:
    """Among tied rows, the lexicographically smallest row of ``B^-1 B0`` divided by ``d``.

    Column ``j`` of ``B^-1 B0`` is the unit vector at its row while the ``j``-th starting
    column is still basic (it then only removes that row from the tie); otherwise it is
    computed by one solve. Columns are taken in the starting basis' order.
    """
    position = {c: r for r, c in enumerate(basis.columns.tolist())}
    alive = [int(i) for i in tied]
    for col in start:
        r = position.get(col)
        if r is not None:
            if r in alive:
                alive.remove(r)  # its entry is 1 / d[r] > 0, the others 0
        else:
            w = basis.solve(_column(basis.matrix, col))
            index = np.array(alive)
            vals = w[index] / d[index]
            low = vals.min()
            alive = index[vals <= low + _TIE_TOL * max(1.0, abs(low))].tolist()
        if len(alive) == 1:
            return alive[0]
    return alive[0]


def _prior(
    tree: Tree, prior: ArrayLike | None, rng: np.random.Generator | int | None
) -> FloatArray:
    """A fully mixed behaviour profile: given, random (``rng``) or the centroid."""
    widths = np.diff(tree.action_offset)
    owner = np.repeat(np.arange(tree.n_infosets), widths)
    if prior is not None:
        b = np.asarray(prior, dtype=np.float64)
        if b.shape != (tree.n_actions,):
            raise GameError(
                f"the prior is a behaviour profile of {tree.n_actions} entries, got {b.shape}"
            )
        if not np.all(np.isfinite(b)) or np.any(b <= 0):
            raise GameError("the prior must be fully mixed: every move's probability above 0")
        sums = np.bincount(owner, weights=b, minlength=tree.n_infosets)
        if np.any(np.abs(sums - 1.0) > 1e-9):
            h = int(np.flatnonzero(np.abs(sums - 1.0) > 1e-9)[0])
            raise GameError(
                f"the prior's moves at information set '{tree.infoset_labels[h]}' sum to "
                f"{sums[h]:.12g}, not 1"
            )
        return b
    if rng is None:
        return 1.0 / widths[owner].astype(np.float64)
    gen = np.random.default_rng(rng)
    raw = gen.exponential(size=tree.n_actions) + 1e-12
    return raw / np.bincount(owner, weights=raw, minlength=tree.n_infosets)[owner]


def logit_prior(
    tree: Tree,
    precision: float = 100.0,
    *,
    iterations: int = LOGIT_ITERATIONS,
    damping: float = 0.3,
) -> FloatArray:
    """A fully mixed behaviour profile near the logit quantal-response branch, as Lemke's prior.

    The agent logit quantal-response equilibrium (McKelvey and Palfrey 1998, "Quantal response
    equilibria for extensive form games", *Experimental Economics* 1) plays each move of an
    information set with probability proportional to ``exp(lambda * Q)``, where ``Q`` is the
    move's expected payoff given that the set is reached (payoffs scaled to at most 1). Its
    principal branch starts at the centroid (``lambda = 0``) and approaches a Nash equilibrium
    as ``lambda`` grows (McKelvey and Palfrey 1995; Turocy 2005, "A dynamic homotopy
    interpretation of the logistic quantal response equilibrium correspondence", *GEB* 51).
    This follows the branch only roughly: ``iterations`` damped logit responses with
    ``lambda`` rising geometrically from 1 to ``precision``, each a linear pass over the tree.
    It is a *starting point*, not a result: Lemke's algorithm from it ends at an exact
    equilibrium whatever it is, and the prior only changes the path's length (and which
    equilibrium is found). Measured on ``benchmarks/trees.py``'s 8,192-leaf trees (seeds 1-6):
    75-1,595 pivots from this prior against 13,000 to over 100,000 from the centroid.

    Moves are kept above ``1e-6`` so that the prior is fully mixed (VvdET 2002 need that).

    Cost: ``iterations`` passes over the nodes (about 0.5 s at 8,192 leaves).
    """
    if not (isinstance(precision, int | float) and np.isfinite(precision) and precision > 0):
        raise GameError(f"the logit precision must be a positive number, got {precision!r}")
    if isinstance(iterations, bool) or not isinstance(iterations, int) or iterations < 0:
        raise GameError(f"iterations must be a whole number >= 0, got {iterations!r}")
    if not (isinstance(damping, int | float) and 0 < damping <= 1):
        raise GameError(f"damping must be in (0, 1], got {damping!r}")
    widths = np.diff(tree.action_offset)
    starts = tree.action_offset[:-1]
    action_owner = np.repeat(tree.infoset_owner, widths)
    child = np.arange(1, tree.n_nodes)
    parent = tree.parent[1:]
    decided = tree.kind[parent] == DECISION
    child, parent = child[decided], parent[decided]
    action = tree.action_offset[tree.infoset[parent]] + tree.move_index[child]
    mover = tree.infoset_owner[tree.infoset[parent]]
    scale = max(float(np.abs(tree.payoffs).max(initial=0.0)), 1e-300)
    behaviour = 1.0 / np.repeat(widths, widths).astype(np.float64)
    for precision_now in np.geomspace(1.0, max(precision, 1.0), iterations):
        value = tree.values(behaviour)
        q = np.zeros(tree.n_actions)
        weight = np.zeros(tree.n_actions)
        for p in range(tree.n_players):
            others = behaviour.copy()
            others[action_owner == p] = 1.0  # reach through chance and the others' moves only
            reach = tree.reach(others)
            mine = mover == p
            w = reach[parent[mine]]
            q += np.bincount(action[mine], weights=w * value[child[mine], p], minlength=q.size)
            weight += np.bincount(action[mine], weights=w, minlength=q.size)
        z = precision_now * q / np.maximum(weight, 1e-300) / scale
        z -= np.repeat(np.maximum.reduceat(z, starts), widths)
        response = np.exp(z)
        response /= np.repeat(np.add.reduceat(response, starts), widths)
        behaviour = (1.0 - damping) * behaviour + damping * response
    behaviour = np.maximum(behaviour, 1e-6)
    out: FloatArray = behaviour / np.repeat(np.add.reduceat(behaviour, starts), widths)
    return out


def _behaviour(tree: Tree, form: SequenceForm, plans: tuple[FloatArray, FloatArray]) -> FloatArray:
    """Behaviour from realization plans (von Stengel 1996); the first move where excluded."""
    behaviour = np.zeros(tree.n_actions)
    for p in range(2):
        plan = plans[p]
        local = _local_index(tree, form.sequences[p])
        for i, h in enumerate(form.infosets[p].tolist()):
            lo, hi = int(tree.action_offset[h]), int(tree.action_offset[h + 1])
            moves = plan[local[lo:hi]]
            total = moves.sum()
            if plan[form.parent[p][i]] > 1e-12 and total > 0:
                behaviour[lo:hi] = moves / total
            else:
                behaviour[lo] = 1.0
    return behaviour


def excluded_infosets(tree: Tree, behaviour: FloatArray) -> frozenset[int]:
    """Information sets that the owner's own behaviour gives probability 0 of reaching."""
    move = np.ones(tree.n_actions + 1)
    move[:-1] = behaviour
    follow = tree.own_sequences[tree.infoset_members_first, tree.infoset_owner]
    # A player's own realization probability of its sequence into h: product along the path.
    own = np.ones(tree.n_actions + 1)
    order = np.argsort(tree.infoset_members_first, kind="stable")
    for h in order.tolist():
        lo, hi = int(tree.action_offset[h]), int(tree.action_offset[h + 1])
        own[lo:hi] = own[follow[h]] * move[lo:hi]
    return frozenset(int(h) for h in range(tree.n_infosets) if own[follow[h]] <= 1e-12)


# ---------------------------------------------------------------------- re-check
def nash_gain(tree: Tree, behaviour: FloatArray) -> tuple[float, str]:
    """The largest gain from deviating, relative to each player's payoff range, and how found.

    Independent of the LCP: the regret in the reduced normal form
    (:func:`~gametheory.solvers.tree.tree_regret`) when that form is within its limits,
    otherwise each player's best-response value by dynamic programming over its own
    information sets (perfect recall) against its value under the profile.
    """
    if reduced_form_fits(tree, MAX_REDUCED_WORK // 10):
        return tree_regret(tree, behaviour), "regret in the reduced normal form"
    scale = payoff_scales(tree.payoffs.T) if tree.terminals.size else np.ones(2)
    value = tree.reach(behaviour)[tree.terminals] @ tree.payoffs
    worst = 0.0
    for p in range(tree.n_players):
        best = _best_response_value(tree, behaviour, p)
        worst = max(worst, (best - float(value[p])) / float(scale[p]))
    return worst, "best responses over each player's information sets"


def _attempts(
    tree: Tree, rows: int, prior: ArrayLike | None, rng: np.random.Generator | int | None
) -> list[tuple[str, Callable[[], FloatArray]]]:
    """The priors to try: name and how to make it (made only when its turn comes)."""
    if prior is not None:
        return [("given prior", partial(_prior, tree, prior, None))]
    if rng is not None:
        return [("random prior", partial(_prior, tree, None, rng))]
    attempts: list[tuple[str, Callable[[], FloatArray]]] = [
        (f"logit prior (precision {lam:g})", partial(logit_prior, tree, lam))
        for lam in LOGIT_PRECISIONS
    ]
    centroid = ("centroid prior", partial(_prior, tree, None, None))
    if rows < SMALL_LCP_ROWS:  # any path is short; the logit passes would cost more
        return [centroid, *attempts]
    return [*attempts, centroid]


def solve_sequence(
    tree: Tree,
    *,
    tol: float = DEFAULT_TOL,
    prior: ArrayLike | None = None,
    rng: np.random.Generator | int | None = None,
) -> tuple[FloatArray, frozenset[int], float, list[str], int, str]:
    """One equilibrium's behaviour, excluded sets, re-checked gain, notes, pivots and prior.

    With neither ``prior`` nor ``rng``, several priors share the work: the logit priors
    (:func:`logit_prior`, precisions :data:`LOGIT_PRECISIONS`) and then the centroid (the
    centroid first below :data:`SMALL_LCP_ROWS` rows) each run
    in turn for a slice of pivots (an eighth of the LCP's rows, at least
    :data:`SLICE_MIN`), the slice doubling after every round, until one path ends at an
    equilibrium that passes the re-check. Paths are resumed, not restarted, so the work is at
    most about twice the number of priors times the shortest path. Path lengths from
    different priors differ by orders of magnitude (see :func:`logit_prior`), which is why
    the portfolio pays. A prior whose path fails (pivot limit, numerical trouble, failed
    re-check) is dropped and said in the notes; when all fail the last error is raised.
    """
    rows = _check_tree(tree)
    attempts = _attempts(tree, rows, prior, rng)
    paths: dict[int, _LemkePath] = {}
    alive = list(range(len(attempts)))
    notes: list[str] = []
    size = max(SLICE_MIN, rows // 8) if len(attempts) > 1 else None
    error: SolverError | None = None
    while alive:
        for i in list(alive):
            name, make = attempts[i]
            try:
                if i not in paths:
                    paths[i] = _LemkePath(tree, make(), None)
                path = paths[i]
                if not path.advance(size if size is not None else path.limit + 1):
                    continue
                _, _, behaviour, pivots = path.result()
                gain, how = nash_gain(tree, behaviour)
                if gain > tol * 10:
                    raise SolverError(
                        f"the sequence-form equilibrium from the {name} failed the re-check "
                        f"({how}): a player gains {gain:.3g} of its payoff range by deviating"
                    )
            except SolverError as exc:
                error = exc
                alive.remove(i)
                paths.pop(i, None)
                notes.append(f"the {name} was dropped: {exc}")
                continue
            others = sum(p.pivots for j, p in paths.items() if j != i)
            if others:
                notes.append(f"{others:,} pivots on the paths from other priors, left unfinished")
            notes.append(f"re-checked by {how}")
            return behaviour, excluded_infosets(tree, behaviour), gain, notes, pivots, name
        if size is not None:
            size *= 2
    assert error is not None
    raise error


@register_one_equilibrium("sequence")
def nash_sequence(
    tree: Tree,
    *,
    tol: float = DEFAULT_TOL,
    prior: ArrayLike | None = None,
    rng: np.random.Generator | int | None = None,
    warnings: tuple[str, ...] = (),
) -> TreeSolveResult:
    """One Nash equilibrium of a two-player tree by Lemke's algorithm on the sequence form.

    Parameters
    ----------
    tree
        A two-player tree with perfect recall; chance moves allowed.
    tol
        Relative tolerance of the re-check.
    prior, rng
        The starting prior (see :func:`lemke_sequence`); by default the logit priors and the
        centroid share the work (:func:`solve_sequence`).
    warnings
        Warnings to pass on (``nash_tree`` says why it chose this method).

    Returns
    -------
    TreeSolveResult
        One equilibrium, ``complete=False`` (there may be others; another prior may find
        them), re-checked by :func:`nash_gain`.

    Cost
    ----
    Linear-size sparse matrices; each pivot one sparse solve, each logit prior a few
    hundred passes over the tree. Measured: 10,240-leaf imperfect-information trees in
    1-5 s, see ``benchmarks/trees.py``.
    """
    behaviour, arbitrary, gain, notes, pivots, start = solve_sequence(
        tree, tol=tol, prior=prior, rng=rng
    )
    m1, m2 = sequence_form(tree).shape
    return TreeSolveResult(
        tree,
        "Nash equilibrium",
        f"sequence form ({m1:,} + {m2:,} sequences), Lemke's algorithm from the {start} "
        f"({pivots:,} pivots); one equilibrium",
        (_equilibrium(tree, behaviour, arbitrary, gain),),
        False,
        tuple(dict.fromkeys([*warnings, *notes])),
        tol,
    )
