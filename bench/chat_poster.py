"""The chat's posters: open-loop ``POST /api/v1/statuses`` at a fixed total rate, each post by
a random participant, 40-140 characters with the hashtag, some replying to earlier posts.

    python bench/chat_poster.py --url http://127.0.0.1:8771 --tokens participant_tokens.txt \
        --tag BenchChat --rate 10 --duration 30 --warmup 5

Post ``i`` is due at ``start + i / rate`` whatever the server does (``bench/openloop.py``'s
schedule): it is queued then, and one of ``--connections`` keep-alive connections sends it as
soon as one is free, so a slow answer never delays the schedule. ``--raw`` sends the same
bodies to the ceiling's ``POST /broadcast?id=<n>&size=<bytes>`` instead. Prints one line
``RESULT {...}``: per post (index, due, sent, answered, HTTP status, status id, measured),
times from ``time.monotonic()`` (system-wide, comparable with the viewers' clocks).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import orjson
from openloop import read_response

_WORDS = (
    "lesson starter exit ticket feedback phonics maths reading group talk questions class "
    "pupils students homework marking rubric retrieval practice quiz science project outdoor "
    "learning assessment parents wellbeing inclusion curriculum planning workload coaching "
    "peer review vocabulary writing oracy"
)
WORDS = _WORDS.split()
IDLE_SECONDS = 3.0  # a keep-alive connection idle longer is replaced before use
Record = tuple[int, float, float, float, int, int | None, bool]


def chat_text(rng: random.Random, tag: str, reply: bool) -> str:
    """A post of 40-140 characters ending with the hashtag; ``A1``-style when answering."""
    length = rng.randint(40, 140)
    head = rng.choice(("A1", "Agreed:", "Yes,", "We", "I")) if reply else rng.choice(WORDS)
    words = [head.capitalize()]
    suffix = f" #{tag}"
    while len(" ".join(words)) + len(suffix) < length:
        words.append(rng.choice(WORDS))
    if len(" ".join(words)) + len(suffix) > 140:
        words.pop()
    return " ".join(words) + suffix


class Chat:
    """Builds each request when it is sent: who posts, what, in reply to which earlier post."""

    def __init__(self, args: argparse.Namespace, host: str, port: int) -> None:
        self.rng = random.Random(args.seed)
        self.tokens = args.tokens.read_text().split()
        self.tag, self.raw, self.size = args.tag, args.raw, args.size
        self.host = f"{host}:{port}"
        self.recent: list[int] = []  # acknowledged ids: what replies answer
        self.reply_share = args.replies

    def request(self, index: int) -> bytes:
        reply_to = None
        if self.recent and self.rng.random() < self.reply_share:
            reply_to = self.rng.choice(self.recent[-30:])
        body: dict[str, object] = {
            "status": chat_text(self.rng, self.tag, reply_to is not None),
            "visibility": "public",
        }
        if reply_to is not None:
            body["in_reply_to_id"] = str(reply_to)
        data = orjson.dumps(body)
        token = self.rng.choice(self.tokens)
        target = f"/broadcast?id={index + 1}&size={self.size}" if self.raw else "/api/v1/statuses"
        head = (
            f"POST {target} HTTP/1.1\r\nHost: {self.host}\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n\r\n"
        )
        return head.encode() + data


async def sender(
    host: str,
    port: int,
    chat: Chat,
    queue: asyncio.Queue[tuple[int, float, bool] | None],
    out: list[Record],
    errors: list[str],
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    used = time.monotonic()
    while (item := await queue.get()) is not None:
        index, due, measured = item
        payload = chat.request(index)
        sent = time.monotonic()
        if sent - used > IDLE_SECONDS:  # the server may have closed it (uvicorn: after 5 s)
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
        try:
            writer.write(payload)
            status, body = await read_response(reader)
        except (OSError, asyncio.IncompleteReadError, RuntimeError) as exc:
            errors.append(f"{index}: {exc!r}")
            out.append((index, due, sent, time.monotonic(), 0, None, measured))
            writer.close()
            reader, writer = await asyncio.open_connection(host, port)
            continue
        answered = used = time.monotonic()
        status_id = int(orjson.loads(body)["id"]) if status == 200 else None
        if status != 200 and len(errors) < 20:
            errors.append(f"{index}: {status} {body[:200]!r}")
        if status_id is not None and not chat.raw:
            chat.recent.append(status_id)
        out.append((index, due, sent, answered, status, status_id, measured))
    writer.close()


async def main_async(args: argparse.Namespace) -> None:
    parts = urlsplit(args.url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    chat = Chat(args, host, port)
    queue: asyncio.Queue[tuple[int, float, bool] | None] = asyncio.Queue()
    out: list[Record] = []
    errors: list[str] = []
    senders = [
        asyncio.create_task(sender(host, port, chat, queue, out, errors))
        for _ in range(args.connections)
    ]
    await asyncio.sleep(0.2)  # let the connections open
    total = int(args.rate * (args.warmup + args.duration))
    first_measured = int(args.rate * args.warmup)
    start = time.monotonic() + 0.01
    lag: list[float] = []
    for i in range(total):
        due = start + i / args.rate
        now = time.monotonic()
        if due > now:
            await asyncio.sleep(due - now)
        lag.append(time.monotonic() - due)
        queue.put_nowait((i, due, i >= first_measured))
    for _ in senders:
        queue.put_nowait(None)
    await asyncio.gather(*senders)
    lag.sort()
    result = {
        "records": sorted(out),
        "errors": errors,
        "schedule_lag_ms_max": round(lag[-1] * 1000, 2) if lag else None,
    }
    sys.stdout.write("RESULT " + orjson.dumps(result).decode() + "\n")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="server base URL")
    parser.add_argument("--tokens", type=Path, required=True)
    parser.add_argument("--tag", required=True)
    parser.add_argument("--rate", type=float, default=10.0, help="posts per second, in total")
    parser.add_argument("--duration", type=float, default=300.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=10.0, help="unmeasured seconds first")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--replies", type=float, default=0.3, help="share of replies")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--raw", action="store_true", help="POST /broadcast (the ceiling)")
    parser.add_argument("--size", type=int, default=2000, help="--raw: frame bytes")
    args = parser.parse_args()
    import uvloop

    uvloop.run(main_async(args))


if __name__ == "__main__":
    main()
