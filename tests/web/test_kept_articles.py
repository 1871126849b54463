"""Post articles are rendered once and kept for every viewer (web/articles.py): a kept article
is exactly what a fresh rendering gives, each viewer still sees their own buttons and counts,
a changed post or author is rendered again, and an article holds nothing of the request."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from staffroom.services.login import SessionUser
from staffroom.services.media_views import MediaView
from staffroom.services.status_views import StatusView
from staffroom.web import articles, i18n, render

ALICE = SessionUser(1, "alice", "Alice <Teacher>", None)
BOB = SessionUser(2, "bob", "", None)
PAGE = "{% for view in views %}{{ status(view) }}\n{% endfor %}"


def _account(account_id: int, username: str, display_name: str, avatar: str | None = None) -> Any:
    return SimpleNamespace(
        id=account_id, username=username, display_name=display_name, avatar_path=avatar
    )


def _row(post_id: int, **changes: Any) -> Any:
    values: dict[str, Any] = {
        "id": post_id,
        "language": "en",
        "created_at": datetime(2026, 12, 3, 8, 46, 0, 123000, tzinfo=UTC),
        "spoiler_text": "",
        "content_html": '<p>Hello &amp; <a href="/tags/x">#x</a></p>',
        "replies_count": 0,
        "reblogs_count": 3,
        "favourites_count": 12345,
        "visibility": 0,
        "edited_at": None,
    }
    values.update(changes)
    return SimpleNamespace(**values)


ACCOUNTS = {
    "alice": _account(1, "alice", "Alice <Teacher>", "/system/avatars/1.png"),
    "bob": _account(2, "bob", ""),
    "carol": _account(3, "carol", 'Carol "&" Co'),
}
ROWS = {
    10: _row(10, replies_count=1000, reblogs_count=999),
    11: _row(11, visibility=2),
    12: _row(12, visibility=2),
    20: _row(20, spoiler_text="Marking <spoilers>", language=None),
    21: _row(21),
    22: _row(22),
    23: _row(23),
    24: _row(24, reblogs_count=-5, favourites_count=2_000_000),
}


def _views(**flags: bool) -> list[StatusView]:
    """The same posts (the same row objects, as status_views hands them out), with the
    viewer's ``flags`` (favourited, reblogged, bookmarked) on every one."""
    a, b, c = ACCOUNTS["alice"], ACCOUNTS["bob"], ACCOUNTS["carol"]
    return [
        StatusView(ROWS[10], a, **flags),  # alice's own
        StatusView(ROWS[11], b, **flags),  # bob's followers-only
        StatusView(ROWS[12], a, **flags),  # alice's own followers-only
        StatusView(ROWS[21], c, reblog=StatusView(ROWS[20], b, **flags)),  # carol reposted bob
        StatusView(ROWS[22], b, reblog=StatusView(ROWS[23], c, **flags)),
        StatusView(ROWS[24], c, **flags),
    ]


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    articles.forget_articles()
    yield
    articles.forget_articles()
    i18n.activate(i18n.SOURCE_LOCALE)


def _page(views: list[StatusView], viewer: SessionUser | None, locale: str = "en") -> str:
    i18n.activate(locale)
    return render._env.from_string(PAGE).render(
        views=views, viewer=viewer, base_url="https://staff.example", lang=locale
    )


def _articles(html: str) -> dict[str, str]:
    found = re.findall(r'(<article[^>]*data-status-id="(\d+)".*?</article>)', html, re.S)
    return {status_id: article for article, status_id in found}


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("viewer", [ALICE, BOB, None], ids=["author", "other", "signed-out"])
def test_a_kept_article_is_what_a_fresh_rendering_gives(
    locale: str, viewer: SessionUser | None
) -> None:
    first = _page(_views(favourited=True), viewer, locale)
    kept = _page(_views(favourited=True), viewer, locale)
    articles.forget_articles()
    fresh = _page(_views(favourited=True), viewer, locale)

    assert first == kept == fresh
    assert first.count("<article") == 6


def test_every_viewer_sees_their_own_buttons_on_a_kept_article() -> None:
    alice_page = _articles(_page(_views(favourited=True, bookmarked=True), ALICE))
    bob_page = _articles(_page(_views(), BOB))
    signed_out = _articles(_page(_views(), None))

    # alice wrote 10 and 12: a delete button for her only; she favourited and bookmarked all
    assert "data-key-delete" in alice_page["10"] and "data-key-delete" not in bob_page["10"]
    assert 'data-key-unfavourite aria-pressed="true"' in alice_page["24"]
    assert 'data-key-favourite aria-pressed="false"' in bob_page["24"]
    assert "Bookmarked: undo" in alice_page["24"] and "Bookmarked" not in bob_page["24"]
    # a followers-only post may be reposted by its author only (the visibility policy)
    assert "data-key-reblog" in alice_page["12"] and "data-key-reblog" not in bob_page["12"]
    assert "data-key-reblog" not in alice_page["11"] and "data-key-reblog" in bob_page["11"]
    assert "data-key-reblog" in bob_page["24"]
    # only the author may pin, and sees whether it is pinned
    assert "data-key-pin " in alice_page["10"] and "data-key-pin" not in bob_page["10"]
    pinned = _articles(_page([StatusView(ROWS[10], ACCOUNTS["alice"], pinned=True)], ALICE))
    assert 'data-key-unpin aria-pressed="true"' in pinned["10"]
    assert "data-key-pin " in bob_page["11"]  # bob's own followers-only post
    # signed out: the reply link and no button at all
    assert "data-key-reply" in signed_out["24"] and "<button" not in signed_out["24"]


def test_a_changed_post_or_author_is_rendered_again() -> None:
    before = _articles(_page(_views(), BOB))["24"]
    ROWS[24] = _row(
        24,
        reblogs_count=-5,
        favourites_count=2_000_001,
        edited_at=datetime(2026, 12, 4, tzinfo=UTC),
    )
    ACCOUNTS["carol"] = _account(3, "carol", "Carol <Renamed>", "/system/avatars/3.png")
    try:
        after = _articles(_page(_views(), BOB))["24"]
    finally:
        ROWS[24] = _row(24, reblogs_count=-5, favourites_count=2_000_000)
        ACCOUNTS["carol"] = _account(3, "carol", 'Carol "&" Co')

    assert "Favourite (2,000,000)" in before and "Carol &#34;&amp;&#34; Co" in before
    assert "Favourite (2,000,001)" in after and "Carol &lt;Renamed&gt;" in after
    assert "/history" not in before
    assert 'src="https://staff.example/system/avatars/3.png"' in after
    assert 'href="/@carol/24/history">edited</a>' in after


def test_each_language_keeps_its_own_articles() -> None:
    english = _articles(_page(_views(), BOB, "en"))["24"]
    spanish = _articles(_page(_views(), BOB, "es"))["24"]

    assert "Bookmark<" in english and "Favourite (2,000,000)" in english
    assert "Guardar<" in spanish and "Favorito (2.000.000)" in spanish
    assert 'lang="en"' in english  # the post's own language


def test_an_article_holds_nothing_of_the_request() -> None:
    """Its buttons submit the page's one form (``post-actions``, in base.html), which carries
    the CSRF token and where to come back to; the article itself has neither."""
    article = _articles(_page(_views(), ALICE))["10"]

    assert "authenticity_token" not in article and "<form" not in article
    buttons = re.findall(r"<button[^>]*>", article)
    assert len(buttons) == 5  # repost, favourite, bookmark, pin, delete
    assert all('form="post-actions"' in b and 'formaction="/web/statuses/10/' in b for b in buttons)


def _photo(description: str) -> MediaView:
    return MediaView(
        77,
        "image",
        "ready",
        "/system/media_attachments/k/original.jpg",
        "/system/media_attachments/k/small.jpg",
        1200,
        800,
        480,
        320,
        "LKO2?U%2Tw=w",
        description,
        0.0,
        0.0,
    )


def test_an_article_shows_its_images_and_is_rendered_again_when_they_change() -> None:
    """Media are part of what a kept article is checked against: a new description (a new
    media tuple, as status_views hands out after a change) is rendered again."""
    row, author = ROWS[24], ACCOUNTS["carol"]
    before = _articles(_page([StatusView(row, author, media=(_photo("A seating plan"),))], BOB))
    kept = _articles(_page([StatusView(row, author, media=(_photo("A seating plan"),))], BOB))
    after = _articles(_page([StatusView(row, author, media=(_photo("Desks in rows"),))], BOB))
    bare = _articles(_page([StatusView(row, author, media=(_photo(""),))], BOB))

    image = re.search(r"<img [^>]*small\.jpg[^>]*>", before["24"])
    assert image is not None
    tag = image.group(0)
    assert 'alt="A seating plan"' in tag and 'loading="lazy"' in tag
    assert 'width="480"' in tag and 'height="320"' in tag
    assert 'href="https://staff.example/system/media_attachments/k/original.jpg"' in before["24"]
    assert ">ALT</span>" in before["24"]
    assert before == kept
    assert 'alt="Desks in rows"' in after["24"] and "A seating plan" not in after["24"]
    assert ">ALT</span>" not in bare["24"] and 'alt=""' in bare["24"]
    assert "authenticity_token" not in after["24"] and "<form" not in after["24"]
