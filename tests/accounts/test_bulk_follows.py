"""Follow-all and its undo (services.bulk_follows), and the first-run state
(services.onboarding)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from starlette.testclient import TestClient

from staffroom.db.tables import bulk_follows
from staffroom.errors import ValidationFailed
from staffroom.runtime import Runtime
from staffroom.services import bulk_follows as bulk
from staffroom.services import onboarding
from tests.conftest import User


def _following(client: TestClient, user: User) -> set[str]:
    listed = client.get(f"/api/v1/accounts/{user.id}/following", headers=user.headers).json()
    return {a["username"] for a in listed}


def _follow_all(runtime: Runtime, who: User, targets: list[User]) -> bulk.BulkFollow | None:
    ids = [t.id for t in targets]
    return runtime.db.write(bulk.follow_all, runtime.timelines, who.id, ids, source="first-run")


def _undo(runtime: Runtime, who: User, record: int) -> int:
    return runtime.db.write(bulk.undo_follow_all, runtime.timelines, who.id, record)


def test_undo_unfollows_exactly_the_people_follow_all_added(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    ana, old, new1, new2, later = (make_user(n) for n in ("ana", "old", "new1", "new2", "later"))
    client.post(f"/api/v1/accounts/{old.id}/follow", headers=ana.headers)

    record = _follow_all(runtime, ana, [old, new1, new2, ana])
    assert record is not None and record.count == 2
    assert set(runtime.db.read(bulk.bulk_targets, record.id)) == {new1.id, new2.id}
    assert _following(client, ana) == {"old", "new1", "new2"}
    client.post(f"/api/v1/accounts/{later.id}/follow", headers=ana.headers)

    assert _undo(runtime, ana, record.id) == 2
    assert _following(client, ana) == {"old", "later"}
    me = client.get(f"/api/v1/accounts/{ana.id}").json()
    assert me["following_count"] == 2
    assert client.get(f"/api/v1/accounts/{new1.id}").json()["followers_count"] == 0


def test_undo_twice_is_harmless_and_skips_changes_made_since(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    ana, gone, again, kept = (make_user(n) for n in ("ana", "gone", "again", "kept"))
    record = _follow_all(runtime, ana, [gone, again, kept])
    assert record is not None
    client.post(f"/api/v1/accounts/{gone.id}/unfollow", headers=ana.headers)
    client.post(f"/api/v1/accounts/{again.id}/unfollow", headers=ana.headers)
    client.post(f"/api/v1/accounts/{again.id}/follow", headers=ana.headers)  # her own choice

    assert _undo(runtime, ana, record.id) == 1
    assert _following(client, ana) == {"again"}
    assert _undo(runtime, ana, record.id) == 0
    assert _following(client, ana) == {"again"}
    assert runtime.db.read(bulk.latest_undoable, ana.id, "first-run") is None


def test_undo_is_only_the_owners_and_only_for_thirty_days(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    ana, bob, cy = make_user("ana"), make_user("bob"), make_user("cy")
    record = _follow_all(runtime, ana, [cy])
    assert record is not None
    assert runtime.db.read(bulk.latest_undoable, ana.id, "first-run") == record
    assert _undo(runtime, bob, record.id) == 0

    def age(conn: Any) -> None:
        conn.execute(
            update(bulk_follows)
            .where(bulk_follows.c.id == record.id)
            .values(created_at=datetime.now(UTC) - timedelta(days=31))
        )

    runtime.db.write(age)
    assert runtime.db.read(bulk.latest_undoable, ana.id, "first-run") is None
    assert _undo(runtime, ana, record.id) == 0
    assert _following(client, ana) == {"cy"}


def test_follow_all_skips_blocks_and_records_nothing_when_nobody_is_new(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    ana, foe = make_user("ana"), make_user("foe")
    client.post(f"/api/v1/accounts/{ana.id}/block", headers=foe.headers)

    assert _follow_all(runtime, ana, [foe]) is None
    assert runtime.db.read(lambda c: c.execute(select(bulk_follows.c.id)).all()) == []
    assert _following(client, ana) == set()


def test_first_run_state_starts_resumes_and_only_moves_forward(
    runtime: Runtime, make_user: Callable[..., User]
) -> None:
    ana = make_user("ana")
    assert runtime.db.read(onboarding.current_step, ana.id) == "interests"
    assert runtime.db.read(onboarding.first_run_pending, ana.id) is False  # never offered

    assert runtime.db.write(onboarding.start, ana.id) == "interests"
    assert runtime.db.read(onboarding.first_run_pending, ana.id) is True
    runtime.db.write(onboarding.save_interests, ana.id, ["#ELTChat", "edtech"])
    assert runtime.db.read(onboarding.current_step, ana.id) == "people"
    assert runtime.db.read(onboarding.interest_names, ana.id) == ["ELTChat", "edtech"]
    assert runtime.db.write(onboarding.advance, ana.id, "hello") == "hello"
    runtime.db.write(onboarding.save_interests, ana.id, ["edtech"])  # going back
    assert runtime.db.read(onboarding.current_step, ana.id) == "hello"
    assert runtime.db.write(onboarding.start, ana.id) == "hello"
    runtime.db.write(onboarding.advance, ana.id, onboarding.DONE)
    assert runtime.db.read(onboarding.first_run_pending, ana.id) is False


def test_invalid_interests_change_nothing(runtime: Runtime, make_user: Callable[..., User]) -> None:
    ana = make_user("ana")
    with pytest.raises(ValidationFailed):
        runtime.db.write(onboarding.save_interests, ana.id, ["not a tag!"])
    assert runtime.db.read(onboarding.current_step, ana.id) == "interests"
    assert runtime.db.read(onboarding.interest_names, ana.id) == []


def test_suggested_tags_are_the_most_used_public_ones_then_common_teacher_tags(
    runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana = make_user("ana")
    post(ana, "#maths #maths2 and #edtech")
    post(ana, "#maths again")
    post(ana, "#secretclub", visibility="private")
    runtime.db.write(onboarding.save_interests, ana.id, ["ukedchat"])  # a tag, never used

    offered = runtime.db.read(onboarding.suggested_tags)

    assert offered[0] == "maths"
    assert set(offered) == {"maths", "maths2", "edtech"}
