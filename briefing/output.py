"""Writing outputs safely: whole files or nothing, and earlier outputs intact.

A build's outputs go through ``staging.StagedOutput``: the whole output
folder is staged beside it and swapped in at once.  Single files the tool
writes elsewhere (the build cache, schemas, a new project) use
``write_atomic``: written to a temporary file in the same folder and renamed
over the target, so a reader (or a crash) never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, force: bool = False, durable: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically; returns False (and writes nothing) when the file
    already holds exactly these bytes, unless ``force``. ``durable``: on disk before the rename, so a
    power cut never leaves an empty file (a preview's files need not pay for that)."""
    try:
        if not force and path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            view = memoryview(data)
            while view:  # os.write may write part: a full disk fails here, before anything is renamed
                view = view[os.write(handle, view):]
            if durable:
                os.fsync(handle)
        finally:
            os.close(handle)
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True
