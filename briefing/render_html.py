"""Stage 4: render a brief view to an HTML page (for the site, or for the PDF engine).

The same template serves both: ``target`` is ``"html"`` for the web page and
``"pdf"`` for the print document, which adds the cover and the contents and
takes the paged-media stylesheet.  Stylesheets are templates too, so a
project overrides them like any other template.
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from .select import BriefView
from .templating import render_template

TEMPLATE = "brief.html.j2"
SCREEN_CSS = "css/brief.css"
BASE_CSS = "css/base.css"
PRINT_CSS = "css/pdf.css"


def render_css(env: jinja2.Environment, name: str, view: BriefView | None = None) -> str:
    return render_template(env, name, {"brief": view})


def render_html(view: BriefView, env: jinja2.Environment, *, target: str = "html",
                stylesheet_href: str | None = None, inline_css: str | None = None,
                index_href: str | None = None) -> str:
    """An HTML page for ``view``; link ``stylesheet_href`` or inline ``inline_css``."""
    context = {
        "brief": view,
        "target": target,
        "stylesheet_href": stylesheet_href,
        "inline_css": Markup(inline_css) if inline_css is not None else None,
        "index_href": index_href,
    }
    return render_template(env, TEMPLATE, context)
