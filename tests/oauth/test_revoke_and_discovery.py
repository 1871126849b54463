"""``POST /oauth/revoke``, the RFC 8414 metadata document and ``/oauth/userinfo``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from tests.conftest import BASE_URL, User
from tests.oauth.helpers import bearer, register_app
from tests.oauth.schema import schema_errors


def _password_token(client: TestClient, app: dict[str, Any], user: User) -> str:
    answer = client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "username": user.email,
            "password": user.password,
            "scope": "read",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["access_token"]
    return token


def _revoke(client: TestClient, app: dict[str, Any], token: str) -> Any:
    return client.post(
        "/oauth/revoke",
        data={"token": token, "client_id": app["client_id"], "client_secret": app["client_secret"]},
    )


def test_revoked_token_stops_working(client: TestClient, make_user: Callable[..., User]) -> None:
    app = register_app(client)
    token = _password_token(client, app, make_user("alice"))
    assert client.get("/api/v1/apps/verify_credentials", headers=bearer(token)).status_code == 200
    answer = _revoke(client, app, token)
    assert answer.status_code == 200 and answer.json() == {}
    after = client.get("/api/v1/apps/verify_credentials", headers=bearer(token))
    assert after.status_code == 401
    assert _revoke(client, app, token).status_code == 200  # revoking twice is fine


def test_unknown_token_revocation_is_200(client: TestClient) -> None:
    app = register_app(client)
    answer = _revoke(client, app, "never-issued")
    assert answer.status_code == 200 and answer.json() == {}


def test_cannot_revoke_another_apps_token(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    owner, other = register_app(client), register_app(client)
    alice = make_user("alice")
    token = _password_token(client, owner, alice)
    answer = _revoke(client, other, token)
    assert answer.status_code == 403 and answer.json()["error"] == "unauthorized_client"
    assert client.get("/api/v1/apps/verify_credentials", headers=bearer(token)).status_code == 200
    web_session = _revoke(client, other, alice.token)  # tokens without an app are off limits
    assert web_session.status_code == 403


def test_revocation_needs_client_credentials(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    app = register_app(client)
    token = _password_token(client, app, make_user("alice"))
    answer = client.post(
        "/oauth/revoke",
        data={"token": token, "client_id": app["client_id"], "client_secret": "wrong"},
    )
    assert answer.status_code == 403 and answer.json()["error"] == "unauthorized_client"
    assert client.get("/api/v1/apps/verify_credentials", headers=bearer(token)).status_code == 200


def test_authorization_server_metadata(client: TestClient) -> None:
    answer = client.get("/.well-known/oauth-authorization-server")
    assert answer.status_code == 200
    metadata = answer.json()
    assert schema_errors("DiscoverOauthServerConfigurationResponse", metadata) == []
    assert metadata["issuer"] == f"{BASE_URL}/"
    assert metadata["authorization_endpoint"] == f"{BASE_URL}/oauth/authorize"
    assert metadata["token_endpoint"] == f"{BASE_URL}/oauth/token"
    assert metadata["revocation_endpoint"] == f"{BASE_URL}/oauth/revoke"
    assert metadata["app_registration_endpoint"] == f"{BASE_URL}/api/v1/apps"
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["response_types_supported"] == ["code"]
    assert set(metadata["grant_types_supported"]) == {
        "authorization_code",
        "password",
        "client_credentials",
    }
    assert {"read", "write", "follow", "push", "read:statuses", "write:media"} <= set(
        metadata["scopes_supported"]
    )
    assert set(metadata["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
    }


def test_userinfo(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice", scopes="profile")
    answer = client.get("/oauth/userinfo", headers=alice.headers)
    assert answer.status_code == 200
    assert answer.json() == {
        "iss": f"{BASE_URL}/",
        "sub": f"{BASE_URL}/users/alice",
        "name": "",
        "preferred_username": "alice",
        "profile": f"{BASE_URL}/@alice",
        "picture": f"{BASE_URL}/avatars/original/missing.png",
    }
    assert client.get("/oauth/userinfo").json() == {"error": "The access token is invalid"}
    narrow = make_user("bob", scopes="write:statuses")
    assert client.get("/oauth/userinfo", headers=narrow.headers).status_code == 403
