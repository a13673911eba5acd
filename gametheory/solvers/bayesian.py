"""Bayesian games and perfect Bayesian equilibria of small signalling games.

Two concepts for games of private information written as trees whose root is a chance move
over *types* (Harsanyi 1967-68):

- :func:`bayesian_nash`: Bayesian Nash equilibria, that is Nash equilibria of the tree in
  behaviour strategies (a type's strategy is its behaviour at the information sets where it
  knows its type), found through the reduced normal form by
  :func:`~gametheory.solvers.tree.nash_tree`, with each player's expected payoff reported
  per type (conditional on the root's chance move).
- :func:`pbe_signalling`: perfect Bayesian equilibria of a *signalling game* (Spence 1973;
  Cho and Kreps 1987): chance draws the sender's type with a prior, the sender (who knows
  it) sends a message, the receiver sees the message but not the type and acts. Every pure
  strategy of the sender is enumerated and classified (pooling: every type sends the same
  message; separating: every type a different one; partially pooling otherwise). Beliefs on
  the path follow Bayes' rule; at a message no type sends (off the path), the receiver's
  action must be a best response to *some* belief, and the set of those beliefs is reported
  (an interval of ``mu(type | message)`` for two types; for more types the range of each
  type's probability over that set). The intuitive criterion (Cho and Kreps 1987, section
  IV) is applied to every equilibrium.

What is supported: every equilibrium in which the sender plays a pure strategy and the
receiver pure actions; and, with two types, the hybrid (semi-separating) equilibria in which
one type mixes between two messages, the other type sends one of them, and the receiver
mixes between two actions after that shared message (as in beer-quiche with a weak
majority). Other mixed equilibria are not enumerated and the result says so (``complete`` is
False).

Every equilibrium is re-checked independently of the enumeration by :func:`pbe_gain`: the
receiver's action is a best response to its beliefs at every information set, each type's
message is a best response to the receiver's strategy (from the tree's node values), and
beliefs on the path are Bayes' rule from the tree's chance probabilities and reach
probabilities. The tests also check each equilibrium's regret in the reduced normal form and
compare with Gambit's pure Nash equilibria.

Limits: :data:`MAX_PROFILES` pure profiles (sender strategies times receiver responses),
checked before enumerating. Cost: one pass over the profiles, each ``O(types x messages)``.

Sources: Harsanyi, J. C. (1967-68). Games with incomplete information played by "Bayesian"
players. *Management Science* 14. Spence, M. (1973). Job market signaling. *Quarterly Journal
of Economics* 87. Cho, I.-K. and Kreps, D. M. (1987). Signaling games and stable equilibria.
*Quarterly Journal of Economics* 102. Fudenberg, D. and Tirole, J. (1991). *Game Theory*,
ch. 8 and 11. Gibbons, R. (1992). *Game Theory for Applied Economists*, ch. 4.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import SolverError
from ..model.game import DEFAULT_TOL
from ..model.tree import CHANCE, DECISION, Chance, Decision, Terminal, Tree
from .tree import TreeSolveResult, nash_tree

__all__ = [
    "MAX_PROFILES",
    "BayesianEquilibrium",
    "BayesianResult",
    "OffPathSupport",
    "PBEResult",
    "PerfectBayesianEquilibrium",
    "SignallingGame",
    "bayesian_nash",
    "pbe_gain",
    "pbe_signalling",
    "signalling_tree",
]

FloatArray = NDArray[np.float64]

#: Most pure profiles (sender strategies x receiver responses) enumerated (about 8 s at the
#: limit with three or more types, where off-path belief sets are linear programmes).
MAX_PROFILES = 200_000


# ---------------------------------------------------------------------- Bayesian Nash
@dataclass(frozen=True, eq=False)
class BayesianEquilibrium:
    """A Bayesian Nash equilibrium: the tree equilibrium and expected payoffs per type.

    ``by_type[type][player]`` is the player's expected payoff given that the root's chance
    move picked ``type``.
    """

    equilibrium: Any  # TreeEquilibrium
    by_type: Mapping[str, Mapping[str, float]]

    def to_dict(self) -> dict[str, Any]:
        """The tree equilibrium's data plus ``payoffs_by_type``."""
        data = dict(self.equilibrium.to_dict())
        data["payoffs_by_type"] = {t: dict(v) for t, v in self.by_type.items()}
        return data


@dataclass(frozen=True, eq=False)
class BayesianResult:
    """Bayesian Nash equilibria of a tree with types drawn at the root."""

    result: TreeSolveResult
    types: tuple[str, ...]
    prior: tuple[float, ...]
    equilibria: tuple[BayesianEquilibrium, ...]

    @property
    def complete(self) -> bool:
        """Whether every extreme equilibrium is listed (as the tree solver says)."""
        return self.result.complete

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, index: int) -> BayesianEquilibrium:
        return self.equilibria[index]

    def to_dict(self) -> dict[str, Any]:
        """Plain data: the tree result's fields, types, prior, payoffs per type."""
        data = self.result.to_dict()
        data["concept"] = "Bayesian Nash equilibrium"
        data["types"] = dict(zip(self.types, self.prior, strict=True))
        data["equilibria"] = [eq.to_dict() for eq in self.equilibria]
        return data

    def __str__(self) -> str:
        lines = [str(self.result).replace("Nash equilibri", "Bayesian Nash equilibri", 1)]
        for k, eq in enumerate(self.equilibria, start=1):
            per = "; ".join(
                f"{t}: " + ", ".join(f"{p} {v:.4g}" for p, v in pay.items())
                for t, pay in eq.by_type.items()
            )
            lines.append(f"{k}. payoffs by type: {per}")
        return "\n".join(lines)


def bayesian_nash(tree: Tree, method: str = "auto", *, tol: float = DEFAULT_TOL) -> BayesianResult:
    """Bayesian Nash equilibria of a tree whose root is a chance move over types.

    Parameters
    ----------
    tree
        A tree with perfect recall whose root is a chance node (its moves are the types, or
        type profiles, and their probabilities the prior).
    method, tol
        As for :func:`~gametheory.solvers.tree.nash_tree`.

    Returns
    -------
    BayesianResult
        Every equilibrium of :func:`nash_tree` (a Bayesian Nash equilibrium is a Nash
        equilibrium of the game with chance at the root; Harsanyi 1967-68), with each
        player's expected payoff given each type. Complete as ``nash_tree`` says.
    """
    if not isinstance(tree, Tree) or tree.kind[0] != CHANCE:
        raise SolverError(
            "Bayesian Nash equilibria need a tree whose root is a chance move over types"
        )
    result = nash_tree(tree, method, tol=tol)
    types, prior, of_terminal = _root_types(tree)
    out = []
    for eq in result.equilibria:
        by_type: dict[str, dict[str, float]] = {}
        for k, label in enumerate(types):
            mask = of_terminal == k
            if prior[k] <= 0:
                continue
            values = (eq.reach[mask] @ tree.payoffs[mask]) / prior[k]
            by_type[label] = dict(zip(tree.players, map(float, values), strict=True))
        out.append(BayesianEquilibrium(eq, by_type))
    return BayesianResult(result, types, tuple(map(float, prior)), tuple(out))


def _root_types(tree: Tree) -> tuple[tuple[str, ...], FloatArray, NDArray[np.int64]]:
    """The root's moves, their probabilities, and for each terminal node the move above it."""
    children = np.arange(int(tree.first_child[0]), int(tree.first_child[0] + tree.n_children[0]))
    top = np.arange(tree.n_nodes)
    # Walk every node up until its parent is the root (depth is small in these games).
    ancestor = top.copy()
    for _ in range(int(tree.depth.max())):
        above = tree.parent[ancestor]
        move = above > 0
        ancestor = np.where(move, above, ancestor)
    of_terminal = ancestor[tree.terminals] - int(children[0])
    types = tuple(tree.move_labels[int(c)] for c in children)
    return types, tree.probability[children].copy(), of_terminal


# ---------------------------------------------------------------------- signalling games
@dataclass(frozen=True, eq=False)
class SignallingGame:
    """A signalling game read from a tree (see :meth:`from_tree`).

    Attributes
    ----------
    tree
        The tree.
    sender, receiver
        Player indices.
    types, prior
        The root's chance moves and their probabilities.
    messages
        The sender's moves (the same at every type).
    actions
        The receiver's moves after each message.
    sender_payoff, receiver_payoff
        Per message, a ``(types, actions)`` array.
    sender_infoset, receiver_infoset
        Information set of each type's sender node and of each message's receiver nodes.
    """

    tree: Tree
    sender: int
    receiver: int
    types: tuple[str, ...]
    prior: FloatArray
    messages: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    sender_payoff: tuple[FloatArray, ...]
    receiver_payoff: tuple[FloatArray, ...]
    sender_infoset: tuple[int, ...]
    receiver_infoset: tuple[int, ...]

    @classmethod
    def from_tree(cls, tree: Tree) -> SignallingGame:
        """Read a signalling game's structure from a tree, or say what does not fit.

        The tree must be: a chance root over types (positive probabilities); at each type a
        decision node of the sender, alone in its information set, with the same messages;
        after each message a decision node of the receiver; the receiver's information sets
        are exactly "the message" (one per message, holding that message's node at every
        type); the receiver's moves end the game.
        """
        where = "signalling game"
        if tree.kind[0] != CHANCE:
            raise SolverError(f"{where}: the root must be a chance move over the sender's types")
        type_nodes = _children(tree, 0)
        prior = tree.probability[type_nodes].astype(np.float64)
        if np.any(prior <= 0):
            raise SolverError(f"{where}: every type needs a positive prior probability")
        types = tuple(tree.move_labels[v] for v in type_nodes)
        if any(tree.kind[v] != DECISION for v in type_nodes):
            raise SolverError(f"{where}: after the chance move the sender must decide")
        owners = {int(tree.infoset_owner[tree.infoset[v]]) for v in type_nodes}
        if len(owners) != 1:
            raise SolverError(f"{where}: one player (the sender) must move at every type")
        sender = owners.pop()
        sender_sets = tuple(int(tree.infoset[v]) for v in type_nodes)
        if len(set(sender_sets)) != len(sender_sets):
            raise SolverError(f"{where}: the sender must know its type (one information set each)")
        messages = tree.moves_at(type_nodes[0])
        receiver: int | None = None
        receiver_sets: list[int] = []
        actions: list[tuple[str, ...]] = []
        s_pay: list[FloatArray] = []
        r_pay: list[FloatArray] = []
        for m in range(len(messages)):
            nodes = [_children(tree, v)[m] for v in type_nodes]
            if any(tree.kind[v] != DECISION for v in nodes):
                raise SolverError(f"{where}: after message '{messages[m]}' the receiver must act")
            sets = {int(tree.infoset[v]) for v in nodes}
            if len(sets) != 1:
                raise SolverError(
                    f"{where}: after message '{messages[m]}' the receiver must not see the type "
                    "(one information set across types)"
                )
            h = sets.pop()
            if h in receiver_sets:
                raise SolverError(f"{where}: the receiver must see the message")
            owner = int(tree.infoset_owner[h])
            if receiver is None:
                receiver = owner
            if owner != receiver or owner == sender:
                raise SolverError(f"{where}: one other player (the receiver) must answer")
            receiver_sets.append(h)
            actions.append(tree.infoset_moves(h))
            ends = [_children(tree, v) for v in nodes]
            if any(tree.kind[int(c)] != 0 for row in ends for c in row):
                raise SolverError(f"{where}: the receiver's move must end the game")
            index = np.searchsorted(tree.terminals, np.array(ends))
            s_pay.append(tree.payoffs[index, sender].copy())
            r_pay.append(tree.payoffs[index, receiver].copy())
        assert receiver is not None
        if tree.n_nodes != 1 + len(types) * (1 + len(messages)) + sum(
            len(types) * len(a) for a in actions
        ):
            raise SolverError(f"{where}: the tree has nodes outside the signalling structure")
        return cls(
            tree,
            sender,
            receiver,
            types,
            prior,
            messages,
            tuple(actions),
            tuple(s_pay),
            tuple(r_pay),
            sender_sets,
            tuple(receiver_sets),
        )

    def behaviour(self, strategy: Sequence[int], response: Sequence[int]) -> FloatArray:
        """The tree's behaviour profile of a pure sender strategy and receiver response."""
        tree = self.tree
        b = np.zeros(tree.n_actions)
        for t, m in enumerate(strategy):
            b[int(tree.action_offset[self.sender_infoset[t]]) + int(m)] = 1.0
        for m, a in enumerate(response):
            b[int(tree.action_offset[self.receiver_infoset[m]]) + int(a)] = 1.0
        return b


def _children(tree: Tree, node: int) -> list[int]:
    start = int(tree.first_child[node])
    return list(range(start, start + int(tree.n_children[node])))


def signalling_tree(
    types: Mapping[str, float],
    messages: Sequence[str],
    actions: Sequence[str] | Mapping[str, Sequence[str]],
    payoffs: Callable[[str, str, str], tuple[float, float]],
    *,
    sender: str = "Sender",
    receiver: str = "Receiver",
    title: str = "",
) -> Tree:
    """Build a signalling game's tree.

    Parameters
    ----------
    types
        ``{type: prior probability}``.
    messages
        The sender's messages.
    actions
        The receiver's actions, the same after every message or ``{message: actions}``.
    payoffs
        ``payoffs(type, message, action) -> (sender's payoff, receiver's payoff)``.
    sender, receiver
        Player names.
    """
    per = {
        m: tuple(actions[m]) if isinstance(actions, Mapping) else tuple(actions) for m in messages
    }
    root = Chance(
        {
            t: (
                p,
                Decision(
                    sender,
                    {
                        m: Decision(
                            receiver,
                            {a: Terminal(payoffs(t, m, a)) for a in per[m]},
                            infoset=f"{receiver} after {m}",
                        )
                        for m in messages
                    },
                    infoset=f"{sender} {t}",
                ),
            )
            for t, p in types.items()
        }
    )
    return Tree.build((sender, receiver), root, title)


# ---------------------------------------------------------------------- PBE results
@dataclass(frozen=True)
class OffPathSupport:
    """The beliefs at an off-path message that make the receiver's action a best response.

    ``bounds[type] = (lo, hi)``: the range of ``mu(type | message)`` over those beliefs. With
    two types this range *is* the set (``exact``); with more it is its bounding box.
    """

    message: str
    action: str
    bounds: Mapping[str, tuple[float, float]]
    exact: bool

    def describe(self, digits: int = 4) -> str:
        """``mu(weak | quiche) in [0.5, 1]`` (the first type's range when exact)."""
        items = list(self.bounds.items())
        if self.exact:
            items = items[-1:] if len(items) == 2 else items
        parts = [
            f"mu({t} | {self.message}) in [{_num(lo, digits)}, {_num(hi, digits)}]"
            for t, (lo, hi) in items
        ]
        return " and ".join(parts)


@dataclass(frozen=True, eq=False)
class PerfectBayesianEquilibrium:
    """One perfect Bayesian equilibrium of a signalling game.

    Attributes
    ----------
    game
        The signalling game.
    strategy
        The message (index) each type sends (in a hybrid equilibrium: its likeliest one).
    response
        The receiver's action (index) after each message (in a hybrid equilibrium: the
        likeliest one).
    beliefs
        ``(messages, types)``: ``mu(type | message)``; Bayes' rule on the path, and off the
        path one belief from the supporting set (its centre for two types).
    off_path
        The supporting belief sets at messages no type sends.
    kind
        ``"pooling"``, ``"separating"``, ``"partially pooling"`` or ``"hybrid"`` (a type
        mixes between two messages).
    sender_payoffs
        Each type's payoff.
    receiver_payoff
        The receiver's expected payoff.
    intuitive
        Whether the equilibrium survives the intuitive criterion, and ``intuitive_reason``
        says why not (the type that would break away and with which message).
    gain
        The largest gain from deviating found by :func:`pbe_gain` (relative to payoff ranges).
    sender_mix, receiver_mix
        Set in a hybrid equilibrium: ``(types, messages)`` message probabilities, and per
        message the receiver's action probabilities.
    """

    game: SignallingGame
    strategy: tuple[int, ...]
    response: tuple[int, ...]
    beliefs: FloatArray
    off_path: tuple[OffPathSupport, ...]
    kind: str
    sender_payoffs: FloatArray
    receiver_payoff: float
    intuitive: bool
    intuitive_reason: str = ""
    gain: float = 0.0
    sender_mix: FloatArray | None = None
    receiver_mix: tuple[FloatArray, ...] | None = None

    def sender_probabilities(self) -> FloatArray:
        """``(types, messages)``: the probability that each type sends each message."""
        if self.sender_mix is not None:
            return self.sender_mix
        out = np.zeros((len(self.game.types), len(self.game.messages)))
        out[np.arange(len(self.strategy)), list(self.strategy)] = 1.0
        return out

    def receiver_probabilities(self) -> tuple[FloatArray, ...]:
        """Per message, the probability of each of the receiver's actions."""
        if self.receiver_mix is not None:
            return self.receiver_mix
        return tuple(
            np.eye(len(acts))[a] for acts, a in zip(self.game.actions, self.response, strict=True)
        )

    @property
    def behaviour(self) -> FloatArray:
        """The behaviour profile in the tree."""
        g = self.game
        tree = g.tree
        b = np.zeros(tree.n_actions)
        sender = self.sender_probabilities()
        for t, h in enumerate(g.sender_infoset):
            lo = int(tree.action_offset[h])
            b[lo : lo + len(g.messages)] = sender[t]
        for m, h in enumerate(g.receiver_infoset):
            lo = int(tree.action_offset[h])
            b[lo : lo + len(g.actions[m])] = self.receiver_probabilities()[m]
        return b

    def sender_strategy(self) -> dict[str, str]:
        """``{type: message}`` (``"beer 0.3333, quiche 0.6667"`` where a type mixes)."""
        g = self.game
        return {
            t: _mix_text(g.messages, row)
            for t, row in zip(g.types, self.sender_probabilities(), strict=True)
        }

    def receiver_strategy(self) -> dict[str, str]:
        """``{message: action}`` (``"duel 0.5, not duel 0.5"`` where the receiver mixes)."""
        g = self.game
        return {
            g.messages[m]: _mix_text(g.actions[m], row)
            for m, row in enumerate(self.receiver_probabilities())
        }

    def belief(self, message: str) -> dict[str, float]:
        """``{type: mu(type | message)}``."""
        g = self.game
        m = g.messages.index(message)
        return dict(zip(g.types, map(float, self.beliefs[m]), strict=True))

    def on_path(self) -> tuple[str, ...]:
        """The messages some type sends."""
        return tuple(self.game.messages[m] for m in sorted(self._on()))

    def _on(self) -> set[int]:
        sent = self.sender_probabilities().max(axis=0)
        return {int(m) for m in np.flatnonzero(sent > 1e-12)}

    def to_dict(self) -> dict[str, Any]:
        """Plain data: strategies, beliefs per information set, supports, payoffs."""
        g = self.game
        tree = g.tree
        players = tree.players
        on = self._on()
        return {
            "kind": self.kind,
            "sender": players[g.sender],
            "receiver": players[g.receiver],
            "sender_strategy": self.sender_strategy(),
            "receiver_strategy": self.receiver_strategy(),
            "sender_behaviour": {
                t: dict(zip(g.messages, map(float, row), strict=True))
                for t, row in zip(g.types, self.sender_probabilities(), strict=True)
            },
            "receiver_behaviour": {
                g.messages[m]: dict(zip(g.actions[m], map(float, row), strict=True))
                for m, row in enumerate(self.receiver_probabilities())
            },
            "beliefs": {
                tree.infoset_labels[g.receiver_infoset[m]]: {
                    "message": g.messages[m],
                    "on_path": m in on,
                    "belief": self.belief(g.messages[m]),
                }
                for m in range(len(g.messages))
            },
            "off_path_support": [
                {
                    "message": s.message,
                    "action": s.action,
                    "bounds": {t: list(b) for t, b in s.bounds.items()},
                    "exact": s.exact,
                    "text": s.describe(),
                }
                for s in self.off_path
            ],
            "payoffs_by_type": {
                t: float(v) for t, v in zip(g.types, self.sender_payoffs, strict=True)
            },
            "payoffs": {
                players[g.sender]: float(g.prior @ self.sender_payoffs),
                players[g.receiver]: self.receiver_payoff,
            },
            "intuitive_criterion": {"passes": self.intuitive, "reason": self.intuitive_reason},
            "max_gain": self.gain,
        }

    def describe(self, digits: int = 4) -> str:
        """A few lines: strategies, beliefs, support, payoffs, intuitive criterion."""
        g = self.game
        send = ", ".join(f"{t} -> {m}" for t, m in self.sender_strategy().items())
        answer = ", ".join(f"{m} -> {a}" for m, a in self.receiver_strategy().items())
        lines = [f"{self.kind}: sender {send}; receiver {answer}"]
        on = self._on()
        for m, message in enumerate(g.messages):
            if m in on:
                mu = ", ".join(f"{t} {_num(v, digits)}" for t, v in self.belief(message).items())
                lines.append(f"  after {message} (on the path, Bayes): {mu}")
        for s in self.off_path:
            lines.append(
                f"  after {s.message} (off the path): {s.action}, supported by {s.describe()}"
            )
        pay = ", ".join(
            f"{t} {_num(v, digits)}" for t, v in zip(g.types, self.sender_payoffs, strict=True)
        )
        lines.append(
            f"  sender's payoff by type: {pay}; receiver {_num(self.receiver_payoff, digits)}"
        )
        ic = "passes" if self.intuitive else f"fails ({self.intuitive_reason})"
        lines.append(f"  intuitive criterion: {ic}")
        return "\n".join(lines)


@dataclass(frozen=True, eq=False)
class PBEResult:
    """Perfect Bayesian equilibria of a signalling game (pure, and hybrid for two types)."""

    game: SignallingGame
    equilibria: tuple[PerfectBayesianEquilibrium, ...]
    complete: bool = False
    notes: tuple[str, ...] = field(default=())
    tolerance: float = DEFAULT_TOL

    def __len__(self) -> int:
        return len(self.equilibria)

    def __getitem__(self, index: int) -> PerfectBayesianEquilibrium:
        return self.equilibria[index]

    def of_kind(self, kind: str) -> tuple[PerfectBayesianEquilibrium, ...]:
        """The equilibria of one kind (pooling, separating, partially pooling)."""
        return tuple(eq for eq in self.equilibria if eq.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, one entry per equilibrium."""
        g = self.game
        return {
            "concept": "perfect Bayesian equilibrium",
            "method": "enumeration of pure sender strategies and receiver responses",
            "complete": self.complete,
            "tolerance": self.tolerance,
            "warnings": list(self.notes),
            "players": list(g.tree.players),
            "types": dict(zip(g.types, map(float, g.prior), strict=True)),
            "equilibria": [eq.to_dict() for eq in self.equilibria],
        }

    def __str__(self) -> str:
        count = len(self.equilibria)
        head = (
            f"{count} perfect Bayesian equilibri{'um' if count == 1 else 'a'} "
            f"({_scope(len(self.game.types))}) of {self.game.tree.summary()}"
        )
        lines = [head]
        for k, eq in enumerate(self.equilibria, start=1):
            lines.append(f"{k}. " + eq.describe().replace("\n", "\n   "))
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


def _scope(n_types: int) -> str:
    """Which equilibria are enumerated, in a few words."""
    return "pure and hybrid" if n_types == 2 else "pure strategies"


def _mix_text(labels: Sequence[str], probabilities: FloatArray) -> str:
    played = [
        (label, float(p)) for label, p in zip(labels, probabilities, strict=True) if p > 1e-12
    ]
    if len(played) == 1:
        return played[0][0]
    return ", ".join(f"{label} {_num(p)}" for label, p in played)


def _num(value: float, digits: int = 4) -> str:
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


# ---------------------------------------------------------------------- PBE enumeration
def pbe_signalling(tree: Tree | SignallingGame, *, tol: float = DEFAULT_TOL) -> PBEResult:
    """Perfect Bayesian equilibria of a signalling game: pure, and hybrid for two types.

    Parameters
    ----------
    tree
        A signalling game's tree (see :meth:`SignallingGame.from_tree`) or the game.
    tol
        Relative tolerance for best responses (scaled by each player's payoff range).

    Returns
    -------
    PBEResult
        Every pure-strategy PBE (a distinct receiver action at an off-path message is a
        distinct equilibrium, listed with the beliefs that support it), each classified,
        with beliefs at every information set, supports, the intuitive criterion, and its
        re-check. With two types also the hybrid equilibria described in :func:`_hybrids`.
        ``complete`` is False: other mixed equilibria are not enumerated (the notes say
        which).

    Raises
    ------
    SolverError
        When the tree is not a signalling game, or the profiles exceed :data:`MAX_PROFILES`
        (checked before enumerating).

    Cost
    ----
    ``messages ** types x prod(actions per message)`` profiles, each checked in
    ``O(types x messages)``.
    """
    game = tree if isinstance(tree, SignallingGame) else SignallingGame.from_tree(tree)
    n_t, n_m = len(game.types), len(game.messages)
    profiles = n_m**n_t * math.prod(len(a) for a in game.actions)
    if profiles > MAX_PROFILES:
        raise SolverError(
            f"signalling game: {n_m} messages ^ {n_t} types x receiver responses = "
            f"{profiles:,} pure profiles; the limit is {MAX_PROFILES:,}"
        )
    s_scale, r_scale = _scales(game)
    out: list[PerfectBayesianEquilibrium] = []
    failed = 0
    supports = _off_path_options(game, tol * r_scale)
    feasible = _Feasible(game, tol * r_scale)
    for strategy in itertools.product(range(n_m), repeat=n_t):
        found = _equilibria_of(game, strategy, tol * s_scale, tol * r_scale, supports, feasible)
        for eq in found:
            gain = pbe_gain(eq)
            if gain > 10 * tol:
                failed += 1
                continue
            out.append(_with(eq, gain=gain))
    if n_t == 2:
        for eq in _hybrids(game, tol * s_scale, tol * r_scale, supports, feasible):
            gain = pbe_gain(eq)
            if gain > 10 * tol:
                failed += 1
                continue
            out.append(_with(eq, gain=gain))
        notes = [
            "pure equilibria, and hybrid ones in which one type mixes between two messages "
            "(the other type sending one of them) while the receiver mixes between two "
            "actions after the shared message; other mixed equilibria (both types mixing, "
            "the receiver mixing off the path, continua where a type is indifferent without "
            "the receiver mixing) are not listed"
        ]
    else:
        notes = [
            "pure strategies only: hybrid (semi-separating) equilibria, in which a type mixes "
            "between messages, and equilibria in which the receiver mixes are not listed"
        ]
    if failed:
        notes.append(f"{failed} candidate(s) failed the independent re-check; dropped")
    order = {"separating": 0, "pooling": 1, "partially pooling": 2, "hybrid": 3}
    out.sort(key=lambda e: (order[e.kind], e.strategy, e.response))
    return PBEResult(game, tuple(out), False, tuple(notes), tol)


def _scales(game: SignallingGame) -> tuple[float, float]:
    def spread(arrays: tuple[FloatArray, ...]) -> float:
        values = np.concatenate([a.ravel() for a in arrays])
        return float(values.max() - values.min()) or 1.0

    return spread(game.sender_payoff), spread(game.receiver_payoff)


def _classify(strategy: Sequence[int]) -> str:
    used = len(set(strategy))
    if used == 1:
        return "pooling" if len(strategy) > 1 else "separating"
    return "separating" if used == len(strategy) else "partially pooling"


def _bayes(game: SignallingGame, strategy: Sequence[int], m: int) -> FloatArray | None:
    """``mu(. | m)`` by Bayes' rule, None when no type sends ``m``."""
    sends = np.array([s == m for s in strategy])
    total = float(game.prior[sends].sum())
    if total <= 0:
        return None
    out: FloatArray = np.where(sends, game.prior, 0.0) / total
    return out


def _best_actions(payoff: FloatArray, belief: FloatArray, slack: float) -> list[int]:
    value = belief @ payoff
    return [int(a) for a in np.flatnonzero(value >= value.max() - slack)]


def _off_path_options(
    game: SignallingGame, r_slack: float
) -> list[list[tuple[int, FloatArray, OffPathSupport | None]]]:
    """For each message, the receiver's actions some belief supports (with their beliefs)."""
    types = list(range(len(game.types)))
    out: list[list[tuple[int, FloatArray, OffPathSupport | None]]] = []
    for m in range(len(game.messages)):
        options: list[tuple[int, FloatArray, OffPathSupport | None]] = []
        for a in range(len(game.actions[m])):
            found = _support(game, m, a, types, r_slack)
            if found is not None:
                options.append(found)
        out.append(options)
    return out


def _equilibria_of(
    game: SignallingGame,
    strategy: tuple[int, ...],
    s_slack: float,
    r_slack: float,
    supports: list[list[tuple[int, FloatArray, OffPathSupport | None]]],
    feasible: _Feasible,
) -> list[PerfectBayesianEquilibrium]:
    """Every pure PBE in which the sender plays ``strategy`` (``supports``: off-path options)."""
    n_m = len(game.messages)
    types = range(len(game.types))
    choices: list[list[tuple[int, FloatArray, OffPathSupport | None]]] = []
    for m in range(n_m):
        belief = _bayes(game, strategy, m)
        if belief is not None:
            acts = _best_actions(game.receiver_payoff[m], belief, r_slack)
            choices.append([(a, belief, None) for a in acts])
            continue
        choices.append(list(supports[m]))
    out = []
    for combo in itertools.product(*choices):
        response = tuple(c[0] for c in combo)
        payoff = np.array(
            [[game.sender_payoff[m][t, response[m]] for m in range(n_m)] for t in types]
        )
        own = payoff[np.arange(len(game.types)), list(strategy)]
        if np.any(payoff.max(axis=1) > own + s_slack):
            continue
        beliefs = np.array([c[1] for c in combo])
        receiver = float(
            sum(
                game.prior[t] * game.receiver_payoff[strategy[t]][t, response[strategy[t]]]
                for t in types
            )
        )
        eq = PerfectBayesianEquilibrium(
            game,
            strategy,
            response,
            beliefs,
            tuple(c[2] for c in combo if c[2] is not None),
            _classify(strategy),
            own,
            receiver,
            True,
        )
        passes, reason = _intuitive(game, eq, s_slack, feasible)
        out.append(_with(eq, intuitive=passes, intuitive_reason=reason))
    return out


def _hybrids(
    game: SignallingGame,
    s_slack: float,
    r_slack: float,
    supports: list[list[tuple[int, FloatArray, OffPathSupport | None]]],
    feasible: _Feasible,
) -> list[PerfectBayesianEquilibrium]:
    """Hybrid equilibria of a two-type game (Fudenberg and Tirole 1991, section 8.2.3).

    Type ``t`` sends ``mA`` with probability ``sigma`` in (0, 1) and ``mB`` otherwise; the
    other type ``o`` sends ``mA``. After ``mB`` the receiver knows the type is ``t`` and plays
    a pure best response ``b``. After ``mA`` Bayes gives ``mu(t | mA) = p_t sigma / (p_t
    sigma + p_o)`` in (0, p_t); the receiver mixes between two actions ``a1, a2`` that are
    both best responses there, which fixes ``mu`` and so ``sigma``, and it plays ``a1`` with
    the probability ``rho`` that makes ``t`` indifferent between ``mA`` and ``mB``. Other
    messages are off the path, answered by actions some belief supports. Then each type's
    messages must be best responses.
    """
    out = []
    n_m = len(game.messages)
    prior = game.prior
    for t in (0, 1):
        o = 1 - t
        for m_a, m_b in itertools.permutations(range(n_m), 2):
            only_t = np.eye(2)[t]
            b_actions = _best_actions(game.receiver_payoff[m_b], only_t, r_slack)
            pay_a = game.receiver_payoff[m_a]
            for a1, a2 in itertools.combinations(range(len(game.actions[m_a])), 2):
                x = _indifference(pay_a, a1, a2, r_slack)  # mu(type 0 | mA)
                if x is None:
                    continue
                mu_t = x if t == 0 else 1 - x
                if not 1e-9 < mu_t < prior[t] - 1e-9:
                    continue
                sigma = mu_t * prior[o] / (prior[t] * (1 - mu_t))
                belief_a = np.array([x, 1 - x])
                u1, u2 = game.sender_payoff[m_a][t, a1], game.sender_payoff[m_a][t, a2]
                if abs(u1 - u2) <= s_slack:
                    continue  # t indifferent whatever rho: a continuum, not listed
                for b in b_actions:
                    rho = (game.sender_payoff[m_b][t, b] - u2) / (u1 - u2)
                    if not -1e-12 <= rho <= 1 + 1e-12:
                        continue
                    rho = min(max(rho, 0.0), 1.0)
                    eq = _hybrid_candidate(
                        game, t, m_a, m_b, sigma, (a1, a2, rho), b, belief_a, supports, s_slack
                    )
                    if eq is not None:
                        passes, reason = _intuitive(game, eq, s_slack, feasible)
                        out.append(_with(eq, intuitive=passes, intuitive_reason=reason))
    return out


def _indifference(payoff: FloatArray, a1: int, a2: int, slack: float) -> float | None:
    """The belief ``x = mu(type 0)`` at which ``a1`` and ``a2`` are both best (two types)."""
    d = payoff[:, a1] - payoff[:, a2]
    k = d[0] - d[1]
    if abs(k) < 1e-12:
        return None  # the receiver is indifferent everywhere or nowhere: skipped
    x = -d[1] / k
    if not 0.0 <= x <= 1.0:
        return None
    value = np.array([x, 1 - x]) @ payoff
    if value.max() > value[a1] + slack:
        return None
    return float(x)


def _hybrid_candidate(
    game: SignallingGame,
    t: int,
    m_a: int,
    m_b: int,
    sigma: float,
    mix: tuple[int, int, float],
    b: int,
    belief_a: FloatArray,
    supports: list[list[tuple[int, FloatArray, OffPathSupport | None]]],
    s_slack: float,
) -> PerfectBayesianEquilibrium | None:
    """The hybrid profile, if some off-path answers keep both types where they are."""
    a1, a2, rho = mix
    o = 1 - t
    n_m = len(game.messages)
    sender = np.zeros((2, n_m))
    sender[t, m_a], sender[t, m_b], sender[o, m_a] = sigma, 1 - sigma, 1.0
    off = [m for m in range(n_m) if m not in (m_a, m_b)]
    for combo in itertools.product(*(supports[m] for m in off)):
        receiver = []
        beliefs = np.zeros((n_m, 2))
        for m in range(n_m):
            probs = np.zeros(len(game.actions[m]))
            if m == m_a:
                probs[a1], probs[a2] = rho, 1 - rho
                beliefs[m] = belief_a
            elif m == m_b:
                probs[b] = 1.0
                beliefs[m] = np.eye(2)[t]
            else:
                a, centre, _ = combo[off.index(m)]
                probs[a] = 1.0
                beliefs[m] = centre
            receiver.append(probs)
        value = np.array(
            [[game.sender_payoff[m][k] @ receiver[m] for m in range(n_m)] for k in (0, 1)]
        )
        own = np.empty(2)
        own[t], own[o] = value[t, m_b], value[o, m_a]  # t is indifferent between mA and mB
        if np.any(value.max(axis=1) > own + s_slack):
            continue
        r_value = sum(
            game.prior[k] * sender[k, m] * float(game.receiver_payoff[m][k] @ receiver[m])
            for k in (0, 1)
            for m in range(n_m)
        )
        return PerfectBayesianEquilibrium(
            game,
            tuple(int(np.argmax(row)) for row in sender),
            tuple(int(np.argmax(p)) for p in receiver),
            beliefs,
            tuple(c[2] for c in combo if c[2] is not None),
            "hybrid",
            own,
            float(r_value),
            True,
            sender_mix=sender,
            receiver_mix=tuple(receiver),
        )
    return None


def _with(eq: PerfectBayesianEquilibrium, **changes: Any) -> PerfectBayesianEquilibrium:
    from dataclasses import replace

    return replace(eq, **changes)


def _support(
    game: SignallingGame, m: int, a: int, support: list[int], slack: float
) -> tuple[int, FloatArray, OffPathSupport] | None:
    """Beliefs on ``support`` at message ``m`` making action ``a`` a best response, or None."""
    box = _belief_box(game.receiver_payoff[m], a, support, len(game.types), slack)
    if box is None:
        return None
    bounds, centre = box
    labels = {game.types[t]: (float(lo), float(hi)) for t, (lo, hi) in enumerate(bounds)}
    support_info = OffPathSupport(
        game.messages[m], game.actions[m][a], labels, exact=len(game.types) == 2
    )
    return a, centre, support_info


def _belief_box(
    payoff: FloatArray, a: int, support: list[int], n_types: int, slack: float
) -> tuple[list[tuple[float, float]], FloatArray] | None:
    """Range of each ``mu(t)`` over beliefs on ``support`` where ``a`` is a best response.

    The set is ``{mu in the simplex on support : mu . (payoff[:, a] - payoff[:, b]) >= 0 for
    every b}``. For two types it is an interval, found in closed form; otherwise each bound
    is a linear programme (scipy's HiGHS). Returns the ranges and one belief in the set.
    """
    diffs = payoff[:, [a]] - np.delete(payoff, a, axis=1)  # (types, other actions)
    if n_types == 2 and len(support) == 2:
        lo, hi = 0.0, 1.0  # mu of type 0 is x; mu of type 1 is 1 - x
        for d0, d1 in diffs.T:
            # x d0 + (1 - x) d1 >= -slack  <=>  x (d0 - d1) >= -slack - d1
            k, c = d0 - d1, -slack - d1
            if abs(k) < 1e-15:
                if c > 0:
                    return None
            elif k > 0:
                lo = max(lo, c / k)
            else:
                hi = min(hi, c / k)
        if lo > hi:
            return None
        # Report the exact boundary (without the tolerance) where it is interior.
        lo_x, hi_x = _exact_interval(diffs)
        lo, hi = max(lo, min(lo_x, hi)), min(hi, max(hi_x, lo))
        x = (lo + hi) / 2
        return [(lo, hi), (1 - hi, 1 - lo)], np.array([x, 1 - x])
    if len(support) == 1 or n_types == 1:
        t = support[0]
        if np.all(diffs[t] >= -slack):
            belief = np.zeros(n_types)
            belief[t] = 1.0
            return [(float(belief[k]), float(belief[k])) for k in range(n_types)], belief
        return None
    return _belief_box_lp(diffs, support, n_types, slack)


def _exact_interval(diffs: FloatArray) -> tuple[float, float]:
    lo, hi = 0.0, 1.0
    for d0, d1 in diffs.T:
        k = d0 - d1
        if abs(k) < 1e-15:
            continue
        if k > 0:
            lo = max(lo, -d1 / k)
        else:
            hi = min(hi, -d1 / k)
    return lo, hi


def _belief_box_lp(
    diffs: FloatArray, support: list[int], n_types: int, slack: float
) -> tuple[list[tuple[float, float]], FloatArray] | None:
    from scipy.optimize import linprog

    outside = [t for t in range(n_types) if t not in support]
    bounds = [(0.0, 0.0) if t in outside else (0.0, 1.0) for t in range(n_types)]
    a_ub = -diffs.T if diffs.size else None
    b_ub = np.full(diffs.shape[1], slack) if diffs.size else None
    ranges = []
    points = []
    for t in range(n_types):
        pair = []
        for sign in (1.0, -1.0):
            c = np.zeros(n_types)
            c[t] = sign
            res = linprog(
                c,
                A_ub=a_ub,
                b_ub=b_ub,
                A_eq=np.ones((1, n_types)),
                b_eq=[1.0],
                bounds=bounds,
                method="highs",
            )
            if res.status == 2:
                return None
            if res.status != 0:
                raise SolverError(f"belief range: linear programme failed ({res.message})")
            pair.append(float(res.x[t]))
            points.append(res.x)
        ranges.append((pair[0], pair[1]))
    centre = np.mean(points, axis=0)
    return ranges, centre / centre.sum()


class _Feasible:
    """Whether some belief on a set of types makes an action a best response (cached)."""

    def __init__(self, game: SignallingGame, slack: float) -> None:
        self.game = game
        self.slack = slack
        self.cache: dict[tuple[int, int, tuple[int, ...]], bool] = {}

    def __call__(self, m: int, a: int, support: tuple[int, ...]) -> bool:
        key = (m, a, support)
        if key not in self.cache:
            payoff = self.game.receiver_payoff[m]
            box = _belief_box(payoff, a, list(support), len(self.game.types), self.slack)
            self.cache[key] = box is not None
        return self.cache[key]


def _intuitive(
    game: SignallingGame, eq: PerfectBayesianEquilibrium, s_slack: float, feasible: _Feasible
) -> tuple[bool, str]:
    """The intuitive criterion (Cho and Kreps 1987, section IV).

    For each off-path message ``m``: ``D`` are the types for which ``m`` is equilibrium
    dominated (even the receiver's most favourable best response to any belief gives them
    less than in equilibrium). If some type ``t`` not in ``D`` gets more than its
    equilibrium payoff from ``m`` under *every* best response to beliefs on the types not in
    ``D``, the equilibrium fails.
    """
    types = list(range(len(game.types)))
    on = eq._on()
    for m in range(len(game.messages)):
        if m in on:
            continue
        anywhere = [a for a in range(len(game.actions[m])) if feasible(m, a, tuple(types))]
        best = {t: max(game.sender_payoff[m][t, a] for a in anywhere) for t in types}
        dominated = [t for t in types if best[t] < eq.sender_payoffs[t] - s_slack]
        rest = [t for t in types if t not in dominated]
        if not dominated or not rest:
            continue
        answers = [a for a in range(len(game.actions[m])) if feasible(m, a, tuple(rest))]
        for t in rest:
            worst = min(game.sender_payoff[m][t, a] for a in answers)
            if worst > eq.sender_payoffs[t] + s_slack:
                return False, (
                    f"{game.messages[m]} is equilibrium-dominated for "
                    f"{', '.join(game.types[d] for d in dominated)}; believing so, the receiver "
                    f"would answer so that {game.types[t]} gains by sending {game.messages[m]} "
                    f"({_num(worst)} > {_num(float(eq.sender_payoffs[t]))})"
                )
    return True, ""


# ---------------------------------------------------------------------- re-check
def pbe_gain(eq: PerfectBayesianEquilibrium) -> float:
    """The largest violation of a PBE's conditions, relative to payoff ranges (0 if none).

    Checked from the tree's arrays, independently of the enumeration: (1) beliefs are
    probability vectors, equal on the path to Bayes' rule computed from the tree's chance
    probabilities and the behaviour profile's reach probabilities; (2) at every receiver
    information set the chosen action is a best response to the beliefs there (sequential
    rationality), and at an off-path message so it is at both ends of each reported range
    when the range is exact; (3) each type's message is a best response, from the tree's
    node values under the behaviour profile. (The tests also check that the profile has zero
    regret in the reduced normal form, with :func:`~gametheory.solvers.tree.tree_regret`.)
    """
    g = eq.game
    tree = g.tree
    _, r_scale = _scales(g)
    behaviour = eq.behaviour
    reach = tree.reach(behaviour)
    worst = 0.0
    for m, h in enumerate(g.receiver_infoset):
        nodes = np.flatnonzero(tree.infoset == h)
        # Nodes of information set h in type order (the tree is breadth-first by type).
        total = float(reach[nodes].sum())
        mu = eq.beliefs[m]
        worst = max(worst, abs(float(mu.sum()) - 1.0), float(-mu.min()))
        if total > 1e-12:
            worst = max(worst, float(np.abs(reach[nodes] / total - mu).max()))
        ends = np.array([_children(tree, int(v)) for v in nodes])
        r_pay = tree.payoffs[np.searchsorted(tree.terminals, ends), g.receiver]
        beliefs = [mu]
        if total <= 1e-12:
            for s in eq.off_path:
                if s.message == g.messages[m] and s.exact:
                    lo, hi = s.bounds[g.types[0]]
                    beliefs += [np.array([lo, 1 - lo]), np.array([hi, 1 - hi])]
        for b in beliefs:
            value = b @ r_pay
            chosen = float(value @ eq.receiver_probabilities()[m])
            worst = max(worst, float(value.max() - chosen) / r_scale)
    values = tree.values(behaviour)
    s_scale, _ = _scales(g)
    for h in g.sender_infoset:
        (node,) = np.flatnonzero(tree.infoset == h).tolist()
        options = values[_children(tree, node), g.sender]
        worst = max(worst, float(options.max() - values[node, g.sender]) / s_scale)
    return float(worst)
