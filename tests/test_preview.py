"""`briefing serve`: a real server on a free port, real file edits, real HTTP requests."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time

import pytest

from briefing.cli import main
from briefing.preview import PreviewServer

THEME = "content/briefs/widgets/themes/01-prices.yaml"


@pytest.fixture
def server(make_project):
    root = make_project()
    preview = PreviewServer(root, port=0, formats=["md", "html"])
    preview.start()
    yield preview, root
    preview.stop()


def get(preview: PreviewServer, path: str, host: str | None = None) -> tuple[int, str]:
    """A raw request: the client must not tidy the path (traversal tests need it as written)."""
    connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"127.0.0.1:{preview.port}" if host is None else host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", errors="replace")
    finally:
        connection.close()


def status(preview: PreviewServer) -> dict:
    return json.loads(get(preview, "/__briefing__/status")[1])


def wait_for(condition, what: str, seconds: float = 20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"gave up after {seconds} s waiting for {what}")


class EventListener(threading.Thread):
    """Reads the page's Server-Sent Events stream, as a browser's EventSource would."""

    def __init__(self, preview: PreviewServer, since: int):
        super().__init__(daemon=True)
        self.sock = socket.create_connection(("127.0.0.1", preview.port), timeout=30)
        self.sock.sendall(f"GET /__briefing__/events?since={since} HTTP/1.1\r\n"
                          f"Host: 127.0.0.1:{preview.port}\r\n\r\n".encode())
        self.received = ""

    def run(self) -> None:
        try:
            while chunk := self.sock.recv(4096):
                self.received += chunk.decode()
        except OSError:
            pass

    def close(self) -> None:
        self.sock.close()


def edit_while_listening(preview: PreviewServer, root) -> tuple[int, EventListener]:
    """Open the page's event stream, then edit a theme's text; returns the generation before the edit."""
    first = status(preview)["generation"]
    listener = EventListener(preview, since=first)
    listener.start()
    wait_for(lambda: ": connected" in listener.received, "the event stream to open")
    theme = root / THEME
    theme.write_text(theme.read_text().replace("Widget prices fell sharply this quarter.",
                                               "Widget prices halved this quarter."))
    return first, listener


def test_serves_the_build_with_the_reload_script(server):
    preview, _ = server
    code, index = get(preview, "/")
    assert code == 200 and "The widget market" in index and "EventSource" in index
    code, page = get(preview, "/technical/widgets.html")
    assert code == 200 and "/__briefing__/events?since=" in page
    code, markdown = get(preview, "/technical/widgets.md")
    assert code == 200 and markdown.startswith("# The widget market") and "EventSource" not in markdown


def test_an_edit_rebuilds_signals_reload_and_serves_the_new_text(server):
    preview, root = server
    first, listener = edit_while_listening(preview, root)
    wait_for(lambda: "event: reload" in listener.received, "the reload event")
    listener.close()
    assert status(preview) == {"generation": first + 1, "error": None}
    assert "Widget prices halved this quarter." in get(preview, "/technical/widgets.html")[1]


def test_a_broken_edit_keeps_the_last_good_page_shows_the_error_and_recovers(server):
    preview, root = server
    theme = root / THEME
    good = theme.read_text()
    first = status(preview)["generation"]
    theme.write_text(good.replace("priority: high", "priority: high\npriority: low"))
    error = wait_for(lambda: status(preview)["error"], "the failed rebuild")
    assert f"{THEME}:6:1" in error and "duplicate key 'priority'" in error
    code, page = get(preview, "/technical/widgets.html")
    assert code == 200 and "Widget prices fell sharply this quarter." in page  # the last good build
    assert "duplicate key" in page  # the overlay's error text, shown at once
    theme.write_text(good.replace("fell sharply", "fell steeply"))
    wait_for(lambda: status(preview)["error"] is None and status(preview)["generation"] > first + 1, "recovery")
    assert "Widget prices fell steeply this quarter." in get(preview, "/technical/widgets.html")[1]


@pytest.mark.parametrize("path", ["/../briefing.yaml", "/%2e%2e/briefing.yaml", "/..%2fbriefing.yaml",
                                  "/technical/../../briefing.yaml", "//etc/passwd", "/%00index.html",
                                  "/..\\briefing.yaml", "/nothing-here.html"])
def test_only_the_output_folder_is_served(server, path):
    preview, _ = server
    assert get(preview, path)[0] == 404


def test_a_symlink_out_of_the_output_folder_is_not_followed(server):
    preview, root = server
    os.symlink(root / "briefing.yaml", preview.out_dir / "leak.yaml")
    os.symlink(root / "content", preview.out_dir / "content")
    assert get(preview, "/leak.yaml")[0] == 404
    assert get(preview, "/content/sources.yaml")[0] == 404


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "127.0.0.1:1", ""])
def test_an_unexpected_host_header_is_refused(server, host):
    preview, _ = server
    assert get(preview, "/", host=host)[0] == 400


def test_output_inside_the_project_does_not_trigger_rebuilds(server):
    preview, _ = server
    generation = status(preview)["generation"]
    (preview.out_dir / "scratch.txt").write_text("written by something else")
    time.sleep(1.0)  # longer than the watcher's debounce: a rebuild would have happened by now
    assert status(preview)["generation"] == generation


def test_serve_command_warns_before_listening_beyond_this_machine(make_project, monkeypatch, capsys):
    calls = {}
    monkeypatch.setattr("briefing.preview.serve", lambda project, **options: calls.update(options))
    assert main(["serve", str(make_project()), "--host", "0.0.0.0", "--port", "9999", "-f", "html"]) == 0
    assert calls["host"] == "0.0.0.0" and calls["port"] == 9999 and calls["formats"] == ["html"]
    assert "anyone who can reach this machine" in capsys.readouterr().err
    assert main(["serve", str(make_project()), "-f", "odt"]) == 2


def test_with_pdfs_the_pages_are_written_first_and_each_reload_names_its_files(make_project):
    """Markdown and HTML are written (and announced) before the PDFs render on the warm workers; a page
    reloads only for an event that names its own file."""
    root = make_project()
    preview = PreviewServer(root, port=0, formats=["md", "html", "pdf"])
    preview.start()
    try:
        assert preview._engines is not None, "PDFs render on warm worker processes"
        first, listener = edit_while_listening(preview, root)
        wait_for(lambda: listener.received.count("event: reload") >= 2, "two reload events")
        listener.close()
        pages, pdfs = preview.state.files[first + 1], preview.state.files[first + 2]
        assert "technical/widgets.html" in pages and "technical/widgets.md" in pages
        assert not [name for name in pages if name.endswith(".pdf")], "the pages did not wait for the PDFs"
        assert "technical/widgets.pdf" in pdfs and not [name for name in pdfs if name.endswith((".html", ".md"))]
        announced = [json.loads(line.removeprefix("data: ")) for line in listener.received.splitlines()
                     if line.startswith("data: [")]
        assert announced[:2] == [sorted(pages), sorted(pdfs)]
        assert preview.state.changed_since(first) == sorted(set(pages + pdfs))
        code, page = get(preview, "/technical/widgets.html")
        assert code == 200 and "Widget prices halved this quarter." in page
        assert "changed.some(function (name) { return name === page" in page
    finally:
        preview.stop()
    assert preview._engines is None
