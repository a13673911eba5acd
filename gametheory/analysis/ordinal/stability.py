"""Stability of every state for every decision maker: Nash, GMR, SMR, SEQ, SIM and coalitions.

Definitions (Fang, Hipel and Kilgour 1993, ch. 3-4; Kilgour and Hipel 2005; for n decision
makers, Fang, Hipel and Kilgour 1989 and the matrix forms of Xu, Hipel and Kilgour 2009), for a
DM ``i`` and a state ``s``, where ``R+_i(s)`` are i's unilateral improvements (UIs), ``R_H(t)``
the states the coalition ``H`` can reach from ``t`` by legal sequences of unilateral moves (no
DM moves twice in a row) and ``R+_H(t)`` the same by unilateral improvements:

* **Nash** (R): ``R+_i(s)`` is empty.
* **GMR**: for every ``s1`` in ``R+_i(s)`` some ``s2`` in ``R_{N-i}(s1)`` has ``s2 <=_i s``.
* **SMR**: as GMR, with ``s2`` such that also every ``s3`` in ``R_i(s2)`` has ``s3 <=_i s``.
* **SEQ**: as GMR, with ``s2`` in ``R+_{N-i}(s1)`` (opponents sanction only by improving).
* **SIM**: for every ``s1`` in ``R+_i(s)`` the opponents, each either staying or taking one of
  their own UIs from ``s`` at the same time as i, can reach a feasible state ``s2`` (i's options
  from ``s1``, each opponent's from its own UI) with ``s2 <=_i s``. This is the simultaneous
  sanctioning of GMCR II (Fang et al. 2003) in option form; combinations that land on an
  infeasible state are not available.

A state is an equilibrium under a concept when it is stable for every DM.

How it is computed. A DM's moves are transitive (two moves of one DM compose into one, which
respects every irreversibility), so the legal sequences of a coalition reach the same states as
arbitrary paths of its members' moves, except possibly the start itself, which never matters
here because ``s1`` is preferred to ``s``. GMR, SMR and SEQ therefore need, for each ``s1``, only
the worst value for i over the states reachable from it, computed for all states at once by a
min-propagation over the arcs (numpy ``minimum.reduceat``, one pass per step of the longest
shortest path). SIM enumerates the opponents' combinations of UIs per state, in chunks. Cost:
``O(arcs x path length)`` per DM for GMR/SMR/SEQ; SIM is ``O(UIs of i x product over opponents
of (1 + their UIs))`` per state. Coalition analyses build reachability bit sets per group of
states sharing the outsiders' options: ``O(states x group size / 64)`` words per step.

Coalitions (Kilgour, Hipel, Fang and Peng, "Coalition analysis in group decision support",
*Group Decision and Negotiation* 10 (2001) 159-175; Inohara and Hipel, "Coalition analysis in the
graph model for conflict resolution", *Systems Engineering* 11 (2008) 343-359), as we read them:
a coalition improvement of ``H`` from ``s`` is a state reached by a legal sequence of moves of
H's members that every member strictly prefers to ``s``. ``s`` is **coalition Nash** stable for H
if H has none, and **coalition SEQ** stable for H if for each of them the DMs outside H, by legal
sequences of their unilateral improvements, can reach a state that some member of H does not
prefer to ``s``. For ``H = {i}`` these are Nash and SEQ. A coalition equilibrium is stable for
every coalition.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ...errors import ScenarioError
from .model import GraphModel

__all__ = [
    "CONCEPTS",
    "MAX_COALITION_DMS",
    "MAX_COALITION_PAIRS",
    "CoalitionStability",
    "Stability",
    "analyse",
    "coalitions",
    "limited_move",
]

#: The individual stability concepts, in the order they are reported.
CONCEPTS = ("nash", "gmr", "smr", "seq", "sim")
#: Most DMs for which all coalitions are analysed by default (2**n - 1 coalitions).
MAX_COALITION_DMS = 8
#: Most elements (states x combinations) SIM handles in one chunk.
_SIM_CHUNK = 4_000_000
#: Most (state, state) pairs a coalition's reachability table may hold (states x largest group
#: of states sharing the outsiders' options); about this many bytes are needed.
MAX_COALITION_PAIRS = 50_000_000

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Stability:
    """Stability of every state for every DM under each concept.

    Parameters
    ----------
    model
        The graph model analysed.
    stable
        ``{concept: (n_dms, n_states) bool}``.
    """

    model: GraphModel
    stable: Mapping[str, BoolArray]
    _extra: dict[str, Any] = field(default_factory=dict, repr=False)

    def stable_states(self, concept: str, dm: str | int) -> tuple[int, ...]:
        """Indices of the states stable for one DM under a concept."""
        return tuple(np.flatnonzero(self._row(concept)[self.model.dm_index(dm)]).tolist())

    def equilibria(self, concept: str) -> tuple[int, ...]:
        """Indices of the states stable for every DM under a concept."""
        return tuple(np.flatnonzero(self._row(concept).all(axis=0)).tolist())

    def is_stable(self, concept: str, dm: str | int, state: int) -> bool:
        """Whether a state is stable for a DM under a concept."""
        return bool(self._row(concept)[self.model.dm_index(dm), state])

    def _row(self, concept: str) -> BoolArray:
        if concept not in self.stable:
            raise ScenarioError(
                f"unknown or not computed concept {concept!r}; computed: {', '.join(self.stable)}"
            )
        return self.stable[concept]


@dataclass(frozen=True, eq=False)
class CoalitionStability:
    """Coalition Nash and coalition SEQ stability per coalition.

    Parameters
    ----------
    model
        The graph model analysed.
    coalitions
        The coalitions, each a tuple of DM indices.
    cnash, cseq
        ``(n_coalitions, n_states) bool``.
    """

    model: GraphModel
    coalitions: tuple[tuple[int, ...], ...]
    cnash: BoolArray
    cseq: BoolArray

    def equilibria(self, concept: str = "cnash") -> tuple[int, ...]:
        """States stable for every coalition (``"cnash"`` or ``"cseq"``)."""
        table = {"cnash": self.cnash, "cseq": self.cseq}.get(concept)
        if table is None:
            raise ScenarioError(f"unknown coalition concept {concept!r}; use cnash or cseq")
        return tuple(np.flatnonzero(table.all(axis=0)).tolist())

    def names(self) -> tuple[str, ...]:
        """Each coalition as ``"A+B"``."""
        dms = self.model.decision_makers
        return tuple("+".join(dms[d] for d in c) for c in self.coalitions)


def analyse(model: GraphModel, concepts: Sequence[str] = CONCEPTS) -> Stability:
    """Stability of every state for every DM under the given concepts.

    Parameters
    ----------
    model
        The graph model.
    concepts
        Any of ``"nash"``, ``"gmr"``, ``"smr"``, ``"seq"``, ``"sim"``.

    Returns
    -------
    Stability
        The boolean tables.

    Examples
    --------
    >>> from gametheory.analysis.ordinal import GraphModel, analyse
    >>> pd = GraphModel.build(["A", "B"], {"a_defects": "A", "b_defects": "B"},
    ...     rankings={"A": ["YN", "NN", "YY", "NY"], "B": ["NY", "NN", "YY", "YN"]})
    >>> [pd.labels[s] for s in analyse(pd).equilibria("nash")]
    ['YY']
    >>> [pd.labels[s] for s in analyse(pd).equilibria("seq")]
    ['NN', 'YY']
    """
    unknown = [c for c in concepts if c not in CONCEPTS]
    if unknown:
        raise ScenarioError(
            f"unknown stability concept(s) {unknown}; choose from {', '.join(CONCEPTS)}"
        )
    n_dm, n = len(model.decision_makers), model.n_states
    tables = {c: np.zeros((n_dm, n), dtype=bool) for c in concepts}
    for i in range(n_dm):
        src, dst = model.improvements(i)
        rank = model.ranks[i].astype(float)
        for concept in concepts:
            tables[concept][i] = _stable_for(model, i, concept, src, dst, rank)
    for table in tables.values():
        table.setflags(write=False)
    return Stability(model, tables)


def _stable_for(
    model: GraphModel, i: int, concept: str, src: IntArray, dst: IntArray, rank: FloatArray
) -> BoolArray:
    n = model.n_states
    if concept == "nash":
        return ~np.isin(np.arange(n), src)
    if concept == "sim":
        sanctioned = _sim_sanctioned(model, i, src, dst)
    else:
        others = [j for j in range(len(model.decision_makers)) if j != i]
        arcs = _union(model, others, improving=concept == "seq")
        values = rank
        if concept == "smr":
            values = _best_reply_value(model, i, rank)
        worst = _min_reach(*arcs, values, n)
        sanctioned = worst[dst] <= rank[src]
    bad = np.zeros(n, dtype=bool)
    bad[src[~sanctioned]] = True
    return ~bad


def _union(model: GraphModel, dms: Sequence[int], improving: bool) -> tuple[IntArray, IntArray]:
    parts = [model.improvements(j) if improving else model.moves(j) for j in dms]
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    src = np.concatenate([p[0] for p in parts])
    dst = np.concatenate([p[1] for p in parts])
    order = np.argsort(src, kind="stable")
    return src[order], dst[order]


def _best_reply_value(model: GraphModel, i: int, rank: FloatArray) -> FloatArray:
    """For each state, the best rank i can get there by staying or by one move of its own."""
    src, dst = model.moves(i)
    best = rank.copy()
    np.maximum.at(best, src, rank[dst])
    return best


def _min_reach(src: IntArray, dst: IntArray, values: FloatArray, n: int) -> FloatArray:
    """``out[x]`` = least ``values[y]`` over states ``y`` reachable from ``x`` in one step or more.

    ``src`` must be sorted. States with no outgoing arc get ``inf``.
    """
    out = np.full(n, np.inf)
    if len(src) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
    heads = src[starts]
    for _ in range(n + 1):
        candidate = np.minimum(values[dst], out[dst])
        step = np.minimum.reduceat(candidate, starts)
        new = np.minimum(out[heads], step)
        if np.array_equal(new, out[heads]):
            break
        out[heads] = new
    return out


def _sim_sanctioned(model: GraphModel, i: int, src: IntArray, dst: IntArray) -> BoolArray:
    """For each UI (src -> dst) of i, whether simultaneous UIs of the others can sanction it."""
    if len(src) == 0:
        return np.zeros(0, dtype=bool)
    n = model.n_states
    codes = model.codes()
    # i's rank by code over every combination of alternatives; infeasible ones rank above all,
    # so they never sanction. Combined states take each option's alternative from one real
    # state, so their codes always fall inside this table.
    raw = int(np.prod([len(o.alternatives) for o in model.options]))
    rank = model.ranks[i]
    dtype = np.int16 if rank.max() < np.iinfo(np.int16).max else np.int32
    rank_by_code = np.full(raw, np.iinfo(dtype).max, dtype=dtype)
    rank_by_code[codes] = rank
    # Per opponent, the code shifts of its UIs from every state (0 = stays), padded with 0.
    combos = np.zeros((n, 1), dtype=np.int32)
    for j in range(len(model.decision_makers)):
        if j == i:
            continue
        jsrc, jdst = model.improvements(j)
        counts = np.bincount(jsrc, minlength=n)
        width = int(counts.max(initial=0)) + 1
        shifts = np.zeros((n, width), dtype=np.int32)
        position = np.arange(len(jsrc)) - np.repeat(np.cumsum(np.r_[0, counts[:-1]]), counts)
        shifts[jsrc, position + 1] = codes[jdst] - codes[jsrc]
        total = combos.shape[1] * width
        if total * n > 50 * _SIM_CHUNK:
            raise ScenarioError(
                f"simultaneous sanctioning would combine {total:,} moves per state; the limit is "
                f"{50 * _SIM_CHUNK // n:,}. Leave out 'sim' for this model"
            )
        combos = (combos[:, :, None] + shifts[:, None, :]).reshape(n, total)
    codes32 = codes.astype(np.int32)
    out = np.zeros(len(src), dtype=bool)
    per = max(1, _SIM_CHUNK // combos.shape[1])
    for start in range(0, len(src), per):
        s, s1 = src[start : start + per], dst[start : start + per]
        keys = codes32[s1][:, None] + combos[s]
        out[start : start + per] = rank_by_code[keys].min(axis=1) <= rank[s]
    return out


# ---------------------------------------------------------------------- coalitions
def coalitions(
    model: GraphModel, members: Sequence[Sequence[str | int]] | None = None
) -> CoalitionStability:
    """Coalition Nash and coalition SEQ stability of every state for every coalition.

    Parameters
    ----------
    model
        The graph model.
    members
        The coalitions to check, each a list of DMs; by default every non-empty subset of the
        DMs (at most :data:`MAX_COALITION_DMS` DMs).

    Returns
    -------
    CoalitionStability
        Per coalition, which states are stable; ``equilibria()`` are stable for all of them.
    """
    n_dm = len(model.decision_makers)
    if members is None:
        if n_dm > MAX_COALITION_DMS:
            raise ScenarioError(
                f"{n_dm} decision makers give {2**n_dm - 1:,} coalitions; the limit for the "
                f"default of all coalitions is {MAX_COALITION_DMS} DMs. Pass the coalitions"
            )
        groups = [
            c for size in range(1, n_dm + 1) for c in itertools.combinations(range(n_dm), size)
        ]
    else:
        groups = []
        for group in members:
            idx = tuple(sorted({model.dm_index(d) for d in group}))
            if not idx:
                raise ScenarioError("a coalition needs at least one decision maker")
            groups.append(idx)
    individual = analyse(model, ("nash", "seq")) if any(len(g) == 1 for g in groups) else None
    cnash = np.zeros((len(groups), model.n_states), dtype=bool)
    cseq = np.zeros_like(cnash)
    for k, group in enumerate(groups):
        if len(group) == 1:
            assert individual is not None
            cnash[k] = individual.stable["nash"][group[0]]
            cseq[k] = individual.stable["seq"][group[0]]
        else:
            cnash[k], cseq[k] = _coalition_stable(model, group)
    cnash.setflags(write=False)
    cseq.setflags(write=False)
    return CoalitionStability(model, tuple(groups), cnash, cseq)


def coalition_improvements(model: GraphModel, group: Sequence[int]) -> tuple[IntArray, IntArray]:
    """Pairs ``(s, s1)``: ``s1`` is a coalition improvement of ``group`` from ``s``."""
    n = model.n_states
    members = [model.decision_makers[d] for d in group]
    own = np.array([o.dm in members for o in model.options])
    radix = model.radix()
    outside = model.states[:, ~own] @ radix[~own]
    order = np.lexsort((np.arange(n), outside))
    sorted_out = outside[order]
    starts = np.flatnonzero(np.r_[True, sorted_out[1:] != sorted_out[:-1]])
    sizes = np.diff(np.r_[starts, n])
    group_id = np.empty(n, dtype=np.int64)
    local = np.empty(n, dtype=np.int64)
    group_id[order] = np.repeat(np.arange(len(starts)), sizes)
    local[order] = np.arange(n) - np.repeat(starts, sizes)
    width = int(sizes.max())
    if n * width > MAX_COALITION_PAIRS:
        names = "+".join(model.decision_makers[d] for d in group)
        raise ScenarioError(
            f"coalition {names} would need a reachability table of {n:,} x {width:,} states; "
            f"the limit is {MAX_COALITION_PAIRS:,} pairs. Analyse smaller coalitions"
        )
    src, dst = _union(model, group, improving=False)
    # Reachability as bit sets over each group's local indices (packed, 64 states a word).
    padded = -(-width // 64) * 64
    flat = np.zeros((n, padded), dtype=bool)
    flat[src, local[dst]] = True
    reach = np.packbits(flat, axis=1).view(np.uint64)
    del flat
    # Each group's states by local index; n (a sentinel ranked below everything) pads them.
    table = np.full((len(starts), width), n, dtype=np.int32)
    table[group_id, local] = np.arange(n, dtype=np.int32)
    if len(src):
        starts_arc = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
        heads = src[starts_arc]
        for _ in range(n + 1):
            step = np.bitwise_or.reduceat(reach[dst], starts_arc, axis=0)
            new = reach[heads] | step
            if np.array_equal(new, reach[heads]):
                break
            reach[heads] = new
    reached = np.unpackbits(reach.view(np.uint8), axis=1, count=width).view(bool)
    members_of = table[group_id]  # (n, width) state index, n for padding
    better = reached
    for d in group:
        rank = model.ranks[d].astype(np.int32)
        better &= np.r_[rank, -1][members_of] > rank[:, None]
    s, pos = np.nonzero(better)
    return s.astype(np.int64), members_of[s, pos].astype(np.int64)


def _coalition_stable(model: GraphModel, group: tuple[int, ...]) -> tuple[BoolArray, BoolArray]:
    n = model.n_states
    s, s1 = coalition_improvements(model, group)
    cnash = np.ones(n, dtype=bool)
    cnash[s] = False
    outsiders = [j for j in range(len(model.decision_makers)) if j not in group]
    arcs = _union(model, outsiders, improving=True)
    sanctioned = np.zeros(len(s), dtype=bool)
    for d in group:
        rank = model.ranks[d].astype(float)
        worst = _min_reach(*arcs, rank, n)
        sanctioned |= worst[s1] <= rank[s]
    cseq = np.ones(n, dtype=bool)
    cseq[s[~sanctioned]] = False
    return cnash, cseq


# ---------------------------------------------------------------------- limited-move stability
def limited_move(model: GraphModel, horizon: int) -> Stability:
    """Limited-move stability ``L_h`` of every state for both DMs of a two-DM model.

    Kilgour (1985), "Anticipation and stability in two-person noncooperative games", and Fang,
    Hipel and Kilgour (1993, ch. 4): with ``h`` moves left and DM ``i`` to move from ``s``, the
    anticipated outcome is ``G_0(i, s) = s`` and, for ``h >= 1``, ``G_h(i, s) = G_{h-1}(j, s*)``
    for the move ``s -> s*`` of ``i`` whose anticipated outcome ``i`` likes best, provided ``i``
    prefers that outcome to ``s``; otherwise ``i`` stays and ``G_h(i, s) = s``. ``s`` is
    ``L_h`` stable for ``i`` when ``G_h(i, s) = s``. ``L_1`` is Nash stability.

    The sources assume strict preferences; where moves tie for ``i``'s best anticipated outcome
    we take the lowest-numbered anticipated state, so results with ties depend on that choice.
    Cost: ``O(h x arcs)``.

    Raises
    ------
    ScenarioError
        If the model does not have exactly two DMs, or ``horizon`` is not 1 to 1,000.
    """
    if len(model.decision_makers) != 2:
        raise ScenarioError(
            "limited-move stability is defined here for two decision makers; this model has "
            f"{len(model.decision_makers)}"
        )
    if isinstance(horizon, bool) or not isinstance(horizon, int) or not 1 <= horizon <= 1000:
        raise ScenarioError(f"horizon must be a whole number from 1 to 1,000, got {horizon!r}")
    n = model.n_states
    outcome = [np.arange(n), np.arange(n)]  # G_0 for each mover
    for _ in range(horizon):
        outcome = [_anticipate(model, i, outcome[1 - i]) for i in range(2)]
    table = np.stack([outcome[i] == np.arange(n) for i in range(2)])
    table.setflags(write=False)
    return Stability(model, {f"l{horizon}": table})


def _anticipate(model: GraphModel, i: int, then: IntArray) -> IntArray:
    """``G_h(i, .)`` from ``G_{h-1}(j, .)`` (``then``)."""
    n = model.n_states
    rank = model.ranks[i]
    src, dst = model.moves(i)
    result = then[dst]
    better = rank[result] > rank[src]
    src, result = src[better], result[better]
    out = np.arange(n)
    if len(src) == 0:
        return out
    # Best anticipated outcome per source: highest rank, then lowest state number.
    order = np.lexsort((result, -rank[result], src))
    src, result = src[order], result[order]
    first = np.r_[True, src[1:] != src[:-1]]
    out[src[first]] = result[first]
    return out
