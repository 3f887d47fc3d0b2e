"""What a judge reads and says: the evidence's passage, and a verdict with the mismatches that make it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Protocol

from .match import Location
from .source_text import SourceText

Kind = Literal["negation", "added-negation", "direction", "subject", "counterpart", "comparator", "metric", "period"]


@dataclass(frozen=True)
class Mismatch:
    """One way a statement differs from its evidence: the statement's words and the source's."""

    kind: Kind
    statement_words: str
    source_words: str
    message: str


@dataclass(frozen=True)
class Judgement:
    """A judge's verdict: ``supported`` is None when it cannot tell (a model abstaining)."""

    supported: bool | None
    mismatches: tuple[Mismatch, ...] = ()

    @property
    def reason(self) -> str:
        return "; ".join(m.message for m in self.mismatches)


@dataclass(frozen=True)
class EvidencePassage:
    """What a judge reads: the evidence's sentence (and where the evidence is in it), its paragraph, the
    sentences before it in the paragraph, the paragraph before, the article, and the brief's aliases."""

    sentence: str
    span: tuple[int, int]
    paragraph: str
    before: str = ""
    previous_paragraph: str = ""
    article: str = ""
    aliases: Mapping[str, Sequence[str]] = field(default_factory=dict)
    language: str = "en"


class Judge(Protocol):
    def judge(self, statement: str, passage: EvidencePassage) -> Judgement: ...


def passage_of(source: SourceText, location: Location, aliases: Mapping[str, Sequence[str]] | None = None,
               language: str = "en") -> EvidencePassage:
    """The passage a judge reads for evidence found at ``location``."""
    paragraph = source.paragraphs[location.paragraph]
    first, last = paragraph.sentences[location.sentence], paragraph.sentences[location.last_sentence]
    sentence = source.text[first.start:last.end]
    before = source.text[paragraph.start:first.start]
    previous = source.paragraph_text(location.paragraph - 1) if location.paragraph > 0 else ""
    span = (max(0, location.start - first.start), max(0, location.end - first.start))
    return EvidencePassage(sentence, span, source.paragraph_text(location.paragraph), before, previous,
                           source.text, aliases or {}, language)
