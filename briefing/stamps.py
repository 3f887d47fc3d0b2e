"""Stamps: answer "nothing changed" from sizes, mtimes and digests, without loading the project.

A ``build`` or ``check`` run from the command line leaves a stamp in the project's
``.briefing/`` folder: the command's options, every input with its size, mtime and
SHA-256 (the project's files, briefing's own files, the libraries that shape
outputs, ``SOURCE_DATE_EPOCH``), the files the build wrote with their sizes and
mtimes, and what the command printed.  The next run with the same options compares
first: when every input still has the bytes it had (each is hashed: a size and an
mtime can be put back after an edit, and hashing a sample project's 200 inputs takes
about 6 ms) and every output is still as written (hashed too), it prints what a full
run would print and stops, for the cost of Python's start-up.  Anything else, and the
command runs in full, as if there were no stamp.

Standard library only: the command line imports this before anything heavy.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import importlib.util
import json
import os
import stat
import time
from pathlib import Path
from typing import Any

from .safe_files import UnsafeFile, read_text
from .sealed import machine_key
from .settings import CACHE_DIR, CONFIG_FILE, OUTPUT_MARKER, PACKAGE_DIR

STAMP_VERSION = 2
MAX_STAMP_BYTES = 16 * 1024**2  # a stamp lists every input: a few hundred bytes each
MAX_INPUTS = 5000  # a project folder with more files than this (a home folder?) gets no stamp
MAX_INPUT_BYTES = 64 * 1024**2  # nor one with a file larger than this: hashing it would cost more than it saves
# Libraries whose files shape what the commands print or write: an upgrade is a change.
LIBRARIES = ("jinja2", "markdown", "nh3", "babel", "pydantic", "pydantic_core", "yaml", "weasyprint",
             "vl_convert", "docx", "pptx", "fontTools", "rapidfuzz")
SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules"})

Stat = tuple[int, int]  # size, mtime in nanoseconds


def _walk(folder: Path, found: dict[str, Path], prefix: str, skip: frozenset[Path], within: Path) -> bool:
    """Add the files under ``folder`` to ``found`` (by name, ``prefix`` first); False when too many, or
    when one is not a regular file inside ``within`` (symlinks resolved) under the size limit.

    Hidden folders (``.briefing``, ``.git``), output folders (they hold briefing's marker) and ``skip``
    are not inputs."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return True
    for entry in entries:
        path = Path(entry.path)
        if entry.is_dir(follow_symlinks=False):
            if entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS or path in skip \
                    or (path / OUTPUT_MARKER).exists():
                continue
            if not _walk(path, found, f"{prefix}{entry.name}/", skip, within):
                return False
        elif not entry.name.startswith("."):
            try:
                info = entry.stat()  # through a symlink: what a build would read
                inside = not entry.is_symlink() or path.resolve().is_relative_to(within)
            except OSError:
                return False  # a dangling link
            if not stat.S_ISREG(info.st_mode) or not inside or info.st_size > MAX_INPUT_BYTES:
                # A FIFO, a device, a link out of the project, a huge file: no stamp, and nothing opened
                # to hash it (a build reports such a file at its line).
                return False
            found[prefix + entry.name] = path
            if len(found) > MAX_INPUTS:
                return False
    return True


def _inputs(root: Path, skip: frozenset[Path]) -> dict[str, Path] | None:
    if not (root / CONFIG_FILE).is_file():
        return None  # not a project folder: the command reports that, with no stamp
    found: dict[str, Path] = {}
    if not _walk(root, found, "project:", skip, root.resolve()) \
            or not _walk(PACKAGE_DIR, found, "briefing:", frozenset(), PACKAGE_DIR.resolve()):
        return None
    for name in LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin and os.path.isfile(spec.origin):
            found[f"library:{name}"] = Path(spec.origin)
    return found


def _stat(path: Path) -> Stat | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _sha256(path: Path) -> str | None:
    try:
        with path.open("rb") as file:
            return hashlib.file_digest(file, "sha256").hexdigest()
    except OSError:
        return None


def _path(root: Path, command: str, options: dict[str, Any]) -> Path:
    key = hashlib.sha256(json.dumps([command, options, str(root.resolve())], sort_keys=True,
                                    default=str).encode()).hexdigest()[:16]
    return root / CACHE_DIR / f"stamp-{command}-{key}.json"


def _environment() -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "")}


def _mac(key: bytes, stamp: dict[str, Any]) -> str:
    return hmac.new(key, json.dumps(stamp, sort_keys=True).encode(), hashlib.sha256).hexdigest()


def unchanged(root: Path, command: str, options: dict[str, Any]) -> list[tuple[bool, str]] | None:
    """What to print when nothing changed since the stamped run of ``command`` with ``options``; else None."""
    key = machine_key(create=False)
    try:
        stamp = json.loads(read_text(root, _path(root, command, options).absolute(), max_bytes=MAX_STAMP_BYTES))
    except (OSError, ValueError, UnsafeFile):
        return None
    if key is None or not isinstance(stamp, dict) or not hmac.compare_digest(
            str(stamp.pop("mac", "")), _mac(key, stamp)):
        return None  # a stamp this machine did not write (one that came with the project) is never trusted
    if stamp.get("version") != STAMP_VERSION or stamp.get("environment") != _environment():
        return None
    skip = frozenset(Path(folder) for folder in stamp.get("skip", []))
    inputs = _inputs(root, skip)
    recorded: dict[str, list[Any]] = stamp.get("inputs", {})
    if inputs is None or inputs.keys() != recorded.keys():
        return None
    for name, path in inputs.items():
        size, _mtime, sha = recorded[name]
        now = _stat(path)
        # The size first (a cheap no); then the bytes, never the mtime alone: an edit of the same size
        # with its mtime put back (touch -r, an archive, a sync tool) is still an edit.
        if now is None or now[0] != size or _sha256(path) != sha:
            return None
    for name, (size, _mtime, sha) in stamp.get("outputs", {}).items():
        now = _stat(Path(name))
        if now is None or now[0] != size or _sha256(Path(name)) != sha:
            return None
    return [(bool(err), str(text)) for err, text in stamp.get("lines", [])]


Snapshot = dict[str, list[Any]]  # input name: [size, mtime_ns, sha256]; TAKEN: [when, in ns]
TAKEN = "taken"


def snapshot(root: Path, skip: list[Path] = ()) -> Snapshot | None:  # type: ignore[assignment]
    """Every input as it is now, taken before a command reads any: a stamp describes what was read."""
    taken = time.time_ns()
    inputs = _inputs(root, frozenset(path.resolve() for path in skip))
    if inputs is None:
        return None
    files: Snapshot = {}
    for name, path in inputs.items():
        info, sha = _stat(path), _sha256(path)
        if info is None or sha is None:
            return None
        files[name] = [*info, sha]
    files[TAKEN] = [taken]
    return files


def record(root: Path, command: str, options: dict[str, Any], lines: list[tuple[bool, str]],
           before: Snapshot | None, *, outputs: list[Path] = (),  # type: ignore[assignment]
           skip: list[Path] = ()) -> None:  # type: ignore[assignment]
    """Stamp a successful run: its inputs as ``before`` had them, the files it wrote, what a rerun prints.

    No stamp when an input changed while the command ran (the outputs may not show the change), and
    none when it cannot be written: the next run is then a full one."""
    from .output import write_atomic

    skipped = frozenset(path.resolve() for path in skip)
    inputs = _inputs(root, skipped)
    if before is None or inputs is None:
        return
    taken, *_ = before.pop(TAKEN, [0])
    if inputs.keys() != before.keys() or any(_stat(path) != tuple(before[name][:2]) for name, path in inputs.items()):
        return
    written: dict[str, list[Any]] = {}
    for output in outputs:
        info, sha = _stat(output), _sha256(output)
        if info is None or sha is None:
            return
        written[str(output.resolve())] = [*info, sha]
    key = machine_key(create=True)
    if key is None:
        return
    stamp: dict[str, Any] = {"version": STAMP_VERSION, "environment": _environment(),
                             "skip": sorted(map(str, skipped)), "taken": taken, "inputs": before,
                             "outputs": written, "lines": lines}
    stamp["mac"] = _mac(key, stamp)
    with contextlib.suppress(OSError):
        write_atomic(_path(root, command, options), json.dumps(stamp, indent=0, sort_keys=True).encode(), force=True,
                     durable=False)  # a stamp torn by a power cut does not parse: the next run is a full one
