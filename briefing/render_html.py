"""Stage 4: render a brief view to an HTML page (for the site, or for the PDF engine).

The same template serves both: ``target`` is ``"html"`` for the web page and
``"pdf"`` for the print document, which adds the cover and the contents and
takes the paged-media stylesheet.  Stylesheets are templates too, so a
project overrides them like any other template; ``css/brand.css`` turns the
audience's brand into the CSS custom properties both formats read.
"""

from __future__ import annotations

import base64
import mimetypes
from pathlib import Path

import jinja2
from markupsafe import Markup

from .brand import Brand, project_font_faces
from .select import BriefView
from .templating import BUILTIN_DIR, render_template

FONTS_DIR = BUILTIN_DIR / "fonts"
SCREEN_CSS = "css/brief.css"
BASE_CSS = "css/base.css"
FONTS_CSS = "css/fonts.css"
BRAND_CSS = "css/brand.css"
PRINT_CSS = "css/pdf.css"
ASSETS_DIR = "assets"


class AssetLinks:
    """Where an output finds the built-in fonts and the project's files (logo, brand fonts).

    ``web``: files copied beside the site (``assets/fonts/``, ``assets/files/``),
    linked relative to the document (``prefix``); ``pdf``: ``file:`` URLs the
    restricted fetcher allows; ``inline``: ``data:`` URIs for single-file pages.
    """

    def __init__(self, mode: str, root: Path, prefix: str = ""):
        self.mode, self.root, self.prefix = mode, root.resolve(), prefix

    def font(self, name: str) -> str:
        path = FONTS_DIR / name
        if self.mode == "web":
            return f"{self.prefix}fonts/{name}"
        return path.as_uri() if self.mode == "pdf" else _data_uri(path)

    def file(self, path: Path) -> str:
        path = path.resolve()
        if self.mode == "web":
            return f"{self.prefix}files/{site_path(path, self.root)}"
        return path.as_uri() if self.mode == "pdf" else _data_uri(path)


def site_path(path: Path, root: Path) -> str:
    """Where a project file is published under ``assets/files/``."""
    return path.resolve().relative_to(root.resolve()).as_posix()


def _data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or {
        ".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf"}.get(
        path.suffix, "application/octet-stream")
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def render_css(env: jinja2.Environment, name: str, assets: AssetLinks, *, view: BriefView | None = None,
               brand: Brand | None = None) -> str:
    """Render a stylesheet template (stylesheets are templates, overridable like the others)."""
    brand = brand or (view.brand if view is not None else Brand())
    return render_template(env, name, {
        "brief": view, "brand": brand, "font_url": assets.font,
        "font_faces": [{**face, "url": assets.file(face["path"])}
                       for face in project_font_faces(brand, assets.root)],
    })


def render_html(view: BriefView, env: jinja2.Environment, assets: AssetLinks, *, target: str = "html",
                stylesheet_href: str | None = None, inline_css: str | None = None,
                index_href: str | None = None) -> str:
    """An HTML page for ``view``; link ``stylesheet_href`` and/or inline ``inline_css``."""
    logo = view.brand.logo
    context = {
        "brief": view,
        "target": target,
        "stylesheet_href": stylesheet_href,
        "inline_css": Markup(inline_css) if inline_css is not None else None,
        "index_href": index_href,
        "logo_url": assets.file(assets.root / logo) if logo else None,
    }
    return render_template(env, "brief.html.j2", context)
