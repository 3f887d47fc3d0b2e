"""Cross-reference checks and warnings over a project whose files each validated.

Each check is a small function over the project that reports located
problems; ``CHECKS`` lists them and ``cross_check`` runs them all in one pass.
Errors: ids that point nowhere (sources, audiences, themes), duplicate theme
ids, files a brand or source names that the containment rule refuses
(missing, outside the project, not a regular file, too large; see
``safe_files``), unknown languages.  Warnings:
facts with no source, themes with no recommendation, claims with nobody named
as making them, evidence not found in the source's text.  ``--strict`` turns
warnings into errors.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel

from .brand import Brand, brand_files, font_problems
from .errors import Problem, Severity, did_you_mean
from .fidelity.checks import FIDELITY_CHECKS
from .labels import known_language
from .models import Theme
from .project import BriefEntry, Project
from .safe_files import MAX_ASSET_BYTES, MAX_TEXT_BYTES, problem_for
from .settings import AUDIENCES_DIR, BRIEFS_DIR, DRAFT_PLACEHOLDER
from .yamlsource import YamlDocument

TAKEAWAY_WORDS = 30


class Findings:
    """Problems found by the checks, each located in the document it concerns."""

    def __init__(self, project: Project):
        self.project = project
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.undefined_kinds: set[str] = set()

    def error(self, doc: YamlDocument, loc: tuple[Any, ...], message: str, hint: str = "") -> None:
        self.errors.append(doc.problem(loc, message, hint, prefer_key=False))

    def warn(self, doc: YamlDocument, loc: tuple[Any, ...], message: str, hint: str = "", *,
             at_value: bool = False) -> None:
        self.warnings.append(doc.problem(loc, message, hint, prefer_key=not at_value, severity=Severity.WARNING))

    def reference(self, doc: YamlDocument, loc: tuple[Any, ...], kind: str, value: str | None,
                  known: Iterable[str]) -> None:
        known = list(known)
        if value is None or value in known:
            return
        if not known:
            # With nothing defined, one error says so; one per reference would bury it.
            if kind not in self.undefined_kinds:
                self.undefined_kinds.add(kind)
                self.error(doc, loc, f"unknown {kind} '{value}': no {kind}s are defined",
                           f"define {kind}s first (see 'briefing init' for an example)")
            return
        hint = did_you_mean(value, known)
        listing = f"known {kind}s: {', '.join(sorted(known))}"
        self.error(doc, loc, f"unknown {kind} '{value}'", f"{hint} ({listing})" if hint else listing)


def check_project(found: Findings) -> None:
    """The project has audiences and briefs, and builds audiences that exist."""
    project = found.project
    for index, audience in enumerate(project.config.audiences):
        found.reference(project.config_doc, ("audiences", index), "audience", audience, project.audiences)
    content = project.config.paths.content
    if not project.audiences:
        found.errors.append(Problem(
            f"{content}/{AUDIENCES_DIR}", message="no audience profiles found",
            hint=f"add at least one file such as {content}/{AUDIENCES_DIR}/executive.yaml"))
    if not project.briefs:
        found.errors.append(Problem(
            f"{content}/{BRIEFS_DIR}", message="no briefs found",
            hint=f"add a folder {content}/{BRIEFS_DIR}/<brief-id>/ with brief.yaml and themes/"))


def check_languages(found: Findings) -> None:
    """Languages must be ones whose dates and numbers we know how to write."""
    project = found.project
    places = [(project.config_doc, project.config.language)]
    places += [(a.doc, a.profile.language) for a in project.audiences.values() if a.profile.language]
    for doc, language in places:
        if not known_language(language):
            found.error(doc, ("language",), f"unknown language '{language}'",
                        "use a BCP 47 tag such as 'en', 'en-GB', 'fr' or 'de'")


def file_hint(reason: str) -> str:
    """What to do about a file ``problem_for`` refused, from its reason."""
    if reason == "does not exist":
        return "check the spelling; paths are relative to briefing.yaml"
    if "limit" in reason:
        return "use a smaller file (compress or resize it)"
    if reason.startswith("is not a regular file"):
        return "point to an ordinary file, not a folder or device"
    return "give a path inside the project, relative to briefing.yaml; copy the file in if need be"


def check_sources(found: Findings) -> None:
    """A source's local text copy must be a readable file inside the project."""
    project = found.project
    if project.sources_doc is None:
        return
    for index, source in enumerate(project.sources.values()):
        if source.text is None:
            continue
        reason = problem_for(project.root, source.text, max_bytes=MAX_TEXT_BYTES)
        # A copy that is simply absent (a git-ignored file on another machine) leaves its facts unchecked:
        # the fidelity checks say so, and --strict fails on it.
        if reason is not None and reason != "does not exist":
            found.error(project.sources_doc, ("sources", index, "text"),
                        f"local text copy '{source.text}' {reason}", f"{file_hint(reason)}, or remove 'text'")


def check_brands(found: Findings) -> None:
    """Files a brand names must be readable files inside the project, and no font may fall back silently."""
    project = found.project
    targets: list[tuple[YamlDocument, tuple[Any, ...], Brand]] = []
    if project.brand_doc is not None:
        targets.append((project.brand_doc, (), project.brand))
    for audience in project.audiences.values():
        if audience.profile.brand is not None:
            # Only what the profile itself sets: the project's brand is checked once, in brand.yaml.
            targets.append((audience.doc, ("brand",), audience.profile.brand))
    for doc, base, brand in targets:
        for loc, path in brand_files(brand):
            reason = problem_for(project.root, path, max_bytes=MAX_ASSET_BYTES)
            if reason is not None:
                found.error(doc, (*base, *loc), f"file '{path}' {reason}", file_hint(reason))
        for loc, message, hint in font_problems(brand):
            found.error(doc, (*base, *loc), message, hint)


def check_audiences(found: Findings) -> None:
    """Theme ids a profile selects must exist in some brief."""
    all_theme_ids = {theme.id for brief in found.project.briefs for theme in brief.themes}
    for audience in found.project.audiences.values():
        for index, theme_id in enumerate(audience.profile.themes.ids):
            if theme_id not in all_theme_ids:
                found.reference(audience.doc, ("themes", "ids", index), "theme", theme_id, all_theme_ids)


def check_briefs(found: Findings) -> None:
    for brief in found.project.briefs:
        _check_brief(found, brief)


def _check_brief(found: Findings, brief: BriefEntry) -> None:
    project = found.project
    meta = brief.meta
    for index, source_id in enumerate(meta.sources):
        found.reference(brief.doc, ("sources", index), "source", source_id, project.sources)
    if meta.date is None and project.config.date is None:
        found.error(brief.doc, (), "the brief has no date",
                    "add 'date: YYYY-MM-DD' here or a default date in briefing.yaml")
    first_file: dict[str, str] = {}
    for entry in brief.theme_files:
        theme = entry.theme
        if theme.id in first_file:
            found.error(entry.doc, ("id",), f"duplicate theme id '{theme.id}' (also in {first_file[theme.id]})",
                        "give each theme its own id")
        first_file.setdefault(theme.id, entry.doc.name)
        _check_theme(found, entry.doc, theme)
    chart_files: dict[str, str] = {}
    for entry in brief.theme_files:
        for index, chart in enumerate(entry.theme.charts):
            if chart.id in chart_files:
                found.error(entry.doc, ("charts", index, "id"),
                            f"duplicate chart id '{chart.id}' (also in {chart_files[chart.id]})",
                            "give each chart of a brief its own id: it names the chart's file and anchor")
            chart_files.setdefault(chart.id, entry.doc.name)
    theme_ids = [entry.theme.id for entry in brief.theme_files]
    for index, theme_id in enumerate(meta.themes):
        found.reference(brief.doc, ("themes", index), "theme", theme_id, theme_ids)
    if meta.themes:
        for theme_id in theme_ids:
            if theme_id not in meta.themes:
                found.warn(brief.doc, ("themes",), f"theme '{theme_id}' is not listed, so it is left out",
                           f"add '- {theme_id}' to themes, or delete its file")


def _check_theme(found: Findings, doc: YamlDocument, theme: Theme) -> None:
    project = found.project
    if len(theme.takeaway.split()) > TAKEAWAY_WORDS:
        found.warn(doc, ("takeaway",), f"takeaway has {len(theme.takeaway.split())} words",
                   f"keep it under {TAKEAWAY_WORDS} words; move detail into the summary")
    if not theme.recommendations:
        found.warn(doc, ("recommendations",), f"theme '{theme.id}' has no recommendation",
                   "add at least one item under 'recommendations:'")
    for section in ("charts", "facts", "quotes", "risks", "recommendations"):
        for index, item in enumerate(getattr(theme, section)):
            for a_index, audience in enumerate(item.audiences):
                found.reference(doc, (section, index, "audiences", a_index), "audience", audience,
                                project.audiences)
    for index, quote in enumerate(theme.quotes):
        found.reference(doc, ("quotes", index, "source"), "source", quote.source, project.sources)
    for index, chart in enumerate(theme.charts):
        for p_index, point in enumerate(chart.points):
            if point.source is not None:
                found.reference(doc, ("charts", index, "points", p_index, "source"), "source", point.source,
                                project.sources)
    for index, fact in enumerate(theme.facts):
        if fact.source is None:
            found.warn(doc, ("facts", index), "fact has no source",
                       "add 'source: <id>' naming an entry of sources.yaml")
        else:
            found.reference(doc, ("facts", index, "source"), "source", fact.source, project.sources)
        if fact.figure is not None and fact.figure.basis == "claim" and fact.figure.by is None:
            found.warn(doc, ("facts", index, "figure"), "a claimed figure does not say who claims it",
                       "add 'by: <who>' to the figure, e.g. 'by: AWS'")


def _placeholders(value: Any, loc: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    """Where ``value`` (a model, list or text) holds words 'briefing draft' left for the analyst."""
    if isinstance(value, str):
        return [loc] if value.startswith(DRAFT_PLACEHOLDER) else []
    if isinstance(value, (list, tuple)):
        return [place for index, item in enumerate(value) for place in _placeholders(item, (*loc, index))]
    if isinstance(value, BaseModel):
        return [place for name in type(value).model_fields
                for place in _placeholders(getattr(value, name), (*loc, name))]
    return []


def check_placeholders(found: Findings) -> None:
    """Words a draft left for the analyst to write ('TODO ...') are warnings until they are rewritten."""
    project = found.project
    for source_index, source in enumerate(project.sources.values()):
        for loc in _placeholders(source, ()):
            if project.sources_doc is not None:
                found.warn(project.sources_doc, ("sources", source_index, *loc),
                           "still the draft's placeholder", "replace it with the source's details")
    for brief in project.briefs:
        for loc in _placeholders(brief.meta, ()):
            found.warn(brief.doc, loc, "still the draft's placeholder", "write it in your own words")
        for entry in brief.theme_files:
            for loc in _placeholders(entry.theme, ()):
                hint = "name the speaker only if the source does, or delete the quote" if "speaker" in loc else \
                    "name the party the source gives" if "by" in loc else "write it in your own words"
                found.warn(entry.doc, loc, "still the draft's placeholder", hint)


# The checks, run in this order; a new check is one function added here.
CHECKS: list[Callable[[Findings], None]] = [
    check_project, check_languages, check_sources, check_brands, check_audiences, check_briefs,
    check_placeholders, *FIDELITY_CHECKS,
]


def cross_check(project: Project) -> tuple[list[Problem], list[Problem]]:
    """Run every check; returns (errors, warnings)."""
    found = Findings(project)
    for check in CHECKS:
        check(found)
    return found.errors, found.warnings
