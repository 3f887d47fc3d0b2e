"""A theme's charts in the deck: one slide per chart, after the theme's lead slide, where the audience reads it.

Why a slide of its own rather than a corner of the lead slide: the lead slide already holds the facts and
the key-figure callout, and a chart shrunk beside them would set its labels at 8 pt or less.  On its own
slide the headline is the chart's takeaway; under it the chart's title, the drawing (the PNG the charts
module renders on white at print resolution, its alternative text the takeaway), and the source line in
small text; the data, each value with its label and citation, is on the slide as text (a reader of the
file, a screen reader and the parity check find it there) and in the speaker notes with how each value is
sourced or derived.

The drawing's place is chosen by measuring, with the fit rules of the rest of the deck: beside a panel of
the data (charts about as tall as wide) or above it (wide, short charts: a share bar, a few bars), whichever
shows the drawing larger with every text fitting its box.  The PNG is measured from its header and kept at
its aspect ratio.

``chart_slide`` runs in the build's process (it renders the PNG through the audience's ``ChartRenderer``,
so the job carries bytes); ``lay_out_chart`` runs in an engine worker.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..charts import point_text
from ..charts.render import png_size
from ..charts.template import chart_sources
from . import pptx_base as base
from .pptx_content import Column, Item, Slide, Table, plain, words
from .pptx_fit import EMU_PER_PT, Para, Run, paras_height, shortened
from .pptx_tables import table_slides

if TYPE_CHECKING:
    from ..charts.render import ChartRenderer
    from ..models import Chart
    from ..select import BriefView, ThemeView
    from .pptx_slides import Layout

ChartSlides = Callable[["ThemeView", "Chart", str], Slide]  # (theme, chart, kicker) -> the chart's slide

INCH = 914400
RECTANGLE = 1  # MSO_SHAPE.RECTANGLE
INSETS = (round(0.05 * INCH), round(0.03 * INCH), round(0.05 * INCH), round(0.03 * INCH))
GAP = round(0.12 * INCH)  # between the chart's title, drawing, source line and (below) data
PANEL_GAP = round(0.35 * INCH)  # between the drawing and the data beside it
PAD = round(0.18 * INCH)  # inside the data panel
SIDE_SHARE = 0.3  # of the body's width: the data panel beside the drawing, at least
MIN_TEXT = round(3.5 * INCH)  # the title and source line are never narrower
MIN_PICTURE = round(0.6 * INCH)  # a drawing less tall than this is no arrangement
SCALES = (1.0, 0.9, 0.8)


@dataclass(frozen=True)
class ChartPanel:
    """What a chart's slide shows besides its headline: picklable, so a worker lays it out."""

    png: bytes
    size: tuple[int, int]  # the PNG's pixels: width, height
    title: str
    alt: str  # the drawing's alternative text: the takeaway
    data: tuple[Item, ...]  # 'The data', then a paragraph per value: label, value, citation
    sources: tuple[Run, ...]  # 'Source: <publisher> [n]', or none when every value is derived
    table: Table  # the data as a table, on slides of its own when it fits no panel beside the drawing
    table_title: str  # 'The data: <chart title>'


# -- the words (build process) ------------------------------------------------------------------------------


def _derived(view: BriefView, how: str) -> str:
    before, _, after = view.labels.derived.partition("{how}")
    return words(before) + plain(how) + words(after)


def _cite(view: BriefView, source: str | None) -> tuple[Run, ...]:
    number = view.cite(source)
    return (Run(f" [{number}]", colour="muted"),) if number else ()


def source_runs(view: BriefView, chart: Chart) -> tuple[Run, ...]:
    """The source line under the drawing: the sources cited (how a value is derived is said beside it, in
    the data); none when every value is derived."""
    before, _, after = view.labels.chart_sources.partition("{sources}")
    cited = [c for c in (view.citation(source) for source in chart_sources(chart)) if c is not None]
    if not cited:
        return ()
    runs = [Run(words(before))]
    for index, citation in enumerate(cited):
        runs += [Run(words(citation.source.publisher)), *_cite(view, citation.source.id)]
        runs += [Run(", ")] if index < len(cited) - 1 else []
    return tuple(run for run in (*runs, Run(words(after))) if run.text)


def chart_slide(view: BriefView, drawer: ChartRenderer, theme: ThemeView, chart: Chart, kicker: str) -> Slide:
    """A chart's slide: headline the takeaway; the drawing rendered now, in the build's process."""
    labels, language = view.labels, view.language
    png = drawer.png(chart)
    data = [Item((Run(words(labels.chart_data), bold=True),), "note")]
    notes = [words(chart.title)]
    rows = []
    for point in chart.points:
        value = point_text(chart, point, labels, language)
        data.append(Item((Run(words(point.label) + ": "), Run(value, bold=True), *_cite(view, point.source)),
                         "cell"))
        if point.derived:  # a paragraph of its own: it may name another value's label
            data.append(Item((Run(_derived(view, point.derived)),), "note", keep=True))
        number = view.cite(point.source)
        rows.append(((Item((Run(words(point.label)),), "cell"),), (Item((Run(value, bold=True),), "cell"),),
                     (Item((Run(_derived(view, point.derived)),), "note"),) if point.derived else
                     (Item((Run(f"[{number}]"),), "cell"),) if number else ()))
        citation = view.citation(point.source)
        basis = _derived(view, point.derived) if point.derived else (
            f"{words(citation.source.publisher)} [{citation.number}]" if citation is not None else "")
        notes.append(f"{words(point.label)}: {value}" + (f" ({basis})" if basis else ""))
    columns = (Column(labels.what, 0.5), Column(labels.figure, 0.2, "r"), Column(labels.source, 0.3))
    panel = ChartPanel(png, png_size(png), words(chart.title), plain(chart.takeaway), tuple(data),
                       source_runs(view, chart), Table(columns, tuple(rows)),
                       words(f"{labels.chart_data}: {chart.title}"))
    return Slide(f"theme-{theme.number}-chart-{chart.id}", kicker, plain(chart.takeaway), notes="\n".join(notes),
                 headline=True, chart=panel)


# -- the layout (engine worker) -----------------------------------------------------------------------------


def _pts(emu: float) -> float:
    return emu / EMU_PER_PT


@dataclass(frozen=True)
class _Plan:
    """One arrangement of a chart's slide: boxes in EMU, the paragraphs that fit them."""

    picture: tuple[int, int, int, int]
    title: tuple[int, int, int, int]
    source: tuple[int, int, int, int]
    panel: tuple[int, int, int, int]
    paras: tuple[list[Para], list[Para], list[Para]]  # title, source line, data

    @property
    def area(self) -> int:
        return self.picture[2] * self.picture[3]


def _box_height(paras: list[Para], width: int, layout: Layout) -> int:
    inner = _pts(width - INSETS[0] - INSETS[2])
    return round(paras_height(paras, inner, layout.book) * EMU_PER_PT) + INSETS[1] + INSETS[3] + 1


def _texts(layout: Layout, panel: ChartPanel, width: int) -> tuple[Para, Para, int, int]:
    """The chart's title and source line at ``width`` (each at most two lines), and their boxes' heights."""
    inner = _pts(width - INSETS[0] - INSETS[2])
    title = shortened(layout.text(panel.title, "body", 16, "ink", bold=True), inner, 2, layout.book)
    source = shortened(Para(panel.sources, layout.look.body, 12, colour="muted"), inner, 2, layout.book)
    source_h = _box_height([source], width, layout) if panel.sources else 0
    return title, source, _box_height([title], width, layout), source_h


def _data(layout: Layout, panel: ChartPanel, width: int, height: int,
          scales: tuple[float, ...] = SCALES) -> list[Para] | None:
    """The data's paragraphs at the largest size that fits a panel ``width`` x ``height``, else None."""
    inner_width, inner_height = _pts(width - 2 * PAD), _pts(height - 2 * PAD)
    for scale in scales:
        paras = [layout.para(item, scale) for item in panel.data]
        if paras_height(paras, inner_width, layout.book) <= inner_height:
            return paras
    return None


def _picture(panel: ChartPanel, width: float, height: float) -> tuple[int, int]:
    """The drawing's size fitting ``width`` x ``height`` EMU at its aspect ratio."""
    pixels_wide, pixels_high = panel.size
    scale = min(width / pixels_wide, height / pixels_high)
    return max(int(pixels_wide * scale), 1), max(int(pixels_high * scale), 1)


def _panel_height(paras: list[Para], width: int, layout: Layout) -> int:
    return round(paras_height(paras, _pts(width - 2 * PAD), layout.book) * EMU_PER_PT) + 2 * PAD + 1


def _beside(layout: Layout, panel: ChartPanel, body: tuple[int, int, int, int]) -> _Plan | None:
    """The drawing on the left, the data in a panel on its right."""
    x, top, width, height = body
    text_width = width - round(width * SIDE_SHARE) - PANEL_GAP
    for attempt in range(4):  # a drawing narrower than its column: the column narrows, the data widens
        title, source, title_h, source_h = _texts(layout, panel, text_width)
        wide, high = _picture(panel, text_width, height - title_h - source_h - 2 * GAP)
        if wide >= text_width - EMU_PER_PT or text_width <= MIN_TEXT or attempt == 3:
            break
        text_width = max(wide, MIN_TEXT)
    left = x + text_width + PANEL_GAP
    data = _data(layout, panel, x + width - left, height)
    if data is None or high < MIN_PICTURE:
        return None
    picture_top = top + title_h + GAP
    return _Plan((x, picture_top, wide, high), (x, top, text_width, title_h),
                 (x, picture_top + high + GAP, text_width, source_h),
                 (left, top, x + width - left, _panel_height(data, x + width - left, layout)),
                 ([title], [source], data))


def _above(layout: Layout, panel: ChartPanel, body: tuple[int, int, int, int], *,
           with_data: bool = True) -> _Plan | None:
    """The drawing across the slide, the data in a panel under its source line (or on slides of its own)."""
    x, top, width, height = body
    title, source, title_h, source_h = _texts(layout, panel, width)
    data = _data(layout, panel, width, height, SCALES[:1]) if with_data else []
    if data is None:
        return None
    data_h = _panel_height(data, width, layout) if data else -GAP
    wide, high = _picture(panel, width, height - title_h - source_h - data_h - 3 * GAP)
    if high < MIN_PICTURE and with_data:
        return None
    picture_top = top + title_h + GAP
    source_top = picture_top + high + GAP
    return _Plan((x, picture_top, wide, high), (x, top, width, title_h), (x, source_top, width, source_h),
                 (x, source_top + source_h + GAP, width, data_h), ([title], [source], data))


def lay_out_chart(layout: Layout, spec: Slide) -> None:
    """A chart's slide: the arrangement that shows the drawing largest with every text fitting.  Data too
    long for a panel (many values, long labels) follows on slides of its own, as a table that continues."""
    panel = spec.chart
    assert panel is not None
    slide, _ = layout.new_slide("title_only", spec, 0)
    body = layout.body_box(layout.heading(spec, 0))
    plans = [plan for plan in (_beside(layout, panel, body), _above(layout, panel, body)) if plan is not None]
    plan = max(plans, key=lambda found: found.area) if plans else _above(layout, panel, body, with_data=False)
    assert plan is not None
    title, source, data = plan.paras
    layout.textbox(slide, plan.title, title, insets=INSETS)
    picture = slide.shapes.add_picture(io.BytesIO(panel.png), *plan.picture)
    picture.name = "Chart"
    picture._element.nvPicPr.cNvPr.set("descr", panel.alt)
    if panel.sources:
        layout.textbox(slide, plan.source, source, insets=INSETS)
    if data:
        _data_panel(layout, slide, plan.panel, data)
    else:
        table_slides(layout, Slide(f"{spec.name}-data", spec.kicker, panel.table_title, table=panel.table))


def _data_panel(layout: Layout, slide: Any, box: tuple[int, int, int, int], paras: list[Para]) -> None:
    """The data on the key figure's ground, with its accent rule."""
    shape = slide.shapes.add_shape(RECTANGLE, *box)
    base.fill(shape, layout.look.soft)
    shape.name = "Chart data"
    layout.textbox(slide, box, paras, shape=shape, insets=(PAD, PAD, PAD, PAD))
    rule = slide.shapes.add_shape(RECTANGLE, box[0], box[1], round(0.07 * INCH), box[3])
    base.fill(rule, layout.look.accent)
