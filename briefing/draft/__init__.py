"""``briefing draft``: a first draft of a theme from a local source (issue 14).

``draft(source, project)`` copies the source's text into the project, adds it to
``content/sources.yaml`` with its sha256, and writes ``content/briefs/<brief>/themes/01-draft.yaml``
with a candidate fact for every figure and a candidate quote for every quoted span, each marked for
rewriting and each checkable by ``briefing check``.
"""

from __future__ import annotations

from .extract import FactCandidate, FigureCandidate, QuoteCandidate, draft_facts, draft_quotes
from .write import DraftResult, draft

__all__ = ["DraftResult", "FactCandidate", "FigureCandidate", "QuoteCandidate", "draft", "draft_facts",
           "draft_quotes"]
