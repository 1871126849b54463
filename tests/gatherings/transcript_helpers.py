"""A scripted chat for the transcript tests: a series whose first occurrence started five
minutes ago, questions, answers, replies, links, and posts that must never show."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from staffroom import clock
from staffroom.runtime import Runtime
from staffroom.services.events import EventDraft, create_series
from staffroom.services.interactions import delete_status
from staffroom.services.posting import NewStatus, post_status
from tests.conftest import User


@dataclass
class Chat:
    series_id: int
    event_id: int
    host: User
    ana: User
    ben: User
    cara: User
    vic: User
    ids: dict[str, int] = field(default_factory=dict)

    def public_order(self) -> list[int]:
        """Every post a signed-out reader sees, in transcript order."""
        names = ["q1", "a1", "ben_reply", "cara", "q2", "a2", "ben_agrees"]
        return [self.ids[n] for n in names]


MARKERS = {  # a unique word in each post, to find it in the Markdown
    "q1": "kestrel",
    "a1": "heron",
    "ben_reply": "plover",
    "cara": "osprey",
    "private": "nightjar",
    "direct": "bittern",
    "deleted": "dunlin",
    "q2": "curlew",
    "a2": "avocet",
    "ben_agrees": "godwit",
}
LINKS = ["https://example.org/pic", "https://carablog.net/post", "https://example.org/exit"]


def scripted_chat(runtime: Runtime, make_user: Callable[..., User]) -> Chat:
    host, ana, ben, cara, vic = (make_user(n) for n in ("host", "ana", "ben", "cara", "vic"))
    now = clock.now().astimezone(UTC)
    start = (now - timedelta(minutes=5)).replace(tzinfo=None, second=0, microsecond=0)
    draft = EventDraft(title="EdChat", hashtag="EdChat", time_zone="UTC", start_local=start)
    series_id, event_id = runtime.db.write(
        create_series, runtime, host.id, draft, "weekly", announce=False
    )
    chat = Chat(series_id, event_id, host, ana, ben, cara, vic)

    def post(name: str, who: User, text: str, vis: str = "public", reply: str = "") -> None:
        new = NewStatus(
            text=f"{text} {MARKERS[name]}",
            visibility=vis,
            in_reply_to_id=chat.ids[reply] if reply else None,
        )
        chat.ids[name] = runtime.db.write(post_status, runtime, who.id, new)

    post("q1", host, "Q1 How do you start a lesson? #EdChat")
    post("a1", ana, "A1 With a picture https://Example.org:443/pic?utm_source=x#top #EdChat")
    post("ben_reply", ben, "a song, and https://example.org/pic", reply="q1")
    post("cara", cara, "hello all #EdChat https://carablog.net/post")
    post("private", ana, "secret #EdChat https://secret.net/x", "private")
    post("direct", ana, "@ben just us #EdChat https://direct.net/x", "direct")
    post("deleted", ben, "oops #EdChat https://deleted.net/")
    post("q2", host, "Q2 And end one? #EdChat")
    post("a2", ana, "A2 exit tickets https://example.org/exit #EdChat")
    post("ben_agrees", ben, "agreed https://EXAMPLE.org/pic?utm_medium=y", reply="a2")
    runtime.db.write(delete_status, runtime, ben.id, chat.ids["deleted"])
    return chat


def move_clock(monkeypatch: pytest.MonkeyPatch, **delta: Any) -> datetime:
    """The server's time from now on: the real time plus ``delta``."""
    later = datetime.now(UTC) + timedelta(**delta)
    monkeypatch.setattr(clock, "now", lambda: later)
    return later
