"""The orchestrator: load -> select per audience -> render each format -> check -> write.

The order matters: the output folder is checked (never the project, home or
someone else's folder), then every output is rendered (or found unchanged in
the cache) before any file is written, so a template error, an engine failure
or a ``--strict`` budget leaves the output folder exactly as it was.  Then
the whole folder is staged beside the old one and swapped in at once
(``staging.StagedOutput``): a full disk, a kill or a crash mid-write leaves
the previous build, byte for byte.  Pooled formats (PDF) are submitted to the
engine pool as soon as they are prepared, so with several workers they render
while this process prepares the next documents; the engine is imported only
when such an output is stale.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import formats as _builtin_formats  # noqa: F401 - registers the built-in formats
from .budgets import check_budgets
from .cache import BuildCache, Fingerprints
from .charts.render import ChartRenderer
from .engine import EnginePool, as_done
from .errors import ContentError, Problem, RenderError, Severity, UsageError, did_you_mean, relative_name
from .links import SiteOptions, page_links
from .load import load_project
from .parity import check_parity
from .project import Project
from .registry import DEFAULT_FORMATS, FORMATS, Format, Rendered, RenderRequest
from .select import BriefView, Target, make_target, select_for_audience
from .settings import ASSETS_DIR, CACHE_DIR
from .site import site_files
from .staging import MARKER, StagedOutput, check_output_folder
from .templating import make_environment

if TYPE_CHECKING:
    import jinja2

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
          force_out: bool = False, extra_files: Callable[[BuildResult], dict[str, bytes]] | None = None,
          safe_templates: bool = False, progress: Callable[[Output], None] | None = None,
          rendering: Callable[[str, int, int], None] | None = None,
          early: Callable[[list[Output]], None] | None = None, durable: bool = True) -> BuildResult:
    """Render every selected audience's brief in every selected format; returns what was written.

    ``formats`` are names from the format registry (default: md, html, pdf).  Outputs whose
    inputs are unchanged since the last build are not rendered again (``force`` renders all).
    Pooled formats render in ``jobs`` processes (default: one per core), or on ``executor``.
    With ``strict``, an exceeded budget (or any warning) fails the build before anything is written.
    ``site`` (from ``publish``) adds the public address and the sources page to the web pages, and
    ``extra_files`` (from the views, once everything rendered) more files to write in the same swap.
    An output folder that is the project, contains it, is home or ``/``, or holds files briefing did not
    write is refused (``staging.OutputFolderError``) unless ``force_out``.  Files an earlier build wrote
    that this one does not are removed; any other file in the folder is kept.
    ``safe_templates`` renders every template in the bounded sandbox (for templates from others).
    ``rendering(output, done, total)`` is called as each output is rendered (or found unchanged), while
    the build runs; ``progress`` is called for each file as it is written, at the end.
    ``early(outputs)`` (for ``serve``; not with ``strict``): Markdown, HTML and the site files are written
    as soon as they are rendered, before the pooled formats (PDF) finish, and ``early`` gets them.
    ``durable=False`` (serve) skips the fsyncs that make the output survive a power cut; writes stay atomic.
    Every fresh output is read back and checked for parity with its view (``parity``).
    """
    site = site or SiteOptions()
    if not isinstance(project, Project):
        project = load_project(project, strict=strict)
    targets = [make_target(project, audience) for audience in resolve_audiences(project, audiences)]
    chosen = FORMATS.resolve(formats or DEFAULT_FORMATS)
    out = Path(out_dir) if out_dir is not None else project.output_dir
    check_output_folder(out, project_root=project.root, allow_any=force_out, inputs=project.input_dirs)
    cache = BuildCache(project.root, out)
    prints = Fingerprints(project.root, project.templates_dir, list(project.audiences))
    result = BuildResult(targets=targets)

    # 1. Select what changed, then render it. The pool starts first, so its workers warm up while this
    #    process prepares documents; pooled documents are prepared first and longest first (by last
    #    build's page counts), so the workers are busy while this process renders Markdown and HTML.
    planned: list[_Planned] = []
    for fmt, request in render_requests(project, targets, chosen, site, sandboxed=safe_templates):
        view = result.views[(request.view.id, request.view.target.id)] = request.view
        item = _Planned(out / view.target.id / f"{view.id}{fmt.suffix}", fmt, view, prints.output_key(request, fmt),
                        request)
        item.cached = None if force else cache.fresh(item.path, item.key)
        planned.append(item)
    stale = sorted((item for item in planned if item.cached is None),
                   key=lambda item: (not item.format.pooled, -cache.expected_pages(item.path, item.view)))
    done = 0

    def rendered(item: _Planned) -> None:
        nonlocal done
        done += 1
        if rendering is not None:
            rendering(item.path.relative_to(out).as_posix(), done, len(planned))

    for item in planned:
        if item.cached is not None:
            rendered(item)
    with EnginePool(workers=jobs or os.cpu_count() or 1, executor=executor) as pool:
        warm_ups = {item.format.name: item.format.warm_up(item.request) for item in stale if item.format.pooled}
        if warm_ups:  # a build with no stale PDF starts no worker
            pool.start([job for job in warm_ups.values() if job is not None])
        # With workers beside this process, pooled documents go first, so the workers are busy while this
        # process renders the rest. Alone, or when pages are wanted early (serve), Markdown and HTML go
        # first, and with ``early`` they are on disk before any PDF is even prepared.
        pooled = [item for item in stale if item.format.pooled]
        here = [item for item in stale if not item.format.pooled]
        pooled_first = pool.parallel and early is None
        for item in pooled + here if pooled_first else here:
            item.env = item.request.env
            _render(item, item.request, pool, label=item.path.relative_to(out).as_posix())
            if item.job is None:
                rendered(item)
        shared = site_files(project, result.views, targets, chosen, site=site, sandboxed=safe_templates)
        if early is not None and pooled and not strict:
            early(_write(out, here, dict(shared), cache, force=force, owned=lambda _name: False,
                         durable=durable))
            with contextlib.suppress(OSError):
                cache.save()
        for item in [] if pooled_first else pooled:
            item.env = item.request.env
            _render(item, item.request, pool, label=item.path.relative_to(out).as_posix())

        # 2. The engine's results, as they come.
        pending = {item.job: item for item in stale if item.job is not None}
        for job in as_done(pending):
            item = pending[job]
            try:
                item.rendered = job.result()
            except BrokenExecutor:  # the worker died: killed, or out of memory inside the engine
                raise RenderError("cannot render", item.path.relative_to(out).as_posix(),
                                  "the rendering process died (out of memory?)") from None
            rendered(item)

    # 3. Checks, then 4. the write: the whole output folder in one staged swap. With ``strict`` a warning
    #    fails the build, so the checks come first; otherwise they change nothing that is written, and
    #    come after, so the files are on disk sooner (serve's edit-to-page time).
    if strict and (warnings := _checks(project, out, planned, result.views)):
        raise ContentError([w.as_error() for w in warnings])
    files = dict(shared)
    files.update((name, (data, "site")) for name, data in (extra_files(result) if extra_files else {}).items())
    owned = _owner(project, targets, chosen, writes_site=bool(shared), recorded=cache.entries)
    for output in _write(out, planned, files, cache, force=force, owned=owned, durable=durable):
        _report(result, progress, output)
    result.warnings = [] if strict else _checks(project, out, planned, result.views)
    try:
        cache.save()  # after the swap: a cache never describes outputs that are not there
    except OSError as error:
        result.warnings.append(Problem(relative_name(cache.path, project.root), severity=Severity.WARNING,
                                       message=f"could not save the build cache: {error.strerror or error}",
                                       hint="the outputs are written; the next build renders them again"))
    return result


def _checks(project: Project, out: Path, planned: list[_Planned],
            views: dict[tuple[str, str], BriefView]) -> list[Problem]:
    """The engines' warnings, budgets on real page counts and words, and every fresh output's parity."""
    warnings = [Problem(item.path.relative_to(out).as_posix(), message=message,
                        hint="the engine reads only files inside the project and data: URIs; fix the stylesheet, "
                        "template or file it names",
                        severity=Severity.WARNING) for item in planned for message in item.warnings]
    pages = {(item.view.id, item.view.target.id): item.page_count for item in planned if item.format.name == "pdf"}
    for (brief_id, audience), view in views.items():
        warnings += check_budgets(project, view, pdf_pages=pages.get((brief_id, audience)))
    for item in planned:
        if item.rendered is not None:  # a reused output was checked when it was rendered
            warnings += _parity(item, item.path.relative_to(out).as_posix())
    return warnings


_SHARED_KEY = "shared"  # the cache's key for the index and site files: recorded so a later build may remove them


def _owner(project: Project, targets: Sequence[Target], formats: Sequence[Format],
           writes_site: bool, recorded: dict[str, dict[str, Any]]) -> Callable[[str], bool]:
    """Whether a file an earlier build wrote is this build's to remove when it no longer writes it: a brief
    output of an audience and format this build renders (its brief is gone), anything in the folder of
    an audience that no longer exists, and the site's shared files when this build writes them. A build
    of one audience or one format never removes the others'."""
    built = {target.id for target in targets}
    chosen = {fmt.name for fmt in formats}
    suffixes = sorted(FORMATS, key=lambda fmt: len(fmt.suffix), reverse=True)

    def owned(name: str) -> bool:
        parent = recorded.get(name, {}).get("of")
        if parent:  # a file written with an output (a chart drawing) goes with it
            return owned(str(parent))
        folder, _, rest = name.partition("/")
        if rest and "/" not in rest and folder in project.audiences:
            fmt = next((fmt for fmt in suffixes if rest.endswith(fmt.suffix)), None)
            return folder in built and fmt is not None and fmt.name in chosen
        if rest and folder not in project.audiences and folder != ASSETS_DIR and "/" not in rest:
            return True
        return writes_site
    return owned


def _write(out: Path, planned: list[_Planned], files: dict[str, tuple[bytes, str]], cache: BuildCache, *,
           force: bool, owned: Callable[[str], bool], durable: bool = True) -> list[Output]:
    """Stage every output, drop what an earlier build wrote and this one did not, and swap the folder in.

    Raises RenderError (naming the file and the system's reason) when the disk refuses; the previous
    output is then untouched.
    """
    previous = set(cache.entries)  # every file briefing wrote into this folder and still knows about
    outputs: list[Output] = []
    kept: set[str] = set()  # files written with an output (chart drawings): not outputs, never stale
    try:
        with StagedOutput(out, durable=durable) as stage:
            def put(name: str, data: bytes) -> bool:
                try:
                    return stage.write(name, data, force=force)
                except OSError as error:
                    raise RenderError.from_os_error("cannot write the output", error, out / name) from error

            if force:
                stage.remove(MARKER)  # rewritten on commit, like every other file
            for item in planned:
                changed = False
                name = item.path.relative_to(out).as_posix()
                if item.cached is None:
                    changed = put(name, item.data)
                    cache.record(item.path, item.key, item.data, item.page_count)
                    companions = item.rendered.files if item.rendered is not None else {}
                    for file, data in companions.items():
                        path = item.path.parent / file
                        put(path.relative_to(out).as_posix(), data)
                        cache.record(path, item.key, data, None, of=item.path)
                else:
                    companions = {file: b"" for file in cache.companions(name)}
                outputs.append(Output(item.path, item.format.name, item.view.target.id, item.view.id,
                                      item.size, item.page_count, changed, reused=item.cached is not None))
                kept.update((item.path.parent / file).relative_to(out).as_posix() if item.cached is None
                            else file for file in companions)
            for name, (data, kind) in files.items():
                outputs.append(Output(out / name, kind, None, None, len(data), None, put(name, data)))
                cache.record(out / name, _SHARED_KEY, data, None)
            written = {output.path.relative_to(out).as_posix() for output in outputs} | kept
            stale = {name for name in previous - written if owned(name)}
            stage.discard(stale)
            for name in stale:
                cache.forget(name)
    except OSError as error:
        raise RenderError.from_os_error("cannot write the output folder", error, out) from error
    return outputs


def _parity(item: _Planned, output: str) -> list[Problem]:
    rendered, fmt = item.rendered, item.format
    assert rendered is not None
    try:
        blocks = fmt.blocks(rendered.data)
        text = rendered.text if rendered.text is not None or blocks is not None else fmt.text(rendered.data)
    except Exception as error:  # noqa: BLE001 - a format that cannot be read back is reported, not fatal
        return [Problem(output, message=f"{fmt.name}: could not read the output back to check it: {error}",
                        hint="the parity check needs the format's text", severity=Severity.WARNING)]
    suffix = ".md.j2" if fmt.markup == "markdown" else ".html.j2"
    return check_parity(item.view, fmt.name, blocks, text or "", output, item.env, suffix)


def render_requests(project: Project, targets: Sequence[Target], formats: Sequence[Format],
                    site: SiteOptions | None = None, *,
                    sandboxed: bool = False) -> Iterator[tuple[Format, RenderRequest]]:
    """What to render: every brief for every audience in every format, each with its view and links."""
    for target in targets:
        # One environment per audience and markup: the audience's override folder comes first in the
        # search path, and HTML templates autoescape while Markdown ones escape for Markdown.
        envs = {markup: make_environment(project.templates_dir, target.id, language=target.language,
                                         labels=target.labels, markup=markup, sandboxed=sandboxed)
                for markup in {fmt.markup for fmt in formats}}
        charts = ChartRenderer(target.brand, target.labels, target.language, root=project.root,
                               cache_dir=project.root / CACHE_DIR)
        for env in envs.values():
            env.globals["chart_renderer"] = charts
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
    request: RenderRequest = field(repr=False)
    cached: dict[str, Any] | None = None
    rendered: Rendered | None = None
    env: jinja2.Environment | None = None
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


def _render(item: _Planned, request: RenderRequest, pool: EnginePool, *, label: str) -> None:
    fmt = item.format
    if fmt.pooled:
        item.job = pool.submit(fmt.job(request), label=label)
    else:
        rendered = fmt.render(request)
        item.rendered = rendered if isinstance(rendered, Rendered) else Rendered(rendered)


def _report(result: BuildResult, progress: Callable[[Output], None] | None, output: Output) -> None:
    result.outputs.append(output)
    if progress is not None:
        progress(output)
