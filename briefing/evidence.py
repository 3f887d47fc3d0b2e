"""Where each fact and quote comes from in its source: the passage a reader can check it against.

The fidelity analysis (run by ``check``, once per loaded project) locates every
evidence excerpt and quote in its source's text; this module hands the
passages to the views, so the web page can show a fact's source words on
demand and an audience can ask for an evidence appendix in every format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .fidelity.analysis import analyse

if TYPE_CHECKING:
    from .project import BriefEntry, Project

SECTION_OF = {"fact": "facts", "quote": "quotes"}


@dataclass(frozen=True)
class Evidence:
    """A source's own words behind one item: the sentence(s), with the matched words marked."""

    source: str  # the source's id
    paragraph: int  # counted from 1, as the fidelity report numbers them
    segments: tuple[tuple[str, bool], ...]  # (text, is the matched excerpt)

    @property
    def text(self) -> str:
        return "".join(part for part, _ in self.segments)


def evidence_key(theme_id: str, section: str, index: int) -> str:
    return f"{theme_id}:{section}:{index}"


def evidence_for(project: Project, brief: BriefEntry) -> dict[str, Evidence]:
    """The passage behind every fact and quote of ``brief`` that its source's text confirms."""
    result = next((b for b in analyse(project).briefs if b.id == brief.id), None)
    if result is None:
        return {}
    themes = {id(entry.doc): entry.theme.id for entry in brief.theme_files}
    found: dict[str, Evidence] = {}
    for verdict in result.verdicts:
        section = SECTION_OF.get(verdict.kind)
        passage = verdict.passage
        if section is None or passage is None or verdict.status != "verified" or id(verdict.doc) not in themes:
            continue
        segments: list[tuple[str, bool]] = []
        last = 0
        for start, end in sorted(passage.marks):
            if start > last:
                segments.append((passage.text[last:start], False))
            if end > max(start, last):
                segments.append((passage.text[max(start, last):end], True))
            last = max(last, end)
        segments.append((passage.text[last:], False))
        found[evidence_key(themes[id(verdict.doc)], section, int(verdict.loc[1]))] = Evidence(
            passage.source, passage.paragraph + 1, tuple(s for s in segments if s[0]))
    return found
