"""Redis pub/sub broker: a post accepted by one process reaches streams on every process.

One Redis connection per process carries every channel any local consumer listens to
(subscribing on the first local subscriber, unsubscribing after the last), and a reader task
hands messages to local subscriptions. Publishing uses a synchronous client so it can run
from worker threads right after a transaction commits.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Any

import redis
import redis.asyncio as aioredis

from staffroom.events.broker import LocalFanout, Subscription

log = logging.getLogger("staffroom.events")


class RedisBroker:
    def __init__(self, url: str) -> None:
        self.url = url
        self._sync = redis.Redis.from_url(url)
        self._fanout = LocalFanout()
        self._async: aioredis.Redis | None = None
        self._pubsub: Any = None
        self._reader: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def publish(self, channel: str, message: str) -> None:
        self._sync.publish(channel, message)

    def publish_many(self, items: Iterable[tuple[str, str]]) -> None:
        """Publish several messages in one round trip."""
        pipe = self._sync.pipeline(transaction=False)
        for channel, message in items:
            pipe.publish(channel, message)
        pipe.execute()

    async def start(self) -> None:
        if self._reader is not None:
            return
        self._loop = asyncio.get_running_loop()
        self._async = aioredis.Redis.from_url(self.url)
        self._pubsub = self._async.pubsub(ignore_subscribe_messages=True)
        # A placeholder channel keeps the connection in subscribe mode from the start.
        await self._pubsub.subscribe("staffroom:keepalive")
        self._reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        assert self._pubsub is not None
        while True:
            try:
                message = await self._pubsub.get_message(timeout=1.0)
            except asyncio.CancelledError:
                raise
            except Exception:  # connection trouble: log, back off, keep going
                log.exception("redis pub/sub read failed")
                await asyncio.sleep(0.5)
                continue
            if message is None or message.get("type") != "message":
                continue
            channel = message["channel"]
            data = message["data"]
            self._fanout.deliver(
                channel.decode() if isinstance(channel, bytes) else channel,
                data.decode() if isinstance(data, bytes) else data,
            )

    def subscribe(self, channels: Iterable[str] = ()) -> Subscription:
        sub = Subscription(self, asyncio.get_running_loop())
        for channel in channels:
            sub.add(channel)
        return sub

    def _attach(self, sub: Subscription, channel: str) -> None:
        if self._fanout.attach(sub, channel):
            self._schedule(self._pubsub.subscribe, channel)

    def _detach(self, sub: Subscription, channel: str) -> None:
        if self._fanout.detach(sub, channel):
            self._schedule(self._pubsub.unsubscribe, channel)

    def _schedule(self, op: Any, channel: str) -> None:
        if self._pubsub is None or self._loop is None:
            raise RuntimeError("RedisBroker.start() must run before subscribing")
        coro = op(channel)
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is self._loop:
            self._loop.create_task(coro)
        else:
            asyncio.run_coroutine_threadsafe(coro, self._loop)

    async def wait_subscribed(self, channel: str, timeout: float = 2.0) -> None:
        """Wait until Redis confirms ``channel`` (tests and start-up checks)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while channel.encode() not in (self._pubsub.channels or {}):
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(channel)
            await asyncio.sleep(0.01)

    def has_subscribers(self, channel: str) -> bool:
        return self._fanout.has(channel)

    def listened(self, channels: list[str]) -> list[str]:
        """Ask Redis (``PUBSUB NUMSUB``, 1,000 channels a round trip) who has listeners."""
        found: list[str] = []
        for start in range(0, len(channels), 1000):
            chunk = channels[start : start + 1000]
            counts = self._sync.pubsub_numsub(*chunk)
            found += [c for c, (_, n) in zip(chunk, counts, strict=True) if n]
        return found

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
            self._reader = None
        if self._pubsub is not None:
            with contextlib.suppress(Exception):
                await self._pubsub.aclose()
        if self._async is not None:
            await self._async.aclose()
        self._sync.close()
