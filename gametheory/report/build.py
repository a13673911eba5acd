"""Reports as data: sections of paragraphs, tables and figures, built from a scenario's results.

A :class:`Report` is a plain structure that both renderers (HTML and Markdown, in
:mod:`gametheory.report.render`) read; nothing here formats a page. Sections appear only when
their data exists (bargaining for two players, subgame perfection for sequential scenarios,
sweep maps when a sweep is given).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._format import format_number, strategy_label
from ..model.game import Game
from ..model.scenario import Scenario
from .render import render_html

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Figure", "Report", "Section", "Table", "build_report"]


@dataclass(frozen=True)
class Table:
    """A table: column names and rows of strings."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """A figure as an SVG document, with a caption."""

    svg: str
    caption: str
    name: str


@dataclass(frozen=True)
class Section:
    """A titled section of paragraphs, tables and figures."""

    id: str
    title: str
    paragraphs: tuple[str, ...] = ()
    tables: tuple[Table, ...] = ()
    figures: tuple[Figure, ...] = ()


@dataclass(frozen=True)
class Report:
    """A whole report: title, sections, and the methods box."""

    title: str
    sections: tuple[Section, ...]
    methods: tuple[tuple[str, str], ...] = field(default=())

    def _repr_html_(self) -> str:
        html = render_html(self)
        return html[html.index("<body>") + len("<body>") : html.rindex("</body>")]

    def section(self, section_id: str) -> Section:
        """The section with this id."""
        for section in self.sections:
            if section.id == section_id:
                return section
        raise KeyError(section_id)


def content_hash(path: str | None, scenario: Scenario) -> str:
    """SHA-256 (first 16 hex digits) of the scenario file's bytes, or of its compiled content."""
    if path and Path(path).exists():
        data = Path(path).read_bytes()
    else:
        from ..sweeps.run import scenario_hash

        data = scenario_hash(scenario).encode()
    return hashlib.sha256(data).hexdigest()[:16]


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
    sections = [_scenario_section(scenario), _parameter_section(scenario, values)]
    sections.append(_payoff_section(game, result))
    sections.append(_equilibria_section(game, result, values == scenario.baseline))
    dominance = iterated_dominance(game)
    sections.append(_dominance_section(dominance))
    if scenario.timing == "sequential":
        sections.append(_sequential_section(scenario, values))
    if game.n_players == 2 and scenario.timing == "simultaneous":
        sections.append(_bargaining_section(game, result))
    if scenario.timing == "simultaneous":
        sensitivity = _sensitivity_section(scenario, values)
        if sensitivity is not None:
            sections.append(sensitivity)
    if sweep is not None:
        sections.append(_sweep_section(scenario, sweep))
    whatif = _whatif_section(scenario, game, result, values, target)
    if whatif is not None:
        sections.append(whatif)
    methods = (
        (
            "solver",
            result.method
            + (f" (auto: {result.details['auto']})" if "auto" in result.details else ""),
        ),
        ("options", str(dict(result.options)) if result.options else "none"),
        ("tolerance", f"{result.tolerance:g} x each player's payoff range"),
        ("complete", "yes" if result.complete else "no: the list may not be every equilibrium"),
        ("warnings", "; ".join(result.warnings) or "none"),
        ("gametheory version", __version__),
        ("scenario content hash", content_hash(scenario.path, scenario)),
        ("generated", _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
    )
    return Report(scenario.title, tuple(sections), methods)


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
    table = Table(("parameter", "value", "range", "unit", "description", "source"), rows)
    return Section("parameters", "Parameters", tables=(table,))


def _payoff_section(game: Game, result: Any) -> Section:
    from .figures import plot_payoff_heatmap, to_svg

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
        if game.shape[0] * game.shape[1] <= 400:
            ax = plot_payoff_heatmap(result)
            figures = (
                Figure(
                    to_svg(ax.figure),
                    "Payoff table; equilibria outlined "
                    "(solid: pure, dashed: support of a mixed equilibrium).",
                    "payoffs",
                ),
            )
        caption = f"Cells: {game.players[0]}'s payoff, {game.players[1]}'s payoff."
        return Section("payoffs", "Payoff table", (caption,), (Table(columns, rows),), figures)
    columns = (*game.players, *(f"u({p})" for p in game.players))
    rows = tuple(
        (
            *(game.actions[p][a] for p, a in enumerate(index)),
            *(format_number(float(game.payoffs[(p, *index)])) for p in range(game.n_players)),
        )
        for index in game.pure_profiles()
    )
    return Section("payoffs", "Payoff table", tables=(Table(columns, rows),))


def _equilibria_section(game: Game, result: Any, baseline: bool) -> Section:
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
        from .figures import plot_best_responses, to_svg

        ax = plot_best_responses(game)
        figures = (
            Figure(
                to_svg(ax.figure),
                "Best responses of both players; their intersections are the equilibria.",
                "best_responses",
            ),
        )
    return Section(
        "equilibria",
        "Equilibria",
        tuple(_findings(result, baseline)),
        (Table(columns, rows),),
        figures,
    )


def _sensitivity_section(scenario: Scenario, values: dict[str, float]) -> Section | None:
    from .figures import plot_tornado, to_svg, tornado_data

    ranged = [
        p
        for p in scenario.parameters.values()
        if p.min is not None and p.max is not None and p.max > p.min
    ]
    if not ranged:
        return None
    tables: list[Table] = []
    figures: list[Figure] = []
    paragraphs: list[str] = []
    for player in scenario.players:
        data = tornado_data(scenario, player, values)
        if data.empty:
            continue
        rows = tuple(
            (r.parameter, format_number(r.low), format_number(r.high))
            for r in data.head(8).itertuples()
        )
        tables.append(
            Table(
                ("parameter", "down 10 %", "up 10 %"),
                rows,
                f"Change in {player}'s equilibrium payoff",
            )
        )
        ax = plot_tornado(data)
        ax.set_title(f"Sensitivity of {player}'s equilibrium payoff", fontsize=9)
        figures.append(
            Figure(
                to_svg(ax.figure), f"Sensitivity of {player}'s payoff.", f"tornado_{len(figures)}"
            )
        )
        top = data.iloc[0]
        paragraphs.append(
            f"{player}'s equilibrium payoff moves most with {top.parameter} "
            f"({format_number(top.low)} / {format_number(top.high)} when it moves down / up "
            "by 10 % of its range)."
        )
    return Section("sensitivity", "Sensitivity", tuple(paragraphs), tuple(tables), tuple(figures))


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
            + ("; ".join(result.warnings) or "the method does not guarantee it")
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
    survivors = "; ".join(
        f"{p}: {', '.join(dominance.reduced.actions[i])}"
        for i, p in enumerate(dominance.game.players)
    )
    text = (
        f"Iterated elimination of strictly dominated strategies removes {len(rows)} "
        f"strateg{'y' if len(rows) == 1 else 'ies'}; what survives: {survivors}."
    )
    table = Table(("round", "player", "eliminated", "dominated by", "margin"), rows)
    return Section("dominance", "Dominance", (text,), (table,))


def _bargaining_section(game: Game, result: Any) -> Section:
    from ..analysis.negotiation.bargaining import BargainingError, bargain
    from .figures import plot_payoff_space, to_svg

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
    ax = plot_payoff_space(game, outcome, result)
    figure = Figure(
        to_svg(ax.figure),
        "Feasible payoffs, Pareto frontier, equilibria, "
        "disagreement point and bargaining solutions.",
        "payoff_space",
    )
    return Section(
        "bargaining", "Bargaining", (text,), (Table(("solution", p1, p2), rows),), (figure,)
    )


def _sequential_section(scenario: Scenario, values: dict[str, float]) -> Section:
    from ..analysis.negotiation.sequential import nash_vs_spe, spe

    found = spe(scenario, values)
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
        if resting:
            paragraphs.append(
                "Nash equilibria of the normal form that rest on threats or "
                "promises that would not be carried out: " + "; ".join(resting) + "."
            )
        else:
            paragraphs.append(
                "Every Nash equilibrium outcome of the normal form is also subgame perfect here."
            )
    except Exception as exc:
        paragraphs.append(f"The normal-form comparison was skipped: {exc}")
    rows = tuple(
        (
            str(k),
            eq.outcome(scenario),
            ", ".join(f"{p} {format_number(v)}" for p, v in eq.payoffs.items()),
        )
        for k, eq in enumerate(found.equilibria, start=1)
    )
    return Section(
        "sequential",
        "Timing and credibility",
        tuple(paragraphs),
        (Table(("#", "outcome", "payoffs"), rows),),
    )


def _sweep_section(scenario: Scenario, sweep: str | Path | pd.DataFrame) -> Section:
    import pandas as pd

    from .figures import plot_outcome_map, to_svg

    table = sweep if isinstance(sweep, pd.DataFrame) else _read_table(Path(sweep))
    first = table.groupby("point", sort=True).first()
    joined = table.groupby("point", sort=True)["outcome"].agg(" | ".join)
    points = first.assign(outcome=joined).reset_index()
    shares = points["outcome"].value_counts(normalize=True)
    rows = tuple((label, f"{share:.1%}") for label, share in shares.items())
    varied = [c for c in scenario.parameters if c in points and points[c].nunique() > 1]
    paragraphs = [f"The sweep has {len(points):,} points varying {', '.join(varied) or 'nothing'}."]
    if len(shares):
        paragraphs.append(
            f"The most common outcome, {shares.index[0]}, holds on {shares.iloc[0]:.1%} of them."
        )
    figures: tuple[Figure, ...] = ()
    if len(varied) == 2:
        paragraphs += _grid_boundaries(points, varied[0], varied[1])
    if len(varied) >= 2:
        ax = plot_outcome_map(points, varied[0], varied[1])
        figures = (
            Figure(to_svg(ax.figure), f"Outcome by {varied[0]} and {varied[1]}.", "outcome_map"),
        )
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
        "sweep", "Sweep", tuple(paragraphs), (Table(("outcome", "share of points"), rows),), figures
    )


def _grid_boundaries(points: pd.DataFrame, x: str, y: str) -> list[str]:
    """Sentences on where the outcome changes along each parameter of a two-parameter grid."""
    import pandas as pd

    grid = points.pivot_table(index=y, columns=x, values="outcome", aggfunc="first")
    if grid.isna().any().any():
        return []  # not a full grid (e.g. a random sample)
    sentences = []
    for along, table in ((x, grid), (y, grid.T)):
        values = table.columns.to_numpy(dtype=float)
        cells = table.to_numpy()
        changes = cells[:, 1:] != cells[:, :-1]
        rows, cols = np.nonzero(changes)
        if not len(rows):
            continue
        at = (values[cols] + values[cols + 1]) / 2
        pairs = pd.Series(
            [f"from {cells[r, c]} to {cells[r, c + 1]}" for r, c in zip(rows, cols, strict=True)]
        ).value_counts()
        sentences.append(
            f"Along {along}, the outcome changes between {format_number(float(at.min()))} and "
            f"{format_number(float(at.max()))} (depending on the other parameter), most often "
            f"{pairs.index[0]}."
        )
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
        intro = (
            "The outcome with the largest total payoff is not an equilibrium. What would "
            "it take to make it one?"
        )
    else:
        intro = "What would it take for the chosen target to be an equilibrium?"
    paragraphs = [intro, payoff_change(game, target, margin=0.1).sentence()]
    if scenario.parameters and scenario.timing == "simultaneous":
        paragraphs.append(
            parameter_change(scenario, target, margin=0.1, fixed=values, starts=4).sentence()
        )
    return Section("whatif", "What would it take", tuple(paragraphs))


def _read_table(path: Path) -> pd.DataFrame:
    import pandas as pd

    from ..errors import ScenarioError

    if not path.exists():
        raise ScenarioError("no such sweep file", file=str(path))
    if path.suffix.lower() == ".parquet":
        return pd.read_parquet(path)
    if path.suffix.lower() == ".csv":
        table = pd.read_csv(path)
        table["outcome"] = table["outcome"].fillna("")
        return table
    raise ScenarioError("a sweep file must be .parquet or .csv", file=str(path))
