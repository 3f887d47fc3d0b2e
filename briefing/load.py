"""Stage 1 of the pipeline: read a project from disk into validated, plain data.

Layout (relative to ``briefing.yaml``; ``content`` is configurable)::

    briefing.yaml                      project settings (ProjectConfig)
    brand.yaml                         optional colours, fonts, logo, cover style (Brand)
    content/sources.yaml               every source, cited by id (SourceList)
    content/audiences/<id>.yaml        one audience profile per file
    content/briefs/<brief>/brief.yaml  a brief's front matter (Brief)
    content/briefs/<brief>/themes/*.yaml  one theme per file, read in name order

Every file is read and validated before anything is reported, so one run
lists every problem across every file; then cross-references are checked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

from .brand import Brand
from .checks import cross_check
from .config import AudienceProfile, ProjectConfig
from .errors import ContentError, Problem, relative_name
from .models import Brief, Source, SourceList, Theme
from .project import Audience, BriefEntry, Project, ThemeEntry
from .safe_files import UnsafeFile, resolve_inside
from .settings import (
    AUDIENCES_DIR,
    BRAND_FILE,
    BRIEF_FILE,
    BRIEFS_DIR,
    CONFIG_FILE,
    CONTENT_DIR,
    SOURCES_FILE,
    THEMES_DIR,
)
from .validation import validate
from .yamlsource import YamlDocument, YamlProblems, read_yaml

M = TypeVar("M", bound=BaseModel)


@dataclass
class _Reading:
    """What has been read so far: every problem, every file."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def read(self, path: Path) -> YamlDocument | None:
        self.files.append(path)
        name = relative_name(path, self.root)
        try:  # a symlink out of the project (content/x.yaml -> /etc/passwd) is refused before it is opened
            resolve_inside(self.root, path.absolute())
        except UnsafeFile as exc:
            hint = "copy the file into the project instead of linking to it" if "outside" in exc.reason else exc.hint
            self.problems.append(Problem(name, message=f"this file {exc.reason}", hint=hint))
            return None
        try:
            doc = read_yaml(path, name)
        except YamlProblems as exc:
            self.problems.extend(exc.problems)
            return None
        self.problems.extend(doc.problems)
        return doc

    def validate(self, model: type[M], doc: YamlDocument | None) -> M | None:
        """Validate a document, leaving out errors on lines the YAML reader already reported."""
        if doc is None:
            return None
        found: list[Problem] = []
        result = validate(model, doc, found)
        reported = {(p.file, p.line) for p in doc.problems}
        self.problems.extend(p for p in found if (p.file, p.line) not in reported)
        return result


def find_root(path: str | Path) -> Path:
    """The project folder for a path that names the folder or its ``briefing.yaml``."""
    candidate = Path(path)
    if candidate.is_file() and candidate.name == CONFIG_FILE:
        return candidate.parent
    return candidate


def load_project(path: str | Path = ".", *, strict: bool = False, raise_errors: bool = True) -> Project:
    """Read, validate and cross-check the project at ``path``.

    Raises ``ContentError`` carrying every problem found (warnings too when
    ``strict``); otherwise returns the project with its warnings attached.
    """
    root = find_root(path).absolute()  # every path inside the project is then the same whatever the working folder
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        where = relative_name(config_path, Path.cwd())
        raise ContentError([Problem(
            where, message="no briefing.yaml here: this is not a briefing project",
            hint=f"run 'briefing init {root}' to create one, or pass the project folder")])
    reading = _Reading(root)
    config_doc = reading.read(config_path)
    config = reading.validate(ProjectConfig, config_doc)
    content_dir = root / (config.paths.content if config else CONTENT_DIR)

    brand_doc = reading.read(root / BRAND_FILE) if (root / BRAND_FILE).is_file() else None
    brand = reading.validate(Brand, brand_doc) if brand_doc else Brand()
    sources, sources_doc = _read_sources(reading, content_dir)
    audiences = _read_audiences(reading, content_dir)
    briefs = _read_briefs(reading, content_dir)

    if config is None or config_doc is None:
        raise ContentError(reading.problems)
    project = Project(root=root, config=config, config_doc=config_doc, sources=sources, audiences=audiences,
                      briefs=briefs, brand=brand or Brand(), brand_doc=brand_doc, sources_doc=sources_doc,
                      files=reading.files)
    errors, warnings = cross_check(project)
    problems = reading.problems + errors
    if strict:
        problems += [w.as_error() for w in warnings]
    project.warnings = sorted(warnings)
    if problems:
        if raise_errors or reading.problems:  # a file that did not validate leaves no whole project
            raise ContentError(problems)
        project.errors = sorted(errors)
    return project


def _read_sources(reading: _Reading, content_dir: Path) -> tuple[dict[str, Source], YamlDocument | None]:
    path = content_dir / SOURCES_FILE
    if not path.is_file():
        return {}, None
    doc = reading.read(path)
    if doc is None:
        return {}, None
    listing = reading.validate(SourceList, doc)
    sources: dict[str, Source] = {}
    for index, source in enumerate(listing.sources if listing else []):
        if source.id in sources:
            reading.problems.append(doc.problem(
                ("sources", index, "id"), f"duplicate source id '{source.id}'",
                "give each source its own id", prefer_key=False))
        sources.setdefault(source.id, source)
    return sources, doc


def _read_audiences(reading: _Reading, content_dir: Path) -> dict[str, Audience]:
    audiences: dict[str, Audience] = {}
    for path in sorted((content_dir / AUDIENCES_DIR).glob("*.yaml")):
        doc = reading.read(path)
        if doc is not None and isinstance(doc.data, dict) and "id" in doc.data:
            # An audience is named by its file; an id inside would be a second name that can disagree.
            reading.problems.append(doc.problem(
                ("id",), "an audience's id is its file name",
                f"remove 'id:'; to rename the audience, rename {path.name}"))
            continue
        profile = reading.validate(AudienceProfile, doc)
        if doc is not None and profile is not None:
            audiences[path.stem] = Audience(path.stem, profile, path, doc)
    return audiences


def _read_briefs(reading: _Reading, content_dir: Path) -> list[BriefEntry]:
    briefs: list[BriefEntry] = []
    for directory in sorted(p for p in (content_dir / BRIEFS_DIR).glob("*") if p.is_dir()):
        brief_path = directory / BRIEF_FILE
        if not brief_path.is_file():
            reading.problems.append(Problem(
                relative_name(directory, reading.root), message="brief folder has no brief.yaml",
                hint="add brief.yaml with the brief's title, date and summary"))
            continue
        doc = reading.read(brief_path)
        meta = reading.validate(Brief, doc)
        themes: list[ThemeEntry] = []
        for theme_path in sorted((directory / THEMES_DIR).glob("*.yaml")):
            theme_doc = reading.read(theme_path)
            theme = reading.validate(Theme, theme_doc)
            if theme_doc is not None and theme is not None:
                themes.append(ThemeEntry(theme, theme_path, theme_doc))
        if doc is not None and meta is not None:
            briefs.append(BriefEntry(directory.name, meta, directory, doc, tuple(themes)))
    return briefs
