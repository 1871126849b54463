"""Server memory per idle streaming connection (target: at most 40 KiB at 10,000 connections).

    python bench/streaming_memory.py --connections 10000 --transport sse
    python bench/streaming_memory.py --connections 10000 --transport ws
    python bench/streaming_memory.py --transport ws --server uvicorn \
        --ws websockets-sansio --no-deflate

Starts a server on a fresh SQLite database (``staffroom serve`` by default; ``--server uvicorn``
runs the same app under ``uvicorn`` directly so its WebSocket options can be compared), opens
one warm-up stream, reads the server's RSS, opens N idle streams from this process (SSE on
``/api/v1/streaming/public``, or WebSockets subscribed to ``public`` with the token as the
subprotocol, as browsers connect), waits for them to settle, reads the RSS again, and prints
the difference per connection. Needs ``ulimit -n`` above N (for both processes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from staffroom.db import create_database, migrate
from staffroom.services.registration import SignUp, register
from staffroom.services.tokens import issue_token

USERS = 50


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_tokens(database_url: str) -> list[str]:
    migrate(database_url)
    db = create_database(database_url)
    tokens = []
    for n in range(USERS):
        account = register(
            db,
            SignUp(
                username=f"bench{n}",
                email=f"bench{n}@example.org",
                password="correct horse battery",
            ),
        )
        raw, _ = db.write(issue_token, app_id=None, account_id=account, scopes=["read"])
        tokens.append(raw)
    db.dispose()
    return tokens


def start_server(
    args: argparse.Namespace, workdir: Path, database_url: str, port: int
) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "STAFFROOM_DATABASE_URL": database_url,
        "STAFFROOM_DATA_DIR": str(workdir / "data"),
        "STAFFROOM_RATE_LIMITS": "0",
        "STAFFROOM_SECRET_KEY": "bench",
        "STAFFROOM_BASE_URL": f"http://127.0.0.1:{port}",
    }
    if args.server == "serve":
        command = [sys.executable, "-m", "staffroom", "serve", "--port", str(port)]
    else:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "staffroom.app:create_app",
            "--factory",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--ws",
            args.ws,
        ]
        if args.no_deflate:
            command += ["--ws-per-message-deflate", "false"]
    log = (workdir / "server.log").open("wb")
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/streaming/health").text == "OK":
                return process
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError((workdir / "server.log").read_text())


async def open_sse(port: int, token: str) -> asyncio.StreamWriter:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /api/v1/streaming/public HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    data = b""
    while b":)" not in data:
        chunk = await reader.read(4096)
        if not chunk:
            raise RuntimeError("stream closed")
        data += chunk
    return writer


async def open_ws(port: int, token: str, deflate: bool) -> Any:
    from websockets.asyncio.client import connect

    ws = await connect(
        f"ws://127.0.0.1:{port}/api/v1/streaming?stream=public",
        subprotocols=[token],  # type: ignore[list-item]
        compression="deflate" if deflate else None,
        ping_interval=None,
    )
    return ws


async def open_many(
    args: argparse.Namespace, port: int, tokens: list[str], count: int
) -> list[Any]:
    gate = asyncio.Semaphore(200)

    async def one(n: int) -> Any:
        async with gate:
            token = tokens[n % len(tokens)]
            if args.transport == "sse":
                return await open_sse(port, token)
            return await open_ws(port, token, not args.client_no_deflate)

    return list(await asyncio.gather(*(one(n) for n in range(count))))


async def measure(
    args: argparse.Namespace, process: subprocess.Popen[bytes], port: int, tokens: list[str]
) -> None:
    warm = await open_many(args, port, tokens, 20)  # import and allocate the first-use paths
    await asyncio.sleep(1)
    before = rss_kib(process.pid)
    started = time.monotonic()
    conns = await open_many(args, port, tokens, args.connections)
    opened = time.monotonic() - started
    await asyncio.sleep(args.settle)
    after = rss_kib(process.pid)
    per = (after - before) / args.connections
    print(
        f"transport={args.transport} server={args.server} ws={args.ws} "
        f"server_deflate={'off' if args.no_deflate else 'on'} "
        f"client_deflate={'off' if args.client_no_deflate else 'on'} connections={args.connections}"
    )
    print(f"opened in {opened:.1f}s; server RSS {before / 1024:.1f} MiB -> {after / 1024:.1f} MiB")
    print(f"per idle connection: {per:.1f} KiB")
    for conn in [*warm, *conns]:
        result = conn.close()
        if asyncio.iscoroutine(result):
            await result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--connections", type=int, default=10_000)
    parser.add_argument("--transport", choices=["sse", "ws"], default="sse")
    parser.add_argument("--server", choices=["serve", "uvicorn"], default="serve")
    parser.add_argument(
        "--ws", default="auto", help="uvicorn --ws implementation (--server uvicorn)"
    )
    parser.add_argument("--no-deflate", action="store_true", help="server: no permessage-deflate")
    parser.add_argument(
        "--client-no-deflate", action="store_true", help="client: do not offer deflate"
    )
    parser.add_argument(
        "--settle", type=float, default=5.0, help="seconds to wait before measuring"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        tokens = make_tokens(database_url)
        port = free_port()
        process = start_server(args, workdir, database_url, port)
        try:
            asyncio.run(measure(args, process, port, tokens))
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
