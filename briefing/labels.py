"""Every word a reader sees that does not come from content, and how dates and numbers are written.

``Labels`` is the single list of those words, with English defaults.  A brief's
wording is built in layers, later ones winning: the English defaults, the
built-in translation for the language (``briefing/locales/<lang>.yaml``), the
project's ``labels:`` in ``briefing.yaml``, and the audience profile's
``labels:``.  Dates and numbers are formatted for the language with Babel.

Labels with ``{placeholders}`` are filled in by the templates (``{n}``,
``{audience}``...); count labels come in ``_one`` / ``_other`` pairs chosen by
the language's plural rule.
"""

from __future__ import annotations

import datetime as dt
import string
from functools import cache
from typing import Any, get_args

from pydantic import Field, model_validator

from .models import MAGNITUDE_WORDS, Model, Qualifier, Text
from .settings import LOCALES_DIR


def _label(default: str, meaning: str) -> Any:
    return Field(default=default, description=meaning)


class Labels(Model):
    """Headings and words of every format; set any of them to reword or translate a brief."""

    # Headings
    bottom_line: Text = _label("Bottom line", "Heading of the brief's summary.")
    takeaways: Text = _label("Key takeaways", "Heading of the list of theme takeaways.")
    contents: Text = _label("Contents", "Heading of the contents list.")
    summary: Text = _label("Summary", "Heading of a theme's summary.")
    facts: Text = _label("Key facts", "Heading of a theme's facts.")
    quotes: Text = _label("In their words", "Heading of a theme's quotes.")
    implications: Text = _label("Implications", "Heading of a theme's implications.")
    risks: Text = _label("Risks", "Heading of a theme's risks.")
    recommendations: Text = _label("Recommendations", "Heading of recommendations.")
    charts: Text = _label("Charts", "Heading of a theme's charts.")
    chart_data: Text = _label("The data", "Opens a chart's data table.")
    chart_sources: Text = _label("Source: {sources}", "The line under a chart naming its sources.")
    derived: Text = _label("derived: {how}", "A chart value no source states, with how it follows from the others.")
    figures: Text = _label("Claims and figures at a glance", "Heading of the figures table.")
    sources: Text = _label("Sources", "Heading of the source list and of the site's sources page.")
    # Front matter
    audience: Text = _label("Prepared for", "Words before the audience's name.")
    date: Text = _label("Date", "Label of the brief's date.")
    author: Text = _label("Author", "Label of the author.")
    organisation: Text = _label("Organisation", "Label of the organisation.")
    classification: Text = _label("Classification", "Label of the classification marking.")
    prepared_by: Text = _label("From", "Label of the author and organisation line in Markdown.")
    audience_description: Text = _label("Audience", "Label of the audience's description.")
    date_format: Text = _label(
        "long", "How dates are written: 'short', 'medium', 'long', 'full' (the language's own forms) "
        "or a CLDR pattern such as 'd MMMM y'.")
    # Figures and items
    figure: Text = _label("Figure", "Figures table: the number column.")
    what: Text = _label("What", "Figures table: the description column.")
    basis: Text = _label("Basis", "Figures table: the basis column.")
    source: Text = _label("Source", "Figures table: the source column.")
    claim: Text = _label("Claim", "A figure a party asserts.")
    estimate: Text = _label("Estimate", "A figure someone projects.")
    reported: Text = _label("Reported", "A figure reported as fact.")
    basis_by: Text = _label("{basis} by {by}", "A basis with who makes it.")
    likelihood_low: Text = _label("likelihood low", "Risk rating.")
    likelihood_medium: Text = _label("likelihood medium", "Risk rating.")
    likelihood_high: Text = _label("likelihood high", "Risk rating.")
    impact_low: Text = _label("impact low", "Risk rating.")
    impact_medium: Text = _label("impact medium", "Risk rating.")
    impact_high: Text = _label("impact high", "Risk rating.")
    mitigation: Text = _label("Mitigation", "Words before a risk's mitigation.")
    quote_open: str = _label("“", "Opening quotation mark of quotes.")
    quote_close: str = _label("”", "Closing quotation mark of quotes.")
    horizon_now: Text = _label("Now", "Recommendation horizon 'now'.")
    horizon_next_quarter: Text = _label("Next quarter", "Recommendation horizon 'next-quarter'.")
    horizon_this_year: Text = _label("This year", "Recommendation horizon 'this-year'.")
    horizon_watch: Text = _label("Watch", "Recommendation horizon 'watch'.")
    cited_in: Text = _label("Cited in", "Words before the places that cite a source.")
    source_passage: Text = _label("In the source", "Opens a fact's or quote's source passage on the web page.")
    evidence_appendix: Text = _label("Evidence", "Heading of the evidence appendix.")
    evidence_intro: Text = _label("Each figure and quote, with the source’s own words.",
                                  "First line of the evidence appendix.")
    paragraph: Text = _label("¶ {n}", "A source's paragraph number.")
    source_number: Text = _label("Source {n}", "Tooltip of a citation marker.")
    # Web pages
    skip_link: Text = _label("Skip to content", "Link for keyboard users at the top of each page.")
    page_title: Text = _label("{title} · {audience} brief", "A web page's title.")
    audience_brief: Text = _label("{audience} brief", "The brief of one audience, in page keywords.")
    logo: Text = _label("Logo", "Alternative text of the logo when no organisation is set.")
    all_briefs: Text = _label("All briefs", "Link back to the index.")
    versions: Text = _label("Versions", "Label of the links to other audiences' versions.")
    download: Text = _label("Download", "Label of the download links.")
    all_sources: Text = _label("All sources", "Link to the site's sources page.")
    feed: Text = _label("Atom feed", "Link to the site's feed.")
    back_to_top: Text = _label("Back to top", "Link from the end of a web page (and its contents) to its top.")
    page_navigation: Text = _label("Versions and downloads", "Name of a web page's bar of versions and downloads.")
    breadcrumb: Text = _label("Breadcrumb", "Name of the link back to the index, for screen readers.")
    site_navigation: Text = _label("Site", "Name of the index's links to the site's other pages, for screen readers.")
    depth_takeaway: Text = _label("Takeaways only", "Index card: an audience that reads each theme's takeaway.")
    depth_summary: Text = _label("Summaries", "Index card: an audience that reads each theme's summary.")
    depth_full: Text = _label("In full", "Index card: an audience that reads every section.")
    page_budget_one: Text = _label("{n} page at most", "Index card: the audience's PDF page budget, singular.")
    page_budget_other: Text = _label("{n} pages at most", "Index card: the audience's PDF page budget, plural.")
    top_takeaway: Text = _label("Top takeaway", "Index card: the audience's first takeaway.")
    read: Text = _label("Read", "Index card: link to the web page.")
    brief_of: Text = _label("the {audience} brief", "Hidden words after 'Read' for screen readers.")
    format_of: Text = _label("of the {audience} brief", "Hidden words after a download's name.")
    themes_one: Text = _label("{n} theme", "Index card: theme count, singular.")
    themes_other: Text = _label("{n} themes", "Index card: theme count, plural.")
    figures_one: Text = _label("{n} figure", "Index card: figure count, singular.")
    figures_other: Text = _label("{n} figures", "Index card: figure count, plural.")
    briefs_one: Text = _label("{n} brief", "Index description: brief count, singular.")
    briefs_other: Text = _label("{n} briefs", "Index description: brief count, plural.")
    briefs_for: Text = _label("{briefs} for {audiences}", "Index description.")
    sources_behind: Text = _label("The sources behind {title}.", "Sources page description.")
    # PDF
    page_of: Text = _label("Page {page} of {pages}", "PDF footer.")
    page_abbreviation: Text = _label("p.", "Before a page number in 'cited in' references.")
    # Slides (PowerPoint)
    continued: Text = _label("{title} (continued)", "Title of a slide that continues the one before it.")
    risk: Text = _label("Risk", "Risks table: the risk column.")
    likelihood: Text = _label("Likelihood", "Risks table: the likelihood column.")
    impact: Text = _label("Impact", "Risks table: the impact column.")
    likelihood_low_short: Text = _label("Low", "Risks table: a low likelihood.")
    likelihood_medium_short: Text = _label("Medium", "Risks table: a medium likelihood.")
    likelihood_high_short: Text = _label("High", "Risks table: a high likelihood.")
    impact_low_short: Text = _label("Low", "Risks table: a low impact.")
    impact_medium_short: Text = _label("Medium", "Risks table: a medium impact.")
    impact_high_short: Text = _label("High", "Risks table: a high impact.")
    decision: Text = _label("Decision", "Decisions table: the recommendation column.")
    owner: Text = _label("Owner", "Decisions table: who owns a recommendation.")
    horizon: Text = _label("When", "Decisions table: when to act.")
    # Formats, by format name (download links and the index)
    format_names: dict[str, Text] = Field(
        default={"md": "Markdown", "html": "Web page", "pdf": "PDF", "standalone": "Single-file HTML",
                 "pptx": "PowerPoint", "docx": "Word"},
        description="The name of each output format on download links, by format.")
    qualifiers: dict[str, Text] = Field(
        default={name: name for name in get_args(Qualifier)},
        description="How a figure's qualifier is written before it, by qualifier ('about', 'over', ...).")
    magnitudes: dict[str, Text] = Field(
        default={f"{int(value)}": words for value, words in MAGNITUDE_WORDS.items()},
        description="How a figure that is an order of magnitude is written, by its value "
        "('100000': 'hundreds of thousands').")
    magnitude_of: Text = _label("{amount} of {unit}", "A figure that is an order of magnitude, with its unit.")

    @model_validator(mode="after")
    def _placeholders_kept(self) -> Labels:
        for key in self.model_fields_set:
            default = type(self).model_fields[key].default
            if not isinstance(default, str):
                continue
            wanted, given = _placeholders(default), _placeholders(getattr(self, key))
            if given - wanted:
                raise ValueError(f"label '{key}' uses {_listed(given - wanted)}, which it cannot fill: "
                                 f"it may use {_listed(wanted) or 'no placeholder'} (default: '{default}')")
        return self

    def qualifier(self, name: str) -> str:
        return self.qualifiers.get(name, name)

    def magnitude(self, value: float, unit: str = "") -> str:
        """An order of magnitude in words: 100000 and 'chips' -> 'hundreds of thousands of chips'."""
        amount = self.magnitudes.get(f"{int(value)}", MAGNITUDE_WORDS.get(value, f"{value:g}"))
        return self.magnitude_of.format(amount=amount, unit=unit) if unit else amount

    def __getitem__(self, key: str) -> str:
        value = getattr(self, key)
        return str(value)

    def count(self, key: str, number: int, language: str) -> str:
        """``themes`` and 3 -> '3 themes', with the language's plural rule choosing the form."""
        form = "one" if locale_for(language).plural_form(number) == "one" else "other"
        return str(getattr(self, f"{key}_{form}")).format(n=format_number(number, language))

    def format_name(self, name: str) -> str:
        return self.format_names.get(name, name.upper())


def _placeholders(text: str) -> set[str]:
    try:
        return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
    except ValueError:  # an unmatched brace: no placeholder can be filled
        return {"{"}


def _listed(names: set[str]) -> str:
    return ", ".join("{" + name + "}" for name in sorted(names))


LABEL_KEYS = tuple(name for name in Labels.model_fields if name not in {"format_names", "qualifiers", "magnitudes"})


@cache
def builtin_translation(language: str) -> dict[str, Any]:
    """The shipped labels for a language ('fr' for 'fr-CA' too), or {} when none ships."""
    from .yamlsource import read_yaml

    for name in (language.replace("_", "-"), language.split("-")[0].split("_")[0]):
        path = LOCALES_DIR / f"{name.lower()}.yaml"
        if path.is_file():
            data = read_yaml(path, path.name).data
            return dict(data) if isinstance(data, dict) else {}
    return {}


_MAPPINGS = ("format_names", "qualifiers", "magnitudes")


def resolve_labels(language: str, *layers: Labels | None) -> Labels:
    """Defaults, then the language's translation, then each layer's explicitly set labels."""
    values: dict[str, Any] = dict(builtin_translation(language))
    for layer in layers:
        if layer is None:
            continue
        for key, value in layer.model_dump(exclude_unset=True).items():
            values[key] = {**values.get(key, {}), **value} if key in _MAPPINGS else value
    for key in _MAPPINGS:
        if key in values:
            values[key] = {**Labels.model_fields[key].default, **values[key]}
    return Labels.model_validate(values)


# -- dates and numbers, by language -------------------------------------------------------


@cache
def locale_for(language: str) -> Any:
    """The Babel locale for a BCP 47 tag; English when Babel does not know the language."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def known_language(language: str) -> bool:
    from babel import Locale, UnknownLocaleError

    try:
        Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


def format_date(value: dt.date | None, language: str, pattern: str = "long") -> str:
    """A date as the language writes it: 'long' gives '3 December 2024' in en-GB, '3 décembre 2024' in fr."""
    if value is None:
        return ""
    from babel.dates import format_date as babel_format_date

    return str(babel_format_date(value, format=pattern, locale=locale_for(language)))


def format_number(value: float, language: str) -> str:
    """100000 -> '100,000' in English, '100 000' in French; decimals as needed, at most two."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, format="#,##0.##", locale=locale_for(language)))
