"""The safe, located YAML reader: positions, pitfalls and limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing.yamlsource import MAX_DEPTH, YamlProblems, parse_yaml


def parse(text: str | bytes):
    return parse_yaml(text, Path("x.yaml"), "x.yaml")


def test_scalars_stay_the_text_the_author_wrote():
    doc = parse("a: NO\nb: on\nc: 1.10\nd: 012\ne: 12:30\nf: 2024-12-03\ng: ~\nh:\n")
    assert doc.data == {"a": "NO", "b": "on", "c": "1.10", "d": "012", "e": "12:30",
                        "f": "2024-12-03", "g": None, "h": None}


def test_positions_of_keys_and_values_are_recorded():
    doc = parse("title: x\nfacts:\n  - statement: y\n    source: memo\n")
    assert doc.key_marks[("facts", 0, "source")] == (4, 5)
    assert doc.value_marks[("facts", 0, "source")] == (4, 13)
    assert doc.locate(("facts", 0, "missing")) == (3, 5)


def test_duplicate_keys_are_problems_with_both_lines():
    doc = parse("title: a\nsummary: b\ntitle: c\n")
    [problem] = doc.problems
    assert (problem.line, problem.column) == (3, 1)
    assert "duplicate key 'title' (first set on line 1)" in problem.message
    assert doc.data["title"] == "a"


def test_python_tags_are_refused():
    doc = parse("a: !!python/object/apply:os.system ['echo hi']\n")
    [problem] = doc.problems
    assert "!!python/object/apply:os.system" in problem.message
    assert (problem.line, problem.column) == (1, 4)
    assert doc.data == {"a": None}


def test_alias_bomb_fails_fast_and_cleanly():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    doc = parse("\n".join(lines) + "\n")
    assert any("more than 100,000 values" in p.message for p in doc.problems)


def test_deep_nesting_fails_fast_and_cleanly():
    with pytest.raises(YamlProblems) as caught:
        parse("a: " + "[" * 5000 + "]" * 5000 + "\n")
    [problem] = caught.value.problems
    assert f"nesting is deeper than {MAX_DEPTH} levels" in problem.message
    assert problem.line == 1


def test_bom_and_crlf_are_accepted():
    doc = parse(b"\xef\xbb\xbftitle: Caf\xc3\xa9\r\nsummary: |\r\n  one\r\n  two\r\n")
    assert doc.data == {"title": "Café", "summary": "one\ntwo\n"}
    assert doc.key_marks[("summary",)] == (2, 1)


def test_invalid_utf8_names_line_and_column():
    with pytest.raises(YamlProblems) as caught:
        parse(b"title: ok\nsummary: caf\xe9\n")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 13)
    assert "UTF-8" in problem.message


def test_syntax_error_has_location_and_hint():
    with pytest.raises(YamlProblems) as caught:
        parse("title: a\nsummary: Risk: high\n")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 14)
    assert "mapping values are not allowed" in problem.message
    assert "quote" in problem.hint


def test_merge_keys_work_and_explicit_keys_win():
    doc = parse("base: &b {unit: '%', basis: claim}\nfig:\n  <<: *b\n  basis: reported\n")
    assert doc.data["fig"] == {"unit": "%", "basis": "reported"}


def test_empty_document_has_no_data():
    assert parse("# only a comment\n").data is None


def test_recursive_alias_is_bounded():
    doc = parse("a: &a [*a]\n")
    assert doc.problems
