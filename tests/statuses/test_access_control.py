"""Followers-only and direct posts never reach anyone who may not see them, on any endpoint."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.conftest import User

UserFactory = Callable[..., User]


def _post(client: TestClient, user: User, text: str, **extra: object) -> str:
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def _follow(client: TestClient, follower: User, target: User) -> None:
    response = client.post(f"/api/v1/accounts/{target.id}/follow", headers=follower.headers)
    assert response.status_code == 200, response.text


def _everything_visible_to(client: TestClient, reader: User | None, author: User) -> str:
    """Concatenated JSON of every read endpoint a secret could leak through."""
    headers = reader.headers if reader else {}
    paths = [
        "/api/v1/timelines/home",
        "/api/v1/timelines/public",
        "/api/v1/timelines/public?local=true",
        "/api/v1/timelines/tag/secret",
        f"/api/v1/accounts/{author.id}/statuses",
        "/api/v1/notifications",
        "/api/v2/search?q=secret&type=statuses",
        "/api/v1/favourites",
        "/api/v1/bookmarks",
    ]
    bodies = []
    for path in paths:
        if reader is None and path.startswith(
            ("/api/v1/timelines/home", "/api/v1/notif", "/api/v1/fav", "/api/v1/book")
        ):
            continue
        response = client.get(path, headers=headers)
        assert response.status_code in (200, 401), (path, response.status_code, response.text)
        bodies.append(response.text)
    return "\n".join(bodies)


@pytest.mark.parametrize("visibility", ["private", "direct"])
def test_limited_post_reaches_only_its_audience(
    client: TestClient, make_user: UserFactory, visibility: str
) -> None:
    author, follower, mentioned, stranger = (
        make_user("author"),
        make_user("follower"),
        make_user("mentioned"),
        make_user("stranger"),
    )
    _follow(client, follower, author)
    _follow(client, mentioned, author)
    root = _post(client, author, "public root #secret")
    secret = _post(
        client, author, "@mentioned topsecret #secret", visibility=visibility, in_reply_to_id=root
    )
    reply = _post(
        client,
        mentioned,
        "@author re topsecret2 #secret",
        visibility="direct",
        in_reply_to_id=secret,
    )

    allowed = {"author", "mentioned"} | ({"follower"} if visibility == "private" else set())
    for name, reader in [
        ("follower", follower),
        ("mentioned", mentioned),
        ("stranger", stranger),
        ("anonymous", None),
    ]:
        headers = reader.headers if reader else {}
        can = name in allowed
        assert (client.get(f"/api/v1/statuses/{secret}", headers=headers).status_code == 200) is can
        context = client.get(f"/api/v1/statuses/{root}/context", headers=headers).json()
        assert (secret in [s["id"] for s in context["descendants"]]) is can
        leaked = _everything_visible_to(client, reader, author)
        if name not in allowed:
            assert "topsecret" not in leaked, name
        # The direct reply is only for author and mentioned.
        assert (client.get(f"/api/v1/statuses/{reply}", headers=headers).status_code == 200) is (
            name == "mentioned"
        )
        if name != "mentioned":
            assert "topsecret2" not in leaked
        for action in ("favourite", "reblog", "bookmark"):
            if reader is None:
                continue
            response = client.post(f"/api/v1/statuses/{secret}/{action}", headers=headers)
            if not can:
                assert response.status_code == 404, (name, action, response.text)
        for who in ("reblogged_by", "favourited_by"):
            response = client.get(f"/api/v1/statuses/{secret}/{who}", headers=headers)
            assert (response.status_code == 200) is can


def test_limited_posts_cannot_be_reposted_by_others(
    client: TestClient, make_user: UserFactory
) -> None:
    author, follower = make_user("author"), make_user("follower")
    _follow(client, follower, author)
    secret = _post(client, author, "followers only", visibility="private")
    response = client.post(f"/api/v1/statuses/{secret}/reblog", headers=follower.headers)
    assert response.status_code == 403


def test_reply_to_invisible_post_is_refused(client: TestClient, make_user: UserFactory) -> None:
    author, stranger = make_user("author"), make_user("stranger")
    secret = _post(client, author, "followers only", visibility="private")
    response = client.post(
        "/api/v1/statuses",
        json={"status": "sneaky", "in_reply_to_id": secret},
        headers=stranger.headers,
    )
    assert response.status_code == 404
    assert client.get(f"/api/v1/accounts/{stranger.id}/statuses").json() == []


def test_blocked_account_cannot_read_blockers_posts(
    client: TestClient, make_user: UserFactory
) -> None:
    author, pest = make_user("author"), make_user("pest")
    status = _post(client, author, "public but not for pest")
    assert (
        client.post(f"/api/v1/accounts/{pest.id}/block", headers=author.headers).status_code == 200
    )
    assert client.get(f"/api/v1/statuses/{status}", headers=pest.headers).status_code == 404
    public = client.get("/api/v1/timelines/public", headers=pest.headers).json()
    assert status not in [s["id"] for s in public]
