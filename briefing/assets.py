"""Where outputs find their stylesheets, fonts and project files, and the stylesheets themselves.

Stylesheets are templates, so a project overrides them like any other
template; ``css/brand.css`` turns the audience's brand into the CSS custom
properties that the web page and the PDF both read.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2

from .brand import Brand, project_font_faces
from .settings import BUILTIN_FONTS
from .templating import render_template

if TYPE_CHECKING:
    from .project import Project
    from .select import BriefView

SCREEN_CSS = "css/brief.css"
BASE_CSS = "css/base.css"
FONTS_CSS = "css/fonts.css"
BRAND_CSS = "css/brand.css"
PRINT_CSS = "css/pdf.css"
FONT_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf"}


class AssetLinks:
    """Where an output finds the built-in fonts and the project's files (logo, brand fonts).

    ``web``: files copied beside the site (``assets/fonts/``, ``assets/files/``),
    linked relative to the document (``prefix``); ``pdf``: ``file:`` URLs the
    restricted fetcher allows; ``inline``: ``data:`` URIs for single-file pages.
    """

    def __init__(self, mode: str, root: Path, prefix: str = ""):
        self.mode, self.root, self.prefix = mode, root.resolve(), prefix

    def font(self, name: str) -> str:
        path = BUILTIN_FONTS / name
        if self.mode == "web":
            return f"{self.prefix}fonts/{name}"
        return path.as_uri() if self.mode == "pdf" else data_uri(path)

    def file(self, path: Path) -> str:
        path = path.resolve()
        if self.mode == "web":
            return f"{self.prefix}files/{site_path(path, self.root)}"
        return path.as_uri() if self.mode == "pdf" else data_uri(path)


def site_path(path: Path, root: Path) -> str:
    """Where a project file is published under ``assets/files/``."""
    return path.resolve().relative_to(root.resolve()).as_posix()


def data_uri(path: Path) -> str:
    kind = mimetypes.guess_type(path.name)[0] or FONT_TYPES.get(path.suffix, "application/octet-stream")
    return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def render_css(env: jinja2.Environment, name: str, assets: AssetLinks, *, view: BriefView | None = None,
               brand: Brand | None = None) -> str:
    """Render a stylesheet template (stylesheets are templates, overridable like the others)."""
    brand = brand or (view.brand if view is not None else Brand())
    return render_template(env, name, {
        "brief": view, "brand": brand, "font_url": assets.font, "screen": assets.mode != "pdf",
        "font_faces": [{**face, "url": assets.file(face["path"])}
                       for face in project_font_faces(brand, assets.root)],
    })


def favicon_svg(project: Project) -> str:
    """A favicon in the brand's primary colour with the project's initial, so tabs are recognisable."""
    colours = project.brand.colours
    initial = html.escape((project.config.organisation or project.config.title).strip()[:1].upper())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
            f'<rect width="64" height="64" rx="12" fill="{colours.primary}"/>'
            f'<text x="32" y="44" font-family="Georgia, serif" font-size="38" font-weight="700" '
            f'text-anchor="middle" fill="#ffffff">{initial}</text></svg>\n')
