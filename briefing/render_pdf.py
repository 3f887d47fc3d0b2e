"""Stage 5: turn print HTML into PDF bytes with WeasyPrint, in a warm engine.

WeasyPrint is imported here, inside the functions, so commands and formats
that need no PDF never pay its import (about half a second).  One process
keeps one font configuration for all its documents: decoding the shipped
WOFF2 fonts is most of a short document's cost, so it is paid once per
process, and a pool forked after ``warm_engine`` does not pay it at all.

The engine fetches resources only through ``RestrictedFetcher``: ``data:``
URIs and files inside the allowed folders; anything else is refused and
reported.
"""

from __future__ import annotations

from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import RenderError

_font_config: Any = None


@dataclass(frozen=True)
class PdfJob:
    """Everything needed to render one PDF; picklable, so any executor can run it."""

    html: str
    base_url: Path
    allowed_roots: tuple[Path, ...]
    pdf_variant: str | None = None
    pdf_tags: bool = False


@dataclass(frozen=True)
class PdfResult:
    data: bytes
    pages: int
    refused: list[str] = field(default_factory=list)


def make_fetcher(allowed_roots: list[Path] | tuple[Path, ...]) -> Any:
    """A WeasyPrint URL fetcher limited to ``data:`` URIs and files under ``allowed_roots``."""
    from weasyprint.urls import URLFetcher

    roots = [root.resolve() for root in allowed_roots]

    class RestrictedFetcher(URLFetcher):  # type: ignore[misc]
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


def warm_engine(css: str, allowed_roots: list[Path] | tuple[Path, ...]) -> None:
    """Import the engine and load the fonts ``css`` declares, so later renders (and forks) skip both."""
    import weasyprint

    html = f"<style>{css}</style><p>warm</p>"
    weasyprint.HTML(string=html, url_fetcher=make_fetcher(allowed_roots)).render(font_config=_shared_font_config())


def render_pdf(job: PdfJob) -> PdfResult:
    """Render one print document to PDF bytes (top-level, so process pools can run it)."""
    import weasyprint

    fetcher = make_fetcher(job.allowed_roots)
    try:
        document = weasyprint.HTML(string=job.html, base_url=str(job.base_url) + "/", url_fetcher=fetcher).render(
            font_config=_shared_font_config(), pdf_variant=job.pdf_variant, pdf_tags=job.pdf_tags)
        data = document.write_pdf(pdf_variant=job.pdf_variant, pdf_tags=job.pdf_tags)
    except Exception as exc:  # noqa: BLE001 - the engine's failures become one error type
        raise RenderError(f"PDF engine failed: {type(exc).__name__}: {exc}") from exc
    return PdfResult(data, len(document.pages), list(dict.fromkeys(fetcher.refused)))


class PdfEngine:
    """Renders PDF jobs as they are submitted: in this process, in a forked pool, or on ``executor``.

    Any ``concurrent.futures.Executor`` works (a Dask or Ray executor too): jobs and results are
    plain picklable data.  The built-in pool is forked after ``warm_engine`` so its workers start
    with the engine imported and the fonts decoded; jobs are submitted while the build goes on
    preparing the next documents.
    """

    def __init__(self, *, workers: int = 1, executor: Executor | None = None, warm_css: str = ""):
        self.workers = workers
        self.executor = executor
        self.warm_css = warm_css
        self._pool: Executor | None = None

    def submit(self, job: PdfJob) -> Future[PdfResult]:
        if self.executor is not None:
            return self.executor.submit(render_pdf, job)
        if self.workers <= 1:
            done: Future[PdfResult] = Future()
            try:
                done.set_result(render_pdf(job))
            except RenderError as exc:
                done.set_exception(exc)
            return done
        if self._pool is None:
            import multiprocessing

            warm_engine(self.warm_css, job.allowed_roots)
            self._pool = ProcessPoolExecutor(max_workers=self.workers,
                                             mp_context=multiprocessing.get_context("fork"))
        return self._pool.submit(render_pdf, job)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def __enter__(self) -> PdfEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
