"""One containment rule (briefing.safe_files) for every file read on behalf of content or brand.

``briefing check`` reports a refused logo, font, profile logo or source text at its line; a file swapped
after the check is refused again at build time (never inlined, copied or hashed); the PDF engine reads
only ``data:`` URIs and files the rule accepts, and what it logs comes back as the build's warnings.
"""

from __future__ import annotations

import base64
import os
import socket
import threading
import time
from pathlib import Path

import pytest
from conftest import MINIMAL_FILES, deadline

from briefing.cli import main
from briefing.errors import ContentError, RenderError
from briefing.formats.pdf import EngineLog, make_fetcher
from briefing.load import load_project
from briefing.pipeline import build
from briefing.settings import BUILTIN_FONTS

SECRET = "TOP-SECRET-7f3a9c-do-not-publish"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
PLACE = "assets/logo.svg"  # where a hostile file inside the project sits




# --- hostile files, and where a project names them ---------------------------------------------------------

OUTSIDE = "is outside the project folder"
KINDS = {
    "etc-passwd": OUTSIDE,
    "parent": OUTSIDE,
    "proc-environ": OUTSIDE,
    "symlink-out": OUTSIDE,
    "fifo": "is not a regular file (a FIFO)",
    "directory": "is not a regular file (a directory)",
    "sparse-25mib": "is 25.0 MiB, over the",
}


def hostile(kind: str, root: Path) -> str:
    """Create the hostile file ``kind`` for the project at ``root``; returns the path to write in YAML."""
    outside = root.parent / "outside.svg"
    inside = root / PLACE
    inside.parent.mkdir(parents=True, exist_ok=True)
    if kind == "etc-passwd":
        return "/etc/passwd"
    if kind == "proc-environ":
        if not Path("/proc/self/environ").exists():
            pytest.skip("needs Linux /proc")
        return "/proc/self/environ"
    if kind == "parent":
        outside.write_text(SECRET)
        return "../outside.svg"
    if kind == "symlink-out":
        outside.write_text(SECRET)
        inside.symlink_to(outside)
    elif kind == "fifo":
        os.mkfifo(inside)
    elif kind == "directory":
        inside.mkdir()
    elif kind == "sparse-25mib":
        with open(inside, "wb") as handle:
            handle.truncate(25 * 1024 * 1024)
    return PLACE


def _extra_theme() -> str:
    return """\
        id: extra
        title: Extra
        takeaway: Prices keep falling.
        summary: More of the same.
        facts:
          - statement: Prices fell again.
            source: memo
            evidence: prices fell
        recommendations:
          - action: Watch prices.
        """


def place(where: str, value: str) -> tuple[str, dict[str, str]]:
    """The file naming ``value`` at ``where`` (logo, font, profile logo, source text), and the files to write."""
    if where == "logo":
        return "brand.yaml", {"brand.yaml": f"logo: {value}\n"}
    if where == "font":
        return "brand.yaml", {"brand.yaml": "fonts:\n  body: {family: House Sans, files: [{path: " + value + "}]}\n"}
    if where == "profile":
        name = "content/audiences/executive.yaml"
        return name, {name: MINIMAL_FILES[name].rstrip(" ") + f"        brand: {{logo: {value}}}\n"}
    sources = "content/sources.yaml"
    text = MINIMAL_FILES[sources].replace("url: https://example.org/memo\n",
                                          f"url: https://example.org/memo\n            text: {value}\n")
    # A fact whose evidence the check looks up in that text: a refused text must be skipped, not read.
    return sources, {sources: text, "content/briefs/widgets/themes/03-extra.yaml": _extra_theme()}


def location(root: Path, name: str, value: str) -> str:
    """``file:line:col`` of ``value`` in ``name`` (1-based, as problems are located)."""
    for number, line in enumerate((root / name).read_text().splitlines(), start=1):
        if value in line:
            return f"{name}:{number}:{line.index(value) + 1}"
    raise AssertionError(f"{value!r} not in {name}")


def run_check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with deadline(5):
        started = time.monotonic()
        code = main(["check", str(root)])
    assert time.monotonic() - started < 5
    return code, capsys.readouterr().err


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("where", ["logo", "font", "profile", "source"])
def test_check_reports_a_refused_file_at_its_line(make_project, capsys, where, kind):
    root = make_project()
    value = hostile(kind, root)
    name, files = place(where, value)
    make_project(files)
    code, err = run_check(root, capsys)
    assert code == 1, err
    at = location(root, name, value)
    lines = [line for line in err.splitlines() if line.startswith(f"{at}: error: ")]
    assert lines, f"no error at {at}:\n{err}"
    what = f"local text copy '{value}'" if where == "source" else f"file '{value}'"
    assert f"{what} {KINDS[kind]}" in lines[0], lines[0]
    hint = err[err.index(lines[0]):].splitlines()
    assert any(line.strip().startswith("hint: ") for line in hint[1:4]), err
    assert SECRET not in err
    assert "evidence not found" not in err  # a refused source text is reported once, not read for evidence


def test_a_logo_inside_the_project_passes_and_is_inlined(make_project, capsys, tmp_path):
    root = make_project({PLACE: SVG, "brand.yaml": f"logo: {PLACE}\n"})
    (root / "alias.svg").symlink_to(PLACE)  # a symlink that stays inside is fine
    make_project({PLACE: SVG, "brand.yaml": "logo: alias.svg\n"})
    code, err = run_check(root, capsys)
    assert code == 0, err
    build(root, audiences=["technical"], formats=["standalone"], out_dir=tmp_path / "out")
    page = (tmp_path / "out/technical/widgets.standalone.html").read_text()
    assert "data:image/svg+xml;base64," + base64.b64encode(SVG.encode()).decode() in page


def test_evidence_is_read_from_a_source_text_inside_the_project(make_project, capsys):
    root = make_project()  # its sources' texts are sources/memo.txt and sources/call.txt
    code, err = run_check(root, capsys)
    assert code == 0 and "evidence not found" not in err, err
    make_project({"sources/memo.txt": "Nothing relevant.\n"})
    code, err = run_check(root, capsys)
    assert code == 1 and "evidence not found in the text of source 'memo' (sources/memo.txt)" in err, err


# --- a file swapped after the check -----------------------------------------------------------------------


def secrets_in(folder: Path) -> list[Path]:
    """Files under ``folder`` (symlinks not followed) holding the secret, plainly or base64-encoded."""
    encoded = [base64.b64encode(SECRET.encode())[:24]]
    found = []
    for path in folder.rglob("*"):
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1024**2 * 5:
            continue
        data = path.read_bytes()
        if SECRET.encode() in data or any(e in data for e in encoded):
            found.append(path)
    return found


@pytest.mark.parametrize("fmt", ["standalone", "html", "pdf"])
@pytest.mark.parametrize("swap", ["symlink-out", "fifo", "sparse-25mib"])
def test_a_logo_swapped_after_the_check_is_refused_at_build(make_project, tmp_path, fmt, swap):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    root = make_project({PLACE: SVG, "brand.yaml": f"logo: {PLACE}\n"})
    project = load_project(root)  # checked: the logo is fine
    logo = root / PLACE
    logo.unlink()
    if swap == "symlink-out":
        logo.symlink_to(secret)
    else:
        hostile(swap, root)
    with deadline(20), pytest.raises(RenderError) as info:
        build(project, formats=[fmt], jobs=1)
    message = str(info.value)
    assert PLACE in message and KINDS[swap] in message, message
    assert "Traceback" not in message and SECRET not in message
    assert not (root / "output").exists()  # nothing written
    assert secrets_in(root) == []


def test_a_brand_font_swapped_after_the_check_is_not_inlined(make_project, tmp_path):
    font = (BUILTIN_FONTS / "source-sans-3-latin-400-normal.woff2").read_bytes()
    root = make_project({"assets/house.woff2": font,
                         "brand.yaml": "fonts:\n  body: {family: House Sans, files: [{path: assets/house.woff2}]}\n"})
    project = load_project(root)
    (root / "assets/house.woff2").unlink()
    (root / "assets/house.woff2").symlink_to("/proc/self/environ" if Path("/proc/self/environ").exists()
                                             else "/etc/passwd")
    with pytest.raises(RenderError, match=f"assets/house.woff2: {OUTSIDE}"):
        build(project, formats=["standalone"], jobs=1)
    assert not (root / "output").exists()


# --- the PDF engine's fetcher ------------------------------------------------------------------------------


def test_the_fetcher_reads_only_checked_files(make_project):
    root = make_project({PLACE: SVG})
    fetcher = make_fetcher(root)
    inside = fetcher.fetch((root / PLACE).as_uri())
    assert inside.read() == SVG.encode()
    assert inside.path is None  # the engine keeps these bytes; it never reopens the file by name
    builtin = fetcher.fetch((BUILTIN_FONTS / "briefing-symbols.woff2").as_uri())
    assert builtin.read()[:4] == b"wOF2"
    assert fetcher.fetch("data:text/plain,hi").read() == b"hi"
    assert fetcher.refused == {}


@pytest.mark.parametrize("kind", ["fifo", "sparse-25mib", "symlink-out", "directory"])
def test_the_fetcher_refuses_without_opening_or_loading(make_project, kind):
    root = make_project()
    hostile(kind, root)
    fetcher = make_fetcher(root)
    url = (root / PLACE).as_uri()
    with deadline(3), pytest.raises(ValueError, match="refused to fetch"):
        fetcher.fetch(url)
    assert KINDS[kind] in fetcher.refused[url]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/x.png",
                                 "ftp://example.org/x.png", "file://otherhost/etc/hosts"])
def test_the_fetcher_refuses_other_places(make_project, url):
    fetcher = make_fetcher(make_project())
    with pytest.raises(ValueError, match="refused to fetch"):
        fetcher.fetch(url)
    assert url in fetcher.refused


STYLESHEET = """\
    {% include "builtin/css/pdf.css" %}
    html { background: url("missing.png"), url("broken.png") }
    body { background: url("file:///etc/passwd") }
    p { colr: red }
    """


def test_a_stylesheet_reaching_outside_builds_with_warnings(make_project):
    root = make_project({"templates/css/pdf.css": STYLESHEET, "broken.png": b"not an image"})
    result = build(root, audiences=["technical"], formats=["pdf"], jobs=1)
    assert (root / "output/technical/widgets.pdf").read_bytes().startswith(b"%PDF-")
    warnings = [w for w in result.warnings if w.file == "technical/widgets.pdf"]
    messages = [w.message for w in warnings]
    assert "refused to fetch file:///etc/passwd" in messages, messages
    missing = (root / "missing.png").resolve().as_uri()
    assert f"refused to fetch {missing}: does not exist" in messages, messages
    # What the engine logged comes back too: an image it could not decode, a property it ignored.
    broken = (root / "broken.png").resolve().as_uri()
    assert f"PDF engine: Failed to load image at '{broken}'" in messages, messages
    assert any(m.startswith("PDF engine: Ignored `colr:") and "unknown property" in m for m in messages), messages
    # Each resource is reported once: not again through the engine's own message about it.
    assert sum("passwd" in m for m in messages) == 1 and sum("missing.png" in m for m in messages) == 1
    assert all(w.severity == "warning" for w in warnings)

    with pytest.raises(ContentError) as info:
        build(root, audiences=["technical"], formats=["pdf"], jobs=1, strict=True, force=True)
    text = str(info.value)
    assert "technical/widgets.pdf" in text and "file:///etc/passwd" in text and "missing.png" in text


def test_a_stylesheet_with_a_network_url_makes_no_connection(make_project, monkeypatch):
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    connects: list[object] = []

    def no_connect(self: socket.socket, address: object) -> None:
        connects.append(address)
        raise OSError("network access in a test")

    monkeypatch.setattr(socket.socket, "connect", no_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", no_connect)
    stylesheet = '{% include "builtin/css/pdf.css" %}\n' \
        f'html {{ background: url("http://127.0.0.1:9/x.png"), url("http://127.0.0.1:{port}/y.png") }}\n'
    root = make_project({"templates/css/pdf.css": stylesheet})
    try:
        result = build(root, audiences=["technical"], formats=["pdf"], jobs=1)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody knocked
    finally:
        listener.close()
    messages = [w.message for w in result.warnings]
    assert "refused to fetch http://127.0.0.1:9/x.png" in messages, messages
    assert f"refused to fetch http://127.0.0.1:{port}/y.png" in messages, messages
    assert connects == []


def test_the_engine_log_keeps_only_its_own_threads_messages():
    import logging

    logger = logging.getLogger("weasyprint")
    with EngineLog() as log:
        logger.warning("Ignored `x: y` at 1:1, unknown property.")
        other = threading.Thread(target=logger.warning, args=("from another document",))
        other.start()
        other.join()
        logger.info("progress, not a problem")
    logger.warning("after the render")
    assert log.messages == ["Ignored `x: y` at 1:1, unknown property."]
    assert log not in logger.handlers
    assert log.warnings({}) == ["PDF engine: Ignored `x: y` at 1:1, unknown property."]
    assert log.warnings({"x: y": "refused"}) == []


# --- content files and folders that lead out of the project ------------------------------------------------


@pytest.mark.parametrize("link", ["content/briefs/widgets/themes/03-linked.yaml", "content/audiences/board.yaml",
                                  "brand.yaml"])
def test_a_content_file_that_links_outside_is_refused_unread(make_project, tmp_path, capsys, link):
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"title: {SECRET}\nline: two\n")
    root = make_project()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(secret)
    assert main(["check", str(root)]) == 1
    captured = capsys.readouterr()
    assert f"{link}: error: this file is outside the project folder" in captured.err
    assert "copy the file into the project" in captured.err
    assert SECRET not in captured.out + captured.err and "Traceback" not in captured.err


def test_a_content_folder_that_links_outside_is_refused(make_project, tmp_path, capsys):
    root = make_project()
    outside = tmp_path / "elsewhere"
    (root / "content/briefs/widgets").rename(outside)
    (root / "content/briefs/widgets").symlink_to(outside, target_is_directory=True)
    assert main(["check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "content/briefs/widgets/brief.yaml: error: this file is outside the project folder" in err


def test_a_template_linked_out_of_the_project_is_never_read_not_even_to_hash_it(make_project, tmp_path,
                                                                                 monkeypatch):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    root = make_project()
    (root / "templates/partials").mkdir(parents=True)
    (root / "templates/partials/unused.html.j2").symlink_to(secret)
    real_open, real_read = os.open, Path.read_bytes

    def refuse_secret(path) -> None:
        assert Path(os.fsdecode(path)).resolve() != secret, "an outside file was opened"

    def guarded_open(path, *args, **kwargs):
        refuse_secret(path)
        return real_open(path, *args, **kwargs)

    def guarded_read(self):
        refuse_secret(self)
        return real_read(self)

    monkeypatch.setattr(os, "open", guarded_open)
    monkeypatch.setattr(Path, "read_bytes", guarded_read)
    build(root, formats=["md", "html"])
