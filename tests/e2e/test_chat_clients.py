"""An event's chat with real Mastodon clients against a live server: the event is announced
by a public post (its text has the event's address); Mastodon.py and toot read it unchanged,
post chat messages with the hashtag and read the hashtag timeline; those posts are in the
event's room page, and followers-only posts are not."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from mastodon import Mastodon

from staffroom.config import RateLimits, Settings
from staffroom.runtime import Runtime
from staffroom.services.events import EventDraft, create_event, event_url, require_event
from tests.e2e.clients import Person, Toot
from tests.e2e.harness import LiveServer, eventually

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def _make_event(server: LiveServer, host: Person, tag: str) -> tuple[int, int]:
    """A chat running now, made as the event pages make it: (event ID, announcing post ID)."""
    settings = Settings(
        data_dir=server.data_dir,
        database_url=server.database_url,
        base_url=server.url,
        secret_key="test",
        rate_limits=RateLimits(enabled=False),
    )
    rt = Runtime.build(settings)
    try:
        start = datetime.now(UTC) - timedelta(minutes=5)
        draft = EventDraft(
            title="Clients chat",
            hashtag=tag,
            time_zone="UTC",
            start_local=start.replace(tzinfo=None, second=0, microsecond=0),
        )
        event_id = rt.db.write(create_event, rt, int(host.id), draft)
        event = rt.db.read(require_event, event_id)
        assert event.announce_status_id is not None
        return event_id, event.announce_status_id
    finally:
        rt.close()


def test_the_chat_works_unchanged_in_mastodon_py_and_toot(
    target: LiveServer,
    person: Callable[[str], Person],
    masto: Masto,
    toot: Callable[[Person], Toot],
) -> None:
    host, ana, ben = person("host"), person("ana"), person("ben")
    tag = f"Chat{uuid.uuid4().hex[:8]}"
    event_id, announced = _make_event(target, host, tag)
    address = event_url(target.url, event_id)
    as_ana = masto(ana)
    post = as_ana.status(announced)
    assert post["visibility"] == "public"
    assert address in post["content"] and tag in post["content"]
    cli = toot(ben)
    assert f"/events/{event_id}" in cli.run("status", str(announced)).stdout
    assert cli.json("status", str(announced))["id"] == str(announced)

    from_ana = as_ana.status_post(f"A1 exit tickets, every lesson #{tag}")
    from_ben = cli.json("post", f"Hello from the toot CLI #{tag.lower()}")
    hidden = as_ana.status_post(f"only my followers #{tag}", visibility="private")
    expected = {str(from_ana["id"]), str(from_ben["id"])}

    def in_timeline() -> None:
        found = {str(s["id"]) for s in as_ana.timeline_hashtag(tag)}
        assert expected <= found and str(hidden["id"]) not in found

    eventually(in_timeline)
    shown = cli.run("timeline", "--tag", tag, "--once", "--count", "20").stdout
    assert "exit tickets, every lesson" in shown and "Hello from the toot CLI" in shown
    assert "only my followers" not in shown

    room = httpx.get(f"{target.url}/events/{event_id}/room", timeout=30)
    assert room.status_code == 200
    in_room = set(re.findall(r'data-room-post="(\d+)"', room.text))
    assert expected <= in_room
    assert str(hidden["id"]) not in in_room
