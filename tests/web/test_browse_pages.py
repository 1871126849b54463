"""Hashtag pages, search, notifications, bookmarks and favourites in the browser, and that a
followers-only or direct post never shows on them to someone who may not see it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _post(client: TestClient, user: User, text: str, **extra: object) -> str:
    answer = client.post("/api/v1/statuses", headers=user.headers, json={"status": text, **extra})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def test_hashtag_page_shows_public_posts_only(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _post(client, bob, "Public one #ELTChat")
    _post(client, bob, "Quiet one #ELTChat", visibility="unlisted")
    _post(client, bob, "Followers one #ELTChat", visibility="private")
    _post(client, bob, "Direct one #ELTChat @alice", visibility="direct")

    page = client.get("/tags/eltchat")

    assert page.status_code == 200
    assert "<h1>#eltchat</h1>" in page.text
    assert "Public one" in page.text
    for hidden in ("Quiet one", "Followers one", "Direct one"):
        assert hidden not in page.text
    assert client.get("/tags/not%20a%20tag").status_code == 404


def test_search_finds_people_hashtags_and_posts(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _post(client, bob, "Minimal pairs worksheet #pronunciation")
    _post(client, bob, "Minimal secret for followers", visibility="private")

    everything = client.get("/search", params={"q": "minimal"})
    assert everything.status_code == 200
    assert "Minimal pairs worksheet" in everything.text
    assert "Minimal secret" not in everything.text  # followers-only posts are not searchable

    people = client.get("/search", params={"q": "bob", "type": "accounts"}).text
    assert 'href="/@bob"' in people
    form = form_with_button(people, "Follow @bob")
    assert client.post(form.action, data=form.fields).status_code == 200  # followed, back
    assert "Following @bob: unfollow" in client.get("/search?q=bob&type=accounts").text

    tags = client.get("/search", params={"q": "#pronun", "type": "hashtags"}).text
    assert 'href="/tags/pronunciation"' in tags


def test_search_escapes_the_query_and_refuses_an_overlong_one(client: TestClient) -> None:
    page = client.get("/search", params={"q": '"><script>alert(1)</script>'})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    too_long = client.get("/search", params={"q": "x" * 501})
    assert too_long.status_code == 422
    assert 'role="alert"' in too_long.text
    assert client.get("/search", params={"q": "x", "offset": "9" * 40}).status_code == 200


def test_search_pages_through_posts(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    for n in range(25):
        _post(client, bob, f"Phonics idea {n}")

    first = client.get("/search", params={"q": "phonics", "type": "statuses"}).text
    assert "Phonics idea 24" in first and "Phonics idea 4<" not in first
    assert "offset=20" in first
    second = client.get("/search", params={"q": "phonics", "type": "statuses", "offset": 20})
    assert "Phonics idea 4" in second.text and "Phonics idea 24" not in second.text


def test_notifications_page_with_a_type_filter(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    mine = _post(client, alice, "My lesson plan")
    client.post(f"/api/v1/statuses/{mine}/favourite", headers=bob.headers)
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    _post(client, bob, "@alice have you seen this?")

    everything = client.get("/notifications")
    assert everything.status_code == 200
    html = everything.text
    assert "favourited your post" in html and "followed you" in html
    assert "mentioned you" in html and "have you seen this?" in html

    mentions = client.get("/notifications?type=mention").text
    assert "mentioned you" in mentions
    assert "favourited your post" not in mentions and "followed you" not in mentions
    assert client.get("/notifications?type=bogus").status_code == 200  # shows everything


def test_notifications_need_sign_in(client: TestClient) -> None:
    answer = client.get("/notifications", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/auth/sign_in?next=/notifications"


def test_bookmarks_and_favourites_pages(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    kept = _post(client, bob, "Worth keeping")
    liked = _post(client, bob, "Worth a star")
    client.post(f"/api/v1/statuses/{kept}/bookmark", headers=alice.headers)
    client.post(f"/api/v1/statuses/{liked}/favourite", headers=alice.headers)

    bookmarks = client.get("/bookmarks").text
    assert "Worth keeping" in bookmarks and "Worth a star" not in bookmarks
    favourites = client.get("/favourites").text
    assert "Worth a star" in favourites and "Worth keeping" not in favourites
    signed_out = TestClient(client.app)
    assert signed_out.get("/bookmarks", follow_redirects=False).status_code == 303


def test_a_bookmarked_post_that_becomes_invisible_is_not_shown(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    secret = _post(client, bob, "Followers-only tip", visibility="private")
    client.post(f"/api/v1/statuses/{secret}/bookmark", headers=alice.headers)
    assert "Followers-only tip" in client.get("/bookmarks").text

    client.post(f"/api/v1/accounts/{bob.id}/unfollow", headers=alice.headers)

    assert "Followers-only tip" not in client.get("/bookmarks").text


def test_error_pages_use_the_layout_and_the_readers_language(
    client: TestClient, alice: User
) -> None:
    english = client.get("/@nobody")
    assert english.status_code == 404
    assert "<h1>Page not found</h1>" in english.text
    assert 'href="/notifications"' in english.text  # the signed-in navigation
    spanish = client.get("/@nobody", headers={"Accept-Language": "es"})
    assert spanish.status_code == 404
    assert '<html lang="es">' in spanish.text
    assert "<h1>Page not found</h1>" not in spanish.text
