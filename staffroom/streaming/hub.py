"""The per-process router from broker channels to streaming connections.

One :class:`Hub` per event loop (so per server process) holds ONE broker subscription whose
channels are the union of what its connections listen to. A message is decoded once, checked
against every viewer it would reach with one query (:mod:`~staffroom.streaming.filtering`),
encoded once per wire format and stream label, and queued on each connection. Messages are
handled in arrival order by a drain task that exists only while there is work.

A second task, alive only while connections exist, writes the SSE heartbeat to every SSE
connection and periodically re-checks every connection's token with one query, closing the
streams of tokens revoked since they connected.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Callable, Iterable

from sqlalchemy import Connection as DbConnection

from staffroom.db import fastsql
from staffroom.events.broker import Broker
from staffroom.events.broker import Subscription as BrokerSubscription
from staffroom.policies.visibility import PUBLIC
from staffroom.runtime import Runtime, on_tokens_revoked
from staffroom.streaming.connection import CLOSE_POLICY, Connection, Message, Subscription
from staffroom.streaming.filtering import Event, audience, decode, filtered_payloads
from staffroom.streaming.streams import MARKER, NOTIFICATION, StreamError, StreamSpec

log = logging.getLogger("staffroom.streaming")

HUB_KEY = "streaming.hub"
PUBLIC_CHANNELS = frozenset({"timeline:public", "timeline:public:local"})
INBOX_LIMIT = 10_000
TOKEN_CHUNK = 500
DEFAULTS = {"heartbeat_seconds": 15.0, "token_check_seconds": 60.0}
ENV = {
    "heartbeat_seconds": "STAFFROOM_STREAMING_HEARTBEAT",
    "token_check_seconds": "STAFFROOM_STREAMING_TOKEN_CHECK",
}


def _interval(runtime: Runtime, name: str) -> float:
    """``runtime.extras["streaming.<name>"]``, else the environment, else the default."""
    raw = runtime.extras.get(f"streaming.{name}") or os.environ.get(ENV[name])
    try:
        value = float(raw) if raw is not None else DEFAULTS[name]
    except ValueError:
        value = DEFAULTS[name]
    return value if value > 0 else DEFAULTS[name]


class _Tap(BrokerSubscription):
    """The hub's broker subscription: messages go straight to the hub, on its loop."""

    def __init__(self, broker: Broker, loop: asyncio.AbstractEventLoop, hub: Hub) -> None:
        super().__init__(broker, loop)
        self._hub = hub

    def deliver(self, channel: str, message: str) -> None:
        self._hub.receive(channel, message)


def _live_tokens(conn: DbConnection, token_ids: list[int]) -> set[int]:
    sql = "SELECT id FROM access_tokens WHERE id IN (?) AND revoked_at IS NULL"
    return {row[0] for row in fastsql.run(conn, sql, token_ids)}


def accepts(sub: Subscription, event: Event) -> bool:
    """Whether the stream may carry this kind of event (before the per-viewer check).

    Public and hashtag streams carry public posts only: delivery never publishes anything
    else there, and anything else that arrives there anyway is dropped.
    """
    kind = sub.spec.kind
    if event.name not in kind.events:
        return False
    if event.name == NOTIFICATION:
        return sub.spec.notifications
    if event.name == MARKER:
        return sub.spec.markers
    return not kind.public or event.visibility == PUBLIC


class Hub:
    """Routes broker messages to the connections of one event loop."""

    def __init__(self, runtime: Runtime, loop: asyncio.AbstractEventLoop) -> None:
        self.runtime = runtime
        self.loop = loop
        self.heartbeat_seconds = _interval(runtime, "heartbeat_seconds")
        self.token_check_seconds = _interval(runtime, "token_check_seconds")
        self.connections: set[Connection] = set()
        self._routes: dict[str, set[Subscription]] = {}
        # In-process listeners (the walls): called with each raw message of their channel.
        self._listeners: dict[str, set[Callable[[str, str], None]]] = {}
        self._tap = _Tap(runtime.broker, loop, self)
        self._inbox: list[tuple[str, str]] = []
        self._drainer: asyncio.Task[None] | None = None
        self._revocation_check: asyncio.Task[None] | None = None
        self._check_again = False
        on_tokens_revoked(runtime, self._tokens_revoked)
        self._keeper: asyncio.Task[None] | None = None

    # -- connections and subscriptions -----------------------------------------------------
    def add(self, conn: Connection) -> None:
        self.connections.add(conn)
        if self._keeper is None:
            self._keeper = self.loop.create_task(self._keep())

    async def subscribe(self, conn: Connection, spec: StreamSpec) -> None:
        """Listen to ``spec`` (a repeated subscription is a no-op)."""
        if spec.key in conn.subs or conn.closed:
            return
        sub = Subscription(conn, spec)
        conn.subs[spec.key] = sub
        subs = self._routes.setdefault(spec.channel, set())
        subs.add(sub)
        if len(subs) == 1 and spec.channel not in self._listeners:
            self._tap.add(spec.channel)
        await self._confirmed(spec.channel)

    async def listen(self, channel: str, listener: Callable[[str, str], None]) -> None:
        """Call ``listener(channel, message)`` on this loop for each message of ``channel``
        (through the hub's one broker subscription)."""
        listeners = self._listeners.setdefault(channel, set())
        listeners.add(listener)
        if len(listeners) == 1 and channel not in self._routes:
            self._tap.add(channel)
        await self._confirmed(channel)

    def unlisten(self, channel: str, listener: Callable[[str, str], None]) -> None:
        listeners = self._listeners.get(channel)
        if listeners is None:
            return
        listeners.discard(listener)
        if not listeners:
            del self._listeners[channel]
            if channel not in self._routes:
                self._tap.remove(channel)

    def unsubscribe(self, conn: Connection, key: tuple[str, str]) -> None:
        sub = conn.subs.pop(key, None)
        if sub is None:
            return
        subs = self._routes.get(sub.spec.channel)
        if subs is not None:
            subs.discard(sub)
            if not subs:
                del self._routes[sub.spec.channel]
                if sub.spec.channel not in self._listeners:
                    self._tap.remove(sub.spec.channel)

    def remove(self, conn: Connection) -> None:
        """The client has gone: forget the connection and everything it listened to."""
        self._detach(conn)
        conn.discard()

    def close(self, conn: Connection, code: int) -> None:
        """End a stream from the server side."""
        self._detach(conn)
        conn.close(code)

    def _detach(self, conn: Connection) -> None:
        for key in list(conn.subs):
            self.unsubscribe(conn, key)
        self.connections.discard(conn)
        if not self.connections and self._keeper is not None:
            self._keeper.cancel()  # nothing left to keep alive
            self._keeper = None

    async def _confirmed(self, channel: str) -> None:
        """With Redis, wait (briefly) until the server has confirmed the subscription."""
        wait = getattr(self.runtime.broker, "wait_subscribed", None)
        if wait is not None:
            with contextlib.suppress(TimeoutError):
                await wait(channel, timeout=2.0)

    # -- messages ----------------------------------------------------------------------------
    def receive(self, channel: str, message: str) -> None:
        """A broker message (called on the hub's loop)."""
        for listener in tuple(self._listeners.get(channel, ())):
            try:
                listener(channel, message)
            except Exception:
                log.exception("a streaming listener failed on %s", channel)
        if channel not in self._routes:
            return
        if len(self._inbox) >= INBOX_LIMIT:
            log.warning("streaming inbox full; dropped a message for %s", channel)
            return
        self._inbox.append((channel, message))
        if self._drainer is None:
            self._drainer = self.loop.create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self._inbox:
                batch, self._inbox = self._inbox, []
                grouped: dict[str, list[str]] = {}
                for channel, message in batch:
                    grouped.setdefault(message, []).append(channel)
                for message, channels in grouped.items():
                    try:
                        await self._dispatch(message, channels)
                    except Exception:
                        log.exception("streaming dispatch failed")
        finally:
            self._drainer = None

    async def _dispatch(self, message: str, channels: Iterable[str]) -> None:
        event = decode(message)
        if event is None:
            log.warning("ignored a malformed broker message: %.200s", message)
            return
        channels = list(channels)
        if event.visibility != PUBLIC and any(
            c in PUBLIC_CHANNELS or c.startswith("timeline:hashtag:") for c in channels
        ):
            log.warning("dropping a non-public %s event published on %s", event.name, channels)
        targets = [
            sub
            for channel in channels
            for sub in self._routes.get(channel, ())
            if accepts(sub, event)
        ]
        personal: dict[int, str] = {}  # payloads with a viewer's own ``filtered``
        if targets and event.is_status:
            viewers = {sub.conn.grant.account_id for sub in targets}
            allowed, filtering = await self.runtime.db.aread(audience, event, viewers)
            targets = [sub for sub in targets if sub.conn.grant.account_id in allowed]
            if filtering:
                personal = await self.runtime.db.aread(filtered_payloads, event, filtering)
        frames: dict[tuple[type[Connection], tuple[str, ...]], Message] = {}
        for sub in targets:
            conn = sub.conn
            if conn.subs.get(sub.spec.key) is not sub:  # unsubscribed meanwhile
                continue
            own = personal.get(conn.grant.account_id)
            if own is not None:
                conn.push(conn.frame(sub.spec.label, event.name, own))
                continue
            key = (type(conn), sub.spec.label if conn.labelled else ())
            frame = frames.get(key)
            if frame is None:
                frame = frames[key] = conn.frame(sub.spec.label, event.name, event.payload)
            conn.push(frame)

    # -- heartbeat and token re-check ------------------------------------------------------
    async def _keep(self) -> None:
        now = self.loop.time()
        next_beat, next_check = now + self.heartbeat_seconds, now + self.token_check_seconds
        try:
            while self.connections:
                await asyncio.sleep(max(0.0, min(next_beat, next_check) - self.loop.time()))
                now = self.loop.time()
                if now >= next_beat:
                    next_beat = now + self.heartbeat_seconds
                    for conn in list(self.connections):
                        beat = conn.heartbeat()
                        if beat is not None:
                            conn.push(beat)
                if now >= next_check:
                    next_check = now + self.token_check_seconds
                    try:
                        await self._recheck_tokens()
                    except Exception:
                        log.exception("streaming token re-check failed")
        finally:
            if self._keeper is asyncio.current_task():
                self._keeper = None

    def _tokens_revoked(self) -> None:
        """Some process revoked tokens: re-check this loop's connections now, not at the
        next periodic check (a revoked token's stream closes within moments)."""
        if not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._start_revocation_check)

    def _start_revocation_check(self) -> None:
        if not self.connections:
            return
        if self._revocation_check is not None and not self._revocation_check.done():
            self._check_again = True  # revoked while a check ran: check once more after it
            return
        self._revocation_check = self.loop.create_task(self._check_after_revocation())

    async def _check_after_revocation(self) -> None:
        while True:
            self._check_again = False
            try:
                await self._recheck_tokens()
            except Exception:
                log.exception("streaming token re-check after a revocation failed")
            if not self._check_again:
                return

    async def _recheck_tokens(self) -> None:
        by_token: dict[int, list[Connection]] = {}
        for conn in self.connections:
            by_token.setdefault(conn.grant.token_id, []).append(conn)
        ids = list(by_token)
        live: set[int] = set()
        for start in range(0, len(ids), TOKEN_CHUNK):
            live |= await self.runtime.db.aread(_live_tokens, ids[start : start + TOKEN_CHUNK])
        for token_id, conns in by_token.items():
            if token_id not in live:
                for conn in conns:
                    self.close(conn, CLOSE_POLICY)


async def check_list_owner(runtime: Runtime, spec: StreamSpec, account_id: int) -> None:
    """A ``list`` stream opens only for the list's owner (404 otherwise, as Mastodon)."""
    if spec.list_id is None:
        return
    from staffroom.services.lists import owns

    if not await runtime.db.aread(owns, account_id, spec.list_id):
        raise StreamError("Record not found", 404)


def hub_for(runtime: Runtime) -> Hub:
    """The hub of the running event loop (created on first use)."""
    loop = asyncio.get_running_loop()
    hub: Hub | None = runtime.extras.get(HUB_KEY)
    if hub is None or hub.loop is not loop:
        hub = runtime.extras[HUB_KEY] = Hub(runtime, loop)
    return hub
