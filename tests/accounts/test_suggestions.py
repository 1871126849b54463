"""Whom to follow (services.suggestions): the reasons given and who is never suggested."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from staffroom import clock
from staffroom.db.tables import accounts, suggestion_refreshes, users
from staffroom.errors import NotFound, ValidationFailed
from staffroom.runtime import Runtime
from staffroom.services import suggestion_refresh
from staffroom.services.profiles import set_interests
from staffroom.services.suggestions import Reason, Suggestion, dismiss, suggestions
from staffroom.services.tag_follows import follow_tag
from tests.conftest import User


def _suggest(runtime: Runtime, viewer: User, **options: Any) -> dict[str, Suggestion]:
    found = runtime.db.read(suggestions, viewer.id, options.pop("limit", 12), **options)
    return {s.account.username: s for s in found}


def _reason(found: Suggestion, kind: str) -> Reason:
    return next(r for r in found.reasons if r.kind == kind)


def _follow(client: TestClient, who: User, whom: User) -> None:
    assert client.post(f"/api/v1/accounts/{whom.id}/follow", headers=who.headers).is_success


def test_someone_posting_with_an_interest_tag_posts_about_it(
    runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bea, cai = make_user("ana"), make_user("bea"), make_user("cai")
    runtime.db.write(set_interests, ana.id, ["ELTChat", "edtech"])
    post(bea, "Tonight's #ELTChat is on feedback")
    post(bea, "More #eltchat and #EdTech")
    post(cai, "Just lunch, no tags")
    post(cai, "A private #ELTChat note", visibility="private")

    found = _suggest(runtime, ana)

    about = _reason(found["bea"], "posts_about")
    assert about.tags == ("edtech", "ELTChat") and about.count == 2  # two posts, one with both tags
    assert [r.kind for r in found["cai"].reasons] == ["recently_active"]  # only a filler
    assert next(iter(found)) == "bea"  # the reason ranks her first


def test_friends_of_friends_are_counted_with_examples(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bo, cy, di, star = (make_user(n) for n in ("ana", "bo", "cy", "di", "star"))
    post(star, "hello")
    for friend in (bo, cy, di):
        _follow(client, ana, friend)
        _follow(client, friend, star)

    reason = _reason(_suggest(runtime, ana)["star"], "followed_by")

    assert reason.count == 3
    assert reason.usernames == ("bo", "cy")


def test_people_sharing_an_interest_are_active_in_it(
    runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    runtime.db.write(set_interests, ana.id, ["mathschat"])
    runtime.db.write(set_interests, bea.id, ["MathsChat", "scichat"])
    post(bea, "no tags today")

    reason = _reason(_suggest(runtime, ana)["bea"], "shares_interests")

    assert reason.tags == ("mathschat",)


def test_exclusions(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana = make_user("ana")
    runtime.db.write(set_interests, ana.id, ["ELTChat"])
    names = (
        "ok",
        "followed",
        "blocked",
        "blocker",
        "muted",
        "hidden",
        "idle",
        "silent",
        "dismissed",
    )
    people = {name: make_user(name) for name in names}
    for name, person in people.items():
        if name != "silent":
            post(person, "Notes from #ELTChat")
    post(ana, "Me too #ELTChat")
    _follow(client, ana, people["followed"])
    client.post(f"/api/v1/accounts/{people['blocked'].id}/block", headers=ana.headers)
    client.post(f"/api/v1/accounts/{ana.id}/block", headers=people["blocker"].headers)
    client.post(f"/api/v1/accounts/{people['muted'].id}/mute", headers=ana.headers)
    assert (
        client.delete(f"/api/v1/suggestions/{people['dismissed'].id}", headers=ana.headers).json()
        == {}
    )
    long_ago = datetime.now(UTC) - timedelta(days=91)

    def tweak(conn: Any) -> None:
        conn.execute(
            update(accounts).where(accounts.c.id == people["hidden"].id).values(discoverable=False)
        )
        conn.execute(
            update(accounts)
            .where(accounts.c.id == people["idle"].id)
            .values(last_status_at=long_ago)
        )

    runtime.db.write(tweak)

    assert set(_suggest(runtime, ana)) == {"ok"}


def test_a_kept_account_stays_once_followed_and_says_so(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    runtime.db.write(set_interests, ana.id, ["ELTChat"])
    post(bea, "#ELTChat")
    _follow(client, ana, bea)

    assert "bea" not in _suggest(runtime, ana)
    kept = _suggest(runtime, ana, keep={bea.id})["bea"]
    assert kept.following and kept.reasons[0].kind == "posts_about"


def test_the_list_is_filled_with_active_people_and_bounded(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana = make_user("ana")
    others = [make_user(f"user{i}") for i in range(4)]
    for other in others:
        post(other, "hi")
    _follow(client, others[1], others[0])

    found = _suggest(runtime, ana, limit=3)

    assert len(found) == 3
    assert next(iter(found)) == "user0"
    assert _reason(found["user0"], "popular").count == 1
    assert {r.kind for s in list(found.values())[1:] for r in s.reasons} <= {
        "popular",
        "recently_active",
        "followed_by",
    }


def test_posts_in_a_followed_hashtag_say_so(
    runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bea = make_user("ana"), make_user("bea")
    runtime.db.write(follow_tag, runtime.timelines, ana.id, "ELTChat")
    runtime.db.write(set_interests, ana.id, ["eltchat", "edtech"])
    post(bea, "Tonight's #ELTChat is on feedback")
    post(bea, "And #edtech")

    found = _suggest(runtime, ana)["bea"]

    followed = _reason(found, "posts_in_followed_tags")
    assert (followed.tags, followed.count) == (("ELTChat",), 1)
    about = _reason(found, "posts_about")  # the interest that is not also followed
    assert (about.tags, about.count) == (("edtech",), 1)
    assert found.reasons[0].kind == "posts_in_followed_tags"  # the strongest first
    assert found.sources == ["similar_to_recently_followed"]


def test_a_dismissal_sticks_and_an_unknown_account_is_404(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bo, star = make_user("ana"), make_user("bo"), make_user("star")
    post(star, "hello")
    _follow(client, ana, bo)
    _follow(client, bo, star)
    assert "star" in _suggest(runtime, ana)

    runtime.db.write(dismiss, ana.id, star.id)
    runtime.db.write(dismiss, ana.id, star.id)  # twice is fine
    _follow(client, ana, star)
    client.post(f"/api/v1/accounts/{star.id}/unfollow", headers=ana.headers)
    post(star, "still here")

    assert "star" not in _suggest(runtime, ana)
    with pytest.raises(NotFound):
        runtime.db.write(dismiss, ana.id, 999_999)


def test_a_capped_sample_says_at_least(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    post: Callable[..., str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(suggestion_refresh, "FOLLOWING", 2)
    ana, star = make_user("ana"), make_user("star")
    friends = [make_user(f"friend{i}") for i in range(3)]
    post(star, "hello")
    for friend in friends:
        _follow(client, friend, star)
    for friend in friends:
        _follow(client, ana, friend)

    reason = _reason(_suggest(runtime, ana)["star"], "followed_by")

    assert (reason.count, reason.partial) == (2, True)  # two of the newest two follows


def test_limit_is_checked(runtime: Runtime, make_user: Callable[..., User]) -> None:
    ana = make_user("ana")
    with pytest.raises(ValidationFailed):
        runtime.db.read(suggestions, ana.id, 81)


def test_the_sweep_brings_in_whom_friends_started_following(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    post: Callable[..., str],
    server_clock: Any,
) -> None:
    ana, bo, star = make_user("ana"), make_user("bo"), make_user("star")
    post(star, "hello")
    _follow(client, ana, bo)  # ana's candidates are computed now: bo follows nobody yet
    runtime.db.write(  # as if her set were full: a new candidate then waits for a refresh
        lambda conn: conn.execute(update(suggestion_refreshes).values(complete=False))
    )
    _follow(client, bo, star)
    assert "followed_by" not in [r.kind for r in _suggest(runtime, ana)["star"].reasons]

    server_clock.advance(days=2)
    runtime.db.write(
        lambda conn: conn.execute(
            update(users).where(users.c.account_id == ana.id).values(last_active_at=clock.now())
        )
    )
    runtime.db.write(suggestion_refresh.ensure_sweep)
    runtime.worker.drain()

    reason = _reason(_suggest(runtime, ana)["star"], "followed_by")
    assert (reason.count, reason.usernames) == (1, ("bo",))


def test_a_friends_new_follow_enters_a_complete_set_at_once(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bo, cy, star = (make_user(n) for n in ("ana", "bo", "cy", "star"))
    post(star, "hello")
    _follow(client, ana, bo)
    _follow(client, ana, cy)  # ana's set: nobody yet (complete)
    _follow(client, bo, star)
    assert _reason(_suggest(runtime, ana)["star"], "followed_by").count == 1
    _follow(client, cy, star)
    assert _reason(_suggest(runtime, ana)["star"], "followed_by").usernames == ("bo", "cy")
    client.post(f"/api/v1/accounts/{star.id}/unfollow", headers=bo.headers)
    reason = _reason(_suggest(runtime, ana)["star"], "followed_by")
    assert (reason.count, reason.usernames) == (1, ("cy",))


def test_the_api_answers_as_mastodon(
    client: TestClient, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    ana, bo, star = make_user("ana"), make_user("bo"), make_user("star")
    reader = make_user("reader", scopes="read")
    post(star, "hello")
    post(bo, "hi")
    _follow(client, ana, bo)
    _follow(client, bo, star)

    v2 = client.get("/api/v2/suggestions", headers=ana.headers).json()
    assert list(v2[0]) == ["source", "sources", "account"]
    assert (v2[0]["account"]["username"], v2[0]["sources"], v2[0]["source"]) == (
        "star",
        ["friends_of_friends"],
        "past_interactions",
    )
    v1 = client.get("/api/v1/suggestions?limit=1", headers=ana.headers).json()
    assert [a["username"] for a in v1] == ["star"]
    assert len(client.get("/api/v2/suggestions?limit=500", headers=ana.headers).json()) <= 80
    assert client.get("/api/v2/suggestions?limit=1&offset=1", headers=ana.headers).json() != v2[:1]
    assert client.get("/api/v2/suggestions?limit=x", headers=ana.headers).status_code == 422
    assert client.get("/api/v2/suggestions").status_code == 401
    assert (
        client.delete(f"/api/v1/suggestions/{star.id}", headers=reader.headers).status_code == 403
    )
    assert client.delete("/api/v1/suggestions/999999", headers=ana.headers).status_code == 404
    assert client.delete(f"/api/v1/suggestions/{star.id}", headers=ana.headers).json() == {}
    assert "star" not in [
        s["account"]["username"]
        for s in client.get("/api/v2/suggestions", headers=ana.headers).json()
    ]


def test_a_follow_all_moves_friends_counts_as_single_follows_do(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], post: Callable[..., str]
) -> None:
    from staffroom.services import bulk_follows

    ana, bo, star, sun = (make_user(n) for n in ("ana", "bo", "star", "sun"))
    post(star, "hello")
    post(sun, "hi")
    _follow(client, ana, bo)  # ana's set is computed: bo follows nobody yet
    runtime.db.write(
        lambda conn: bulk_follows.follow_all(
            conn, runtime.timelines, bo.id, [star.id, sun.id], source="test"
        )
    )
    runtime.worker.drain()
    found = _suggest(runtime, ana)
    for name in ("star", "sun"):
        reason = _reason(found[name], "followed_by")
        assert (reason.count, reason.usernames) == (1, ("bo",))
