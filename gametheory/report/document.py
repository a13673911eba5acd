"""The report as data: tables, figures, titled sections and the whole report.

Builders (:mod:`.build`, :mod:`.ordinal`) make these; :mod:`.render` turns them into HTML or
Markdown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .render import render_html

__all__ = ["Figure", "Report", "Section", "Table"]


@dataclass(frozen=True)
class Table:
    """A table: column names and rows of strings; ``fold``: shown folded (``<details>``)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""
    fold: bool = False


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
