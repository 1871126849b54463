"""Profile pages: who someone is, their posts, whom they follow and who follows them, and the
follow / mute / block buttons, all as plain forms."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, parse_page, sign_in


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _press(client: TestClient, page_url: str, label: str) -> None:
    form = form_with_button(client.get(page_url).text, label)
    answer = client.post(form.action, data=form.fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == page_url


def _post(client: TestClient, user: User, text: str, **extra: object) -> str:
    answer = client.post("/api/v1/statuses", headers=user.headers, json={"status": text, **extra})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def test_a_profile_shows_bio_interests_counts_and_posts(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    client.patch(
        "/api/v1/accounts/update_credentials",
        headers=bob.headers,
        data={"display_name": "Bob <b>B</b>", "note": "ELT teacher <script>alert(1)</script>"},
    )
    client.post("/api/v1/featured_tags", headers=bob.headers, data={"name": "ELTChat"})
    _post(client, bob, "Minimal pairs today #ELTChat")

    page = client.get("/@bob")  # signed out

    assert page.status_code == 200
    html = page.text
    assert "Bob &lt;b&gt;B&lt;/b&gt;" in html and "<b>B</b>" not in html
    assert "<script>alert(1)</script>" not in html
    assert "Minimal pairs today" in html
    assert 'href="/@bob/following"' in html and 'href="/@bob/followers"' in html
    assert "<strong>1</strong> post<" in html
    assert "Sign in to follow" in html


def test_unknown_profile_is_404(client: TestClient) -> None:
    assert client.get("/@nobody").status_code == 404
    assert client.get("/@nobody/followers").status_code == 404


def test_follow_unfollow_from_a_profile(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")

    _press(client, "/@bob", "Follow @bob")

    rel = client.get(
        "/api/v1/accounts/relationships", params={"id[]": bob.id}, headers=alice.headers
    ).json()[0]
    assert rel["following"] is True
    assert "Following @bob: unfollow" in client.get("/@bob").text
    assert "<strong>1</strong> follower<" in client.get("/@bob").text

    _press(client, "/@bob", "Following @bob: unfollow")

    rel = client.get(
        "/api/v1/accounts/relationships", params={"id[]": bob.id}, headers=alice.headers
    ).json()[0]
    assert rel["following"] is False


def test_mute_and_block_from_a_profile(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    make_user("bob")
    _press(client, "/@bob", "Mute")
    assert "Unmute" in client.get("/@bob").text
    _press(client, "/@bob", "Block")
    page = client.get("/@bob").text
    assert "Unblock @bob" in page and "Follow @bob" not in page
    _press(client, "/@bob", "Unblock @bob")
    assert "Follow @bob" in client.get("/@bob").text


def test_following_and_followers_lists_offer_follow_buttons(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob, carol = make_user("bob"), make_user("carol")
    client.post(f"/api/v1/accounts/{carol.id}/follow", headers=bob.headers)

    following = client.get("/@bob/following")
    assert following.status_code == 200
    assert "@carol" in following.text
    _press(client, "/@bob/following", "Follow @carol")  # see who they follow, follow them
    assert "Following @carol: unfollow" in client.get("/@bob/following").text

    followers = client.get("/@carol/followers").text
    assert "@bob" in followers and "@alice" in followers


def test_a_followers_only_post_shows_only_to_followers(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _post(client, bob, "Only for my followers", visibility="private")
    _post(client, bob, "A direct word @carol", visibility="direct")
    make_user("carol")

    assert "Only for my followers" not in client.get("/@bob").text
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    page = client.get("/@bob").text
    assert "Only for my followers" in page
    assert "A direct word" not in page
    signed_out = TestClient(client.app)
    assert "Only for my followers" not in signed_out.get("/@bob").text


def test_someone_who_blocks_you_shows_no_posts(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _post(client, bob, "Public words")
    client.post(f"/api/v1/accounts/{alice.id}/block", headers=bob.headers)

    page = client.get("/@bob").text

    assert "Public words" not in page
    assert "This person has blocked you." in page
    assert "Follow @bob" not in page


def test_person_actions_need_csrf_and_sign_in(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    signed_out = client.post(f"/web/accounts/{bob.id}/follow", follow_redirects=False)
    assert signed_out.status_code == 303
    assert signed_out.headers["location"].startswith("/auth/sign_in")
    alice = make_user("alice")
    sign_in(client, alice.email, alice.password)
    refused = client.post(f"/web/accounts/{bob.id}/follow", data={"next": "/"})
    assert refused.status_code == 403
    form = form_with_button(client.get("/@bob").text, "Follow @bob")
    unknown = client.post(f"/web/accounts/{bob.id}/befriend", data=form.fields)
    assert unknown.status_code == 404


def test_replies_tab_and_paging(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    first = _post(client, bob, "The first post")
    _post(client, bob, "A reply to myself", in_reply_to_id=first)
    carol = make_user("carol")
    theirs = _post(client, carol, "Carol asks")
    _post(client, bob, "@carol an answer", in_reply_to_id=theirs)
    for n in range(25):
        _post(client, bob, f"Post number {n}")

    newest = client.get("/@bob").text
    assert "Post number 24" in newest and "Post number 4" not in newest
    older = form_link(newest, "Older posts")
    assert "Post number 4" in client.get(older).text
    replies = client.get("/@bob?with_replies=1&max_id=" + older.split("max_id=")[1]).text
    assert "an answer" in replies


def form_link(html: str, label: str) -> str:
    import re

    found = re.search(r'<a href="([^"]+)"[^>]*>' + re.escape(label) + "</a>", html)
    assert found, f"no link {label!r}"
    return found.group(1).replace("&amp;", "&")


def test_pinned_posts_come_first_on_a_profile(client: TestClient, alice: User) -> None:
    older = _post(client, alice, "My introduction: I teach EFL in Porto")
    _post(client, alice, "Newest note")
    buttons = [
        f for f in parse_page(client.get("/@alice").text).forms if "Pin to profile" in f.buttons
    ]
    pin = next(f for f in buttons if f.action == f"/web/statuses/{older}/pin")

    answer = client.post(pin.action, data=pin.fields, follow_redirects=False)

    assert answer.status_code == 303 and answer.headers["location"] == "/@alice"
    page = client.get("/@alice").text
    pinned_part, rest = page.split('<div class="timeline">', 1)
    assert "Pinned posts" in pinned_part and "My introduction" in pinned_part
    assert "Pinned: undo" in pinned_part
    assert "Newest note" not in pinned_part and "Newest note" in rest
    client.cookies.clear()  # signed out, the pinned post still comes first
    signed_out = client.get("/@alice").text
    assert signed_out.index("My introduction") < signed_out.index("Newest note")
