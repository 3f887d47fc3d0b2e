"""What the command line prints is the user's to read: no character that rewrites the terminal line, no
library's log lines before briefing's own message."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import REPO, write_files

from briefing.cli import main

RLO = "\u202e"  # right-to-left override: the rest of the line is shown reversed
CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\x1b\x00\x07\x7f\x85\x9b"


def err_of(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().err


def assert_escaped(err: str, *escapes: str) -> None:
    assert not any(char in err for char in CONTROLS), repr(err)
    for escape in escapes:
        assert escape in err, err


def test_a_file_and_a_field_named_with_bidi_controls_are_shown_escaped(make_project, capsys):
    theme = f"content/briefs/widgets/themes/03-{RLO}lmth.yaml"
    root = make_project({theme: f"id: third\ntitle: Third\ntakeaway: T.\nsummary: S.\nti{RLO}tle: x\n"})
    code, err = err_of(capsys, "check", str(root))
    assert code == 1 and "Traceback" not in err
    assert_escaped(err, "03-\\u202elmth.yaml", "ti\\u202etle")


def test_control_characters_in_any_message_are_shown_escaped(make_project, capsys):
    root = make_project()
    # A briefing error (an unknown format), click's own usage error, a warning: each path that prints.
    code, err = err_of(capsys, "build", str(root), "--format", f"m{RLO}d\x1b]0;owned\x07")
    assert code == 2
    assert_escaped(err, "m\\u202ed\\x1b]0;owned\\x07")
    code, err = err_of(capsys, "build", str(root), "--jobs", f"2{RLO}\u2066")
    assert code == 2
    assert_escaped(err, "2\\u202e\\u2066")
    write_files(root, {"content/briefs/widgets/brief.yaml":
                       "title: The widget market\ndate: 2025-01-12\nsummary: Cheaper.\nsources: [memo]\n"
                       f"colour{RLO}\u200f: red\n"})
    code, err = err_of(capsys, "check", str(root))
    assert_escaped(err, "colour\\u202e\\u200f")


def test_draft_prints_briefing_s_error_not_the_html_library_s_log(tmp_path):
    page = tmp_path / "empty.html"
    page.write_bytes(b"\x00\x01")  # the HTML parsers log ERROR lines for this, then give up
    project = tmp_path / "project"
    write_files(project, {"briefing.yaml": "title: T\n"})
    run = subprocess.run([sys.executable, "-m", "briefing", "draft", str(page), str(project)], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["Error: empty.html has no text to draft from"], run.stderr
