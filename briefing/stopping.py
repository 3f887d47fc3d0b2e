"""Stopping on a signal: SIGTERM (systemd, Docker, a supervisor) and SIGHUP (the terminal went away) end a
command as Ctrl-C does.

Python's default for both is to die on the spot, which skips every ``finally``: a build's or a server's
PDF workers are never ended and wait for work forever.  Raised as a ``KeyboardInterrupt``, the signal
takes Ctrl-C's path instead: the workers are ended, nothing half-built is written, and the command's exit
code tells which signal stopped it (``128 + signal number``, the shell's convention).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class Stopped(KeyboardInterrupt):
    """A stop signal, raised in the main thread wherever it was (as Ctrl-C's ``KeyboardInterrupt`` is)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def _stop(signum: int, _frame: FrameType | None) -> None:
    for other in STOP_SIGNALS:  # a second signal must not interrupt the clean-up the first one started
        signal.signal(other, signal.SIG_IGN)
    raise Stopped(signum)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within: SIGTERM and SIGHUP raise ``Stopped`` in the main thread; the previous handlers after.

    Outside the main thread (where Python cannot install handlers) nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def interrupted_code(interrupt: BaseException | None) -> tuple[str, int]:
    """What an interrupted command prints and its exit code: Ctrl-C's 130, or the stop signal's own."""
    if isinstance(interrupt, Stopped):
        return f"Aborted ({interrupt.name}).", interrupt.exit_code
    return "Aborted.", 128 + signal.SIGINT
