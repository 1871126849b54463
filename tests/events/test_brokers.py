"""Both brokers deliver published messages to subscribers of the channel, and only to them."""

from __future__ import annotations

import asyncio
import threading

import pytest

from staffroom.events import LocalBroker
from staffroom.events.broker import QUEUE_LIMIT
from staffroom.events.redis_broker import RedisBroker

REDIS_URL = "redis://127.0.0.1:6379/15"


async def _exercise(broker: LocalBroker | RedisBroker) -> None:
    await broker.start()
    try:
        alice = broker.subscribe(["timeline:1", "timeline:public"])
        bob = broker.subscribe(["timeline:2"])
        if isinstance(broker, RedisBroker):
            for channel in ("timeline:1", "timeline:public", "timeline:2"):
                await broker.wait_subscribed(channel)
        broker.publish("timeline:1", "for alice")
        # From another thread, as a worker would after its commit.
        thread = threading.Thread(target=broker.publish, args=("timeline:public", "for all"))
        thread.start()
        thread.join()
        broker.publish("timeline:3", "for nobody here")
        got = [await asyncio.wait_for(alice.get(), 2) for _ in range(2)]
        assert sorted(got, key=str) == [("timeline:1", "for alice"), ("timeline:public", "for all")]
        assert bob.queue.empty()
        alice.remove("timeline:1")
        broker.publish("timeline:1", "gone")
        broker.publish("timeline:2", "for bob")
        assert await asyncio.wait_for(bob.get(), 2) == ("timeline:2", "for bob")
        assert alice.queue.empty()
        alice.close()
        bob.close()
        assert not broker.has_subscribers("timeline:2")
    finally:
        await broker.close()


def test_local_broker() -> None:
    asyncio.run(_exercise(LocalBroker()))


def test_redis_broker() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError as exc:  # a required service: fail, never skip
        pytest.fail(f"Redis is required at {REDIS_URL}: {exc}")
    asyncio.run(_exercise(RedisBroker(REDIS_URL)))


def test_slow_consumer_is_closed_not_buffered_forever() -> None:
    async def scenario() -> None:
        broker = LocalBroker()
        sub = broker.subscribe(["c"])
        for i in range(QUEUE_LIMIT + 5):
            broker.publish("c", str(i))
        assert sub.overflowed and sub.closed
        assert not broker.has_subscribers("c")
        assert await asyncio.wait_for(sub.get(), 1) is None  # the consumer learns it was dropped

    asyncio.run(scenario())


def test_listened_reports_only_channels_with_listeners() -> None:
    async def scenario(broker: LocalBroker | RedisBroker) -> None:
        await broker.start()
        try:
            sub = broker.subscribe(["timeline:7"])
            if isinstance(broker, RedisBroker):
                await broker.wait_subscribed("timeline:7")
            assert broker.listened(["timeline:6", "timeline:7"]) == ["timeline:7"]
            sub.close()
        finally:
            await broker.close()

    asyncio.run(scenario(LocalBroker()))
    asyncio.run(scenario(RedisBroker(REDIS_URL)))
