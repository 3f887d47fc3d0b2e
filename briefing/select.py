"""Stage 2: choose what one audience sees of one brief.

A ``Target`` is one audience of a build, resolved once: its profile, language,
wording and brand.  ``select_for_audience`` gives a ``BriefView``: plain data
that every format's templates read, with the themes in the audience's order,
each with the items meant for it, and citation numbers assigned in reading
order so every format of one brief numbers its sources identically.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

from .brand import Brand, resolve_brand
from .config import AudienceProfile, ProjectConfig
from .evidence import Evidence, evidence_for, evidence_key
from .labels import Labels, resolve_labels
from .models import PRIORITY_RANK, SECTION_NAMES, Fact, Recommendation, Source, Targeted, Theme
from .project import Audience, BriefEntry, Project

ITEM_SECTIONS = tuple(name for name in SECTION_NAMES if name != "summary")


@dataclass(frozen=True)
class Target:
    """One audience of a build: its profile, language, wording and brand, resolved once."""

    audience: Audience
    language: str
    labels: Labels
    brand: Brand

    @property
    def id(self) -> str:
        return self.audience.id

    @property
    def profile(self) -> AudienceProfile:
        return self.audience.profile


def make_target(project: Project, audience_id: str) -> Target:
    audience = project.audiences[audience_id]
    language = audience.profile.language or project.config.language
    return Target(audience=audience, language=language,
                  labels=resolve_labels(language, project.config.labels, audience.profile.labels),
                  brand=resolve_brand(project.brand, audience.profile.brand))


@dataclass
class Citation:
    """A numbered source, and where the brief cites it (for back-references)."""

    number: int
    source: Source
    in_figures: bool = False
    themes: list[ThemeView] = field(default_factory=list)


@dataclass(frozen=True)
class ThemeView:
    """One theme as an audience sees it: the theme's fields, with each section's items selected."""

    theme: Theme
    number: int
    depth: str
    show_summary: bool
    sections: tuple[str, ...]
    selected: dict[str, tuple[Any, ...]]

    def __getattr__(self, name: str) -> Any:
        # Templates read theme fields (id, title, takeaway...) straight off the view; a section's
        # name gives the items selected for this audience, never the theme's full list.
        if name in ITEM_SECTIONS:
            return self.selected.get(name, ())
        return getattr(self.theme, name)

    def items(self, section: str) -> tuple[Any, ...]:
        return self.selected.get(section, ())

    @property
    def recommendations(self) -> tuple[Recommendation, ...]:
        return self.selected.get("recommendations", ())


@dataclass
class BriefView:
    """Everything a template needs to render one brief for one audience."""

    id: str
    target: Target
    config: ProjectConfig
    title: str
    subtitle: str | None
    date: dt.date
    summary: str
    author: str | None
    organisation: str | None
    classification: str | None
    keywords: list[str]
    themes: list[ThemeView]
    modified: str = ""
    citations: list[Citation] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)  # the source passage behind facts and quotes
    _numbers: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def audience(self) -> Audience:
        return self.target.audience

    @property
    def profile(self) -> AudienceProfile:
        return self.target.profile

    @property
    def labels(self) -> Labels:
        return self.target.labels

    @property
    def language(self) -> str:
        return self.target.language

    @property
    def brand(self) -> Brand:
        return self.target.brand

    def passage(self, theme: ThemeView, section: str, item: Any) -> Evidence | None:
        """The source's words behind one fact or quote of ``theme``, when its source text confirms it."""
        items = getattr(theme.theme, section, ())
        index = next((i for i, candidate in enumerate(items) if candidate is item), None)
        return None if index is None else self.evidence.get(evidence_key(theme.id, section, index))

    @property
    def evidence_items(self) -> list[tuple[ThemeView, str, Any, Evidence]]:
        """Every figure and quote of the view with its source passage, in reading order (the appendix)."""
        found = []
        for theme in self.themes:
            for section in ("facts", "quotes"):
                for item in theme.items(section):
                    if section == "facts" and item.figure is None:
                        continue
                    evidence = self.passage(theme, section, item)
                    if evidence is not None:
                        found.append((theme, section, item, evidence))
        return found

    def citation(self, source_id: str | None) -> Citation | None:
        """The numbered source with this id, if the brief cites it."""
        return next((c for c in self.citations if c.source.id == source_id), None)

    def cite(self, source_id: str | None) -> int | None:
        """The citation number of a source (assigned in reading order)."""
        return self._numbers.get(source_id) if source_id else None

    @property
    def figures(self) -> list[Fact]:
        """Facts with figures, in reading order: the 'claims at a glance' table."""
        facts = [fact for theme in self.themes for fact in theme.items("facts") if fact.figure is not None]
        limit = self.profile.figures_limit
        return facts if limit is None else facts[:limit]

    @property
    def body_themes(self) -> list[ThemeView]:
        """Themes with a section of their own (at depth 'takeaway' a theme is only a takeaway)."""
        return [theme for theme in self.themes if theme.depth != "takeaway"]

    @property
    def action_list(self) -> list[tuple[ThemeView, Recommendation]]:
        """Recommendations of themes not read in full, gathered at the end so none is lost."""
        return [(theme, rec) for theme in self.themes if theme.depth != "full" for rec in theme.recommendations]


def _shown_to(item: Any, target: Target) -> bool:
    if not isinstance(item, Targeted):
        return True
    if item.audiences:
        return target.id in item.audiences
    if target.profile.item_tags:
        return bool(set(item.tags) & set(target.profile.item_tags))
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


def _theme_view(theme: Theme, number: int, target: Target) -> ThemeView:
    profile = target.profile
    depth = theme_depth(theme, profile)
    full = depth == "full"
    wanted = set(profile.sections)
    selected: dict[str, tuple[Any, ...]] = {
        section: tuple(item for item in getattr(theme, section) if _shown_to(item, target))
        for section in ITEM_SECTIONS if section in wanted}
    return ThemeView(
        theme=theme, number=number, depth=depth,
        show_summary="summary" in wanted and depth in ("summary", "full"),
        # Below full depth no section is shown inside the theme but its charts (a chart is the summary's
        # picture); recommendations are still selected, for the brief's closing action list.
        sections=tuple(s for s in profile.sections if s != "summary") if full else
        ("charts",) if depth == "summary" and "charts" in wanted else (),
        selected=selected,
    )


def _limit_charts(themes: list[ThemeView], limit: int | None) -> list[ThemeView]:
    """At most ``limit`` charts across the brief, from the themes read first that show charts."""
    if limit is None:
        return themes
    left = limit
    for theme in themes:
        charts = theme.selected.get("charts", ())
        if charts and "charts" in theme.sections:
            theme.selected["charts"] = charts[:left]
            left -= len(theme.selected["charts"])
    return themes


def select_for_audience(project: Project, brief: BriefEntry, target: Target | str) -> BriefView:
    """The view of ``brief`` that the audience ``target`` asks for."""
    if isinstance(target, str):
        target = make_target(project, target)
    config = project.config
    meta = brief.meta
    themes = _limit_charts([_theme_view(theme, index, target)
                            for index, theme in enumerate(select_themes(brief.themes, target.profile), start=1)],
                           target.profile.charts_limit)
    view = BriefView(
        id=brief.id, target=target, config=config,
        title=meta.title, subtitle=meta.subtitle,
        date=meta.date or config.date or dt.date(1970, 1, 1),
        summary=meta.summary,
        author=meta.author or config.author,
        organisation=meta.organisation or config.organisation,
        classification=meta.classification or config.classification,
        keywords=list(meta.keywords),
        themes=themes,
    )
    view.modified = modified_date(view.date)
    view.evidence = evidence_for(project, brief)
    _number_citations(view, project.sources, meta.sources)
    return view


def modified_date(date: dt.date) -> str:
    """When the document was last changed, for its metadata: ``SOURCE_DATE_EPOCH`` when set
    (reproducible builds), otherwise the brief's own date, never the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return date.isoformat()


def _cited_in(theme: ThemeView) -> list[str]:
    """Source ids a theme's shown sections cite, in reading order."""
    cited = []
    for section in theme.sections:
        for item in theme.items(section):
            if isinstance(getattr(item, "source", None), str):
                cited.append(item.source)
            elif section == "charts":
                cited.extend(point.source for point in item.points if point.source)
    return cited


def _number_citations(view: BriefView, sources: dict[str, Source], based_on: list[str]) -> None:
    # Number in the order a reader meets them: the figures table, then each theme.
    cited: list[str] = [fact.source for fact in view.figures if fact.source]
    for theme in view.themes:
        cited.extend(_cited_in(theme))
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
        for source_id in sorted(set(_cited_in(theme)) & by_id.keys()):
            by_id[source_id].themes.append(theme)
