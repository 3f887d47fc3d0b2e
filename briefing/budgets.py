"""Length budgets, checked on what was rendered for an audience.

A profile's budgets (PDF pages, words per summary, items per list) are
measured on the real output: the rendered PDF's page count (a cover page not
counted) and the words and items the audience is actually shown.  Going over
is a warning that names the audience and both numbers; ``--strict`` makes it
an error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import Problem, Severity
from .filters import word_count
from .settings import AUDIENCES_DIR

if TYPE_CHECKING:
    from .project import Project
    from .select import BriefView


def _over(project: Project, view: BriefView, field: str, message: str, hint: str) -> Problem:
    audience = view.target.id
    return Problem(f"{project.config.paths.content}/{AUDIENCES_DIR}/{audience}.yaml", field_path=f"budgets.{field}",
                   message=f"{audience} brief '{view.id}': {message}", hint=hint, severity=Severity.WARNING)


def check_budgets(project: Project, view: BriefView, *, pdf_pages: int | None) -> list[Problem]:
    budgets = view.profile.budgets
    problems: list[Problem] = []
    if budgets.pages is not None and pdf_pages is not None:
        counted = pdf_pages - (1 if view.profile.pdf.cover else 0)
        if counted > budgets.pages:
            problems.append(_over(project, view, "pages",
                                  f"the PDF has {counted} page{'s' if counted != 1 else ''}"
                                  f"{' after the cover' if view.profile.pdf.cover else ''}, "
                                  f"over the budget of {budgets.pages}",
                                  _page_hint(view)))
    if budgets.summary_words is not None:
        for theme in view.themes:
            words = word_count(theme.summary)
            if theme.show_summary and words > budgets.summary_words:
                problems.append(_over(project, view, "summary_words",
                                      f"the summary of theme '{theme.id}' has {words} words, "
                                      f"over the budget of {budgets.summary_words}",
                                      "shorten the summary, or show this audience the takeaway only"))
    if budgets.list_items is not None:
        lists = {f"list of {section} in theme '{theme.id}'": len(theme.items(section))
                 for theme in view.themes for section in theme.sections}
        lists["list of key takeaways"] = len(view.themes)
        lists["closing list of recommendations"] = len(view.action_list)
        for name, count in lists.items():
            if count > budgets.list_items:
                problems.append(_over(
                    project, view, "list_items",
                    f"the {name} has {count} items, over the budget of {budgets.list_items}",
                    "select fewer items for this audience (item_tags, audiences), or raise the budget"))
    return problems


def _page_hint(view: BriefView) -> str:
    """What in this profile would shorten the brief, with the values it has now."""
    profile = view.profile
    levers = [f"themes.limit (now {profile.themes.limit or 'all ' + str(len(view.themes))})",
              f"figures_limit (now {'none' if profile.figures_limit is None else profile.figures_limit})",
              f"depth (now {profile.depth})", f"sections (now {', '.join(profile.sections)})"]
    if profile.pdf.cover:
        levers.append("pdf.cover: false")
    if profile.pdf.contents:
        levers.append("pdf.contents: false")
    return ("the PDF was already laid out more compactly to fit; to shorten it, lower " + ", ".join(levers)
            + f"; or raise budgets.pages (now {profile.budgets.pages})")
