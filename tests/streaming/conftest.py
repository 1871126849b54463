"""Shared helpers for the streaming tests."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Callable, Generator, Iterator
from typing import Any

import anyio
import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from staffroom.config import Settings
from tests.conftest import DatabaseFactory, User
from tests.streaming.live import Person, StreamingServer


def post(client: TestClient, user: User, text: str, **extra: Any) -> dict[str, Any]:
    """Post as ``user`` through the API; returns the status entity."""
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def act(client: TestClient, user: User, path: str) -> None:
    """``POST path`` as ``user`` (follow, block, mute...), which must succeed."""
    response = client.post(path, headers=user.headers)
    assert response.status_code == 200, response.text


def receive_json(ws: Any, timeout: float = 5.0) -> dict[str, Any]:
    """The next frame of a TestClient WebSocket, failing (not hanging) after ``timeout``."""

    async def receive() -> Any:
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()

    message = ws.portal.call(receive)
    if message["type"] == "websocket.close":
        raise WebSocketDisconnect(message.get("code", 1000), message.get("reason"))
    data: dict[str, Any] = json.loads(message["text"])
    return data


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The shared settings, on the Redis broker when ``STAFFROOM_REDIS_URL`` is set."""
    url = os.environ.get("STAFFROOM_REDIS_URL")
    return settings.with_overrides(redis_url=url) if url else settings


@pytest.fixture(scope="session")
def live(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StreamingServer]:
    """A real server process shared by the streaming tests (people are unique per test)."""
    server = StreamingServer.start(database_factory.fresh(), tmp_path_factory.mktemp("streaming"))
    yield server
    server.stop()


_names = itertools.count(1)


@pytest.fixture
def person(live: StreamingServer) -> Callable[..., Person]:
    """``person("alice")``: a new account (``alice7``) with a token on the live server."""

    def make(name: str, scopes: str = "read write follow") -> Person:
        return live.person(f"{name}{next(_names)}", scopes)

    return make


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Attach the live server's log to failed reports."""
    report = yield
    server = getattr(item, "funcargs", {}).get("live")
    if report.failed and isinstance(server, StreamingServer):
        report.sections.append(("staffroom server log", server.log()))
    return report


def settle(ws: Any) -> None:
    """Wait until the server has handled every message sent so far on ``ws``.

    Messages are handled in order, so the error answering this bogus one comes after every
    earlier subscription is live (with Redis: confirmed by the Redis server).
    """
    ws.send_json({"type": "subscribe", "stream": "-settle-"})
    assert receive_json(ws) == {"error": "Unknown stream type", "status": 400}
