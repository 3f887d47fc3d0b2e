"""What the command line prints is the user's to read: no character that rewrites the terminal line, no
library's log lines before briefing's own message."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO, write_files


def test_draft_prints_briefing_s_error_not_the_html_library_s_log(tmp_path):
    page = tmp_path / "empty.html"
    page.write_bytes(b"\x00\x01")  # the HTML parsers log ERROR lines for this, then give up
    project = tmp_path / "project"
    write_files(project, {"briefing.yaml": "title: T\n"})
    run = subprocess.run([sys.executable, "-m", "briefing", "draft", str(page), str(project)], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["Error: empty.html has no text to draft from"], run.stderr
