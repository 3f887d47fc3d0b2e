"""The CLI: argument mapping, exit codes and output, over the real API."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

from briefing.cli import SCHEMA_KIND_NAMES, main
from briefing.load import load_project
from briefing.schema import SCHEMA_KINDS


def test_check_prints_a_summary_and_exits_0(make_project, capsys):
    assert main(["check", str(make_project())]) == 0
    out = capsys.readouterr().out
    assert "brief widgets: The widget market (2 themes)" in out
    assert "2 themes, 2 facts (1 with figures), 1 quote, 2 recommendations, 2 sources" in out
    assert "2 audiences: executive, technical" in out


def test_check_reports_every_problem_without_traceback(make_project, capsys):
    root = make_project({"briefing.yaml": "title: T\npaper_size: A3\npaper_size: A4\n"})
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "briefing.yaml:2:13: error: paper_size: expected one of" in err
    assert "briefing.yaml:3:1: error: paper_size: duplicate key" in err
    assert "Error: 2 problems found." in err
    assert "Traceback" not in err


def test_strict_turns_warnings_into_a_failure(make_project, capsys):
    root = make_project({"content/briefs/widgets/themes/02-supply.yaml": """\
        id: supply
        title: Supply grows
        takeaway: New factories add supply.
        summary: Two factories opened.
        """})
    assert main(["check", str(root)]) == 0
    assert "warning: recommendations: theme 'supply' has no recommendation" in capsys.readouterr().err
    assert main(["check", "--strict", str(root)]) == 1
    assert "error: recommendations: theme 'supply' has no recommendation" in capsys.readouterr().err


def test_usage_errors_exit_2(capsys):
    assert main(["check", "--nope"]) == 2
    assert main(["schema", "bogus"]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_init_creates_a_project_that_passes_check(tmp_path, capsys):
    target = tmp_path / "new"
    assert main(["init", str(target)]) == 0
    assert main(["check", "--strict", str(target)]) == 0
    project = load_project(target)
    assert project.warnings == []
    assert len(project.briefs[0].themes) == 2
    assert (target / "schemas" / "theme.schema.json").is_file()
    assert main(["init", str(target)]) == 2
    assert "already holds a briefing project" in capsys.readouterr().err


def test_schema_prints_json_for_each_kind(capsys):
    import json

    assert tuple(SCHEMA_KINDS) == SCHEMA_KIND_NAMES
    for kind in SCHEMA_KIND_NAMES:
        assert main(["schema", kind]) == 0
        schema = json.loads(capsys.readouterr().out)
        assert schema["$schema"].endswith("2020-12/schema")
        assert schema["additionalProperties"] is False


def test_python_m_briefing_runs_and_check_does_not_import_the_pdf_engine():
    code = ("import sys; from briefing.cli import main; rc = main(['check', sys.argv[1]]); "
            "assert 'weasyprint' not in sys.modules, 'weasyprint imported'; sys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    version = subprocess.run([sys.executable, "-m", "briefing", "--version"],
                             capture_output=True, text=True)
    assert version.returncode == 0 and "briefing, version" in version.stdout


def test_installed_command_inits_and_builds_a_project_elsewhere(tmp_path):
    """From an unrelated folder, with the installed package (templates ship inside it)."""
    cwd = tmp_path / "somewhere"
    cwd.mkdir()
    command = [sys.executable, "-m", "briefing"]
    init = subprocess.run([*command, "init", "../elsewhere"], cwd=cwd, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    built = subprocess.run([*command, "build", "../elsewhere"], cwd=cwd, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    assert "Built 24 files (24 changed" in built.stdout
    out = tmp_path / "elsewhere" / "output"
    assert (out / "executive" / "first-brief.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "technical" / "first-brief.md").is_file() and (out / "index.html").is_file()
    assert built.stderr == "", built.stderr  # no engine warning, no budget exceeded


def test_build_prints_progress_lines_off_a_terminal_and_quiet_prints_nothing(make_project, capsys):
    root = make_project()
    assert main(["build", str(root), "--format", "md,html"]) == 0
    lines = capsys.readouterr().out.splitlines()
    progress = [line.split() for line in lines if line.startswith("  [")]
    # 2 audiences x 1 brief x 2 formats, each reported as it is done, before the written files are listed
    assert [words[0] for words in progress] == ["[1/4]", "[2/4]", "[3/4]", "[4/4]"]
    assert {words[1] for words in progress} == {"executive/widgets.md", "executive/widgets.html",
                                                "technical/widgets.md", "technical/widgets.html"}
    assert lines.index(next(line for line in lines if line.startswith("  wrote"))) > 3
    assert main(["build", str(root), "--format", "md,html", "--force", "--quiet"]) == 0
    quiet = capsys.readouterr()
    assert quiet.out == "" and quiet.err == ""
