"""Markdown: the brief as GitHub-flavoured Markdown.

The template decides the wording and structure; this format only tidies the
text so it reads well as plain text: no trailing spaces, a blank line before
every heading, no runs of blank lines, one final newline.
"""

from __future__ import annotations

import re

from ..charts.template import chart_file, renderer
from ..parity import markdown_blocks
from ..registry import Format, Rendered, RenderRequest, register
from ..templating import render_template

TEMPLATE = "brief.md.j2"
_BLANK_RUNS = re.compile(r"\n{3,}")


def tidy_markdown(text: str) -> str:
    """Strip trailing spaces, give every heading a blank line before it, fold blank runs."""
    lines: list[str] = []
    in_fence = False
    for line in text.splitlines():
        line = line.rstrip()
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
        elif not in_fence and line.startswith("#") and lines and lines[-1]:
            lines.append("")
        lines.append(line)
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip() + "\n"


@register
class Markdown(Format):
    name = "md"
    suffix = ".md"
    markup = "markdown"

    def render(self, request: RenderRequest) -> Rendered:
        """The Markdown, and beside it an SVG file per chart it shows (drawn on white, to read anywhere)."""
        view = request.view
        text = render_template(request.env, TEMPLATE, {"brief": view, "target": "md"})
        charts = [chart for theme in view.body_themes if "charts" in theme.sections
                  for chart in theme.items("charts")]
        drawings = {}
        if charts:
            draw = renderer(request.env)
            drawings = {chart_file(view.id, chart.id): draw.svg(chart, "paper").encode("utf-8")
                        for chart in charts}
        return Rendered(tidy_markdown(text).encode("utf-8"), files=drawings)

    def blocks(self, data: bytes) -> list[str] | None:
        return markdown_blocks(data.decode("utf-8"))
