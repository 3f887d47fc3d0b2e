"""The filters templates use: dates and numbers for the audience's language, figures, content Markdown.

Content Markdown becomes HTML through Python-Markdown and then nh3 with an
explicit allow-list; that sanitized HTML is the one value from content that
templates may output unescaped.  Filters that write for a language read it
from the environment (``make_environment(language=...)``).
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import re
import string
import threading
from typing import Any

import jinja2
from markupsafe import Markup

from .labels import Labels, format_date, format_number
from .models import ORDER_OF_MAGNITUDE, Figure

# Raw HTML in content is sanitized to these tags; anything else is stripped.
ALLOWED_TAGS = {"a", "abbr", "b", "blockquote", "br", "code", "em", "i", "li", "ol", "p", "pre",
                "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "ul", "del",
                "h3", "h4", "h5", "h6", "hr", "span"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
_MARKDOWN_EXTENSIONS = ["tables", "sane_lists", "smarty"]
_UNIT_ATTACHED = {"%", "x", "×", "pp"}



def _language(env: jinja2.Environment) -> str:
    return str(env.globals.get("language", "en"))


@jinja2.pass_environment
def long_date(env: jinja2.Environment, value: dt.date | None) -> str:
    """A date as the audience's language writes it, in the labels' ``date_format``."""
    labels = env.globals.get("L")
    pattern = labels.date_format if isinstance(labels, Labels) else "long"
    return format_date(value, _language(env), pattern)


@jinja2.pass_environment
def figure_filter(env: jinja2.Environment, figure: Figure) -> str:
    labels = env.globals.get("L")
    hedge = labels.qualifier(figure.qualifier) if isinstance(labels, Labels) and figure.qualifier else None
    return format_figure(figure, _language(env), hedge, labels if isinstance(labels, Labels) else None)


@jinja2.pass_environment
def number_filter(env: jinja2.Environment, value: float) -> str:
    return format_number(value, _language(env))


def format_figure(figure: Figure, language: str = "en", hedge: str | None = None,
                  labels: Labels | None = None) -> str:
    """``30, 40, '%'`` -> ``30–40%``; ``8, 'billion', '$'`` -> ``$8 billion``; ``4, 'x'`` -> ``4×``;
    with its qualifier, ``over 5×`` (``hedge`` is the qualifier in the audience's words)."""
    if figure.qualifier == ORDER_OF_MAGNITUDE:  # a vague amount stays vague: "hundreds of thousands of chips"
        words = labels if labels is not None else Labels()
        return words.magnitude(figure.value, figure.unit.strip())
    text = figure.currency + format_number(figure.value, language)
    if figure.qualifier:
        text = (hedge or figure.qualifier) + "\u00a0" + text
    if figure.upper is not None:
        text += "–" + figure.currency + format_number(figure.upper, language)
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


_CONVERTERS = threading.local()


def _converter() -> Any:
    """One Markdown converter per thread, reset between texts (making one costs more than converting)."""
    converter = getattr(_CONVERTERS, "markdown", None)
    if converter is None:
        import markdown  # imported on first use, like nh3

        converter = _CONVERTERS.markdown = markdown.Markdown(extensions=_MARKDOWN_EXTENSIONS, output_format="html")
    return converter.reset()


@functools.lru_cache(maxsize=4096)
def markdown_to_html(text: str | None) -> Markup:
    """Content Markdown to sanitized HTML blocks (raw HTML in content is cleaned). The same text is
    rendered for every audience and every HTML format of a build: it is converted once."""
    if not text:
        return Markup("")
    return Markup(_sanitize(_converter().convert(text)))


_ONE_PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.DOTALL)


def inline_markdown_to_html(text: str | None) -> Markup:
    """Content Markdown for one line (a takeaway, a fact): no wrapping paragraph."""
    block = str(markdown_to_html(text)).strip()
    match = _ONE_PARAGRAPH.match(block)
    return Markup(match.group(1) if match and "<p>" not in match.group(1) else block)


_TAG = re.compile(r"</?[A-Za-z][^>]*>")


SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# A link destination's scheme, inline ("](javascript:") or in a reference definition ("[a]: javascript:");
# backslashes count, since CommonMark reads "javascript\:" as "javascript:".
_SCHEME = r"\s*<?\s*((?:\\?[A-Za-z0-9+.\-])+)\\?:"
_INLINE_LINK = re.compile(r"\]\(" + _SCHEME)
_REFERENCE_LINK = re.compile(r"^( {0,3})\[([^\]\n]+)\]:" + _SCHEME, re.MULTILINE)


def _unsafe_scheme(match: re.Match[str], group: int) -> bool:
    return match.group(group).replace("\\", "").lower() not in SAFE_SCHEMES


# A code span keeps its text as written: every engine shows it literally, tags included.
_CODE_SPAN = re.compile(r"((`+)(?:(?!\2).)+?\2)", re.DOTALL)
_BLOCKQUOTE = re.compile(r"^( {0,3})&gt;", re.MULTILINE)
# An '&' that would start an entity ('&lt;' typed as text): a bare '&' ("R&D", "Audit & Risk") reads as is.
_ENTITY_START = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def _entities(text: str) -> str:
    """Content outside code spans, with tags removed (their text kept) and ``&``, ``<``, ``>`` as entities:
    Python-Markdown (MkDocs' engine) ignores a backslash before ``<``, so only an entity is safe in every
    dialect. A ``>`` that opens a line stays a block quote."""
    if _TAG.search(text):
        import nh3

        text = nh3.clean(text, tags=set())
    text = _ENTITY_START.sub("&amp;", html.unescape(text)).replace("<", "&lt;").replace(">", "&gt;")
    return _BLOCKQUOTE.sub(r"\1>", text)


def plain_markdown(text: str | None) -> str:
    """Content Markdown for the Markdown output, never carrying raw HTML or a script link.

    Tags are removed (their text kept) and entities decoded, so an escaped ``&lt;script&gt;`` is
    text; then every ``<`` is escaped, so nothing in the output can open a tag, and a link whose
    scheme is not http, https or mailto is written as text, not as a link.
    """
    if not text:
        return ""
    if "<" in text or "&" in text or ">" in text:
        kept, last = [], 0
        for span in _CODE_SPAN.finditer(text):
            kept += [_entities(text[last:span.start()]), span.group()]
            last = span.end()
        text = "".join([*kept, _entities(text[last:])])
    if "](" in text:
        text = _INLINE_LINK.sub(lambda m: "]\\(" + m.group(0)[2:] if _unsafe_scheme(m, 1) else m.group(0), text)
    if "]:" in text:
        text = _REFERENCE_LINK.sub(lambda m: m.group(1) + "\\" + m.group(0)[len(m.group(1)):]
                                   if _unsafe_scheme(m, 3) else m.group(0), text)
    return _unwrap_paragraphs(typographic(text.strip()))


# Lines that start a Markdown block of their own and must keep their line break.
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|#|\||```|~~~|    )")


def _unwrap_paragraphs(text: str) -> str:
    """Join the lines of each paragraph (YAML block scalars keep the author's line breaks), so pasted
    into chat or email a paragraph is one line; lists, quotes, tables, headings and code keep theirs."""
    if "\n" not in text:
        return text
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            out.append(line)
            continue
        joinable = (not fenced and out and out[-1].strip() and line.strip() and not _BLOCK_START.match(line)
                    and not _BLOCK_START.match(out[-1]) and not out[-1].endswith("  "))
        if joinable:
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


def no_widow(text: Any) -> Any:
    """Join a heading's last two words with a no-break space, so no line holds one word alone
    (the PDF engine has no ``text-wrap: balance``)."""
    if text is None:
        return ""
    words = str(text).rsplit(" ", 1)
    if len(words) < 2 or len(str(text).split()) < 4 or len(words[1]) > 12 or any(c in words[1] for c in '<>="'):
        return text
    joined = words[0] + "\u00a0" + words[1]
    return type(text)(joined) if hasattr(text, "__html__") else joined


def heading_anchor(text: str) -> str:
    """The id GitHub gives a Markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|])")
_MD_ENTITIES = {"<": "&lt;", ">": "&gt;"}


def md_escape(text: str | None) -> str:
    """Escape text (a title, a name) so Markdown shows it literally: ``<``, ``>`` and an ``&`` that would
    start an entity as entities (safe in every dialect), the other marks with a backslash."""
    text = re.sub(r"[<>]", lambda m: _MD_ENTITIES[m.group()], _ENTITY_START.sub("&amp;", text or ""))
    return _MD_SPECIAL.sub(r"\\\1", text)


# Typography for plain text: what Python-Markdown's smarty extension does for content Markdown in HTML,
# done once here for every other value (titles, names, the Markdown output), outside code and links.
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)|'(?=\d\ds\b)")
_OPEN_SINGLE = re.compile(r"(^|(?<=[\s(\[{“—–-]))'")
_OPEN_DOUBLE = re.compile(r'(^|(?<=[\s(\[{‘—–-]))"')
_UNTOUCHED = re.compile(r"(`+)(?:(?!\1).)*?\1|\]\([^)]*\)|<https?://[^>]*>|https?://\S+", re.DOTALL)


def _smart(text: str) -> str:
    text = _APOSTROPHE.sub("’", text)
    text = _OPEN_SINGLE.sub("‘", text).replace("'", "’")
    text = _OPEN_DOUBLE.sub("“", text).replace('"', "”")
    return text.replace("...", "…").replace(" -- ", " – ")


def typographic(text: str) -> str:
    """Curly quotes and apostrophes, ellipses and en dashes, leaving code spans, link targets and URLs alone."""
    if not any(mark in text for mark in ("'", '"', "...", " -- ")):
        return text
    out, last = [], 0
    for match in _UNTOUCHED.finditer(text):
        out.append(_smart(text[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_smart(text[last:]))
    return "".join(out)


def as_text(value: Any) -> Any:
    """A content value as plain text, typographic, for autoescaping to escape (the HTML ``text`` filter)."""
    if value is None:
        return ""
    return value if hasattr(value, "__html__") else typographic(str(value))


def markdown_text(value: Any) -> str:
    """A content value as Markdown text: typographic, and escaped so Markdown shows it literally."""
    return md_escape(typographic(str(value))) if value is not None else ""


def word_count(text: str | None) -> int:
    return len(re.findall(r"\w[\w'’-]*", plain_markdown(text)))


# Escaped in CSS strings: quotes and backslashes, line breaks, and what could end a <style> element.
_CSS_UNSAFE = re.compile(r'["\\\n\r<>&]')


def css_string(text: str, **counters: str) -> Markup:
    """A label as CSS ``content``: ``'Page {page} of {pages}'`` with ``page='counter(page)'`` becomes
    ``"Page " counter(page) " of " counter(pages)``; the text parts are quoted and escaped."""
    parts: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(text):
        if literal:
            parts.append('"' + _CSS_UNSAFE.sub(lambda m: f"\\{ord(m.group()):x} ", literal) + '"')
        if name:
            parts.append(counters[name])
    return Markup(" ".join(parts) or '""')


FILTERS: dict[str, Any] = {
    "long_date": long_date,
    "figure": figure_filter,
    "number": number_filter,
    "markdown": markdown_to_html,
    "inline_markdown": inline_markdown_to_html,
    "plain_markdown": plain_markdown,
    "md_escape": md_escape,
    "word_count": word_count,
    "css_string": css_string,
    "heading_anchor": heading_anchor,
    "no_widow": no_widow,
}
