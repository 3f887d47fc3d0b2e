"""Loading and validating a project: every error case with its exact location."""

from __future__ import annotations

import pytest
from conftest import assert_problem, problems_of

from briefing import ContentError, load_project
from briefing.errors import Severity

THEME = "content/briefs/widgets/themes/01-prices.yaml"


def test_minimal_project_loads_with_typed_values(loaded_minimal):
    project = loaded_minimal
    assert [b.id for b in project.briefs] == ["widgets"]
    brief = project.briefs[0]
    assert [t.id for t in brief.themes] == ["prices", "supply"]
    assert brief.meta.date.isoformat() == "2025-01-12"
    figure = brief.themes[0].facts[0].figure
    assert figure.value == 20.0 and figure.unit == "%"
    assert list(project.audiences) == ["executive", "technical"]
    assert project.audiences["executive"].id == "executive"
    assert project.warnings == []


def test_misspelled_key_suggests_the_right_one(make_project):
    root = make_project({THEME: """\
        id: prices
        title: Prices fall
        takeaway: Widget prices fell.
        summary: Prices fell.
        qoutes: []
        recommendations: [{action: Buy.}]
        """})
    problem = assert_problem(problems_of(root), f"{THEME}:5:1", "unknown field 'qoutes'",
                             "did you mean 'quotes'?")
    assert problem.field_path == "qoutes"


def test_nested_misspelled_key_and_wrong_types_reported_together(make_project):
    root = make_project({THEME: """\
        id: prices
        title: Prices fall
        takeaway: Widget prices fell.
        summary: Prices fell.
        priority: hihg
        facts:
          - statment: Prices fell.
            figure: {value: twenty, basis: claimm}
        recommendations: [{action: Buy.}]
        """})
    problems = problems_of(root)
    assert_problem(problems, f"{THEME}:5:11", "expected one of", "did you mean 'high'?")
    assert_problem(problems, f"{THEME}:7:5", "facts[0].statment", "did you mean 'statement'?")
    assert_problem(problems, f"{THEME}:7:5", "missing required field 'statement'")
    assert_problem(problems, f"{THEME}:8:21", "expected a number, found 'twenty'")
    assert_problem(problems, f"{THEME}:8:36", "did you mean 'claim'?")
    assert problems == sorted(problems)


def test_unknown_source_id_points_at_the_value(make_project):
    root = make_project({"content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: Supply grows
        takeaway: New factories add supply.
        summary: Two factories opened.
        facts:
          - statement: Two factories opened.
            source: meme
        recommendations: [{action: Qualify a second supplier.}]
        """})
    assert_problem(problems_of(root), "content/briefs/widgets/themes/02-supply.yaml:7:13",
                   "unknown source 'meme'", "did you mean 'memo'?", "known sources: call, memo")


def test_duplicate_theme_ids(make_project):
    root = make_project({"content/briefs/widgets/themes/03-again.yaml": """\
        id: prices
        title: Prices again
        takeaway: Same id.
        summary: Same id.
        recommendations: [{action: Rename.}]
        """})
    assert_problem(problems_of(root), "content/briefs/widgets/themes/03-again.yaml:1:5",
                   "duplicate theme id 'prices'", "also in content/briefs/widgets/themes/01-prices.yaml")


def test_recommendation_for_unknown_audience(make_project):
    root = make_project({"content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: Supply grows
        takeaway: New factories add supply.
        summary: Two factories opened.
        recommendations:
          - action: Qualify a second supplier.
            audiences: [technical, executiv]
        """})
    assert_problem(problems_of(root), "content/briefs/widgets/themes/02-supply.yaml:7:28",
                   "recommendations[0].audiences[1]", "unknown audience 'executiv'",
                   "did you mean 'executive'?")


def test_duplicate_keys_are_errors_with_location(make_project):
    root = make_project({"content/briefs/widgets/brief.yaml": """\
        title: The widget market
        date: 2025-01-12
        title: Again
        summary: Widgets.
        """})
    assert_problem(problems_of(root), "content/briefs/widgets/brief.yaml:3:1",
                   "duplicate key 'title' (first set on line 1)")


def test_yaml_11_coercions_never_change_text_fields(make_project):
    root = make_project({"content/briefs/widgets/brief.yaml": """\
        title: NO
        subtitle: 1.10
        date: 2025-01-12
        summary: 12:30
        keywords: [on, 012, yes]
        """})
    meta = load_project(root).briefs[0].meta
    assert meta.title == "NO"
    assert meta.subtitle == "1.10"
    assert meta.summary == "12:30"
    assert meta.keywords == ["on", "012", "yes"]


def test_python_tag_is_refused_with_location(make_project):
    root = make_project({"content/briefs/widgets/brief.yaml": """\
        title: The widget market
        date: 2025-01-12
        summary: !!python/object/apply:os.system ["true"]
        """})
    problems = problems_of(root)
    assert_problem(problems, "content/briefs/widgets/brief.yaml:3:10",
                   "YAML tag '!!python/object/apply:os.system' is not allowed")
    assert len([p for p in problems if p.line == 3]) == 1


def test_alias_bomb_in_a_project_fails_cleanly(make_project):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in "bcdefghi":
        lines.append(f"{level}: &{level} [" + ",".join([f"*{chr(ord(level) - 1)}"] * 9) + "]")
    root = make_project({"content/briefs/widgets/brief.yaml": "\n".join(lines) + "\n"})
    assert any("more than 100,000 values" in p.message for p in problems_of(root))


def test_deep_nesting_in_a_project_fails_cleanly(make_project):
    root = make_project({"content/sources.yaml": "sources: " + "[" * 5000 + "]" * 5000 + "\n"})
    assert_problem(problems_of(root), "content/sources.yaml:1:73", "nesting is deeper than")


def test_empty_file_gets_a_clear_message(make_project):
    root = make_project({"content/audiences/technical.yaml": ""})
    assert_problem(problems_of(root), "content/audiences/technical.yaml:1:1",
                   "expected a mapping of fields", "found nothing", "file is empty")


def test_wrong_top_level_type(make_project):
    root = make_project({"content/sources.yaml": "- id: memo\n  title: x\n"})
    assert_problem(problems_of(root), "content/sources.yaml:1:1",
                   "expected a mapping of fields (sources), found a list")


def test_bom_and_crlf_are_accepted(make_project):
    text = "\ufefftitle: The widget market\r\ndate: 2025-01-12\r\nsummary: Widgets.\r\n"
    root = make_project({"content/briefs/widgets/brief.yaml": text.encode("utf-8")})
    assert load_project(root).briefs[0].meta.title == "The widget market"


def test_crlf_file_still_reports_exact_columns(make_project):
    text = "title: The widget market\r\ndate: 2025-13-45\r\nsummary: Widgets.\r\n"
    root = make_project({"content/briefs/widgets/brief.yaml": text.encode("utf-8")})
    assert_problem(problems_of(root), "content/briefs/widgets/brief.yaml:2:7",
                   "expected a date like 2024-12-03")


def test_warnings_are_located_and_strict_makes_them_errors(make_project):
    root = make_project({"content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: Supply grows
        takeaway: New factories add supply.
        summary: Two factories opened.
        facts:
          - statement: Two factories opened.
            figure: {value: 2, unit: factories, basis: claim}
        """})
    warnings = load_project(root).warnings
    assert all(w.severity is Severity.WARNING for w in warnings)
    name = "content/briefs/widgets/themes/02-supply.yaml"
    assert_problem(warnings, f"{name}:6:5", "fact has no source")
    assert_problem(warnings, f"{name}:1:1", "theme 'supply' has no recommendation")
    assert_problem(warnings, f"{name}:7:5", "claimed figure does not say who claims it")
    strict = problems_of(root, strict=True)
    assert len(strict) == 3 and all(p.severity is Severity.ERROR for p in strict)


def test_one_run_reports_errors_from_several_files_sorted(make_project):
    root = make_project({
        "briefing.yaml": "title: Test\npaper_size: A3\n",
        "content/audiences/executive.yaml": "name: Executive\ndescription: x\ndepht: summary\n",
        "content/sources.yaml": "sources:\n  - id: Memo One\n    title: x\n    publisher: y\n",
    })
    problems = problems_of(root)
    locations = [p.location for p in problems]
    assert "briefing.yaml:2:13" in locations
    assert "content/audiences/executive.yaml:3:1" in locations
    assert "content/sources.yaml:2:9" in locations
    assert locations == sorted(locations)
    assert_problem(problems, "content/sources.yaml:2:9", "write it as 'memo-one'")


def test_missing_project_says_how_to_create_one(tmp_path):
    with pytest.raises(ContentError) as caught:
        load_project(tmp_path)
    assert "briefing init" in caught.value.problems[0].hint


def test_brief_theme_list_orders_and_selects(make_project):
    root = make_project({"content/briefs/widgets/brief.yaml": """\
        title: The widget market
        date: 2025-01-12
        summary: Widgets.
        themes: [supply, prices]
        """})
    assert [t.id for t in load_project(root).briefs[0].themes] == ["supply", "prices"]


def test_evidence_is_checked_against_the_local_text(make_project):
    root = make_project({
        "sources/memo.txt": "Widget prices fell 20% in the quarter. Widget prices \u201cfell by 20%\u201d over the"
                            " quarter,\nthe memo said.",
        "content/sources.yaml": """\
            sources:
              - {id: memo, title: Memo, publisher: WW, text: sources/memo.txt}
              - {id: call, title: Call, publisher: WC}
            """,
        "content/briefs/widgets/themes/02-supply.yaml": """\
            id: supply
            title: Supply grows
            takeaway: New factories add supply.
            summary: Two factories opened.
            facts:
              - statement: Prices fell.
                source: memo
                evidence: '"fell by 20%" over the  quarter, the memo'
              - statement: Two factories opened.
                source: memo
                evidence: two factories opened
            recommendations: [{action: Qualify a second supplier.}]
            """,
    })
    # Evidence that is not in the source is an error: a misquote must not publish.
    errors = [p for p in problems_of(root) if p.severity.value == "error"]
    assert [p.location for p in errors] == ["content/briefs/widgets/themes/02-supply.yaml:11:15"]
    assert "evidence not found" in errors[0].message


def test_a_file_with_a_bad_key_still_gets_its_references_checked(make_project):
    root = make_project({"content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: Supply grows
        takeaway: New factories add supply.
        summary: Two factories opened.
        facts:
          - statement: Two factories opened.
            source: mem
        recomendations: []
        """})
    problems = problems_of(root)
    name = "content/briefs/widgets/themes/02-supply.yaml"
    assert_problem(problems, f"{name}:7:13", "unknown source 'mem'", "did you mean 'memo'?")
    assert_problem(problems, f"{name}:8:1", "unknown field 'recomendations'", "did you mean 'recommendations'?")
    assert len(problems) == 2
