"""Open-loop HTTP load at a fixed rate, with latency measured from the *scheduled* send time.

wrk is closed-loop (a slow response delays the next request, hiding queueing: "coordinated
omission") and Debian has no wrk2, so this sends request ``i`` at ``start + i / rate`` no
matter what, over a pool of keep-alive connections. If every connection is busy the request
waits in the queue, and that wait counts in its latency, as a user would feel it.

    python bench/openloop.py --url http://127.0.0.1:8765/api/v1/timelines/home?limit=20 \
        --rate 400 --duration 20 --tokens bench/out/bench.sqlite3.home_tokens.txt

Prints one JSON object (``--json``) or a short summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Results:
    latencies: list[float] = field(default_factory=list)  # seconds, measured requests only
    statuses: Counter[int] = field(default_factory=Counter)
    send_lag: list[float] = field(default_factory=list)  # how late the generator queued
    errors: int = 0
    # with ``keep=True``: (request index, scheduled, answered, status, body) of every request
    records: list[tuple[int, float, float, int, bytes]] = field(default_factory=list)
    keep: bool = False


def build_requests(url: str, tokens: list[str]) -> tuple[str, int, list[bytes]]:
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    port = parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    base = f"GET {target} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: application/json\r\n"
    if not tokens:
        return host, port, [(base + "\r\n").encode()]
    return host, port, [(base + f"Authorization: Bearer {t}\r\n\r\n").encode() for t in tokens]


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Read one response (Content-Length framed): its status code and body."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
        elif name.strip().lower() == b"transfer-encoding":
            raise RuntimeError("chunked responses are not supported by this generator")
    body = await reader.readexactly(length) if length else b""
    return status, body


Item = tuple[int, float, bytes, bool]  # request index, scheduled time, request, measured


async def worker(host: str, port: int, queue: asyncio.Queue[Item | None], out: Results) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while (item := await queue.get()) is not None:
            index, scheduled, payload, measured = item
            try:
                writer.write(payload)
                status, body = await read_response(reader)
            except (OSError, asyncio.IncompleteReadError, RuntimeError):
                out.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            answered = time.perf_counter()
            if out.keep:
                out.records.append((index, scheduled, answered, status, body))
            if measured:
                out.latencies.append(answered - scheduled)
                out.statuses[status] += 1
    finally:
        writer.close()


async def run(
    url: str, tokens: list[str], rate: float, duration: float, warmup: float, connections: int
) -> Results:
    host, port, payloads = build_requests(url, tokens)
    return await send_at_rate(host, port, payloads, rate, duration, warmup, connections)


async def send_at_rate(
    host: str,
    port: int,
    payloads: list[bytes],
    rate: float,
    duration: float,
    warmup: float,
    connections: int,
    *,
    keep: bool = False,
) -> Results:
    """Send ``payloads`` (cycled) at ``rate`` per second; ``keep`` records every answer."""
    queue: asyncio.Queue[Item | None] = asyncio.Queue()
    out = Results(keep=keep)
    workers = [asyncio.create_task(worker(host, port, queue, out)) for _ in range(connections)]
    await asyncio.sleep(0.2)  # let the connections open
    interval = 1.0 / rate
    total = int(rate * (warmup + duration))
    first_measured = int(rate * warmup)
    start = time.perf_counter() + 0.01
    i = 0
    while i < total:
        now = time.perf_counter()
        due = start + i * interval
        if due > now:
            await asyncio.sleep(due - now)
            continue
        while i < total and start + i * interval <= now:  # catch up in a burst, stamped on time
            scheduled = start + i * interval
            queue.put_nowait((i, scheduled, payloads[i % len(payloads)], i >= first_measured))
            if i >= first_measured:
                out.send_lag.append(now - scheduled)
            i += 1
    for _ in workers:
        queue.put_nowait(None)
    await asyncio.gather(*workers)
    return out


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(pct / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


def summarise(out: Results, rate: float, duration: float) -> dict[str, object]:
    lat = sorted(out.latencies)
    lag = sorted(out.send_lag)
    ok = sum(n for status, n in out.statuses.items() if 200 <= status < 300)
    return {
        "target_rate": rate,
        "achieved_rate": round(len(lat) / duration, 1),
        "requests": len(lat),
        "ok": ok,
        "statuses": {str(k): v for k, v in sorted(out.statuses.items())},
        "errors": out.errors,
        "latency_ms": {
            name: round(percentile(lat, pct) * 1000, 3)
            for name, pct in (("p50", 50), ("p90", 90), ("p99", 99), ("p999", 99.9), ("max", 100))
        },
        "generator_lag_ms_p99": round(percentile(lag, 99) * 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Fixed-rate (open-loop) HTTP GET load.")
    parser.add_argument("--url", required=True)
    parser.add_argument("--rate", type=float, required=True, help="requests per second")
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds first")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--tokens", type=Path, help="bearer tokens, one a line (rotated)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    tokens = args.tokens.read_text().split() if args.tokens else []
    job = run(args.url, tokens, args.rate, args.duration, args.warmup, args.connections)
    try:
        import uvloop  # ships with uvicorn[standard]
    except ImportError:
        out = asyncio.run(job)
    else:
        out = uvloop.run(job)
    summary = summarise(out, args.rate, args.duration)
    print(json.dumps(summary) if args.json else json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
