"""What the fidelity analysis says about each item: verdicts, their findings, the source passage.

Kept apart from ``analysis`` so the parts that check one kind of item (``charts``) can make verdicts
without importing the analysis that calls them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from ..models import Source
    from ..yamlsource import YamlDocument
    from .source_text import SourceTextError

Status = Literal["verified", "flagged", "unchecked"]
Kind = Literal["fact", "figure", "quote", "prose-number", "prose-statement", "chart-point"]
Check = Literal["sources", "facts", "quotes", "prose"]


@dataclass
class Finding:
    """One problem, located at a YAML value; ``needle`` pinpoints it inside a long text value."""

    check: Check
    severity: Literal["error", "warning"]
    doc: YamlDocument
    loc: tuple[Any, ...]
    message: str
    hint: str = ""
    needle: str | None = None


@dataclass
class Passage:
    """The source sentence an item rests on."""

    source: str
    paragraph: int  # from 0
    sentence: int  # from 0, within the paragraph
    text: str  # the sentence(s)
    marks: tuple[tuple[int, int], ...] = ()  # spans of the matched words within ``text``


@dataclass
class Verdict:
    kind: Kind
    label: str
    doc: YamlDocument
    loc: tuple[Any, ...]
    source: str | None = None
    status: Status = "verified"
    reason: str = ""  # why unchecked
    findings: list[Finding] = field(default_factory=list)
    passage: Passage | None = None
    checked: tuple[str, ...] = ()  # what was compared: number, unit, bound, currency, statement, speaker, ...
    asserted: str = ""  # what the brief states, as compared ('over SEK 4.2 billion', a figure)
    stated: str = ""  # what the source states, in its words ('more than 4.2 billion kronor')

    def add(self, finding: Finding) -> None:
        self.findings.append(finding)
        self.status = "flagged"


def no_text(source: Source, text: SourceTextError | None) -> str:
    if text is None:
        return f"source '{source.id}' has no local text copy"
    return f"the text copy of '{source.id}' {text.reason}"
