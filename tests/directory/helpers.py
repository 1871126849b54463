"""Helpers for the directory tests: listing people through the service, reading the API."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from staffroom.services import directory
from staffroom.services.directory_fields import instance_fields
from tests.conftest import User


def list_person(runtime: Runtime, user: User, why: str = "", **values: list[str] | str) -> None:
    """Put ``user`` in the directory with ``values`` (a string is one value)."""
    chosen = {k: [v] if isinstance(v, str) else v for k, v in values.items()}
    runtime.db.write(
        directory.save_entry,
        instance_fields(runtime.settings.directory_fields_file),
        user.id,
        listed=True,
        values=chosen,
        why_follow=why,
    )


def names(client: TestClient, query: str = "", user: User | None = None) -> list[str]:
    """The usernames ``GET /api/v1/directory?{query}`` answers, in order."""
    answer = client.get(f"/api/v1/directory?{query}", headers=user.headers if user else {})
    assert answer.status_code == 200, answer.text
    body: list[dict[str, Any]] = answer.json()
    return [account["username"] for account in body]
