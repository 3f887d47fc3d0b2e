"""Find an excerpt (a fact's evidence, a quote's words) in a source's text.

Both sides are folded first: case, runs of any whitespace (incl. no-break and thin spaces),
typographic quotes and apostrophes, every dash and hyphen (hyphen, non-breaking hyphen, figure,
en and em dash, minus; spaces around a dash do not count), and ``…`` as ``...``. Soft hyphens and
zero-width characters go. In the excerpt, ``...``, ``…``, ``[...]`` and ``[…]`` are gaps: each part
must be found, in order, within one paragraph. Punctuation at the ends of a part does not count
(a trailing period where the source has a comma), and matches start and end on word boundaries.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from .source_text import SourceText

MIN_WORDS = 4  # evidence of fewer words cannot pin a passage down

_QUOTES = {c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u00b4`"} | {
    c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"}
_DASHES = set("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043")
_DROP = set("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_GAP = re.compile(r"\s*(?:[\[(]\s*(?:\.\s*){3,}[\])]|[\[(]\s*\u2026\s*[\])]|(?:\.\s?){2}\.|\u2026)\s*")
_EDGE = " .,;:!?\"'()[]"
_WORD = re.compile(r"[^\W_]+(?:[.,'\-][^\W_]+)*")  # "100,000", "30-40", "don't": one word each


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the offset of the original character.

    The offset list has one more entry, the end of the text, so ``offsets[end]`` maps a slice end.
    """
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if char in _DROP:
            continue
        if char.isspace():
            if out and out[-1] not in " -":
                out.append(" ")
                offsets.append(index)
            continue
        if char in _DASHES:
            if out and out[-1] == " ":
                out.pop()
                offsets.pop()
            out.append("-")
            offsets.append(index)
            continue
        if char == "\u2026":
            out.extend("...")
            offsets.extend((index, index, index))
            continue
        for folded in _QUOTES.get(char, char).casefold():
            out.append(folded)
            offsets.append(index)
    if out and out[-1] == " ":
        out.pop()
        offsets.pop()
    offsets.append(len(text))
    return "".join(out), offsets


def fold_text(text: str) -> str:
    return fold(text)[0]


def excerpt_parts(excerpt: str) -> list[str]:
    """The folded parts of an excerpt between its gaps, without punctuation at their ends."""
    parts = []
    for piece in _GAP.split(excerpt):
        folded = fold_text(piece).strip(_EDGE)
        if folded:
            parts.append(folded)
    return parts


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


@dataclass(frozen=True)
class Location:
    """Where an excerpt is: paragraph and sentence indexes (from 0) and offsets into the source text."""

    paragraph: int
    sentence: int  # the sentence the excerpt starts in
    last_sentence: int  # the sentence it ends in
    start: int
    end: int
    spans: tuple[tuple[int, int], ...]  # one per part of a gapped excerpt


@dataclass(frozen=True)
class MatchResult:
    location: Location | None  # the first place found, or None
    places: int  # how many places it is found in
    words: int  # words in the excerpt

    @property
    def found(self) -> bool:
        return self.location is not None

    @property
    def too_short(self) -> bool:
        """Found, but too short or too common to pin down one passage."""
        return self.found and (self.words < MIN_WORDS or self.places > 1)

    def why_short(self) -> str:
        if self.places > 1:
            return f"it is found in {self.places} places"
        return f"it has {self.words} word{'s' if self.words != 1 else ''}"


@dataclass(frozen=True)
class Closest:
    paragraph: int
    sentence: int
    text: str
    score: float


def folded_paragraph(source: SourceText, index: int) -> tuple[str, list[int]]:
    if index not in source._folded:
        source._folded[index] = fold(source.paragraph_text(index))
    return source._folded[index]


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not ((text[start].isalnum() and before.isalnum()) or (text[end - 1].isalnum() and after.isalnum()))


def _occurrences(text: str, part: str, start: int = 0) -> list[int]:
    found = []
    position = text.find(part, start)
    while position >= 0:
        if _bounded(text, position, position + len(part)):
            found.append(position)
        position = text.find(part, position + 1)
    return found


def _place(text: str, parts: list[str], first: int) -> list[tuple[int, int]] | None:
    """Spans of every part, the first at ``first`` and each later one after the previous, or None."""
    spans = [(first, first + len(parts[0]))]
    for part in parts[1:]:
        after = _occurrences(text, part, spans[-1][1])
        if not after:
            return None
        spans.append((after[0], after[0] + len(part)))
    return spans


def find(source: SourceText, excerpt: str) -> MatchResult:
    """Where ``excerpt`` is in ``source``: its first place, how many places, and its length in words."""
    parts = excerpt_parts(excerpt)
    words = sum(word_count(part) for part in parts)
    if not parts:
        return MatchResult(None, 0, words)
    first_location: Location | None = None
    places = 0
    for paragraph in source.paragraphs:
        folded, offsets = folded_paragraph(source, paragraph.index)
        if parts[0] not in folded:
            continue
        for start in _occurrences(folded, parts[0]):
            spans = _place(folded, parts, start)
            if spans is None:
                continue
            places += 1
            if first_location is None:
                base = paragraph.start
                real = tuple((base + offsets[a], base + offsets[b - 1] + 1) for a, b in spans)
                _, first_sentence = source.sentence_at(real[0][0])
                _, last_sentence = source.sentence_at(real[-1][1] - 1)
                first_location = Location(paragraph.index, first_sentence, last_sentence,
                                          real[0][0], real[-1][1], real)
    return MatchResult(first_location, places, words)


def closest(source: SourceText, excerpt: str) -> Closest | None:
    """The passage of ``source`` most like ``excerpt`` (rapidfuzz), for a hint; None if nothing is close."""
    from rapidfuzz import fuzz

    query = " ".join(excerpt_parts(excerpt))
    if not query or not source.paragraphs:
        return None
    best: tuple[float, int] | None = None
    for paragraph in source.paragraphs:
        score = fuzz.partial_ratio(query, folded_paragraph(source, paragraph.index)[0])
        if best is None or score > best[0]:
            best = (score, paragraph.index)
    assert best is not None
    score, index = best
    if score < 50:
        return None
    folded, offsets = folded_paragraph(source, index)
    alignment = fuzz.partial_ratio_alignment(query, folded)
    if alignment is None:
        return None
    base = source.paragraphs[index].start
    start = base + offsets[alignment.dest_start]
    end = base + offsets[max(alignment.dest_end - 1, alignment.dest_start)] + 1
    text = source.text
    para_start, para_end = source.paragraphs[index].start, source.paragraphs[index].end
    while start > para_start and text[start - 1].isalnum():
        start -= 1
    while end < para_end and text[end].isalnum():
        end += 1
    _, sentence = source.sentence_at(start)
    return Closest(index, sentence, " ".join(text[start:end].split()), score)


def closest_hint(source: SourceText, excerpt: str) -> str:
    """``closest passage (paragraph 12): "..."`` or a plain instruction when nothing is close."""
    near = closest(source, excerpt)
    if near is None:
        return "copy the exact words from the source's text"
    return f'closest passage (paragraph {near.paragraph + 1}): "{near.text}"'
