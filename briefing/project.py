"""The loaded project: validated models, each kept with the file and YAML positions it came from.

``load.load_project`` builds a ``Project``; every later stage (checks,
selection, rendering, publishing) reads it.  Entries carry their own
``YamlDocument``, so a check can point at the line of any field without
looking documents up by name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .brand import Brand
from .config import AudienceProfile, ProjectConfig
from .errors import Problem
from .models import Brief, Source, Theme
from .settings import CACHE_DIR, SOURCES_DIR
from .yamlsource import YamlDocument


@dataclass(frozen=True)
class ThemeEntry:
    """One theme file."""

    theme: Theme
    path: Path
    doc: YamlDocument


@dataclass(frozen=True)
class BriefEntry:
    """One brief: its front matter and its themes.

    ``themes`` is the reading order (the brief's ``themes:`` list when it has one, else
    file-name order); ``theme_files`` is every theme file, listed or not, for checks.
    """

    id: str
    meta: Brief
    directory: Path
    doc: YamlDocument
    theme_files: tuple[ThemeEntry, ...]

    @property
    def themes(self) -> tuple[Theme, ...]:
        themes = [entry.theme for entry in self.theme_files]
        if not self.meta.themes:
            return tuple(themes)
        by_id = {theme.id: theme for theme in themes}
        return tuple(by_id[theme_id] for theme_id in self.meta.themes if theme_id in by_id)


@dataclass(frozen=True)
class Audience:
    """One audience profile; its id is its file name."""

    id: str
    profile: AudienceProfile
    # Where it was read from: for locating problems, not part of what an output depends on.
    path: Path = field(metadata={"cache_key": False})
    doc: YamlDocument = field(metadata={"cache_key": False})

    @property
    def name(self) -> str:
        return self.profile.name

    @property
    def description(self) -> str:
        return self.profile.description


@dataclass
class Project:
    """A validated project: what every later stage works from."""

    root: Path
    config: ProjectConfig
    config_doc: YamlDocument
    sources: dict[str, Source]
    audiences: dict[str, Audience]
    briefs: list[BriefEntry]
    brand: Brand = field(default_factory=Brand)
    brand_doc: YamlDocument | None = None
    sources_doc: YamlDocument | None = None
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)  # only with load_project(..., raise_errors=False)
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

    @property
    def input_dirs(self) -> list[Path]:
        """The folders a build reads: no output may go inside one (it would be read back as input)."""
        texts = {(self.root / source.text).parent for source in self.sources.values() if source.text}
        return sorted({self.content_dir, self.templates_dir, self.root / SOURCES_DIR, self.root / CACHE_DIR,
                       *(folder for folder in texts if folder.resolve() != self.root.resolve())})

    def brief(self, brief_id: str) -> BriefEntry:
        return next(brief for brief in self.briefs if brief.id == brief_id)
