"""Server-Sent Events clients in one process (the wall's projectors), timing when each
``event: wall`` frame with ``{"type": "post", "id": ...}`` arrives.

    python bench/sse_clients.py --url http://127.0.0.1:8771/events/1/wall/live --count 5

Speaks the same little protocol as ``bench/ws_clients.py`` (``READY <n>``, ``GOT <id>`` once
every client has a post, ``DONE`` on stdin, then ``RESULT {...}``), so ``bench/chat_room.py``
drives both alike. A stream that does not answer 200 prints ``ERROR <status> <url>`` and the
process exits with status 2. ``--tokens``/``--first``/``--no-deflate`` are accepted and
ignored (a public wall needs no sign-in).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import orjson
from ws_clients import Tally


class SseParser:
    """Incremental ``text/event-stream`` parser: ``feed`` bytes, get complete events."""

    def __init__(self) -> None:
        self._buffer = b""
        self._event = ""
        self._data: list[str] = []

    def feed(self, chunk: bytes) -> list[tuple[str, str]]:
        """(event name, data) of every event completed by ``chunk`` (comments skipped)."""
        self._buffer += chunk
        events: list[tuple[str, str]] = []
        while True:
            cut = min(
                (i for i in (self._buffer.find(b"\n"), self._buffer.find(b"\r")) if i >= 0),
                default=-1,
            )
            if cut < 0 or self._buffer[cut:] == b"\r":  # a lone CR may be half a CRLF
                return events
            line = self._buffer[:cut].decode()
            drop = 2 if self._buffer[cut : cut + 2] == b"\r\n" else 1
            self._buffer = self._buffer[cut + drop :]
            if not line:
                if self._data:
                    events.append((self._event or "message", "\n".join(self._data)))
                self._event, self._data = "", []
            elif not line.startswith(":"):
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    self._event = value
                elif name == "data":
                    self._data.append(value)


class WallTally(Tally):
    """``Tally`` for wall frames: arrivals of ``post`` events by status id."""

    def record_wall(self, event: str, data: str, now: float) -> None:
        if event != "wall":
            self.other_frames += 1
            return
        frame = orjson.loads(data)
        if frame.get("type") != "post":
            self.other_frames += 1
            return
        status_id = int(frame["id"])
        times = self.arrivals[status_id]
        times.append(now)
        if len(self.sizes) < 100:
            self.sizes.append(len(data))
        if len(times) == self.connections:
            print(f"GOT {status_id}", flush=True)


async def open_stream(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bool]:
    """Send the GET; answer (reader, writer, chunked) once a 200 head has arrived."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port or 80)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    writer.write(
        f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nAccept: text/event-stream\r\n"
        "Cache-Control: no-cache\r\n\r\n".encode()
    )
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    if status != 200:
        print(f"ERROR {status} {url}", flush=True)
        sys.exit(2)
    return reader, writer, b"transfer-encoding: chunked" in head.lower()


async def listen(reader: asyncio.StreamReader, chunked: bool, tally: WallTally) -> None:
    parser = SseParser()
    try:
        while True:
            if chunked:
                size = int((await reader.readuntil(b"\r\n")).strip() or b"0", 16)
                if size == 0:
                    return
                chunk = await reader.readexactly(size + 2)
                chunk = chunk[:-2]
            else:
                chunk = await reader.read(65536)
                if not chunk:
                    return
            now = time.monotonic()
            for event, data in parser.feed(chunk):
                tally.record_wall(event, data, now)
    except (OSError, asyncio.IncompleteReadError, ValueError):
        return  # the server went away: the coordinator sees missing arrivals


async def main_async(args: argparse.Namespace) -> None:
    streams = [await open_stream(args.url) for _ in range(args.count)]
    tally = WallTally(len(streams))
    readers = [asyncio.create_task(listen(r, chunked, tally)) for r, _, chunked in streams]
    print(f"READY {len(streams)}", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or line.strip() == "DONE":
            break
    result = {
        "connections": len(streams),
        "arrivals": {str(k): v for k, v in tally.arrivals.items()},
        "frame_sizes": tally.sizes,
        "other_frames": tally.other_frames,
    }
    sys.stdout.write("RESULT " + orjson.dumps(result).decode() + "\n")
    sys.stdout.flush()
    for task in readers:
        task.cancel()
    for _, writer, _ in streams:
        writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--tokens", type=Path)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--no-deflate", action="store_true")
    args = parser.parse_args()
    import uvloop

    uvloop.run(main_async(args))


if __name__ == "__main__":
    main()
