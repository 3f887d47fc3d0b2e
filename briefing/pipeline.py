"""The orchestrator: load -> select per audience -> Markdown / HTML / PDF -> checks -> write.

The order matters: every output is rendered (or found unchanged in the cache)
before any file is written, so a template error, an engine failure or a
``--strict`` budget leaves the output folder exactly as it was; then each
file is replaced atomically.  PDFs are rendered together at the end of the
rendering step so one warm engine, or a pool of them, handles them all; the
engine is imported only when a PDF is stale.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment

from .budgets import check_budgets
from .cache import BuildCache, Fingerprints
from .errors import ContentError, Problem, Severity, UsageError, did_you_mean
from .load import Project, load_project
from .output import write_atomic
from .render_html import FONTS_CSS, AssetLinks, PageLinks, SiteOptions, page_links, print_job, render_css, web_page
from .render_markdown import render_markdown
from .render_pdf import PdfEngine, PdfResult
from .select import BriefView, select_for_audience
from .site import site_files
from .templating import make_environment

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
    reused: bool = False  # unchanged inputs: taken from the last build without rendering


@dataclass
class BuildResult:
    """What a build wrote, and the warnings it raised while rendering (not the content's)."""

    outputs: list[Output] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def of_format(self, fmt: str) -> list[Output]:
        return [o for o in self.outputs if o.format == fmt]


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
          jobs: int | None = None, executor: Executor | None = None, force: bool = False,
          progress: Callable[[Output], None] | None = None) -> BuildResult:
    """Render every selected audience's brief in every selected format; returns what was written.

    Outputs whose inputs are unchanged since the last build are not rendered again (``force``
    renders all).  PDFs render in ``jobs`` processes (default: one per core), or on ``executor``.
    With ``strict``, an exceeded budget (or any warning) fails the build before anything is written.
    ``site`` (from ``publish``) adds the public address and single-file downloads to the web pages.
    """
    site = site or SiteOptions()
    if not isinstance(project, Project):
        project = load_project(project, strict=strict)
    chosen_audiences = resolve_audiences(project, audiences)
    chosen_formats = resolve_formats(formats)
    out = Path(out_dir) if out_dir is not None else project.output_dir
    cache = BuildCache(project.root, out)
    prints = Fingerprints(project.root, project.templates_dir, list(project.audiences))

    # 1. Select and render what changed. Each stale PDF goes to the engine at once, so (with
    #    jobs > 1) workers render PDFs while this process prepares the next documents.
    planned: list[_Planned] = []
    views: dict[tuple[str, str], BriefView] = {}
    warm_css = render_css(make_environment(project.templates_dir, None), FONTS_CSS, AssetLinks("pdf", project.root))
    with PdfEngine(workers=jobs or os.cpu_count() or 1, executor=executor, warm_css=warm_css) as engine:
        for audience in chosen_audiences:
            # One environment per audience: its override folder comes first in the search path.
            env = make_environment(project.templates_dir, audience)
            for brief in project.briefs:
                view = views[(brief.id, audience)] = select_for_audience(project, brief, audience)
                target = out / audience / brief.id
                for fmt in chosen_formats:
                    links = page_links(project, view, chosen_audiences, chosen_formats, site, standalone)
                    item = _Planned(target.with_suffix(f".{fmt}"), fmt, view,
                                    prints.output_key(view, fmt, (links, standalone) if fmt == "html" else None))
                    item.cached = None if force else cache.fresh(item.path, item.key)
                    if item.cached is None:
                        _render(item, project, env, links, standalone, engine)
                    planned.append(item)

        # 2. The engine's results, in order.
        for item in planned:
            if item.job is not None:
                rendered = item.job.result()
                item.data, item.pages, item.refused = rendered.data, rendered.pages, rendered.refused

    # 3. Checks on what was rendered: refused fetches, and budgets on real page counts and words.
    warnings = [Problem(item.path.relative_to(out).as_posix(), message=f"refused to fetch {url}",
                        hint="only files inside the project and data: URIs are allowed",
                        severity=Severity.WARNING) for item in planned for url in item.refused]
    pages = {(item.view.id, item.view.audience.id): item.page_count for item in planned if item.format == "pdf"}
    for (brief_id, audience), view in views.items():
        warnings += check_budgets(project, view, pdf_pages=pages.get((brief_id, audience)))
    shared = (site_files(project, views, chosen_audiences, chosen_formats, standalone=standalone, site=site)
              if "html" in chosen_formats else {})
    if strict and warnings:
        raise ContentError([w.as_error() for w in warnings])

    # 4. Everything rendered and checked: only now touch the output folder.
    result = BuildResult(warnings=warnings)
    for item in planned:
        changed = False
        if item.cached is None:
            changed = write_atomic(item.path, item.data, force=force)
            cache.record(item.path, item.key, item.data, item.pages)
        _report(result, progress, Output(item.path, item.format, item.view.audience.id, item.view.id,
                                         item.size, item.page_count, changed, reused=item.cached is not None))
    for name, (data, kind) in shared.items():
        changed = write_atomic(out / name, data, force=force)
        _report(result, progress, Output(out / name, kind, None, None, len(data), None, changed))
    cache.save()
    return result


@dataclass
class _Planned:
    """One brief output: rendered now (``data``, or a PDF ``job``) or reused from the cache."""

    path: Path
    format: str
    view: BriefView
    key: str
    cached: dict[str, Any] | None = None
    data: bytes = b""
    job: Future[PdfResult] | None = None
    pages: int | None = None
    refused: list[str] = field(default_factory=list)

    @property
    def page_count(self) -> int | None:
        return self.cached["pages"] if self.cached is not None else self.pages

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.cached is not None else len(self.data)


def _render(item: _Planned, project: Project, env: Environment, links: PageLinks, standalone: bool,
            engine: PdfEngine) -> None:
    view = item.view
    if item.format == "md":
        item.data = render_markdown(view, env).encode()
    elif item.format == "html":
        item.data = web_page(project, env, view, standalone=standalone, page=links).encode()
    else:
        item.job = engine.submit(print_job(project, env, view))


def _report(result: BuildResult, progress: Callable[[Output], None] | None, output: Output) -> None:
    result.outputs.append(output)
    if progress is not None:
        progress(output)
