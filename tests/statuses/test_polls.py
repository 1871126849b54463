"""Polls as Mastodon has them: made with a post, one vote per person, results hidden when
asked until the end, ended by a delayed job (controllable clock) that tells the author and
voters once; polls follow their post's visibility everywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from tests.conftest import CLOCK_START, ServerClock, User

UserFactory = Callable[..., User]
START = CLOCK_START



def _poll_post(
    client: TestClient, user: User, *options: str, expires_in: int = 3600, **extra: Any
) -> Any:
    return client.post(
        "/api/v1/statuses",
        json={
            "status": "Which topic next week? #ELTChat",
            "poll": {"options": list(options), "expires_in": expires_in, **extra},
            **{k: v for k, v in extra.items() if k == "visibility"},
        },
        headers=user.headers,
    )


def _vote(client: TestClient, user: User, poll_id: str, *choices: int) -> Any:
    return client.post(
        f"/api/v1/polls/{poll_id}/votes", json={"choices": list(choices)}, headers=user.headers
    )


def _types(client: TestClient, user: User) -> list[tuple[str, str | None]]:
    found = client.get("/api/v1/notifications", headers=user.headers).json()
    return [(n["type"], (n.get("status") or {}).get("id")) for n in found]


def test_a_poll_is_posted_voted_on_and_counted(
    client: TestClient, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    answer = _poll_post(client, alice, "Pronunciation", "Feedback", "Games")
    assert answer.status_code == 200, answer.text
    poll = answer.json()["poll"]
    assert [o["title"] for o in poll["options"]] == ["Pronunciation", "Feedback", "Games"]
    assert poll["expires_at"] == "2026-12-10T18:00:00.000Z"
    assert (poll["expired"], poll["multiple"], poll["votes_count"]) == (False, False, 0)
    assert poll["voted"] is True and poll["own_votes"] == []  # the author sees results

    voted = _vote(client, bob, poll["id"], 1)
    assert voted.status_code == 200, voted.text
    assert voted.json()["voted"] is True and voted.json()["own_votes"] == [1]
    assert [o["votes_count"] for o in voted.json()["options"]] == [0, 1, 0]
    _vote(client, carol, poll["id"], 1)

    seen_by_carol = client.get(f"/api/v1/polls/{poll['id']}", headers=carol.headers).json()
    assert [o["votes_count"] for o in seen_by_carol["options"]] == [0, 2, 0]
    assert (seen_by_carol["votes_count"], seen_by_carol["voters_count"]) == (2, 2)
    anonymous = client.get(f"/api/v1/polls/{poll['id']}").json()
    assert "voted" not in anonymous and "own_votes" not in anonymous
    status = client.get(f"/api/v1/statuses/{answer.json()['id']}", headers=bob.headers).json()
    assert status["poll"]["own_votes"] == [1]
    timeline = client.get(f"/api/v1/accounts/{alice.id}/statuses", headers=carol.headers).json()
    assert timeline[0]["poll"]["votes_count"] == 2 and timeline[0]["poll"]["own_votes"] == [1]


def test_one_vote_per_person_and_choices_checked(
    client: TestClient, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    poll = _poll_post(client, alice, "Yes", "No").json()["poll"]

    two = _vote(client, bob, poll["id"], 0, 1)
    outside = _vote(client, bob, poll["id"], 2)
    none = _vote(client, bob, poll["id"])
    own = _vote(client, alice, poll["id"], 0)
    first = _vote(client, bob, poll["id"], 0)
    again = _vote(client, bob, poll["id"], 1)

    assert two.status_code == 422 and "only one choice" in two.json()["error"]
    assert outside.status_code == 422 and none.status_code == 422
    assert own.status_code == 422 and "own poll" in own.json()["error"]
    assert first.status_code == 200
    assert again.status_code == 422 and "already voted" in again.json()["error"]
    final = client.get(f"/api/v1/polls/{poll['id']}", headers=bob.headers).json()
    assert [o["votes_count"] for o in final["options"]] == [1, 0]
    assert (final["votes_count"], final["voters_count"], final["own_votes"]) == (1, 1, [0])


def test_multiple_choice_counts_votes_and_voters(
    client: TestClient, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    poll = _poll_post(client, alice, "Slides", "Videos", "Worksheets", multiple=True).json()["poll"]
    assert poll["multiple"] is True

    assert _vote(client, bob, poll["id"], 0, 2, 2).status_code == 200
    assert _vote(client, carol, poll["id"], 2).status_code == 200

    final = client.get(f"/api/v1/polls/{poll['id']}", headers=bob.headers).json()
    assert [o["votes_count"] for o in final["options"]] == [1, 0, 2]
    assert (final["votes_count"], final["voters_count"], final["own_votes"]) == (3, 2, [0, 2])


def test_hidden_totals_stay_hidden_until_the_end(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    poll = _poll_post(client, alice, "A", "B", expires_in=600, hide_totals=True).json()["poll"]
    assert [o["votes_count"] for o in poll["options"]] == [None, None]

    after_vote = _vote(client, bob, poll["id"], 0).json()
    assert [o["votes_count"] for o in after_vote["options"]] == [None, None]
    assert after_vote["own_votes"] == [0]

    server_clock.advance(minutes=10)
    ended = client.get(f"/api/v1/polls/{poll['id']}", headers=bob.headers).json()
    assert ended["expired"] is True
    assert [o["votes_count"] for o in ended["options"]] == [1, 0]


def test_the_end_notifies_author_and_voters_once_and_stops_voting(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob, carol, dan = (make_user(n) for n in ("alice", "bob", "carol", "dan"))
    posted = _poll_post(client, alice, "Monday", "Thursday", expires_in=300).json()
    poll = posted["poll"]
    _vote(client, bob, poll["id"], 0)
    _vote(client, carol, poll["id"], 1)

    runtime.worker.drain()
    assert _types(client, alice) == [] and _types(client, bob) == []  # not yet ended
    server_clock.advance(minutes=5)
    late = _vote(client, dan, poll["id"], 0)
    runtime.worker.drain()
    runtime.worker.drain()

    assert late.status_code == 422 and "ended" in late.json()["error"]
    for person in (alice, bob, carol):
        assert _types(client, person) == [("poll", posted["id"])]
    assert _types(client, dan) == []
    assert client.get(f"/api/v1/polls/{poll['id']}", headers=bob.headers).json()["expired"]


def test_validation_of_new_polls(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    cases = {
        "at least 2": _poll_post(client, alice, "Only"),
        "at most 4": _poll_post(client, alice, "a", "b", "c", "d", "e"),
        "blank": _poll_post(client, alice, "a", "  "),
        "50 characters": _poll_post(client, alice, "a", "b" * 51),
        "different": _poll_post(client, alice, "Same", "Same"),
        "5 minutes": _poll_post(client, alice, "a", "b", expires_in=60),
        "a month": _poll_post(client, alice, "a", "b", expires_in=40 * 86400),
    }
    for words, answer in cases.items():
        assert answer.status_code == 422, words
        assert words in answer.json()["error"], (words, answer.json())
    no_expiry = client.post(
        "/api/v1/statuses",
        json={"status": "x", "poll": {"options": ["a", "b"]}},
        headers=alice.headers,
    )
    assert no_expiry.status_code == 422 and "expires_in" in no_expiry.json()["error"]
    assert client.get(f"/api/v1/accounts/{alice.id}/statuses").json() == []


def test_form_encoded_poll_as_apps_send_it(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    answer = client.post(
        "/api/v1/statuses",
        data={
            "status": "Form poll",
            "poll[options][]": ["Red", "Green"],
            "poll[expires_in]": "86400",
            "poll[multiple]": "true",
        },
        headers=alice.headers,
    )
    assert answer.status_code == 200, answer.text
    poll = answer.json()["poll"]
    assert [o["title"] for o in poll["options"]] == ["Red", "Green"] and poll["multiple"]


def test_a_poll_is_as_private_as_its_post(
    client: TestClient, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob, eve = make_user("alice"), make_user("bob"), make_user("eve")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    poll = _poll_post(client, alice, "A", "B", visibility="private").json()["poll"]

    assert client.get(f"/api/v1/polls/{poll['id']}", headers=eve.headers).status_code == 404
    assert client.get(f"/api/v1/polls/{poll['id']}").status_code == 404
    assert _vote(client, eve, poll["id"], 0).status_code == 404
    assert _vote(client, bob, poll["id"], 1).status_code == 200
    assert client.get(f"/api/v1/polls/{poll['id']}", headers=bob.headers).status_code == 200


def test_images_and_a_poll_together_are_refused(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    answer = client.post(
        "/api/v1/statuses",
        json={
            "status": "x",
            "media_ids": ["1"],
            "poll": {"options": ["a", "b"], "expires_in": 600},
        },
        headers=alice.headers,
    )
    assert answer.status_code == 422 and "both images and a poll" in answer.json()["error"]


def test_editing_the_options_starts_afresh_and_the_history_keeps_them(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    posted = _poll_post(client, alice, "Tea", "Coffee").json()
    _vote(client, bob, posted["poll"]["id"], 0)

    same = client.put(
        f"/api/v1/statuses/{posted['id']}",
        json={
            "status": "Which drink? #ELTChat",
            "poll": {"options": ["Tea", "Coffee"], "expires_in": 7200},
        },
        headers=alice.headers,
    ).json()
    assert (
        same["poll"]["votes_count"] == 1
        and same["poll"]["expires_at"] == "2026-12-10T19:00:00.000Z"
    )
    changed = client.put(
        f"/api/v1/statuses/{posted['id']}",
        json={"status": "Which drink?", "poll": {"options": ["Tea", "Juice"], "expires_in": 600}},
        headers=alice.headers,
    ).json()
    assert [o["title"] for o in changed["poll"]["options"]] == ["Tea", "Juice"]
    assert changed["poll"]["votes_count"] == 0
    assert _vote(client, bob, changed["poll"]["id"], 1).status_code == 200
    history = client.get(f"/api/v1/statuses/{posted['id']}/history").json()
    assert [[o["title"] for o in v["poll"]["options"]] for v in history] == [
        ["Tea", "Coffee"],
        ["Tea", "Coffee"],
        ["Tea", "Juice"],
    ]
    removed = client.put(
        f"/api/v1/statuses/{posted['id']}", json={"status": "No poll now"}, headers=alice.headers
    ).json()
    assert removed["poll"] is None
    assert client.get(f"/api/v1/polls/{changed['poll']['id']}").status_code == 404

    server_clock.advance(hours=3)  # the ends of the replaced and removed polls: nobody is told
    runtime.worker.drain()
    assert _types(client, alice) == [] and _types(client, bob) == []


def test_a_scheduled_poll_is_posted_with_its_poll(
    client: TestClient, runtime: Runtime, make_user: UserFactory, server_clock: ServerClock
) -> None:
    alice = make_user("alice")
    at = START + timedelta(hours=1)
    scheduled = client.post(
        "/api/v1/statuses",
        json={
            "status": "Vote for next week's topic",
            "scheduled_at": at.isoformat(),
            "poll": {"options": ["Drama", "Songs"], "expires_in": 86400, "hide_totals": True},
        },
        headers=alice.headers,
    ).json()
    assert scheduled["params"]["poll"] == {
        "options": ["Drama", "Songs"],
        "expires_in": 86400,
        "multiple": False,
        "hide_totals": True,
    }
    server_clock.advance(hours=1)
    runtime.worker.drain()
    runtime.worker.drain()

    posted = client.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert len(posted) == 1
    poll = posted[0]["poll"]
    assert [o["title"] for o in poll["options"]] == ["Drama", "Songs"]
    assert poll["expires_at"] == "2026-12-11T18:00:00.000Z"  # a day from publication
    assert [o["votes_count"] for o in poll["options"]] == [None, None]
