"""Small helpers for the lists and followed-hashtag tests (API calls that must succeed)."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def post(client: TestClient, user: User, text: str, **extra: object) -> str:
    body = ok(client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers))
    return str(body["id"])


def follow(client: TestClient, follower: User, target: User) -> None:
    ok(client.post(f"/api/v1/accounts/{target.id}/follow", headers=follower.headers))


def make_list(client: TestClient, owner: User, title: str = "Speakers", **extra: object) -> str:
    body = ok(client.post("/api/v1/lists", json={"title": title, **extra}, headers=owner.headers))
    return str(body["id"])


def add_members(client: TestClient, owner: User, list_id: str, *members: User) -> None:
    ok(
        client.post(
            f"/api/v1/lists/{list_id}/accounts",
            json={"account_ids": [str(m.id) for m in members]},
            headers=owner.headers,
        )
    )


def ids(client: TestClient, user: User, path: str) -> list[str]:
    return [s["id"] for s in ok(client.get(path, headers=user.headers))]


def home(client: TestClient, user: User) -> list[str]:
    return ids(client, user, "/api/v1/timelines/home")


def list_timeline(client: TestClient, user: User, list_id: str) -> list[str]:
    return ids(client, user, f"/api/v1/timelines/list/{list_id}")
