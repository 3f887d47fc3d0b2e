"""One exception tree for every user-facing failure, and the problems they carry.

The CLI maps each class to an exit code once (``exit_code``) and prints the
message without a traceback; the Python API raises the same classes.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can.

    Ordering is by file, then line, then column, so a sorted list reads like a
    compiler's output.
    """

    file: str
    line: int = 0
    column: int = 0
    field_path: str = ""
    message: str = ""
    hint: str = ""
    severity: Severity = Severity.ERROR
    source_line: str = field(default="", compare=False)

    @property
    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}"
        return self.file

    def format(self) -> str:
        """Render as ``file:line:col: error: field: message`` plus context lines."""
        where = f"{self.field_path}: " if self.field_path else ""
        text = f"{self.location}: {self.severity.value}: {where}{self.message}"
        if self.source_line.strip():
            caret = " " * max(self.column - 1, 0) + "^"
            text += f"\n    {self.source_line.rstrip()}\n    {caret}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text

    def as_error(self) -> Problem:
        return Problem(
            self.file, self.line, self.column, self.field_path, self.message,
            self.hint, Severity.ERROR, self.source_line,
        )


class BriefingError(Exception):
    """Root of every error the tool reports to a user (no traceback)."""

    exit_code = 1


class ContentError(BriefingError):
    """The project's configuration or content is invalid; carries every problem found."""

    exit_code = 1

    def __init__(self, problems: Sequence[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        summary = f"{count} problem{'s' if count != 1 else ''} found"
        super().__init__(summary + "\n" + "\n".join(p.format() for p in self.problems))

    def __reduce__(self) -> tuple[type[ContentError], tuple[list[Problem]]]:
        return type(self), (self.problems,)  # from a worker process back to the build, problems intact


class TemplateError(BriefingError):
    """A template failed to load or render; names the template file and line."""

    exit_code = 3


class RenderError(BriefingError):
    """An output could not be produced (engine failure, refused resource, I/O).

    Reads ``<what failed>: <path>: <reason>``, leaving out the parts not given.
    """

    exit_code = 4

    def __init__(self, message: str, path: str | Path | None = None, reason: str = ""):
        self.message, self.path, self.reason = message, path, reason
        super().__init__(": ".join(str(part) for part in (message, path, reason) if part))

    def __reduce__(self) -> tuple[type[RenderError], tuple[str, str | Path | None, str]]:
        return type(self), (self.message, self.path, self.reason)  # survives pickling between processes

    @classmethod
    def from_os_error(cls, what: str, error: OSError, path: str | Path | None = None) -> RenderError:
        """``what`` failed on ``path`` (default: the file the error names) for the system's reason."""
        where = path if path is not None else error.filename
        return cls(what, where, error.strerror or str(error) or type(error).__name__)


class UsageError(BriefingError):
    """The command was called wrongly (bad option value, missing project)."""

    exit_code = 2


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ``did you mean 'x'?`` for the closest choice, or an empty string."""
    word = str(word)
    options = sorted(set(choices))
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if not matches and len(word) >= 3:
        # A shortened id ('bi-silicon' for 'bi-silicon-supercomputers') is a likely slip too.
        matches = [option for option in options if option.startswith(word) or word.startswith(option)][:1]
    return f"did you mean '{matches[0]}'?" if matches else ""


def relative_name(path: Path, root: Path) -> str:
    """A path as users typed it: relative to the project root where possible."""
    try:  # the link's own name, not its target's: a symlink out of the project is named where it is
        return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return str(path)
