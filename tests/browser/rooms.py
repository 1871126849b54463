"""An event running now on the browser tests' server (written straight to its database,
as the conftest's other set-up helpers do), for the room's browser tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from staffroom.db.engine import create_database
from staffroom.runtime import Runtime
from staffroom.services.events import EventDraft, create_event
from tests.browser.conftest import World
from tests.e2e.clients import Person

_numbers = itertools.count(1)


def live_event(world: World, host: Person, hashtag: str = "RoomChat") -> tuple[int, str]:
    """A chat started five minutes ago with a fresh hashtag: (event ID, hashtag)."""
    tag = f"{hashtag}{next(_numbers)}"
    start = datetime.now(UTC) - timedelta(minutes=5)
    draft = EventDraft(
        title="Room test chat",
        hashtag=tag,
        time_zone="UTC",
        start_local=start.replace(tzinfo=None, second=0, microsecond=0),
    )
    db = create_database(world.server.database_url, pool_size=1)
    try:
        # Not announced, so the runtime (only the announcing post needs it) is not used.
        no_runtime = cast(Runtime, None)
        event_id: Any = db.write(create_event, no_runtime, int(host.id), draft, announce=False)
    finally:
        db.dispose()
    return int(event_id), tag
