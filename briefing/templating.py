"""The one place that builds Jinja environments, and the filters templates use.

Templates are found through an ordered search path, so a project overrides a
built-in template block by block instead of copying it::

    templates/<audience>/   the audience's overrides
    templates/              the project's overrides
    (built-in)              briefing/templates inside the package
    builtin/<name>          always the built-in, so an override can extend it
    project/<name>          always the project's, so an audience override can extend it

``StrictUndefined`` makes a typo in a template an error, not an empty string;
In an HTML environment every template is autoescaped; Markdown templates
escape content with the ``text`` filter.  Project templates are read only from
regular files inside the project.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.bccache
from jinja2.loaders import split_template_path

from . import filters
from .charts import template as chart_template
from .errors import TemplateError, relative_name
from .labels import Labels
from .safe_files import MAX_TEXT_BYTES, UnsafeFile, check_file, read_text
from .sandbox import BoundedSandbox, render_bounded
from .sealed import read_sealed, write_sealed
from .settings import BUILTIN_TEMPLATES, CACHE_DIR, SYMBOLS_UNICODE_RANGE

BUILTIN_DIR = BUILTIN_TEMPLATES


Markup = Literal["html", "markdown"]


def _escape_html(name: str | None) -> bool:
    # Every template of an HTML environment is autoescaped, the shared macros included: a macro
    # called from an HTML page must never hand back content unescaped. Stylesheets are CSS, and
    # quote what they print themselves (the css_string filter).
    return not (name or "").endswith(".css")


def _escape_nothing(name: str | None) -> bool:
    return False


class SealedBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates in the project's cache folder, reused only when this machine sealed them.

    Jinja unpickles and runs what a bytecode cache hands it, so a ``.briefing/jinja/`` that came with a
    project would run its code on the first build (``--safe-templates`` included): only sealed files
    (``briefing.sealed``) are read; anything else is compiled again."""

    def __init__(self, folder: Path, project_root: Path):
        self.folder, self.root = folder, project_root

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = read_sealed(self.root, self._path(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        write_sealed(self._path(bucket), bucket.bytecode_to_string())


class ContainedLoader(jinja2.FileSystemLoader):
    """Loads templates from one folder, as ``FileSystemLoader`` does, but only regular files that stay
    inside the project (symlinks resolved) and under the size limit; anything else is a template error."""

    def __init__(self, folder: Path, project_root: Path | None):
        super().__init__(str(folder))
        self.folder = folder
        self.project_root = project_root

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = self.folder.joinpath(*split_template_path(template))
        if not os.path.lexists(path):
            raise jinja2.TemplateNotFound(template)
        root = self.project_root or self.folder
        try:
            resolved = check_file(root, path, max_bytes=MAX_TEXT_BYTES, also=(BUILTIN_TEMPLATES,))
            source = read_text(root, resolved, max_bytes=MAX_TEXT_BYTES, also=(BUILTIN_TEMPLATES,))
        except UnsafeFile as exc:
            shown = relative_name(path, root)
            raise TemplateError(f"template {shown}: {exc.reason}" + (f" ({exc.hint})" if exc.hint else "")) from None
        mtime = os.path.getmtime(resolved)
        return source, str(path), lambda: os.path.lexists(path) and os.path.getmtime(resolved) == mtime


def template_search_path(project_templates: Path | None, audience: str | None) -> list[Path]:
    """The folders searched for a template name, first match wins."""
    path: list[Path] = []
    if project_templates is not None:
        if audience:
            path.append(project_templates / audience)
        path.append(project_templates)
    path.append(BUILTIN_DIR)
    return path


def make_environment(project_templates: Path | None = None, audience: str | None = None, *,
                     language: str = "en", labels: Labels | None = None, markup: Markup = "html",
                     sandboxed: bool = False) -> jinja2.Environment:
    """A Jinja environment searching the audience's, the project's, then the built-in templates.

    ``language`` and ``labels`` are the audience's: templates read the wording as ``L`` and the
    date and number filters write for the language.  ``markup`` is what the templates write:
    ``html`` autoescapes every template; ``markdown`` escapes nothing by itself, and its ``text``
    filter escapes a content value for Markdown (in HTML ``text`` leaves it to autoescaping).
    ``sandboxed`` renders in the bounded sandbox (``--safe-templates``; see ``sandbox``).
    """
    root = project_templates.parent if project_templates is not None else None
    builtin = jinja2.FileSystemLoader(BUILTIN_DIR)
    loaders: list[jinja2.BaseLoader] = [
        builtin if folder == BUILTIN_DIR else ContainedLoader(folder, root)
        for folder in template_search_path(project_templates, audience)]
    prefixes: dict[str, jinja2.BaseLoader] = {"builtin": builtin}
    if project_templates is not None:
        prefixes["project"] = ContainedLoader(project_templates, root)
    loaders.append(jinja2.PrefixLoader(prefixes))
    # Compiled templates are kept in the project's .briefing/ folder: compiling is most of a
    # no-change rebuild's time. Jinja checks each template's source before reusing its code, and
    # only code this machine compiled is reused (SealedBytecodeCache).
    bytecode_cache = None
    if project_templates is not None:
        # One folder per markup: the same template compiles differently with and without escaping.
        cache_dir = project_templates.parent / CACHE_DIR / "jinja" / (markup + ("-sandbox" if sandboxed else ""))
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            bytecode_cache = SealedBytecodeCache(cache_dir, project_templates.parent)
        except OSError:
            bytecode_cache = None  # a read-only project still builds, only slower
    env = (BoundedSandbox if sandboxed else jinja2.Environment)(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        autoescape=_escape_html if markup == "html" else _escape_nothing,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # an environment lives for one build: no template changes under it
    )
    # Error messages name project templates relative to the project folder.
    env.globals["project_root"] = str(project_templates.parent) if project_templates else ""
    env.globals["language"] = language
    env.globals["L"] = labels or Labels()
    env.globals["symbols_range"] = SYMBOLS_UNICODE_RANGE
    env.filters.update(filters.FILTERS)
    env.filters.update(chart_template.FILTERS)
    env.globals.update(chart_template.GLOBALS)
    env.filters["text"] = filters.markdown_text if markup == "markdown" else filters.as_text
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render a template, turning any failure into a ``TemplateError`` naming file and line."""
    try:
        template = env.get_template(name)
        if isinstance(env, BoundedSandbox):
            return render_bounded(env, template, context)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = _shown(exc.filename or exc.name or name, env)
        raise TemplateError(f"{where}:{exc.lineno}: template syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name} (searched {name} in the template path)") from None
    except TemplateError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a template is the template's
        where = _template_frame(exc, env) or name
        message = str(exc) if isinstance(exc, jinja2.UndefinedError) else f"{type(exc).__name__}: {exc}"
        raise TemplateError(f"{where}: error while rendering: {message}") from None


def _shown(filename: str, env: jinja2.Environment) -> str:
    path = Path(filename)
    if path.is_absolute():
        if path.is_relative_to(BUILTIN_DIR):
            return f"(built-in) {path.relative_to(BUILTIN_DIR).as_posix()}"
        root = env.globals.get("project_root")
        return relative_name(path, Path(str(root))) if root else str(path)
    return filename


def _template_frame(exc: BaseException, env: jinja2.Environment) -> str | None:
    """``file:line`` of the innermost template frame in the traceback (Jinja maps them)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".j2") or "/templates/" in frame.filename:
            found = f"{_shown(frame.filename, env)}:{frame.lineno}"
    return found
