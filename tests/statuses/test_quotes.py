"""Quote posts as Mastodon 4.5 has them: quoting within the quoted post's policy, the
``quote`` and ``quote_approval`` attributes (validated against Mastodon's description),
revoking, a post's quotes, changing the policy, and the ``quote`` / ``quoted_update``
notifications."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User
from tests.e2e.openapi import mastodon_schema

UserFactory = Callable[..., User]


def _quotes_in(body: Any, shallow: bool = False) -> list[tuple[dict[str, Any], bool]]:
    """Every ``quote`` in a response, with whether it must be a ShallowQuote."""
    found: list[tuple[dict[str, Any], bool]] = []
    if isinstance(body, list):
        for item in body:
            found += _quotes_in(item, shallow)
    elif isinstance(body, dict):
        for key, value in body.items():
            if key == "quote" and value is not None:
                found.append((value, shallow))
                found += _quotes_in(value.get("quoted_status"), True)
            elif key != "quote":
                found += _quotes_in(value, shallow)
    return found


def _ok(method: str, path: str, response: Any) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    schema = mastodon_schema()
    problems = schema.problems(method, path, 200, body)
    for quote, shallow in _quotes_in(body):
        name = "ShallowQuote" if shallow else "Quote"
        assert ("quoted_status_id" in quote) == shallow, quote
        problems += schema.entity_problems(name, quote)
    assert not problems, "\n".join(problems)
    return body


def _post(client: TestClient, user: User, text: str, **extra: object) -> dict[str, Any]:
    answer = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    body: dict[str, Any] = _ok("POST", "/api/v1/statuses", answer)
    return body


def _get(client: TestClient, user: User | None, status_id: str) -> dict[str, Any]:
    headers = user.headers if user else {}
    path = f"/api/v1/statuses/{status_id}"
    body: dict[str, Any] = _ok("GET", path, client.get(path, headers=headers))
    return body


def _follow(client: TestClient, follower: User, target: User) -> None:
    answer = client.post(f"/api/v1/accounts/{target.id}/follow", headers=follower.headers)
    assert answer.status_code == 200, answer.text


def test_quoting_a_public_post(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    original = _post(client, alice, "Try exit tickets this week")
    assert original["quote"] is None and original["quotes_count"] == 0
    assert original["quote_approval"] == {
        "automatic": ["public"],
        "manual": [],
        "current_user": "automatic",
    }

    quote = _post(client, bob, "This worked for my Year 9s", quoted_status_id=original["id"])

    assert quote["quote"]["state"] == "accepted"
    assert quote["quote"]["quoted_status"]["id"] == original["id"]
    assert quote["quote"]["quoted_status"]["account"]["id"] == str(alice.id)
    assert _get(client, None, original["id"])["quotes_count"] == 1
    seen = _get(client, None, quote["id"])  # anonymous readers see the public quote too
    assert seen["quote"]["quoted_status"]["content"] == original["content"]
    assert seen["quote"]["quoted_status"]["quote_approval"]["current_user"] == "unknown"
    listed = client.get("/api/v1/timelines/public", headers=alice.headers).json()
    assert [s["quote"]["quoted_status"]["id"] for s in listed if s["quote"]] == [original["id"]]


def test_a_quote_of_a_quote_is_shallow(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    first = _post(client, alice, "Phonics resources")
    second = _post(client, bob, "Adding mine", quoted_status_id=first["id"])
    third = _post(client, carol, "And a summary", quoted_status_id=second["id"])

    inner = third["quote"]["quoted_status"]
    assert inner["id"] == second["id"]
    assert inner["quote"] == {"state": "accepted", "quoted_status_id": first["id"]}


def test_policies(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    _follow(client, bob, alice)
    followers = _post(client, alice, "Followers may quote", quote_approval_policy="followers")
    nobody = _post(client, alice, "Only me", quote_approval_policy="nobody")
    assert followers["quote_approval"]["automatic"] == ["followers"]
    assert nobody["quote_approval"]["automatic"] == []
    assert _get(client, bob, followers["id"])["quote_approval"]["current_user"] == "automatic"
    assert _get(client, carol, followers["id"])["quote_approval"]["current_user"] == "denied"
    assert _get(client, bob, nobody["id"])["quote_approval"]["current_user"] == "denied"

    _post(client, bob, "A follower's quote", quoted_status_id=followers["id"])
    refused = client.post(
        "/api/v1/statuses",
        json={"status": "Not a follower", "quoted_status_id": followers["id"]},
        headers=carol.headers,
    )
    assert refused.status_code == 422
    refused = client.post(
        "/api/v1/statuses",
        json={"status": "Nobody", "quoted_status_id": nobody["id"]},
        headers=bob.headers,
    )
    assert refused.status_code == 422
    own = _post(client, alice, "Quoting myself", quoted_status_id=nobody["id"])
    assert own["quote"]["state"] == "accepted"
    bad = client.post(
        "/api/v1/statuses",
        json={"status": "x", "quote_approval_policy": "friends"},
        headers=alice.headers,
    )
    assert bad.status_code == 422


def test_private_and_direct_posts(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _follow(client, bob, alice)
    private = _post(client, alice, "Staff room only", visibility="private")
    direct = _post(client, alice, "@bob hello", visibility="direct")
    assert private["quote_approval"]["automatic"] == []  # followers-only posts are nobody's
    refused = client.post(
        "/api/v1/statuses",
        json={"status": "Quoting", "quoted_status_id": private["id"]},
        headers=bob.headers,
    )
    assert refused.status_code == 422
    for author in (alice, bob):
        answer = client.post(
            "/api/v1/statuses",
            json={"status": "Quoting a DM", "quoted_status_id": direct["id"]},
            headers=author.headers,
        )
        assert answer.status_code == 422
    # The author may quote their own followers-only post; the quote becomes followers-only.
    own = _post(client, alice, "Reminder", quoted_status_id=private["id"])
    assert own["visibility"] == "private"
    assert own["quote"]["quoted_status"]["id"] == private["id"]


def test_what_the_quoter_cannot_see_cannot_be_quoted(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    private = _post(client, alice, "Staff room only", visibility="private")
    answer = client.post(
        "/api/v1/statuses",
        json={"status": "Quoting", "quoted_status_id": private["id"]},
        headers=bob.headers,
    )
    assert answer.status_code == 404
    client.post(f"/api/v1/accounts/{bob.id}/block", headers=alice.headers)
    public = _post(client, alice, "Public, but Bob is blocked")
    answer = client.post(
        "/api/v1/statuses",
        json={"status": "Quoting", "quoted_status_id": public["id"]},
        headers=bob.headers,
    )
    assert answer.status_code == 404


def test_revoke_and_list_quotes(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    original = _post(client, alice, "Marking rubric")
    first = _post(client, bob, "Useful", quoted_status_id=original["id"])
    second = _post(client, carol, "Also useful", quoted_status_id=original["id"])

    path = f"/api/v1/statuses/{original['id']}/quotes"
    listed = _ok("GET", path, client.get(path, headers=alice.headers))
    assert [s["id"] for s in listed] == [second["id"], first["id"]]
    assert client.get(path, headers=bob.headers).status_code == 403

    revoke = f"/api/v1/statuses/{original['id']}/quotes/{first['id']}/revoke"
    assert client.post(revoke, headers=bob.headers).status_code == 403
    revoked = _ok("POST", revoke, client.post(revoke, headers=alice.headers))
    assert revoked["id"] == first["id"]
    assert revoked["quote"] == {"state": "revoked", "quoted_status": None}
    assert _get(client, bob, first["id"])["quote"]["state"] == "revoked"
    assert _get(client, alice, original["id"])["quotes_count"] == 1
    assert [s["id"] for s in client.get(path, headers=alice.headers).json()] == [second["id"]]

    client.delete(f"/api/v1/statuses/{second['id']}", headers=carol.headers)
    assert _get(client, alice, original["id"])["quotes_count"] == 0
    client.delete(f"/api/v1/statuses/{original['id']}", headers=alice.headers)
    gone = _get(client, bob, first["id"])
    assert gone["quote"]["state"] == "revoked"  # revoked stays revoked


def test_a_deleted_quoted_post(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    original = _post(client, alice, "Soon gone")
    quote = _post(client, bob, "Quoting it", quoted_status_id=original["id"])
    _get(client, bob, quote["id"])  # cached by this process first
    client.delete(f"/api/v1/statuses/{original['id']}", headers=alice.headers)
    assert _get(client, bob, quote["id"])["quote"] == {"state": "deleted", "quoted_status": None}


def test_interaction_policy(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    post = _post(client, alice, "Open to quotes")
    assert _get(client, bob, post["id"])["quote_approval"]["current_user"] == "automatic"
    path = f"/api/v1/statuses/{post['id']}/interaction_policy"
    changed = _ok(
        "PUT",
        path,
        client.put(path, json={"quote_approval_policy": "nobody"}, headers=alice.headers),
    )
    assert changed["quote_approval"]["automatic"] == []
    assert changed["edited_at"] is None  # not an edit
    assert _get(client, bob, post["id"])["quote_approval"]["current_user"] == "denied"
    refused = client.post(
        "/api/v1/statuses",
        json={"status": "Quoting", "quoted_status_id": post["id"]},
        headers=bob.headers,
    )
    assert refused.status_code == 422
    assert (
        client.put(path, json={"quote_approval_policy": "public"}, headers=bob.headers).status_code
        == 403
    )
    bad = client.put(path, json={"quote_approval_policy": "friends"}, headers=alice.headers)
    assert bad.status_code == 422


def test_notifications(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    original = _post(client, alice, "Seating plans")
    quote = _post(client, bob, "Mine too", quoted_status_id=original["id"])
    _post(client, alice, "Self quote", quoted_status_id=original["id"])

    path = "/api/v1/notifications"
    told = _ok("GET", path, client.get(path, headers=alice.headers))
    assert [(n["type"], n["status"]["id"]) for n in told] == [("quote", quote["id"])]

    edited = client.put(
        f"/api/v1/statuses/{original['id']}",
        json={"status": "Seating plans (updated)"},
        headers=alice.headers,
    )
    assert edited.status_code == 200
    updates = _ok("GET", path, client.get(f"{path}?types[]=quoted_update", headers=bob.headers))
    assert [(n["type"], n["status"]["id"]) for n in updates] == [("quoted_update", quote["id"])]
    inner = updates[0]["status"]["quote"]["quoted_status"]
    assert "updated" in inner["content"]


def test_media_and_a_quote_do_not_go_together(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    original = _post(client, alice, "Post")
    answer = client.post(
        "/api/v1/statuses",
        json={"status": "x", "quoted_status_id": original["id"], "media_ids": ["123"]},
        headers=alice.headers,
    )
    assert answer.status_code == 422


def test_a_quoted_post_the_reader_may_not_see_is_never_shown(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    _follow(client, bob, alice)
    # Carol hears private mentions from anyone (Mastodon's default filters strangers' ones).
    client.patch(
        "/api/v2/notifications/policy",
        data={"for_private_mentions": "accept"},
        headers=carol.headers,
    )
    private = _post(client, alice, "Staff room secret", visibility="private")
    dm = _post(
        client, alice, "@bob @carol look", visibility="direct", quoted_status_id=private["id"]
    )
    # Bob follows Alice: he may see the quoted post.
    assert _get(client, bob, dm["id"])["quote"]["quoted_status"]["id"] == private["id"]
    # Carol is mentioned but does not follow Alice.
    hidden = {"state": "unauthorized", "quoted_status": None}
    assert _get(client, carol, dm["id"])["quote"] == hidden
    path = "/api/v1/notifications"
    told = _ok("GET", path, client.get(path, headers=carol.headers))
    assert [n["status"]["quote"] for n in told] == [hidden]
    assert "Staff room secret" not in str(told) and private["id"] not in str(told)
    # Bob's home timeline (he follows Alice) shows it.
    timeline = client.get("/api/v1/timelines/home", headers=bob.headers).json()
    shown = [s["quote"]["state"] for s in timeline if s["id"] == dm["id"]]
    assert shown == ["accepted"]
    # Once Carol follows Alice, the same post shows her the quote (nothing kept is stale).
    _follow(client, carol, alice)
    assert _get(client, carol, dm["id"])["quote"]["quoted_status"]["id"] == private["id"]


def test_blocks_and_mutes(client: TestClient, make_user: UserFactory) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    original = _post(client, alice, "Alice's post")
    quote = _post(client, bob, "Quoting Alice", quoted_status_id=original["id"])
    deeper = _post(client, carol, "Quoting Bob", quoted_status_id=quote["id"])

    client.post(f"/api/v1/accounts/{carol.id}/block", headers=alice.headers)
    assert _get(client, carol, quote["id"])["quote"] == {
        "state": "unauthorized",
        "quoted_status": None,
    }
    inner = _get(client, carol, deeper["id"])["quote"]["quoted_status"]["quote"]
    assert inner == {"state": "unauthorized", "quoted_status_id": None}

    dave = make_user("dave")
    client.post(f"/api/v1/accounts/{alice.id}/mute", headers=dave.headers)
    muted = _get(client, dave, quote["id"])["quote"]
    assert muted["state"] == "muted_account" and muted["quoted_status"]["id"] == original["id"]
    client.post(f"/api/v1/accounts/{alice.id}/block", headers=dave.headers)
    blocked = _get(client, dave, quote["id"])["quote"]
    assert blocked["state"] == "blocked_account"


def test_the_default_policy(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    prefs = client.get("/api/v1/preferences", headers=alice.headers).json()
    assert prefs["posting:default:quote_policy"] == "public"
    changed = client.patch(
        "/api/v1/accounts/update_credentials",
        json={"source": {"quote_policy": "nobody"}},
        headers=alice.headers,
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["source"]["quote_policy"] == "nobody"
    post = _post(client, alice, "Default applies")
    assert post["quote_approval"]["automatic"] == []
    assert _get(client, bob, post["id"])["quote_approval"]["current_user"] == "denied"
    bad = client.patch(
        "/api/v1/accounts/update_credentials",
        json={"source": {"quote_policy": "friends"}},
        headers=alice.headers,
    )
    assert bad.status_code == 422
