"""A real Staffroom server process, a recording reverse proxy, and the conformance log.

``LiveServer.start`` runs ``python -m staffroom serve`` on a free loopback port with its own
database and data directory and waits for ``GET /api/v1/instance`` to answer.
``RecordingProxy`` forwards loopback HTTP to that server unchanged and hands every
exchange to a ``Conformance`` log; toot (a subprocess) talks to the proxy, so its traffic
is validated without touching toot itself. Mastodon.py is hooked through its
``requests.Session`` instead (``Conformance.session``).
"""

from __future__ import annotations

import gzip
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import httpx
import requests

from tests.e2e.openapi import mastodon_schema

T = TypeVar("T")

_VALIDATED_PREFIXES = ("/api/", "/oauth/", "/.well-known/oauth-authorization-server")
_HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailers",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
}


def eventually(check: Callable[[], T], timeout: float = 15.0) -> T:
    """Retry ``check`` until it stops raising ``AssertionError`` (or ``timeout`` passes).

    Like Mastodon, Staffroom delivers posts to home timelines and mention notifications in
    background jobs, so a client sees them a moment after the post request returns.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            return check()
        except AssertionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _clip(data: bytes | str | None, limit: int = 600) -> str:
    if data is None:
        return ""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


@dataclass
class Conformance:
    """Every JSON response a client received, and the ones that broke the schema."""

    exchanges: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(
        self,
        method: str,
        url: str,
        request_body: bytes | str | None,
        status: int,
        content_type: str,
        body: bytes,
    ) -> None:
        """Validate one exchange if it is a JSON API response."""
        path = urlsplit(url).path
        line = f"{method} {url} -> {status}"
        with self.lock:
            self.exchanges.append(line)
        if not path.startswith(_VALIDATED_PREFIXES) or "json" not in content_type:
            return
        try:
            document: Any = json.loads(body)
        except ValueError:
            problems = [f"{method} {path} -> {status}: body is not valid JSON"]
        else:
            problems = mastodon_schema().problems(method, path, status, document)
        if problems:
            report = "\n".join(
                [
                    *problems,
                    f"  request: {method} {url} {_clip(request_body)}",
                    f"  response: {status} {_clip(body)}",
                ]
            )
            with self.lock:
                self.failures.append(report)

    def session(self) -> requests.Session:
        """A ``requests.Session`` whose every response is validated (for Mastodon.py)."""
        session = requests.Session()

        def hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
            request = response.request
            body = request.body if isinstance(request.body, bytes | str) else None
            self.record(
                request.method or "GET",
                request.url or "",
                body,
                response.status_code,
                response.headers.get("content-type", ""),
                response.content,
            )

        session.hooks["response"].append(hook)
        return session


class RecordingProxy(ThreadingHTTPServer):
    """Loopback reverse proxy to ``upstream`` that reports to ``self.sink`` (a Conformance)."""

    daemon_threads = True

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.sink: Conformance | None = None
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _ProxyHandler(BaseHTTPRequestHandler):
    server: RecordingProxy

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        request_body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=30)
        try:
            upstream.request(self.command, self.path, body=request_body, headers=headers)
            response = upstream.getresponse()
            body = response.read()
            response_headers = response.getheaders()
        finally:
            upstream.close()
        sink = self.server.sink
        if sink is not None:  # before answering, so the record exists when the client returns
            # The client gets the body as sent (gzipped when it asked); the record is what it
            # reads after decoding.
            encoded = (response.getheader("content-encoding") or "").lower() == "gzip"
            sink.record(
                self.command,
                self.path,
                request_body,
                response.status,
                response.getheader("content-type", ""),
                gzip.decompress(body) if encoded else body,
            )
        self.send_response(response.status, response.reason)
        for name, value in response_headers:
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet; exchanges are recorded in the Conformance log."""


@dataclass
class LiveServer:
    """A running ``staffroom serve`` subprocess (``url``) with a recording proxy (``proxy``)."""

    url: str
    database_url: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen[bytes]
    proxy: RecordingProxy

    @classmethod
    def start(cls, database_url: str, workdir: Path, timeout: float = 20.0) -> LiveServer:
        """Launch the server and wait until ``GET /api/v1/instance`` answers."""
        port = free_port()
        data_dir = workdir / "data"
        data_dir.mkdir(parents=True, exist_ok=True)
        log_path = workdir / "server.log"
        env = {
            **os.environ,
            "STAFFROOM_DATABASE_URL": database_url,
            "STAFFROOM_DATA_DIR": str(data_dir),
            "STAFFROOM_RATE_LIMITS": "0",
            "STAFFROOM_SECRET_KEY": "test",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("STAFFROOM_BASE_URL", None)
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "staffroom",
                    "serve",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=workdir,
            )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(
                    f"staffroom serve exited with {process.returncode}:\n{log_path.read_text()}"
                )
            try:
                httpx.get(f"{url}/api/v1/instance", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    raise RuntimeError(
                        f"staffroom serve did not answer within {timeout}s:\n{log_path.read_text()}"
                    ) from None
                time.sleep(0.1)
        return cls(url, database_url, data_dir, log_path, process, RecordingProxy(port))

    def log_size(self) -> int:
        return self.log_path.stat().st_size

    def log(self, since: int = 0, tail: int = 20000) -> str:
        """What the server wrote to stdout/stderr from byte ``since`` on (at most ``tail``)."""
        with self.log_path.open("rb") as log:
            log.seek(since)
            text = log.read().decode("utf-8", "replace")
        return text[-tail:]

    def stop(self) -> None:
        self.proxy.stop()
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
