"""Labelled normal-form games and mixed-strategy profiles.

Payoff layout
-------------
A game with ``N`` players where player ``i`` has ``n_i`` actions stores all payoffs in one
float array of shape ``(N, n_1, n_2, ..., n_N)``::

    payoffs[p, a_1, a_2, ..., a_N]

is the payoff to player ``p`` when player ``i`` plays its action ``a_i``. Axis ``1 + i`` of the
array belongs to player ``i``; for two players ``payoffs[0]`` is the row player's matrix ``A``
(rows are the first player's actions) and ``payoffs[1]`` the column player's matrix ``B``.

Games are immutable: the payoff array is a read-only copy, and what-if analysis builds new games
(:meth:`Game.with_payoffs`, :meth:`Game.relabel`).

Tolerance policy
----------------
One policy everywhere: a profile is an equilibrium when each player's regret (best pure payoff
minus expected payoff) is at most ``tol * scale_p``, where ``scale_p`` is that player's payoff
range (:func:`payoff_scales`; 1 for a player whose payoffs are all equal) and ``tol`` defaults to
:data:`DEFAULT_TOL`. Scaling each player separately makes the test invariant under a positive
affine change of any one player's payoffs (units do not matter, and one player's units do not
loosen the test for another).

Algorithms decide ties (which actions are best responses, whether a game is degenerate) at the
much tighter :data:`TIE_TOL`, also relative to each player's payoff range; ``tol`` only decides
whether an answer is accepted.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import GameError
from ._display import game_html, game_text, profile_label

__all__ = ["DEFAULT_TOL", "TIE_TOL", "Game", "Profile", "payoff_scales"]

#: Relative tolerance for accepting an answer: the regret check (see module docstring).
DEFAULT_TOL = 1e-9
#: Relative size below which algorithms treat two payoffs as tied when they decide best
#: responses and degeneracy. Much tighter than :data:`DEFAULT_TOL`, so an algorithm never calls
#: a profile an equilibrium because of a gap the regret check would count as real.
TIE_TOL = 1e-11

FloatArray = NDArray[np.float64]


def payoff_scales(payoffs: NDArray[np.float64]) -> NDArray[np.float64]:
    """Each player's payoff range, with 1.0 for a player whose payoffs are all equal.

    Parameters
    ----------
    payoffs
        Array of shape ``(N, n_1, ..., n_N)`` in the layout described in the module docstring.

    Returns
    -------
    numpy.ndarray
        ``max payoffs[p] - min payoffs[p]`` for each player ``p`` (1.0 where that is zero).
    """
    flat = payoffs.reshape(payoffs.shape[0], -1)
    ranges = flat.max(axis=1) - flat.min(axis=1)
    return np.where(ranges > 0, ranges, 1.0)


def _labels(values: Sequence[str], what: str) -> tuple[str, ...]:
    labels = tuple(str(v) for v in values)
    if not labels:
        raise GameError(f"{what} is empty; at least one is required")
    if any(not label for label in labels):
        raise GameError(f"{what} contains an empty name")
    seen = set()
    for label in labels:
        if label in seen:
            raise GameError(f"{what} contains the name '{label}' twice; names must be unique")
        seen.add(label)
    return labels


@dataclass(frozen=True, eq=False, repr=False)
class Game:
    """An immutable, labelled N-player normal-form game.

    Parameters
    ----------
    players
        Player names, in order.
    actions
        For each player, the names of its actions.
    payoffs
        Array of shape ``(N, n_1, ..., n_N)``; see the module docstring for the layout.
    title
        Optional human-readable title.

    Examples
    --------
    >>> import gametheory as gt
    >>> pd = gt.Game.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]],
    ...                          players=("Row", "Col"),
    ...                          actions=(("C", "D"), ("C", "D")))
    >>> pd.shape
    (2, 2)
    >>> pd.payoff(("D", "C"))
    {'Row': 5.0, 'Col': 0.0}
    """

    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    payoffs: FloatArray
    title: str = ""

    def __post_init__(self) -> None:
        players = _labels(self.players, "the list of players")
        if len(self.actions) != len(players):
            raise GameError(
                f"{len(players)} players but {len(self.actions)} action lists were given"
            )
        actions = tuple(
            _labels(acts, f"the action list of player '{p}'")
            for p, acts in zip(players, self.actions, strict=True)
        )
        try:
            array = np.array(self.payoffs, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise GameError(f"payoffs must be numbers: {exc}") from None
        expected = (len(players), *(len(a) for a in actions))
        if array.shape != expected:
            raise GameError(
                f"payoff array has shape {array.shape}; expected {expected} "
                "(players, then one axis per player's actions)"
            )
        if not np.all(np.isfinite(array)):
            raise GameError("payoffs must be finite numbers (found NaN or infinity)")
        array.setflags(write=False)
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "actions", actions)
        object.__setattr__(self, "payoffs", array)
        object.__setattr__(self, "title", str(self.title))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_arrays(
        cls,
        *arrays: ArrayLike,
        players: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> Game:
        """Build a game from one payoff array per player.

        Parameters
        ----------
        *arrays
            ``arrays[p][a_1, ..., a_N]`` is player ``p``'s payoff. For two players these are
            the bimatrix ``A`` (row player) and ``B`` (column player).
        players, actions
            Labels; default to ``P1, P2, ...`` and ``a1, a2, ...`` per player.
        title
            Optional title.
        """
        if not arrays:
            raise GameError("at least one payoff array is required")
        try:
            stacked = np.stack([np.asarray(a, dtype=np.float64) for a in arrays])
        except (TypeError, ValueError) as exc:
            raise GameError(f"payoff arrays must be numeric and of equal shape: {exc}") from None
        n = len(arrays)
        if stacked.ndim != n + 1:
            raise GameError(
                f"{n} payoff arrays given, so each must have {n} axes; got {stacked.ndim - 1}"
            )
        if players is None:
            players = tuple(f"P{i + 1}" for i in range(n))
        if actions is None:
            actions = tuple(
                tuple(f"a{j + 1}" for j in range(stacked.shape[1 + i])) for i in range(n)
            )
        return cls(tuple(players), tuple(tuple(a) for a in actions), stacked, title)

    # ------------------------------------------------------------------ shape and lookup
    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions of each player."""
        return tuple(len(a) for a in self.actions)

    @property
    def is_two_player(self) -> bool:
        """Whether the game has exactly two players."""
        return self.n_players == 2

    def bimatrix(self) -> tuple[FloatArray, FloatArray]:
        """Return ``(A, B)`` for a two-player game (read-only views)."""
        if not self.is_two_player:
            raise GameError(f"bimatrix() needs a two-player game; this one has {self.n_players}")
        return self.payoffs[0], self.payoffs[1]

    def player_index(self, player: str | int) -> int:
        """Index of a player given by name or index."""
        if isinstance(player, int | np.integer):
            if not 0 <= int(player) < self.n_players:
                raise GameError(f"player index {player} out of range 0..{self.n_players - 1}")
            return int(player)
        try:
            return self.players.index(player)
        except ValueError:
            raise GameError(
                f"unknown player '{player}'; players are {', '.join(self.players)}"
            ) from None

    def action_index(self, player: str | int, action: str | int) -> int:
        """Index of an action of a player, given by name or index."""
        p = self.player_index(player)
        names = self.actions[p]
        if isinstance(action, int | np.integer):
            if not 0 <= int(action) < len(names):
                raise GameError(f"action index {action} out of range for '{self.players[p]}'")
            return int(action)
        try:
            return names.index(action)
        except ValueError:
            raise GameError(
                f"unknown action '{action}' for player '{self.players[p]}'; "
                f"its actions are {', '.join(names)}"
            ) from None

    def payoff(self, actions: Sequence[str | int]) -> dict[str, float]:
        """Payoffs of a pure action profile, by player name."""
        if len(actions) != self.n_players:
            raise GameError(f"a profile needs one action per player ({self.n_players})")
        index = tuple(self.action_index(p, a) for p, a in enumerate(actions))
        return {name: float(self.payoffs[(p, *index)]) for p, name in enumerate(self.players)}

    def pure_profiles(self) -> Iterator[tuple[int, ...]]:
        """Iterate over all pure action profiles as index tuples."""
        return itertools.product(*(range(n) for n in self.shape))

    @functools.cached_property
    def scales(self) -> FloatArray:
        """Each player's payoff scale for the tolerance policy (see :func:`payoff_scales`).

        Computed once per game (the game is immutable).
        """
        scales = payoff_scales(self.payoffs)
        scales.setflags(write=False)
        return scales

    # ------------------------------------------------------------------ what-if
    def with_payoffs(self, payoffs: ArrayLike) -> Game:
        """A new game with the same labels and different payoffs."""
        return Game(self.players, self.actions, np.asarray(payoffs, dtype=float), self.title)

    def relabel(
        self,
        players: Mapping[str, str] | None = None,
        actions: Mapping[str, Mapping[str, str]] | None = None,
    ) -> Game:
        """A new game with some players or actions renamed (payoffs unchanged)."""
        players = players or {}
        actions = actions or {}
        new_actions = tuple(
            tuple(actions.get(p, {}).get(a, a) for a in acts)
            for p, acts in zip(self.players, self.actions, strict=True)
        )
        new_players = tuple(players.get(p, p) for p in self.players)
        return Game(new_players, new_actions, self.payoffs, self.title)

    def permute(self, orders: Sequence[Sequence[int]]) -> Game:
        """A new game whose action lists are reordered: ``orders[i]`` is player i's new order."""
        payoffs = self.payoffs
        for i, order in enumerate(orders):
            payoffs = np.take(payoffs, list(order), axis=1 + i)
        actions = tuple(tuple(self.actions[i][j] for j in order) for i, order in enumerate(orders))
        return Game(self.players, actions, payoffs, self.title)

    # ------------------------------------------------------------------ strategies
    def profile(self, strategies: Sequence[ArrayLike] | Mapping[str, Any]) -> Profile:
        """Build a :class:`Profile` from arrays or from ``{player: {action: probability}}``."""
        if isinstance(strategies, Mapping):
            arrays = []
            for p, name in enumerate(self.players):
                if name not in strategies:
                    raise GameError(f"no strategy given for player '{name}'")
                spec = strategies[name]
                if isinstance(spec, Mapping):
                    vec = np.zeros(self.shape[p])
                    for action, prob in spec.items():
                        vec[self.action_index(p, action)] = float(prob)
                elif isinstance(spec, str):
                    vec = np.zeros(self.shape[p])
                    vec[self.action_index(p, spec)] = 1.0
                else:
                    vec = np.asarray(spec, dtype=float)
                arrays.append(vec)
            return Profile(self, tuple(arrays))
        return Profile(self, tuple(np.asarray(s, dtype=float) for s in strategies))

    def action_values(self, strategies: Sequence[FloatArray], player: int) -> FloatArray:
        """Expected payoff of each of ``player``'s pure actions against the others' strategies."""
        values = self.payoffs[player]
        # Contract the other players' axes, last first so axis numbers stay valid. Against a
        # pure strategy the contraction is a slice, which is much cheaper on large games.
        for q in reversed(range(self.n_players)):
            if q != player:
                support = np.flatnonzero(strategies[q])
                if len(support) == 1 and strategies[q][support[0]] == 1.0:
                    values = np.take(values, support[0], axis=q)
                else:
                    values = np.tensordot(values, strategies[q], axes=([q], [0]))
        return np.asarray(values, dtype=np.float64)

    # ------------------------------------------------------------------ dunder
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Game):
            return NotImplemented
        return (
            self.players == other.players
            and self.actions == other.actions
            and np.array_equal(self.payoffs, other.payoffs)
        )

    def __hash__(self) -> int:
        return hash((self.players, self.actions, self.payoffs.tobytes()))

    def __repr__(self) -> str:
        shape = "x".join(str(n) for n in self.shape)
        title = f" {self.title!r}" if self.title else ""
        return f"<Game{title}: {shape}, players {', '.join(self.players)}>"

    def __str__(self) -> str:
        return game_text(self)

    def _repr_html_(self) -> str:
        return game_html(self)


@dataclass(frozen=True, eq=False, repr=False)
class Profile:
    """A labelled mixed-strategy profile of a :class:`Game`.

    Parameters
    ----------
    game
        The game the profile belongs to.
    strategies
        One probability vector per player (non-negative, summing to one).

    Notes
    -----
    Payoffs and regrets are computed directly from the payoff array, independently of any
    solver; every solver's output is re-checked with :meth:`is_equilibrium`.
    """

    game: Game
    strategies: tuple[FloatArray, ...]
    _cache: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        game = self.game
        if len(self.strategies) != game.n_players:
            raise GameError(
                f"a profile needs {game.n_players} strategies, got {len(self.strategies)}"
            )
        cleaned = []
        for p, s in enumerate(self.strategies):
            vec = np.array(s, dtype=np.float64).reshape(-1)
            if vec.shape != (game.shape[p],):
                raise GameError(
                    f"strategy of '{game.players[p]}' has {vec.size} entries; "
                    f"expected {game.shape[p]}"
                )
            if not np.all(np.isfinite(vec)):
                raise GameError(f"strategy of '{game.players[p]}' contains NaN or infinity")
            if vec.min() < -1e-7 or abs(vec.sum() - 1.0) > 1e-7:
                raise GameError(
                    f"strategy of '{game.players[p]}' is not a probability vector: {vec.tolist()}"
                )
            vec = np.clip(vec, 0.0, None)
            vec /= vec.sum()
            vec.setflags(write=False)
            cleaned.append(vec)
        object.__setattr__(self, "strategies", tuple(cleaned))

    @property
    def action_values(self) -> tuple[FloatArray, ...]:
        """For each player, the expected payoff of each pure action against the others."""
        if "values" not in self._cache:
            self._cache["values"] = tuple(
                self.game.action_values(self.strategies, p) for p in range(self.game.n_players)
            )
        values: tuple[FloatArray, ...] = self._cache["values"]
        return values

    @property
    def payoffs(self) -> FloatArray:
        """Expected payoff of each player."""
        return np.array(
            [float(v @ s) for v, s in zip(self.action_values, self.strategies, strict=True)]
        )

    @property
    def regret(self) -> FloatArray:
        """Each player's regret: best pure payoff minus expected payoff (never negative)."""
        return np.array(
            [
                max(0.0, float(v.max() - v @ s))
                for v, s in zip(self.action_values, self.strategies, strict=True)
            ]
        )

    @property
    def max_regret(self) -> float:
        """Largest regret of any player."""
        return float(self.regret.max())

    def is_equilibrium(self, tol: float = DEFAULT_TOL) -> bool:
        """Whether each player's regret is at most ``tol`` times that player's payoff scale."""
        return bool(np.all(self.regret <= tol * self.game.scales))

    @property
    def is_pure(self) -> bool:
        """Whether every player puts probability one on a single action."""
        return all(np.isclose(s.max(), 1.0, rtol=0, atol=1e-12) for s in self.strategies)

    def support(self, player: str | int) -> tuple[str, ...]:
        """Actions a player plays with positive probability."""
        p = self.game.player_index(player)
        return tuple(
            a for a, x in zip(self.game.actions[p], self.strategies[p], strict=True) if x > 0
        )

    def strategy(self, player: str | int) -> dict[str, float]:
        """A player's strategy as ``{action: probability}`` (all actions listed)."""
        p = self.game.player_index(player)
        return {a: float(x) for a, x in zip(self.game.actions[p], self.strategies[p], strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form: strategies by label, payoffs and regret by player."""
        players = self.game.players
        return {
            "strategies": {p: self.strategy(i) for i, p in enumerate(players)},
            "payoffs": {p: float(v) for p, v in zip(players, self.payoffs, strict=True)},
            "regret": {p: float(v) for p, v in zip(players, self.regret, strict=True)},
            "pure": self.is_pure,
        }

    def describe(self, digits: int = 4) -> str:
        """One-line description, e.g. ``Row: C / Col: 1/2 L + 1/2 R``."""
        return profile_label(self, digits=digits)

    def distance(self, other: Profile) -> float:
        """Largest absolute difference between two profiles' probabilities."""
        return max(
            float(np.abs(a - b).max())
            for a, b in zip(self.strategies, other.strategies, strict=True)
        )

    def __repr__(self) -> str:
        return f"<Profile {self.describe()}>"
