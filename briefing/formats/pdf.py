"""PDF: the print document rendered by WeasyPrint, on the engine pool.

WeasyPrint is imported inside the functions, so commands and formats that
need no PDF never pay its import (about half a second).  The engine gets
the built-in fonts as shipped TrueType copies (decoding WOFF2 in every
process was a quarter of a cold build), and one process keeps one font
configuration for all its documents, so a pool forked after the warm-up job
loads no font again.

The engine fetches resources only through ``RestrictedFetcher``: ``data:``
URIs and ``file:`` URLs that the containment rule of ``safe_files`` accepts
(a regular file inside the project or the built-in templates, at most
``MAX_ASSET_BYTES``), read by the rule itself so a FIFO or a huge file is
never opened or loaded; anything else (the network included) is refused and
reported.  What the engine logs at WARNING or above while rendering a
document (an image it cannot decode, a CSS rule it ignores) is returned as
that document's warnings too, which ``--strict`` turns into errors.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..assets import BASE_CSS, BRAND_CSS, FONTS_CSS, PRINT_CSS, AssetLinks, render_css
from ..errors import RenderError
from ..registry import Format, Rendered, RenderRequest, register
from ..safe_files import MAX_ASSET_BYTES, UnsafeFile, check_file, read_bytes
from ..settings import BUILTIN_TEMPLATES
from .page import render_page

_font_config: Any = None

# Refusals the build's fixed hint ("only files inside the project and data: URIs are allowed") explains.
OUTSIDE = "is outside the project folder"
NETWORK = "network access is not allowed"


def make_fetcher(root: Path, also: Iterable[Path] = (BUILTIN_TEMPLATES,)) -> Any:
    """A WeasyPrint URL fetcher limited to ``data:`` URIs and files the containment rule accepts.

    Files must lie inside ``root`` (or ``also``); every refused URL is kept in ``refused`` with its reason.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = Path(root).resolve()
    extra = tuple(Path(folder).resolve() for folder in also)

    class ContainedResponse(URLFetcherResponse):
        """A file the rule read: with no ``path``, so the engine keeps these bytes instead of reading the
        file again later by name (outside the rule, after it may have been swapped)."""

        @property
        def path(self) -> None:
            return None

    class RestrictedFetcher(URLFetcher):
        refused: dict[str, str]

        def __init__(self) -> None:
            super().__init__(allowed_protocols={"data"}, timeout=5, allow_redirects=False)
            self.refused = {}

        def refuse(self, url: str, reason: str) -> ValueError:
            self.refused.setdefault(url, reason)
            return ValueError(f"refused to fetch {url}: {reason}")

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise self.refuse(url, NETWORK)
            if parts.netloc not in ("", "localhost"):
                raise self.refuse(url, f"names another host ({parts.netloc})")
            path = unquote(parts.path)
            try:
                # The check says why a file is refused; the read re-checks what it opens (never a FIFO
                # swapped in, never more than the limit).
                resolved = check_file(root, path, max_bytes=MAX_ASSET_BYTES, also=extra)
                data = read_bytes(root, resolved, max_bytes=MAX_ASSET_BYTES, also=extra)
            except UnsafeFile as exc:
                raise self.refuse(url, exc.reason) from None
            kind = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
            return ContainedResponse(url, data, {"Content-Type": kind})

    return RestrictedFetcher()


def refusal_warning(url: str, reason: str) -> str:
    """One refused URL, as a warning that says what was refused and why."""
    if reason in (OUTSIDE, NETWORK):
        return f"refused to fetch {url}"  # the build's hint says why
    return f"refused to fetch {url}: {reason}"


class EngineLog(logging.Handler):
    """What the engine logs at WARNING or above in this thread, while attached (``with EngineLog() as log``)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.messages: list[str] = []
        self.logger = logging.getLogger("weasyprint")
        self._level = logging.NOTSET

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:  # another document rendering in another thread logs its own
            try:
                self.messages.append(" ".join(record.getMessage().split()).rstrip(" :"))
            except Exception:  # noqa: BLE001 - a malformed record must not fail the render
                self.messages.append(str(record.msg))

    def __enter__(self) -> EngineLog:
        self._level = self.logger.level
        if self.logger.getEffectiveLevel() > logging.WARNING:  # e.g. the root logger set to ERROR
            self.logger.setLevel(logging.WARNING)
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.removeHandler(self)
        self.logger.setLevel(self._level)

    def warnings(self, refused: dict[str, str]) -> list[str]:
        """The messages, each once, less those about a URL already reported as refused."""
        found = []
        for message in dict.fromkeys(self.messages):
            if not any(url in message for url in refused):
                found.append(f"PDF engine: {message}")
        return found


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
    root: Path  # files the engine may read: inside ``root`` or ``also``, through the containment rule
    also: tuple[Path, ...] = (BUILTIN_TEMPLATES,)
    pdf_variant: str | None = None
    pdf_tags: bool = False
    fit_pages: int | None = None  # the page budget (cover included): tighten the layout to meet it

    def run(self) -> Rendered:
        import weasyprint

        fetcher = make_fetcher(self.root, self.also)
        try:
            with EngineLog() as log:
                document = self._render(weasyprint, fetcher, 0)
                # Over its page budget, the brief is laid out again more compactly (pdf.css: .fit-1,
                # .fit-2): tighter spacing first, then smaller type; the budget check still reports
                # a brief that does not fit even then.
                level = 0
                while self.fit_pages is not None and len(document.pages) > self.fit_pages and level < FIT_LEVELS:
                    level += 1
                    document = self._render(weasyprint, fetcher, level)
                data = document.write_pdf(pdf_variant=self.pdf_variant, pdf_tags=self.pdf_tags)
        except Exception as exc:  # noqa: BLE001 - the engine's failures become one error type
            raise RenderError(f"PDF engine failed: {type(exc).__name__}: {exc}") from exc
        warnings = [refusal_warning(url, reason) for url, reason in fetcher.refused.items()]
        return Rendered(data, len(document.pages), warnings + log.warnings(fetcher.refused),
                        text=laid_out_text(document))

    def _render(self, weasyprint: Any, fetcher: Any, level: int) -> Any:
        html = self.html if not level else self.html.replace('<body class="', f'<body class="fit-{level} ', 1)
        return weasyprint.HTML(string=html, base_url=str(self.base_url) + "/", url_fetcher=fetcher).render(
            font_config=_shared_font_config(), pdf_variant=self.pdf_variant, pdf_tags=self.pdf_tags)


FIT_LEVELS = 2


def laid_out_text(document: Any) -> str:
    """The document's text as laid out, line by line (what the PDF shows, read without parsing it)."""
    from weasyprint.formatting_structure import boxes

    parts: list[str] = []
    for page in document.pages:
        for box in page._page_box.descendants():
            if isinstance(box, boxes.LineBox):
                parts.append("\n")
            elif isinstance(box, boxes.TextBox):
                parts.append(box.text)
            elif isinstance(box, boxes.ReplacedBox) and getattr(box, "element", None) is not None \
                    and str(box.element.tag).endswith("svg"):
                # A drawing's words (a chart's labels and values) are drawn as text: read them too.
                parts.extend("\n" + "".join(node.itertext()) for node in box.element.iter()
                             if str(node.tag).endswith("text"))
        parts.append("\f")
    return "".join(parts)


@dataclass(frozen=True)
class WarmUp:
    """Import the engine and load the fonts the stylesheet declares, so later renders (and forks) skip both."""

    css: str
    root: Path
    also: tuple[Path, ...] = (BUILTIN_TEMPLATES,)

    def run(self) -> Rendered:
        import weasyprint

        html = f"<style>{self.css}</style><p>warm</p>"
        weasyprint.HTML(string=html, url_fetcher=make_fetcher(self.root, self.also)).render(
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
        profile = view.profile
        budget = profile.budgets.pages
        return PdfJob(html=render_page(request, assets, target="pdf", inline_css=css), base_url=project.root,
                      root=project.root.resolve(),
                      pdf_variant=settings.variant,
                      pdf_tags=settings.tagged or (settings.variant or "").startswith("pdf/ua"),
                      fit_pages=budget + (1 if profile.pdf.cover else 0) if budget else None)

    def warm_up(self, request: RenderRequest) -> WarmUp:
        css = render_css(request.env, FONTS_CSS, AssetLinks("pdf", request.project.root))
        return WarmUp(css, request.project.root.resolve())

    def cache_inputs(self, request: RenderRequest) -> Any:
        return engine_version()

    def text(self, data: bytes) -> str:
        import io

        from pypdf import PdfReader

        return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
