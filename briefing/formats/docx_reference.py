"""The built-in Word reference document: what ``briefing templates eject reference.docx`` writes.

It is the document every brief starts from when the project has no ``reference.docx`` of its own: the
styles built from the brand (the audience's, with ``--audience``), the page, the running header and footer
(title and classification as document-property fields, "Page X of Y" in the audience's language), and one
paragraph in each style the briefs use, named after it, to restyle in Word.  Built in code, never kept
as a binary: the same project gives the same bytes (dates from ``SOURCE_DATE_EPOCH`` or the project).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ..filters import typographic
from .docx_content import FIGURES_ALIGN, FIGURES_COLUMNS
from .docx_model import Block, Cell, Contents, Para, Span, Table
from .docx_render import base_document, finish

if TYPE_CHECKING:
    from ..labels import Labels
    from ..project import Project


def _sample_blocks() -> list[Block]:
    """One paragraph in each style the briefs use, named after it: restyle them in Word."""
    def para(style: str, text: str = "", **options: Any) -> Para:
        return Para(style, (Span(text or style),), **options)

    body = (Span("Normal: body text, with "), Span("bold", bold=True), Span(", "), Span("italic", italic=True),
            Span(", "), Span("code", code=True), Span(", a "), Span("link", link="https://example.org",
                                                                            style="Hyperlink"),
            Span(" and a citation"), Span("[1]", style="Citation", anchor="sample_source"), Span("."))
    cells = ((Cell((para("Normal", "Figure"),)), Cell((para("Normal", "What"),)),
              Cell((para("Normal", "Basis"),)), Cell((para("Normal", "Source"),))),
             (Cell((para("Normal", "42%"),)), Cell((para("Normal", "Figures Table: a row"),)),
              Cell((para("Normal", "Reported"),)), Cell((para("Normal", "[1]"),))))
    return [para("Classification"), para("Kicker"), para("Title"), para("Subtitle"),
            para("Meta Label"), para("Meta"), para("TOC Heading"), Contents(),
            para("Heading 1"), Para("Normal", body), para("Takeaway"), para("Heading 2"),
            para("List Bullet"), para("List Bullet"), para("List Bullet 2"),
            para("List Number", numbering=1), para("List Number", numbering=1), para("List Number 2", numbering=2),
            para("Heading 3"), para("Quote"), para("Caption"),
            Table("Figures Table", cells[0], (cells[1],), FIGURES_COLUMNS, FIGURES_ALIGN),
            para("Bibliography", "[1]\tBibliography: a source", bookmark="sample_source")]


def reference_docx(project: Project, audience: str | None = None) -> bytes:
    """The built-in reference document for ``audience`` (or the project): its styles from the brand, its
    page, header and footer, and a paragraph in each style."""
    from .docx_page import header_spans, page_of_spans
    from .docx_write import Writer

    labels: Labels
    if audience is not None:
        from ..select import make_target

        target = make_target(project, audience)
        language, labels, brand = target.language, target.labels, target.brand
    else:
        from ..labels import resolve_labels

        language = project.config.language
        labels, brand = resolve_labels(language, project.config.labels), project.brand
    config = project.config
    document = base_document(brand, language, config.paper_size)
    Writer(document).write(_sample_blocks())
    title = typographic(config.title)
    classification = typographic(config.classification) if config.classification else ""
    properties = document.core_properties
    properties.title, properties.category, properties.language = title, classification, language
    properties.author = properties.last_modified_by = config.author or config.organisation or ""
    properties.comments = properties.keywords = properties.subject = ""
    properties.revision = 1
    properties.created = properties.modified = properties.last_printed = _reference_time(config.date)
    return finish(document, header=header_spans(title, classification, brand.colours.marking),
                  footer=page_of_spans(labels.page_of), cover=False, from_reference=False,
                  values={"title": title, "category": classification}, contents=True)


def _reference_time(day: dt.date | None) -> dt.datetime:
    """When the reference document was made: ``SOURCE_DATE_EPOCH`` when set, else the project's date."""
    from ..select import modified_date

    day = day or dt.date(1980, 1, 1)
    stamp = modified_date(day)
    return dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ") if "T" in stamp else dt.datetime.combine(day, dt.time())
