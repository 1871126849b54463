"""Lists and followed hashtags in a real browser: making a list of people one does not
follow plus a hashtag, the list's pages axe-clean, the list as a live deck column (a
member's post arrives by the ``list`` stream; a non-member's does not), and following a
hashtag from its page and the settings."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World, check_axe, watch_stream


def test_a_list_is_made_in_the_browser_and_lives_in_the_deck(
    contexts: Contexts, world: World
) -> None:
    owner, speaker, other = (world.person(n) for n in ("lister", "speaker", "bystander"))
    tag = f"Conf{uuid.uuid4().hex[:6]}"
    page = contexts.page(person=owner, bypass_csp=True)
    page.goto("/lists")
    check_axe(page)
    page.get_by_label("Name").fill("Conference speakers")
    page.get_by_label("Exclusive").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Make the list").click()
    assert page.url.endswith("/edit")
    page.get_by_label("Add a person by username").fill(f"@{speaker.username}")
    with page.expect_navigation():
        page.get_by_role("button", name="Add person").click()
    page.get_by_label("Add a hashtag").fill(f"#{tag}")
    with page.expect_navigation():
        page.get_by_role("button", name="Add hashtag").click()
    expect(page.get_by_role("link", name=f"@{speaker.username}")).to_be_visible()
    expect(page.get_by_role("link", name=f"#{tag}")).to_be_visible()
    check_axe(page)

    with page.expect_navigation():
        page.get_by_role("link", name="Read the list").click()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Add to the deck").click()
    assert page.url.endswith("/deck")
    column = page.locator("[data-column]").filter(
        has=page.get_by_role("heading", name="List: Conference speakers", exact=True)
    )
    expect(column).to_be_visible()

    frames = watch_stream(page)
    page.reload()
    frames.wait_subscribed('"list"')
    speaker_token, other_token = world.api.token(speaker), world.api.token(other)
    world.api.post(other_token, "Not in the list at all")
    world.api.post(speaker_token, "Keynote slides are up")
    world.api.post(other_token, f"Great keynote #{tag}")
    expect(column.locator("article.status", has_text="Keynote slides are up")).to_be_visible(
        timeout=15_000
    )
    expect(column.locator("article.status", has_text="Great keynote")).to_be_visible(timeout=15_000)
    expect(column.locator("article.status", has_text="Not in the list")).to_have_count(0)
    contexts.watcher.check()


def test_following_a_hashtag_from_its_page_and_the_settings(
    contexts: Contexts, world: World
) -> None:
    reader = world.person("tagfollower")
    tag = f"Phonics{uuid.uuid4().hex[:6]}"
    page = contexts.page(person=reader, bypass_csp=True)
    page.goto(f"/tags/{tag}")
    with page.expect_navigation():
        page.get_by_role("button", name="Follow hashtag").click()
    expect(page.get_by_role("button", name="Unfollow hashtag")).to_be_visible()
    check_axe(page)
    page.goto("/settings/tags")
    expect(page.get_by_role("link", name=f"#{tag}")).to_be_visible()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=f"Unfollow #{tag}").click()
    expect(page.get_by_text("You follow no hashtags yet.")).to_be_visible()
    contexts.watcher.check()
