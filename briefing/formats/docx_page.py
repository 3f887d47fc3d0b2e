"""The Word document's page furniture: running header and footer, their fields, and the package's settings.

The header shows the brief's title and classification through the ``TITLE`` and ``DOCPROPERTY Category``
fields (the document properties hold both), and the footer the label "Page {page} of {pages}" with
``PAGE`` and ``NUMPAGES`` fields, so a header or footer written once, in a project's
``reference.docx``, fits every brief: fields of a reference's header and footer have their shown results
refreshed for each brief.  A document with a cover has a first page without header or footer.
"""

from __future__ import annotations

import string
from typing import Any

from .docx_model import Span, Spans
from .docx_styles import W_NS
from .docx_write import Writer

_W = f"{{{W_NS}}}"
FIELD_PROPERTIES = {"TITLE": "title", "SUBJECT": "subject", "AUTHOR": "author", "KEYWORDS": "keywords"}


def header_spans(title: str, classification: str | None, marking: str) -> Spans:
    spans = [Span(title, field="TITLE")]
    if classification:
        spans += [Span(tab=True), Span(classification, field="DOCPROPERTY Category", bold=True, colour=marking)]
    return tuple(spans)


def page_of_spans(label: str) -> Spans:
    """"Page {page} of {pages}" with the page numbers as PAGE and NUMPAGES fields."""
    spans: list[Span] = []
    for literal, name, _spec, _conversion in string.Formatter().parse(label):
        if literal:
            spans.append(Span(literal))
        if name == "page":
            spans.append(Span("1", field="PAGE"))
        elif name == "pages":
            spans.append(Span("1", field="NUMPAGES"))
    return tuple(spans)


def _fill(story: Any, writer: Writer, spans: Spans, style: str) -> None:
    element = story._element
    for child in list(element):
        element.remove(child)
    paragraph = story.add_paragraph(style=style)
    writer.add_spans(paragraph, spans)


def write_header_footer(document: Any, writer: Writer, header: Spans, footer: Spans, *, cover: bool,
                        keep_existing: bool) -> None:
    """Header and footer of the (only) section; ``keep_existing`` keeps a reference document's own."""
    section = document.sections[0]
    if not (keep_existing and not section.header.is_linked_to_previous):
        section.header.is_linked_to_previous = False
        _fill(section.header, writer, header, "Header")
    if not (keep_existing and not section.footer.is_linked_to_previous):
        section.footer.is_linked_to_previous = False
        _fill(section.footer, writer, footer, "Footer")
    if cover and not section.different_first_page_header_footer:
        section.different_first_page_header_footer = True
        for story in (section.first_page_header, section.first_page_footer):
            story.is_linked_to_previous = False  # an empty first-page header and footer: the cover's own
            _fill(story, writer, (), "Normal")


def refresh_fields(root: Any, values: dict[str, str]) -> None:
    """Set the shown result of document-property fields (TITLE, DOCPROPERTY Category...) to ``values``."""
    def value_of(instruction: str) -> str | None:
        words = instruction.replace('"', " ").split()
        if not words:
            return None
        name = words[0].upper()
        if name == "DOCPROPERTY" and len(words) > 1:
            return values.get(words[1].lower())
        return values.get(FIELD_PROPERTIES.get(name, ""))

    for field in root.iter(_W + "fldSimple"):
        value = value_of(field.get(_W + "instr") or "")
        if value is not None:
            _set_result(list(field.iter(_W + "t")), value)
    state = ""
    instruction: list[str] = []
    texts: list[Any] = []
    for element in root.iter(_W + "fldChar", _W + "instrText", _W + "t"):
        if element.tag == _W + "fldChar":
            kind = element.get(_W + "fldCharType")
            if kind == "begin":
                state, instruction, texts = "instruction", [], []
            elif kind == "separate" and state == "instruction":
                state = "result"
            elif kind == "end" and state:
                value = value_of("".join(instruction))
                if value is not None and texts:
                    _set_result(texts, value)
                state = ""
        elif element.tag == _W + "instrText" and state == "instruction":
            instruction.append(element.text or "")
        elif element.tag == _W + "t" and state == "result":
            texts.append(element)


def _set_result(texts: list[Any], value: str) -> None:
    if not texts:
        return
    texts[0].text = value
    texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for extra in texts[1:]:
        extra.text = ""


def refresh_header_footer(document: Any, values: dict[str, str]) -> None:
    for section in document.sections:
        for story in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                      section.even_page_header, section.even_page_footer):
            if not story.is_linked_to_previous:
                refresh_fields(story._element, values)


def tidy_settings(document: Any) -> None:
    """Drop what describes the template's editing history, not this document: revision ids, preview."""
    settings = document.settings.element
    for name in ("rsids", "savePreviewPicture", "attachedTemplate"):
        for element in settings.findall(_W + name):
            settings.remove(element)


STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def drop_styles_with_effects(document: Any) -> None:
    """python-docx's template keeps a Word 2010 copy of its styles, which would disagree with the brief's."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            part.rels.pop(rel_id)
