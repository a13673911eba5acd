"""Parameterised negotiation scenarios that compile to games.

A :class:`Scenario` holds declared parameters, players, and payoffs written as expressions of the
parameters (see :mod:`gametheory.model.expr`). Payoffs come in one of two forms:

``matrix``
    Each player has a list of actions and a nested list of payoff entries (numbers or expression
    strings), rows for the first player's actions, columns for the second's, deeper nesting for
    more players; i.e. ``payoffs[p]`` has the shape of the game (see :mod:`gametheory.model.game`).

``chips``
    Each **chip** is an option a player controls (``ai_chips`` with options ``maintain`` and
    ``relax``). A player's strategies are all combinations of the chips it holds, labelled by
    joining option names with ``+`` in the order the chips are declared (``maintain+extend``).
    Each player's payoff is a single expression over parameters and the 0/1 indicators
    ``chip.option``.

The model reads no files and knows no solvers: :mod:`gametheory.io` builds scenarios from TOML,
and :func:`gametheory.solve` solves the games they compile to. Scenarios are immutable; the
parameter values used are given at compile time (``scenario.game(tariff=0.8)``).

Timing is ``"simultaneous"`` (every chip chosen at once) or, for the chip form,
``"sequential"``: ``stages`` lists the chips chosen at each stage, and each stage's choices are
seen by everyone before the next stage. A sequential scenario still compiles to a normal-form
game (:meth:`Scenario.game`), whose strategies are conditional plans; its subgame-perfect
equilibria are found by :func:`gametheory.analysis.negotiation.sequential.spe`.
"""

from __future__ import annotations

import difflib
import itertools
import keyword
import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..errors import GameTheoryError, ScenarioError, SequentialError
from ._display import scenario_html
from ._hooks import provider
from .distributions import Distribution
from .expr import Expression, parse
from .game import Game
from .stages import MAX_PLANS, normal_form

__all__ = ["TIMINGS", "Chip", "Parameter", "Scenario"]

TIMINGS = ("simultaneous", "sequential")

#: Largest game a scenario may compile to, in payoff entries (players x pure profiles).
MAX_PAYOFF_ENTRIES = 10_000_000
#: Most players: a game's payoffs have one array axis per player plus one, batches and solvers
#: add more, and numpy arrays have at most 64 axes (63 players already failed inside solve()).
MAX_PLAYERS = 32
#: Most strategies of one player (2^20: twenty two-option chips); every strategy has a label.
MAX_STRATEGIES = 2**20
#: Most characters in all the strategy labels of a chip-form scenario (chip options joined with
#: '+'): long option names times a million strategies would otherwise take gigabytes.
MAX_LABEL_CHARS = 100_000_000
#: Most array elements the chip-form payoff expressions may compute for one parameter point
#: (a second or two; see :meth:`Expression.work`): a short expression over many chips is refused
#: when the scenario is built instead of running for minutes in ``game()``.
MAX_EVALUATION_WORK = 500_000_000
#: Most pure profiles (plans of every player multiplied) of a sequential scenario's normal form:
#: each takes 15-60 microseconds to label and play out, so this is a second or two.
MAX_NORMAL_FORM_PROFILES = 50_000


def _check_size(players: Sequence[str], shape: Sequence[int], key: str) -> None:
    """Refuse a game too large to hold, before any payoff is evaluated."""
    _check_players(players)
    entries = len(players) * math.prod(shape)
    if entries > MAX_PAYOFF_ENTRIES:
        sizes = " x ".join(_size(n) for n in shape)
        raise ScenarioError(
            f"the game would be {sizes} ({_size(entries)} payoff entries with {len(players)} "
            f"players); the limit is {MAX_PAYOFF_ENTRIES:,}. Use fewer chips or actions",
            key=key,
        )
    for player, count in zip(players, shape, strict=True):
        if count > MAX_STRATEGIES:
            raise ScenarioError(
                f"player '{player}' would have {_size(count)} strategies; the limit is "
                f"{MAX_STRATEGIES:,} per player. Use fewer chips or actions",
                key=key,
            )


def _check_players(players: Sequence[str]) -> None:
    if len(players) > MAX_PLAYERS:
        raise ScenarioError(
            f"{len(players):,} players; the limit is {MAX_PLAYERS} (one array axis each)",
            key="players",
        )


def _size(count: int) -> str:
    """A count for a message: exact up to 15 digits, else its order of magnitude.

    Chip combinations multiply, so a count can have more digits than ``str()`` will convert.
    """
    if count.bit_length() <= 49:
        return f"{count:,}"
    return f"about 10^{int((count.bit_length() - 1) * math.log10(2)):,}"


def _check_identifier(name: str, what: str, key: str) -> None:
    normal = unicodedata.normalize("NFKC", name)
    if normal != name:
        # Python's parser reads identifiers in NFKC form, so an expression that says 'ｘ'
        # would look up 'x': refuse the look-alike rather than guess.
        raise ScenarioError(
            f"{what} name {name!r} changes under Unicode normalisation (NFKC) to {normal!r}, "
            f"which is what expressions would read; write {normal!r}",
            key=key,
        )
    if not name.isidentifier() or keyword.iskeyword(name):
        raise ScenarioError(
            f"{what} name '{name}' must be a plain identifier (letters, digits, underscores, "
            "not starting with a digit, not a Python keyword) so expressions can refer to it",
            key=key,
        )


@dataclass(frozen=True)
class Parameter:
    """A declared scenario parameter.

    Parameters
    ----------
    name
        Identifier used in expressions.
    value
        Baseline value.
    min, max
        Declared range (inclusive); overrides outside it are rejected. ``None`` means unbounded.
    unit, description, source
        Documentation shown in tables and reports.
    distribution
        The belief about its value (see :mod:`gametheory.model.distributions`), bound to the
        range on construction: omitted ``min``/``max`` become the parameter's, an omitted
        ``likely``/``mu``/``median`` its baseline value. ``None``: see :attr:`belief`.
    """

    name: str
    value: float
    min: float | None = None
    max: float | None = None
    unit: str = ""
    description: str = ""
    source: str = ""
    distribution: Distribution | None = None

    def __post_init__(self) -> None:
        key = f"parameters.{self.name}"
        _check_identifier(self.name, "parameter", key)
        for attr in ("value", "min", "max"):
            number = getattr(self, attr)
            if number is None and attr != "value":
                continue
            if isinstance(number, bool) or not isinstance(number, int | float):
                raise ScenarioError(f"'{attr}' must be a number, got {number!r}", key=key)
            if not math.isfinite(number):
                raise ScenarioError(f"'{attr}' must be a finite number, got {number}", key=key)
            object.__setattr__(self, attr, float(number))
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ScenarioError(f"min ({self.min}) is greater than max ({self.max})", key=key)
        self.check(self.value, key=f"{key}.value")
        self._bind_distribution(key)

    def _bind_distribution(self, key: str) -> None:
        belief = self.distribution
        if belief is None:
            return
        where = f"{key}.distribution"
        try:
            if isinstance(belief, str | Mapping):
                belief = Distribution.from_dict(belief)
            elif not isinstance(belief, Distribution):
                raise ScenarioError(
                    'expected a kind name such as "uniform", a table such as '
                    f'{{ kind = "pert", likely = 1.5 }} or a Distribution, got {belief!r}'
                )
            belief = belief.bind(self.min, self.max, self.value)
        except GameTheoryError as exc:
            sub = f"{where}.{exc.key}" if exc.key else where
            raise ScenarioError(exc.message, key=sub) from None
        object.__setattr__(self, "distribution", belief)

    @property
    def belief(self) -> Distribution:
        """The belief about this parameter: the declared distribution, else uniform on the range.

        Raises
        ------
        ScenarioError
            If no distribution is declared and the range is unbounded on either side.
        """
        if self.distribution is not None:
            return self.distribution
        if self.min is None or self.max is None:
            raise ScenarioError(
                f"parameter '{self.name}' has no distribution and an unbounded range, so there "
                "is no default belief; give it min and max (uniform over them) or a distribution",
                key=f"parameters.{self.name}",
            )
        return Distribution("uniform", min=self.min, max=self.max)

    def check(self, value: float, *, key: str | None = None) -> float:
        """Return ``value`` as a float if it is finite and inside the declared range."""
        if not math.isfinite(value):
            raise ScenarioError(
                f"parameter '{self.name}' must be a finite number, got {value}", key=key
            )
        low = -math.inf if self.min is None else self.min
        high = math.inf if self.max is None else self.max
        if not low <= value <= high:
            raise ScenarioError(
                f"parameter '{self.name}' = {value:g} is outside its declared range "
                f"[{self.min if self.min is not None else '-inf'}, "
                f"{self.max if self.max is not None else 'inf'}]",
                key=key,
            )
        return float(value)


@dataclass(frozen=True)
class Chip:
    """An option one player controls, with its alternatives.

    Parameters
    ----------
    name
        Identifier used in expressions (``ai_chips``).
    player
        The player who controls it.
    options
        Its alternatives (``("maintain", "relax")``); indicators ``name.option`` are 1 when the
        option is chosen.
    description
        Documentation.
    """

    name: str
    player: str
    options: tuple[str, ...]
    description: str = ""

    def __post_init__(self) -> None:
        key = f"chips.{self.name}"
        _check_identifier(self.name, "chip", key)
        options = tuple(self.options)
        if len(options) < 2:
            raise ScenarioError(
                f"a chip needs at least two options, got {list(options)}", key=f"{key}.options"
            )
        for option in options:
            _check_identifier(option, "chip option", f"{key}.options")
        if len(set(options)) != len(options):
            raise ScenarioError(
                f"options must be unique, got {list(options)}", key=f"{key}.options"
            )
        object.__setattr__(self, "options", options)


#: A player's payoffs: one chip-form expression, a matrix of expressions, or a matrix of numbers
#: (the fast path for games read from data, which need no expression at all).
PayoffEntry = Expression | NDArray[np.object_] | NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class Scenario:
    """A parameterised game model.

    Build one with :func:`gametheory.load` from a TOML file, with :meth:`from_matrices`, with
    :meth:`from_chips` or with :meth:`from_game`.

    Parameters
    ----------
    title
        Human-readable title.
    players
        Player names in order.
    actions
        Each player's strategy labels (for the chip form, derived from the chips).
    payoffs
        For the matrix form, per player an object array (the game's shape) of
        :class:`~gametheory.model.expr.Expression`; for the chip form, per player one expression.
    parameters
        Declared parameters by name.
    chips
        The chips (chip form only).
    form
        ``"matrix"`` or ``"chips"``.
    timing
        ``"simultaneous"`` or ``"sequential"`` (chip form only).
    stages
        For sequential timing, the chip names chosen at each stage, in order.
    description, sources, notes, path
        Documentation and the file it came from (for error messages).
    correlations
        Rank (Spearman) correlations between the beliefs of pairs of parameters, as
        ``(name, name, rho)`` triples or a mapping ``{(name, name): rho}``; drawn through a
        Gaussian copula by :func:`gametheory.uncertainty`. Each pair at most once, ``rho``
        strictly between -1 and 1, and together a valid (positive definite) correlation matrix.
    """

    title: str
    players: tuple[str, ...]
    actions: tuple[tuple[str, ...], ...]
    payoffs: Mapping[str, PayoffEntry]
    parameters: Mapping[str, Parameter] = field(default_factory=dict)
    chips: tuple[Chip, ...] = ()
    form: str = "matrix"
    timing: str = "simultaneous"
    stages: tuple[tuple[str, ...], ...] = ()
    description: str = ""
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    path: str | None = None
    correlations: tuple[tuple[str, str, float], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))
        object.__setattr__(self, "payoffs", MappingProxyType(dict(self.payoffs)))
        if self.timing not in TIMINGS:
            raise ScenarioError(
                f"timing '{self.timing}' is not supported; expected one of {list(TIMINGS)}",
                key="timing",
            )
        self._check_stages()
        if not self.players:
            raise ScenarioError("a scenario needs at least one player", key="players")
        _check_players(self.players)
        missing = [p for p in self.players if p not in self.payoffs]
        if missing:
            raise ScenarioError(f"no payoff given for player '{missing[0]}'", key="payoffs")
        extra = [p for p in self.payoffs if p not in self.players]
        if extra:
            raise ScenarioError(
                f"payoff given for unknown player '{extra[0]}'; players are "
                f"{', '.join(self.players)}",
                key=f"payoffs.{extra[0]}",
            )
        known = set(self.parameters) | {f"{c.name}.{o}" for c in self.chips for o in c.options}
        for player, entry in self.payoffs.items():
            if not isinstance(entry, Expression) and entry.dtype != object:
                continue  # plain numbers refer to no name
            expressions: list[Expression] = (
                [entry] if isinstance(entry, Expression) else list(entry.flat)  # type: ignore[arg-type]
            )
            for expression in expressions:
                try:
                    expression.check_names(known)
                except GameTheoryError as exc:
                    raise exc.located(key=f"payoffs.{player}") from None
        self._check_work()
        self._check_correlations()

    def _check_correlations(self) -> None:
        """Normalise :attr:`correlations` to sorted triples and check them (see the class)."""
        raw: Any = self.correlations
        items: list[Any] = (
            [(*pair, rho) for pair, rho in raw.items()] if isinstance(raw, Mapping) else list(raw)
        )
        triples: dict[tuple[str, str], float] = {}
        for item in items:
            try:
                first, second, rho = item
            except (TypeError, ValueError):
                raise ScenarioError(
                    f"a correlation is a pair of parameter names and a number, got {item!r}",
                    key="correlations",
                ) from None
            key = f"correlations.{first}.{second}"
            for name in (first, second):
                if name not in self.parameters:
                    raise ScenarioError(
                        f"unknown parameter '{name}' (declared parameters: "
                        f"{', '.join(self.parameters) or 'none'})",
                        key=key,
                    )
            if first == second:
                raise ScenarioError("a parameter cannot be correlated with itself", key=key)
            if isinstance(rho, bool) or not isinstance(rho, int | float) or not -1 < rho < 1:
                raise ScenarioError(
                    f"a rank correlation is a number strictly between -1 and 1, got {rho!r}",
                    key=key,
                )
            pair = (min(first, second), max(first, second))
            if pair in triples:
                raise ScenarioError(
                    f"the correlation of '{pair[0]}' and '{pair[1]}' is given twice", key=key
                )
            triples[pair] = float(rho)
        normalised = tuple((a, b, rho) for (a, b), rho in sorted(triples.items()))
        object.__setattr__(self, "correlations", normalised)
        if normalised and copula_matrix(normalised)[1] is None:
            raise ScenarioError(
                "these rank correlations cannot hold together (their normal-scale correlation "
                "matrix is not positive definite); weaken some of them",
                key="correlations",
            )

    def _check_work(self) -> None:
        """Refuse chip-form payoffs whose evaluation would exceed :data:`MAX_EVALUATION_WORK`."""
        if self.form != "chips":
            return
        depth = len(self.players)
        shapes = {name: (1,) * (depth + 1) for name in self.parameters}
        for p, player in enumerate(self.players):
            held = [c for c in self.chips if c.player == player]
            shape = [1] * (depth + 1)
            shape[1 + p] = math.prod(len(c.options) for c in held)
            shapes.update({f"{c.name}.{o}": tuple(shape) for c in held for o in c.options})
        work = {
            player: entry.work(shapes)
            for player, entry in self.payoffs.items()
            if isinstance(entry, Expression)
        }
        total = sum(work.values())
        if total > MAX_EVALUATION_WORK:
            worst = max(work, key=lambda player: work[player])
            raise ScenarioError(
                f"computing the payoffs would take about {total:,} array operations for one "
                f"parameter point ({work[worst]:,} for '{worst}'), more than the limit of "
                f"{MAX_EVALUATION_WORK:,}; use fewer chips or shorter payoff expressions",
                key=f"payoffs.{worst}",
            )

    def _check_stages(self) -> None:
        stages = tuple(tuple(stage) for stage in self.stages)
        object.__setattr__(self, "stages", stages)
        if self.timing == "simultaneous":
            if stages:
                raise ScenarioError(
                    "stages are only used with timing 'sequential'", key="timing.stages"
                )
            return
        if self.form != "chips":
            raise ScenarioError(
                "sequential timing needs the chip form (stages list chips)", key="timing"
            )
        listed = [c for stage in stages for c in stage]
        names = [c.name for c in self.chips]
        unknown = [c for c in listed if c not in names]
        if unknown:
            raise ScenarioError(
                f"stage lists unknown chip '{unknown[0]}'; chips are {', '.join(names)}",
                key="timing.stages",
            )
        twice = {c for c in listed if listed.count(c) > 1}
        if twice:
            raise ScenarioError(
                f"chip '{sorted(twice)[0]}' is in more than one stage", key="timing.stages"
            )
        missing = [c for c in names if c not in listed]
        if missing:
            raise ScenarioError(f"chip '{missing[0]}' is in no stage", key="timing.stages")
        if any(not stage for stage in stages) or len(stages) < 2:
            raise ScenarioError(
                "sequential timing needs at least two non-empty stages", key="timing.stages"
            )

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_matrices(
        cls,
        players: Mapping[str, Sequence[str]],
        payoffs: Mapping[str, Any],
        parameters: Sequence[Parameter] = (),
        **meta: Any,
    ) -> Scenario:
        """Build a matrix-form scenario.

        Parameters
        ----------
        players
            ``{player: [action, ...]}`` in order.
        payoffs
            ``{player: nested list}`` of numbers or expression strings, shaped like the game.
        parameters
            Declared parameters.
        **meta
            ``title``, ``description``, ``sources``, ``notes``, ``timing``, ``path``.
        """
        names = tuple(players)
        actions = tuple(tuple(players[p]) for p in names)
        for p, acts in zip(names, actions, strict=True):
            if not acts:
                raise ScenarioError(
                    f"player '{p}' has an empty action list; at least one action is required",
                    key=f"players.{p}.actions",
                )
            if len(set(acts)) != len(acts):
                raise ScenarioError(
                    f"player '{p}' lists an action twice: {list(acts)}", key=f"players.{p}.actions"
                )
        shape = tuple(len(a) for a in actions)
        _check_size(names, shape, "players")
        compiled: dict[str, PayoffEntry] = {}
        for p in names:
            if p not in payoffs:
                raise ScenarioError(f"no payoff given for player '{p}'", key="payoffs")
            compiled[p] = _parse_matrix(payoffs[p], shape, names, actions, f"payoffs.{p}")
        for p in payoffs:
            if p not in players:
                raise ScenarioError(
                    f"payoff given for unknown player '{p}'; players are {', '.join(names)}",
                    key=f"payoffs.{p}",
                )
        return cls(
            title=meta.pop("title", ""),
            players=names,
            actions=actions,
            payoffs=compiled,
            parameters={prm.name: prm for prm in parameters},
            form="matrix",
            **meta,
        )

    @classmethod
    def from_chips(
        cls,
        players: Sequence[str],
        chips: Sequence[Chip],
        payoffs: Mapping[str, str | float],
        parameters: Sequence[Parameter] = (),
        **meta: Any,
    ) -> Scenario:
        """Build a chip-form scenario (see the module docstring)."""
        names = tuple(players)
        _check_players(names)
        known = set(names)
        for chip in chips:
            if chip.player not in known:
                raise ScenarioError(
                    f"chip '{chip.name}' belongs to unknown player '{chip.player}'; players are "
                    f"{', '.join(names)}",
                    key=f"chips.{chip.name}.player",
                )
        param_names = {prm.name for prm in parameters}
        for chip in chips:
            if chip.name in param_names:
                raise ScenarioError(
                    f"'{chip.name}' is both a chip and a parameter; names must differ",
                    key=f"chips.{chip.name}",
                )
        _check_size(
            names,
            [math.prod(len(c.options) for c in chips if c.player == p) for p in names],
            "chips",
        )
        chars = 0
        for p in names:
            held = [c for c in chips if c.player == p]
            count = math.prod(len(c.options) for c in held)
            # Each strategy's label joins one option of every chip held with '+'.
            chars += count * (len(held) - 1) + sum(
                sum(map(len, c.options)) * (count // len(c.options)) for c in held
            )
        if chars > MAX_LABEL_CHARS:
            raise ScenarioError(
                f"the strategy labels (each player's chip options joined with '+') would take "
                f"{chars:,} characters; the limit is {MAX_LABEL_CHARS:,}. Use shorter option "
                "names or fewer chips",
                key="chips",
            )
        actions = []
        for p in names:
            held = [c for c in chips if c.player == p]
            if not held:
                raise ScenarioError(
                    f"player '{p}' controls no chip, so it would have an empty action list",
                    key=f"players.{p}",
                )
            actions.append(
                tuple("+".join(combo) for combo in itertools.product(*(c.options for c in held)))
            )
        compiled: dict[str, PayoffEntry] = {}
        for p, text in payoffs.items():
            try:
                compiled[p] = parse(text)
            except GameTheoryError as exc:
                raise exc.located(key=f"payoffs.{p}") from None
        return cls(
            title=meta.pop("title", ""),
            players=names,
            actions=tuple(actions),
            payoffs=compiled,
            parameters={prm.name: prm for prm in parameters},
            chips=tuple(chips),
            form="chips",
            **meta,
        )

    @classmethod
    def from_game(cls, game: Game, **meta: Any) -> Scenario:
        """Wrap a fixed game as a scenario without parameters."""
        payoffs = {p: game.payoffs[i] for i, p in enumerate(game.players)}
        meta.setdefault("title", game.title)
        return cls.from_matrices(
            dict(zip(game.players, game.actions, strict=True)), payoffs, **meta
        )

    # ------------------------------------------------------------------ parameters
    @property
    def baseline(self) -> dict[str, float]:
        """The declared value of every parameter."""
        return {name: prm.value for name, prm in self.parameters.items()}

    def resolve(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Baseline values with ``overrides`` applied, each checked against its range."""
        return resolve_parameters(self.parameters, overrides, self.path)

    # ------------------------------------------------------------------ compile
    def game(self, params: Mapping[str, float] | None = None, **overrides: float) -> Game:
        """Compile the scenario at one parameter point.

        Parameters
        ----------
        params
            Parameter overrides as a mapping (useful for names that are not identifiers).
        **overrides
            Parameter overrides by keyword, e.g. ``tariff=0.8``.

        Returns
        -------
        Game
            The labelled game at that point. For sequential timing, its normal form, whose
            strategies are conditional plans (see :mod:`gametheory.model.stages`).
        """
        values = self.resolve({**(params or {}), **overrides})
        if self.timing == "sequential":
            try:
                self._check_plans()
            except GameTheoryError as exc:
                raise exc.located(file=self.path, key="timing.stages") from None
            return normal_form(self, values)
        batch = {name: np.array([v]) for name, v in values.items()}
        payoffs = self.payoff_tensor(batch)[0]
        try:
            return Game(self.players, self.actions, payoffs, self.title)
        except GameTheoryError as exc:
            raise exc.located(file=self.path) from None

    def _check_plans(self) -> None:
        """Refuse a normal form too large to list, before any history or plan is listed.

        At most MAX_PLANS plans per player and MAX_NORMAL_FORM_PROFILES profiles in all, counted
        from the stages alone, in logarithms: a plan chooses an option combination for every
        history of the earlier stages, so the count can have thousands of digits, and listing
        the histories first (as the normal form does) could itself take gigabytes.
        """
        options = {c.name: len(c.options) for c in self.chips}
        owner = {c.name: c.player for c in self.chips}
        log_profiles = 0.0
        for player in self.players:
            log_plans = 0.0
            histories = 1  # at most the number of profiles, which _check_size bounds
            for stage in self.stages:
                mine = math.prod(options[c] for c in stage if owner[c] == player)
                log_plans += histories * math.log10(mine)
                histories *= math.prod(options[c] for c in stage)
            if log_plans > math.log10(MAX_PLANS) + 1e-9:
                raise SequentialError(
                    f"player '{player}' would have {_count(log_plans)} conditional plans (limit "
                    f"{MAX_PLANS:,}); use spe() on the game tree instead"
                )
            log_profiles += log_plans
        if log_profiles > math.log10(MAX_NORMAL_FORM_PROFILES) + 1e-9:
            raise SequentialError(
                f"the normal form would have {_count(log_profiles)} pure profiles (every "
                f"player's conditional plans multiplied), more than the limit of "
                f"{MAX_NORMAL_FORM_PROFILES:,}; use spe() on the game tree instead"
            )

    def payoff_tensor(
        self, values: Mapping[str, NDArray[np.float64]], *, check: bool = True
    ) -> NDArray[np.float64]:
        """Payoffs for a batch of parameter points, vectorised.

        Parameters
        ----------
        values
            Every parameter's values as a 1-D array of length ``P`` (one per point).
        check
            If False, points where a payoff is not finite get NaN/inf instead of an error.

        Returns
        -------
        numpy.ndarray
            Shape ``(P, N, n_1, ..., n_N)``: one payoff array per point.
        """
        size = max((len(v) for v in values.values()), default=1)
        shape = tuple(len(a) for a in self.actions)
        depth = len(shape)
        env: dict[str, Any] = {
            name: np.asarray(v, dtype=np.float64).reshape((-1,) + (1,) * depth)
            for name, v in values.items()
        }
        used = {n for e in self.payoffs.values() if isinstance(e, Expression) for n in e.names}
        env.update(self._indicators(depth, used))
        out = np.empty((size, len(self.players), *shape))
        for p, player in enumerate(self.players):
            entry = self.payoffs[player]
            try:
                if isinstance(entry, Expression):
                    out[:, p] = np.broadcast_to(entry.evaluate(env, check=check), (size, *shape))
                elif entry.dtype != object:
                    out[:, p] = entry  # numbers: the same at every point
                else:
                    out[:, p] = _evaluate_matrix(
                        entry,  # type: ignore[arg-type]
                        env,
                        size,
                        f"payoffs.{player}",
                        check,
                    )
            except GameTheoryError as exc:
                raise exc.located(file=self.path, key=f"payoffs.{player}") from None
        return out

    def _indicators(
        self, depth: int, used: set[str] | None = None
    ) -> dict[str, NDArray[np.float64]]:
        """0/1 arrays ``chip.option`` broadcastable over ``(P, n_1, ..., n_N)``.

        Only the indicators in ``used`` (all if None) are built: each is a float per strategy,
        and a player with a million strategies and forty chip options would need 320 MB.
        """
        indicators: dict[str, NDArray[np.float64]] = {}
        for p, player in enumerate(self.players):
            held = [c for c in self.chips if c.player == player]
            total = math.prod(len(c.options) for c in held)
            shape = [1] * (depth + 1)
            shape[1 + p] = total
            # Strategies are the option combinations in itertools.product order (the last chip
            # changes fastest), so chip k's option in strategy s is (s // stride) % n_k: computed
            # for all strategies at once, never listing the combinations.
            stride = total
            for chip in held:
                stride //= len(chip.options)
                chosen = (np.arange(total) // stride) % len(chip.options)
                for j, option in enumerate(chip.options):
                    if used is not None and f"{chip.name}.{option}" not in used:
                        continue
                    vec = (chosen == j).astype(np.float64)
                    indicators[f"{chip.name}.{option}"] = vec.reshape(shape)
        return indicators

    def sweep(self, **kwargs: Any) -> Any:
        """Solve this scenario over a grid or a sample: see :func:`gametheory.sweeps.sweep`.

        The model does not depend on the sweep machinery: :mod:`gametheory.sweeps` registers
        itself as the provider when imported (``import gametheory`` does).
        """
        return provider("sweep")(self, **kwargs)

    def uncertainty(self, n: int = 10_000, **kwargs: Any) -> Any:
        """Probabilities of the outcomes under the declared beliefs about the parameters.

        See :func:`gametheory.analysis.uncertainty.uncertainty` (registered as the provider by
        :mod:`gametheory.analysis.uncertainty`, which ``import gametheory`` imports).
        """
        return provider("uncertainty")(self, n, **kwargs)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle support (read-only mappings are not picklable): rebuild from plain dicts."""
        fields = {name: getattr(self, name) for name in self.__dataclass_fields__}
        fields["parameters"] = dict(self.parameters)
        fields["payoffs"] = dict(self.payoffs)
        return (_rebuild_scenario, (fields,))

    def __repr__(self) -> str:
        shape = "x".join(str(len(a)) for a in self.actions)
        return (
            f"<Scenario {self.title!r}: {shape} {self.form} form, "
            f"{len(self.parameters)} parameters>"
        )

    def _repr_html_(self) -> str:
        return scenario_html(self)


def copula_matrix(
    correlations: Sequence[tuple[str, str, float]], names: Sequence[str] | None = None
) -> tuple[tuple[str, ...], NDArray[np.float64] | None]:
    """The Gaussian copula's Cholesky factor for rank correlations among ``names``.

    A Gaussian copula whose normal variables have correlation ``r = 2 sin(pi rho / 6)`` gives
    continuous variables the Spearman rank correlation ``rho`` (Pearson 1907; Kruskal 1958,
    eq. 4.6), whatever their marginal distributions. Returns the parameters involved (those of
    ``names``, in their order, that appear in a correlation; all by default) and the lower
    Cholesky factor of their normal correlation matrix, or None if it is not positive definite.
    """
    pairs = [(a, b, rho) for a, b, rho in correlations]
    if names is None:
        names = sorted({n for a, b, _ in pairs for n in (a, b)})
    involved = tuple(n for n in names if any(n in (a, b) for a, b, _ in pairs))
    pairs = [(a, b, rho) for a, b, rho in pairs if a in involved and b in involved]
    index = {name: k for k, name in enumerate(involved)}
    matrix = np.eye(len(involved))
    for a, b, rho in pairs:
        matrix[index[a], index[b]] = matrix[index[b], index[a]] = 2 * math.sin(math.pi * rho / 6)
    try:
        factor = np.asarray(np.linalg.cholesky(matrix), dtype=np.float64)
    except np.linalg.LinAlgError:
        return involved, None
    if len(involved) and np.diag(factor).min() < 1e-6:
        return involved, None  # numerically singular: the draws would be degenerate
    return involved, factor


def _count(log10: float) -> str:
    """A count given by its decimal logarithm, for a message ("262,144" or "about 10^9,216")."""
    return f"{10**log10:,.0f}" if log10 < 15 else f"about 10^{log10:,.0f}"


def _rebuild_scenario(fields: dict[str, Any]) -> Scenario:
    return Scenario(**fields)


def _evaluate_matrix(
    entry: NDArray[np.object_], env: Mapping[str, Any], size: int, key: str, check: bool = True
) -> NDArray[np.float64]:
    """Evaluate a matrix of expressions entry by entry, each over all ``size`` points."""
    shape = entry.shape
    result = np.empty((size, *shape))
    # Entries written the same way share one Expression (see _fill): evaluate each once.
    done: dict[int, NDArray[np.float64]] = {}
    for index in np.ndindex(*shape):
        expression: Expression = entry[index]  # type: ignore[assignment]
        value = done.get(id(expression))
        if value is None:
            try:
                value = expression.evaluate(env, check=check)
            except GameTheoryError as exc:
                raise exc.located(key=key + "".join(f"[{i}]" for i in index)) from None
            # Parameters have shape (P, 1, ..., 1), constants (): keep the point axis only (the
            # assignment below broadcasts a single value over the points).
            value = np.reshape(value, -1)
            done[id(expression)] = value
        result[(slice(None), *index)] = value
    return result


def _parse_matrix(
    data: Any,
    shape: tuple[int, ...],
    players: tuple[str, ...],
    actions: tuple[tuple[str, ...], ...],
    key: str,
) -> NDArray[np.object_]:
    """Parse a nested list of numbers/expressions with the exact shape of the game.

    A matrix of plain finite numbers is kept as a float array (no expression per entry), so
    games read from data files of a million payoffs load in a fraction of a second.
    """
    numbers = _number_matrix(data, shape)
    if numbers is not None:
        return numbers  # type: ignore[return-value]
    out = np.empty(shape, dtype=object)
    _fill(data, out, (), shape, players, actions, key, {})
    return out


def _fill(
    data: Any,
    out: NDArray[np.object_],
    index: tuple[int, ...],
    shape: tuple[int, ...],
    players: tuple[str, ...],
    actions: tuple[tuple[str, ...], ...],
    key: str,
    parsed: dict[tuple[type, Any], Expression],
) -> None:
    depth = len(index)
    if depth == len(shape):
        # Entries written alike are parsed once and share the (immutable) Expression.
        same = (type(data), data) if isinstance(data, str | int | float) else None
        if same is not None and same in parsed:
            out[index] = parsed[same]
            return
        try:
            out[index] = expression = parse(data)
        except GameTheoryError as exc:
            raise exc.located(key=key + "".join(f"[{i}]" for i in index)) from None
        if same is not None:
            parsed[same] = expression
        return
    here = key + "".join(f"[{i}]" for i in index)
    if not isinstance(data, list | tuple):
        raise ScenarioError(
            f"expected a list of {shape[depth]} entries (one per action of "
            f"'{players[depth]}': {', '.join(actions[depth])}), got {data!r}",
            key=here,
        )
    if len(data) != shape[depth]:
        raise ScenarioError(
            f"expected {shape[depth]} entries (one per action of '{players[depth]}': "
            f"{', '.join(actions[depth])}), got {len(data)}",
            key=here,
        )
    for i, item in enumerate(data):
        _fill(item, out, (*index, i), shape, players, actions, key, parsed)


def _number_matrix(data: Any, shape: tuple[int, ...]) -> NDArray[np.float64] | None:
    """``data`` as a float array when it is a nested list of finite numbers of this shape."""
    if isinstance(data, np.ndarray):
        candidate = data
    else:
        try:
            candidate = np.array(data, dtype=object)
        except ValueError:  # ragged nesting: the slow path reports where
            return None
    if candidate.shape != shape:
        return None
    if candidate.dtype == object:
        flat = candidate.reshape(-1)
        if not all(type(v) in (int, float) for v in flat):  # no bool, no str, no nesting
            return None
        try:
            candidate = candidate.astype(np.float64)
        except OverflowError:  # an integer beyond float64: the slow path reports where
            return None
    elif candidate.dtype.kind not in "iuf":
        return None
    values = np.array(candidate, dtype=np.float64)
    if not np.isfinite(values).all():
        return None
    values.setflags(write=False)
    return values


def resolve_parameters(
    parameters: Mapping[str, Parameter],
    overrides: Mapping[str, float] | None,
    path: str | None,
) -> dict[str, float]:
    """Every parameter's declared value with ``overrides`` applied, each checked.

    An unknown name gets a "did you mean" hint (also for look-alike characters such as a
    full-width letter); a value that is not a number or is outside the declared range is refused
    naming the parameter and the file ``path``.
    """
    values = {name: prm.value for name, prm in parameters.items()}
    for name, raw in (overrides or {}).items():
        if name not in parameters:
            close = difflib.get_close_matches(name, list(parameters), n=3)
            normal = unicodedata.normalize("NFKC", name)
            if normal != name and normal in parameters:
                close = [normal]  # typed with look-alike characters (e.g. full-width)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            declared = ", ".join(parameters) or "none"
            raise ScenarioError(
                f"unknown parameter '{name}'{hint} (declared parameters: {declared})", file=path
            )
        try:
            number = float(raw)
        except (TypeError, ValueError):
            raise ScenarioError(
                f"parameter '{name}' must be a number, got {raw!r}", file=path
            ) from None
        try:
            values[name] = parameters[name].check(number)
        except GameTheoryError as exc:
            raise exc.located(file=path) from None
    return values
