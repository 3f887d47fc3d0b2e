"""Stage 3: render a brief view to GitHub-flavoured Markdown.

The template decides the wording and structure; this stage only tidies the
text so it reads well as plain text: no trailing spaces, no runs of blank
lines, one final newline.
"""

from __future__ import annotations

import re

import jinja2

from .select import BriefView
from .templating import render_template

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


def render_markdown(view: BriefView, env: jinja2.Environment) -> str:
    return tidy_markdown(render_template(env, TEMPLATE, {"brief": view, "target": "md"}))
