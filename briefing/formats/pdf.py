"""PDF: the print document rendered by WeasyPrint, on the engine pool.

WeasyPrint is imported inside the functions, so commands and formats that
need no PDF never pay its import (about half a second).  One process keeps
one font configuration for all its documents: decoding the shipped WOFF2
fonts is most of a short document's cost, so it is paid once per process,
and a pool forked after the warm-up job does not pay it at all.

The engine fetches resources only through ``RestrictedFetcher``: ``data:``
URIs and files inside the allowed folders; anything else is refused and
reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..assets import BASE_CSS, BRAND_CSS, FONTS_CSS, PRINT_CSS, AssetLinks, render_css
from ..errors import RenderError
from ..registry import Format, Rendered, RenderRequest, register
from ..settings import BUILTIN_TEMPLATES
from .page import render_page

_font_config: Any = None


def make_fetcher(allowed_roots: list[Path] | tuple[Path, ...]) -> Any:
    """A WeasyPrint URL fetcher limited to ``data:`` URIs and files under ``allowed_roots``."""
    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed_roots]

    class RestrictedFetcher(URLFetcher):
        refused: list[str]

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data", "file"}, timeout=5)
            self.refused = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme == "file":
                path = Path(unquote(parts.path)).resolve()
                if not any(path.is_relative_to(root) for root in roots):
                    self.refused.append(url)
                    raise ValueError(f"refused to read {path}: outside the project")
            elif parts.scheme != "data":
                self.refused.append(url)
                raise ValueError(f"refused to fetch {url}: network access is not allowed")
            return super().fetch(url, headers)

    return RestrictedFetcher()


def _shared_font_config() -> Any:
    global _font_config
    if _font_config is None:
        from weasyprint.text.fonts import FontConfiguration

        _font_config = FontConfiguration()
    return _font_config


@dataclass(frozen=True)
class PdfJob:
    """Everything needed to render one PDF; picklable, so any executor can run it."""

    html: str
    base_url: Path
    allowed_roots: tuple[Path, ...]
    pdf_variant: str | None = None
    pdf_tags: bool = False

    def run(self) -> Rendered:
        import weasyprint

        fetcher = make_fetcher(self.allowed_roots)
        try:
            document = weasyprint.HTML(string=self.html, base_url=str(self.base_url) + "/",
                                       url_fetcher=fetcher).render(
                font_config=_shared_font_config(), pdf_variant=self.pdf_variant, pdf_tags=self.pdf_tags)
            data = document.write_pdf(pdf_variant=self.pdf_variant, pdf_tags=self.pdf_tags)
        except Exception as exc:  # noqa: BLE001 - the engine's failures become one error type
            raise RenderError(f"PDF engine failed: {type(exc).__name__}: {exc}") from exc
        refused = list(dict.fromkeys(fetcher.refused))
        return Rendered(data, len(document.pages), [f"refused to fetch {url}" for url in refused])


@dataclass(frozen=True)
class WarmUp:
    """Import the engine and load the fonts the stylesheet declares, so later renders (and forks) skip both."""

    css: str
    allowed_roots: tuple[Path, ...]

    def run(self) -> Rendered:
        import weasyprint

        html = f"<style>{self.css}</style><p>warm</p>"
        weasyprint.HTML(string=html, url_fetcher=make_fetcher(self.allowed_roots)).render(
            font_config=_shared_font_config())
        return Rendered(b"")


@cache
def engine_version() -> str:
    # The installed distribution's version: no need to import the engine to know it.
    from importlib import metadata

    return metadata.version("weasyprint")


@register
class Pdf(Format):
    """A designed PDF: cover, contents with page numbers, running heads, numbered sources."""

    name = "pdf"
    suffix = ".pdf"
    pooled = True

    def job(self, request: RenderRequest) -> PdfJob:
        project, view, env = request.project, request.view, request.env
        assets = AssetLinks("pdf", project.root)
        css = "\n".join(render_css(env, name, assets, view=view)
                        for name in (FONTS_CSS, BRAND_CSS, BASE_CSS, PRINT_CSS))
        settings = project.config.pdf
        return PdfJob(html=render_page(request, assets, target="pdf", inline_css=css), base_url=project.root,
                      allowed_roots=(project.root.resolve(), BUILTIN_TEMPLATES),
                      pdf_variant=settings.variant,
                      pdf_tags=settings.tagged or (settings.variant or "").startswith("pdf/ua"))

    def warm_up(self, request: RenderRequest) -> WarmUp:
        css = render_css(request.env, FONTS_CSS, AssetLinks("pdf", request.project.root))
        return WarmUp(css, (request.project.root.resolve(), BUILTIN_TEMPLATES))

    def cache_inputs(self, request: RenderRequest) -> Any:
        return engine_version()

    def text(self, data: bytes) -> str:
        import io

        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
