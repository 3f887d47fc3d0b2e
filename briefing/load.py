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

from .brand import BRAND_FILE, Brand
from .config import AudienceProfile, ProjectConfig
from .errors import ContentError, Problem, relative_name
from .models import Brief, Source, SourceList, Theme
from .validation import validate
from .yamlsource import YamlDocument, YamlProblems, read_yaml

CONFIG_FILE = "briefing.yaml"
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class BriefContent:
    """One brief: its front matter and its themes in reading order."""

    id: str
    meta: Brief
    themes: tuple[Theme, ...]
    directory: Path


@dataclass
class Project:
    """A validated project: what every later stage works from."""

    root: Path
    config: ProjectConfig
    sources: dict[str, Source]
    audiences: dict[str, AudienceProfile]
    briefs: list[BriefContent]
    brand: Brand = field(default_factory=Brand)
    warnings: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    @property
    def content_dir(self) -> Path:
        return self.root / self.config.paths.content

    @property
    def templates_dir(self) -> Path:
        return self.root / self.config.paths.templates

    @property
    def output_dir(self) -> Path:
        return self.root / self.config.paths.output


@dataclass
class _Reading:
    """What has been read so far, with the documents kept for locating problems."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)

    def read(self, path: Path) -> YamlDocument | None:
        self.files.append(path)
        try:
            doc = read_yaml(path, relative_name(path, self.root))
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


def load_project(path: str | Path = ".", *, strict: bool = False) -> Project:
    """Read, validate and cross-check the project at ``path``.

    Raises ``ContentError`` carrying every problem found (warnings too when
    ``strict``); otherwise returns the project with its warnings attached.
    """
    from .checks import cross_check  # checks imports this module's dataclasses

    root = find_root(path)
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        where = relative_name(config_path, Path.cwd())
        raise ContentError([Problem(
            where, message="no briefing.yaml here: this is not a briefing project",
            hint=f"run 'briefing init {root}' to create one, or pass the project folder")])
    reading = _Reading(root)
    documents: dict[str, YamlDocument] = {}

    config_doc = reading.read(config_path)
    config = reading.validate(ProjectConfig, config_doc)
    content_dir = root / (config.paths.content if config else "content")

    brand_doc = reading.read(root / BRAND_FILE) if (root / BRAND_FILE).is_file() else None
    brand = reading.validate(Brand, brand_doc) if brand_doc else Brand()
    if brand_doc:
        documents[BRAND_FILE] = brand_doc
    sources, sources_doc = _read_sources(reading, content_dir)
    audiences = _read_audiences(reading, content_dir, documents)
    briefs = _read_briefs(reading, content_dir, documents)
    if config_doc:
        documents[CONFIG_FILE] = config_doc
    if sources_doc:
        documents["sources"] = sources_doc

    if config is None:
        raise ContentError(reading.problems)
    project = Project(root=root, config=config, sources=sources, audiences=audiences,
                      briefs=briefs, brand=brand or Brand(), files=reading.files)
    errors, warnings = cross_check(project, documents)
    problems = reading.problems + errors
    if strict:
        problems += [w.as_error() for w in warnings]
    if problems:
        raise ContentError(problems)
    project.warnings = sorted(warnings)
    project.briefs = [_in_reading_order(brief) for brief in briefs]
    return project


def _in_reading_order(brief: BriefContent) -> BriefContent:
    """Apply the brief's explicit ``themes:`` list (order and selection), if it has one."""
    if not brief.meta.themes:
        return brief
    by_id = {theme.id: theme for theme in brief.themes}
    themes = tuple(by_id[theme_id] for theme_id in brief.meta.themes)
    return BriefContent(brief.id, brief.meta, themes, brief.directory)


def _read_sources(reading: _Reading, content_dir: Path) -> tuple[dict[str, Source], YamlDocument | None]:
    path = content_dir / "sources.yaml"
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


def _read_audiences(reading: _Reading, content_dir: Path,
                    documents: dict[str, YamlDocument]) -> dict[str, AudienceProfile]:
    audiences: dict[str, AudienceProfile] = {}
    for path in sorted((content_dir / "audiences").glob("*.yaml")):
        doc = reading.read(path)
        profile = reading.validate(AudienceProfile, doc)
        if doc is None or profile is None:
            continue
        if profile.id is not None and profile.id != path.stem:
            reading.problems.append(doc.problem(
                ("id",), f"audience id '{profile.id}' differs from its file name '{path.name}'",
                f"remove the id or rename the file to {profile.id}.yaml", prefer_key=False))
            continue
        profile = profile.model_copy(update={"id": path.stem})
        audiences[path.stem] = profile
        documents[f"audience:{path.stem}"] = doc
    return audiences


def _read_briefs(reading: _Reading, content_dir: Path,
                 documents: dict[str, YamlDocument]) -> list[BriefContent]:
    briefs: list[BriefContent] = []
    for directory in sorted(p for p in (content_dir / "briefs").glob("*") if p.is_dir()):
        brief_path = directory / "brief.yaml"
        if not brief_path.is_file():
            reading.problems.append(Problem(
                relative_name(directory, reading.root), message="brief folder has no brief.yaml",
                hint="add brief.yaml with the brief's title, date and summary"))
            continue
        doc = reading.read(brief_path)
        meta = reading.validate(Brief, doc)
        themes: list[Theme] = []
        for theme_path in sorted((directory / "themes").glob("*.yaml")):
            theme_doc = reading.read(theme_path)
            theme = reading.validate(Theme, theme_doc)
            if theme_doc is not None and theme is not None:
                themes.append(theme)
                documents[f"theme:{directory.name}:{len(themes) - 1}"] = theme_doc
        if doc is not None and meta is not None:
            documents[f"brief:{directory.name}"] = doc
            briefs.append(BriefContent(directory.name, meta, tuple(themes), directory))
    return briefs
