"""The deck (/deck) in a real browser with JavaScript on: default columns, adding, moving and
removing columns (kept across reloads), tabs on a phone, and live hashtag columns that never
show a post the viewer may not see."""

from __future__ import annotations

import itertools
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import PHONE, Contexts, World, watch_stream

_tags = itertools.count(1)


def _tag(world: World, stem: str) -> str:
    return f"{stem}{world.post_id[-5:]}x{next(_tags)}"


def _headings(page: Any) -> list[str]:
    return [" ".join(t.split()) for t in page.locator("[data-column] h2").all_inner_texts()]


def _add_column(page: Any, kind: str, arg: str = "") -> None:
    form = page.locator("form[data-deck-add]")
    form.locator("#deck-kind").select_option(kind)
    form.locator("#deck-arg").fill(arg)
    with page.expect_navigation():
        form.get_by_role("button", name="Add column").click()


def _column(page: Any, heading: str) -> Any:
    return page.locator("[data-column]").filter(
        has=page.get_by_role("heading", name=heading, exact=True)
    )


def test_the_deck_starts_with_home_notifications_and_mentions(
    contexts: Contexts, world: World
) -> None:
    page = contexts.page(person=world.person("deck_default"))
    page.goto("/deck")
    assert _headings(page) == ["Home", "Notifications", "Mentions"]
    expect(page.locator("[data-deck-tabs]")).to_be_hidden()  # desktop: side by side
    for heading in ("Home", "Notifications", "Mentions"):
        expect(_column(page, heading)).to_be_visible()
    contexts.watcher.check()


def test_columns_are_added_moved_and_removed_and_the_layout_persists(
    contexts: Contexts, world: World
) -> None:
    page = contexts.page(person=world.person("deck_arranger"))
    page.goto("/deck")
    tag = _tag(world, "Phonics")

    _add_column(page, "hashtag", f"#{tag}")
    assert page.url.endswith("/deck")
    assert _headings(page) == ["Home", "Notifications", "Mentions", f"Hashtag #{tag}"]

    # Move the new column left twice: it ends up second.
    for _ in range(2):
        column = _column(page, f"Hashtag #{tag}")
        with page.expect_navigation():
            column.locator("[data-column-left]").click()
    assert _headings(page) == ["Home", f"Hashtag #{tag}", "Notifications", "Mentions"]

    # Move Home right once.
    with page.expect_navigation():
        _column(page, "Home").locator("[data-column-right]").click()
    assert _headings(page) == [f"Hashtag #{tag}", "Home", "Notifications", "Mentions"]

    # Remove Mentions.
    with page.expect_navigation():
        _column(page, "Mentions").get_by_role("button", name="Remove Mentions").click()
    assert _headings(page) == [f"Hashtag #{tag}", "Home", "Notifications"]

    # The layout is stored, not just shown: a reload and a new visit see it.
    page.reload()
    assert _headings(page) == [f"Hashtag #{tag}", "Home", "Notifications"]
    page.goto("/")
    page.goto("/deck")
    assert _headings(page) == [f"Hashtag #{tag}", "Home", "Notifications"]
    contexts.watcher.check()


def test_a_phone_shows_tabs_and_one_column_at_a_time(contexts: Contexts, world: World) -> None:
    page = contexts.page(person=world.person("deck_phone"), viewport=PHONE)
    page.goto("/deck")
    tablist = page.get_by_role("tablist", name="Columns")
    expect(tablist).to_be_visible()
    tabs = tablist.get_by_role("tab")
    expect(tabs).to_have_count(3)
    expect(tabs.nth(0)).to_have_attribute("aria-selected", "true")

    columns = page.locator("[data-column]")
    expect(columns.nth(0)).to_be_visible()
    expect(columns.nth(1)).to_be_hidden()
    expect(columns.nth(2)).to_be_hidden()
    expect(page.get_by_role("tabpanel")).to_have_count(1)  # only the shown one is exposed

    tabs.nth(1).click()
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    expect(tabs.nth(0)).to_have_attribute("aria-selected", "false")
    expect(columns.nth(1)).to_be_visible()
    expect(columns.nth(0)).to_be_hidden()
    expect(page.get_by_role("tabpanel")).to_have_accessible_name("Notifications")

    # The arrow keys move between tabs (the ARIA tabs pattern).
    page.keyboard.press("ArrowRight")
    expect(tabs.nth(2)).to_be_focused()
    expect(tabs.nth(2)).to_have_attribute("aria-selected", "true")
    expect(columns.nth(2)).to_be_visible()
    expect(columns.nth(1)).to_be_hidden()
    contexts.watcher.check()


def test_a_hashtag_column_is_live_and_never_shows_a_followers_only_post(
    contexts: Contexts, world: World
) -> None:
    viewer, stranger = world.person("deck_viewer"), world.person("deck_stranger")
    stranger_token = world.api.token(stranger)
    tag = _tag(world, "Numeracy")
    page = contexts.page(person=viewer)
    page.goto("/deck")
    _add_column(page, "hashtag", tag)

    frames = watch_stream(page)
    page.reload()
    frames.wait_subscribed('"hashtag"', tag)
    column = _column(page, f"Hashtag #{tag}")
    expect(column.locator("[data-empty]")).to_be_visible()

    world.api.post(
        stranger_token, f"Followers only: my class list for #{tag}", visibility="private"
    )
    world.api.post(stranger_token, f"Public: a times-table game for #{tag}", visibility="public")

    expect(column.locator("article.status", has_text="a times-table game")).to_be_visible(
        timeout=15_000
    )
    # The private one came first; the public one is in, so the private one had its chance.
    expect(column.locator("article.status", has_text="my class list")).to_have_count(0)
    expect(page.locator("article.status", has_text="my class list")).to_have_count(0)
    expect(column.locator("[data-empty]")).to_be_hidden()
    contexts.watcher.check()


def test_a_wide_deck_scrolls_inside_itself_not_the_whole_page(
    contexts: Contexts, world: World
) -> None:
    """Columns past the right edge scroll inside the deck; the page itself never gets wider
    than the window (no blank band to scroll sideways into)."""
    page = contexts.page(person=world.person("deck_wide"))
    page.goto("/deck")
    for stem in ("Wide", "Wider"):
        _add_column(page, "hashtag", _tag(world, stem))
    sizes = page.evaluate(
        """() => ({page: document.documentElement.scrollWidth,
                   window: document.documentElement.clientWidth,
                   deck: document.querySelector('[data-deck-columns]').scrollWidth,
                   deckBox: document.querySelector('[data-deck-columns]').clientWidth})"""
    )
    assert sizes["deck"] > sizes["deckBox"], sizes  # the columns do overflow the deck...
    assert sizes["page"] <= sizes["window"], sizes  # ...but not the page
    contexts.watcher.check()
