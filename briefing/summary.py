"""A short human summary of a loaded project, printed by ``briefing check``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .project import Project


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def describe_project(project: Project) -> str:
    themes = [theme for brief in project.briefs for theme in brief.themes]
    facts = [fact for theme in themes for fact in theme.facts]
    figures = sum(1 for fact in facts if fact.figure is not None)
    quotes = sum(len(theme.quotes) for theme in themes)
    charts = sum(len(theme.charts) for theme in themes)
    recommendations = sum(len(theme.recommendations) for theme in themes)
    lines = [f"{project.config.title}: {project.root}"]
    for brief in project.briefs:
        lines.append(f"  brief {brief.id}: {brief.meta.title} ({_count(len(brief.themes), 'theme')})")
    lines.append("  " + ", ".join([
        _count(len(themes), "theme"),
        f"{_count(len(facts), 'fact')} ({figures} with figures)",
        _count(quotes, "quote"),
        *([_count(charts, "chart")] if charts else []),
        _count(recommendations, "recommendation"),
        _count(len(project.sources), "source"),
    ]))
    audience_names = ", ".join(project.audiences)
    lines.append(f"  {_count(len(project.audiences), 'audience')}: {audience_names}")
    verdict = "OK" if not project.warnings else f"OK with {_count(len(project.warnings), 'warning')}"
    lines.append(f"{verdict}: {_count(len(project.files), 'file')} checked")
    return "\n".join(lines)
