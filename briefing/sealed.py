"""Cache files that count only if this machine wrote them: sealed with its key, verified before reuse.

A project folder travels (a zip, a shared drive, a repository with ``.briefing/`` committed by mistake), so
what its cache folder holds may come from anyone: compiled templates (which Jinja would unpickle and run),
chart drawings (which go into every format), the build's record of fresh outputs. Each cache file starts
with an HMAC-SHA256 of its bytes under a secret that never leaves this machine (made on first use in the
user's cache folder, readable by that user only). A file whose seal does not match, that is not a regular
file inside the project, or that is too large, is a cache miss: the work is done again, never a traceback.

Standard library only: the command line's fast path (``stamps``) uses the key before anything heavy.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from .output import write_atomic
from .safe_files import UnsafeFile, read_bytes

SEAL_BYTES = 32  # an HMAC-SHA256
MAX_CACHE_BYTES = 64 * 1024 * 1024  # larger than any drawing, compiled template or build record


def _key_file() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(cache) / "briefing" / "stamp-key"


def machine_key(*, create: bool) -> bytes | None:
    """This machine's secret (made on first use when ``create``, readable by its user only); None when
    there is none and it cannot be made (a read-only home)."""
    path = _key_file()
    try:
        return path.read_bytes()
    except OSError:
        if not create:
            return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as file:
            file.write(secrets.token_bytes(32))
        return path.read_bytes()
    except OSError:  # a read-only home, or another process made it first
        try:
            return path.read_bytes()
        except OSError:
            return None


@functools.cache
def _process_key() -> bytes:
    """The key caches are sealed with: the machine's, else one for this process (caches then last a run)."""
    return machine_key(create=True) or secrets.token_bytes(32)


def seal(data: bytes) -> bytes:
    return hmac.new(_process_key(), data, hashlib.sha256).digest() + data


def unseal(blob: bytes) -> bytes | None:
    """The data of a sealed blob, or None when its seal is not this machine's."""
    mac, data = blob[:SEAL_BYTES], blob[SEAL_BYTES:]
    if len(mac) < SEAL_BYTES or not hmac.compare_digest(mac, hmac.new(_process_key(), data, hashlib.sha256).digest()):
        return None
    return data


def read_sealed(root: Path, path: Path, *, max_bytes: int = MAX_CACHE_BYTES) -> bytes | None:
    """What ``write_sealed`` put at ``path``, or None: missing, torn, forged, linked out of ``root``, too large."""
    try:
        blob = read_bytes(root, path.absolute(), max_bytes=max_bytes + SEAL_BYTES)
    except (UnsafeFile, OSError):
        return None
    return unseal(blob)


def write_sealed(path: Path, data: bytes) -> None:
    """Seal and write ``data``; a cache that cannot be written costs time, never the build."""
    with contextlib.suppress(OSError):
        write_atomic(path, seal(data), force=True, durable=False)  # a cache: made again if a power cut tears it
