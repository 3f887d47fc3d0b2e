"""Stage 6: publish a static site: every brief for every audience, plus what a site needs.

``publish`` is ``build`` into a site folder (``site/`` by default) with the
single-file HTML format added (CSS, fonts and logo inlined, for email), then
the pages only a site has, from the views the build made: a sources page,
and, when the public address is given with ``--base-url``, ``sitemap.xml`` and
an Atom feed (the web pages get canonical and social-card links).  Every link
inside the site is relative, so it works from ``file://`` and under any
sub-path of a host.  Publishing refuses a project that fails ``check``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from markupsafe import Markup

from .assets import BRAND_CSS, AssetLinks, render_css
from .filters import plain_markdown
from .links import SiteOptions, public_address
from .load import load_project
from .pipeline import BuildResult, Output
from .pipeline import build as build_project
from .project import Project
from .registry import DEFAULT_FORMATS
from .select import BriefView
from .settings import ASSETS_DIR, SITE_DIR
from .site import site_environment
from .templating import render_template

# A site offers every format as a download: the pages, the PDF, the single-file page, Word and PowerPoint.
SITE_FORMATS = (*DEFAULT_FORMATS, "standalone", "docx", "pptx")


def publish(project: Project | str | Path = ".", *, out_dir: str | Path | None = None, base_url: str | None = None,
            strict: bool = False, jobs: int | None = None, force_out: bool = False, safe_templates: bool = False,
            progress: Callable[[Output], None] | None = None) -> BuildResult:
    """Write the project's static site; returns every file written.

    The site's own pages are made from the build's views and written in the same staged swap as the
    briefs, so a publish changes the site folder all at once or not at all.
    """
    site = SiteOptions(base_url=public_address(base_url) if base_url else None, published=True)
    if not isinstance(project, Project):
        project = load_project(project, strict=strict)  # refuses a project that fails check
    site_dir = Path(out_dir) if out_dir is not None else project.root / SITE_DIR
    loaded = project

    def site_pages(result: BuildResult) -> dict[str, bytes]:
        first = result.targets[0].id
        views = [result.views[(brief.id, first)] for brief in loaded.briefs]
        pages = {"sources.html": _sources_page(loaded, views, first, site, safe_templates)}
        if site.base_url:
            audiences = [target.id for target in result.targets]
            pages["sitemap.xml"] = sitemap(views, audiences, site)
            pages["feed.xml"] = atom_feed(loaded, views, first, site)
        return {name: text.encode("utf-8") for name, text in pages.items()}

    return build_project(project, out_dir=site_dir, formats=SITE_FORMATS, strict=strict, site=site, jobs=jobs,
                         force_out=force_out, extra_files=site_pages, safe_templates=safe_templates,
                         progress=progress)


def _sources_page(project: Project, views: list[BriefView], audience: str, site: SiteOptions,
                  sandboxed: bool = False) -> str:
    env = site_environment(project, sandboxed=sandboxed)
    citing: dict[str, list[tuple[BriefView, str]]] = {source_id: [] for source_id in project.sources}
    for view in views:
        for citation in view.citations:
            citing[citation.source.id].append((view, f"{audience}/{view.id}.html#source-{citation.number}"))
    return render_template(env, "sources.html.j2", {
        "project": project, "site": site,
        "sources": [(source, citing[source.id]) for source in project.sources.values()],
        "brand_css": Markup(render_css(env, BRAND_CSS, AssetLinks("web", project.root, prefix=f"{ASSETS_DIR}/"),
                                       brand=project.brand)),
    })


def _pages(views: list[BriefView], audiences: list[str]) -> list[tuple[str, dt.date]]:
    """Every HTML page of the site with the date it last changed."""
    newest = max(view.date for view in views)
    pages = [("index.html", newest), ("sources.html", newest)]
    pages += [(f"{audience}/{view.id}.html", view.date) for view in views for audience in audiences]
    return pages


def sitemap(views: list[BriefView], audiences: list[str], site: SiteOptions) -> str:
    """``sitemap.xml`` (sitemaps.org protocol) listing every HTML page with its date."""
    urls = "".join(f"  <url><loc>{escape(site.url(path) or path)}</loc><lastmod>{date.isoformat()}</lastmod></url>\n"
                   for path, date in _pages(views, audiences))
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + urls + "</urlset>\n")


def atom_feed(project: Project, views: list[BriefView], audience: str, site: SiteOptions) -> str:
    """An Atom feed (RFC 4287) with one entry per brief, newest first."""
    views = sorted(views, key=lambda view: (view.date, view.id), reverse=True)
    author = project.config.author or project.config.organisation or project.config.title
    entries = []
    for view in views:
        url = site.url(f"{audience}/{view.id}.html") or ""
        entries.append(
            "  <entry>\n"
            f"    <title>{escape(view.title)}</title>\n"
            f'    <link rel="alternate" type="text/html" href="{escape(url)}"/>\n'
            f"    <id>{escape(url)}</id>\n"
            f"    <updated>{view.date.isoformat()}T00:00:00Z</updated>\n"
            f"    <published>{view.date.isoformat()}T00:00:00Z</published>\n"
            f"    <summary>{escape(plain_markdown(view.summary))}</summary>\n"
            "  </entry>\n")
    updated = views[0].date.isoformat() if views else "1970-01-01"
    return ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"  <title>{escape(project.config.title)}</title>\n"
            + (f"  <subtitle>{escape(project.config.subtitle)}</subtitle>\n" if project.config.subtitle else "")
            + f'  <link rel="self" href="{escape(site.url("feed.xml") or "")}"/>\n'
            f'  <link rel="alternate" type="text/html" href="{escape(site.url("index.html") or "")}"/>\n'
            f"  <id>{escape(site.url('index.html') or '')}</id>\n"
            f"  <updated>{updated}T00:00:00Z</updated>\n"
            f"  <author><name>{escape(author)}</name></author>\n"
            + "".join(entries) + "</feed>\n")

