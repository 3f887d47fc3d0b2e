"""The site around the briefs: the index page and the shared stylesheet, fonts, favicon and files.

``build`` writes these beside the briefs whenever it writes HTML; ``publish``
adds the pages only a published site has (sources, feed, sitemap).
"""

from __future__ import annotations

from markupsafe import Markup

from .brand import brand_files
from .load import Project
from .render_html import (
    ASSETS_DIR,
    BRAND_CSS,
    FONTS_DIR,
    SCREEN_CSS,
    STANDALONE_SUFFIX,
    AssetLinks,
    SiteOptions,
    favicon_svg,
    render_css,
    site_path,
)
from .select import BriefView
from .templating import make_environment, render_template


def site_files(project: Project, views: dict[tuple[str, str], BriefView], audiences: list[str],
               formats: list[str], *, standalone: bool, site: SiteOptions) -> dict[str, tuple[bytes, str]]:
    """The index page and shared assets, as {path inside the output folder: (bytes, kind)}."""
    env = make_environment(project.templates_dir, None)
    files: dict[str, tuple[bytes, str]] = {}
    if not standalone:
        assets = AssetLinks("web", project.root)
        files[f"{ASSETS_DIR}/brief.css"] = (render_css(env, SCREEN_CSS, assets).encode(), "css")
        for font in sorted(FONTS_DIR.glob("*.woff2")):
            files[f"{ASSETS_DIR}/fonts/{font.name}"] = (font.read_bytes(), "font")
        # Project files the pages link to: the logo and brand fonts of every audience built.
        linked = {(project.root / path).resolve() for view in views.values() for _loc, path in brand_files(view.brand)}
        for path in sorted(linked):
            files[f"{ASSETS_DIR}/files/{site_path(path, project.root)}"] = (path.read_bytes(), "asset")
        files[f"{ASSETS_DIR}/favicon.svg"] = (favicon_svg(project).encode(), "asset")
    assets = AssetLinks("inline" if standalone else "web", project.root, prefix=f"{ASSETS_DIR}/")
    # Newest brief first, as a reader of a series expects; ties in name order.
    briefs = sorted(project.briefs, key=lambda b: b.id)
    briefs.sort(key=lambda b: views[(b.id, audiences[0])].date, reverse=True)
    index = render_template(env, "index.html.j2", {
        "project": project, "audiences": [project.audiences[a] for a in audiences],
        "formats": formats, "standalone": standalone, "font_url": assets.font,
        "brand_css": Markup(render_css(env, BRAND_CSS, assets, brand=project.brand)),
        "favicon": None if standalone else f"{ASSETS_DIR}/favicon.svg",
        "site": site, "standalone_suffix": STANDALONE_SUFFIX,
        "views": views, "briefs": briefs,
    })
    files["index.html"] = (index.encode(), "index")
    return files

