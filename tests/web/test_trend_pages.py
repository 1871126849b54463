"""The web side of trends, featured hashtags and endorsements, as plain forms: the Explore
page, a hashtag's last seven days and its feature button, featured people on a profile, and
the admin's review page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import update
from starlette.testclient import TestClient

from staffroom.db.tables import users
from staffroom.runtime import Runtime
from staffroom.services import trend_views, trends
from tests.conftest import User
from tests.oauth.helpers import form_with_button, sign_in

UserFactory = Callable[..., User]


def _press(client: TestClient, page_url: str, label: str, back_to: str | None = None) -> None:
    form = form_with_button(client.get(page_url).text, label)
    answer = client.post(form.action, data=form.fields, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == (back_to or page_url)


def _post(client: TestClient, user: User, text: str) -> str:
    answer = client.post("/api/v1/statuses", headers=user.headers, json={"status": text})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["id"])


@pytest.fixture
def trending(client: TestClient, runtime: Runtime, make_user: UserFactory) -> list[User]:
    people = [make_user(f"teacher{i}") for i in range(6)]
    author = people[0]
    post = _post(client, author, "Exit tickets https://example.org/exit-tickets #ExitTickets")
    for person in people[1:]:
        _post(client, person, "Me too https://example.org/exit-tickets #ExitTickets")
        client.post(f"/api/v1/statuses/{post}/favourite", headers=person.headers)
    client.post(f"/api/v1/statuses/{post}/favourite", headers=make_user("extra").headers)
    runtime.db.write(trends.refresh)
    return people


def test_explore_shows_trending_hashtags_posts_and_links(
    client: TestClient, trending: list[User]
) -> None:
    page = client.get("/explore")  # signed out
    assert page.status_code == 200
    html = page.text
    assert 'href="/tags/ExitTickets"' in html
    assert "6 people today" in html  # the chart is decoration; the number is text
    assert 'class="sparkline"' in html and 'aria-hidden="true"' in html
    assert "Exit tickets" in html  # the trending post
    assert 'href="https://example.org/exit-tickets"' in html
    assert "Review trends" not in html


def test_explore_when_nothing_trends(client: TestClient) -> None:
    html = client.get("/explore").text
    assert "No hashtags are trending right now." in html
    assert "No posts are trending right now." in html


def test_a_hashtag_page_shows_its_week_and_features_it(
    client: TestClient, trending: list[User]
) -> None:
    alice = trending[1]
    page = client.get("/tags/ExitTickets").text
    assert "Use in the last 7 days" in page
    assert "<td>6</td><td>6</td>" in page  # today's posts and people
    assert "Feature on your profile" not in page  # signed out: no form

    sign_in(client, alice.email, alice.password)
    _press(client, "/tags/ExitTickets", "Feature on your profile")
    featured = client.get("/api/v1/featured_tags", headers=alice.headers).json()
    assert [t["name"] for t in featured] == ["ExitTickets"]
    assert 'href="/tags/ExitTickets"' in client.get(f"/@{alice.username}").text
    _press(client, "/tags/ExitTickets", "Featured on your profile: remove")
    assert client.get("/api/v1/featured_tags", headers=alice.headers).json() == []


def test_endorse_from_a_profile_and_see_featured_people(
    client: TestClient, make_user: UserFactory
) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    sign_in(client, alice.email, alice.password)
    assert "Feature on your profile" not in client.get("/@bob").text  # not followed yet
    _press(client, "/@bob", "Follow @bob")
    _press(client, "/@bob", "Feature on your profile")
    assert 'href="/@bob"' in client.get("/@alice").text.split("profile-counts")[0]
    assert client.get("/api/v1/endorsements", headers=alice.headers).json()[0]["id"] == str(bob.id)
    _press(client, "/@bob", "Featured on your profile: remove")
    assert client.get("/api/v1/endorsements", headers=alice.headers).json() == []


def test_the_admin_reviews_trends(
    client: TestClient, runtime: Runtime, make_user: UserFactory, trending: list[User]
) -> None:
    teacher = trending[2]
    sign_in(client, teacher.email, teacher.password)
    assert client.get("/admin/trends").status_code == 403
    client.cookies.clear()

    head = make_user("head")
    runtime.db.write(
        lambda conn: conn.execute(
            update(users).where(users.c.account_id == head.id).values(admin=True)
        )
    )
    sign_in(client, head.email, head.password)
    assert "Review trends" in client.get("/explore").text
    page = client.get("/admin/trends").text
    assert "#ExitTickets" in page and "Not reviewed" in page

    _press(client, "/admin/trends", "Reject #ExitTickets")
    assert "Rejected" in client.get("/admin/trends").text
    assert client.get("/api/v1/trends/tags").json() == []

    form = form_with_button(client.get("/admin/trends").text, "Save")
    form.fields["require_review"] = "1"
    client.post(form.action, data=form.fields)
    assert runtime.db.read(trend_views.require_review) is True
    _press(client, "/admin/trends", "Approve #ExitTickets")
    assert [t["name"] for t in client.get("/api/v1/trends/tags").json()] == ["ExitTickets"]
    assert client.get("/api/v1/trends/links").json() == []  # not approved
