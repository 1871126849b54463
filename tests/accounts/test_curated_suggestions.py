"""Suggestions from what people curated: members of starter packs one used ("in 2 packs
you used") and people listed in the directory under one's own subject."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from staffroom.runtime import Runtime
from staffroom.services import bulk_follows, collections, pack_follows
from staffroom.services.suggestions import Suggestion, suggestions
from tests.conftest import User
from tests.directory.helpers import list_person


def _suggest(runtime: Runtime, viewer: User) -> dict[str, Suggestion]:
    found = runtime.db.read(suggestions, viewer.id, 20)
    return {s.account.username: s for s in found}


def _kinds(found: Suggestion) -> dict[str, Any]:
    return {r.kind: r for r in found.reasons}


def _pack(runtime: Runtime, owner: User, name: str, *people: User) -> int:
    made = runtime.db.write(
        lambda conn: collections.create_pack(
            conn, owner.id, name=name, account_ids=[p.id for p in people]
        )
    )
    return int(made.id)


def test_members_of_packs_one_used_and_did_not_follow_are_suggested(
    runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, curator, bo, cy, di = (make_user(n) for n in ("ana", "curator", "bo", "cy", "di"))
    for person in (bo, cy, di):
        post(person, "hello")
    first = _pack(runtime, curator, "Maths teachers", bo, cy)
    second = _pack(runtime, curator, "Physics", bo, di)
    # ana follows only cy from the first pack, then only di from the second
    runtime.db.write(
        lambda conn: pack_follows.follow_people(conn, runtime.timelines, ana.id, first, [cy.id])
    )
    runtime.db.write(
        lambda conn: pack_follows.follow_people(conn, runtime.timelines, ana.id, second, [di.id])
    )
    found = _suggest(runtime, ana)
    reason = _kinds(found["bo"])["in_packs"]
    assert (reason.count, set(reason.labels)) == (2, {"Maths teachers", "Physics"})
    assert "cy" not in found and "di" not in found  # followed


def test_an_undone_follow_all_is_not_a_pack_one_used(
    runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, curator, bo, cy = (make_user(n) for n in ("ana", "curator", "bo", "cy"))
    post(bo, "hello")
    post(cy, "hi")
    pack = _pack(runtime, curator, "Maths teachers", bo, cy)
    record = runtime.db.write(
        lambda conn: pack_follows.follow_people(conn, runtime.timelines, ana.id, pack, [cy.id])
    )
    assert record is not None
    assert "in_packs" in _kinds(_suggest(runtime, ana)["bo"])
    runtime.db.write(
        lambda conn: bulk_follows.undo_follow_all(conn, runtime.timelines, ana.id, record.id)
    )
    found = _suggest(runtime, ana)
    assert all("in_packs" not in _kinds(s) for s in found.values())


def test_people_listed_under_ones_subject_are_suggested_with_it(
    runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bo, cy, quiet = (make_user(n) for n in ("ana", "bo", "cy", "quiet"))
    post(bo, "hello")
    post(cy, "hi")
    list_person(runtime, ana, subject=["maths", "science"])
    list_person(runtime, bo, subject=["science"], country="ES")
    list_person(runtime, cy, subject=["history"])
    list_person(runtime, quiet, subject=["maths"])  # never posted: not active
    found = _suggest(runtime, ana)
    reason = _kinds(found["bo"])["directory_subject"]
    assert (reason.count, reason.labels) == (1, ("Science",))
    assert "cy" not in found or "directory_subject" not in _kinds(found["cy"])
    assert "quiet" not in found
