"""Extensive-form games: immutable game trees with chance, information sets and payoffs.

A :class:`Tree` is stored as flat arrays over its nodes, in breadth-first order (every node's
parent comes before it and siblings are consecutive), so the analyses run level by level with
numpy (a million nodes of a two-player tree take about 160 MB, most of it the move labels):

- ``parent[i]`` (``-1`` at the root), and derived ``first_child[i]``, ``n_children[i]``;
- ``kind[i]``: :data:`TERMINAL`, :data:`DECISION` or :data:`CHANCE`;
- ``infoset[i]``: the information set of a decision node (``-1`` elsewhere), and
  ``infoset_owner[k]``: the player who moves at information set ``k``;
- ``probability[i]``: the probability of the chance move leading to node ``i`` (``1.0`` where
  the parent is not a chance node);
- ``payoffs[t, p]``: player ``p``'s payoff at the ``t``-th terminal node (terminals in node
  order).

Labels (players, moves, information sets, nodes) sit at the surface, as tuples of strings. A
tree is written either as nested :class:`Decision`, :class:`Chance` and :class:`Terminal`
nodes (:meth:`Tree.build`) or as arrays (the constructor, used by the ``.efg`` reader).

The representation follows Kuhn (1953) and the textbook definition (Osborne and Rubinstein,
*A Course in Game Theory*, 1994, ch. 6 and 11); Gambit's ``.efg`` format (McKelvey, McLennan
and Turocy) holds the same information. What the model offers besides validation:
:meth:`Tree.subgames` (roots of proper subgames), :meth:`Tree.reduced_normal_form` (the normal
form with plans that differ only at nodes their own moves exclude merged), reach probabilities
and node values under a behaviour profile, and a text outline. Solving lives in
:mod:`gametheory.solvers.tree`.

Limits (checked before anything proportional to them is allocated): :data:`MAX_NODES` nodes,
:data:`MAX_PLAYERS` players, :data:`MAX_MOVES` moves at one node, and for the reduced normal
form :data:`MAX_REDUCED_STRATEGIES` strategies per player and :data:`MAX_REDUCED_WORK`
profile-terminal products.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import GameError
from .game import Game

__all__ = [
    "CHANCE",
    "DECISION",
    "MAX_MOVES",
    "MAX_NODES",
    "MAX_PLAYERS",
    "MAX_REDUCED_STRATEGIES",
    "MAX_REDUCED_WORK",
    "TERMINAL",
    "Chance",
    "Decision",
    "Terminal",
    "Tree",
]

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]

#: Node kinds.
TERMINAL, DECISION, CHANCE = 0, 1, 2
_KIND_NAMES = {TERMINAL: "terminal", DECISION: "decision", CHANCE: "chance"}

#: Most nodes in a tree (a million nodes of a two-player tree take about 160 MB).
MAX_NODES = 2_000_000
#: Most players (as for normal-form games: one array axis each in the reduced normal form).
MAX_PLAYERS = 32
#: Most moves at one node.
MAX_MOVES = 10_000
#: Most strategies of one player in the reduced normal form (as for sequential scenarios).
MAX_REDUCED_STRATEGIES = 200_000
#: Most (pure profile x terminal node) products computed for the reduced normal form (a second
#: or two of numpy), and so also at most this many pure profiles.
MAX_REDUCED_WORK = 50_000_000
#: Tolerance on chance probabilities summing to one.
_PROB_TOL = 1e-9
#: Lines of :meth:`Tree.outline` by default.
_OUTLINE_LINES = 200


# ---------------------------------------------------------------------- surface nodes
@dataclass(frozen=True)
class Terminal:
    """A terminal node: one payoff per player (a sequence in player order, or a mapping)."""

    payoffs: Sequence[float] | Mapping[str, float]
    label: str = ""


@dataclass(frozen=True)
class Decision:
    """A decision node of ``player``; ``moves`` maps each move's label to the node it leads to.

    Nodes that share ``infoset`` (a label) form one information set: the player does not know
    which of them it is at, so they must have the same moves, in the same order. Without an
    ``infoset`` the node is an information set of its own.
    """

    player: str
    moves: Mapping[str, Node]
    infoset: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Chance:
    """A chance node; ``moves`` maps each move's label to ``(probability, node)``."""

    moves: Mapping[str, tuple[float, Node]]
    label: str = ""


Node = Union[Terminal, Decision, Chance]  # noqa: UP007 (a runtime alias, used before 3.12)


# ---------------------------------------------------------------------- the tree
@dataclass(frozen=True, eq=False, repr=False)
class Tree:
    """An immutable, labelled extensive-form game (see the module docstring for the layout).

    Parameters
    ----------
    players
        Player names.
    parent
        ``parent[i]`` for every node, breadth-first (``parent[0] == -1``, non-decreasing).
    kind
        :data:`TERMINAL`, :data:`DECISION` or :data:`CHANCE` for every node.
    infoset
        Information set of every decision node (``0 .. K-1``), ``-1`` elsewhere.
    infoset_owner
        The player (index) who moves at each information set.
    probability
        Probability of the chance move into each node (``1.0`` where the parent is not chance).
    payoffs
        ``(terminals, players)``: payoffs of the terminal nodes, in node order.
    move_labels
        Label of the move into each node (``""`` at the root); default ``"1"``, ``"2"``, ...
        The moves of an information set are those of its first node; its other nodes must
        carry the same labels.
    infoset_labels
        A unique label per information set; default ``"<player>:<k>"``.
    node_labels
        Optional label per node.
    title
        Optional title.

    Raises
    ------
    GameError
        Naming the first node or information set that breaks a rule, and the rule.
    """

    players: tuple[str, ...]
    parent: IntArray
    kind: NDArray[np.int8]
    infoset: IntArray
    infoset_owner: IntArray
    probability: FloatArray
    payoffs: FloatArray
    move_labels: tuple[str, ...] = ()
    infoset_labels: tuple[str, ...] = ()
    node_labels: tuple[str, ...] = ()
    title: str = ""
    first_child: IntArray = field(init=False)
    n_children: IntArray = field(init=False)
    terminals: IntArray = field(init=False)
    level_starts: IntArray = field(init=False)
    action_offset: IntArray = field(init=False)

    # ------------------------------------------------------------------ validation
    def __post_init__(self) -> None:
        players = tuple(str(p) for p in self.players)
        _check_players(players)
        n = _check_count(self.parent)
        parent = _int_array(self.parent, n, "parent")
        kind = _int_array(self.kind, n, "kind").astype(np.int8)
        infoset = _int_array(self.infoset, n, "infoset")
        probability = _float_array(self.probability, (n,), "probability")
        _check_parents(parent)
        bad = np.flatnonzero((kind != TERMINAL) & (kind != DECISION) & (kind != CHANCE))
        if bad.size:
            raise GameError(f"node {bad[0]}: kind {kind[bad[0]]} is not 0, 1 or 2")
        n_children = np.bincount(parent[1:], minlength=n).astype(np.int64)
        first_child = np.full(n, -1, dtype=np.int64)
        has = n_children > 0
        first_child[has] = np.searchsorted(parent[1:], np.flatnonzero(has)) + 1
        _check_kinds(kind, n_children)
        owner = _int_array(self.infoset_owner, None, "infoset_owner")
        action_offset = _check_infosets(kind, infoset, owner, n_children, len(players))
        _check_probabilities(kind, parent, probability)
        terminals = np.flatnonzero(kind == TERMINAL)
        payoffs = _float_array(self.payoffs, (terminals.size, len(players)), "payoffs")
        k = owner.size
        move_labels = _labels(self.move_labels, n, "move_labels")
        if move_labels is None:
            index = np.arange(n) - np.where(parent >= 0, first_child[np.maximum(parent, 0)], 0)
            move_labels = tuple("" if i == 0 else str(index[i] + 1) for i in range(n))
        infoset_labels = _labels(self.infoset_labels, k, "infoset_labels")
        if infoset_labels is None:
            counts: dict[int, int] = {}
            names = []
            for h in range(k):
                counts[int(owner[h])] = counts.get(int(owner[h]), 0) + 1
                names.append(f"{players[owner[h]]}:{counts[int(owner[h])]}")
            infoset_labels = tuple(names)
        _check_unique(infoset_labels, "information set labels")
        node_labels = _labels(self.node_labels, n, "node_labels") or ("",) * n
        for arr in (parent, kind, infoset, owner, probability, payoffs, n_children, first_child):
            arr.setflags(write=False)
        values = {
            "players": players,
            "parent": parent,
            "kind": kind,
            "infoset": infoset,
            "infoset_owner": owner,
            "probability": probability,
            "payoffs": payoffs,
            "move_labels": move_labels,
            "infoset_labels": infoset_labels,
            "node_labels": node_labels,
            "title": str(self.title),
            "first_child": first_child,
            "n_children": n_children,
            "terminals": terminals,
            "level_starts": _level_starts(n_children),
            "action_offset": action_offset,
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self._check_move_labels()

    def _check_move_labels(self) -> None:
        """Sibling moves are distinct, and every node of an information set has its moves."""
        for node in np.flatnonzero(self.n_children > 1):
            labels = self.moves_at(int(node))
            if len(set(labels)) != len(labels):
                raise GameError(
                    f"node {node} ({self.node_name(int(node))}): two moves are labelled alike: "
                    f"{list(labels)}"
                )
        first = self.infoset_members_first
        for node in np.flatnonzero(self.kind == DECISION):
            h = int(self.infoset[node])
            if first[h] != node and self.moves_at(int(node)) != self.moves_at(int(first[h])):
                raise GameError(
                    f"node {node} ({self.node_name(int(node))}): in information set "
                    f"'{self.infoset_labels[h]}' its moves "
                    f"{list(self.moves_at(int(node)))} differ from "
                    f"{list(self.moves_at(int(first[h])))} at node {first[h]}"
                )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def build(cls, players: Sequence[str], root: Node, title: str = "") -> Tree:
        """A tree from nested :class:`Decision`, :class:`Chance` and :class:`Terminal` nodes.

        Examples
        --------
        Entry deterrence (Selten 1978):

        >>> from gametheory.model.tree import Decision, Terminal, Tree
        >>> tree = Tree.build(("Entrant", "Incumbent"), Decision("Entrant", {
        ...     "out": Terminal((0, 5)),
        ...     "enter": Decision("Incumbent", {
        ...         "accommodate": Terminal((2, 2)), "fight": Terminal((-1, -1))})}))
        >>> tree.n_nodes, len(tree.terminals)
        (5, 3)
        """
        return _Builder(tuple(players)).run(root, title)

    # ------------------------------------------------------------------ shape and lookup
    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return int(self.parent.size)

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def n_infosets(self) -> int:
        """Number of information sets."""
        return int(self.infoset_owner.size)

    @property
    def n_actions(self) -> int:
        """Number of (information set, move) pairs: the length of a behaviour profile."""
        return int(self.action_offset[-1])

    def infoset_moves(self, h: int) -> tuple[str, ...]:
        """The move labels of information set ``h``."""
        return self.moves_at(int(self.infoset_members_first[h]))

    def moves_at(self, node: int) -> tuple[str, ...]:
        """The labels of the moves at a node (empty at a terminal node)."""
        start = int(self.first_child[node])
        return tuple(self.move_labels[start : start + int(self.n_children[node])])

    def terminal_payoffs(self, node: int) -> dict[str, float]:
        """Payoffs at a terminal node, by player."""
        t = int(np.searchsorted(self.terminals, node))
        if t >= self.terminals.size or self.terminals[t] != node:
            raise GameError(f"node {node} is not a terminal node")
        return dict(zip(self.players, map(float, self.payoffs[t]), strict=True))

    def path(self, node: int) -> list[int]:
        """The nodes from the root to ``node``."""
        out = [node]
        while self.parent[out[-1]] >= 0:
            out.append(int(self.parent[out[-1]]))
        return out[::-1]

    def node_name(self, node: int) -> str:
        """The node's label, or its path of moves (``"enter/fight"``; ``"root"``)."""
        if self.node_labels[node]:
            return self.node_labels[node]
        moves = [self.move_labels[i] for i in self.path(node)[1:]]
        return "/".join(moves) or "root"

    # ------------------------------------------------------------------ derived arrays
    @cached_property
    def depth(self) -> IntArray:
        """Depth of every node (0 at the root)."""
        depth = np.zeros(self.n_nodes, dtype=np.int64)
        for level, (start, stop) in enumerate(self.levels()):
            depth[start:stop] = level
        return depth

    def levels(self) -> list[tuple[int, int]]:
        """``(start, stop)`` node ranges of each depth, root first (nodes are breadth-first)."""
        starts = self.level_starts
        return [(int(starts[i]), int(starts[i + 1])) for i in range(starts.size - 1)]

    @cached_property
    def move_index(self) -> IntArray:
        """Index of the move into each node among its siblings (0 at the root)."""
        parent = np.maximum(self.parent, 0)
        index = np.arange(self.n_nodes) - self.first_child[parent]
        index[0] = 0
        return index

    @cached_property
    def infoset_members_first(self) -> IntArray:
        """The first node (in node order) of every information set."""
        first = np.full(self.n_infosets, self.n_nodes, dtype=np.int64)
        decision = np.flatnonzero(self.kind == DECISION)
        np.minimum.at(first, self.infoset[decision], decision)
        return first

    @cached_property
    def _infoset_sizes(self) -> IntArray:
        return np.bincount(self.infoset[self.kind == DECISION], minlength=self.n_infosets)

    @cached_property
    def chance_reach(self) -> FloatArray:
        """Probability of every node under chance alone (players' moves taken as certain)."""
        return self.reach(np.ones(self.n_actions))

    @cached_property
    def own_sequences(self) -> IntArray:
        """``(nodes, players)``: the last own move of each player on the path to each node.

        Entry ``[i, p]`` is ``-1`` where player ``p`` has not moved before node ``i``, else the
        action index ``action_offset[h] + a`` of its last move (information set ``h``, move
        ``a``). Under perfect recall this identifies the player's whole sequence of moves.
        """
        n, players = self.n_nodes, self.n_players
        if n * players > 4 * MAX_NODES:
            raise GameError(
                f"{n:,} nodes x {players} players is too many to track each player's moves "
                f"(limit {4 * MAX_NODES:,})"
            )
        seq = np.full((n, players), -1, dtype=np.int64)
        for start, stop in self.levels()[1:]:
            nodes = np.arange(start, stop)
            parents = self.parent[nodes]
            seq[nodes] = seq[parents]
            moved = self.kind[parents] == DECISION
            h = self.infoset[parents[moved]]
            seq[nodes[moved], self.infoset_owner[h]] = (
                self.action_offset[h] + self.move_index[nodes[moved]]
            )
        return seq

    @cached_property
    def perfect_recall_violation(self) -> str | None:
        """Why the tree lacks perfect recall, or None when it has it (Kuhn 1953).

        Every node of an information set must follow the same sequence of its owner's own
        moves; this also rules out an information set met twice on one path.
        """
        decision = np.flatnonzero(self.kind == DECISION)
        h = self.infoset[decision]
        mine = self.own_sequences[decision, self.infoset_owner[h]]
        first = self.own_sequences[self.infoset_members_first[h], self.infoset_owner[h]]
        bad = np.flatnonzero(mine != first)
        if not bad.size:
            return None
        node, k = int(decision[bad[0]]), int(h[bad[0]])
        other = int(self.infoset_members_first[k])
        owner = self.players[self.infoset_owner[k]]
        return (
            f"information set '{self.infoset_labels[k]}' of {owner} holds node {other} "
            f"({self.node_name(other)}) and node {node} ({self.node_name(node)}), which {owner} "
            "reaches by different moves of its own: the game lacks perfect recall"
        )

    @property
    def has_perfect_recall(self) -> bool:
        """True when every player remembers its own earlier moves (Kuhn 1953)."""
        return self.perfect_recall_violation is None

    @property
    def is_perfect_information(self) -> bool:
        """True when every information set is a single node (chance moves are allowed).

        Every non-terminal node then roots a subgame, which is what backward induction needs.
        """
        return bool(np.bincount(self.infoset[self.kind == DECISION]).max(initial=1) <= 1)

    # ------------------------------------------------------------------ behaviour profiles
    def reach(self, behaviour: ArrayLike) -> FloatArray:
        """Probability of reaching every node under a behaviour profile.

        Parameters
        ----------
        behaviour
            One probability per (information set, move), length :attr:`n_actions`
            (information set ``h``'s moves at ``action_offset[h]:action_offset[h + 1]``).
        """
        b = np.asarray(behaviour, dtype=np.float64)
        if b.shape != (self.n_actions,):
            raise GameError(f"a behaviour profile has {self.n_actions} entries, got {b.shape}")
        move = self.move_probabilities(b)
        reach = np.ones(self.n_nodes)
        for start, stop in self.levels()[1:]:
            reach[start:stop] = reach[self.parent[start:stop]] * move[start:stop]
        return reach

    def move_probabilities(self, behaviour: FloatArray) -> FloatArray:
        """Probability of the move into every node (chance or behaviour; 1 at the root)."""
        move = self.probability.copy()
        child = np.arange(1, self.n_nodes)
        parents = self.parent[1:]
        decided = self.kind[parents] == DECISION
        h = self.infoset[parents[decided]]
        move[child[decided]] = behaviour[self.action_offset[h] + self.move_index[child[decided]]]
        return move

    def values(self, behaviour: ArrayLike) -> FloatArray:
        """``(nodes, players)``: expected payoffs from every node on under a behaviour profile."""
        b = np.asarray(behaviour, dtype=np.float64)
        if b.shape != (self.n_actions,):
            raise GameError(f"a behaviour profile has {self.n_actions} entries, got {b.shape}")
        move = self.move_probabilities(b)
        value = np.zeros((self.n_nodes, self.n_players))
        value[self.terminals] = self.payoffs
        for start, stop in reversed(self.levels()[1:]):
            weighted = value[start:stop] * move[start:stop, None]
            _reduce_children(np.add, value, weighted, self.parent[start:stop])
        return value

    # ------------------------------------------------------------------ subgames
    @cached_property
    def preorder(self) -> tuple[IntArray, IntArray]:
        """``(pre, size)``: each node's depth-first preorder index and its subtree's size."""
        n = self.n_nodes
        size = np.ones(n, dtype=np.int64)
        for start, stop in reversed(self.levels()[1:]):
            _reduce_children(np.add, size, size[start:stop], self.parent[start:stop])
        pre = np.zeros(n, dtype=np.int64)
        for start, stop in self.levels()[1:]:
            nodes = np.arange(start, stop)
            before = np.cumsum(size[start:stop]) - size[start:stop]
            group_first = self.first_child[self.parent[nodes]]
            before -= before[group_first - start]
            pre[nodes] = pre[self.parent[nodes]] + 1 + before
        return pre, size

    def subgames(self) -> IntArray:
        """Roots of the subgames, the whole game (node 0) first, in node order.

        A non-terminal node roots a subgame when every information set holding a node of its
        subtree lies wholly inside that subtree (Selten 1965; Osborne and Rubinstein 1994,
        ch. 6). Cost: linear in the nodes times the depth, vectorised by levels.
        """
        pre, size = self.preorder
        k = self.n_infosets
        decision = np.flatnonzero(self.kind == DECISION)
        lo = np.full(k, np.iinfo(np.int64).max, dtype=np.int64)
        hi = np.full(k, -1, dtype=np.int64)
        np.minimum.at(lo, self.infoset[decision], pre[decision])
        np.maximum.at(hi, self.infoset[decision], pre[decision])
        low = pre.copy()
        high = pre.copy()
        low[decision] = lo[self.infoset[decision]]
        high[decision] = hi[self.infoset[decision]]
        for start, stop in reversed(self.levels()[1:]):
            parents = self.parent[start:stop]
            _reduce_children(np.minimum, low, low[start:stop], parents)
            _reduce_children(np.maximum, high, high[start:stop], parents)
        root = (self.kind != TERMINAL) & (low >= pre) & (high < pre + size)
        return np.flatnonzero(root)

    # ------------------------------------------------------------------ reduced normal form
    def reduced_strategy_counts(self) -> list[int]:
        """Each player's number of reduced strategies, counted without listing them.

        A reduced strategy chooses a move only at the information sets its own earlier moves
        do not exclude (plans that differ elsewhere are merged). Counts saturate just above
        :data:`MAX_REDUCED_STRATEGIES`.
        """
        cap = MAX_REDUCED_STRATEGIES + 1
        self._require_perfect_recall("the reduced normal form")
        follow = self._infosets_after()
        counts = [1] * self.n_players
        per_action = [1] * self.n_actions
        for h in self._infosets_bottom_up():
            total = sum(per_action[a] for a in range(*self._action_range(h)))
            parent_action = follow[h]
            p = int(self.infoset_owner[h])
            if parent_action < 0:
                counts[p] = min(cap, counts[p] * total)
            else:
                per_action[parent_action] = min(cap, per_action[parent_action] * total)
        return counts

    def reduced_normal_form(self) -> Game:
        """The reduced normal form: a :class:`~gametheory.model.game.Game` of reduced plans.

        Strategies are labelled by their moves at the player's information sets in order,
        joined by ``/``, with ``*`` where the player's own earlier moves exclude the set (as
        Gambit labels reduced strategies); a player with one information set has its move
        labels. Payoffs are expectations over chance. Needs perfect recall.

        Cost: the strategies are counted first (:meth:`reduced_strategy_counts`), and refused
        past :data:`MAX_REDUCED_STRATEGIES` per player or :data:`MAX_REDUCED_WORK` products
        of pure profiles and terminal nodes, before any is listed.

        Raises
        ------
        GameError
            Without perfect recall, or past the limits.
        """
        counts = self.reduced_strategy_counts()
        for player, count in zip(self.players, counts, strict=True):
            if count > MAX_REDUCED_STRATEGIES:
                raise GameError(
                    f"player '{player}' has more than {MAX_REDUCED_STRATEGIES:,} reduced "
                    "strategies; solve the tree by backward induction (subgame perfection) "
                    "instead"
                )
        work = math.prod(counts) * max(1, self.terminals.size)
        if work > MAX_REDUCED_WORK:
            raise GameError(
                f"the reduced normal form has {math.prod(counts):,} pure profiles and the tree "
                f"{self.terminals.size:,} terminal nodes; their product {work:,} is over the "
                f"limit of {MAX_REDUCED_WORK:,}"
            )
        strategies = [self.reduced_strategies(p) for p in range(self.n_players)]
        labels = [self._strategy_labels(p, s) for p, s in enumerate(strategies)]
        payoffs = self._reduced_payoffs(strategies)
        title = f"{self.title} (reduced normal form)" if self.title else "reduced normal form"
        return Game(self.players, tuple(labels), payoffs, title)

    def reduced_strategies(self, player: int) -> list[tuple[int, ...]]:
        """A player's reduced strategies, each the sorted action indices it plays.

        Action indices are ``action_offset[h] + a`` (move ``a`` at information set ``h``).
        """
        follow = self._infosets_after()
        # Bottom up, as the counts: the plans after an action are the products, over the
        # information sets that follow it, of a move there and a plan after that move.
        after: dict[int, list[tuple[int, ...]]] = {}
        order = [h for h in self._infosets_bottom_up() if self.infoset_owner[h] == player]
        for h in order:
            options = [
                (a, *rest) for a in range(*self._action_range(h)) for rest in after.pop(a, [()])
            ]
            key = int(follow[h])
            before = after.get(key, [()])
            after[key] = [x + y for x in before for y in options]
        mine = self.player_infosets(player)
        plans = [frozenset(plan) for plan in after.get(-1, [()])]
        plans.sort(key=lambda plan: self._plan_key(plan, mine))
        return [tuple(sorted(plan)) for plan in plans]

    def player_infosets(self, player: int) -> list[int]:
        """A player's information sets in depth-first order of their first node.

        This is the order of Gambit's numbering in the files it writes; reduced strategies
        are listed lexicographically in it (the first information set changing slowest), as
        Gambit lists them, and labelled by it.
        """
        pre, _ = self.preorder
        decision = np.flatnonzero(self.kind == DECISION)
        first = np.full(self.n_infosets, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, self.infoset[decision], pre[decision])
        mine = np.flatnonzero(self.infoset_owner == player)
        return [int(h) for h in mine[np.argsort(first[mine], kind="stable")]]

    def _plan_key(self, plan: frozenset[int], infosets: list[int]) -> tuple[int, ...]:
        key = []
        for h in infosets:
            lo, hi = self._action_range(h)
            hit = [a - lo for a in range(lo, hi) if a in plan]
            key.append(hit[0] if hit else -1)
        return tuple(key)

    def _strategy_labels(self, player: int, strategies: list[tuple[int, ...]]) -> tuple[str, ...]:
        mine = self.player_infosets(player)
        labels = []
        for s in strategies:
            chosen = set(s)
            parts = []
            for h in mine:
                lo, hi = self._action_range(h)
                hit = [a for a in range(lo, hi) if a in chosen]
                parts.append(self.infoset_moves(h)[hit[0] - lo] if hit else "*")
            labels.append("/".join(parts) if parts else "(no move)")
        if len(set(labels)) != len(labels):
            labels = [f"{label} #{i + 1}" for i, label in enumerate(labels)]
        return tuple(labels)

    def _reduced_payoffs(self, strategies: list[list[tuple[int, ...]]]) -> FloatArray:
        """Expected payoffs of every reduced profile, by one product over terminal nodes."""
        z = self.terminals
        seq = self.own_sequences[z]
        weight = self.chance_reach[z]
        factors = []
        for p, plans in enumerate(strategies):
            realized = np.zeros((len(plans), self.n_actions + 1), dtype=np.float64)
            realized[:, -1] = 1.0  # the empty sequence (-1) is always played
            for i, plan in enumerate(plans):
                realized[i, list(plan)] = 1.0
            factors.append(realized[:, seq[:, p]])  # (S_p, Z)
        letters = "".join(c for c in string.ascii_letters if c not in "qz")[: self.n_players]
        spec = ",".join(f"{c}z" for c in letters) + ",zq->q" + letters
        table: FloatArray = np.einsum(spec, *factors, weight[:, None] * self.payoffs, optimize=True)
        return table

    def _infosets_after(self) -> IntArray:
        """For each information set, its owner's last action before it (-1: none)."""
        first = self.infoset_members_first
        return self.own_sequences[first, self.infoset_owner]

    def _infosets_bottom_up(self) -> list[int]:
        """Information sets, later ones first (by their first node, deepest first)."""
        return [int(h) for h in np.argsort(-self.infoset_members_first, kind="stable")]

    def _action_range(self, h: int) -> tuple[int, int]:
        return int(self.action_offset[h]), int(self.action_offset[h + 1])

    def _require_perfect_recall(self, what: str) -> None:
        violation = self.perfect_recall_violation
        if violation is not None:
            raise GameError(f"{what} needs perfect recall; {violation}")

    # ------------------------------------------------------------------ display
    def outline(self, max_lines: int = _OUTLINE_LINES) -> str:
        """An indented text outline, depth first, cut after ``max_lines`` lines."""
        lines = [self.summary()]
        stack: list[tuple[int, int]] = [(0, 0)]
        while stack:
            node, indent = stack.pop()
            if len(lines) > max_lines:
                lines.append(f"... ({self.n_nodes:,} nodes in all; outline cut)")
                break
            lines.append("  " * indent + self._node_line(node))
            start = int(self.first_child[node])
            for child in range(start + int(self.n_children[node]) - 1, start - 1, -1):
                stack.append((child, indent + 1))
        return "\n".join(lines)

    def summary(self) -> str:
        """One line: title, players and sizes."""
        title = f"{self.title}: " if self.title else ""
        sets = "information set" if self.n_infosets == 1 else "information sets"
        return (
            f"{title}game tree of {', '.join(self.players)}: {self.n_nodes:,} "
            f"node{'' if self.n_nodes == 1 else 's'}, {self.terminals.size:,} terminal, "
            f"{self.n_infosets:,} {sets}"
        )

    def _node_line(self, node: int) -> str:
        move = self.move_labels[node]
        parent = int(self.parent[node])
        prefix = ""
        if parent >= 0:
            prefix = move
            if self.kind[parent] == CHANCE:
                prefix += f" ({self.probability[node]:.4g})"
            prefix += " -> "
        label = f'"{self.node_labels[node]}" ' if self.node_labels[node] else ""
        if self.kind[node] == TERMINAL:
            pay = self.terminal_payoffs(node)
            return prefix + label + "(" + ", ".join(f"{p} {v:.4g}" for p, v in pay.items()) + ")"
        if self.kind[node] == CHANCE:
            return prefix + label + "chance"
        h = int(self.infoset[node])
        shared = bool(self._infoset_sizes[h] > 1)
        where = f" [{self.infoset_labels[h]}]" if shared else ""
        return prefix + label + self.players[int(self.infoset_owner[h])] + where

    def __repr__(self) -> str:
        return f"<Tree {self.summary()}>"

    def __str__(self) -> str:
        return self.outline()


# ---------------------------------------------------------------------- validation helpers
def _check_players(players: tuple[str, ...]) -> None:
    if not players:
        raise GameError("a tree needs at least one player")
    if len(players) > MAX_PLAYERS:
        raise GameError(f"{len(players):,} players; the limit is {MAX_PLAYERS}")
    _check_unique(players, "player names")
    if any(not p for p in players):
        raise GameError("a player name is empty")


def _check_unique(labels: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise GameError(f"{what} must be unique; '{label}' appears twice")
        seen.add(label)


def _check_count(parent: Any) -> int:
    n = len(parent)
    if n == 0:
        raise GameError("a tree needs at least one node")
    if n > MAX_NODES:
        raise GameError(f"{n:,} nodes; the limit is {MAX_NODES:,}")
    return n


def _int_array(values: Any, n: int | None, name: str) -> IntArray:
    try:
        array = np.asarray(values)
        if array.dtype.kind == "f" and not np.all(np.equal(np.mod(array, 1), 0)):
            raise ValueError("not whole numbers")
        array = array.astype(np.int64)
    except (TypeError, ValueError, OverflowError) as exc:
        raise GameError(f"{name} must be whole numbers: {exc}") from None
    if array.ndim != 1 or (n is not None and array.size != n):
        raise GameError(f"{name} must have one entry per node ({n}), got shape {array.shape}")
    return array


def _float_array(values: Any, shape: tuple[int, ...], name: str) -> FloatArray:
    try:
        array = np.array(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise GameError(f"{name} must be numbers: {exc}") from None
    if array.shape != shape:
        raise GameError(f"{name} has shape {array.shape}; expected {shape}")
    if not np.all(np.isfinite(array)):
        raise GameError(f"{name} must be finite numbers (found NaN or infinity)")
    return array


def _check_parents(parent: IntArray) -> None:
    if parent[0] != -1:
        raise GameError("node 0 is the root: its parent must be -1")
    rest = parent[1:]
    bad = np.flatnonzero((rest < 0) | (rest >= np.arange(1, parent.size)))
    if bad.size:
        i = int(bad[0]) + 1
        raise GameError(f"node {i}: parent {parent[i]} must be an earlier node (0 to {i - 1})")
    drop = np.flatnonzero(np.diff(rest) < 0)
    if drop.size:
        i = int(drop[0]) + 2
        raise GameError(
            f"node {i}: parent {parent[i]} comes after node {i - 1}'s parent {parent[i - 1]}; "
            "nodes must be in breadth-first order (siblings together, parents in order)"
        )


def _check_kinds(kind: NDArray[np.int8], n_children: IntArray) -> None:
    leaf_inner = np.flatnonzero((kind != TERMINAL) & (n_children == 0))
    if leaf_inner.size:
        i = int(leaf_inner[0])
        raise GameError(f"node {i}: a {_KIND_NAMES[int(kind[i])]} node needs at least one move")
    inner_leaf = np.flatnonzero((kind == TERMINAL) & (n_children > 0))
    if inner_leaf.size:
        raise GameError(f"node {inner_leaf[0]}: a terminal node cannot have children")
    wide = np.flatnonzero(n_children > MAX_MOVES)
    if wide.size:
        raise GameError(
            f"node {wide[0]}: {n_children[wide[0]]:,} moves; the limit is {MAX_MOVES:,}"
        )


def _check_infosets(
    kind: NDArray[np.int8],
    infoset: IntArray,
    owner: IntArray,
    n_children: IntArray,
    n_players: int,
) -> IntArray:
    """Check the information sets; return each one's offset into the behaviour profile."""
    k = owner.size
    decision = kind == DECISION
    bad = np.flatnonzero(decision & ((infoset < 0) | (infoset >= k)))
    if bad.size:
        raise GameError(
            f"node {bad[0]}: information set {infoset[bad[0]]} is not one of 0 to {k - 1}"
        )
    bad = np.flatnonzero(~decision & (infoset != -1))
    if bad.size:
        raise GameError(f"node {bad[0]}: only decision nodes have an information set (use -1)")
    bad = np.flatnonzero((owner < 0) | (owner >= n_players))
    if bad.size:
        raise GameError(f"information set {bad[0]}: owner {owner[bad[0]]} is not a player index")
    members = np.bincount(infoset[decision], minlength=k)
    empty = np.flatnonzero(members == 0)
    if empty.size:
        raise GameError(f"information set {empty[0]} has no node")
    moves = np.zeros(k, dtype=np.int64)
    nodes = np.flatnonzero(decision)
    moves[infoset[nodes]] = n_children[nodes]
    mismatch = np.flatnonzero(n_children[nodes] != moves[infoset[nodes]])
    if mismatch.size:
        i = int(nodes[mismatch[0]])
        raise GameError(
            f"node {i}: {n_children[i]} moves, but other nodes of its information set "
            f"{infoset[i]} have {moves[infoset[i]]}; a player must not be able to tell them apart"
        )
    return np.concatenate([[0], np.cumsum(moves)]).astype(np.int64)


def _check_probabilities(kind: NDArray[np.int8], parent: IntArray, probability: FloatArray) -> None:
    child = np.arange(1, parent.size)
    chance_child = kind[parent[1:]] == CHANCE
    p = probability[1:]
    wrong = np.flatnonzero(np.concatenate([[probability[0] != 1.0], ~chance_child & (p != 1.0)]))
    if wrong.size:
        i = int(wrong[0])
        raise GameError(f"node {i}: only moves of chance nodes have a probability (use 1.0)")
    bad = np.flatnonzero(chance_child & ((p < 0) | (p > 1)))
    if bad.size:
        i = int(child[bad[0]])
        raise GameError(f"node {i}: chance probability {probability[i]} is not between 0 and 1")
    sums = np.bincount(parent[1:][chance_child], weights=p[chance_child], minlength=parent.size)
    chance = np.flatnonzero(kind == CHANCE)
    off = chance[np.abs(sums[chance] - 1.0) > _PROB_TOL]
    if off.size:
        raise GameError(f"node {off[0]}: chance probabilities sum to {sums[off[0]]:.12g}, not 1")


def _labels(values: Sequence[str], n: int, name: str) -> tuple[str, ...] | None:
    """The labels as strings (None when none are given)."""
    if not values:
        return None
    labels = tuple(str(v) for v in values)
    if len(labels) != n:
        raise GameError(f"{name} has {len(labels)} entries; expected {n}")
    return labels


def _reduce_children(
    ufunc: np.ufunc, out: NDArray[Any], values: NDArray[Any], parent: IntArray
) -> None:
    """``out[parent] = ufunc(out[parent], ufunc of the children's values)`` for one level.

    Children of a parent are consecutive and parents non-decreasing, so one ``reduceat``
    does it (faster than ``ufunc.at``).
    """
    cut = np.flatnonzero(np.diff(parent)) + 1
    groups = np.concatenate([[0], cut])
    parents = parent[groups]
    out[parents] = ufunc(out[parents], ufunc.reduceat(values, groups, axis=0))


def _level_starts(n_children: IntArray) -> IntArray:
    starts = [0, 1]
    total = int(n_children.size)
    while starts[-1] < total:
        starts.append(starts[-1] + int(n_children[starts[-2] : starts[-1]].sum()))
    return np.array(starts, dtype=np.int64)


# ---------------------------------------------------------------------- builder
class _Builder:
    """Flattens nested surface nodes breadth-first into the arrays of a :class:`Tree`."""

    def __init__(self, players: tuple[str, ...]) -> None:
        _check_players(players)
        self.players = players
        self.index = {p: i for i, p in enumerate(players)}

    def run(self, root: Node, title: str) -> Tree:
        parent: list[int] = [-1]
        kind: list[int] = []
        infoset: list[int] = []
        probability: list[float] = [1.0]
        moves: list[str] = [""]
        node_labels: list[str] = []
        payoffs: list[list[float]] = []
        infosets: dict[str, int] = {}
        owners: list[int] = []
        names: list[str] = []
        queue = [root]
        i = 0
        while i < len(queue):
            node = queue[i]
            where = f"node {i}"
            if isinstance(node, Terminal):
                kind.append(TERMINAL)
                infoset.append(-1)
                payoffs.append(self._payoffs(node.payoffs, where))
            elif isinstance(node, Decision):
                kind.append(DECISION)
                if node.player not in self.index:
                    raise GameError(f"{where}: unknown player '{node.player}'")
                label = node.infoset if node.infoset is not None else f"#{i}"
                if label not in infosets:
                    infosets[label] = len(owners)
                    owners.append(self.index[node.player])
                    names.append(label)
                elif owners[infosets[label]] != self.index[node.player]:
                    raise GameError(
                        f"{where}: information set '{label}' belongs to "
                        f"{self.players[owners[infosets[label]]]}, not {node.player}"
                    )
                infoset.append(infosets[label])
                for move, child in node.moves.items():
                    parent.append(i)
                    moves.append(str(move))
                    probability.append(1.0)
                    queue.append(child)
            elif isinstance(node, Chance):
                kind.append(CHANCE)
                infoset.append(-1)
                for move, pair in node.moves.items():
                    try:
                        prob, child = pair
                        prob = float(prob)
                    except (TypeError, ValueError):
                        raise GameError(
                            f"{where}: chance move '{move}' must be (probability, node)"
                        ) from None
                    parent.append(i)
                    moves.append(str(move))
                    probability.append(prob)
                    queue.append(child)
            else:
                raise GameError(
                    f"{where}: expected Decision, Chance or Terminal, got {type(node).__name__}"
                )
            node_labels.append(node.label)
            if len(queue) > MAX_NODES:
                raise GameError(f"more than {MAX_NODES:,} nodes; the limit is {MAX_NODES:,}")
            i += 1
        # Unlabelled information sets get "<player>:<k>" in the constructor's style.
        counts: dict[int, int] = {}
        taken = {name for name in names if not name.startswith("#")}
        final = []
        for name, owner in zip(names, owners, strict=True):
            counts[owner] = counts.get(owner, 0) + 1
            if name.startswith("#"):
                name = f"{self.players[owner]}:{counts[owner]}"
                while name in taken:
                    name += "'"
                taken.add(name)
            final.append(name)
        return Tree(
            self.players,
            np.array(parent, dtype=np.int64),
            np.array(kind, dtype=np.int8),
            np.array(infoset, dtype=np.int64),
            np.array(owners, dtype=np.int64),
            np.array(probability),
            np.array(payoffs, dtype=np.float64).reshape(len(payoffs), len(self.players)),
            tuple(moves),
            tuple(final),
            tuple(node_labels),
            title,
        )

    def _payoffs(self, values: Sequence[float] | Mapping[str, float], where: str) -> list[float]:
        if isinstance(values, Mapping):
            unknown = set(values) - set(self.players)
            if unknown:
                raise GameError(f"{where}: payoff for unknown player '{sorted(unknown)[0]}'")
            missing = [p for p in self.players if p not in values]
            if missing:
                raise GameError(f"{where}: no payoff for '{missing[0]}'")
            values = [values[p] for p in self.players]
        try:
            out = [float(v) for v in values]
        except (TypeError, ValueError):
            raise GameError(f"{where}: payoffs must be numbers, got {values!r}") from None
        if len(out) != len(self.players):
            raise GameError(f"{where}: {len(out)} payoffs for {len(self.players)} players")
        return out
