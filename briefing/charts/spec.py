"""A chart as a Vega-Lite specification, in the brand's colours and fonts.

Vega-Lite (rendered by vl-convert) is declarative: a chart is data plus a description of marks, so the
same specification gives the SVG of the web page and the PDF and the PNG of Word and PowerPoint. Values
are labelled on the marks themselves, in the audience's words ("over 5×", "$8 billion", "30–40%"), so
the value axis is left out: a reader never reads a number off a scale, and the number shown is the
number the source gives. The chart's title and takeaway are written by the page around the chart, as
text, not inside the drawing.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

from ..brand import Brand
from ..filters import format_figure
from ..labels import Labels
from ..models import Chart, ChartPoint, Figure

WIDTH = 560  # the drawing's own width; pages scale it to their column
NARROW_WIDTH = 340  # a phone's column: drawn narrower so its labels keep their size instead of shrinking
BAR_STEP = 30  # height per bar of a bar or range chart
PLOT_HEIGHT = 220  # column and line charts
FONT_SIZE = 13
# Category labels wrap onto lines of about this many characters, by chart kind.
WRAP = {"bar": 28, "range": 28, "column": 16, "line": 12, "share": 60}


@dataclass(frozen=True)
class ChartStyle:
    """Colours and font a chart is drawn with: the brand's, on paper or on a dark screen."""

    font: str
    ink: str
    muted: str
    rule: str
    primary: str
    accent: str
    series: tuple[str, ...]  # colours of the parts of a share chart, in order
    background: str | None = None  # None: transparent, on the page's own ground
    width: int = WIDTH

    @classmethod
    def of(cls, brand: Brand, variant: str = "light") -> ChartStyle:
        """``light`` and ``dark`` draw on the page's ground (transparent); ``paper`` on white, for a file that
        is shown on its own (the Markdown's SVG, the PNG of Word and PowerPoint). A ``-narrow`` suffix
        ('light-narrow') draws for a phone's column."""
        variant, _, narrow = variant.partition("-")
        light = brand.colours
        colours = dict(light) if variant != "dark" else {**dict(light), **{k.replace("-", "_"): v for k, v in
                                                                        light.dark.items()}}
        series = (colours["primary"], colours["accent"], colours["muted"], colours["estimate"],
                  colours["reported"], colours["claim"])
        # Quoted: an unquoted family with a word that starts with a digit ("Source Sans 3") is not a valid
        # CSS font-family, and SVG renderers then fall back to no font at all.
        family = brand.fonts.body.family.replace("'", "")
        return cls(font=f"'{family}', 'DejaVu Sans', sans-serif", ink=colours["ink"], muted=colours["muted"],
                   rule=colours["rule"],
                   primary=colours["primary"], accent=colours["accent"], series=series,
                   background="#ffffff" if variant == "paper" else None,
                   width=NARROW_WIDTH if narrow == "narrow" else WIDTH)


def point_text(chart: Chart, point: ChartPoint, labels: Labels, language: str) -> str:
    """A value as the audience reads it, with the chart's unit and currency and the point's hedge."""
    figure = Figure(value=point.value, upper=point.upper, unit=chart.unit, currency=chart.currency,
                    qualifier=point.qualifier)
    hedge = labels.qualifier(point.qualifier) if point.qualifier else None
    return format_figure(figure, language, hedge, labels)


def _rows(chart: Chart, labels: Labels, language: str, width: int) -> list[dict[str, Any]]:
    wrap = max(8, round(WRAP[chart.kind] * (0.6 if width < WIDTH else 1)))
    rows = []
    for order, point in enumerate(chart.points):
        text = point_text(chart, point, labels, language)
        rows.append({"order": order, "label": point.label, "value": point.value,
                     "wrapped": "\n".join(textwrap.wrap(point.label, wrap, break_long_words=False)),
                     "upper": point.upper if point.upper is not None else point.value, "text": text, "zero": 0,
                     "legend": f"{point.label}: {text}",
                     "highlight": chart.highlight is not None and point.label == chart.highlight})
    return rows


def _colour(chart: Chart, style: ChartStyle) -> dict[str, Any]:
    if chart.highlight is None:
        return {"value": style.primary}
    return {"condition": {"test": "datum.highlight", "value": style.accent}, "value": style.primary}


def _category_axis(style: ChartStyle) -> dict[str, Any]:
    # Labels arrive wrapped ("wrapped": lines joined by a newline): split them into the lines of the label.
    return {"title": None, "domain": False, "ticks": False, "labelColor": style.ink, "labelFontSize": FONT_SIZE,
            "labelLimit": 400, "labelPadding": 8, "labelExpr": "split(datum.label, '\\n')", "labelLineHeight": 15}


def _bars(chart: Chart, style: ChartStyle, rows: list[dict[str, Any]]) -> dict[str, Any]:
    count = len(rows)
    lowest = min(0.0, *(row["value"] for row in rows))
    highest = max(0.0, *(row["upper"] for row in rows))
    # Room after the longest bar for its value label, inside the plot: a label outside it would make the
    # layout shrink the bars to fit (on a phone's narrow drawing, to slivers).
    room = 1.35 if style.width >= WIDTH else 1.6
    y = {"field": "wrapped", "type": "nominal", "sort": None, "axis": _category_axis(style)}
    x: dict[str, Any] = {"field": "value", "type": "quantitative", "axis": None,
                         "scale": {"domainMin": lowest, "domainMax": highest * room if highest > 0 else 1,
                                   "nice": False, "zero": True}}
    bar: dict[str, Any] = {"mark": {"type": "bar", "cornerRadiusEnd": 2, "height": 18},
                           "encoding": {"y": y, "x": x, "color": _colour(chart, style)}}
    if chart.kind == "range":
        bar["encoding"]["x2"] = {"field": "upper"}
    text_x = {"field": "upper" if chart.kind == "range" else "value", "type": "quantitative"}
    label = {"mark": {"type": "text", "align": "left", "dx": 6, "fontSize": FONT_SIZE, "fontWeight": 600,
                      "color": style.ink},
             "encoding": {"y": y, "x": text_x, "text": {"field": "text"}}}
    layers = [bar, label]
    if chart.kind == "range":  # a faint track from zero, so where a range sits reads at a glance
        track = {"mark": {"type": "bar", "height": 18, "color": style.rule, "cornerRadiusEnd": 2},
                 "encoding": {"y": y, "x": {**x, "field": "zero"}, "x2": {"field": "upper"}}}
        layers = [track, *layers]
    return {"height": {"step": BAR_STEP * max(1, max(row["wrapped"].count("\n") + 1 for row in rows) * 0.75)}
            if count else 60, "layer": layers, "padding": {"left": 4, "right": 4, "top": 4, "bottom": 4}}


def _columns(chart: Chart, style: ChartStyle, rows: list[dict[str, Any]]) -> dict[str, Any]:
    x = {"field": "wrapped", "type": "nominal", "sort": None,
         "axis": {**_category_axis(style), "labelAngle": 0}}
    y = {"field": "value", "type": "quantitative", "axis": None}
    return {"height": PLOT_HEIGHT, "layer": [
        {"mark": {"type": "bar", "cornerRadiusEnd": 2, "width": {"band": 0.6}},
         "encoding": {"x": x, "y": y, "color": _colour(chart, style)}},
        {"mark": {"type": "text", "baseline": "bottom", "dy": -5, "fontSize": FONT_SIZE, "fontWeight": 600,
                  "color": style.ink},
         "encoding": {"x": x, "y": y, "text": {"field": "text"}}}]}


def _line(chart: Chart, style: ChartStyle, rows: list[dict[str, Any]]) -> dict[str, Any]:
    x = {"field": "wrapped", "type": "ordinal", "sort": None,
         "axis": {**_category_axis(style), "labelAngle": 0}}
    y = {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    return {"height": PLOT_HEIGHT, "layer": [
        {"mark": {"type": "line", "strokeWidth": 2.5, "color": style.primary}, "encoding": {"x": x, "y": y}},
        {"mark": {"type": "point", "filled": True, "size": 60, "opacity": 1},
         "encoding": {"x": x, "y": y, "color": _colour(chart, style)}},
        {"mark": {"type": "text", "baseline": "bottom", "dy": -9, "fontSize": FONT_SIZE, "fontWeight": 600,
                  "color": style.ink},
         "encoding": {"x": x, "y": y, "text": {"field": "text"}}}]}


def _share(chart: Chart, style: ChartStyle, rows: list[dict[str, Any]]) -> dict[str, Any]:
    legend = [row["legend"] for row in rows]
    colours = [style.series[i % len(style.series)] for i in range(len(rows))]
    return {"height": 26, "layer": [
        {"mark": {"type": "bar", "height": {"band": 1}},
         "encoding": {"x": {"field": "value", "type": "quantitative", "stack": "zero", "axis": None},
                      "order": {"field": "order"},
                      "color": {"field": "legend", "type": "nominal", "sort": legend,
                                "scale": {"domain": legend, "range": colours},
                                "legend": {"orient": "bottom", "direction": "horizontal", "title": None,
                                           "columns": 3, "columnPadding": 24, "offset": 10,
                                           "labelColor": style.ink, "labelFontSize": FONT_SIZE, "labelLimit": 480,
                                           "symbolType": "square", "symbolSize": 140}}}}]}


_LAYOUT = {"bar": _bars, "range": _bars, "column": _columns, "line": _line, "share": _share}


def vega_lite(chart: Chart, style: ChartStyle, labels: Labels, language: str) -> dict[str, Any]:
    """The Vega-Lite specification of ``chart``: deterministic, self-contained (data inline)."""
    rows = _rows(chart, labels, language, style.width)
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "width": style.width,
        # The drawing is as wide as asked whatever its labels: every chart scales alike on a page.
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": rows},
        "config": {"font": style.font, "background": style.background, "view": {"stroke": None},
                   "text": {"font": style.font}, "axis": {"labelFont": style.font},
                   "legend": {"labelFont": style.font}},
    }
    spec.update(_LAYOUT[chart.kind](chart, style, rows))
    return spec
