"""Fixtures for the accounts tests: app-only tokens (for sign-up) and posting helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert
from starlette.testclient import TestClient

from staffroom.db.tables import apps
from staffroom.ids import new_id
from staffroom.runtime import Runtime
from staffroom.services.tokens import issue_token
from tests.conftest import User


@pytest.fixture
def app_token(runtime: Runtime) -> Callable[..., str]:
    """``app_token("write:accounts")``: a client-credentials token of a fresh app."""

    def make(scopes: str = "read write follow push") -> str:
        app_id = new_id()

        def create(conn: Any) -> str:
            conn.execute(
                insert(apps).values(
                    id=app_id,
                    name="Test client",
                    redirect_uris="urn:ietf:wg:oauth:2.0:oob",
                    scopes=scopes,
                    client_id=f"client-{app_id}",
                    client_secret=f"secret-{app_id}",
                    created_at=datetime.now(UTC),
                )
            )
            raw, _ = issue_token(conn, app_id=app_id, account_id=None, scopes=scopes.split())
            return raw

        return runtime.db.write(create)

    return make


@pytest.fixture
def post(client: TestClient) -> Callable[..., str]:
    """``post(user, "text", visibility="public")`` -> the new status ID."""

    def make(user: User, text: str, **fields: Any) -> str:
        response = client.post(
            "/api/v1/statuses", headers=user.headers, data={"status": text, **fields}
        )
        assert response.status_code == 200, response.text
        status_id: str = response.json()["id"]
        return status_id

    return make
