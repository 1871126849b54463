"""Making a wall's event on the live server's database (no event pages are needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from staffroom.db.engine import create_database
from staffroom.db.tables_events import event_hosts
from staffroom.services import audience_qa
from staffroom.services.events import EventDraft, create_event


def make_wall_event(
    database_url: str,
    host_id: int,
    hashtag: str,
    *,
    speaker_ids: tuple[int, ...] = (),
    question: tuple[int, str] | None = None,
) -> str:
    """An event with ``hashtag`` that started five minutes ago and runs an hour; with a
    ``question`` (asker, text) approved by the host if given. Answers its ID."""
    start = datetime.now(UTC) - timedelta(minutes=5)
    draft = EventDraft(
        title="Feedback that students read",
        hashtag=hashtag,
        time_zone="UTC",
        start_local=start.replace(tzinfo=None, second=0, microsecond=0),
        kind="session",
    )
    db = create_database(database_url, pool_size=1)

    def make(conn: Any) -> int:
        event_id = create_event(conn, None, host_id, draft, announce=False)  # type: ignore[arg-type]
        for speaker in speaker_ids:
            conn.execute(
                event_hosts.insert().values(event_id=event_id, account_id=speaker, role="speaker")
            )
        if question is not None:
            asked = audience_qa.submit(conn, question[0], event_id, question[1])
            audience_qa.screen(conn, host_id, event_id, asked, "approve")
        return event_id

    try:
        return str(db.write(make))
    finally:
        db.dispose()
