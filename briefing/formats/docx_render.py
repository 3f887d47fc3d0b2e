"""Word: the brief as a .docx document, built with python-docx on the engine pool.

The build's process decides what the document says (``docx_content``: the same view, section order,
labels and language as the other formats) and a worker writes it (``docx_write``): built-in styles for
what they mean, so Word's navigation pane, outline, contents and restyling work; a cover, a contents
field Word fills on opening, a running header and a "Page X of Y" footer; citations linked to the
sources list; document properties from the brief (dates from ``SOURCE_DATE_EPOCH`` or the brief, never
the clock), and one zip layout, so the same inputs give the same bytes.

A project may keep a ``templates/reference.docx`` (or ``templates/<audience>/reference.docx``), as
Pandoc does: its styles, page setup, header and footer win, and only the styles it lacks are added.
``briefing templates eject reference.docx`` writes the built-in one to start from.  Files are read
through the containment rule (``safe_files``); a logo is used when it is a PNG or JPEG image.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..assets import read_asset
from ..errors import RenderError, relative_name
from ..filters import typographic
from ..registry import Rendered, RenderRequest
from ..safe_files import MAX_ASSET_BYTES, UnsafeFile, read_bytes
from ..templating import template_search_path
from .docx_content import Planner
from .docx_model import Block, Contents, Span
from .docx_styles import W_NS, add_missing_styles, declare_fonts, install_styles, set_page, text_width
from .ooxml import drop_thumbnail, reproducible_package, set_app_properties, set_core_properties

if TYPE_CHECKING:
    from ..brand import Brand
    from ..project import Project
    from ..select import BriefView

REFERENCE_DOCX = "reference.docx"
IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # PNG, JPEG: what Word shows everywhere
_W = f"{{{W_NS}}}"


# -- the files a document depends on -----------------------------------------------------------------


def find_reference(project: Project, audience: str | None) -> Path | None:
    """The reference document that wins for ``audience``: its own folder's, else the project's."""
    for folder in template_search_path(project.templates_dir, audience)[:-1]:  # never a built-in one
        path = folder / REFERENCE_DOCX
        if os.path.lexists(path):
            return path
    return None


def read_reference(project: Project, path: Path) -> bytes:
    try:
        return read_bytes(project.root, path, max_bytes=MAX_ASSET_BYTES)
    except UnsafeFile as exc:
        raise RenderError("cannot use the Word reference document", relative_name(path, project.root),
                          exc.reason + (f" ({exc.hint})" if exc.hint else "")) from None


def logo_image(project: Project, brand: Brand) -> bytes | None:
    """The brand's logo when it is a PNG or JPEG image (read through the containment rule), else None."""
    if not brand.logo:
        return None
    data = read_asset(project.root, brand.logo)
    return data if data.startswith(IMAGE_SIGNATURES) else None


@cache
def docx_version() -> str:
    from importlib import metadata

    return metadata.version("python-docx")


def _digest(data: bytes | None) -> str | None:
    import hashlib

    return hashlib.sha256(data).hexdigest() if data is not None else None


# -- building the document -----------------------------------------------------------------------------


def _clear_body(document: Any) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != _W + "sectPr":
            body.remove(child)
    body.get_or_add_sectPr()


def _text_width(document: Any, paper: str) -> int:
    section = document.sections[-1]
    try:
        return int((section.page_width - section.left_margin - section.right_margin) / 635)
    except TypeError:  # a reference without page size or margins
        return text_width(paper)


def base_document(brand: Brand, language: str, paper: str, reference: bytes | None = None,
                  reference_name: str = "") -> Any:
    """python-docx's document with the brief's styles and page, or the reference document emptied."""
    from docx import Document

    from .docx_page import drop_styles_with_effects

    if reference is None:
        document = Document()
        install_styles(document, brand, language, paper)
        set_page(document.sections[0], paper)
        drop_styles_with_effects(document)
        declare_fonts(document, brand)
        return document
    try:
        document = Document(io.BytesIO(reference))
    except Exception as exc:  # noqa: BLE001 - whatever python-docx makes of a bad file, say which file
        raise RenderError("cannot read the Word reference document", reference_name,
                          f"{type(exc).__name__}: {exc}") from None
    _clear_body(document)
    if add_missing_styles(document, brand, _text_width(document, paper)):
        declare_fonts(document, brand)
    return document


def finish(document: Any, *, header: tuple[Span, ...], footer: tuple[Span, ...], cover: bool,
           from_reference: bool, values: dict[str, str], contents: bool) -> bytes:
    """Header, footer, settings and properties; the package's bytes, the same for the same inputs."""
    from .docx_page import refresh_header_footer, tidy_settings, write_header_footer
    from .docx_write import Writer, set_update_fields

    write_header_footer(document, Writer(document), header, footer, cover=cover, keep_existing=from_reference)
    refresh_header_footer(document, values)
    package = document.part.package
    set_app_properties(package, values.get("company"))
    drop_thumbnail(package)
    tidy_settings(document)
    if contents:
        set_update_fields(document)
    out = io.BytesIO()
    document.save(out)
    return reproducible_package(out.getvalue())


@dataclass(frozen=True)
class Language:
    language: str


@dataclass(frozen=True)
class DocumentInfo:
    """What the worker needs of the view besides its blocks (a view does not travel between processes):
    the document properties as ``ooxml.set_core_properties`` reads them, the page, brand and wording."""

    title: str
    author: str | None
    organisation: str | None
    classification: str | None
    keywords: list[str]
    date: dt.date
    modified: str
    target: Language
    subject: str
    paper: str
    brand: Brand
    cover: bool
    page_of: str

    @classmethod
    def of(cls, view: BriefView) -> DocumentInfo:
        labels = view.labels
        return cls(title=typographic(view.title), author=view.author, organisation=view.organisation,
                   classification=typographic(view.classification) if view.classification else None,
                   keywords=list(view.keywords), date=view.date, modified=view.modified,
                   target=Language(view.language),
                   subject=typographic(labels.audience_brief.format(audience=view.audience.name)),
                   paper=view.config.paper_size, brand=view.brand, cover=view.profile.pdf.cover,
                   page_of=labels.page_of)


def build_docx(info: DocumentInfo, blocks: tuple[Block, ...], reference: bytes | None = None,
               reference_name: str = "") -> tuple[bytes, list[str]]:
    """The brief's .docx bytes and its blocks of text as read back."""
    from .docx_page import header_spans, page_of_spans
    from .docx_write import Writer

    document = base_document(info.brand, info.target.language, info.paper, reference, reference_name)
    Writer(document).write(blocks)
    properties = document.core_properties
    set_core_properties(properties, cast(Any, info), subject=info.subject)
    classification = info.classification or ""
    values = {"title": info.title, "subject": info.subject, "author": properties.author,
              "keywords": properties.keywords, "category": classification, "company": info.organisation or ""}
    data = finish(document, header=header_spans(info.title, classification, info.brand.colours.marking),
                  footer=page_of_spans(info.page_of), cover=info.cover, from_reference=reference is not None,
                  values=values, contents=any(isinstance(block, Contents) for block in blocks))
    return data, read_blocks(document)


@dataclass(frozen=True)
class DocxJob:
    """Everything needed to write one brief's .docx; picklable, so any executor can run it."""

    info: DocumentInfo
    blocks: tuple[Block, ...]
    reference: bytes | None = field(default=None, repr=False)
    reference_name: str = ""

    def run(self) -> Rendered:
        try:
            data, blocks = build_docx(self.info, self.blocks, self.reference, self.reference_name)
        except RenderError:
            raise
        except Exception as exc:  # noqa: BLE001 - the library's failures become one error type
            raise RenderError(f"Word document failed: {type(exc).__name__}: {exc}") from exc
        return Rendered(data, text="\n".join(blocks))


@dataclass(frozen=True)
class WarmUp:
    """Import python-docx and parse its template once, so forked workers start warm."""

    def run(self) -> Rendered:
        from docx import Document

        Document()
        return Rendered(b"")


# -- reading it back ------------------------------------------------------------------------------------


def _paragraph_text(paragraph: Any) -> str:
    parts = []
    for element in paragraph.iter(_W + "t", _W + "tab", _W + "br", _W + "noBreakHyphen"):
        tag = element.tag[len(_W):]
        parts.append(element.text or "" if tag == "t" else "\t" if tag == "tab" else "\n" if tag == "br" else "-")
    return "".join(parts)


def _story_blocks(root: Any) -> list[str]:
    found = []
    for child in root:
        if child.tag == _W + "p":
            found.append(_paragraph_text(child))
        elif child.tag == _W + "tbl":
            for cell in child.iter(_W + "tc"):
                found.append(" ".join(_paragraph_text(p) for p in cell.iter(_W + "p")))
        elif child.tag == _W + "sdt":
            found += [_paragraph_text(p) for p in child.iter(_W + "p")]
    return found


def read_blocks(document: Any) -> list[str]:
    """A document's blocks as a reader sees them: header and footer, then every paragraph, list item and
    table cell of the body."""
    found: list[str] = []
    section = document.sections[0]
    for story in (section.header, section.footer):
        if not story.is_linked_to_previous:
            found += _story_blocks(story._element)
    found += _story_blocks(document.element.body)
    return [block for block in found if block.strip()]


def docx_blocks(data: bytes) -> list[str]:
    from docx import Document

    return read_blocks(Document(io.BytesIO(data)))


# -- the format -------------------------------------------------------------------------------------------


def docx_job(request: RenderRequest) -> DocxJob:
    """Plan the document in this process (templates, charts); the job writes it in a worker."""
    project, view = request.project, request.view
    path = find_reference(project, view.target.id)
    reference = read_reference(project, path) if path is not None else None
    blocks = Planner(view, request.env, logo_image(project, view.brand)).blocks()
    name = relative_name(path, project.root) if path is not None else ""
    return DocxJob(DocumentInfo.of(view), tuple(blocks), reference, name)


def docx_cache_inputs(request: RenderRequest) -> Any:
    project = request.project
    path = find_reference(project, request.view.target.id)
    reference: str | None = None
    if path is not None:
        try:
            reference = _digest(read_bytes(project.root, path, max_bytes=MAX_ASSET_BYTES))
        except UnsafeFile as exc:
            reference = f"refused: {exc.reason}"
    try:
        logo = _digest(logo_image(project, request.view.brand))
    except RenderError as exc:
        logo = f"refused: {exc.reason}"
    from ..charts.render import engine_version

    # A chart's drawing is the charts engine's: a new engine may draw it differently.
    return {"python-docx": docx_version(), "reference": reference, "logo": logo, "charts": engine_version()}
