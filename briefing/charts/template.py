"""What templates use to show charts: the drawing, a value as the audience reads it, the Markdown file name.

The build gives each audience's template environment a ``ChartRenderer`` (its brand, labels and
language) as the global ``chart_renderer``; an environment without one (a template rendered on its
own) draws in the default brand.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup

from ..brand import Brand
from ..labels import Labels
from ..models import Chart, ChartPoint
from .render import ChartRenderer
from .spec import point_text

CHART_FOLDER = "{brief}-charts"  # beside a brief's Markdown file: one SVG per chart


def renderer(env: jinja2.Environment) -> ChartRenderer:
    found = env.globals.get("chart_renderer")
    if isinstance(found, ChartRenderer):
        return found
    labels = env.globals.get("L")
    made = ChartRenderer(Brand(), labels if isinstance(labels, Labels) else Labels(),
                         str(env.globals.get("language", "en")))
    env.globals["chart_renderer"] = made
    return made


@jinja2.pass_environment
def chart_svg(env: jinja2.Environment, chart: Chart, variant: str = "light") -> Markup:
    """The chart as inline SVG: safe to insert (``charts.svg.clean_svg`` keeps only drawing elements)."""
    known = ("light", "dark", "light-narrow", "dark-narrow")
    return Markup(renderer(env).svg(chart, variant if variant in known else "light"))


@jinja2.pass_environment
def chart_value(env: jinja2.Environment, point: ChartPoint, chart: Chart) -> str:
    labels = env.globals.get("L")
    return point_text(chart, point, labels if isinstance(labels, Labels) else Labels(),
                      str(env.globals.get("language", "en")))


def chart_file(brief_id: str, chart_id: str) -> str:
    """Where a brief's Markdown finds a chart's drawing, relative to the Markdown file."""
    return f"{CHART_FOLDER.format(brief=brief_id)}/{chart_id}.svg"


def chart_sources(chart: Chart) -> list[str]:
    """The sources a chart's values cite, in order, once each."""
    return list(dict.fromkeys(point.source for point in chart.points if point.source))


FILTERS: dict[str, Any] = {"chart_svg": chart_svg, "chart_value": chart_value}
GLOBALS: dict[str, Any] = {"chart_file": chart_file, "chart_sources": chart_sources}
