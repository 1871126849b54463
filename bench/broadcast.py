"""Issue 3 (b): a post by an account with 10,000 followers, 2,000 of them connected to one
server process by WebSocket (user stream): how long until each socket has the ``update``.

    python bench/broadcast.py

Builds a SQLite database (afresh each run, so that runs start alike; ``--reuse`` keeps it) with
the author, 10,000 followers and tokens for 2,000 of them, starts ``staffroom serve`` on it
(embedded default: jobs on the worker thread, so fan-out into all 10,000 timelines happens
before streaming) pinned to CPU 0,
and opens 2,000 WebSockets from ``--clients`` processes of ``bench/ws_clients.py`` pinned to
CPU 1, each subscribed with ``?stream=user`` and its own token as the subprotocol. Then
``--posts`` posts one after another (after ``--warmup`` unmeasured ones): the clock starts just
before the POST is sent, and each socket's latency is the arrival of that post's ``update``.

The ceiling, in the same run: ``bench/raw_broadcast_server.py`` (a bare ASGI app under the same
uvicorn, same CPU) sends a frame of the same size to the same 2,000 sockets, opened by the same
clients with the same tokens, triggered the same way. Writes ``<out>/broadcast-<time>.json``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import orjson
from broadcast_data import make_dataset, side
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

from staffroom.db import migrate

TARGET_P99_MS = 500.0


class Clients:
    """``bench/ws_clients.py`` processes sharing the tokens; their output lines in a queue.
    ``script``: another client with the same protocol (``bench/sse_clients.py``); ``extra``:
    more arguments for each."""

    def __init__(
        self,
        url: str,
        tokens: Path,
        total: int,
        processes: int,
        cpu: int | None,
        deflate: bool,
        script: str = "ws_clients.py",
        extra: tuple[str, ...] = (),
    ) -> None:
        self.lines: queue.Queue[tuple[int, str]] = queue.Queue()
        self.procs: list[subprocess.Popen[str]] = []
        share = -(-total // processes)
        for n in range(processes):
            command = [
                sys.executable,
                str(HERE / script),
                "--url",
                url,
                "--tokens",
                str(tokens),
                "--first",
                str(n * share),
                "--count",
                str(min(share, total - n * share)),
                *([] if deflate else ["--no-deflate"]),
                *extra,
            ]
            proc = subprocess.Popen(
                pinned(cpu, command), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            self.procs.append(proc)
            threading.Thread(target=self._pump, args=(n, proc), daemon=True).start()

    def _pump(self, n: int, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.lines.put((n, line.rstrip("\n")))
        self.lines.put((n, "EXIT"))

    def expect(self, prefix: str, timeout: float) -> list[str]:
        """One line starting with ``prefix`` from every process (others are skipped)."""
        got: dict[int, str] = {}
        deadline = time.monotonic() + timeout
        while len(got) < len(self.procs):
            try:
                n, line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            if line == "EXIT":
                raise SystemExit(f"client {n} exited early")
            if line.startswith(prefix):
                got[n] = line
        return list(got.values())

    def finish(self) -> list[dict[str, Any]]:
        for proc in self.procs:
            assert proc.stdin is not None
            proc.stdin.write("DONE\n")
            proc.stdin.flush()
        lines = self.expect("RESULT ", 120)
        for proc in self.procs:
            proc.wait(timeout=60)
        return [orjson.loads(line[len("RESULT ") :]) for line in lines]


def measure(
    args: argparse.Namespace, name: str, ws_url: str, send: Any, server: Proc
) -> dict[str, Any]:
    """Open the sockets, send warm-up + measured posts one at a time, collect arrivals."""
    clients = Clients(
        ws_url,
        side(args.db, ".follower_tokens.txt"),
        args.connected,
        args.clients,
        args.client_cpu,
        not args.no_deflate,
    )
    opened = time.monotonic()
    ready = clients.expect("READY ", 300)
    sockets = sum(int(line.split()[1]) for line in ready)
    print(f"-- {name}: {sockets} sockets open in {time.monotonic() - opened:.1f}s", flush=True)
    time.sleep(1.0)
    sent: dict[int, tuple[float, float]] = {}
    load_before = load_average()
    spy = None
    if args.profile:
        from profiling import start_recording

        spy = start_recording(server.pid, args.out / f"{name.replace(' ', '-')}-profile")
    watched = [("server", server.pid), ("bench", os.getpid())]
    watched += [("clients", proc.pid) for proc in clients.procs]
    with CpuWatch(lambda: watched) as cpu:
        for i in range(args.warmup + args.posts):
            started = time.monotonic()
            status_id = send(i)
            acked = time.monotonic()
            complete = len(clients.expect(f"GOT {status_id}", args.timeout)) == len(clients.procs)
            if i >= args.warmup:
                sent[status_id] = (started, acked)
            if not complete:
                print(
                    f"   post {status_id}: not every socket got it in {args.timeout}s", flush=True
                )
            time.sleep(args.gap)
    results = clients.finish()
    profile = spy.finish() if spy is not None else None
    from_send, from_ack, per_post_p99, first, spread = [], [], [], [], []
    for status_id, (started, acked) in sent.items():
        arrivals = [t for r in results for t in r["arrivals"].get(str(status_id), [])]
        from_send += [t - started for t in arrivals]
        from_ack += [t - acked for t in arrivals]
        per_post_p99.append(summary_ms([t - started for t in arrivals])["p99"])
        if arrivals:  # before the first frame: posting, fan-out, rendering, routing
            first.append(min(arrivals) - started)
            spread.append(max(arrivals) - min(arrivals))
    sizes = sorted(s for r in results for s in r["frame_sizes"])
    out = {
        "sockets": sockets,
        "posts": len(sent),
        "deliveries": len(from_send),
        "missing": len(sent) * sockets - len(from_send),
        "latency_ms_from_send": summary_ms(from_send),
        "latency_ms_from_ack": summary_ms(from_ack),
        "ack_ms": summary_ms([a - s for s, a in sent.values()]),
        "first_arrival_ms": summary_ms(first),
        "first_to_last_arrival_ms": summary_ms(spread),
        "per_post_p99_ms": per_post_p99,
        "frame_bytes_median": sizes[len(sizes) // 2] if sizes else None,
        "cpu_percent_of_one_core": cpu.percent_of_one_core(),
        "load_before": load_before,
        "load_after": load_average(),
        "profile": profile,
    }
    print(
        f"   {name}: {json.dumps({k: out[k] for k in ('latency_ms_from_send', 'missing')})}",
        flush=True,
    )
    return out


def staffroom_phase(args: argparse.Namespace) -> dict[str, Any]:
    base = f"http://127.0.0.1:{args.port}"
    env = staffroom_env(f"sqlite:///{args.db}", base, args.out)
    server = start_serve("broadcast-web", env, args.port, args.server_cpu, args.out)
    star = side(args.db, ".star_token.txt").read_text().strip()
    http_conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=30)
    run = str(int(time.time()))

    def send(i: int) -> int:
        body = orjson.dumps(
            {"status": f"Broadcast {run} number {i} to every follower", "visibility": "public"}
        )
        http_conn.request(
            "POST",
            "/api/v1/statuses",
            body,
            {"Authorization": f"Bearer {star}", "Content-Type": "application/json"},
        )
        response = http_conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise SystemExit(f"posting failed: {response.status} {data[:300]!r}")
        return int(orjson.loads(data)["id"])

    try:
        ws = f"ws://127.0.0.1:{args.port}/api/v1/streaming?stream=user"
        return measure(args, "staffroom", ws, send, server)
    finally:
        http_conn.close()
        server.stop()


def raw_phase(args: argparse.Namespace, size: int) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "raw_broadcast_server:create_app",
        "--app-dir",
        str(HERE),
        "--port",
        str(args.raw_port),
        "--log-level",
        "warning",
        "--no-access-log",
        "--no-server-header",
        # the WebSocket options ``staffroom serve`` gives uvicorn (staffroom/cli/main.py)
        "--ws",
        "websockets-sansio",
        "--ws-per-message-deflate",
        "false",
    ]
    server = spawn("raw-broadcast", pinned(args.server_cpu, command), dict(os.environ), args.out)
    wait_http(server, f"http://127.0.0.1:{args.raw_port}/health")
    http_conn = http.client.HTTPConnection("127.0.0.1", args.raw_port, timeout=30)

    def send(i: int) -> int:
        http_conn.request("POST", f"/broadcast?id={i + 1}&size={size}", b"")
        response = http_conn.getresponse()
        response.read()
        return i + 1

    try:
        return measure(args, "raw broadcast", f"ws://127.0.0.1:{args.raw_port}/ws", send, server)
    finally:
        http_conn.close()
        server.stop()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=HERE / "out" / "broadcast.sqlite3")
    parser.add_argument("--reuse", action="store_true", help="keep the database of a last run")
    parser.add_argument("--followers", type=int, default=10_000)
    parser.add_argument("--connected", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between posts")
    parser.add_argument("--timeout", type=float, default=20.0, help="per post")
    parser.add_argument("--profile", action="store_true", help="py-spy the servers")
    parser.add_argument("--no-deflate", action="store_true", help="clients refuse compression")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--raw-port", type=int, default=8768)
    parser.add_argument("--out", type=Path, default=HERE / "out" / "broadcast")
    args = parser.parse_args()
    args.db = args.db.resolve()
    args.server_cpu, args.client_cpu = (0, 1) if two_cpus() else (None, None)
    return args


def main() -> None:
    args = parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    record: dict[str, Any] = {"command": " ".join(["python", *sys.argv]), "uptime_before": uptime()}
    print(f"-- {record['uptime_before']}", flush=True)
    if not args.reuse or not side(args.db, ".follower_tokens.txt").exists():
        print(f"-- building {args.db}", flush=True)
        make_dataset(args.db, args.followers, args.connected)
    migrate(f"sqlite:///{args.db}")
    staffroom = staffroom_phase(args)
    raw = raw_phase(args, staffroom["frame_bytes_median"] or 2000)
    p99, raw_p99 = staffroom["latency_ms_from_send"]["p99"], raw["latency_ms_from_send"]["p99"]
    record.update(
        staffroom=staffroom,
        ceiling=raw,
        evaluation={
            "p99_ms": p99,
            "raw_p99_ms": raw_p99,
            "p99_over_raw_p99": round(p99 / raw_p99, 2) if raw_p99 else None,
            "target": f"p99 <= {TARGET_P99_MS:.0f} ms",
            "pass": p99 <= TARGET_P99_MS and staffroom["missing"] == 0,
        },
        uptime_after=uptime(),
    )
    print(json.dumps(record["evaluation"], indent=2))
    print(f"-- {record['uptime_after']}")
    path = args.out / f"broadcast-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(record, indent=2) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
