"""Readers for real outputs: parse the HTML, the Markdown and the PDF the way a client would."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt
from pypdf import PdfReader


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._heading: int | None = None
        self._buffer: list[str] = []
        self._skip = 0
        self.anchors: list[tuple[str, str]] = []  # (href, text)
        self._anchor: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in {"style", "script"}:
            self._skip += 1
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._heading, self._buffer = int(tag[1]), []
        if tag == "a":
            self._anchor = (dict(attrs).get("href") or "", [])

    def handle_endtag(self, tag):
        if tag == "a" and self._anchor is not None:
            self.anchors.append((self._anchor[0], " ".join("".join(self._anchor[1]).split())))
            self._anchor = None
        if tag in {"style", "script"}:
            self._skip -= 1
        if self._heading is not None and tag == f"h{self._heading}":
            self.headings.append((self._heading, " ".join("".join(self._buffer).split())))
            self._heading = None

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._anchor is not None:
            self._anchor[1].append(data)
        if self._heading is not None:
            self._buffer.append(data)


    @property
    def all_text(self) -> str:
        return " ".join("".join(self.text).split())

    def with_class(self, tag: str, name: str) -> list[dict[str, str | None]]:
        """Attributes of every ``tag`` element whose class list has ``name``."""
        return [attrs for t, attrs in self.tags if t == tag and name in (attrs.get("class") or "").split()]


def parse_html(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    parser.close()
    return parser


def html_text(html: str) -> str:
    return " ".join("".join(parse_html(html).text).split())


def md_headings(text: str) -> list[tuple[int, str]]:
    """Headings of a Markdown document as a CommonMark parser (markdown-it-py) sees them."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            headings.append((int(token.tag[1]), tokens[index + 1].content))
    return headings


def md_tokens(text: str):
    return MarkdownIt("commonmark").enable("table").parse(text)


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_pages_text(path))


def pdf_pages_text(path: Path) -> list[str]:
    reader = PdfReader(path)
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def broken_links(site: Path) -> list[str]:
    """Every internal link, stylesheet, image and fragment in a site's HTML that points nowhere."""
    from urllib.parse import unquote, urlsplit

    ids: dict[Path, set[str]] = {}

    def ids_of(path: Path) -> set[str]:
        if path not in ids:
            page = parse_html(path.read_text(encoding="utf-8"))
            ids[path] = {attrs["id"] for _, attrs in page.tags if attrs.get("id")}
        return ids[path]

    broken = []
    for page_path in sorted(site.rglob("*.html")):
        page = parse_html(page_path.read_text(encoding="utf-8"))
        for tag, attrs in page.tags:
            attribute = {"a": "href", "link": "href", "img": "src", "script": "src"}.get(tag)
            target = attrs.get(attribute) if attribute else None
            if not target or urlsplit(target).scheme in {"http", "https", "mailto", "data"}:
                continue
            parts = urlsplit(target)
            if target.startswith("/"):
                broken.append(f"{page_path.relative_to(site)}: absolute link {target}")
                continue
            file = (page_path.parent / unquote(parts.path)).resolve() if parts.path else page_path
            if not file.is_file() or not file.is_relative_to(site.resolve()):
                broken.append(f"{page_path.relative_to(site)}: {target} (no such file)")
            elif parts.fragment and file.suffix == ".html" and parts.fragment not in ids_of(file):
                broken.append(f"{page_path.relative_to(site)}: {target} (no such anchor)")
    return broken
