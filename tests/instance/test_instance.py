"""``/api/v1/instance``, ``/api/v2/instance`` and the ``/api/v1/instance/*`` documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from starlette.testclient import TestClient

from staffroom import MASTODON_COMPAT_VERSION
from staffroom.config import Settings
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.instance.conftest import CONTACT_EMAIL, open_app
from tests.instance.helpers import add_post, set_last_active, set_signed_up
from tests.instance.openapi import response_errors, schema_errors, unknown_keys

WEEK = 7 * 24 * 3600


def test_v1_instance_has_mastodons_shape_and_staffroom_limits(client: TestClient) -> None:
    response = client.get("/api/v1/instance")
    assert response.status_code == 200
    body = response.json()
    assert schema_errors("V1Instance", body) == []
    assert unknown_keys("V1Instance", body) == []
    assert body["uri"] == "testserver"
    assert body["version"] == MASTODON_COMPAT_VERSION
    assert body["email"] == CONTACT_EMAIL
    assert body["urls"] == {"streaming_api": "ws://testserver"}
    assert body["configuration"]["statuses"] == {
        "max_characters": 140,
        "max_media_attachments": 4,
        "characters_reserved_per_url": 23,
    }
    assert body["registrations"] is True
    assert body["contact_account"] is None
    assert body["rules"] == []


def test_v1_counts_users_and_their_posts(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    add_post(runtime, alice.id)
    add_post(runtime, alice.id)
    add_post(runtime, bob.id)
    stats = client.get("/api/v1/instance").json()["stats"]
    assert stats == {"user_count": 2, "status_count": 3, "domain_count": 0}


def test_contact_account_is_the_first_admin(
    client: TestClient, make_user: Callable[..., User], make_admin: Callable[[str], int]
) -> None:
    make_user("alice")
    first = make_admin("headteacher")
    make_admin("deputy")
    v1 = client.get("/api/v1/instance").json()
    v2 = client.get("/api/v2/instance").json()
    assert v1["contact_account"]["id"] == str(first)
    assert v1["contact_account"]["acct"] == "headteacher"
    assert v2["contact"] == {"email": CONTACT_EMAIL, "account": v1["contact_account"]}
    assert schema_errors("V1Instance", v1) == [] and schema_errors("Instance", v2) == []
    assert unknown_keys("V1Instance", v1) == [] and unknown_keys("Instance", v2) == []


def test_v2_instance_has_mastodons_shape(client: TestClient) -> None:
    response = client.get("/api/v2/instance")
    assert response.status_code == 200
    body = response.json()
    assert schema_errors("Instance", body) == []
    assert unknown_keys("Instance", body) == []
    assert body["domain"] == "testserver"
    assert body["version"] == MASTODON_COMPAT_VERSION
    assert body["api_versions"] == {"mastodon": 2}
    config = body["configuration"]
    assert config["urls"]["streaming"] == "ws://testserver"
    assert config["statuses"]["max_characters"] == 140
    assert config["statuses"]["characters_reserved_per_url"] == 23
    assert config["translation"] == {"enabled": False}
    assert body["registrations"]["enabled"] is True
    assert body["registrations"]["message"] is None


def test_v2_active_month_counts_recent_posters_and_visitors(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    now = datetime.now(UTC)
    poster, visitor, idle = make_user("poster"), make_user("visitor"), make_user("idle")
    add_post(runtime, poster.id)
    set_last_active(runtime, visitor.id, now - timedelta(days=3))
    set_last_active(runtime, idle.id, now - timedelta(days=45))
    body = client.get("/api/v2/instance").json()
    assert body["usage"] == {"users": {"active_month": 2}}


def test_settings_shape_the_documents(database_url: str, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=database_url,
        base_url="https://staff.example:8443",
        secret_key="k",
        contact_email="a@example.org",
        instance_title="Maths Staffroom",
        max_status_chars=280,
        registrations_open=False,
    )
    with open_app(settings) as client:
        v1 = client.get("/api/v1/instance").json()
        v2 = client.get("/api/v2/instance").json()
    assert v1["uri"] == v2["domain"] == "staff.example:8443"
    assert v1["title"] == v2["title"] == "Maths Staffroom"
    assert v1["urls"]["streaming_api"] == "wss://staff.example:8443"
    assert v2["configuration"]["urls"]["streaming"] == "wss://staff.example:8443"
    assert v1["configuration"]["statuses"]["max_characters"] == 280
    assert v1["registrations"] is False
    assert v2["registrations"]["enabled"] is False
    assert isinstance(v2["registrations"]["message"], str)
    assert schema_errors("Instance", v2) == []


def test_thumbnail_and_icon_are_served(client: TestClient) -> None:
    v1 = client.get("/api/v1/instance").json()
    v2 = client.get("/api/v2/instance").json()
    assert v1["thumbnail"] == v2["thumbnail"]["url"] == v2["icon"][0]["src"]
    image = client.get(v1["thumbnail"].removeprefix("http://testserver"))
    assert image.status_code == 200
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_activity_buckets_twelve_weeks_newest_first(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User]
) -> None:
    now = datetime.now(UTC)
    alice, bob = make_user("alice"), make_user("bob")
    add_post(runtime, alice.id)
    add_post(runtime, alice.id)
    add_post(runtime, bob.id, now - timedelta(weeks=3))
    add_post(runtime, bob.id, now - timedelta(weeks=20))  # too old to show
    set_signed_up(runtime, bob.id, now - timedelta(weeks=3))
    response = client.get("/api/v1/instance/activity")
    assert response.status_code == 200
    weeks = response.json()
    assert response_errors("/api/v1/instance/activity", weeks) == []
    assert len(weeks) == 12
    starts = [int(w["week"]) for w in weeks]
    assert starts == sorted(starts, reverse=True)
    assert all(a - b == WEEK for a, b in pairwise(starts))
    monday = datetime.fromtimestamp(starts[0], UTC)
    assert monday.weekday() == 0 and monday <= now < monday + timedelta(weeks=1)
    assert (weeks[0]["statuses"], weeks[0]["logins"], weeks[0]["registrations"]) == ("2", "1", "1")
    assert (weeks[3]["statuses"], weeks[3]["logins"], weeks[3]["registrations"]) == ("1", "1", "1")
    assert sum(int(w["statuses"]) for w in weeks) == 3


def test_empty_instance_documents(client: TestClient) -> None:
    for path in ("/api/v1/instance/peers", "/api/v1/instance/rules"):
        response = client.get(path)
        assert response.status_code == 200 and response.json() == []
        assert response_errors(path, response.json()) == []
    assert client.get("/api/v1/instance/domain_blocks").json() == []
    assert client.get("/api/v1/instance/translation_languages").json() == {}


def test_extended_description(client: TestClient) -> None:
    response = client.get("/api/v1/instance/extended_description")
    assert response.status_code == 200
    body = response.json()
    assert schema_errors("ExtendedDescription", body) == []
    assert body["content"] == "<p>The biggest staffroom in the world.</p>"
