"""An event's live room in a real browser (60-room.js over 20-live.js's one WebSocket): a
participant's post gets the hashtag added and appears for another participant without a
reload; "Pause" holds new posts back behind a polite "1 new" button, "Resume" puts them in."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World, watch_stream
from tests.browser.rooms import live_event


def test_a_post_appears_live_with_the_hashtag_and_pause_holds_it_back(
    contexts: Contexts, world: World
) -> None:
    host, ana, ben = world.person("room_host"), world.person("room_ana"), world.person("room_ben")
    event_id, tag = live_event(world, host)
    room = f"/events/{event_id}/room"

    watching = contexts.page(person=ben)
    frames = watch_stream(watching)
    watching.goto(room)
    frames.wait_subscribed('"hashtag"', tag)
    feed = watching.locator("[data-room-feed]")
    expect(feed.locator("li")).to_have_count(0)

    writing = contexts.page(person=ana)
    writing.goto(room)
    expect(writing.get_by_text(f"#{tag} will be added if you leave it out")).to_be_visible()
    writing.get_by_label("Say something in the chat").fill("Hello from Leeds")
    writing.get_by_role("button", name="Post to the chat").click()
    expect(writing.locator("[data-room-feed] li", has_text="Hello from Leeds")).to_have_count(1)

    arrived = feed.locator("li", has_text="Hello from Leeds")
    expect(arrived).to_have_count(1, timeout=15_000)
    expect(arrived).to_contain_text(f"Hello from Leeds #{tag}")
    assert watching.url.endswith(room)  # no reload brought it

    pause = watching.get_by_role("button", name="Pause")
    pause.click()
    expect(watching.get_by_role("button", name="Resume")).to_have_attribute("aria-pressed", "true")
    writing.get_by_label("Say something in the chat").fill("Second thought")
    writing.get_by_role("button", name="Post to the chat").click()
    expect(writing.locator("[data-room-feed] li", has_text="Second thought")).to_have_count(1)

    new = watching.locator("[data-room-new]")
    expect(new).to_have_text("1 new post: show it", timeout=15_000)
    polite = watching.locator('[aria-live="polite"]', has_text="1 new post")
    expect(polite).to_have_count(1)
    expect(feed.locator("li", has_text="Second thought")).to_have_count(0)  # held back

    watching.get_by_role("button", name="Resume").click()
    expect(feed.locator("li", has_text="Second thought")).to_have_count(1)
    expect(feed.locator("li").first).to_contain_text("Second thought")  # newest first
    expect(new).to_be_hidden()
    expect(watching.get_by_role("button", name="Pause")).to_have_attribute("aria-pressed", "false")
    contexts.watcher.check()
