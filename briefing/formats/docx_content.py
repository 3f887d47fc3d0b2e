"""What the Word document says: one audience's view of a brief as blocks (``docx_model``).

It follows ``brief.html.j2`` section by section: the cover (or a masthead), the contents, the bottom
line with the takeaways, the claims-and-figures table, each theme with its sections in the audience's
order, the closing action list, the numbered sources and the evidence appendix.  Every word that does
not come from content is a label of the audience's language; figures and dates are written by the same
template filters as the other formats.  Citations link to bookmarks on the sources list entries.
A chart is a figure as on the web page: its caption, its drawing (the charts module's PNG, rendered here
in the build's process, at the text's width), its data as a table and its source line.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..filters import typographic
from .docx_model import (
    Block,
    Cell,
    Contents,
    PageBreak,
    Para,
    Picture,
    Span,
    Spans,
    Table,
    inline_spans,
    markdown_blocks,
    plain_text,
    safe_link,
    styled,
)

if TYPE_CHECKING:
    import jinja2

    from ..models import Chart, Figure, Recommendation, Source
    from ..select import BriefView, ThemeView

LOGO_HEIGHT_MM = 14.0
FIGURES_COLUMNS = (21, 45, 22, 12)  # relative widths: figure, what, basis, source
FIGURES_ALIGN = ("right", "", "", "center")
CHART_COLUMNS = (50, 20, 30)  # relative widths of a chart's data: what, value, source
CHART_ALIGN = ("", "right", "")
KEEP_WHOLE = 8  # a chart's data table of at most this many rows is kept on one page with its source line


def theme_anchor(theme: ThemeView) -> str:
    return f"theme_{theme.number}"


def source_anchor(number: int) -> str:
    return f"source_{number}"


class Planner:
    """Builds the blocks of one view; ``env`` is the audience's template environment (its filters)."""

    def __init__(self, view: BriefView, env: jinja2.Environment, logo: bytes | None = None):
        self.view, self.env, self.logo = view, env, logo
        self.L = view.labels
        self.colours = view.brand.colours
        self._lists = itertools.count(1)

    # -- words -----------------------------------------------------------------------------------

    def text(self, value: Any) -> str:
        return typographic(str(value)) if value is not None else ""

    def figure(self, figure: Figure) -> str:
        return str(self.env.filters["figure"](self.env, figure))

    def date(self, value: Any) -> str:
        return str(self.env.filters["long_date"](self.env, value))

    def basis_label(self, figure: Figure) -> str:
        basis = self.L[figure.basis]
        return self.text(self.L.basis_by.format(basis=basis, by=figure.by) if figure.by else basis)

    def risk_rating(self, risk: Any) -> str:
        parts = [self.L[f"likelihood_{risk.likelihood}"]] if risk.likelihood else []
        parts += [self.L[f"impact_{risk.impact}"]] if risk.impact else []
        return self.text(", ".join(parts))

    def owner_and_horizon(self, rec: Recommendation) -> str:
        horizon = self.L["horizon_" + rec.horizon.replace("-", "_")] if rec.horizon else ""
        return self.text(", ".join(part for part in (rec.owner or "", horizon) if part))

    def cite(self, source_id: str | None) -> Spans:
        number = self.view.cite(source_id)
        if not number:
            return ()
        return (Span(f"[{number}]", anchor=source_anchor(number), style="Citation"),)

    def badge(self, figure: Figure) -> Span:
        colour = getattr(self.colours, figure.basis)
        shade = getattr(self.colours, f"{figure.basis}_background")
        return Span(self.basis_label(figure), colour=colour, shade=shade, bold=True)

    def new_list(self) -> int:
        return next(self._lists)

    def markdown(self, text: str | None, style: str = "Normal") -> Iterator[Para]:
        """Content Markdown blocks as paragraphs: lists in the list styles, quotes in Quote."""
        numbers: dict[int, int] = {}
        for block in markdown_blocks(text):
            spans = tuple(block.spans)
            if block.kind == "ul":
                yield Para("List Bullet 2" if block.level else "List Bullet", spans)
            elif block.kind == "ol":
                number = numbers.setdefault(block.list_index, self.new_list())
                yield Para("List Number 2" if block.level else "List Number", spans, numbering=number)
            elif block.kind == "heading":
                yield Para("Heading 3", spans)
            elif block.kind == "quote":
                yield Para("Quote", spans)
            else:
                yield Para(style, spans)

    # -- the document ----------------------------------------------------------------------------

    def blocks(self) -> list[Block]:
        view, profile = self.view, self.view.profile
        found: list[Block] = list(self.cover() if profile.pdf.cover else self.masthead())
        if profile.pdf.cover:
            found.append(PageBreak())
        if profile.pdf.contents:
            found += [Para("TOC Heading", (Span(self.L.contents),)), Contents(), PageBreak()]
        found += self.bottom_line()
        found += self.figures_table()
        for theme in view.body_themes:
            found += self.theme(theme)
        found += self.action_list()
        found += self.sources()
        found += self.evidence_appendix()
        return found

    def _front(self, cover: bool) -> Iterator[Block]:
        view, L = self.view, self.L
        marking = (Span(self.text(view.classification)),) if view.classification and cover else ()
        if self.logo is not None:  # the logo, and the marking beside it (elsewhere the running header shows it)
            logo = Para("Normal", picture=Picture(self.logo, LOGO_HEIGHT_MM, self.text(view.organisation or L.logo)))
            yield Table("Normal Table", (), ((Cell((logo,)), Cell((Para("Classification", marking),))),), (1, 1))
        elif marking:
            yield Para("Classification", marking)
        yield Para("Kicker", (Span(self.text(f"{L.audience} {view.audience.name}")),),
                   space_before=140 if cover else None, rule_above=self.colours.primary if cover else "")
        yield Para("Title", (Span(self.text(view.title)),))
        if view.subtitle:
            yield Para("Subtitle", (Span(self.text(view.subtitle)),))
        meta = [(L.date, self.date(view.date))]
        if view.author:
            meta.append((L.author, self.text(view.author)))
        if view.organisation:
            meta.append((L.organisation, self.text(view.organisation)))
        yield Table("Normal Table", (), (tuple(Cell((Para("Meta Label", (Span(self.text(label)),)),
                                                     Para("Meta", (Span(value),))))
                                               for label, value in meta),), tuple(1 for _ in meta))

    def cover(self) -> Iterator[Block]:
        yield from self._front(cover=True)
        yield Para("Meta Label", (Span(self.text(self.L.audience_description)),), space_before=18)
        yield Para("Meta", (Span(self.text(self.view.audience.description)),))

    def masthead(self) -> Iterator[Block]:
        yield from self._front(cover=False)

    def bottom_line(self) -> Iterator[Block]:
        view, L = self.view, self.L
        yield Para("Heading 1", (Span(self.text(L.bottom_line)),), bookmark="bottom_line")
        yield from self.markdown(view.summary)
        if view.themes:
            yield Para("Heading 2", (Span(self.text(L.takeaways)),))
            number = self.new_list()
            for theme in view.themes:
                anchor = theme_anchor(theme) if theme.depth != "takeaway" else ""
                title = Span(self.text(theme.title) + ".", bold=True, anchor=anchor)
                yield Para("List Number", (title, Span(" "), *inline_spans(theme.takeaway)), numbering=number)

    def figures_table(self) -> Iterator[Block]:
        view, L = self.view, self.L
        if not view.figures:
            return
        yield Para("Heading 1", (Span(self.text(L.figures)),), bookmark="figures")
        header = tuple(Cell((Para("Normal", (Span(self.text(word)),)),))
                       for word in (L.figure, L.what, L.basis, L.source))
        rows = []
        for fact in view.figures:
            figure = fact.figure
            assert figure is not None
            rows.append((Cell((Para("Normal", (Span(self.figure(figure), bold=True),)),)),
                         Cell((Para("Normal", inline_spans(figure.label or fact.statement)),)),
                         Cell((Para("Normal", (self.badge(figure),)),)),
                         Cell((Para("Normal", self.cite(fact.source)),))))
        yield Table("Figures Table", header, tuple(rows), FIGURES_COLUMNS, FIGURES_ALIGN)

    def theme(self, theme: ThemeView) -> Iterator[Block]:
        yield Para("Heading 1", (Span(f"{theme.number}. {self.text(theme.title)}"),), bookmark=theme_anchor(theme))
        yield Para("Takeaway", inline_spans(theme.takeaway))
        if theme.show_summary:
            yield from self.markdown(theme.summary)
        for section in theme.sections:
            items = theme.items(section)
            writer = getattr(self, f"section_{section}", None)
            if not items or writer is None:
                continue
            if section != "charts":  # as on the web page: each chart has its own caption, not a heading
                yield Para("Heading 2", (Span(self.text(self.L[section])),))
            yield from writer(items)

    def section_charts(self, charts: tuple[Chart, ...]) -> Iterator[Block]:
        """Each chart as a figure: its caption (title and takeaway, kept with the drawing), the drawing at
        the text's width (its alternative text the takeaway), its data as a table, and its sources."""
        from ..charts import point_text
        from ..charts.template import renderer

        drawer, L = renderer(self.env), self.L
        header = tuple(Cell((Para("Normal", (Span(self.text(word)),)),)) for word in (L.what, L.figure, L.source))
        for chart in charts:
            takeaway = inline_spans(chart.takeaway)
            alt = plain_text(takeaway)
            yield Para("Caption", (Span(self.text(chart.title) + ".", bold=True, colour=self.colours.ink), Span(" "),
                                   *takeaway), keep_next=True, indent=0)
            yield Para("Normal", picture=Picture(drawer.png(chart), 0, alt, title=alt, full_width=True),
                       keep_next=True, space_before=4)
            # A short table stays whole and with the source line; a long one keeps its last row with it.
            keep = {id(point) for point in chart.points[-1:] if len(chart.points) > KEEP_WHOLE} or {
                id(point) for point in chart.points}
            rows = tuple((Cell((Para("Normal", (Span(self.text(point.label)),), keep_next=id(point) in keep),)),
                          Cell((Para("Normal", (Span(point_text(chart, point, L, self.view.language)),),
                                     keep_next=id(point) in keep),)),
                          Cell((Para("Normal", self.derived(point.derived) if point.derived else
                                     self.cite(point.source), keep_next=id(point) in keep),)))
                         for point in chart.points)
            yield Table("Figures Table", header, rows, CHART_COLUMNS, CHART_ALIGN,
                        caption=self.text(f"{L.chart_data}: {chart.title}"))
            yield Para("Caption", self.chart_sources(chart), indent=0, space_before=4)

    def derived(self, how: str) -> Spans:
        """'derived: {how}' in the audience's words, ``how`` as content Markdown."""
        before, _, after = self.L.derived.partition("{how}")
        return (Span(self.text(before)), *inline_spans(how), *((Span(self.text(after)),) if after else ()))

    def chart_sources(self, chart: Chart) -> Spans:
        """'Source: <publisher> [n], ...' (cited where the brief numbers the source), then how any value is derived."""
        from ..charts.template import chart_sources

        before, _, after = self.L.chart_sources.partition("{sources}")
        cited = [c for c in (self.view.citation(source) for source in chart_sources(chart)) if c is not None]
        spans: list[Span] = [Span(self.text(before))] if cited else []  # no 'Source:' naming nothing
        for index, citation in enumerate(cited):
            spans += [Span(self.text(citation.source.publisher)), *self.cite(citation.source.id)]
            spans += [Span(", ")] if index < len(cited) - 1 else []
        spans += [Span(self.text(after))] if after and cited else []
        for point in chart.points:
            if point.derived:
                spans += [Span("; ")] if spans else []
                spans += self.derived(point.derived)
        return tuple(span for span in spans if span.text or span.anchor)

    def section_facts(self, facts: tuple[Any, ...]) -> Iterator[Block]:
        for fact in facts:
            spans: list[Span] = []
            if fact.figure is not None:
                spans += [Span(self.figure(fact.figure), bold=True), Span(" — ")]
            spans += inline_spans(fact.statement)
            if fact.figure is not None and fact.figure.basis != "reported":
                spans += [Span(" "), self.badge(fact.figure)]
            yield Para("List Bullet", (*spans, *self.cite(fact.source)))

    def section_quotes(self, quotes: tuple[Any, ...]) -> Iterator[Block]:
        L = self.L
        for quote in quotes:
            yield Para("Quote", (Span(L.quote_open), *inline_spans(quote.text), Span(L.quote_close)), keep_next=True)
            who = [Span("— "), Span(self.text(quote.speaker), bold=True)]
            if quote.role:
                who.append(Span(", " + self.text(quote.role)))
            if quote.context:
                who.append(Span(", " + self.text(quote.context)))
            yield Para("Caption", (*who, *self.cite(quote.source)))

    def section_implications(self, implications: tuple[Any, ...]) -> Iterator[Block]:
        for implication in implications:
            yield Para("List Bullet", inline_spans(implication))

    def section_risks(self, risks: tuple[Any, ...]) -> Iterator[Block]:
        for risk in risks:
            spans: list[Span] = list(styled(inline_spans(risk.risk), bold=True))
            rating = self.risk_rating(risk)
            if rating:
                spans.append(Span(f" ({rating})"))
            if risk.mitigation:
                spans += [Span(line_break=True), Span(self.text(self.L.mitigation) + ":", italic=True), Span(" ")]
                spans += inline_spans(risk.mitigation)
            yield Para("List Bullet", tuple(spans))

    def section_recommendations(self, recommendations: tuple[Any, ...]) -> Iterator[Block]:
        number = self.new_list()
        for rec in recommendations:
            yield self.recommendation(rec, number)

    def recommendation(self, rec: Recommendation, number: int) -> Para:
        spans: list[Span] = list(styled(inline_spans(rec.action), bold=True))
        if rec.rationale:
            spans += [Span(" "), *inline_spans(rec.rationale)]
        if rec.owner or rec.horizon:
            spans.append(Span(f" ({self.owner_and_horizon(rec)})", italic=True))
        return Para("List Number", tuple(spans), numbering=number)

    def action_list(self) -> Iterator[Block]:
        if not self.view.action_list:
            return
        yield Para("Heading 1", (Span(self.text(self.L.recommendations)),), bookmark="actions")
        number = self.new_list()
        for _theme, rec in self.view.action_list:
            yield self.recommendation(rec, number)

    def source_line(self, source: Source) -> list[Span]:
        spans = [Span(self.text(source.publisher) + (f" ({self.text(source.author)})" if source.author else "")
                      + ", "), Span(self.text(source.title), italic=True)]
        if source.date:
            spans.append(Span(("," if source.title[-1] not in ".?!" else "") + " " + self.date(source.date)))
        spans.append(Span("."))
        url = safe_link(source.url or "")
        if url:
            spans += [Span(" "), Span(url, link=url, style="Hyperlink")]
        return spans

    def sources(self) -> Iterator[Block]:
        view, L = self.view, self.L
        if not view.citations:
            return
        yield Para("Heading 1", (Span(self.text(L.sources)),), bookmark="sources")
        for citation in view.citations:
            spans = [Span(f"[{citation.number}]"), Span(tab=True), *self.source_line(citation.source)]
            if citation.in_figures or citation.themes:
                spans += [Span(line_break=True), Span(self.text(L.cited_in), italic=True)]
                if citation.in_figures:
                    spans += [Span(" "), Span(self.text(L.figures).lower(), anchor="figures", italic=True)]
                    spans += [Span(";", italic=True)] if citation.themes else []
                for index, theme in enumerate(citation.themes):
                    spans += [Span(" "), Span(f"§{theme.number}", anchor=theme_anchor(theme), italic=True)]
                    spans += [Span(",", italic=True)] if index < len(citation.themes) - 1 else []
            yield Para("Bibliography", tuple(spans), bookmark=source_anchor(citation.number))

    def evidence_appendix(self) -> Iterator[Block]:
        view, L = self.view, self.L
        if "evidence" not in view.profile.appendix or not view.evidence_items:
            return
        yield Para("Heading 1", (Span(self.text(L.evidence_appendix)),), bookmark="evidence")
        yield Para("Normal", (Span(self.text(L.evidence_intro)),))
        number = self.new_list()
        for _theme, section, item, evidence in view.evidence_items:
            if section == "facts":
                claim = (Span(self.figure(item.figure), bold=True), Span(" "), *inline_spans(item.statement))
            else:
                claim = (Span(L.quote_open), *inline_spans(item.text), Span(L.quote_close),
                         Span(" — " + self.text(item.speaker)))
            yield Para("List Number", claim, numbering=number, keep_next=True)
            yield Para("Quote", tuple(Span(part, bold=marked) for part, marked in evidence.segments), keep_next=True)
            yield Para("Caption", (Span(self.text(L.paragraph.format(n=evidence.paragraph)) + " "),
                                   *self.cite(item.source)))
