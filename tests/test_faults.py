"""Hostile content and failing machines: a full disk, a read-only folder, kill -9, two builds at once,
a dangerous --out, a document that renders forever or eats memory, a crashing rebuild under serve.
In every case the previous output survives byte for byte and the user gets one line, not a traceback."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import write_files

import briefing.engine as engine
from briefing.cli import main
from briefing.engine import EnginePool
from briefing.errors import RenderError
from briefing.pipeline import build
from briefing.preview import PreviewServer
from briefing.publish import publish
from briefing.registry import Rendered
from briefing.staging import MARKER, OutputFolderError, StagedOutput

REPO = Path(__file__).resolve().parent.parent
BRIEF = "content/briefs/widgets/brief.yaml"
THEME = "content/briefs/widgets/themes/01-prices.yaml"
NEW_BRIEF = "title: A new title\ndate: 2025-01-12\nsummary: Changed.\nsources: [memo]\n"


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` (dotfiles too) with a hash of its bytes; folders map to 'dir'."""
    return {p.relative_to(folder).as_posix(): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def leftovers(out: Path) -> list[str]:
    """Temporary or staging files: beside ``out`` (but its lock file) or inside it."""
    beside = [p.name for p in out.parent.iterdir()
              if p.name.startswith(f".{out.name}.") and p.name != f".{out.name}.lock"]
    return sorted(beside + [p.name for p in out.rglob("*.tmp")])


@pytest.fixture
def built(make_project) -> tuple[Path, Path]:
    """A project built once (md, html), then edited so the next build changes every output."""
    root = make_project()
    build(root, formats=["md", "html"])
    write_files(root, {BRIEF: NEW_BRIEF})
    return root, root / "output"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    return main(list(argv)), capsys.readouterr().err


def one_error_line(err: str) -> str:
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1, err
    return errors[0]


def fail_os_write_after(monkeypatch: pytest.MonkeyPatch, calls: int) -> None:
    """``os.write`` (the staging writer's) works ``calls`` times, then the disk is full."""
    real, count = os.write, [0]

    def write(fd: int, data: bytes) -> int:
        count[0] += 1
        if count[0] > calls:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data)

    monkeypatch.setattr(os, "write", write)


# --- full disk, read-only folder -------------------------------------------------------------------


def test_a_full_disk_mid_build_keeps_the_previous_build_and_is_one_line_with_exit_4(built, monkeypatch, capsys):
    root, out = built
    before = tree(out)
    fail_os_write_after(monkeypatch, 2)
    with pytest.raises(RenderError, match=f"cannot write the output: {out}/.*: No space left on device") as caught:
        build(root, formats=["md", "html"])
    assert isinstance(caught.value.__cause__, OSError) and caught.value.__cause__.errno == errno.ENOSPC
    assert tree(out) == before and leftovers(out) == []
    fail_os_write_after(monkeypatch, 3)
    code, err = run_cli(capsys, "build", str(root), "-f", "md,html")
    monkeypatch.undo()
    assert code == 4
    line = one_error_line(err)
    assert line.startswith(f"Error: cannot write the output: {out}") and line.endswith(": No space left on device")
    assert tree(out) == before and leftovers(out) == []
    assert main(["build", str(root), "-f", "md,html"]) == 0  # the disk has room again
    assert "A new title" in (out / "technical/widgets.md").read_text() and leftovers(out) == []


def test_any_other_os_error_is_one_line_and_exit_4(built, monkeypatch, capsys):
    root, out = built
    before = tree(out)

    def unreadable(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), "/somewhere/logo.svg")

    monkeypatch.setattr("briefing.pipeline.site_files", unreadable)
    code, err = run_cli(capsys, "build", str(root), "-f", "md,html")
    assert code == 4
    assert one_error_line(err) == "Error: briefing build failed: /somewhere/logo.svg: Permission denied"
    assert tree(out) == before


def test_a_build_cache_that_cannot_be_saved_is_a_warning(built, monkeypatch):
    root, out = built

    def full(path, data, **options):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr("briefing.cache.write_atomic", full)
    result = build(root, formats=["md", "html"])
    assert "A new title" in (out / "technical/widgets.md").read_text()  # the outputs were committed
    assert [w.message for w in result.warnings] == ["could not save the build cache: No space left on device"]


def read_only(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``folder`` read-only: by permissions, or (root ignores them) by a file system that says EROFS."""
    if os.geteuid() != 0:
        for path in [folder, *folder.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        return
    real_open, real_mkdir = os.open, os.mkdir

    def refuse(path: object, code: int = errno.EROFS) -> OSError:
        return OSError(code, os.strerror(code), os.fsdecode(path))

    def fake_open(path, flags, mode=0o777, *, dir_fd=None):
        if Path(path).absolute().is_relative_to(folder) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
            raise refuse(path)
        return real_open(path, flags, mode, dir_fd=dir_fd)

    def fake_mkdir(path, mode=0o777, *, dir_fd=None):
        if Path(path).absolute().is_relative_to(folder):
            raise refuse(path, errno.EEXIST if os.path.lexists(path) else errno.EROFS)
        return real_mkdir(path, mode, dir_fd=dir_fd)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(os, "mkdir", fake_mkdir)


def test_a_read_only_output_folder_is_one_line_and_exit_4(built, monkeypatch, capsys):
    root, out = built
    before = tree(out)
    read_only(monkeypatch, out if os.geteuid() != 0 else root)
    try:
        code, err = run_cli(capsys, "build", str(root), "-f", "md,html")
    finally:
        monkeypatch.undo()
        for path in [out, *out.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert code == 4
    line = one_error_line(err)
    assert line.startswith("Error: cannot write the output")
    assert line.endswith((": Permission denied", ": Read-only file system"))
    assert tree(out) == before and leftovers(out) == []


# --- kill -9, two builds at once -------------------------------------------------------------------

SLOW_BUILD = """
import os, sys, time
sys.path.insert(0, sys.argv[1])
from briefing import staging
from briefing.pipeline import build

real_write = staging.StagedOutput.write

def slow_write(self, relative, data, **options):
    time.sleep(float(os.environ["BRIEFING_TEST_WRITE_DELAY"]))
    return real_write(self, relative, data, **options)

staging.StagedOutput.write = slow_write
build(sys.argv[2], formats=["md", "html"])
"""


def test_kill_9_mid_build_keeps_the_previous_build_and_the_next_build_cleans_up(built):
    root, out = built
    before = tree(out)
    child = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(REPO), str(root)],
                             env={**os.environ, "BRIEFING_TEST_WRITE_DELAY": "0.2"})
    staged = out.parent / f".{out.name}.staging-{child.pid}"
    try:
        deadline = time.monotonic() + 60
        while not staged.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert staged.exists(), "the child never started staging"
        time.sleep(0.5)  # a few of its slow writes are done, not all of them
        assert child.poll() is None, "the child finished before it could be killed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    assert tree(out) == before and not list(out.rglob("*.tmp"))
    result = build(root, formats=["md", "html"])
    assert "A new title" in (out / "technical/widgets.md").read_text()
    assert {o.path for o in result.outputs} <= {out / name for name in tree(out)}
    assert leftovers(out) == []


def test_a_second_build_while_one_is_writing_is_refused_with_exit_2(built, capsys):
    root, out = built
    before = tree(out)
    with StagedOutput(out):
        code, err = run_cli(capsys, "build", str(root), "-f", "md,html")
    assert code == 2
    assert one_error_line(err) == f"Error: another briefing build is writing to {out.resolve()}"
    assert tree(out) == before and leftovers(out) == []


# --- dangerous output folders ----------------------------------------------------------------------


@pytest.fixture
def no_staging(monkeypatch):
    """A refused folder must never reach the writer: if it does, fail before anything is written."""

    def refuse(*args, **kwargs):
        raise AssertionError("the build went on to write into a refused folder")
    monkeypatch.setattr("briefing.pipeline.StagedOutput", refuse)


@pytest.mark.parametrize(("where", "rule"), [
    ("project", "it is the project root"),
    ("parent", "it contains the project"),
    ("root", "it is the filesystem root"),
    ("home", "it is your home folder"),
    ("foreign", "it is not empty and has no .briefing-output marker (found notes.txt)"),
])
def test_dangerous_out_folders_are_refused_and_left_alone(make_project, tmp_path, monkeypatch, capsys,
                                                          no_staging, where, rule):
    root = make_project()
    home, foreign = tmp_path / "home", tmp_path / "mine"
    for folder in (home, foreign):
        folder.mkdir()
        (folder / "notes.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(home))
    target = {"project": root, "parent": tmp_path, "root": Path("/"), "home": Path.home(), "foreign": foreign}[where]
    before = tree(target) if where != "root" else sorted(os.listdir("/"))
    for command in ("build", "publish"):
        code, err = run_cli(capsys, command, str(root), "--out", str(target))
        assert code == 2, err
        assert f"Error: refusing to use {target} as the output folder: {rule}" in err and "--force-out" in err
        assert "Traceback" not in err
    assert (tree(target) if where != "root" else sorted(os.listdir("/"))) == before


def test_force_out_writes_into_a_foreign_folder_and_never_removes_its_files(make_project, tmp_path, capsys):
    root, foreign = make_project(), tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    assert run_cli(capsys, "build", str(root), "-f", "md,html", "--out", str(foreign))[0] == 2
    code, err = run_cli(capsys, "build", str(root), "-f", "md,html", "--out", str(foreign), "--force-out")
    assert code == 0, err
    assert (foreign / "technical/widgets.html").is_file() and (foreign / MARKER).is_file()
    # Marked now: later builds need no --force-out and keep every file that is not theirs to remove.
    before = sorted(tree(foreign))
    assert run_cli(capsys, "build", str(root), "-f", "md", "--out", str(foreign))[0] == 0
    assert sorted(tree(foreign)) == before and "notes.txt" in before
    assert (foreign / "notes.txt").read_text() == "mine"


def test_an_unmarked_folder_of_what_looks_like_outputs_is_refused_and_kept(make_project, tmp_path, capsys):
    # A user's own site: the file names a build writes, no marker. Nothing may be overwritten.
    root, site = make_project(), tmp_path / "my-site"
    write_files(site, {"index.html": "<p>my page</p>", "assets/brief.css": "body{}", "technical/widgets.md": "mine"})
    def files() -> dict[str, str]:
        return {path.relative_to(site).as_posix(): path.read_text() for path in site.rglob("*") if path.is_file()}

    before = files()
    for command in (("build", "-f", "md,html"), ("publish",)):
        code, err = run_cli(capsys, *command, str(root), "--out", str(site))
        assert code == 2 and "has no .briefing-output marker" in err and "--force-out" in err, err
    assert files() == before and len(before) == 3


@pytest.mark.parametrize("inside", ["content/out", "templates/out", "sources/out", ".briefing/out"])
def test_an_out_folder_inside_what_a_build_reads_is_refused_even_with_force_out(make_project, capsys, inside):
    root = make_project()
    for extra in ((), ("--force-out",)):
        code, err = run_cli(capsys, "build", str(root), "-f", "md", "--out", str(root / inside), *extra)
        folder = inside.split("/")[0]
        assert code == 2 and f"it is inside the project's {folder}/ folder" in err, err
    assert not (root / inside).exists()


def test_serve_refuses_a_dangerous_output_folder(make_project):
    root = make_project()
    preview = PreviewServer(root, port=0, out_dir=root.parent)
    try:
        with pytest.raises(OutputFolderError, match="it contains the project"):
            preview.start()
    finally:
        preview.stop()
    assert not (root.parent / MARKER).exists()


# --- what a build writes ---------------------------------------------------------------------------


def test_changed_is_false_for_unchanged_bytes_and_stale_outputs_are_removed(make_project):
    root = make_project()
    out = root / "output"
    assert all(o.changed for o in build(root, formats=["md", "html"]).outputs)
    assert not any(o.changed for o in build(root, formats=["md", "html"]).outputs)
    (out / "scratch.txt").write_text("someone else's")
    write_files(root, {THEME: (root / THEME).read_text().replace("fell sharply", "fell steeply")})
    changed = {o.path.relative_to(out).as_posix() for o in build(root, formats=["md", "html"]).outputs if o.changed}
    assert changed == {"executive/widgets.md", "executive/widgets.html", "technical/widgets.md",
                       "technical/widgets.html", "index.html"}  # the index shows the takeaway
    before = sorted(tree(out))
    build(root, formats=["md"])  # a build of one format removes nothing of the others'
    assert sorted(tree(out)) == before and "scratch.txt" in before and "technical/widgets.html" in before


def fake_pdf(self):
    return Rendered(b"%PDF-1.7 fake " + self.html[:40].encode(), 3, text=self.html)


def test_only_files_inside_the_stage_are_discarded(built):
    _, out = built
    (out.parent / "outside.md").write_text("keep")
    with StagedOutput(out) as stage:
        assert stage.discard(["../outside.md", "/etc/hostname", "executive", MARKER, "executive/widgets.md"]) == [
            "executive/widgets.md"]
    assert (out.parent / "outside.md").read_text() == "keep"
    assert sorted(tree(out / "executive")) == ["widgets.html"] and (out / MARKER).is_file()


def test_publish_writes_its_site_pages_in_the_same_swap(make_project, tmp_path, monkeypatch):
    monkeypatch.setattr("briefing.formats.pdf.PdfJob.run", fake_pdf)  # PDFs are not the point here
    root, site = make_project(), tmp_path / "site"
    result = publish(root, out_dir=site, base_url="https://example.org/", jobs=1)
    assert {o.path.name for o in result.outputs if o.format == "site"} == {"sources.html", "sitemap.xml", "feed.xml"}
    assert (site / MARKER).is_file() and (site / "feed.xml").is_file()
    before = tree(site)
    write_files(root, {BRIEF: NEW_BRIEF})
    real_write = StagedOutput.write

    def full_at_feed(self, relative, data, **options):
        if relative == "feed.xml":  # the very last file: everything else is staged already
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(self, relative, data, **options)

    monkeypatch.setattr(StagedOutput, "write", full_at_feed)
    with pytest.raises(RenderError, match=r"cannot write the output: .*feed\.xml: No space left on device"):
        publish(root, out_dir=site, base_url="https://example.org/", jobs=1)
    assert tree(site) == before and leftovers(site) == []


# --- limits in the engine --------------------------------------------------------------------------


@dataclass(frozen=True)
class ToyJob:
    """A picklable engine job: ``sleep`` seconds, ``grab`` bytes, raise MemoryError (``oom``) or tell its ``limit``."""

    kind: str
    amount: float = 0

    def run(self) -> Rendered:
        import resource

        if self.kind == "sleep":
            time.sleep(self.amount)
        elif self.kind == "grab":
            bytearray(int(self.amount))
        elif self.kind == "oom":
            raise MemoryError
        elif self.kind == "limit":
            return Rendered(str(resource.getrlimit(resource.RLIMIT_AS)[0]).encode())
        return Rendered(b"done")


def result_of(future: Future[Rendered]) -> Rendered:
    return future.result(timeout=60)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_that_renders_too_long_is_stopped(monkeypatch, workers):
    monkeypatch.setattr(engine, "MAX_RENDER_SECONDS", 0.5)
    handler = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with EnginePool(workers=workers) as pool, pytest.raises(RenderError) as caught:
        result_of(pool.submit(ToyJob("sleep", 30), label="technical/slow.pdf"))
    assert time.monotonic() - started < 10
    assert str(caught.value) == ("cannot render: technical/slow.pdf: "
                                 "it took longer than 0.5 s, the limit for one document")
    assert signal.getsignal(signal.SIGALRM) == handler and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with EnginePool(workers=workers) as pool:  # a quick document is not affected
        assert result_of(pool.submit(ToyJob("sleep", 0.1), label="quick.pdf")).data == b"done"


def test_the_watchdog_is_skipped_outside_the_main_thread(monkeypatch):
    monkeypatch.setattr(engine, "MAX_RENDER_SECONDS", 0.2)
    results: list[Rendered] = []
    thread = threading.Thread(target=lambda: results.append(engine.run_job(ToyJob("sleep", 0.5), "watcher.pdf")))
    thread.start()
    thread.join(10)
    assert [r.data for r in results] == [b"done"]


def test_a_slow_pdf_fails_the_build_naming_it_and_writes_nothing(built, monkeypatch):
    root, out = built
    before = tree(out)
    monkeypatch.setattr(engine, "MAX_RENDER_SECONDS", 0.5)
    monkeypatch.setattr("briefing.formats.pdf.PdfJob.run", lambda self: ToyJob("sleep", 30).run())
    with pytest.raises(RenderError, match=r"(executive|technical)/widgets\.pdf: it took longer than 0\.5 s"):
        build(root, formats=["md", "html", "pdf"], jobs=1)
    assert tree(out) == before


def test_a_worker_has_a_memory_cap_and_running_out_names_the_document():
    with EnginePool(workers=2) as pool:
        assert int(result_of(pool.submit(ToyJob("limit"))).data) == engine.MAX_WORKER_BYTES
        with pytest.raises(RenderError, match=r"cannot render: technical/huge\.pdf: it ran out of memory"):
            result_of(pool.submit(ToyJob("grab", engine.MAX_WORKER_BYTES + 2**20), label="technical/huge.pdf"))
    with EnginePool(workers=1) as pool, pytest.raises(RenderError, match=r"board/x\.pdf: it ran out of memory"):
        result_of(pool.submit(ToyJob("oom"), label="board/x.pdf"))


def test_a_worker_that_dies_is_a_render_error_naming_the_document(make_project, monkeypatch):
    root = make_project()
    monkeypatch.setattr("briefing.formats.pdf.PdfJob.run", lambda self: os._exit(9))
    monkeypatch.setattr("briefing.formats.pdf.WarmUp.run", lambda self: Rendered(b""))
    with pytest.raises(RenderError, match=r"widgets\.pdf: the rendering process died"):
        build(root, formats=["pdf"], jobs=2)


# --- serve -----------------------------------------------------------------------------------------


def status(preview: PreviewServer) -> tuple[int, str | None]:
    return preview.state.generation, preview.state.error


def wait_for(condition, what: str, seconds: float = 20.0, *, fail: bool = True):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(0.05)
    assert not fail, f"gave up after {seconds} s waiting for {what}"


def edit_until_seen(preview: PreviewServer, path: Path, text: str) -> None:
    """Write ``text`` to ``path`` until the watcher (which may still be starting) rebuilds once."""
    first = preview.state.generation
    for _ in range(10):
        path.write_text(text)
        if wait_for(lambda: preview.state.generation > first, "", 2, fail=False):
            return
    raise AssertionError("the watcher never saw the edit")


def test_the_serve_watcher_survives_an_unexpected_exception(make_project, monkeypatch):
    import briefing.pipeline

    root = make_project()
    preview = PreviewServer(root, port=0, formats=["md"])
    preview.start()
    try:
        real_build, calls = briefing.pipeline.build, []

        def flaky(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("the build exploded")
            return real_build(*args, **kwargs)

        monkeypatch.setattr(briefing.pipeline, "build", flaky)
        first, _ = status(preview)
        theme = root / THEME
        edit_until_seen(preview, theme, theme.read_text().replace("fell sharply", "fell steeply"))
        error = wait_for(lambda: status(preview)[1], "the failed rebuild")
        assert error == "RuntimeError: the build exploded"
        assert status(preview) == (first + 1, error)
        theme.write_text(theme.read_text().replace("fell steeply", "fell gently"))
        wait_for(lambda: status(preview)[0] >= first + 2, "the next edit's rebuild")
        time.sleep(1.0)  # longer than the debounce: the rebuild's own staging folder must not trigger another
        assert status(preview) == (first + 2, None)
        assert "fell gently" in (preview.out_dir / "technical/widgets.md").read_text()
        assert all(thread.is_alive() for thread in preview._threads)
    finally:
        preview.stop()


def test_serve_on_a_busy_port_is_one_line_and_exit_4(make_project, capsys):
    root = make_project()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, err = run_cli(capsys, "serve", str(root), "--port", str(port))
    assert code == 4
    assert one_error_line(err) == f"Error: cannot listen: 127.0.0.1:{port}: Address already in use"


def test_errors_cross_from_a_worker_process_intact():
    import pickle

    from briefing.errors import ContentError, Problem, TemplateError

    problems = [Problem("content/x.yaml", line=3, message="expected a number", field_path="figure.value")]
    for error in (ContentError(problems), TemplateError("template brief.html.j2:4: bad"),
                  RenderError("cannot render", "technical/x.pdf", "it took too long")):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
    assert pickle.loads(pickle.dumps(ContentError(problems))).problems == problems
