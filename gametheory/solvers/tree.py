"""Equilibria of game trees: subgame perfection, and Nash equilibria via the reduced form.

Subgame-perfect equilibria are found in behaviour strategies, Nash equilibria through the
reduced normal form.

Subgame perfection (Selten 1965, 1975) by backward induction over the tree's subgames
(:meth:`Tree.subgames <gametheory.model.tree.Tree.subgames>`), deepest first:

- a *perfect-information* tree (every information set a single node) is solved level by
  level with numpy: at each decision node the mover takes the move with the highest
  continuation value (Kuhn 1953; Zermelo). When no mover is ever indifferent there is exactly
  one subgame-perfect equilibrium and this is it; 100,000 nodes take a few hundredths of a
  second (``benchmarks/trees.py``);
- otherwise, and when movers are indifferent (ties), each subgame's *own part* (its nodes not
  inside a smaller subgame) is solved for every combination of the equilibria already found in
  the smaller subgames below it ("carry every equilibrium up"): a single decision node by its
  best moves (every tied move is followed), a part with information sets through its reduced
  normal form and :func:`gametheory.solve` (two movers: vertex enumeration, every extreme
  equilibrium; three or more: every equilibrium by the certified ``polynomial_enumeration``
  when the part's game has at most :data:`MAX_PART_SUPPORT_PROFILES` support profiles, e.g.
  2x2x2, else pure equilibria only, and the list is then not complete).

Nash equilibria of the whole tree come from its reduced normal form (every extreme
equilibrium for two players), each mixed strategy turned into behaviour by Kuhn's theorem
(realization probabilities divided along the player's own moves).

Every equilibrium returned is re-checked independently of how it was found: for subgame
perfection, no player gains by deviating in any subgame (by the one-shot deviation principle
at every decision node in a perfect-information tree; otherwise by a best response computed
over the player's own information sets in each subgame); for Nash equilibria, the regret of
the mixed strategies (built back from the behaviour) in the reduced normal form.

Limits: :data:`MAX_EQUILIBRIA` equilibria per subgame, :data:`MAX_SELECTIONS` combinations of
lower equilibria per subgame (past either the list is cut and marked incomplete), and the
reduced normal form's limits for parts with information sets. Needs perfect recall.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import DEFAULT_TOL, Game, Profile, payoff_scales
from ..model.tree import CHANCE, DECISION, MAX_REDUCED_STRATEGIES, MAX_REDUCED_WORK, TERMINAL, Tree

__all__ = [
    "MAX_EQUILIBRIA",
    "MAX_SELECTIONS",
    "MAX_TIED_NODES",
    "TreeEquilibrium",
    "TreeSolveResult",
    "constant_sum_break",
    "nash_tree",
    "spe",
    "spe_gain",
    "tree_regret",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

#: Most equilibria kept per subgame (and so in a result).
MAX_EQUILIBRIA = 1_000
#: Most combinations of lower subgames' equilibria solved in one subgame.
MAX_SELECTIONS = 10_000
#: Most subgames solved one by one (the perfect-information fast path has no such limit).
MAX_SUBGAMES = 200_000
#: Largest perfect-information tree with ties whose subgame-perfect equilibria are all listed
#: (above it, the one with the first best move at each node is returned, marked incomplete).
MAX_TIED_NODES = 20_000
#: Warnings of indifference that matters to other players start with this (then summarised).
_MATTER = "indifferent-matters:"
#: Most nodes, summed over subgames, that the best-response re-check visits.
MAX_CHECK_WORK = 5_000_000


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class TreeEquilibrium:
    """One equilibrium of a tree in behaviour strategies.

    Attributes
    ----------
    tree
        The tree.
    behaviour
        One probability per (information set, move), length ``tree.n_actions``.
    payoffs
        Expected payoff of each player.
    reach
        Probability of reaching each terminal node (``tree.terminals`` order).
    arbitrary
        Information sets that the owner's own moves exclude: any behaviour there gives the
        same equilibrium, and the first move is shown.
    gain
        The largest gain from deviating found by the independent re-check (in any subgame
        for subgame perfection; in the reduced normal form for Nash).
    """

    tree: Tree
    behaviour: FloatArray
    payoffs: FloatArray
    reach: FloatArray
    arbitrary: frozenset[int] = frozenset()
    gain: float = 0.0

    def strategy(self, infoset: str | int) -> dict[str, float]:
        """Behaviour at an information set (by label or index): ``{move: probability}``."""
        tree = self.tree
        h = tree.infoset_labels.index(infoset) if isinstance(infoset, str) else int(infoset)
        lo, hi = int(tree.action_offset[h]), int(tree.action_offset[h + 1])
        return dict(zip(tree.infoset_moves(h), map(float, self.behaviour[lo:hi]), strict=True))

    def behaviour_by_infoset(self) -> dict[str, dict[str, float]]:
        """``{information set label: {move: probability}}`` for every information set."""
        return {label: self.strategy(h) for h, label in enumerate(self.tree.infoset_labels)}

    def payoff(self) -> dict[str, float]:
        """Expected payoffs by player."""
        return dict(zip(self.tree.players, map(float, self.payoffs), strict=True))

    def path(self, digits: int = 4) -> list[tuple[str, float]]:
        """Terminal nodes reached with positive probability: ``(name, probability)``."""
        hit = np.flatnonzero(self.reach > 1e-12)
        return [
            (self.tree.node_name(int(self.tree.terminals[t])), round(float(self.reach[t]), 12))
            for t in hit
        ]

    def to_dict(self) -> dict[str, Any]:
        """Plain data: payoffs by player, behaviour by information set, path probabilities."""
        tree = self.tree
        return {
            "payoffs": self.payoff(),
            "behaviour": {
                label: {
                    "player": tree.players[int(tree.infoset_owner[h])],
                    "moves": self.strategy(h),
                    "excluded_by_own_moves": h in self.arbitrary,
                }
                for h, label in enumerate(tree.infoset_labels)
            },
            "path": [{"terminal": name, "probability": p} for name, p in self.path()],
            "max_gain": self.gain,
        }

    def describe(self, digits: int = 4) -> str:
        """Payoffs, the path and what each player does, in a few lines."""
        tree = self.tree
        pay = ", ".join(f"{p} {v:.{digits}g}" for p, v in self.payoff().items())
        lines = [f"payoffs: {pay}"]
        path = "; ".join(
            name if abs(p - 1) < 1e-12 else f"{name} ({p:.{digits}g})" for name, p in self.path()
        )
        lines.append(f"path: {path}")
        for h, label in enumerate(tree.infoset_labels):
            moves = self.strategy(h)
            shown = [m for m, p in moves.items() if p > 1e-12]
            text = (
                shown[0]
                if len(shown) == 1
                else ", ".join(f"{m} {moves[m]:.{digits}g}" for m in shown)
            )
            note = " (excluded by its own earlier moves)" if h in self.arbitrary else ""
            owner = tree.players[int(tree.infoset_owner[h])]
            where = label if label.startswith(f"{owner} ") else f"{owner} at {label}"
            lines.append(f"  {where}: {text}{note}")
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class TreeSolveResult:
    """Equilibria of a tree, the concept and method, and whether the list is complete."""

    tree: Tree
    concept: str
    method: str
    equilibria: tuple[TreeEquilibrium, ...]
    complete: bool
    warnings: tuple[str, ...] = field(default=())
    tolerance: float = DEFAULT_TOL

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, index: int) -> TreeEquilibrium:
        return self.equilibria[index]

    def to_dict(self) -> dict[str, Any]:
        """Plain data, one entry per equilibrium."""
        return {
            "concept": self.concept,
            "method": self.method,
            "complete": self.complete,
            "tolerance": self.tolerance,
            "warnings": list(self.warnings),
            "players": list(self.tree.players),
            "equilibria": [eq.to_dict() for eq in self.equilibria],
        }

    def __str__(self) -> str:
        count = len(self.equilibria)
        concept = self.concept if count == 1 else self.concept.replace("equilibrium", "equilibria")
        head = (
            f"{count} {concept} of {self.tree.summary()} "
            f"({'complete' if self.complete else 'NOT complete'}; {self.method})"
        )
        lines = [head]
        for k, eq in enumerate(self.equilibria, start=1):
            lines.append(f"{k}. " + eq.describe().replace("\n", "\n   "))
        lines += [f"warning: {w}" for w in self.warnings]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<TreeSolveResult {len(self.equilibria)} {self.concept}(s), complete={self.complete}>"
        )


# ---------------------------------------------------------------------- subgame perfection
def spe(tree: Tree, *, tol: float = DEFAULT_TOL) -> TreeSolveResult:
    """Subgame-perfect equilibria in behaviour strategies, by backward induction.

    Parameters
    ----------
    tree
        A tree with perfect recall.
    tol
        Relative tolerance for ties and for the re-check (scaled by each player's payoff
        range).

    Returns
    -------
    TreeSolveResult
        Every pure choice at perfect-information nodes and every extreme equilibrium of the
        parts with information sets (two movers), carried up through every combination.
        ``complete`` is False when a list was cut, a part had three or more movers and was too
        large for certified enumeration (pure equilibria only), a part's solver could not
        prove its list complete (a continuum), or a mover was indifferent between moves that
        matter to others (mixing between them gives further equilibria, not listed).

    Cost
    ----
    Perfect information without ties: linear in the nodes, vectorised by levels. Otherwise one
    small solve per subgame and combination of lower equilibria (see the limits).
    """
    _require_recall(tree, "subgame perfection")
    scale = payoff_scales(tree.payoffs.T) if tree.terminals.size else np.ones(tree.n_players)
    warnings: list[str] = []
    if tree.is_perfect_information:
        choice, ties = _backward_induction(tree, tol, scale)
        if not ties.any():
            behaviour = _one_hot(tree, choice)
            return _spe_result(tree, [(behaviour, frozenset())], True, warnings, tol, "levels")
        tied = int(ties.sum())
        if tree.n_nodes > MAX_TIED_NODES:
            warnings.append(
                f"movers are indifferent at {tied:,} decision nodes of a tree of "
                f"{tree.n_nodes:,} nodes (over {MAX_TIED_NODES:,}): one subgame-perfect "
                "equilibrium (the first best move at each node) is listed, not every one"
            )
            behaviour = _one_hot(tree, choice)
            return _spe_result(tree, [(behaviour, frozenset())], False, warnings, tol, "levels")
        warnings.append(
            f"movers are indifferent at {tied:,} decision nodes; every tied move is followed"
        )
    found, complete = _spe_by_subgames(tree, tol, scale, warnings)
    return _spe_result(tree, found, complete, warnings, tol, "subgames")


def _backward_induction(tree: Tree, tol: float, scale: FloatArray) -> tuple[IntArray, IntArray]:
    """One pure SPE of a perfect-information tree (first best move) and where ties are."""
    n = tree.n_nodes
    value = np.zeros((n, tree.n_players))
    value[tree.terminals] = tree.payoffs
    choice = np.zeros(tree.n_infosets, dtype=np.int64)
    ties = np.zeros(n, dtype=bool)
    owner_of = np.full(n, -1, dtype=np.int64)
    decision = tree.kind == DECISION
    owner_of[decision] = tree.infoset_owner[tree.infoset[decision]]
    for start, stop in reversed(tree.levels()[1:]):
        parents = tree.parent[start:stop]
        cut = np.flatnonzero(np.diff(parents)) + 1
        groups = np.concatenate([[0], cut])
        heads = parents[groups]
        sizes = np.diff(np.concatenate([groups, [stop - start]]))
        group_of = np.repeat(np.arange(heads.size), sizes)
        kinds = tree.kind[heads]
        # Chance: expectations.
        weighted = value[start:stop] * tree.probability[start:stop, None]
        expected = np.add.reduceat(weighted, groups, axis=0)
        is_chance = kinds == CHANCE
        value[heads[is_chance]] = expected[is_chance]
        # Decisions: the mover's best move, the first of the tied ones.
        is_decision = kinds == DECISION
        mover = np.maximum(owner_of[parents], 0)
        own = value[np.arange(start, stop), mover]
        best = np.maximum.reduceat(own, groups)
        slack = tol * scale[mover]
        top = own >= best[group_of] - slack
        local = np.arange(stop - start) - groups[group_of]
        first = np.minimum.reduceat(np.where(top, local, np.iinfo(np.int64).max), groups)
        counts = np.add.reduceat(top.astype(np.int64), groups)
        chosen = heads[is_decision]
        pick = first[is_decision]
        value[chosen] = value[tree.first_child[chosen] + pick]
        choice[tree.infoset[chosen]] = pick
        ties[chosen] = counts[is_decision] > 1
    return choice, ties


def _one_hot(tree: Tree, choice: IntArray) -> FloatArray:
    behaviour = np.zeros(tree.n_actions)
    behaviour[tree.action_offset[:-1] + choice] = 1.0
    return behaviour


@dataclass
class _Candidate:
    """An equilibrium of one subgame: its value, its own part's behaviour, those below."""

    value: FloatArray
    local: dict[int, FloatArray]  # information set -> behaviour there
    below: tuple[tuple[int, int], ...]  # (subgame root, candidate index)
    arbitrary: frozenset[int]


def _spe_by_subgames(
    tree: Tree, tol: float, scale: FloatArray, warnings: list[str]
) -> tuple[list[tuple[FloatArray, frozenset[int]]], bool]:
    roots = tree.subgames()
    if roots.size > MAX_SUBGAMES:
        raise SolverError(
            f"the tree has {roots.size:,} subgames and ties or information sets; the limit for "
            f"solving them one by one is {MAX_SUBGAMES:,}"
        )
    is_root = np.zeros(tree.n_nodes, dtype=bool)
    is_root[roots] = True
    home = _home_subgame(tree, is_root)
    candidates: dict[int, list[_Candidate]] = {}
    complete = True
    for r in roots[::-1].tolist():
        members = np.flatnonzero(home == r)
        frontier = [int(c) for c in members[is_root[members]] if c != r]
        part = np.concatenate([[r], members[~is_root[members]]]).astype(np.int64)
        lists = [candidates[f] for f in frontier]
        total = math.prod(len(x) for x in lists)
        if total > MAX_SELECTIONS:
            warnings.append(
                f"the subgame at {tree.node_name(r)} has {total:,} combinations of equilibria "
                f"below it; only the first {MAX_SELECTIONS:,} are solved"
            )
            complete = False
        found: list[_Candidate] = []
        for selection in itertools.islice(
            itertools.product(*(range(len(x)) for x in lists)), MAX_SELECTIONS
        ):
            below = tuple(zip(frontier, selection, strict=True))
            values = {f: candidates[f][i].value for f, i in below}
            solved, ok = _solve_part(tree, r, part, values, tol, scale, warnings)
            complete = complete and ok
            for value, local, excluded in solved:
                found.append(_Candidate(value, local, below, excluded))
            if len(found) >= MAX_EQUILIBRIA:
                warnings.append(
                    f"more than {MAX_EQUILIBRIA:,} equilibria in the subgame at "
                    f"{tree.node_name(r)}; the list is cut"
                )
                complete = False
                found = found[:MAX_EQUILIBRIA]
                break
        candidates[r] = found
    out = []
    for cand in candidates[0]:
        behaviour = np.zeros(tree.n_actions)
        arbitrary: set[int] = set()
        stack = [cand]
        while stack:
            c = stack.pop()
            for h, probs in c.local.items():
                lo = int(tree.action_offset[h])
                behaviour[lo : lo + probs.size] = probs
            arbitrary |= c.arbitrary
            stack.extend(candidates[f][i] for f, i in c.below)
        out.append((behaviour, frozenset(arbitrary)))
    return out, complete


def _home_subgame(tree: Tree, is_root: NDArray[np.bool_]) -> IntArray:
    """For each node, the root of the smallest subgame whose own part it belongs to.

    A subgame root belongs to its own subgame and is also a frontier node of the one above;
    the caller separates the two.
    """
    home = np.zeros(tree.n_nodes, dtype=np.int64)
    nearest = np.zeros(tree.n_nodes, dtype=np.int64)  # smallest subgame containing the node
    for start, stop in tree.levels()[1:]:
        nodes = np.arange(start, stop)
        above = nearest[tree.parent[nodes]]
        nearest[nodes] = np.where(is_root[nodes], nodes, above)
        home[nodes] = above  # a root is listed in the part above it, as a frontier node
    home[~is_root] = nearest[~is_root]
    return home


def _solve_part(
    tree: Tree,
    root: int,
    part: IntArray,
    frontier_values: Mapping[int, FloatArray],
    tol: float,
    scale: FloatArray,
    warnings: list[str],
) -> tuple[list[tuple[FloatArray, dict[int, FloatArray], frozenset[int]]], bool]:
    """Equilibria of a subgame's own part, lower subgames replaced by the given values."""
    kind = int(tree.kind[root])
    start = int(tree.first_child[root])
    children = range(start, start + int(tree.n_children[root]))
    if all(c in frontier_values or tree.kind[c] == TERMINAL for c in children):
        child_values = np.array([_leaf_value(tree, c, frontier_values) for c in children])
        if kind == CHANCE:
            probs = tree.probability[start : start + len(children)]
            return [(probs @ child_values, {}, frozenset())], True
        h = int(tree.infoset[root])
        p = int(tree.infoset_owner[h])
        own = child_values[:, p]
        top = np.flatnonzero(own >= own.max() - tol * scale[p])
        out: list[tuple[FloatArray, dict[int, FloatArray], frozenset[int]]] = []
        for a in top.tolist():
            probs = np.zeros(len(children))
            probs[a] = 1.0
            out.append((child_values[a], {h: probs}, frozenset()))
        complete = _ties_harmless(child_values[top], scale, tol)
        if not complete:
            warnings.append(_MATTER + tree.node_name(root))
        return out, complete
    return _solve_part_by_normal_form(tree, root, part, frontier_values, tol, warnings)


def _leaf_value(tree: Tree, node: int, frontier_values: Mapping[int, FloatArray]) -> FloatArray:
    if node in frontier_values:
        return frontier_values[node]
    t = int(np.searchsorted(tree.terminals, node))
    row: FloatArray = tree.payoffs[t]
    return row


def _ties_harmless(values: FloatArray, scale: FloatArray, tol: float) -> bool:
    """True when tied moves give every player the same value (mixing changes nothing)."""
    spread = values.max(axis=0) - values.min(axis=0)
    return bool(np.all(spread <= tol * scale))


def _solve_part_by_normal_form(
    tree: Tree,
    root: int,
    part: IntArray,
    frontier_values: Mapping[int, FloatArray],
    tol: float,
    warnings: list[str],
) -> tuple[list[tuple[FloatArray, dict[int, FloatArray], frozenset[int]]], bool]:
    """Equilibria of a part with information sets, through its reduced normal form."""
    nodes = np.sort(np.concatenate([part, np.array(sorted(frontier_values), dtype=np.int64)]))
    sub, infosets = _extract(tree, nodes, frontier_values)
    movers = sorted({int(o) for o in sub.infoset_owner})
    if sub.n_players == 2 and len(movers) == 2 and not reduced_form_fits(sub):
        return _solve_part_by_sequence_form(tree, root, sub, infosets, tol, warnings)
    game = sub.reduced_normal_form()
    reduced = _movers_game(game, movers)
    if len(movers) == 1:
        own = reduced.payoffs[0]
        top = np.flatnonzero(own >= own.max() - tol * float(payoff_scales(reduced.payoffs)[0]))
        profiles = [np.eye(own.size)[i] for i in top]
        mixed = [[p] for p in profiles]
        complete = True
    else:
        from .registry import solve

        method = _part_method(reduced, len(movers))
        try:
            result = solve(reduced, method, tol=tol)
        except SolverError:
            if len(movers) != 2:
                raise
            result = solve(reduced, "auto", tol=tol)
        mixed = [list(eq.strategies) for eq in result.equilibria]
        complete = result.complete and method != "pure"
        if method == "pure":
            warnings.append(
                f"the subgame at {tree.node_name(root)} has {len(movers)} movers with "
                "information sets; only its pure equilibria are found"
            )
        elif not result.complete:
            warnings.append(
                f"the solver ({result.method}) did not find every equilibrium of the subgame at "
                f"{tree.node_name(root)}"
            )
        if not mixed:
            warnings.append(f"no equilibrium found in the subgame at {tree.node_name(root)}")
    out = []
    for strategies in mixed:
        full = [np.ones(1)] * sub.n_players
        for k, p in enumerate(movers):
            full[p] = np.asarray(strategies[k], dtype=np.float64)
        behaviour, arbitrary = _behaviour_from_mixed(sub, full)
        value = sub.values(behaviour)[0]
        local = {
            int(infosets[h]): behaviour[sub.action_offset[h] : sub.action_offset[h + 1]].copy()
            for h in range(sub.n_infosets)
        }
        out.append((value, local, frozenset(int(infosets[h]) for h in arbitrary)))
    return out, complete


def _solve_part_by_sequence_form(
    tree: Tree,
    root: int,
    sub: Tree,
    infosets: IntArray,
    tol: float,
    warnings: list[str],
) -> tuple[list[tuple[FloatArray, dict[int, FloatArray], frozenset[int]]], bool]:
    """One equilibrium of a large two-player part by the sequence form (not complete)."""
    result = _one_equilibrium_solver("sequence")(sub, tol=tol)
    warnings.append(
        f"the subgame at {tree.node_name(root)} is past the reduced normal form's limits: one "
        f"equilibrium by the {result.method.split(';')[0]}, not every one"
    )
    out = []
    for eq in result.equilibria:
        behaviour = eq.behaviour
        local = {
            int(infosets[h]): np.array(behaviour[sub.action_offset[h] : sub.action_offset[h + 1]])
            for h in range(sub.n_infosets)
        }
        value = sub.values(behaviour)[0]
        out.append((value, local, frozenset(int(infosets[h]) for h in eq.arbitrary)))
    return out, False


#: A part with three or more movers is solved for all its equilibria (certified
#: ``polynomial_enumeration``) when it has at most this many support profiles (2x2x2: 27,
#: 2x2x3: 63); larger parts, which may be solved once per combination of lower equilibria,
#: get their pure equilibria only.
MAX_PART_SUPPORT_PROFILES = 64


def _part_method(game: Game, movers: int) -> str:
    """The solver for a part's reduced game among its ``movers``."""
    if movers == 2:
        return "vertex_enumeration"
    from ._nplayer_auto import support_profile_count

    return (
        "polynomial_enumeration"
        if support_profile_count(game) <= MAX_PART_SUPPORT_PROFILES
        else "pure"
    )


def _movers_game(game: Game, movers: list[int]) -> Game:
    """The game among the players who move (the others have one strategy each)."""
    index: list[Any] = [0] * game.n_players
    for p in movers:
        index[p] = slice(None)
    payoffs = np.stack([game.payoffs[(p, *index)] for p in movers])
    return Game(
        tuple(game.players[p] for p in movers),
        tuple(game.actions[p] for p in movers),
        payoffs,
        game.title,
    )


def _extract(
    tree: Tree, nodes: IntArray, frontier_values: Mapping[int, FloatArray]
) -> tuple[Tree, IntArray]:
    """A tree of the given nodes (a subgame's part, lower subgames become terminal nodes).

    Returns the tree and, for each of its information sets, the original's index.
    """
    position = {int(v): i for i, v in enumerate(nodes)}
    parent = np.array([-1] + [position[int(tree.parent[v])] for v in nodes[1:]], dtype=np.int64)
    kind = tree.kind[nodes].copy()
    frontier = np.array([int(v) in frontier_values for v in nodes])
    kind[frontier] = TERMINAL
    old_infoset = np.where(kind == DECISION, tree.infoset[nodes], -1)
    used = np.unique(old_infoset[old_infoset >= 0])
    new_index = np.full(tree.n_infosets, -1, dtype=np.int64)
    new_index[used] = np.arange(used.size)
    infoset = np.where(old_infoset >= 0, new_index[np.maximum(old_infoset, 0)], -1)
    probability = tree.probability[nodes].copy()
    probability[0] = 1.0
    payoffs = np.array(
        [_leaf_value(tree, int(v), frontier_values) for v in nodes[kind == TERMINAL]]
    ).reshape(-1, tree.n_players)
    moves = tuple("" if i == 0 else tree.move_labels[int(v)] for i, v in enumerate(nodes))
    sub = Tree(
        tree.players,
        parent,
        kind,
        infoset,
        tree.infoset_owner[used],
        probability,
        payoffs,
        moves,
        tuple(tree.infoset_labels[int(h)] for h in used),
    )
    return sub, used


def _behaviour_from_mixed(tree: Tree, mixed: list[FloatArray]) -> tuple[FloatArray, frozenset[int]]:
    """Kuhn (1953): behaviour realization-equivalent to mixed reduced strategies.

    The probability of move ``a`` at information set ``h`` is the probability of the
    player's sequence ending in ``a`` over that of the sequence leading to ``h``; where the
    latter is zero (the player's own moves exclude ``h``) the first move is used and ``h``
    is reported as arbitrary.
    """
    behaviour = np.zeros(tree.n_actions)
    arbitrary: set[int] = set()
    follow = tree.own_sequences[tree.infoset_members_first, tree.infoset_owner]
    for p in range(tree.n_players):
        plans = tree.reduced_strategies(p)
        realization = np.zeros(tree.n_actions + 1)
        realization[-1] = 1.0
        for x, plan in zip(mixed[p], plans, strict=True):
            if x > 0:
                realization[list(plan)] += x
        for h in tree.player_infosets(p):
            lo, hi = int(tree.action_offset[h]), int(tree.action_offset[h + 1])
            before = realization[follow[h]]
            if before > 1e-12:
                behaviour[lo:hi] = realization[lo:hi] / before
                behaviour[lo:hi] /= behaviour[lo:hi].sum()
            else:
                behaviour[lo] = 1.0
                arbitrary.add(h)
    return behaviour, frozenset(arbitrary)


def _spe_result(
    tree: Tree,
    found: list[tuple[FloatArray, frozenset[int]]],
    complete: bool,
    warnings: list[str],
    tol: float,
    how: str,
) -> TreeSolveResult:
    equilibria = []
    failed = 0
    for behaviour, arbitrary in found:
        try:
            gain = spe_gain(tree, behaviour)
        except SolverError as exc:
            warnings.append(f"not re-checked: {exc}")
            gain = float("nan")
        if gain > tol * 10:
            failed += 1
            continue
        equilibria.append(_equilibrium(tree, behaviour, arbitrary, gain))
    if failed:
        warnings.append(f"{failed} candidate(s) failed the subgame-perfection re-check; dropped")
        complete = False
    matter = list(dict.fromkeys(w[len(_MATTER) :] for w in warnings if w.startswith(_MATTER)))
    warnings = [w for w in warnings if not w.startswith(_MATTER)]
    if matter:
        warnings.append(
            f"a mover is indifferent between moves that matter to others at {len(matter):,} "
            f"node(s) (first: {matter[0]}); mixtures of those moves give further "
            "subgame-perfect equilibria, not listed"
        )
    method = (
        "backward induction by levels"
        if how == "levels"
        else "backward induction over subgames (each subgame's equilibria carried up)"
    )
    return TreeSolveResult(
        tree,
        "subgame-perfect equilibrium",
        method,
        tuple(equilibria),
        complete,
        tuple(dict.fromkeys(warnings)),
        tol,
    )


def _equilibrium(
    tree: Tree, behaviour: FloatArray, arbitrary: frozenset[int], gain: float
) -> TreeEquilibrium:
    behaviour = behaviour.copy()
    behaviour.setflags(write=False)
    reach = tree.reach(behaviour)[tree.terminals]
    payoffs = reach @ tree.payoffs
    return TreeEquilibrium(tree, behaviour, payoffs, reach, arbitrary, gain)


# ---------------------------------------------------------------------- re-checks
def spe_gain(tree: Tree, behaviour: FloatArray) -> float:
    """The largest gain from deviating in any subgame, relative to the player's payoff range.

    It is 0 for a subgame-perfect equilibrium, up to rounding.

    Perfect-information trees: the one-shot deviation principle (a profile is subgame
    perfect when no mover gains by changing its move at one node and following the profile
    afterwards; e.g. Osborne and Rubinstein 1994, lemma 98.2), vectorised over all nodes.
    Otherwise: in every subgame, every player's best response against the others' behaviour,
    computed over the player's own information sets (perfect recall), against its value.
    """
    scale = payoff_scales(tree.payoffs.T) if tree.terminals.size else np.ones(tree.n_players)
    values = tree.values(behaviour)
    if tree.is_perfect_information:
        decision = np.flatnonzero(tree.kind == DECISION)
        if not decision.size:
            return 0.0
        owner = tree.infoset_owner[tree.infoset[decision]]
        child = np.arange(1, tree.n_nodes)
        parents = tree.parent[1:]
        is_decision_child = tree.kind[parents] == DECISION
        owner_of = np.full(tree.n_nodes, -1, dtype=np.int64)
        owner_of[decision] = owner
        c = child[is_decision_child]
        gains = (
            values[c, owner_of[tree.parent[c]]] - values[tree.parent[c], owner_of[tree.parent[c]]]
        )
        return float(np.max(gains / scale[owner_of[tree.parent[c]]], initial=0.0))
    roots = tree.subgames()
    pre, size = tree.preorder
    work = int(size[roots].sum()) * tree.n_players
    if work > MAX_CHECK_WORK:
        raise SolverError(
            f"re-checking every subgame would visit {work:,} nodes (limit {MAX_CHECK_WORK:,})"
        )
    order = np.argsort(pre)
    worst = 0.0
    for r in roots.tolist():
        nodes = np.sort(order[pre[r] : pre[r] + size[r]])
        sub, used = _extract(tree, nodes, {})
        local = (
            np.concatenate(
                [behaviour[tree.action_offset[h] : tree.action_offset[h + 1]] for h in used]
            )
            if used.size
            else np.zeros(0)
        )
        for p in range(tree.n_players):
            best = _best_response_value(sub, local, p)
            worst = max(worst, (best - values[r, p]) / scale[p])
    return float(worst)


def _best_response_value(tree: Tree, behaviour: FloatArray, player: int) -> float:
    """A player's best expected payoff against the others' behaviour (perfect recall).

    Dynamic programming over the player's own information sets, deepest first: a move's
    value is what the terminal nodes it leads to directly contribute (weighted by chance and
    the others' moves) plus the best move at each information set that follows it.
    """
    move = tree.move_probabilities(behaviour) if tree.n_actions else tree.probability.copy()
    child = np.arange(1, tree.n_nodes)
    parents = tree.parent[1:]
    mine = tree.kind[parents] == DECISION
    mine[mine] = tree.infoset_owner[tree.infoset[parents[mine]]] == player
    move[child[mine]] = 1.0
    reach = np.ones(tree.n_nodes)
    for start, stop in tree.levels()[1:]:
        reach[start:stop] = reach[tree.parent[start:stop]] * move[start:stop]
    z = tree.terminals
    last = tree.own_sequences[z, player]  # -1: no own move before z
    value = np.bincount(
        last + 1, weights=reach[z] * tree.payoffs[:, player], minlength=tree.n_actions + 1
    )
    follow = tree.own_sequences[tree.infoset_members_first, tree.infoset_owner]
    for h in np.argsort(-tree.infoset_members_first, kind="stable").tolist():
        if tree.infoset_owner[h] != player:
            continue
        lo, hi = int(tree.action_offset[h]), int(tree.action_offset[h + 1])
        value[follow[h] + 1] += value[lo + 1 : hi + 1].max()
    return float(value[0])


def tree_regret(tree: Tree, behaviour: FloatArray) -> float:
    """Largest regret, relative to payoff ranges, of the behaviour in the reduced normal form.

    Each player's behaviour is turned into the realization-equivalent mixed strategy over
    reduced strategies (the product of its move probabilities), and the regret is computed
    by :class:`~gametheory.model.game.Profile` from the reduced normal form's payoff array.
    """
    game = tree.reduced_normal_form()
    mixed = []
    for p in range(tree.n_players):
        plans = tree.reduced_strategies(p)
        x = np.array([np.prod(behaviour[list(plan)]) if plan else 1.0 for plan in plans])
        mixed.append(x / x.sum())
    profile = Profile(game, tuple(mixed))
    return float(np.max(profile.regret / game.scales))


# ---------------------------------------------------------------------- Nash equilibria
def nash_tree(tree: Tree, method: str = "auto", *, tol: float = DEFAULT_TOL) -> TreeSolveResult:
    """Nash equilibria of a tree through its reduced normal form, in behaviour strategies.

    Parameters
    ----------
    tree
        A tree with perfect recall, whose reduced normal form is within the model's limits.
    method
        Passed to :func:`gametheory.solve` (``auto``: every extreme equilibrium of a
        two-player game of moderate size); ``"sequence"`` (alias ``"lemke_sequence"``): one
        equilibrium of a two-player tree by Lemke's algorithm on the sequence form
        (:func:`gametheory.solvers.sequence_form.nash_sequence`), which ``auto`` also uses for
        two-player trees whose reduced normal form is past its limits; ``"sequence_lp"``: one
        equilibrium of a two-player constant-sum tree by the sequence-form linear program
        (:func:`gametheory.solvers.sequence_lp.nash_sequence_lp`), which ``auto`` uses
        instead of Lemke's algorithm for constant-sum trees past those limits.
    tol
        Relative regret tolerance.

    Returns
    -------
    TreeSolveResult
        Each equilibrium of the reduced normal form turned into behaviour (Kuhn 1953) and
        re-checked by its regret in the reduced normal form; complete as the solver says.
    """
    from .registry import solve

    _require_recall(tree, "Nash equilibria of a tree")
    if method in ("sequence", "lemke_sequence"):
        return _one_equilibrium_solver("sequence")(tree, tol=tol)
    if method == "sequence_lp":
        return _one_equilibrium_solver("sequence_lp")(tree, tol=tol)
    if method == "auto" and tree.n_players == 2 and not reduced_form_fits(tree):
        if constant_sum_break(tree, tol) is None:
            return _one_equilibrium_solver("sequence_lp")(
                tree,
                tol=tol,
                warnings=(
                    "the reduced normal form is past its limits: one equilibrium of this "
                    "constant-sum tree by the sequence-form LP, not every one (all have the "
                    "same value)",
                ),
            )
        return _one_equilibrium_solver("sequence")(
            tree,
            tol=tol,
            warnings=(
                "the reduced normal form is past its limits: one equilibrium by the "
                "sequence form (Lemke's algorithm), not every one",
            ),
        )
    game = tree.reduced_normal_form()
    result = solve(game, method, tol=tol)
    warnings = list(result.warnings)
    equilibria = []
    for eq in result.equilibria:
        behaviour, arbitrary = _behaviour_from_mixed(tree, list(eq.strategies))
        regret = tree_regret(tree, behaviour)
        if regret > tol * 10:
            warnings.append("an equilibrium failed the re-check in behaviour strategies; dropped")
            continue
        equilibria.append(_equilibrium(tree, behaviour, arbitrary, regret))
    complete = result.complete and len(equilibria) == len(result.equilibria)
    return TreeSolveResult(
        tree,
        "Nash equilibrium",
        f"reduced normal form ({game.shape[0]}"
        + "".join(f"x{n}" for n in game.shape[1:])
        + f"), {result.method}",
        tuple(equilibria),
        complete,
        tuple(dict.fromkeys(warnings)),
        tol,
    )


#: Solvers for one equilibrium of a tree that need no reduced normal form, by method name. The
#: sequence form registers itself (``gametheory.solvers`` imports it), so this module imports
#: no module that imports it back.
_ONE_EQUILIBRIUM: dict[str, Callable[..., TreeSolveResult]] = {}


def register_one_equilibrium(
    name: str,
) -> Callable[[Callable[..., TreeSolveResult]], Callable[..., TreeSolveResult]]:
    """Register ``func(tree, *, tol, warnings=...)`` as ``nash_tree``'s method ``name``."""

    def add(func: Callable[..., TreeSolveResult]) -> Callable[..., TreeSolveResult]:
        _ONE_EQUILIBRIUM[name] = func
        return func

    return add


def constant_sum_break(tree: Tree, tol: float = DEFAULT_TOL) -> int | None:
    """The first leaf (index in ``tree.terminals``) that breaks the constant sum, or None.

    A leaf breaks it when its payoff sum differs from the first leaf's by more than ``tol``
    times the largest payoff magnitude.

    Cost: one pass over the leaves.
    """
    sums = tree.payoffs[:, 0] + tree.payoffs[:, 1]
    if not sums.size:
        return None
    scale = max(float(np.abs(tree.payoffs).max()), 1e-300)
    bad = np.flatnonzero(np.abs(sums - sums[0]) > tol * scale)
    return int(bad[0]) if bad.size else None


def _one_equilibrium_solver(name: str) -> Callable[..., TreeSolveResult]:
    # Importing this module imports its package first, whose __init__ registers them.
    return _ONE_EQUILIBRIUM[name]


def reduced_form_fits(tree: Tree, work: int = MAX_REDUCED_WORK) -> bool:
    """True when the reduced normal form is within its limits (counted, not listed)."""
    counts = tree.reduced_strategy_counts()
    return max(counts) <= MAX_REDUCED_STRATEGIES and (
        math.prod(counts) * max(1, tree.terminals.size) <= work
    )


def _require_recall(tree: Tree, what: str) -> None:
    if not isinstance(tree, Tree):
        raise SolverError(f"{what} needs a Tree, got {type(tree).__name__}")
    violation = tree.perfect_recall_violation
    if violation is not None:
        raise SolverError(f"{what} needs perfect recall; {violation}")
