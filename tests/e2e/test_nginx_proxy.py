"""docs/DEPLOY.md's nginx configuration, run by Debian's nginx in front of Staffroom.

The configuration is read from the documentation itself; only the upstream address, the
listening ports and the certificate paths are replaced. Staffroom runs in this process behind
a recorder of what reaches it, so the test sees the headers nginx forwards for ordinary
requests and for the streaming WebSocket, then checks what a client sees through the proxy:
``https://`` URLs and live streaming events. nginx missing is a failure, never a skip
(``scripts/test`` installs it).
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from websockets.sync.client import connect

from staffroom.app import create_app
from staffroom.config import RateLimits, Settings
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.e2e.harness import free_port

DEPLOY_MD = Path(__file__).resolve().parents[2] / "docs" / "DEPLOY.md"


@dataclass(frozen=True)
class Ports:
    app: int
    http: int
    https: int

    @property
    def public_url(self) -> str:
        return f"https://localhost:{self.https}"


@pytest.fixture
def ports() -> Ports:
    return Ports(free_port(), free_port(), free_port())


@pytest.fixture
def settings(database_url: str, tmp_path: Path, ports: Ports) -> Settings:
    """The deployment's settings: the public address is the proxy's ``https://`` one."""
    return Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url=ports.public_url,
        secret_key="test-secret-key",
        rate_limits=RateLimits(enabled=False),
        jobs_mode="inline",
    )


def documented_config() -> str:
    """The ```nginx block of docs/DEPLOY.md's reverse-proxy section."""
    text = DEPLOY_MD.read_text()
    section = text[text.index("## 3. Reverse proxy (nginx)") :]
    match = re.search(r"```nginx\n(.*?)```", section, re.S)
    assert match, "docs/DEPLOY.md has no nginx block in its reverse-proxy section"
    return match.group(1)


def local_config(documented: str, ports: Ports, cert: Path, key: Path, prefix: Path) -> str:
    """The documented block with this machine's addresses, inside a complete nginx.conf."""
    upstreams = re.findall(r"^\s*server \d+\.\d+\.\d+\.\d+:\d+;\n", documented, re.M)
    assert upstreams, "the documented upstream lists no server"
    block = documented.replace(upstreams[0], f"    server 127.0.0.1:{ports.app};\n", 1)
    for extra in upstreams[1:]:
        block = block.replace(extra, "", 1)
    replacements = {
        r"listen 80;": f"listen 127.0.0.1:{ports.http};",
        r"listen 443 ssl": f"listen 127.0.0.1:{ports.https} ssl",
        r"ssl_certificate +\S+;": f"ssl_certificate {cert};",
        r"ssl_certificate_key +\S+;": f"ssl_certificate_key {key};",
    }
    for pattern, value in replacements.items():  # directives only, not comments
        block, count = re.subn(rf"(?m)^(\s*){pattern}", rf"\g<1>{value}", block)
        assert count == 1, f"the documented block should have one {pattern!r}"
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"pid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
        "daemon off;\nmaster_process on;\nworker_processes 1;\n"
        + ("user root;\n" if _is_root() else "")
        + "events { worker_connections 64; }\n"
        + f"http {{\n    access_log off;\n{temp}\n{block}\n}}\n"
    )


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def self_signed(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@dataclass
class Seen:
    """What one request looked like when it reached Staffroom."""

    kind: str
    path: str
    scheme: str
    headers: dict[str, str]


@pytest.fixture
def backend(runtime: Runtime, ports: Ports) -> Iterator[list[Seen]]:
    """Staffroom on ``ports.app`` as ``staffroom serve`` runs it (proxy headers trusted from
    loopback), recording each request's scope."""
    app = create_app(runtime=runtime)
    seen: list[Seen] = []

    async def recorder(scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            seen.append(Seen(scope["type"], scope["path"], scope["scheme"], headers))
        await app(scope, receive, send)

    server = uvicorn.Server(
        uvicorn.Config(
            recorder,
            host="127.0.0.1",
            port=ports.app,
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1",
            log_level="warning",
            ws="websockets-sansio",
            ws_per_message_deflate=False,
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _wait(lambda: server.started, "Staffroom did not start")
    yield seen
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def nginx(tmp_path: Path, ports: Ports, backend: list[Seen]) -> Iterator[Path]:
    """Debian's nginx running the documented configuration; yields the certificate."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(binary).exists():
        pytest.fail("nginx is required for this test: apt-get install nginx (scripts/test does)")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    cert, key = self_signed(prefix)
    conf = prefix / "nginx.conf"
    conf.write_text(local_config(documented_config(), ports, cert, key, prefix))
    checked = subprocess.run(
        [binary, "-t", "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, f"nginx rejects the documented configuration:\n{checked.stderr}"
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-e", str(prefix / "error.log"), "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait(lambda: _listening(ports.https) or process.poll() is not None, "nginx did not start")
        assert process.poll() is None, (prefix / "error.log").read_text()
        yield cert
    finally:
        process.terminate()
        process.wait(timeout=10)


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait(condition: Callable[[], object], message: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, message
        time.sleep(0.05)


def test_requests_reach_staffroom_with_the_clients_host_and_scheme(
    nginx: Path, backend: list[Seen], ports: Ports, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    with httpx.Client(base_url=ports.public_url, verify=str(nginx)) as client:
        posted = client.post(
            "/api/v1/statuses", json={"status": "Through the proxy #ELTChat"}, headers=alice.headers
        )
        page = client.get("/api/v1/timelines/public", params={"limit": 1})

    assert posted.status_code == 200, posted.text
    assert posted.json()["url"].startswith(ports.public_url + "/@alice/")
    assert posted.json()["uri"].startswith(ports.public_url + "/")
    assert page.status_code == 200
    assert ports.public_url + "/api/v1/timelines/public?" in page.headers["link"]
    for request in [s for s in backend if s.path.startswith("/api/v1/")]:
        assert request.headers.get("host") == "localhost", request
        assert request.scheme == "https", request  # from X-Forwarded-Proto
        assert request.headers.get("x-forwarded-for") == "127.0.0.1", request
        assert request.headers.get("x-real-ip") == "127.0.0.1", request
        assert "upgrade" not in request.headers.get("connection", ""), request
    assert any(s.path == "/api/v1/statuses" for s in backend)


def test_the_streaming_websocket_connects_through_the_proxy(
    nginx: Path, backend: list[Seen], ports: Ports, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    context = ssl.create_default_context(cafile=str(nginx))
    stream_url = (
        f"wss://localhost:{ports.https}/api/v1/streaming?stream=public&access_token={alice.token}"
    )
    with connect(stream_url, ssl=context, open_timeout=10) as stream:
        with httpx.Client(base_url=ports.public_url, verify=str(nginx)) as client:
            posted = client.post(
                "/api/v1/statuses", json={"status": "Live through nginx"}, headers=alice.headers
            )
        assert posted.status_code == 200, posted.text
        deadline = time.monotonic() + 10
        while True:
            event = json.loads(stream.recv(timeout=max(0.1, deadline - time.monotonic())))
            if event.get("event") == "update":
                break
    payload = json.loads(event["payload"])
    assert payload["id"] == posted.json()["id"]
    assert payload["url"].startswith(ports.public_url + "/@alice/")
    handshake = next(s for s in backend if s.kind == "websocket")
    assert handshake.headers.get("host") == "localhost"
    assert handshake.scheme == "wss"
    assert handshake.headers.get("x-forwarded-for") == "127.0.0.1"
