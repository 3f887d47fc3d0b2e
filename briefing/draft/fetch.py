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
- Connect and each read time out after ``timeout`` seconds; the body is read in chunks and refused
  beyond ``max_bytes`` (``Content-Length`` is checked first). Only ``ACCEPTED_TYPES`` are accepted.
  Every failure is a one-line ``UsageError`` naming the URL.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import SplitResult, quote, unquote, urljoin, urlsplit

from ..errors import UsageError
from ..settings import VERSION

MAX_FETCH_BYTES = 10 * 1024 * 1024
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


def fetch(url: str, *, timeout: float = 20.0, max_bytes: int = MAX_FETCH_BYTES,
          resolve: Callable[[str], list[str]] | None = None) -> Fetched:
    """GET ``url`` and return its body; see the module docstring for what is checked and refused."""
    resolver = resolve if resolve is not None else resolve_host
    current, reached_public = url, False
    for _hop in range(MAX_REDIRECTS + 1):
        parts, host = _parse(current, url)
        proxy = _proxy_for(parts.scheme, host, url)
        addresses = _addresses(host, resolver, url, proxied=proxy is not None)
        public = all(is_public_address(address) for address in addresses)
        if reached_public and not public:
            raise UsageError(f"refusing to fetch {url!r}: it redirects from a public address to {current!r}, "
                             f"which is on a local or private network ({', '.join(addresses)})")
        reached_public = reached_public or public
        try:
            result = _exchange(url, current, parts, host, addresses, proxy, timeout, max_bytes)
        except TimeoutError as error:
            raise UsageError(f"timed out after {timeout:g} s fetching {url!r}; {HINT}") from error
        except ssl.SSLError as error:
            reason = str(getattr(error, "verify_message", None) or error.reason or error).rstrip(".")
            raise UsageError(f"could not fetch {url!r}: TLS error ({reason}); {HINT}") from error
        except (OSError, http.client.HTTPException) as error:
            reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
            raise UsageError(f"could not fetch {url!r}: {reason}; {HINT}") from error
        if isinstance(result, Fetched):
            return result
        current = urljoin(current, result)
    raise UsageError(f"could not fetch {url!r}: more than {MAX_REDIRECTS} redirects (last to {current!r}); {HINT}")


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
              proxy: tuple[str, int, dict[str, str]] | None, timeout: float, max_bytes: int) -> Fetched | str:
    """One request: the ``Fetched`` body, or a redirect's ``Location`` (checked for its scheme)."""
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
        connection.request("GET", target, headers=headers)
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
    finally:
        connection.close()
    return Fetched(url, current, content_type or _sniff(data), response.headers.get_content_charset(), data)


def _sniff(data: bytes) -> str:
    """A content type for a response that declared none."""
    head = data[:1024].lstrip()
    return "application/pdf" if head.startswith(b"%PDF-") else "text/html" if head.startswith(b"<") else "text/plain"
