"""The ``list`` stream of a real server process (WebSocket and SSE): a list's posts by
members and hashtags reach its owner's ``list`` stream, an exclusive list's members' posts
leave the ``user`` stream, a followed hashtag brings a stranger's post to ``user``, and no
one but the owner can open a list's stream."""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Callable

import httpx
import pytest

from tests.streaming.live import Person, StreamingServer
from tests.streaming.test_live_transports import Socket, api, sockets  # noqa: F401

pytestmark = pytest.mark.e2e

MakePerson = Callable[..., Person]


def test_list_stream_over_websocket(
    live: StreamingServer, person: MakePerson, sockets: Callable[..., Socket]  # noqa: F811
) -> None:
    alice, bob, carol, stranger, mallory = (
        person(n) for n in ("alice", "bob", "carol", "stranger", "mallory")
    )
    tag = f"ELTChat{uuid.uuid4().hex[:6]}"
    followed_tag = f"Phonics{uuid.uuid4().hex[:6]}"
    api(live, alice, "POST", f"/api/v1/accounts/{bob.id}/follow")
    api(live, alice, "POST", f"/api/v1/accounts/{carol.id}/follow")
    made = api(live, alice, "POST", "/api/v1/lists", title="Speakers", exclusive=True)
    api(live, alice, "POST", f"/api/v1/lists/{made['id']}/accounts", account_ids=[str(bob.id)])
    api(live, alice, "POST", f"/api/v1/lists/{made['id']}/tags", names=[tag])
    api(live, alice, "POST", f"/api/v1/tags/{followed_tag}/follow")

    socket = sockets(alice, "", {"stream": "user"}, {"stream": "list", "list": made["id"]})
    intruder = sockets(mallory)
    intruder.send(type="subscribe", stream="list", list=made["id"])
    assert intruder.frame() == {"error": "Record not found", "status": 404}

    by_bob = api(live, bob, "POST", "/api/v1/statuses", status="Slides are up")
    by_carol = api(live, carol, "POST", "/api/v1/statuses", status="Lunch?")
    tagged = api(live, stranger, "POST", "/api/v1/statuses", status=f"#{tag} great talk")
    hidden = api(
        live, stranger, "POST", "/api/v1/statuses", status=f"#{tag} quiet", visibility="unlisted"
    )
    by_followed_tag = api(live, stranger, "POST", "/api/v1/statuses", status=f"#{followed_tag}")
    api(live, bob, "DELETE", f"/api/v1/statuses/{by_bob['id']}")
    wanted = {
        ("list", "update", by_bob["id"]),
        ("list", "update", tagged["id"]),
        ("list", "delete", by_bob["id"]),
        ("user", "update", by_carol["id"]),
        ("user", "update", by_followed_tag["id"]),
    }
    seen = socket.collect(wanted)
    assert seen == wanted
    assert hidden["id"] not in {status for _, _, status in seen}


def test_list_stream_over_sse(live: StreamingServer, person: MakePerson) -> None:
    alice, bob, mallory = person("alice"), person("bob"), person("mallory")
    made = api(live, alice, "POST", "/api/v1/lists", title="Speakers")
    api(live, alice, "POST", f"/api/v1/lists/{made['id']}/accounts", account_ids=[str(bob.id)])
    base = f"{live.url}/api/v1/streaming/list?list={made['id']}"
    refused = httpx.get(f"{base}&access_token={mallory.token}", timeout=5)
    assert (refused.status_code, refused.json()) == (404, {"error": "Record not found"})
    lines: queue.Queue[str] = queue.Queue()
    with (
        httpx.Client(timeout=httpx.Timeout(5, read=None)) as http,
        http.stream("GET", f"{base}&access_token={alice.token}") as response,
    ):
        assert response.status_code == 200

        def read() -> None:
            try:
                for line in response.iter_lines():
                    lines.put(line)
            except Exception:
                lines.put("<closed>")

        threading.Thread(target=read, daemon=True).start()
        assert lines.get(timeout=2) == ":)"
        status = api(live, bob, "POST", "/api/v1/statuses", status="Room 4 at 10:00")
        seen = [lines.get(timeout=3)]
        while seen[-1] != "event: update":
            seen.append(lines.get(timeout=3))
        data = lines.get(timeout=2)
        assert json.loads(data.removeprefix("data: "))["id"] == status["id"]
