"""The signed-in home page: the home timeline, the composer and the actions on posts, all as
plain forms (no JavaScript)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    user = make_user("alice")
    sign_in(client, user.email, user.password)
    return user


def _compose(client: TestClient, text: str, **extra: str) -> object:
    form = form_with_button(client.get("/").text, "Post")
    return client.post(
        "/web/statuses",
        data={**form.fields, "status": text, **extra},
        follow_redirects=False,
    )


def test_signed_in_home_is_the_timeline_with_a_composer(
    client: TestClient, alice: User, make_user: Callable[..., User], runtime: Runtime
) -> None:
    bob = make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    client.post("/api/v1/statuses", headers=bob.headers, json={"status": "Morning #ELTChat"})

    page = client.get("/")

    assert page.status_code == 200
    assert "<h1>Home</h1>" in page.text
    assert 'name="status"' in page.text
    assert "Morning" in page.text
    assert "@bob" in page.text


def test_posting_from_the_composer(client: TestClient, alice: User) -> None:
    answer = _compose(client, "Hello <script>alert(1)</script> staffroom", visibility="unlisted")

    assert answer.status_code == 303  # type: ignore[attr-defined]
    assert answer.headers["location"] == "/"  # type: ignore[attr-defined]
    page = client.get("/").text
    assert "Hello &lt;script&gt;alert(1)&lt;/script&gt; staffroom" in page
    assert "<script>alert(1)</script>" not in page
    mine = client.get(f"/api/v1/accounts/{alice.id}/statuses", headers=alice.headers).json()
    assert mine[0]["visibility"] == "unlisted"


def test_a_post_over_the_limit_comes_back_with_the_text_and_the_reason(
    client: TestClient, alice: User
) -> None:
    answer = _compose(client, "x" * 200, spoiler_text="long")

    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert "character limit of 140 exceeded" in answer.text  # type: ignore[attr-defined]
    assert "x" * 200 in answer.text  # type: ignore[attr-defined]
    assert 'value="long"' in answer.text  # type: ignore[attr-defined]


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, alice: User) -> None:
    answer = client.post("/web/statuses", data={"status": "forged"}, follow_redirects=False)
    assert answer.status_code == 403
    assert client.get(f"/api/v1/accounts/{alice.id}/statuses", headers=alice.headers).json() == []


def test_favourite_bookmark_repost_and_delete_as_forms(
    client: TestClient, alice: User, make_user: Callable[..., User], runtime: Runtime
) -> None:
    bob = make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    post = client.post("/api/v1/statuses", headers=bob.headers, json={"status": "Try this"}).json()

    for button in ("Favourite (0)", "Bookmark", "Repost (0)"):
        form = form_with_button(client.get("/").text, button)
        done = client.post(form.action, data=form.fields, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/"

    seen = client.get(f"/api/v1/statuses/{post['id']}", headers=alice.headers).json()
    assert (seen["favourited"], seen["bookmarked"], seen["reblogged"]) == (True, True, True)
    page = client.get("/").text
    assert "Favourited (1): undo" in page and 'aria-pressed="true"' in page

    form = form_with_button(client.get("/").text, "Favourited (1): undo")
    client.post(form.action, data=form.fields)
    seen = client.get(f"/api/v1/statuses/{post['id']}", headers=alice.headers).json()
    assert seen["favourited"] is False

    mine = client.post("/api/v1/statuses", headers=alice.headers, json={"status": "Oops"}).json()
    form = form_with_button(client.get("/").text, "Delete")
    client.post(form.action, data=form.fields)
    gone = client.get(f"/api/v1/statuses/{mine['id']}", headers=alice.headers)
    assert gone.status_code == 404


def test_only_the_author_may_delete(
    client: TestClient, alice: User, make_user: Callable[..., User], runtime: Runtime
) -> None:
    bob = make_user("bob")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    post = client.post("/api/v1/statuses", headers=bob.headers, json={"status": "Mine"}).json()
    assert "Delete" not in client.get("/").text
    form = form_with_button(client.get("/").text, "Bookmark")
    answer = client.post(f"/web/statuses/{post['id']}/delete", data=form.fields)
    assert answer.status_code in (403, 404)
    assert client.get(f"/api/v1/statuses/{post['id']}", headers=bob.headers).status_code == 200


def test_older_posts_are_a_page_away(client: TestClient, alice: User) -> None:
    for n in range(25):
        client.post("/api/v1/statuses", headers=alice.headers, json={"status": f"note {n}"})

    first = client.get("/").text
    assert first.count('class="status"') == 20
    older = first.split('href="/?max_id=')[1].split('"')[0]
    second = client.get(f"/?max_id={older}").text
    assert second.count('class="status"') == 5
    assert "note 0" in second and "note 24" not in second
    assert "Back to the newest posts" in second


def test_followers_only_posts_reach_only_followers(
    client: TestClient, alice: User, make_user: Callable[..., User], runtime: Runtime
) -> None:
    bob, carol = make_user("bob"), make_user("carol")
    client.post(f"/api/v1/accounts/{bob.id}/follow", headers=alice.headers)
    client.post(
        "/api/v1/statuses",
        headers=carol.headers,
        json={"status": "carol's private note", "visibility": "private"},
    )
    client.post(
        "/api/v1/statuses",
        headers=bob.headers,
        json={"status": "bob's followers-only note", "visibility": "private"},
    )
    page = client.get("/").text
    assert "bob&#39;s followers-only note" in page or "bob's followers-only note" in page
    assert "carol" not in page


def test_the_timeline_in_spanish(client: TestClient, alice: User) -> None:
    client.post("/api/v1/statuses", headers=alice.headers, json={"status": "hola"})
    page = client.get("/", headers={"Accept-Language": "es"}).text
    assert "<h1>Inicio</h1>" in page
    assert "Publicar" in page
    assert "Favorito (0)" in page


def test_the_composer_starts_at_the_default_visibility(client: TestClient, alice: User) -> None:
    client.patch(
        "/api/v1/accounts/update_credentials",
        headers=alice.headers,
        data={"source[privacy]": "private"},
    )
    page = client.get("/").text
    assert '<option value="private" selected>' in page
    assert '<option value="public" selected>' not in page


def test_an_unfinished_first_run_is_offered_on_the_home_page(client: TestClient) -> None:
    page = client.get("/auth/sign_up")
    form = form_with_button(page.text, "Create account")
    client.post(
        "/auth/sign_up",
        data={
            **form.fields,
            "username": "newbie",
            "email": "newbie@example.org",
            "password": "a long enough password",
            "password_confirmation": "a long enough password",
            "agreement": "1",
        },
    )
    client.get("/welcome")  # started, not finished
    assert 'href="/welcome"' in client.get("/").text
    finish = form_with_button(client.get("/welcome/hello").text, "Skip for now")
    client.post(finish.action, data=finish.fields)
    assert 'href="/welcome"' not in client.get("/").text
