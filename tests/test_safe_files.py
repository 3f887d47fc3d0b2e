"""The containment rule for files read on behalf of content or brand (briefing.safe_files)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from conftest import deadline

from briefing import safe_files
from briefing.safe_files import (
    MAX_ASSET_BYTES,
    MAX_TEXT_BYTES,
    UnsafeFile,
    check_file,
    problem_for,
    read_bytes,
    read_text,
    resolve_inside,
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    (root / "content" / "notes.txt").write_text("héllo\n", encoding="utf-8")
    (tmp_path / "outside.txt").write_text("secret\n")
    return root




def refusal(root: Path, path: str | Path, max_bytes: int = MAX_TEXT_BYTES) -> UnsafeFile:
    with pytest.raises(UnsafeFile) as info:
        check_file(root, path, max_bytes=max_bytes)
    assert problem_for(root, path, max_bytes=max_bytes) == info.value.reason
    return info.value


def test_normal_file_reads(project: Path) -> None:
    target = (project / "content" / "notes.txt").resolve()
    assert check_file(project, "content/notes.txt", max_bytes=MAX_TEXT_BYTES) == target
    assert check_file(project, target, max_bytes=MAX_TEXT_BYTES) == target  # absolute inside is fine
    assert read_bytes(project, "content/notes.txt", max_bytes=MAX_TEXT_BYTES) == "héllo\n".encode()
    assert read_text(project, Path("content/notes.txt"), max_bytes=MAX_TEXT_BYTES) == "héllo\n"
    assert problem_for(project, "content/notes.txt", max_bytes=MAX_TEXT_BYTES) is None


def test_read_text_replaces_invalid_utf8(project: Path) -> None:
    (project / "bad.txt").write_bytes(b"ok \xff end")
    assert read_text(project, "bad.txt", max_bytes=100) == "ok \ufffd end"


def test_parent_escape_is_refused(project: Path) -> None:
    exc = refusal(project, "../outside.txt")
    assert exc.reason == "is outside the project folder"
    assert str(exc) == "'../outside.txt' is outside the project folder"
    assert exc.path == "../outside.txt"
    assert "inside the project" in exc.hint and "briefing.yaml" in exc.hint
    with pytest.raises(UnsafeFile):
        read_bytes(project, "../outside.txt", max_bytes=MAX_TEXT_BYTES)


def test_escape_to_missing_file_still_says_outside(project: Path) -> None:
    assert refusal(project, "../../nope/missing.txt").reason == "is outside the project folder"


def test_absolute_path_outside_is_refused(project: Path) -> None:
    exc = refusal(project, "/etc/passwd")
    assert str(exc) == "'/etc/passwd' is outside the project folder"
    with pytest.raises(UnsafeFile):
        resolve_inside(project, "/etc/passwd")


def test_symlink_pointing_outside_is_refused(project: Path) -> None:
    (project / "link.txt").symlink_to(project.parent / "outside.txt")
    (project / "linkdir").symlink_to(project.parent)
    assert refusal(project, "link.txt").reason == "is outside the project folder"
    assert refusal(project, "linkdir/outside.txt").reason == "is outside the project folder"
    with pytest.raises(UnsafeFile, match="outside the project folder"):
        read_bytes(project, "link.txt", max_bytes=MAX_TEXT_BYTES)


def test_symlink_pointing_inside_is_accepted(project: Path) -> None:
    (project / "alias.txt").symlink_to("content/notes.txt")
    assert check_file(project, "alias.txt", max_bytes=100) == (project / "content" / "notes.txt").resolve()
    assert read_text(project, "alias.txt", max_bytes=100) == "héllo\n"


def test_fifo_is_refused_without_blocking(project: Path) -> None:
    os.mkfifo(project / "pipe")
    with deadline(2):
        exc = refusal(project, "pipe")
        with pytest.raises(UnsafeFile) as read_exc:
            read_text(project, "pipe", max_bytes=100)
    assert exc.reason == "is not a regular file (a FIFO)"
    assert read_exc.value.reason == "is not a regular file (a FIFO)"


def test_fifo_swapped_in_after_the_check_does_not_block(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulate the race: the stat said 'regular file', but a FIFO is what gets opened."""
    fifo = project / "pipe"
    os.mkfifo(fifo)
    regular = os.stat(project / "content" / "notes.txt")
    monkeypatch.setattr(safe_files, "_checked", lambda root, path, max_bytes, also: (fifo, regular))
    with deadline(2), pytest.raises(UnsafeFile) as info:
        read_bytes(project, "pipe", max_bytes=100)
    assert info.value.reason == "is not a regular file (a FIFO)"


def test_file_replaced_after_the_check_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = os.stat(project.parent / "outside.txt")
    target = project / "content" / "notes.txt"
    monkeypatch.setattr(safe_files, "_checked", lambda root, path, max_bytes, also: (target, other))
    with pytest.raises(UnsafeFile, match="changed while it was being opened"):
        read_bytes(project, "content/notes.txt", max_bytes=100)


def test_directory_is_refused(project: Path) -> None:
    assert refusal(project, "content").reason == "is not a regular file (a directory)"
    assert refusal(project, ".").reason == "is not a regular file (a directory)"


def test_huge_sparse_file_is_refused_by_size_without_reading(project: Path) -> None:
    with open(project / "huge.png", "wb") as handle:
        handle.truncate(2 * 1024**3)
    started = time.monotonic()
    exc = refusal(project, "huge.png", MAX_ASSET_BYTES)
    with pytest.raises(UnsafeFile) as read_exc:
        read_bytes(project, "huge.png", max_bytes=MAX_ASSET_BYTES)
    assert time.monotonic() - started < 1.0
    # The stat-based message (not the read-time one) proves the size was known before any byte was read.
    assert exc.reason == "is 2.0 GiB, over the 20 MiB limit for this kind of file"
    assert read_exc.value.reason == exc.reason
    assert "smaller" in exc.hint


def test_size_limit_is_exact(project: Path) -> None:
    limit = 1000
    (project / "at.txt").write_bytes(b"a" * limit)
    (project / "over.txt").write_bytes(b"a" * (limit + 1))
    assert read_bytes(project, "at.txt", max_bytes=limit) == b"a" * limit
    assert problem_for(project, "at.txt", max_bytes=limit) is None
    exc = refusal(project, "over.txt", limit)
    assert exc.reason == "is 1001 bytes, over the 1000 bytes limit for this kind of file"
    with pytest.raises(UnsafeFile):
        read_bytes(project, "over.txt", max_bytes=limit)


def test_size_just_over_a_round_limit_is_shown_in_bytes(project: Path) -> None:
    with open(project / "font.woff2", "wb") as handle:
        handle.truncate(MAX_ASSET_BYTES + 1)
    exc = refusal(project, "font.woff2", MAX_ASSET_BYTES)
    assert exc.reason == f"is {MAX_ASSET_BYTES + 1} bytes, over the 20 MiB limit for this kind of file"


def test_default_limits() -> None:
    assert MAX_ASSET_BYTES == 20 * 1024 * 1024
    assert MAX_TEXT_BYTES == 5 * 1024 * 1024


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_proc_environ_is_refused(project: Path) -> None:
    assert refusal(project, "/proc/self/environ").reason == "is outside the project folder"
    assert refusal(project, "../../../../../../../../proc/self/environ").reason == "is outside the project folder"


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_file_lying_about_its_size_is_caught_while_reading() -> None:
    """/proc files stat as 0 bytes; the read itself must stop at the limit."""
    proc = Path("/proc/self")
    assert os.stat(proc / "status").st_size == 0
    check_file(proc, "status", max_bytes=16)  # the stat alone cannot tell
    with pytest.raises(UnsafeFile) as info:
        read_bytes(proc, "status", max_bytes=16)
    assert info.value.reason == "is larger than the 16 bytes limit for this kind of file"


def test_missing_file_does_not_exist(project: Path) -> None:
    exc = refusal(project, "content/missing.png")
    assert exc.reason == "does not exist"
    assert str(exc) == "'content/missing.png' does not exist"
    with pytest.raises(UnsafeFile, match="does not exist"):
        read_bytes(project, "content/missing.png", max_bytes=100)


def test_extra_allowed_roots(project: Path, tmp_path: Path) -> None:
    builtin = tmp_path / "package_templates"
    builtin.mkdir()
    (builtin / "base.css").write_text("body {}")
    assert refusal(project, builtin / "base.css").reason == "is outside the project folder"
    assert check_file(project, builtin / "base.css", max_bytes=100, also=(builtin,)) == (builtin / "base.css").resolve()
    assert read_text(project, builtin / "base.css", max_bytes=100, also=(builtin,)) == "body {}"
    assert problem_for(project, builtin / "base.css", max_bytes=100, also=(builtin,)) is None
    assert problem_for(project, "../outside.txt", max_bytes=100, also=(builtin,)) == "is outside the project folder"


def test_symlink_loop_is_refused(project: Path) -> None:
    (project / "loop").symlink_to("loop")
    assert refusal(project, "loop").reason.startswith("cannot be reached (")


def test_path_with_nul_byte_is_refused(project: Path) -> None:
    assert refusal(project, "content/notes.txt\0.png").reason == "cannot be reached (embedded null byte)"
