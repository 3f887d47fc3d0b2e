"""One containment rule for every file read on behalf of content or brand.

A path (relative to the project root, or absolute) is accepted only if, with symlinks resolved, it lies inside the
project root (or one of the extra ``also`` roots), is a regular file (never a FIFO, device, socket or folder, which
are refused without being opened), and is under a size limit checked both before and while reading.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

MAX_ASSET_BYTES = 20 * 1024 * 1024  # images, fonts, logos
MAX_TEXT_BYTES = 5 * 1024 * 1024  # stylesheets, templates, source texts

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_OUTSIDE_HINT = "give a path inside the project, relative to briefing.yaml"


class UnsafeFile(Exception):
    """A file the tool refuses to read; ``str()`` reads like ``'../etc/passwd' is outside the project folder``."""

    def __init__(self, path: str | Path, reason: str, hint: str = "") -> None:
        self.path = path
        self.reason = reason
        self.hint = hint
        super().__init__(f"'{path}' {reason}")


def _human(n: int, exact: bool = False) -> str:
    """A size in bytes/KiB/MiB/GiB; ``exact`` drops a trailing ``.0`` (used for limits)."""
    if n < 1024:
        return f"{n} bytes"
    power = min(4, (n.bit_length() - 1) // 10)
    text = f"{n / 1024**power:.1f}"
    return f"{text.removesuffix('.0') if exact else text} {('KiB', 'MiB', 'GiB', 'TiB')[power - 1]}"


def _too_big(path: str | Path, size: int | None, max_bytes: int) -> UnsafeFile:
    """``size`` None means the excess was only seen while reading (a growing file, or /proc lying about its size)."""
    limit = _human(max_bytes, exact=True)
    if size is None:
        reason = f"is larger than the {limit} limit for this kind of file"
    else:
        shown = f"{size} bytes" if _human(size, exact=True) == limit else _human(size)
        reason = f"is {shown}, over the {limit} limit for this kind of file"
    return UnsafeFile(path, reason, "use a smaller file (compress or resize it)")


def _roots(root: Path, also: Iterable[Path]) -> list[Path]:
    return [Path(r).resolve() for r in (root, *also)]


def resolve_inside(root: Path, path: str | Path, *, also: Iterable[Path] = ()) -> Path:
    """Return ``path`` (relative to ``root``, or absolute) fully resolved, if it exists inside ``root`` or ``also``.

    Raises UnsafeFile when it is outside every allowed root (also through a symlink) or does not exist.
    """
    roots = _roots(root, also)
    candidate = Path(root) / path
    try:
        resolved = candidate.resolve(strict=True)
    except FileNotFoundError:
        try:  # say "outside" rather than "does not exist" for paths that would be outside anyway
            loose = candidate.resolve()
        except (OSError, RuntimeError):
            loose = Path(os.path.normpath(os.path.abspath(candidate)))
        if not any(loose.is_relative_to(r) for r in roots):
            raise UnsafeFile(path, "is outside the project folder", _OUTSIDE_HINT) from None
        raise UnsafeFile(path, "does not exist", "check the spelling; paths are relative to briefing.yaml") from None
    except (OSError, RuntimeError, ValueError) as exc:  # symlink loop, permission, NUL byte, ...
        detail = "a symlink loop" if isinstance(exc, RuntimeError) else getattr(exc, "strerror", None) or str(exc)
        raise UnsafeFile(path, f"cannot be reached ({detail})", _OUTSIDE_HINT) from None
    if not any(resolved.is_relative_to(r) for r in roots):
        raise UnsafeFile(path, "is outside the project folder", _OUTSIDE_HINT)
    return resolved


def check_writable(root: Path, path: str | Path) -> Path:
    """The resolved place ``path`` (relative to ``root``, or absolute) would be written, if it is inside ``root``
    after resolving symlinks (of its folders and of the file itself) and is not an existing non-regular file.

    Raises UnsafeFile: a ``sources/`` folder linked elsewhere must not make a write land outside the project."""
    candidate = Path(root) / path
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError) as exc:
        raise UnsafeFile(path, f"cannot be reached ({getattr(exc, 'strerror', None) or exc})", _OUTSIDE_HINT) from None
    if not resolved.is_relative_to(Path(root).resolve()):
        raise UnsafeFile(path, "is outside the project folder (through a symlink)",
                         "replace the symlink with a real folder or file inside the project")
    if os.path.lexists(resolved):
        _check_mode(path, os.stat(resolved).st_mode)
    return resolved


def _check_mode(path: str | Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "a special file")
        raise UnsafeFile(path, f"is not a regular file ({kind})", "point to an ordinary file, not a folder or device")


def _checked(root: Path, path: str | Path, max_bytes: int, also: Iterable[Path]) -> tuple[Path, os.stat_result]:
    resolved = resolve_inside(root, path, also=also)
    try:
        info = os.stat(resolved)
    except OSError as exc:
        raise UnsafeFile(path, f"cannot be read ({exc.strerror})") from None
    _check_mode(path, info.st_mode)
    if info.st_size > max_bytes:
        raise _too_big(path, info.st_size, max_bytes)
    return resolved, info


def check_file(root: Path, path: str | Path, *, max_bytes: int, also: Iterable[Path] = ()) -> Path:
    """Resolve ``path`` inside ``root`` (or ``also``), require a regular file of at most ``max_bytes``.

    Returns the resolved path; raises UnsafeFile. Nothing is opened.
    """
    return _checked(root, path, max_bytes, also)[0]


def problem_for(root: Path, path: str | Path, *, max_bytes: int, also: Iterable[Path] = ()) -> str | None:
    """The reason ``path`` would be refused (for validation code collecting problems), or None if it is fine."""
    try:
        check_file(root, path, max_bytes=max_bytes, also=also)
    except UnsafeFile as exc:
        return exc.reason
    return None


def read_bytes(root: Path, path: str | Path, *, max_bytes: int, also: Iterable[Path] = ()) -> bytes:
    """Read a checked file, never more than ``max_bytes`` + 1 bytes, and never blocking on a FIFO swapped in."""
    resolved, info = _checked(root, path, max_bytes, also)
    try:
        fd = os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise UnsafeFile(path, f"cannot be read ({exc.strerror})") from None
    with os.fdopen(fd, "rb", buffering=0) as handle:
        opened = os.fstat(fd)
        _check_mode(path, opened.st_mode)
        if (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
            raise UnsafeFile(path, "changed while it was being opened", "try again")
        if opened.st_size > max_bytes:
            raise _too_big(path, opened.st_size, max_bytes)
        chunks: list[bytes] = []
        remaining = max_bytes + 1
        while remaining > 0 and (chunk := handle.read(min(remaining, 1024 * 1024))):
            chunks.append(chunk)
            remaining -= len(chunk)
    if remaining <= 0:
        raise _too_big(path, None, max_bytes)
    return b"".join(chunks)


def read_text(root: Path, path: str | Path, *, max_bytes: int, also: Iterable[Path] = ()) -> str:
    """Like read_bytes, decoded as UTF-8 with undecodable bytes replaced."""
    return read_bytes(root, path, max_bytes=max_bytes, also=also).decode("utf-8", errors="replace")
