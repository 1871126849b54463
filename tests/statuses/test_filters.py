"""Filters as Mastodon 4.5 has them: the v2 API (filters, keywords, posts), v1 answered from
v2 keywords, and ``filtered`` on posts per viewer (whole word or not, every context,
expiry, actions warn / hide / blur), never leaking between viewers of the same cached post."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from staffroom import clock
from tests.conftest import User
from tests.instance.openapi import schema_errors

UserFactory = Callable[..., User]


def _post(client: TestClient, user: User, text: str, **extra: object) -> dict[str, Any]:
    answer = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _filter(client: TestClient, user: User, **body: object) -> dict[str, Any]:
    answer = client.post("/api/v2/filters", json=body, headers=user.headers)
    assert answer.status_code == 200, answer.text
    made: dict[str, Any] = answer.json()
    assert schema_errors("Filter", made) == []
    return made


def _valid_statuses(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for item in items:
        assert schema_errors("Status", item) == [], item
    return items


def _home(client: TestClient, user: User) -> list[dict[str, Any]]:
    return _valid_statuses(client.get("/api/v1/timelines/home", headers=user.headers).json())


def _filtered(status: dict[str, Any]) -> list[tuple[str, str, list[str] | None]]:
    return [
        (r["filter"]["title"], r["filter"]["filter_action"], r["keyword_matches"])
        for r in status["filtered"]
    ]


def test_v2_create_read_update_delete(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    assert client.get("/api/v2/filters", headers=alice.headers).json() == []
    made = _filter(
        client,
        alice,
        title="Spoilers",
        context=["home", "public"],
        filter_action="warn",
        expires_in=3600,
        keywords_attributes=[{"keyword": "finale", "whole_word": True}, {"keyword": "ending"}],
    )
    assert made["title"] == "Spoilers" and made["context"] == ["home", "public"]
    assert made["filter_action"] == "warn" and made["statuses"] == []
    assert [(k["keyword"], k["whole_word"]) for k in made["keywords"]] == [
        ("finale", True),
        ("ending", True),  # whole_word defaults to true, as Mastodon's column
    ]
    expires = datetime.fromisoformat(made["expires_at"].replace("Z", "+00:00"))
    assert timedelta(minutes=59) < expires - datetime.now(UTC) <= timedelta(hours=1)

    finale, ending = made["keywords"]
    changed = client.put(
        f"/api/v2/filters/{made['id']}",
        json={
            "title": "TV",
            "filter_action": "blur",
            "expires_in": "",
            "keywords_attributes": [
                {"id": finale["id"], "keyword": "season finale", "whole_word": False},
                {"id": ending["id"], "_destroy": True},
                {"keyword": "cliffhanger"},
            ],
        },
        headers=alice.headers,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert schema_errors("Filter", body) == []
    assert (body["title"], body["filter_action"], body["expires_at"]) == ("TV", "blur", None)
    assert body["context"] == ["home", "public"]  # untouched
    assert [(k["keyword"], k["whole_word"]) for k in body["keywords"]] == [
        ("season finale", False),
        ("cliffhanger", True),
    ]
    assert client.get(f"/api/v2/filters/{made['id']}", headers=alice.headers).json() == body
    listed = client.get("/api/v2/filters", headers=alice.headers).json()
    assert listed == [body]

    # Keywords on their own.
    keywords = client.get(f"/api/v2/filters/{made['id']}/keywords", headers=alice.headers)
    assert keywords.json() == body["keywords"]
    added = client.post(
        f"/api/v2/filters/{made['id']}/keywords",
        data={"keyword": "#maths", "whole_word": "false"},
        headers=alice.headers,
    ).json()
    assert schema_errors("FilterKeyword", added) == []
    assert (added["keyword"], added["whole_word"]) == ("#maths", False)
    path = f"/api/v2/filters/keywords/{added['id']}"
    assert client.get(path, headers=alice.headers).json() == added
    put = client.put(path, json={"whole_word": True}, headers=alice.headers).json()
    assert put == {**added, "whole_word": True}
    assert client.delete(path, headers=alice.headers).json() == {}
    assert client.get(path, headers=alice.headers).status_code == 404

    # Posts on their own.
    post = _post(client, alice, "Something to hide")
    entry = client.post(
        f"/api/v2/filters/{made['id']}/statuses",
        json={"status_id": post["id"]},
        headers=alice.headers,
    )
    assert entry.status_code == 200, entry.text
    entry_body = entry.json()
    assert schema_errors("FilterStatus", entry_body) == []
    assert entry_body["status_id"] == post["id"]
    again = client.post(
        f"/api/v2/filters/{made['id']}/statuses",
        json={"status_id": post["id"]},
        headers=alice.headers,
    )
    assert again.status_code == 422
    assert again.json()["error"] == "Validation failed: Status has already been taken"
    posts = client.get(f"/api/v2/filters/{made['id']}/statuses", headers=alice.headers).json()
    assert posts == [entry_body]
    status_path = f"/api/v2/filters/statuses/{entry_body['id']}"
    assert client.get(status_path, headers=alice.headers).json() == entry_body
    assert client.delete(status_path, headers=alice.headers).json() == {}
    assert client.get(status_path, headers=alice.headers).status_code == 404

    assert client.delete(f"/api/v2/filters/{made['id']}", headers=alice.headers).json() == {}
    assert client.get(f"/api/v2/filters/{made['id']}", headers=alice.headers).status_code == 404
    assert client.get("/api/v2/filters", headers=alice.headers).json() == []


def test_validation_errors_are_mastodons(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")

    def error(body: dict[str, Any]) -> str:
        answer = client.post("/api/v2/filters", json=body, headers=alice.headers)
        assert answer.status_code == 422, answer.text
        message: str = answer.json()["error"]
        return message

    assert error({"title": "", "context": ["home"]}) == "Validation failed: Title can't be blank"
    assert error({"title": "x", "context": ["home", "elsewhere"]}) == (
        "Validation failed: Context None or invalid context supplied"
    )
    assert error({"title": "x", "context": []}) == (
        "Validation failed: Context can't be blank, Context None or invalid context supplied"
    )
    assert error({"title": "x", "context": ["home"], "filter_action": "explode"}) == (
        "Validation failed: Action is not included in the list"
    )
    assert (
        error(
            {
                "title": "x",
                "context": ["home"],
                "keywords_attributes": [{"keyword": " ", "whole_word": True}],
            }
        )
        == "Validation failed: Keywords keyword can't be blank"
    )
    assert error({"title": "x", "context": ["home"], "expires_in": 1757276825158}) == (
        "Validation failed: Expires in must be at most 315360000 seconds (ten years)"
    )
    v1 = client.post(
        "/api/v1/filters",
        json={"phrase": "path", "context": ["home"], "expires_in": 1757276825158},
        headers=alice.headers,
    )
    assert v1.status_code == 422, v1.text
    assert client.get("/api/v2/filters", headers=alice.headers).json() == []  # nothing written

    made = _filter(client, alice, title="ok", context=["home"])
    blank = client.post(
        f"/api/v2/filters/{made['id']}/keywords", json={"keyword": ""}, headers=alice.headers
    )
    assert blank.status_code == 422
    assert blank.json()["error"] == "Validation failed: Keyword can't be blank"
    bad_put = client.put(
        f"/api/v2/filters/{made['id']}", json={"filter_action": "nope"}, headers=alice.headers
    )
    assert bad_put.status_code == 422
    assert client.get(f"/api/v2/filters/{made['id']}", headers=alice.headers).json() == made


def test_another_persons_filter_is_not_found(client: TestClient, make_user: UserFactory) -> None:
    alice, mallory = make_user("alice"), make_user("mallory")
    made = _filter(
        client, alice, title="Mine", context=["home"], keywords_attributes=[{"keyword": "x"}]
    )
    keyword_id = made["keywords"][0]["id"]
    post = _post(client, alice, "a post")
    entry = client.post(
        f"/api/v2/filters/{made['id']}/statuses",
        json={"status_id": post["id"]},
        headers=alice.headers,
    ).json()
    h = mallory.headers
    for method, path in [
        ("GET", f"/api/v2/filters/{made['id']}"),
        ("PUT", f"/api/v2/filters/{made['id']}"),
        ("DELETE", f"/api/v2/filters/{made['id']}"),
        ("GET", f"/api/v2/filters/{made['id']}/keywords"),
        ("POST", f"/api/v2/filters/{made['id']}/keywords"),
        ("GET", f"/api/v2/filters/{made['id']}/statuses"),
        ("POST", f"/api/v2/filters/{made['id']}/statuses"),
        ("GET", f"/api/v2/filters/keywords/{keyword_id}"),
        ("PUT", f"/api/v2/filters/keywords/{keyword_id}"),
        ("DELETE", f"/api/v2/filters/keywords/{keyword_id}"),
        ("GET", f"/api/v2/filters/statuses/{entry['id']}"),
        ("DELETE", f"/api/v2/filters/statuses/{entry['id']}"),
        ("GET", f"/api/v1/filters/{keyword_id}"),
        ("PUT", f"/api/v1/filters/{keyword_id}"),
        ("DELETE", f"/api/v1/filters/{keyword_id}"),
    ]:
        answer = client.request(
            method, path, json={"keyword": "y", "status_id": post["id"]}, headers=h
        )
        assert answer.status_code == 404, (method, path, answer.text)
        assert answer.json() == {"error": "Record not found"}
    # A keyword of another filter cannot be reached through one's own filter either.
    own = _filter(client, mallory, title="Hers", context=["home"])
    stolen = client.put(
        f"/api/v2/filters/{own['id']}",
        json={"keywords_attributes": [{"id": keyword_id, "_destroy": True}]},
        headers=h,
    )
    assert stolen.status_code == 404
    assert client.get(f"/api/v2/filters/{made['id']}", headers=alice.headers).json() == {
        **made,
        "statuses": [entry],
    }
    assert client.get("/api/v2/filters", headers=h).json()[0]["id"] == own["id"]


def test_scopes(client: TestClient, make_user: UserFactory) -> None:
    reader = make_user("reader", scopes="read:filters")
    assert client.get("/api/v2/filters", headers=reader.headers).status_code == 200
    refused = client.post(
        "/api/v2/filters", json={"title": "x", "context": ["home"]}, headers=reader.headers
    )
    assert refused.status_code == 403
    assert client.get("/api/v2/filters").status_code == 401


@pytest.mark.parametrize(
    ("keyword", "whole_word", "text", "matched"),
    [
        ("cat", True, "My cat sleeps", "cat"),
        ("cat", True, "Concatenate these", None),
        ("cat", False, "Concatenate these", "cat"),
        ("CAT", True, "cat!", "cat"),  # case-insensitive, the text's own case reported
        ("café", True, "Un CAFÉ, por favor", "CAFÉ"),
        ("café", True, "Los cafés de Madrid", None),  # a word boundary in any script
        ("café", False, "Los cafés de Madrid", "café"),
        ("#maths", True, "Today in #maths class", "#maths"),
        ("#maths", True, "Today in #mathsclass", None),
        ("#maths", False, "Today in #mathsclass", "#maths"),
        ("año", True, "Feliz año nuevo", "año"),
        ("the end", True, "Until the end.", "the end"),
    ],
)
def test_whole_word_and_substring(
    client: TestClient,
    make_user: UserFactory,
    keyword: str,
    whole_word: bool,
    text: str,
    matched: str | None,
) -> None:
    alice = make_user("alice")
    _filter(
        client,
        alice,
        title="Words",
        context=["home"],
        keywords_attributes=[{"keyword": keyword, "whole_word": whole_word}],
    )
    post = _post(client, alice, text)
    expected = [] if matched is None else [("Words", "warn", [matched])]
    assert _filtered(post) == expected  # the author's own answer carries it too
    assert _filtered(_home(client, alice)[0]) == expected


def test_matches_warning_poll_media_and_reblogs(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    _filter(
        client,
        bob,
        title="Spiders",
        context=["home"],
        filter_action="hide",
        keywords_attributes=[{"keyword": "spider"}],
    )
    warned = _post(client, alice, "Look at this", spoiler_text="spider inside")
    polled = _post(
        client, alice, "Favourite?", poll={"options": ["spider", "ant"], "expires_in": 600}
    )
    plain = _post(client, alice, "Nothing to see")
    reblog = client.post(f"/api/v1/statuses/{warned['id']}/reblog", headers=alice.headers).json()
    home = {s["id"]: s for s in _home(client, bob)}
    assert _filtered(home[warned["id"]]) == [("Spiders", "hide", ["spider"])]
    assert _filtered(home[polled["id"]]) == [("Spiders", "hide", ["spider"])]
    assert home[plain["id"]]["filtered"] == []
    if reblog["id"] in home:
        shown = home[reblog["id"]]
        assert _filtered(shown) == _filtered(shown["reblog"]) == [("Spiders", "hide", ["spider"])]
    one = client.get(f"/api/v1/statuses/{reblog['id']}", headers=bob.headers).json()
    assert _filtered(one) == [("Spiders", "hide", ["spider"])]


def test_every_context_carries_filtered_for_the_viewer_only(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    for reader in (bob, carol):
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=reader.headers)
    made = _filter(
        client,
        bob,
        title="Exams",
        context=["home", "notifications", "public", "thread", "account"],
        keywords_attributes=[{"keyword": "exam"}],
    )
    root = _post(client, alice, "@bob the exam is tomorrow")
    reply = _post(client, alice, "Good luck", in_reply_to_id=root["id"])

    # Carol reads the same posts first and after Bob: never Bob's filter.
    def carol_sees_nothing() -> None:
        for item in _home(client, carol):
            assert item["filtered"] == []
        single = client.get(f"/api/v1/statuses/{root['id']}", headers=carol.headers).json()
        assert single["filtered"] == []

    carol_sees_nothing()
    expected = [("Exams", "warn", ["exam"])]
    assert _filtered({s["id"]: s for s in _home(client, bob)}[root["id"]]) == expected
    public = client.get("/api/v1/timelines/public", headers=bob.headers).json()
    assert _filtered({s["id"]: s for s in _valid_statuses(public)}[root["id"]]) == expected
    account = client.get(f"/api/v1/accounts/{alice.id}/statuses", headers=bob.headers).json()
    assert _filtered({s["id"]: s for s in _valid_statuses(account)}[root["id"]]) == expected
    context = client.get(f"/api/v1/statuses/{reply['id']}/context", headers=bob.headers).json()
    assert _filtered(_valid_statuses(context["ancestors"])[0]) == expected
    notes = client.get("/api/v1/notifications", headers=bob.headers).json()
    mention = next(n for n in notes if n["type"] == "mention")
    assert schema_errors("Notification", mention) == []
    assert _filtered(mention["status"]) == expected
    # The filter entity in a FilterResult carries its contexts and no keywords.
    result = mention["status"]["filtered"][0]
    assert schema_errors("FilterResult", result) == []
    assert result["filter"] == {
        "id": made["id"],
        "title": "Exams",
        "context": made["context"],
        "expires_at": None,
        "filter_action": "warn",
    }
    assert result["status_matches"] is None
    carol_sees_nothing()
    anonymous = client.get(f"/api/v1/statuses/{root['id']}").json()
    assert anonymous["filtered"] == []


def test_post_filters_and_expiry(
    client: TestClient, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = make_user("alice")
    post = _post(client, alice, "A perfectly ordinary post")
    made = _filter(client, alice, title="This one", context=["account"], expires_in=1800)
    client.post(
        f"/api/v2/filters/{made['id']}/statuses",
        json={"status_id": post["id"]},
        headers=alice.headers,
    )
    got = client.get(f"/api/v1/statuses/{post['id']}", headers=alice.headers).json()
    assert [(r["keyword_matches"], r["status_matches"]) for r in got["filtered"]] == [
        (None, [post["id"]])
    ]
    later = datetime.now(UTC) + timedelta(minutes=31)
    monkeypatch.setattr(clock, "now", lambda: later)
    got = client.get(f"/api/v1/statuses/{post['id']}", headers=alice.headers).json()
    assert got["filtered"] == []  # expired: matches nothing, still listed
    assert [f["id"] for f in client.get("/api/v2/filters", headers=alice.headers).json()] == [
        made["id"]
    ]


def test_v1_is_answered_from_v2_keywords(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    made = client.post(
        "/api/v1/filters",
        data={
            "phrase": "homework",
            "context[]": ["home", "notifications"],
            "irreversible": "true",
            "whole_word": "false",
            "expires_in": "600",
        },
        headers=alice.headers,
    )
    assert made.status_code == 200, made.text
    v1 = made.json()
    assert schema_errors("V1Filter", v1) == []
    assert set(v1) == {"id", "phrase", "context", "whole_word", "expires_at", "irreversible"}
    assert (v1["phrase"], v1["context"], v1["whole_word"], v1["irreversible"]) == (
        "homework",
        ["home", "notifications"],
        False,
        True,
    )
    assert v1["expires_at"] is not None
    v2 = client.get("/api/v2/filters", headers=alice.headers).json()
    assert [(f["title"], f["filter_action"], [k["id"] for k in f["keywords"]]) for f in v2] == [
        ("homework", "hide", [v1["id"]])
    ]
    # A v2 filter with two keywords is two v1 filters.
    _filter(
        client,
        alice,
        title="Two",
        context=["public"],
        filter_action="blur",
        keywords_attributes=[{"keyword": "one"}, {"keyword": "two", "whole_word": False}],
    )
    listed = client.get("/api/v1/filters", headers=alice.headers).json()
    assert [(f["phrase"], f["irreversible"], f["context"]) for f in listed] == [
        ("homework", True, ["home", "notifications"]),
        ("one", False, ["public"]),
        ("two", False, ["public"]),
    ]
    assert client.get(f"/api/v1/filters/{v1['id']}", headers=alice.headers).json() == listed[0]
    changed = client.put(
        f"/api/v1/filters/{v1['id']}",
        json={"phrase": "homeworks", "irreversible": False},
        headers=alice.headers,
    ).json()
    assert (changed["phrase"], changed["irreversible"]) == ("homeworks", False)
    # Changing the shared settings of a filter holding two keywords is refused.
    refused = client.put(
        f"/api/v1/filters/{listed[1]['id']}", json={"context": ["home"]}, headers=alice.headers
    )
    assert refused.status_code == 422
    assert refused.json()["error"].startswith("These parameters cannot be changed")
    only_word = client.put(
        f"/api/v1/filters/{listed[1]['id']}", json={"whole_word": False}, headers=alice.headers
    )
    assert only_word.status_code == 200 and only_word.json()["whole_word"] is False
    assert client.delete(f"/api/v1/filters/{listed[2]['id']}", headers=alice.headers).json() == {}
    phrases = [f["phrase"] for f in client.get("/api/v1/filters", headers=alice.headers).json()]
    assert phrases == ["homeworks", "one"]
    bad = client.post(
        "/api/v1/filters", data={"phrase": "x", "context[]": "nowhere"}, headers=alice.headers
    )
    assert bad.status_code == 422
    assert bad.json()["error"] == "Validation failed: Context None or invalid context supplied"
