"""The site around the briefs: the index page, and the shared stylesheet, fonts, favicon and files.

``build`` writes these beside the briefs whenever it writes a web page;
``publish`` adds the pages only a published site has (sources, feed, sitemap).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from markupsafe import Markup

from .assets import (
    BRAND_CSS,
    SCREEN_CSS,
    AssetLinks,
    checked_file,
    favicon_svg,
    read_asset,
    render_css,
    site_path,
)
from .brand import brand_files
from .labels import Labels, resolve_labels
from .links import SiteOptions
from .settings import ASSETS_DIR, BUILTIN_FONTS
from .templating import make_environment, render_template

if TYPE_CHECKING:
    import jinja2

    from .project import Project
    from .registry import Format
    from .select import BriefView, Target


def site_labels(project: Project) -> Labels:
    """The project's wording, for pages that belong to no one audience."""
    return resolve_labels(project.config.language, project.config.labels)


def site_environment(project: Project, *, sandboxed: bool = False) -> jinja2.Environment:
    return make_environment(project.templates_dir, None, language=project.config.language,
                            labels=site_labels(project), sandboxed=sandboxed)


def site_files(project: Project, views: dict[tuple[str, str], BriefView], targets: Sequence[Target],
               formats: Sequence[Format], *, site: SiteOptions,
               sandboxed: bool = False) -> dict[str, tuple[bytes, str]]:
    """The index page and shared assets, as {path inside the output folder: (bytes, kind)}."""
    pages = [fmt for fmt in formats if fmt.web_page]
    if not pages or not targets:
        return {}
    env = site_environment(project, sandboxed=sandboxed)
    files: dict[str, tuple[bytes, str]] = {}
    shared = any(fmt.shared_assets for fmt in pages)
    if shared:
        assets = AssetLinks("web", project.root)
        files[f"{ASSETS_DIR}/brief.css"] = (render_css(env, SCREEN_CSS, assets).encode(), "css")
        for font in sorted(BUILTIN_FONTS.glob("*.woff2")):
            files[f"{ASSETS_DIR}/fonts/{font.name}"] = (font.read_bytes(), "font")
        # Project files the pages link to: the logo and brand fonts of every audience built, each read
        # through the containment rule (a file that changed since the check is a RenderError, never copied).
        linked = {checked_file(project.root, path) for view in views.values() for _loc, path in brand_files(view.brand)}
        for path in sorted(linked):
            files[f"{ASSETS_DIR}/files/{site_path(path, project.root)}"] = (read_asset(project.root, path), "asset")
        files[f"{ASSETS_DIR}/favicon.svg"] = (favicon_svg(project).encode(), "asset")
    assets = AssetLinks("web" if shared else "inline", project.root, prefix=f"{ASSETS_DIR}/")
    # Newest brief first, as a reader of a series expects; ties in name order.
    first = targets[0].id
    briefs = sorted(project.briefs, key=lambda b: b.id)
    briefs.sort(key=lambda b: views[(b.id, first)].date, reverse=True)
    index = render_template(env, "index.html.j2", {
        "project": project, "targets": targets, "site": site, "briefs": briefs, "views": views,
        "read": pages[0] if shared else None,
        "downloads": [fmt for fmt in formats if fmt.downloadable],
        "standalone": not shared, "font_url": assets.font,
        "brand_css": Markup(render_css(env, BRAND_CSS, assets, brand=project.brand)),
        "favicon": f"{ASSETS_DIR}/favicon.svg" if shared else None,
    })
    files["index.html"] = (index.encode(), "index")
    return files
