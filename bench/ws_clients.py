"""Many WebSocket clients in one process, timing when each ``update`` frame arrives.

    python bench/ws_clients.py --url ws://127.0.0.1:8767/api/v1/streaming?stream=user \
        --tokens bench/out/broadcast.sqlite3.follower_tokens.txt --first 0 --count 1000

Opens one connection per token (the token as the ``Sec-WebSocket-Protocol``, as browsers send
it), prints ``READY <n>`` once all are open, then for every ``update`` frame records
(``time.monotonic()`` on arrival, status id, frame size). ``time.monotonic`` is the system-wide
``CLOCK_MONOTONIC``, so the coordinating process can compare it with its own clock. When every
connection has received a post, prints ``GOT <status id>``. On ``DONE`` (stdin) prints one
JSON line ``RESULT {...}`` and exits. Used by ``bench/broadcast.py``.

``--follow <url>`` does what the live room page (``static/js/60-room.js``) does on each
``update``: GET ``<url>&since_id=<newest shown>`` (one request in flight per viewer and at
most one started per 500 ms, a further update meanwhile asks for one more afterwards,
keep-alive, signed in with the viewer's session cookie when ``--cookies`` gives them), and
records when each post's ``data-room-post`` first arrives in a fragment (``fragments`` in the
result; ``FGOT <id>`` once every connection has it). Used by ``bench/chat_room.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol


class Tally:
    def __init__(self, connections: int) -> None:
        self.connections = connections
        self.arrivals: defaultdict[int, list[float]] = defaultdict(list)
        self.sizes: list[int] = []
        self.other_frames = 0
        self.fragments: defaultdict[int, list[float]] = defaultdict(list)
        self.fragment_requests = 0
        self.fragment_errors: list[str] = []

    def record_fragment(self, status_id: int, now: float) -> None:
        times = self.fragments[status_id]
        times.append(now)
        if len(times) == self.connections:
            print(f"FGOT {status_id}", flush=True)

    def record(self, frame: str | bytes, now: float) -> bool:
        """Note an ``update`` frame's arrival; answers whether it was one."""
        data = orjson.loads(frame)
        if data.get("event") != "update":
            self.other_frames += 1
            return False
        status_id = int(orjson.loads(data["payload"])["id"])
        times = self.arrivals[status_id]
        times.append(now)
        if len(self.sizes) < 100:
            self.sizes.append(len(frame))
        if len(times) == self.connections:
            print(f"GOT {status_id}", flush=True)
        return True


POST_ID = re.compile(rb'data-room-post="(\d+)"')


GAP = 0.5  # as 60-room.js: at most one fragment request started per 500 ms


class Follower:
    """One viewer's fragment fetches after updates, coalesced as the room page does."""

    def __init__(self, url: str, tally: Tally, cookie: str = "") -> None:
        self.url, self.tally = url, tally
        self.cookie = f"Cookie: {cookie}\r\n" if cookie else ""
        self.newest = ""
        self.busy = self.again = False
        self.conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        self.task: asyncio.Task[None] | None = None
        self.used = 0.0
        self.started = 0.0

    def poke(self) -> None:
        if self.busy:
            self.again = True
        else:
            self.busy = True
            self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            self.again = False
            wait = self.started + GAP - time.monotonic()
            if wait > 0:  # the page starts at most one request per GAP
                await asyncio.sleep(wait)
            self.started = time.monotonic()
            try:
                await self._fetch()
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                self.tally.fragment_errors.append(repr(exc)[:200])
                self.conn = None
            if not self.again:
                self.busy = False
                return

    async def _fetch(self) -> None:
        parts = urlsplit(self.url)
        if self.conn is not None and time.monotonic() - self.used > 3.0:
            self.conn[1].close()  # idle: the server may have closed it (uvicorn: after 5 s)
            self.conn = None
        if self.conn is None:
            self.conn = await asyncio.open_connection(parts.hostname, parts.port or 80)
        reader, writer = self.conn
        target = f"{parts.path}?{parts.query}" + (f"&since_id={self.newest}" if self.newest else "")
        writer.write(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n{self.cookie}\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        fields = {
            k.strip().lower(): v.strip()
            for k, _, v in (line.partition(b":") for line in head.split(b"\r\n")[1:])
        }
        if b"content-length" not in fields:
            raise ValueError("the fragment has no Content-Length")
        body = await reader.readexactly(int(fields[b"content-length"]))
        now = self.used = time.monotonic()
        self.tally.fragment_requests += 1
        if int(head[9:12]) != 200:
            raise ValueError(f"fragment answered {head[9:12].decode()}")
        for raw_id in dict.fromkeys(POST_ID.findall(body)):
            self.tally.record_fragment(int(raw_id), now)
        if fields.get(b"x-newest"):
            self.newest = fields[b"x-newest"].decode()


async def listen(ws: ClientConnection, tally: Tally, follower: Follower | None = None) -> None:
    try:
        async for frame in ws:
            if tally.record(frame, time.monotonic()) and follower is not None:
                follower.poke()
    except Exception:  # the server went away: the coordinator sees missing arrivals
        return


async def open_all(
    url: str, tokens: list[str], deflate: bool, parallel: int
) -> list[ClientConnection]:
    gate = asyncio.Semaphore(parallel)

    async def one(token: str) -> ClientConnection:
        async with gate:
            return await connect(
                url,
                subprotocols=[Subprotocol(token)],
                compression="deflate" if deflate else None,
                max_queue=None,
                ping_interval=None,
                open_timeout=60,
            )

    return list(await asyncio.gather(*(one(t) for t in tokens)))


async def main_async(args: argparse.Namespace) -> None:
    tokens = args.tokens.read_text().split()[args.first : args.first + args.count]
    tally = Tally(len(tokens))
    cookies = (
        args.cookies.read_text().split("\n")[args.first : args.first + args.count]
        if args.cookies
        else [""] * len(tokens)
    )
    sockets = await open_all(args.url, tokens, not args.no_deflate, args.parallel)
    readers = [
        asyncio.create_task(
            listen(ws, tally, Follower(args.follow, tally, cookie) if args.follow else None)
        )
        for ws, cookie in zip(sockets, cookies, strict=False)
    ]
    print(f"READY {len(sockets)}", flush=True)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line or line.strip() == "DONE":
            break
    result = {
        "connections": len(sockets),
        "arrivals": {str(k): v for k, v in tally.arrivals.items()},
        "frame_sizes": tally.sizes,
        "other_frames": tally.other_frames,
        "fragments": {str(k): v for k, v in tally.fragments.items()},
        "fragment_requests": tally.fragment_requests,
        "fragment_errors": tally.fragment_errors[:20],
        "fragment_error_count": len(tally.fragment_errors),
    }
    sys.stdout.write("RESULT " + orjson.dumps(result).decode() + "\n")
    sys.stdout.flush()
    for task in readers:
        task.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--tokens", type=Path, required=True)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=50, help="handshakes at once")
    parser.add_argument("--no-deflate", action="store_true", help="no permessage-deflate")
    parser.add_argument("--follow", help="fragment URL fetched after each update (room page)")
    parser.add_argument(
        "--cookies", type=Path, help="one Cookie header value per token line (signed-in pages)"
    )
    args = parser.parse_args()
    import uvloop

    uvloop.run(main_async(args))


if __name__ == "__main__":
    main()
