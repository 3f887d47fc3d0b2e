"""How a web page links to the rest of its site: other audiences' versions, downloads, its address."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .assets import favicon_svg
from .errors import UsageError
from .settings import ASSETS_DIR

if TYPE_CHECKING:
    from .project import Project
    from .registry import Format
    from .select import BriefView, Target


def public_address(value: str) -> str:
    """``value`` as a site's base URL ending in ``/``, if it is an absolute http(s) address; else UsageError.

    It is written into every page's canonical link, the sitemap and the feed, so ``javascript:``, ``file:``,
    a relative path, credentials or characters a URL cannot hold never get that far."""
    parts = urllib.parse.urlsplit(value.strip())
    fault = ("it must start with https:// or http://" if parts.scheme.lower() not in ("http", "https")
             else "it has no host name" if not parts.hostname
             else "it must not hold a user name or password" if parts.username or parts.password
             else "it must not have a query (?...) or fragment (#...)" if parts.query or parts.fragment or "#" in value
             else "it holds spaces, quotes, angle brackets or control characters"
             if any(c.isspace() or c in '"<>\\`' or ord(c) < 32 or ord(c) == 127 for c in value.strip()) else "")
    if fault:
        raise UsageError(f"--base-url {value!r} is not a public web address: {fault}; "
                         "give the site's address, e.g. https://intranet.example/briefs/")
    return urllib.parse.urlunsplit(parts).rstrip("/") + "/"


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
