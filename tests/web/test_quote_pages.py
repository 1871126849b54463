"""Quoting on the web (plain forms): the Quote action, the quote composer, the quoted post as a
card in the quoting post, and "unavailable" for a reader who may not see the quoted post."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in

SECRET = "Staff room secret"


def _post(client: TestClient, user: User, text: str, **extra: object) -> str:
    answer = client.post("/api/v1/statuses", headers=user.headers, json={"status": text, **extra})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


def test_quote_a_post_from_the_web(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    original = _post(client, alice, "Exit tickets <3")
    sign_in(client, bob.email, bob.password)
    page = client.get(f"/@alice/{original}").text
    assert f'href="/@alice/{original}/quote"' in page

    composer = client.get(f"/@alice/{original}/quote")
    assert composer.status_code == 200 and "Exit tickets &lt;3" in composer.text
    assert 'name="image"' not in composer.text  # a quote has no image
    form = form_with_button(composer.text, "Post")
    posted = client.post(
        form.action, data={**form.fields, "status": "Worked for me"}, follow_redirects=False
    )
    assert posted.status_code == 303

    home = client.get("/").text
    article = home.split("Worked for me", 1)[1].split("</article>", 1)[0]
    assert 'class="status-quote"' in article and "Exit tickets &lt;3" in article
    answer = client.get(f"/api/v1/statuses/{original}").json()
    assert answer["quotes_count"] == 1


def test_a_post_that_may_not_be_quoted(client: TestClient, make_user: Callable[..., User]) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    original = _post(client, alice, "Only mine", quote_approval_policy="nobody")
    sign_in(client, bob.email, bob.password)
    assert f"/@alice/{original}/quote" not in client.get(f"/@alice/{original}").text
    page = client.get(f"/@alice/{original}/quote")
    assert page.status_code == 200 and "You are not allowed to quote this post." in page.text
    assert 'name="quoted_status_id"' not in page.text
    refused = client.post(
        "/web/statuses",
        data={
            **form_with_button(client.get("/").text, "Post").fields,
            "status": "Trying anyway",
            "quoted_status_id": original,
        },
    )
    assert refused.status_code == 422
    assert "You are not allowed to quote this post." in refused.text


def test_the_quoted_post_is_unavailable_to_who_may_not_see_it(
    client: TestClient, make_user: Callable[..., User]
) -> None:
    alice, bob, carol = make_user("alice"), make_user("bob"), make_user("carol")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    # Carol hears private mentions from anyone (Mastodon's default holds them back).
    client.patch(
        "/api/v2/notifications/policy",
        data={"for_private_mentions": "accept"},
        headers=carol.headers,
    )
    private = _post(client, alice, SECRET, visibility="private")
    dm = _post(client, alice, "@bob @carol see this", visibility="direct", quoted_status_id=private)
    sign_in(client, bob.email, bob.password)
    assert SECRET in client.get(f"/@alice/{dm}").text  # a follower sees it

    client.cookies.clear()
    sign_in(client, carol.email, carol.password)
    for path in (f"/@alice/{dm}", "/notifications", f"/web/fragments/statuses?ids={dm}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert "see this" in page.text, path
        assert SECRET not in page.text and f"/{private}" not in page.text, path
        assert "This post is unavailable." in page.text, path
    assert client.get(f"/@alice/{private}/quote").status_code == 404
