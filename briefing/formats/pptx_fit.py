"""Measuring text for the PowerPoint deck: font metrics, line wrapping, and the height a text frame needs.

A slide does not grow to hold its text, so the deck is laid out by measuring: every paragraph is wrapped
to its box's width with the advance widths of the font that will show it, and its height is its line
count times its line pitch (the deck writes exact line spacing, so a line's height never depends on the
font).  The shipped WOFF2 fonts (Source Sans 3, Source Serif 4) are decoded with fontTools once per
process; a project's own font files (``brand.yaml``) are read through the containment rule and decoded
once per content.  A character a font lacks counts as a wide one (an em for East Asian wide characters,
0.6 em otherwise).

Widths are taken ``WIDTH_ALLOWANCE`` wider than the metrics say: a viewer that lacks the brand's fonts
substitutes its own (Arial and Calibri set Source Sans 3's text up to 8% wider), and the text must still
fit.  ``frame_overflow`` reads a written text frame (or table cell) back from its XML and measures it
with the same functions the layout used, so a test can check every frame of a deck.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from ..safe_files import MAX_ASSET_BYTES, read_bytes
from ..settings import BUILTIN_TTF_FONTS

EMU_PER_PT = 12700
WIDTH_ALLOWANCE = 1.10
LINE_PITCH = 1.2  # line height as a multiple of the font size
ELLIPSIS = "…"
MONOSPACE = "Courier New"  # inline code; measured at 0.6 em a character

# The shipped families, by (weight, style): the files of one face (the latin and latin-ext subsets).
_BUILTIN: dict[str, dict[tuple[int, str], tuple[str, ...]]] = {
    "Source Sans 3": {(400, "normal"): ("source-sans-3-latin-400-normal", "source-sans-3-latin-ext-400-normal"),
                      (400, "italic"): ("source-sans-3-latin-400-italic", "source-sans-3-latin-ext-400-italic"),
                      (600, "normal"): ("source-sans-3-latin-600-normal", "source-sans-3-latin-ext-600-normal"),
                      (700, "normal"): ("source-sans-3-latin-700-normal", "source-sans-3-latin-ext-700-normal")},
    "Source Serif 4": {(400, "italic"): ("source-serif-4-latin-400-italic", "source-serif-4-latin-ext-400-italic"),
                       (600, "normal"): ("source-serif-4-latin-600-normal", "source-serif-4-latin-ext-600-normal"),
                       (700, "normal"): ("source-serif-4-latin-700-normal", "source-serif-4-latin-ext-700-normal")},
}
GENERIC = {"serif": "Source Serif 4", "sans-serif": "Source Sans 3", "monospace": "Source Sans 3"}
DEFAULT_FAMILY = "Source Sans 3"


@dataclass(frozen=True)
class FontFace:
    """One file of a family: its path (inside ``root`` when given, read through the containment rule)."""

    path: str
    weight: int = 400
    style: str = "normal"
    root: str | None = None


@dataclass(frozen=True)
class FontBook:
    """The families a deck uses, by name, with the files that give their metrics (picklable)."""

    faces: tuple[tuple[str, tuple[FontFace, ...]], ...] = ()

    @staticmethod
    def builtin() -> FontBook:
        return FontBook(tuple((family, tuple(FontFace(str(BUILTIN_TTF_FONTS / f"{name}.ttf"), weight, style)
                                             for (weight, style), names in faces.items() for name in names))
                              for family, faces in _BUILTIN.items()))

    def with_family(self, family: str, faces: Sequence[FontFace]) -> FontBook:
        return FontBook(tuple((name, files) for name, files in self.faces if name != family)
                        + ((family, tuple(faces)),))

    def advances(self, family: str, bold: bool, italic: bool) -> dict[int, float]:
        """Advance widths in em of the face closest to (bold, italic) of ``family`` (decoded once a process)."""
        return _advances(self, family, bold, italic)

    def _merge(self, family: str, bold: bool, italic: bool) -> dict[int, float]:
        family = GENERIC.get(family, family)
        files = dict(self.faces).get(family) or dict(self.faces).get(DEFAULT_FAMILY) or ()
        if not files:
            return {}
        weight, style = (700 if bold else 400), ("italic" if italic else "normal")
        styled = [face for face in files if face.style == style] or list(files)
        best = min(abs(face.weight - weight) for face in styled)
        merged: dict[int, float] = {}
        for face in styled:
            if abs(face.weight - weight) == best:
                for char, width in _face_advances(face).items():
                    merged.setdefault(char, width)
        return merged


@lru_cache(maxsize=256)
def _advances(book: FontBook, family: str, bold: bool, italic: bool) -> dict[int, float]:
    return book._merge(family, bold, italic)


def _face_advances(face: FontFace) -> dict[int, float]:
    if face.root is None:
        return _file_advances(face.path)
    data = read_bytes(Path(face.root), face.path, max_bytes=MAX_ASSET_BYTES)
    return _decoded(hashlib.sha256(data).hexdigest(), data)


@cache
def _file_advances(path: str) -> dict[int, float]:
    return _decode(Path(path).read_bytes())


_decoded_cache: dict[str, dict[int, float]] = {}


def _decoded(key: str, data: bytes) -> dict[int, float]:
    if key not in _decoded_cache:
        _decoded_cache[key] = _decode(data)
    return _decoded_cache[key]


def _decode(data: bytes) -> dict[int, float]:
    import io

    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), lazy=True)
    units = font["head"].unitsPerEm
    metrics = font["hmtx"].metrics
    return {char: metrics[glyph][0] / units for char, glyph in (font.getBestCmap() or {}).items() if glyph in metrics}


def missing_width(char: str) -> float:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Cc", "Cf"):
        return 0.0
    return 1.0 if unicodedata.east_asian_width(char) in ("W", "F") else 0.6


# Control characters have no place in a slide's text (python-pptx would show them as '_x0001_'): dropped.
CONTROLS = {code: None for code in [*range(0x20), *range(0x7F, 0xA0)]} | {0x09: " "}


def printable(text: str) -> str:
    return text.translate(CONTROLS)


# -- paragraphs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """Text in one style: bold, italic, a link, inline code; ``colour`` and ``family`` override the paragraph's."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str | None = None
    code: bool = False
    colour: str | None = None
    family: str | None = None


@dataclass(frozen=True)
class Para:
    """A paragraph as the deck writes it: runs, font, size and exact line pitch (points), space before,
    a left margin that the lines keep (a bullet hangs in it), alignment and colour."""

    runs: tuple[Run, ...]
    family: str
    size: float
    before: float = 0.0
    margin: float = 0.0
    bullet: str | None = None
    align: str = "l"
    colour: str = "#000000"
    bold: bool = False

    @property
    def line(self) -> float:
        return line_pitch(self.size)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def line_pitch(size: float) -> float:
    return round(size * LINE_PITCH * 2) / 2


def _char_widths(para: Para, book: FontBook) -> list[float]:
    widths: list[float] = []
    for run in para.runs:
        scale = para.size * WIDTH_ALLOWANCE
        if run.code:
            widths.extend(0.6 * scale for _ in run.text)
            continue
        table = book.advances(run.family or para.family, run.bold or para.bold, run.italic)
        for char in run.text:
            width = table.get(ord(char))
            widths.append(scale * (width if width is not None else missing_width(char)))
    return widths


def wrap(para: Para, width: float, book: FontBook) -> list[tuple[int, int]]:
    """The paragraph's lines as (start, end) offsets into its text, wrapped greedily at spaces (a word
    wider than the line is broken between characters; a line break always ends a line), ``width`` in points."""
    text = para.text
    widths = _char_widths(para, book)
    available = max(width - para.margin, 1.0)
    lines: list[tuple[int, int]] = []
    offset = 0
    for segment in text.split("\n"):
        lines.extend(_wrap_segment(widths, segment, offset, available))
        offset += len(segment) + 1
    return lines


def _wrap_segment(widths: list[float], text: str, offset: int, available: float) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    start, used, index = 0, 0.0, 0
    while index < len(text):
        end = text.find(" ", index)
        end = len(text) if end < 0 else end
        spaces = end
        while spaces < len(text) and text[spaces] == " ":
            spaces += 1
        word = sum(widths[offset + index:offset + end])
        if used + word <= available:
            used += word + sum(widths[offset + end:offset + spaces])
            index = spaces
        elif used > 0:  # the word starts the next line
            lines.append((offset + start, offset + index))
            start, used = index, 0.0
        else:  # one word wider than the line: break it between characters
            cut = index + 1
            used = widths[offset + index]
            while cut < end and used + widths[offset + cut] <= available:
                used += widths[offset + cut]
                cut += 1
            lines.append((offset + start, offset + cut))
            start, used, index = cut, 0.0, cut
    lines.append((offset + start, offset + len(text)))
    return lines


def para_height(para: Para, width: float, book: FontBook, *, first: bool = False) -> float:
    """Points the paragraph takes in a box ``width`` points wide (space before included unless ``first``)."""
    return (0.0 if first else para.before) + len(wrap(para, width, book)) * para.line


def paras_height(paras: Sequence[Para], width: float, book: FontBook) -> float:
    return sum(para_height(para, width, book, first=index == 0) for index, para in enumerate(paras))


def cut_runs(runs: Sequence[Run], start: int, end: int) -> tuple[Run, ...]:
    """The runs' text from offset ``start`` to ``end``, styles kept."""
    out: list[Run] = []
    offset = 0
    for run in runs:
        lo, hi = max(start, offset), min(end, offset + len(run.text))
        if lo < hi:
            out.append(replace(run, text=run.text[lo - offset:hi - offset]))
        offset += len(run.text)
    return tuple(out)


def shortened(para: Para, width: float, lines: int, book: FontBook) -> Para:
    """``para`` cut at a word to at most ``lines`` lines, ending with an ellipsis (unchanged if it fits)."""
    breaks = wrap(para, width, book)
    if len(breaks) <= lines:
        return para
    text = para.text
    end = breaks[max(lines, 1) - 1][1]
    while end > 0:
        kept = text[:end].rstrip(" ,;:–—-\n")
        candidate = replace(para, runs=cut_runs(para.runs, 0, len(kept)) + (Run(ELLIPSIS),))
        if len(wrap(candidate, width, book)) <= lines:
            return candidate
        space = kept.rfind(" ")
        end = space if space > 0 else len(kept) - max(1, len(kept) // 8)
    return replace(para, runs=(Run(ELLIPSIS),))


def fit_para(para: Para, width: float, height: float, sizes: Iterable[float], book: FontBook) -> Para:
    """The first of ``sizes`` at which ``para`` fits ``width`` x ``height`` points; at the last size, cut
    with an ellipsis to the lines that fit."""
    candidate = para
    for size in sizes:
        candidate = replace(para, size=size)
        if para_height(candidate, width, book, first=True) <= height:
            return candidate
    return shortened(candidate, width, max(int(height // candidate.line), 1), book)


# -- reading a written frame back -----------------------------------------------------------------------

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
DEFAULT_INSETS = (91440, 45720, 91440, 45720)  # left, top, right, bottom: OOXML's defaults


def _pt(value: str | None, scale: float, default: float) -> float:
    return int(value) / scale if value is not None else default


def paras_from_xml(body: Any) -> list[Para]:
    """The paragraphs of a ``txBody`` element as ``Para`` (size 18 pt where a run sets none)."""
    paras = []
    for p in body.iter(f"{_A}p"):
        ppr = p.find(f"{_A}pPr")
        runs: list[Run] = []
        sizes: list[float] = []
        bold_all = True
        family = DEFAULT_FAMILY
        for child in p:
            if child.tag in (f"{_A}r", f"{_A}fld"):
                rpr = child.find(f"{_A}rPr")
                latin = rpr.find(f"{_A}latin") if rpr is not None else None
                face = latin.get("typeface") if latin is not None else None
                bold = rpr is not None and rpr.get("b") == "1"
                bold_all = bold_all and bold
                sizes.append(_pt(rpr.get("sz") if rpr is not None else None, 100, 18.0))
                text = "".join(t.text or "" for t in child.iter(f"{_A}t"))
                runs.append(Run(text, bold=bold, italic=rpr is not None and rpr.get("i") == "1",
                                code=face == MONOSPACE, family=face))
                family = face or family
            elif child.tag == f"{_A}br":
                runs.append(Run("\n"))
        end = p.find(f"{_A}endParaRPr")
        size = max(sizes) if sizes else _pt(end.get("sz") if end is not None else None, 100, 18.0)
        line = before = None
        if ppr is not None:
            spacing = ppr.find(f"{_A}lnSpc/{_A}spcPts")
            line = _pt(spacing.get("val"), 100, 0) if spacing is not None else None
            space = ppr.find(f"{_A}spcBef/{_A}spcPts")
            before = _pt(space.get("val"), 100, 0) if space is not None else None
        para = Para(tuple(runs), family, size, before or 0.0,
                    _pt(ppr.get("marL") if ppr is not None else None, EMU_PER_PT, 0.0), bold=bool(runs) and bold_all)
        if line is not None and line != para.line:  # a pitch this module did not write: measure it as written
            para = replace(para, size=line / LINE_PITCH)
        paras.append(para)
    return paras


def frame_overflow(element: Any, width_emu: int, height_emu: int, book: FontBook) -> float:
    """Points by which a text frame's text is taller than its box (<= 0: it fits). ``element`` is a shape's
    ``p:sp`` or a table's ``a:tc``; the box is ``width_emu`` x ``height_emu`` less the insets it sets."""
    body = element.find("{http://schemas.openxmlformats.org/presentationml/2006/main}txBody")
    if body is None:
        body = element.find(f"{_A}txBody")
    if body is None or not "".join(t.text or "" for t in body.iter(f"{_A}t")):
        return 0.0  # no text (a decorative shape, an empty cell): nothing to overflow
    if element.tag == f"{_A}tc":
        props = element.find(f"{_A}tcPr")
        names = ("marL", "marT", "marR", "marB")
    else:
        props = body.find(f"{_A}bodyPr")
        names = ("lIns", "tIns", "rIns", "bIns")
    left, top, right, bottom = (int(props.get(name)) if props is not None and props.get(name) is not None
                                else default for name, default in zip(names, DEFAULT_INSETS, strict=True))
    width = (width_emu - left - right) / EMU_PER_PT
    height = (height_emu - top - bottom) / EMU_PER_PT
    return paras_height(paras_from_xml(body), width, book) - height
