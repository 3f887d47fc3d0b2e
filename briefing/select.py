"""Stage 2: choose what one audience sees of one brief.

The result, a ``BriefView``, is plain data that every format's template reads:
the themes in the audience's order, each with the items meant for it, the
wording of headings, and citation numbers assigned in reading order so the
Markdown, HTML and PDF of one brief number their sources identically.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .brand import Brand, resolve_brand
from .config import DEFAULT_LABELS, SECTION_NAMES, AudienceProfile, ProjectConfig
from .models import PRIORITY_RANK, Fact, Quote, Recommendation, Risk, Source, Theme

if TYPE_CHECKING:
    from .load import BriefContent, Project


@dataclass
class Citation:
    """A numbered source, and where the brief cites it (for back-references)."""

    number: int
    source: Source
    in_figures: bool = False
    themes: list[ThemeView] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeView:
    """One theme as an audience sees it."""

    theme: Theme
    number: int
    depth: str
    show_summary: bool
    sections: tuple[str, ...]
    facts: tuple[Fact, ...]
    quotes: tuple[Quote, ...]
    implications: tuple[str, ...]
    risks: tuple[Risk, ...]
    recommendations: tuple[Recommendation, ...]

    def __getattr__(self, name: str) -> Any:
        # Templates read theme fields (id, title, takeaway...) straight off the view.
        return getattr(self.theme, name)

    def items(self, section: str) -> tuple[Any, ...]:
        return tuple(getattr(self, section)) if section in SECTION_NAMES[1:] else ()


@dataclass
class BriefView:
    """Everything a template needs to render one brief for one audience."""

    id: str
    audience: AudienceProfile
    config: ProjectConfig
    title: str
    subtitle: str | None
    date: dt.date
    summary: str
    author: str | None
    organisation: str | None
    classification: str | None
    language: str
    keywords: list[str]
    themes: list[ThemeView]
    labels: dict[str, str]
    brand: Brand = field(default_factory=Brand)
    modified: str = ""
    citations: list[Citation] = field(default_factory=list)
    _numbers: dict[str, int] = field(default_factory=dict, repr=False)

    def cite(self, source_id: str | None) -> int | None:
        """The citation number of a source (assigned in reading order)."""
        return self._numbers.get(source_id) if source_id else None

    @property
    def figures(self) -> list[Fact]:
        """Facts with figures, in reading order: the 'claims at a glance' table."""
        facts = [fact for theme in self.themes for fact in theme.facts if fact.figure is not None]
        limit = self.audience.figures_limit
        return facts if limit is None else facts[:limit]

    @property
    def body_themes(self) -> list[ThemeView]:
        """Themes with a section of their own (at depth 'takeaway' a theme is only a takeaway)."""
        return [theme for theme in self.themes if theme.depth != "takeaway"]

    @property
    def action_list(self) -> list[tuple[ThemeView, Recommendation]]:
        """Recommendations of themes not read in full, gathered at the end so none is lost."""
        return [(theme, rec) for theme in self.themes if theme.depth != "full" for rec in theme.recommendations]


def _shown_to(item: Fact | Quote | Risk | Recommendation, profile: AudienceProfile) -> bool:
    audience = profile.id or ""
    if item.audiences:
        return audience in item.audiences
    if profile.item_tags:
        return bool(set(item.tags) & set(profile.item_tags))
    return True


def select_themes(themes: tuple[Theme, ...], profile: AudienceProfile) -> list[Theme]:
    """Apply a profile's theme selection: ids, tags, priority floor, order and limit."""
    rule = profile.themes
    chosen = list(themes)
    if rule.ids:
        by_id = {theme.id: theme for theme in chosen}
        listed = [by_id[theme_id] for theme_id in rule.ids if theme_id in by_id]
        chosen = listed if rule.order == "listed" else [t for t in chosen if t.id in rule.ids]
    if rule.tags:
        chosen = [theme for theme in chosen if set(theme.tags) & set(rule.tags)]
    if rule.min_priority is not None:
        floor = PRIORITY_RANK[rule.min_priority]
        chosen = [theme for theme in chosen if PRIORITY_RANK[theme.priority] <= floor]
    if rule.order == "priority":
        chosen.sort(key=lambda theme: PRIORITY_RANK[theme.priority])  # stable: brief order breaks ties
    if rule.limit is not None:
        chosen = chosen[: rule.limit]
    return chosen


def theme_depth(theme: Theme, profile: AudienceProfile) -> str:
    """The depth a theme is read at: by id, else by priority, else the profile's default."""
    return profile.depth_by_theme.get(theme.id) or profile.depth_by_priority.get(theme.priority) or profile.depth


def _theme_view(theme: Theme, number: int, profile: AudienceProfile) -> ThemeView:
    depth = theme_depth(theme, profile)
    full = depth == "full"
    wanted = set(profile.sections)

    def pick(section: str, items: list[Any]) -> tuple[Any, ...]:
        return tuple(item for item in items if _shown_to(item, profile)) if section in wanted else ()

    return ThemeView(
        theme=theme, number=number, depth=depth,
        show_summary=depth == "summary" or (full and "summary" in wanted),
        # Below full depth no section is shown inside the theme; recommendations are
        # still selected, for the brief's closing action list.
        sections=tuple(s for s in profile.sections if s != "summary") if full else (),
        facts=pick("facts", theme.facts),
        quotes=pick("quotes", theme.quotes),
        implications=tuple(theme.implications) if "implications" in wanted else (),
        risks=pick("risks", theme.risks),
        recommendations=pick("recommendations", theme.recommendations),
    )


def select_for_audience(project: Project, brief: BriefContent, audience: str) -> BriefView:
    """The view of ``brief`` that the profile ``audience`` asks for."""
    profile = project.audiences[audience]
    config = project.config
    meta = brief.meta
    themes = [_theme_view(theme, index, profile)
              for index, theme in enumerate(select_themes(brief.themes, profile), start=1)]
    view = BriefView(
        id=brief.id, audience=profile, config=config,
        title=meta.title, subtitle=meta.subtitle,
        date=meta.date or config.date or dt.date(1970, 1, 1),
        summary=meta.summary,
        author=meta.author or config.author,
        organisation=meta.organisation or config.organisation,
        classification=meta.classification or config.classification,
        language=config.language,
        keywords=list(meta.keywords),
        themes=themes,
        labels={**DEFAULT_LABELS, **profile.labels},
        brand=resolve_brand(project.brand, profile.brand),
    )
    view.modified = modified_date(view.date)
    _number_citations(view, project.sources, meta.sources)
    return view


def modified_date(date: dt.date) -> str:
    """When the document was last changed, for its metadata: ``SOURCE_DATE_EPOCH`` when set
    (reproducible builds), otherwise the brief's own date, never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return date.isoformat()


def _number_citations(view: BriefView, sources: dict[str, Source], based_on: list[str]) -> None:
    cited: list[str] = [fact.source for fact in view.figures if fact.source]
    for theme in view.themes:
        # Number in the order a reader meets them: the figures table, then each theme.
        if "facts" in theme.sections:
            cited.extend(fact.source for fact in theme.facts if fact.source)
        if "quotes" in theme.sections:
            cited.extend(quote.source for quote in theme.quotes)
    cited.extend(based_on)  # the brief's own sources close the list even when nothing cites them
    for source_id in cited:
        if source_id in sources and source_id not in view._numbers:
            view._numbers[source_id] = len(view._numbers) + 1
            view.citations.append(Citation(view._numbers[source_id], sources[source_id]))
    by_id = {citation.source.id: citation for citation in view.citations}
    for fact in view.figures:
        if fact.source in by_id:
            by_id[fact.source].in_figures = True
    for theme in view.themes:
        ids = {fact.source for fact in theme.facts if "facts" in theme.sections}
        ids |= {quote.source for quote in theme.quotes if "quotes" in theme.sections}
        for source_id in sorted(ids & by_id.keys()):
            by_id[source_id].themes.append(theme)
