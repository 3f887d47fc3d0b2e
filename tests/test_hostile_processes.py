"""Nothing left running, nothing printed in vain: how briefing's processes stop and what `serve` says.

Each test runs the real command in its own process (signals cannot be tested in the test's own), and
checks every process it started, the PDF workers and their server included, is gone within 5 s.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import logging
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO

from briefing.pipeline import build
from briefing.preview import PreviewServer

STOPPED_WITHIN = 5.0


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder`` (dotfiles too) with a hash of its bytes; folders map to 'dir'."""
    return {p.relative_to(folder).as_posix(): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def beside(out: Path) -> list[str]:
    """Staging folders or temporary files left beside the output folder (its lock file is expected)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.")
                  and p.name != f".{out.name}.lock")


def descendants(pid: int) -> set[int]:
    """Every process below ``pid``, from /proc (children of each of its threads), recursively."""
    found: set[int] = set()
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            pids = {int(word) for word in children.read_text().split()}
        except OSError:  # the thread ended meanwhile
            continue
        for child in pids - found:
            found |= {child} | descendants(child)
    return found


def alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent to collect it counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "zombie" not in status.lower()


def wait_gone(pids: set[int], seconds: float = STOPPED_WITHIN) -> set[int]:
    deadline = time.monotonic() + seconds
    while (left := {pid for pid in pids if alive(pid)}) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def deliver(pid: int, signum: int, to: str) -> None:
    """Send ``signum`` as a terminal (``group``), a supervisor (``process``) would, or (``thread``) to one
    of the process's other threads, as the kernel may when it picks the thread that takes a signal."""
    if to == "group":
        os.killpg(pid, signum)
    elif to == "process":
        os.kill(pid, signum)
    else:
        thread = max(int(task.name) for task in Path(f"/proc/{pid}/task").iterdir() if int(task.name) != pid)
        libc = ctypes.CDLL(None, use_errno=True)
        if not hasattr(libc, "tgkill"):
            pytest.skip("needs tgkill (glibc 2.30 or later)")
        assert libc.tgkill(pid, thread, signum) == 0, os.strerror(ctypes.get_errno())


def start(*argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "briefing", *argv], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def stop(child: subprocess.Popen[str]) -> None:
    """Kill what a failed test left behind: the command's whole session."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()


@pytest.fixture
def built(make_project) -> tuple[Path, Path]:
    """A project built once (Markdown and HTML: the build under test renders everything again)."""
    root = make_project()
    build(root, formats=["md", "html"])
    return root, root / "output"


def serving(child: subprocess.Popen[str]) -> tuple[int, list[str]]:
    """Read the server's messages until it serves; its port and the lines read."""
    lines: list[str] = []
    assert child.stderr is not None
    for line in child.stderr:
        lines.append(line)
        if line.startswith("Serving "):
            return int(line.split(" at http://127.0.0.1:")[1].split("/")[0]), lines
    raise AssertionError("serve ended before serving:\n" + "".join(lines))


@pytest.mark.parametrize(("signum", "to"), [(signal.SIGTERM, "process"), (signal.SIGHUP, "process"),
                                           (signal.SIGTERM, "thread")], ids=["TERM", "HUP", "TERM to a thread"])
def test_a_signal_stops_serve_its_pdf_workers_and_their_server(make_project, signum, to):
    root = make_project()
    out = root / "output"
    child = start("serve", str(root), "--port", "0", "--format", "md,html,pdf")
    try:
        serving(child)  # its first build rendered the PDFs on its workers
        before = tree(out)
        helpers = descendants(child.pid)
        assert len(helpers) >= 2, "the PDF workers and the process that forks them are running"
        deliver(child.pid, signum, to)  # systemd, Docker or a supervisor signal the main process only
        _, err = child.communicate(timeout=STOPPED_WITHIN)
        assert wait_gone(helpers) == set(), "processes left running"
    finally:
        stop(child)
    assert child.returncode == 0 and "Traceback" not in err, err
    assert "Stopped." in err
    assert tree(out) == before and beside(out) == []


INTERRUPTED_BUILD = """
import os, sys, time
from briefing.formats import pdf
from briefing.cli import main

def stuck(self):  # a worker that is rendering when the signal comes
    open(os.path.join(sys.argv[2], f"worker-{os.getpid()}"), "w").close()
    time.sleep(120)

pdf.PdfJob.run = stuck
pdf.WarmUp.run = lambda self: None  # the engine's warm-up is not what this is about: skip it
sys.exit(main(["build", sys.argv[1], "--format", "md,html,pdf", "--jobs", "2", "--force"]))
"""


def waiting(pid: int) -> bool:
    """Whether the process's main thread is asleep (waiting for its workers), on five looks 50 ms apart."""
    for _ in range(5):
        if Path(f"/proc/{pid}/task/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "S":
            return False
        time.sleep(0.05)
    return True


def interrupted_build(root: Path, markers: Path) -> subprocess.Popen[str]:
    """A build whose PDF workers are rendering (forever) and whose own process waits for them."""
    child = subprocess.Popen([sys.executable, "-c", INTERRUPTED_BUILD, str(root), str(markers)], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list(markers.iterdir()) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(markers.iterdir()), "no worker started rendering: " + (child.stderr.read() if child.poll() else "")
    while not waiting(child.pid) and time.monotonic() < deadline:
        pass
    return child


@pytest.mark.parametrize(("signum", "to", "code", "message"), [
    (signal.SIGINT, "group", 130, "Aborted."),  # Ctrl-C: the terminal signals its whole process group
    (signal.SIGTERM, "process", 143, "Aborted (SIGTERM)."),
    (signal.SIGHUP, "group", 129, "Aborted (SIGHUP)."),  # the terminal closed
    (signal.SIGTERM, "thread", 143, "Aborted (SIGTERM)."),
], ids=["Ctrl-C", "TERM", "HUP", "TERM to a thread"])
def test_a_signal_stops_a_build_and_its_workers_and_leaves_the_previous_build(built, tmp_path, signum, to,
                                                                              code, message):
    root, out = built
    before = tree(out)
    markers = tmp_path / "markers"
    markers.mkdir()
    child = interrupted_build(root, markers)
    try:
        helpers = descendants(child.pid)
        deliver(child.pid, signum, to)
        _, err = child.communicate(timeout=STOPPED_WITHIN)
        assert wait_gone(helpers) == set(), "processes left running"
    finally:
        stop(child)
    assert child.returncode == code and "Traceback" not in err, err
    assert message in err
    assert tree(out) == before and beside(out) == [] and not list(out.rglob("*.tmp"))


def test_a_client_that_hangs_up_early_is_not_a_traceback(make_project, capsys, caplog):
    caplog.set_level(logging.DEBUG, logger="briefing.preview")
    preview = PreviewServer(make_project(), port=0, formats=["md", "html"])
    preview.start()
    try:
        (preview.out_dir / "big.bin").write_bytes(os.urandom(8 * 1024 * 1024))  # more than a socket buffers
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", preview.port)) as client:
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not close
                client.sendall(f"GET /big.bin HTTP/1.1\r\nHost: 127.0.0.1:{preview.port}\r\n\r\n".encode())
                client.recv(1)  # the answer has started
        deadline = time.monotonic() + STOPPED_WITHIN
        while time.monotonic() < deadline and caplog.text.count("hung up before the answer was sent") < 3:
            time.sleep(0.05)
    finally:
        preview.stop()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "BrokenPipeError" not in err and "ConnectionResetError" not in err, err
    assert caplog.text.count("127.0.0.1 hung up before the answer was sent") == 3, caplog.text
