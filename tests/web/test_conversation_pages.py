"""Direct conversations on the web: listed with their participants and last post, unread
ones marked, read when opened (which leads to a reply form that stays direct and mentions
everyone), removable by a plain form, and nobody else's."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, parse_page, sign_in


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _dm(client: TestClient, user: User, text: str, **extra: object) -> dict[str, Any]:
    answer = client.post(
        "/api/v1/statuses",
        json={"status": text, "visibility": "direct", **extra},
        headers=user.headers,
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _api(client: TestClient, user: User) -> list[dict[str, Any]]:
    body: list[dict[str, Any]] = client.get("/api/v1/conversations", headers=user.headers).json()
    return body


def test_list_open_reply_and_remove(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob, carol = make_user("bob"), make_user("carol")
    first = _dm(client, bob, "@alice @carol the <b>plan</b> for Monday")
    conversation_id = _api(client, alice)[0]["id"]

    page = client.get("/conversations")
    assert page.status_code == 200
    assert 'href="/conversations" aria-current="page"' in page.text
    assert "With @bob, @carol" in page.text
    assert "unread-mark" in page.text
    assert "<b>plan</b>" not in page.text and "&lt;b&gt;plan&lt;/b&gt;" in page.text
    assert f'href="/conversations/{conversation_id}"' in page.text

    opened = client.get(f"/conversations/{conversation_id}", follow_redirects=False)
    assert opened.status_code == 303
    assert opened.headers["location"] == f"/@bob/{first['id']}#reply"
    assert _api(client, alice)[0]["unread"] is False
    assert "unread-mark" not in client.get("/conversations").text

    thread = client.get(opened.headers["location"].split("#")[0])
    assert re.search(r'<option value="direct" selected>', thread.text)
    reply_text = re.search(r'name="status"[^>]*>([^<]*)</textarea>', thread.text)
    assert reply_text is not None and reply_text.group(1) == "@bob @carol "
    reply = next(f for f in parse_page(thread.text).forms if f.fields.get("in_reply_to_id"))
    sent = client.post(
        reply.action,
        data={**reply.fields, "status": "@bob @carol works for me", "visibility": "direct"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    for other in (bob, carol):
        (theirs,) = _api(client, other)
        assert theirs["unread"] is True
        assert theirs["last_status"]["content"].endswith("works for me</p>")
        assert theirs["last_status"]["in_reply_to_id"] == first["id"]

    remove = next(
        f
        for f in parse_page(client.get("/conversations").text).forms
        if "Remove from this list" in f.buttons
    )
    assert remove.action == f"/web/conversations/{conversation_id}/remove"
    removed = client.post(remove.action, data=remove.fields, follow_redirects=False)
    assert removed.status_code == 303 and removed.headers["location"] == "/conversations"
    assert _api(client, alice) == []
    assert "No conversations yet" in client.get("/conversations").text
    assert len(_api(client, bob)) == 1  # only alice's list changed


def test_nobody_else_sees_or_opens_a_conversation(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob, carol = make_user("bob"), make_user("carol")
    message = _dm(client, bob, "@carol between us two")
    carols = _api(client, carol)[0]["id"]

    assert "between us two" not in client.get("/conversations").text
    assert client.get(f"/@bob/{message['id']}").status_code == 404
    assert "between us two" not in client.get("/").text
    assert client.get(f"/conversations/{carols}").status_code == 404
    page = client.get("/@alice")
    form = form_with_button(page.text, "Sign out")  # any form: alice's token
    answer = client.post(f"/web/conversations/{carols}/remove", data=form.fields)
    assert answer.status_code == 404
    assert len(_api(client, carol)) == 1


def test_signed_out_goes_to_sign_in(client: TestClient) -> None:
    answer = client.get("/conversations", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/auth/sign_in?next=/conversations"
