"""Live pages in a real browser (20-live.js): the notification badge, deleted posts leaving
the open home page, the polite "N new posts" announcement and the reader's place kept.

Everything here is driven through the API by other people while the page stays open; the
page's one WebSocket (authenticated by the session cookie) must bring it in."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World, watch_stream
from tests.e2e.clients import Person
from tests.e2e.harness import eventually


def _follow(world: World, token: str, target: Person) -> None:
    world.api.call(token, "POST", f"/api/v1/accounts/{target.id}/follow")


def _in_home(world: World, token: str, status_id: str) -> None:
    def there() -> None:
        home = world.api.call(token, "GET", "/api/v1/timelines/home", params={"limit": 40})
        assert status_id in [s["id"] for s in home], "not delivered yet"

    eventually(there)


def _open_home(contexts: Contexts, person: Person, *needles: str) -> Any:
    page = contexts.page(person=person)
    frames = watch_stream(page)
    page.goto("/")
    frames.wait_subscribed(*needles)
    return page


def test_the_notification_badge_counts_favourites_and_mentions_live(
    contexts: Contexts, world: World
) -> None:
    viewer, fan = world.person("badge_viewer"), world.person("badge_fan")
    viewer_token, fan_token = world.api.token(viewer), world.api.token(fan)
    mine = world.api.post(viewer_token, "A worksheet on reported speech, free to copy")

    page = _open_home(contexts, viewer, "user:notification")
    badge = page.locator("[data-notification-badge]")
    count = page.locator("[data-notification-count]")
    expect(badge).to_be_hidden()

    world.api.call(fan_token, "POST", f"/api/v1/statuses/{mine['id']}/favourite")
    expect(count).to_have_text("1", timeout=15_000)
    expect(badge).to_be_visible()
    link = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("^Notifications")
    )
    expect(link).to_have_accessible_name(re.compile(r"Notifications\s*:\s*1\s+new"))

    world.api.post(fan_token, f"@{viewer.username} could I use it with my year 9s?")
    expect(count).to_have_text("2", timeout=15_000)
    assert page.url.rstrip("/") == world.url.rstrip("/")  # no reload brought it
    contexts.watcher.check()


def test_a_deleted_post_leaves_the_open_home_page(contexts: Contexts, world: World) -> None:
    viewer, author = world.person("del_viewer"), world.person("del_author")
    viewer_token, author_token = world.api.token(viewer), world.api.token(author)
    _follow(world, viewer_token, author)
    doomed = world.api.post(author_token, "Posted to the wrong account, deleting in a second")
    kept = world.api.post(author_token, "Parents' evening slots are up on the board")
    _in_home(world, viewer_token, doomed["id"])
    _in_home(world, viewer_token, kept["id"])

    page = _open_home(contexts, viewer, '"user"')
    gone = page.locator(f'article.status[data-status-id="{doomed["id"]}"]')
    expect(gone).to_have_count(1)
    expect(page.locator("article.status", has_text="Parents' evening slots")).to_have_count(1)

    world.api.call(author_token, "DELETE", f"/api/v1/statuses/{doomed['id']}")
    expect(gone).to_have_count(0, timeout=15_000)
    expect(page.locator("article.status", has_text="Parents' evening slots")).to_have_count(1)
    contexts.watcher.check()


def test_new_posts_are_announced_in_a_polite_live_region(contexts: Contexts, world: World) -> None:
    viewer, author = world.person("polite_viewer"), world.person("polite_author")
    viewer_token, author_token = world.api.token(viewer), world.api.token(author)
    _follow(world, viewer_token, author)

    page = _open_home(contexts, viewer, '"user"')
    button = page.locator("[data-live-show]")
    expect(button).to_be_hidden()

    world.api.post(author_token, "Lesson study group meets Thursday")
    world.api.post(author_token, "Bring one video clip of your own teaching")
    expect(button).to_be_visible(timeout=15_000)
    expect(button).to_have_text("2 new posts", timeout=15_000)

    polite = page.locator('[aria-live="polite"]', has_text=re.compile(r"\b2 new posts\b"))
    expect(polite).to_have_count(1, timeout=15_000)
    # Nothing assertive or alert-like carries it.
    assert page.locator('[aria-live="assertive"]', has_text="new post").count() == 0
    assert page.locator('[role="alert"]', has_text="new post").count() == 0

    button.click()
    expect(page.locator("article.status", has_text="Lesson study group")).to_have_count(1)
    expect(page.locator("article.status", has_text="Bring one video clip")).to_have_count(1)
    expect(button).to_be_hidden()
    contexts.watcher.check()


def test_new_posts_wait_for_the_button_and_keep_the_readers_place(
    contexts: Contexts, world: World
) -> None:
    viewer, author = world.person("scroll_viewer"), world.person("scroll_author")
    viewer_token, author_token = world.api.token(viewer), world.api.token(author)
    _follow(world, viewer_token, author)
    last = {}
    for number in range(1, 26):
        last = world.api.post(author_token, f"Revision tip number {number}: space it out")
    _in_home(world, viewer_token, last["id"])

    page = _open_home(contexts, viewer, '"user"')
    expect(page.locator("article.status")).to_have_count(20)
    page.evaluate("() => window.scrollTo(0, 1500)")
    page.wait_for_function("() => window.scrollY === 1500")
    reading = page.evaluate(
        """() => {
          const a = [...document.querySelectorAll('article.status')]
            .find((el) => el.getBoundingClientRect().top >= 0);
          return {id: a.dataset.statusId, top: a.getBoundingClientRect().top};
        }"""
    )

    world.api.post(author_token, "Breaking: the photocopier works again")
    world.api.post(author_token, "Staff meeting moved to the library")
    button = page.locator("[data-live-show]")
    expect(button).to_have_text("2 new posts", timeout=15_000)

    # Nothing was inserted and nothing moved: the reader stays where they were, without
    # leaning on the browser's scroll anchoring (Safari has none) to undo a jump.
    now = page.evaluate(
        """(id) => ({scrollY: window.scrollY, top: document.querySelector(
              `[data-status-id="${id}"]`).getBoundingClientRect().top})""",
        reading["id"],
    )
    assert now == {"scrollY": 1500, "top": reading["top"]}, (
        f"the page moved while new posts waited: before scrollY=1500, top={reading['top']}; "
        f"after {now}"
    )
    expect(page.locator("article.status")).to_have_count(20)
    expect(page.locator("article.status", has_text="photocopier")).to_have_count(0)

    button.click()
    expect(page.locator("article.status").first).to_contain_text("Staff meeting moved")
    expect(page.locator("article.status", has_text="photocopier")).to_have_count(1)
    expect(page.locator("article.status")).to_have_count(22)
    contexts.watcher.check()
