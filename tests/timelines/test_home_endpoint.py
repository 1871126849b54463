"""``GET /api/v1/timelines/home``: who may read it, and the exact bytes of its answer."""

from __future__ import annotations

from collections.abc import Callable

import orjson
from sqlalchemy import Connection, select
from starlette.testclient import TestClient

from staffroom.db.tables import users
from staffroom.runtime import Runtime
from staffroom.serializers.statuses import serialize_statuses, statuses_json
from staffroom.services import timelines
from staffroom.services.timelines import PageRequest
from staffroom.services.tokens import issue_token, revoke_token
from tests.conftest import BASE_URL, User

UserFactory = Callable[..., User]
HOME = "/api/v1/timelines/home"


def _post(client: TestClient, user: User, text: str, **extra: object) -> str:
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    return str(response.json()["id"])


def _bearer(raw: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {raw}"}


def test_tokens_are_checked_as_on_every_endpoint(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    missing = client.get(HOME)
    assert (missing.status_code, missing.json()) == (401, {"error": "The access token is invalid"})
    unknown = client.get(HOME, headers=_bearer("nope"))
    assert (unknown.status_code, unknown.json()) == (401, {"error": "The access token is invalid"})

    writer = make_user("writer", scopes="write")
    narrow = client.get(HOME, headers=writer.headers)
    assert narrow.status_code == 403
    assert narrow.json() == {"error": "This action is outside the authorized scopes"}
    granular = make_user("granular", scopes="read:statuses")
    assert client.get(HOME, headers=granular.headers).status_code == 200

    app_token, _ = runtime.db.write(issue_token, app_id=None, account_id=None, scopes=["read"])
    app_only = client.get(HOME, headers=_bearer(app_token))
    assert app_only.status_code == 422
    assert app_only.json() == {
        "error": "Validation failed: This method requires an authenticated user",
        "details": {},  # a 422 is Mastodon's ValidationError, which always has details
    }

    assert client.get(HOME, params={"access_token": alice.token}).status_code == 200
    assert client.get(HOME, headers=alice.headers).status_code == 200
    runtime.db.write(revoke_token, alice.token)
    assert client.get(HOME, headers=alice.headers).status_code == 401


def test_reading_marks_the_account_active(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice = make_user("alice")

    def last_active(conn: Connection) -> object:
        return conn.execute(
            select(users.c.last_active_at).where(users.c.account_id == alice.id)
        ).scalar()

    assert runtime.db.read(last_active) is None
    assert client.get(HOME, headers=alice.headers).status_code == 200
    assert runtime.db.read(last_active) is not None


def test_body_is_exactly_the_serialised_entities(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for target in (alice, carol):
        client.post(f"/api/v1/accounts/{target.id}/follow", headers=bob.headers)
    plain = _post(client, alice, 'Plain "quoted" <b>text</b> — ünïcödé ✓ \\ slash')
    _post(client, alice, "@carol hello #ELTchat #edtech https://example.org/x")
    _post(client, alice, "Careful", spoiler_text="CW: marking", sensitive=True)
    _post(client, alice, "Only followers", visibility="private")
    reply = _post(client, carol, "@alice answer", in_reply_to_id=plain)
    # A repost of a post bob has not seen enters his timeline (a repost of one among his
    # newest 40 entries falls off, as bob's own of the reply does: the reply shows reposted).
    elsewhere = _post(client, make_user("dave"), "From outside bob's follows")
    client.post(f"/api/v1/statuses/{elsewhere}/reblog", headers=carol.headers)
    client.post(f"/api/v1/statuses/{plain}/favourite", headers=bob.headers)
    client.post(f"/api/v1/statuses/{reply}/bookmark", headers=bob.headers)
    client.post(f"/api/v1/statuses/{reply}/reblog", headers=bob.headers)
    client.patch(
        "/api/v1/accounts/update_credentials",
        json={"display_name": "Carol «C»", "note": "Teaches #maths"},
        headers=carol.headers,
    )

    pages = {"": PageRequest(), "?limit=3": PageRequest(limit=3)}
    pages[f"?max_id={plain}"] = PageRequest(max_id=int(plain))
    for query, page in pages.items():
        answer = client.get(HOME + query, headers=bob.headers)
        assert answer.status_code == 200
        views = runtime.db.read(timelines.home, runtime, bob.id, page).views
        assert answer.content == orjson.dumps(serialize_statuses(views, BASE_URL))
    views = runtime.db.read(timelines.home, runtime, bob.id, PageRequest(limit=40)).views
    assert any(v.reblog is not None for v in views) and any(v.favourited for v in views)
    assert any(v.bookmarked for v in views) and any(v.reblogged for v in views)
    assert statuses_json(views, BASE_URL) == orjson.dumps(serialize_statuses(views, BASE_URL))
    assert statuses_json([], BASE_URL) == b"[]"
    public = client.get("/api/v1/timelines/public")
    anonymous = runtime.db.read(timelines.public, None, PageRequest()).views
    assert public.content == orjson.dumps(serialize_statuses(anonymous, BASE_URL))
