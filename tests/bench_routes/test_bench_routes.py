"""The benchmark-only ceiling endpoints (mounted with STAFFROOM_BENCH_ROUTES=1)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.runtime import Runtime
from tests.conftest import BASE_URL


@pytest.fixture
def bench_client(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("STAFFROOM_BENCH_ROUTES", "1")
    app = create_app(runtime=runtime)
    with TestClient(app, base_url=BASE_URL, raise_server_exceptions=False) as c:
        yield c


def test_bench_routes_are_absent_unless_enabled(client: TestClient) -> None:
    assert client.get("/bench/trivial").status_code == 404
    assert client.get("/bench/raw_home?account_id=1").status_code == 404


def test_trivial_answers_small_json(bench_client: TestClient) -> None:
    response = bench_client.get("/bench/trivial")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["ok"] is True


@pytest.mark.parametrize("bad", ["", "abc", "-1", "1" * 25])
def test_raw_home_rejects_bad_account_ids(bench_client: TestClient, bad: str) -> None:
    response = bench_client.get(f"/bench/raw_home?account_id={bad}")
    assert response.status_code == 400
    assert "error" in response.json()


def test_raw_home_reads_the_same_newest_twenty_as_the_home_timeline(
    bench_client: TestClient, runtime: Runtime, make_user: Callable[..., Any]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    followed = bench_client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    assert followed.status_code == 200
    for n in range(25):
        posted = bench_client.post(
            "/api/v1/statuses", json={"status": f"post {n} <b>"}, headers=bob.headers
        )
        assert posted.status_code == 200
    raw = bench_client.get(f"/bench/raw_home?account_id={alice.id}")
    if not runtime.settings.is_sqlite:
        assert raw.status_code == 400
        return
    assert raw.status_code == 200
    home = bench_client.get("/api/v1/timelines/home?limit=20", headers=alice.headers).json()
    entries = raw.json()
    assert [e["id"] for e in entries] == [s["id"] for s in home]
    newest = entries[0]
    assert newest["account"]["username"] == "bob"
    assert newest["account"]["id"] == str(bob.id)
    assert "post 24" in newest["content"] and "&lt;b&gt;" in newest["content"]
    assert newest["created_at"] == home[0]["created_at"]
    assert newest["visibility"] == "public"


def test_raw_home_of_an_account_without_a_timeline_is_empty(
    bench_client: TestClient, runtime: Runtime
) -> None:
    raw = bench_client.get("/bench/raw_home?account_id=12345")
    assert raw.status_code == (200 if runtime.settings.is_sqlite else 400)
    if runtime.settings.is_sqlite:
        assert raw.json() == []
