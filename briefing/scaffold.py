"""``briefing init``: scaffold a new project that passes ``briefing check``.

The starting project ships inside the package (``briefing/scaffold/``): a
config, two audience profiles, one source and a two-theme brief explaining how
briefs are written, plus the JSON Schemas its editor modelines point to.
"""

from __future__ import annotations

from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from .errors import UsageError
from .output import write_atomic
from .schema import write_schemas

GITIGNORE = "/output/\n/site/\n/.briefing/\n"


def _files(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found: list[tuple[str, Traversable]] = []
    for entry in sorted(folder.iterdir(), key=lambda item: item.name):
        if entry.name == "__pycache__":
            continue
        name = f"{prefix}{entry.name}"
        if entry.is_dir():
            found.extend(_files(entry, name + "/"))
        else:
            found.append((name, entry))
    return found


def create_project(directory: str | Path, *, force: bool = False) -> list[Path]:
    """Write a starter project into ``directory``; returns the files written."""
    target = Path(directory)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    if (target / "briefing.yaml").exists() and not force:
        raise UsageError(f"{target} already holds a briefing project (briefing.yaml); "
                         "use --force to overwrite its starter files")
    written: list[Path] = []
    for name, entry in _files(resources.files("briefing") / "scaffold"):
        path = target / name
        write_atomic(path, entry.read_bytes())
        written.append(path)
    write_atomic(target / ".gitignore", GITIGNORE.encode())
    written.append(target / ".gitignore")
    (target / "templates").mkdir(exist_ok=True)
    written.extend(write_schemas(target / "schemas"))
    return written
