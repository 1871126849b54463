"""A bug answers 500 with a message, and the keep-alive connection stays usable.

Starlette's last-resort handler re-raises after answering, which made uvicorn drop the
connection without ``Connection: close`` (the client's next request on it failed with a
reset). Staffroom's ``Faults`` middleware answers instead; here a route that raises runs
behind a real uvicorn server, and one HTTP/1.1 connection carries both requests.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from staffroom.app import create_app
from staffroom.runtime import Runtime
from tests.e2e.harness import free_port


async def _broken(request: Request) -> Response:
    raise RuntimeError("a bug")


@pytest.fixture
def port(runtime: Runtime) -> Iterator[int]:
    app = create_app(runtime=runtime)
    app.router.routes.insert(0, Route("/api/v1/broken", _broken))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield port
    server.should_exit = True
    thread.join(timeout=10)


def test_a_bug_answers_500_and_the_connection_carries_the_next_request(port: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/api/v1/broken")
    broken = conn.getresponse()
    body = json.loads(broken.read())
    conn.request("GET", "/api/v1/instance")  # the same socket
    after = conn.getresponse()
    after.read()
    conn.close()

    assert broken.status == 500
    assert body == {"error": "Something went wrong on our side; please try again"}
    assert after.status == 200
