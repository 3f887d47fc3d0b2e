"""Stage 5: turn print HTML into PDF bytes with WeasyPrint.

WeasyPrint is imported here, inside the functions, so commands and formats
that need no PDF never pay its import (about half a second).  It fetches
resources only through ``RestrictedFetcher``: ``data:`` URIs and files
inside the allowed folders; anything else is refused and reported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from .errors import RenderError

PAPER_SIZES = {"A4": "A4", "Letter": "letter", "A5": "A5", "Legal": "legal"}


def make_fetcher(allowed_roots: list[Path]) -> Any:
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


def render_pdf(html: str, *, base_url: Path, allowed_roots: list[Path], pdf_variant: str | None = None,
               pdf_tags: bool = False) -> tuple[bytes, int, list[str]]:
    """Render print HTML to PDF; returns the bytes, the page count and the URLs refused."""
    import weasyprint

    fetcher = make_fetcher(allowed_roots)
    try:
        document = weasyprint.HTML(string=html, base_url=str(base_url) + "/", url_fetcher=fetcher).render(
            pdf_variant=pdf_variant, pdf_tags=pdf_tags)
        data = document.write_pdf(pdf_variant=pdf_variant, pdf_tags=pdf_tags, uncompressed_pdf=False)
    except Exception as exc:  # noqa: BLE001 - the engine's failures become one error type
        raise RenderError(f"PDF engine failed: {type(exc).__name__}: {exc}") from exc
    return data, len(document.pages), list(dict.fromkeys(fetcher.refused))
