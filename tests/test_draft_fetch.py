"""``briefing.draft.fetch``: fetching an article by URL, against a real local HTTP server."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from briefing.draft import fetch as fetch_module
from briefing.draft.fetch import MAX_FETCH_BYTES, Fetched, fetch, is_public_address, is_url, resolve_host
from briefing.errors import UsageError
from briefing.settings import VERSION

ARTICLE = b"<html><head><title>Widgets</title></head><body><p>Widget prices fell 20%.</p></body></html>"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
RELEASE = threading.Event()  # set at teardown so slow handlers stop waiting


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def send(self, status: int, body: bytes = b"", content_type: str | None = "text/html; charset=UTF-8",
             **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path.startswith("http://"):  # asked through a proxy: the absolute URL
            self.send(200, f"proxied {path}".encode(), "text/plain")
        elif path == "/article":
            self.send(200, ARTICLE)
        elif path == "/host":
            self.send(200, (self.headers["Host"] or "").encode(), "text/plain")
        elif path == "/headers":
            body = f"{self.headers['User-Agent']}\n{self.headers['Accept']}".encode()
            self.send(200, body, "text/plain; charset=us-ascii")
        elif path == "/notes.txt":
            self.send(200, b"Plain notes.\n", "text/plain")
        elif path == "/notes.md":
            self.send(200, b"# Notes\n", "text/markdown; charset=utf-8")
        elif path == "/paper.pdf":
            self.send(200, PDF, "application/pdf")
        elif path == "/untyped.pdf":
            self.send(200, PDF, None)
        elif path == "/archive.zip":
            self.send(200, b"PK\x03\x04", "application/zip")
        elif path == "/to-file":
            self.send(302, Location="file:///etc/passwd")
        elif path == "/to-ftp":
            self.send(302, Location="ftp://example.org/article.txt")
        elif path == "/no-location":
            self.send(302)
        elif path.startswith("/chain/"):
            left = int(path.rsplit("/", 1)[1])
            self.send(302, Location=f"/chain/{left - 1}" if left > 1 else "/article")
        elif path.startswith("/slow-chain/"):
            left = int(path.rsplit("/", 1)[1])
            RELEASE.wait(0.3)
            self.send(302, Location=f"/slow-chain/{left - 1}" if left > 1 else "/article")
        elif path.startswith("/redirect?to="):
            self.send(302, Location=path.split("=", 1)[1])
        elif path == "/big":
            self.send(200, b"x" * 2000)
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for _ in range(4):
                self.wfile.write(b"200\r\n" + b"y" * 0x200 + b"\r\n")
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/big-unsized":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(b"z" * 2000)
            self.close_connection = True
        elif path == "/slow":
            RELEASE.wait(3)
            self.send(200, ARTICLE)
        elif path == "/slow-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"<p>")
            self.wfile.flush()
            RELEASE.wait(3)
        elif path.startswith("/trickle"):  # a byte at a time, each well inside the per-read limit
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
            if path == "/trickle-headers":
                self.trickle(head + b"x" * 100)
            else:
                self.wfile.write(head)
                self.trickle(b"x" * 100)
            self.close_connection = True
        elif path == "/missing":
            self.send(404, b"no such page")
        else:
            self.send(500, b"broken")


    def trickle(self, data: bytes) -> None:
        for byte in data:
            if RELEASE.wait(0.1):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()


class Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (timeout, size limit) is expected here


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    RELEASE.clear()
    yield server.server_address[1]
    RELEASE.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def tls_port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """A local HTTPS server whose self-signed certificate names only news.example; yields (port, cert file)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=news.example",
                    "-addext", "subjectAltName=DNS:news.example"], check=True, capture_output=True)
    server = Server(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1], str(cert)
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def refused(url: str, **options: object) -> str:
    with pytest.raises(UsageError) as caught:
        fetch(url, **options)  # type: ignore[arg-type]
    message = str(caught.value)
    assert url in message
    assert "Traceback" not in message and "\n" not in message
    return message


def test_is_url():
    assert is_url("https://example.org/a") and is_url("HTTP://example.org") and is_url("  http://x/ ")
    assert not is_url("file:///etc/passwd") and not is_url("ftp://x/") and not is_url("sources/memo.txt")
    assert not is_url("javascript:alert(1)") and not is_url("example.org/page")


def test_fetches_an_html_article_from_a_typed_loopback_address(port):
    url = f"http://127.0.0.1:{port}/article"
    got = fetch(url)
    assert got == Fetched(url, url, "text/html", "utf-8", ARTICLE)


def test_sends_the_user_agent_and_accept_headers(port):
    got = fetch(f"http://127.0.0.1:{port}/headers")
    assert got.data.decode().splitlines() == [f"briefing/{VERSION}",
                                              "text/html, application/pdf, text/plain;q=0.9, */*;q=0.1"]
    assert (got.content_type, got.charset) == ("text/plain", "us-ascii")


def test_fetches_plain_text_markdown_and_pdf(port):
    assert fetch(f"http://127.0.0.1:{port}/notes.txt").content_type == "text/plain"
    assert fetch(f"http://127.0.0.1:{port}/notes.txt").charset is None
    assert fetch(f"http://127.0.0.1:{port}/notes.md").content_type == "text/markdown"
    pdf = fetch(f"http://127.0.0.1:{port}/paper.pdf")
    assert (pdf.content_type, pdf.data) == ("application/pdf", PDF)


def test_a_response_without_a_content_type_is_sniffed(port):
    assert fetch(f"http://127.0.0.1:{port}/untyped.pdf").content_type == "application/pdf"


def test_follows_five_redirects_but_not_six(port):
    got = fetch(f"http://127.0.0.1:{port}/chain/5")
    assert got.final_url == f"http://127.0.0.1:{port}/article" and got.data == ARTICLE
    assert "more than 5 redirects" in refused(f"http://127.0.0.1:{port}/chain/6")


@pytest.mark.parametrize("path, target", [("/to-file", "file:///etc/passwd"),
                                          ("/to-ftp", "ftp://example.org/article.txt")])
def test_refuses_a_redirect_to_another_scheme(port, path, target):
    message = refused(f"http://127.0.0.1:{port}{path}")
    assert target in message and "only http:// and https://" in message


def test_refuses_a_redirect_without_a_location(port):
    assert "no Location" in refused(f"http://127.0.0.1:{port}/no-location")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.txt", "data:text/html,<p>hi</p>",
                                 "javascript:alert(1)", "example.org/page"])
def test_refuses_other_schemes(url):
    assert "only http:// and https://" in refused(url)


@pytest.mark.parametrize("path", ["/big", "/big-chunked", "/big-unsized"])
def test_refuses_a_body_over_the_limit(port, path):
    assert "larger than 1,000 bytes" in refused(f"http://127.0.0.1:{port}{path}", max_bytes=1000)


def test_the_default_limit_is_ten_mebibytes(port):
    assert MAX_FETCH_BYTES == 10 * 1024 * 1024
    assert len(fetch(f"http://127.0.0.1:{port}/big-unsized", max_bytes=2000).data) == 2000


@pytest.mark.parametrize("path", ["/slow", "/slow-body"])
def test_times_out(port, path):
    assert "timed out after 0.5 s" in refused(f"http://127.0.0.1:{port}{path}", timeout=0.5)


@pytest.mark.parametrize("path", ["/trickle", "/trickle-headers"])
def test_a_server_that_trickles_is_stopped_at_the_deadline_for_the_whole_fetch(port, monkeypatch, path):
    # The page takes 10 s at a byte every 0.1 s: each read is quick, so only a limit on the whole fetch stops it.
    monkeypatch.setattr(fetch_module, "FETCH_DEADLINE", 1.0)
    started = time.monotonic()
    message = refused(f"http://127.0.0.1:{port}{path}")  # the per-read limit stays the default 20 s
    assert time.monotonic() - started < 3
    assert "took longer than 1 s in all, the limit for one fetch" in message
    assert "save the page and draft from the file" in message


def test_the_deadline_counts_every_redirect(port):
    # Five redirects of 0.3 s each: every hop is well inside 1 s, all of them are not.
    assert fetch(f"http://127.0.0.1:{port}/slow-chain/2", deadline=1.0).data == ARTICLE
    assert "took longer than 1 s in all" in refused(f"http://127.0.0.1:{port}/slow-chain/5", deadline=1.0)
    assert fetch_module.FETCH_DEADLINE == fetch_module.READ_TIMEOUT == 20.0


@pytest.mark.parametrize("path, status", [("/missing", "HTTP 404 Not Found"),
                                          ("/fails", "HTTP 500 Internal Server Error")])
def test_reports_http_errors_with_a_hint(port, path, status):
    message = refused(f"http://127.0.0.1:{port}{path}")
    assert status in message and "save the page and draft from the file" in message


def test_refuses_an_unsupported_content_type(port):
    assert "'application/zip' is not supported" in refused(f"http://127.0.0.1:{port}/archive.zip")


def test_reports_a_refused_connection():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    assert "refused" in refused(f"http://127.0.0.1:{free}/article").lower()


def test_reports_a_tls_error(port):
    assert "TLS error" in refused(f"https://127.0.0.1:{port}/article", timeout=2)


def test_reports_a_host_that_is_not_found():
    def resolve(host: str) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    assert "'nowhere.example' not found" in refused("http://nowhere.example/article", resolve=resolve)


def test_the_default_resolver_resolves_loopback():
    assert "127.0.0.1" in resolve_host("127.0.0.1")
    assert set(resolve_host("localhost")) <= {"127.0.0.1", "::1"}


@pytest.mark.parametrize("address, public", [
    ("93.184.216.34", True), ("2606:2800:220:1:248:1893:25c8:1946", True), ("127.0.0.1", False),
    ("10.0.0.5", False), ("192.168.1.1", False), ("172.16.0.1", False), ("169.254.169.254", False),
    ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False), ("240.0.0.1", False), ("::1", False),
    ("fe80::1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False), ("ff02::1", False), ("not-an-ip", False)])
def test_is_public_address(address, public):
    assert is_public_address(address) is public


class Network:
    """Names that resolve to the local server, and a check that calls 127.0.0.1 public."""

    def __init__(self, names: dict[str, str]):
        self.names, self.asked = names, []

    def resolve(self, host: str) -> list[str]:
        self.asked.append(host)
        return [self.names[host]]


@pytest.fixture
def network(monkeypatch: pytest.MonkeyPatch) -> Network:
    net = Network({"news.example": "127.0.0.1", "other.example": "127.0.0.1", "internal.example": "10.0.0.5"})
    monkeypatch.setattr(fetch_module, "resolve_host", net.resolve)
    monkeypatch.setattr(fetch_module, "is_public_address", lambda address: address == "127.0.0.1")
    return net


def test_connects_to_the_checked_address_and_sends_the_name(port, network):
    got = fetch(f"http://news.example:{port}/redirect?to=http://other.example:{port}/host")
    assert got.data == f"other.example:{port}".encode()
    assert got.final_url == f"http://other.example:{port}/host"
    assert network.asked == ["news.example", "other.example"]  # once per hop, and that address is used


@pytest.mark.parametrize("target", ["http://internal.example:{port}/article", "http://169.254.169.254/latest",
                                    "http://10.1.2.3:{port}/article"])
def test_refuses_a_redirect_from_public_to_private(port, network, target):
    target = target.format(port=port)
    message = refused(f"http://news.example:{port}/redirect?to={target}")
    assert target in message and "from a public address" in message


def test_a_typed_private_address_may_redirect_within_private_space(port, monkeypatch):
    monkeypatch.setattr(fetch_module, "resolve_host", lambda host: ["127.0.0.1"])
    got = fetch(f"http://127.0.0.1:{port}/redirect?to=http://intranet.local:{port}/article")
    assert got.final_url == f"http://intranet.local:{port}/article" and got.data == ARTICLE


def test_the_resolve_parameter_overrides_the_module_resolver(port):
    got = fetch(f"http://wiki.corp:{port}/article", resolve=lambda host: ["127.0.0.1"])
    assert got.data == ARTICLE


def test_uses_the_environment_proxy(port, monkeypatch):
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{port}")
    got = fetch("http://far.example/page?q=1", resolve=lambda host: ["93.184.216.34"])
    assert got.data == b"proxied http://far.example/page?q=1"
    unresolvable = fetch("http://far.example/page", resolve=lambda host: [])  # the proxy resolves it
    assert unresolvable.data == b"proxied http://far.example/page"


def test_https_connects_to_the_checked_address_and_verifies_the_name(tls_port, monkeypatch):
    port, cert = tls_port
    monkeypatch.setenv("SSL_CERT_FILE", cert)  # trust the test certificate
    local = {"resolve": lambda host: ["127.0.0.1"], "timeout": 2}
    got = fetch(f"https://news.example:{port}/host", **local)  # type: ignore[arg-type]
    assert (got.content_type, got.data) == ("text/plain", f"news.example:{port}".encode())
    assert "not valid for 'other.example'" in refused(f"https://other.example:{port}/host", **local)
    monkeypatch.delenv("SSL_CERT_FILE")
    assert "TLS error" in refused(f"https://news.example:{port}/host", **local)  # an untrusted certificate


def test_an_international_host_name_is_sent_in_ascii(port):
    asked: list[str] = []
    got = fetch(f"http://b\u00fccher.example:{port}/host", resolve=lambda host: asked.append(host) or ["127.0.0.1"])
    assert got.data == f"xn--bcher-kva.example:{port}".encode() and asked == ["xn--bcher-kva.example"]
