"""A post's own page (``/@username/id``, the ``url`` the API gives every post): the thread
around it, replies nested one level, and a reply form that works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in


def _post(client: TestClient, who: User, text: str, **extra: Any) -> dict[str, Any]:
    answer = client.post("/api/v1/statuses", headers=who.headers, json={"status": text, **extra})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


@pytest.fixture
def people(make_user: Callable[..., User]) -> tuple[User, User]:
    return make_user("alice"), make_user("bob")


def test_the_url_of_a_post_shows_its_thread(client: TestClient, people: tuple[User, User]) -> None:
    alice, bob = people
    first = _post(client, alice, "Who uses exit tickets?")
    reply = _post(client, bob, "@alice every day", in_reply_to_id=first["id"])
    deeper = _post(client, alice, "@bob how?", in_reply_to_id=reply["id"])
    for n in range(4):
        _post(client, bob, f"@alice detail {n}", in_reply_to_id=deeper["id"])

    page = client.get(f"/@alice/{first['id']}")  # signed out: a public thread

    assert page.status_code == 200
    assert first["url"].endswith(f"/@alice/{first['id']}")
    assert "Who uses exit tickets?" in page.text
    assert "every day" in page.text and "how?" in page.text  # one level nested
    assert "detail 0" not in page.text  # deeper: behind "More replies"
    assert f'href="/@bob/{reply["id"]}">More replies (4)' in page.text
    assert "Sign in to reply" in page.text
    on_reply_page = client.get(f"/@bob/{reply['id']}").text
    assert "Earlier in the conversation" in on_reply_page and "detail 0" in on_reply_page


def test_a_reply_from_the_post_page(client: TestClient, people: tuple[User, User]) -> None:
    alice, bob = people
    first = _post(client, alice, "Question for the staffroom")
    sign_in(client, bob.email, bob.password)

    page = client.get(f"/@alice/{first['id']}").text
    assert ">@alice </textarea>" in page  # the author is mentioned already
    form = form_with_button(page, "Post reply")
    done = client.post(
        form.action,
        data={**form.fields, "status": "@alice an answer"},
        follow_redirects=False,
    )

    assert done.status_code == 303
    assert done.headers["location"] == f"/@alice/{first['id']}"
    thread = client.get(f"/api/v1/statuses/{first['id']}/context").json()
    assert thread["descendants"][0]["content"].endswith("an answer</p>")


def test_a_reply_over_the_limit_stays_on_the_post_page(
    client: TestClient, people: tuple[User, User]
) -> None:
    alice, bob = people
    first = _post(client, alice, "Short question")
    sign_in(client, bob.email, bob.password)
    form = form_with_button(client.get(f"/@alice/{first['id']}").text, "Post reply")

    answer = client.post(form.action, data={**form.fields, "status": "y" * 300})

    assert answer.status_code == 422
    assert "Short question" in answer.text and "y" * 300 in answer.text


def test_a_private_post_is_not_found_by_those_who_may_not_see_it(
    client: TestClient, people: tuple[User, User]
) -> None:
    alice, bob = people
    secret = _post(client, alice, "followers only", visibility="private")
    assert client.get(f"/@alice/{secret['id']}").status_code == 404  # signed out
    sign_in(client, bob.email, bob.password)
    assert client.get(f"/@alice/{secret['id']}").status_code == 404  # not a follower
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    assert client.get(f"/@alice/{secret['id']}").status_code == 200


def test_a_wrong_name_or_id_is_not_found(client: TestClient, people: tuple[User, User]) -> None:
    alice, _ = people
    first = _post(client, alice, "mine")
    assert client.get(f"/@bob/{first['id']}").status_code == 404
    assert client.get("/@alice/%C2%B2").status_code == 404
    assert client.get("/@alice/99999999999999999999").status_code == 404
