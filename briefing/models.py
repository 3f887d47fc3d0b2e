"""Typed models of a briefing project: the single definition of every field.

Each field's type, default and help text live here and nowhere else: the
loader validates against these models, ``briefing schema`` exports their
JSON Schema, and the README's field reference is generated from them.

YAML scalars arrive as the text the author wrote (see ``yamlsource``); pydantic
converts text to numbers, dates and booleans only where a field asks for one.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
MAX_TEXT_CHARS = 20_000  # one field: a long summary is a few thousand characters
MAX_MARKDOWN_NESTING = 16


def _bounded_nesting(value: str) -> str:
    """Refuse Markdown nested deeper than any brief needs (10,000 nested quotes take a minute to render)."""
    for line in value.splitlines():
        stripped = line.lstrip(" \t>")
        quotes = line[: len(line) - len(stripped)].count(">")
        indent = len(line) - len(line.lstrip(" \t"))
        if quotes > MAX_MARKDOWN_NESTING or indent > 4 * MAX_MARKDOWN_NESTING:
            raise ValueError(f"Markdown nested more than {MAX_MARKDOWN_NESTING} levels deep; flatten it")
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS),
                 AfterValidator(_bounded_nesting)]


def _one_line(value: str) -> str:
    if "\n" in value:
        raise ValueError("a takeaway is one line; move the detail into the summary")
    return value


Line = Annotated[Text, AfterValidator(_one_line)]  # a takeaway: one line a reader remembers
Level = Literal["low", "medium", "high"]
Priority = Literal["critical", "high", "medium", "low"]  # most important first
PRIORITY_RANK: dict[str, int] = {name: rank for rank, name in enumerate(get_args(Priority))}
Basis = Literal["claim", "estimate", "reported"]
Qualifier = Literal["about", "nearly", "over", "more than", "above", "under", "less than", "below", "up to",
                    "at most", "at least", "order of magnitude"]
ORDER_OF_MAGNITUDE = "order of magnitude"  # the qualifier of a vague amount: "hundreds of thousands"
# The orders of magnitude a vague amount can state, in English words (labels translate them).
MAGNITUDE_WORDS = {10.0: "dozens", 1e2: "hundreds", 1e3: "thousands", 1e4: "tens of thousands",
                   1e5: "hundreds of thousands", 1e6: "millions", 1e7: "tens of millions",
                   1e8: "hundreds of millions", 1e9: "billions", 1e10: "tens of billions",
                   1e11: "hundreds of billions", 1e12: "trillions"}
MAGNITUDES = tuple(MAGNITUDE_WORDS)
Horizon = Literal["now", "next-quarter", "this-year", "watch"]
# The sections a theme can show, in their default order. A new section type is a list field of
# ``Theme`` named here, plus one template per format under templates/sections/.
Section = Literal["summary", "charts", "facts", "quotes", "implications", "risks", "recommendations"]
ChartKind = Literal["bar", "column", "range", "share", "line"]
MAX_CHART_POINTS = 24
SECTION_NAMES: tuple[str, ...] = get_args(Section)
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"


class Model(BaseModel):
    """Base for every content model: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Targeted(Model):
    """Fields shared by items that audience profiles select by tag or audience."""

    tags: list[Slug] = Field(default=[], description="Free tags an audience profile can select on.")
    audiences: list[Slug] = Field(
        default=[],
        description="Audience ids this item is for; empty means every audience that shows its section.",
    )


class Source(Model):
    """A document the brief draws on; facts and quotes cite it by id."""

    id: Slug = Field(description="Short id that facts and quotes cite, e.g. 'bi-aws-trainium'.")
    title: Text = Field(description="The source's headline or title.")
    publisher: Text = Field(description="Publication or organisation that issued it.")
    date: dt.date | None = Field(default=None, description="Publication date (YYYY-MM-DD).")
    url: Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"'`\\{}|^]+$", max_length=2000)] | None = Field(
        default=None, description="Web address of the original (http or https; characters such as < > \" ' "
        "and spaces percent-encoded).")
    author: Text | None = Field(default=None, description="Author or authors, as credited.")
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$")] | None = Field(
        default=None,
        description="sha256 of the local text copy (as sha256sum prints it): 'check' fails when the copy changes.")
    text: str | None = Field(
        default=None,
        description="Path (relative to the project) of a local plain-text copy; "
        "fact evidence is checked against it.")


class Figure(Model):
    """A number behind a fact, with its unit and how much trust it deserves."""

    value: float = Field(description="The number, e.g. 30 for 30%. Lower bound for a range.")
    upper: float | None = Field(
        default=None, description="Upper bound when the figure is a range (40 in '30-40%').")
    unit: str = Field(
        default="",
        description="Unit written after the number: '%', 'x', 'billion', 'GPUs'. "
        "'%' and 'x' attach to the number; other units follow a space.")
    currency: str = Field(default="", description="Currency symbol written before the number, e.g. '$'.")
    qualifier: Qualifier | None = Field(
        default=None,
        description="The hedge the source puts on the number, written before it: 'over' for "
        "'over five times', 'about' for 'about 99%'. 'briefing check' warns when the source hedges and "
        "the figure does not. 'order of magnitude' is for a vague amount ('hundreds of thousands'): the value "
        "is the order (100000), the figure is shown in words, and it is never charted as a count.")
    basis: Basis = Field(
        default="reported",
        description="'claim': a party's own assertion (a vendor's benchmark); "
        "'estimate': an analyst's projection; 'reported': a number reported as fact.")
    by: Text | None = Field(
        default=None, description="Who makes the claim or estimate, e.g. 'AWS'. Expected for claims.")
    label: Text | None = Field(
        default=None, description="Short label for tables of figures; defaults to the fact's statement.")

    @model_validator(mode="after")
    def _magnitude_is_an_order(self) -> Figure:
        if self.qualifier == ORDER_OF_MAGNITUDE:
            if self.value not in MAGNITUDES or self.upper is not None:
                raise ValueError(
                    "a figure with 'qualifier: order of magnitude' states an order, not a count: its value is "
                    "10, 100, 1000, ... (100000 for 'hundreds of thousands'), with no 'upper'")
            if self.currency or self.unit.strip() in ("%", "x"):
                raise ValueError("an order of magnitude counts things: give the things as its unit "
                                 "('Trainium2 chips'), not a currency, '%' or 'x'")
        return self


class Fact(Targeted):
    """A key fact, optionally with a figure, resting on a source."""

    statement: Text = Field(description="The fact in one sentence, in your own words (inline Markdown).")
    figure: Figure | None = Field(default=None, description="The number behind the fact, if any.")
    source: Slug | None = Field(default=None, description="Id of the source it rests on.")
    evidence: Text | None = Field(
        default=None,
        description="The source's exact words this fact rests on, kept short; "
        "checked against the source's local text copy when it has one.")


class Quote(Targeted):
    """Someone's exact words, attributed."""

    text: Text = Field(
        description="The exact words quoted, without quotation marks ('...' or '[...]' for words left out); "
        "checked word for word against the source's local text copy when it has one.")
    speaker: Text = Field(description="Who said or wrote it: a person or an organisation.")
    role: Text | None = Field(default=None, description="The speaker's role, e.g. 'CEO, AWS'.")
    source: Slug = Field(description="Id of the source the quote appears in.")
    context: Text | None = Field(
        default=None, description="Where or how it was said, e.g. 'in an interview'.")


class Risk(Targeted):
    """Something that could go wrong, with a view on how likely and how bad."""

    risk: Text = Field(description="The risk in one sentence.")
    likelihood: Level | None = Field(default=None, description="How likely.")
    impact: Level | None = Field(default=None, description="How bad if it happens.")
    mitigation: Text | None = Field(default=None, description="What reduces it.")


class Recommendation(Targeted):
    """An action the reader should take."""

    action: Text = Field(description="What to do, starting with a verb.")
    rationale: Text | None = Field(default=None, description="Why, in a sentence.")
    horizon: Horizon | None = Field(
        default=None, description="When to act.")
    owner: Text | None = Field(default=None, description="Who should own it, e.g. 'CTO'.")


class ChartPoint(Model):
    """One plotted value. It rests on a source like a fact's figure (its evidence is checked), or says how
    it is derived from the chart's sourced values."""

    label: Text = Field(description="What the value is of: a category ('Nvidia'), or for a line chart the "
                        "point in time ('2024', 'Q3 2025').")
    value: float = Field(description="The value, in the chart's unit. Lower bound for a range.")
    upper: float | None = Field(default=None, description="Upper bound, for a 'range' chart (40 in '30-40%').")
    qualifier: Qualifier | None = Field(
        default=None, description="The source's hedge ('over', 'about'), shown beside the value. A vague "
        "amount ('hundreds of thousands') is never plotted: it has no value to draw.")
    source: Slug | None = Field(default=None, description="Id of the source the value comes from.")
    evidence: Text | None = Field(
        default=None, description="The source's exact words stating the value; checked like a fact's evidence.")
    derived: Text | None = Field(
        default=None, description="For a value no source states: how it follows from the chart's sourced "
        "values, e.g. '100% minus Nvidia's 99%'. A derived value has no evidence.")

    @model_validator(mode="after")
    def _sourced_or_derived(self) -> ChartPoint:
        if self.qualifier == ORDER_OF_MAGNITUDE:
            raise ValueError("a vague amount cannot be plotted: its source gives no number to draw (keep it "
                             "as a fact with 'qualifier: order of magnitude', or plot a number the source states)")
        if self.derived is not None and self.evidence is not None:
            raise ValueError("a derived value has no evidence (no source states it): keep 'derived' and remove "
                             "'evidence', or the other way round")
        if self.derived is None and (self.source is None or self.evidence is None):
            raise ValueError("every plotted value cites a source and its evidence (the source's words), or "
                             "says how it is 'derived' from the chart's other values")
        return self


class Chart(Targeted):
    """A chart of a theme's numbers: every plotted value sourced (or derived from sourced ones)."""

    id: Slug = Field(description="Unique id within the brief, e.g. 'training-share'.")
    title: Text = Field(description="What the chart shows, e.g. 'Share of AI training workloads'.")
    takeaway: Line = Field(description="The chart's headline: the one sentence a reader should see in it.")
    kind: ChartKind = Field(
        description="'bar' (horizontal bars, for categories with long names), 'column' (vertical bars), "
        "'range' (low-high bars for figures such as '30-40%'), 'share' (parts of a whole, as one stacked bar) "
        "or 'line' (values over time, in the order given).")
    unit: str = Field(default="", description="Unit of every value: '%', 'x', 'billion', 'GPUs'.")
    currency: str = Field(default="", description="Currency symbol written before every value, e.g. '$'.")
    points: list[ChartPoint] = Field(min_length=1, max_length=MAX_CHART_POINTS,
                                     description="The values, in the order to draw them.")
    highlight: Text | None = Field(
        default=None, description="Label of the point to draw in the accent colour (the one the takeaway is about).")

    @model_validator(mode="after")
    def _fits_its_kind(self) -> Chart:
        if all(point.derived is not None for point in self.points):
            raise ValueError("a chart needs at least one value from a source: derived values follow from "
                             "sourced ones")
        labels = [point.label for point in self.points]
        repeated = sorted({label for label in labels if labels.count(label) > 1})
        if repeated:
            raise ValueError(f"each point needs its own label; repeated: {', '.join(repeated)}")
        if self.highlight is not None and self.highlight not in labels:
            raise ValueError(f"highlight '{self.highlight}' is not the label of a point ({', '.join(labels)})")
        ranged = [point.label for point in self.points if point.upper is not None]
        if self.kind == "range" and len(ranged) < len(self.points):
            raise ValueError("every point of a 'range' chart has an 'upper' bound")
        if self.kind != "range" and ranged:
            raise ValueError(f"only a 'range' chart has upper bounds (set on: {', '.join(ranged)})")
        if self.kind in ("share", "line") and len(self.points) < 2:
            raise ValueError(f"a '{self.kind}' chart needs at least two points")
        if self.kind == "share" and any(point.value < 0 for point in self.points):
            raise ValueError("the parts of a 'share' chart cannot be negative")
        return self


class Theme(Model):
    """One theme of a brief: one file under ``content/briefs/<brief>/themes/``."""

    id: Slug = Field(description="Unique id within the brief, e.g. 'custom-silicon'.")
    title: Text = Field(description="Heading for the theme.")
    takeaway: Line = Field(description="The one line a reader must remember.")
    summary: Text = Field(description="A paragraph or two; Markdown allowed.")
    priority: Priority = Field(default="medium", description="How much the theme matters.")
    tags: list[Slug] = Field(default=[], description="Tags audience profiles select themes by.")
    charts: list[Chart] = Field(default=[], description="Charts of the theme's numbers, each value sourced.")
    facts: list[Fact] = Field(default=[], description="Key facts, with figures where there are any.")
    quotes: list[Quote] = Field(default=[], description="Attributed quotes; keep them short.")
    implications: list[Text] = Field(default=[], description="What follows for the reader.")
    risks: list[Risk] = Field(default=[], description="What could go wrong.")
    recommendations: list[Recommendation] = Field(default=[], description="What to do about it.")



class Brief(Model):
    """A brief's front matter: ``content/briefs/<brief>/brief.yaml``."""

    title: Text = Field(description="Title of the brief.")
    subtitle: Text | None = Field(default=None, description="Subtitle, shown under the title.")
    date: dt.date | None = Field(
        default=None, description="Date of the brief (YYYY-MM-DD); defaults to the project's date.")
    summary: Text = Field(description="The bottom line of the whole brief; Markdown allowed.")
    sources: list[Slug] = Field(default=[], description="Ids of the sources the brief is based on.")
    author: Text | None = Field(default=None, description="Overrides the project's author.")
    organisation: Text | None = Field(default=None, description="Overrides the project's organisation.")
    classification: Text | None = Field(
        default=None, description="Overrides the project's classification marking.")
    keywords: list[Text] = Field(default=[], description="Keywords for document metadata.")
    aliases: dict[Text, list[Text]] = Field(
        default={}, description="Other names the brief uses for a party its sources name, so the source check "
        "knows them for one: {'Nordvik Kraft AB': ['Nordvik', 'the utility']}.")
    themes: list[Slug] = Field(
        default=[],
        description="Theme ids in reading order; empty means every theme file, ordered by file name.")


class SourceList(Model):
    """``content/sources.yaml``: every source the project's briefs cite."""

    sources: list[Source] = Field(description="The sources.")
