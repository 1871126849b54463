"""A pack's follow-all (``services.pack_follows`` over ``bulk_follows`` and
``follows.follow_many``): the same follows, counters, notifications and timeline merge as
one follow at a time, linked to the pack, with the recipients' rules respected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
import redis
from sqlalchemy import select
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.config import Settings
from staffroom.db.tables import bulk_follows
from staffroom.runtime import Runtime
from staffroom.services import pack_follows
from staffroom.services.registration import SignUp, register
from staffroom.services.tokens import issue_token
from staffroom.timelines.redis_store import RedisTimelineStore
from tests.conftest import BASE_URL, User
from tests.lists.helpers import home, ok, post

UserFactory = Callable[..., User]


def test_follow_all_follows_notifies_merges_and_links_the_pack(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    curator, newcomer = make_user("curator"), make_user("newcomer")
    plain, strict, muting, blocking = (
        make_user(n) for n in ("plain", "strict", "muting", "blocking")
    )
    people = [plain, strict, muting, blocking]
    pack = ok(
        client.post(
            "/api/v1/collections",
            json={"name": "P", "account_ids": [str(p.id) for p in people]},
            headers=curator.headers,
        )
    )["collection"]
    posts = {p.username: post(client, p, f"hello from {p.username}") for p in people}
    ok(
        client.put(
            "/api/v2/notifications/policy",
            json={"for_not_following": "drop"},
            headers=strict.headers,
        )
    )
    ok(
        client.post(
            f"/api/v1/accounts/{newcomer.id}/mute",
            json={"notifications": True},
            headers=muting.headers,
        )
    )
    ok(client.post(f"/api/v1/accounts/{newcomer.id}/block", headers=blocking.headers))
    home(client, newcomer)  # read once: the home timeline is kept

    made = runtime.db.write(
        pack_follows.follow_people, runtime.timelines, newcomer.id, int(pack["id"])
    )
    assert made is not None and made.count == 3  # the one who blocks is skipped
    linked = runtime.db.read(
        lambda c: c.execute(select(bulk_follows.c.collection_id, bulk_follows.c.source)).one()
    )
    assert linked == (int(pack["id"]), f"pack:{pack['id']}")

    me = ok(client.get("/api/v1/accounts/verify_credentials", headers=newcomer.headers))
    assert me["following_count"] == 3
    assert (
        ok(client.get(f"/api/v1/accounts/{plain.id}", headers=plain.headers))["followers_count"]
        == 1
    )

    def follow_notes(user: User) -> list[str]:
        notes = ok(client.get("/api/v1/notifications?types[]=follow", headers=user.headers))
        return [n["account"]["id"] for n in notes]

    assert follow_notes(plain) == [str(newcomer.id)]
    assert follow_notes(strict) == []  # dropped by their policy
    assert follow_notes(muting) == []  # muted with notifications
    assert follow_notes(blocking) == []

    timeline = home(client, newcomer)
    for name in ("plain", "strict", "muting"):
        assert posts[name] in timeline
    assert posts["blocking"] not in timeline

    assert runtime.db.write(pack_follows.undo, runtime.timelines, newcomer.id, made.id) == 3
    assert home(client, newcomer) == []


REDIS_URL = "redis://127.0.0.1:6379/4"


def test_follow_all_merges_posts_with_the_redis_store(settings: Settings) -> None:
    conn = redis.Redis.from_url(REDIS_URL)
    try:
        conn.flushdb()
    except redis.ConnectionError as exc:  # a required service: fail, never skip
        pytest.fail(f"Redis is required at {REDIS_URL}: {exc}")
    rt = Runtime.build(replace(settings, redis_url=REDIS_URL))
    assert isinstance(rt.timelines, RedisTimelineStore)
    try:
        with TestClient(create_app(runtime=rt), base_url=BASE_URL) as client:
            users = {}
            for name in ("curator", "newcomer", "ana", "ben"):
                account_id = register(rt.db, SignUp(name, f"{name}@example.org", "horse battery"))
                raw, _ = rt.db.write(
                    issue_token, app_id=None, account_id=account_id, scopes=["read", "write"]
                )
                users[name] = User(account_id, name, f"{name}@example.org", "horse battery", raw)
            ana, ben, newcomer = users["ana"], users["ben"], users["newcomer"]
            pack = ok(
                client.post(
                    "/api/v1/collections",
                    json={"name": "P", "account_ids": [str(ana.id), str(ben.id)]},
                    headers=users["curator"].headers,
                )
            )["collection"]
            posts = [post(client, ana, "from ana"), post(client, ben, "from ben")]
            home(client, newcomer)  # kept
            made = rt.db.write(
                pack_follows.follow_people, rt.timelines, newcomer.id, int(pack["id"])
            )
            assert made is not None and made.count == 2
            assert set(home(client, newcomer)) == set(posts)
    finally:
        rt.close()
        conn.flushdb()
