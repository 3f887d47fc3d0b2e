"""``briefing draft``: a local source in, a source entry, its text copy and a draft theme out.

Nothing is written until every file is known to be free (or ``force`` is given), so a refused draft
leaves the project as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import UsageError
from ..fidelity.source_text import SourceText, digest, extract_text, max_bytes_for, split
from ..output import write_atomic
from .emit import document, scalar
from .extract import FactCandidate, QuoteCandidate, draft_facts, draft_quotes

SOURCES_HEADER = ("yaml-language-server: $schema=../schemas/sources.schema.json",
                  "Every source your briefs cite. Facts and quotes name a source by its id.")
THEME_HEADER = (
    "yaml-language-server: $schema=../../../../schemas/theme.schema.json",
    "Drafted by 'briefing draft': a starting point, not a finished theme. Before you publish:",
    "- rewrite every fact 'statement' (they start 'TODO rewrite in your own words') in your own words;",
    "- check each figure's value, unit, qualifier, basis and 'by' (a 'TODO' names a party to fill in);",
    "- fill in each quote's speaker where it says 'TODO speaker', and add a role;",
    "- write the title, takeaway and summary; delete the facts and quotes you do not need;",
    "- keep each 'evidence' and quote 'text' as the source's exact words: 'briefing check' verifies them.",
)
_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
     ("nov", "november"), ("dec", "december")), start=1) for name in names}
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_WORD_DATE = re.compile(r"\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),?\s+((?:19|20)\d\d)\b")


@dataclass
class DraftResult:
    """What a draft wrote and found."""

    source_id: str
    brief: str
    written: list[Path] = field(default_factory=list)
    facts: list[FactCandidate] = field(default_factory=list)
    quotes: list[QuoteCandidate] = field(default_factory=list)
    title: str = ""
    date: dt.date | None = None


def slug(text: str) -> str:
    """A source or brief id from a file name: lower case, words joined by hyphens."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    value = "-".join(words)[:64].strip("-")
    return value or "source"


def find_title(text: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 200 else line[:199].rsplit(" ", 1)[0] + "…"
    return "Untitled source"


def find_date(text: str) -> dt.date | None:
    """A publication date near the top of the text: 2024-12-03 or December 3, 2024."""
    head = "\n".join(text.splitlines()[:8])
    for match in _ISO_DATE.finditer(head):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    for match in _WORD_DATE.finditer(head):
        month = _MONTHS.get(match.group(1).lower())
        if month:
            try:
                return dt.date(int(match.group(3)), month, int(match.group(2)))
            except ValueError:
                continue
    return None


def _read(source: Path) -> str:
    if not source.is_file():
        raise UsageError(f"{source} is not a file: give the path of a saved article (text, Markdown, HTML or PDF)")
    data = source.read_bytes()
    if len(data) > max_bytes_for(source.name):
        raise UsageError(f"{source} is too large to draft from ({len(data):,} bytes)")
    try:
        text = extract_text(source.name, data)
    except ValueError as exc:
        raise UsageError(f"{source} {exc}") from None
    if not text.strip():
        raise UsageError(f"{source} has no text to draft from")
    return text if text.endswith("\n") else text + "\n"


def _refuse(path: Path, project: Path) -> UsageError:
    return UsageError(f"{path.relative_to(project)} already exists; use --force to overwrite it")


def _source_entry(source_id: str, title: str, date: dt.date | None, text_path: str, sha: str) -> list[str]:
    body = [f"  - id: {scalar(source_id)}", f"    title: {scalar(title)}",
            "    # TODO: name the publisher (and add url: and author: if you know them)",
            f"    publisher: {scalar('unknown publisher')}"]
    if date is not None:
        body.append(f"    date: {date.isoformat()}")
    body.append(f"    text: {scalar(text_path)}")
    body.append(f"    sha256: {sha}")
    return body


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


def _fact(fact: FactCandidate, source_id: str) -> dict[str, Any]:
    figure: dict[str, Any] = {"value": fact.figure.value}
    if fact.figure.upper is not None:
        figure["upper"] = fact.figure.upper
    if fact.figure.unit:
        figure["unit"] = fact.figure.unit
    if fact.figure.currency:
        figure["currency"] = fact.figure.currency
    if fact.figure.qualifier:
        figure["qualifier"] = fact.figure.qualifier
    figure["basis"] = fact.figure.basis
    if fact.figure.by:
        figure["by"] = fact.figure.by
    return {"statement": fact.statement, "figure": figure, "source": source_id, "evidence": fact.evidence}


def _quote(quote: QuoteCandidate, source_id: str) -> dict[str, Any]:
    return {"text": quote.text, "speaker": quote.speaker, "source": source_id}


def theme_text(source_id: str, title: str, facts: list[FactCandidate], quotes: list[QuoteCandidate]) -> str:
    theme: dict[str, Any] = {
        "id": "draft",
        "title": f"TODO title: {title}",
        "takeaway": "TODO: the one line a reader must remember.",
        "summary": f"TODO: a short paragraph on what the source '{source_id}' says and why it matters.",
        "priority": "medium",
        "facts": [_fact(fact, source_id) for fact in facts],
        "quotes": [_quote(quote, source_id) for quote in quotes],
    }
    return document(theme, THEME_HEADER)


def brief_date(project: Path, sources: str | None, source_date: dt.date | None, source: Path) -> dt.date | None:
    """The drafted brief's date, never today's: the source's date; none when briefing.yaml sets a default;
    else the latest date of the project's sources; else the day the source file was saved."""
    if source_date is not None:
        return source_date
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
    return dt.date.fromtimestamp(source.stat().st_mtime)


def brief_text(title: str, date: dt.date | None, source_id: str) -> str:
    brief: dict[str, Any] = {"title": f"TODO title: {title}"}
    if date is not None:
        brief["date"] = date.isoformat()
    brief["summary"] = "TODO: the bottom line of the whole brief."
    brief["sources"] = [source_id]
    body = document(brief, ("yaml-language-server: $schema=../../../schemas/brief.schema.json",
                            "Drafted by 'briefing draft': write the title and summary, and check the date",
                            "(the source's date if it gives one, else a placeholder)."))
    if date is not None:  # a date, not a string: unquote it
        body = body.replace(f'date: "{date.isoformat()}"', f"date: {date.isoformat()}")
    return body


def draft(source: Path, project: Path, *, brief: str | None = None, source_id: str | None = None,
          force: bool = False) -> DraftResult:
    """Draft a source entry, its text copy and a theme of candidate facts and quotes from a local file."""
    source, project = Path(source), Path(project)
    if not (project / "briefing.yaml").is_file():
        raise UsageError(f"{project} is not a briefing project (no briefing.yaml); run 'briefing init' first")
    text = _read(source)
    source_id = source_id or slug(source.stem)
    brief = brief or source_id
    for name, value in (("--id", source_id), ("--brief", brief)):
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value) or len(value) > 64:
            raise UsageError(f"{name} '{value}' is not an id: use lower-case letters, digits and hyphens")
    copy_rel = f"sources/{source_id}.txt"
    copy_path = project / copy_rel
    brief_dir = project / "content" / "briefs" / brief
    theme_path = brief_dir / "themes" / "01-draft.yaml"
    brief_path = brief_dir / "brief.yaml"
    sources_path = project / "content" / "sources.yaml"
    for path in (copy_path, theme_path):
        if path.exists() and not force:
            raise _refuse(path, project)
    data = text.encode("utf-8")
    parsed = SourceText(source_id=source_id, path=copy_rel, text=text, raw_sha256=digest(data),
                        paragraphs=split(text))
    title, date = find_title(text), find_date(text)
    result = DraftResult(source_id, brief, facts=draft_facts(parsed), quotes=draft_quotes(parsed), title=title,
                         date=date)
    current = sources_path.read_text(encoding="utf-8") if sources_path.exists() else None
    entry = _source_entry(source_id, title, date, copy_rel, digest(data))
    sources = _sources_text(current, source_id, entry, force, sources_path, project)
    write_atomic(copy_path, data, force=True)
    write_atomic(sources_path, sources.encode("utf-8"), force=True)
    result.written += [copy_path, sources_path]
    if not brief_path.exists():
        when = brief_date(project, current, date, source)
        write_atomic(brief_path, brief_text(title, when, source_id).encode("utf-8"), force=True)
        result.written.append(brief_path)
    write_atomic(theme_path, theme_text(source_id, title, result.facts, result.quotes).encode("utf-8"), force=True)
    result.written.append(theme_path)
    return result
