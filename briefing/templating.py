"""The one place that builds Jinja environments, and the filters templates use.

Templates are found through an ordered search path, so a project overrides a
built-in template block by block instead of copying it::

    templates/<audience>/   the audience's overrides
    templates/              the project's overrides
    (built-in)              briefing/templates inside the package
    builtin/<name>          always the built-in, so an override can extend it
    project/<name>          always the project's, so an audience override can extend it

``StrictUndefined`` makes a typo in a template an error, not an empty string;
HTML and XML templates are autoescaped.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2

from . import filters
from .errors import TemplateError, relative_name
from .labels import Labels
from .settings import BUILTIN_TEMPLATES, CACHE_DIR, SYMBOLS_UNICODE_RANGE

BUILTIN_DIR = BUILTIN_TEMPLATES


def _autoescape(name: str | None) -> bool:
    return name is not None and any(f".{ext}" in name for ext in ("html", "xml", "svg"))


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
                     language: str = "en", labels: Labels | None = None) -> jinja2.Environment:
    """A Jinja environment searching the audience's, the project's, then the built-in templates.

    ``language`` and ``labels`` are the audience's: templates read the wording as ``L`` and the
    date and number filters write for the language.
    """
    builtin = jinja2.FileSystemLoader(BUILTIN_DIR)
    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(p)
                                        for p in template_search_path(project_templates, audience)]
    prefixes: dict[str, jinja2.BaseLoader] = {"builtin": builtin}
    if project_templates is not None:
        prefixes["project"] = jinja2.FileSystemLoader(project_templates)
    loaders.append(jinja2.PrefixLoader(prefixes))
    # Compiled templates are kept in the project's .briefing/ folder: compiling is most of a
    # no-change rebuild's time. Jinja checks each template's source before reusing its code.
    bytecode_cache = None
    if project_templates is not None:
        cache_dir = project_templates.parent / CACHE_DIR / "jinja"
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache_dir))
        except OSError:
            bytecode_cache = None  # a read-only project still builds, only slower
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Error messages name project templates relative to the project folder.
    env.globals["project_root"] = str(project_templates.parent) if project_templates else ""
    env.globals["language"] = language
    env.globals["L"] = labels or Labels()
    env.globals["symbols_range"] = SYMBOLS_UNICODE_RANGE
    env.filters.update(filters.FILTERS)
    return env


def render_template(env: jinja2.Environment, name: str, context: dict[str, Any]) -> str:
    """Render a template, turning any failure into a ``TemplateError`` naming file and line."""
    try:
        return env.get_template(name).render(context)
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
