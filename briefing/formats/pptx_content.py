"""What the PowerPoint deck says: one audience's view of a brief as plain, picklable slide descriptions.

This runs in the build's process and decides the words (``pptx_deck`` puts the slides in order);
``pptx_slides`` (in an engine worker) decides where they go and at what size.  The wording is the other
formats': figures through ``format_figure`` with the audience's qualifiers, the basis as ``basis_by``
words it, quotes between the language's quotation marks, sources as the reference list writes them,
every heading a label.

Content Markdown becomes runs: it is first made safe exactly as for the Markdown output
(``plain_markdown``: tags removed with their text kept, entities decoded, links with any scheme but
http, https and mailto left as text), then parsed; bold, italic, inline code and links become run
styles, and nothing from content is ever interpreted as markup of the deck.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from ..filters import format_figure, markdown_to_html, plain_markdown, typographic
from ..labels import Labels, format_date
from .pptx_fit import Run, printable

if TYPE_CHECKING:
    from ..models import Fact, Figure, Quote, Source
    from ..select import BriefView, ThemeView
    from .pptx_charts import ChartPanel, ChartSlides

LONG_FIGURE = 16  # characters: a longer figure may wrap at its spaces
FACTS_PER_SLIDE = 5  # a theme's slide shows three to five facts; more continue on the next slide


@dataclass(frozen=True)
class Item:
    """One paragraph: a list item, a paragraph of prose, a quote.  ``keep`` keeps it on the slide of the
    item before it (a quote's attribution)."""

    runs: tuple[Run, ...]
    role: str = "bullet"  # bullet, lead, prose, number, quote, attribution, strong, note, cell, label
    keep: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Callout:
    """A theme's key figure, shown big: the number, what it measures, and on whose word."""

    figure: str
    caption: tuple[Run, ...]
    basis: str


@dataclass(frozen=True)
class Column:
    header: str
    share: float  # of the table's width
    align: str = "l"


@dataclass(frozen=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[tuple[Item, ...], ...], ...]  # row -> cell -> paragraphs
    # Each row's group (a theme's number), or none: rows of one group share a fill, and the first cell (the
    # group's name) shows only on the group's first row of each slide.
    groups: tuple[int, ...] = ()


@dataclass(frozen=True)
class Slide:
    """One slide's content, which the layout may continue on more slides (``continued`` titles)."""

    name: str  # the slide's name in the file (not shown): 'theme-2', 'theme-2-quotes-implications', 'risks'
    kicker: str  # the small line above the title
    title: str
    items: tuple[Item, ...] = ()
    table: Table | None = None
    callout: Callout | None = None
    notes: str = ""
    per_slide: int | None = None  # at most this many items on one slide
    headline: bool = False  # the title is a theme's takeaway
    shorten: bool = False  # too long: cut to fit (the full text is in the notes) instead of continuing
    chart: ChartPanel | None = None  # a chart's slide: its drawing, data and sources (``pptx_charts``)
    # Text blocks shown side by side when they fit one slide; else ``items`` (the same blocks, stacked) are.
    columns: tuple[tuple[Item, ...], ...] = ()
    # The same table with less (no mitigation or rationale, which its notes keep), shown when it takes
    # fewer slides than this one.
    compact: Slide | None = None
    join: str = ""  # the lead slide this one's blocks may go on, under its facts, when they fit (``pptx_lead``)
    below: tuple[tuple[Item, ...], ...] = ()  # blocks joined onto this slide, side by side under its items


@dataclass(frozen=True)
class Cover:
    kicker: str
    title: str
    subtitle: str
    date: str
    byline: str
    classification: str
    logo_alt: str = ""  # the logo's alternative text: the organisation, else the 'logo' label


@dataclass(frozen=True)
class Look:
    """The brand as the deck uses it: hex colours and the two family names."""

    primary: str
    accent: str
    ink: str
    muted: str
    soft: str
    rule: str
    marking: str
    heading: str
    body: str
    language: str


@dataclass(frozen=True)
class Deck:
    cover: Cover
    slides: tuple[Slide, ...]
    footer: str
    look: Look
    continued: str  # the label '{title} (continued)'


# -- content Markdown as runs -------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "tr", "td", "th", "hr"}


class _Runs(HTMLParser):
    """Sanitized HTML (from content Markdown) as paragraphs of styled runs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[Run]] = [[]]
        self.bold = self.italic = self.code = 0
        self.links: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS and self.paragraphs[-1]:
            self.paragraphs.append([])
        self.bold += tag in ("strong", "b")
        self.italic += tag in ("em", "i")
        self.code += tag == "code"
        if tag == "a":
            href = dict(attrs).get("href") or None
            self.links.append(href if href and href.split(":", 1)[0].lower() in ("http", "https", "mailto") else None)
        elif tag == "br":
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        self.bold -= tag in ("strong", "b") and self.bold > 0
        self.italic -= tag in ("em", "i") and self.italic > 0
        self.code -= tag == "code" and self.code > 0
        if tag == "a" and self.links:
            self.links.pop()
        if tag in _BLOCK_TAGS and self.paragraphs[-1]:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        data = printable(data.replace("\n", " "))
        text = " ".join(data.split()) if not self.code else data.replace("\n", " ")
        if data[:1].isspace():
            text = " " + text
        if data[-1:].isspace() and text.strip():
            text += " "
        if not text:
            return
        link = self.links[-1] if self.links else None
        run = Run(text, bold=self.bold > 0, italic=self.italic > 0, link=link, code=self.code > 0)
        current = self.paragraphs[-1]
        if current and current[-1].text.endswith(" ") and text.startswith(" "):
            text = text[1:]
            run = replace(run, text=text)
        if not text:
            return
        if current and _same_style(current[-1], run):
            current[-1] = replace(current[-1], text=current[-1].text + text)
        else:
            current.append(run)


def _same_style(a: Run, b: Run) -> bool:
    return (a.bold, a.italic, a.link, a.code) == (b.bold, b.italic, b.link, b.code)


def markdown_runs(text: str | None) -> list[tuple[Run, ...]]:
    """Content Markdown as paragraphs of runs; raw HTML in content is text, never markup."""
    if not text:
        return []
    source = plain_markdown(text).replace("\\<", "&lt;")
    parser = _Runs()
    parser.feed(str(markdown_to_html(source)))
    parser.close()
    paragraphs = []
    for runs in parser.paragraphs:
        if runs:
            runs[0] = replace(runs[0], text=runs[0].text.lstrip())
            runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
            paragraphs.append(tuple(run for run in runs if run.text))
    return [runs for runs in paragraphs if runs]


def inline_runs(text: str | None) -> tuple[Run, ...]:
    """One line of content Markdown (a statement, a takeaway) as runs; paragraphs joined by a space."""
    joined: list[Run] = []
    for index, runs in enumerate(markdown_runs(text)):
        if index:
            joined.append(Run(" "))
        joined.extend(runs)
    return tuple(joined)


def plain(text: str | None) -> str:
    """Content Markdown as the words it shows."""
    return "".join(run.text for run in inline_runs(text))


def words(text: str | None) -> str:
    """A plain value (a title, a name) with the typography of the other formats."""
    return printable(typographic(str(text))) if text else ""


# -- the deck -----------------------------------------------------------------------------------------


class Writer:
    """Builds the slides of one view, with its labels and language at hand."""

    def __init__(self, view: BriefView, charts: ChartSlides | None = None):
        self.view, self.charts = view, charts
        self.L: Labels = view.labels
        self.language = view.language
        self.evidence = "evidence" in view.profile.appendix

    def figure(self, figure: Figure) -> str:
        hedge = self.L.qualifier(figure.qualifier) if figure.qualifier else None
        text = format_figure(figure, self.language, hedge, self.L)
        # '$8 billion' stays together; a long unit ('kilowatt-hours of cooling overhead') may break at its spaces
        return text if len(text) <= LONG_FIGURE else text.replace("\u00a0", " ")

    def basis(self, figure: Figure) -> str:
        basis = self.L[figure.basis]
        return words(self.L.basis_by.format(basis=basis, by=figure.by) if figure.by else basis)

    def cite(self, source_id: str | None) -> tuple[Run, ...]:
        number = self.view.cite(source_id)
        return (Run(f" [{number}]", colour="muted"),) if number else ()

    def fact(self, fact: Fact) -> Item:
        runs: list[Run] = []
        if fact.figure is not None:
            runs += [Run(self.figure(fact.figure), bold=True), Run(" — ")]
        runs += inline_runs(fact.statement)
        if fact.figure is not None and fact.figure.basis != "reported":
            runs.append(Run(f" ({self.basis(fact.figure)})", italic=True, colour="muted"))
        return Item(tuple(runs) + self.cite(fact.source))

    def quote(self, quote: Quote) -> list[Item]:
        said = (Run(self.L.quote_open),) + inline_runs(quote.text) + (Run(self.L.quote_close),)
        who = ", ".join(words(part) for part in (quote.speaker, quote.role, quote.context) if part)
        return [Item(said, "quote"), Item((Run("— " + who),) + self.cite(quote.source), "attribution", keep=True)]

    def source_item(self, number: int, source: Source) -> Item:
        runs = [Run(f"{number}. "), Run(words(source.publisher) + (f" ({words(source.author)})" if source.author
                                                                    else "") + ", "),
                Run(words(source.title), italic=True)]
        if source.date:
            runs.append(Run(("," if source.title[-1] not in ".?!" else "") + " "
                            + format_date(source.date, self.language, self.L.date_format)))
        runs.append(Run("."))
        if source.url:
            runs += [Run(" "), Run(source.url, link=source.url, colour="primary")]
        return Item(tuple(runs), "number")

    def notes(self, theme: ThemeView, section: str, items: tuple[Any, ...], summary: bool) -> str:
        parts = ["\n".join(plain_paragraphs(theme.summary))] if summary else []
        if self.evidence:
            for item in items:
                found = self.view.passage(theme, section, item)
                if found is not None:
                    said = plain(item.statement if section == "facts" else item.text)
                    where = self.L.paragraph.format(n=found.paragraph)
                    cite = self.view.cite(item.source)
                    parts.append(f"{said} — {self.L.quote_open}{found.text.strip()}{self.L.quote_close} ({where})"
                                 + (f" [{cite}]" if cite else ""))
        return "\n\n".join(part for part in parts if part)

    def lead(self, theme: ThemeView) -> Slide:
        """A theme's lead slide: its takeaway as the headline, its facts (or summary), its key figure."""
        facts = theme.items("facts") if "facts" in theme.sections else ()
        key = next((fact for fact in theme.items("facts") if fact.figure is not None), None)
        callout = None
        if key is not None and key.figure is not None:
            caption = (Run(words(key.figure.label)),) if key.figure.label else inline_runs(key.statement)
            callout = Callout(self.figure(key.figure), caption, self.basis(key.figure))
        if facts:
            items = tuple(self.fact(fact) for fact in facts)
        elif theme.show_summary:
            items = tuple(Item(runs, "prose") for runs in markdown_runs(theme.summary))
        else:
            items = ()
        return Slide(f"theme-{theme.number}", self.kicker(theme), plain(theme.takeaway), items, callout=callout,
                     notes=self.notes(theme, "facts", facts, True), per_slide=FACTS_PER_SLIDE if facts else None,
                     headline=True, shorten=not facts)

    @staticmethod
    def kicker(theme: ThemeView) -> str:
        return f"{theme.number} · {words(theme.title)}"


def plain_paragraphs(text: str | None) -> list[str]:
    return ["".join(run.text for run in runs) for runs in markdown_runs(text)]
