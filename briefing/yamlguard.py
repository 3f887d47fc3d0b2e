"""Guards run before YAML is parsed: what may be read at all, and which characters a file may hold.

A hostile or broken file is refused with a located problem, never a traceback
or a hang: anything but a regular file (a FIFO is never opened), files over
``MAX_YAML_BYTES`` (checked before reading), invalid UTF-8, and control
characters YAML does not allow.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from pathlib import Path

from .errors import Problem

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_CHARACTER_REPORTS = 20
_SHOWN_CHARS = 200

# The characters YAML 1.1 (and PyYAML's reader) refuses: everything outside
# tab, LF, CR, printable ASCII, NEL, U+00A0-U+D7FF, U+E000-U+FFFD and the astral planes.
NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")
# The line breaks PyYAML counts in its marks, so our line numbers agree with its.
_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


class YamlProblems(Exception):
    """Raised when a file cannot be turned into data at all; carries its problems."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def unreadable(name: str, exc: OSError | ValueError) -> Problem:
    reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc)
    return Problem(name, message=f"cannot read file: {reason}")


def check_file(info: os.stat_result, name: str) -> None:
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
    check_size(info.st_size, name)


def check_size(size: int, name: str) -> None:
    if size > MAX_YAML_BYTES:
        raise YamlProblems([Problem(
            name, message=f"file is {human_size(size)}, "
            f"over the {human_size(MAX_YAML_BYTES, exact=True)} limit for a YAML file",
            hint="split it into several theme files (themes/NN-<id>.yaml, one theme per file)")])


def human_size(count: int, *, exact: bool = False) -> str:
    """``104857600`` -> ``100.0 MiB``; with ``exact``, whole units lose the ``.0`` (``2 MiB``)."""
    for unit, scale in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if count >= scale:
            text = f"{count / scale:.1f}"
            if exact and text.endswith(".0"):
                text = text[:-2]
            return f"{text} {unit}"
    return f"{count} bytes"


def read_regular_file(path: Path, name: str) -> bytes:
    """Read at most ``MAX_YAML_BYTES + 1`` bytes, re-checking the opened file is regular.

    ``O_NONBLOCK`` makes opening a FIFO return at once instead of waiting for a
    writer, in case the path was swapped for one after ``os.stat``.
    """
    nonblock = getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, os.O_RDONLY | nonblock | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as exc:
        raise YamlProblems([unreadable(name, exc)]) from None
    try:
        check_file(os.fstat(fd), name)
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
        raise YamlProblems([unreadable(name, exc)]) from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    check_size(len(raw), name)  # the file grew after os.stat
    return raw


def position(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of ``text[index]``, counting lines as PyYAML does."""
    line, line_start = 1, 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line, line_start = line + 1, match.end()
    return line, index - line_start + 1


def display(line: str, column: int = 0) -> str:
    """A source line safe to echo to a terminal and short enough to read.

    Refused characters become U+FFFD, one for one, so the caret still lines up.
    A long line is cut after the column; past ``_SHOWN_CHARS`` it is left out.
    """
    if len(line) > _SHOWN_CHARS:
        line = line[:_SHOWN_CHARS] + "\u2026" if column <= _SHOWN_CHARS - 40 else ""
    return NON_PRINTABLE.sub("\ufffd", line)


def decode(raw: bytes, name: str) -> str:
    body = raw.removeprefix(codecs.BOM_UTF8)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = body[:exc.start].decode("utf-8")  # valid: the error is the first bad byte
        line, column = position(before, len(before))
        shown = _LINE_BREAK.split(body.decode("utf-8", "replace"))
        if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            hint = "the file is saved as UTF-16; save it as UTF-8"
        else:
            hint = "save the file as UTF-8"
        raise YamlProblems([Problem(
            name, line, column, message=f"file is not valid UTF-8 text (byte 0x{body[exc.start]:02X})",
            hint=hint, source_line=display(shown[line - 1], column) if line <= len(shown) else "")]) from None


def control_characters(text: str, name: str) -> list[Problem]:
    """One problem per line holding a character YAML refuses, at most ``MAX_CHARACTER_REPORTS``."""
    if not NON_PRINTABLE.search(text):
        return []
    bad = [(number, match.start(), match.group(), line)
           for number, line in enumerate(_LINE_BREAK.split(text), 1)
           if (match := NON_PRINTABLE.search(line))]
    problems = []
    for number, offset, character, line in bad[:MAX_CHARACTER_REPORTS]:
        problems.append(Problem(
            name, number, offset + 1, message=f"{describe(character)} is not allowed in YAML",
            hint=character_hint(character), source_line=display(line, offset + 1)))
    if len(bad) > MAX_CHARACTER_REPORTS:
        # Keep the report readable: the last slot summarises the rest.
        number, offset, _, line = bad[MAX_CHARACTER_REPORTS - 1]
        problems[-1] = Problem(
            name, number, offset + 1,
            message=f"characters YAML does not allow on {len(bad) - MAX_CHARACTER_REPORTS + 1} more lines, "
                    f"from this one to line {bad[-1][0]}",
            hint="is this a binary or UTF-16 file? save the text as UTF-8 and remove control characters",
            source_line=display(line, offset + 1))
    return problems


def describe(character: str) -> str:
    kind = "control character" if unicodedata.category(character) == "Cc" else "character"
    return f"{kind} U+{ord(character):04X}"


def character_hint(character: str) -> str:
    if character == "\x1b":
        return "remove it; ESC usually comes from terminal colour codes pasted with the text"
    if character in "\x0b\x0c":
        return "remove it; page breaks and vertical tabs often come from a PDF or a word processor"
    if "\ud800" <= character <= "\udfff":
        return "remove it; a lone surrogate is not a character (broken UTF-16 conversion?)"
    if character in "\ufffe\uffff":
        return "remove it; this code point is not a character (a byte-order mark read the wrong way?)"
    return "remove it; it is often pasted in from a PDF or a binary file"
