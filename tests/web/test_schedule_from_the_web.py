"""Scheduling from the web: the composer's "Schedule for later" takes a time in the reader's
zone (the zone's own rules, summer time included; UTC without JavaScript, and the form says
so), a refused post keeps what was typed, and a scheduled post is changed from /scheduled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from staffroom import clock
from tests.conftest import User
from tests.oauth.helpers import form_with_button, parse_page, sign_in

NOW = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)  # summer in Lisbon: UTC+1


@pytest.fixture
def alice(
    client: TestClient, make_user: Callable[..., User], monkeypatch: pytest.MonkeyPatch
) -> User:
    monkeypatch.setattr(clock, "now", lambda: NOW)
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _compose(client: TestClient, **fields: Any) -> Any:
    composer = next(
        f for f in parse_page(client.get("/").text).forms if f.action == "/web/statuses"
    )
    return client.post(
        "/web/statuses",
        data={**composer.fields, "visibility": "public", **fields},
        follow_redirects=False,
    )


def _scheduled(client: TestClient, user: User) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get(
        "/api/v1/scheduled_statuses", headers=user.headers
    ).json()
    return found


def test_a_post_is_scheduled_in_the_readers_zone(client: TestClient, alice: User) -> None:
    home = client.get("/").text
    assert 'name="scheduled_at" type="datetime-local"' in home
    assert 'name="time_zone" value="UTC"' in home and "Time in UTC." in home

    answer = _compose(
        client,
        status="Q1 of tonight's #ELTChat",
        scheduled_at="2026-07-01T20:00",
        time_zone="Europe/Lisbon",
        poll_option=["Yes", "No", "", ""],
        poll_duration="3600",
    )

    assert answer.status_code == 303 and answer.headers["location"] == "/scheduled"
    [item] = _scheduled(client, alice)
    assert item["scheduled_at"] == "2026-07-01T19:00:00.000Z"  # 20:00 in Lisbon's summer
    assert item["params"]["poll"]["options"] == ["Yes", "No"]
    assert client.get(f"/api/v1/accounts/{alice.id}/statuses").json() == []
    listed = client.get("/scheduled").text
    assert "Q1 of tonight" in listed and "with a poll" in listed


def test_without_a_zone_the_time_is_utc_and_winter_rules_apply(
    client: TestClient, alice: User
) -> None:
    assert _compose(client, status="UTC", scheduled_at="2026-07-02T08:00").status_code == 303
    assert (
        _compose(
            client, status="Winter", scheduled_at="2026-12-01T20:00", time_zone="Europe/Lisbon"
        ).status_code
        == 303
    )
    times = sorted(item["scheduled_at"] for item in _scheduled(client, alice))
    assert times == ["2026-07-02T08:00:00.000Z", "2026-12-01T20:00:00.000Z"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"scheduled_at": "2026-07-01T10:03", "time_zone": "Europe/Lisbon"}, "at least 5 minutes"),
        ({"scheduled_at": "tomorrow-ish"}, "give a date and a time"),
        (
            {"scheduled_at": "2026-07-02T10:00", "time_zone": "Mars/Olympus"},
            "time zone is not known",
        ),
    ],
)
def test_refused_times_keep_the_draft(
    client: TestClient, alice: User, fields: dict[str, str], message: str
) -> None:
    answer = _compose(client, status="Keep this text", **fields)
    assert answer.status_code == 422 and message in answer.text
    assert "Keep this text" in answer.text
    assert f'value="{fields["scheduled_at"]}"' in answer.text
    assert _scheduled(client, alice) == []


def test_a_scheduled_post_is_changed_from_the_web(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    at = (NOW + timedelta(hours=2)).isoformat()
    created = client.post(
        "/api/v1/statuses",
        json={
            "status": "Frist draft",
            "scheduled_at": at,
            "poll": {"options": ["A", "B"], "expires_in": 600},
        },
        headers=alice.headers,
    ).json()
    page = client.get(f"/scheduled/{created['id']}/edit").text
    assert 'value="2026-07-01T11:00"' in page and 'name="time_zone" value="UTC"' in page
    form = next(f for f in parse_page(page).forms if f.action.endswith("/edit"))

    refused = client.post(
        form.action, data={**form.fields, "status": "x" * 141, "scheduled_at": "2026-07-01T11:00"}
    )
    assert refused.status_code == 422 and "x" * 141 in refused.text
    saved = client.post(
        form.action,
        data={
            **form.fields,
            "status": "First draft",
            "visibility": "unlisted",
            "scheduled_at": "2026-07-01T15:30",
            "time_zone": "America/New_York",
        },
        follow_redirects=False,
    )

    assert saved.status_code == 303
    [item] = _scheduled(client, alice)
    assert item["params"]["text"] == "First draft" and item["params"]["visibility"] == "unlisted"
    assert item["scheduled_at"] == "2026-07-01T19:30:00.000Z"
    assert item["params"]["poll"]["options"] == ["A", "B"]  # kept
    bob = make_user("bob")
    assert (
        client.get(f"/api/v1/scheduled_statuses/{item['id']}", headers=bob.headers).status_code
        == 404
    )
    client.cookies.clear()
    sign_in(client, bob.email, bob.password)
    assert client.get(f"/scheduled/{item['id']}/edit").status_code == 404
    bobs_token = form_with_button(client.get("/@bob").text, "Sign out").fields
    not_bobs = client.post(
        form.action, data={**bobs_token, "status": "Hijack", "scheduled_at": "2026-07-01T15:30"}
    )
    assert not_bobs.status_code == 404
    assert _scheduled(client, alice)[0]["params"]["text"] == "First draft"
