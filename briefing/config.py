"""Typed models of the project configuration (``briefing.yaml``) and audience profiles.

Like ``models``, these are the single definition of each setting: type,
default and help text.  Audience profiles are data: adding an audience is
adding one YAML file under ``content/audiences/``.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, cast

from pydantic import Field

from . import settings
from .brand import Brand
from .labels import Labels
from .models import LANGUAGE_TAG, SECTION_NAMES, Model, Priority, Section, Slug, Text

Depth = Literal["takeaway", "summary", "full"]


class Paths(Model):
    """Where the project keeps its parts, relative to ``briefing.yaml``."""

    content: str = Field(default=settings.CONTENT_DIR, description="Folder of briefs, sources and audiences.")
    templates: str = Field(default=settings.TEMPLATES_DIR, description="Folder of template overrides.")
    output: str = Field(default=settings.OUTPUT_DIR, description="Folder that builds write to.")


PdfVariant = Literal["pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u", "pdf/ua-1", "pdf/ua-2"]


class PdfSettings(Model):
    """How PDFs are written, for every audience."""

    variant: PdfVariant | None = Field(
        default=None,
        description="A PDF standard to conform to: PDF/A (archiving) or PDF/UA (accessibility, tagged).")
    tagged: bool = Field(default=False, description="Write a tagged PDF (structure for screen readers); "
                         "PDF/UA variants are always tagged.")


class ProjectConfig(Model):
    """``briefing.yaml`` at the project root: settings shared by every brief."""

    title: Text = Field(description="Name of the project or series, used on the site index.")
    subtitle: Text | None = Field(default=None, description="A line under the project title.")
    date: dt.date | None = Field(default=None, description="Default date for briefs that set none.")
    author: Text | None = Field(default=None, description="Author credited on every brief.")
    organisation: Text | None = Field(default=None, description="Organisation credited on every brief.")
    classification: Text | None = Field(
        default=None, description="Marking printed on every page, e.g. 'Internal'. None prints no marking.")
    language: str = Field(default="en", pattern=LANGUAGE_TAG,
                          description="BCP 47 language tag of the content, e.g. 'en', 'en-GB' or 'fr': "
                          "sets the built-in wording, hyphenation and how dates and numbers are written.")
    labels: Labels | None = Field(
        default=None, description="Headings and words to reword for every audience (see labels).")
    paper_size: Literal["A4", "Letter", "A5", "Legal"] = Field(default="A4", description="PDF paper size.")
    audiences: list[Slug] = Field(
        default=[], description="Audience ids to build; empty builds every profile in content/audiences/.")
    paths: Paths = Field(default_factory=Paths, description="Where the project's parts live.")
    pdf: PdfSettings = Field(default_factory=PdfSettings, description="PDF standard and tagging.")


class ThemeSelection(Model):
    """Which themes an audience sees, and in what order."""

    ids: list[Slug] = Field(
        default=[], description="Theme ids to include, in this order; empty means all themes.")
    tags: list[Slug] = Field(default=[], description="Include only themes carrying one of these tags.")
    min_priority: Priority | None = Field(
        default=None, description="Include only themes at this priority or higher.")
    order: Literal["brief", "priority", "listed"] = Field(
        default="brief",
        description="'brief': the brief's order; 'priority': most important first; 'listed': as in ids.")
    limit: int | None = Field(default=None, ge=1, description="At most this many themes.")


class Budgets(Model):
    """Length limits checked on the rendered output; exceeding one is a warning."""

    summary_words: int | None = Field(default=None, ge=1, description="Words per theme summary.")
    list_items: int | None = Field(default=None, ge=1, description="Items per list (facts, risks, ...).")
    pages: int | None = Field(default=None, ge=1, description="Pages of the PDF, not counting a cover page.")


class PdfLayout(Model):
    """Which front matter the audience's PDF has."""

    cover: bool = Field(default=True, description="A cover page; without it the brief opens with a masthead.")
    contents: bool = Field(default=True, description="A contents page with page numbers.")


class AudienceProfile(Model):
    """``content/audiences/<id>.yaml``: what one audience sees and how it is worded."""

    name: Text = Field(description="Display name, e.g. 'Executive'.")
    description: Text = Field(description="Who the brief is for and what they need from it.")
    themes: ThemeSelection = Field(default_factory=ThemeSelection, description="Theme selection.")
    depth: Depth = Field(
        default="full",
        description="How deep each theme goes: 'takeaway' (listed among the key takeaways only), "
        "'summary' (takeaway, then the summary and charts where 'sections' lists them), 'full' (every section).")
    depth_by_priority: dict[Priority, Depth] = Field(
        default={}, description="Depth for themes of a given priority, e.g. {low: takeaway}; overrides 'depth'.")
    depth_by_theme: dict[Slug, Depth] = Field(
        default={}, description="Depth for particular themes by id; overrides the other depth settings.")
    figures_limit: int | None = Field(
        default=None, ge=0,
        description="At most this many rows in the figures table, from the themes read first; 0 hides it.")
    charts_limit: int | None = Field(
        default=None, ge=0,
        description="At most this many charts in the brief, from the themes read first; 0 shows none. "
        "Charts show where 'charts' is among the sections.")
    sections: list[Section] = Field(
        default=[cast(Section, name) for name in SECTION_NAMES],
        description="Sections shown under each theme, in order (at depth 'full'; at depth 'summary' only "
        "'summary' and 'charts' apply).")
    language: str | None = Field(
        default=None, pattern=LANGUAGE_TAG,
        description="Language of this audience's brief, if not the project's (BCP 47 tag).")
    labels: Labels | None = Field(
        default=None, description="Headings and words to reword for this audience; they win over the project's.")
    budgets: Budgets = Field(default_factory=Budgets, description="Length limits.")
    pdf: PdfLayout = Field(default_factory=PdfLayout, description="PDF front matter.")
    brand: Brand | None = Field(
        default=None, description="Brand values to override for this audience (any part of brand.yaml).")
    appendix: list[Literal["evidence"]] = Field(
        default=[],
        description="Appendices after the sources: 'evidence' lists every figure and quote with the source's "
        "exact words and paragraph, in every format.")
    item_tags: list[Slug] = Field(
        default=[],
        description="Show only facts, quotes, risks and recommendations carrying one of these tags "
        "(items for this audience by name are always shown); empty shows all.")
