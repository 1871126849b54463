"""The live pages' server side: fragments of posts and columns, and the hooks the scripts use."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import sign_in

MakeUser = Callable[..., User]


@pytest.fixture
def alice(client: TestClient, make_user: MakeUser) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def post(client: TestClient, user: User, text: str, **extra: str) -> dict[str, Any]:
    answer = client.post("/api/v1/statuses", headers=user.headers, json={"status": text, **extra})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def test_the_statuses_fragment_renders_escaped_posts_like_the_page(
    client: TestClient, alice: User, make_user: MakeUser
) -> None:
    bob = make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    first = post(client, bob, "First <script>alert(1)</script>")
    second = post(client, bob, "Second")
    answer = client.get(f"/web/fragments/statuses?ids={first['id']},{second['id']}&here=/")
    assert answer.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text
    assert "<script>" not in answer.text
    assert "<html" not in answer.text
    ids = re.findall(r'<article class="status"[^>]*data-status-id="(\d+)"', answer.text)
    assert ids == [second["id"], first["id"]]  # newest first
    # The same article as the home page renders, action forms and all.
    page = client.get("/").text
    article = re.search(r'<article class="status".*?</article>', answer.text, re.S)
    assert article and article.group(0) in page


def test_the_fragment_leaves_out_posts_the_viewer_may_not_see(
    client: TestClient, alice: User, make_user: MakeUser
) -> None:
    carol = make_user("carol")
    hidden = post(client, carol, "followers only", visibility="private")
    direct = post(client, carol, "just for me", visibility="direct")
    public = post(client, carol, "for everyone")
    ids = f"{hidden['id']},{direct['id']},{public['id']},nonsense,999"
    answer = client.get(f"/web/fragments/statuses?ids={ids}")
    assert answer.status_code == 200
    assert "for everyone" in answer.text
    assert "followers only" not in answer.text
    assert "just for me" not in answer.text


def test_fragments_need_a_session(client: TestClient, make_user: MakeUser) -> None:
    carol = make_user("carol")
    public = post(client, carol, "for everyone")
    answer = client.get(f"/web/fragments/statuses?ids={public['id']}")
    assert answer.status_code == 401
    assert "for everyone" not in answer.text
    assert client.get("/web/fragments/column?key=home").status_code == 401


def test_the_column_fragment_pages_newer_and_older(client: TestClient, alice: User) -> None:
    posts = [post(client, alice, f"note {n} #live") for n in range(25)]
    newer = client.get(f"/web/fragments/column?key=hashtag:live&since_id={posts[22]['id']}")
    assert re.findall(r'data-status-id="(\d+)"', newer.text) == [posts[24]["id"], posts[23]["id"]]
    assert "X-Older" not in newer.headers
    first = client.get("/web/fragments/column?key=hashtag:live")
    assert len(re.findall(r"<article ", first.text)) == 20
    older = client.get(f"/web/fragments/column?key=hashtag:live&max_id={first.headers['X-Older']}")
    assert len(re.findall(r"<article ", older.text)) == 5
    assert client.get("/web/fragments/column?key=nonsense").status_code == 404


def test_the_notifications_fragment_shows_who_did_what(
    client: TestClient, alice: User, make_user: MakeUser
) -> None:
    bob = make_user("bob")
    post(client, bob, "Hello @alice <i>x</i>")
    answer = client.get("/web/fragments/column?key=mentions")
    assert "bob mentioned you" in answer.text
    assert "&lt;i&gt;x&lt;/i&gt;" in answer.text


def test_the_home_page_has_the_live_hooks_and_the_shortcuts(
    client: TestClient, alice: User
) -> None:
    post(client, alice, "mine")
    page = client.get("/").text
    assert "data-live-timeline" in page
    assert 'aria-live="polite" data-live-status' in page
    assert 'data-label-one="{n} new post"' in page
    assert 'data-label-other="{n} new posts"' in page
    assert 'tabindex="-1" data-status-id=' in page
    assert "data-key-favourite" in page and "data-key-reply" in page
    assert '<dialog class="shortcuts"' in page
    older = client.get("/?max_id=1").text
    assert "data-live-timeline" not in older  # an older page never grows at the top


def test_spanish_labels_for_the_live_button(client: TestClient, alice: User) -> None:
    page = client.get("/", headers={"accept-language": "es"}).text
    assert "{n}" in page  # the placeholder survives translation for the script to fill
