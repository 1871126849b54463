"""The search page as a person uses it: posts found by words, phrases and operators, the
help that explains them, paging, errors in the page, and the account setting that lets
search find one's public posts."""

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


def _post(client: TestClient, user: User, text: str) -> str:
    answer = client.post("/api/v1/statuses", json={"status": text}, headers=user.headers)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def test_phrases_and_operators_from_the_page(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _post(client, bob, "Five minimal-pair games that don't feel like drills")
    _post(client, bob, "A pair of minimal changes")
    _post(client, alice, "My minimal plan")

    page = client.get("/search", params={"q": '"minimal pair"', "type": "statuses"}).text
    assert "minimal-pair games" in page and "minimal changes" not in page
    mine = client.get("/search", params={"q": "minimal from:me", "type": "statuses"}).text
    assert "My minimal plan" in mine and "minimal changes" not in mine
    help_text = client.get("/search").text
    assert "<summary>How to search posts</summary>" in help_text
    assert "<code>in:library</code>" in help_text and 'aria-describedby="search-hint"' in help_text

    bad = client.get("/search", params={"q": "minimal has:colour"})
    assert bad.status_code == 422
    assert 'role="alert"' in bad.text and "has: takes one of media" in bad.text
    spanish = client.get(
        "/search", params={"q": "minimal has:colour"}, headers={"Accept-Language": "es"}
    ).text
    assert "has: admite uno de estos valores" in spanish


def test_paging_back_and_forth(client: TestClient, alice: User) -> None:
    for n in range(25):
        _post(client, alice, f"Quiz number {n}")
    second = client.get("/search", params={"q": "quiz", "type": "statuses", "offset": 20}).text
    assert "Quiz number 4<" in second and "Quiz number 5<" not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_signed_out_visitors_are_told_to_sign_in_for_posts(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    _post(client, make_user("bob"), "Public phonics ideas")
    page = client.get("/search", params={"q": "phonics"}).text
    assert "Sign in to search posts." in page and "Public phonics ideas" not in page


def test_letting_search_find_my_posts_is_an_account_setting(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    _post(client, alice, "Rubric for oral exams")
    found = client.get(
        "/api/v2/search", params={"q": "rubric", "type": "statuses"}, headers=bob.headers
    ).json()["statuses"]
    assert len(found) == 1
    page = client.get("/settings/account").text
    assert 'name="indexable" type="checkbox" value="1" checked' in page
    form = form_with_button(page, "Save preferences")
    fields = {k: v for k, v in form.fields.items() if k != "indexable"}
    fields |= {"default_visibility": "public", "quote_policy": "public"}
    answer = client.post(form.action, data=fields, follow_redirects=False)
    assert answer.status_code == 303
    me = client.get("/api/v1/accounts/verify_credentials", headers=alice.headers).json()
    assert me["indexable"] is False and me["source"]["indexable"] is False
    assert 'name="indexable" type="checkbox" value="1" aria' in client.get("/settings/account").text
    assert (
        client.get(
            "/api/v2/search", params={"q": "rubric", "type": "statuses"}, headers=bob.headers
        ).json()["statuses"]
        == []
    )
    # Still found by its author.
    mine = client.get("/search", params={"q": "rubric", "type": "statuses"}).text
    assert "Rubric for oral exams" in mine
