"""A followers-only or direct post never reaches, through any page or fragment, someone who
may not see it: signed out, a signed-in stranger, and (for a direct post) a follower who is
not mentioned. The same pages do show each post to those who may see it, so every check
here could fail."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in

FOR_FOLLOWERS = "Followers-only lesson notes #leakcheck"
FOR_DORA = "Direct word about lessons #leakcheck @dora"
FOR_ALL = "Public lesson notes #leakcheck"


@pytest.fixture
def posts(client: TestClient, make_user: Callable[..., User]) -> dict[str, object]:
    """bob posts three ways; cleo follows bob; dora is mentioned directly; eve is a stranger."""
    bob, cleo, dora, eve = (make_user(n) for n in ("bob", "cleo", "dora", "eve"))
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=cleo.headers)
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=dora.headers)
    ids = {}
    for text, visibility in (
        (FOR_FOLLOWERS, "private"),
        (FOR_DORA, "direct"),
        (FOR_ALL, "public"),
    ):
        answer = client.post(
            "/api/v1/statuses",
            headers=bob.headers,
            json={"status": text, "visibility": visibility},
        )
        assert answer.status_code == 200, answer.text
        ids[text] = answer.json()["id"]
    return {"users": {u.username: u for u in (bob, cleo, dora, eve)}, "ids": ids}


def _pages(ids: dict[str, str]) -> list[str]:
    every = ",".join(ids.values())
    pages = [
        "/",
        "/@bob",
        "/@bob?with_replies=1",
        "/tags/leakcheck",
        "/search?q=lesson",
        "/search?q=leakcheck&type=statuses",
        "/deck",
        "/notifications",
        f"/web/fragments/statuses?ids={every}",
        "/web/fragments/column?key=hashtag:leakcheck",
        "/web/fragments/column?key=account:bob",
        "/web/fragments/column?key=search:lesson",
        "/web/fragments/column?key=home",
    ]
    pages += [f"/@bob/{status_id}" for status_id in ids.values()]
    return pages


def _seen(client: TestClient, ids: dict[str, str]) -> set[str]:
    """Which of the three posts any page shows to this client."""
    shown = set()
    for path in _pages(ids):
        html = client.get(path).text
        for text in (FOR_FOLLOWERS, FOR_DORA, FOR_ALL):
            if text.split(" #")[0] in html:  # the words before the hashtag, as written
                shown.add(text)
    return shown


def _as(client: TestClient, user: User) -> TestClient:
    browser = TestClient(client.app)
    sign_in(browser, user.email, user.password)
    return browser


def _add_columns(browser: TestClient) -> None:
    for kind, arg in (("hashtag", "leakcheck"), ("account", "bob"), ("search", "lesson")):
        form = form_with_button(browser.get("/deck").text, "Add column")
        browser.post("/deck/columns", data={**form.fields, "kind": kind, "arg": arg})


def test_signed_out_visitors_see_only_the_public_post(
    client: TestClient, posts: dict[str, object]
) -> None:
    ids = posts["ids"]
    assert isinstance(ids, dict)
    assert _seen(TestClient(client.app), ids) == {FOR_ALL}


def test_a_stranger_sees_only_the_public_post(client: TestClient, posts: dict[str, object]) -> None:
    users, ids = posts["users"], posts["ids"]
    assert isinstance(users, dict) and isinstance(ids, dict)
    eve = _as(client, users["eve"])
    _add_columns(eve)
    assert _seen(eve, ids) == {FOR_ALL}


def test_a_follower_not_mentioned_never_sees_the_direct_post(
    client: TestClient, posts: dict[str, object]
) -> None:
    users, ids = posts["users"], posts["ids"]
    assert isinstance(users, dict) and isinstance(ids, dict)
    cleo = _as(client, users["cleo"])
    _add_columns(cleo)
    assert _seen(cleo, ids) == {FOR_ALL, FOR_FOLLOWERS}


def test_the_mentioned_person_sees_all_three(client: TestClient, posts: dict[str, object]) -> None:
    users, ids = posts["users"], posts["ids"]
    assert isinstance(users, dict) and isinstance(ids, dict)
    dora = _as(client, users["dora"])
    _add_columns(dora)
    assert _seen(dora, ids) == {FOR_ALL, FOR_FOLLOWERS, FOR_DORA}
