"""``POST /oauth/token``: the three grants, client authentication and RFC 6749 errors."""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.config import Settings
from staffroom.db.tables import oauth_codes
from staffroom.runtime import Runtime
from staffroom.services.tokens import resolve_token
from tests.conftest import BASE_URL, User
from tests.oauth.helpers import (
    REDIRECT_URI,
    bearer,
    code_for,
    exchange,
    pkce_pair,
    register_app,
    sign_in,
)


@pytest.fixture
def signed_in(client: TestClient, make_user: Callable[..., User]) -> User:
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    return alice


def _password_grant(
    client: TestClient, app: dict[str, Any], email: str, password: str, **extra: str
) -> httpx.Response:
    data = {
        "grant_type": "password",
        "username": email,
        "password": password,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        **extra,
    }
    return client.post("/oauth/token", data=data)


def test_code_is_single_use(client: TestClient, signed_in: User) -> None:
    app = register_app(client)
    code = code_for(client, app)
    first = exchange(client, app, code)
    assert first.status_code == 200
    again = exchange(client, app, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert "already been used" in again.json()["error_description"]


def test_a_reused_code_revokes_the_token_of_its_first_exchange(
    client: TestClient, signed_in: User
) -> None:
    """RFC 6749 section 4.1.2: a code presented twice may have been stolen."""
    app = register_app(client)
    code = code_for(client, app)
    token = exchange(client, app, code).json()["access_token"]
    me = client.get("/api/v1/accounts/verify_credentials", headers=bearer(token))
    assert me.status_code == 200

    again = exchange(client, app, code)

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    after = client.get("/api/v1/accounts/verify_credentials", headers=bearer(token))
    assert after.status_code == 401


def test_expired_code_is_refused(client: TestClient, runtime: Runtime, signed_in: User) -> None:
    app = register_app(client)
    code = code_for(client, app)
    past = datetime.now(UTC) - timedelta(seconds=1)
    runtime.db.write(lambda c: c.execute(update(oauth_codes).values(expires_at=past)))
    answer = exchange(client, app, code)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert "expired" in answer.json()["error_description"]


def test_codes_expire_after_ten_minutes(
    client: TestClient, runtime: Runtime, signed_in: User
) -> None:
    app = register_app(client)
    before = datetime.now(UTC)
    code_for(client, app)
    row = runtime.db.read(lambda c: c.execute(oauth_codes.select()).one())
    expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
    assert timedelta(minutes=9) < expires - before <= timedelta(minutes=10, seconds=5)
    assert len(row.code_hash) == 64  # only the hash is stored


def test_redirect_uri_must_match(client: TestClient, signed_in: User) -> None:
    app = register_app(client, redirect_uris=[REDIRECT_URI, "https://client.example/other"])
    code = code_for(client, app)
    answer = exchange(client, app, code, redirect_uri="https://client.example/other")
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
    assert exchange(client, app, code).status_code == 200  # the failed try did not burn it


def test_pkce_verifier_must_match(client: TestClient, signed_in: User) -> None:
    app = register_app(client)
    verifier, challenge = pkce_pair()
    code = code_for(client, app, code_challenge=challenge, code_challenge_method="S256")
    wrong, _ = pkce_pair()
    assert exchange(client, app, code, code_verifier=wrong).json()["error"] == "invalid_grant"
    assert exchange(client, app, code).json()["error"] == "invalid_grant"  # verifier missing
    assert exchange(client, app, code, code_verifier=verifier).status_code == 200


def test_verifier_without_challenge_is_refused(client: TestClient, signed_in: User) -> None:
    app = register_app(client)
    code = code_for(client, app)
    verifier, _ = pkce_pair()
    assert exchange(client, app, code, code_verifier=verifier).json()["error"] == "invalid_grant"


def test_code_of_another_client_is_refused(client: TestClient, signed_in: User) -> None:
    app, other = register_app(client), register_app(client)
    code = code_for(client, app)
    answer = exchange(client, other, code)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"


def test_client_authentication(client: TestClient, signed_in: User) -> None:
    app = register_app(client)
    code = code_for(client, app)
    wrong = exchange(client, app, code, client_secret="not-the-secret")
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    basic = base64.b64encode(f"{app['client_id']}:nope".encode()).decode()
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}
    bad_basic = client.post("/oauth/token", data=data, headers={"Authorization": f"Basic {basic}"})
    assert bad_basic.status_code == 401
    assert bad_basic.headers["www-authenticate"].startswith("Basic")
    good = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    ok = client.post("/oauth/token", data=data, headers={"Authorization": f"Basic {good}"})
    assert ok.status_code == 200, ok.text
    assert ok.headers["cache-control"] == "no-store"


def test_password_grant(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    app = register_app(client)
    answer = _password_grant(client, app, bob.email.upper(), bob.password, scope="read write")
    assert answer.status_code == 200, answer.text
    assert answer.json()["scope"] == "read write"
    info = runtime.db.read(resolve_token, answer.json()["access_token"])
    assert info is not None and info.account_id == bob.id


def test_password_grant_default_scope_is_read(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    answer = _password_grant(client, register_app(client), bob.email, bob.password)
    assert answer.json()["scope"] == "read"


def test_wrong_password_does_not_reveal_the_account(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    app = register_app(client)
    wrong = _password_grant(client, app, bob.email, "incorrect horse")
    unknown = _password_grant(client, app, "nobody@example.org", "incorrect horse")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"] == "invalid_grant"
    assert "password is incorrect" in wrong.json()["error_description"]


def test_password_grant_can_be_switched_off(
    settings: Settings, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    runtime = Runtime.build(settings.with_overrides(password_grant=False))
    try:
        with TestClient(create_app(runtime=runtime), base_url=BASE_URL) as client:
            app = register_app(client)
            answer = _password_grant(client, app, bob.email, bob.password)
            assert answer.status_code == 400
            assert answer.json()["error"] == "unsupported_grant_type"
            metadata = client.get("/.well-known/oauth-authorization-server").json()
            assert "password" not in metadata["grant_types_supported"]
    finally:
        runtime.close()


def test_client_credentials(client: TestClient, runtime: Runtime) -> None:
    app = register_app(client, scopes="read write")
    data = {
        "grant_type": "client_credentials",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "scope": "read",
    }
    answer = client.post("/oauth/token", json=data)
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    info = runtime.db.read(resolve_token, token)
    assert info is not None and info.account_id is None and info.scope_list == ("read",)
    assert client.get("/api/v1/apps/verify_credentials", headers=bearer(token)).status_code == 200
    userinfo = client.get("/oauth/userinfo", headers=bearer(token))
    assert userinfo.status_code == 422  # no user behind an app token


@pytest.mark.parametrize("grant", ["password", "client_credentials"])
def test_scope_escalation_is_refused_at_the_token_endpoint(
    client: TestClient, make_user: Callable[..., User], grant: str
) -> None:
    bob = make_user("bob")
    app = register_app(client, scopes="read")
    data = {
        "grant_type": grant,
        "username": bob.email,
        "password": bob.password,
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "scope": "read write",
    }
    answer = client.post("/oauth/token", data=data)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"


def test_granular_scopes_round_trip(client: TestClient, signed_in: User) -> None:
    narrow = register_app(client, scopes="read:statuses write:favourites")
    granted = exchange(client, narrow, code_for(client, narrow))
    assert granted.json()["scope"] == "read:statuses write:favourites"
    broad = register_app(client, scopes="read write")
    code = code_for(client, broad, scope="read:statuses write:favourites")
    assert exchange(client, broad, code).json()["scope"] == "read:statuses write:favourites"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"grant_type": "refresh_token", "refresh_token": "x"}, "unsupported_grant_type"),
        ({"grant_type": "implicit"}, "unsupported_grant_type"),
        ({}, "invalid_request"),
        ({"grant_type": "authorization_code"}, "invalid_request"),
        ({"grant_type": "password", "username": "a@example.org"}, "invalid_request"),
    ],
)
def test_malformed_requests(client: TestClient, data: dict[str, str], error: str) -> None:
    app = register_app(client)
    credentials = {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    answer = client.post("/oauth/token", data={**credentials, **data})
    assert answer.status_code == 400
    assert answer.json()["error"] == error and answer.json()["error_description"]


def test_unknown_client_is_401(client: TestClient) -> None:
    answer = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
    )
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_unreadable_bodies_are_oauth_errors(client: TestClient) -> None:
    app = register_app(client)
    broken = client.post(
        "/oauth/token", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400 and broken.json()["error"] == "invalid_request"
    array_code = client.post(
        "/oauth/token",
        json={
            "grant_type": "authorization_code",
            "code": ["a", "b"],
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
        },
    )
    assert array_code.status_code == 400 and array_code.json()["error"] == "invalid_request"
