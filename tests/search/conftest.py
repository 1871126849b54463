"""Helpers for search tests: posting through the API and asking ``/api/v2/search``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from staffroom.services import status_search
from tests.conftest import User


@pytest.fixture
def post(client: TestClient) -> Callable[..., str]:
    """``post(user, "text", visibility="public")`` -> the new status ID."""

    def make(user: User, text: str, **fields: Any) -> str:
        response = client.post(
            "/api/v1/statuses", headers=user.headers, json={"status": text, **fields}
        )
        assert response.status_code == 200, response.text
        return str(response.json()["id"])

    return make


@pytest.fixture
def find(client: TestClient) -> Callable[..., list[str]]:
    """``find(user, "query")`` -> IDs of the posts ``/api/v2/search`` answers, in order."""

    def search(user: User | None, q: str, **params: Any) -> list[str]:
        headers = user.headers if user is not None else {}
        response = client.get(
            "/api/v2/search",
            params={"q": q, "type": "statuses", "limit": 40, **params},
            headers=headers,
        )
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()["statuses"]]

    return search


@pytest.fixture(autouse=True, params=["one window", "tiny windows"])
def window(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search test runs twice: with FTS5 windows larger than the test's posts, and with
    windows of one post, which walks window after window and falls back to the drivers
    (``from:``, ``in:library``, ``has:poll``): both must find the same posts."""
    if request.param == "tiny windows":
        monkeypatch.setattr(status_search, "FIRST_WINDOW", 1)
        monkeypatch.setattr(status_search, "WINDOW", 1)
