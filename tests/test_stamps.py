"""The make-style fast path: a build or check with nothing changed answers from the stamp, without loading
the project, and any change to what they read or wrote (content, templates, sources, outputs, briefing
itself, SOURCE_DATE_EPOCH) runs them in full."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_files

import briefing.load
import briefing.pipeline
from briefing import stamps
from briefing.cli import main

FAST = ["--format", "md,html"]  # no PDF: these tests are about what runs, not what it renders


def _build(root: Path, capsys, *extra: str) -> tuple[int, str, str]:
    code = main(["build", str(root), *FAST, *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _refuse(*_args, **_kwargs):
    raise AssertionError("the project was loaded: the stamp was not used")


@pytest.fixture
def no_full_run(monkeypatch):
    """Fail the test if a command loads the project (the fast path never does)."""
    monkeypatch.setattr(briefing.load, "load_project", _refuse)
    monkeypatch.setattr(briefing.pipeline, "build", _refuse)


def test_an_unchanged_build_answers_from_the_stamp_and_touches_nothing(make_project, capsys, monkeypatch):
    root = make_project()
    code, out, _ = _build(root, capsys)
    assert code == 0 and "Built" in out and "wrote" in out
    outputs = {path: path.stat().st_mtime_ns for path in (root / "output").rglob("*")
               if path.is_file() and path.name != ".briefing-output"}
    with monkeypatch.context() as patch:
        patch.setattr(briefing.load, "load_project", _refuse)
        code, out, _ = _build(root, capsys)
    assert code == 0
    assert out.startswith("Nothing changed since the last build:") and str(root / "output") in out
    assert {path: path.stat().st_mtime_ns for path in outputs} == outputs
    # --verbose lists every file, as unchanged; --force renders again whatever the stamp says.
    _build(root, capsys, "--verbose")
    code, out, _ = _build(root, capsys, "--verbose")
    assert out.count("  unchanged ") == len(outputs) - len(list((root / "output/assets/fonts").glob("*")))
    code, out, _ = _build(root, capsys, "--force")
    assert "Built" in out


def test_the_replay_prints_the_warnings_again(make_project, capsys):
    root = make_project({"content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: Supply grows
        takeaway: New factories add supply.
        summary: Two factories opened.
        """})
    _, _, first = _build(root, capsys)
    assert "warning" in first
    _, out, again = _build(root, capsys)
    assert out.startswith("Nothing changed") and again == first


def _same_size_edit(path: Path, old: str) -> None:
    """Change one letter after ``old`` and put the file's mtime back, as ``touch -r`` or a sync tool would."""
    before = path.stat()
    text = path.read_text()
    index = text.index(old) + len(old)
    path.write_text(text[:index] + ("X" if text[index] != "X" else "Y") + text[index + 1:])
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


@pytest.mark.parametrize("change", ["edit", "same-size-edit", "same-size-edit-of-an-old-file",
                                    "same-size-edit-of-an-output", "new-file", "removed-output",
                                    "edited-output", "template", "epoch"])
def test_any_change_to_what_a_build_reads_or_wrote_runs_it_in_full(make_project, capsys, monkeypatch, change):
    root = make_project()
    theme = next((root / "content/briefs/widgets/themes").glob("*.yaml"))
    hour_ago = theme.stat().st_mtime_ns - 3600 * 10**9  # long before the stamp: no clock-tick doubt
    os.utime(theme, ns=(hour_ago, hour_ago))
    _build(root, capsys)
    page = root / "output/technical/widgets.html"
    as_built = page.read_text()
    if change == "same-size-edit-of-an-old-file":
        _same_size_edit(theme, "takeaway: ")
    elif change == "same-size-edit-of-an-output":
        _same_size_edit(page, "<title>")
    elif change == "edit":
        theme.write_text(theme.read_text().replace("takeaway: ", "takeaway: Now ", 1))
    elif change == "same-size-edit":  # one letter, in the same clock tick as far as mtime tells
        before = theme.stat()
        text = theme.read_text()
        index = text.index("takeaway: ") + len("takeaway: ")
        theme.write_text(text[:index] + ("X" if text[index] != "X" else "Y") + text[index + 1:])
        os.utime(theme, ns=(before.st_atime_ns, before.st_mtime_ns))
    elif change == "new-file":
        write_files(root, {"content/briefs/widgets/themes/09-extra.yaml": """\
            id: extra
            title: Extra theme
            takeaway: One more theme.
            summary: It adds a theme.
            """})
    elif change == "removed-output":
        page.unlink()
    elif change == "edited-output":
        page.write_text(page.read_text() + "<!-- edited -->")
    elif change == "template":
        write_files(root, {"templates/partials/footer.html.j2": "{% extends 'partials/footer.html.j2' %}"})
    elif change == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    code, out, err = _build(root, capsys)
    assert "Nothing changed" not in out, change
    assert code == 0 and "Built" in out, err
    assert page.is_file() and "<!-- edited -->" not in page.read_text()
    if change == "same-size-edit-of-an-output":
        assert page.read_text() == as_built  # rendered again over the edit


def test_a_touched_but_unchanged_file_still_counts_as_unchanged(make_project, capsys, no_full_run):
    root = make_project()
    code = subprocess.run([sys.executable, "-m", "briefing", "build", str(root), *FAST], capture_output=True,
                          text=True).returncode
    assert code == 0
    theme = next((root / "content/briefs/widgets/themes").glob("*.yaml"))
    stat = theme.stat()
    os.utime(theme, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    code, out, _ = _build(root, capsys)
    assert code == 0 and out.startswith("Nothing changed")


def test_an_unchanged_check_replays_its_report(make_project, capsys, monkeypatch):
    root = make_project()
    assert main(["check", str(root)]) == 0
    first = capsys.readouterr()
    monkeypatch.setattr(briefing.load, "load_project", _refuse)
    assert main(["check", str(root)]) == 0
    again = capsys.readouterr()
    assert (again.out, again.err) == (first.out, first.err) and "2 audiences" in again.out


def test_a_failed_check_or_build_leaves_no_stamp(make_project, capsys):
    root = make_project({"briefing.yaml": "title: T\npaper_size: A3\npaper_size: A4\n"})
    assert main(["check", str(root)]) == 1
    assert main(["build", str(root), *FAST]) == 1
    capsys.readouterr()
    assert not list((root / ".briefing").glob("stamp-*"))


def test_a_stamp_is_not_written_when_an_input_changed_during_the_run(make_project):
    root = make_project()
    before = stamps.snapshot(root)
    theme = next((root / "content/briefs/widgets/themes").glob("*.yaml"))
    theme.write_text(theme.read_text() + "\n")
    stamps.record(root, "check", {}, [(False, "ok")], before)
    assert stamps.unchanged(root, "check", {}) is None
    assert not list((root / ".briefing").glob("stamp-*"))


def test_a_fifo_in_the_project_is_never_opened_and_gets_no_stamp(make_project):
    root = make_project()
    os.mkfifo(root / "content/notes.pipe")
    assert stamps.snapshot(root) is None
    assert stamps.unchanged(root, "check", {}) is None


def test_the_same_relative_out_from_another_folder_is_another_build(make_project, capsys, monkeypatch, tmp_path):
    root = make_project()
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir(), second.mkdir()
    monkeypatch.chdir(first)
    _build(root, capsys, "--out", "site-out")
    monkeypatch.chdir(second)
    code, out, _ = _build(root, capsys, "--out", "site-out")
    assert code == 0 and "Nothing changed" not in out and (second / "site-out/technical/widgets.html").is_file()


def test_a_link_out_of_the_project_is_never_read_and_gets_no_stamp(make_project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not the project's")
    root = make_project()
    (root / "content/notes.txt").symlink_to(secret)
    assert stamps.snapshot(root) is None


def test_a_stamp_that_came_with_the_project_is_never_trusted(make_project, capsys, monkeypatch, tmp_path):
    root = make_project()
    assert main(["check", str(root)]) == 0
    capsys.readouterr()
    assert stamps.unchanged(root, "check", {"strict": False}) is not None
    # Another machine (another signing key): the same stamp file, committed with the project, counts for nothing.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-machine"))
    assert stamps.unchanged(root, "check", {"strict": False}) is None
    # Nor does one edited to say something else, even on the machine that wrote it.
    monkeypatch.undo()
    stamp = next((root / ".briefing").glob("stamp-check-*.json"))
    stamp.write_text(stamp.read_text().replace("OK:", "All fine:"))
    assert stamps.unchanged(root, "check", {"strict": False}) is None


def test_a_misquote_of_the_same_size_with_its_mtime_put_back_is_checked_again(make_project, capsys):
    root = make_project()
    theme = root / "content/briefs/widgets/themes/01-prices.yaml"
    hour_ago = theme.stat().st_mtime_ns - 3600 * 10**9
    os.utime(theme, ns=(hour_ago, hour_ago))
    assert main(["check", str(root), "--strict"]) == 0
    capsys.readouterr()
    _same_size_edit(theme, "text: Widgets are ")  # "cheaper" -> "Xheaper": not what the call said
    code = main(["check", str(root), "--strict"])
    captured = capsys.readouterr()
    assert code == 1 and "Xheaper" in captured.out + captured.err
