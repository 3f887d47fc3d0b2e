"""Fetch an article by URL for ``briefing draft`` (the user typed the URL: an explicit request).

Standard library only (``http.client``). What ``fetch`` does, and refuses:

- Only ``http://`` and ``https://``; any other scheme (``file:``, ``ftp:``, ``data:``, ``javascript:``),
  typed or reached by a redirect, is refused. At most ``MAX_REDIRECTS`` redirects are followed.
- Every hop's host is resolved once with ``resolve`` (default: the module's ``resolve_host``, looked up
  at call time so tests can patch it) and the connection goes to one of *those* addresses, with the name
  sent in ``Host`` and, for HTTPS, used for SNI and certificate checking. The address checked is the
  address used, so DNS rebinding between the check and the connection is not possible.
- A host is public when every address it resolves to is public (``is_public_address``). The address
  the user typed may be private (an intranet page, ``127.0.0.1``) and redirects within non-public space
  are followed; but once the chain has reached a public host, a hop to a loopback, private, link-local,
  reserved, multicast or unspecified address is refused (a public page may not steer us into the LAN).
- Proxies: urllib's usual settings are honoured (``getproxies``/``proxy_bypass``: ``http_proxy``,
  ``https_proxy``, ``no_proxy``, system settings on macOS and Windows), as users behind a proxy need
  them. Then the *proxy* resolves and connects: hosts are checked by the addresses we can resolve
  ourselves (a name we cannot resolve counts as public) and no address is pinned.
- Connect and each read time out after ``timeout`` seconds, and the whole fetch, redirects included,
  after ``deadline`` (default ``FETCH_DEADLINE``): a server that trickles a byte at a time never trips
  the per-read limit, so a timer shuts the connection when the deadline passes. The body is read in
  chunks and refused beyond ``max_bytes`` (``Content-Length`` is checked first). Only
  ``ACCEPTED_TYPES`` are accepted. Every failure is a one-line ``UsageError`` naming the URL.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

from ..errors import UsageError
from ..settings import VERSION

MAX_FETCH_BYTES = 10 * 1024 * 1024
READ_TIMEOUT = 20.0  # seconds: connecting, and each read
FETCH_DEADLINE = 20.0  # seconds: the whole fetch, every redirect included (looked up at call time)
MAX_REDIRECTS = 5
ACCEPT = "text/html, application/pdf, text/plain;q=0.9, */*;q=0.1"
ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown", "application/pdf")
HINT = "check the URL, or save the page and draft from the file"
_SCHEMES = ("http", "https")
_REDIRECT_STATUSES = (301, 302, 303, 307, 308)
_CHUNK = 64 * 1024
_SAFE_URL_CHARS = "/?@!$&'()*+,;=%:"


@dataclass(frozen=True)
class Fetched:
    url: str  # the URL asked for
    final_url: str  # after redirects
    content_type: str  # e.g. 'text/html' (lower case, no parameters)
    charset: str | None
    data: bytes


def is_url(text: str) -> bool:
    """True for text starting ``http://`` or ``https://`` (any case)."""
    return text.strip().lower().startswith(("http://", "https://"))


def resolve_host(host: str) -> list[str]:
    """The IP addresses ``host`` resolves to, in the resolver's order, without repeats."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local, reserved,
    multicast or unspecified; an IPv4-mapped IPv6 address is judged by its IPv4 address)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved
                                 or ip.is_multicast or ip.is_unspecified)


class _Deadline:
    """The time left for the whole fetch; ``watch`` shuts a connection's socket when it runs out, which
    ends whatever read is waiting on it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self.socket: socket.socket | None = None  # the connection's, once connected

    def left(self, cap: float) -> float:
        return max(min(cap, self.end - time.monotonic()), 0.001)

    @contextmanager
    def watch(self, connection: http.client.HTTPConnection) -> Iterator[None]:
        def expire() -> None:
            self.expired = True
            # The connection hands its socket to a response that closes it, so the one seen last is kept.
            sock = connection.sock or self.socket
            if sock is not None:  # the plain socket's shutdown, under TLS too: the waiting read wakes
                with suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)

        timer = threading.Timer(self.end - time.monotonic(), expire)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()

    def error(self, url: str) -> UsageError:
        return UsageError(f"could not fetch {url!r}: it took longer than {self.seconds:g} s in all, the limit "
                          f"for one fetch (redirects included); {HINT}")


def fetch(url: str, *, timeout: float = READ_TIMEOUT, deadline: float | None = None,
          max_bytes: int = MAX_FETCH_BYTES, resolve: Callable[[str], list[str]] | None = None) -> Fetched:
    """GET ``url`` and return its body; see the module docstring for what is checked and refused.

    ``timeout`` bounds connecting and each read, ``deadline`` (default ``FETCH_DEADLINE``) the whole fetch."""
    resolver = resolve if resolve is not None else resolve_host
    limit = _Deadline(FETCH_DEADLINE if deadline is None else deadline)
    current, reached_public = url, False
    for _hop in range(MAX_REDIRECTS + 1):
        if time.monotonic() >= limit.end:  # the redirects so far took it all
            raise limit.error(url)
        parts, host = _parse(current, url)
        proxy = _proxy_for(parts.scheme, host, url)
        addresses = _addresses(host, resolver, url, proxied=proxy is not None)
        public = all(is_public_address(address) for address in addresses)
        if reached_public and not public:
            raise UsageError(f"refusing to fetch {url!r}: it redirects from a public address to {current!r}, "
                             f"which is on a local or private network ({', '.join(addresses)})")
        reached_public = reached_public or public
        try:
            result = _exchange(url, current, parts, host, addresses, proxy, timeout, max_bytes, limit)
        except (OSError, http.client.HTTPException) as error:
            if limit.expired:  # the read the deadline ended fails however it fails
                raise limit.error(url) from error
            raise _refused(url, timeout, error) from error
        if limit.expired:  # a body without a length ends at the shut connection, looking complete
            raise limit.error(url)
        if isinstance(result, Fetched):
            return result
        current = urljoin(current, result)
    raise UsageError(f"could not fetch {url!r}: more than {MAX_REDIRECTS} redirects (last to {current!r}); {HINT}")


def _refused(url: str, timeout: float, error: OSError | http.client.HTTPException) -> UsageError:
    """The one-line error for a fetch that failed on the network, in the TLS handshake or in HTTP."""
    if isinstance(error, TimeoutError):
        return UsageError(f"timed out after {timeout:g} s fetching {url!r}; {HINT}")
    if isinstance(error, ssl.SSLError):
        reason = str(getattr(error, "verify_message", None) or error.reason or error).rstrip(".")
        return UsageError(f"could not fetch {url!r}: TLS error ({reason}); {HINT}")
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return UsageError(f"could not fetch {url!r}: {reason}; {HINT}")


def _parse(current: str, url: str) -> tuple[SplitResult, str]:
    """``current`` split, with its host name in ASCII; refuses a scheme other than http(s)."""
    parts = urlsplit(current.strip())
    if parts.scheme.lower() not in _SCHEMES:
        via = "" if current == url else f" (it redirects to {current!r})"
        raise UsageError(f"refusing to fetch {url!r}{via}: only http:// and https:// URLs can be fetched")
    try:
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError as error:
        raise UsageError(f"could not fetch {url!r}: bad port in {current!r} ({error})") from error
    host = parts.hostname
    if not host:
        raise UsageError(f"could not fetch {url!r}: {current!r} names no host")
    try:
        return parts._replace(scheme=parts.scheme.lower()), host if host.isascii() else host.encode("idna").decode()
    except UnicodeError as error:
        raise UsageError(f"could not fetch {url!r}: {host!r} is not a valid host name") from error


def _addresses(host: str, resolver: Callable[[str], list[str]], url: str, *, proxied: bool) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]  # a literal address needs no lookup
    except ValueError:
        pass
    try:
        addresses = [str(address) for address in resolver(host)]
    except (OSError, UnicodeError) as error:
        if proxied:
            return []  # the proxy resolves names we cannot
        reason = getattr(error, "strerror", None) or str(error)
        raise UsageError(f"could not fetch {url!r}: host {host!r} not found ({reason}); {HINT}") from error
    if not addresses and not proxied:
        raise UsageError(f"could not fetch {url!r}: host {host!r} has no address; {HINT}")
    return addresses


def _proxy_for(scheme: str, host: str, url: str) -> tuple[str, int, dict[str, str]] | None:
    """(host, port, headers) of the proxy urllib would use for this scheme and host, or None."""
    setting = urllib.request.getproxies().get(scheme)
    if not setting or urllib.request.proxy_bypass(host):
        return None
    proxy = urlsplit(setting if "://" in setting else f"http://{setting}")
    try:
        port = proxy.port or 80
    except ValueError as error:
        raise UsageError(f"could not fetch {url!r}: bad proxy setting {setting!r} ({error})") from error
    headers: dict[str, str] = {}
    if proxy.username is not None:
        login = f"{unquote(proxy.username)}:{unquote(proxy.password or '')}".encode()
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(login).decode("ascii")
    return proxy.hostname or "", port, headers


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to one of the checked ``addresses`` (in order) instead of resolving ``host`` again."""

    def __init__(self, host: str, port: int, addresses: list[str], timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.addresses = addresses

    def connect(self) -> None:
        last: OSError = OSError(f"no address for {self.host}")
        for address in self.addresses:
            try:
                self.sock = socket.create_connection((address, self.port), self.timeout)
                return
            except OSError as error:
                last = error
        raise last


class _PinnedHTTPS(_PinnedHTTP):
    def connect(self) -> None:
        super().connect()
        self.sock = ssl.create_default_context().wrap_socket(self.sock, server_hostname=self.host)


def _exchange(url: str, current: str, parts: SplitResult, host: str, addresses: list[str],
              proxy: tuple[str, int, dict[str, str]] | None, timeout: float, max_bytes: int,
              limit: _Deadline) -> Fetched | str:
    """One request: the ``Fetched`` body, or a redirect's ``Location`` (checked for its scheme)."""
    timeout = limit.left(timeout)  # connecting may not outlast the deadline either
    port = parts.port or (443 if parts.scheme == "https" else 80)
    bracketed = f"[{host}]" if ":" in host else host
    headers = {"Host": bracketed if parts.port is None else f"{bracketed}:{port}",
               "User-Agent": f"briefing/{VERSION}", "Accept": ACCEPT}
    target = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=_SAFE_URL_CHARS)
    connection: http.client.HTTPConnection
    if proxy is None:
        pinned = _PinnedHTTPS if parts.scheme == "https" else _PinnedHTTP
        connection = pinned(host, port, addresses, timeout)
    elif parts.scheme == "https":
        connection = http.client.HTTPSConnection(proxy[0], proxy[1], timeout=timeout)
        connection.set_tunnel(host, port, headers=proxy[2])
    else:
        connection = http.client.HTTPConnection(proxy[0], proxy[1], timeout=timeout)
        headers.update(proxy[2])
        target = f"http://{headers['Host']}{target}"
    try:
        with limit.watch(connection):
            return _answer(url, current, connection, target, headers, max_bytes, limit)
    finally:
        connection.close()


def _answer(url: str, current: str, connection: http.client.HTTPConnection, target: str, headers: dict[str, str],
            max_bytes: int, limit: _Deadline) -> Fetched | str:
    connection.request("GET", target, headers=headers)
    limit.socket = connection.sock
    response = connection.getresponse()
    via = "" if current == url else f" (redirected to {current!r})"
    if response.status in _REDIRECT_STATUSES:
        location = (response.getheader("Location") or "").strip()
        if not location:
            raise UsageError(f"could not fetch {url!r}{via}: HTTP {response.status} redirect with no Location")
        _parse(urljoin(current, location), url)  # refuse a file:, ftp:, ... target before anything else
        return location
    if not 200 <= response.status < 300:
        raise UsageError(f"could not fetch {url!r}{via}: the server answered HTTP {response.status} "
                         f"{response.reason}; {HINT}")
    content_type = (response.getheader("Content-Type") or "").split(";", 1)[0].strip().lower()
    if content_type and content_type not in ACCEPTED_TYPES:
        raise UsageError(f"could not fetch {url!r}{via}: its content type {content_type!r} is not supported "
                         f"(accepted: {', '.join(ACCEPTED_TYPES)}); {HINT}")
    length = (response.getheader("Content-Length") or "").strip()
    too_big = UsageError(f"could not fetch {url!r}{via}: it is larger than {max_bytes:,} bytes; "
                         "save the page and draft from the file")
    if length.isdigit() and int(length) > max_bytes:
        raise too_big
    chunks, received = [], 0
    while chunk := response.read(_CHUNK):
        chunks.append(chunk)
        received += len(chunk)
        if received > max_bytes:
            raise too_big
    data = b"".join(chunks)
    return Fetched(url, current, content_type or _sniff(data), response.headers.get_content_charset(), data)


def _sniff(data: bytes) -> str:
    """A content type for a response that declared none."""
    head = data[:1024].lstrip()
    return "application/pdf" if head.startswith(b"%PDF-") else "text/html" if head.startswith(b"<") else "text/plain"
