"""The orchestrator: load -> select per audience -> render each format -> check -> write.

The order matters: every output is rendered (or found unchanged in the cache)
before any file is written, so a template error, an engine failure or a
``--strict`` budget leaves the output folder exactly as it was; then each
file is replaced atomically.  Pooled formats (PDF) are submitted to the
engine pool as soon as they are prepared, so with several workers they render
while this process prepares the next documents; the engine is imported only
when such an output is stale.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import formats as _builtin_formats  # noqa: F401 - registers the built-in formats
from .budgets import check_budgets
from .cache import BuildCache, Fingerprints
from .engine import EnginePool
from .errors import ContentError, Problem, Severity, UsageError, did_you_mean
from .links import SiteOptions, page_links
from .load import load_project
from .output import write_atomic
from .project import Project
from .registry import DEFAULT_FORMATS, FORMATS, Format, Rendered, RenderRequest
from .select import BriefView, Target, make_target, select_for_audience
from .site import site_files
from .templating import make_environment

log = logging.getLogger(__name__)


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
    """What a build wrote, the views it rendered, and the warnings it raised while rendering."""

    outputs: list[Output] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    views: dict[tuple[str, str], BriefView] = field(default_factory=dict)  # (brief id, audience id)
    targets: list[Target] = field(default_factory=list)

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


def build(project: Project | str | Path = ".", *, audiences: Sequence[str] | None = None,
          formats: Sequence[str] | None = None, out_dir: str | Path | None = None,
          strict: bool = False, site: SiteOptions | None = None,
          jobs: int | None = None, executor: Executor | None = None, force: bool = False,
          progress: Callable[[Output], None] | None = None) -> BuildResult:
    """Render every selected audience's brief in every selected format; returns what was written.

    ``formats`` are names from the format registry (default: md, html, pdf).  Outputs whose
    inputs are unchanged since the last build are not rendered again (``force`` renders all).
    Pooled formats render in ``jobs`` processes (default: one per core), or on ``executor``.
    With ``strict``, an exceeded budget (or any warning) fails the build before anything is written.
    ``site`` (from ``publish``) adds the public address and the sources page to the web pages.
    """
    site = site or SiteOptions()
    if not isinstance(project, Project):
        project = load_project(project, strict=strict)
    targets = [make_target(project, audience) for audience in resolve_audiences(project, audiences)]
    chosen = FORMATS.resolve(formats or DEFAULT_FORMATS)
    out = Path(out_dir) if out_dir is not None else project.output_dir
    cache = BuildCache(project.root, out)
    prints = Fingerprints(project.root, project.templates_dir, list(project.audiences))
    result = BuildResult(targets=targets)

    # 1. Select and render what changed. Each stale pooled output goes to the engine at once, so
    #    (with jobs > 1) workers render PDFs while this process prepares the next documents.
    planned: list[_Planned] = []
    with EnginePool(workers=jobs or os.cpu_count() or 1, executor=executor) as pool:
        for fmt, request in render_requests(project, targets, chosen, site):
            view = result.views[(request.view.id, request.view.target.id)] = request.view
            item = _Planned(out / view.target.id / f"{view.id}{fmt.suffix}", fmt, view, prints.output_key(request, fmt))
            item.cached = None if force else cache.fresh(item.path, item.key)
            if item.cached is None:
                _render(item, request, pool)
            planned.append(item)

        # 2. The engine's results, in order.
        for item in planned:
            if item.job is not None:
                item.rendered = item.job.result()

    # 3. Checks on what was rendered: the engines' warnings, and budgets on real page counts and words.
    warnings = [Problem(item.path.relative_to(out).as_posix(), message=message,
                        hint="only files inside the project and data: URIs are allowed",
                        severity=Severity.WARNING) for item in planned for message in item.warnings]
    pages = {(item.view.id, item.view.target.id): item.page_count for item in planned if item.format.name == "pdf"}
    for (brief_id, audience), view in result.views.items():
        warnings += check_budgets(project, view, pdf_pages=pages.get((brief_id, audience)))
    shared = site_files(project, result.views, targets, chosen, site=site)
    if strict and warnings:
        raise ContentError([w.as_error() for w in warnings])

    # 4. Everything rendered and checked: only now touch the output folder.
    result.warnings = warnings
    for item in planned:
        changed = False
        if item.cached is None:
            changed = write_atomic(item.path, item.data, force=force)
            cache.record(item.path, item.key, item.data, item.page_count)
        _report(result, progress, Output(item.path, item.format.name, item.view.target.id, item.view.id,
                                         item.size, item.page_count, changed, reused=item.cached is not None))
    for name, (data, kind) in shared.items():
        changed = write_atomic(out / name, data, force=force)
        _report(result, progress, Output(out / name, kind, None, None, len(data), None, changed))
    cache.save()
    return result


def render_requests(project: Project, targets: Sequence[Target], formats: Sequence[Format],
                    site: SiteOptions | None = None) -> Iterator[tuple[Format, RenderRequest]]:
    """What to render: every brief for every audience in every format, each with its view and links."""
    for target in targets:
        # One environment per audience and markup: the audience's override folder comes first in the
        # search path, and HTML templates autoescape while Markdown ones escape for Markdown.
        envs = {markup: make_environment(project.templates_dir, target.id, language=target.language,
                                         labels=target.labels, markup=markup)
                for markup in {fmt.markup for fmt in formats}}
        for brief in project.briefs:
            view = select_for_audience(project, brief, target)
            for fmt in formats:
                yield fmt, RenderRequest(project, view, envs[fmt.markup],
                                         page_links(project, view, targets, formats, site or SiteOptions(), fmt))


@dataclass
class _Planned:
    """One brief output: rendered now (``rendered``, or a pooled ``job``) or reused from the cache."""

    path: Path
    format: Format
    view: BriefView
    key: str
    cached: dict[str, Any] | None = None
    rendered: Rendered | None = None
    job: Future[Rendered] | None = None

    @property
    def data(self) -> bytes:
        return self.rendered.data if self.rendered is not None else b""

    @property
    def warnings(self) -> list[str]:
        return self.rendered.warnings if self.rendered is not None else []

    @property
    def page_count(self) -> int | None:
        if self.cached is not None:
            pages: int | None = self.cached["pages"]
            return pages
        return self.rendered.pages if self.rendered is not None else None

    @property
    def size(self) -> int:
        return self.path.stat().st_size if self.cached is not None else len(self.data)


def _render(item: _Planned, request: RenderRequest, pool: EnginePool) -> None:
    fmt = item.format
    if fmt.pooled:
        item.job = pool.submit(fmt.job(request), warm_up=fmt.warm_up(request), kind=fmt.name)
    else:
        item.rendered = Rendered(fmt.render(request))


def _report(result: BuildResult, progress: Callable[[Output], None] | None, output: Output) -> None:
    result.outputs.append(output)
    if progress is not None:
        progress(output)
