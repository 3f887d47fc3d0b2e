"""PowerPoint: a 16:9 deck per audience, built with python-pptx on the engine pool.

The slides, in order (``pptx_deck`` orders them, ``pptx_content`` chooses the words, ``pptx_slides`` lays
them out):

* the cover: a band of the brand's primary colour with the audience ('Prepared for Board'), the title and
  subtitle; below it the date, author and organisation, the classification, and the logo (PNG or JPEG;
  PowerPoint cannot show the SVG logos the web page uses, so a deck with one has none);
* the bottom line (the brief's summary), the key takeaways, and the figures table when the audience has one;
* for each theme read beyond its takeaway: a lead slide whose headline is the takeaway, with three to
  five bullets of its facts and figures (more continue on the next slide) and the theme's key figure (its
  first fact with a figure) as a big-number callout, or its summary when the audience reads summaries;
  then a slide per chart (``pptx_charts``: headline the takeaway, the drawing, its data and sources); then
  one slide titled with the theme's title holding its quotes ('In their words') and implications as two
  text blocks side by side (``pptx_columns``), or, when they fit under the lead slide's facts, on the lead
  slide itself (``pptx_lead``);
* one risks table for the whole brief (theme, risk, likelihood, impact, and mitigation when it costs no
  extra slide), one decisions table (theme, decision and why, owner, horizon) holding the themes'
  recommendations and the closing action list once each, both continued with their header when long
  (``pptx_tables``); the numbered sources.

The speaker notes of a theme's lead slide hold its summary, and, for an audience with the evidence
appendix, the source's own words behind each fact and quote; a risks or decisions table shown without its
mitigations or rationales has them in its notes.  How text is kept inside its boxes (shrink,
continue on '(continued)' slides, or shorten at 'summary' depth) is in ``pptx_slides``; how it is
measured, in ``pptx_fit`` (``frame_overflow`` measures a written frame as the layout did).

A project's ``templates/<audience>/reference.pptx`` or ``templates/reference.pptx`` (read through the
containment rule) gives the master and layouts: its background, decorations and layouts show; the text
keeps the brand's fonts and colours, which every run sets.  ``pptx_base.builtin_reference()`` is the
built-in one to start from.  Fonts are named, not embedded: a viewer without them substitutes its own,
which the measure allows for.  A chart's drawing is rendered in the build's process (the audience's
``ChartRenderer`` lives there) and travels in the job as PNG bytes.

The same inputs give the same bytes: no clock, no random ids, the package re-zipped by
``ooxml.reproducible_package`` and the document properties from the view (``ooxml.set_core_properties``).

Read back for the parity check, a deck is every paragraph of every shape's text and every table cell's,
slide by slide.  Speaker notes are not: the audience never sees them, so every item the view selects
must be on a slide.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from functools import cache, partial
from typing import TYPE_CHECKING, Any, cast

from ..charts.render import engine_version
from ..charts.template import renderer
from ..errors import RenderError, relative_name
from ..registry import Rendered, RenderRequest
from ..safe_files import MAX_ASSET_BYTES, UnsafeFile, read_bytes
from .ooxml import reproducible_package, set_core_properties
from .pptx_charts import chart_slide
from .pptx_content import Deck
from .pptx_deck import build_deck
from .pptx_fit import FontBook, FontFace

if TYPE_CHECKING:
    from ..project import Project
    from ..select import BriefView

REFERENCE = "reference.pptx"
_PNG, _JPEG = b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff"


@dataclass(frozen=True)
class _Language:
    language: str


@dataclass(frozen=True)
class DocumentFacts:
    """What the document properties are made of (the fields of a view ``set_core_properties`` reads)."""

    title: str
    author: str | None
    organisation: str | None
    keywords: tuple[str, ...]
    classification: str | None
    modified: str
    date: Any
    language: str

    @property
    def target(self) -> _Language:
        return _Language(self.language)

    @staticmethod
    def of(view: BriefView) -> DocumentFacts:
        return DocumentFacts(view.title, view.author, view.organisation, tuple(view.keywords), view.classification,
                             view.modified, view.date, view.language)


@dataclass(frozen=True)
class PptxJob:
    """Everything needed to lay out and write one deck; picklable, so any executor can run it."""

    deck: Deck
    fonts: FontBook
    facts: DocumentFacts
    subject: str
    reference: bytes | None = None
    logo: bytes | None = None
    warnings: tuple[str, ...] = ()

    def run(self) -> Rendered:
        from .pptx_base import open_base
        from .pptx_slides import lay_out

        try:
            prs = open_base(self.reference)
        except Exception as exc:  # noqa: BLE001 - a reference python-pptx cannot open is the project's to fix
            raise RenderError("cannot open the PowerPoint reference", REFERENCE,
                              f"{type(exc).__name__}: {exc}") from None
        try:
            warnings = lay_out(prs, self.deck, self.fonts, self.logo)
            set_core_properties(prs.core_properties, cast("BriefView", self.facts), subject=self.subject)
            out = io.BytesIO()
            prs.save(out)
        except RenderError:
            raise
        except Exception as exc:  # noqa: BLE001 - the library's failures become one error type
            raise RenderError(f"PowerPoint writer failed: {type(exc).__name__}: {exc}") from exc
        return Rendered(reproducible_package(out.getvalue()), warnings=[*self.warnings, *warnings],
                        text="\n".join(presentation_blocks(prs)))


@dataclass(frozen=True)
class WarmUp:
    """Import python-pptx and decode the shipped fonts' metrics, so forked workers start with both."""

    def run(self) -> Rendered:
        from .pptx_base import builtin_base

        builtin_base()
        book = FontBook.builtin()
        for family, _faces in book.faces:
            for bold in (False, True):
                for italic in (False, True):
                    book.advances(family, bold, italic)
        return Rendered(b"")


def font_book(view: BriefView, root: str) -> FontBook:
    """The built-in families, and the project's own files for a brand family that ships them."""
    book = FontBook.builtin()
    for font in (view.brand.fonts.heading, view.brand.fonts.body):
        if font.files:
            book = book.with_family(font.family, [FontFace(file.path, file.weight, file.style, root)
                                                  for file in font.files])
    return book


def reference_file(project: Project, audience: str) -> tuple[str, bytes] | None:
    """The audience's ``reference.pptx``, else the project's, read through the containment rule."""
    for folder in (project.templates_dir / audience, project.templates_dir):
        path = folder / REFERENCE
        if os.path.lexists(path):
            shown = relative_name(path, project.root)
            try:
                return shown, read_bytes(project.root, path, max_bytes=MAX_ASSET_BYTES)
            except UnsafeFile as exc:
                raise RenderError("cannot use the PowerPoint reference", shown, exc.reason) from None
    return None


def logo_file(project: Project, view: BriefView) -> tuple[bytes | None, list[str]]:
    """The brand's logo when it is a PNG or JPEG image (the formats a deck shows everywhere)."""
    if not view.brand.logo:
        return None, []
    try:
        data = read_bytes(project.root, view.brand.logo, max_bytes=MAX_ASSET_BYTES)
    except UnsafeFile as exc:
        return None, [f"PowerPoint: refused the logo {view.brand.logo}: {exc.reason}"]
    return (data if data.startswith((_PNG, _JPEG)) else None), []


def presentation_blocks(prs: Any) -> list[str]:
    """Every paragraph of every shape and table cell on the slides, in order (not the speaker notes)."""
    blocks: list[str] = []

    def shapes(group: Any) -> None:
        for shape in group:
            if shape.shape_type is not None and getattr(shape, "shapes", None) is not None:
                shapes(shape.shapes)  # a group
            if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
                blocks.extend(_paragraphs(shape.text_frame))
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    for cell in row.cells:
                        blocks.extend(_paragraphs(cell.text_frame))

    for slide in prs.slides:
        shapes(slide.shapes)
    return blocks


_SPACES = re.compile(r"[ \t\r\n\v]+")  # line breaks and runs of spaces; no-break spaces are kept


def _paragraphs(text_frame: Any) -> list[str]:
    found = (_SPACES.sub(" ", paragraph.text).strip() for paragraph in text_frame.paragraphs)
    return [text for text in found if text]


@cache
def library_versions() -> str:
    from importlib import metadata

    return ",".join(f"{name}={metadata.version(name)}" for name in ("python-pptx", "fonttools"))


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def pptx_job(request: RenderRequest) -> PptxJob:
    """Plan the deck in this process (words, measures, chart pictures); the job writes it in a worker."""
    project, view = request.project, request.view
    reference = reference_file(project, view.target.id)
    logo, warnings = logo_file(project, view)
    subject = view.labels.audience_brief.format(audience=view.audience.name)
    deck = build_deck(view, partial(chart_slide, view, renderer(request.env)))
    return PptxJob(deck, font_book(view, str(project.root)), DocumentFacts.of(view), subject,
                   reference[1] if reference else None, logo, tuple(warnings))


def pptx_cache_inputs(request: RenderRequest) -> Any:
    project, view = request.project, request.view
    try:
        reference = reference_file(project, view.target.id)
    except RenderError as error:
        reference = (str(error), b"")
    logo, _ = logo_file(project, view)
    return {"libraries": library_versions(), "reference": reference and (reference[0], _digest(reference[1])),
            "logo": _digest(logo), "charts": engine_version()}  # a new charts engine may draw differently


def pptx_blocks(data: bytes) -> list[str]:
    from pptx import Presentation

    return presentation_blocks(Presentation(io.BytesIO(data)))
