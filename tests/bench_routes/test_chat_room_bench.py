"""Smoke test of the issue-15 chat benchmark (``bench/chat_room.py``): a tiny run of the
whole harness (dataset, server, viewers, stub wall, open-loop posters, raw ceiling), and the
run failing loudly when the wall or room fragment endpoint is missing. The figures are not
checked, only that every post was accepted and reached every viewer and projector."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from tests.conftest import TEST_DB

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

from chat_room import check_fragment, check_wall  # noqa: E402
from sse_clients import SseParser  # noqa: E402


def _free_ports(n: int) -> list[str]:
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [str(s.getsockname()[1]) for s in sockets]
    for s in sockets:
        s.close()
    return ports


def _run(tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    port, raw, stub = _free_ports(3)
    command = [
        sys.executable, str(BENCH / "chat_room.py"), "--duration", "3", "--warmup", "1",
        "--participants", "10", "--viewers", "5", "--walls", "2", "--clients", "1",
        "--settle", "10", "--frames-only", "--port", port, "--raw-port", raw, "--stub-port", stub,
        "--out", str(tmp_path / "out"), "--db", str(tmp_path / "chat.sqlite3"), *extra,
    ]  # fmt: skip
    if TEST_DB:  # a scratch database beside the test one (the benchmark re-creates it)
        command += ["--database-url", TEST_DB.rsplit("/", 1)[0] + "/staffroom_chat_bench"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("STAFFROOM_")}
    return subprocess.run(command, capture_output=True, text=True, timeout=240, env=env)


@pytest.mark.e2e
def test_a_tiny_chat_reaches_every_viewer_and_projector_and_the_ceiling(tmp_path: Path) -> None:
    done = _run(tmp_path, "--wall-stub")
    assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads(next((tmp_path / "out").glob("chat-room-*.json")).read_text())
    for phase in ("staffroom", "ceiling"):
        result = record[phase]
        assert result["errors"] == 0, result["error_samples"]
        assert result["posts_ok"] == result["posts_measured"] == 30
        assert result["room"]["deliveries"] == 30 * 5 and result["room"]["missing"] == 0
        assert result["wall"]["deliveries"] == 30 * 2 and result["wall"]["missing"] == 0
    evaluation = record["evaluation"]
    assert evaluation["room_p99_over_ceiling_p99"] > 0
    # a stub proves nothing about the wall: the run is incomplete, neither pass nor fail
    assert evaluation["wall_pass"] is None and evaluation["pass"] is None
    assert "STUB" in evaluation["wall_source"] and "INCOMPLETE" in evaluation["verdict"]
    assert "verdict: " in done.stdout


@pytest.fixture
def not_found_server() -> Iterator[str]:
    """A local HTTP server answering 404 to everything (a branch without the endpoint)."""

    class NotFound(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_error(404)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), NotFound)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    thread.join()


def test_a_missing_wall_or_room_fragment_fails_the_run_loudly(not_found_server: str) -> None:
    with pytest.raises(SystemExit, match=r"wall stream .* answered 404"):
        check_wall(f"{not_found_server}/events/1/wall/live")
    with pytest.raises(SystemExit, match=r"room fragment .* answered 404"):
        check_fragment(f"{not_found_server}/web/fragments/room?event=1")


def test_sse_parser_splits_events_across_chunks_and_line_endings() -> None:
    parser = SseParser()
    assert parser.feed(b': open\n\nevent: wall\ndata: {"type":') == []
    assert parser.feed(b'"post","id":"7"}\n\n') == [("wall", '{"type":"post","id":"7"}')]
    got = parser.feed(b"data: a\r\ndata: b\r\n\r\nevent: wall\rdata: {}\r\r")
    assert got == [("message", "a\nb")]  # the last CR may be half of a CRLF: wait
    assert parser.feed(b"\n") == [("wall", "{}")]
