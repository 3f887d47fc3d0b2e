"""Source fidelity on a project written for the tests (tests/fidelity/project, its source in our own words).

The clean brief has no finding; each of the ten planted errors of issue 13 is flagged at its line
with its own message and severity; the variants a faithful analyst writes raise nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

import briefing.checks as core
from briefing.checks import Findings
from briefing.errors import Problem, Severity
from briefing.fidelity.checks import FIDELITY_CHECKS
from briefing.fidelity.report import report_data, report_html, schema, summary_lines, write_report
from briefing.load import load_project

DATA = Path(__file__).parent / "fidelity" / "project"
THEME = "content/briefs/storage/themes/01-storage.yaml"
BRIEF = "content/briefs/storage/brief.yaml"


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(DATA, root)
    return root


def problems(root: Path, monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    """Every problem the core checks and the fidelity checks find, warnings and errors alike."""
    monkeypatch.setattr(core, "CHECKS", [c for c in core.CHECKS if c not in FIDELITY_CHECKS])
    if hasattr(core, "_check_evidence"):  # the old substring test, which the fidelity checks replace
        monkeypatch.setattr(core, "_check_evidence", lambda *args, **kwargs: None)
    project = load_project(root)
    found = Findings(project)
    for check in FIDELITY_CHECKS:
        check(found)
    return sorted([*project.warnings, *found.errors, *found.warnings])


def edit(root: Path, name: str, old: str, new: str) -> tuple[int, int]:
    """Replace ``old`` by ``new`` in a file; returns the (line, column) where ``new`` starts."""
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} should occur once in {name}"
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    before = text[: text.index(new)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def only(found: list[Problem], name: str, line: int, *fragments: str, severity: Severity,
         column: int | None = None) -> Problem:
    """Exactly one problem, at ``name:line`` (and column), with every fragment and the severity."""
    shown = "\n".join(p.format() for p in found)
    assert len(found) == 1, f"expected one problem, got {len(found)}:\n{shown}"
    problem = found[0]
    assert (problem.file, problem.line) == (name, line), shown
    if column is not None:
        assert problem.column == column, shown
    assert problem.severity == severity, shown
    for fragment in fragments:
        assert fragment in problem.message + "\n" + problem.hint, f"{fragment!r} not in:\n{shown}"
    return problem


def test_clean_brief_has_no_finding(project_dir, monkeypatch):
    assert problems(project_dir, monkeypatch) == []
    project = load_project(project_dir)
    assert summary_lines(project) == [
        "fidelity storage: facts 7 verified; figures 7 verified; quotes 2 verified; prose numbers 7 verified"]


# The ten planted errors: (file, old, new, where the finding points inside `new`, message fragments, severity).
PLANTED = {
    "figure value changed": (
        THEME, "{value: 45,", "{value: 54,", "54", ("figure 54%", "does not match its evidence", "45%"),
        Severity.ERROR),
    "evidence not in the source": (
        THEME, "evidence: Northwind plans to install 100,000 home batteries",
        "evidence: Northwind plans to fit 100,000 home batteries", "Northwind plans to fit",
        ("evidence not found in the text of source 'northwind'", "closest passage (paragraph 6)",
         "Northwind plans to install 100,000 home batteries"), Severity.ERROR),
    "quote words altered": (
        THEME, "text: Demand for flexible capacity keeps growing, and",
        "text: Demand for flexible capacity keeps rising, and", "Demand",
        ("quote not found verbatim", "closest passage (paragraph 4)", "keeps growing"), Severity.ERROR),
    "quote given to another person": (
        THEME, "    speaker: Dana Whitfield\n    role: Chief executive, Northwind Grid",
        "    speaker: Ravi Olsen\n    role: Analyst, Brightline Research", "Ravi Olsen",
        ("speaker 'Ravi Olsen' is not named", "the source ties it to Whitfield"), Severity.WARNING),
    "fact with no source": (
        THEME, "quotes:\n", "  - statement: Northwind is the largest utility on the coast.\nquotes:\n",
        "statement", ("fact has no source",), Severity.WARNING),
    "figure without evidence, number nowhere in the source": (
        THEME, "quotes:\n",
        "  - statement: Northwind will hire installers.\n"
        "    figure: {value: 2500, unit: installers, basis: claim, by: Northwind}\n"
        "    source: northwind\nquotes:\n", "2500",
        ("figure 2500 installers is nowhere in the text of source 'northwind'",), Severity.ERROR),
    "unit changed": (
        THEME, "{value: 8, unit: billion,", "{value: 8, unit: million,", "million",
        ("figure $8 million has the wrong scale", "$8 billion"), Severity.ERROR),
    "claimant changed": (
        THEME, "by: Brightline Research,", "by: Kestrel Cells,", "Kestrel Cells",
        ("claimant 'Kestrel Cells' is not named", "Brightline Research estimates"), Severity.WARNING),
    "summary number not in the source": (
        BRIEF, "Analysts doubt the costs.", "Analysts doubt the costs and expect bills to rise 20%.",
        "20%", ("untraced number '20%'",), Severity.WARNING),
    "year changed": (
        THEME, "45% of evening peak demand by 2028.", "45% of evening peak demand by 2027.", "2027",
        ("statement says 2027", "not in its evidence's paragraph", "2028"), Severity.ERROR),
}


@pytest.mark.parametrize("name", list(PLANTED))
def test_planted_error_is_flagged_where_it_is(name, project_dir, monkeypatch):
    file, old, new, target, fragments, severity = PLANTED[name]
    line, column = edit(project_dir, file, old, new)
    offset = new.index(target)
    line += new[:offset].count("\n")
    column = (column + offset) if "\n" not in new[:offset] else offset - new[:offset].rfind("\n")
    only(problems(project_dir, monkeypatch), file, line, *fragments, severity=severity, column=column)


def test_planted_messages_are_all_different():
    messages = [fragments[0] for _, _, _, _, fragments, _ in PLANTED.values()]
    assert len(set(messages)) == len(messages)


# Variants a faithful analyst writes: none of them is a finding.
FAITHFUL = {
    "ellipsis": ("evidence: expects storage to cover 45% of evening peak demand by 2028",
                 "evidence: expects storage to cover 45% ... by 2028"),
    "unicode ellipsis": ("evidence: expects storage to cover 45% of evening peak demand by 2028",
                         "evidence: expects storage to cover 45% \u2026 demand by 2028"),
    "bracketed gap": ("text: Demand for flexible capacity keeps growing, and batteries",
                      "text: Demand for flexible capacity keeps growing [...] batteries"),
    "bracketed unicode gap": ("text: Demand for flexible capacity keeps growing, and batteries",
                              "text: Demand for flexible capacity keeps growing [\u2026] batteries"),
    "non-breaking hyphen": ("for households on time-of-use tariffs",
                            "for households on time\u2011of\u2011use tariffs"),
    "en dash for a hyphen": ("cut peak prices by 30-40 percent", "cut peak prices by 30\u201340 percent"),
    "straight for curly quotes": ("evidence: Northwind plans to install 100,000 home batteries",
                                  "evidence: \"Northwind plans to install 100,000 home batteries\""),
    "straight apostrophe": ("evidence: cut peak prices by 30-40 percent for households on time-of-use tariffs",
                            "evidence: Dana Whitfield, Northwind's chief executive, told reporters that the plan "
                            "would cut peak prices by 30-40 percent"),
    "trailing period where the source has a comma": (
        "text: Demand for flexible capacity keeps growing, and batteries are the cheapest way to meet it",
        "text: Demand for flexible capacity keeps growing."),
    "four times for 4x": ("as much energy per dollar as its 2019 packs.", "as much energy per dollar (4x) as in 2019."),
    "times as the unit": ("{value: 4, unit: x, basis: claim, by: Kestrel,", "{value: 4, unit: times, basis: claim, "
                                                                             "by: Kestrel,"),
    "8 billion $ for $8 billion": ("will spend $8 billion on battery storage over the next decade.",
                                   "will spend 8 billion $ on battery storage over the next decade."),
    "8 billion dollars in the takeaway": ("committing $8 billion to storage",
                                          "committing 8 billion dollars to storage"),
    "8,000 million": ("{value: 8, unit: billion, currency: $,", "{value: 8000, unit: million, currency: $,"),
    "more than for over": ("qualifier: over,", "qualifier: more than,"),
    "surname only": ("by: Dana Whitfield,", "by: Whitfield,"),
}


@pytest.mark.parametrize("name", list(FAITHFUL))
def test_faithful_variant_raises_nothing(name, project_dir, monkeypatch):
    old, new = FAITHFUL[name]
    edit(project_dir, THEME, old, new)
    found = problems(project_dir, monkeypatch)
    assert found == [], "\n".join(p.format() for p in found)


def test_dropped_hedge_is_a_warning(project_dir, monkeypatch):
    line, _ = edit(project_dir, THEME, "{value: 5, unit: x, qualifier: over,", "{value: 5, unit: x,")
    only(problems(project_dir, monkeypatch), THEME, line, "drops the hedge", "over five times",
         "qualifier: over", severity=Severity.WARNING)


def test_wrong_basis_is_a_warning(project_dir, monkeypatch):
    line, _ = edit(project_dir, THEME, "qualifier: about, basis: estimate,", "qualifier: about, basis: reported,")
    only(problems(project_dir, monkeypatch), THEME, line, "basis 'reported'", "'estimates'",
         "basis: estimate", severity=Severity.WARNING)


def test_dropped_range_is_an_error(project_dir, monkeypatch):
    line, _ = edit(project_dir, THEME, "{value: 30, upper: 40,", "{value: 30,")
    only(problems(project_dir, monkeypatch), THEME, line, "drops the range", "upper: 40", severity=Severity.ERROR)


def test_short_evidence_cannot_pin_down(project_dir, monkeypatch):
    line, _ = edit(project_dir, THEME, "evidence: Northwind plans to install 100,000 home batteries",
                   "evidence: 100,000 home batteries")
    only(problems(project_dir, monkeypatch), THEME, line, "too short to pin down", "3 words",
         severity=Severity.WARNING)


def test_source_without_text_leaves_items_unchecked(project_dir, monkeypatch):
    edit(project_dir, "content/sources.yaml", "    text: content/sources/northwind.txt\n", "")
    found = problems(project_dir, monkeypatch)
    only(found, "content/sources.yaml", 2, "has no local text copy", "7 facts and 2 quotes are unchecked",
         severity=Severity.WARNING)
    project = load_project(project_dir)
    assert summary_lines(project) == ["fidelity storage: facts 7 unchecked; figures 7 unchecked; "
                                      "quotes 2 unchecked; prose numbers 5 verified, 2 unchecked"]


def test_strict_fails_on_unchecked_and_warnings(project_dir, monkeypatch):
    edit(project_dir, "content/sources.yaml", "    text: content/sources/northwind.txt\n", "")
    monkeypatch.setattr(core, "CHECKS", [*[c for c in core.CHECKS if c not in FIDELITY_CHECKS], *FIDELITY_CHECKS])
    from briefing.errors import ContentError

    with pytest.raises(ContentError, match="has no local text copy"):
        load_project(project_dir, strict=True)


def test_changed_pinned_copy_is_an_error(project_dir, monkeypatch):
    from briefing.fidelity import analysis

    project = load_project(project_dir)
    source = project.sources["northwind"]
    project.sources["northwind"] = source.model_copy(update={"sha256": "0" * 64})
    analysis._RESULTS.clear()  # the verdicts of the load were for the unpinned source
    found = Findings(project)
    FIDELITY_CHECKS[0](found)
    assert len(found.errors) == 1 and "has changed: its sha256 is" in found.errors[0].message
    analysis._RESULTS.clear()
    from briefing.fidelity.source_text import digest

    text = (project_dir / "content/sources/northwind.txt").read_bytes()
    project.sources["northwind"] = source.model_copy(update={"sha256": digest(text)})
    found = Findings(project)
    FIDELITY_CHECKS[0](found)
    assert found.errors == []


def test_report_json_validates_and_html_is_escaped(project_dir, monkeypatch, tmp_path):
    edit(project_dir, THEME, "{value: 45,", "{value: 54,")
    edit(project_dir, THEME, "label: Storage spending", "label: Storage <script>alert(1)</script> spending")
    project = load_project(project_dir, raise_errors=False)  # the report is for a project that fails its checks
    assert [p.message for p in project.errors if "does not match its evidence" in p.message]
    jsonschema.Draft202012Validator.check_schema(schema())
    data = report_data(project)
    jsonschema.validate(data, schema(), cls=jsonschema.Draft202012Validator)
    written = write_report(project, tmp_path / "r.json", "json")
    assert json.loads(written.read_text(encoding="utf-8")) == data
    figures = [i for i in data["briefs"][0]["items"] if i["kind"] == "figure"]
    flagged = next(i for i in figures if i["status"] == "flagged")
    assert flagged["passage"]["paragraph"] == 3 and "45% of evening peak demand" in flagged["passage"]["text"]
    assert data["totals"]["figures"] == {"verified": 6, "flagged": 1, "unchecked": 0}
    page = report_html(project)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert 'href="#src-northwind-p3"' in page and 'id="src-northwind-p3"' in page
    assert "<mark>expects storage to cover 45% of evening peak demand by 2028</mark>" in page
