"""Fetching a shared link's page title (``og:title``, else ``<title>``) for a transcript's
resource list, guarded against server-side request forgery (decision 0026).

Limits: http/https only, 5 seconds per connection, at most 256 KB read, at most 3
redirects (each one checked again). The host's addresses are resolved here and the
connection goes to the checked address (no second lookup an attacker could answer
differently); private, loopback, link-local, multicast, reserved and unspecified
addresses are refused unless ``Settings.fetch_private_links`` (tests fetch from a local
server). Standard library only.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

TIMEOUT = 5.0
MAX_BYTES = 256 * 1024
MAX_REDIRECTS = 3
MAX_TITLE = 300
USER_AGENT = "Staffroom link titles (+https://github.com/staffroom)"


class FetchRefused(Exception):
    """The URL may not be fetched (scheme, address) or did not give a page."""


def fetch_title(url: str, *, allow_private: bool = False) -> str | None:
    """The page's title (trimmed, at most 300 characters), ``None`` if it has none;
    :class:`FetchRefused` for a refused address, an error status or a failed connection."""
    for _ in range(MAX_REDIRECTS + 1):
        status, location, body = _get(url, allow_private)
        if status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            continue
        if status != 200:
            raise FetchRefused(f"HTTP {status}")
        return title_of(body.decode("utf-8", "replace"))
    raise FetchRefused("too many redirects")


def title_of(html: str) -> str | None:
    """``og:title`` if the page has one, else its ``<title>``; trimmed, whitespace folded."""
    parser = _TitleParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient; a broken page still keeps what was found
        pass
    for found in (parser.og_title, "".join(parser.title_parts)):
        text = " ".join((found or "").split())
        if text:
            return text[:MAX_TITLE]
    return None


class _TitleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.og_title: str | None = None
        self.title_parts: list[str] = []
        self._in_title = False
        self._title_done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta" and self.og_title is None:
            values = dict(attrs)
            if (values.get("property") or values.get("name") or "").lower() == "og:title":
                self.og_title = values.get("content") or None
        elif tag == "title" and not self._title_done:
            self._in_title = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self._in_title:
            self._in_title = False
            self._title_done = True

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)


def allowed_address(address: str) -> bool:
    """May a public fetch connect to ``address``? (Not private, loopback, link-local...)"""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def _resolve(host: str, port: int, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchRefused(f"cannot resolve {host}") from exc
    # IPv4 first: a host without an IPv6 route still connects
    addresses = sorted({str(info[4][0]) for info in infos}, key=lambda a: ":" in a)
    if not addresses:
        raise FetchRefused(f"cannot resolve {host}")
    if not allow_private and not all(allowed_address(a) for a in addresses):
        raise FetchRefused(f"{host} is a private address")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    """Connects to a checked address while asking for the URL's host."""

    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), TIMEOUT)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str) -> None:
        super().__init__(host, port, timeout=TIMEOUT, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), TIMEOUT)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


def _get(url: str, allow_private: bool) -> tuple[int, str | None, bytes]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise FetchRefused("only http and https links are fetched")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError as exc:
        raise FetchRefused("bad port") from exc
    host = parts.hostname
    address = _resolve(host, port, allow_private)
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    conn = kind(host, port, address)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    try:
        conn.request(
            "GET",
            path,
            headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*;q=0.5"},
        )
        response = conn.getresponse()
        content_type = (response.getheader("Content-Type") or "text/html").lower()
        is_page = "html" in content_type or "xml" in content_type
        body = response.read(MAX_BYTES) if response.status == 200 and is_page else b""
        return response.status, response.getheader("Location"), body
    except (OSError, http.client.HTTPException) as exc:
        raise FetchRefused(str(exc) or type(exc).__name__) from exc
    finally:
        conn.close()
