"""Reading the source to draft from: a local file or an http(s) URL, as text plus what is known about it.

HTML gets its main text and its metadata (title, publisher, date, author, canonical address) from
trafilatura; a PDF its text layer and document properties (pypdf); plain text and Markdown their first
line as the title and a date near the top. A URL is fetched by ``fetch.fetch`` (http(s) only, time-out,
size limit, guarded redirects); the file type then comes from the response's content type.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import UsageError
from ..fidelity.source_text import HTML_SUFFIXES, PDF_SUFFIXES, extract_text, max_bytes_for

_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")), start=1) for name in names}
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_WORD_DATE = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b")
_SUFFIX_OF_TYPE = {"text/html": ".html", "application/xhtml+xml": ".html", "application/pdf": ".pdf",
                   "text/markdown": ".md", "text/plain": ".txt"}
MAX_TITLE_CHARS = 200


@dataclass(frozen=True)
class SourceDocument:
    """The text of a source and what its file says about it (None where it says nothing)."""

    name: str  # file stem or last part of the URL path: the default source id
    text: str
    title: str
    publisher: str | None = None
    date: dt.date | None = None
    author: str | None = None
    url: str | None = None
    saved: dt.date | None = None  # when the local file was saved: a last resort for the brief's date


def find_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return _short(line)
    return "Untitled source"


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE_CHARS else title[:MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0] + "…"


def find_date(text: str) -> dt.date | None:
    """A publication date near the top of the text: 2024-12-03 or December 3, 2024."""
    head = "\n".join(text.splitlines()[:8])
    for match in _ISO_DATE.finditer(head):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    for match in _WORD_DATE.finditer(head):
        month = _MONTHS.get(match.group(1).lower())
        if month:
            try:
                return dt.date(int(match.group(3)), month, int(match.group(2)))
            except ValueError:
                continue
    return None


def _iso_date(value: str | None) -> dt.date | None:
    match = _ISO_DATE.search(value or "")
    if match is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _clean(value: object) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return _short(text) if text else None


def _html_metadata(html: str, url: str | None) -> dict[str, Any]:
    import trafilatura  # slow to import: only for HTML

    meta = trafilatura.extract_metadata(html, default_url=url)
    if meta is None:
        return {}
    page_url = meta.url if meta.url and re.match(r"https?://[^\s<>\"'`\\{}|^]+$", meta.url) else url
    return {"title": _clean(meta.title), "publisher": _clean(meta.sitename), "date": _iso_date(meta.date),
            "author": _clean(meta.author), "url": page_url}


def _pdf_metadata(data: bytes) -> dict[str, Any]:
    import io

    from pypdf import PdfReader

    try:
        info = PdfReader(io.BytesIO(data)).metadata
    except Exception:  # noqa: BLE001 - a PDF without readable properties still has its text
        return {}
    if info is None:
        return {}
    created = info.get("/CreationDate")
    date = None
    if isinstance(created, str) and re.match(r"D:\d{8}", created):
        date = _iso_date(f"{created[2:6]}-{created[6:8]}-{created[8:10]}")
    return {"title": _clean(info.get("/Title")), "author": _clean(info.get("/Author")), "date": date}


def document_from_bytes(name: str, suffix: str, data: bytes, url: str | None = None,
                        saved: dt.date | None = None) -> SourceDocument:
    """A source document from a file's bytes, read by its suffix."""
    try:
        text = extract_text(f"{name}{suffix}", data)
    except ValueError as exc:
        raise UsageError(f"{url or name + suffix} {exc}") from None
    if not text.strip():
        raise UsageError(f"{url or name + suffix} has no text to draft from"
                         + ("; the page may need a browser to show its text: save it and draft from the file"
                            if url else ""))
    text = text if text.endswith("\n") else text + "\n"
    meta: dict[str, Any] = {}
    if suffix in HTML_SUFFIXES:
        meta = _html_metadata(data.decode("utf-8", errors="replace"), url)
    elif suffix in PDF_SUFFIXES:
        meta = _pdf_metadata(data)
    return SourceDocument(name=name, text=text, title=meta.get("title") or find_title(text),
                          publisher=meta.get("publisher"), date=meta.get("date") or find_date(text),
                          author=meta.get("author"), url=meta.get("url") or url, saved=saved)


def read_local(path: Path) -> SourceDocument:
    if not path.is_file():
        raise UsageError(f"{path} is not a file: give the path of a saved article (text, Markdown, HTML or PDF) "
                         "or an http(s) address")
    size = path.stat().st_size
    if size > max_bytes_for(path.name):
        raise UsageError(f"{path} is too large to draft from ({size:,} bytes)")
    data = path.read_bytes()
    saved = dt.date.fromtimestamp(path.stat().st_mtime)
    return document_from_bytes(path.stem, path.suffix.lower(), data, saved=saved)


def read_url(url: str) -> SourceDocument:
    from .fetch import fetch

    fetched = fetch(url)
    suffix = _SUFFIX_OF_TYPE.get(fetched.content_type, ".txt")
    data = fetched.data
    if fetched.charset and fetched.charset.lower().replace("_", "-") not in ("utf-8", "utf8") and suffix != ".pdf":
        with contextlib.suppress(LookupError):  # an unknown charset: read as UTF-8, with replacement characters
            data = data.decode(fetched.charset, errors="replace").encode("utf-8")
    parts = [part for part in urlsplit(fetched.final_url).path.split("/") if part]
    name = Path(parts[-1]).stem if parts else (urlsplit(fetched.final_url).hostname or "source")
    return document_from_bytes(name, suffix, data, url=fetched.final_url)


def read_source(source: str | Path) -> SourceDocument:
    """The document at ``source``: an http(s) URL (fetched) or a local file path."""
    from .fetch import is_url

    text = str(source)
    if isinstance(source, str) and (is_url(text) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text)):
        return read_url(text)
    return read_local(Path(source))
