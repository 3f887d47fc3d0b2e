"""The format-parity check: every item an audience's view selects is in every format, as its own item.

Run by every build on what it rendered.  The view says what the reader must
find: each takeaway, fact and figure, quote and speaker, risk, recommendation
and source.  Each format is read back as a reader would: the Markdown parsed
as CommonMark (blocks: list items, paragraphs, table cells, headings), the
HTML parsed (its block elements), the PDF's text as laid out.  An item that is
missing, or that shares one block with another item of the same list (two
risks glued into one list item), is a warning naming the format, the item and
the template that renders it; ``--strict`` makes it an error.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any

from .errors import Problem, Severity

if TYPE_CHECKING:
    import jinja2

    from .select import BriefView

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")


def fold(text: str) -> str:
    """Letters and digits only, lower case: what survives every format's typography, markup,
    hyphenation and line breaks."""
    return _NOT_WORD.sub("", text).lower()


def _plain(markdown: str) -> str:
    """Content Markdown as the words a reader sees (links as their text, no tags)."""
    return html.unescape(_TAG.sub(" ", _MD_LINK.sub(r"\1", markdown)))


@dataclass(frozen=True)
class Item:
    """One thing the reader must find: its list (items of one list must not merge), a name, its words."""

    group: str
    name: str
    section: str  # the section template that renders it, or "" for the brief template
    words: str

    @property
    def folded(self) -> str:
        return fold(self.words)


def expected_items(view: BriefView) -> list[Item]:
    """What the view selects, as items with the words that must appear."""
    items = [Item("takeaways", f"takeaway of theme '{t.id}'", "", _plain(t.takeaway)) for t in view.themes]
    for index, fact in enumerate(view.figures):
        label = fact.figure.label if fact.figure is not None else None
        items.append(Item("figures", f"figure {index + 1} of the figures table", "", _plain(label or fact.statement)))
    for theme in view.body_themes:
        where = f"of theme '{theme.id}'"
        for section in theme.sections:
            for index, item in enumerate(theme.items(section)):
                name = f"{section}.{index} {where}"
                items.append(Item(f"{section}:{theme.id}", name, section, _words_of(section, item)))
                if section == "quotes":  # one speaker may speak twice: speakers are found, never "merged"
                    items.append(Item(f"speaker:{name}", f"the speaker of {name}", section, item.speaker))
                if section == "charts":  # every plotted value's label, in the drawing or the data table
                    items.extend(Item(f"chart:{item.id}", f"value '{point.label}' of chart '{item.id}'", section,
                                      _plain(point.label)) for point in item.points)
    for index, (_theme, rec) in enumerate(view.action_list):
        items.append(Item("actions", f"recommendation {index + 1} of the closing list", "", _plain(rec.action)))
    for citation in view.citations:
        items.append(Item("sources", f"source [{citation.number}]", "", citation.source.title))
    return items


_MAIN_FIELD = {"facts": "statement", "quotes": "text", "risks": "risk", "recommendations": "action",
               "charts": "takeaway"}


def _words_of(section: str, item: Any) -> str:
    """An item's main words: a section's own item type names its field; plain text items are the words."""
    if isinstance(item, str):
        return _plain(item)
    return _plain(str(getattr(item, _MAIN_FIELD.get(section, ""), "") or ""))


# -- each format read back as blocks -------------------------------------------------------------

_BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption", "dt", "dd",
           "caption", "summary"}


# Not read as blocks: code, and a chart's drawing (its values are in its data table, a block per cell).
_SKIPPED = {"script", "style", "head", "svg"}


class _HtmlBlocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._stack: list[list[str]] = [[]]
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        elif tag in _BLOCKS:
            self._stack.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCKS and len(self._stack) > 1:
            self.blocks.append(" ".join("".join(self._stack.pop()).split()))

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._stack[-1].append(data)


def html_blocks(page: str) -> list[str]:
    parser = _HtmlBlocks()
    parser.feed(page)
    parser.close()
    return parser.blocks + [" ".join(part for stack in parser._stack for part in stack)]


def markdown_blocks(text: str) -> list[str]:
    """The Markdown's blocks as a CommonMark (GFM tables) parser sees them."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return [html.unescape(token.content) for token in tokens if token.type == "inline"]  # &lt; reads as <


# -- the check -----------------------------------------------------------------------------------------


def check_parity(view: BriefView, fmt_name: str, blocks: list[str] | None, text: str, output: str,
                 env: jinja2.Environment | None = None, template_suffix: str = "") -> list[Problem]:
    """Warnings for items of ``view`` that ``blocks`` (or, without blocks, ``text``) lack or merge."""
    folded_blocks = [fold(block) for block in blocks] if blocks is not None else [fold(text)]
    items = [item for item in expected_items(view) if item.folded]
    where = blocks_holding({item.folded for item in items}, folded_blocks)
    problems: list[Problem] = []
    holders: dict[int, list[Item]] = {}
    for item in items:
        found = sorted(where.get(item.folded, ()))
        if not found:
            problems.append(_problem(view, fmt_name, output, item, "is missing", env, template_suffix))
            continue
        if blocks is not None:
            for index in found:
                holders.setdefault(index, []).append(item)
    for held in holders.values():
        groups: dict[str, list[Item]] = {}
        for item in held:
            groups.setdefault(item.group, []).append(item)
        for same in groups.values():
            names = list(dict.fromkeys(item.name for item in same))
            if len(names) > 1:
                problems.append(_problem(view, fmt_name, output, same[1],
                                         f"is merged with {names[0]} into one block", env, template_suffix))
    return list(dict.fromkeys(problems))


def blocks_holding(needles: set[str], blocks: list[str]) -> dict[str, set[int]]:
    """For each needle, the indexes of the blocks it occurs in (as a substring).

    One Aho-Corasick pass over all blocks finds every needle at once: the time grows with the text and
    the matches, where testing each item against each block grew with their product (a brief of 400
    themes spent 23 of its 35 seconds there)."""
    import ahocorasick

    found: dict[str, set[int]] = {}
    if not needles:
        return found
    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
    for needle in needles:
        automaton.add_word(needle, needle)
    automaton.make_automaton()
    starts, offset = [], 0
    for block in blocks:  # folded blocks hold letters and digits only: a space never starts a match
        starts.append(offset)
        offset += len(block) + 1
    for end, needle in automaton.iter(" ".join(blocks)):
        found.setdefault(needle, set()).add(bisect.bisect_right(starts, end) - 1)
    return found


def _problem(view: BriefView, fmt_name: str, output: str, item: Item, what: str,
             env: jinja2.Environment | None, suffix: str) -> Problem:
    template = _template(env, f"sections/{item.section}{suffix}" if item.section else "", suffix)
    words = item.words if len(item.words) <= 60 else item.words[:57] + "…"
    return Problem(output, message=f"{fmt_name}: {item.name} ('{words}') {what}",
                   hint=f"check the template that renders it: {template}; every format must show "
                   f"what the {view.target.id} audience's view selects", severity=Severity.WARNING)


def _template(env: jinja2.Environment | None, name: str, suffix: str) -> str:
    name = name or f"brief{suffix}"
    if env is None or not suffix:
        return name
    try:
        filename = env.get_template(name).filename or name
    except Exception:  # noqa: BLE001 - naming the template is a courtesy; any failure names it plainly
        return name
    root = str(env.globals.get("project_root") or "")
    return filename[len(root) + 1:] if root and filename.startswith(root) else f"{name} (built-in)"
