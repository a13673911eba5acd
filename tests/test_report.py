"""Reports: the data, the self-contained HTML, Markdown, plots, the CLI, and a real browser."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess

import numpy as np
import pytest

import gametheory as gt

from .conftest import PAYOFFS, ROOT
from .test_cli import COMMAND

pytest.importorskip("matplotlib", reason="matplotlib not installed ([report] extra)")
pytest.importorskip("jinja2", reason="Jinja2 not installed ([report] extra)")

from gametheory.report import build_report, render_html, write_report
from gametheory.report.figures import (
    heatmap_data,
    outcome_map_data,
    plot_outcome_map,
    plot_payoff_heatmap,
    plot_payoff_space,
)

LONDON = PAYOFFS / "london_talks_2025.toml"
EXTERNAL = re.compile(
    r"""(src|href)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?https?:|<script|<link""", re.IGNORECASE
)


@pytest.fixture(scope="module")
def london_report():
    return build_report(gt.load(LONDON))


def test_report_sections_and_findings(london_report) -> None:
    ids = [s.id for s in london_report.sections]
    assert ids == [
        "summary",
        "scenario",
        "parameters",
        "payoffs",
        "equilibria",
        "dominance",
        "bargaining",
        "robustness",
        "ordinal",
        "whatif",
    ]
    # The graph model's Nash (rational) stable states are the pure equilibria: London has one.
    ordinal = " ".join(london_report.section("ordinal").paragraphs)
    assert "Nash equilibria: state 23 (US: maintain+extend+lift / China: withhold+expedite)." in (
        ordinal
    )
    findings = " ".join(london_report.section("equilibria").paragraphs)
    assert (
        "At the baseline, the only equilibrium is pure: US: maintain+extend+lift / China: "
        "withhold+expedite" in findings
    )
    assert "every equilibrium of the game" in findings
    methods = dict(london_report.methods)
    assert methods["gametheory version"] == gt.__version__
    digest = hashlib.sha256(LONDON.read_bytes()).hexdigest()  # the full SHA-256, 64 hex digits
    assert methods["scenario content hash (SHA-256)"] == digest and len(digest) == 64
    assert methods["solver"].startswith("vertex_enumeration")
    params = london_report.section("parameters").tables[0]
    assert params.rows[0][:2] == ("tariff", "0.55")


def test_html_is_self_contained(london_report, tmp_path) -> None:
    html = render_html(london_report)
    assert not EXTERNAL.search(html), EXTERNAL.search(html)
    figures = sum(len(s.figures) for s in london_report.sections)
    assert figures == 5  # heat map, payoff space, outcome probabilities, Sobol' indices, moves
    assert html.count("<svg") == figures
    for section in london_report.sections:
        assert f'id="{section.id}"' in html
    path = write_report(london_report, tmp_path / "r.html")
    assert path.read_text() == html


def test_markdown_links_its_figures(london_report, tmp_path) -> None:
    path = write_report(london_report, tmp_path / "r.md")
    text = path.read_text()
    assert text.startswith("# London talks 2025")
    assert "| US \\ China | withhold+slow |" in text
    for name in ("payoffs", "payoff_space"):
        assert f"(r_files/{name}.svg)" in text
        assert (tmp_path / "r_files" / f"{name}.svg").read_text().startswith("<svg")
    with pytest.raises(gt.ScenarioError, match=r"\.html or \.md"):
        write_report(london_report, tmp_path / "r.pdf")


def test_sweep_and_sequential_sections(tmp_path) -> None:
    sc = gt.load(LONDON)
    table = sc.sweep(
        grid={"tariff": np.linspace(0, 1.45, 8), "pressure_value": np.linspace(0, 20, 8)}
    ).table
    report = build_report(sc, sweep=table)
    sweep = report.section("sweep")
    assert sweep.figures and "64 points" in sweep.paragraphs[0]
    # From the scenario's formulas the US enforces iff pressure_value > 1.5 + 4 tariff.
    line = next(p for p in sweep.paragraphs if "straight line" in p)
    assert "pressure_value = 1.5 + 4 tariff" in line
    assert (
        "US: maintain+enforce+keep / China: withhold+slow where pressure_value > 1.5 + 4 tariff"
        in line
    )
    assert "<h2>" in report._repr_html_()
    assert sum(float(r[1].rstrip("%")) for r in sweep.tables[0].rows) == pytest.approx(100, abs=0.2)
    sequential = build_report(gt.load(PAYOFFS / "london_talks_2025_sequential.toml"))
    section = sequential.section("sequential")
    assert (
        "Subgame-perfect outcome: US: maintain+extend+lift / China: withhold+expedite."
        in section.paragraphs
    )


def test_heatmap_data_marks_equilibria() -> None:
    bos = gt.load(PAYOFFS / "battle_of_the_sexes.toml").game()
    data = heatmap_data(gt.solve(bos))
    assert data["pure"] == [(0, 0), (1, 1)]
    assert data["mixed"] == [(0, 1), (1, 0)]  # the mixed equilibrium's support
    assert data["values"].tolist() == [[2, 0], [0, 1]]


def test_outcome_map_data() -> None:
    import pandas as pd

    points = pd.DataFrame({"a": [0, 1, 2], "b": [1, 1, 1], "outcome": ["x", "y", "x"]})
    data = outcome_map_data(points, "a", "b")
    assert data["labels"] == ["x", "y"]
    assert data["codes"].tolist() == [0, 1, 0]


def test_plots_take_an_axes_and_return_it() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    game = gt.load(PAYOFFS / "chicken.toml").game()
    result = gt.solve(game)
    fig, axes = plt.subplots(1, 3)
    assert plot_payoff_heatmap(result, ax=axes[0]) is axes[0]
    assert plot_payoff_space(game, gt.bargain(game), result, ax=axes[1]) is axes[1]
    points = pd.DataFrame({"a": [0, 1], "b": [1, 2], "outcome": ["x", "y"]})
    assert plot_outcome_map(points, "a", "b", ax=axes[2]) is axes[2]
    plt.close(fig)


def test_cli_report(tmp_path) -> None:
    out = tmp_path / "london.html"
    run = subprocess.run(
        [*COMMAND, "report", str(LONDON), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert out.exists() and "report written" in run.stdout
    bad = subprocess.run(
        [*COMMAND, "report", str(LONDON), "--out", str(tmp_path / "r.txt")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 2 and ".html or .md" in bad.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
    # No network: every host name fails to resolve and any proxy use goes nowhere.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=127.0.0.1:9",
    "--enable-logging=stderr",
    "--v=0",
]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (.ci/run installs it)")
def test_report_renders_in_a_real_browser_offline(london_report, tmp_path) -> None:
    page = write_report(london_report, tmp_path / "london.html")
    profile = tmp_path / "profile"
    dom = subprocess.run(
        [CHROMIUM, *OFFLINE, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    for section in london_report.sections:
        assert f'id="{section.id}"' in dom.stdout
    assert dom.stdout.count("<svg") == 5
    assert "Uncaught" not in dom.stderr and "CONSOLE" not in dom.stderr
    artifacts = ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    shot = artifacts / "london_report.png"
    run = subprocess.run(
        [
            CHROMIUM,
            *OFFLINE,
            f"--user-data-dir={profile}",
            "--window-size=1200,3000",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0 and shot.stat().st_size > 10_000


def test_best_response_data_closed_forms() -> None:
    """Battle of the sexes: the row player is indifferent when the column player chooses Bach
    with probability 1/3, the column player when the row player does with 2/3 (the mixed
    equilibrium); chicken with crash 10: both at 9/10."""
    from gametheory.report.figures import best_response_data, plot_best_responses

    bos = best_response_data(gt.load(PAYOFFS / "battle_of_the_sexes.toml").game())
    assert bos["q_star"] == pytest.approx(1 / 3) and bos["p_star"] == pytest.approx(2 / 3)
    assert (2 / 3, 1 / 3) in [tuple(round(v, 12) for v in e) for e in bos["equilibria"]] or any(
        e == pytest.approx((2 / 3, 1 / 3)) for e in bos["equilibria"]
    )
    chicken = gt.load(PAYOFFS / "chicken.toml").game()
    data = best_response_data(chicken)
    assert data["q_star"] == pytest.approx(0.9) and data["p_star"] == pytest.approx(0.9)
    assert plot_best_responses(chicken) is not None
    with pytest.raises(ValueError, match="2x2"):
        best_response_data(gt.load(LONDON).game())


def test_parameter_path_data() -> None:
    from gametheory.report.figures import parameter_path_data, plot_parameter_path

    table = gt.load(PAYOFFS / "chicken.toml").sweep(grid={"crash": [2.0, 10.0]}).table
    data = parameter_path_data(table, "crash", ["Row:Swerve"])
    # Mean over the three equilibria: (1 + 0 + (c - 1)/c) / 3.
    assert data["Row:Swerve"].tolist() == pytest.approx([(1 + 0.5) / 3, (1 + 0.9) / 3])
    assert plot_parameter_path(table, "crash", ["Row:Swerve"]) is not None


def test_explore_sliders_drive_the_solution() -> None:
    pytest.importorskip("ipywidgets", reason="ipywidgets not installed ([report] extra)")
    explorer = gt.explore(gt.load(PAYOFFS / "chicken.toml"), plot="best_responses")
    slider = explorer.sliders["crash"]
    assert (slider.min, slider.max, slider.value) == (1.0, 100.0, 10.0)
    mixed = [eq for eq in explorer.result.equilibria if not eq.is_pure]
    assert mixed[0].strategy("Row")["Swerve"] == pytest.approx(0.9)
    slider.value = 50.0  # moving the slider re-solves: swerve with (c - 1) / c
    mixed = [eq for eq in explorer.result.equilibria if not eq.is_pure]
    assert mixed[0].strategy("Row")["Swerve"] == pytest.approx(49 / 50)
    assert explorer.result.parameters["crash"] == 50.0
    assert "49/50" in explorer.tables.value
    with pytest.raises(gt.ScenarioError, match="plot must be"):
        gt.explore(gt.load(PAYOFFS / "chicken.toml"), plot="3d")


def test_whatif_section_targets_the_jointly_best_outcome(london_report) -> None:
    """The largest total payoff in the London table is relax+extend+lift / license+expedite
    (7.5 + 10); it is not an equilibrium, and in this simultaneous model no parameter values
    make it one (relaxing never pays the US unless China's licence depends on it)."""
    section = london_report.section("whatif")
    assert "largest total payoff" in section.paragraphs[0]
    assert "relax+extend+lift / China: license+expedite" in section.paragraphs[1]
    assert "No parameter values" in section.paragraphs[2]
    chosen = build_report(
        gt.load(LONDON), target={"US": "maintain+enforce+keep", "China": "withhold+slow"}
    )
    text = " ".join(chosen.section("whatif").paragraphs)
    assert "becomes an equilibrium in which each side would lose at least 0.1" in text
