"""The entities these endpoints return match Mastodon's OpenAPI description exactly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User
from tests.instance.openapi import schema_errors, unknown_keys


def _check(name: str, body: Any) -> None:
    assert schema_errors(name, body) == []
    assert unknown_keys(name, body) == []


def test_entities_match_the_schema(
    client: TestClient,
    make_user: Callable[..., User],
    app_token: Callable[..., str],
    post: Callable[..., str],
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"note": "Hi #edtech", "interests[]": ["edtech"]},
    )
    post(alice, "Loving #edtech")
    _check(
        "CredentialAccount",
        client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json(),
    )
    _check("Account", client.get(f"/api/v1/accounts/{alice.id}").json())
    _check(
        "Relationship",
        client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers).json(),
    )
    _check(
        "Relationship",
        client.post(
            f"/api/v1/accounts/{alice.id}/mute", headers=bob.headers, data={"duration": 60}
        ).json(),
    )
    for featured in client.get("/api/v1/featured_tags", headers=alice.headers).json():
        _check("FeaturedTag", featured)
    _check("Tag", client.get("/api/v1/tags/edtech", headers=alice.headers).json())
    _check("Tag", client.get("/api/v1/tags/edtech").json())
    _check(
        "Search",
        client.get("/api/v2/search", params={"q": "edtech"}, headers=alice.headers).json(),
    )
    token = client.post(
        "/api/v1/accounts",
        headers={"Authorization": f"Bearer {app_token()}"},
        data={
            "username": "carol",
            "email": "carol@example.org",
            "password": "a long staffroom passphrase",
            "agreement": "1",
        },
    ).json()
    _check("Token", token)
