"""`briefing build` on a small project written for the tests: formats, overrides, failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import write_files
from readers import html_text, md_headings, parse_html

from briefing import RenderError, TemplateError, UsageError
from briefing.cli import main
from briefing.load import load_project
from briefing.pipeline import build


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project_root(make_project):
    return make_project()


def test_markdown_and_html_for_every_audience(project_root):
    result = build(project_root, formats=["md", "html"])
    out = project_root / "output"
    names = sorted(str(o.path.relative_to(out)) for o in result.outputs if o.format != "font")
    assert len(result.of_format("font")) == 15
    assert names == ["assets/brief.css", "assets/favicon.svg", "executive/widgets.html", "executive/widgets.md",
                     "index.html", "technical/widgets.html", "technical/widgets.md"]
    md = (out / "technical/widgets.md").read_text()
    assert md_headings(md) == [
        (1, "The widget market"), (2, "Bottom line"), (2, "Claims and figures at a glance"),
        (2, "1. Prices fall"), (3, "Key facts"), (3, "In their words"),
        (2, "2. Supply grows"), (3, "Key facts"), (3, "Recommendations"), (2, "Sources")]
    assert "| 20% | Widget prices fell 20% in the quarter. | Reported | [1] |" in md
    assert "> “Widgets are cheaper than ever”" in md and "> — Ann Example, CEO, Widget Corp [2]" in md
    assert "1. Widget Weekly, *Quarterly memo on widgets*, January 10, 2025. <https://example.org/memo>\n" in md
    assert "2. Widget Corp, *Earnings call transcript*.\n" in md
    assert "\n\n\n" not in md and "<" not in md.replace("<https://example.org/memo>", "")


def test_audiences_differ_as_their_profiles_say(project_root):
    build(project_root, formats=["md"])
    executive = (project_root / "output/executive/widgets.md").read_text()
    technical = (project_root / "output/technical/widgets.md").read_text()
    # The executive profile reads at depth 'summary': no per-theme sections, a closing action list.
    assert "### Key facts" not in executive and "### Key facts" in technical
    assert (2, "Recommendations") in md_headings(executive)
    # The recommendation addressed to executives only is not in the technical brief.
    assert "Renegotiate widget contracts." in executive
    assert "Renegotiate widget contracts." not in technical
    assert "**Prepared for:** Executive" in executive and "**Prepared for:** Technical" in technical


def test_html_is_semantic_and_headings_are_in_order(project_root):
    build(project_root, formats=["html"])
    html = (project_root / "output/technical/widgets.html").read_text()
    page = parse_html(html)
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), page.headings
    tags = {tag for tag, _ in page.tags}
    assert {"main", "section", "blockquote", "figure", "figcaption", "table", "thead"} <= tags
    html_tag = next(attrs for tag, attrs in page.tags if tag == "html")
    assert html_tag["lang"] == "en"
    meta = {attrs.get("name"): attrs.get("content") for tag, attrs in page.tags if tag == "meta"}
    assert meta["description"] == "Widgets are getting cheaper."
    links = {attrs["rel"]: attrs["href"] for tag, attrs in page.tags if tag == "link"}
    assert links == {"stylesheet": "../assets/brief.css", "icon": "../assets/favicon.svg"}


def test_standalone_html_inlines_the_css(project_root):
    build(project_root, formats=["standalone"])
    html = (project_root / "output/technical/widgets.standalone.html").read_text()
    page = parse_html(html)
    assert not [a for t, a in page.tags if t == "link" and a.get("rel") == "stylesheet"]
    assert "<style>" in html and "--primary" in html
    assert "data:font/woff2;base64," in html and "url(\"fonts/" not in html
    assert not (project_root / "output/assets").exists()


def test_raw_html_in_content_is_sanitized_and_autoescaped(make_project):
    root = make_project({"content/briefs/widgets/brief.yaml": """\
        title: Widgets <script>alert(1)</script>
        date: 2025-01-12
        summary: 'Cheap <img src=x onerror=alert(1)> widgets <b>now</b>.'
        """})
    build(root, formats=["html", "md"])
    html = (root / "output/technical/widgets.html").read_text()
    assert "<script>alert(1)" not in html and "onerror" not in html
    assert "Widgets &lt;script&gt;" in html and "<b>now</b>" in html
    md = (root / "output/technical/widgets.md").read_text()
    assert "<img" not in md and "<b>" not in md and "Cheap  widgets now." in md


def test_overriding_one_block_changes_only_that_block(project_root, tmp_path):
    build(project_root, formats=["html", "md"], out_dir=tmp_path / "before")
    write_files(project_root, {
        "templates/brief.html.j2": """\
            {% extends "builtin/brief.html.j2" %}
            {% block bottom_line %}<section id="bottom-line"><h2>Summary for the board</h2></section>{% endblock %}
            """,
    })
    build(project_root, formats=["html", "md"], out_dir=tmp_path / "after")
    for audience in ("executive", "technical"):
        before = (tmp_path / "before" / audience / "widgets.html").read_text()
        after = (tmp_path / "after" / audience / "widgets.html").read_text()
        assert "Summary for the board" in after
        start, end = before.index('<section class="bottom-line"'), before.index("</section>", before.index(
            '<section class="bottom-line"')) + len("</section>")
        a_start = after.index('<section id="bottom-line">')
        a_end = after.index("</section>", a_start) + len("</section>")
        assert before[:start] == after[:a_start] and before[end:].lstrip() == after[a_end:].lstrip()
        # Markdown has its own template: untouched.
        assert (tmp_path / "before" / audience / "widgets.md").read_bytes() == (
            tmp_path / "after" / audience / "widgets.md").read_bytes()


def test_audience_override_wins_over_project_override(project_root):
    write_files(project_root, {
        "templates/brief.md.j2": '{% extends "builtin/brief.md.j2" %}{% block sources %}PROJECT{% endblock %}',
        "templates/executive/brief.md.j2":
            '{% extends "project/brief.md.j2" %}{% block title %}# EXECUTIVE{% endblock %}',
    })
    build(project_root, formats=["md"])
    executive = (project_root / "output/executive/widgets.md").read_text()
    technical = (project_root / "output/technical/widgets.md").read_text()
    assert executive.startswith("# EXECUTIVE") and executive.rstrip().endswith("PROJECT")
    assert technical.startswith("# The widget market") and technical.rstrip().endswith("PROJECT")


def test_template_error_names_file_and_line_and_writes_nothing(project_root):
    build(project_root, formats=["md", "html"])
    before = snapshot(project_root / "output")
    write_files(project_root, {"templates/technical/brief.md.j2": """\
        {% extends "builtin/brief.md.j2" %}
        {% block title %}
        # {{ brief.titel }}
        {% endblock %}
        """})
    with pytest.raises(TemplateError) as caught:
        build(project_root, formats=["md", "html"])
    message = str(caught.value)
    assert "brief.md.j2:3" in message and "titel" in message
    assert snapshot(project_root / "output") == before


def test_template_syntax_error_names_file_and_line(project_root, capsys):
    write_files(project_root, {"templates/brief.html.j2": '{% extends "builtin/brief.html.j2" %}\n{% block x %}\n'})
    assert main(["build", str(project_root), "--format", "html"]) == 3
    err = capsys.readouterr().err
    assert "Error: templates/brief.html.j2:2: template syntax error" in err and "Traceback" not in err


def test_failure_mid_build_leaves_earlier_outputs_byte_identical(project_root, monkeypatch):
    build(project_root, formats=["md", "html"])
    before = snapshot(project_root / "output")
    write_files(project_root, {"content/briefs/widgets/brief.yaml": """\
        title: A new title
        date: 2025-01-12
        summary: Changed.
        """})
    from briefing.staging import StagedOutput

    real = StagedOutput.write
    calls = []

    def failing(self, relative, data, **options):
        calls.append(relative)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(self, relative, data, **options)

    monkeypatch.setattr(StagedOutput, "write", failing)
    with pytest.raises(RenderError, match="disk full"):
        build(project_root, formats=["md", "html"])
    # The build writes into a staging folder and swaps it in whole: a failure changes nothing.
    assert len(calls) == 3
    assert snapshot(project_root / "output") == before
    assert [p.name for p in project_root.iterdir() if "staging" in p.name or ".old-" in p.name] == []
    assert not [p for p in (project_root / "output").rglob("*.tmp")]
    assert [p.name for p in (project_root / "output").rglob(".*")] == [".briefing-output"]  # the marker only


def test_unknown_audience_and_format_are_usage_errors(project_root, capsys):
    with pytest.raises(UsageError, match="did you mean 'executive'"):
        build(project_root, audiences=["executiv"])
    with pytest.raises(UsageError, match="unknown format 'odt'"):
        build(project_root, formats=["odt"])
    assert main(["build", str(project_root), "--format", "md,pfd"]) == 2
    assert "did you mean 'pdf'" in capsys.readouterr().err


def test_md_and_html_builds_never_load_the_pdf_engine(project_root):
    import subprocess
    import sys

    code = ("import sys; from briefing.cli import main; rc = main(['build', sys.argv[1], '-f', 'md,html']);"
            "assert 'weasyprint' not in sys.modules; sys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code, str(project_root)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "Built 22 files (22 changed)" in result.stdout


def test_index_links_every_output(project_root):
    build(project_root, formats=["md", "html"])
    out = project_root / "output"
    page = parse_html((out / "index.html").read_text())
    hrefs = [a["href"] for t, a in page.tags if t == "a" and not a["href"].startswith("#")]
    assert sorted(hrefs) == ["executive/widgets.html", "executive/widgets.md",
                             "technical/widgets.html", "technical/widgets.md"]
    assert all((out / href).is_file() for href in hrefs)
    assert "Leaders who decide." in html_text((out / "index.html").read_text())


def test_outputs_are_reproducible(project_root, tmp_path):
    build(project_root, formats=["md", "html"], out_dir=tmp_path / "a")
    build(project_root, formats=["md", "html"], out_dir=tmp_path / "b")
    first = {k: v[0] for k, v in snapshot(tmp_path / "a").items()}
    second = {k: v[0] for k, v in snapshot(tmp_path / "b").items()}
    assert first == second


def test_build_accepts_a_loaded_project(project_root):
    project = load_project(project_root)
    result = build(project, audiences=["executive"], formats=["md"])
    assert [o.path.name for o in result.outputs] == ["widgets.md"]
    assert os.path.basename(result.outputs[0].path.parent) == "executive"


PIXEL = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def test_pdf_engine_fetches_only_project_files_and_data_uris(make_project, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"not really a png")
    root = make_project({"templates/brief.html.j2": f"""\
        {{% extends "builtin/brief.html.j2" %}}
        {{% block footer %}}<img src="http://127.0.0.1:9/tracker.png" alt="">
        <img src="file://{outside}" alt=""><img src="../secret.png" alt="">
        <img src="{PIXEL}" alt="">{{% endblock %}}
        """})
    result = build(root, audiences=["technical"], formats=["pdf"])
    refused = sorted(w.message for w in result.warnings)
    # Two references to the same outside file are reported once; the data: URI is allowed.
    assert refused == ["refused to fetch file://" + str(outside), "refused to fetch http://127.0.0.1:9/tracker.png"]
    assert (root / "output/technical/widgets.pdf").read_bytes().startswith(b"%PDF-")


def test_a_project_with_two_briefs_builds_both_and_indexes_them(make_project):
    root = make_project({
        "content/briefs/gadgets/brief.yaml": """\
            title: Gadgets next year
            date: 2025-02-01
            summary: Gadgets are the next widgets.
            sources: [call]
            """,
        "content/briefs/gadgets/themes/01-demand.yaml": """\
            id: demand
            title: Demand rises
            takeaway: Gadget demand doubles.
            summary: Orders doubled.
            facts:
              - statement: Orders doubled year on year.
                figure: {value: 2, unit: x, basis: estimate, by: Widget Corp}
                source: call
            recommendations: [{action: Order early.}]
            """,
    })
    project = load_project(root)
    assert [b.id for b in project.briefs] == ["gadgets", "widgets"]
    result = build(project, formats=["md", "html"])
    out = root / "output"
    assert {o.path.relative_to(out).as_posix() for o in result.outputs} >= {
        "executive/gadgets.md", "technical/gadgets.html", "executive/widgets.md", "technical/widgets.html"}
    gadgets = (out / "technical/gadgets.md").read_text()
    assert "| 2× | Orders doubled year on year. | Estimate by Widget Corp | [1] |" in gadgets
    assert "1. Widget Corp, *Earnings call transcript*." in gadgets and "Widget Weekly" not in gadgets
    index = parse_html((out / "index.html").read_text())
    assert [text for level, text in index.headings if level == 2] == ["Gadgets next year", "The widget market"]


def test_a_partial_build_keeps_other_audiences_and_formats_and_a_deleted_brief_goes(make_project):
    root = make_project()
    build(root, formats=["md", "html"])
    build(root, formats=["md"], audiences=["executive"])
    assert (root / "output/technical/widgets.md").is_file() and (root / "output/executive/widgets.html").is_file()
    write_files(root, {"content/briefs/gadgets/brief.yaml": "title: Gadgets\ndate: 2025-01-12\nsummary: More.\n",
                       "content/briefs/gadgets/themes/01-g.yaml":
                           "id: g\ntitle: G\ntakeaway: T.\nsummary: S.\nrecommendations:\n  - action: Act.\n"})
    build(root, formats=["md", "html"])
    assert (root / "output/technical/gadgets.md").is_file()
    import shutil

    shutil.rmtree(root / "content/briefs/gadgets")
    build(root, formats=["md"])
    assert not (root / "output/technical/gadgets.md").exists()  # its brief is gone
    assert (root / "output/technical/gadgets.html").exists()  # html was not built this time: not this build's
    build(root, formats=["md", "html"])
    assert not (root / "output/technical/gadgets.html").exists()


def test_rendering_is_reported_as_it_happens(project_root, tmp_path):
    seen: list[tuple[str, int, int]] = []
    result = build(project_root, formats=["md", "html", "pdf"], out_dir=tmp_path / "out", jobs=2,
                   rendering=lambda output, done, total: seen.append((output, done, total)))
    outputs = [o for o in result.outputs if o.audience is not None]
    assert [done for _, done, _ in seen] == list(range(1, len(outputs) + 1))
    assert {total for _, _, total in seen} == {len(outputs)}
    assert sorted(name for name, _, _ in seen) == sorted(o.path.relative_to(tmp_path / "out").as_posix()
                                                           for o in outputs)
    seen.clear()
    build(project_root, formats=["md", "html", "pdf"], out_dir=tmp_path / "out",
          rendering=lambda output, done, total: seen.append((output, done, total)))
    assert [done for _, done, _ in seen] == list(range(1, len(outputs) + 1)), "unchanged outputs count too"
