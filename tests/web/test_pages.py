"""The home page, page furniture (landmarks, CSP), static files and default images."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable

from starlette.testclient import TestClient

from staffroom.web.assets import asset_url
from tests.conftest import User
from tests.oauth.helpers import sign_in


def test_signed_out_home_page(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-frame-options"] == "DENY"
    html = page.text
    assert '<html lang="en">' in html
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert "<header" in html and "<nav" in html and "<footer" in html
    assert 'href="/auth/sign_in"' in html and 'href="/auth/sign_up"' in html
    assert re.findall(r"<script[^>]*>", html) == [f'<script src="{asset_url("js")}" defer>']


def test_signed_in_home_page(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    html = client.get("/").text
    assert "<h1>Home</h1>" in html and "@alice" in html  # the timeline (test_timeline_pages)
    assert 'action="/auth/sign_out"' in html and 'name="authenticity_token"' in html


def test_stylesheet(client: TestClient) -> None:
    css = client.get(asset_url("css"))
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert ".skip-link" in css.text
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert re.fullmatch(r"/static/app\.[0-9a-f]{12}\.css", asset_url("css"))


def test_assets_are_gzipped_and_a_stale_fingerprint_is_not_cached_for_long(
    client: TestClient,
) -> None:
    fresh = client.get(asset_url("js"), headers={"Accept-Encoding": "gzip"})
    assert fresh.headers["content-encoding"] == "gzip"
    assert fresh.headers["content-type"].startswith("text/javascript")
    stale = client.get("/static/app.000000000000.js")
    assert stale.status_code == 200 and stale.headers["cache-control"] == "no-cache"
    assert client.get("/static/app.000000000000.exe").status_code == 404


def test_html_is_gzipped(client: TestClient) -> None:
    raw = client.get("/", headers={"Accept-Encoding": "gzip"}, extensions={})
    assert raw.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in raw.headers["vary"]
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert gzip.compress(plain.content)  # the same page either way


def test_default_images(client: TestClient) -> None:
    for path, size in (
        ("/avatars/original/missing.png", (120, 120)),
        ("/headers/original/missing.png", (300, 100)),
    ):
        image = client.get(path)
        assert image.status_code == 200 and image.headers["content-type"] == "image/png"
        data = image.content
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert (width, height) == size


def test_unknown_page_is_html_404(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
