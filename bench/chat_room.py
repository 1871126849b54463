"""Issue 15: a hashtag chat under load. 300 participants post 10 posts/s in total (open loop)
for ``--duration`` seconds while 200 room viewers watch by WebSocket and 5 projectors show the
wall by Server-Sent Events: how long from sending a post until each viewer has it.

    python bench/chat_room.py                      # 5 minutes + warm-up; --duration 30 to try

Dataset (``bench/chat_room_data.py``): a fresh SQLite database (``--database-url`` for a
scratch PostgreSQL database, with ``--redis-url``), participants and viewers with tokens
(viewers are other accounts than the participants: they only watch), and a live event made
by ``services.events.create_event`` with two hosts. ``staffroom serve`` runs on CPU 0 as in
``bench/broadcast.py``; everything else (viewers, projectors, posters) on CPU 1.

- **Room**: ``--viewers`` WebSockets to ``/api/v1/streaming?stream=hashtag&tag=<tag>`` (the
  stream the live room page subscribes to), ``bench/ws_clients.py`` processes. Latency: from
  just before a post's POST is written to its ``update`` frame at each viewer.
- **Wall**: ``--walls`` clients of ``GET /events/{id}/wall/live`` (``bench/sse_clients.py``);
  latency: POST sent -> that post's ``event: wall`` ``{"type": "post"}`` frame. A 404 there
  fails the run. ``--wall-stub`` serves the stream from ``bench/wall_stub.py`` instead (tests
  the harness only: its figures are not the wall's).
- **Load**: ``bench/chat_poster.py`` (its own process): post ``i`` is due at
  ``start + i / rate``, by a random participant, 40-140 characters with the hashtag, 30%
  replies to recent posts, over a pool of keep-alive connections so that the schedule never
  waits on the server.
- **Ceiling**, same run: ``bench/raw_broadcast_server.py`` (bare ASGI, same uvicorn options,
  same CPU) sends frames of the room's median size to the same sockets and wall frames to
  the same number of SSE clients, triggered by the same poster on the same schedule.

Targets: room p99 <= 1 s, wall p99 <= 2 s, no errors, nothing missing. Writes
``<out>/chat-room-<time>.json`` and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import orjson
from broadcast import Clients
from chat_room_data import fresh_postgres, fresh_sqlite, make_dataset
from chat_room_report import evaluate, summary
from servers import (
    HERE,
    CpuWatch,
    Proc,
    load_average,
    pinned,
    spawn,
    staffroom_env,
    start_serve,
    summary_ms,
    two_cpus,
    uptime,
    wait_http,
)

UVICORN_WS = ["--ws", "websockets-sansio", "--ws-per-message-deflate", "false"]


def check_wall(url: str) -> None:
    """Fail the run unless ``url`` opens an event stream (a 404: the wall is not there)."""
    try:
        request = urllib.request.Request(url, headers={"Accept": "text/event-stream"})
        with urllib.request.urlopen(request, timeout=10) as response:
            kind = response.headers.get("content-type", "")
    except urllib.error.HTTPError as exc:
        raise SystemExit(
            f"FAIL: the wall stream {url} answered {exc.code}"
            + (" (no such endpoint: is the wall merged?)" if exc.code == 404 else "")
        ) from None
    if not kind.startswith("text/event-stream"):
        raise SystemExit(f"FAIL: the wall stream {url} answered {kind!r}, not an event stream")


def check_fragment(url: str) -> None:
    """Fail the run unless the room page's fragment answers (404: no room page merged)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise SystemExit(
            f"FAIL: the room fragment {url} answered {exc.code}"
            " (is the room page merged? --frames-only measures the hashtag stream alone)"
        ) from None


def poster(args: argparse.Namespace, base: str, raw_size: int | None) -> subprocess.Popen[str]:
    command = [
        sys.executable,
        str(HERE / "chat_poster.py"),
        "--url",
        base,
        "--tokens",
        str(args.out / "participant_tokens.txt"),
        "--tag",
        args.hashtag,
        "--rate",
        str(args.rate),
        "--duration",
        str(args.duration),
        "--warmup",
        str(args.warmup),
        "--connections",
        str(args.connections),
        *(["--raw", "--size", str(raw_size)] if raw_size is not None else []),
    ]
    return subprocess.Popen(pinned(args.client_cpu, command), stdout=subprocess.PIPE, text=True)


def latencies(
    results: list[dict[str, Any]], sent: dict[int, float], connections: int, key: str = "arrivals"
) -> dict[str, Any]:
    """Arrival minus send time of every measured post at every client, and what is missing."""
    values: list[float] = []
    for status_id, started in sent.items():
        values += [t - started for r in results for t in r[key].get(str(status_id), [])]
    sizes = sorted(s for r in results for s in r["frame_sizes"])
    return {
        "clients": connections,
        "deliveries": len(values),
        "missing": len(sent) * connections - len(values),
        "latency_ms": summary_ms(values),
        "frame_bytes_median": sizes[len(sizes) // 2] if sizes else None,
    }


def measure(
    args: argparse.Namespace,
    name: str,
    base: str,
    room_url: str,
    wall_url: str,
    servers: list[Proc],
    raw_size: int | None = None,
    fragment_url: str = "",
) -> dict[str, Any]:
    """Open viewers and projectors, run the poster, collect every arrival. ``fragment_url``:
    each viewer also fetches the room page's fragment after each update, as the page does."""
    if args.walls:
        check_wall(wall_url)
    if fragment_url:
        check_fragment(fragment_url)
    tokens = args.out / "viewer_tokens.txt"
    room = Clients(
        room_url,
        tokens,
        args.viewers,
        args.clients,
        args.client_cpu,
        not args.no_deflate,
        extra=(
            ("--follow", fragment_url, "--cookies", str(args.out / "viewer_cookies.txt"))
            if fragment_url
            else ()
        ),
    )
    walls = None
    if args.walls:
        walls = Clients(
            wall_url, tokens, args.walls, 1, args.client_cpu, False, script="sse_clients.py"
        )
    try:
        return run_chat(args, name, base, room, walls, servers, raw_size, bool(fragment_url))
    finally:  # on failure, leave no client behind
        for proc in room.procs + (walls.procs if walls else []):
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def run_chat(
    args: argparse.Namespace,
    name: str,
    base: str,
    room: Clients,
    walls: Clients | None,
    servers: list[Proc],
    raw_size: int | None,
    follow: bool,
) -> dict[str, Any]:
    opened = time.monotonic()
    sockets = sum(int(line.split()[1]) for line in room.expect("READY ", 300))
    streams = sum(int(line.split()[1]) for line in walls.expect("READY ", 60)) if walls else 0
    print(
        f"-- {name}: {sockets} sockets, {streams} wall streams in "
        f"{time.monotonic() - opened:.1f}s; posting for {args.warmup + args.duration:.0f}s",
        flush=True,
    )
    time.sleep(1.0)
    load_before = load_average()
    post = poster(args, base, raw_size)
    watched = [(s.name, s.pid) for s in servers] + [("bench", os.getpid()), ("poster", post.pid)]
    watched += [("viewers", p.pid) for p in room.procs]
    watched += [("walls", p.pid) for p in walls.procs] if walls else []
    with CpuWatch(lambda: watched) as cpu:
        out, _ = post.communicate()
    outcome = orjson.loads(out.split("RESULT ", 1)[1])
    records = outcome["records"]
    measured = [r for r in records if r[6]]
    sent = {r[5]: r[2] for r in measured if r[5] is not None}
    due = {r[5]: r[1] for r in measured if r[5] is not None}
    if sent:  # let the last posts arrive everywhere (or time out)
        last = max(sent)
        room.expect(f"GOT {last}", args.settle)
        if follow:
            room.expect(f"FGOT {last}", args.settle)
        if walls:
            walls.expect(f"GOT {last}", args.settle)
    room_results = room.finish()
    wall_results = walls.finish() if walls else []
    errors = [r for r in records if r[4] != 200]
    sends = sorted(r[2] for r in measured)
    result = {
        "posts_measured": len(measured),
        "posts_ok": len(sent),
        "errors": len(errors),
        "error_samples": outcome["errors"][:5],
        "target_rate": args.rate,
        # accepted posts over the measured window, and over the span their POSTs really went
        # out in (lower when the posters fell behind: all connections waiting on answers)
        "achieved_rate": round(len(sent) / args.duration, 2),
        "send_rate": round((len(sends) - 1) / (sends[-1] - sends[0]), 2)
        if len(sends) > 1
        else None,
        "send_delay_ms": summary_ms([r[2] - r[1] for r in measured]),
        "ack_ms": summary_ms([r[3] - r[2] for r in measured]),
        "room": latencies(room_results, sent, sockets),
        "room_from_due_ms": latencies(room_results, due, sockets)["latency_ms"],
        "room_page": {
            **latencies(room_results, sent, sockets, "fragments"),
            "requests": sum(r["fragment_requests"] for r in room_results),
            "request_errors": sum(r["fragment_error_count"] for r in room_results),
            "request_error_samples": [e for r in room_results for e in r["fragment_errors"]][:5],
        }
        if follow
        else None,
        "wall": latencies(wall_results, sent, streams) if walls else None,
        "cpu_percent_of_one_core": cpu.percent_of_one_core(),
        "load_before": load_before,
        "load_after": load_average(),
    }
    show = {k: result[k] for k in ("achieved_rate", "errors")}
    show["room"] = result["room"]["latency_ms"]
    show["room_page"] = result["room_page"]["latency_ms"] if follow else None
    show["wall"] = result["wall"]["latency_ms"] if walls else None
    print(f"   {name}: {json.dumps(show)}", flush=True)
    return result


def staffroom_phase(args: argparse.Namespace, event: dict[str, Any]) -> dict[str, Any]:
    base = f"http://127.0.0.1:{args.port}"
    env = staffroom_env(args.database_url, base, args.out, redis_url=args.redis_url)
    server = start_serve("chat-web", env, args.port, args.server_cpu, args.out)
    servers, tag = [server], event["hashtag"]
    room_url = f"ws://127.0.0.1:{args.port}/api/v1/streaming?stream=hashtag&tag={tag}"
    wall_url = f"{base}/events/{event['event_id']}/wall/live"
    try:
        if args.wall_stub:
            stub_env = dict(os.environ, WALL_STUB_WS=room_url)
            stub_env["WALL_STUB_TOKEN"] = (args.out / "viewer_tokens.txt").read_text().split()[0]
            command = uvicorn("wall_stub:create_app", args.stub_port)
            stub = spawn("wall-stub", pinned(args.client_cpu, command), stub_env, args.out)
            servers.append(stub)
            wait_http(stub, f"http://127.0.0.1:{args.stub_port}/health")
            wall_url = f"http://127.0.0.1:{args.stub_port}/events/{event['event_id']}/wall/live"
        fragment = (
            "" if args.frames_only else f"{base}/web/fragments/room?event={event['event_id']}"
        )
        return measure(args, "staffroom", base, room_url, wall_url, servers, fragment_url=fragment)
    finally:
        for proc in servers:
            proc.stop()


def uvicorn(factory: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", "--factory", factory, "--app-dir", str(HERE),
            "--port", str(port), "--log-level", "warning", "--no-access-log",
            "--no-server-header", *UVICORN_WS]  # fmt: skip


def raw_phase(args: argparse.Namespace, size: int) -> dict[str, Any]:
    command = uvicorn("raw_broadcast_server:create_app", args.raw_port)
    server = spawn("chat-raw", pinned(args.server_cpu, command), dict(os.environ), args.out)
    base = f"http://127.0.0.1:{args.raw_port}"
    try:
        wait_http(server, f"{base}/health")
        ws = f"ws://127.0.0.1:{args.raw_port}/ws"
        return measure(args, "raw broadcast", base, ws, f"{base}/wall", [server], raw_size=size)
    finally:
        server.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=300.0, help="measured seconds")
    parser.add_argument("--warmup", type=float, default=10.0, help="unmeasured seconds first")
    parser.add_argument("--participants", type=int, default=300)
    parser.add_argument("--viewers", type=int, default=200)
    parser.add_argument("--walls", type=int, default=5, help="wall (SSE) clients; 0: none")
    parser.add_argument("--rate", type=float, default=10.0, help="posts per second, in total")
    parser.add_argument("--hashtag", default="BenchChat")
    parser.add_argument("--clients", type=int, default=2, help="viewer client processes")
    parser.add_argument("--connections", type=int, default=100, help="poster connections")
    parser.add_argument("--settle", type=float, default=20.0, help="wait for the last post")
    parser.add_argument("--wall-stub", action="store_true", help="test the harness only")
    parser.add_argument(
        "--frames-only", action="store_true", help="viewers do not fetch the room fragment"
    )
    parser.add_argument("--no-deflate", action="store_true", help="clients refuse compression")
    parser.add_argument("--db", type=Path, default=HERE / "out" / "chat-room.sqlite3")
    parser.add_argument("--database-url", help="a SCRATCH PostgreSQL database (re-created)")
    parser.add_argument("--redis-url")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--raw-port", type=int, default=8772)
    parser.add_argument("--stub-port", type=int, default=8773)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "chat-room")
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.server_cpu, args.client_cpu = (0, 1) if two_cpus() else (None, None)
    return args


def main(argv: list[str] | None = None) -> Path:
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {"command": " ".join(["python", *sys.argv]), "uptime_before": uptime()}
    print(f"-- {record['uptime_before']}", flush=True)
    if args.database_url:
        fresh_postgres(args.database_url)
    else:
        args.database_url = fresh_sqlite(args.db.resolve())
    minutes = max(60, int((args.warmup + args.duration) * 3 / 60) + 30)
    event = make_dataset(
        args.database_url, args.out, args.participants, args.viewers, args.hashtag, minutes
    )
    print(f"-- event {event['event_id']} #{event['hashtag']}, {args.participants} "
          f"participants, {args.viewers} viewers", flush=True)  # fmt: skip
    staffroom = staffroom_phase(args, event)
    raw = raw_phase(args, staffroom["room"]["frame_bytes_median"] or 1500)
    record.update(
        event=event,
        staffroom=staffroom,
        ceiling=raw,
        evaluation=evaluate(staffroom, raw, args.wall_stub),
        uptime_after=uptime(),
    )
    print(summary(record))
    print(f"-- {record['uptime_after']}")
    path: Path = args.out / f"chat-room-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {path}")
    return path


if __name__ == "__main__":
    main()
