"""The fidelity checks, in the form ``briefing.checks.CHECKS`` runs: ``check_xxx(found) -> None``.

Each reads the project's verdicts (``analysis.analyse``, computed once per loaded project) and adds
its findings to ``found`` as located problems. Severity: a text mismatch (evidence or quote words
not in the source, a figure that disagrees with its evidence, a wrong unit, scale or currency, a
statement's number not in its evidence's paragraph, a changed pinned copy) is an error; attribution,
basis, hedges, missing evidence, untraced numbers and unchecked sources are warnings, which
``--strict`` makes errors.

This module must not import ``briefing.checks`` at run time: ``briefing.checks`` imports it.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from ..errors import Problem, Severity
from .analysis import analyse
from .verdicts import Check, Finding

if TYPE_CHECKING:
    from ..checks import Findings
    from ..yamlsource import YamlDocument


def pinpoint(doc: YamlDocument, loc: tuple[Any, ...], needle: str) -> tuple[int, int] | None:
    """Line and column of ``needle`` inside the YAML value at ``loc`` (a long or multi-line text), if found."""
    line, column = doc.locate(loc, prefer_key=False)
    if not 0 < line <= len(doc.lines):
        return None
    first = doc.lines[line - 1]
    base_indent = len(first) - len(first.lstrip())
    for number in range(line, min(len(doc.lines), line + 400) + 1):
        text = doc.lines[number - 1]
        if number > line and text.strip() and len(text) - len(text.lstrip()) <= base_indent:
            break  # past the value: the next key or item
        start = column - 1 if number == line else 0
        found = text.find(needle, start)
        if found >= 0:
            return number, found + 1
    return None


def to_problem(finding: Finding) -> Problem:
    """A finding as a located problem: at the YAML value, or at the words inside it when it can say where."""
    severity = Severity.ERROR if finding.severity == "error" else Severity.WARNING
    problem = finding.doc.problem(finding.loc, finding.message, finding.hint, prefer_key=False, severity=severity)
    if finding.needle:
        spot = pinpoint(finding.doc, finding.loc, finding.needle)
        if spot is not None:
            problem = dataclasses.replace(problem, line=spot[0], column=spot[1],
                                          source_line=finding.doc.line_text(spot[0]))
    return problem


def _emit(found: Findings, check: Check) -> None:
    for finding in analyse(found.project).findings():
        if finding.check == check:
            problem = to_problem(finding)
            (found.errors if problem.severity == Severity.ERROR else found.warnings).append(problem)


def check_source_texts(found: Findings) -> None:
    """Sources: a pinned copy (``sha256``) must be unchanged; a cited source without a readable copy
    leaves its facts and quotes unchecked (a warning)."""
    _emit(found, "sources")


def check_fact_fidelity(found: Findings) -> None:
    """Facts and figures against their sources: evidence words, figure vs evidence (number, range,
    unit, scale, currency, hedge), the claimant and basis, numbers in the statement."""
    _emit(found, "facts")


def check_quote_fidelity(found: Findings) -> None:
    """Quotes: the words verbatim in the source, and the speaker named where the source gives them."""
    _emit(found, "quotes")


def check_prose_numbers(found: Findings) -> None:
    """Numbers in takeaways, summaries, the bottom line, implications, risks and recommendations must
    be in one of the brief's figures or in a cited source's text."""
    _emit(found, "prose")


FIDELITY_CHECKS = [check_source_texts, check_fact_fidelity, check_quote_fidelity, check_prose_numbers]
