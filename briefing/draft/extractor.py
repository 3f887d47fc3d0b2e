"""The extractor interface: what proposes candidate facts, quotes and names from a source's text.

``RuleExtractor`` is the built-in one (number parsing, attribution and name rules, no model to
download). A team may plug in its own (a language model, a trained recogniser) by passing any object
with these three methods to ``draft(..., extractor=...)``. Whatever an extractor proposes, ``draft``
keeps only what the source bears out: a fact whose evidence is the source's words and whose figure
agrees with them, a quote found word for word; the rest is dropped and reported with the reason.
"""

from __future__ import annotations

from typing import Protocol

from ..fidelity.source_text import SourceText
from .entities import Entity, named_entities
from .extract import FactCandidate, QuoteCandidate, draft_facts, draft_quotes


class Extractor(Protocol):
    """Proposes candidates from a source's text."""

    def facts(self, source: SourceText) -> list[FactCandidate]: ...

    def quotes(self, source: SourceText) -> list[QuoteCandidate]: ...

    def entities(self, source: SourceText) -> list[Entity]: ...


class RuleExtractor:
    """The built-in extractor: a fact per figure, a quote per quoted span, people and organisations named."""

    def facts(self, source: SourceText) -> list[FactCandidate]:
        return draft_facts(source)

    def quotes(self, source: SourceText) -> list[QuoteCandidate]:
        return draft_quotes(source)

    def entities(self, source: SourceText) -> list[Entity]:
        return named_entities(source)
