"""``GET /api/v1/preferences``."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, update
from starlette.testclient import TestClient

from staffroom.db.tables import users
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.instance.helpers import token_for
from tests.instance.openapi import schema_errors


def test_preferences_of_a_new_user(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    response = client.get("/api/v1/preferences", headers=alice.headers)
    assert response.status_code == 200
    body = response.json()
    assert schema_errors("Preferences", body) == []
    assert body == {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "posting:default:quote_policy": "public",
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }


def _change_defaults(conn: Connection, account_id: int) -> None:
    conn.execute(
        update(users)
        .where(users.c.account_id == account_id)
        .values(default_visibility="private", default_sensitive=True, default_language="de")
    )


def test_preferences_follow_the_users_row(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    runtime.db.write(_change_defaults, alice.id)
    mine = client.get("/api/v1/preferences", headers=alice.headers).json()
    assert mine["posting:default:visibility"] == "private"
    assert mine["posting:default:sensitive"] is True
    assert mine["posting:default:language"] == "de"
    assert schema_errors("Preferences", mine) == []
    theirs = client.get("/api/v1/preferences", headers=bob.headers).json()
    assert theirs["posting:default:visibility"] == "public"


def test_preferences_need_read_accounts(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    assert client.get("/api/v1/preferences").status_code == 401
    narrow = token_for(runtime, alice, "read:accounts")
    assert client.get("/api/v1/preferences", headers=narrow).status_code == 200
    wrong = token_for(runtime, alice, "read:statuses")
    assert client.get("/api/v1/preferences", headers=wrong).status_code == 403
    app_only = token_for(runtime, None, "read")
    assert client.get("/api/v1/preferences", headers=app_only).status_code == 422
