"""Stage 4: render a brief view to an HTML page (for the site, or for the PDF engine).

The same template serves both: ``target`` is ``"html"`` for the web page and
``"pdf"`` for the print document, which adds the cover and the contents and
takes the paged-media stylesheet.  Stylesheets are templates too, so a
project overrides them like any other template.
"""

from __future__ import annotations

import base64
from collections.abc import Callable

import jinja2
from markupsafe import Markup

from .select import BriefView
from .templating import BUILTIN_DIR, render_template

FONTS_DIR = BUILTIN_DIR / "fonts"

TEMPLATE = "brief.html.j2"
SCREEN_CSS = "css/brief.css"
BASE_CSS = "css/base.css"
FONTS_CSS = "css/fonts.css"
PRINT_CSS = "css/pdf.css"


def font_url_for(target: str) -> Callable[[str], str]:
    """Where stylesheets find the built-in font files, for each kind of output.

    The web page loads them from ``assets/fonts/`` beside its stylesheet; the PDF
    engine reads them from the installed package; a standalone page carries them
    as ``data:`` URIs so it needs nothing beside it.
    """
    if target == "web":
        return lambda name: f"fonts/{name}"
    if target == "pdf":
        return lambda name: (FONTS_DIR / name).as_uri()

    def inline(name: str) -> str:
        return "data:font/woff2;base64," + base64.b64encode((FONTS_DIR / name).read_bytes()).decode("ascii")

    return inline


def render_css(env: jinja2.Environment, name: str, *, view: BriefView | None = None,
               font_url: Callable[[str], str] | None = None) -> str:
    """Render a stylesheet template (stylesheets are templates, overridable like the others)."""
    return render_template(env, name, {"brief": view, "font_url": font_url or font_url_for("web")})


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
