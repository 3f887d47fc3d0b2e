"""The orchestrator: load -> select per audience -> Markdown / HTML / PDF -> write.

Every output is rendered to bytes before any file is written, so a template
error or an engine failure leaves the output folder exactly as it was; then
each file is replaced atomically.  WeasyPrint is imported only when a PDF is
asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from .brand import Brand, brand_files
from .budgets import check_budgets
from .errors import ContentError, Problem, Severity, UsageError, did_you_mean
from .load import Project, load_project
from .output import write_atomic
from .render_html import (
    ASSETS_DIR,
    BASE_CSS,
    BRAND_CSS,
    FONTS_CSS,
    FONTS_DIR,
    PRINT_CSS,
    SCREEN_CSS,
    STANDALONE_SUFFIX,
    AssetLinks,
    SiteOptions,
    favicon_svg,
    page_links,
    render_css,
    render_html,
    site_path,
    web_page,
)
from .render_markdown import render_markdown
from .select import BriefView, select_for_audience
from .templating import BUILTIN_DIR, make_environment, render_template

log = logging.getLogger(__name__)

FORMATS = ("md", "html", "pdf")


@dataclass(frozen=True)
class Output:
    """One file a build produced."""

    path: Path
    format: str
    audience: str | None
    brief: str | None
    size: int
    pages: int | None = None
    changed: bool = True


@dataclass
class BuildResult:
    """What a build wrote, and the warnings it raised while rendering (not the content's)."""

    outputs: list[Output] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def of_format(self, fmt: str) -> list[Output]:
        return [o for o in self.outputs if o.format == fmt]


@dataclass
class _Pending:
    path: Path
    data: bytes
    format: str
    audience: str | None = None
    brief: str | None = None
    pages: int | None = None


def resolve_audiences(project: Project, requested: Iterable[str] | None) -> list[str]:
    known = list(project.audiences)
    if requested:
        chosen = list(dict.fromkeys(requested))
        for name in chosen:
            if name not in project.audiences:
                hint = did_you_mean(name, known)
                raise UsageError(f"unknown audience '{name}'" + (f"; {hint}" if hint else "")
                                 + f" (known: {', '.join(known)})")
        return chosen
    return list(project.config.audiences) or known


def resolve_formats(formats: Iterable[str] | None) -> list[str]:
    chosen = list(dict.fromkeys(formats or FORMATS))
    for fmt in chosen:
        if fmt not in FORMATS:
            hint = did_you_mean(fmt, FORMATS)
            raise UsageError(f"unknown format '{fmt}'" + (f"; {hint}" if hint else "")
                             + f" (choose from {', '.join(FORMATS)})")
    return chosen


def build(project: Project | str | Path = ".", *, audiences: Sequence[str] | None = None,
          formats: Sequence[str] | None = None, out_dir: str | Path | None = None,
          strict: bool = False, standalone: bool = False, site: SiteOptions | None = None,
          progress: Callable[[Output], None] | None = None) -> BuildResult:
    """Render every selected audience's brief in every selected format; returns what was written.

    With ``strict``, a budget exceeded (or any other warning) fails the build before anything is written.
    ``site`` (from ``publish``) adds the public address and single-file downloads to the web pages.
    """
    site = site or SiteOptions()
    if not isinstance(project, Project):
        project = load_project(project, strict=strict)
    chosen_audiences = resolve_audiences(project, audiences)
    chosen_formats = resolve_formats(formats)
    out = Path(out_dir) if out_dir is not None else project.output_dir

    pending: list[_Pending] = []
    warnings: list[Problem] = []
    site_files: set[Path] = set()  # project files (logo, brand fonts) the web pages link to
    for audience in chosen_audiences:
        # One environment per audience: its override folder comes first in the search path.
        env = make_environment(project.templates_dir, audience)
        for brief in project.briefs:
            view = select_for_audience(project, brief, audience)
            target = out / audience / brief.id
            pages = None
            if "md" in chosen_formats:
                pending.append(_Pending(target.with_suffix(".md"), render_markdown(view, env).encode(),
                                        "md", audience, brief.id))
            if "html" in chosen_formats:
                links = page_links(project, view, chosen_audiences, chosen_formats, site, standalone)
                page = web_page(project, env, view, standalone=standalone, page=links)
                pending.append(_Pending(target.with_suffix(".html"), page.encode(), "html", audience, brief.id))
                site_files.update(_brand_files(project, view.brand))
            if "pdf" in chosen_formats:
                pdf, refused = _pdf_document(project, env, view, target.with_suffix(".pdf"))
                pending.append(pdf)
                pages = pdf.pages
                warnings += [Problem(pdf.path.relative_to(out).as_posix(), message=f"refused to fetch {url}",
                                     hint="only files inside the project and data: URIs are allowed",
                                     severity=Severity.WARNING) for url in refused]
            # Budgets are measured on what was rendered: the PDF's real page count, the words shown.
            warnings += check_budgets(project, view, pdf_pages=pages)
    if "html" in chosen_formats:
        pending += _site_files(project, out, chosen_audiences, chosen_formats, standalone, site_files, site)

    if strict and warnings:
        raise ContentError([w.as_error() for w in warnings])
    # Everything rendered and checked: only now touch the output folder.
    result = BuildResult(warnings=warnings)
    for item in pending:
        changed = write_atomic(item.path, item.data)
        output = Output(item.path, item.format, item.audience, item.brief, len(item.data), item.pages, changed)
        result.outputs.append(output)
        if progress is not None:
            progress(output)
    return result


def _pdf_document(project: Project, env: Environment, view: BriefView, path: Path) -> tuple[_Pending, list[str]]:
    from .render_pdf import render_pdf

    # The PDF takes the shared base stylesheet and the paged-media one, never the screen rules.
    assets = AssetLinks("pdf", project.root)
    css = "\n".join(render_css(env, name, assets, view=view) for name in (FONTS_CSS, BRAND_CSS, BASE_CSS, PRINT_CSS))
    html = render_html(view, env, assets, target="pdf", inline_css=css)
    settings = project.config.pdf
    data, pages, refused = render_pdf(html, base_url=project.root, allowed_roots=[project.root, BUILTIN_DIR],
                                      pdf_variant=settings.variant,
                                      pdf_tags=settings.tagged or (settings.variant or "").startswith("pdf/ua"))
    return _Pending(path, data, "pdf", view.audience.id, view.id, pages), refused


def _brand_files(project: Project, brand: Brand) -> list[Path]:
    return [(project.root / path).resolve() for _loc, path in brand_files(brand)]


def _site_files(project: Project, out: Path, audiences: list[str], formats: list[str], standalone: bool,
                site_files: set[Path], site: SiteOptions) -> list[_Pending]:
    """The site's shared stylesheet, fonts and project files, and its index page."""
    env = make_environment(project.templates_dir, None)
    files: list[_Pending] = []
    if not standalone:
        assets = AssetLinks("web", project.root)
        files.append(_Pending(out / ASSETS_DIR / "brief.css", render_css(env, SCREEN_CSS, assets).encode(), "css"))
        files += [_Pending(out / ASSETS_DIR / "fonts" / font.name, font.read_bytes(), "font")
                  for font in sorted(FONTS_DIR.glob("*.woff2"))]
        files += [_Pending(out / ASSETS_DIR / "files" / site_path(path, project.root), path.read_bytes(), "asset")
                  for path in sorted(site_files)]
        files.append(_Pending(out / ASSETS_DIR / "favicon.svg", favicon_svg(project).encode(), "asset"))
    assets = AssetLinks("inline" if standalone else "web", project.root, prefix=f"{ASSETS_DIR}/")
    views = {(b.id, a): select_for_audience(project, b, a) for b in project.briefs for a in audiences}
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
    files.append(_Pending(out / "index.html", index.encode(), "index"))
    return files
