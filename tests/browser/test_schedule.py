"""Scheduling in the reader's own time zone, in a real browser (50-schedule.js): the
composer's hidden zone is the browser's, the time typed is read in it, the change page moves
the stored UTC time back into it, and /scheduled shows local times."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import Contexts, World


def test_a_post_is_scheduled_and_changed_in_the_browsers_zone(
    contexts: Contexts, world: World
) -> None:
    page = contexts.page(person=world.reader, timezone_id="Asia/Kolkata")  # UTC+5:30
    page.goto("/")
    composer = page.locator("form[action='/web/statuses']").first
    composer.locator("summary", has_text="Schedule for later").click()
    # (Chromium may give the zone's older name, Asia/Calcutta: the server knows both.)
    india = re.compile(r"Asia/(Kolkata|Calcutta)")
    expect(composer.locator("input[name=time_zone]")).to_have_value(india)
    expect(composer.locator("#hint-scheduled-at")).to_contain_text(india)
    composer.locator("#field-status").fill("Reminder: #ELTChat in an hour")
    composer.locator("#field-scheduled-at").fill("2030-01-01T20:00")
    with page.expect_navigation():
        composer.locator("button[type=submit]").click()
    assert page.url.endswith("/scheduled")

    listed = world.api.call(world.reader_token, "GET", "/api/v1/scheduled_statuses")
    mine = next(s for s in listed if s["params"]["text"] == "Reminder: #ELTChat in an hour")
    assert mine["scheduled_at"] == "2030-01-01T14:30:00.000Z"
    shown = page.locator(f"time[datetime='{mine['scheduled_at']}']")
    expect(shown).not_to_contain_text("UTC")  # in local time now

    page.goto(f"/scheduled/{mine['id']}/edit")
    expect(page.locator("#field-scheduled-at")).to_have_value("2030-01-01T20:00")
    page.locator("#field-scheduled-at").fill("2030-01-01T21:15")
    with page.expect_navigation():
        page.locator("form[action$='/edit'] button[type=submit]").click()
    moved = world.api.call(world.reader_token, "GET", f"/api/v1/scheduled_statuses/{mine['id']}")
    assert moved["scheduled_at"] == "2030-01-01T15:45:00.000Z"
    world.api.call(world.reader_token, "DELETE", f"/api/v1/scheduled_statuses/{mine['id']}")
