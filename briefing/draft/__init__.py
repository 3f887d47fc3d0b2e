"""``briefing draft``: a first draft of a brief from its source (a local file or an http(s) URL).

``draft(source, project)`` reads the source, proposes a candidate fact for every figure and a candidate
quote for every quoted span (each marked for rewriting and each checkable by ``briefing check``), and
returns them as the project's models in a ``Draft``; ``Draft.write()`` copies the source's text into
the project, adds it to ``content/sources.yaml`` with its sha256, creates the brief if it is new, and
writes ``content/briefs/<brief>/themes/01-draft.yaml``. The candidates come from an ``Extractor``
(``RuleExtractor`` by default), which a team may replace.
"""

from __future__ import annotations

from .entities import Entity
from .extract import FactCandidate, FigureCandidate, QuoteCandidate, draft_facts, draft_quotes
from .extractor import Extractor, RuleExtractor
from .write import Draft, draft

__all__ = ["Draft", "Entity", "Extractor", "FactCandidate", "FigureCandidate", "QuoteCandidate", "RuleExtractor",
           "draft", "draft_facts", "draft_quotes"]
