"""Many WebSocket clients in one process, timing when each ``update`` frame arrives.

    python bench/ws_clients.py --url ws://127.0.0.1:8767/api/v1/streaming?stream=user \
        --tokens bench/out/broadcast.sqlite3.follower_tokens.txt --first 0 --count 1000

Opens one connection per token (the token as the ``Sec-WebSocket-Protocol``, as browsers send
it), prints ``READY <n>`` once all are open, then for every ``update`` frame records
(``time.monotonic()`` on arrival, status id, frame size). ``time.monotonic`` is the system-wide
``CLOCK_MONOTONIC``, so the coordinating process can compare it with its own clock. When every
connection has received a post, prints ``GOT <status id>``. On ``DONE`` (stdin) prints one
JSON line ``RESULT {...}`` and exits. Used by ``bench/broadcast.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections import defaultdict
from pathlib import Path

import orjson
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol


class Tally:
    def __init__(self, connections: int) -> None:
        self.connections = connections
        self.arrivals: defaultdict[int, list[float]] = defaultdict(list)
        self.sizes: list[int] = []
        self.other_frames = 0

    def record(self, frame: str | bytes, now: float) -> None:
        data = orjson.loads(frame)
        if data.get("event") != "update":
            self.other_frames += 1
            return
        status_id = int(orjson.loads(data["payload"])["id"])
        times = self.arrivals[status_id]
        times.append(now)
        if len(self.sizes) < 100:
            self.sizes.append(len(frame))
        if len(times) == self.connections:
            print(f"GOT {status_id}", flush=True)


async def listen(ws: ClientConnection, tally: Tally) -> None:
    try:
        async for frame in ws:
            tally.record(frame, time.monotonic())
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
    sockets = await open_all(args.url, tokens, not args.no_deflate, args.parallel)
    readers = [asyncio.create_task(listen(ws, tally)) for ws in sockets]
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
    args = parser.parse_args()
    import uvloop

    uvloop.run(main_async(args))


if __name__ == "__main__":
    main()
