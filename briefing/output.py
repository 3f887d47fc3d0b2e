"""Writing outputs safely: whole files or nothing, and earlier outputs intact.

Every output is rendered to bytes first, written to a temporary file in the
same folder and renamed over the target, so a reader (or a crash) never sees
half a file and a failed build leaves the previous output byte-identical.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, force: bool = False) -> bool:
    """Write ``data`` to ``path`` atomically; returns False (and writes nothing) when the file
    already holds exactly these bytes, unless ``force``."""
    try:
        if not force and path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temp_name, 0o644)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True
