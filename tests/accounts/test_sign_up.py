"""Sign-up through ``POST /api/v1/accounts`` with an app (client-credentials) token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from tests.conftest import User

GOOD = {
    "username": "maria_t",
    "email": "maria@school.example",
    "password": "a long staffroom passphrase",
    "agreement": "true",
    "locale": "en",
}


def _sign_up(client: TestClient, token: str, **changes: Any) -> Any:
    body = {**GOOD, **changes}
    return client.post("/api/v1/accounts", headers={"Authorization": f"Bearer {token}"}, data=body)


def test_sign_up_returns_a_working_token_with_the_apps_scopes(
    client: TestClient, app_token: Callable[..., str]
) -> None:
    response = _sign_up(client, app_token("read write:accounts write:statuses"))
    assert response.status_code == 200, response.text
    token = response.json()
    assert set(token) == {"access_token", "token_type", "scope", "created_at"}
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "read write:accounts write:statuses"
    assert isinstance(token["created_at"], int)
    me = client.get(
        "/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert me.status_code == 200
    assert me.json()["username"] == "maria_t"
    assert me.json()["source"]["privacy"] == "public"


def test_sign_up_accepts_json(client: TestClient, app_token: Callable[..., str]) -> None:
    response = client.post(
        "/api/v1/accounts",
        headers={"Authorization": f"Bearer {app_token()}"},
        json={**GOOD, "agreement": True, "reason": "I teach maths"},
    )
    assert response.status_code == 200, response.text


def test_bad_sign_up_lists_every_problem_and_creates_nothing(
    client: TestClient, app_token: Callable[..., str]
) -> None:
    token = app_token()
    response = _sign_up(client, token, email="not-an-email", password="short", agreement="false")
    assert response.status_code == 422
    body = response.json()
    assert body["error"].startswith("Validation failed: ")
    assert set(body["details"]) == {"email", "password", "agreement"}
    assert body["details"]["agreement"] == [
        {"error": "ERR_ACCEPTED", "description": "must be accepted"}
    ]
    assert client.get("/api/v1/accounts/lookup", params={"acct": "maria_t"}).status_code == 404


def test_missing_fields_are_blank_errors(client: TestClient, app_token: Callable[..., str]) -> None:
    response = client.post(
        "/api/v1/accounts", headers={"Authorization": f"Bearer {app_token()}"}, data={}
    )
    assert response.status_code == 422
    details = response.json()["details"]
    for field in ("username", "email", "password"):
        assert details[field][0]["error"] == "ERR_BLANK"
    assert "agreement" in details


def test_common_password_is_refused(client: TestClient, app_token: Callable[..., str]) -> None:
    response = _sign_up(client, app_token(), password="password123")
    assert response.status_code == 422
    assert "password" in response.json()["details"]
    assert "common" in response.json()["error"]


def test_username_is_unique_ignoring_case(
    client: TestClient, app_token: Callable[..., str], make_user: Callable[..., User]
) -> None:
    make_user("Maria_T")
    response = _sign_up(client, app_token(), email="other@school.example")
    assert response.status_code == 422
    assert response.json()["details"]["username"][0]["error"] == "ERR_TAKEN"


def test_closed_registrations_are_refused(
    client: TestClient, app_token: Callable[..., str], runtime: Runtime
) -> None:
    token = app_token()
    runtime.settings = runtime.settings.with_overrides(registrations_open=False)
    response = _sign_up(client, token)
    assert response.status_code == 403
    assert "closed" in response.json()["error"]


def test_sign_up_needs_write_accounts_scope(
    client: TestClient, app_token: Callable[..., str]
) -> None:
    assert _sign_up(client, app_token("read")).status_code == 403
    no_token = client.post("/api/v1/accounts", data=GOOD)
    assert no_token.status_code == 401
