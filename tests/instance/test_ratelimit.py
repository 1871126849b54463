"""Rate limiting through the app: buckets, headers, 429s, and nothing when disabled."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from staffroom.app import create_app
from staffroom.config import RateLimits, Settings
from staffroom.runtime import Runtime
from staffroom.services import ratelimits
from staffroom.services.tokens import issue_token
from tests.conftest import BASE_URL, User

# Windows of ~4 months: a test never straddles a window boundary.
LONG = 10_000_000
LIMITS = RateLimits(
    enabled=True,
    per_token=4,
    per_ip=3,
    window_seconds=LONG,
    sign_ups_per_ip=2,
    sign_up_window_seconds=LONG,
)
HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


@pytest.fixture
def limited_app(settings: Settings) -> Iterator[Callable[..., Starlette]]:
    """``limited_app(**limit_changes)``: an app with tiny limits (its own runtime)."""
    runtimes: list[Runtime] = []

    def build(**changes: Any) -> Starlette:
        limits = replace(LIMITS, **changes)
        runtime = Runtime.build(settings.with_overrides(rate_limits=limits))
        runtimes.append(runtime)
        return create_app(runtime=runtime)

    yield build
    for runtime in runtimes:
        runtime.close()


def client_for(app: Starlette, ip: str = "203.0.113.7") -> TestClient:
    return TestClient(app, base_url=BASE_URL, raise_server_exceptions=False, client=(ip, 40000))


def reset_of(headers: object) -> datetime:
    value = headers["x-ratelimit-reset"]  # type: ignore[index]
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def test_anonymous_api_calls_are_limited_per_ip(limited_app: Callable[..., Starlette]) -> None:
    app = limited_app()
    with client_for(app) as client:
        remaining = []
        for _ in range(3):
            response = client.get("/api/v1/instance")
            assert response.status_code == 200
            assert response.headers["x-ratelimit-limit"] == "3"
            remaining.append(response.headers["x-ratelimit-remaining"])
        assert remaining == ["2", "1", "0"]
        refused = client.get("/api/v1/instance")
        assert refused.status_code == 429
        assert refused.json() == {"error": "Too many requests"}
        assert refused.headers["x-ratelimit-limit"] == "3"
        assert refused.headers["x-ratelimit-remaining"] == "0"
        reset = reset_of(refused.headers)
        assert reset.timestamp() % LONG == 0
        assert time.time() < reset.timestamp() <= time.time() + LONG
        retry_after = int(refused.headers["retry-after"])
        assert retry_after == pytest.approx(math.ceil(reset.timestamp() - time.time()), abs=2)
        assert client.get("/api/v1/custom_emojis").status_code == 429  # any API path
        other = client_for(app, "198.51.100.20").get("/api/v1/instance")
        assert other.status_code == 200 and other.headers["x-ratelimit-remaining"] == "2"


def test_tokens_are_counted_apart_from_the_ip(
    limited_app: Callable[..., Starlette], make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    app = limited_app()
    with client_for(app) as client:
        assert [client.get("/api/v1/instance").status_code for _ in range(4)] == [200] * 3 + [429]
        statuses = []
        for _ in range(4):
            response = client.get("/api/v1/preferences", headers=alice.headers)
            statuses.append(response.status_code)
            assert response.headers["x-ratelimit-limit"] == "4"
        assert statuses == [200] * 4
        assert client.get("/api/v1/preferences", headers=alice.headers).status_code == 429
        as_param = client.get("/api/v1/preferences", params={"access_token": alice.token})
        assert as_param.status_code == 429  # the same token in the query string
        assert client.get("/api/v1/preferences", headers=bob.headers).status_code == 200


def test_an_account_cannot_escape_its_limit_with_more_tokens(
    limited_app: Callable[..., Starlette], make_user: Callable[..., User], runtime: Runtime
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    second, _ = runtime.db.write(
        issue_token, app_id=None, account_id=alice.id, scopes=["read", "write"]
    )
    app = limited_app()
    with client_for(app) as client:
        first_token = [
            client.get("/api/v1/preferences", headers=alice.headers).status_code for _ in range(4)
        ]
        fresh = client.get("/api/v1/preferences", headers={"Authorization": f"Bearer {second}"})
        other_account = client.get("/api/v1/preferences", headers=bob.headers)
    assert first_token == [200] * 4
    assert fresh.status_code == 429  # a new token of the same account: same account bucket
    assert fresh.headers["retry-after"]
    assert fresh.headers["x-ratelimit-remaining"] == "0"
    assert other_account.status_code == 200


def test_sign_ups_have_a_tight_bucket_per_ip(limited_app: Callable[..., Starlette]) -> None:
    app = limited_app(per_ip=100)
    with client_for(app) as client:
        first = client.post("/api/v1/accounts", data={"username": "x"})
        second = client.post("/auth/sign_up", data={"username": "y"})
        assert first.status_code != 429 and second.status_code != 429
        assert first.headers["x-ratelimit-limit"] == "2"
        assert second.headers["x-ratelimit-remaining"] == "0"
        third = client.post("/api/v1/accounts", data={"username": "z"})
        assert third.status_code == 429
        assert third.headers["x-ratelimit-limit"] == "2"
        assert client.get("/api/v1/instance").status_code == 200  # reading is unaffected
        elsewhere = client_for(app, "198.51.100.30").post("/api/v1/accounts", data={})
        assert elsewhere.status_code != 429


def test_login_attempts_are_limited_per_ip(
    limited_app: Callable[..., Starlette], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ratelimits, "LOGIN_WINDOW_SECONDS", LONG)
    app = limited_app()
    with client_for(app) as client:
        for i in range(ratelimits.LOGIN_ATTEMPTS_PER_IP):
            path = "/oauth/token" if i % 2 else "/auth/sign_in"
            assert client.post(path, data={"grant_type": "password"}).status_code != 429
        refused = client.post("/oauth/token", data={"grant_type": "password"})
        assert refused.status_code == 429
        assert refused.headers["x-ratelimit-limit"] == str(ratelimits.LOGIN_ATTEMPTS_PER_IP)
        assert client.get("/oauth/token").status_code != 429  # only POSTs are attempts


def test_pages_outside_the_api_are_not_limited(limited_app: Callable[..., Starlette]) -> None:
    app = limited_app()
    with client_for(app) as client:
        for _ in range(5):
            response = client.get("/.well-known/nodeinfo")
            assert response.status_code == 200
            assert not any(h in response.headers for h in HEADERS)


def test_refusals_carry_cors_headers(limited_app: Callable[..., Starlette]) -> None:
    app = limited_app(per_ip=1)
    with client_for(app) as client:
        client.get("/api/v1/instance")
        refused = client.get("/api/v1/instance", headers={"Origin": "https://app.example"})
        assert refused.status_code == 429
        assert refused.headers["access-control-allow-origin"] == "*"
        assert "X-RateLimit-Remaining" in refused.headers["access-control-expose-headers"]


def test_disabled_limits_add_nothing(client: TestClient, make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    for _ in range(10):
        anonymous = client.get("/api/v1/instance")
        signed_in = client.get("/api/v1/preferences", headers=alice.headers)
        assert anonymous.status_code == 200 and signed_in.status_code == 200
        assert not any(h in anonymous.headers or h in signed_in.headers for h in HEADERS)
