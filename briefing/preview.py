"""``briefing serve``: build, serve the output folder locally, rebuild on every edit, reload the page.

The server binds to 127.0.0.1 unless told otherwise, answers only requests
addressed to its own name (a guard against DNS rebinding), and serves only
files inside the output folder.  A watcher (watchfiles) rebuilds when the
configuration, brand, content or templates change.  A failed rebuild writes
nothing, so the last good pages keep being served; the error, with its file
and line, goes to the terminal and to every open page, and clears when the
file is fixed.  Pages learn about rebuilds through Server-Sent Events.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from .engine import WAKE_SECONDS, stop_workers
from .errors import BriefingError, RenderError
from .load import find_root, load_project
from .settings import CACHE_DIR, OUTPUT_DIR, SITE_DIR
from .staging import OutputFolderError

log = logging.getLogger(__name__)

EVENTS = "/__briefing__/events"
STATUS = "/__briefing__/status"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_TYPES = {".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8",
          ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".woff2": "font/woff2",
          ".pdf": "application/pdf", ".xml": "application/xml; charset=utf-8"}

# Injected into every HTML page served: reload after a rebuild, show a failed one's error.
RELOAD_SCRIPT = """<script>
(function () {
  var generation = %(generation)d, initialError = %(error)s;
  function show(text) {
    var box = document.getElementById("briefing-build-error");
    if (!box) {
      box = document.createElement("pre");
      box.id = "briefing-build-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;left:1rem;right:1rem;bottom:1rem;max-height:60vh;overflow:auto;" +
        "margin:0;padding:1rem;background:#5c0f0f;color:#fff;font:13px/1.4 monospace;white-space:pre-wrap;" +
        "z-index:2147483647;border-radius:4px;box-shadow:0 4px 24px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "briefing: the last rebuild failed; showing the last good build.\\n\\n" + text;
  }
  if (initialError) show(initialError);
  // This page's file in the output folder: it reloads when that file (or a shared asset) is new.
  var page = decodeURIComponent(location.pathname).replace(new RegExp("^/+"), "");
  if (page === "" || page.slice(-1) === "/") page += "index.html";
  var events = new EventSource("%(events)s?since=" + generation);
  events.addEventListener("reload", function (event) {
    var changed = JSON.parse(event.data || "null");
    if (!changed || changed.some(function (name) { return name === page || name.indexOf("assets/") === 0; })) {
      location.reload();
    }
  });
  events.addEventListener("build-error", function (event) { show(event.data); });
})();
</script>
"""


HISTORY = 64  # generations whose changed files are kept, for pages that missed some events


class PreviewState:
    """The last build's outcome, shared by the watcher and the request threads: a generation for each
    build (or each part of one: Markdown and HTML first, PDFs after), with the files it changed."""

    def __init__(self) -> None:
        self.generation = 0
        self.error: str | None = None
        self.changed = threading.Condition()
        self.files: dict[int, list[str]] = {}

    def finished(self, error: str | None, files: Sequence[str] | None = None) -> None:
        with self.changed:
            self.generation += 1
            self.error = error
            if files is not None:
                self.files[self.generation] = list(files)
            self.files.pop(self.generation - HISTORY, None)
            self.changed.notify_all()

    def changed_since(self, seen: int) -> list[str] | None:
        """Files changed by the generations after ``seen``; None when not known (then every page reloads)."""
        found: list[str] = []
        for generation in range(seen + 1, self.generation + 1):
            if generation not in self.files:
                return None
            found += self.files[generation]
        return sorted(set(found))


class PreviewServer:
    """Build, serve and watch one project; ``start`` runs in background threads, ``stop`` ends them."""

    def __init__(self, project: str | Path = ".", *, host: str = "127.0.0.1", port: int = 8000,
                 formats: Sequence[str] = ("md", "html"), out_dir: str | Path | None = None,
                 report: Callable[[str], None] | None = None, safe_templates: bool = False):
        self.root = find_root(project).resolve()
        self.safe_templates = safe_templates
        self.formats = list(formats)
        self.requested_out = Path(out_dir).resolve() if out_dir is not None else None
        self.out_dir = self.requested_out or self.root / OUTPUT_DIR
        self.host, self.port = host, port
        self.report = report or (lambda text: None)
        self.state = PreviewState()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._httpd: _PreviewHTTPServer | None = None
        self._engines: Executor | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def rebuild(self, *, refuse_unsafe_output: bool = False) -> bool:
        """Build once; on failure keep the last good output and record the error. True when it built.

        Never raises (the watcher calls it): any failure, a bug's too, is reported with its type and
        shown on the pages; ``refuse_unsafe_output`` (the first build) lets an unsafe output folder raise.
        """
        from .pipeline import Output, build

        def written(outputs: list[Output]) -> None:  # Markdown and HTML, while the PDFs render
            self._written(outputs, "Wrote the pages")

        try:
            project = load_project(self.root)
            self.out_dir = self.requested_out or project.output_dir.resolve()
            result = build(project, formats=self.formats, out_dir=self.out_dir, jobs=1, executor=self._engines,
                           safe_templates=self.safe_templates, early=written, durable=False)
        except OutputFolderError as exc:
            if refuse_unsafe_output:
                raise
            return self._failed(str(exc))
        except BriefingError as exc:
            return self._failed(str(exc))
        except OSError as exc:
            return self._failed(str(RenderError.from_os_error("cannot rebuild", exc)))
        except Exception as exc:  # noqa: BLE001 - a bug must not end the watcher: report it, keep watching
            log.debug("rebuild failed unexpectedly", exc_info=True)  # the traceback, with --verbose
            return self._failed(f"{type(exc).__name__}: {exc}")
        self._written(result.outputs, "Rebuilt")
        return True

    def _written(self, outputs: Sequence[Any], what: str) -> None:
        changed = [output.path.relative_to(self.out_dir).as_posix() for output in outputs if output.changed]
        self.report(f"{what}: {len(changed)} file{'s' if len(changed) != 1 else ''} changed.")
        self.state.finished(None, changed)

    def _failed(self, message: str) -> bool:
        log.debug("rebuild failed:\n%s", message)
        if self._stop.is_set():  # the server is stopping: its workers were ended under the rebuild
            return False
        self.report(f"Rebuild failed (still serving the last good build):\n{message}")
        self.state.finished(message)
        return False

    def start(self) -> None:
        self._engines = _warm_engines(self.formats)
        self.rebuild(refuse_unsafe_output=True)  # never serve (or write into) the project, home or /
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._httpd = _PreviewHTTPServer((self.host, self.port), _handler_for(self))
        self.port = self._httpd.server_address[1]
        self._spawn(self._httpd.serve_forever, "briefing-http")
        self._spawn(self._watch, "briefing-watch")

    def stop(self) -> None:
        """End the threads and the PDF workers; a rebuild under way is dropped (it writes nothing)."""
        self._stop.set()
        with self.state.changed:
            self.state.changed.notify_all()  # wake event streams so they end
        if self._engines is not None:  # first: a rebuild waiting for its PDFs ends with them
            stop_workers(self._engines)
            self._engines = None
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=10)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _watch(self) -> None:
        import watchfiles

        # A save is yielded 20 ms after its last file event (``step``): an editor's save (write a temporary
        # file, rename it) is one burst well inside that, and every millisecond is edit-to-page time.
        for changes in watchfiles.watch(self.root, watch_filter=self._relevant, stop_event=self._stop,
                                        debounce=200, step=20, rust_timeout=500, yield_on_timeout=False):
            if changes:
                log.info("changed: %s", ", ".join(sorted(str(Path(p).relative_to(self.root)) for _, p in changes)))
                self.rebuild()  # never raises: the watcher outlives any failed rebuild

    def _relevant(self, _change: object, path: str) -> bool:
        """Edits to the project's inputs, not the outputs the server itself writes."""
        candidate = Path(path)
        ignored = [self.out_dir, self.root / CACHE_DIR, self.root / ".git", self.root / SITE_DIR]
        if any(candidate.is_relative_to(folder) for folder in ignored):
            return False
        if candidate.is_relative_to(self.out_dir.parent):  # the build's staging folder and lock beside the output
            first = candidate.relative_to(self.out_dir.parent).parts[:1]
            if first and first[0].startswith(f".{self.out_dir.name}."):
                return False
        return not candidate.name.endswith(("~", ".swp", ".tmp")) and "__pycache__" not in candidate.parts


class _PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up early (a reload, a closed tab) is routine: a debug line, not a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError, ...
            log.debug("%s hung up before the answer was sent", client_address[0])
            return
        super().handle_error(request, client_address)


def _warm_engines(formats: Sequence[str]) -> Executor | None:
    """Worker processes for the pooled formats (PDF), kept from rebuild to rebuild with the engine imported.

    They fork from a clean server process that imported the engine once (``forkserver``), never from
    this one, whose server threads a forked child could inherit holding a lock."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    from . import formats as _builtin  # noqa: F401 - registers the built-in formats
    from .engine import MAX_WORKER_BYTES, start_worker
    from .registry import FORMATS

    if not any(FORMATS.get(name).pooled for name in formats if name in FORMATS.names()) \
            or "forkserver" not in multiprocessing.get_all_start_methods():
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["briefing.formats.pdf", "weasyprint"])
    return ProcessPoolExecutor(max_workers=os.cpu_count() or 1, mp_context=context, initializer=start_worker,
                               initargs=(MAX_WORKER_BYTES, ()))


def _handler_for(server: PreviewServer) -> type[BaseHTTPRequestHandler]:
    class PreviewHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
            log.debug("%s - %s", self.address_string(), format % args)

        def do_HEAD(self) -> None:  # noqa: N802 - the stdlib's name
            self._serve(head=True)

        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self._serve(head=False)

        def _serve(self, *, head: bool) -> None:
            if not self._host_allowed():
                self._send(HTTPStatus.BAD_REQUEST, b"unexpected Host header\n", "text/plain; charset=utf-8", head)
                return
            parts = urlsplit(self.path)
            if parts.path == EVENTS:
                self._events(parse_qs(parts.query).get("since", ["0"])[0])
                return
            if parts.path == STATUS:
                body = json.dumps({"generation": server.state.generation, "error": server.state.error}).encode()
                self._send(HTTPStatus.OK, body, "application/json", head)
                return
            file = _safe_file(server.out_dir, parts.path)
            if file is None:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8", head)
                return
            body = file.read_bytes()
            kind = _TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            if file.suffix == ".html":
                body = _inject(body, server.state)
            self._send(HTTPStatus.OK, body, kind, head)

        def _host_allowed(self) -> bool:
            host = (self.headers.get("Host") or "").lower()
            port = server.port
            names = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"{server.host.lower()}:{port}",
                     f"[{server.host.lower()}]:{port}"}
            return host in names

        def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if not head:
                self.wfile.write(body)

        def _events(self, since: str) -> None:
            """Server-Sent Events: 'reload' after each good build, 'build-error' after a failed one."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            seen = int(since) if since.isdigit() else server.state.generation
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while not server._stop.is_set():
                    with server.state.changed:
                        def moved_on(last: int = seen) -> bool:
                            return server.state.generation != last or server._stop.is_set()

                        server.state.changed.wait_for(moved_on, timeout=15)
                        generation, error = server.state.generation, server.state.error
                    if server._stop.is_set():
                        return
                    if generation == seen:
                        self.wfile.write(b": keep-alive\n\n")
                    elif error is None:
                        with server.state.changed:
                            files = server.state.changed_since(seen)
                        self.wfile.write(f"event: reload\ndata: {json.dumps(files)}\n\n".encode())
                    else:
                        data = "".join(f"data: {line}\n" for line in error.splitlines())
                        self.wfile.write(f"event: build-error\n{data}\n".encode())
                    seen = generation
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return  # the page went away

    return PreviewHandler


def _safe_file(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that a URL path names, or None for anything outside it or missing."""
    path = unquote(url_path)
    if "\x00" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part]
    if any(part in {".", ".."} for part in parts):
        return None
    root = root.resolve()
    target = root.joinpath(*parts).resolve()  # resolving follows symlinks: one leading out is refused
    if not target.is_relative_to(root):
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


def _inject(body: bytes, state: PreviewState) -> bytes:
    script = RELOAD_SCRIPT % {"generation": state.generation, "error": json.dumps(state.error).replace("<", "\\u003c"),
                              "events": EVENTS}
    text = body.decode("utf-8", errors="replace")
    index = text.lower().rfind("</body>")
    text = text[:index] + script + text[index:] if index >= 0 else text + script
    return text.encode("utf-8")


def serve(project: str | Path = ".", *, host: str = "127.0.0.1", port: int = 8000,
          formats: Sequence[str] = ("md", "html"), out_dir: str | Path | None = None,
          report: Callable[[str], None] | None = None, safe_templates: bool = False) -> None:
    """Serve until interrupted: Ctrl-C, or SIGTERM or SIGHUP under ``stopping.stop_on_signals``.

    Stopping is serve's normal end: it returns (the CLI exits 0) once every thread and worker ended."""
    server = PreviewServer(project, host=host, port=port, formats=formats, out_dir=out_dir, report=report,
                           safe_templates=safe_templates)
    try:
        server.start()
        if report is not None:
            report(f"Serving {server.out_dir} at {server.url} (Ctrl-C to stop); watching {server.root}")
        while not server._stop.wait(WAKE_SECONDS):  # wakes so a signal another thread took is acted on
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    if report is not None:
        report("Stopped.")
