"""Build into a staging folder next to the output and swap it in at the end: a whole build or nothing.

``with StagedOutput(out) as stage:`` locks ``out``, clears what a killed build left, and stages into
``.<name>.staging-<pid>``, pre-populated with hard links to the previous files. A clean exit swaps it with
``out`` in one step (``renameat2(RENAME_EXCHANGE)``, else two renames); an exception leaves ``out`` untouched.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import os
import shutil
import stat
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any

from .errors import UsageError
from .output import write_atomic
from .settings import OUTPUT_MARKER

MARKER = OUTPUT_MARKER
MARKER_TEXT = b"briefing output folder; safe to delete\n"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class OutputFolderError(UsageError):
    """The output folder is unsafe to (re)write or busy; ``hint`` says what to do instead (exit code 2)."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


def _files(folder: Path) -> list[str]:
    """Every non-folder entry (symlinks to folders included) under ``folder``, relative, posix."""
    found = []
    for parent, dirs, names in os.walk(folder):
        base = Path(parent).relative_to(folder)
        found += [(base / n).as_posix() for n in names + dirs if n in names or os.path.islink(os.path.join(parent, n))]
    return sorted(found)


def check_output_folder(out: Path, *, project_root: Path, allow_any: bool = False,
                        inputs: Iterable[Path] = ()) -> None:
    """Raise OutputFolderError unless ``out`` is safe for briefing to replace wholesale.

    Refused: ``/``, the home folder, the project root or any folder containing it, a folder inside one
    of the project's ``inputs`` (content, templates, sources, the cache; even with ``allow_any``), an
    existing non-folder, and a non-empty folder without the MARKER. An unmarked folder is never guessed
    to be briefing's from its file names: a user's own ``index.html`` looks just like one (``--force-out``
    adopts a folder).
    """
    target, root = out.expanduser().resolve(), project_root.resolve()
    for folder in (path.resolve() for path in inputs):
        if target.is_relative_to(folder):  # even with --force-out: the next build would read its own output
            name = folder.relative_to(root).as_posix() if folder.is_relative_to(root) else str(folder)
            raise OutputFolderError(
                f"refusing to use {out} as the output folder: it is inside the project's {name}/ folder, "
                "which builds read", hint="choose a folder outside it, such as output/")
    if allow_any:
        return

    def refuse(rule: str, hint: str = "choose a dedicated folder such as output/") -> OutputFolderError:
        return OutputFolderError(f"refusing to use {out} as the output folder: {rule}",
                                 hint=f"{hint}, or pass --force-out to use it anyway")

    if target == Path(target.anchor):
        raise refuse("it is the filesystem root")
    if target == Path.home().resolve():
        raise refuse("it is your home folder")
    if target == root:
        raise refuse("it is the project root")
    if root.is_relative_to(target):
        raise refuse(f"it contains the project ({root})")
    if not target.exists():
        return
    if not target.is_dir():
        raise refuse("it exists and is not a folder")
    if (target / MARKER).is_file():
        return
    foreign = _files(target)
    if foreign:
        shown = ", ".join(foreign[:3]) + (", ..." if len(foreign) > 3 else "")
        raise refuse(f"it is not empty and has no {MARKER} marker (found {shown})",
                     hint="empty it or choose another folder")


@functools.cache
def _renameat2() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        func = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths; False when the platform or filesystem cannot."""
    func = _renameat2()
    if func is None:
        return False
    if func(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(first), None, str(second))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    """Whether ``pid`` is another live process (our own pid counts as dead: we hold the lock)."""
    if pid <= 0 or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except OSError as error:  # EPERM: alive, owned by someone else
        return error.errno != errno.ESRCH
    return True


class StagedOutput:
    """Stage a whole output folder in ``path`` and swap it in atomically on a clean exit.

    ``path`` starts with the previous output's files: the build writes what it produces, then calls
    ``keep_only(stage.written)`` (or ``remove``) to drop the rest. OSErrors propagate after cleanup with
    ``out`` unchanged. The ``.<name>.lock`` file stays beside ``out`` (deleting lock files would race).
    """

    def __init__(self, out: Path, *, durable: bool = True) -> None:
        self.durable = durable  # False (serve): no fsync; the swap is atomic all the same
        self.out = Path(out).resolve()  # a symlinked output is swapped where it points
        parent, name, pid = self.out.parent, self.out.name, os.getpid()
        self.path, self._old = parent / f".{name}.staging-{pid}", parent / f".{name}.old-{pid}"
        self._lock_path = parent / f".{name}.lock"
        self._lock: int | None = None
        self.written: set[str] = set()
        self.committed = False

    def __enter__(self) -> StagedOutput:
        if os.path.lexists(self.out) and not self.out.is_dir():
            raise OutputFolderError(f"the output {self.out} is not a folder", hint="remove it or choose another")
        self.out.parent.mkdir(parents=True, exist_ok=True)
        self._acquire()
        try:
            self._recover()
            os.mkdir(self.path)
            if self.out.is_dir():
                os.chmod(self.path, stat.S_IMODE(self.out.stat().st_mode))
                self._populate()
        except BaseException:
            shutil.rmtree(self.path, ignore_errors=True)
            self._release()
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        try:
            if kind is None and not self.committed:
                self.commit()
        finally:
            shutil.rmtree(self.path, ignore_errors=True)
            self._release()

    def _acquire(self) -> None:
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BaseException as error:
            os.close(fd)
            if isinstance(error, BlockingIOError):
                raise OutputFolderError(f"another briefing build is writing to {self.out}",
                                        hint="wait for it to finish") from None
            raise
        self._lock = fd

    def _release(self) -> None:
        if self._lock is not None:
            os.close(self._lock)  # closing the descriptor drops the flock
            self._lock = None

    def _recover(self) -> None:
        """Undo what a killed build left: restore a half-swapped output, delete stale siblings."""
        leftovers: list[tuple[str, int, Path]] = []
        for entry in os.scandir(self.out.parent):
            for kind in ("staging", "old"):
                prefix = f".{self.out.name}.{kind}-"
                if entry.name.startswith(prefix) and entry.name[len(prefix):].isdigit():
                    leftovers.append((kind, int(entry.name[len(prefix):]), Path(entry.path)))
        olds = sorted((p for kind, _, p in leftovers if kind == "old"), key=lambda p: p.lstat().st_mtime)
        if olds and not os.path.lexists(self.out):
            os.rename(olds[-1], self.out)
        for _, pid, path in leftovers:
            if os.path.lexists(path) and not _alive(pid):
                shutil.rmtree(path, ignore_errors=True)

    def _populate(self) -> None:
        for parent, dirs, names in os.walk(self.out):
            here = self.path / Path(parent).relative_to(self.out)
            for name in dirs + names:
                source, target = os.path.join(parent, name), here / name
                if os.path.islink(source):
                    os.symlink(os.readlink(source), target)
                elif name in dirs:
                    os.mkdir(target)
                else:
                    try:
                        os.link(source, target)
                    except OSError:
                        shutil.copy2(source, target)

    def _target(self, relative: str) -> Path:
        rel = PurePosixPath(relative)
        if rel.is_absolute() or not rel.parts or ".." in rel.parts:
            raise ValueError(f"not a relative path inside the output folder: {relative!r}")
        return self.path / rel

    def write(self, relative: str, data: bytes, *, force: bool = False) -> bool:
        """Stage ``data`` at ``relative``; False (the previous file kept) when it already holds these bytes,
        unless ``force``."""
        target = self._target(relative)
        self.written.add(PurePosixPath(relative).as_posix())
        # A new file renamed over the old name (write_atomic): the staged file may be a hard link into the
        # live output, which must never change in place; a symlink is replaced, never written through.
        return write_atomic(target, data, force=force or target.is_symlink(), durable=self.durable)

    def remove(self, relative: str) -> None:
        """Drop ``relative`` (a file or folder) from the staged output; missing paths are fine."""
        target = self._target(relative)
        self.written.discard(PurePosixPath(relative).as_posix())
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            target.unlink(missing_ok=True)

    def discard(self, names: Iterable[str]) -> list[str]:
        """Remove the staged files named (folders and missing names are left alone), then the folders
        that leaves empty; returns what was removed."""
        removed = []
        for name in sorted({PurePosixPath(n).as_posix() for n in names} - {MARKER}):
            try:
                target = self._target(name)
            except ValueError:  # not a path inside the folder: nothing briefing could have written
                continue
            if target.is_symlink() or target.is_file():
                target.unlink()
                self.written.discard(name)
                removed.append(name)
                folder = target.parent
                while folder != self.path and not any(folder.iterdir()):
                    folder.rmdir()
                    folder = folder.parent
        return removed

    def keep_only(self, keep: Iterable[str]) -> list[str]:
        """Remove every staged file not in ``keep`` (and emptied folders); returns what was removed."""
        wanted = {PurePosixPath(k).as_posix() for k in keep} | {MARKER}
        removed = [name for name in _files(self.path) if name not in wanted]
        for name in removed:
            (self.path / name).unlink()
        for parent, _, _ in os.walk(self.path, topdown=False):
            if parent != str(self.path) and not os.listdir(parent):
                os.rmdir(parent)
        return removed

    def commit(self) -> None:
        """Write the marker, fsync, and swap the staging folder in place of ``out``."""
        self.write(MARKER, MARKER_TEXT)
        for parent, _, _ in os.walk(self.path) if self.durable else ():
            _fsync(Path(parent))
        if not os.path.lexists(self.out):
            os.rename(self.path, self.out)
        elif not _exchange(self.path, self.out):  # no renameat2: two renames, undone on failure
            os.rename(self.out, self._old)
            try:
                os.rename(self.path, self.out)
            except BaseException:
                os.rename(self._old, self.out)
                raise
        self.committed = True
        if self.durable:
            _fsync(self.out.parent)
        shutil.rmtree(self.path, ignore_errors=True)  # the previous tree, after an exchange
        shutil.rmtree(self._old, ignore_errors=True)
