"""The web app keeps its read position in the notifications marker: the navigation's badge
counts the notifications newer than the marker at page load (read with the session, no
query of its own), and the notifications page offers to mark what it shows as read, a form
its script sends at once. Opening the page (a plain GET) changes nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in

BADGE = re.compile(r"<span data-notification-badge( hidden)?>.*?data-notification-count>([^<]*)<")


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _badge(html: str) -> str | None:
    """The badge's text, or ``None`` when it is hidden."""
    found = BADGE.search(html)
    assert found is not None, html[:2000]
    return None if found.group(1) else found.group(2)


def _mention(client: TestClient, who: User, text: str) -> None:
    answer = client.post("/api/v1/statuses", headers=who.headers, json={"status": text})
    assert answer.status_code == 200, answer.text


def _marker(client: TestClient, user: User) -> dict[str, object] | None:
    got = client.get("/api/v1/markers?timeline[]=notifications", headers=user.headers).json()
    found: dict[str, object] | None = got.get("notifications")
    return found


def test_the_badge_counts_notifications_newer_than_the_marker(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    assert _badge(client.get("/").text) is None  # nothing yet: no badge
    _mention(client, bob, "@alice first")
    _mention(client, bob, "@alice second")
    assert _badge(client.get("/").text) == "2"  # the home page (a skeleton) too
    assert _badge(client.get("/search").text) == "2"

    page = client.get("/notifications")
    assert _badge(page.text) == "2"
    assert _marker(client, alice) is None  # a plain GET marks nothing read
    form = form_with_button(page.text, "Mark all as read")
    newest = client.get("/api/v1/notifications", headers=alice.headers).json()[0]["id"]
    assert form.fields["last_read_id"] == newest

    sent = client.post(form.action, data=form.fields, follow_redirects=False)
    assert (sent.status_code, sent.headers["location"]) == (303, "/notifications")
    marker = _marker(client, alice)
    assert marker is not None and marker["last_read_id"] == newest
    after = client.get("/notifications").text
    assert _badge(after) is None and "Mark all as read" not in after

    _mention(client, bob, "@alice third")
    assert _badge(client.get("/").text) == "1"


def test_the_script_gets_the_markers_and_the_marker_never_moves_back(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _mention(client, bob, "@alice one")
    page = client.get("/notifications").text
    form = form_with_button(page, "Mark all as read")
    older = form.fields["last_read_id"]
    _mention(client, bob, "@alice two")
    newer_page = client.get("/notifications").text
    newer = form_with_button(newer_page, "Mark all as read").fields["last_read_id"]

    headers = {"Accept": "application/json"}
    moved = client.post(form.action, data={**form.fields, "last_read_id": newer}, headers=headers)
    assert moved.status_code == 200 and moved.json()["notifications"]["last_read_id"] == newer
    back = client.post(form.action, data={**form.fields, "last_read_id": older}, headers=headers)
    assert back.json()["notifications"]["last_read_id"] == newer  # a stale tab takes nothing back
    assert back.json()["notifications"]["version"] == 0


def test_filtered_or_older_pages_offer_no_marking(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _mention(client, bob, "@alice hello")
    assert "Mark all as read" not in client.get("/notifications?type=mention").text
    assert "Mark all as read" not in client.get("/notifications?max_id=999999999999999").text


def test_marking_needs_the_form_token(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _mention(client, bob, "@alice hello")
    page = client.get("/notifications").text
    fields = form_with_button(page, "Mark all as read").fields
    forged = {k: v for k, v in fields.items() if k == "last_read_id"}
    answer = client.post("/web/markers/notifications", data=forged, follow_redirects=False)
    assert answer.status_code in (400, 403)
    assert _marker(client, alice) is None
    bad = client.post("/web/markers/notifications", data={**fields, "last_read_id": "x"})
    assert bad.status_code == 422
