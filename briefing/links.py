"""How a web page links to the rest of its site: other audiences' versions, downloads, its address."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .assets import favicon_svg
from .settings import ASSETS_DIR

if TYPE_CHECKING:
    from .project import Project
    from .registry import Format
    from .select import BriefView, Target


@dataclass(frozen=True)
class SiteOptions:
    """What a published site adds to a build: its public address, and pages only a site has."""

    base_url: str | None = None
    published: bool = False  # set by publish: pages link to the sources page

    def url(self, path: str) -> str | None:
        return f"{self.base_url.rstrip('/')}/{path}" if self.base_url else None


@dataclass(frozen=True)
class PageLinks:
    """A web page's links to the rest of the site: other versions, downloads, its public address."""

    versions: tuple[tuple[str, str, bool], ...] = ()  # (audience name, href, is this page)
    downloads: tuple[tuple[str, str], ...] = ()  # (label, href)
    favicon: str | None = None
    canonical: str | None = None  # absolute URL, only when the site's base URL is known
    site_name: str | None = None
    index: str | None = None  # the index page, from this page


def page_links(project: Project, view: BriefView, targets: Sequence[Target], formats: Sequence[Format],
               site: SiteOptions, page_format: Format) -> PageLinks:
    """Links from one brief's page in ``page_format`` to its other versions, its downloads and its address."""
    brief = view.id
    if not page_format.shared_assets:
        # A single-file page travels alone (by email, on a share): it links to no sibling file.
        return PageLinks(site_name=project.config.title,
                         favicon="data:image/svg+xml," + urllib.parse.quote(favicon_svg(project)))
    labels = view.labels
    return PageLinks(
        versions=tuple((target.audience.name, f"../{target.id}/{brief}{page_format.suffix}",
                        target.id == view.target.id) for target in targets),
        downloads=tuple((labels.format_name(fmt.name), f"{brief}{fmt.suffix}") for fmt in formats
                        if fmt.downloadable and fmt is not page_format),
        favicon=f"../{ASSETS_DIR}/favicon.svg",
        canonical=site.url(f"{view.target.id}/{brief}{page_format.suffix}"),
        site_name=project.config.title,
        index="../index.html",
    )
