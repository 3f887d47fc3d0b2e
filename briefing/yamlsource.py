"""Safe YAML reading that remembers where every value came from.

PyYAML's ``safe_load`` loses positions, accepts duplicate keys silently and
applies YAML 1.1 coercions (``NO`` becomes ``False``, ``1.10`` becomes
``1.1``, ``12:30`` becomes ``750``).  Here libyaml (through PyYAML) scans and
parses, we compose the node graph and build plain Python values ourselves:

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

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .errors import Problem
from .yamlguard import (
    NON_PRINTABLE,
    YamlProblems,
    character_hint,
    check_file,
    check_size,
    control_characters,
    decode,
    describe,
    display,
    position,
    read_regular_file,
    unreadable,
)

MAX_DEPTH = 64
MAX_VALUES = 100_000
MAX_SCALAR_CHARS = 100_000


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




class _LimitedComposer(yaml.composer.Composer):
    """PyYAML's composer with a nesting limit (it recurses per level) and a node limit.

    Composing costs microseconds a node, so a file dense with values is stopped at ``MAX_VALUES``
    nodes (an alias counts once here; ``_Builder`` bounds what aliases expand to).
    """

    peek_event: Any  # from the parser the composer is mixed with (libyaml's, or PyYAML's own)

    def __init__(self) -> None:
        super().__init__()
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
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


class _PurePythonLoader(yaml.SafeLoader, _LimitedComposer):
    def __init__(self, stream: str):
        yaml.SafeLoader.__init__(self, stream)
        _LimitedComposer.__init__(self)


try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml: every step in Python
    _DepthLimitedLoader: type[Any] = _PurePythonLoader
else:
    class _LibYamlLoader(CParser, _LimitedComposer, yaml.resolver.Resolver):
        """Scanning and parsing in libyaml (C: most of the time of reading a file), composing in Python
        (with the limits above); the positions of nodes and errors are libyaml's, line and column alike."""

        get_single_node = _LimitedComposer.get_single_node
        compose_document = _LimitedComposer.compose_document
        compose_node = _LimitedComposer.compose_node
        compose_scalar_node = _LimitedComposer.compose_scalar_node
        compose_sequence_node = _LimitedComposer.compose_sequence_node
        compose_mapping_node = _LimitedComposer.compose_mapping_node

        def __init__(self, stream: str):
            CParser.__init__(self, stream)
            _LimitedComposer.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    _DepthLimitedLoader = _LibYamlLoader


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
        raise YamlProblems([unreadable(name, exc)]) from None
    check_file(info, name)
    raw = read_regular_file(path, name)
    return parse_yaml(raw, path, name)


def parse_yaml(raw: bytes | str, path: Path, name: str) -> YamlDocument:
    if isinstance(raw, bytes):
        check_size(len(raw), name)
        text = decode(raw, name)
    else:
        check_size(len(raw.encode("utf-8", "surrogatepass")), name)
        text = raw.removeprefix("\ufeff")
    refused = control_characters(text, name)
    if refused:
        raise YamlProblems(refused)
    lines = text.splitlines()
    loader: Any = None
    try:
        loader = _DepthLimitedLoader(text)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        # An unclosed bracket or brace is found only where the next key starts: point at the opening one.
        unclosed = bool(exc.context and exc.context.startswith("while parsing a flow") and exc.context_mark)
        mark = exc.context_mark if unclosed else (exc.problem_mark or exc.context_mark)
        line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        message = " ".join(part for part in (exc.context, exc.problem) if part)
        if unclosed:
            opener = "[" if "sequence" in (exc.context or "") else "{"
            closer = "]" if opener == "[" else "}"
            message = f"'{opener}' opened here is not closed before line {exc.problem_mark.line + 1}" \
                if exc.problem_mark else f"'{opener}' opened here is not closed"
            message += f" (expected ',' or '{closer}')"
        raise YamlProblems([Problem(
            name, line, column, message=f"invalid YAML: {message}", hint=_syntax_hint(message),
            source_line=display(lines[line - 1], column) if 0 < line <= len(lines) else "")]) from None
    except yaml.reader.ReaderError as exc:
        # Not reached while the scan above matches PyYAML's reader; kept as a safety net.
        # PyYAML's position is not an index into the text, so find the character ourselves.
        found = NON_PRINTABLE.search(text)
        line, column = position(text, found.start()) if found else (0, 0)
        character = chr(exc.character) if isinstance(exc.character, int) else "\x00"
        raise YamlProblems([Problem(
            name, line, column, message=f"{describe(character)} is not allowed in YAML",
            hint=character_hint(character),
            source_line=display(lines[line - 1], column) if 0 < line <= len(lines) else "")]) from None
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
            source_line=display(self.doc.line_text(line), column)))

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
