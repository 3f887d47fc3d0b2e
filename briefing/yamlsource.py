"""Safe YAML reading that remembers where every value came from.

PyYAML's ``safe_load`` loses positions, accepts duplicate keys silently and
applies YAML 1.1 coercions (``NO`` becomes ``False``, ``1.10`` becomes
``1.1``, ``12:30`` becomes ``750``).  Here we compose the node graph with
PyYAML's safe loader and build plain Python values ourselves:

* every scalar stays the text the author wrote (``null``/``~``/empty become
  ``None``); the typed models convert text to numbers, dates and booleans only
  where a field asks for one, so a text field never changes silently;
* duplicate keys, non-scalar keys and non-standard tags (``!!python/object``)
  are problems with a location;
* nesting depth and the number of values built are bounded, so alias bombs
  and pathological nesting fail fast instead of exhausting memory or the stack;
* hostile files are refused with a located problem, never a traceback or a
  hang: anything but a regular file (a FIFO is never opened), files over
  ``MAX_YAML_BYTES`` (checked before reading), invalid UTF-8, control
  characters YAML does not allow, and single values over ``MAX_SCALAR_CHARS``;
* a UTF-8 BOM and CRLF line endings are accepted.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem

MAX_DEPTH = 64
MAX_VALUES = 100_000
MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_SCALAR_CHARS = 100_000
MAX_CHARACTER_REPORTS = 20
_SHOWN_CHARS = 200

# The characters YAML 1.1 (and PyYAML's reader) refuses: everything outside
# tab, LF, CR, printable ASCII, NEL, U+00A0-U+D7FF, U+E000-U+FFFD and the astral planes.
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# The line breaks PyYAML counts in its marks, so our line numbers agree with its.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _CORE + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}

Path_ = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file: its data plus the line/column of each key and value."""

    path: Path
    name: str
    data: Any
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    value_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: Path_, *, prefer_key: bool = True) -> tuple[int, int]:
        """Line and column (1-based) for a field path, or its nearest located ancestor."""
        for end in range(len(loc), -1, -1):
            prefix = tuple(loc[:end])
            if prefer_key and prefix in self.key_marks:
                return self.key_marks[prefix]
            if prefix in self.value_marks:
                return self.value_marks[prefix]
            if prefix in self.key_marks:
                return self.key_marks[prefix]
        return (1, 1)

    def problem(self, loc: Path_, message: str, hint: str = "", *, prefer_key: bool = True,
                field_path: str | None = None, **kwargs: Any) -> Problem:
        line, column = self.locate(loc, prefer_key=prefer_key)
        return Problem(
            file=self.name, line=line, column=column,
            field_path=format_path(loc) if field_path is None else field_path,
            message=message, hint=hint, source_line=self.line_text(line), **kwargs,
        )

    def line_text(self, line: int) -> str:
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""


def format_path(loc: Path_) -> str:
    """``('themes', 0, 'facts')`` -> ``themes[0].facts``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class YamlProblems(Exception):
    """Raised when a file cannot be turned into data at all; carries its problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


class _DepthLimitedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a nesting limit (its composer recurses per level) and a node limit.

    Composing costs tens of microseconds a node in pure Python, so a file dense
    with values is stopped at ``MAX_VALUES`` nodes (an alias counts once here;
    ``_Builder`` bounds what aliases expand to).
    """

    def __init__(self, stream: str):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:  # type: ignore[override]
        self._depth += 1
        self._nodes += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"nesting is deeper than {MAX_DEPTH} levels", mark)
            if self._nodes > MAX_VALUES:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_VALUES:,} values in one file", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_SYNTAX_HINTS = {
    "mapping values are not allowed": "quote text that contains ': ' or fix the indentation",
    "could not find expected ':'": "each field is 'name: value'; check the line above for a missing colon",
    "found character '\\t'": "YAML indents with spaces, not tabs",
    "expected a single document": "a file holds one YAML document; remove the extra '---'",
    "found undefined alias": "define the anchor (&name) before using the alias (*name)",
    "while scanning a quoted scalar": "close the quotation mark",
    "nesting is deeper": "content is at most a few levels deep; check for runaway brackets",
    "values in one file": "split it into several theme files (themes/NN-<id>.yaml, one theme per file)",
}


def _syntax_hint(message: str) -> str:
    for needle, hint in _SYNTAX_HINTS.items():
        if needle in message:
            return hint
    return "check the indentation and quoting around this line"


def read_yaml(path: Path, name: str) -> YamlDocument:
    """Parse one YAML file into a located document or raise ``YamlProblems``.

    Problems that leave the data usable (a duplicate key, a refused tag) are
    kept on ``YamlDocument.problems`` instead of raised.

    The file is checked with ``os.stat`` before it is opened: anything but a
    regular file (a directory, a FIFO, a device) and anything over
    ``MAX_YAML_BYTES`` is refused without reading a byte.
    """
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        raise YamlProblems([_unreadable(name, exc)]) from None
    _check_file(info, name)
    raw = _read_regular_file(path, name)
    return parse_yaml(raw, path, name)


def _unreadable(name: str, exc: OSError | ValueError) -> Problem:
    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    return Problem(name, message=f"cannot read file: {reason}")


def _check_file(info: os.stat_result, name: str) -> None:
    """Refuse anything but a regular file of at most ``MAX_YAML_BYTES``."""
    mode = info.st_mode
    if not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            kind, hint = "a directory", "name a .yaml file inside it"
        else:
            if stat.S_ISFIFO(mode):
                kind = "a named pipe (FIFO)"
            elif stat.S_ISSOCK(mode):
                kind = "a socket"
            elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
                kind = "a device"
            else:
                kind = "a special file"
            hint = "save the content to a regular .yaml file and name that"
        raise YamlProblems([Problem(name, message=f"cannot read file: it is {kind}, not a regular file", hint=hint)])
    _check_size(info.st_size, name)


def _check_size(size: int, name: str) -> None:
    if size > MAX_YAML_BYTES:
        raise YamlProblems([Problem(
            name, message=f"file is {_size(size)}, over the {_size(MAX_YAML_BYTES, exact=True)} limit for a YAML file",
            hint="split it into several theme files (themes/NN-<id>.yaml, one theme per file)")])


def _size(count: int, *, exact: bool = False) -> str:
    """``104857600`` -> ``100.0 MiB``; with ``exact``, whole units lose the ``.0`` (``2 MiB``)."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= scale:
            text = f"{count / scale:.1f}"
            if exact and text.endswith(".0"):
                text = text[:-2]
            return f"{text} {unit}"
    return f"{count} bytes"


def _read_regular_file(path: Path, name: str) -> bytes:
    """Read at most ``MAX_YAML_BYTES + 1`` bytes, re-checking the opened file is regular.

    ``O_NONBLOCK`` makes opening a FIFO return at once instead of waiting for a
    writer, in case the path was swapped for one after ``os.stat``.
    """
    nonblock = getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as exc:
        raise YamlProblems([_unreadable(name, exc)]) from None
    try:
        _check_file(os.fstat(fd), name)
        if nonblock:
            os.set_blocking(fd, True)
        chunks: list[bytes] = []
        remaining = MAX_YAML_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        raise YamlProblems([_unreadable(name, exc)]) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    _check_size(len(raw), name)  # the file grew after os.stat
    return raw


def _position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting lines as PyYAML does."""
    line, line_start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, line_start = line + 1, match.end()
    return line, index - line_start + 1


def _display(line: str, column: int = 0) -> str:
    """A source line safe to echo to a terminal and short enough to read.

    Refused characters become U+FFFD, one for one, so the caret still lines up.
    A long line is cut after the column; past ``_SHOWN_CHARS`` it is left out.
    """
    if len(line) > _SHOWN_CHARS:
        line = line[:_SHOWN_CHARS] + "\u2026" if column <= _SHOWN_CHARS - 40 else ""
    return _NON_PRINTABLE.sub("\ufffd", line)


def _decode(raw: bytes, name: str) -> str:
    body = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = body[:exc.start].decode("utf-8")  # valid: the error is the first bad byte
        line, column = _position(before, len(before))
        shown = _LINE_BREAK.split(body.decode("utf-8", "replace"))
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            hint = "the file is saved as UTF-16; save it as UTF-8"
        else:
            hint = "save the file as UTF-8"
        raise YamlProblems([Problem(
            name, line, column, message=f"file is not valid UTF-8 text (byte 0x{body[exc.start]:02X})",
            hint=hint, source_line=_display(shown[line - 1], column) if line <= len(shown) else "")]) from None


def _control_characters(text: str, name: str) -> list[Problem]:
    """One problem per line holding a character YAML refuses, at most ``MAX_CHARACTER_REPORTS``."""
    if not _NON_PRINTABLE.search(text):
        return []
    bad = [(number, match.start(), match.group(), line)
           for number, line in enumerate(_LINE_BREAK.split(text), 1)
           if (match := _NON_PRINTABLE.search(line))]
    problems = []
    for number, offset, character, line in bad[:MAX_CHARACTER_REPORTS]:
        problems.append(Problem(
            name, number, offset + 1, message=f"{_describe(character)} is not allowed in YAML",
            hint=_character_hint(character), source_line=_display(line, offset + 1)))
    if len(bad) > MAX_CHARACTER_REPORTS:
        # Keep the report readable: the last slot summarises the rest.
        number, offset, _, line = bad[MAX_CHARACTER_REPORTS - 1]
        problems[-1] = Problem(
            name, number, offset + 1,
            message=f"characters YAML does not allow on {len(bad) - MAX_CHARACTER_REPORTS + 1} more lines, "
                    f"from this one to line {bad[-1][0]}",
            hint="is this a binary or UTF-16 file? save the text as UTF-8 and remove control characters",
            source_line=_display(line, offset + 1))
    return problems


def _describe(character: str) -> str:
    kind = "control character" if unicodedata.category(character) == "Cc" else "character"
    return f"{kind} U+{ord(character):04X}"


def _character_hint(character: str) -> str:
    if character == "\x1b":
        return "remove it; ESC usually comes from terminal colour codes pasted with the text"
    if character in "\x0b\x0c":
        return "remove it; page breaks and vertical tabs often come from a PDF or a word processor"
    if "\ud800" <= character <= "\udfff":
        return "remove it; a lone surrogate is not a character (broken UTF-16 conversion?)"
    if character in "\ufffe\uffff":
        return "remove it; this code point is not a character (a byte-order mark read the wrong way?)"
    return "remove it; it is often pasted in from a PDF or a binary file"


def parse_yaml(raw: bytes | str, path: Path, name: str) -> YamlDocument:
    if isinstance(raw, bytes):
        _check_size(len(raw), name)
        text = _decode(raw, name)
    else:
        _check_size(len(raw.encode("utf-8", "surrogatepass")), name)
        text = raw.removeprefix("\ufeff")
    refused = _control_characters(text, name)
    if refused:
        raise YamlProblems(refused)
    lines = text.splitlines()
    loader: _DepthLimitedLoader | None = None
    try:
        loader = _DepthLimitedLoader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        raise YamlProblems([Problem(
            name, line, column, message=f"invalid YAML: {message}", hint=_syntax_hint(message),
            source_line=_display(lines[line - 1], column) if 0 < line <= len(lines) else "")]) from None
    except yaml.reader.ReaderError as exc:
        # Not reached while the scan above matches PyYAML's reader; kept as a safety net.
        # PyYAML's position is not an index into the text, so find the character ourselves.
        found = _NON_PRINTABLE.search(text)
        line, column = _position(text, found.start()) if found else (0, 0)
        character = chr(exc.character) if isinstance(exc.character, int) else "\x00"
        raise YamlProblems([Problem(
            name, line, column, message=f"{_describe(character)} is not allowed in YAML",
            hint=_character_hint(character),
            source_line=_display(lines[line - 1], column) if 0 < line <= len(lines) else "")]) from None
    except yaml.YAMLError as exc:
        raise YamlProblems([Problem(
            name, 1, 1, message=f"invalid YAML: {exc}",
            hint="check the indentation and quoting in this file")]) from None
    except RecursionError:
        raise YamlProblems([Problem(
            name, 1, 1, message="invalid YAML: the structure is nested too deeply to read",
            hint=_syntax_hint("nesting is deeper"))]) from None
    finally:
        if loader is not None:
            loader.dispose()

    doc = YamlDocument(path=path, name=name, data=None, lines=lines)
    if node is None:
        return doc
    builder = _Builder(doc)
    doc.data = builder.build(node, (), 0)
    # Duplicate keys and refused tags leave the rest of the file usable: keep
    # the problems with the document so validation can report the others too.
    doc.problems = builder.problems
    return doc


class _Budget(Exception):
    pass


class _Builder:
    """Turns composed nodes into plain data, recording positions and problems."""

    def __init__(self, doc: YamlDocument):
        self.doc = doc
        self.problems: list[Problem] = []
        self.remaining = MAX_VALUES
        self.too_long: set[int] = set()

    def build(self, node: Node, loc: Path_, depth: int) -> Any:
        try:
            return self._build(node, loc, depth)
        except _Budget as exc:
            mark = node.start_mark
            self.problems.append(Problem(
                self.doc.name, mark.line + 1, mark.column + 1,
                message=str(exc),
                hint="avoid aliases (*name) that repeat large structures; write the content out"))
            return None

    def _problem(self, node: Node, message: str, hint: str, loc: Path_) -> None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.problems.append(Problem(
            self.doc.name, line, column, format_path(loc), message, hint,
            source_line=_display(self.doc.line_text(line), column)))

    def _too_long(self, node: ScalarNode, loc: Path_) -> bool:
        """Record a problem (once per node, however often aliased) for a scalar over the limit."""
        if len(node.value) <= MAX_SCALAR_CHARS:
            return False
        if id(node) not in self.too_long:
            self.too_long.add(id(node))
            self._problem(node, f"value is {len(node.value):,} characters long, "
                                f"over the {MAX_SCALAR_CHARS:,} character limit for one value",
                          "shorten it, or split it over several entries", loc)
        return True

    def _build(self, node: Node, loc: Path_, depth: int) -> Any:
        self.remaining -= 1
        if self.remaining < 0:
            raise _Budget(f"more than {MAX_VALUES:,} values (an alias expanding too far?)")
        if depth > MAX_DEPTH:
            raise _Budget(f"nesting is deeper than {MAX_DEPTH} levels (a recursive alias?)")
        self.doc.value_marks.setdefault(loc, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _ALLOWED_TAGS:
            shown = node.tag.replace(_CORE, "!!")
            self._problem(node, f"YAML tag '{shown}' is not allowed",
                          "content is plain data: text, numbers, lists and mappings; remove the tag",
                          loc)
            return None
        if isinstance(node, ScalarNode):
            if node.tag == _CORE + "null":
                return None
            if self._too_long(node, loc):
                return None
            return node.value
        if isinstance(node, SequenceNode):
            return [self._build(child, (*loc, index), depth + 1)
                    for index, child in enumerate(node.value)]
        if isinstance(node, MappingNode):
            return self._mapping(node, loc, depth)
        return None  # pragma: no cover - PyYAML composes only the three node kinds

    def _mapping(self, node: MappingNode, loc: Path_, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        merged: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _CORE + "merge":
                merged.update(self._merge_sources(value_node, loc, depth))
                continue
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, "a key must be a plain name, not a list or mapping",
                              "write 'name: value'", loc)
                continue
            if self._too_long(key_node, loc):
                continue
            key = key_node.value
            key_line = key_node.start_mark.line + 1
            if key in first_seen:
                self._problem(key_node, f"duplicate key '{key}' (first set on line {first_seen[key]})",
                              "remove one of the two, or merge their values", (*loc, key))
                continue
            first_seen[key] = key_line
            self.doc.key_marks[(*loc, key)] = (key_line, key_node.start_mark.column + 1)
            result[key] = self._build(value_node, (*loc, key), depth + 1)
        for key, value in merged.items():
            result.setdefault(key, value)
        return result

    def _merge_sources(self, node: Node, loc: Path_, depth: int) -> dict[str, Any]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        merged: dict[str, Any] = {}
        for source in sources:
            value = self._build(source, loc, depth + 1)
            if isinstance(value, dict):
                for key, item in value.items():
                    merged.setdefault(key, item)
            else:
                self._problem(source, "'<<' merges mappings only", "merge an anchored mapping", loc)
        return merged
