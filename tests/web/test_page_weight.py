"""Page weight: what a browser transfers for the signed-in home page with 20 posts.

First visit: the gzipped HTML plus the gzipped CSS and JavaScript bundles the page links
to, at most 60 KB. A later visit: the HTML alone (the bundles are cached for a year,
``immutable``), at most 20 KB. Sizes are the bytes on the wire (``iter_raw``: before httpx
decompresses). Every image states its size and loads lazily.
"""

from __future__ import annotations

import gzip
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from starlette.testclient import TestClient

from staffroom.text import weighted_length
from tests.conftest import User
from tests.oauth.helpers import sign_in

FIRST_VISIT_LIMIT = 60 * 1024
LATER_VISIT_LIMIT = 20 * 1024
POSTS = 24


@dataclass
class Wire:
    """One response as transferred."""

    url: str
    status: int
    encoding: str
    cache_control: str
    raw: bytes

    @property
    def size(self) -> int:
        return len(self.raw)

    @property
    def text(self) -> str:
        body = gzip.decompress(self.raw) if self.encoding == "gzip" else self.raw
        return body.decode("utf-8")


def fetch(client: TestClient, url: str) -> Wire:
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        raw = b"".join(response.iter_raw())
        return Wire(
            url,
            response.status_code,
            response.headers.get("content-encoding", ""),
            response.headers.get("cache-control", ""),
            raw,
        )


@dataclass
class Assets(HTMLParser):
    stylesheets: list[str] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    images: list[dict[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and "stylesheet" in a.get("rel", "").split():
            self.stylesheets.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"])
        elif tag == "img":
            self.images.append(a)


_OPENINGS = [
    "Exit tickets: three words on a sticky note tell you more than a quiz does.",
    "Tonight we talk feedback that students actually read; bring one idea that worked.",
    "Cold-calling with names on lolly sticks kept every hand in the game in Year 9.",
    "Reading aloud the first page of a novel together changed how my class started it.",
    "Mini whiteboards again: thirty answers at once, and nobody hides behind a friend.",
    "A seating plan by ability did less than pairing quiet talkers with patient ones.",
]


def _text(i: int) -> str:
    """A realistic post: up to 140 characters, varied, with a link and a hashtag."""
    tag = ("#ELTChat", "#lrnchat", "#edchat")[i % 3]
    link = f"https://example.org/n/{1000 + i * 37}"
    text = f"{_OPENINGS[i % len(_OPENINGS)]} Try it this week! {tag} {link}"
    assert 120 <= weighted_length(text) <= 140, (text, weighted_length(text))
    return text


@pytest.fixture
def reader(client: TestClient, make_user: Callable[..., User]) -> User:
    author = make_user("ana_rivera")
    reader = make_user("ben_okafor")
    assert (
        client.post(f"/api/v1/accounts/{author.id}/follow", headers=reader.headers).status_code
        == 200
    )
    for i in range(POSTS):
        answer = client.post("/api/v1/statuses", headers=author.headers, json={"status": _text(i)})
        assert answer.status_code == 200, answer.text
    sign_in(client, reader.email, reader.password)
    return reader


def test_the_home_page_with_20_posts_is_light(client: TestClient, reader: User) -> None:
    html = fetch(client, "/")
    assert html.status == 200 and html.encoding == "gzip", (html.status, html.encoding)
    page = html.text
    assert page.count('<article class="status"') == 20, page.count('<article class="status"')
    assert "example.org/n/" in page

    found = Assets()
    found.feed(page)
    assert len(found.stylesheets) == 1 and len(found.scripts) == 1, (
        found.stylesheets,
        found.scripts,
    )
    bundles = [fetch(client, url) for url in (*found.stylesheets, *found.scripts)]
    for bundle in bundles:
        assert bundle.status == 200 and bundle.encoding == "gzip", (bundle.url, bundle.encoding)
        directives = {d.strip() for d in bundle.cache_control.split(",")}
        assert {"max-age=31536000", "immutable"} <= directives, (bundle.url, bundle.cache_control)

    first = html.size + sum(b.size for b in bundles)
    figures = ", ".join(f"{w.url} {w.size:,} B" for w in (html, *bundles))
    assert first <= FIRST_VISIT_LIMIT, (
        f"first visit transfers {first:,} B > {FIRST_VISIT_LIMIT:,} B ({figures})"
    )
    assert html.size <= LATER_VISIT_LIMIT, (
        f"a later visit (HTML only) transfers {html.size:,} B > {LATER_VISIT_LIMIT:,} B "
        f"(uncompressed {len(page.encode()):,} B)"
    )
    print(f"\npage weight: first visit {first:,} B ({figures}); later visit {html.size:,} B")


def test_every_image_states_its_size_and_loads_lazily(client: TestClient, reader: User) -> None:
    found = Assets()
    found.feed(fetch(client, "/").text)
    assert found.images, "the timeline shows avatars"
    for image in found.images:
        if "brand" in image.get("class", "").split():
            continue
        assert image.get("width") and image.get("height"), f"no width/height: {image}"
        assert image.get("loading") == "lazy", f"not loading=lazy: {image}"
