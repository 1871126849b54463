"""The event broker interface and its in-process implementation.

Channels are strings (``timeline:<account_id>``, ``timeline:public``,
``timeline:hashtag:<tag>`` ...). Messages are already-encoded strings. ``publish`` is
synchronous and thread-safe, so services and workers call it after their transaction
commits, from any thread; subscribers are asyncio consumers (streaming connections).

Each subscription has a bounded queue: a consumer that falls too far behind is closed rather
than letting the process's memory grow (the client reconnects and reloads).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterable
from typing import Protocol

QUEUE_LIMIT = 512


class Subscription:
    """One consumer's view of the broker: a set of channels and a queue of messages."""

    def __init__(self, broker: Broker, loop: asyncio.AbstractEventLoop) -> None:
        self._broker = broker
        self.loop = loop
        self.channels: set[str] = set()
        self.queue: asyncio.Queue[tuple[str, str] | None] = asyncio.Queue(QUEUE_LIMIT)
        self.overflowed = False
        self.closed = False

    def add(self, channel: str) -> None:
        if channel not in self.channels:
            self.channels.add(channel)
            self._broker._attach(self, channel)

    def remove(self, channel: str) -> None:
        if channel in self.channels:
            self.channels.discard(channel)
            self._broker._detach(self, channel)

    def deliver(self, channel: str, message: str) -> None:
        """Called on the subscription's loop."""
        if self.closed:
            return
        try:
            self.queue.put_nowait((channel, message))
        except asyncio.QueueFull:
            self.overflowed = True
            self.close()

    async def get(self) -> tuple[str, str] | None:
        """The next (channel, message), or ``None`` once closed."""
        if self.closed and self.queue.empty():
            return None
        return await self.queue.get()

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for channel in list(self.channels):
            self.remove(channel)
        if self.overflowed:  # the consumer is being dropped: discard what it could not take
            while not self.queue.empty():
                self.queue.get_nowait()
        try:
            self.queue.put_nowait(None)
        except asyncio.QueueFull:
            self.queue.get_nowait()
            self.queue.put_nowait(None)


class Broker(Protocol):
    def publish(self, channel: str, message: str) -> None: ...

    def subscribe(self, channels: Iterable[str] = ()) -> Subscription: ...

    def _attach(self, sub: Subscription, channel: str) -> None: ...

    def _detach(self, sub: Subscription, channel: str) -> None: ...

    def has_subscribers(self, channel: str) -> bool: ...

    def listened(self, channels: list[str]) -> list[str]:
        """The channels among ``channels`` that someone, in any process, listens to."""
        ...

    async def start(self) -> None: ...

    async def close(self) -> None: ...


class LocalFanout:
    """Channel → local subscriptions, delivering on each subscription's event loop."""

    def __init__(self) -> None:
        self._subs: dict[str, set[Subscription]] = {}
        self._lock = threading.Lock()

    def attach(self, sub: Subscription, channel: str) -> bool:
        """Add; True if this is the channel's first local subscriber."""
        with self._lock:
            subs = self._subs.setdefault(channel, set())
            subs.add(sub)
            return len(subs) == 1

    def detach(self, sub: Subscription, channel: str) -> bool:
        """Remove; True if the channel has no local subscriber left."""
        with self._lock:
            subs = self._subs.get(channel)
            if not subs:
                return False
            subs.discard(sub)
            if not subs:
                del self._subs[channel]
                return True
            return False

    def has(self, channel: str) -> bool:
        return channel in self._subs

    @property
    def channels(self) -> dict[str, set[Subscription]]:
        """Channels with local subscribers (read-only: change them with attach/detach)."""
        return self._subs

    def deliver(self, channel: str, message: str) -> None:
        with self._lock:
            subs = list(self._subs.get(channel, ()))
        for sub in subs:
            try:
                running = asyncio.get_running_loop()
            except RuntimeError:
                running = None
            if running is sub.loop:
                sub.deliver(channel, message)
            elif not sub.loop.is_closed():
                sub.loop.call_soon_threadsafe(sub.deliver, channel, message)


class LocalBroker:
    """Everything in one process (the embedded default)."""

    def __init__(self) -> None:
        self._fanout = LocalFanout()

    def publish(self, channel: str, message: str) -> None:
        self._fanout.deliver(channel, message)

    def subscribe(self, channels: Iterable[str] = ()) -> Subscription:
        sub = Subscription(self, asyncio.get_running_loop())
        for channel in channels:
            sub.add(channel)
        return sub

    def _attach(self, sub: Subscription, channel: str) -> None:
        self._fanout.attach(sub, channel)

    def _detach(self, sub: Subscription, channel: str) -> None:
        self._fanout.detach(sub, channel)

    def has_subscribers(self, channel: str) -> bool:
        return self._fanout.has(channel)

    def listened(self, channels: list[str]) -> list[str]:
        subscribed = self._fanout.channels
        return [c for c in channels if c in subscribed] if subscribed else []

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None
