"""Streaming clients as Mastodon clients connect: a WebSocket and a server-sent-events feed.

``WebSocketStream`` opens ``/api/v1/streaming?stream=user&access_token=...`` and reads
Mastodon's JSON frames (``{"stream": [...], "event": ..., "payload": "<JSON text>"}``).
``SseStream`` opens ``/api/v1/streaming/user`` with an ``Authorization`` header and parses
``event:``/``data:`` blocks on a background thread. Both hand out :class:`StreamEvent`.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
import orjson
from websockets.sync.client import ClientConnection, connect


@dataclass(frozen=True)
class StreamEvent:
    event: str
    payload: str
    stream: list[str] | None = None

    def status(self) -> dict[str, Any]:
        """The payload of an ``update`` event: a Status entity."""
        found: dict[str, Any] = orjson.loads(self.payload)
        return found


def _ws_url(http_url: str) -> str:
    return "ws" + http_url.removeprefix("http")


class WebSocketStream:
    """A user stream over the multiplexed WebSocket endpoint."""

    def __init__(self, url: str, token: str, stream: str = "user") -> None:
        self.connection: ClientConnection = connect(
            f"{_ws_url(url)}/api/v1/streaming?stream={stream}&access_token={token}",
            open_timeout=10,
        )

    def next_event(self, name: str, timeout: float) -> StreamEvent:
        """The next event called ``name`` (others are skipped); TimeoutError if none comes."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {name!r} event on the WebSocket within {timeout}s")
            frame = orjson.loads(self.connection.recv(timeout=left))
            if frame.get("event") == name:
                return StreamEvent(frame["event"], frame["payload"], frame.get("stream"))

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.connection.close()


class SseStream:
    """A user stream over server-sent events, read by a daemon thread."""

    def __init__(self, url: str, token: str, path: str = "user") -> None:
        self.events: queue.Queue[StreamEvent | BaseException] = queue.Queue()
        self.status_code: int | None = None
        self._socket: socket.socket | None = None
        self._opened = threading.Event()
        self._client = httpx.Client(timeout=httpx.Timeout(10, read=None))
        self._thread = threading.Thread(
            target=self._read,
            args=(f"{url}/api/v1/streaming/{path}", {"Authorization": f"Bearer {token}"}),
            daemon=True,
        )
        self._thread.start()
        if not self._opened.wait(10):
            raise TimeoutError("the SSE stream did not answer within 10s")
        if self.status_code != 200:
            raise AssertionError(f"SSE stream answered {self.status_code}")

    def _read(self, url: str, headers: dict[str, str]) -> None:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                self.status_code = response.status_code
                self._socket = response.extensions["network_stream"].get_extra_info("socket")
                self._opened.set()
                name, data = "", []
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        name = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].removeprefix(" "))
                    elif not line and name:
                        self.events.put(StreamEvent(name, "\n".join(data)))
                        name, data = "", []
        except BaseException as exc:  # surfaced to the test by next_event
            self.events.put(exc)
        finally:
            self._opened.set()

    def next_event(self, name: str, timeout: float) -> StreamEvent:
        """The next event called ``name`` (others are skipped); TimeoutError if none comes."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            try:
                item = self.events.get(timeout=max(left, 0.001))
            except queue.Empty:
                raise TimeoutError(
                    f"no {name!r} event on the SSE stream within {timeout}s"
                ) from None
            if isinstance(item, BaseException):
                raise AssertionError(f"the SSE stream broke: {item!r}")
            if item.event == name:
                return item

    def close(self) -> None:
        """Hang up (shutting the socket down wakes the reading thread)."""
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(5)
        self._client.close()
