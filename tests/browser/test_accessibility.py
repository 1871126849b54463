"""axe-core finds no serious or critical accessibility violation on any main page, in English
and Spanish, signed in and out; every page is also captured at desktop and phone width.

Add a page with one line in ``PAGES``: a name (screenshots are named after it), the path
(``{author}``, ``{reader}``, ``{post_id}``, ``{reader_post_id}``, ``{tag}``,
``{authorize_query}``, ``{pack_id}``, ``{event_id}``, ``{series_id}``, ``{topic_event_id}``,
``{wall_event_id}`` are filled from the session's world), and who looks at it: ``OUT``
(signed out), ``IN`` (the reader, signed in) or ``BOTH``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import (
    LANGUAGES,
    Contexts,
    World,
    axe_violations,
    check_axe,
    publish_screenshots,
    screenshot,
)

OUT, IN, BOTH = ("out",), ("in",), ("out", "in")

PAGES: list[tuple[str, str, tuple[str, ...]]] = [
    ("home", "/", BOTH),
    ("sign-in", "/auth/sign_in", OUT),
    ("sign-up", "/auth/sign_up", OUT),
    ("post", "/@{author}/{post_id}", BOTH),
    ("post-history", "/@{author}/{post_id}/history", BOTH),
    ("quote", "/@{author}/{post_id}/quote", IN),
    ("post-history-media", "/@{reader}/{reader_post_id}/history", BOTH),
    ("post-edit-media", "/@{reader}/{reader_post_id}/edit", IN),
    ("authorize", "/oauth/authorize?{authorize_query}", IN),
    ("profile", "/@{author}", BOTH),
    ("following", "/@{author}/following", BOTH),
    ("followers", "/@{author}/followers", BOTH),
    ("network", "/@{reader}/network", IN),
    ("tag", "/tags/{tag}", BOTH),
    ("explore", "/explore", BOTH),
    ("admin-trends", "/admin/trends", IN),
    ("notifications", "/notifications", IN),
    ("notification-requests", "/notifications/requests", IN),
    ("settings-notifications", "/settings/notifications", IN),
    ("search", "/search?q=exit", BOTH),
    ("search-posts", "/search?type=statuses&q=%22exit%20tickets%22%20from%3A{author}", BOTH),
    ("bookmarks", "/bookmarks", IN),
    ("favourites", "/favourites", IN),
    ("settings-profile", "/settings/profile", IN),
    ("settings-account", "/settings/account", IN),
    ("settings-sessions", "/settings/sessions", IN),
    ("settings-filters", "/settings/filters", IN),
    ("settings-filter-new", "/settings/filters/new", IN),
    ("scheduled", "/scheduled", IN),
    ("scheduled-edit", "/scheduled/{scheduled_id}/edit", IN),
    ("conversations", "/conversations", IN),
    ("help", "/help", BOTH),
    ("help-following", "/help/following", BOTH),
    ("help-network", "/help/network", BOTH),
    ("deck", "/deck", IN),
    ("lists", "/lists", IN),
    ("settings-tags", "/settings/tags", IN),
    ("directory", "/directory", BOTH),
    ("settings-directory", "/settings/directory", IN),
    ("help-directory", "/help/directory", BOTH),
    ("welcome", "/welcome", IN),
    ("packs", "/packs", IN),
    ("pack", "/packs/{pack_id}", BOTH),
    ("pack-edit", "/packs/{pack_id}/edit", IN),
    ("account-packs", "/@{reader}/packs", BOTH),
    ("settings-packs", "/settings/packs", IN),
    ("help-packs", "/help/packs", BOTH),
    ("events", "/events", BOTH),
    ("event", "/events/{event_id}", BOTH),
    ("event-new", "/events/new", IN),
    ("event-edit", "/events/{event_id}/edit", IN),
    ("series", "/series/{series_id}", BOTH),
    ("settings-calendar", "/settings/calendar", IN),
    ("suggestions", "/suggestions", IN),
    ("help-who-to-follow", "/help/who-to-follow", BOTH),
    ("event-topics", "/events/{topic_event_id}/topics", BOTH),
    ("wall", "/events/{wall_event_id}/wall", BOTH),
    ("wall-moderate", "/events/{wall_event_id}/wall/moderate", IN),
    ("qa", "/events/{wall_event_id}/qa", BOTH),
    ("qa-speaker", "/events/{wall_event_id}/qa/speaker", IN),
    ("help-wall", "/help/wall", BOTH),
]

CASES = [
    pytest.param(name, path, who, lang, id=f"{name}-{who}-{lang}")
    for name, path, whom in PAGES
    for who in whom
    for lang in LANGUAGES
]


def open_page(
    contexts: Contexts, world: World, path: str, who: str, lang: str, **options: Any
) -> Any:
    """Open ``path`` as ``who`` in ``lang``; the page must answer 200 in that language."""
    person = world.reader if who == "in" else None
    page = contexts.page(lang=lang, person=person, **options)
    url = path.format(**world.values())
    response = page.goto(url)
    assert response is not None and response.status == 200, (
        f"{url} answered {response and response.status}"
    )
    signed_in = page.locator("body[data-signed-in]").count() == 1
    assert signed_in == (who == "in"), f"{url}: expected signed {who}"
    page_lang = page.evaluate("() => document.documentElement.lang")
    assert page_lang.split("-")[0] == lang, f"{url}: <html lang={page_lang!r}>, wanted {lang}"
    return page


@pytest.mark.parametrize(("name", "path", "who", "lang"), CASES)
def test_no_serious_axe_violations(
    contexts: Contexts, world: World, name: str, path: str, who: str, lang: str
) -> None:
    page = open_page(contexts, world, path, who, lang, bypass_csp=True)
    check_axe(page)
    if lang == "en":
        screenshot(page, f"{name}-{who}")
        if name == "home" and who == "in":
            publish_screenshots(page, "home-timeline")


def test_axe_does_report_a_serious_violation(contexts: Contexts, world: World) -> None:
    """The check is live: an image without a text alternative is a critical violation."""
    page = open_page(contexts, world, "/auth/sign_in", "out", "en", bypass_csp=True)
    page.evaluate(
        """() => { const img = document.createElement('img'); img.src = '/favicon.ico';
                   document.querySelector('main').append(img); }"""
    )
    assert "image-alt" in {v["id"] for v in axe_violations(page)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_an_event_room_has_no_serious_axe_violations(
    contexts: Contexts, world: World, lang: str
) -> None:
    """The live room (tests/browser/rooms.py makes a chat running now): the host's page has
    every control; signed out, only the posts."""
    from tests.browser.rooms import live_event

    host = world.person("axe_room_host")
    event_id, tag = live_event(world, host)
    world.api.post(world.api.token(host), f"Welcome to the chat #{tag}")
    for person in (host, None):
        page = contexts.page(lang=lang, person=person, bypass_csp=True)
        page.goto(f"/events/{event_id}/room")
        check_axe(page)
        if lang == "en":
            screenshot(page, f"room-{'in' if person else 'out'}")
