"""Shared by the room tests: an event running now (post IDs follow the real time, so the
event's window is around the real time too) and posting into its room."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from staffroom.runtime import Runtime
from staffroom.services import chat_room
from staffroom.services.events import Event, EventDraft, create_event, require_event
from staffroom.services.posting import NewStatus, post_status


def live_event(
    runtime: Runtime,
    host: Any,
    *,
    hashtag: str = "EdChat",
    hosts: tuple[int, ...] = (),
    announce: bool = False,
    started_minutes_ago: int = 5,
    duration: int = 60,
) -> Event:
    start = datetime.now(UTC) - timedelta(minutes=started_minutes_ago)
    draft = EventDraft(
        title="Edchat live",
        hashtag=hashtag,
        time_zone="UTC",
        start_local=start.replace(tzinfo=None, second=0, microsecond=0),
        duration_minutes=duration,
    )
    event_id = runtime.db.write(create_event, runtime, host.id, draft, hosts, announce=announce)
    return runtime.db.read(require_event, event_id)


def say(runtime: Runtime, who: Any, event: Event, text: str, **options: Any) -> int:
    return int(runtime.db.write(chat_room.post_in_room, runtime, who.id, event.id, text, **options))


def plain_post(
    runtime: Runtime, who: Any, text: str, visibility: str = "public", reply: int | None = None
) -> int:
    new = NewStatus(text=text, visibility=visibility, in_reply_to_id=reply)
    return int(runtime.db.write(post_status, runtime, who.id, new))


def text_of(runtime: Runtime, status_id: int) -> str:
    from sqlalchemy import select

    from staffroom.db.tables import statuses

    return str(
        runtime.db.read(
            lambda conn: conn.execute(
                select(statuses.c.text).where(statuses.c.id == status_id)
            ).scalar_one()
        )
    )
