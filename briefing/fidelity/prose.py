"""The prose of a brief whose numbers must be traceable, and the numbers it states."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .numbers import Number, parse_numbers

if TYPE_CHECKING:
    from ..project import BriefEntry
    from ..yamlsource import YamlDocument

_URL = re.compile(r"\(?https?://\S+|`[^`]*`")


def prose_numbers(text: str) -> list[Number]:
    """The numbers a piece of prose states (a bare 'one' is a word, not a figure)."""
    text = _URL.sub(lambda m: " " * len(m.group()), text)
    return [n for n in parse_numbers(text) if not (n.is_word and n.value == 1 and not n.unit and not n.scale)]


def prose_fields(brief: BriefEntry) -> Iterator[tuple[YamlDocument, tuple[Any, ...], str]]:
    """(document, field path, text) of the bottom line, takeaways, summaries, implications, risks and
    recommendations."""
    yield brief.doc, ("summary",), brief.meta.summary
    for entry in brief.theme_files:
        theme, doc = entry.theme, entry.doc
        yield doc, ("takeaway",), theme.takeaway
        yield doc, ("summary",), theme.summary
        for k, implication in enumerate(theme.implications):
            yield doc, ("implications", k), implication
        for k, risk in enumerate(theme.risks):
            yield doc, ("risks", k, "risk"), risk.risk
            if risk.mitigation:
                yield doc, ("risks", k, "mitigation"), risk.mitigation
        for k, recommendation in enumerate(theme.recommendations):
            yield doc, ("recommendations", k, "action"), recommendation.action
            if recommendation.rationale:
                yield doc, ("recommendations", k, "rationale"), recommendation.rationale
