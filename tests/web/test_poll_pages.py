"""Polls in the web app: the composer makes one (kept after a refused post), a reader votes
with a plain form from the page they are on and then sees the results (or the note that they
are hidden); the choices of several polls on one page never mix."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import form_with_button, parse_page, sign_in

UserFactory = Callable[..., User]


@pytest.fixture
def alice(client: TestClient, make_user: UserFactory) -> User:
    return make_user("alice")


def _compose(client: TestClient, **fields: object) -> object:
    composer = next(
        f for f in parse_page(client.get("/").text).forms if f.action == "/web/statuses"
    )
    data = {**composer.fields, "visibility": "public", **fields}
    return client.post("/web/statuses", data=data, follow_redirects=False)


def _poll_inputs(html: str, poll_id: str) -> list[tuple[str, str]]:
    """(type, value) of the choices of one poll, each tied to the page's hidden form."""
    found = re.findall(
        rf'<input type="(radio|checkbox)" form="post-actions" name="poll-{poll_id}" value="(\d+)">',
        html,
    )
    return [(kind, value) for kind, value in found]


def test_the_composer_makes_a_poll_and_keeps_it_after_a_refusal(
    client: TestClient, alice: User
) -> None:
    sign_in(client, alice.email, alice.password)
    refused = _compose(
        client,
        status="x" * 141,
        poll_option=["Drama games", "Minimal pairs", "", ""],
        poll_duration="3600",
        poll_multiple="on",
    )
    assert refused.status_code == 422  # type: ignore[attr-defined]
    page = refused.text  # type: ignore[attr-defined]
    assert 'value="Drama games"' in page and 'value="Minimal pairs"' in page
    assert re.search(r'<option value="3600" selected>', page)
    assert re.search(r'id="field-poll-multiple" name="poll_multiple" type="checkbox" checked', page)

    posted = _compose(
        client,
        status="Next week's #ELTChat topic?",
        poll_option=["Drama games", "Minimal pairs", "", ""],
        poll_duration="3600",
    )
    assert posted.status_code == 303  # type: ignore[attr-defined]
    statuses = client.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    poll = statuses[0]["poll"]
    assert [o["title"] for o in poll["options"]] == ["Drama games", "Minimal pairs"]
    assert poll["multiple"] is False


def test_one_option_or_a_poll_with_an_image_is_refused_clearly(
    client: TestClient, alice: User
) -> None:
    sign_in(client, alice.email, alice.password)
    one = _compose(client, status="Poll?", poll_option=["Only one", "", "", ""])
    assert one.status_code == 422  # type: ignore[attr-defined]
    assert "at least 2 options" in one.text  # type: ignore[attr-defined]
    assert client.get(f"/api/v1/accounts/{alice.id}/statuses").json() == []


def test_a_reader_votes_from_the_home_page_and_sees_results(
    client: TestClient, alice: User, make_user: UserFactory
) -> None:
    bob = make_user("bob")
    client.post(f"/api/v1/accounts/{alice.id}/follow", headers=bob.headers)
    first = client.post(
        "/api/v1/statuses",
        json={
            "status": "Tea or coffee?",
            "poll": {"options": ["Tea", "Coffee"], "expires_in": 600},
        },
        headers=alice.headers,
    ).json()
    second = client.post(
        "/api/v1/statuses",
        json={
            "status": "Which days?",
            "poll": {"options": ["Mon", "Tue", "Wed"], "expires_in": 600, "multiple": True},
        },
        headers=alice.headers,
    ).json()
    sign_in(client, bob.email, bob.password)
    home = client.get("/").text
    assert _poll_inputs(home, first["poll"]["id"]) == [("radio", "0"), ("radio", "1")]
    assert [k for k, _ in _poll_inputs(home, second["poll"]["id"])] == ["checkbox"] * 3

    vote = form_with_button(home, "Vote")
    assert vote.action in {f"/web/polls/{p['poll']['id']}/votes" for p in (first, second)}
    answer = client.post(
        f"/web/polls/{second['poll']['id']}/votes",
        data={
            **vote.fields,
            f"poll-{second['poll']['id']}": ["0", "2"],
            f"poll-{first['poll']['id']}": "1",  # another poll's choice on the page: ignored
        },
        follow_redirects=False,
    )
    assert answer.status_code == 303

    seen = client.get(f"/api/v1/polls/{second['poll']['id']}", headers=bob.headers).json()
    assert seen["own_votes"] == [0, 2]
    untouched = client.get(f"/api/v1/polls/{first['poll']['id']}", headers=bob.headers).json()
    assert untouched["voted"] is False and untouched["votes_count"] == 0
    after = client.get("/").text
    assert _poll_inputs(after, second["poll"]["id"]) == []  # results now
    assert "(your vote)" in after and "50%" in after
    assert _poll_inputs(after, first["poll"]["id"])  # still open to vote


def test_hidden_results_and_signed_out_readers(
    client: TestClient, alice: User, make_user: UserFactory
) -> None:
    bob = make_user("bob")
    posted = client.post(
        "/api/v1/statuses",
        json={
            "status": "Secret ballot",
            "poll": {"options": ["Yes", "No"], "expires_in": 600, "hide_totals": True},
        },
        headers=alice.headers,
    ).json()
    client.post(
        f"/api/v1/polls/{posted['poll']['id']}/votes", json={"choices": [0]}, headers=bob.headers
    )
    signed_out = client.get(f"/@alice/{posted['id']}").text
    assert _poll_inputs(signed_out, posted["poll"]["id"]) == []
    assert "Results are hidden until the poll ends." in signed_out
    assert "%" not in re.sub(r"<style.*?</style>", "", signed_out.split('class="poll"')[1][:600])
    sign_in(client, bob.email, bob.password)
    bobs = client.get(f"/@alice/{posted['id']}").text
    assert "(your vote)" in bobs and "Results are hidden until the poll ends." in bobs


def test_a_refused_vote_is_a_clear_error_page(
    client: TestClient, alice: User, make_user: UserFactory
) -> None:
    bob = make_user("bob")
    posted = client.post(
        "/api/v1/statuses",
        json={"status": "Pick one", "poll": {"options": ["A", "B"], "expires_in": 600}},
        headers=alice.headers,
    ).json()
    sign_in(client, bob.email, bob.password)
    page = client.get(f"/@alice/{posted['id']}").text
    vote = form_with_button(page, "Vote")
    answer = client.post(
        vote.action, data={**vote.fields, f"poll-{posted['poll']['id']}": ["0", "1"]}
    )
    assert answer.status_code == 422 and "only one choice" in answer.text


def test_the_history_page_shows_each_versions_poll_options(client: TestClient, alice: User) -> None:
    posted = client.post(
        "/api/v1/statuses",
        json={
            "status": "Tea or coffee?",
            "poll": {"options": ["Tea", "Coffee"], "expires_in": 600},
        },
        headers=alice.headers,
    ).json()
    client.put(
        f"/api/v1/statuses/{posted['id']}",
        json={"status": "Tea or juice?", "poll": {"options": ["Tea", "Juice"], "expires_in": 600}},
        headers=alice.headers,
    )
    page = client.get(f"/@alice/{posted['id']}/history").text
    assert page.count("Poll options in this version") == 2
    assert page.index("Juice") < page.index("Coffee")  # the current version first
