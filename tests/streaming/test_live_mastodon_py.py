"""Mastodon.py's streaming clients against a real server: each event within two seconds.

SSE streams (``stream_user``, ``stream_user_notifications``, ``stream_hashtag``) run in
Mastodon.py's own thread (``run_async=True``); the listener's first heartbeat (the ``:)``
comment the server writes once the stream is subscribed) says the stream is live. The
WebSocket handle (``stream_open_websocket``) is checked the same way, its subscriptions made
live by a rejected bogus subscription, whose error comes back after them.
"""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from mastodon import Mastodon, StreamListener

from tests.streaming.live import Person, StreamingServer

pytestmark = pytest.mark.e2e

DEADLINE = 2.0


class Recorder(StreamListener):  # type: ignore[misc]
    """Keeps every event (kind, status ID) in arrival order."""

    def __init__(self) -> None:
        self.events: queue.Queue[tuple[str, str]] = queue.Queue()
        self.live = threading.Event()
        self.errors: queue.Queue[Any] = queue.Queue()

    def handle_heartbeat(self) -> None:
        self.live.set()

    def on_update(self, status: Any) -> None:
        self.events.put(("update", str(status["id"])))

    def on_notification(self, notification: Any) -> None:
        status = notification.get("status")
        self.events.put(("notification", str(status["id"]) if status else ""))

    def on_delete(self, status_id: Any) -> None:
        self.events.put(("delete", str(status_id)))

    def on_websocket_error(self, error: Any, for_stream: Any = None) -> None:
        self.errors.put(error)

    def expect(self, kind: str, status_id: str, since: float) -> None:
        """``kind`` for ``status_id`` arrives by ``since + DEADLINE`` (other events skipped)."""
        while True:
            left = since + DEADLINE - time.monotonic()
            try:
                got = self.events.get(timeout=max(left, 0.001))
            except queue.Empty:
                raise AssertionError(f"no {kind} for {status_id} within {DEADLINE}s") from None
            if got == (kind, status_id):
                return


@pytest.fixture
def masto(live: StreamingServer) -> Callable[[Person], Mastodon]:
    def make(someone: Person) -> Mastodon:
        return Mastodon(
            access_token=someone.token, api_base_url=live.url, version_check_mode="none"
        )

    return make


@pytest.fixture
def handles() -> Iterator[list[Any]]:
    """Stream handles to close after the test."""
    opened: list[Any] = []
    yield opened
    for handle in opened:
        handle.close()


def test_stream_user_gets_update_notification_and_delete(
    person: Callable[..., Person], masto: Callable[[Person], Mastodon], handles: list[Any]
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice, as_bob = masto(alice), masto(bob)
    as_alice.account_follow(bob.id)
    home, mentions = Recorder(), Recorder()
    handles.append(as_alice.stream_user(home, run_async=True))
    handles.append(as_alice.stream_user_notifications(mentions, run_async=True))
    assert home.live.wait(5) and mentions.live.wait(5)

    status = as_bob.status_post("Plenary in the hall at three")
    home.expect("update", str(status["id"]), time.monotonic())
    mention = as_bob.status_post(f"@{alice.username} can you chair it?")
    since = time.monotonic()
    home.expect("notification", str(mention["id"]), since)
    mentions.expect("notification", str(mention["id"]), since)
    as_bob.status_delete(status["id"])
    home.expect("delete", str(status["id"]), time.monotonic())


def test_stream_hashtag_gets_update_and_delete(
    person: Callable[..., Person], masto: Callable[[Person], Mastodon], handles: list[Any]
) -> None:
    alice, bob = person("alice"), person("bob")
    tag = f"EdChat{uuid.uuid4().hex[:8]}"
    listener = Recorder()
    handles.append(masto(alice).stream_hashtag(tag, listener, run_async=True))
    assert listener.live.wait(5)
    as_bob = masto(bob)
    status = as_bob.status_post(f"Tonight's #{tag.lower()} question: homework?")
    listener.expect("update", str(status["id"]), time.monotonic())
    as_bob.status_delete(status["id"])
    listener.expect("delete", str(status["id"]), time.monotonic())


def test_websocket_handle_multiplexes_streams(
    person: Callable[..., Person], masto: Callable[[Person], Mastodon], handles: list[Any]
) -> None:
    alice, bob = person("alice"), person("bob")
    tag = f"Maths{uuid.uuid4().hex[:8]}"
    home, tagged = Recorder(), Recorder()
    socket = masto(alice).stream_open_websocket(home)
    handles.append(socket)
    socket.subscribe("user")
    socket.subscribe("hashtag", listener=tagged, tag=tag)
    socket.subscribe("-settle-")
    error = home.errors.get(timeout=5)  # answered after both subscriptions went live
    assert "Unknown stream type" in str(error)

    as_bob = masto(bob)
    status = as_bob.status_post(f"@{alice.username} #{tag} puzzle of the week")
    since = time.monotonic()
    home.expect("notification", str(status["id"]), since)
    tagged.expect("update", str(status["id"]), since)
    as_bob.status_delete(status["id"])
    tagged.expect("delete", str(status["id"]), time.monotonic())
