"""Events in a real browser: the new-event form takes the browser's time zone (the page's
script), the event page shows the time where it happens, and "I'm going" counts."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World


def test_a_chat_is_made_in_the_browsers_zone_and_joined(contexts: Contexts, world: World) -> None:
    host, guest = world.person("chat_host"), world.person("chat_guest")
    page = contexts.page(person=host, timezone_id="America/New_York")
    page.goto("/events/new")
    expect(page.get_by_label("Time zone")).to_have_value("America/New_York")
    page.get_by_label("Title").fill("Maths chat")
    page.get_by_label("Hashtag", exact=True).fill("#MathsChat")
    page.get_by_label("Starts").fill("2030-03-12T20:00")
    page.get_by_label("Ends").fill("2030-03-12T21:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Make the event").click()
    expect(page.get_by_role("heading", name="Maths chat")).to_be_visible()
    expect(page.get_by_text("20:00 EDT").first).to_be_visible()
    where = page.url

    other = contexts.page(person=guest, timezone_id="Europe/London")
    other.goto(where)
    other.get_by_label("Remind me").select_option(label="1 hour before")
    with other.expect_navigation():
        other.get_by_role("button", name="I'm going").click()
    expect(other.get_by_role("heading", name="1 going")).to_be_visible()
    expect(other.get_by_role("link", name=f"@{guest.username}")).to_be_visible()
