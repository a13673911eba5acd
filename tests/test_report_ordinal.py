"""Report section of a graph model: state table, sanctions in words, move graph."""

from __future__ import annotations

import pytest

from gametheory.analysis.ordinal import GraphModel, analyse
from gametheory.io.ordinal import read_ordinal
from gametheory.report.build import Section
from gametheory.report.ordinal import move_graph_data, ordinal_section, plot_moves

from .conftest import PAYOFFS
from .test_ordinal import cuba, elmira

pytest.importorskip("matplotlib")


def test_elmira_section_marks_the_published_equilibria():
    model = elmira()
    section = ordinal_section(model)
    assert isinstance(section, Section) and section.id == "ordinal"
    table = section.tables[0]
    seq = table.columns.index("SEQ")
    rows = {row[0].split()[0]: row for row in table.rows}
    # Published SEQ equilibria 5 (NYNNY) and 8 (YNYNY): our states 7 and 10.
    assert rows[str(model.state("NYNNY") + 1)][seq] == "equilibrium"
    assert rows[str(model.state("YNYNY") + 1)][seq] == "equilibrium"
    # State 1 (status quo) is stable for MoE and Uniroyal but not LocalGov under SEQ.
    assert rows["1"][seq] == "MoE, Uniroyal"
    assert "(status quo)" in table.rows[0][0]
    assert any("coalition Nash" in p for p in section.paragraphs)
    assert section.figures and section.figures[0].svg.startswith("<svg")


def test_cuba_sanctions_are_spelled_out():
    section = ordinal_section(cuba(), figure=False)
    words = [row[1] for table in section.tables[1:] for row in table.rows]
    assert any("US drops blockade" in w and "USSR drops withdraw" in w for w in words)


def test_move_graph_shows_only_improvements_between_shown_states():
    model = GraphModel.from_spec(read_ordinal(PAYOFFS / "london_talks_2025_ordinal.toml"))
    data = move_graph_data(model)
    shown = set(data["states"])
    assert model.status_quo in shown and set(analyse(model).equilibria("seq")) <= shown
    for mover, a, b in data["arcs"]:
        assert a in shown and b in shown
        assert model.ranks[mover][b] > model.ranks[mover][a]
    ax = plot_moves(model)
    assert len(ax.patches) + len(ax.texts) >= len(data["arcs"])


def test_section_renders_in_both_formats():
    from gametheory.report.build import Report
    from gametheory.report.render import render_html, render_markdown

    report = Report("Elmira", (ordinal_section(elmira()),))
    html, markdown = render_html(report), render_markdown(report)
    assert "Stability when only rankings are known" in html and "<svg" in html
    assert "## Stability when only rankings are known (graph model)" in markdown


def test_report_command_on_an_ordinal_file_leads_with_the_resolutions(tmp_path):
    """`gametheory report` on the Elmira file: one graph-model section that opens with the
    SEQ equilibria; the published ones (Fang, Hipel and Kilgour 1993: states 5 = NYNNY and
    8 = YNYNY, plus Uniroyal abandoning) are named in the first sentence."""
    from gametheory.cli import main

    out = tmp_path / "elmira.html"
    assert main(["report", str(PAYOFFS / "elmira_ordinal.toml"), "--out", str(out)]) == 0
    html = out.read_text()
    lead = html[html.index("Likely resolutions") :][:600]
    assert "(NYNNY)" in lead and "(YNYNY)" in lead
    assert "<svg" in html and "scenario content hash" in html
    assert (
        main(["report", str(PAYOFFS / "elmira_ordinal.toml"), "--set", "x=1", "--out", str(out)])
        == 2
    )
