"""One streaming client: its subscriptions, its outbox and its wire format.

An idle connection owns no task of its own: the ASGI handler that accepted it waits for the
client to leave, and frames are written by a short-lived flush task that exists only while
the outbox has something in it. A client that stops reading while frames pile up past
:data:`OUTBOX_LIMIT` is closed (it reconnects and reloads), so memory stays bounded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

import orjson

from staffroom.streaming.grants import Grant
from staffroom.streaming.streams import FILTERS_CHANGED, StreamSpec

log = logging.getLogger("staffroom.streaming")

Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]

OUTBOX_LIMIT = 256
# WebSocket close codes (RFC 6455) for the ways the server ends a stream.
CLOSE_NORMAL, CLOSE_GOING_AWAY, CLOSE_POLICY, CLOSE_TRY_AGAIN = 1000, 1001, 1008, 1013


class Subscription:
    """One stream a connection listens to."""

    __slots__ = ("conn", "spec")

    def __init__(self, conn: Connection, spec: StreamSpec) -> None:
        self.conn = conn
        self.spec = spec


class Connection:
    """A client's outbox; subclasses give the wire format."""

    __slots__ = ("_flusher", "_open", "_outbox", "_send", "closed", "grant", "subs")

    # Whether frames name their stream (and so must be encoded per subscription).
    labelled: ClassVar[bool] = False

    def __init__(self, grant: Grant, send: Send) -> None:
        self.grant = grant
        self.subs: dict[tuple[str, str], Subscription] = {}
        self.closed = False
        self._send = send
        self._outbox: list[Message] = []
        self._flusher: asyncio.Task[None] | None = None
        self._open = False

    # -- wire format -----------------------------------------------------------------------
    @staticmethod
    def frame(label: tuple[str, ...], event: str, payload: str) -> Message:
        raise NotImplementedError

    def heartbeat(self) -> Message | None:
        """A keep-alive frame, or ``None`` if the transport keeps itself alive."""
        return None

    def final(self, code: int) -> Message | None:
        """What ends the stream when the server closes it (``code``: WebSocket close code)."""
        return None

    def coalesce(self, batch: list[Message]) -> list[Message]:
        return batch

    # -- outbox -----------------------------------------------------------------------------
    def push(self, message: Message) -> None:
        """Queue a frame (sent once the connection is open)."""
        if self.closed:
            return
        if len(self._outbox) >= OUTBOX_LIMIT:
            log.info(
                "closing a streaming client that stopped reading (account %s)",
                self.grant.account_id,
            )
            self.close(CLOSE_TRY_AGAIN)
            return
        self._outbox.append(message)
        self._kick()

    def open(self) -> None:
        """The handshake is done: start writing."""
        self._open = True
        self._kick()

    def close(self, code: int = CLOSE_NORMAL) -> None:
        """End the stream from the server side (dropping unsent frames)."""
        if self.closed:
            return
        self.closed = True
        final = self.final(code)
        self._outbox = [final] if final is not None else []
        self._kick()

    def discard(self) -> None:
        """The client has gone: drop everything."""
        self.closed = True
        self._outbox = []
        if self._flusher is not None and self._flusher is not asyncio.current_task():
            self._flusher.cancel()
        self._flusher = None

    def _kick(self) -> None:
        if self._open and self._flusher is None and self._outbox:
            self._flusher = asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        try:
            while self._outbox:
                batch, self._outbox = self._outbox, []
                for message in self.coalesce(batch):
                    await self._send(message)
        except asyncio.CancelledError:
            raise
        except Exception:  # the client went away mid-write; its handler cleans up
            self.closed = True
            self._outbox = []
        finally:
            self._flusher = None


class SSEConnection(Connection):
    """``text/event-stream``: ``event:``/``data:`` lines, ``:thump`` comments as heartbeat."""

    __slots__ = ()

    HEARTBEAT: ClassVar[Message] = {
        "type": "http.response.body",
        "body": b":thump\n\n",
        "more_body": True,
    }

    @staticmethod
    def frame(label: tuple[str, ...], event: str, payload: str) -> Message:
        data = "".join(f"data: {line}\n" for line in payload.split("\n"))
        body = f"event: {event}\n{data}\n".encode()
        return {"type": "http.response.body", "body": body, "more_body": True}

    @staticmethod
    def comment(text: str) -> Message:
        return {"type": "http.response.body", "body": f":{text}\n\n".encode(), "more_body": True}

    def heartbeat(self) -> Message | None:
        return self.HEARTBEAT

    def final(self, code: int) -> Message | None:
        return {"type": "http.response.body", "body": b"", "more_body": False}

    def coalesce(self, batch: list[Message]) -> list[Message]:
        if len(batch) < 2 or not all(m.get("more_body") for m in batch):
            return batch
        body = b"".join(m["body"] for m in batch)
        return [{"type": "http.response.body", "body": body, "more_body": True}]


class WebSocketConnection(Connection):
    """JSON text frames ``{"stream": [...], "event": ..., "payload": "..."}``."""

    __slots__ = ()
    labelled = True

    @staticmethod
    def frame(label: tuple[str, ...], event: str, payload: str) -> Message:
        if event == FILTERS_CHANGED:  # no payload, as Mastodon sends it over WebSocket
            text = orjson.dumps({"stream": label, "event": event}).decode()
        else:
            text = orjson.dumps({"stream": label, "event": event, "payload": payload}).decode()
        return {"type": "websocket.send", "text": text}

    @staticmethod
    def error(message: str, status: int) -> Message:
        text = orjson.dumps({"error": message, "status": status}).decode()
        return {"type": "websocket.send", "text": text}

    def final(self, code: int) -> Message | None:
        return {"type": "websocket.close", "code": code}
