"""Who a post is delivered to (``services.delivery.audience``), case by case, on both
engines: followers minus blocks and mutes, reposts only to followers who show them, replies
to someone else only to followers of both, direct posts only to mentioned followers."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from staffroom.policies.visibility import DIRECT, PUBLIC
from staffroom.runtime import Runtime
from staffroom.services.delivery import audience
from tests.conftest import User

UserFactory = Callable[..., User]


def _follow(client: TestClient, follower: User, target: User, **options: object) -> None:
    response = client.post(
        f"/api/v1/accounts/{target.id}/follow", json=options, headers=follower.headers
    )
    assert response.status_code == 200, response.text


def _act(client: TestClient, actor: User, target: User, action: str) -> None:
    response = client.post(f"/api/v1/accounts/{target.id}/{action}", headers=actor.headers)
    assert response.status_code == 200, response.text


def _audience(runtime: Runtime, author: User, visibility: int = PUBLIC, **kw: object) -> set[int]:
    mentioned = kw.pop("mentioned", [])
    found = runtime.db.read(audience, author.id, visibility, mentioned, **kw)
    assert found[0] == author.id and len(found) == len(set(found))
    return set(found)


def test_each_case_reaches_exactly_its_followers(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    author, parent = make_user("author"), make_user("parent")
    plain, quiet, blocker, muter, both = (
        make_user(n) for n in ("plain", "quiet", "blocker", "muter", "both")
    )
    for follower in (plain, blocker, muter, both):
        _follow(client, follower, author)
    _follow(client, quiet, author, reblogs=False)
    _follow(client, both, parent)
    _act(client, blocker, author, "block")
    _act(client, muter, author, "mute")
    everyone = {author.id, plain.id, quiet.id, both.id}

    assert _audience(runtime, author) == everyone
    assert _audience(runtime, author, reblog=True) == everyone - {quiet.id}
    assert _audience(runtime, author, reply_to=parent.id) == {author.id, both.id}
    assert _audience(runtime, author, reply_to=author.id) == everyone  # a thread of one's own
    assert _audience(runtime, author, DIRECT, mentioned=[plain.id, parent.id]) == {
        author.id,
        plain.id,
    }
    assert _audience(runtime, author, DIRECT) == {author.id}
