"""Fetching shared links' titles from a local web server: og:title beats <title>, a 404 or
a page without a title is ``failed``, a private address is refused unless the setting
allows it, the job is idempotent; links are normalised before they are counted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import Connection, select

from staffroom.config import Settings
from staffroom.db.tables_events import link_titles
from staffroom.jobs.queue import enqueue
from staffroom.runtime import Runtime
from staffroom.services import chat_resources
from staffroom.services import link_titles as fetching

PAGES = {
    "/og": b'<html><head><title>Plain title</title><meta property="og:title" '
    b'content="  The  og title "></head><body>x</body></html>',
    "/plain": b"<html><head><title>\n  Just a &amp; title\n</title></head></html>",
    "/long": b"<title>" + b"w" * 400 + b"</title>",
    "/none": b"<html><body>no title</body></html>",
    "/moved": b"",
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/plain")
            self.end_headers()
            return
        body = PAGES.get(self.path)
        self.send_response(200 if body is not None else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body or b"<title>Not found</title>")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(fetch_private_links=True)


def _state(runtime: Runtime, url: str) -> tuple[str, str | None]:
    def read(conn: Connection) -> tuple[str, str | None]:
        row = conn.execute(
            select(link_titles.c.state, link_titles.c.title).where(
                link_titles.c.url_hash == chat_resources.url_hash(url)
            )
        ).one()
        return row.state, row.title

    return runtime.db.read(read)


def test_titles_are_fetched_og_title_first_and_failures_recorded(
    runtime: Runtime, site: str
) -> None:
    urls = [f"{site}{p}" for p in ("/og", "/plain", "/long", "/none", "/moved", "/missing")]
    assert runtime.db.write(chat_resources.request_titles, urls) == len(urls)
    assert _state(runtime, f"{site}/og") == ("fetched", "The og title")
    assert _state(runtime, f"{site}/plain") == ("fetched", "Just a & title")
    assert _state(runtime, f"{site}/long") == ("fetched", "w" * 300)
    assert _state(runtime, f"{site}/none") == ("failed", None)
    assert _state(runtime, f"{site}/moved") == ("fetched", "Just a & title")
    assert _state(runtime, f"{site}/missing") == ("failed", None)
    # asked again: nothing is queued, and a re-run job leaves a finished row alone
    assert runtime.db.write(chat_resources.request_titles, urls) == 0
    digest = chat_resources.url_hash(f"{site}/og")
    runtime.db.write(enqueue, "fetch_link_title", {"url_hash": digest})
    assert _state(runtime, f"{site}/og") == ("fetched", "The og title")


def test_a_private_address_is_refused_when_the_setting_is_off(runtime: Runtime, site: str) -> None:
    with pytest.raises(fetching.FetchRefused, match="private"):
        fetching.fetch_title(f"{site}/og")
    with pytest.raises(fetching.FetchRefused, match="only http"):
        fetching.fetch_title("file:///etc/passwd", allow_private=True)
    assert fetching.fetch_title(f"{site}/og", allow_private=True) == "The og title"
    for address in ("127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "fe80::1"):
        assert not fetching.allowed_address(address)
    assert not fetching.allowed_address("::ffff:127.0.0.1")
    assert fetching.allowed_address("93.184.216.34")
    off = runtime.settings.with_overrides(fetch_private_links=False)
    strict = Runtime.build(off)
    try:
        strict.db.write(chat_resources.request_titles, [f"{site}/plain"])
        assert _state(strict, f"{site}/plain") == ("failed", None)
    finally:
        strict.close()


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("https://Example.ORG:443/a?utm_source=x&b=1#top", "https://example.org/a?b=1"),
        ("HTTP://example.org:80", "http://example.org/"),
        ("http://example.org:8080/x?utm_medium=y", "http://example.org:8080/x"),
        ("example.org/path?q=1", "http://example.org/path?q=1"),
        ("https://example.org/a?z=1&a=2", "https://example.org/a?z=1&a=2"),
    ],
)
def test_links_are_normalised(typed: str, normal: str) -> None:
    assert chat_resources.normalise(typed) == normal
