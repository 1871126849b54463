"""The web notifications page groups as the API does ("Ana, Ben and 10 others favourited
your post", in English and Spanish); held-back notifications wait on
``/notifications/requests`` (accept, dismiss); ``/settings/notifications`` sets the policy."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from staffroom.db.tables import accounts
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.oauth.helpers import form_with_button, parse_page, sign_in

UserFactory = Callable[..., User]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def alice(client: TestClient, make_user: UserFactory) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _favourited_by(client: TestClient, alice: User, fans: list[User]) -> str:
    post = client.post("/api/v1/statuses", data={"status": "Peer review"}, headers=alice.headers)
    for fan in fans:
        client.post(f"/api/v1/statuses/{post.json()['id']}/favourite", headers=fan.headers)
    return str(post.json()["id"])


def test_grouped_sentences_in_english_and_spanish(
    client: TestClient, alice: User, make_user: UserFactory
) -> None:
    fans = [make_user(f"fan{i}") for i in range(12)]
    _favourited_by(client, alice, fans)
    other = client.post("/api/v1/statuses", data={"status": "Second"}, headers=alice.headers)
    for fan in fans[:2]:
        client.post(f"/api/v1/statuses/{other.json()['id']}/reblog", headers=fan.headers)
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=fans[0].headers)

    page = client.get("/notifications")
    assert page.status_code == 200
    text = _text(page.text)
    assert "@fan0 followed you" in text
    assert "@fan1 and @fan0 reposted your post" in text
    assert "@fan11, @fan10 and 10 others favourited your post" in text
    assert text.count("favourited your post") == 1  # one group, not twelve
    assert page.text.count('class="avatar" src=') >= 8 + 2

    spanish = _text(client.get("/notifications", headers={"Accept-Language": "es"}).text)
    assert "@fan11, @fan10 y 10 personas más marcaron tu publicación como favorita" in spanish
    assert "@fan1 y @fan0 difundieron tu publicación" in spanish


def test_one_other_is_singular(client: TestClient, alice: User, make_user: UserFactory) -> None:
    _favourited_by(client, alice, [make_user(f"f{i}") for i in range(3)])
    text = _text(client.get("/notifications").text)
    assert "@f2, @f1 and 1 other favourited your post" in text
    spanish = _text(client.get("/notifications", headers={"Accept-Language": "es"}).text)
    assert "@f2, @f1 y 1 persona más marcaron tu publicación como favorita" in spanish


def test_requests_page_accept_and_dismiss(
    client: TestClient, runtime: Runtime, alice: User, make_user: UserFactory
) -> None:
    bob, carol, mallory = make_user("bob"), make_user("carol"), make_user("mallory")
    for who, text in ((bob, "@alice psst"), (carol, "@alice hello there")):
        client.post(
            "/api/v1/statuses", data={"status": text, "visibility": "direct"}, headers=who.headers
        )
    page = client.get("/notifications")
    assert "psst" not in page.text  # held back
    assert "2 people's notifications are held back" in page.text
    waiting = client.get("/notifications/requests")
    assert "psst" in waiting.text and "hello there" in waiting.text

    accept = form_with_button(waiting.text, "Accept @bob")
    done = client.post(accept.action, data=accept.fields, follow_redirects=False)
    assert done.status_code == 303
    assert "psst" in client.get("/notifications").text
    waiting = client.get("/notifications/requests")
    dismiss = form_with_button(waiting.text, "Dismiss @carol")
    client.post(dismiss.action, data=dismiss.fields)
    assert "Nothing is held back." in client.get("/notifications/requests").text
    assert "hello there" not in client.get("/notifications").text

    # Someone else's request is not theirs to answer.
    client.post(
        "/api/v1/statuses",
        data={"status": "@mallory hi", "visibility": "direct"},
        headers=bob.headers,
    )
    (theirs,) = client.get("/api/v1/notifications/requests", headers=mallory.headers).json()
    fields = dict(dismiss.fields)  # alice's CSRF token
    refused = client.post(f"/web/notifications/requests/{theirs['id']}/accept", data=fields)
    assert refused.status_code == 404
    assert len(client.get("/api/v1/notifications/requests", headers=mallory.headers).json()) == 1


def test_policy_settings_form(
    client: TestClient, runtime: Runtime, alice: User, make_user: UserFactory
) -> None:
    page = client.get("/settings/notifications")
    assert page.status_code == 200 and "Notification settings" in page.text
    forms = [f for f in parse_page(page.text).forms if f.action == "/settings/notifications"]
    assert forms, page.text[:2000]
    fields = {
        **forms[0].fields,
        "for_not_following": "drop",
        "for_not_followers": "accept",
        "for_new_accounts": "accept",
        "for_private_mentions": "filter",
    }
    saved = client.post("/settings/notifications", data=fields, follow_redirects=False)
    assert saved.status_code == 303
    policy = client.get("/api/v2/notifications/policy", headers=alice.headers).json()
    assert policy["for_not_following"] == "drop"
    assert 'value="drop" checked' in client.get("/settings/notifications").text

    bad = client.post("/settings/notifications", data={**fields, "for_new_accounts": "maybe"})
    assert bad.status_code == 422 and "Please choose one of the options." in bad.text
    after = client.get("/api/v2/notifications/policy", headers=alice.headers).json()
    assert after["for_new_accounts"] == "accept"

    # Dropped: a stranger's follow never arrives.
    stranger = make_user("stranger")
    long_ago = datetime.now(UTC) - timedelta(days=90)
    runtime.db.write(
        lambda c: c.execute(
            update(accounts).where(accounts.c.id == stranger.id).values(created_at=long_ago)
        )
    )
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=stranger.headers)
    assert "@stranger" not in client.get("/notifications").text
