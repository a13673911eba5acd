"""Reports: data first, rendered second.

:mod:`.build` gathers sections, tables and figures; :mod:`.render` turns them into HTML or
Markdown; :mod:`.figures` draws the plots. Needs the ``[report]`` extra (matplotlib, Jinja2).
"""

from __future__ import annotations

from .build import Figure, Report, Section, Table, build_report
from .render import render_html, render_markdown, write_report

__all__ = [
    "Figure",
    "Report",
    "Section",
    "Table",
    "build_report",
    "render_html",
    "render_markdown",
    "write_report",
]
