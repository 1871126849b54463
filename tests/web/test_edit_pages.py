"""Editing one's post in the browser (plain forms) and reading a post's earlier versions."""

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


def test_edit_a_post_and_read_its_versions(client: TestClient, alice: User) -> None:
    post_id = _post(client, alice, "Tonight: feedbak <3", spoiler_text="ELTChat")
    post_page = client.get(f"/@alice/{post_id}").text
    assert f'href="/@alice/{post_id}/edit"' in post_page

    page = client.get(f"/@alice/{post_id}/edit")
    assert page.status_code == 200
    assert "Tonight: feedbak &lt;3</textarea>" in page.text and 'value="ELTChat"' in page.text
    assert 'name="visibility"' not in page.text  # an edit keeps who can see it
    form = form_with_button(page.text, "Save changes")
    saved = client.post(
        form.action,
        data={**form.fields, "status": "Tonight: feedback <3", "spoiler_text": "ELTChat"},
        follow_redirects=False,
    )

    assert saved.status_code == 303 and saved.headers["location"] == f"/@alice/{post_id}"
    shown = client.get(f"/@alice/{post_id}").text
    assert "Tonight: feedback &lt;3" in shown and f'href="/@alice/{post_id}/history"' in shown
    client.cookies.clear()  # anyone who may see the post may read its versions
    history = client.get(f"/@alice/{post_id}/history")
    assert history.status_code == 200
    current, original = history.text.split("Original")
    assert "feedback &lt;3" in current and "feedbak &lt;3" in original


def test_an_edit_too_long_keeps_what_was_typed(client: TestClient, alice: User) -> None:
    post_id = _post(client, alice, "Short")
    form = form_with_button(client.get(f"/@alice/{post_id}/edit").text, "Save changes")

    answer = client.post(form.action, data={**form.fields, "status": "x" * 141})

    assert answer.status_code == 422
    assert "x" * 141 + "</textarea>" in answer.text and 'role="alert"' in answer.text
    assert "Short" in client.get(f"/api/v1/statuses/{post_id}").json()["content"]


def test_only_the_author_may_edit(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    bobs = _post(client, bob, "Bob's post")
    own = _post(client, alice, "Alice's post")
    form = form_with_button(client.get(f"/@alice/{own}/edit").text, "Save changes")

    assert client.get(f"/@bob/{bobs}/edit").status_code == 404
    assert f'href="/@bob/{bobs}/edit"' not in client.get(f"/@bob/{bobs}").text
    forged = client.post(f"/web/statuses/{bobs}/edit", data={**form.fields, "status": "Hijacked"})
    assert forged.status_code == 404
    no_token = client.post(f"/web/statuses/{own}/edit", data={"status": "No token"})
    assert no_token.status_code == 403
    assert "Bob's post" in client.get(f"/api/v1/statuses/{bobs}").json()["content"]
    assert "Alice's post" in client.get(f"/api/v1/statuses/{own}").json()["content"]


def test_a_private_posts_versions_stay_private(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    post_id = _post(client, alice, "Followers only", visibility="private")
    client.put(
        f"/api/v1/statuses/{post_id}",
        json={"status": "Followers only, edited"},
        headers=alice.headers,
    )
    client.cookies.clear()

    assert client.get(f"/@alice/{post_id}/history").status_code == 404


def _poll(client: TestClient, post_id: str) -> dict[str, object] | None:
    poll = client.get(f"/api/v1/statuses/{post_id}").json()["poll"]
    return dict(poll) if poll else None


def _browser_fields(fields: dict[str, str], **chosen: object) -> dict[str, object]:
    """What a browser sends: the form's own fields without its poll inputs, then ``chosen``
    (unchecked boxes send nothing)."""
    return {**{k: v for k, v in fields.items() if not k.startswith("poll_")}, **chosen}


def test_the_edit_form_keeps_a_polls_votes_and_end_unless_its_options_change(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    post_id = _post(
        client,
        alice,
        "Next topic?",
        poll={"options": ["Drama games", "Minimal pairs"], "expires_in": 7200},
    )
    first = _poll(client, post_id)
    assert first is not None
    bob = make_user("bob")
    voted = client.post(
        f"/api/v1/polls/{first['id']}/votes", json={"choices": [1]}, headers=bob.headers
    )
    assert voted.status_code == 200, voted.text

    page = client.get(f"/@alice/{post_id}/edit").text
    assert 'value="Drama games"' in page and 'value="Minimal pairs"' in page
    assert '<option value="keep" selected>Keep its end (' in page
    form = form_with_button(page, "Save changes")
    kept = client.post(
        form.action,
        data=_browser_fields(
            form.fields,
            status="Next topic? Vote by Friday",
            poll_option=["Drama games", "Minimal pairs", "", ""],
            poll_duration="keep",
        ),
        follow_redirects=False,
    )
    assert kept.status_code == 303, kept.text
    same = _poll(client, post_id)
    assert same is not None
    assert (same["id"], same["expires_at"], same["votes_count"]) == (
        first["id"],
        first["expires_at"],
        1,
    )

    changed = client.post(
        form.action,
        data=_browser_fields(
            form.fields,
            status="Next topic?",
            poll_option=["Drama games", "Minimal pairs", "Dictogloss", ""],
            poll_duration="keep",
        ),
        follow_redirects=False,
    )
    assert changed.status_code == 303, changed.text
    fresh = _poll(client, post_id)
    assert fresh is not None and fresh["id"] != first["id"]
    assert [o["title"] for o in fresh["options"]] == ["Drama games", "Minimal pairs", "Dictogloss"]  # type: ignore[attr-defined]
    assert fresh["votes_count"] == 0  # new options: the poll starts again, as in Mastodon

    cleared = client.post(
        form.action,
        data=_browser_fields(form.fields, status="No poll after all", poll_option=["", "", "", ""]),
        follow_redirects=False,
    )
    assert cleared.status_code == 303
    assert _poll(client, post_id) is None
    assert "Keep its end" not in client.get(f"/@alice/{post_id}/edit").text


def test_a_poll_added_by_an_edit_and_a_refused_edit_keeps_the_options_typed(
    client: TestClient, alice: User
) -> None:
    post_id = _post(client, alice, "Which warmer works best?")
    page = client.get(f"/@alice/{post_id}/edit").text
    assert "Add a poll (optional)" in page and 'value="keep"' not in page
    form = form_with_button(page, "Save changes")
    refused = client.post(
        form.action,
        data=_browser_fields(
            form.fields,
            status="Which warmer works best?",
            poll_option=["Hot seat", "Hot seat", "", ""],
            poll_duration="3600",
        ),
    )
    assert refused.status_code == 422
    assert "Poll options must all be different" in refused.text
    assert refused.text.count('value="Hot seat"') == 2
    assert '<option value="3600" selected>' in refused.text
    added = client.post(
        form.action,
        data=_browser_fields(
            form.fields,
            status="Which warmer works best?",
            poll_option=["Hot seat", "Two truths", "", ""],
            poll_duration="3600",
        ),
        follow_redirects=False,
    )
    assert added.status_code == 303, added.text
    poll = _poll(client, post_id)
    assert poll is not None and [o["title"] for o in poll["options"]] == ["Hot seat", "Two truths"]  # type: ignore[attr-defined]
