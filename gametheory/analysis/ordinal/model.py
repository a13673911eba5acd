"""The graph model for conflict resolution in option form: states, moves and rankings.

A :class:`GraphModel` holds decision makers (DMs), the options each controls (yes/no options, and
chips with more than two alternatives), the feasible states (every combination of alternatives
that no infeasibility condition removes), irreversible moves, and each DM's ranking of the states
(ties allowed). It is the input of :func:`~gametheory.analysis.ordinal.stability.analyse`.

Sources: Fang, Hipel and Kilgour, *Interactive Decision Making: The Graph Model for Conflict
Resolution* (Wiley, 1993); Kilgour and Hipel, "The graph model for conflict resolution: past,
present, and future", *Group Decision and Negotiation* 14 (2005) 441-460; option prioritisation
from Fang, Hipel, Kilgour and Peng, "A decision support system for interactive decision making,
part I", *IEEE Trans. SMC C* 33 (2003) 42-55.

Limits: at most :data:`MAX_RAW_STATES` combinations of alternatives before infeasibility (checked
before anything is allocated), :data:`MAX_STATEMENTS` prioritisation statements per DM, and
:data:`MAX_MOVES` unilateral moves over all DMs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ...errors import ExpressionError, GameTheoryError, ScenarioError
from ._logic import Statement, parse_statement

__all__ = [
    "MAX_MOVES",
    "MAX_NAME_CHARS",
    "MAX_RAW_STATES",
    "MAX_STATEMENTS",
    "GraphModel",
    "Irreversible",
    "Option",
]

#: Most combinations of alternatives (states before infeasibility) a model may have.
MAX_RAW_STATES = 1 << 20
#: Most prioritisation statements per decision maker (scores are 2**k, kept exact in int64).
MAX_STATEMENTS = 62
#: Longest name of a decision maker, option or alternative.
MAX_NAME_CHARS = 64
#: Most unilateral moves (directed arcs, over all decision makers) a model may have.
MAX_MOVES = 20_000_000

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PATTERN = re.compile(r"^[YN-]+$")
YES_NO = ("N", "Y")


@dataclass(frozen=True)
class Option:
    """An option a decision maker controls.

    Parameters
    ----------
    name
        Identifier used in statements (``modify``).
    dm
        The decision maker who controls it.
    alternatives
        Its alternatives; a yes/no option has ``("N", "Y")`` and its bare name in a statement
        means "taken" (``Y``). Any option's alternative is written ``name.alternative``.
    """

    name: str
    dm: str
    alternatives: tuple[str, ...] = YES_NO

    @property
    def yes_no(self) -> bool:
        """Whether this is a yes/no option."""
        return self.alternatives == YES_NO


@dataclass(frozen=True)
class Irreversible:
    """A move that can only go one way.

    ``direction="take"``: once the option is at ``alternative`` it cannot leave it (a yes/no
    option that can be taken but not dropped). ``direction="drop"``: the option can leave
    ``alternative`` but never enter it (can be dropped, not taken back).
    """

    option: str
    alternative: str
    direction: str


def _shown(value: Any) -> str:
    """A value for a message: its repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _names(names: Any) -> str:
    """Names for a message: at most ten, each cut to 40 characters."""
    items = [str(n) if len(str(n)) <= 40 else str(n)[:37] + "..." for n in names]
    return ", ".join(items[:10]) + (f" and {len(items) - 10} more" if len(items) > 10 else "")


def _freeze(array: NDArray[Any]) -> NDArray[Any]:
    array = np.ascontiguousarray(array)
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class GraphModel:
    """A graph model in option form, with its feasible states and the DMs' rankings.

    Build one with :meth:`build` (from options, conditions and preference statements) or
    :meth:`from_scenario` (from a chip scenario's payoffs). Arrays are read-only.

    Parameters
    ----------
    decision_makers
        DM names in order.
    options
        The options, each controlled by one DM.
    states
        ``(n_states, n_options)`` alternative index of every option in every feasible state.
    ranks
        ``(n_dms, n_states)`` dense ranks, 0 for a DM's least preferred states; equal ranks are
        ties.
    irreversible
        The one-way moves.
    status_quo
        Index of the status quo state, if given.
    title
        Documentation.
    payoffs
        ``(n_dms, n_states)`` cardinal payoffs when the ranking came from a scenario, else None.
    statements
        Per DM, the prioritisation statements the ranking came from (empty otherwise).
    """

    decision_makers: tuple[str, ...]
    options: tuple[Option, ...]
    states: NDArray[np.int64]
    ranks: NDArray[np.int64]
    irreversible: tuple[Irreversible, ...] = ()
    status_quo: int | None = None
    title: str = ""
    payoffs: NDArray[np.float64] | None = None
    statements: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "states", _freeze(np.asarray(self.states, dtype=np.int64)))
        object.__setattr__(self, "ranks", _freeze(np.asarray(self.ranks, dtype=np.int64)))
        if self.payoffs is not None:
            object.__setattr__(self, "payoffs", _freeze(np.asarray(self.payoffs, dtype=float)))
        n_dm, n_states = len(self.decision_makers), len(self.states)
        if self.ranks.shape != (n_dm, n_states):
            raise ScenarioError(
                f"ranks must have shape (decision makers, states) = ({n_dm}, {n_states}), got "
                f"{self.ranks.shape}"
            )
        if n_states == 0:
            raise ScenarioError("every state is infeasible; at least one state must remain")
        if self.status_quo is not None and not 0 <= self.status_quo < n_states:
            raise ScenarioError(f"status quo {self.status_quo} is not a state index")

    # ------------------------------------------------------------------ construction
    @classmethod
    def build(
        cls,
        decision_makers: Sequence[str],
        options: Sequence[Option] | Mapping[str, str | tuple[str, Sequence[str]]],
        *,
        infeasible: Sequence[str] = (),
        irreversible: Mapping[str, str] | Sequence[Irreversible] = (),
        statements: Mapping[str, Sequence[str]] | None = None,
        rankings: Mapping[str, Sequence[Any]] | None = None,
        values: Mapping[str, ArrayLike] | None = None,
        status_quo: Any = None,
        title: str = "",
    ) -> GraphModel:
        """Build a model from options, conditions and each DM's preferences.

        Parameters
        ----------
        decision_makers
            DM names in order.
        options
            :class:`Option` objects, or ``{name: dm}`` for yes/no options and
            ``{name: (dm, [alternatives])}`` for chips, in order.
        infeasible
            Conditions (statements, see :mod:`._logic`) or, when every option is yes/no,
            GMCR patterns of ``Y``/``N``/``-`` (one character per option, ``-`` for either);
            a state meeting any of them is removed.
        irreversible
            ``{indicator: direction}``: ``{"modify": "take"}`` (can be taken, not dropped),
            ``{"delay": "drop"}`` (can be dropped, not taken again), ``{"tariff.high": "take"}``.
        statements
            Per DM, option-prioritisation statements, most important first: a state scores
            ``sum of 2**(K - k)`` over the true statements ``k = 1..K`` (Fang et al. 2003).
        rankings
            Per DM, the states from most to least preferred; an inner list is a tie. A state is
            its 1-based number in :attr:`labels` order or a Y/N pattern.
        values
            Per DM, one number per feasible state (higher is better).
        status_quo
            The status quo state, written as in ``rankings``.
        title
            Documentation.

        Each DM needs exactly one of ``statements``, ``rankings`` or ``values``.

        Raises
        ------
        ScenarioError
            Naming the key (``options.modify``, ``preferences.MoE``, ...) and what was expected.
        """
        dms = _check_dms(decision_makers)
        opts = _check_options(options, dms)
        sizes = [len(o.alternatives) for o in opts]
        raw = math.prod(sizes)
        if raw > MAX_RAW_STATES:
            raise ScenarioError(
                f"the options give {raw:,} combinations before infeasibility; the limit is "
                f"{MAX_RAW_STATES:,}",
                key="options",
            )
        grid = _all_combinations(sizes)
        resolver = _Resolver(opts, grid)
        keep = np.ones(len(grid), dtype=bool)
        for k, condition in enumerate(infeasible):
            keep &= ~resolver.condition(condition, f"infeasible[{k}]")
        states = grid[keep]
        if len(states) == 0:
            raise ScenarioError("every state is infeasible", key="infeasible")
        irrev = _check_irreversible(irreversible, opts)
        state_resolver = _Resolver(opts, states)
        labels = _labels(opts, states)
        ranks = np.zeros((len(dms), len(states)), dtype=np.int64)
        used: dict[str, tuple[str, ...]] = {}
        for d, dm in enumerate(dms):
            sources = [s for s in (statements, rankings, values) if s is not None and dm in s]
            if len(sources) != 1:
                raise ScenarioError(
                    f"decision maker '{dm}' needs exactly one of prioritisation statements, an "
                    f"explicit ranking or values; got {len(sources)}",
                    key=f"preferences.{dm}",
                )
            key = f"preferences.{dm}"
            if statements is not None and dm in statements:
                texts = tuple(statements[dm])
                ranks[d] = _dense(state_resolver.scores(texts, key))
                used[dm] = texts
            elif rankings is not None and dm in rankings:
                ranks[d] = _ranking(rankings[dm], labels, opts, states, key)
            else:
                assert values is not None
                ranks[d] = _dense(_values(values[dm], len(states), key))
        for name in (statements or {}, rankings or {}, values or {}):
            for dm in name:
                if dm not in dms:
                    raise ScenarioError(
                        f"preferences given for unknown decision maker {_shown(dm)}; "
                        f"decision makers are {_names(dms)}",
                        key=f"preferences.{dm}",
                    )
        sq = None
        if status_quo is not None:
            sq = _state_ref(status_quo, labels, opts, states, "status_quo")
        return cls(
            decision_makers=dms,
            options=opts,
            states=states,
            ranks=ranks,
            irreversible=irrev,
            status_quo=sq,
            title=title,
            statements=used,
        )

    @classmethod
    def from_scenario(
        cls,
        scenario: Any,
        params: Mapping[str, float] | None = None,
        *,
        status_quo: Any = None,
    ) -> GraphModel:
        """The graph model of a simultaneous scenario: each chip is its player's option.

        A matrix-form scenario gives each player one option whose alternatives are its actions.
        The states are all pure profiles; each DM ranks them by its payoff at ``params`` (equal
        payoffs, within 1e-9 of the largest magnitude, tie). The payoffs are kept in
        :attr:`payoffs` for comparisons with Nash equilibria.

        Raises
        ------
        ScenarioError
            If the scenario is not in chip form or is sequential.
        """
        if getattr(scenario, "timing", "simultaneous") != "simultaneous":
            raise ScenarioError(
                "an ordinal model is derived from a simultaneous scenario; this one is "
                "sequential (its strategies are plans, not option settings)"
            )
        game = scenario.game(params)
        players = tuple(scenario.players)
        if getattr(scenario, "form", None) == "chips":
            chips = tuple(scenario.chips)
            opts = tuple(
                Option(c.name, c.player, tuple(c.options))
                for p in players
                for c in chips
                if c.player == p
            )
        else:  # a matrix game: each player's action is its one option
            opts = tuple(
                Option(p, p, tuple(acts)) for p, acts in zip(players, game.actions, strict=True)
            )
        sizes = [len(o.alternatives) for o in opts]
        raw = math.prod(sizes)
        if raw > MAX_RAW_STATES:
            raise ScenarioError(
                f"the scenario has {raw:,} pure profiles; the limit for an ordinal model is "
                f"{MAX_RAW_STATES:,}",
                key="chips",
            )
        states = _all_combinations(sizes)
        # Each player's strategy index from its own options, in the order the chip form uses.
        index_of = []
        for p_index, p in enumerate(players):
            held = [k for k, o in enumerate(opts) if o.dm == p]
            lookup = {label: a for a, label in enumerate(game.actions[p_index])}
            names = ["+".join(opts[k].alternatives[row[k]] for k in held) for row in states]
            index_of.append(np.array([lookup[name] for name in names], dtype=np.int64))
        payoffs = np.stack([game.payoffs[(i, *index_of)] for i in range(len(players))]).astype(
            float
        )
        scale = max(1.0, float(np.abs(payoffs).max()))
        ranks = np.stack([_dense(np.round(row / (scale * 1e-9))) for row in payoffs])
        labels = _labels(opts, states)
        sq = (
            None
            if status_quo is None
            else _state_ref(status_quo, labels, opts, states, "status_quo")
        )
        return cls(
            decision_makers=players,
            options=opts,
            states=states,
            ranks=ranks,
            status_quo=sq,
            title=getattr(scenario, "title", ""),
            payoffs=payoffs,
        )

    @classmethod
    def from_spec(cls, spec: Any) -> GraphModel:
        """Build a model from an ordinal scenario file read by ``gametheory.io.ordinal``.

        Errors name the file, the key and the line (through ``spec.locate``).
        """
        try:
            return cls.build(
                spec.players,
                [Option(name, dm, alts) for name, dm, alts in spec.options],
                infeasible=spec.infeasible,
                irreversible=spec.irreversible,
                statements=spec.statements or None,
                rankings=spec.rankings or None,
                values=spec.values or None,
                status_quo=spec.status_quo,
                title=spec.title,
            )
        except GameTheoryError as exc:
            raise spec.locate(_file_key(exc, spec)) from None

    @classmethod
    def read(cls, path: str | Path) -> GraphModel:
        """Read an ordinal scenario file (``.toml`` with ``[preferences.*]`` tables).

        Examples
        --------
        >>> from gametheory import GraphModel
        >>> GraphModel.read("payoffs/elmira_ordinal.toml").n_states
        12
        """
        from ...io.ordinal import read_ordinal

        return cls.from_spec(read_ordinal(path))

    # ------------------------------------------------------------------ reading
    @property
    def n_states(self) -> int:
        """Number of feasible states."""
        return len(self.states)

    @property
    def labels(self) -> tuple[str, ...]:
        """A label per state: ``Y``/``N`` per option when all are yes/no, else ``opt=alt,...``."""
        if "labels" not in self._cache:
            self._cache["labels"] = _labels(self.options, self.states)
        labels: tuple[str, ...] = self._cache["labels"]
        return labels

    def settings(self, state: int) -> dict[str, str]:
        """The alternative of every option in a state."""
        return {
            o.name: o.alternatives[int(a)]
            for o, a in zip(self.options, self.states[state], strict=True)
        }

    def state(self, ref: Any) -> int:
        """The index of a state given by 1-based number, Y/N pattern or label."""
        return _state_ref(ref, self.labels, self.options, self.states, "state")

    def dm_index(self, dm: str | int) -> int:
        """Index of a decision maker given by name or index."""
        if isinstance(dm, int) and 0 <= dm < len(self.decision_makers):
            return dm
        if dm in self.decision_makers:
            return self.decision_makers.index(str(dm))
        raise ScenarioError(
            f"unknown decision maker {_shown(dm)}; decision makers are "
            f"{_names(self.decision_makers)}"
        )

    def ranking(self, dm: str | int) -> list[list[int]]:
        """A DM's states from most to least preferred, ties grouped."""
        row = self.ranks[self.dm_index(dm)]
        return [
            list(np.flatnonzero(row == r).tolist()) for r in sorted(set(row.tolist()), reverse=True)
        ]

    def codes(self) -> IntArray:
        """Mixed-radix code of every state (first option least significant)."""
        if "codes" not in self._cache:
            self._cache["codes"] = self.states @ self.radix()
        codes: IntArray = self._cache["codes"]
        return codes

    def radix(self) -> IntArray:
        """Place value of each option in :meth:`codes`."""
        sizes = [len(o.alternatives) for o in self.options]
        return np.concatenate([[1], np.cumprod(sizes[:-1])]).astype(np.int64)

    def moves(self, dm: str | int) -> tuple[IntArray, IntArray]:
        """The unilateral moves of a DM as arcs ``(source, target)``, sorted by source.

        A move changes only the DM's own options (any number of them at once), ends in a
        feasible state, and respects every irreversible move.
        """
        d = self.dm_index(dm)
        key = f"moves{d}"
        if key not in self._cache:
            self._cache[key] = _moves(self, d)
        arcs: tuple[IntArray, IntArray] = self._cache[key]
        return arcs

    def improvements(self, dm: str | int) -> tuple[IntArray, IntArray]:
        """A DM's unilateral improvements: its moves to states it strictly prefers."""
        d = self.dm_index(dm)
        src, dst = self.moves(d)
        better = self.ranks[d][dst] > self.ranks[d][src]
        return src[better], dst[better]

    def move_matrix(self, dm: str | int, improvements: bool = False) -> BoolArray:
        """The ``(n_states, n_states)`` boolean matrix of a DM's moves (or improvements)."""
        src, dst = self.improvements(dm) if improvements else self.moves(dm)
        out = np.zeros((self.n_states, self.n_states), dtype=bool)
        out[src, dst] = True
        return out

    def __repr__(self) -> str:
        return (
            f"GraphModel({self.title!r}, {len(self.decision_makers)} decision makers, "
            f"{len(self.options)} options, {self.n_states} feasible states)"
        )


# ---------------------------------------------------------------------- helpers
def _file_key(exc: GameTheoryError, spec: Any) -> GameTheoryError:
    """The same error with its key as written in an ordinal scenario file."""
    key = exc.key or ""
    match = re.match(r"^preferences\.([^.\[]+)(\[\d+\])?$", key)
    if match:
        dm, item = match.group(1), match.group(2) or ""
        kind = (
            "statements"
            if dm in spec.statements
            else "ranking"
            if dm in spec.rankings
            else "values"
            if dm in spec.values
            else ""
        )
        key = f"preferences.{dm}.{kind}{item}" if kind else f"preferences.{dm}"
    elif key.startswith("options."):
        key = "chips." + key[len("options.") :]
    elif key == "options":
        key = "chips"
    elif key == "decision_makers":
        key = "players"
    return type(exc)(exc.message, file=exc.file, key=key or None, line=exc.line)


def _check_dms(decision_makers: Sequence[str]) -> tuple[str, ...]:
    dms = tuple(decision_makers)
    if len(dms) < 2:
        raise ScenarioError(
            f"a conflict needs at least two decision makers, got {len(dms)}",
            key="decision_makers",
        )
    if len(set(dms)) != len(dms):
        raise ScenarioError(
            f"decision makers must be unique, got {list(dms)}", key="decision_makers"
        )
    for dm in dms:
        if not isinstance(dm, str) or not dm:
            raise ScenarioError(
                f"a decision maker must be a name, got {_shown(dm)}", key="decision_makers"
            )
    return dms


def _check_options(
    options: Sequence[Option] | Mapping[str, str | tuple[str, Sequence[str]]],
    dms: tuple[str, ...],
) -> tuple[Option, ...]:
    if isinstance(options, Mapping):
        built = []
        for name, spec in options.items():
            if isinstance(spec, str):
                built.append(Option(name, spec))
            else:
                dm, alts = spec
                built.append(Option(name, dm, tuple(alts)))
        opts = tuple(built)
    else:
        opts = tuple(options)
    if not opts:
        raise ScenarioError("a graph model needs at least one option", key="options")
    seen: set[str] = set()
    for o in opts:
        too_long = [x for x in (o.name, *o.alternatives) if len(str(x)) > MAX_NAME_CHARS]
        if too_long:
            raise ScenarioError(
                f"option and alternative names are at most {MAX_NAME_CHARS} characters; got "
                f"{_shown(too_long[0])}",
                key="options",
            )
        key = f"options.{o.name}"
        if not _NAME.match(o.name) or o.name.lower() in (
            "and",
            "or",
            "not",
            "if",
            "iff",
            "implies",
        ):
            raise ScenarioError(
                f"option name {_shown(o.name)} must be an identifier (letters, digits, _) and "
                "not a word of the statement language",
                key=key,
            )
        if o.name in seen:
            raise ScenarioError(f"option '{o.name}' is declared twice", key=key)
        seen.add(o.name)
        if o.dm not in dms:
            raise ScenarioError(
                f"option '{o.name}' belongs to unknown decision maker '{o.dm}'; decision makers "
                f"are {_names(dms)}",
                key=key,
            )
        if len(o.alternatives) < 2 or len(set(o.alternatives)) != len(o.alternatives):
            raise ScenarioError(
                f"option '{o.name}' needs at least two distinct alternatives, got "
                f"{list(o.alternatives)}",
                key=key,
            )
        for alt in o.alternatives:
            if not isinstance(alt, str) or not re.match(r"^[A-Za-z0-9_]+$", alt):
                raise ScenarioError(
                    f"alternative {_shown(alt)} of option '{o.name}' must be letters, digits or _",
                    key=key,
                )
    for dm in dms:
        if not any(o.dm == dm for o in opts):
            raise ScenarioError(
                f"decision maker '{dm}' controls no option; every decision maker needs one",
                key="options",
            )
    return opts


def _all_combinations(sizes: Sequence[int]) -> IntArray:
    """Every combination of alternatives, first option varying fastest (GMCR's decimal order)."""
    total = math.prod(sizes)
    codes = np.arange(total, dtype=np.int64)
    out = np.empty((total, len(sizes)), dtype=np.int64)
    for k, size in enumerate(sizes):
        out[:, k] = codes % size
        codes //= size
    return out


class _Resolver:
    """Indicator values over an array of states, for statements."""

    def __init__(self, options: tuple[Option, ...], states: IntArray) -> None:
        self.options = options
        self.states = states
        self.by_name = {o.name: k for k, o in enumerate(options)}
        self.yes_no = [k for k, o in enumerate(options) if o.yes_no]

    def __call__(self, name: str) -> BoolArray:
        if name.isdigit():
            number = int(name)
            if not 1 <= number <= len(self.options) or not self.options[number - 1].yes_no:
                raise ExpressionError(
                    f"option number {number} does not name a yes/no option; options are "
                    f"numbered 1 to {len(self.options)} in declaration order"
                )
            return np.asarray(self.states[:, number - 1] == 1)
        base, _, alt = name.partition(".")
        if base not in self.by_name:
            raise ExpressionError(
                f"unknown option {_shown(base)}; options are {_names(self.by_name)}"
            )
        k = self.by_name[base]
        option = self.options[k]
        if not alt:
            if not option.yes_no:
                raise ExpressionError(
                    f"option '{base}' has alternatives {list(option.alternatives)}; write "
                    f"'{base}.{option.alternatives[-1]}' to name one"
                )
            return np.asarray(self.states[:, k] == 1)
        if alt not in option.alternatives:
            raise ExpressionError(
                f"{_shown(alt)} is not an alternative of option '{base}'; alternatives are "
                f"{list(option.alternatives)}"
            )
        return np.asarray(self.states[:, k] == option.alternatives.index(alt))

    def parse(self, text: Any, key: str) -> Statement:
        try:
            statement = parse_statement(text)
            statement.evaluate(self)
        except GameTheoryError as exc:
            raise ScenarioError(exc.message, key=key) from None
        return statement

    def condition(self, text: Any, key: str) -> BoolArray:
        if (
            isinstance(text, str)
            and _PATTERN.match(text.strip())
            and all(o.yes_no for o in self.options)
        ):
            pattern = text.strip()
            if len(pattern) != len(self.options):
                raise ScenarioError(
                    f"pattern {_shown(pattern)} has {len(pattern)} characters; expected one Y, N "
                    f"or - per option ({len(self.options)})",
                    key=key,
                )
            mask = np.ones(len(self.states), dtype=bool)
            for k, char in enumerate(pattern):
                if char != "-":
                    mask &= self.states[:, k] == (1 if char == "Y" else 0)
            return mask
        return self.parse(text, key).evaluate(self)

    def scores(self, texts: Sequence[str], key: str) -> IntArray:
        if len(texts) == 0:
            raise ScenarioError("expected at least one prioritisation statement", key=key)
        if len(texts) > MAX_STATEMENTS:
            raise ScenarioError(
                f"{len(texts)} statements; the limit is {MAX_STATEMENTS} (scores are exact "
                "powers of two)",
                key=key,
            )
        score = np.zeros(len(self.states), dtype=np.int64)
        count = len(texts)
        for k, text in enumerate(texts):
            truth = self.parse(text, f"{key}[{k}]").evaluate(self)
            score += truth.astype(np.int64) << (count - 1 - k)
        return score


def _dense(values: NDArray[Any]) -> IntArray:
    """Dense ranks: 0 for the smallest value, ties equal."""
    _, inverse = np.unique(np.asarray(values), return_inverse=True)
    return inverse.astype(np.int64).reshape(-1)


def _values(data: ArrayLike, n_states: int, key: str) -> NDArray[np.float64]:
    try:
        values = np.asarray(data, dtype=float)
    except (TypeError, ValueError):
        raise ScenarioError("expected one number per state", key=key) from None
    if values.shape != (n_states,) or not np.all(np.isfinite(values)):
        raise ScenarioError(
            f"expected {n_states} finite numbers (one per feasible state), got shape "
            f"{values.shape}",
            key=key,
        )
    return values


def _labels(options: Sequence[Option], states: IntArray) -> tuple[str, ...]:
    if all(o.yes_no for o in options):
        letters = np.array(YES_NO)
        return tuple("".join(letters[row]) for row in states)
    return tuple(
        ",".join(f"{o.name}={o.alternatives[a]}" for o, a in zip(options, row, strict=True))
        for row in states
    )


def _state_ref(
    ref: Any, labels: Sequence[str], options: Sequence[Option], states: IntArray, key: str
) -> int:
    if isinstance(ref, bool) or not isinstance(ref, int | str | np.integer):
        raise ScenarioError(
            f"a state is a 1-based number or a Y/N pattern, got {_shown(ref)}", key=key
        )
    if isinstance(ref, int | np.integer):
        if not 1 <= int(ref) <= len(labels):
            raise ScenarioError(
                f"state number {ref} is out of range; the feasible states are numbered 1 to "
                f"{len(labels)}",
                key=key,
            )
        return int(ref) - 1
    if ref in labels:
        return list(labels).index(ref)
    raise ScenarioError(
        f"{_shown(ref)} is not a feasible state; states are written as "
        + ("one Y or N per option" if all(o.yes_no for o in options) else "their number"),
        key=key,
    )


def _ranking(
    data: Sequence[Any],
    labels: Sequence[str],
    options: Sequence[Option],
    states: IntArray,
    key: str,
) -> IntArray:
    if isinstance(data, str) or not isinstance(data, Sequence):
        raise ScenarioError("expected a list of states, most preferred first", key=key)
    level = np.full(len(states), -1, dtype=np.int64)
    n_levels = len(data)
    for k, entry in enumerate(data):
        group = entry if isinstance(entry, list | tuple) else [entry]
        for ref in group:
            s = _state_ref(ref, labels, options, states, f"{key}[{k}]")
            if level[s] >= 0:
                raise ScenarioError(f"state {labels[s]} is ranked twice", key=key)
            level[s] = n_levels - 1 - k
    missing = np.flatnonzero(level < 0)
    if len(missing):
        raise ScenarioError(
            f"the ranking leaves out {len(missing)} feasible state(s), e.g. "
            f"{', '.join(labels[s] for s in missing[:5])}; rank every feasible state",
            key=key,
        )
    return _dense(level)


def _check_irreversible(
    irreversible: Mapping[str, str] | Sequence[Irreversible], options: tuple[Option, ...]
) -> tuple[Irreversible, ...]:
    if isinstance(irreversible, Mapping):
        items = []
        for ref, direction in irreversible.items():
            base, _, alt = ref.partition(".")
            match = [o for o in options if o.name == base]
            key = f"irreversible.{ref}"
            if not match:
                raise ScenarioError(f"unknown option {_shown(base)}", key=key)
            option = match[0]
            if not alt:
                if not option.yes_no:
                    raise ScenarioError(
                        f"option '{base}' is not yes/no; write '{base}.ALTERNATIVE'", key=key
                    )
                alt = "Y"
            items.append(Irreversible(base, alt, direction))
    else:
        items = list(irreversible)
    for item in items:
        key = f"irreversible.{item.option}"
        if item.direction not in ("take", "drop"):
            raise ScenarioError(
                f"direction must be 'take' (can be taken, never left) or 'drop' (can be "
                f"left, never taken), got {_shown(item.direction)}",
                key=key,
            )
        found = next((o for o in options if o.name == item.option), None)
        if found is None or item.alternative not in found.alternatives:
            raise ScenarioError(
                f"unknown option or alternative '{item.option}.{item.alternative}'", key=key
            )
    return tuple(items)


def _moves(model: GraphModel, d: int) -> tuple[IntArray, IntArray]:
    dm = model.decision_makers[d]
    own = np.array([o.dm == dm for o in model.options])
    radix = model.radix()
    other = model.states[:, ~own] @ radix[~own]
    order = np.argsort(other, kind="stable")
    sorted_other = other[order]
    starts = np.flatnonzero(np.r_[True, sorted_other[1:] != sorted_other[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    total = int(np.sum(sizes.astype(np.int64) ** 2))
    if total > MAX_MOVES:
        raise ScenarioError(
            f"decision maker '{dm}' would have about {total:,} moves; the limit is "
            f"{MAX_MOVES:,}. Use fewer options or more infeasibility conditions",
            key="options",
        )
    group_of = np.repeat(np.arange(len(starts)), sizes)  # per sorted position
    src_pos = np.repeat(np.arange(len(order)), sizes[group_of])
    first = np.repeat(starts[group_of], sizes[group_of])
    offset = np.arange(len(src_pos)) - np.repeat(
        np.cumsum(np.r_[0, sizes[group_of][:-1]]), sizes[group_of]
    )
    src = order[src_pos]
    dst = order[first + offset]
    keep = src != dst
    states = model.states
    for item in model.irreversible:
        k = next(i for i, o in enumerate(model.options) if o.name == item.option)
        if model.options[k].dm != dm:
            continue
        a = model.options[k].alternatives.index(item.alternative)
        if item.direction == "take":
            keep &= ~((states[src, k] == a) & (states[dst, k] != a))
        else:
            keep &= ~((states[src, k] != a) & (states[dst, k] == a))
    src, dst = src[keep], dst[keep]
    order2 = np.lexsort((dst, src))
    return _freeze(src[order2]), _freeze(dst[order2])
