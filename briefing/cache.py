"""The build cache: skip outputs whose inputs have not changed, never serve a stale one.

Each output is keyed on a hash of everything it depends on: the audience's
view of its brief (the content it shows, labels, brand, settings), every
template and stylesheet on the audience's search path, the shipped fonts
and the project files the brand names, the version of briefing, and what its
format says it depends on besides (the PDF engine's version, a page's links).
An output is reused only when its key is unchanged and the file on disk is
still the one that was written (its hash matches).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .brand import brand_files
from .output import write_atomic
from .registry import Format, RenderRequest
from .safe_files import MAX_ASSET_BYTES, UnsafeFile, read_bytes
from .sealed import read_sealed, seal
from .settings import BUILTIN_TEMPLATES, CACHE_DIR, LOCALES_DIR, PACKAGE_DIR, VERSION
from .templating import template_search_path

Memo = dict[int, tuple[Any, Any]]  # id(object): (the object, kept alive so its id is not reused; its copy)


def _plain(value: Any, memo: Memo | None = None) -> Any:
    """A JSON-ready copy of view data: dataclasses (but fields marked ``cache_key: False``), models, dates, paths.

    ``memo`` (one build's) copies each model and dataclass once: every view of an audience shares its
    labels, brand and settings, and a hundred briefs would copy them hundreds of times."""
    if isinstance(value, BaseModel) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        if memo is not None and id(value) in memo and memo[id(value)][0] is value:
            return memo[id(value)][1]
        if isinstance(value, BaseModel):
            plain: Any = value.model_dump(mode="json")
        else:
            plain = {f.name: _plain(getattr(value, f.name), memo) for f in dataclasses.fields(value)
                     if f.metadata.get("cache_key", True)}
        if memo is not None:
            memo[id(value)] = (value, plain)
        return plain
    if isinstance(value, dict):
        return {str(k): _plain(v, memo) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v, memo) for v in value]
    if isinstance(value, dt.date | Path):
        return str(value)
    return value


def digest(*parts: Any, memo: Memo | None = None) -> str:
    """SHA-256 over ``parts``: bytes as they are, anything else as canonical JSON."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(_plain(part, memo), sort_keys=True,
                                                                 default=str).encode()
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def _tree_digest(folder: Path, skip: frozenset[str] = frozenset(), root: Path | None = None) -> str:
    """Hash of a folder's files; ``skip`` names top-level subfolders that belong to someone else.

    Files are read through the containment rule (inside ``root``, default the folder): a template linked
    out of the project counts by the reason it is refused, never by its bytes (rendering refuses it)."""
    if not folder.is_dir():
        return ""
    files = [p for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts
             and p.relative_to(folder).parts[0] not in skip]
    if not files:
        return ""
    hasher = hashlib.sha256()
    for path in files:
        try:
            content = read_bytes(root or folder, path.absolute(), max_bytes=MAX_ASSET_BYTES)
        except UnsafeFile as exc:
            content = f"refused: {exc.reason}".encode()
        for chunk in (path.relative_to(folder).as_posix().encode(), content):
            hasher.update(len(chunk).to_bytes(8, "big") + chunk)
    return hasher.hexdigest()


# Libraries whose version changes what an output looks like (the PDF engine's is its format's input).
SHAPING_LIBRARIES = ("jinja2", "markdown", "nh3", "babel", "pydantic")


@cache
def tool_version() -> str:
    """briefing's version, a digest of its own code and locales, and the versions of the libraries
    that shape outputs: an upgrade or a code change never reuses a stale output."""
    from importlib import metadata

    files = sorted([*PACKAGE_DIR.rglob("*.py"), *LOCALES_DIR.glob("*.yaml")])
    code = hashlib.sha256()
    for path in files:
        if "__pycache__" not in path.parts:
            code.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\0" + path.read_bytes())
    versions = []
    for name in SHAPING_LIBRARIES:
        try:
            versions.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name}=?")
    return f"{VERSION}+{code.hexdigest()[:16]};" + ",".join(versions)


class Fingerprints:
    """Hashes of a build's shared inputs, each computed once per build."""

    def __init__(self, project_root: Path, templates_dir: Path, audiences: list[str]):
        self.root = project_root
        self.templates_dir = templates_dir
        # Per-audience override folders sit inside templates/: each counts for its own audience only.
        self.audience_dirs = frozenset(audiences)
        self._templates: dict[str | None, str] = {}
        self._files: dict[str, str] = {}
        self._memo: Memo = {}

    def templates(self, audience: str | None) -> str:
        if audience not in self._templates:
            folders = template_search_path(self.templates_dir, audience)
            self._templates[audience] = digest(*[
                _tree_digest(folder, self.audience_dirs if folder == self.templates_dir else frozenset(),
                             self.root if folder != BUILTIN_TEMPLATES else None)
                for folder in folders])
        return self._templates[audience]

    def brand_file(self, path: str) -> str:
        """Hash of a file a brand names, read through the containment rule (once per build).

        A refused file (outside the project, a FIFO, too large, missing) counts as a marker with the
        reason, never its bytes: rendering it fails anyway, and a key must not depend on a secret.
        """
        if path not in self._files:
            try:
                content: bytes | str = read_bytes(self.root, path, max_bytes=MAX_ASSET_BYTES)
            except UnsafeFile as exc:
                content = f"refused: {exc.reason}"
            self._files[path] = digest(path, content)
        return self._files[path]

    def output_key(self, request: RenderRequest, fmt: Format) -> str:
        view = request.view
        files = [self.brand_file(path) for _loc, path in brand_files(view.brand)]
        return digest(tool_version(), fmt.name, fmt.cache_inputs(request), view,
                      self.templates(view.target.id), files, memo=self._memo)


class BuildCache:
    """Output keys of the last build into one folder, kept in the project's ``.briefing/`` folder."""

    def __init__(self, project_root: Path, out_dir: Path):
        name = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:16]
        self.path = project_root / CACHE_DIR / f"build-{name}.json"
        self.out_dir = out_dir
        # Only a record this machine sealed: one that came with the project could call a planted output fresh.
        sealed = read_sealed(project_root, self.path)
        try:
            loaded = json.loads(sealed) if sealed is not None else {}
        except ValueError:
            loaded = {}
        self.entries: dict[str, dict[str, Any]] = loaded if isinstance(loaded, dict) else {}
        self._companions: dict[str, list[str]] | None = None

    def fresh(self, path: Path, key: str) -> dict[str, Any] | None:
        """The recorded entry when ``path`` was built from ``key`` and is still intact on disk."""
        entry = self.entries.get(self._name(path))
        if not entry or entry.get("key") != key:
            return None
        name = self._name(path)
        for file in [path, *(self.out_dir / other for other in self.companions(name))]:
            try:
                data = file.read_bytes()
            except OSError:
                return None
            if hashlib.sha256(data).hexdigest() != self.entries[self._name(file)].get("sha256"):
                return None
        return entry

    def expected_pages(self, path: Path, view: Any) -> float:
        """How long ``path`` should take to render, in pages: last build's count, or an estimate."""
        pages = self.entries.get(self._name(path), {}).get("pages")
        return float(pages) if isinstance(pages, int) else float(len(getattr(view, "themes", ())))

    def companions(self, name: str) -> list[str]:
        """The files written with the output ``name`` (a Markdown brief's chart drawings)."""
        if self._companions is None:  # an index, built once: a hundred briefs ask for it hundreds of times
            self._companions = {}
            for other, entry in self.entries.items():
                if entry.get("of"):
                    self._companions.setdefault(entry["of"], []).append(other)
        return list(self._companions.get(name, ()))

    def record(self, path: Path, key: str, data: bytes, pages: int | None, of: Path | None = None) -> None:
        entry: dict[str, Any] = {"key": key, "sha256": hashlib.sha256(data).hexdigest(), "pages": pages}
        if of is not None:
            entry["of"] = self._name(of)
        self.entries[self._name(path)] = entry
        self._companions = None

    def forget(self, name: str) -> None:
        """Drop the entry of a file the build removed."""
        self.entries.pop(name, None)
        self._companions = None

    def save(self) -> None:
        # Not durable: a record torn by a power cut fails its seal, and the next build renders everything.
        write_atomic(self.path, seal(json.dumps(self.entries, indent=1, sort_keys=True).encode()), durable=False)

    def _name(self, path: Path) -> str:
        return path.relative_to(self.out_dir).as_posix()
