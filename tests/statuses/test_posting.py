"""Posting, reading, threads, reposts, favourites and deletion through the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select
from starlette.testclient import TestClient

from staffroom.db.tables import tags
from staffroom.runtime import Runtime
from staffroom.services import posting
from staffroom.services.registration import SignUp, register
from tests.conftest import BASE_URL, User

UserFactory = Callable[..., User]


def post(client: TestClient, user: User, text: str, **extra: object) -> dict[str, object]:
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_post_and_read_back(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    status = post(client, alice, "Hello #ELTChat, see https://example.org/x")
    assert status["visibility"] == "public"
    assert status["url"] == f"{BASE_URL}/@alice/{status['id']}"
    assert [t["name"] for t in status["tags"]] == ["ELTChat"]  # type: ignore[index,union-attr]
    fetched = client.get(f"/api/v1/statuses/{status['id']}").json()
    assert fetched["content"] == status["content"]
    assert fetched["account"]["statuses_count"] == 1


def test_over_long_post_is_422_and_not_stored(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    response = client.post("/api/v1/statuses", json={"status": "x" * 141}, headers=alice.headers)
    assert response.status_code == 422
    assert "140" in response.json()["error"]
    home = client.get("/api/v1/timelines/home", headers=alice.headers).json()
    assert home == []


def test_url_counts_as_23(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    text = "a" * 116 + " https://example.org/" + "p" * 80
    post(client, alice, text)


def test_followers_see_post_in_home(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    r = client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert r.status_code == 200, r.text
    status = post(client, alice, "for my followers")
    home = client.get("/api/v1/timelines/home", headers=bob.headers).json()
    assert [s["id"] for s in home] == [status["id"]]


def test_idempotency_key_returns_same_status(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    headers = {**alice.headers, "Idempotency-Key": "abc"}
    one = client.post("/api/v1/statuses", json={"status": "once"}, headers=headers).json()
    two = client.post("/api/v1/statuses", json={"status": "once"}, headers=headers).json()
    assert one["id"] == two["id"]
    assert client.get(f"/api/v1/accounts/{alice.id}/statuses").json()[0]["id"] == one["id"]
    assert len(client.get(f"/api/v1/accounts/{alice.id}/statuses").json()) == 1


def test_a_tags_last_use_is_recorded_in_every_database(
    runtime: Runtime, make_user: UserFactory, fresh_database_url: Callable[[], str]
) -> None:
    """Tags are touched at most once a minute per runtime; another database (another
    runtime in the same process) still records its own first use."""
    first = make_user("alice")
    other = Runtime.build(replace(runtime.settings, database_url=fresh_database_url()))
    try:
        second = register(other.db, SignUp(username="bob", email="bob@example.org",
                                           password="correct horse battery"))  # fmt: skip
        for rt, author in ((runtime, first.id), (runtime, first.id), (other, second)):
            rt.db.write(posting.post_status, rt, author, posting.NewStatus(text="On #ELTChat"))
            used = rt.db.read(
                lambda c: c.execute(
                    select(tags.c.last_status_at).where(tags.c.name_lower == "eltchat")
                ).scalar()
            )
            assert used is not None
    finally:
        other.close()
