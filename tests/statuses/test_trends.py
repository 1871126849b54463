"""Trends as Mastodon has them: tags, links and posts trend by how many DISTINCT accounts use
them in the last day (one account repeating a tag does not make it trend), public posts of
discoverable accounts only, decaying with time (controllable clock), and an admin's review
when the instance requires it. Trending posts never show anyone a post they may not see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from starlette.testclient import TestClient

from staffroom import clock
from staffroom.db.tables import jobs, trends, users
from staffroom.runtime import Runtime
from staffroom.services import trend_views
from staffroom.services import trends as trend_service
from tests.conftest import User

UserFactory = Callable[..., User]


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Posts take their IDs from the real time, so the test clock starts there.
        self.now = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
        monkeypatch.setattr(clock, "now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def time(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def _post(client: TestClient, user: User, text: str, **extra: Any) -> Any:
    response = client.post("/api/v1/statuses", json={"status": text, **extra}, headers=user.headers)
    assert response.status_code == 200, response.text
    return response.json()


def _people(make_user: UserFactory, prefix: str, count: int) -> list[User]:
    return [make_user(f"{prefix}{i}") for i in range(count)]


def _refresh(runtime: Runtime) -> None:
    runtime.db.write(trend_service.refresh)


def _trending_tags(client: TestClient, **params: Any) -> list[str]:
    response = client.get("/api/v1/trends/tags", params=params)
    assert response.status_code == 200
    return [tag["name"] for tag in response.json()]


def _admin(runtime: Runtime, user: User) -> User:
    runtime.db.write(
        lambda conn: conn.execute(
            update(users).where(users.c.account_id == user.id).values(admin=True)
        )
    )
    return user


def test_distinct_accounts_trend_and_one_account_repeating_itself_does_not(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    spammer = make_user("spammer")
    for i in range(50):
        _post(client, spammer, f"Buy my worksheets {i} #WorksheetSale")
    for person in _people(make_user, "teacher", 10):
        _post(client, person, "Trying retrieval practice this week #RetrievalPractice")
    _refresh(runtime)

    found = client.get("/api/v1/trends/tags").json()
    assert [tag["name"] for tag in found] == ["RetrievalPractice"]
    today = found[0]["history"][0]
    midnight = time.now.replace(hour=0, minute=0)
    assert today == {"day": str(int(midnight.timestamp())), "uses": "10", "accounts": "10"}
    assert len(found[0]["history"]) == 7
    assert [d["uses"] for d in found[0]["history"][1:]] == ["0"] * 6

    # The spammer's tag still has its history on its own page: 50 uses by one account.
    tag = client.get("/api/v1/tags/WorksheetSale").json()
    assert tag["history"][0]["uses"] == "50"
    assert tag["history"][0]["accounts"] == "1"


def test_a_trend_decays_with_time_and_ends(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    for person in _people(make_user, "teacher", 10):
        _post(client, person, "#OracyWeek starts today")
    _refresh(runtime)

    def score() -> float:
        return float(
            runtime.db.read(
                lambda conn: conn.execute(
                    select(trends.c.score).where(trends.c.kind == trend_service.TAG)
                ).scalar_one()
            )
        )

    first = score()
    assert first == pytest.approx((10 - 1) ** 2)
    time.advance(hours=4)  # the tags' half-life; the same uses are still within the day
    _refresh(runtime)
    assert score() == pytest.approx(first / 2)
    assert _trending_tags(client) == ["OracyWeek"]

    time.advance(hours=24)  # the uses are older than a day and the peak has decayed away
    _refresh(runtime)
    assert _trending_tags(client) == []


def test_a_tag_rising_less_than_yesterday_does_not_trend(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    people = _people(make_user, "teacher", 10)
    for person in people:
        _post(client, person, "#PhonicsFriday")
    time.advance(hours=25)
    for person in people[:6]:
        _post(client, person, "#PhonicsFriday again")
    runtime.db.write(lambda conn: conn.execute(trends.delete()))  # forget yesterday's peak
    _refresh(runtime)
    assert _trending_tags(client) == []  # 6 today against 10 yesterday: not rising


def test_only_public_posts_of_discoverable_accounts_count(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    for person in _people(make_user, "quiet", 10):
        _post(client, person, "#StaffMeeting notes", visibility="unlisted")
    for person in _people(make_user, "private", 10):
        _post(client, person, "#StaffMeeting notes", visibility="private")
    for person in _people(make_user, "hidden", 10):
        changed = client.patch(
            "/api/v1/accounts/update_credentials",
            data={"discoverable": "false"},
            headers=person.headers,
        )
        assert changed.status_code == 200
        _post(client, person, "#Undiscoverable #StaffMeeting")
    _refresh(runtime)
    assert _trending_tags(client) == []


def test_review_keeps_unapproved_tags_out_when_required(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    admin = _admin(runtime, make_user("head", scopes="read write admin:read admin:write"))
    for person in _people(make_user, "teacher", 10):
        _post(client, person, "#ScienceWeek #MathsWeek")
    runtime.db.write(trend_views.set_require_review, True)
    _refresh(runtime)
    assert _trending_tags(client) == []

    listed = client.get("/api/v1/admin/trends/tags", headers=admin.headers)
    assert listed.status_code == 200
    by_name = {tag["name"]: tag for tag in listed.json()}
    assert set(by_name) == {"ScienceWeek", "MathsWeek"}
    assert by_name["ScienceWeek"]["requires_review"] is True
    assert by_name["ScienceWeek"]["trendable"] is False

    approved = client.post(
        f"/api/v1/admin/trends/tags/{by_name['ScienceWeek']['id']}/approve", headers=admin.headers
    )
    assert approved.status_code == 200
    assert approved.json()["trendable"] is True
    assert approved.json()["requires_review"] is False
    assert _trending_tags(client) == ["ScienceWeek"]

    # Without review, a rejected tag still never trends.
    runtime.db.write(trend_views.set_require_review, False)
    rejected = client.post(
        f"/api/v1/admin/trends/tags/{by_name['ScienceWeek']['id']}/reject", headers=admin.headers
    )
    assert rejected.status_code == 200
    assert _trending_tags(client) == ["MathsWeek"]


def test_admin_trends_need_an_administrator(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    teacher = make_user("teacher", scopes="read write admin:read admin:write")
    assert client.get("/api/v1/admin/trends/tags", headers=teacher.headers).status_code == 403
    assert (
        client.post("/api/v1/admin/trends/tags/1/approve", headers=teacher.headers).status_code
        == 403
    )
    assert client.get("/api/v1/admin/trends/links").status_code == 401
    plain_admin = _admin(runtime, make_user("head"))  # a token without admin scopes
    assert client.get("/api/v1/admin/trends/tags", headers=plain_admin.headers).status_code == 403


def _favourite_by(client: TestClient, people: list[User], status_id: str) -> None:
    for person in people:
        done = client.post(f"/api/v1/statuses/{status_id}/favourite", headers=person.headers)
        assert done.status_code == 200


def test_posts_trend_by_distinct_interactions_and_only_where_the_viewer_may_see_them(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    author = make_user("author")
    fans = _people(make_user, "fan", 6)
    for fan in fans:
        client.post(f"/api/v1/accounts/{author.id}/follow", headers=fan.headers)
    public = _post(client, author, "A lesson plan that worked")
    followers_only = _post(client, author, "For my followers", visibility="private")
    quiet = _post(client, author, "Quiet post", visibility="unlisted")
    flagged = _post(client, author, "Behind a warning", spoiler_text="Spoiler")
    shy = make_user("shy")
    client.patch(
        "/api/v1/accounts/update_credentials", data={"discoverable": "false"}, headers=shy.headers
    )
    undiscoverable = _post(client, shy, "Not for discovery")
    for status in (public, followers_only, quiet, flagged, undiscoverable):
        _favourite_by(client, fans, status["id"])
    _favourite_by(client, [author], public["id"])  # one's own favourite does not count
    _refresh(runtime)

    anonymous = client.get("/api/v1/trends/statuses")
    assert anonymous.status_code == 200
    assert [s["id"] for s in anonymous.json()] == [public["id"]]
    as_fan = client.get("/api/v1/trends/statuses", headers=fans[0].headers).json()
    assert [s["id"] for s in as_fan] == [public["id"]]

    # A viewer the author blocks is not shown the post.
    outsider = make_user("outsider")
    client.post(f"/api/v1/accounts/{outsider.id}/block", headers=author.headers)
    assert client.get("/api/v1/trends/statuses", headers=outsider.headers).json() == []

    # A post that goes away leaves the trends at once.
    client.delete(f"/api/v1/statuses/{public['id']}", headers=author.headers)
    assert client.get("/api/v1/trends/statuses").json() == []


def test_four_interactions_are_not_enough_for_a_post(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    author = make_user("author")
    status = _post(client, author, "Nearly popular")
    _favourite_by(client, _people(make_user, "fan", 4), status["id"])
    _refresh(runtime)
    assert client.get("/api/v1/trends/statuses").json() == []


def test_links_trend_by_url_with_their_history(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    for i, person in enumerate(_people(make_user, "teacher", 6)):
        _post(client, person, f"Great read https://Example.org/oracy-guide#part{i}")
    for person in _people(make_user, "other", 6):
        _post(client, person, "Sensitive https://example.org/other", sensitive=True)
    _refresh(runtime)
    links = client.get("/api/v1/trends/links").json()
    assert [link["url"] for link in links] == ["https://example.org/oracy-guide"]
    assert links[0]["type"] == "link"
    assert links[0]["provider_name"] == "example.org"
    assert links[0]["history"][0]["accounts"] == "6"


def test_paging_with_offset_and_link_header(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    people = _people(make_user, "teacher", 10)
    for n, name in enumerate(["Alpha", "Beta", "Gamma"]):
        for person in people[: 10 - n]:
            _post(client, person, f"#{name}")
    _refresh(runtime)
    first = client.get("/api/v1/trends/tags", params={"limit": 2})
    assert [t["name"] for t in first.json()] == ["Alpha", "Beta"]
    assert 'offset=2>; rel="next"' in first.headers["link"]
    assert _trending_tags(client, limit=2, offset=2) == ["Gamma"]
    assert client.get("/api/v1/trends").json()[0]["name"] == "Alpha"  # the old path


def test_the_refresh_job_runs_and_reschedules_itself(
    client: TestClient, runtime: Runtime, make_user: UserFactory, time: Clock
) -> None:
    for person in _people(make_user, "teacher", 10):
        _post(client, person, "#Scheduled")

    def pending() -> list[Any]:
        return runtime.db.read(
            lambda conn: conn.execute(
                select(jobs.c.run_at).where(jobs.c.kind == "refresh_trends")
            ).all()
        )

    runtime.worker.seed_periodic()
    runtime.worker.seed_periodic()  # seeding twice keeps one job
    assert len(pending()) == 1
    runtime.worker.drain()  # the refresh (and the other periodic jobs, e.g. the suggestions sweep)
    assert _trending_tags(client) == ["Scheduled"]
    assert len(pending()) == 1  # rescheduled
    assert runtime.worker.drain() == 0  # not due yet
    time.advance(minutes=5)
    assert runtime.worker.drain() == 1  # the refresh alone: the suggestions sweep runs every 10
    assert len(pending()) == 1
