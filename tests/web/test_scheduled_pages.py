"""One's scheduled posts on the web: listed soonest first, each cancellable by a plain form,
and nobody else's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, parse_page, sign_in


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _schedule(client: TestClient, user: User, text: str, hours: int) -> str:
    at = (datetime.now(UTC) + timedelta(hours=hours)).isoformat()
    answer = client.post(
        "/api/v1/statuses", json={"status": text, "scheduled_at": at}, headers=user.headers
    )
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def test_scheduled_posts_are_listed_and_cancelled(client: TestClient, alice: User) -> None:
    later = _schedule(client, alice, "Q2: <b>homework</b>?", hours=3)
    sooner = _schedule(client, alice, "Q1: warm-ups?", hours=1)

    page = client.get("/scheduled")

    assert page.status_code == 200
    assert page.text.index("Q1: warm-ups?") < page.text.index("Q2: &lt;b&gt;homework&lt;/b&gt;?")
    assert "<b>homework</b>" not in page.text
    cancels = [f for f in parse_page(page.text).forms if "Cancel this post" in f.buttons]
    assert [f.action for f in cancels] == [
        f"/web/scheduled/{sooner}/cancel",
        f"/web/scheduled/{later}/cancel",
    ]
    answer = client.post(cancels[0].action, data=cancels[0].fields, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/scheduled"
    left = client.get("/api/v1/scheduled_statuses", headers=alice.headers).json()
    assert [s["id"] for s in left] == [later]
    assert "Q1: warm-ups?" not in client.get("/scheduled").text


def test_nobody_cancels_another_persons_post(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    bobs = _schedule(client, bob, "Bob's", hours=2)
    form = form_with_button(client.get("/@alice").text, "Sign out")  # any form: alice's token

    answer = client.post(f"/web/scheduled/{bobs}/cancel", data=form.fields)

    assert answer.status_code == 404
    assert "Bob's" not in client.get("/scheduled").text
    assert len(client.get("/api/v1/scheduled_statuses", headers=bob.headers).json()) == 1
    client.cookies.clear()
    signed_out = client.get("/scheduled", follow_redirects=False)
    assert signed_out.status_code == 303 and "sign_in" in signed_out.headers["location"]
