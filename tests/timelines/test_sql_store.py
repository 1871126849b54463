"""The SQL timeline store writes only kept (recently read) timelines and rebuilds the others
from the database when their owner comes back, with the same content fan-out would give."""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy import select, update
from starlette.testclient import TestClient

from staffroom.db.tables import home_feed, home_timelines
from staffroom.runtime import Runtime
from staffroom.timelines.store import SqlTimelineStore
from tests.conftest import User
from tests.timelines.helpers import home as _home
from tests.timelines.helpers import post as _post


def _rows(rt: Runtime, owner: int) -> list[int]:
    return rt.db.read(
        lambda c: list(
            c.execute(
                select(home_feed.c.status_id)
                .where(home_feed.c.account_id == owner)
                .order_by(home_feed.c.status_id.desc())
            ).scalars()
        )
    )


def _kept_until(rt: Runtime, owner: int) -> int | None:
    return rt.db.read(
        lambda c: c.execute(
            select(home_timelines.c.kept_until).where(home_timelines.c.account_id == owner)
        ).scalar()
    )


def _go_away(rt: Runtime, owner: int) -> None:
    """As if ``owner`` had not read their timeline for longer than ``active_days``."""
    rt.db.write(
        lambda c: c.execute(
            update(home_timelines)
            .where(home_timelines.c.account_id == owner)
            .values(kept_until=int(time.time()) - 1)
        )
    )
    store = rt.timelines
    assert isinstance(store, SqlTimelineStore)
    store._kept.clear()  # a fresh process (this one cached "kept")


def test_new_accounts_are_kept_and_receive_fan_out(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    assert (_kept_until(runtime, bob.id) or 0) > time.time() + 13 * 86400
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    post = _post(client, alice, "hello")
    assert int(post) in _rows(runtime, bob.id)


def test_away_followers_are_skipped_then_rebuilt_on_return(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for author in (alice, carol):
        client.post(f"/api/v1/accounts/{author.id}/follow", headers=bob.headers)
    before = _post(client, alice, "before bob left")
    _go_away(runtime, bob.id)
    away = [_post(client, alice, "while away"), _post(client, carol, "also while away")]
    private = _post(client, carol, "followers only", visibility="private")
    direct = _post(client, carol, "not for bob", visibility="direct")
    written = {int(i) for i in (*away, private)} & set(_rows(runtime, bob.id))
    assert not written, "fan-out wrote into a timeline that is not kept"

    expected = [private, *reversed(away), before]
    assert _home(client, bob) == expected  # rebuilt before the first page
    assert direct not in _home(client, bob)
    assert _rows(runtime, bob.id) == [int(i) for i in expected]
    assert (_kept_until(runtime, bob.id) or 0) > time.time() + 13 * 86400

    after = _post(client, alice, "bob is back")
    assert int(after) in _rows(runtime, bob.id)  # kept again: fan-out writes it
    assert _home(client, bob)[0] == after
    assert _home(client, bob, limit=2, max_id=away[1]) == [away[0], before]


def test_reading_extends_a_kept_timeline_at_most_daily(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime
) -> None:
    bob = make_user("bob")
    soon = int(time.time()) + 3 * 86400  # kept, but running out
    runtime.db.write(
        lambda c: c.execute(
            update(home_timelines)
            .where(home_timelines.c.account_id == bob.id)
            .values(kept_until=soon)
        )
    )
    store = runtime.timelines
    assert isinstance(store, SqlTimelineStore)
    store._kept.clear()
    _home(client, bob)
    extended = _kept_until(runtime, bob.id) or 0
    assert extended > time.time() + 13 * 86400
    _home(client, bob)
    assert _kept_until(runtime, bob.id) == extended  # no write on every read


def test_deleting_a_post_removes_it_from_kept_timelines(
    client: TestClient, make_user: Callable[..., User], runtime: Runtime
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    post = _post(client, alice, "soon gone")
    assert int(post) in _rows(runtime, bob.id)
    assert client.delete(f"/api/v1/statuses/{post}", headers=alice.headers).status_code == 200
    assert int(post) not in _rows(runtime, bob.id)
    assert post not in _home(client, bob)
