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

from .errors import Problem, Severity, UsageError, did_you_mean
from .load import Project, load_project
from .output import write_atomic
from .render_html import (
    BASE_CSS,
    FONTS_CSS,
    FONTS_DIR,
    PRINT_CSS,
    SCREEN_CSS,
    font_url_for,
    render_css,
    render_html,
)
from .render_markdown import render_markdown
from .select import BriefView, select_for_audience
from .templating import make_environment, render_template

log = logging.getLogger(__name__)

FORMATS = ("md", "html", "pdf")
ASSETS_DIR = "assets"


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
          strict: bool = False, standalone: bool = False,
          progress: Callable[[Output], None] | None = None) -> BuildResult:
    """Render every selected audience's brief in every selected format; returns what was written."""
    if not isinstance(project, Project):
        project = load_project(project, strict=strict)
    chosen_audiences = resolve_audiences(project, audiences)
    chosen_formats = resolve_formats(formats)
    out = Path(out_dir) if out_dir is not None else project.output_dir

    pending: list[_Pending] = []
    warnings: list[Problem] = []
    for audience in chosen_audiences:
        # One environment per audience: its override folder comes first in the search path.
        env = make_environment(project.templates_dir, audience)
        screen_css = render_css(env, SCREEN_CSS, font_url=font_url_for("inline")) if standalone else ""
        for brief in project.briefs:
            view = select_for_audience(project, brief, audience)
            target = out / audience / brief.id
            if "md" in chosen_formats:
                pending.append(_Pending(target.with_suffix(".md"), render_markdown(view, env).encode(),
                                        "md", audience, brief.id))
            if "html" in chosen_formats:
                page = (render_html(view, env, inline_css=screen_css, index_href=None) if standalone
                        else render_html(view, env, stylesheet_href=f"../{ASSETS_DIR}/brief.css",
                                         index_href="../index.html"))
                pending.append(_Pending(target.with_suffix(".html"), page.encode(), "html", audience, brief.id))
            if "pdf" in chosen_formats:
                pdf, refused = _render_pdf_output(project, env, view, target.with_suffix(".pdf"))
                pending.append(pdf)
                warnings += [Problem(str(pdf.path.relative_to(out)), message=f"refused to fetch {url}",
                                     hint="only files inside the project and data: URIs are allowed",
                                     severity=Severity.WARNING) for url in refused]
    if "html" in chosen_formats:
        env = make_environment(project.templates_dir, None)
        if not standalone:
            pending.append(_Pending(out / ASSETS_DIR / "brief.css", render_css(env, SCREEN_CSS).encode(), "css"))
            pending += [_Pending(out / ASSETS_DIR / "fonts" / font.name, font.read_bytes(), "font")
                        for font in sorted(FONTS_DIR.glob("*.woff2"))]
        index = render_template(env, "index.html.j2", {
            "project": project, "audiences": [project.audiences[a] for a in chosen_audiences],
            "formats": chosen_formats, "standalone": standalone,
            "font_url": font_url_for("inline" if standalone else "web"),
            "views": {(b.id, a): select_for_audience(project, b, a)
                      for b in project.briefs for a in chosen_audiences},
        })
        pending.append(_Pending(out / "index.html", index.encode(), "index"))

    # Everything rendered: only now touch the output folder.
    result = BuildResult(warnings=warnings)
    for item in pending:
        changed = write_atomic(item.path, item.data)
        output = Output(item.path, item.format, item.audience, item.brief, len(item.data), item.pages, changed)
        result.outputs.append(output)
        if progress is not None:
            progress(output)
    return result


def _render_pdf_output(project: Project, env: object, view: BriefView, path: Path) -> tuple[_Pending, list[str]]:
    from .render_pdf import render_pdf

    # The PDF takes the shared base stylesheet and the paged-media one, never the screen rules.
    fonts = font_url_for("pdf")
    css = "\n".join(render_css(env, name, view=view, font_url=fonts)  # type: ignore[arg-type]
                    for name in (FONTS_CSS, BASE_CSS, PRINT_CSS))
    html = render_html(view, env, target="pdf", inline_css=css)  # type: ignore[arg-type]
    data, pages, refused = render_pdf(html, base_url=project.root, allowed_roots=[project.root, _builtin_root()])
    return _Pending(path, data, "pdf", view.audience.id, view.id, pages), refused


def _builtin_root() -> Path:
    from .templating import BUILTIN_DIR

    return BUILTIN_DIR
