"""Hostile input for the YAML reader: control characters, bad bytes, huge or special files, fuzzing.

Every failure must come out as a located ``Problem`` inside ``YamlProblems``
(or a ``BriefingError``), never as a PyYAML traceback or a hang.
"""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing import yamlsource
from briefing.errors import BriefingError
from briefing.yamlguard import MAX_CHARACTER_REPORTS, MAX_YAML_BYTES
from briefing.yamlsource import MAX_SCALAR_CHARS, YamlProblems, parse_yaml, read_yaml

# The set YAML 1.1 (and PyYAML's reader) refuses, written out independently of the module.
REFUSED = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def parse(text: str | bytes):
    return parse_yaml(text, Path("x.yaml"), "x.yaml")


def problems_of(text: str | bytes):
    with pytest.raises(YamlProblems) as caught:
        parse(text)
    return caught.value.problems


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# --- control characters -------------------------------------------------------------------------


def test_nul_in_a_value_is_located_on_its_line_and_column(tmp_path):
    path = write(tmp_path, "theme.yaml", "title: Chips\nsummary: one\x00two\n")
    with pytest.raises(YamlProblems) as caught:
        read_yaml(path, "theme.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 13)
    assert problem.message == "control character U+0000 is not allowed in YAML"
    assert "PDF" in problem.hint
    assert problem.format().startswith(
        "theme.yaml:2:13: error: control character U+0000 is not allowed in YAML")


@pytest.mark.parametrize(("char", "code"), [
    ("\x01", "U+0001"), ("\x08", "U+0008"), ("\x0b", "U+000B"), ("\x0c", "U+000C"),
    ("\x1b", "U+001B"), ("\x7f", "U+007F"), ("\x80", "U+0080"), ("\x9f", "U+009F"),
])
def test_other_control_characters_are_refused(char, code):
    [problem] = problems_of(f"a: ok\nb:\n  - x\n  - y{char}z\n")
    assert (problem.line, problem.column) == (4, 6)
    assert problem.message == f"control character {code} is not allowed in YAML"


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ud800"])
def test_non_characters_are_refused_but_not_called_control_characters(char):
    [problem] = problems_of(f"a: {char}\n")
    assert (problem.line, problem.column) == (1, 4)
    assert problem.message == f"character U+{ord(char):04X} is not allowed in YAML"


@pytest.mark.parametrize("text", [
    "a: 'tab\there'\n", "a: nbsp\xa0here\n", "a: private\ue000use\n", "a: emoji \U0001f600\n",
    "a: next\x85b: line\n", "a: caf\u00e9\n",
])
def test_allowed_characters_still_parse(text):
    doc = parse(text)
    assert doc.problems == []
    assert isinstance(doc.data, dict)


def test_escape_sequences_are_not_echoed_to_the_terminal():
    [problem] = problems_of("title: \x1b[31mred\x1b[0m\n")
    assert (problem.line, problem.column) == (1, 8)
    assert "\x1b" not in problem.format()
    assert "colour codes" in problem.hint
    # The replacement keeps the caret under the offending character.
    shown, caret = problem.format().splitlines()[1:3]
    assert shown[caret.index("^")] == "\ufffd"


def test_each_bad_line_is_reported_once():
    problems = problems_of("a: \x00\x00\x01\nb: fine\nc: x\x1by\x00\n")
    assert [(p.line, p.column) for p in problems] == [(1, 4), (3, 5)]


def test_reports_are_capped_per_file():
    problems = problems_of("".join(f"k{i}: v\x00\n" for i in range(200)))
    assert len(problems) == MAX_CHARACTER_REPORTS
    assert [p.line for p in problems] == list(range(1, MAX_CHARACTER_REPORTS + 1))
    assert "more lines" in problems[-1].message and "line 200" in problems[-1].message


def test_lines_are_counted_across_crlf_and_cr_line_endings():
    [problem] = problems_of("a: 1\r\nb: 2\rc: 3\nd: \x00\n")
    assert (problem.line, problem.column) == (4, 4)


def test_columns_after_a_bom_count_from_the_first_real_character():
    [problem] = problems_of("\ufeffa: \x00\n".encode())
    assert (problem.line, problem.column) == (1, 4)


def test_a_reader_error_that_slips_past_the_scan_is_still_located(monkeypatch):
    monkeypatch.setattr(yamlsource, "control_characters", lambda text, name: [])
    [problem] = problems_of("a: 1\nb: x\x07\n")
    assert (problem.line, problem.column) == (2, 5)
    assert "U+0007 is not allowed" in problem.message


def test_any_other_yaml_error_becomes_a_problem(monkeypatch):
    def boom(self):
        raise yaml.YAMLError("something PyYAML did not expect")

    monkeypatch.setattr(yamlsource._DepthLimitedLoader, "get_single_node", boom)
    [problem] = problems_of("a: 1\n")
    assert problem.file == "x.yaml" and problem.line == 1
    assert "something PyYAML did not expect" in problem.message


# --- encodings ------------------------------------------------------------------------------------


def test_invalid_utf8_in_a_file_names_the_line_of_the_first_bad_byte(tmp_path):
    path = write(tmp_path, "t.yaml", b"title: ok\nsummary: fine\nnote: na\xefve \xff\n")
    with pytest.raises(YamlProblems) as caught:
        read_yaml(path, "t.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (3, 9)
    assert "not valid UTF-8" in problem.message and "0xEF" in problem.message
    assert "UTF-8" in problem.hint


def test_invalid_utf8_columns_count_characters_not_bytes():
    [problem] = problems_of("a: café ".encode() + b"\xc3(\n")
    assert (problem.line, problem.column) == (1, 9)


def test_invalid_utf8_after_a_bom_and_cr_line_endings():
    [problem] = problems_of(b"\xef\xbb\xbfa: 1\rb: \x80\r")
    assert (problem.line, problem.column) == (2, 4)


def test_utf16_is_named_in_the_hint():
    [problem] = problems_of("a: 1\n".encode("utf-16"))
    assert (problem.line, problem.column) == (1, 1)
    assert "UTF-16" in problem.hint


# --- size limits ------------------------------------------------------------------------------------


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_a_3_mib_file_is_refused_without_reading_or_parsing(tmp_path, monkeypatch):
    path = write(tmp_path, "big.yaml", b"a: b\n" * (3 * 1024 * 1024 // 5 + 1))

    def never(*args, **kwargs):
        raise AssertionError("a file over the limit must not be opened or parsed")

    monkeypatch.setattr(yamlsource, "parse_yaml", never)
    monkeypatch.setattr(yamlsource, "read_regular_file", never)
    started = time.perf_counter()
    with pytest.raises(YamlProblems) as caught:
        read_yaml(path, "big.yaml")
    assert time.perf_counter() - started < 0.5
    [problem] = caught.value.problems
    assert "is 3.0 MiB, over the 2 MiB limit for a YAML file" in problem.message
    assert "split it into several theme files" in problem.hint


def test_a_100_mib_file_is_refused_by_its_size(tmp_path):
    path = _sparse(tmp_path / "huge.yaml", 100 * 1024 * 1024)
    started = time.perf_counter()
    with pytest.raises(YamlProblems) as caught:
        read_yaml(path, "huge.yaml")
    assert time.perf_counter() - started < 0.5
    [problem] = caught.value.problems
    assert problem.message == "file is 100.0 MiB, over the 2 MiB limit for a YAML file"


def test_a_file_at_the_limit_is_read(tmp_path):
    line = b"# padding to the limit\n"
    body = b"a: 1\n" + line * ((MAX_YAML_BYTES - 5) // len(line))
    body += b"#" * (MAX_YAML_BYTES - len(body) - 1) + b"\n"
    assert len(body) == MAX_YAML_BYTES
    assert read_yaml(write(tmp_path, "edge.yaml", body), "edge.yaml").data == {"a": "1"}
    with pytest.raises(YamlProblems, match="over the 2 MiB limit"):
        read_yaml(write(tmp_path, "over.yaml", body + b"\n"), "over.yaml")


def test_bytes_over_the_limit_are_refused_by_parse_yaml_too():
    [problem] = problems_of(b" " * (MAX_YAML_BYTES + 1))
    assert "over the 2 MiB limit" in problem.message


def test_a_very_long_value_is_a_located_problem():
    doc = parse("title: ok\nsummary: " + "x" * (MAX_SCALAR_CHARS + 1) + "\n")
    [problem] = doc.problems
    assert (problem.line, problem.column) == (2, 10)
    assert problem.field_path == "summary"
    assert f"{MAX_SCALAR_CHARS + 1:,} characters long" in problem.message
    assert doc.data == {"title": "ok", "summary": None}
    assert len(problem.source_line) < 300  # the context line is cut, not printed whole


def test_a_value_at_the_scalar_limit_is_kept():
    doc = parse("summary: " + "x" * MAX_SCALAR_CHARS + "\n")
    assert doc.problems == []
    assert len(doc.data["summary"]) == MAX_SCALAR_CHARS


def test_a_long_value_repeated_by_aliases_is_reported_once():
    doc = parse("a: &long " + "y" * (MAX_SCALAR_CHARS + 1) + "\nb: [*long, *long, *long]\n")
    assert len(doc.problems) == 1
    assert doc.data == {"a": None, "b": [None, None, None]}


def test_a_very_long_key_is_a_located_problem():
    doc = parse("ok: 1\n? " + "k" * (MAX_SCALAR_CHARS + 1) + "\n: 2\n")
    [problem] = doc.problems
    assert (problem.line, problem.column) == (2, 3)
    assert doc.data == {"ok": "1"}


def test_too_many_values_stop_composition(monkeypatch):
    monkeypatch.setattr(yamlsource, "MAX_VALUES", 50)
    [problem] = problems_of("a: [" + "x, " * 200 + "]\n")
    assert problem.line == 1
    assert "more than 50 values in one file" in problem.message


# --- special files --------------------------------------------------------------------------------


def _read_in_thread(path: Path) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["doc"] = read_yaml(path, path.name)
        except BaseException as exc:  # reported back to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=5)
    return thread, outcome


def _unblock(path: Path) -> None:
    """Let a reader stuck opening a FIFO go, so a failing test does not hang the run."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(fd)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    thread, outcome = _read_in_thread(fifo)
    if thread.is_alive():
        _unblock(fifo)
        pytest.fail("read_yaml blocked on a FIFO")
    error = outcome.get("error")
    assert isinstance(error, YamlProblems), outcome
    [problem] = error.problems
    assert "named pipe (FIFO), not a regular file" in problem.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_swapped_in_after_the_stat_is_still_refused(tmp_path, monkeypatch):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    regular = write(tmp_path, "regular.yaml", "a: 1\n")
    real_stat = os.stat

    def stale_stat(path, *args, **kwargs):
        if Path(path) == fifo:
            return real_stat(regular)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(yamlsource.os, "stat", stale_stat)
    thread, outcome = _read_in_thread(fifo)
    if thread.is_alive():
        _unblock(fifo)
        pytest.fail("read_yaml blocked opening a FIFO")
    assert isinstance(outcome.get("error"), YamlProblems), outcome
    assert "named pipe" in outcome["error"].problems[0].message


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(YamlProblems) as caught:
        read_yaml(tmp_path, "themes")
    [problem] = caught.value.problems
    assert problem.message == "cannot read file: it is a directory, not a regular file"


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_device_is_refused_not_read_forever():
    started = time.perf_counter()
    with pytest.raises(YamlProblems, match="it is a device, not a regular file"):
        read_yaml(Path("/dev/zero"), "/dev/zero")
    assert time.perf_counter() - started < 1


def test_a_missing_file_and_a_bad_name_are_problems(tmp_path):
    with pytest.raises(YamlProblems, match="No such file"):
        read_yaml(tmp_path / "missing.yaml", "missing.yaml")
    with pytest.raises(YamlProblems, match="cannot read file"):
        read_yaml(tmp_path / "nul\x00name.yaml", "bad")


# --- fuzzing ------------------------------------------------------------------------------------

FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _plain(value) -> bool:
    """Parsed data is only text, None, lists and string-keyed dicts: never an object."""
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain(item) for key, item in value.items())
    return False


def _check_reader(directory: Path, content: str | bytes) -> None:
    """Read ``content`` from a file: only the project's own errors may come out, well formed."""
    path = write(directory, "fuzz.yaml", content)
    try:
        doc = read_yaml(path, "fuzz.yaml")
    except (YamlProblems, BriefingError) as exc:
        problems = getattr(exc, "problems", [])
        assert problems
        for problem in problems:
            assert problem.file == "fuzz.yaml" and problem.message
            assert not REFUSED.search(problem.source_line)
        text = content if isinstance(content, str) else None
        if text is not None and REFUSED.search(text.removeprefix("\ufeff")):
            # A refused character is caught before parsing, at a position that holds one.
            lines = LINE_BREAK.split(text.removeprefix("\ufeff"))
            for problem in problems:
                assert "not allowed in YAML" in problem.message or "more lines" in problem.message
                assert REFUSED.match(lines[problem.line - 1][problem.column - 1])
        return
    assert _plain(doc.data)
    for problem in doc.problems:
        assert problem.file == "fuzz.yaml" and problem.line >= 1


@FUZZ
@given(text=st.text())
def test_fuzz_any_text_gives_data_or_problems(fuzz_dir, text):
    _check_reader(fuzz_dir, text)


@FUZZ
@given(data=st.binary())
def test_fuzz_any_bytes_give_data_or_problems(fuzz_dir, data):
    _check_reader(fuzz_dir, data)


_KEYS = st.sampled_from(["title", "summary", "facts", "source", "a", "b", "<<", "? x", "'q k'", '"dq"', ""])
_VALUES = st.one_of(
    st.sampled_from([
        "", "x", "NO", "1.10", "12:30", "~", "null", "'single'", '"double \\x00 \\u263a"', "'unclosed", '"unclosed',
        "&a x", "*a", "&a [1, 2]", "*b", "[*a, *a]", "{k: v}", "[", "]", "{", "}", "|", ">-", "|2",
        "!!python/object:os.system", "!!python/object/apply:os.system ['echo hi']", "!!binary aGk=",
        "!!str 1", "!!int x", "!custom x", "!!map {}", "!!set {a}", "%TAG ! tag:x,2000:", "#comment",
        "@reserved", "`tick", "- a", "? k", ": v", "---", "...",
    ]),
    st.text(max_size=8),
)
_NOISE = st.sampled_from(["\t", "\x00", "\x01", "\x1b", "\x7f", "\x85", "\ufeff", "\u2028", "\r", " ", ":", "-", "#"])


@st.composite
def yamlish(draw) -> str:
    """Documents that look like briefs: keys, values, lists, anchors, tags, tabs and stray bytes."""
    lines = []
    for _ in range(draw(st.integers(min_value=0, max_value=12))):
        indent = draw(st.sampled_from(["", "  ", "    ", "\t", " \t", "- ", "  - "]))
        shape = draw(st.sampled_from(["pair", "item", "key", "value"]))
        key, value = draw(_KEYS), draw(_VALUES)
        line = {"pair": f"{key}: {value}", "item": f"- {value}", "key": f"{key}:", "value": value}[shape]
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            at = draw(st.integers(min_value=0, max_value=len(line)))
            line = line[:at] + draw(_NOISE) + line[at:]
        lines.append(indent + line)
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(st.sampled_from(["", "\ufeff", "---\n", "%YAML 1.1\n---\n"])) + ending.join(lines) + ending


@FUZZ
@given(text=yamlish())
def test_fuzz_yaml_like_documents_give_data_or_problems(fuzz_dir, text):
    _check_reader(fuzz_dir, text)


@FUZZ
@given(text=yamlish())
def test_fuzz_yaml_like_documents_as_strings(text):
    # parse_yaml on text (no file) keeps the same contract.
    try:
        doc = parse(text)
    except YamlProblems as exc:
        assert exc.problems
        return
    assert _plain(doc.data)



def test_an_unclosed_bracket_is_located_where_it_opens(tmp_path):
    path = tmp_path / "theme.yaml"
    path.write_text("title: x\ntags: [a, b\nsummary: y\n", encoding="utf-8")
    with pytest.raises(YamlProblems) as caught:
        read_yaml(path, "theme.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 7)
    assert "'[' opened here is not closed before line 3" in problem.message
