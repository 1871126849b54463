"""The transcript page in a real browser: axe-core finds no serious or critical violation,
signed in and out, in English and Spanish; it works with JavaScript off (the summary form
posts and comes back)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from staffroom.db.engine import create_database
from staffroom.services import transcripts
from staffroom.services.events import EventDraft, create_series
from tests.browser.conftest import LANGUAGES, Contexts, World, check_axe, screenshot
from tests.browser.test_accessibility import open_page

_MADE: dict[str, str] = {}


def _chat(world: World) -> str:
    """A weekly #ELTChat series whose first chat began 10 minutes ago, so the world's
    #ELTChat posts are its talk; hosted by the author, with a summary (made once)."""
    if world.url in _MADE:
        return _MADE[world.url]
    start = (datetime.now(UTC) - timedelta(minutes=10)).replace(
        tzinfo=None, second=0, microsecond=0
    )
    draft = EventDraft(title="ELTChat", hashtag="ELTChat", time_zone="UTC", start_local=start)
    db = create_database(world.server.database_url, pool_size=1)
    try:
        rt: Any = None  # not announced: the runtime is not needed
        _, event_id = db.write(
            create_series, rt, int(world.author.id), draft, "weekly", announce=False
        )
        db.write(
            transcripts.edit_summary,
            int(world.author.id),
            event_id,
            "Exit tickets and feedback.\n\nSee https://example.org/exit-tickets",
        )
    finally:
        db.dispose()
    _MADE[world.url] = f"/events/{event_id}/transcript"
    return _MADE[world.url]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("who", ["out", "in"])
def test_the_transcript_page_has_no_serious_axe_violations(
    contexts: Contexts, world: World, who: str, lang: str
) -> None:
    page = open_page(contexts, world, _chat(world), who, lang, bypass_csp=True)
    assert page.locator(".transcript-section").count() >= 1
    check_axe(page)
    if lang == "en":
        screenshot(page, f"transcript-{who}")


def test_the_summary_form_works_without_javascript(contexts: Contexts, world: World) -> None:
    path = _chat(world)
    page = contexts.page(lang="en", person=world.author, javascript=False)
    page.goto(path)
    page.fill("#summary-text", "Saved without JavaScript")
    page.click("text=Save summary")
    page.wait_for_url("**/transcript?saved=1#summary")
    assert page.locator(".transcript-summary-text").inner_text().strip() == (
        "Saved without JavaScript"
    )
