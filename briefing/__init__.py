"""briefing: structured YAML notes in, executive briefs out (Markdown, HTML, PDF).

The public API is a few plain functions, one per pipeline stage; the CLI is a
thin shell over them::

    import briefing
    project = briefing.load_project("path/to/project")   # validate
    result = briefing.build(project)                      # render every audience
    for output in result.outputs: print(output.path, output.pages)

Heavy engines (WeasyPrint) are imported only when a PDF is rendered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .errors import BriefingError, ContentError, Problem, RenderError, TemplateError, UsageError
from .settings import VERSION as __version__

__all__ = [
    "BriefingError", "ContentError", "Problem", "RenderError", "TemplateError", "UsageError",
    "build", "draft", "load_project", "publish", "__version__",
]

if TYPE_CHECKING:
    from .draft import Draft
    from .pipeline import BuildResult
    from .project import Project


def load_project(path: Any = ".", *, strict: bool = False) -> Project:
    """Read and validate a project; raises ``ContentError`` listing every problem."""
    from .load import load_project as _load

    return _load(path, strict=strict)


def build(project: Any = ".", **options: Any) -> BuildResult:
    """Render the project's briefs; see ``briefing.pipeline.build`` for the options."""
    from .pipeline import build as _build

    return _build(project, **options)


def publish(project: Any = ".", **options: Any) -> BuildResult:
    """Write the project's static site; see ``briefing.publish.publish`` for the options."""
    from .publish import publish as _publish

    return _publish(project, **options)


def draft(source: Any, project: Any = ".", **options: Any) -> Draft:
    """Draft a source entry, brief and theme of candidate facts and quotes from a local file or an http(s)
    URL, as models; ``.write()`` puts them in the project. See ``briefing.draft.draft``."""
    from .draft import draft as _draft

    return _draft(source, project, **options)
