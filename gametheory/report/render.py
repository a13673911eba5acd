"""Render a :class:`~gametheory.report.build.Report` as HTML or Markdown (Jinja2 templates).

The HTML page is self-contained: styles are inline, figures are inline SVG, and nothing is
loaded from the network. The Markdown version writes its figures as SVG files in a folder next
to it (``NAME_files/``) and links them. The renderer reads a report's attributes and does not
import :mod:`.build` (which imports it), so the two modules form no cycle.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["render_html", "render_markdown", "write_report"]


def _environment(autoescape: bool):  # type: ignore[no-untyped-def]
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("gametheory.report", "templates"),
        autoescape=autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    return env


def render_html(report: Any) -> str:
    """The report as one self-contained HTML page."""
    return str(_environment(True).get_template("report.html.j2").render(report=report))


def render_markdown(report: Any, figure_dir: str = "figures") -> str:
    """The report as Markdown; figures are linked from ``figure_dir``."""
    template = _environment(False).get_template("report.md.j2")
    return str(template.render(report=report, figure_dir=figure_dir))


def check_destination(path: str | Path) -> None:
    """Fail at once, naming ``path``, if a report cannot be written there.

    Called before a report is computed, so a bad ``--out`` costs no work: the folder must exist
    and accept a new file (tried with a temporary file, removed at once).

    Raises
    ------
    OSError
        The folder is missing, not a folder or not writable (the error names ``path``).
    """
    import tempfile

    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise IsADirectoryError(21, "is a folder, not a report file", str(path))
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", suffix=".probe"):
            pass
    except OSError as exc:
        raise type(exc)(exc.errno, exc.strerror, str(path)) from None


def write_report(report: Any, path: str | Path) -> Path:
    """Write the report to ``path`` (``.html``/``.htm`` or ``.md``); return the path."""
    from ..errors import ScenarioError

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        path.write_text(render_html(report), encoding="utf-8")
        return path
    if suffix == ".md":
        folder = path.with_name(path.stem + "_files")
        folder.mkdir(parents=True, exist_ok=True)
        for section in report.sections:
            for figure in section.figures:
                (folder / f"{figure.name}.svg").write_text(figure.svg, encoding="utf-8")
        path.write_text(render_markdown(report, folder.name), encoding="utf-8")
        return path
    raise ScenarioError("report output must end in .html or .md", file=str(path))
