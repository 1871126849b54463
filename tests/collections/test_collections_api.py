"""``/api/v1/collections`` (starter packs) over raw HTTP: Mastodon 4.6's shapes, validated
against Mastodon's OpenAPI description; consent, limits, notifications and bad input."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import collections
from tests.conftest import User
from tests.instance.openapi import schema_errors, unknown_keys
from tests.lists.helpers import follow, ok

UserFactory = Callable[..., User]


def valid(name: str, body: Any) -> Any:
    assert schema_errors(name, body) == []
    return body


def make_pack(client: TestClient, owner: User, *members: User, **extra: object) -> dict[str, Any]:
    body = {"name": "ELT people", "description": "Teachers worth following", **extra}
    body["account_ids"] = [str(m.id) for m in members]
    made = ok(client.post("/api/v1/collections", json=body, headers=owner.headers))
    return valid("Collection", made["collection"])  # type: ignore[no-any-return]


def test_a_pack_is_made_read_changed_and_deleted_as_mastodon_answers(
    client: TestClient, make_user: UserFactory
) -> None:
    ana, ben, cy = make_user("ana"), make_user("ben"), make_user("cy")
    pack = make_pack(client, ana, ben, cy, tag_name="#ELTChat", language="en")
    assert pack["name"] == "ELT people" and pack["account_id"] == str(ana.id)
    assert pack["item_count"] == 2 and pack["local"] is True and pack["discoverable"] is True
    assert pack["tag"] == {"name": "ELTChat", "url": "http://testserver/tags/ELTChat"}
    assert [i["account_id"] for i in pack["items"]] == [str(ben.id), str(cy.id)]
    assert {i["state"] for i in pack["items"]} == {"accepted"}
    assert pack["url"] == f"http://testserver/packs/{pack['id']}"

    shown = valid("CollectionWithAccounts", ok(client.get(f"/api/v1/collections/{pack['id']}")))
    assert [a["id"] for a in shown["accounts"]] == [str(ana.id), str(ben.id), str(cy.id)]
    assert unknown_keys("CollectionWithAccounts", shown) == [
        "$.collection.items[0].reason",
        "$.collection.items[1].reason",
    ]

    changed = ok(
        client.patch(
            f"/api/v1/collections/{pack['id']}",
            json={"name": "ELT friends", "discoverable": False},
            headers=ana.headers,
        )
    )["collection"]
    assert changed["name"] == "ELT friends" and changed["discoverable"] is False
    listed = ok(client.get(f"/api/v1/accounts/{ana.id}/collections", headers=ana.headers))
    assert [c["id"] for c in listed["collections"]] == [pack["id"]]
    # not discoverable: others do not see it listed, but the link still opens it
    assert ok(client.get(f"/api/v1/accounts/{ana.id}/collections")) == {"collections": []}
    assert client.get(f"/api/v1/collections/{pack['id']}").status_code == 200

    assert (
        client.delete(f"/api/v1/collections/{pack['id']}", headers=ben.headers).status_code == 403
    )
    assert ok(client.delete(f"/api/v1/collections/{pack['id']}", headers=ana.headers)) == {}
    assert client.get(f"/api/v1/collections/{pack['id']}").status_code == 404


def test_items_are_added_with_reasons_removed_and_revoked(
    client: TestClient, make_user: UserFactory
) -> None:
    ana, ben, cy = make_user("ana"), make_user("ben"), make_user("cy")
    pack = make_pack(client, ana)
    added = ok(
        client.post(
            f"/api/v1/collections/{pack['id']}/items",
            json={"account_id": str(ben.id), "reason": "Runs #ELTChat"},
            headers=ana.headers,
        )
    )
    item = valid("CollectionItem", added["collection_item"])
    assert item["account_id"] == str(ben.id) and item["reason"] == "Runs #ELTChat"
    cy_item = ok(
        client.post(
            f"/api/v1/collections/{pack['id']}/items",
            data={"account_id": str(cy.id)},
            headers=ana.headers,
        )
    )["collection_item"]

    in_packs = ok(client.get(f"/api/v1/accounts/{ben.id}/in_collections"))
    assert [valid("Collection", c)["id"] for c in in_packs["collections"]] == [pack["id"]]

    # only the person may revoke their own item; only the owner may remove one
    revoke = f"/api/v1/collections/{pack['id']}/items/{item['id']}/revoke"
    assert client.post(revoke, headers=cy.headers).status_code == 403
    assert ok(client.post(revoke, headers=ben.headers)) == {}
    remove = f"/api/v1/collections/{pack['id']}/items/{cy_item['id']}"
    assert client.delete(remove, headers=ben.headers).status_code == 403
    assert ok(client.delete(remove, headers=ana.headers)) == {}
    assert ok(client.get(f"/api/v1/collections/{pack['id']}"))["collection"]["items"] == []
    assert ok(client.get(f"/api/v1/accounts/{ben.id}/in_collections")) == {"collections": []}

    # someone who removed themselves cannot be added back
    again = client.post(
        f"/api/v1/collections/{pack['id']}/items",
        json={"account_id": str(ben.id)},
        headers=ana.headers,
    )
    assert again.status_code == 422
    assert "removed themselves" in again.json()["error"]


def test_consent_nobody_and_followed_only(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    ana, ben, cy = make_user("ana"), make_user("ben"), make_user("cy")
    runtime.db.write(collections.set_pack_policy, ben.id, "nobody")
    runtime.db.write(collections.set_pack_policy, cy.id, "followed")
    pack = make_pack(client, ana)
    url = f"/api/v1/collections/{pack['id']}/items"

    refused = client.post(url, json={"account_id": str(ben.id)}, headers=ana.headers)
    assert refused.status_code == 422
    assert refused.json()["error"] == (
        "Validation failed: @ben does not want to be added to starter packs"
    )
    at_creation = client.post(
        "/api/v1/collections",
        json={"name": "x", "account_ids": [str(ben.id)]},
        headers=ana.headers,
    )
    assert at_creation.status_code == 422

    not_followed = client.post(url, json={"account_id": str(cy.id)}, headers=ana.headers)
    assert not_followed.status_code == 422
    assert "only lets people they follow" in not_followed.json()["error"]
    follow(client, cy, ana)
    ok(client.post(url, json={"account_id": str(cy.id)}, headers=ana.headers))


def test_the_person_added_is_notified_in_v1_and_grouped_v2(
    client: TestClient, make_user: UserFactory
) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    pack = make_pack(client, ana, ben)
    notes = ok(client.get("/api/v1/notifications", headers=ben.headers))
    assert [n["type"] for n in notes] == ["added_to_collection"]
    assert valid("Notification", notes[0])["collection"]["id"] == pack["id"]
    assert notes[0]["account"]["id"] == str(ana.id)

    ok(
        client.patch(
            f"/api/v1/collections/{pack['id']}",
            json={"description": "New words"},
            headers=ana.headers,
        )
    )
    grouped = ok(client.get("/api/v2/notifications", headers=ben.headers))
    # The published NotificationGroupTypeEnum lacks the 4.6 types NotificationTypeEnum has.
    gaps = schema_errors("GroupedNotificationsResults", grouped)
    assert len(gaps) == 2 and all("is not one of" in g and ".type:" in g for g in gaps)
    assert schema_errors("NotificationTypeEnum", grouped["notification_groups"][0]["type"]) == []
    for group in grouped["notification_groups"]:
        valid("Collection", group["collection"])
    assert [g["type"] for g in grouped["notification_groups"]] == [
        "collection_update",
        "added_to_collection",
    ]
    assert grouped["notification_groups"][0]["collection"]["description"] == "New words"
    only = ok(client.get("/api/v1/notifications?types[]=added_to_collection", headers=ben.headers))
    assert len(only) == 1

    # a deleted pack takes its notifications with it
    ok(client.delete(f"/api/v1/collections/{pack['id']}", headers=ana.headers))
    assert ok(client.get("/api/v1/notifications", headers=ben.headers)) == []


def test_the_notification_policy_applies(client: TestClient, make_user: UserFactory) -> None:
    ana, ben = make_user("ana"), make_user("ben")
    ok(
        client.put(
            "/api/v2/notifications/policy",
            json={"for_not_following": "drop"},
            headers=ben.headers,
        )
    )
    make_pack(client, ana, ben)
    assert ok(client.get("/api/v1/notifications", headers=ben.headers)) == []


def test_limits_and_bad_input(client: TestClient, make_user: UserFactory, monkeypatch: Any) -> None:
    ana, ben, cy = make_user("ana"), make_user("ben"), make_user("cy")
    post = client.post
    assert post("/api/v1/collections", json={"name": ""}, headers=ana.headers).status_code == 422
    assert (
        post("/api/v1/collections", json={"name": "x" * 101}, headers=ana.headers).status_code
        == 422
    )
    long = {"name": "x", "description": "d" * 501}
    assert post("/api/v1/collections", json=long, headers=ana.headers).status_code == 422
    bad_tag = {"name": "x", "tag_name": "#no way"}
    assert post("/api/v1/collections", json=bad_tag, headers=ana.headers).status_code == 422
    assert post("/api/v1/collections", json={"name": "x"}).status_code == 401
    pack = make_pack(client, ana)
    url = f"/api/v1/collections/{pack['id']}/items"
    assert post(url, json={}, headers=ana.headers).status_code == 422
    assert post(url, json={"account_id": "abc"}, headers=ana.headers).status_code == 422
    assert post(url, json={"account_id": "99999"}, headers=ana.headers).status_code == 422
    too_long = {"account_id": str(ben.id), "reason": "r" * 201}
    assert post(url, json=too_long, headers=ana.headers).status_code == 422
    assert post(url, json={"account_id": str(ben.id)}, headers=cy.headers).status_code == 403
    assert (
        post(
            "/api/v1/collections/123/items", json={"account_id": str(ben.id)}, headers=ana.headers
        ).status_code
        == 404
    )
    assert client.get("/api/v1/collections/abc").status_code == 404
    assert client.get("/api/v1/accounts/999/collections").status_code == 404

    monkeypatch.setattr(collections, "MAX_ITEMS", 1)
    ok(post(url, json={"account_id": str(ben.id)}, headers=ana.headers))
    full = post(url, json={"account_id": str(cy.id)}, headers=ana.headers)
    assert full.status_code == 422 and "at most 1 people" in full.json()["error"]


def test_blocks_hide_packs_and_people(client: TestClient, make_user: UserFactory) -> None:
    ana, ben, cy = make_user("ana"), make_user("ben"), make_user("cy")
    pack = make_pack(client, ana, ben)
    ok(client.post(f"/api/v1/accounts/{ben.id}/block", headers=cy.headers))
    seen = ok(client.get(f"/api/v1/collections/{pack['id']}", headers=cy.headers))
    assert seen["collection"]["items"] == [] and len(seen["accounts"]) == 1
    ok(client.post(f"/api/v1/accounts/{cy.id}/block", headers=ana.headers))
    assert client.get(f"/api/v1/collections/{pack['id']}", headers=cy.headers).status_code == 404
    # and ana cannot add someone she blocks
    blocked = client.post(
        f"/api/v1/collections/{pack['id']}/items",
        json={"account_id": str(cy.id)},
        headers=ana.headers,
    )
    assert blocked.status_code == 422


def test_the_instance_advertises_the_limits(client: TestClient) -> None:
    config = ok(client.get("/api/v2/instance"))["configuration"]
    assert config["collections"]["max_accounts"] == 150
    assert config["collections"]["max_tags"] == 10


def test_an_account_says_who_may_add_it_to_a_pack(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    """Mastodon 4.6's ``feature_approval`` on one account, as the reader may use it."""
    ana, bob = make_user("ana"), make_user("bob")
    runtime.db.write(collections.set_pack_policy, ana.id, "followed")

    def approval(path: str, reader: User | None) -> Any:
        headers = reader.headers if reader else {}
        return valid("Account", ok(client.get(path, headers=headers)))["feature_approval"]

    shown = approval(f"/api/v1/accounts/{ana.id}", bob)
    assert shown == {"automatic": ["following"], "manual": [], "current_user": "denied"}
    follow(client, ana, bob)  # ana follows bob: bob may add her now
    assert approval(f"/api/v1/accounts/{ana.id}", bob)["current_user"] == "automatic"
    assert approval("/api/v1/accounts/lookup?acct=ana", None)["current_user"] == "missing"
    runtime.db.write(collections.set_pack_policy, ana.id, "nobody")
    shown = approval("/api/v1/accounts/lookup?acct=ana", bob)
    assert shown == {"automatic": [], "manual": [], "current_user": "denied"}
