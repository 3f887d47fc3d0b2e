"""Paragraphs of a saved article that are not the article: promotion ('Read more:', 'Subscribe', 'Sign up
for our newsletter'), credits and the headlines of other stories a page runs between paragraphs. The draft
takes no candidate from them and names them in the theme file's comments, so the analyst sees what was left
out and why."""

from __future__ import annotations

import functools
import re

from ..fidelity.source_text import SourceText

_PROMOTION = re.compile(
    r"^\s*(?:read\s+more|related(?:\s+(?:stories|articles|coverage))?|subscribe|sign\s+up|follow\s+us|"
    r"advertisement|sponsored|click\s+here|also\s+read|more\s+from|recommended(?:\s+for\s+you)?|listen\s+to|"
    r"watch(?:\s+now)?|newsletter|share\s+this|get\s+the\s+latest|don['’]t\s+miss|you\s+may\s+also\s+like|"
    r"most\s+read|trending|see\s+also|continue\s+reading|download\s+our|join\s+our|©|copyright\b|"
    r"all\s+rights\s+reserved)\b", re.IGNORECASE)
_END = re.compile(r"[.!?\"”»)]\s*$")


@functools.lru_cache(maxsize=64)
def _left_out(text: str, paragraphs: tuple[tuple[int, int], ...]) -> tuple[tuple[int, str], ...]:
    out = []
    for index, (start, end) in enumerate(paragraphs):
        body = " ".join(text[start:end].split())
        words = body.split()
        if _PROMOTION.match(body):
            out.append((index, "promotion"))
        elif index > 0 and 3 <= len(words) <= 14 and not _END.search(body) and (
                ":" in body or sum(w[:1].isupper() for w in words) >= 0.6 * len(words)):
            out.append((index, "a headline of another story"))
    return tuple(out)


def left_out(source: SourceText) -> dict[int, str]:
    """Paragraph index -> why the draft leaves it out ('promotion', 'a headline of another story')."""
    spans = tuple((p.start, p.end) for p in source.paragraphs)
    return dict(_left_out(source.text, spans))


def left_out_lines(source: SourceText) -> list[str]:
    """The theme file's comment lines naming what was left out."""
    found = left_out(source)
    if not found:
        return []
    lines = ["", "Left out of the candidates (not the article's own reporting):"]
    for index, why in found.items():
        words = " ".join(source.paragraph_text(index).split())
        lines.append(f"  paragraph {index + 1}, {why}: \"{words[:70]}{'…' if len(words) > 70 else ''}\"")
    return lines
