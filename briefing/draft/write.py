"""``briefing draft``: a source in; its text copy, source entry, brief and draft theme out.

``draft`` reads the source (a local file or an http(s) URL), asks the extractor for candidates, keeps
those the source bears out, and returns them as the project's own models (``Source``, ``Brief``,
``Theme``) in a ``Draft``; ``Draft.write`` writes them. Nothing is written until every file is known to
be free (or ``force`` is given), so a refused draft leaves the project as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import UsageError
from ..fidelity.match import find
from ..fidelity.source_text import SourceText, digest, split
from ..models import Brief, Fact, Figure, Quote, Source, Theme
from ..output import write_atomic
from ..safe_files import UnsafeFile, check_writable
from ..settings import DRAFT_PLACEHOLDER, SOURCES_DIR
from .emit import document, scalar
from .entities import Entity
from .extract import TODO_SPEAKER, FactCandidate, QuoteCandidate, checks_out
from .extractor import Extractor, RuleExtractor
from .promotion import left_out_lines
from .read import SourceDocument, read_source

SOURCES_HEADER = ("yaml-language-server: $schema=../schemas/sources.schema.json",
                  "Every source your briefs cite. Facts and quotes name a source by its id.")
THEME_HEADER = (
    "yaml-language-server: $schema=../../../../schemas/theme.schema.json",
    "Drafted by 'briefing draft': a starting point, not a finished theme. Before you publish:",
    "- rewrite every fact 'statement' (they start 'TODO rewrite in your own words') in your own words;",
    "- check each figure's value, unit, qualifier, basis and 'by' (a 'TODO' names a party to fill in);",
    "- fill in each quote's speaker where it says 'TODO speaker', and check each role;",
    "- write the title, takeaway and summary; delete the facts and quotes you do not need;",
    "- keep each 'evidence' and quote 'text' as the source's exact words: 'briefing check' verifies them.",
    "'briefing check' warns about every 'TODO' left.",
)
TODO_PUBLISHER = f"{DRAFT_PLACEHOLDER} publisher"


@dataclass
class Draft:
    """A drafted source entry, brief and theme, as models, with what the extractor proposed and what was
    left out; ``write`` puts them in the project."""

    project: Path
    source_id: str
    brief_id: str
    document: SourceDocument
    source: Source
    theme: Theme
    brief: Brief | None  # None when the project has the brief already
    facts: list[FactCandidate] = field(default_factory=list)
    quotes: list[QuoteCandidate] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)  # candidates left out, with why
    left_out: list[str] = field(default_factory=list)  # comment lines naming the paragraphs left out

    @property
    def text_path(self) -> Path:
        return self.project / str(self.source.text)

    @property
    def theme_path(self) -> Path:
        return self.project / "content" / "briefs" / self.brief_id / "themes" / "01-draft.yaml"

    @property
    def brief_path(self) -> Path:
        return self.project / "content" / "briefs" / self.brief_id / "brief.yaml"

    @property
    def sources_path(self) -> Path:
        return self.project / "content" / "sources.yaml"

    def write(self, *, force: bool = False) -> list[Path]:
        """Write the text copy, the source entry, the brief (when new) and the theme; refuse to overwrite."""
        for path in (self.text_path, self.sources_path, self.brief_path, self.theme_path):
            try:  # all checked before any is read or written: a refused one leaves the project as it was
                check_writable(self.project, path)
            except UnsafeFile as exc:
                raise UsageError(f"cannot write {exc}; {exc.hint}") from None
        for path in (self.text_path, self.theme_path):
            if path.exists() and not force:
                raise _refuse(path, self.project)
        current = self.sources_path.read_text(encoding="utf-8") if self.sources_path.exists() else None
        sources = _sources_text(current, self.source_id, source_entry(self.source), force, self.sources_path,
                                self.project)
        files = [(self.text_path, self.document.text.encode("utf-8")),
                 (self.sources_path, sources.encode("utf-8"))]
        if self.brief is not None and not self.brief_path.exists():
            files.append((self.brief_path, brief_text(self.brief).encode("utf-8")))
        files.append((self.theme_path, theme_text(self.theme, self.entities, self.left_out).encode("utf-8")))
        for path, data in files:
            write_atomic(path, data, force=True)
        return [path for path, _ in files]


def slug(text: str) -> str:
    """A source or brief id from a file name: lower case, words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    value = "-".join(words)[:64].strip("-")
    return value or "source"


def _refuse(path: Path, project: Path) -> UsageError:
    return UsageError(f"{path.relative_to(project)} already exists; use --force to overwrite it")


def _sources_text(current: str | None, source_id: str, entry: list[str], force: bool, path: Path,
                  project: Path) -> str:
    """``sources.yaml`` with ``entry`` added (or, with ``force``, put in place of the entry with its id)."""
    if current is None or not current.strip():
        return document({"sources": []}, SOURCES_HEADER).replace("sources: []", "sources:") + "\n".join(entry) + "\n"
    try:
        loaded = yaml.safe_load(current) or {}
    except yaml.YAMLError as exc:
        raise UsageError(f"{path.relative_to(project)} is not valid YAML ({exc}); fix it, then draft again") from None
    known = [s.get("id") for s in (loaded.get("sources") or []) if isinstance(s, dict)] \
        if isinstance(loaded, dict) else []
    text = current if current.endswith("\n") else current + "\n"
    if source_id in known:
        if not force:
            raise UsageError(f"{path.relative_to(project)} already has a source '{source_id}'; use --force to "
                             "replace it, or --id to give the new source another id")
        rows = text.splitlines()
        own = re.compile(rf"\s*-\s+id:\s*[\"']?{re.escape(source_id)}[\"']?\s*$")
        begin = next(i for i, row in enumerate(rows) if own.match(row))
        end = next((i for i in range(begin + 1, len(rows)) if re.match(r"\s*-\s|\S", rows[i])), len(rows))
        return "\n".join([*rows[:begin], *entry, *rows[end:]]) + "\n"
    text = re.sub(r"(?m)^sources:\s*\[\]\s*$", "sources:", text)
    return text + "\n".join(entry) + "\n"


def source_entry(source: Source) -> list[str]:
    """The source's lines for sources.yaml, in the order the model defines its fields."""
    values = source.model_dump(mode="json", exclude_none=True)
    body: list[str] = []
    for key, value in values.items():
        prefix = "  - " if not body else "    "
        if key == "publisher" and value == TODO_PUBLISHER:
            body.append("    # TODO: name the publisher (and add url: and author: if you know them)")
        body.append(f"{prefix}{key}: {value if key in ('date', 'sha256') else scalar(value)}")
    return body


def _pruned(value: Any) -> Any:
    """A model dump without empty lists and texts (tags, audiences, sections, a figure's unit or currency
    the draft leaves empty)."""
    if isinstance(value, dict):
        return {k: _pruned(v) for k, v in value.items() if v != [] and v != "" and v != {}}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def _entities_header(entities: list[Entity]) -> list[str]:
    if not entities:
        return []
    lines = ["", "Named in the source (with mentions), to help split this draft into themes and tag them:"]
    for kind, label in (("organisation", "organisations"), ("person", "people")):
        named = [f"{e.name} ({e.mentions})" for e in entities if e.kind == kind]
        if named:
            lines.append(f"  {label}: " + ", ".join(named))
    return lines


def theme_text(theme: Theme, entities: Sequence[Entity] = (), left_out: Sequence[str] = ()) -> str:
    return document(_pruned(theme.model_dump(mode="json", exclude_none=True)),
                    (*THEME_HEADER, *_entities_header(list(entities)), *left_out))


def brief_date(project: Path, sources: str | None, doc: SourceDocument) -> dt.date | None:
    """The drafted brief's date, never today's: the source's date; none when briefing.yaml sets a default;
    else the latest date of the project's sources; else the day the source file was saved."""
    if doc.date is not None:
        return doc.date
    try:
        config = yaml.safe_load((project / "briefing.yaml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        config = {}
    if isinstance(config, dict) and config.get("date"):
        return None
    try:
        loaded = yaml.safe_load(sources or "") or {}
    except yaml.YAMLError:
        loaded = {}
    entries = loaded.get("sources") if isinstance(loaded, dict) else None
    dates = [e["date"] for e in entries or [] if isinstance(e, dict) and isinstance(e.get("date"), dt.date)]
    if dates:
        return max(dates)
    return doc.saved


def brief_text(brief: Brief) -> str:
    body = document(_pruned(brief.model_dump(mode="json", exclude_none=True)),
                    ("yaml-language-server: $schema=../../../schemas/brief.schema.json",
                     "Drafted by 'briefing draft': write the title and summary, and check the date",
                     "(the source's date if it gives one, else a placeholder)."))
    if brief.date is not None:  # a date, not a string: unquote it
        body = body.replace(f'date: "{brief.date.isoformat()}"', f"date: {brief.date.isoformat()}")
    return body


def _fact(candidate: FactCandidate, source_id: str) -> Fact:
    c = candidate.figure
    figure = Figure.model_validate({"value": c.value, "upper": c.upper, "unit": c.unit, "currency": c.currency,
                                    "qualifier": c.qualifier, "basis": c.basis, "by": c.by})
    return Fact(statement=candidate.statement, figure=figure, source=source_id, evidence=candidate.evidence)


def _quote(candidate: QuoteCandidate, source_id: str) -> Quote:
    speaker = candidate.speaker
    if candidate.note and speaker == TODO_SPEAKER:
        speaker = f"{TODO_SPEAKER} ({candidate.note})"
    return Quote(text=candidate.text, speaker=speaker, role=candidate.role, source=source_id)


def vetted(source: SourceText, facts: list[FactCandidate], quotes: list[QuoteCandidate], source_id: str,
           ) -> tuple[list[Fact], list[Quote], list[FactCandidate], list[QuoteCandidate], list[str]]:
    """The candidates the source bears out, as models; and why each other one was left out."""
    kept_facts: list[Fact] = []
    kept_quotes: list[Quote] = []
    fact_candidates: list[FactCandidate] = []
    quote_candidates: list[QuoteCandidate] = []
    dropped: list[str] = []
    for candidate in facts:
        try:
            fact = _fact(candidate, source_id)
        except ValidationError as exc:
            dropped.append(f"fact '{candidate.evidence}': {exc.errors()[0]['msg']}")
            continue
        if find(source, candidate.evidence).location is None:
            dropped.append(f"fact '{candidate.evidence}': its evidence is not the source's words")
        elif not checks_out(source, candidate.evidence, candidate.figure):
            dropped.append(f"fact '{candidate.evidence}': its figure does not match its evidence")
        else:
            kept_facts.append(fact)
            fact_candidates.append(candidate)
    for quote_candidate in quotes:
        if find(source, quote_candidate.text).location is None:
            dropped.append(f"quote '{quote_candidate.text}': not found word for word in the source")
            continue
        try:
            kept_quotes.append(_quote(quote_candidate, source_id))
            quote_candidates.append(quote_candidate)
        except ValidationError as exc:
            dropped.append(f"quote '{quote_candidate.text}': {exc.errors()[0]['msg']}")
    return kept_facts, kept_quotes, fact_candidates, quote_candidates, dropped


def draft(source: str | Path, project: str | Path = ".", *, brief: str | None = None,
          source_id: str | None = None, extractor: Extractor | None = None) -> Draft:
    """Draft a source entry, a brief and a theme of candidate facts and quotes from ``source`` (a local
    file or an http(s) URL) for ``project``; nothing is written until ``Draft.write``."""
    project = Path(project)
    if not (project / "briefing.yaml").is_file():
        raise UsageError(f"{project} is not a briefing project (no briefing.yaml); run 'briefing init' first")
    for name, value in (("--id", source_id), ("--brief", brief)):
        if value is not None and (not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value) or len(value) > 64):
            raise UsageError(f"{name} '{value}' is not an id: use lower-case letters, digits and hyphens")
    doc = read_source(source)
    source_id = source_id or slug(doc.name)
    brief = brief or source_id
    copy_rel = f"{SOURCES_DIR}/{source_id}.txt"
    data = doc.text.encode("utf-8")
    parsed = SourceText(source_id=source_id, path=copy_rel, text=doc.text, raw_sha256=digest(data),
                        paragraphs=split(doc.text))
    extractor = extractor or RuleExtractor()
    facts, quotes, fact_candidates, quote_candidates, dropped = vetted(
        parsed, extractor.facts(parsed), extractor.quotes(parsed), source_id)
    entry = Source(id=source_id, title=doc.title, publisher=doc.publisher or TODO_PUBLISHER, date=doc.date,
                   url=doc.url, author=doc.author, text=copy_rel, sha256=digest(data))
    theme = Theme(id="draft", title=f"TODO title: {doc.title}",
                  takeaway="TODO: the one line a reader must remember.",
                  summary=f"TODO: a short paragraph on what the source '{source_id}' says and why it matters.",
                  facts=facts, quotes=quotes)
    brief_model = None
    if not (project / "content" / "briefs" / brief / "brief.yaml").exists():
        sources_path = project / "content" / "sources.yaml"
        current = sources_path.read_text(encoding="utf-8") if sources_path.exists() else None
        brief_model = Brief(title=f"TODO title: {doc.title}", date=brief_date(project, current, doc),
                            summary="TODO: the bottom line of the whole brief.", sources=[source_id])
    return Draft(project, source_id, brief, doc, entry, theme, brief_model, fact_candidates, quote_candidates,
                 extractor.entities(parsed), dropped, left_out_lines(parsed))
