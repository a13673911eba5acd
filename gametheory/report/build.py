"""Reports as data: sections of paragraphs, tables and figures, built from a scenario's results.

A :class:`Report` is a plain structure that both renderers (HTML and Markdown, in
:mod:`gametheory.report.render`) read; nothing here formats a page. Sections appear only when
their data exists (bargaining for two players, subgame perfection for sequential scenarios,
sweep maps when a sweep is given).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from .._format import format_number, strategy_label
from ..errors import GameTheoryError
from ..model.game import Game
from ..model.scenario import Scenario
from .document import Figure, Report, Section, Table

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Figure", "Report", "Section", "Table", "boundary_lines", "build_report"]


def content_hash(path: str | None, scenario: Scenario) -> str:
    """SHA-256 (the full hex digest) of the scenario file's bytes, or of its compiled content."""
    if path and Path(path).exists():
        data = Path(path).read_bytes()
    else:
        from ..sweeps.run import scenario_hash

        data = scenario_hash(scenario).encode()
    return hashlib.sha256(data).hexdigest()


#: Tables longer or wider than this are folded (``<details>`` in HTML).
FOLD_ROWS = 20
FOLD_COLUMNS = 8


def _table(
    columns: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    caption: str = "",
    fold: bool | None = None,
) -> Table:
    """A table, folded when large (or when ``fold`` says so)."""
    if fold is None:
        fold = len(rows) > FOLD_ROWS or len(columns) > FOLD_COLUMNS
    return Table(columns, rows, caption, fold)


def build_report(
    scenario: Scenario,
    params: dict[str, float] | None = None,
    *,
    sweep: str | Path | pd.DataFrame | None = None,
    method: str = "auto",
    target: dict[str, str] | None = None,
) -> Report:
    """Solve a scenario and gather everything a reader needs into a :class:`Report`.

    Parameters
    ----------
    scenario
        The scenario.
    params
        Parameter overrides.
    sweep
        A sweep table (DataFrame) or its file (``.parquet``/``.csv``) for the maps section.
    method
        Solver for the equilibria.
    target
        ``{player: action}`` for the "what would it take" section; by default the pure outcome
        with the largest total payoff, when it is not already an equilibrium.
    """
    from .._version import __version__
    from ..solvers import iterated_dominance, solve

    values = scenario.resolve(params or {})
    game = scenario.game(values)
    result = solve(game, method).with_parameters(values)
    sequential = scenario.timing == "sequential"
    baseline = values == scenario.baseline
    sections = []
    if sequential:
        found = _spe(scenario, values)
        sections.append(_sequential_summary(scenario, found, baseline))
        sections.append(_scenario_section(scenario))
        sections.append(_sequential_section(scenario, values, found))
        sections.append(_parameter_section(scenario, values))
    else:
        sections.append(_summary_section(scenario, game, result, baseline))
        sections.append(_scenario_section(scenario))
        sections.append(_parameter_section(scenario, values))
    sections.append(_payoff_section(game, result, sequential))
    sections.append(_equilibria_section(game, result, baseline, sequential))
    try:
        sections.append(_dominance_section(iterated_dominance(game)))
    except GameTheoryError as exc:  # too large for the linear programs: say so, go on
        sections.append(Section("dominance", "Dominance", (f"Not computed: {exc}",)))
    if game.n_players == 2 and not sequential:
        sections.append(_bargaining_section(game, result))
    robust_methods: tuple[tuple[str, str], ...] = ()
    if not sequential:
        robust, robust_methods, headline = _robustness_section(scenario, values, result)
        if robust is not None:
            sections.append(robust)
        if headline is not None:
            summary = sections[0]
            sections[0] = replace(summary, paragraphs=(*summary.paragraphs, headline))
        sections.append(_ordinal_view(scenario, game, values))
    if sweep is not None:
        sections.append(_sweep_section(scenario, sweep, values))
    whatif = _whatif_section(scenario, game, result, values, target)
    if whatif is not None:
        sections.append(whatif)
    options = ", ".join(f"{k} = {v}" for k, v in dict(result.options).items())
    methods = (
        (
            "solver",
            result.method
            + (f" (auto: {result.details['auto']})" if "auto" in result.details else ""),
        ),
        ("options", options or "none"),
        ("tolerance", f"{result.tolerance:g} x each player's payoff range"),
        ("complete", "yes" if result.complete else "no: the list may not be every equilibrium"),
        ("warnings", "; ".join(_plain(w) for w in result.warnings) or "none"),
        *robust_methods,
        ("gametheory version", __version__),
        ("scenario content hash (SHA-256)", content_hash(scenario.path, scenario)),
        ("generated", _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
    )
    return Report(scenario.title, tuple(sections), methods)


def _plain(text: str) -> str:
    """A solver's message without pointers into its result's internals (``details[...]``)."""
    text = re.sub(r"\s*\((?:see )?details\[[^\]]*\]\)", "", text)
    return re.sub(r"details\[[^\]]*\]", "the result's details", text)


# ---------------------------------------------------------------------- plain words
def _join(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _third_person(verb: str) -> str:
    """``maintain`` -> ``maintains``, ``relax`` -> ``relaxes``, ``deny`` -> ``denies``."""
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _words(name: str) -> str:
    return name.replace("_", " ")


def _player_chips(scenario: Scenario, player: str) -> list[str]:
    return [c.name for c in scenario.chips if c.player == player]


def _chip_choices(scenario: Scenario, choices: dict[str, str], tense: str = "present") -> str:
    """``maintains ai chips and extends deadline`` (or ``would maintain ...``)."""
    verb = _third_person if tense == "present" else (lambda v: v)
    parts = [f"{verb(_words(option))} {_words(chip)}" for chip, option in choices.items()]
    text = _join(parts)
    return f"would {text}" if tense == "would" else text


def _player_choice(scenario: Scenario, game: Game, p: int, strategy: Any) -> str:
    """What one player does in an equilibrium, in words."""
    player = game.players[p]
    label = strategy_label(game.actions[p], strategy)
    pure = int(np.count_nonzero(np.asarray(strategy) > 1e-12)) == 1
    if pure and scenario.form == "chips" and scenario.timing == "simultaneous":
        chips = _player_chips(scenario, player)
        options = label.split("+")
        if len(options) == len(chips):
            return f"{player} " + _chip_choices(scenario, dict(zip(chips, options, strict=True)))
    if pure:
        return f"{player} plays {label}"
    return f"{player} mixes {label}"


def _outcome_words(scenario: Scenario, game: Game, eq: Any) -> str:
    return "; ".join(_player_choice(scenario, game, p, s) for p, s in enumerate(eq.strategies))


def _payoff_words(players: tuple[str, ...] | list[str], payoffs: Any) -> str:
    """``US gets 8.5, China 5``."""
    values = [format_number(float(v)) for v in payoffs]
    first = f"{players[0]} gets {values[0]}"
    return ", ".join([first, *(f"{p} {v}" for p, v in zip(players[1:], values[1:], strict=True))])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


# ---------------------------------------------------------------------- bottom line
def _summary_section(scenario: Scenario, game: Game, result: Any, baseline: bool) -> Section:
    """The predicted outcome in words: equilibria, uniqueness, what each side gets."""
    eqs = list(result.equilibria)
    where = "" if baseline else " at these parameter values"
    incomplete = (
        ""
        if result.complete
        else " (the solver cannot tell whether this list is complete: "
        + ("; ".join(_plain(w) for w in result.warnings) or "its method does not guarantee it")
        + ")"
    )
    paragraphs: list[str] = []
    if not eqs:
        paragraphs.append(f"No equilibrium was found{where} ({result.method}).")
    elif len(eqs) == 1:
        eq = eqs[0]
        lead = "One equilibrium" + where + (", and it is the only one" if result.complete else "")
        paragraphs.append(
            f"{lead}{incomplete}: {_outcome_words(scenario, game, eq)}. "
            f"{_payoff_words(game.players, eq.payoffs)}."
        )
        better = _pareto_better(game, eq)
        if better is not None:
            profile, payoffs = better
            words = "; ".join(
                f"{game.players[p]} {game.actions[p][a]}" for p, a in enumerate(profile)
            )
            paragraphs.append(
                f"{'Both sides' if game.n_players == 2 else 'Every side'} would do better at "
                f"({words}): "
                f"{_payoff_words(game.players, payoffs)}; but that is not an equilibrium, "
                "since some side gains by changing its own choice there."
            )
    else:
        pure = sum(eq.is_pure for eq in eqs)
        kinds = (
            "all pure"
            if pure == len(eqs)
            else f"{pure} pure, {len(eqs) - pure} mixed"
            if pure
            else "all mixed"
        )
        paragraphs.append(
            f"{len(eqs)} equilibria{where} ({kinds}){incomplete}, so the model alone does not "
            "predict one outcome."
        )
        for k, eq in enumerate(eqs[:4], start=1):
            paragraphs.append(
                f"({k}) {_outcome_words(scenario, game, eq)}. "
                f"{_payoff_words(game.players, eq.payoffs)}."
            )
        if len(eqs) > 4:
            paragraphs.append(f"... and {len(eqs) - 4} more (see Equilibria).")
        paragraphs.append(_what_differs(scenario, game, eqs))
        if any("infinitely many" in w for w in result.warnings):
            paragraphs.append(
                "Between equilibria that share a strategy lie infinitely many others "
                "(their mixtures), with payoffs in between."
            )
    return Section("summary", "Bottom line", tuple(paragraphs))


def _pareto_better(game: Game, eq: Any) -> tuple[tuple[int, ...], list[float]] | None:
    """The pure outcome every player strictly prefers to ``eq`` (largest smallest gain)."""
    base = np.asarray(eq.payoffs, dtype=float)
    gains = game.payoffs - base.reshape(-1, *([1] * game.n_players))
    smallest = gains.min(axis=0)
    scale = max(float(np.ptp(game.payoffs)), 1.0)
    if smallest.max() <= 1e-9 * scale:
        return None
    index = tuple(int(i) for i in np.unravel_index(int(np.argmax(smallest)), smallest.shape))
    return index, [float(game.payoffs[(p, *index)]) for p in range(game.n_players)]


def _what_differs(scenario: Scenario, game: Game, eqs: list[Any]) -> str:
    """Which choices (or chips) differ between equilibria, and the payoff ranges."""
    parts: list[str] = []
    for p, player in enumerate(game.players):
        labels = list(
            dict.fromkeys(strategy_label(game.actions[p], eq.strategies[p]) for eq in eqs)
        )
        if len(labels) == 1:
            continue
        chips = _player_chips(scenario, player) if scenario.form == "chips" else []
        split = [label.split("+") for label in labels]
        if chips and all(len(s) == len(chips) for s in split) and all(eq.is_pure for eq in eqs):
            for k, chip in enumerate(chips):
                options = list(dict.fromkeys(s[k] for s in split))
                if len(options) > 1:
                    parts.append(f"{player}'s {_words(chip)} ({' or '.join(options)})")
        else:
            parts.append(f"what {player} does ({' or '.join(labels)})")
    ranges = []
    for p, player in enumerate(game.players):
        values = [float(eq.payoffs[p]) for eq in eqs]
        low, high = min(values), max(values)
        ranges.append(
            f"{player} {format_number(low)}"
            if abs(high - low) < 1e-9
            else f"{player} from {format_number(low)} to {format_number(high)}"
        )
    differ = f"They differ in {_join(parts)}" if parts else "They differ only in probabilities"
    return f"{differ}; payoffs: {_join(ranges)}."


def _spe(scenario: Scenario, values: dict[str, float]) -> Any:
    from ..analysis.negotiation.sequential import spe

    return spe(scenario, values)


def _history_choices(scenario: Scenario, history: str) -> dict[str, dict[str, str]]:
    """``"ai_chips=relax"`` -> ``{"US": {"ai_chips": "relax"}}`` (by player, chip order)."""
    owner = {c.name: c.player for c in scenario.chips}
    out: dict[str, dict[str, str]] = {}
    if history == "start":
        return out
    for item in history.split(", "):
        chip, _, option = item.partition("=")
        out.setdefault(owner[chip], {})[chip] = option
    return out


def _by_player(scenario: Scenario, choices: Mapping[str, str]) -> dict[str, dict[str, str]]:
    owner = {c.name: c.player for c in scenario.chips}
    out: dict[str, dict[str, str]] = {}
    for chip, option in choices.items():
        out.setdefault(owner[chip], {})[chip] = option
    return out


def _choices_words(
    scenario: Scenario, by_player: dict[str, dict[str, str]], tense: str = "present"
) -> str:
    return "; ".join(
        f"{player} {_chip_choices(scenario, by_player[player], tense)}"
        for player in scenario.players
        if by_player.get(player)
    )


def _off_path(scenario: Scenario, eq: Any) -> list[tuple[str, dict[str, dict[str, str]]]]:
    """(history, choices by player) for every history of ``eq``'s plan off its path."""
    out = []
    for (stage, history), choice in eq.plan.items():
        if stage == 0:
            continue
        taken = _history_choices(scenario, history)
        on_path = all(
            eq.path.get(chip) == option
            for moves in taken.values()
            for chip, option in moves.items()
        )
        if not on_path:
            out.append((history, _by_player(scenario, choice)))
    return out


def _sequential_summary(scenario: Scenario, found: Any, baseline: bool) -> Section:
    """Bottom line of a sequential scenario: the subgame-perfect outcome and plans off the path."""
    eqs = list(found.equilibria)
    where = "" if baseline else " at these parameter values"
    paragraphs: list[str] = []
    if not eqs:
        paragraphs.append(f"No subgame-perfect equilibrium in pure strategies was found{where}.")
    outcomes = list(dict.fromkeys(eq.outcome(scenario) for eq in eqs))
    if len(eqs) == 1:
        lead = f"One subgame-perfect equilibrium{where} (by backward induction)"
    elif eqs:
        lead = (
            f"{len(eqs)} subgame-perfect equilibria{where} (by backward induction), with "
            f"{len(outcomes)} different outcome{'s' if len(outcomes) > 1 else ''}"
        )
    shown: set[str] = set()
    for k, eq in enumerate(eqs[:4]):
        outcome = eq.outcome(scenario)
        path = _choices_words(scenario, _by_player(scenario, eq.path))
        pay = _payoff_words(scenario.players, list(eq.payoffs.values()))
        if k == 0:
            paragraphs.append(f"{lead}: {path}. {pay}.")
        elif outcome not in shown:
            paragraphs.append(f"Another: {path}. {pay}.")
        shown.add(outcome)
        for history, choices in _off_path(scenario, eq)[:3]:
            taken = _choices_words(scenario, _history_choices(scenario, history))
            paragraphs.append(
                f"Off the path, if instead {taken}: "
                + _choices_words(scenario, choices, tense="would")
                + "."
            )
    if len(eqs) > 4:
        paragraphs.append(f"... and {len(eqs) - 4} more (see Timing and credibility).")
    if not found.complete:
        paragraphs.append(
            "The list may not be complete: " + "; ".join(_plain(w) for w in found.warnings) + "."
        )
    return Section("summary", "Bottom line", tuple(paragraphs))


# ---------------------------------------------------------------------- sections
def _scenario_section(scenario: Scenario) -> Section:
    paragraphs = [p for p in (scenario.description,) if p]
    paragraphs += [f"Source: {s}" for s in scenario.sources]
    paragraphs += [f"Note: {n}" for n in scenario.notes]
    timing = (
        "Moves are simultaneous."
        if scenario.timing == "simultaneous"
        else "Moves are sequential: "
        + " then ".join("(" + ", ".join(stage) + ")" for stage in scenario.stages)
        + "."
    )
    paragraphs.append(timing)
    return Section("scenario", "Scenario", tuple(paragraphs))


def _parameter_section(scenario: Scenario, values: dict[str, float]) -> Section:
    rows = tuple(
        (
            p.name,
            format_number(values[p.name]),
            f"{format_number(p.min) if p.min is not None else '-inf'} to "
            f"{format_number(p.max) if p.max is not None else 'inf'}",
            p.unit,
            p.description,
            p.source,
        )
        for p in scenario.parameters.values()
    )
    if not rows:
        return Section("parameters", "Parameters", ("This scenario has no parameters.",))
    table = _table(("parameter", "value", "range", "unit", "description", "source"), rows)
    return Section("parameters", "Parameters", tables=(table,))


def _payoff_section(game: Game, result: Any, sequential: bool = False) -> Section:
    from .figures import heatmap_size, plot_payoff_heatmap, report_figure, to_svg

    intro = (
        "The normal form: each side picks a whole plan in advance (what to do at each point "
        "where it moves)."
        if sequential
        else ""
    )
    if game.n_players == 2:
        columns = (f"{game.players[0]} \\ {game.players[1]}", *game.actions[1])
        rows = tuple(
            (
                a,
                *(
                    f"{format_number(float(game.payoffs[0, i, j]))}, "
                    f"{format_number(float(game.payoffs[1, i, j]))}"
                    for j in range(game.shape[1])
                ),
            )
            for i, a in enumerate(game.actions[0])
        )
        figures: tuple[Figure, ...] = ()
        if game.shape[0] * game.shape[1] <= 400 and not sequential:
            figure, axes = report_figure(*heatmap_size(*game.shape), ncols=2)
            plot_payoff_heatmap(result, ax=axes)
            figures = (
                Figure(
                    to_svg(figure),
                    "Each side's payoffs, one panel per player (greener: higher; see the colour "
                    "bars). Equilibria outlined: solid for pure ones, dashed for the cells a "
                    "mixed equilibrium plays.",
                    "payoffs",
                ),
            )
        caption = f"Cells: {game.players[0]}'s payoff, {game.players[1]}'s payoff."
        table = _table(
            columns,
            rows,
            f"Payoff table ({len(rows)} x {len(columns) - 1})" if sequential else "",
        )
        paragraphs = tuple(p for p in (intro, caption) if p)
        return Section("payoffs", "Payoff table", paragraphs, (table,), figures)
    columns = (*game.players, *(f"u({p})" for p in game.players))
    rows = tuple(
        (
            *(game.actions[p][a] for p, a in enumerate(index)),
            *(format_number(float(game.payoffs[(p, *index)])) for p in range(game.n_players)),
        )
        for index in game.pure_profiles()
    )
    paragraphs = (intro,) if intro else ()
    return Section("payoffs", "Payoff table", paragraphs, tables=(_table(columns, rows),))


def _equilibria_section(game: Game, result: Any, baseline: bool, sequential: bool) -> Section:
    rows = tuple(
        (
            str(k),
            *(strategy_label(game.actions[p], eq.strategies[p]) for p in range(game.n_players)),
            *(format_number(float(v)) for v in eq.payoffs),
        )
        for k, eq in enumerate(result.equilibria, start=1)
    )
    columns = ("#", *game.players, *(f"payoff {p}" for p in game.players))
    figures: tuple[Figure, ...] = ()
    if game.shape == (2, 2):
        from .figures import plot_best_responses, report_figure, to_svg

        figure, axes = report_figure(4.5, 4.5)
        plot_best_responses(game, ax=axes[0])
        figures = (
            Figure(
                to_svg(figure),
                "Best responses of both players; their intersections are the equilibria.",
                "best_responses",
            ),
        )
    if sequential:
        paragraphs = [
            f"Nash equilibria of the normal form: {len(rows)} "
            "(a plan may threaten or promise what its player would not do when the time "
            "came; the subgame-perfect equilibria above are the credible ones)."
        ]
        paragraphs += _findings(result, baseline)[1:]
        title = "Nash equilibria of the normal form"
        table = _table(columns, rows, f"{len(rows)} Nash equilibria", fold=len(rows) > 4)
    else:
        paragraphs = _findings(result, baseline)
        title = "Equilibria"
        table = _table(columns, rows)
    return Section("equilibria", title, tuple(paragraphs), (table,), figures)


#: Sample sizes of the "How sure is the prediction" section (stated in the methods box): the
#: outcome probabilities from independent draws (Wilson intervals about +-0.01), the Sobol'
#: indices from SOBOL_BASE x (parameters + 2) points; together about 1.5 s of CPU on London
#: (19,456 Sobol' points, 10,000 draws, the thresholds), plus about 1 s to import SALib.
ROBUST_SAMPLES = 10_000
SOBOL_BASE = 1024
ROBUST_SEED = 0


@dataclass(frozen=True)
class _HowSure:
    """What the "How sure is the prediction" section is built from (any part may be missing)."""

    probabilities: Any = None
    sobol: Any = None
    thresholds: Any = None
    failures: tuple[str, ...] = ()


def _how_sure(scenario: Scenario, values: dict[str, float]) -> _HowSure:
    """Outcome probabilities, Sobol' indices and thresholds; a part that fails is said."""
    from ..analysis.uncertainty import sensitivity, thresholds, uncertainty

    held = {k: v for k, v in values.items() if v != scenario.parameters[k].value}
    parts: dict[str, Any] = {}
    failures = []
    calls: dict[str, Callable[[], Any]] = {
        "probabilities": lambda: uncertainty(
            scenario, n=ROBUST_SAMPLES, seed=ROBUST_SEED, fixed=held
        ),
        "sobol": lambda: sensitivity(
            scenario,
            n=SOBOL_BASE,
            seed=ROBUST_SEED,
            values=values,
            params=[n for n in scenario.parameters if n not in held and _has_belief(scenario, n)],
        ),
        "thresholds": lambda: thresholds(scenario, values),
    }
    words = {
        "probabilities": "outcome probabilities",
        "sobol": "Sobol' indices",
        "thresholds": "thresholds",
    }
    for name, call in calls.items():
        try:
            parts[name] = call()
        except GameTheoryError as exc:
            failures.append(f"{words[name]} ({exc.message})")
        except ImportError as exc:  # SALib missing: the rest of the report stands
            failures.append(f"{words[name]} (needs {exc.name}: pip install 'gametheory[report]')")
    return _HowSure(**parts, failures=tuple(failures))


def _has_belief(scenario: Scenario, name: str) -> bool:
    try:
        return scenario.parameters[name].belief is not None
    except GameTheoryError:
        return False


#: Most pure profiles for which a report adds the graph-model (ordinal) view of a scenario.
MAX_ORDINAL_PROFILES = 1024


def _ordinal_view(scenario: Scenario, game: Game, values: dict[str, float]) -> Section:
    """The graph-model view: stability when each side's payoffs only rank the outcomes."""
    from ..analysis.ordinal import GraphModel
    from .ordinal import ordinal_section

    title = "Stability when only rankings are known (graph model)"
    profiles = int(np.prod(game.shape))
    if profiles > MAX_ORDINAL_PROFILES:
        return Section(
            "ordinal",
            title,
            (
                f"Not computed: the game has {profiles:,} pure outcomes; the report draws the "
                f"ordinal view for at most {MAX_ORDINAL_PROFILES:,} "
                "('gametheory stability' analyses larger ones).",
            ),
        )
    section = ordinal_section(GraphModel.from_scenario(scenario, values))
    intro = (
        "Here each side's payoffs are read only as a ranking of the outcomes (a state is one "
        "choice of every chip). A pure Nash equilibrium is a state where no side gains by a "
        "move of its own; the graph model also counts a move as deterred when the other side "
        "can answer it and leave the mover worse off (Fang, Hipel and Kilgour 1993). States "
        "stable only by such sanctions are outcomes the cardinal analysis does not predict "
        "but that may persist if threats are believed."
    )
    return replace(section, paragraphs=(intro, *section.paragraphs))


def _robustness_section(
    scenario: Scenario, values: dict[str, float], result: Any
) -> tuple[Section | None, tuple[tuple[str, str], ...], str | None]:
    """How sure the prediction is: its probability, what it hangs on, where it breaks.

    Returns the section, the lines it adds to the methods box and a sentence for the bottom
    line (the probability, when it was computed).
    """
    if not scenario.parameters:
        return None, (), None
    sure = _how_sure(scenario, values)
    probs, sobol, held = sure.probabilities, sure.sobol, sure.thresholds
    if probs is None and sobol is None and held is None:
        return None, (), None
    prediction = _prediction_words(probs, held, result)
    paragraphs = [_lead_sentence(prediction, probs, sobol, held, scenario)]
    joint = _joint_change(scenario, values)
    if joint is not None:
        paragraphs.append(joint)
    paragraphs += _equilibria_shares(probs)
    paragraphs += _payoff_drivers(sobol)
    paragraphs += _threshold_words(held)
    paragraphs += [f"Not computed: {f}." for f in sure.failures]
    tables: list[Table] = []
    figures: list[Figure] = []
    if probs is not None:
        tables.append(_probability_table(probs))
        figures.append(_probability_figure(probs))
    if held is not None:
        table = _thresholds_table(scenario, held)
        if table is not None:
            tables.append(table)
    if sobol is not None:
        tables.append(_sobol_table(sobol))
        if not sobol.holds.constant:
            figures.append(_sobol_figure(sobol))
    methods = _robust_methods(probs, sobol)
    section = Section(
        "robustness", "How sure is the prediction", tuple(paragraphs), tuple(tables), tuple(figures)
    )
    headline = None
    if probs is not None:
        what = (
            "this prediction holds"
            if " | " not in probs.baseline_outcome
            else "this same set of equilibria arises"
        )
        headline = (
            f"Under the beliefs declared for the parameters, {what} with probability "
            + _probability_words(probs.baseline_holds, probs.baseline_low, probs.baseline_high)
            + "; see How sure is the prediction."
        )
    return section, methods, headline


def _prediction_words(probs: Any, held: Any, result: Any) -> str:
    """``the prediction (US: ... / China: ...)``, saying when it is several equilibria."""
    label = (
        probs.baseline_outcome
        if probs is not None
        else held.outcome
        if held is not None
        else "the baseline outcome"
    )
    count = len(label.split(" | "))
    degenerate = any("infinitely many" in w for w in result.warnings)
    # The label comes from the sampled points' solver (pure equilibria only for three or more
    # players), which may list less than the baseline solve.
    sampled_partial = probs is not None and probs.complete < probs.n
    partial = (
        "" if result.complete and not sampled_partial else "; the solver's list may be incomplete"
    )
    if count == 1:
        return f"The prediction ({label}{partial})"
    if degenerate:
        return (
            f"The prediction, a continuum of equilibria (a degenerate game; its {count} extreme "
            f"equilibria: {label}{partial}),"
        )
    return f"The prediction, a set of {count} equilibria ({label}{partial}),"


def _lead_sentence(
    prediction: str, probs: Any, sobol: Any, held: Any, scenario: Scenario | None = None
) -> str:
    """The answer first: probability, what it hangs on, where it breaks (a sentence each)."""
    sentences = []
    if probs is not None:
        sentences.append(
            f"{prediction} holds with probability "
            + _probability_words(probs.baseline_holds, probs.baseline_low, probs.baseline_high)
            + " under the beliefs declared for the parameters (uniform over the range where "
            "none is declared)."
        )
    else:
        sentences.append(f"{prediction} is examined below.")
    if sobol is not None:
        holds = sobol.holds
        if holds.constant:
            sentences.append("No judgement call changes it.")
        else:
            top = [(name, value) for name, value in holds.ranked() if value >= 0.1][:3]
            indices = _join([f"{value:.2f}" for _, value in top])
            plural = "indices" if len(top) > 1 else "index"
            sentences.append(
                f"It hangs mostly on {_join([name for name, _ in top])} (total Sobol' {plural} "
                f"{indices}: the share of its variance each is involved in)."
                if top
                else "No single judgement call explains a tenth of its uncertainty."
            )
    breaks = _breaks(held, scenario=scenario)
    if breaks:
        sentences.append(
            "With the other parameters at their values, it breaks if "
            + ", or if ".join(breaks)
            + "."
        )
    if probs is not None and probs.outcomes and probs.outcomes[0].outcome != probs.baseline_outcome:
        top_outcome = probs.outcomes[0]
        sentences.append(
            f"The most likely outcome is another one: {top_outcome.outcome} "
            f"(probability {format_number(top_outcome.probability, 2)})."
        )
    return " ".join(sentences)


def _joint_change(scenario: Scenario, values: dict[str, float]) -> str | None:
    """The nearest change of the prediction moving parameters together.

    Only when the prediction is one pure equilibrium (else nothing is said here).
    """
    from ..analysis.negotiation.whatif import prediction_change

    try:
        change = prediction_change(scenario, values=values)
    except GameTheoryError:
        return None
    words = _changes_in_words(scenario, change.prediction, change.outcome)
    if not change.found or words is None:
        return change.sentence()
    moved = [
        f"{name} from {format_number(a)} to {format_number(b)}"
        for name, (a, b) in change.changed().items()
    ]
    share = format_number(100 * (change.distance or 0.0), 2)
    how = (
        "the nearest such move (every condition involved is linear in the parameters)"
        if change.all_exact
        else "the nearest found by a search; a nearer one may exist"
    )
    return (
        f"Moving parameters together, the smallest move that changes the prediction is "
        f"{_join(moved)}, {share} % of the declared ranges in all ({how}): just past it, "
        f"{words}."
    )


def _probability_words(p: float, low: float, high: float) -> str:
    """``0.68 (95 % interval 0.67 to 0.69)``, with more digits when two would hide the interval."""
    digits = 2

    def hidden(d: int) -> bool:
        same_low = f"{low:.{d}f}" == f"{p:.{d}f}" and low < p
        same_high = f"{high:.{d}f}" == f"{p:.{d}f}" and high > p
        return same_low or same_high

    while digits < 4 and hidden(digits):
        digits += 1
    return f"{p:.{digits}f} (95 % interval {low:.{digits}f} to {high:.{digits}f})"


def _changes_in_words(scenario: Scenario, prediction: str, other: str | None) -> str | None:
    """What differs from the prediction, chip by chip: ``US keeps other controls``.

    Only for chip-form scenarios and single pure outcomes on both sides; else None.
    """
    if scenario.form != "chips" or not other or " | " in other or " | " in prediction:
        return None

    def choices(label: str) -> dict[str, list[str]] | None:
        out: dict[str, list[str]] = {}
        for part in label.split(" / "):
            player, _, actions = part.partition(": ")
            if player not in scenario.players or actions.startswith("mix("):
                return None
            out[player] = actions.split("+")
        return out

    before, after = choices(prediction), choices(other)
    if before is None or after is None:
        return None
    said = []
    for player in scenario.players:
        chips = _player_chips(scenario, player)
        old, new = before.get(player, []), after.get(player, [])
        if len(chips) != len(old) or len(chips) != len(new):
            return None
        moved = {c: b for c, a, b in zip(chips, old, new, strict=True) if a != b}
        if moved:
            said.append(f"{player} {_chip_choices(scenario, moved)}")
    return "; ".join(said) if said else None


def _breaks(held: Any, count: int = 2, scenario: Scenario | None = None) -> list[str]:
    """``pressure_value > 3.7 (then ...)`` for the nearest changes, degenerate ends said."""
    if held is None:
        return []
    sides = []
    for t in held.parameters:
        span = t.search_high - t.search_low
        if span <= 0:
            continue
        if not t.high_is_range_end:
            sides.append(((t.high - t.baseline) / span, t, "high"))
        if not t.low_is_range_end:
            sides.append(((t.baseline - t.low) / span, t, "low"))
    sides.sort(key=lambda item: item[0])
    out = []
    for _, t, side in sides[:count]:
        at = t.high if side == "high" else t.low
        beyond = t.outcome_above if side == "high" else t.outcome_below
        degenerate = t.degenerate_at_high if side == "high" else t.degenerate_at_low
        move = "rises above" if side == "high" else "falls below"
        words = _changes_in_words(scenario, held.outcome, beyond) if scenario is not None else None
        then = f"then {words}" if words else _outcome_text(beyond)
        if degenerate is not None:
            ties = len(degenerate.split(" | "))
            listed = f"a tie with {ties} equilibria listed" if ties > 1 else "a tie"
            then += f"; at exactly {format_number(at)} the game is degenerate: {listed}"
        out.append(f"{t.name} {move} {format_number(at)} ({then})")
    return out


def _outcome_text(label: str | None) -> str:
    if not label:
        return "another outcome"
    count = len(label.split(" | "))
    return label if count == 1 else f"{count} equilibria: {label}"


def _equilibria_shares(probs: Any) -> list[str]:
    """Shares of points with several equilibria or a continuum, when there are any."""
    if probs is None:
        return []
    several, continuum, none = (probs.share(k) for k in ("several", "continuum", "none"))
    if several + continuum + none == 0:
        return [
            f"Every one of the {probs.n:,} points drawn has a unique equilibrium, so each "
            "probability is that of one outcome."
        ]
    said = []
    for share, words in (
        (several, "have several isolated equilibria"),
        (continuum, "have a continuum of equilibria (a degenerate game)"),
        (none, "have no equilibrium found"),
    ):
        if share > 0:
            said.append(f"{format_number(100 * share, 2)} % {words}")
    return [
        f"Of the {probs.n:,} points drawn, {_join(said)}. A point with several equilibria "
        "counts under its whole set, never under one picked from it."
    ]


def _payoff_drivers(sobol: Any) -> list[str]:
    """Which parameters each player's equilibrium payoff varies with (total Sobol' index)."""
    if sobol is None:
        return []
    said = []
    for out in sobol.outputs[1:]:
        player = out.output.split(":", 1)[1]
        if out.constant:
            said.append(f"{player}'s equilibrium payoff does not vary")
            continue
        top = [n for n, v in out.ranked() if v >= 0.1][:3]
        if top:
            said.append(f"{player}'s equilibrium payoff varies most with {_join(top)}")
    if not said:
        return list(sobol.notes)
    several = sobol.shares.get("several", 0.0)
    rule = (
        f" (at the {format_number(100 * several, 2)} % of points with several equilibria, the "
        "mean payoff over them)"
        if several > 0
        else ""
    )
    return [_capital("; ".join(said)) + rule + ".", *sobol.notes]


def _threshold_words(held: Any) -> list[str]:
    if held is None:
        return []
    binding = [t for t in held.parameters if t.room != float("inf")]
    total = len(held.parameters)
    if not binding:
        if total == 1:
            return ["Moved across its declared range, the one parameter never changes it."]
        return [
            f"Moved one at a time across its declared range, none of the {total} parameters "
            "changes the prediction."
        ]
    return [
        f"Moved one at a time (the others at their values), {len(binding)} of the {total} "
        "parameters can change the prediction within their declared ranges; the table gives "
        "each one's interval, found on a grid and refined by bisection to 1e-9 of the range."
    ]


def _thresholds_table(scenario: Scenario, held: Any) -> Table | None:
    binding = sorted((t for t in held.parameters if t.room != float("inf")), key=lambda t: t.room)
    if not binding:
        return None

    def end(value: float, at_end: bool, degenerate: str | None) -> str:
        text = format_number(value, 6)
        if at_end:
            return text + " (range end)"
        if degenerate is not None:
            return text + " (degenerate there)"
        return text

    rows = tuple(
        (
            t.name,
            scenario.parameters[t.name].unit or "-",
            format_number(t.baseline, 6),
            end(t.low, t.low_is_range_end, t.degenerate_at_low),
            end(t.high, t.high_is_range_end, t.degenerate_at_high),
            f"{format_number(t.search_low, 6)} to {format_number(t.search_high, 6)}",
            "; ".join(
                f"{word}: {_outcome_text(label)}"
                for word, label in (("below", t.outcome_below), ("above", t.outcome_above))
                if label
            ),
        )
        for t in binding
    )
    return Table(
        ("parameter", "unit", "now", "holds from", "holds to", "range searched", "outcome beyond"),
        rows,
        "Where the prediction holds, each parameter moved alone (others at their values)",
    )


def _probability_table(probs: Any) -> Table:
    rows = tuple(
        (
            o.outcome + (" (the prediction)" if o.outcome == probs.baseline_outcome else ""),
            format_number(o.probability, 3),
            f"{format_number(o.low, 3)} to {format_number(o.high, 3)}",
            {"unique": "unique", "several": "several", "continuum": "continuum"}.get(
                o.kind, o.kind
            ),
        )
        for o in probs.outcomes
    )
    return _table(
        ("outcome", "probability", "95 % interval", "equilibria"),
        rows,
        f"Outcome probabilities from {probs.n:,} points drawn from the beliefs",
        fold=len(rows) > 8,
    )


def _sobol_table(sobol: Any) -> Table:
    holds = sobol.holds
    payoffs = sobol.outputs[1:]
    rows = []
    for name, _ in holds.ranked():
        k = holds.names.index(name)
        row = [name, sobol.beliefs[name]]
        for out in (holds, *payoffs):
            if out.constant:
                row.append("-")
            else:
                row.append(
                    f"{format_number(max(out.total[k], 0.0), 2)} "
                    f"± {format_number(out.total_conf[k], 2)}"
                )
        rows.append(tuple(row))
    columns = (
        "parameter",
        "belief",
        "prediction holds: total index",
        *(f"{o.output.split(':', 1)[1]}'s payoff: total index" for o in payoffs),
    )
    return _table(
        columns,
        tuple(rows),
        "Total Sobol' indices (share of each output's variance involving the parameter)",
        fold=True,
    )


def _probability_figure(probs: Any) -> Figure:
    from .figures import outcome_probability_data, plot_outcome_probabilities, report_figure, to_svg

    data = outcome_probability_data(probs)
    figure, axes = report_figure(7.5, 0.55 * len(data) + 1.2)
    plot_outcome_probabilities(data, ax=axes[0])
    return Figure(
        to_svg(figure),
        "Probability of each outcome under the declared beliefs (bars: 95 % Wilson intervals); "
        "the prediction in green.",
        "outcome_probabilities",
    )


def _sobol_figure(sobol: Any) -> Figure:
    from .figures import plot_sobol, report_figure, sobol_data, to_svg

    data = sobol_data(sobol)
    figure, axes = report_figure(6.5, 0.4 * len(data) + 1.3)
    plot_sobol(data, ax=axes[0])
    return Figure(
        to_svg(figure),
        "Sobol' indices of 'the prediction holds': the share of its variance due to each "
        "parameter alone (first order) and with its interactions (total), with bootstrap 95 % "
        "intervals.",
        "sobol",
    )


def _robust_methods(probs: Any, sobol: Any) -> tuple[tuple[str, str], ...]:
    lines = []
    if probs is not None:
        lines.append(
            (
                "outcome probabilities",
                f"{probs.n:,} independent draws from the declared beliefs (each parameter's "
                f"distribution, else uniform over its range; seed {probs.seed}); Wilson 95 % "
                "intervals",
            )
        )
    if sobol is not None:
        lines.append(
            (
                "Sobol' indices",
                f"Saltelli sampling, {sobol.n} base points x ({len(sobol.names)} parameters + 2) "
                f"= {sobol.points:,} points (seed {sobol.seed}), SALib's estimators with "
                f"bootstrap {format_number(100 * sobol.conf_level)} % intervals; payoffs at "
                f"points with several equilibria: {sobol.selection}",
            )
        )
    lines.append(
        (
            "nearest joint change",
            "the nearest point, in units of each parameter's range, where a deviation from the "
            "prediction starts to pay or another pure profile becomes an equilibrium: exact "
            "where the payoff differences are linear in the parameters, else a sampled start "
            "and local searches (SLSQP), verified by solving the game there",
        )
    )
    lines.append(
        (
            "thresholds",
            "each parameter alone, the others at their values: a grid of 401 values over the "
            "declared range, then bisection to 1e-9 of the range",
        )
    )
    return tuple(lines)


def _findings(result: Any, baseline: bool) -> list[str]:
    """Plain-language findings about the equilibria."""
    eqs = result.equilibria
    out = []
    where = "At the baseline" if baseline else "At these parameter values"
    if not eqs:
        out.append(f"{where} no equilibrium was found by {result.method}.")
    elif len(eqs) == 1:
        kind = "pure" if eqs[0].is_pure else "mixed"
        out.append(f"{where}, the only equilibrium is {kind}: {eqs[0].describe()}.")
    else:
        pure = sum(eq.is_pure for eq in eqs)
        out.append(
            f"{where} there are {len(eqs)} equilibria ({pure} pure, "
            f"{len(eqs) - pure} mixed); the first is {eqs[0].describe()}."
        )
    if result.complete:
        out.append("This list is every equilibrium of the game.")
    else:
        out.append(
            "This list is not known to be every equilibrium: "
            + ("; ".join(_plain(w) for w in result.warnings) or "the method does not guarantee it")
            + "."
        )
    return out


def _dominance_section(dominance: Any) -> Section:
    rows = tuple(
        (
            str(e.round),
            e.player,
            e.action,
            " + ".join(
                f"{format_number(w)} {a}" if w < 1 - 1e-9 else a for a, w in e.dominated_by.items()
            ),
            format_number(e.margin),
        )
        for e in dominance.eliminated
    )
    if not rows:
        return Section(
            "dominance",
            "Dominance",
            ("No strategy is strictly dominated (by a pure or mixed strategy).",),
        )
    kept = dominance.reduced.actions
    if sum(len(a) for a in kept) <= 8 and max(len(x) for a in kept for x in a) <= 40:
        survivors = "; ".join(
            f"{p}: {', '.join(kept[i])}" for i, p in enumerate(dominance.game.players)
        )
    else:
        survivors = _join(
            [
                f"{len(kept[i])} of {p}'s {len(dominance.game.actions[i])} strategies"
                for i, p in enumerate(dominance.game.players)
            ]
        )
    text = (
        f"Iterated elimination of strictly dominated strategies removes {len(rows)} "
        f"strateg{'y' if len(rows) == 1 else 'ies'}; what survives: {survivors}."
    )
    table = _table(
        ("round", "player", "eliminated", "dominated by", "margin"),
        rows,
        f"Eliminated strategies ({len(rows)})",
    )
    return Section("dominance", "Dominance", (text,), (table,))


def _bargaining_section(game: Game, result: Any) -> Section:
    from ..analysis.negotiation.bargaining import BargainingError, bargain
    from .figures import plot_payoff_space, report_figure, to_svg

    if not result.equilibria:
        return Section("bargaining", "Bargaining", ("Not computed: no equilibrium to start from.",))
    try:
        outcome = bargain(game, list(result.equilibria[0].payoffs))
    except BargainingError as exc:
        return Section("bargaining", "Bargaining", (f"Not computed: {exc.message}",))
    p1, p2 = game.players
    rows = tuple(
        (
            name.replace("_", "-"),
            format_number(getattr(outcome, name)[0]),
            format_number(getattr(outcome, name)[1]),
        )
        for name in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
    )
    text = (
        f"If the players bargain over every lottery of outcomes, with the first equilibrium "
        f"as the disagreement point ({p1} {format_number(outcome.disagreement[0])}, "
        f"{p2} {format_number(outcome.disagreement[1])}), the Nash bargaining solution "
        f"gives {p1} {format_number(outcome.nash[0])} and {p2} "
        f"{format_number(outcome.nash[1])}."
    )
    figure, axes = report_figure(8.5, 4.5)
    plot_payoff_space(game, outcome, result, ax=axes[0])
    svg = Figure(
        to_svg(figure),
        "Feasible payoffs, Pareto frontier, equilibria, disagreement point and bargaining "
        "solutions; solutions at the same point share one marker, and points too close to tell "
        "apart are magnified beside the plot.",
        "payoff_space",
    )
    return Section(
        "bargaining", "Bargaining", (text,), (_table(("solution", p1, p2), rows),), (svg,)
    )


def _sequential_section(scenario: Scenario, values: dict[str, float], found: Any) -> Section:
    from ..analysis.negotiation.sequential import nash_vs_spe

    paragraphs = [f"Subgame-perfect outcome: {o}." for o in dict.fromkeys(found.outcomes())]
    try:
        compared = nash_vs_spe(scenario, values)
        resting = sorted(
            {
                n["outcome"]
                for n in compared["nash"]
                if not n["subgame_perfect"] and n["outcome"] not in compared["spe"]
            }
        )
        count = len(compared["nash"])
        if resting:
            paragraphs.append(
                f"Of the {count} pure Nash equilibria of the normal form, some rest on threats "
                "or promises that would not be carried out, and lead elsewhere: "
                + "; ".join(resting)
                + "."
            )
        else:
            paragraphs.append(
                f"Every one of the {count} pure Nash equilibria of the normal form leads to a "
                "subgame-perfect outcome; they differ only in plans off the path."
            )
    except Exception as exc:
        paragraphs.append(f"The normal-form comparison was skipped: {exc}")
    tables = []
    for k, eq in enumerate(found.equilibria[:5], start=1):
        rows = []
        for (_, history), choice in eq.plan.items():
            taken = _history_choices(scenario, history)
            on_path = all(
                eq.path.get(chip) == option
                for moves in taken.values()
                for chip, option in moves.items()
            )
            where = (
                "at the start"
                if history == "start"
                else "after "
                + _choices_words(scenario, taken)
                + ("" if on_path else " (off the path)")
            )
            by_player = _by_player(scenario, choice)
            rows.append(
                (
                    where,
                    *(
                        _chip_choices(scenario, by_player[p], "base") if by_player.get(p) else "-"
                        for p in scenario.players
                    ),
                )
            )
        pay = ", ".join(f"{p} {format_number(v)}" for p, v in eq.payoffs.items())
        tables.append(
            _table(
                ("when", *scenario.players),
                tuple(rows),
                f"Subgame-perfect equilibrium {k}: each side's plan (payoffs: {pay})",
            )
        )
    if len(found.equilibria) > 5:
        paragraphs.append(f"Plans of the first 5 of {len(found.equilibria)} are shown.")
    return Section("sequential", "Timing and credibility", tuple(paragraphs), tuple(tables))


def _sweep_section(
    scenario: Scenario, sweep: str | Path | pd.DataFrame, values: dict[str, float] | None = None
) -> Section:
    import pandas as pd

    from ..sweeps.results import point_outcomes
    from .figures import plot_outcome_map, report_figure, to_svg

    table = sweep if isinstance(sweep, pd.DataFrame) else _read_table(Path(sweep), scenario)
    params = [c for c in scenario.parameters if c in table.columns]
    points = point_outcomes(table, params)
    shares = points["outcome"].value_counts(normalize=True)
    rows = tuple((label, f"{share:.1%}") for label, share in shares.items())
    varied = [c for c in scenario.parameters if c in points and points[c].nunique() > 1]
    paragraphs = [f"The sweep has {len(points):,} points varying {_join(varied) or 'nothing'}."]
    if len(shares):
        paragraphs.append(
            f"The most common outcome, {shares.index[0]}, holds on {shares.iloc[0]:.1%} of them."
        )
    figures: tuple[Figure, ...] = ()
    if len(varied) == 2:
        paragraphs += _grid_boundaries(points, varied[0], varied[1])
    if len(varied) >= 2:
        x, y = varied[0], varied[1]
        baseline = (values[x], values[y]) if values and x in values and y in values else None
        labels = points["outcome"].nunique()
        figure, axes = report_figure(7.0, 5.2 + 0.3 * labels + (0.3 if baseline else 0))
        plot_outcome_map(points, x, y, ax=axes[0], baseline=baseline)
        caption = f"Outcome by {x} and {y}" + (
            "; the star marks the report's parameter values." if baseline else "."
        )
        figures = (Figure(to_svg(figure), caption, "outcome_map"),)
    elif len(varied) == 1:
        changes = points.sort_values(varied[0])
        flips = changes["outcome"].ne(changes["outcome"].shift()) & changes.index.isin(
            changes.index[1:]
        )
        for _, row in changes[flips].head(10).iterrows():
            paragraphs.append(
                f"The outcome changes near {varied[0]} = "
                f"{format_number(float(row[varied[0]]))}: now {row['outcome']}."
            )
    return Section(
        "sweep",
        "Sweep",
        tuple(paragraphs),
        (_table(("outcome", "share of points"), rows),),
        figures,
    )


def _equation(dependent: str, independent: str, intercept: float, slope: float) -> str:
    """``pressure_value = 1.5 + 4 tariff``."""
    terms = []
    intercept = 0.0 if format_number(intercept) == "0" else intercept
    slope = 0.0 if format_number(slope) == "0" else slope
    if intercept != 0 or slope == 0:
        terms.append(format_number(intercept))
    if slope != 0:
        size = abs(slope)
        term = independent if size == 1 else f"{format_number(size)} {independent}"
        if terms:
            terms.append(("- " if slope < 0 else "+ ") + term)
        else:
            terms.append(("-" if slope < 0 else "") + term)
    return f"{dependent} = " + " ".join(terms)


def boundary_lines(
    points: pd.DataFrame, x: str, y: str, min_pairs: int = 4
) -> list[dict[str, Any]]:
    """Straight boundaries between outcomes on a full grid over ``x`` and ``y``.

    For each pair of outcomes that meet on the grid, the midpoints between neighbouring cells
    of the two outcomes are fitted with a straight line (``y = a + b x``, or ``x = a + b y``
    for steep boundaries, by least squares). The line is kept only if it is exact at the
    grid's resolution: it passes between every such pair of cells, with each outcome on its own
    side. Among roundings of the fit to fewer digits, the shortest that still passes is
    reported.

    Returns
    -------
    list of dict
        One per pair of outcomes, most boundary cells first: ``outcomes`` (the two labels),
        ``pairs`` (neighbouring cell pairs), ``line`` (``None`` when no straight line is exact,
        else ``dependent``, ``independent``, ``intercept``, ``slope``, ``equation``, and
        ``above``: the outcome where the dependent parameter exceeds the line) and ``span``
        (the boundary's extent: smallest and largest midpoint).
    """
    grid = points.pivot_table(index=y, columns=x, values="outcome", aggfunc="first")
    if grid.isna().any().any() or min(grid.shape) < 2:
        return []
    xs = grid.columns.to_numpy(dtype=float)
    ys = grid.index.to_numpy(dtype=float)
    cells = grid.to_numpy()
    found: dict[tuple[str, str], list[tuple[tuple[float, float], tuple[float, float]]]] = {}

    def record(a: tuple[int, int], b: tuple[int, int]) -> None:
        first, second = str(cells[a]), str(cells[b])
        pa, pb = (xs[a[1]], ys[a[0]]), (xs[b[1]], ys[b[0]])
        if first > second:
            first, second, pa, pb = second, first, pb, pa
        found.setdefault((first, second), []).append((pa, pb))

    for i, j in zip(*np.nonzero(cells[:, 1:] != cells[:, :-1]), strict=True):
        record((int(i), int(j)), (int(i), int(j) + 1))
    for i, j in zip(*np.nonzero(cells[1:, :] != cells[:-1, :]), strict=True):
        record((int(i), int(j)), (int(i) + 1, int(j)))
    ranges = np.array([np.ptp(xs) or 1.0, np.ptp(ys) or 1.0])
    out = []
    for (first, second), pairs in sorted(found.items(), key=lambda item: -len(item[1])):
        a_side = np.array([p for p, _ in pairs])
        b_side = np.array([q for _, q in pairs])
        mid = (a_side + b_side) / 2
        entry: dict[str, Any] = {
            "outcomes": (first, second),
            "pairs": len(pairs),
            "line": None,
            "span": (tuple(mid.min(axis=0)), tuple(mid.max(axis=0))),
        }
        out.append(entry)
        if len(pairs) < min_pairs:
            continue
        spread = np.ptp(mid, axis=0) / ranges
        u = 0 if spread[0] >= spread[1] else 1  # the independent coordinate
        v = 1 - u
        if np.ptp(mid[:, u]) == 0:
            continue
        slope, intercept = np.polyfit(mid[:, u], mid[:, v], 1)
        tol = 1e-9 * ranges[v]

        candidates = sorted(
            {
                (float(f"{intercept:.{di}g}"), float(f"{slope:.{ds}g}"))
                for di in range(1, 7)
                for ds in range(1, 7)
            }
            | {(0.0, float(f"{slope:.{ds}g}")) for ds in range(1, 7)}
            | {(float(f"{intercept:.{di}g}"), 0.0) for di in range(1, 7)},
            key=lambda cb: len(format_number(cb[0])) + len(format_number(cb[1])),
        )
        candidates.append((float(intercept), float(slope)))
        for c, b in candidates:
            side = _separates(a_side, b_side, (u, v), (c, b), tol)
            if side:
                names = (x, y) if u == 0 else (y, x)
                entry["line"] = {
                    "dependent": names[1],
                    "independent": names[0],
                    "intercept": c,
                    "slope": b,
                    "equation": _equation(names[1], names[0], c, b),
                    "above": first if side > 0 else second,
                    "below": second if side > 0 else first,
                }
                break
    return out


def _separates(
    a_side: NDArray[np.float64],
    b_side: NDArray[np.float64],
    axes: tuple[int, int],
    line: tuple[float, float],
    tol: float,
) -> int:
    """Which side of the line ``v = c + b u`` each outcome's cells lie on.

    +1 if every ``a_side`` cell is strictly above it and every ``b_side`` cell strictly below,
    -1 for the reverse, 0 if the line does not separate them. (A cell on the true boundary is
    a tie, whose outcome differs from both sides', so it is never in a pair.)
    """
    u, v = axes
    c, b = line
    fa = a_side[:, v] - (c + b * a_side[:, u])
    fb = b_side[:, v] - (c + b * b_side[:, u])
    if (fa > tol).all() and (fb < -tol).all():
        return 1
    if (fa < -tol).all() and (fb > tol).all():
        return -1
    return 0


def _grid_boundaries(points: pd.DataFrame, x: str, y: str) -> list[str]:
    """Sentences on where the outcome changes on a two-parameter grid."""
    lines = boundary_lines(points, x, y)
    grid = points.pivot_table(index=y, columns=x, values="outcome", aggfunc="first")
    if not lines:
        return []
    steps = (
        f"grid steps {format_number(float(np.diff(grid.columns.to_numpy(float)).mean()), 3)} in "
        f"{x} and {format_number(float(np.diff(grid.index.to_numpy(float)).mean()), 3)} in {y}"
    )
    sentences = []
    for entry in lines[:5]:
        first, second = entry["outcomes"]
        line = entry["line"]
        if line is not None:
            rhs = line["equation"].split(" = ", 1)[1]
            dep = line["dependent"]
            sentences.append(
                f"The boundary between two outcomes is the straight line {line['equation']} "
                f"(exact at the grid's resolution, {steps}): {line['above']} where {dep} > "
                f"{rhs}, and {line['below']} where {dep} < {rhs}."
            )
        else:
            (x0, y0), (x1, y1) = entry["span"]
            sentences.append(
                f"Between {first} and {second} the boundary ({entry['pairs']} neighbouring "
                f"cell pairs) is not a straight line at the grid's resolution; it lies within "
                f"{x} {format_number(x0, 3)} to {format_number(x1, 3)} and {y} "
                f"{format_number(y0, 3)} to {format_number(y1, 3)}."
            )
    if len(lines) > 5:
        sentences.append(f"{len(lines) - 5} more pairs of outcomes meet on the grid.")
    return sentences


def _whatif_section(
    scenario: Scenario,
    game: Game,
    result: Any,
    values: dict[str, float],
    target: dict[str, str] | None,
) -> Section | None:
    """What it would take for a target outcome to be an equilibrium (payoffs, parameters)."""
    from ..analysis.negotiation.whatif import parameter_change, payoff_change

    if target is None:
        if scenario.timing != "simultaneous":
            return None
        totals = game.payoffs.sum(axis=0)
        best = np.unravel_index(int(np.argmax(totals)), totals.shape)
        profile = tuple(int(i) for i in best)
        if any(
            eq.is_pure and all(eq.strategies[p][a] > 0.5 for p, a in enumerate(profile))
            for eq in result.equilibria
        ):
            return None  # the jointly best outcome is already an equilibrium
        target = {
            p: game.actions[k][a]
            for k, (p, a) in enumerate(zip(game.players, profile, strict=True))
        }
        payoffs = [float(game.payoffs[(p, *profile)]) for p in range(game.n_players)]
        intro = (
            "The outcome with the largest total payoff, "
            + " / ".join(f"{p}: {a}" for p, a in target.items())
            + f" ({_payoff_words(game.players, payoffs)}), is not an equilibrium. "
            "What would it take to make it one?"
        )
    else:
        intro = "What would it take for the chosen target to be an equilibrium?"
    paragraphs = [intro, payoff_change(game, target, margin=0.1).sentence()]
    if scenario.parameters and scenario.timing == "simultaneous":
        # The same search as `gametheory whatif` (exact where the payoff differences are
        # linear, else a few local searches; about 0.3 s on London).
        change = parameter_change(scenario, target, margin=0.1, fixed=values)
        paragraphs.append(change.sentence())
    return Section("whatif", "What would it take", tuple(paragraphs))


#: Columns a sweep table must have for the report's sweep section.
SWEEP_COLUMNS = ("point", "outcome", "status", "n_equilibria", "complete")


def _read_table(path: Path, scenario: Scenario) -> pd.DataFrame:
    """The columns of a sweep file that the report uses, with one clear error if it is not one.

    Only the needed columns are read (the point, its outcome and the scenario's parameters), so
    a sweep of millions of points costs a few columns of memory.
    """
    import pandas as pd

    from ..errors import ScenarioError

    suffix = path.suffix.lower()
    if suffix not in (".parquet", ".csv"):
        raise ScenarioError("a sweep file must be .parquet or .csv", file=str(path))
    if not path.is_file():
        raise ScenarioError("no such sweep file", file=str(path))
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            names = list(pq.read_schema(path).names)
        else:
            names = list(pd.read_csv(path, nrows=0).columns)
        missing = [c for c in SWEEP_COLUMNS if c not in names]
        if missing:
            raise ScenarioError(
                f"is not a sweep table from gametheory sweep (no column {', '.join(missing)})",
                file=str(path),
            )
        wanted = [*SWEEP_COLUMNS, *(p for p in scenario.parameters if p in names)]
        if suffix == ".parquet":
            table = pd.read_parquet(path, columns=wanted)
        else:
            table = pd.read_csv(path, usecols=wanted)
            table["outcome"] = table["outcome"].fillna("")
    except ScenarioError:
        raise
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ScenarioError(f"cannot read the sweep table: {reason}", file=str(path)) from None
    return table
