"""Posting and reading home timelines through the API, for the timeline store tests."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import User


def post(c: TestClient, u: User, text: str, **extra: Any) -> str:
    r = c.post("/api/v1/statuses", json={"status": text, **extra}, headers=u.headers)
    assert r.status_code == 200, r.text
    return str(r.json()["id"])


def home(c: TestClient, u: User, **params: Any) -> list[str]:
    r = c.get("/api/v1/timelines/home", params=params, headers=u.headers)
    assert r.status_code == 200, r.text
    return [s["id"] for s in r.json()]
