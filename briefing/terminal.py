"""What the command line prints: problems, a progress bar while rendering, file sizes, and the replay
of an unchanged command (``stamps``)."""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from . import stamps
from .errors import Problem

# Characters a message may carry from a file name, a field or a typed value that a terminal acts on instead
# of showing: bidi controls (embeddings, overrides, isolates, marks) reorder the rest of the line, so a
# message can say the opposite of what it says; C0 and C1 controls and DEL move the cursor, clear the
# screen or set the window title. New lines and tabs are the message's own layout.
_UNSHOWABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """``text`` with every control a terminal would act on written as an escape: ``\\u202e``, ``\\x1b``."""
    return _UNSHOWABLE.sub(lambda found: ascii(found.group())[1:-1], text)


def say(text: str, *, err: bool = False) -> None:
    """``click.echo`` for messages: the same, with every control escaped (``shown``)."""
    click.echo(shown(text), err=err)


def report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        say(problem.format(), err=True)


def problem_lines(problems: Sequence[Problem]) -> list[tuple[bool, str]]:
    return [(True, shown(problem.format())) for problem in problems]


def replayed(project: Path, command: str, options: dict[str, Any]) -> bool:
    """Print what ``command`` printed last time, if nothing it read or wrote changed since (``stamps``)."""
    lines = stamps.unchanged(project, command, options)
    for err, text in lines or ():
        say(text, err=err)
    return lines is not None


class RenderingBar:
    """Progress while rendering. On a terminal: click's progress bar on standard error (documents done
    out of the total, the last one, the time left). Elsewhere (CI, a log): a plain line per document as
    it is done, so a long build is never silent until the end."""

    def __init__(self, shown: bool = True) -> None:
        self.bar: Any = None
        self.terminal = sys.stderr.isatty()
        self.shown = shown

    def __enter__(self) -> RenderingBar:
        return self

    def update(self, output: str, done: int, total: int) -> None:
        if not self.shown:
            return
        if not self.terminal:
            click.echo(f"  [{done}/{total}] {output}")
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Rendering", file=sys.stderr, show_eta=True,
                                         item_show_func=lambda item: item)
            self.bar.__enter__()
        self.bar.update(1, output)
        if done == total:  # every document rendered: end the bar before the written files are listed
            self.__exit__()

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar, self.shown = None, False


def human_size(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size >= 1024 else f"{size} B"
