"""The per-viewer check behind every streamed post and deletion, and its one-query promise."""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert
from starlette.testclient import TestClient

from staffroom.db.tables import mutes
from staffroom.ids import new_id
from staffroom.policies.visibility import DIRECT, PRIVATE, PUBLIC
from staffroom.runtime import Runtime
from staffroom.streaming import filtering, hub
from staffroom.streaming.filtering import Event, allowed_viewers, decode
from tests.conftest import User
from tests.streaming.conftest import act, post, receive_json

MakeUser = Callable[..., User]


def status_event(
    author: int, visibility: int, mentioned: tuple[int, ...] = (), reblog_of: int | None = None
) -> Event:
    return Event("update", "{}", author, reblog_of, frozenset(mentioned), visibility)


@pytest.fixture
def people(client: TestClient, make_user: MakeUser) -> dict[str, User]:
    """An author and viewers in every relation to them."""
    names = ("author", "follower", "blocker", "muter", "victim", "stranger", "pest", "fussy")
    users = {name: make_user(name) for name in names}
    author = users["author"].id
    act(client, users["follower"], f"/api/v1/accounts/{author}/follow")
    act(client, users["blocker"], f"/api/v1/accounts/{author}/block")
    act(client, users["muter"], f"/api/v1/accounts/{author}/mute")
    act(client, users["author"], f"/api/v1/accounts/{users['victim'].id}/block")
    act(client, users["fussy"], f"/api/v1/accounts/{users['pest'].id}/block")
    return users


def allowed(runtime: Runtime, people: dict[str, User], event: Event) -> set[str]:
    ids = {u.id: name for name, u in people.items()}
    return {ids[v] for v in runtime.db.read(allowed_viewers, event, set(ids))}


@pytest.mark.parametrize("limit", [filtering.VIEWER_LIST_LIMIT, 1])
def test_public_post(
    runtime: Runtime, people: dict[str, User], monkeypatch: Any, limit: int
) -> None:
    monkeypatch.setattr(filtering, "VIEWER_LIST_LIMIT", limit)  # 1: the many-viewers query
    author = people["author"].id
    everyone_but = {"blocker", "muter", "victim"}
    assert allowed(runtime, people, status_event(author, PUBLIC)) == set(people) - everyone_but
    mentions_pest = status_event(author, PUBLIC, (people["pest"].id,))
    assert allowed(runtime, people, mentions_pest) == set(people) - everyone_but - {"fussy"}


@pytest.mark.parametrize("limit", [filtering.VIEWER_LIST_LIMIT, 1])
def test_followers_only_and_direct_posts(
    runtime: Runtime, people: dict[str, User], monkeypatch: Any, limit: int
) -> None:
    monkeypatch.setattr(filtering, "VIEWER_LIST_LIMIT", limit)
    author, stranger = people["author"].id, people["stranger"].id
    assert allowed(runtime, people, status_event(author, PRIVATE)) == {"author", "follower"}
    mentioned = status_event(author, PRIVATE, (stranger,))
    assert allowed(runtime, people, mentioned) == {"author", "follower", "stranger"}
    assert allowed(runtime, people, status_event(author, DIRECT, (stranger,))) == {
        "author",
        "stranger",
    }


def test_reposts_of_hidden_authors(runtime: Runtime, people: dict[str, User]) -> None:
    # The stranger reposts the author: whoever hides the author, or is blocked by them, skips it.
    repost = status_event(people["stranger"].id, PUBLIC, reblog_of=people["author"].id)
    assert allowed(runtime, people, repost) == set(people) - {"blocker", "muter", "victim"}


def test_expired_mutes_no_longer_hide(runtime: Runtime, make_user: MakeUser) -> None:
    author, viewer = make_user("author"), make_user("viewer")
    runtime.db.write(
        lambda conn: conn.execute(
            insert(mutes).values(
                id=new_id(),
                account_id=viewer.id,
                target_account_id=author.id,
                created_at=datetime.now(UTC),
                hide_notifications=True,
                expires_at=datetime.now(UTC) - timedelta(minutes=1),
            )
        )
    )
    assert runtime.db.read(allowed_viewers, status_event(author.id, PUBLIC), {viewer.id}) == {
        viewer.id
    }


def test_malformed_messages_fail_closed(runtime: Runtime) -> None:
    assert decode("not json") is None
    assert decode('{"event": "update"}') is None
    no_meta = decode('{"event": "update", "payload": "{}"}')
    assert no_meta is not None
    assert runtime.db.read(allowed_viewers, no_meta, {1, 2}) == set()


@pytest.fixture
def relation_queries(monkeypatch: Any) -> list[set[int]]:
    """The viewer sets the hub asks about (each call is one database query)."""
    calls: list[set[int]] = []

    def counting(conn: Any, event: Event, viewers: set[int]) -> tuple[set[int], set[int]]:
        calls.append(set(viewers))
        return filtering.audience(conn, event, viewers)

    monkeypatch.setattr(hub, "audience", counting)
    return calls


def test_one_query_per_event_for_all_connected_viewers(
    client: TestClient, make_user: MakeUser, relation_queries: list[set[int]]
) -> None:
    author = make_user("author")
    viewers = [make_user(f"viewer{n}") for n in range(4)]
    act(client, viewers[0], f"/api/v1/accounts/{author.id}/block")
    with ExitStack() as stack:
        sockets = [
            stack.enter_context(
                client.websocket_connect("/api/v1/streaming?stream=public", subprotocols=[v.token])
            )
            for v in viewers
        ]
        status = post(client, author, "One post, four viewers")
        for ws in sockets[1:]:
            assert json.loads(receive_json(ws)["payload"])["id"] == status["id"]
        assert relation_queries == [{v.id for v in viewers}]
