"""Scale-out: two web processes and one worker process share PostgreSQL and Redis.

A post made through web process 1 must reach its followers' home timelines read through web
process 2 within seconds, and be streamed to clients connected to process 2 (Redis pub/sub
carries the event from the worker to every web process).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
import redis

from tests.scaleout.people import feed_key, follow, home_ids, post, sign_up
from tests.scaleout.processes import Cluster, eventually
from tests.scaleout.streams import SseStream, WebSocketStream

pytestmark = pytest.mark.e2e


def _subscribed(client: redis.Redis, account_id: int) -> None:
    """Some process listens on the account's user channel (its stream is live in Redis)."""
    [(_, listeners)] = client.pubsub_numsub(f"timeline:{account_id}")
    assert listeners >= 1, f"no process subscribed to timeline:{account_id} yet"


def test_post_through_one_process_reaches_followers_through_another(
    make_cluster: Callable[..., Cluster], redis_client: redis.Redis
) -> None:
    cluster = make_cluster(redis=True)
    web1, web2 = cluster.start_web(), cluster.start_web()
    cluster.start_worker()

    alice = sign_up(web1.url, "alice")
    bob = sign_up(web2.url, "bob")
    carol = sign_up(web1.url, "carol")
    dave = sign_up(web2.url, "dave")  # follows nobody
    follow(web2.url, bob, alice)
    follow(web1.url, carol, alice)
    # Reading home once keeps a timeline (the Redis store writes only into kept ones).
    for reader in (bob, carol, dave):
        assert home_ids(web2.url, reader) == []
        assert redis_client.exists(feed_key(reader.id))

    websocket = WebSocketStream(web2.url, bob.token)
    sse = SseStream(web2.url, carol.token)
    try:
        eventually(lambda: _subscribed(redis_client, bob.id), timeout=5)
        eventually(lambda: _subscribed(redis_client, carol.id), timeout=5)

        posted_at = time.monotonic()
        status_id = post(web1.url, alice, "Reading group moved to room 4 #EdChat")

        def in_both_timelines() -> None:
            assert str(status_id) in home_ids(web2.url, bob)
            assert str(status_id) in home_ids(web2.url, carol)

        eventually(in_both_timelines, timeout=5)
        assert time.monotonic() - posted_at <= 5

        pushed = websocket.next_event("update", timeout=5)
        assert pushed.stream == ["user"]
        for event in (pushed, sse.next_event("update", timeout=5)):
            status = event.status()
            assert status["id"] == str(status_id)
            assert status["account"]["id"] == str(alice.id)
            assert "room 4" in status["content"]
            # Every process renders links with the one public URL.
            assert status["url"] == f"{cluster.base_url}/@alice/{status_id}"
    finally:
        websocket.close()
        sse.close()
    assert home_ids(web2.url, dave) == []
    assert home_ids(web1.url, bob)[0] == str(status_id)  # the same timeline via process 1
