"""HTML: the brief as a web page of the site, and as a single file with everything inlined.

Both use ``brief.html.j2`` (the PDF's print document does too, with
``target == "pdf"``).  The site's page links to the shared stylesheet and
inlines only the brand's custom properties, which an audience may override;
the single-file page inlines the stylesheet, fonts and logo as ``data:`` URIs.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from ..assets import BRAND_CSS, SCREEN_CSS, AssetLinks, render_css
from ..parity import html_blocks
from ..registry import Format, RenderRequest, register
from ..settings import ASSETS_DIR
from .page import render_page


class _Text(HTMLParser):
    """The text a reader sees: no scripts, styles or head."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"} and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def page_text(data: bytes) -> str:
    parser = _Text()
    parser.feed(data.decode("utf-8"))
    return " ".join(" ".join(parser.parts).split())


@register
class WebPage(Format):
    """A page of the site: linked to the shared stylesheet, fonts and files under ``assets/``."""

    name = "html"
    suffix = ".html"
    web_page = True
    shared_assets = True
    downloadable = False  # it is the page itself: the index links to it as 'Read'

    def render(self, request: RenderRequest) -> bytes:
        assets = AssetLinks("web", request.project.root, prefix=f"../{ASSETS_DIR}/")
        brand_css = render_css(request.env, BRAND_CSS, assets, view=request.view)
        return render_page(request, assets, target="html", inline_css=brand_css,
                           stylesheet_href=f"../{ASSETS_DIR}/brief.css").encode("utf-8")

    def cache_inputs(self, request: RenderRequest) -> Any:
        return request.links

    def text(self, data: bytes) -> str:
        return page_text(data)

    def blocks(self, data: bytes) -> list[str] | None:
        return html_blocks(data.decode("utf-8"))


@register
class SingleFilePage(WebPage):
    """One self-contained HTML file (stylesheet, fonts and logo inlined), to send by email; read back like
    the site's page."""

    name = "standalone"
    suffix = ".standalone.html"
    shared_assets = False
    downloadable = True

    def render(self, request: RenderRequest) -> bytes:
        assets = AssetLinks("inline", request.project.root)
        css = "\n".join(render_css(request.env, name, assets, view=request.view) for name in (SCREEN_CSS, BRAND_CSS))
        return render_page(request, assets, target="html", inline_css=css).encode("utf-8")
