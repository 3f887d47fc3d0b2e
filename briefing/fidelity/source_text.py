"""A source's local text copy, read once and split into paragraphs and sentences with offsets.

``Source.text`` names a file relative to the project root. Plain text and Markdown are read as they
are (Markdown loses its emphasis markers, link targets and heading or list marks); HTML gives the
main text trafilatura extracts; PDF gives pypdf's text layer. Every offset is into ``SourceText.text``,
the extracted plain text, which the report shows.

Paragraphs are blocks separated by blank lines. In a text with no blank line at all (one paragraph a
line, as many saved articles are), a line that ends a sentence, or is short like a heading, ends a
paragraph; a long line that does not is hard-wrapped and runs on into the next. Sentences come from pysbd, never a
hand-made regex, and are found back in their paragraph so offsets are exact.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..safe_files import MAX_ASSET_BYTES, MAX_TEXT_BYTES, UnsafeFile, read_bytes

TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
PDF_SUFFIXES = {".pdf"}


class SourceTextError(Exception):
    """A text copy that cannot be used; ``str()`` says why, ``hint`` what to do."""

    def __init__(self, path: str, reason: str, hint: str = "") -> None:
        self.path, self.reason, self.hint = path, reason, hint
        super().__init__(f"'{path}' {reason}")


@dataclass(frozen=True)
class Sentence:
    index: int  # within its paragraph, from 0
    start: int  # offsets into SourceText.text
    end: int


@dataclass(frozen=True)
class Paragraph:
    index: int  # from 0; shown to readers as index + 1
    start: int
    end: int
    sentences: tuple[Sentence, ...]


@dataclass
class SourceText:
    """The extracted text of one source and its paragraphs and sentences."""

    source_id: str
    path: str
    text: str
    raw_sha256: str
    paragraphs: tuple[Paragraph, ...]
    _folded: dict[int, tuple[str, list[int]]] = field(default_factory=dict, repr=False)

    def paragraph_text(self, index: int) -> str:
        paragraph = self.paragraphs[index]
        return self.text[paragraph.start:paragraph.end]

    def sentence_text(self, paragraph: int, sentence: int) -> str:
        found = self.paragraphs[paragraph].sentences[sentence]
        return self.text[found.start:found.end].strip()

    def sentence_at(self, offset: int) -> tuple[int, int]:
        """(paragraph index, sentence index) holding the character at ``offset``."""
        for paragraph in self.paragraphs:
            if paragraph.start <= offset < paragraph.end or offset == paragraph.end:
                for sentence in paragraph.sentences:
                    if offset < sentence.end:
                        return paragraph.index, sentence.index
                return paragraph.index, len(paragraph.sentences) - 1
        last = self.paragraphs[-1] if self.paragraphs else None
        return (last.index, len(last.sentences) - 1) if last else (0, 0)

    def window(self, paragraph: int, first: int, last: int | None = None, spread: int = 1) -> str:
        """The text of sentences ``first``..``last`` and ``spread`` either side, within one paragraph."""
        sentences = self.paragraphs[paragraph].sentences
        last = first if last is None else last
        low, high = max(0, first - spread), min(len(sentences) - 1, last + spread)
        return self.text[sentences[low].start:sentences[high].end]

    def sentences_around(self, paragraph: int, sentence: int, spread: int = 1) -> list[tuple[int, str]]:
        """(index, text) of the sentence and its neighbours in the same paragraph, nearest first."""
        count = len(self.paragraphs[paragraph].sentences)
        order = [sentence] + [i for d in range(1, spread + 1) for i in (sentence - d, sentence + d)]
        return [(i, self.sentence_text(paragraph, i)) for i in order if 0 <= i < count]


def digest(data: str | bytes) -> str:
    """The sha256 of a text copy as ``sha256sum`` prints it (text is hashed as UTF-8)."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


# --- extraction ------------------------------------------------------------------------------

_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`)(?=\S)(.+?)(?<=\S)\1")
_MD_LINE_MARK = re.compile(r"^[ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d+[.)][ \t]+)", re.MULTILINE)


def markdown_to_text(text: str) -> str:
    """Markdown's words without its markup: links keep their text, emphasis and line marks go."""
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_LINE_MARK.sub("", text)
    return _MD_EMPHASIS.sub(r"\2", text)


def html_to_text(html: str) -> str:
    """The main text of an HTML page (trafilatura), one paragraph per block."""
    import trafilatura  # slow to import: only for HTML copies

    extracted = trafilatura.extract(html, include_comments=False, include_tables=True, favor_recall=True,
                                    deduplicate=False)
    if not extracted:
        return ""
    return "\n\n".join(line.strip() for line in extracted.splitlines() if line.strip())


def pdf_to_text(data: bytes) -> str:
    """The text layer of a PDF (pypdf), pages and paragraphs separated by blank lines."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"is not a readable PDF ({exc})") from None
    return "\n\n".join(_pdf_paragraphs(page) for page in pages if page.strip())


def _pdf_paragraphs(page: str) -> str:
    """Rejoin a PDF page's wrapped lines into paragraphs: a short line ending a sentence ends one."""
    lines = [line.strip() for line in page.splitlines()]
    lengths = sorted(len(line) for line in lines if line)
    typical = lengths[len(lengths) // 2] if lengths else 0
    out: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                out.append(current)
            current = ""
            continue
        if current.endswith("-") and line[:1].islower():
            current = current[:-1] + line  # a word hyphenated at the line end
        else:
            current = f"{current} {line}" if current else line
        if line[-1:] in ".!?:\"”’" and len(line) < 0.8 * typical:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return "\n\n".join(out)


def extract_text(path: str, data: bytes) -> str:
    """The plain text of a copy, by its file type."""
    suffix = Path(path).suffix.lower()
    if suffix in PDF_SUFFIXES:
        return pdf_to_text(data)
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if suffix in HTML_SUFFIXES:
        return html_to_text(text)
    if suffix in {".md", ".markdown"}:
        return markdown_to_text(text)
    return text


# --- splitting -------------------------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")
_SEGMENTER = None


def _segment(text: str) -> list[str]:
    global _SEGMENTER
    if _SEGMENTER is None:
        import pysbd

        _SEGMENTER = pysbd.Segmenter(language="en", clean=False)
    return list(_SEGMENTER.segment(text))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks between blank lines, or lines when there is no blank line."""
    if _BLANK_LINE.search(text):
        pieces = [(m.start(), m.end()) for m in re.finditer(r"(?:[^\n]|\n(?![ \t\u00a0]*\n))+", text)]
    else:
        pieces = _line_paragraphs(text)
    spans = []
    for start, end in pieces:
        chunk = text[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
    return spans


_ENDS_PARAGRAPH = tuple(".!?:\"\u201d\u2019)")


def _line_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraphs of a text without blank lines: a line ends one when it ends a sentence or is short
    (a heading); a long line that does not (hard-wrapped text) runs on into the next."""
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    lengths = sorted(len(text[a:b].strip()) for a, b in lines)
    typical = lengths[len(lengths) // 2] if lengths else 0
    pieces: list[tuple[int, int]] = []
    start = None
    for a, b in lines:
        start = a if start is None else start
        line = text[a:b].strip()
        if not line or line.endswith(_ENDS_PARAGRAPH) or len(line) < 0.6 * typical:
            pieces.append((start, b))
            start = None
    if start is not None:
        pieces.append((start, lines[-1][1]))
    return pieces


@functools.lru_cache(maxsize=256)
def split(text: str) -> tuple[Paragraph, ...]:
    """Paragraphs, each with its sentences, with offsets into ``text`` (a text is split once per process:
    sentence splitting is the slowest step of reading a copy)."""
    paragraphs = []
    for p_index, (p_start, p_end) in enumerate(paragraph_spans(text)):
        body = text[p_start:p_end].replace("\n", " ")  # soft line breaks: same length, so offsets hold
        sentences: list[Sentence] = []
        cursor = 0
        for piece in _segment(body):
            piece = piece.strip()
            if not piece:
                continue
            found = body.find(piece, cursor)
            if found < 0:  # pysbd changed the text: fall back to its length from the cursor
                found = cursor
            start, end = found, min(len(body), found + len(piece))
            sentences.append(Sentence(len(sentences), p_start + start, p_start + end))
            cursor = end
        if not sentences:
            sentences.append(Sentence(0, p_start, p_end))
        paragraphs.append(Paragraph(p_index, p_start, p_end, tuple(sentences)))
    return tuple(paragraphs)


def max_bytes_for(path: str) -> int:
    return MAX_ASSET_BYTES if Path(path).suffix.lower() in PDF_SUFFIXES else MAX_TEXT_BYTES


def read_source_text(root: Path, source_id: str, path: str) -> SourceText:
    """Read, extract and split one source's copy; raises SourceTextError with the reason."""
    try:
        data = read_bytes(root, path, max_bytes=max_bytes_for(path))
    except UnsafeFile as exc:
        raise SourceTextError(path, exc.reason, exc.hint) from None
    try:
        text = extract_text(path, data)
    except ValueError as exc:
        raise SourceTextError(path, str(exc), "save the source as plain text and point 'text' at it") from None
    if not text.strip():
        raise SourceTextError(path, "has no text to check against",
                              "save the article's words as plain text (.txt) and point 'text' at it")
    return SourceText(source_id=source_id, path=path, text=text, raw_sha256=digest(data), paragraphs=split(text))


class TextCache:
    """Source texts of one run, each read and split once; a failure is remembered too."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[tuple[str, str], SourceText | SourceTextError] = {}

    def get(self, source_id: str, path: str) -> SourceText | SourceTextError:
        key = (source_id, path)
        if key not in self._texts:
            try:
                self._texts[key] = read_source_text(self.root, source_id, path)
            except SourceTextError as exc:
                self._texts[key] = exc
        return self._texts[key]
