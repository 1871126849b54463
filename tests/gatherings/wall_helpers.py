"""Shared steps for the wall and Q&A tests: an event running now, chat posts, forms."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from starlette.testclient import TestClient

from staffroom import clock
from staffroom.runtime import Runtime
from staffroom.services.events import EventDraft, create_event, require_event
from staffroom.services.posting import NewStatus, post_status
from tests.conftest import User
from tests.oauth.helpers import parse_page


def live_event(
    runtime: Runtime,
    host: User,
    *,
    hashtag: str = "EdChat",
    speakers: tuple[User, ...] = (),
    minutes_ago: int = 5,
) -> int:
    """An event with ``hashtag`` that started ``minutes_ago`` and runs an hour."""
    from staffroom.db.tables_events import event_hosts

    start = (clock.now() - timedelta(minutes=minutes_ago)).astimezone(UTC)
    draft = EventDraft(
        title="Assessment for learning",
        hashtag=hashtag,
        time_zone="UTC",
        start_local=start.replace(tzinfo=None, second=0, microsecond=0),
        kind="conference",
    )
    event_id = runtime.db.write(create_event, runtime, host.id, draft, announce=False)

    def add(conn: Any) -> None:
        for speaker in speakers:
            conn.execute(
                event_hosts.insert().values(
                    event_id=event_id, account_id=speaker.id, role="speaker"
                )
            )

    runtime.db.write(add)
    return event_id


def post(runtime: Runtime, who: User, text: str, visibility: str = "public") -> int:
    return runtime.db.write(
        post_status, runtime, who.id, NewStatus(text=text, visibility=visibility)
    )


def event_of(runtime: Runtime, event_id: int) -> Any:
    return runtime.db.read(require_event, event_id)


def submit_form(client: TestClient, html: str, action: str, **fields: str) -> Any:
    """POST the page's form (or form= button) whose action is ``action``."""
    for form in parse_page(html).forms:
        if form.action == action:
            return client.post(action, data={**form.fields, **fields}, follow_redirects=False)
    raise AssertionError(f"no form posting to {action} in:\n{html[:3000]}")
