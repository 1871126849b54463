"""``POST /api/v1/apps`` and ``GET /api/v1/apps/verify_credentials``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from starlette.testclient import TestClient

from staffroom.db.tables import apps
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.oauth.helpers import OOB, bearer, register_app
from tests.oauth.schema import component_keys, schema_errors


def _app_count(runtime: Runtime) -> int:
    query = select(func.count()).select_from(apps)
    return int(runtime.db.read(lambda c: c.execute(query).scalar_one()))


def test_register_with_defaults(client: TestClient) -> None:
    answer = client.post("/api/v1/apps", data={"client_name": "toot", "redirect_uris": OOB})
    assert answer.status_code == 200
    app = answer.json()
    assert schema_errors("CredentialApplication", app) == []
    assert set(app) == component_keys("CredentialApplication")
    assert app["name"] == "toot"
    assert app["scopes"] == ["read"]
    assert app["redirect_uri"] == OOB and app["redirect_uris"] == [OOB]
    assert app["website"] is None and app["vapid_key"] == ""
    assert app["client_secret_expires_at"] == 0
    assert len(app["client_id"]) >= 32 and len(app["client_secret"]) >= 32
    assert app["client_id"] != app["client_secret"]
    assert int(app["id"]) > 0


def test_several_redirect_uris(client: TestClient) -> None:
    uris = ["https://app.example/callback", "myapp://oauth", OOB]
    as_array = register_app(client, redirect_uris=uris)
    assert as_array["redirect_uris"] == uris
    assert as_array["redirect_uri"] == "\n".join(uris)
    as_text = register_app(client, redirect_uris="\n".join(uris))
    assert as_text["redirect_uris"] == uris
    rails_form = client.post(
        "/api/v1/apps",
        data={"client_name": "x", "redirect_uris[]": uris[:2], "scopes": "read write"},
    )
    assert rails_form.json()["redirect_uris"] == uris[:2]
    assert rails_form.json()["scopes"] == ["read", "write"]


def test_website_and_granular_scopes(client: TestClient) -> None:
    answer = client.post(
        "/api/v1/apps",
        json={
            "client_name": "Ice Cubes",
            "redirect_uris": "icecubesapp://",
            "scopes": "read:statuses write:favourites push",
            "website": "https://github.com/Dimillian/IceCubesApp",
        },
    )
    assert answer.status_code == 200, answer.text
    app = answer.json()
    assert app["scopes"] == ["read:statuses", "write:favourites", "push"]
    assert app["website"] == "https://github.com/Dimillian/IceCubesApp"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"redirect_uris": OOB}, "Name can't be blank"),
        ({"client_name": "  ", "redirect_uris": OOB}, "Name can't be blank"),
        ({"client_name": "x" * 61, "redirect_uris": OOB}, "Name is too long"),
        ({"client_name": "x"}, "Redirect URI can't be blank"),
        ({"client_name": "x", "redirect_uris": "/relative"}, "absolute URI"),
        ({"client_name": "x", "redirect_uris": "javascript:alert(1)"}, "forbidden scheme"),
        ({"client_name": "x", "redirect_uris": "https://a.example/#frag"}, "fragment"),
        ({"client_name": "x", "redirect_uris": "https:///nohost"}, "absolute URI"),
        ({"client_name": "x", "redirect_uris": OOB, "scopes": "read admin:all"}, "Scopes"),
        ({"client_name": "x", "redirect_uris": OOB, "website": "ftp://x.example"}, "Website"),
    ],
)
def test_invalid_registrations(
    client: TestClient, runtime: Runtime, body: dict[str, Any], message: str
) -> None:
    answer = client.post("/api/v1/apps", json=body)
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("Validation failed: ")
    assert message in answer.json()["error"]
    assert _app_count(runtime) == 0


def test_verify_credentials_with_an_app_token(client: TestClient) -> None:
    app = register_app(client, scopes="write:statuses")
    token = client.post(
        "/oauth/token",
        data={
            "grant_type": "client_credentials",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "scope": "write:statuses",
        },
    ).json()["access_token"]
    answer = client.get("/api/v1/apps/verify_credentials", headers=bearer(token))
    assert answer.status_code == 200
    entity = answer.json()
    assert schema_errors("Application", entity) == []
    assert "client_secret" not in entity and "client_id" not in entity
    assert entity["id"] == app["id"] and entity["scopes"] == ["write:statuses"]


def test_verify_credentials_without_a_valid_token(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    assert client.get("/api/v1/apps/verify_credentials").status_code == 401
    bad = client.get("/api/v1/apps/verify_credentials", headers=bearer("made-up"))
    assert bad.status_code == 401 and bad.json() == {"error": "The access token is invalid"}
    web_token = make_user("alice").token  # issued without an application
    answer = client.get("/api/v1/apps/verify_credentials", headers=bearer(web_token))
    assert answer.status_code == 404
