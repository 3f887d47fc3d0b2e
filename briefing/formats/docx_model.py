"""The Word document as plain data: blocks of styled spans, and content Markdown turned into them.

The build's process decides what the document says (``docx_content``: the view, its labels, figures and
dates written as the other formats write them) as these picklable blocks; a worker of the engine pool
writes them with python-docx (``docx_write``).  Blocks name Word styles by their built-in names
("Heading 1", "List Number", "Quote"...), so Word's navigation pane, outline and restyling work.

Content Markdown becomes spans the way the Markdown format reads it: raw HTML is never interpreted
(tags are stripped, their text kept, like ``filters.plain_markdown``; an escaped ``&lt;b&gt;`` is the
text ``<b>``), and only http, https and mailto links become hyperlinks.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, replace
from functools import cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Span:
    """A run of text with one formatting; ``field`` makes it a Word field whose shown result is ``text``."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    script: str = ""  # "superscript" or "subscript"
    link: str = ""  # an address outside the document (http, https, mailto)
    anchor: str = ""  # a bookmark inside the document
    style: str = ""  # a character style
    colour: str = ""  # hex colour of the text
    shade: str = ""  # hex colour behind the text
    line_break: bool = False
    tab: bool = False
    field: str = ""  # a field instruction, e.g. "PAGE"


Spans = tuple[Span, ...]


@dataclass(frozen=True)
class Picture:
    """An image in line: ``height_mm`` tall, or as wide as the text (``full_width``, its aspect kept); ``alt``
    and ``title`` are its alternative text (Word's description and title)."""

    data: bytes
    height_mm: float
    alt: str
    title: str = ""
    full_width: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph in a style; paragraphs with the same ``numbering`` (> 0) are one numbered list."""

    style: str
    spans: Spans = ()
    bookmark: str = ""
    numbering: int = 0
    align: str = ""  # "", "left", "center" or "right"
    space_before: float | None = None  # points, where the layout needs more room than the style gives
    keep_next: bool = False
    rule_above: str = ""  # hex colour of a thick rule above the paragraph (the cover's band)
    picture: Picture | None = None  # an image in line, before the spans
    indent: float | None = None  # points of left indent, where the style's does not suit


@dataclass(frozen=True)
class Cell:
    paras: tuple[Para, ...]


@dataclass(frozen=True)
class Table:
    """A table in a table style; ``header`` repeats on every page; ``widths`` are relative column widths."""

    style: str
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[int, ...]
    align: tuple[str, ...] = ()  # per column: "", "center" or "right"
    caption: str = ""  # the table's title for assistive technology (Word's alt text of a table)


@dataclass(frozen=True)
class Contents:
    """The table-of-contents field (Word fills it on opening), shown until then as the headings it lists."""

    levels: str = "1-3"


@dataclass(frozen=True)
class PageBreak:
    """The next paragraph starts a new page."""


Block = Para | Table | Contents | PageBreak

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_link(href: str) -> str:
    """``href`` when it is an http, https or mailto address; else "" (the text stays, the link goes)."""
    href = href.strip()
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return ""
    return href if scheme in SAFE_SCHEMES else ""


def text_spans(text: str, **style: Any) -> Spans:
    """Plain text as spans: tabs and line breaks as their own spans."""
    spans: list[Span] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            spans.append(Span(line_break=True))
        for part_index, part in enumerate(line.split("\t")):
            if part_index:
                spans.append(Span(tab=True))
            if part:
                spans.append(Span(part, **style))
    return tuple(spans)


def styled(spans: Spans, **style: Any) -> Spans:
    """``spans`` with ``style`` added (bold, italic...), links and fields kept."""
    return tuple(replace(span, **style) for span in spans)


# -- content Markdown -------------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z][^>]*>")


@cache
def _markdown() -> Any:
    import markdown

    parser = markdown.Markdown(extensions=["tables", "sane_lists", "smarty"])
    # Raw HTML is text to Markdown here: never a tag, never stashed and passed through.
    parser.preprocessors.deregister("html_block")
    parser.inlinePatterns.deregister("html")
    return parser


def _without_tags(text: str) -> str:
    """Content as the Markdown format reads it: tags stripped (their text kept), entities decoded."""
    if "<" in text or "&" in text:
        if _TAG.search(text):
            import nh3

            text = nh3.clean(text, tags=set())
        text = html.unescape(text)
    return text


@dataclass
class MdBlock:
    """A block of content Markdown: "p", "ul", "ol", "heading", "quote" or "code", with its spans."""

    kind: str
    spans: list[Span]
    level: int = 0
    list_index: int = 0  # which list of the text an item belongs to


class _Reader(HTMLParser):
    """Python-Markdown's HTML (tags it wrote itself, nothing from content) read back as blocks of spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[MdBlock] = []
        self.current: MdBlock | None = None
        self.lists: list[tuple[str, int]] = []
        self.list_count = 0
        self.quote = 0
        self.pre = 0
        self.marks: dict[str, int] = {"bold": 0, "italic": 0, "code": 0, "strike": 0}
        self.script: list[str] = []
        self.links: list[str] = []

    def _open(self, kind: str, level: int = 0, list_index: int = 0) -> None:
        self._close()
        self.current = MdBlock(kind, [], level, list_index)

    def _close(self) -> None:
        if self.current is not None and any(span.text.strip() or span.line_break for span in self.current.spans):
            spans = self.current.spans
            while spans and spans[-1].line_break:
                spans.pop()
            self.blocks.append(self.current)
        self.current = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        marks = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "code": "code", "del": "strike",
                 "s": "strike"}
        if tag in marks:
            self.marks[marks[tag]] += 1
        elif tag in ("sup", "sub"):
            self.script.append("superscript" if tag == "sup" else "subscript")
        elif tag == "a":
            self.links.append(safe_link(dict(attrs).get("href") or ""))
        elif tag == "br":
            self._data_span(Span(line_break=True))
        elif tag in ("ul", "ol"):
            self._close()
            self.list_count += 1
            self.lists.append((tag, self.list_count))
        elif tag == "li" and self.lists:
            kind, index = self.lists[-1]
            self._open(kind, len(self.lists) - 1, index)
        elif tag == "blockquote":
            self._close()
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
            self._open("code")
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._open("heading")
        elif tag in ("p", "td", "th"):
            in_item = self.current is not None and self.current.kind in ("ul", "ol") and not self.current.spans
            if not in_item:
                self._open("quote" if self.quote else "p")

    def handle_endtag(self, tag: str) -> None:
        marks = {"strong": "bold", "b": "bold", "em": "italic", "i": "italic", "code": "code", "del": "strike",
                 "s": "strike"}
        if tag in marks:
            self.marks[marks[tag]] = max(0, self.marks[marks[tag]] - 1)
        elif tag in ("sup", "sub") and self.script:
            self.script.pop()
        elif tag == "a" and self.links:
            self.links.pop()
        elif tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
        elif tag == "blockquote":
            self._close()
            self.quote = max(0, self.quote - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self._close()
        elif tag in ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"):
            self._close()

    def handle_data(self, data: str) -> None:
        if self.current is None:
            if not data.strip():
                return
            self._open("quote" if self.quote else "p")
        if self.pre:
            for index, line in enumerate(data.rstrip("\n").split("\n")):
                if index:
                    self._data_span(Span(line_break=True))
                self._data_span(self._span(line))
            return
        text = re.sub(r"\s+", " ", data)
        spans = self.current.spans if self.current is not None else []
        if not spans or spans[-1].line_break:
            text = text.lstrip()
        if text:
            self._data_span(self._span(text))

    def _span(self, text: str) -> Span:
        return Span(text, bold=self.marks["bold"] > 0, italic=self.marks["italic"] > 0,
                    code=self.marks["code"] > 0 or self.pre > 0, strike=self.marks["strike"] > 0,
                    script=self.script[-1] if self.script else "", link=self.links[-1] if self.links else "")

    def _data_span(self, span: Span) -> None:
        if self.current is None:
            self._open("quote" if self.quote else "p")
        assert self.current is not None
        self.current.spans.append(span)

    def close(self) -> None:
        super().close()
        self._close()


def markdown_blocks(text: str | None) -> list[MdBlock]:
    """Content Markdown as blocks of spans (paragraphs, list items, headings, quotes, code)."""
    if not text or not text.strip():
        return []
    parser = _markdown()
    parser.reset()
    reader = _Reader()
    reader.feed(parser.convert(_without_tags(text)))
    reader.close()
    for block in reader.blocks:
        if block.spans and block.kind != "code":
            block.spans[-1] = replace(block.spans[-1], text=block.spans[-1].text.rstrip())
    return reader.blocks


def inline_spans(text: str | None) -> Spans:
    """Content Markdown meant for one line (a takeaway, a fact): its blocks joined by spaces."""
    spans: list[Span] = []
    for block in markdown_blocks(text):
        if spans:
            spans.append(Span(" "))
        spans.extend(block.spans)
    return tuple(spans)


def plain_text(spans: Spans) -> str:
    return "".join("\n" if span.line_break else "\t" if span.tab else span.text for span in spans)
