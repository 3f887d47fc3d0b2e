"""Charts of a theme's numbers: Vega-Lite specifications in the brand's style, rendered by vl-convert.

``spec`` builds the specification, ``render`` turns it into SVG (web page, PDF, Markdown) or PNG (Word,
PowerPoint) through a cache, and ``svg`` makes the SVG safe and accessible for a page. Every plotted
value rests on a source: the fidelity checks read chart points like the figures of facts
(``fidelity.charts``).
"""

from __future__ import annotations

from .render import ChartRenderer
from .spec import ChartStyle, point_text, vega_lite

__all__ = ["ChartRenderer", "ChartStyle", "point_text", "vega_lite"]
