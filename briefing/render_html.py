"""Stage 4: render a brief view to an HTML page (for the site, or for the PDF engine).

The same template serves both: ``target`` is ``"html"`` for the web page and
``"pdf"`` for the print document, which adds the cover and the contents and
takes the paged-media stylesheet.  Stylesheets are templates too, so a
project overrides them like any other template; ``css/brand.css`` turns the
audience's brand into the CSS custom properties both formats read.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from .brand import Brand, project_font_faces
from .render_pdf import PdfJob
from .select import BriefView
from .templating import BUILTIN_DIR, render_template

if TYPE_CHECKING:
    from .load import Project

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
        "brief": view, "brand": brand, "font_url": assets.font, "screen": assets.mode != "pdf",
        "font_faces": [{**face, "url": assets.file(face["path"])}
                       for face in project_font_faces(brand, assets.root)],
    })


@dataclass(frozen=True)
class PageLinks:
    """A web page's links to the rest of the site: other versions, downloads, its public address."""

    versions: tuple[tuple[str, str, bool], ...] = ()  # (audience name, href, is this page)
    downloads: tuple[tuple[str, str], ...] = ()  # (label, href)
    favicon: str | None = None
    canonical: str | None = None  # absolute URL, only when the site's base URL is known
    site_name: str | None = None


def render_html(view: BriefView, env: jinja2.Environment, assets: AssetLinks, *, target: str = "html",
                stylesheet_href: str | None = None, inline_css: str | None = None,
                index_href: str | None = None, page: PageLinks | None = None) -> str:
    """An HTML page for ``view``; link ``stylesheet_href`` and/or inline ``inline_css``."""
    logo = view.brand.logo
    context = {
        "brief": view,
        "target": target,
        "stylesheet_href": stylesheet_href,
        "inline_css": Markup(inline_css) if inline_css is not None else None,
        "index_href": index_href,
        "page": page,
        "logo_url": assets.file(assets.root / logo) if logo else None,
    }
    return render_template(env, "brief.html.j2", context)


@dataclass(frozen=True)
class SiteOptions:
    """What a published site adds to a build: its public address, single-file pages, a sources page."""

    base_url: str | None = None
    published: bool = False  # set by publish: pages link to the single-file versions and sources.html

    def url(self, path: str) -> str | None:
        return f"{self.base_url.rstrip('/')}/{path}" if self.base_url else None


STANDALONE_SUFFIX = ".standalone.html"


def page_links(project: Project, view: BriefView, audiences: list[str], formats: list[str],
               site: SiteOptions, standalone: bool) -> PageLinks:
    """Links from one brief's web page to its other versions, its downloads and its public address."""
    brief = view.id
    downloads = [(label, f"{brief}.{ext}") for label, ext in (("PDF", "pdf"), ("Markdown", "md")) if ext in formats]
    if site.published:
        downloads.append(("Single-file HTML", f"{brief}{STANDALONE_SUFFIX}"))
    return PageLinks(
        versions=tuple((project.audiences[a].name, f"../{a}/{brief}.html", a == view.audience.id)
                       for a in audiences),
        downloads=tuple(downloads),
        favicon=None if standalone else f"../{ASSETS_DIR}/favicon.svg",
        canonical=site.url(f"{view.audience.id}/{brief}.html"),
        site_name=project.config.title,
    )


def web_page(project: Project, env: jinja2.Environment, view: BriefView, *, standalone: bool,
             page: PageLinks | None = None) -> str:
    """A brief's web page: linked to the site's shared stylesheet, or standalone with everything inlined."""
    if standalone:
        assets = AssetLinks("inline", project.root)
        css = "\n".join(render_css(env, name, assets, view=view) for name in (SCREEN_CSS, BRAND_CSS))
        return render_html(view, env, assets, inline_css=css, page=page)
    # The shared stylesheet is one file for the site; the brand, which an audience may
    # override, is a few custom properties inlined in each page.
    assets = AssetLinks("web", project.root, prefix=f"../{ASSETS_DIR}/")
    return render_html(view, env, assets, stylesheet_href=f"../{ASSETS_DIR}/brief.css",
                       inline_css=render_css(env, BRAND_CSS, assets, view=view), index_href="../index.html",
                       page=page)


def favicon_svg(project: Project) -> str:
    """A favicon in the brand's primary colour with the project's initial, so tabs are recognisable."""
    colours = project.brand.colours
    initial = html.escape((project.config.organisation or project.config.title).strip()[:1].upper())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
            f'<rect width="64" height="64" rx="12" fill="{colours.primary}"/>'
            f'<text x="32" y="44" font-family="Georgia, serif" font-size="38" font-weight="700" '
            f'text-anchor="middle" fill="#ffffff">{initial}</text></svg>\n')


def print_job(project: Project, env: jinja2.Environment, view: BriefView) -> PdfJob:
    """The print document for the PDF engine: the base and paged-media stylesheets, never the screen ones."""
    assets = AssetLinks("pdf", project.root)
    css = "\n".join(render_css(env, name, assets, view=view) for name in (FONTS_CSS, BRAND_CSS, BASE_CSS, PRINT_CSS))
    settings = project.config.pdf
    return PdfJob(html=render_html(view, env, assets, target="pdf", inline_css=css), base_url=project.root,
                  allowed_roots=(project.root.resolve(), BUILTIN_DIR),
                  pdf_variant=settings.variant,
                  pdf_tags=settings.tagged or (settings.variant or "").startswith("pdf/ua"))
