"""The backchannel wall and audience Q&A in a real browser: a projector signed out shows the
chat live; a host hides a post in another browser and it leaves the projector within two
seconds of the click. A question is not shown until a host approves it; two upvotes put the
second question first, on the Q&A page and, live, on the speaker's screen."""

from __future__ import annotations

import itertools
import time

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World
from tests.browser.wall_events import make_wall_event

_tags = itertools.count(1)


def test_a_hidden_post_leaves_the_projector_within_two_seconds(
    contexts: Contexts, world: World
) -> None:
    host, ana = world.person("wallhost"), world.person("wallana")
    tag = f"WallTest{next(_tags)}{int(time.time())}"
    event_id = make_wall_event(world.server.database_url, int(host.id), tag)
    ana_token = world.api.token(ana)
    kept = world.api.post(ana_token, f"Exit tickets every lesson #{tag}")
    doomed = world.api.post(ana_token, f"Off-topic advert #{tag}")
    world.api.post(ana_token, f"Followers only aside #{tag}", visibility="private")

    projector = contexts.page()  # signed out
    projector.goto(f"/events/{event_id}/wall")
    expect(projector.locator(f"#wall-{kept['id']}")).to_be_visible()
    expect(projector.locator(f"#wall-{doomed['id']}")).to_be_visible()
    expect(projector.get_by_text("Followers only aside")).to_have_count(0)
    expect(projector.get_by_role("button", name="Full screen")).to_be_visible()

    live = world.api.post(ana_token, f"Arrived while the wall was open #{tag}")
    expect(projector.locator(f"#wall-{live['id']}")).to_be_visible(timeout=5_000)
    # the newest on top
    first = projector.locator("[data-wall-posts] li").first
    expect(first).to_have_attribute("id", f"wall-{live['id']}")

    moderator = contexts.page(person=host)
    moderator.goto(f"/events/{event_id}/wall/moderate")
    hide = moderator.locator(f"#mod-{doomed['id']}").get_by_role("button", name="Hide")
    expect(hide).to_be_visible()
    clicked = time.monotonic()
    hide.click(no_wait_after=True)
    projector.locator(f"#wall-{doomed['id']}").wait_for(state="detached", timeout=2_000)
    assert time.monotonic() - clicked <= 2.0
    expect(projector.locator(f"#wall-{kept['id']}")).to_be_visible()
    moderator.wait_for_url(f"**/events/{event_id}/wall/moderate")
    expect(moderator.locator(f"#mod-{doomed['id']}")).to_contain_text("Hidden")
    contexts.watcher.check()


def test_questions_are_screened_then_ordered_by_upvotes(contexts: Contexts, world: World) -> None:
    host, ana, ben, cy, dee = (
        world.person(n) for n in ("qahost", "qaana", "qaben", "qacy", "qadee")
    )
    tag = f"QaTest{next(_tags)}{int(time.time())}"
    event_id = make_wall_event(world.server.database_url, int(host.id), tag)
    qa = f"/events/{event_id}/qa"

    def ask(person: object, text: str) -> None:
        page = contexts.page(person=person)
        page.goto(qa)
        page.get_by_label("Your question").fill(text)
        with page.expect_navigation():
            page.get_by_role("button", name="Send the question").click()
        expect(page.get_by_text("Your question is waiting for a host.")).to_be_visible()
        expect(page.get_by_text(text)).to_be_visible()

    ask(ana, "How do you mark forty books a night?")
    ask(ben, "Does peer feedback work with eleven-year-olds?")

    audience = contexts.page(person=cy)
    audience.goto(qa)
    expect(audience.get_by_text("How do you mark forty books a night?")).to_have_count(0)
    expect(audience.get_by_text("No questions yet.")).to_be_visible()

    hosting = contexts.page(person=host)
    hosting.goto(qa)
    for _ in range(2):
        with hosting.expect_navigation():
            hosting.get_by_role("button", name="Approve").first.click()
    speaker = contexts.page(person=host)
    speaker.goto(f"{qa}/speaker")
    items = speaker.locator(".qa-speaker-list li")
    expect(items.first).to_contain_text("How do you mark forty books a night?")

    audience.goto(qa)
    approved = audience.locator("[data-qa-approved] li")
    expect(approved).to_have_count(2)
    expect(approved.first).to_contain_text("How do you mark forty books a night?")
    for voter in (cy, dee):
        page = audience if voter is cy else contexts.page(person=dee)
        page.goto(qa)
        second = page.locator("[data-qa-approved] li", has_text="eleven-year-olds")
        with page.expect_navigation():
            second.get_by_role("button", name="Upvote").click()
    audience.goto(qa)
    expect(approved.first).to_contain_text("Does peer feedback work with eleven-year-olds?")
    expect(approved.first).to_contain_text("2 votes")
    # the speaker's screen followed without a reload
    expect(items.first).to_contain_text("eleven-year-olds", timeout=5_000)
    contexts.watcher.check()
