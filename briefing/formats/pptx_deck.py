"""The deck's slides, in order, for one audience's view (the words of each item are ``pptx_content``'s).

* The bottom line, the key takeaways, and the figures table when the view has figures.
* For each theme read beyond its takeaway: its lead slide (``Writer.lead``), its charts' slides, then one
  slide titled with the theme's title that holds its quotes ('In their words') and implications as two
  text blocks, side by side when they fit, else stacked and continued.  A section is never a slide of its
  own.
* One risks table for the whole brief (theme, risk, likelihood, impact, mitigation), and one decisions
  table (theme, decision with its rationale, owner, horizon) holding every recommendation shown in a theme
  and the closing action list (the recommendations of themes not read in full), each once.  The first
  column names the theme; when the table with mitigations or rationales would take more slides than
  without them, the layout shows the shorter one and the speaker notes keep what it leaves out.
* The numbered sources.

Each risk and recommendation is a paragraph of its own cell, so the parity check finds every one apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..labels import format_date
from .pptx_content import (
    Column,
    Cover,
    Deck,
    Item,
    Look,
    Slide,
    Table,
    Writer,
    inline_runs,
    markdown_runs,
    plain,
    words,
)
from .pptx_fit import GENERIC, Run

if TYPE_CHECKING:
    from ..models import Recommendation, Risk
    from ..select import BriefView, ThemeView
    from .pptx_charts import ChartSlides

BESIDE = ("quotes", "implications")  # the sections of the slide after a theme's lead slide and charts
Cells = tuple[tuple[Item, ...], ...]


class DeckWriter(Writer):
    """Puts the slides of one view in order."""

    def block(self, section: str, items: list[Item]) -> tuple[Item, ...]:
        """A labelled text block; the label stays on the slide of the block's first item."""
        return (Item((Run(self.L[section]),), "label"), replace(items[0], keep=True), *items[1:])

    def beside(self, theme: ThemeView) -> Slide | None:
        """The theme's quotes and implications on one slide titled with the theme's title."""
        shown = [section for section in theme.sections if section in BESIDE and theme.items(section)]
        if not shown:
            return None
        blocks = []
        for section in shown:
            chosen = theme.items(section)
            if section == "quotes":
                blocks.append(self.block(section, [item for quote in chosen for item in self.quote(quote)]))
            else:
                blocks.append(self.block(section, [Item(inline_runs(item)) for item in chosen]))
        notes = self.notes(theme, "quotes", theme.items("quotes"), False) if "quotes" in shown else ""
        return Slide(f"theme-{theme.number}-" + "-".join(shown), f"{theme.number} · "
                     + " · ".join(self.L[section] for section in shown), words(theme.title),
                     tuple(item for block in blocks for item in block), notes=notes,
                     columns=tuple(blocks) if len(blocks) > 1 else (), join=f"theme-{theme.number}")

    def theme_slides(self, theme: ThemeView) -> list[Slide]:
        slides = [self.lead(theme)]
        if "charts" in theme.sections and self.charts is not None:  # a slide per chart, as a picture
            slides.extend(self.charts(theme, chart, self.kicker(theme)) for chart in theme.items("charts"))
        beside = self.beside(theme)
        return slides + ([beside] if beside is not None else [])

    # -- the brief's risks and decisions ------------------------------------------------------------------

    def theme_cell(self, theme: ThemeView) -> tuple[Item, ...]:
        return (Item((Run(f"{theme.number} · ", bold=True), Run(words(theme.title))), "note"),)

    def risk_row(self, theme: ThemeView, risk: Risk, mitigation: bool) -> Cells:
        def rating(kind: str, level: str | None) -> tuple[Item, ...]:
            return (Item((Run(self.L[f"{kind}_{level}_short"]),), "cell"),) if level else ()
        row = [self.theme_cell(theme), (Item(inline_runs(risk.risk), "cell"),), rating("likelihood", risk.likelihood),
               rating("impact", risk.impact)]
        if mitigation:
            row.append((Item(inline_runs(risk.mitigation), "cell"),) if risk.mitigation else ())
        return tuple(row)

    def risks(self) -> Slide | None:
        rows = [(theme, risk) for theme in self.view.body_themes if "risks" in theme.sections
                for risk in theme.items("risks")]
        if not rows:
            return None
        title, kicker, groups = self.L.risks, words(self.view.title), tuple(theme.number for theme, _ in rows)

        def table(mitigation: bool) -> Table:
            columns = [Column("", 0.15), Column(self.L.risk, 0.33 if mitigation else 0.61),
                       Column(self.L.likelihood, 0.12, "ctr"), Column(self.L.impact, 0.12, "ctr")]
            columns += [Column(self.L.mitigation, 0.28)] if mitigation else []
            return Table(tuple(columns), tuple(self.risk_row(theme, risk, mitigation) for theme, risk in rows),
                         groups)
        notes = "\n\n".join(f"{theme.number}. {plain(risk.risk)} — {self.L.mitigation}: {plain(risk.mitigation)}"
                            for theme, risk in rows if risk.mitigation)
        return _table_slide("risks", kicker, title, table, notes)

    def decision_row(self, theme: ThemeView, rec: Recommendation, rationale: bool) -> Cells:
        what = [Item(inline_runs(rec.action), "strong")]
        if rationale and rec.rationale:
            what.append(Item(inline_runs(rec.rationale), "note"))
        when = self.L["horizon_" + rec.horizon.replace("-", "_")] if rec.horizon else ""
        return (self.theme_cell(theme), tuple(what), (Item((Run(words(rec.owner)),), "cell"),) if rec.owner else (),
                (Item((Run(when),), "cell"),) if when else ())

    def decisions(self) -> Slide | None:
        """Every recommendation the view shows, in its theme's place: those of themes read in full where
        the audience reads them, and the closing action list's, each once."""
        closing: dict[int, list[Recommendation]] = {}
        for theme, rec in self.view.action_list:
            closing.setdefault(theme.number, []).append(rec)
        rows: list[tuple[ThemeView, Recommendation]] = []
        seen: set[int] = set()
        for theme in self.view.themes:
            shown = list(theme.items("recommendations")) if "recommendations" in theme.sections else []
            for rec in shown + closing.get(theme.number, []):
                if id(rec) not in seen:
                    seen.add(id(rec))
                    rows.append((theme, rec))
        if not rows:
            return None
        title, kicker, groups = self.L.recommendations, words(self.view.title), tuple(theme.number for theme, _ in rows)
        columns = (Column("", 0.16), Column(self.L.decision, 0.55), Column(self.L.owner, 0.17),
                   Column(self.L.horizon, 0.12))

        def table(rationale: bool) -> Table:
            return Table(columns, tuple(self.decision_row(theme, rec, rationale) for theme, rec in rows), groups)
        notes = "\n\n".join(f"{theme.number}. {plain(rec.action)} — {plain(rec.rationale)}"
                            for theme, rec in rows if rec.rationale)
        return _table_slide("decisions", kicker, title, table, notes)

    # -- the deck -------------------------------------------------------------------------------------------

    def figures(self) -> Slide:
        view, L = self.view, self.L
        columns = (Column(L.figure, 0.2, "r"), Column(L.what, 0.5), Column(L.basis, 0.22),
                   Column(L.source, 0.08, "ctr"))
        rows = []
        for fact in view.figures:
            if fact.figure is None:
                continue
            what = (Run(words(fact.figure.label)),) if fact.figure.label else inline_runs(fact.statement)
            cited = view.cite(fact.source)
            rows.append(((Item((Run(self.figure(fact.figure), bold=True),), "cell"),), (Item(what, "cell"),),
                         (Item((Run(self.basis(fact.figure)),), "cell"),),
                         (Item((Run(f"[{cited}]"),), "cell"),) if cited else ()))
        return Slide("figures", words(view.title), L.figures, table=Table(columns, tuple(rows)))

    def deck(self) -> Deck:
        view, L = self.view, self.L
        title = words(view.title)
        slides: list[Slide | None] = [Slide("bottom-line", title, L.bottom_line,
                                            tuple(Item(runs, "lead") for runs in markdown_runs(view.summary)))]
        if view.themes:
            slides.append(Slide("takeaways", title, L.takeaways, tuple(
                Item((Run(f"{index}. "), Run(words(theme.title) + ". ", bold=True)) + inline_runs(theme.takeaway),
                     "number") for index, theme in enumerate(view.themes, start=1))))
        if view.figures:
            slides.append(self.figures())
        for theme in view.body_themes:
            slides.extend(self.theme_slides(theme))
        slides += [self.risks(), self.decisions()]
        if view.citations:
            slides.append(Slide("sources", title, L.sources, tuple(
                self.source_item(citation.number, citation.source) for citation in view.citations)))
        byline = ", ".join(words(part) for part in (view.author, view.organisation) if part)
        cover = Cover(f"{L.audience} {words(view.audience.name)}", title, words(view.subtitle),
                      format_date(view.date, self.language, L.date_format), byline, words(view.classification),
                      words(view.organisation) or L.logo)
        footer = title + (f" · {words(view.classification)}" if view.classification else "")
        return Deck(cover, tuple(slide for slide in slides if slide is not None), footer, look(view), L.continued)


def look(view: BriefView) -> Look:
    colours, fonts = view.brand.colours, view.brand.fonts
    return Look(colours.primary, colours.accent, colours.ink, colours.muted, colours.soft, colours.rule,
                colours.marking, GENERIC.get(fonts.heading.family, fonts.heading.family),
                GENERIC.get(fonts.body.family, fonts.body.family), view.language)


def build_deck(view: BriefView, charts: ChartSlides | None = None) -> Deck:
    """The deck's content for one view; ``charts`` makes a chart's slide (without it, charts are left out)."""
    return DeckWriter(view, charts).deck()



def _table_slide(name: str, kicker: str, title: str, table: Callable[[bool], Table], detail: str) -> Slide:
    """A table slide with its detail column (mitigations, rationales) and, when there is detail, a compact
    version without that column, the detail in its notes: the layout keeps the compact one when the full
    table would need more slides."""
    if not detail:
        return Slide(name, kicker, title, table=table(False))
    return Slide(name, kicker, title, table=table(True),
                 compact=Slide(name, kicker, title, table=table(False), notes=detail))
