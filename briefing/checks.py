"""Cross-reference checks and warnings over a project whose files each validated.

Errors: ids that point nowhere (sources, audiences, themes), duplicate theme
ids, labels that no template knows.  Warnings: facts with no source, themes
with no recommendation, claims with nobody named as making them, evidence not
found in the source's text.  ``--strict`` turns warnings into errors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .brand import BRAND_FILE, Brand, brand_files, font_problems
from .config import DEFAULT_LABELS
from .errors import Problem, Severity, did_you_mean
from .yamlsource import YamlDocument

if TYPE_CHECKING:
    from .load import Project

TAKEAWAY_WORDS = 30


class _Checker:
    def __init__(self, project: Project, documents: dict[str, YamlDocument]):
        self.project = project
        self.documents = documents
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.undefined_kinds: set[str] = set()

    def error(self, key: str, loc: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.errors.append(self.documents[key].problem(loc, message, hint, prefer_key=False))

    def warn(self, key: str, loc: tuple[Any, ...], message: str, hint: str = "", *,
             at_value: bool = False) -> None:
        self.warnings.append(self.documents[key].problem(
            loc, message, hint, prefer_key=not at_value, severity=Severity.WARNING))

    def reference(self, key: str, loc: tuple[Any, ...], kind: str, value: str | None,
                  known: Iterable[str]) -> None:
        known = list(known)
        if value is None or value in known:
            return
        if not known:
            # With nothing defined, one error says so; one per reference would bury it.
            if kind not in self.undefined_kinds:
                self.undefined_kinds.add(kind)
                self.error(key, loc, f"unknown {kind} '{value}': no {kind}s are defined",
                           f"define {kind}s first (see 'briefing init' for an example)")
            return
        hint = did_you_mean(value, known)
        listing = f"known {kind}s: {', '.join(sorted(known))}"
        self.error(key, loc, f"unknown {kind} '{value}'", f"{hint} ({listing})" if hint else listing)


def cross_check(project: Project, documents: dict[str, YamlDocument]) -> tuple[list[Problem], list[Problem]]:
    check = _Checker(project, documents)
    audience_ids = list(project.audiences)
    if "briefing.yaml" in documents:
        for index, audience in enumerate(project.config.audiences):
            check.reference("briefing.yaml", ("audiences", index), "audience", audience, audience_ids)
    if not project.audiences:
        check.errors.append(Problem(
            f"{project.config.paths.content}/audiences", message="no audience profiles found",
            hint="add at least one file such as content/audiences/executive.yaml"))
    if not project.briefs:
        check.errors.append(Problem(
            f"{project.config.paths.content}/briefs", message="no briefs found",
            hint="add a folder content/briefs/<brief-id>/ with brief.yaml and themes/"))
    _check_sources(check)
    _check_brands(check)
    all_theme_ids = {theme.id for brief in project.briefs for theme in brief.themes}
    for audience_id, profile in project.audiences.items():
        key = f"audience:{audience_id}"
        for index, theme_id in enumerate(profile.themes.ids):
            if theme_id not in all_theme_ids:
                check.reference(key, ("themes", "ids", index), "theme", theme_id, all_theme_ids)
        for label in profile.labels:
            if label not in DEFAULT_LABELS:
                hint = did_you_mean(label, DEFAULT_LABELS) or f"known labels: {', '.join(DEFAULT_LABELS)}"
                check.errors.append(check.documents[key].problem(
                    ("labels", label), f"unknown label '{label}'", hint))
    for brief in project.briefs:
        _check_brief(check, brief.id, brief.themes, audience_ids)
    return check.errors, check.warnings


def _check_brands(check: _Checker) -> None:
    """Files a brand names must exist, and no font may fall back silently."""
    project = check.project
    targets: list[tuple[str, tuple[Any, ...], Brand]] = []
    if BRAND_FILE in check.documents:
        targets.append((BRAND_FILE, (), project.brand))
    for audience_id, profile in project.audiences.items():
        if profile.brand is not None:
            # Only what the profile itself sets: the project's brand is checked once, in brand.yaml.
            targets.append((f"audience:{audience_id}", ("brand",), profile.brand))
    for key, base, brand in targets:
        doc = check.documents[key]
        for loc, path in brand_files(brand):
            if not (project.root / path).is_file():
                check.errors.append(doc.problem(
                    (*base, *loc), f"file '{path}' does not exist",
                    "give a path relative to briefing.yaml", prefer_key=False))
        for loc, message, hint in font_problems(brand):
            check.errors.append(doc.problem((*base, *loc), message, hint, prefer_key=False))


def _check_sources(check: _Checker) -> None:
    for index, source in enumerate(check.project.sources.values()):
        if source.text is not None and not (check.project.root / source.text).is_file():
            check.error("sources", ("sources", index, "text"),
                        f"local text copy '{source.text}' does not exist",
                        "give a path relative to briefing.yaml, or remove 'text'")


def _check_brief(check: _Checker, brief_id: str, themes: Iterable[Any], audience_ids: list[str]) -> None:
    project = check.project
    brief_key = f"brief:{brief_id}"
    meta = next(b.meta for b in project.briefs if b.id == brief_id)
    source_ids = list(project.sources)
    for index, source_id in enumerate(meta.sources):
        check.reference(brief_key, ("sources", index), "source", source_id, source_ids)
    if meta.date is None and project.config.date is None:
        check.error(brief_key, (), "the brief has no date",
                    "add 'date: YYYY-MM-DD' here or a default date in briefing.yaml")
    first_file: dict[str, str] = {}
    themes = list(themes)
    for position, theme in enumerate(themes):
        key = f"theme:{brief_id}:{position}"
        doc = check.documents[key]
        if theme.id in first_file:
            check.error(key, ("id",), f"duplicate theme id '{theme.id}' (also in {first_file[theme.id]})",
                        "give each theme its own id")
        first_file.setdefault(theme.id, doc.name)
        _check_theme(check, key, theme, source_ids, audience_ids)
    theme_ids = [theme.id for theme in themes]
    for index, theme_id in enumerate(meta.themes):
        check.reference(brief_key, ("themes", index), "theme", theme_id, theme_ids)
    if meta.themes:
        for theme_id in theme_ids:
            if theme_id not in meta.themes:
                check.warn(brief_key, ("themes",), f"theme '{theme_id}' is not listed, so it is left out",
                           f"add '- {theme_id}' to themes, or delete its file")


def _check_theme(check: _Checker, key: str, theme: Any, source_ids: list[str],
                 audience_ids: list[str]) -> None:
    if len(theme.takeaway.split()) > TAKEAWAY_WORDS:
        check.warn(key, ("takeaway",), f"takeaway has {len(theme.takeaway.split())} words",
                   f"keep it under {TAKEAWAY_WORDS} words; move detail into the summary")
    if not theme.recommendations:
        check.warn(key, ("recommendations",), f"theme '{theme.id}' has no recommendation",
                   "add at least one item under 'recommendations:'")
    for section in ("facts", "quotes", "risks", "recommendations"):
        for index, item in enumerate(getattr(theme, section)):
            for a_index, audience in enumerate(item.audiences):
                check.reference(key, (section, index, "audiences", a_index), "audience", audience,
                                audience_ids)
    for index, quote in enumerate(theme.quotes):
        check.reference(key, ("quotes", index, "source"), "source", quote.source, source_ids)
    for index, fact in enumerate(theme.facts):
        if fact.source is None:
            check.warn(key, ("facts", index), "fact has no source",
                       "add 'source: <id>' naming an entry of sources.yaml")
        else:
            check.reference(key, ("facts", index, "source"), "source", fact.source, source_ids)
        if fact.figure is not None and fact.figure.basis == "claim" and fact.figure.by is None:
            check.warn(key, ("facts", index, "figure"), "a claimed figure does not say who claims it",
                       "add 'by: <who>' to the figure, e.g. 'by: AWS'")
        if fact.evidence and fact.source in check.project.sources:
            _check_evidence(check, key, index, fact.evidence, fact.source)


_SPACES = re.compile(r"\s+")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                         "\u2013": "-", "\u2014": "-"})


def normalise(text: str) -> str:
    """Fold whitespace, typographic quotes and dashes so evidence matches its source."""
    return _SPACES.sub(" ", text.translate(_QUOTES)).strip().lower()


def _check_evidence(check: _Checker, key: str, index: int, evidence: str, source_id: str) -> None:
    source = check.project.sources[source_id]
    if source.text is None:
        return
    path: Path = check.project.root / source.text
    if not path.is_file():
        return  # reported once, on the source
    if normalise(evidence) not in normalise(path.read_text(encoding="utf-8", errors="replace")):
        check.warn(key, ("facts", index, "evidence"),
                   f"evidence not found in the text of source '{source_id}' ({source.text})",
                   "copy the exact words from the source; spacing and quote styles may differ",
                   at_value=True)
