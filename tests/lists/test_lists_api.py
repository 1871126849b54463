"""``/api/v1/lists``: create, read, change, delete, members (followed or not), hashtags,
an account's lists; a list is its owner's alone (404 for anyone else, everywhere)."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from tests.conftest import User
from tests.lists.helpers import add_members, make_list, ok

UserFactory = Callable[..., User]


def test_a_list_is_made_changed_and_deleted_as_mastodon_answers(
    client: TestClient, make_user: UserFactory
) -> None:
    alice = make_user("alice")
    made = ok(client.post("/api/v1/lists", data={"title": "ELT speakers"}, headers=alice.headers))
    assert made == {
        "id": made["id"],
        "title": "ELT speakers",
        "replies_policy": "list",
        "exclusive": False,
    }
    changed = ok(
        client.put(
            f"/api/v1/lists/{made['id']}",
            json={"title": "Conference", "replies_policy": "none", "exclusive": True},
            headers=alice.headers,
        )
    )
    assert changed == {**made, "title": "Conference", "replies_policy": "none", "exclusive": True}
    assert ok(client.get(f"/api/v1/lists/{made['id']}", headers=alice.headers)) == changed
    assert ok(client.get("/api/v1/lists", headers=alice.headers)) == [changed]
    assert ok(client.delete(f"/api/v1/lists/{made['id']}", headers=alice.headers)) == {}
    assert ok(client.get("/api/v1/lists", headers=alice.headers)) == []
    assert client.get(f"/api/v1/lists/{made['id']}", headers=alice.headers).status_code == 404


def test_bad_input_gets_a_clear_error(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    blank = client.post("/api/v1/lists", json={"title": "  "}, headers=alice.headers)
    assert blank.status_code == 422 and "Title" in blank.json()["error"]
    policy = client.post(
        "/api/v1/lists", json={"title": "x", "replies_policy": "all"}, headers=alice.headers
    )
    assert policy.status_code == 422 and "replies_policy" in policy.json()["error"]
    list_id = make_list(client, alice)
    unknown = client.post(
        f"/api/v1/lists/{list_id}/accounts", json={"account_ids": ["999"]}, headers=alice.headers
    )
    assert unknown.status_code == 404
    garbage = client.post(
        f"/api/v1/lists/{list_id}/accounts", json={"account_ids": ["x"]}, headers=alice.headers
    )
    assert garbage.status_code == 422
    tag = client.post(
        f"/api/v1/lists/{list_id}/tags", json={"names": ["not a tag!"]}, headers=alice.headers
    )
    assert tag.status_code == 422
    assert client.get("/api/v1/lists/abc", headers=alice.headers).status_code == 404
    reader = make_user("reader", scopes="read:statuses")
    assert client.get("/api/v1/lists", headers=reader.headers).status_code == 403


def test_members_need_not_be_followed_and_tags_are_kept(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    list_id = make_list(client, alice)
    add_members(client, alice, list_id, bob, carol)
    members = ok(client.get(f"/api/v1/lists/{list_id}/accounts", headers=alice.headers))
    assert sorted(m["username"] for m in members) == ["bob", "carol"]
    one = client.get(f"/api/v1/lists/{list_id}/accounts?limit=1", headers=alice.headers)
    assert len(one.json()) == 1 and 'rel="next"' in one.headers["link"]
    lists_of_bob = ok(client.get(f"/api/v1/accounts/{bob.id}/lists", headers=alice.headers))
    assert [x["id"] for x in lists_of_bob] == [list_id]
    ok(
        client.request(
            "DELETE",
            f"/api/v1/lists/{list_id}/accounts",
            json={"account_ids": [str(bob.id)]},
            headers=alice.headers,
        )
    )
    assert ok(client.get(f"/api/v1/accounts/{bob.id}/lists", headers=alice.headers)) == []

    ok(
        client.post(
            f"/api/v1/lists/{list_id}/tags",
            json={"names": ["#ELTChat", "edtech"]},
            headers=alice.headers,
        )
    )
    names = [
        t["name"] for t in ok(client.get(f"/api/v1/lists/{list_id}/tags", headers=alice.headers))
    ]
    assert names == ["edtech", "ELTChat"]
    ok(
        client.request(
            "DELETE",
            f"/api/v1/lists/{list_id}/tags",
            json={"names": ["eltchat"]},
            headers=alice.headers,
        )
    )
    names = [
        t["name"] for t in ok(client.get(f"/api/v1/lists/{list_id}/tags", headers=alice.headers))
    ]
    assert names == ["edtech"]


def test_a_list_is_its_owners_alone(client: TestClient, make_user: UserFactory) -> None:
    alice, mallory, bob = make_user("alice"), make_user("mallory"), make_user("bob")
    list_id = make_list(client, alice)
    add_members(client, alice, list_id, bob)
    h = mallory.headers
    for method, path in [
        ("GET", f"/api/v1/lists/{list_id}"),
        ("PUT", f"/api/v1/lists/{list_id}"),
        ("DELETE", f"/api/v1/lists/{list_id}"),
        ("GET", f"/api/v1/lists/{list_id}/accounts"),
        ("POST", f"/api/v1/lists/{list_id}/accounts"),
        ("DELETE", f"/api/v1/lists/{list_id}/accounts"),
        ("GET", f"/api/v1/lists/{list_id}/tags"),
        ("POST", f"/api/v1/lists/{list_id}/tags"),
        ("GET", f"/api/v1/timelines/list/{list_id}"),
    ]:
        body = {"title": "mine", "account_ids": [str(mallory.id)], "names": ["x"]}
        response = client.request(method, path, json=body, headers=h)
        assert response.status_code == 404, (method, path, response.text)
    assert ok(client.get("/api/v1/lists", headers=h)) == []
    assert ok(client.get(f"/api/v1/accounts/{bob.id}/lists", headers=h)) == []
    # Nothing changed for alice.
    assert ok(client.get(f"/api/v1/lists/{list_id}", headers=alice.headers))["title"] == "Speakers"
    members = ok(client.get(f"/api/v1/lists/{list_id}/accounts", headers=alice.headers))
    assert [m["username"] for m in members] == ["bob"]
