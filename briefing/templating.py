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

import datetime as dt
import html
import re
import traceback
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .errors import TemplateError, relative_name
from .models import Figure

BUILTIN_DIR = Path(__file__).parent / "templates"

# Raw HTML in content is sanitized to these tags; anything else is stripped.
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre",
                "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "del",
                "h3", "h4", "h5", "h6", "hr", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "smarty"]
_UNIT_ATTACHED = {"%", "x", "×", "pp"}


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


def make_environment(project_templates: Path | None = None, audience: str | None = None) -> jinja2.Environment:
    """A Jinja environment searching the audience's, the project's, then the built-in templates."""
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
        cache_dir = project_templates.parent / ".briefing" / "jinja"
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
    env.filters.update({
        "long_date": long_date,
        "figure": format_figure,
        "markdown": markdown_to_html,
        "inline_markdown": inline_markdown_to_html,
        "plain_markdown": plain_markdown,
        "md_escape": md_escape,
        "word_count": word_count,
    })
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


# -- filters --------------------------------------------------------------------------


def long_date(value: dt.date | None) -> str:
    """``2024-12-03`` -> ``3 December 2024`` (locale-independent)."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%B')} {value.year}"


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def format_figure(figure: Figure) -> str:
    """``30, 40, '%'`` -> ``30–40%``; ``8, 'billion', '$'`` -> ``$8 billion``; ``4, 'x'`` -> ``4×``."""
    text = figure.currency + _number(figure.value)
    if figure.upper is not None:
        text += "–" + figure.currency + _number(figure.upper)
    unit = figure.unit.strip()
    if unit in _UNIT_ATTACHED:
        text += "×" if unit == "x" else unit
    elif unit:
        text += "\u00a0" + unit
    return text


def _sanitize(fragment: str) -> str:
    import nh3  # imported on first use: a build with nothing to render never needs it

    return nh3.clean(fragment, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def markdown_to_html(text: str | None) -> Markup:
    """Content Markdown to sanitized HTML blocks (raw HTML in content is cleaned)."""
    if not text:
        return Markup("")
    import markdown  # imported on first use, like nh3

    rendered = markdown.markdown(text, extensions=_MARKDOWN_EXTENSIONS, output_format="html")
    return Markup(_sanitize(rendered))


_ONE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


def inline_markdown_to_html(text: str | None) -> Markup:
    """Content Markdown for one line (a takeaway, a fact): no wrapping paragraph."""
    block = str(markdown_to_html(text)).strip()
    match = _ONE_PARAGRAPH.match(block)
    return Markup(match.group(1) if match and "<p>" not in match.group(1) else block)


_TAG = re.compile(r"</?[A-Za-z][^>]*>")


def plain_markdown(text: str | None) -> str:
    """Content Markdown for the Markdown output: raw HTML tags removed, text kept."""
    if not text:
        return ""
    if "<" in text and _TAG.search(text):
        import nh3

        text = html.unescape(nh3.clean(text, tags=set()))
    return text.strip()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|<>])")


def md_escape(text: str | None) -> str:
    """Escape text (a title, a name) so Markdown shows it literally."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def word_count(text: str | None) -> int:
    return len(re.findall(r"\w[\w'’-]*", plain_markdown(text)))
