"""Poisoned caches: whatever the project's ``.briefing/`` folder holds that this machine did not write
(an edited drawing, a corrupt PNG, a link out of the project, compiled templates or a build record that
came with the project) is never reused: the work is done again, and no traceback."""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import jinja2.bccache
import pytest
from test_charts import _chart_project

from briefing import sealed
from briefing.charts import render as chart_render
from briefing.pipeline import build

PLANTED = "PLANTED-DRAWING-91c2"
EVIL_SVG = f'<svg xmlns="http://www.w3.org/2000/svg"><text>{PLANTED}</text></svg>'


def _charts(root: Path) -> list[Path]:
    return sorted((root / ".briefing/charts").iterdir())


def _images_in_office(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as archive:
        return [archive.read(name) for name in archive.namelist() if name.endswith(".png")]


@pytest.fixture
def chart_root(make_project) -> Path:
    root = _chart_project(make_project)
    chart_render._MEMORY.clear()  # drawings this process made for another test would not reach the cache folder
    build(root, formats=["md", "html", "docx"])
    chart_render._MEMORY.clear()  # as a new process would start
    return root


def test_an_edited_or_unsealed_drawing_is_drawn_again(chart_root: Path, monkeypatch) -> None:
    for path in _charts(chart_root):
        payload = EVIL_SVG.encode() if path.suffix == ".svg" else b"\x89PNG\r\n\x1a\n broken"
        if path.name.startswith(_charts(chart_root)[0].name[:8]):
            path.write_bytes(sealed.SEAL_BYTES * b"\0" + payload)  # a seal that is not this machine's
        else:
            path.write_bytes(payload)  # no seal at all, as an older cache or another machine left it
    before = chart_render.renders
    result = build(chart_root, formats=["md", "html", "docx"], force=True)
    assert chart_render.renders > before
    for output in result.outputs:
        data = output.path.read_bytes()
        assert PLANTED.encode() not in data and b" broken" not in data, output.path.name
    docx = next(o.path for o in result.outputs if o.path.suffix == ".docx")
    assert all(b" broken" not in image for image in _images_in_office(docx))
    for path in _charts(chart_root):  # drawn again and sealed again
        assert sealed.read_sealed(chart_root, path) is not None


def test_a_drawing_linked_in_from_outside_is_not_followed(chart_root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.svg"
    for path in _charts(chart_root):
        outside.write_bytes(sealed.seal(EVIL_SVG.encode()))  # even sealed: it is not inside the project
        path.unlink()
        path.symlink_to(outside)
    result = build(chart_root, formats=["md", "html"], force=True)
    assert all(PLANTED.encode() not in output.path.read_bytes() for output in result.outputs)


def test_a_corrupt_png_in_the_cache_is_a_miss_not_a_traceback(chart_root: Path) -> None:
    for path in _charts(chart_root):
        if path.suffix == ".png":
            path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\xff" * 64)
    result = build(chart_root, formats=["docx", "pptx"], force=True)
    for output in result.outputs:
        for image in _images_in_office(output.path):
            from PIL import Image

            Image.open(io.BytesIO(image)).verify()  # every picture in the file is a whole PNG


class _Pwned:
    """What a planted compiled template runs when Jinja unpickles it: here, it only creates a file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def test_compiled_templates_are_reused_only_when_this_machine_sealed_them(make_project, tmp_path,
                                                                         monkeypatch) -> None:
    root = make_project()
    build(root, formats=["md", "html"])
    compiled = sorted((root / ".briefing/jinja").rglob("*.cache"))
    assert compiled
    loads: list[bytes] = []
    original = jinja2.bccache.Bucket.bytecode_from_string
    monkeypatch.setattr(jinja2.bccache.Bucket, "bytecode_from_string",
                        lambda bucket, data: (loads.append(data), original(bucket, data))[1])
    build(root, formats=["md", "html"], force=True)
    assert loads, "sealed compiled templates are reused"
    # A project carrying someone else's .briefing/: files in Jinja's own format whose pickle runs code.
    marker = tmp_path / "ran-planted-code"
    for path in compiled:
        path.write_bytes(jinja2.bccache.bc_magic + pickle.dumps(_Pwned(marker), protocol=2))
    for safe in (False, True):
        build(root, formats=["md", "html"], force=True, safe_templates=safe)
        assert not marker.exists(), "a planted compiled template was unpickled"
    assert all(sealed.read_sealed(root, path) is not None for path in compiled)


def test_a_build_record_that_came_with_the_project_is_not_trusted(make_project) -> None:
    root = make_project()
    build(root, formats=["md"])
    page = root / "output/technical/widgets.md"
    record = next((root / ".briefing").glob("build-*.json"))
    # Someone else's project: a planted output and a record (unsealed here) calling it fresh.
    page.write_text(PLANTED)
    import hashlib
    import json

    entries = json.loads(sealed.unseal(record.read_bytes()) or b"{}")
    entries["technical/widgets.md"]["sha256"] = hashlib.sha256(PLANTED.encode()).hexdigest()
    record.write_text(json.dumps(entries))
    build(root, formats=["md"])
    assert PLANTED not in page.read_text()
