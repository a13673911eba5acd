"""Reports as an analyst reads them: the bottom line, legible figures, findings that hold.

Each test states its oracle: payoffs worked out by hand from the scenario's formulas, boundaries
drawn by a known line, or properties of the rendered page.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import gametheory as gt
from gametheory._format import format_number

from .conftest import PAYOFFS, ROOT

pytest.importorskip("matplotlib", reason="matplotlib not installed ([report] extra)")
pytest.importorskip("jinja2", reason="Jinja2 not installed ([report] extra)")

from gametheory.report import build_report, render_html, render_markdown
from gametheory.report.build import boundary_lines
from gametheory.report.figures import (
    payoff_space_data,
    plot_outcome_map,
    plot_payoff_heatmap,
    plot_payoff_space,
    report_figure,
    text_colour,
)

LONDON = PAYOFFS / "london_talks_2025.toml"
SEQUENTIAL = PAYOFFS / "london_talks_2025_sequential.toml"
NEGATIVE_ZERO = re.compile(r"(?<![\w.])-0(?![.\d])")


@pytest.fixture(scope="module")
def london():
    return build_report(gt.load(LONDON))


@pytest.fixture(scope="module")
def sequential():
    return build_report(gt.load(SEQUENTIAL))


def _text(report) -> str:
    return " ".join(
        [p for s in report.sections for p in s.paragraphs]
        + [c for s in report.sections for t in s.tables for r in t.rows for c in r]
    )


# ---------------------------------------------------------------------- 2. bottom line
def test_london_opens_with_the_bottom_line_in_words(london) -> None:
    """US: civilian supply 6 - lifting cost 2 + reciprocity 3 + remedy time 1.5 = 8.5;
    China: civilian revenue 2 + controls relief 3 = 5 (the scenario's formulas at the
    baseline: extend, lift, expedite, nothing else)."""
    assert london.sections[0].id == "summary"
    assert london.sections[0].paragraphs[0] == (
        "One equilibrium, and it is the only one: US maintains ai chips, extends deadline and "
        "lifts other controls; China withholds military magnets and expedites civilian "
        "licences. US gets 8.5, China 5."
    )
    html = render_html(london)
    assert html.index('id="summary"') < html.index("<table")


def test_bottom_line_with_several_equilibria_says_what_differs() -> None:
    """Battle of the sexes (Osborne 2004): (Bach, Bach) pays 2, 1; (Stravinsky, Stravinsky)
    1, 2; the mixed equilibrium 2/3 each."""
    summary = build_report(gt.load(PAYOFFS / "battle_of_the_sexes.toml")).section("summary")
    text = " ".join(summary.paragraphs)
    assert summary.paragraphs[0].startswith("3 equilibria (2 pure, 1 mixed)")
    assert "Player1 plays Bach; Player2 plays Bach. Player1 gets 2, Player2 1." in text
    assert "Player1 mixes 2/3 Bach + 1/3 Stravinsky" in text
    assert "They differ in what Player1 does" in text
    assert "Player1 from 0.6667 to 2" in text


def test_bottom_line_names_an_outcome_both_prefer() -> None:
    """Prisoner's dilemma: (Fink, Fink) pays 1 each; both prefer (Quiet, Quiet) at 2 each."""
    summary = build_report(gt.load(PAYOFFS / "prisoners_dilemma.toml")).section("summary")
    assert (
        "Suspect1 plays Fink; Suspect2 plays Fink. Suspect1 gets 1, Suspect2 1."
        in (summary.paragraphs[0])
    )
    assert summary.paragraphs[1].startswith(
        "Both sides would do better at (Suspect1 Quiet; Suspect2 Quiet): Suspect1 gets 2"
    )


# ---------------------------------------------------------------------- 9. sequential
def test_sequential_report_leads_with_the_subgame_perfect_outcome(sequential) -> None:
    """As `gametheory solve` prints it: one SPE, maintain+extend+lift / withhold+expedite,
    and after ai_chips=relax the same continuation (extend, lift, withhold, expedite)."""
    ids = [s.id for s in sequential.sections]
    assert ids[:3] == ["summary", "scenario", "sequential"]
    assert ids.index("sequential") < ids.index("payoffs") < ids.index("equilibria")
    summary = sequential.section("summary").paragraphs
    assert summary[0] == (
        "One subgame-perfect equilibrium (by backward induction): US maintains ai chips, "
        "extends deadline and lifts other controls; China withholds military magnets and "
        "expedites civilian licences. US gets 8.5, China 5."
    )
    assert summary[1] == (
        "Off the path, if instead US relaxes ai chips: US would extend deadline and lift other "
        "controls; China would withhold military magnets and expedite civilian licences."
    )
    plan = sequential.section("sequential").tables[0]
    assert plan.columns == ("when", "US", "China")
    assert (
        "after US relaxes ai chips (off the path)",
        "extend deadline and lift other controls",
        "withhold military magnets and expedite civilian licences",
    ) in plan.rows


def test_sequential_report_folds_large_tables_and_prints_no_internals(sequential) -> None:
    payoffs = sequential.section("payoffs").tables[0]
    assert len(payoffs.rows) == 32 and payoffs.fold
    assert sequential.section("equilibria").tables[0].fold
    html = render_html(sequential)
    # The 32 x 16 table sits inside a <details> element, in a horizontally scrolling box.
    folded = re.search(r"<details><summary>Payoff table \(32 x 16\).*?</details>", html, re.S)
    assert folded and '<div class="scroll">' in folded.group(0)
    assert "details[" not in html and "{'" not in html and "components" not in html
    assert "<details>" in render_markdown(sequential)


# ---------------------------------------------------------------------- 1. backends
def test_report_never_changes_the_matplotlib_backend() -> None:
    """In a fresh interpreter on the inline backend (what Jupyter uses), importing the report
    layer, building a report and plotting with ax=None all leave the backend as it was."""
    code = f"""
import matplotlib
try:
    import matplotlib_inline.backend_inline  # noqa: F401
    matplotlib.use("module://matplotlib_inline.backend_inline")
except ImportError:
    matplotlib.use("svg")
before = matplotlib.get_backend()
import gametheory as gt
from gametheory._format import format_number
import gametheory.report
from gametheory.report.figures import plot_payoff_heatmap, plot_payoff_space
assert matplotlib.get_backend() == before, ("import", matplotlib.get_backend())
gt_report = gametheory.report.build_report(gt.load({str(PAYOFFS / "chicken.toml")!r}))
assert matplotlib.get_backend() == before, ("report", matplotlib.get_backend())
game = gt.load({str(PAYOFFS / "chicken.toml")!r}).game()
plot_payoff_heatmap(gt.solve(game))
plot_payoff_space(game, gt.bargain(game), gt.solve(game))
assert matplotlib.get_backend() == before, ("plot", matplotlib.get_backend())
import matplotlib.pyplot as plt
assert len(plt.get_fignums()) == 2  # the user's plots are pyplot figures; the report's are not
print("ok", before)
"""
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.startswith("ok")


# ---------------------------------------------------------------------- 3. heat map
def test_heatmap_shows_both_players_with_colour_bars_and_readable_text() -> None:
    result = gt.solve(gt.load(LONDON).game())
    figure, axes = report_figure(10, 5, ncols=2)
    plot_payoff_heatmap(result, ax=axes)
    assert len(figure.axes) == 4  # two panels, two colour bars
    for panel, player in zip(axes, (0, 1), strict=True):
        values = result.game.payoffs[player]
        image = panel.get_images()[0]
        texts = panel.texts
        assert [t.get_text() for t in texts] == [format_number(v, 3) for v in values.ravel()]
        for text, value in zip(texts, values.ravel(), strict=True):
            assert text.get_color() == text_colour(image.cmap(image.norm(value)))
        assert {t.get_color() for t in texts} == {"black", "white"}  # dark and light cells
    assert axes[0].get_title() == "US's payoff" and axes[1].get_title() == "China's payoff"


def test_text_colour_contrasts_with_its_background() -> None:
    assert text_colour((0, 0, 0, 1)) == "white" and text_colour((1, 1, 1, 1)) == "black"
    assert text_colour((0.0, 0.27, 0.16, 1)) == "white"  # dark green
    assert text_colour((1.0, 1.0, 0.9, 1)) == "black"  # light yellow


# ---------------------------------------------------------------------- 4. payoff space
def test_coinciding_solutions_share_one_labelled_marker() -> None:
    """London: the disagreement point is the equilibrium (8.5, 5); Nash and Kalai-Smorodinsky
    coincide at (10.25, 6.944); the egalitarian solution (10.34, 6.84) lies apart."""
    game = gt.load(LONDON).game()
    result = gt.solve(game)
    bargaining = gt.bargain(game, list(result.equilibria[0].payoffs))
    labels = {
        m["label"]: m["point"] for m in payoff_space_data(game, bargaining, result)["markers"]
    }
    assert set(labels) == {
        "equilibrium = disagreement point",
        "Nash = Kalai-Smorodinsky",
        "egalitarian",
        "utilitarian",
    }
    assert labels["Nash = Kalai-Smorodinsky"] == pytest.approx([10.25, 6.9444], abs=1e-3)
    figure, axes = report_figure(8.5, 4.5)
    ax = plot_payoff_space(game, bargaining, result, ax=axes[0])
    figure.canvas.draw()
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1  # outside the axes
    assert "Nash = Kalai-Smorodinsky" in [t.get_text() for t in ax.get_legend().get_texts()]
    # The egalitarian point is too close to Nash to tell apart: magnified in an inset.
    assert ax.child_axes


# ---------------------------------------------------------------------- 5. sweep maps
def _grid(xs, ys, rule) -> pd.DataFrame:
    x, y = np.meshgrid(xs, ys)
    return pd.DataFrame(
        {"a": x.ravel(), "b": y.ravel(), "outcome": np.where(rule(x, y), "up", "down").ravel()}
    )


def test_a_straight_boundary_is_stated_as_its_equation() -> None:
    """Outcome 'up' exactly where b > 2 + 3 a; the grid never lands on the line
    (b - 2 - 3a = 0.13 + 0.28 m - 2 - 0.3 k has 28 m - 30 k = 187, impossible in integers)."""
    xs, ys = np.linspace(0, 2, 21), np.linspace(0.13, 9.93, 36)
    lines = boundary_lines(_grid(xs, ys, lambda a, b: b > 2 + 3 * a), "a", "b")
    assert len(lines) == 1
    line = lines[0]["line"]
    assert line["equation"] == "b = 2 + 3 a"
    assert (line["above"], line["below"]) == ("up", "down")
    # A vertical boundary: a > 0.73.
    vertical = boundary_lines(_grid(xs, ys, lambda a, b: a > 0.73), "a", "b")[0]["line"]
    assert vertical["equation"] == "a = 0.75"  # midway between the grid's 0.7 and 0.8
    # A curved boundary is not a line at this resolution.
    curved = boundary_lines(_grid(xs, ys, lambda a, b: b > 1 + 2 * a**2), "a", "b")
    assert curved[0]["line"] is None


def test_london_sweep_boundary_and_map(tmp_path) -> None:
    """The US enforces the deadline iff pressure_value > 1.5 + 4 tariff (tests/test_sweep.py
    derives it from the scenario's formulas)."""
    sc = gt.load(LONDON)
    table = sc.sweep(
        grid={"tariff": np.linspace(0, 1.45, 30), "pressure_value": np.linspace(0, 20, 30)}
    ).table
    report = build_report(sc, sweep=table)
    sweep = report.section("sweep")
    text = " ".join(sweep.paragraphs)
    assert "straight line pressure_value = 1.5 + 4 tariff" in text
    assert "changes between" not in text
    assert "the star marks" in sweep.figures[0].caption
    points = table.groupby("point").first().reset_index()
    _, axes = report_figure(7, 6)
    ax = plot_outcome_map(points, "tariff", "pressure_value", ax=axes[0], baseline=(0.55, 1.0))
    legend = ax.get_legend()
    assert min(t.get_fontsize() for t in legend.get_texts()) >= 9
    assert legend.get_texts()[-1].get_text() == "baseline (tariff = 0.55, pressure_value = 1)"
    assert ax.collections[0].get_rasterized()  # cells as one image: no seams between them
    assert len(ax.collections) == 2  # the cells and the baseline star; no dot per cell


# ---------------------------------------------------------------------- 6. findings
def test_how_sure_leads_with_probability_drivers_and_breaks(london) -> None:
    """London's US lifts its other controls iff reciprocity_value > controls_leverage (with
    China expediting; scenario formula), so the prediction hangs on those two, and with the
    others at the baseline it breaks when controls_leverage passes 3 or reciprocity_value
    drops below 2, each boundary a tie (a degenerate game), which the sentence says."""
    section = london.section("robustness")
    lead = section.paragraphs[0]
    assert lead.startswith(
        "The prediction (US: maintain+extend+lift / China: withhold+expedite) holds with "
        "probability "
    )
    probability = float(lead.split("holds with probability ")[1].split(" ")[0])
    low, high = (float(x) for x in re.findall(r"interval ([0-9.]+) to ([0-9.]+)", lead)[0])
    assert 0 < low <= probability <= high < 1
    hangs = lead.split("It hangs mostly on ")[1].split(".")[0]
    assert "reciprocity_value" in hangs and "controls_leverage" in hangs
    assert "controls_leverage rises above 3 (then US keeps other controls;" in lead
    assert "reciprocity_value falls below 2" in lead
    assert "at exactly 3 the game is degenerate" in lead
    # Moving both together, the gap of 1 closes at 2.5 each (gametheory.prediction_change).
    joint = next(p for p in section.paragraphs if p.startswith("Moving parameters together"))
    assert "controls_leverage from 2 to 2.5 and reciprocity_value from 3 to 2.5" in joint
    assert joint.endswith("just past it, US keeps other controls.")
    captions = [t.caption for t in section.tables]
    assert any(c.startswith("Outcome probabilities") for c in captions)
    assert [f.name for f in section.figures] == ["outcome_probabilities", "sobol"]
    summary = london.section("summary").paragraphs
    assert summary[-1].startswith(
        "Under the beliefs declared for the parameters, this prediction holds with probability "
        f"{probability:.2f}"
    )
    methods = dict(london.methods)
    assert "Saltelli sampling" in methods["Sobol' indices"]
    assert "10,000 independent draws" in methods["outcome probabilities"]


def test_a_parameter_that_moves_nothing_is_not_a_finding() -> None:
    """w only changes a payoff off the equilibrium (Row's payoff at (Up, Left) stays below 3)."""
    sc = gt.load_string(
        """
schema_version = 1
title = "w moves nothing"
[parameters]
w = { value = 1, min = 0, max = 2 }
[players.Row]
actions = ["Up", "Down"]
[players.Col]
actions = ["Left", "Right"]
[payoffs]
Row = [["w", 0], [3, 1]]
Col = [[2, 0], [1, 0]]
"""
    )
    text = " ".join(build_report(sc).section("robustness").paragraphs)
    # (Down, Left) at every w: Col's Left pays 2 or 1 against 0, Row's Up pays w <= 2 < 3.
    assert "holds with probability 1.0000" in text
    assert "No judgement call changes it." in text
    assert "Row's equilibrium payoff does not vary" in text
    assert "hangs mostly" not in text


# ---------------------------------------------------------------------- 7. what would it take
def test_what_would_it_take_in_plain_words(london) -> None:
    """The jointly best outcome (7.5 + 10) needs the US's payoff there raised above its best
    deviation (16.5, at maintain+extend+lift) by the margin: 7.5 -> 16.6; China's above 11
    (withhold+expedite): 10 -> 11.1."""
    text = " ".join(london.section("whatif").paragraphs)
    assert "at the target itself, raise US's payoff from 7.5 to 16.6 (+9.1)" in text
    assert "raise China's payoff from 10 to 11.1 (+1.1)" in text
    for jargon in ("norm", "l1", "margin", "strict equilibrium", "optimisation"):
        assert jargon not in text
    # The US loses security_cost >= 0 by relaxing AI-chip controls, linear in the parameters:
    # no value in the ranges makes relaxing strictly better, and the sentence says so.
    assert "US never loses by switching to maintain+extend+lift" in text


# ---------------------------------------------------------------------- 8. methods
def test_methods_show_the_full_sha256(london) -> None:
    digest = hashlib.sha256(LONDON.read_bytes()).hexdigest()
    assert dict(london.methods)["scenario content hash (SHA-256)"] == digest
    assert f'<td class="hash">{digest}</td>' in render_html(london)


def test_no_negative_zero_anywhere(london, sequential) -> None:
    for report in (london, sequential):
        assert not NEGATIVE_ZERO.search(_text(report))


def test_the_report_says_how_far_each_parameter_can_move(london) -> None:
    # London's deadline choice: the US enforces instead of extending when pressure_value exceeds
    # 1.5 + 4 * tariff (the closed form behind tests/test_sweep.py), i.e. 3.7 at tariff 0.55;
    # the US lifts its other controls while reciprocity_value >= controls_leverage (3 vs 2).
    section = london.section("robustness")
    table = next(t for t in section.tables if t.caption.startswith("Where the prediction holds"))
    rows = {row[0]: row for row in table.rows}
    assert table.columns[1] == "unit" and rows["pressure_value"][1] == "utility"
    assert rows["pressure_value"][4].startswith("3.7")
    assert rows["controls_leverage"][4].startswith("3")
    assert rows["reciprocity_value"][3].startswith("2")
    assert "enforce" in rows["pressure_value"][6]
    assert any(
        p.startswith("Moved one at a time (the others at their values), 3 of the 17 parameters")
        for p in section.paragraphs
    )


def test_how_sure_with_three_players_calls_a_set_a_set() -> None:
    """A and B each join iff the other joins and gain (3) exceeds cost (2); C joins iff gain/2
    times the joiners beats cost (1 - tariff). So all-stay and all-join are both pure
    equilibria at the baseline, and at the sampled points of a three-player game only pure ones
    are sought (the baseline also has a mixed one, A and B joining with probability 2/3, since
    each joins iff 3 P(other joins) >= 2): the sentence names the set and says the list may be
    incomplete."""
    sc = gt.load_string(
        """
schema_version = 1
title = "Three-way talks"
[parameters]
tariff = { value = 0.5, min = 0, max = 1, unit = "fraction" }
gain = { value = 3, min = 0, max = 10, unit = "utility" }
cost = { value = 2, min = 0, max = 10, unit = "utility" }
[players.A]
[players.B]
[players.C]
[chips.a_deal]
player = "A"
options = ["stay", "join"]
[chips.b_deal]
player = "B"
options = ["stay", "join"]
[chips.c_deal]
player = "C"
options = ["stay", "join"]
[payoffs]
A = "gain * a_deal.join * b_deal.join - cost * a_deal.join + tariff * c_deal.join"
B = "gain * b_deal.join * a_deal.join - cost * b_deal.join"
C = "gain * c_deal.join * (a_deal.join + b_deal.join) / 2 - cost * c_deal.join * (1 - tariff)"
"""
    )
    lead = build_report(sc).section("robustness").paragraphs[0]
    assert lead.startswith(
        "The prediction, a set of 2 equilibria (A: stay / B: stay / C: stay | A: join / B: join "
        "/ C: join; the solver's list may be incomplete), holds with probability"
    )
    hangs = lead.split("It hangs mostly on ")[1].split(" (")[0]
    assert "(0 / 0)" not in lead and hangs in ("cost and gain", "gain and cost")
