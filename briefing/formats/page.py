"""The brief's page template, shared by the web formats and the PDF's print document."""

from __future__ import annotations

from markupsafe import Markup

from ..assets import AssetLinks
from ..registry import RenderRequest
from ..templating import render_template

TEMPLATE = "brief.html.j2"

def render_page(request: RenderRequest, assets: AssetLinks, *, target: str, inline_css: str | None,
                stylesheet_href: str | None = None) -> str:
    """``brief.html.j2`` for one view: the web page (``target='html'``) or the PDF's print document."""
    view = request.view
    logo = view.brand.logo
    return render_template(request.env, TEMPLATE, {
        "brief": view,
        "target": target,
        "stylesheet_href": stylesheet_href,
        "inline_css": Markup(inline_css) if inline_css is not None else None,
        "page": request.links,
        "logo_url": assets.file(assets.root / logo) if logo else None,
    })
