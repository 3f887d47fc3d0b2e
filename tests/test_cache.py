"""Incremental builds: unchanged outputs are reused, changed inputs rebuild exactly what they affect,
and the parallel engine gives the same bytes as one process."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from conftest import write_files

import briefing.cache
import briefing.formats.pdf
from briefing.pipeline import build

# The executive sees only the 'prices' theme, so a change to 'supply' must not touch its outputs.
PROFILES = {
    "content/audiences/executive.yaml": "name: Executive\ndescription: Leaders.\nthemes: {ids: [prices]}\n",
}


def state(out: Path) -> dict[str, tuple[int, bytes]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.rglob("*")) if p.is_file()}


def written(before: dict, after: dict) -> set[str]:
    return {name for name in after if before.get(name, (None,))[0] != after[name][0]}


@pytest.fixture
def built(make_project):
    root = make_project(PROFILES)
    build(root, jobs=1)
    return root, root / "output"


def test_a_rebuild_with_no_change_writes_nothing_and_renders_nothing(built, monkeypatch):
    root, out = built
    before = state(out)

    def no_engine(*args, **kwargs):
        raise AssertionError("the PDF engine ran for an unchanged output")

    monkeypatch.setattr("briefing.formats.pdf.PdfJob.run", no_engine)
    result = build(root, jobs=1)
    assert written(before, state(out)) == set()
    assert all(o.reused for o in result.outputs if o.format in {"md", "html", "pdf"})
    assert not any(o.changed for o in result.outputs)
    assert all(o.pages and o.pages > 1 for o in result.outputs if o.format == "pdf")  # page counts remembered


def test_a_one_theme_change_rebuilds_exactly_the_outputs_that_show_it(built):
    root, out = built
    before = state(out)
    theme = root / "content/briefs/widgets/themes/02-supply.yaml"
    theme.write_text(theme.read_text().replace("Two factories opened.", "Two large factories opened."))
    result = build(root, jobs=1)
    assert written(before, state(out)) == {"technical/widgets.md", "technical/widgets.html", "technical/widgets.pdf"}
    assert {o.path.relative_to(out).as_posix() for o in result.outputs if not o.reused and o.brief} == {
        "technical/widgets.md", "technical/widgets.html", "technical/widgets.pdf"}


def test_a_template_override_invalidates_its_audience_only(built):
    root, out = built
    before = state(out)
    write_files(root, {"templates/technical/brief.md.j2":
                       '{% extends "builtin/brief.md.j2" %}{% block sources %}No sources here.{% endblock %}'})
    result = build(root, jobs=1)
    rendered = {o.path.relative_to(out).as_posix() for o in result.outputs if o.brief and not o.reused}
    assert rendered == {"technical/widgets.md", "technical/widgets.html", "technical/widgets.pdf"}
    assert written(before, state(out)) == {"technical/widgets.md"}


def test_a_brand_change_invalidates_every_audience(built):
    root, out = built
    before = state(out)
    write_files(root, {"brand.yaml": "colours: {primary: '#2a5c1f'}\n"})
    build(root, jobs=1)
    changed = written(before, state(out))
    assert {"executive/widgets.pdf", "technical/widgets.pdf", "executive/widgets.html",
            "technical/widgets.html", "index.html"} <= changed
    assert "technical/widgets.md" not in changed  # re-rendered, same bytes: the Markdown has no colours


def test_a_new_tool_or_engine_version_invalidates_everything(built, monkeypatch):
    root, _ = built
    monkeypatch.setattr(briefing.cache, "tool_version", lambda: "99.0")
    assert not any(o.reused for o in build(root, jobs=1).outputs)
    monkeypatch.setattr(briefing.formats.pdf, "engine_version", lambda: "99.0")
    result = build(root, jobs=1)
    assert [o.format for o in result.outputs if o.brief and not o.reused] == ["pdf", "pdf"]


def test_an_output_changed_or_deleted_on_disk_is_rebuilt(built):
    root, out = built
    (out / "executive/widgets.pdf").write_bytes(b"tampered")
    (out / "technical/widgets.md").unlink()
    result = build(root, jobs=1)
    assert (out / "executive/widgets.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / "technical/widgets.md").is_file()
    assert {o.path.relative_to(out).as_posix() for o in result.outputs if o.brief and not o.reused} == {
        "executive/widgets.pdf", "technical/widgets.md"}


def test_force_renders_and_writes_everything(built):
    root, out = built
    before = state(out)
    result = build(root, jobs=1, force=True)
    assert not any(o.reused for o in result.outputs)
    assert written(before, state(out)) == set(before)


def test_two_jobs_and_an_executor_give_the_same_bytes_as_one(make_project, tmp_path):
    root = make_project(PROFILES)
    build(root, jobs=1, out_dir=tmp_path / "one", formats=["pdf", "html"])
    build(root, jobs=2, out_dir=tmp_path / "two", formats=["pdf", "html"])
    with ProcessPoolExecutor(max_workers=2) as pool:
        build(root, executor=pool, out_dir=tmp_path / "pool", formats=["pdf", "html"])
    one = {k: v[1] for k, v in state(tmp_path / "one").items()}
    assert one == {k: v[1] for k, v in state(tmp_path / "two").items()}
    assert one == {k: v[1] for k, v in state(tmp_path / "pool").items()}
