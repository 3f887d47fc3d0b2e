"""Staged output folders: whole builds or nothing, safe against crashes, kills and concurrent builds."""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefing import staging
from briefing.staging import MARKER, OutputFolderError, StagedOutput, check_output_folder

REPO = Path(__file__).resolve().parent.parent
FIRST = {"index.html": b"<h1>one</h1>", "a.md": b"alpha", "assets/logo.svg": b"<svg/>", "old.pdf": b"%PDF-old"}


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` with a hash of its bytes (folders map to 'dir')."""
    result = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        result[rel] = "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
    return result


def siblings(out: Path) -> list[str]:
    """What sits beside ``out`` in its parent, apart from ``out`` itself and its lock file."""
    return sorted(p.name for p in out.parent.iterdir() if p.name not in (out.name, f".{out.name}.lock"))


def build(out: Path, files: dict[str, bytes]) -> dict[str, bool]:
    with StagedOutput(out) as stage:
        changed = {name: stage.write(name, data) for name, data in files.items()}
        stage.keep_only(files)
    return changed


@pytest.fixture
def out(tmp_path: Path) -> Path:
    (tmp_path / "site").mkdir()
    return tmp_path / "site" / "output"


@pytest.fixture
def built(out: Path) -> Path:
    build(out, FIRST)
    return out


def test_first_build_creates_the_folder_with_the_marker(out: Path) -> None:
    assert build(out, FIRST) == dict.fromkeys(FIRST, True)
    assert (out / MARKER).read_text().startswith("briefing output folder")
    assert {k: (out / k).read_bytes() for k in FIRST} == FIRST
    assert siblings(out) == []


def test_second_build_replaces_keeps_and_removes(built: Path) -> None:
    unchanged_inode = (built / "a.md").stat().st_ino
    changed = build(built, {"index.html": b"<h1>two</h1>", "a.md": b"alpha", "assets/logo.svg": b"<svg/>"})
    assert changed == {"index.html": True, "a.md": False, "assets/logo.svg": False}
    assert (built / "index.html").read_bytes() == b"<h1>two</h1>"
    assert (built / "a.md").stat().st_ino == unchanged_inode  # kept as a hard link, not rewritten
    assert not (built / "old.pdf").exists()
    assert (built / MARKER).is_file()
    assert siblings(built) == []


def test_files_not_written_survive_without_keep_only(built: Path) -> None:
    with StagedOutput(built) as stage:
        stage.write("a.md", b"beta")
        stage.remove("old.pdf")
    assert (built / "a.md").read_bytes() == b"beta"
    assert (built / "index.html").read_bytes() == FIRST["index.html"]
    assert not (built / "old.pdf").exists()


def test_staged_writes_never_touch_the_live_output(built: Path) -> None:
    before = tree(built)
    with StagedOutput(built) as stage:
        stage.write("a.md", b"changed through a hard link?")
        stage.remove("assets")
        assert tree(built) == before
    assert (built / "a.md").read_bytes() == b"changed through a hard link?"


def test_exception_inside_the_block_leaves_the_output_untouched(built: Path) -> None:
    before = tree(built)
    with pytest.raises(RuntimeError, match="template exploded"), StagedOutput(built) as stage:
        stage.write("index.html", b"half a build")
        stage.keep_only(["index.html"])
        raise RuntimeError("template exploded")
    assert tree(built) == before
    assert siblings(built) == []


def test_write_refuses_paths_outside_the_stage(built: Path) -> None:
    with StagedOutput(built) as stage:
        for bad in ("../escape.md", "/etc/passwd", ""):
            with pytest.raises(ValueError):
                stage.write(bad, b"x")
    assert not (built.parent / "escape.md").exists()


def test_a_symlinked_output_is_swapped_where_it_points(built: Path) -> None:
    link = built.parent / "link"
    link.symlink_to(built, target_is_directory=True)
    build(link, {"a.md": b"through the link"})
    assert link.is_symlink() and link.resolve() == built.resolve()
    assert (built / "a.md").read_bytes() == b"through the link"
    assert siblings(built) == ["link"]


def test_an_output_that_is_a_file_is_refused(out: Path) -> None:
    out.write_bytes(b"precious")
    with pytest.raises(OutputFolderError, match="not a folder"), StagedOutput(out) as stage:
        stage.write("a.md", b"x")
    assert out.read_bytes() == b"precious"


def test_kill_9_mid_build_keeps_the_previous_output_and_is_cleaned_next_time(built: Path) -> None:
    before = tree(built)
    child = textwrap.dedent("""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, sys.argv[1])
        from briefing.staging import StagedOutput
        with StagedOutput(Path(sys.argv[2])) as stage:
            stage.write("a.md", b"new")
            stage.write("brand-new.md", b"x")
            stage.remove("old.pdf")
            print("staged", flush=True)
            time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", child, str(REPO), str(built)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "staged"
        assert siblings(built) == [f".{built.name}.staging-{proc.pid}"]
    finally:
        proc.kill()
        proc.wait()  # reaped, so the pid no longer answers os.kill(pid, 0)
    assert tree(built) == before
    with StagedOutput(built) as stage:
        assert siblings(built) == [stage.path.name]
    assert siblings(built) == []
    assert tree(built) == before


def test_a_half_swapped_output_is_restored(built: Path) -> None:
    before = tree(built)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    built.rename(built.parent / f".{built.name}.old-{pid}")  # killed between the two fallback renames
    (built.parent / f".{built.name}.staging-{pid}").mkdir()
    with StagedOutput(built):
        assert tree(built) == before
    assert siblings(built) == []
    assert tree(built) == before


def test_a_second_concurrent_build_is_refused(built: Path) -> None:
    with StagedOutput(built) as first:
        with pytest.raises(OutputFolderError, match="another briefing build is writing to") as caught:
            StagedOutput(built).__enter__()
        assert caught.value.hint == "wait for it to finish"
        first.write("a.md", b"first wins")
    assert (built / "a.md").read_bytes() == b"first wins"
    with StagedOutput(built):  # the lock was released on exit
        pass


def test_full_disk_while_writing_changes_nothing(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(built)

    def no_space(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError) as caught, StagedOutput(built) as stage:
        stage.write("a.md", b"new alpha")
        monkeypatch.setattr(os, "write", no_space)
        stage.write("index.html", b"<h1>too big</h1>")
    monkeypatch.undo()
    assert caught.value.errno == errno.ENOSPC
    assert tree(built) == before
    assert siblings(built) == []


def test_full_disk_while_committing_changes_nothing(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(built)

    def no_space(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError, match="No space"), StagedOutput(built) as stage:
        stage.write("a.md", b"new alpha")
        monkeypatch.setattr(os, "fsync", no_space)
    monkeypatch.undo()
    assert tree(built) == before
    assert siblings(built) == []


def test_first_build_on_a_full_disk_creates_nothing(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", no_space)
    with pytest.raises(OSError), StagedOutput(out) as stage:
        stage.write("a.md", b"alpha")
    monkeypatch.undo()
    assert not out.exists()
    assert siblings(out) == []


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores folder permissions")
def test_read_only_parent_folder(built: Path) -> None:
    before = tree(built)
    built.parent.chmod(0o555)
    try:
        with pytest.raises(PermissionError), StagedOutput(built) as stage:
            stage.write("a.md", b"new")
    finally:
        built.parent.chmod(0o755)
    assert tree(built) == before
    assert siblings(built) == []


def test_read_only_parent_emulated(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(built)

    def refuse(path: object, mode: int = 0o777) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "mkdir", refuse)
    with pytest.raises(PermissionError), StagedOutput(built) as stage:
        stage.write("a.md", b"new")
    monkeypatch.undo()
    assert tree(built) == before
    assert siblings(built) == []
    with StagedOutput(built):  # the lock was released after the failed start
        pass


def test_fallback_without_renameat2(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "_renameat2", lambda: None)
    assert build(built, {"a.md": b"fallback"}) == {"a.md": True}
    assert sorted(tree(built)) == [MARKER, "a.md"]
    assert siblings(built) == []


def test_fallback_rename_failure_restores_the_output(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = tree(built)
    real_rename = os.rename

    def rename(src: str | Path, dst: str | Path) -> None:
        if ".staging-" in str(src):
            raise PermissionError(errno.EACCES, "Permission denied", str(src))
        real_rename(src, dst)

    monkeypatch.setattr(staging, "_renameat2", lambda: None)
    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(PermissionError), StagedOutput(built) as stage:
        stage.write("a.md", b"new")
    monkeypatch.undo()
    assert tree(built) == before
    assert siblings(built) == []


def test_renameat2_exchange_is_used_on_linux(built: Path) -> None:
    if staging._renameat2() is None:
        pytest.skip("no renameat2 here")
    calls: list[tuple[Path, Path]] = []
    real = staging._exchange

    def spy(first: Path, second: Path) -> bool:
        calls.append((first, second))
        return real(first, second)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(staging, "_exchange", spy)
        build(built, {"a.md": b"swapped"})
    assert len(calls) == 1 and calls[0][1] == built
    assert (built / "a.md").read_bytes() == b"swapped"


# --- check_output_folder ---------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "work" / "proj").mkdir(parents=True)
    return tmp_path / "work" / "proj"


@pytest.mark.parametrize(("where", "rule"), [
    ("project", "project root"),
    ("parent", "contains the project"),
    ("root", "filesystem root"),
    ("home", "home folder"),
])
def test_check_refuses_dangerous_folders(project: Path, where: str, rule: str) -> None:
    target = {"project": project, "parent": project.parent, "root": Path("/"), "home": Path.home()}[where]
    with pytest.raises(OutputFolderError, match=rule) as caught:
        check_output_folder(target, project_root=project)
    assert str(target) in caught.value.message
    assert "--force-out" in caught.value.hint
    check_output_folder(target, project_root=project, allow_any=True)


def test_check_refuses_a_foreign_folder(project: Path) -> None:
    foreign = project.parent / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("my notes")
    (foreign / "report.html").write_text("<p>")
    with pytest.raises(OutputFolderError, match="not empty.*notes.txt") as caught:
        check_output_folder(foreign, project_root=project)
    assert "--force-out" in str(caught.value)
    check_output_folder(foreign, project_root=project, allow_any=True)


def test_check_accepts_briefing_folders(project: Path) -> None:
    empty = project / "output"
    empty.mkdir()
    check_output_folder(empty, project_root=project)  # inside the project is fine
    check_output_folder(project / "missing", project_root=project)
    marked = project.parent / "marked"
    marked.mkdir()
    (marked / MARKER).write_text("briefing output folder; safe to delete\n")
    (marked / "notes.txt").write_text("whatever")
    check_output_folder(marked, project_root=project)
    looks_built = project.parent / "looks-built"  # a build's file names, no marker: not briefing's
    (looks_built / "assets" / "fonts").mkdir(parents=True)
    (looks_built / "brief.md").write_text("# x")
    (looks_built / "assets" / "fonts" / "inter.ttf").write_bytes(b"\0")
    with pytest.raises(OutputFolderError, match="no .briefing-output marker"):
        check_output_folder(looks_built, project_root=project)


def test_check_refuses_a_folder_inside_an_input_folder_whatever_the_override(project: Path) -> None:
    content = project / "content"
    for allow_any in (False, True):
        with pytest.raises(OutputFolderError, match="inside the project's content/ folder"):
            check_output_folder(content / "out", project_root=project, allow_any=allow_any, inputs=[content])
    check_output_folder(project / "output", project_root=project, inputs=[content])


def test_check_refuses_a_file(project: Path) -> None:
    (project.parent / "out.md").write_text("x")
    with pytest.raises(OutputFolderError, match="not a folder"):
        check_output_folder(project.parent / "out.md", project_root=project)
