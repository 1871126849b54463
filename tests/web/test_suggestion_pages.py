"""Who to follow in the web app, as a browser without JavaScript: /suggestions with reasons
in words, Follow and Dismiss forms, the panel on /explore, the same in Spanish."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from starlette.testclient import TestClient

from tests.conftest import User
from tests.oauth.helpers import parse_page, sign_in


@pytest.fixture
def network(client: TestClient, make_user: Callable[..., User]) -> dict[str, User]:
    people = {name: make_user(name) for name in ("ana", "bo", "cy", "star")}
    posted = client.post(
        "/api/v1/statuses", headers=people["star"].headers, data={"status": "Workshop notes"}
    )
    assert posted.status_code == 200
    for friend in ("bo", "cy"):
        client.post(f"/api/v1/accounts/{people[friend].id}/follow", headers=people["ana"].headers)
        client.post(f"/api/v1/accounts/{people['star'].id}/follow", headers=people[friend].headers)
    sign_in(client, people["ana"].email, people["ana"].password)
    return people


def _form(html: str, action: str) -> dict[str, str]:
    for form in parse_page(html).forms:
        if form.action == action:
            return dict(form.fields)
    raise AssertionError(f"no form posting to {action}")


def test_the_page_says_why_and_dismiss_sticks(client: TestClient, network: dict[str, User]) -> None:
    star = network["star"]
    page = client.get("/suggestions")
    assert page.status_code == 200
    assert "Followed by 2 people you follow, such as @bo and @cy" in page.text
    action = f"/web/suggestions/{star.id}/dismiss"
    done = client.post(action, data=_form(page.text, action), follow_redirects=False)
    assert (done.status_code, done.headers["location"]) == (303, "/suggestions")
    assert f"suggestion-{star.id}" not in client.get("/suggestions").text
    assert f"suggestion-{star.id}" not in client.get("/explore").text


def test_follow_from_the_explore_panel_goes_back_there(
    client: TestClient, network: dict[str, User]
) -> None:
    star = network["star"]
    panel = client.get("/explore")
    assert "Who to follow" in panel.text and f"suggestion-{star.id}" in panel.text
    action = f"/web/suggestions/{star.id}/follow"
    done = client.post(action, data=_form(panel.text, action), follow_redirects=False)
    assert done.headers["location"] == "/explore"
    following = client.get(
        f"/api/v1/accounts/relationships?id[]={star.id}", headers=network["ana"].headers
    )
    assert following.json()[0]["following"] is True
    assert f"suggestion-{star.id}" not in client.get("/suggestions").text


def test_another_site_is_never_where_a_form_goes_back(
    client: TestClient, network: dict[str, User]
) -> None:
    page = client.get("/suggestions")
    action = f"/web/suggestions/{network['star'].id}/dismiss"
    fields = {**_form(page.text, action), "back": "//evil.example/"}
    assert (
        client.post(action, data=fields, follow_redirects=False).headers["location"]
        == "/suggestions"
    )


def test_spanish_and_signed_out(client: TestClient, network: dict[str, User]) -> None:
    page = client.get("/suggestions", headers={"Accept-Language": "es"})
    assert "Le siguen 2 personas a las que sigues, como @bo y @cy" in page.text
    client.cookies.clear()
    answer = client.get("/suggestions", follow_redirects=False)
    assert answer.headers["location"].startswith("/auth/sign_in")


def test_dismiss_on_the_first_run_page(client: TestClient, network: dict[str, User]) -> None:
    star = network["star"]
    page = client.get("/welcome/people")
    assert f"person-{star.id}" in page.text
    action = f"/web/suggestions/{star.id}/dismiss"
    done = client.post(action, data=_form(page.text, action), follow_redirects=False)
    assert done.headers["location"] == "/welcome/people"
    assert f"person-{star.id}" not in client.get("/welcome/people").text
