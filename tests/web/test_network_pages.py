"""The network picture on the web (``/@username/network``): groups, bridges and areas not
reached from real posts and follows; private by default, shown to others only when the
owner says so (the setting on ``/settings/account``), never across a block; people the
viewer blocks are left out; light enough for a phone with 1,000 people followed."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, insert
from starlette.testclient import TestClient

from staffroom.db.tables import accounts, follows, status_tags, statuses, tags
from staffroom.ids import new_id
from staffroom.runtime import Runtime
from tests.conftest import User
from tests.lists.helpers import follow, ok, post
from tests.oauth.helpers import form_with_button, sign_in

PAGE_LIMIT = 100 * 1024


@pytest.fixture
def alice(client: TestClient, make_user: Callable[..., User]) -> User:
    return make_user("alice")


def _network(client: TestClient, alice: User, make_user: Callable[..., User]) -> dict[str, User]:
    """Alice follows bob and carol (#maths, following each other) and dave (#art); bob
    follows erin, whom alice does not follow, who posts about #robotics."""
    people = {name: make_user(name) for name in ("bob", "carol", "dave", "erin")}
    for name in ("bob", "carol", "dave"):
        follow(client, alice, people[name])
    follow(client, people["bob"], people["carol"])
    follow(client, people["carol"], people["bob"])
    follow(client, people["bob"], people["erin"])
    post(client, people["bob"], "Fractions today #maths")
    post(client, people["carol"], "Times tables #maths #primary")
    post(client, people["dave"], "Colour wheels #art")
    post(client, people["erin"], "Line-following robots #robotics")
    return people


def _svg(html: str) -> str:
    found = re.search(r"<svg class=\"network-svg\".*?</svg>", html, re.S)
    assert found, html
    return found.group(0)


def test_ones_own_network_picture(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    _network(client, alice, make_user)
    sign_in(client, alice.email, alice.password)
    assert 'href="/@alice/network"' in client.get("/@alice").text
    page = client.get("/@alice/network")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Your network picture</h1>" in html
    assert "Only you can see your network picture." in html
    svg = _svg(html)
    assert 'role="img"' in svg and 'aria-labelledby="net-title net-desc"' in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.count('r="1.8"') == 3  # a dot per person followed
    groups = html.split('id="groups-heading"')[1].split('id="bridges-heading"')[0]
    maths_row = next(row for row in groups.split("<tr>") if "#maths" in row)
    assert 'href="/@bob"' in maths_row and 'href="/@carol"' in maths_row
    assert "1 pair" in maths_row  # bob and carol follow each other
    assert 'href="/@dave"' not in maths_row and 'href="/@dave"' in groups  # dave is apart
    bridges = html.split('id="bridges-heading"')[1].split('id="areas-heading"')[0]
    assert 'href="/@bob"' in bridges and "#robotics" in bridges
    assert 'href="/@carol"' not in bridges
    areas = html.split('id="areas-heading"')[1]
    assert 'href="/tags/robotics"' in areas and "#maths" not in areas


def test_the_picture_is_private_until_its_owner_shows_it(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    _network(client, alice, make_user)
    victor = make_user("victor")
    assert client.get("/@alice/network").status_code == 404  # signed out
    sign_in(client, victor.email, victor.password)
    assert client.get("/@alice/network").status_code == 404
    assert 'href="/@alice/network"' not in client.get("/@alice").text

    client.cookies.clear()
    sign_in(client, alice.email, alice.password)
    settings = client.get("/settings/account").text
    form = form_with_button(settings, "Save preferences")
    assert "checked" not in settings.split('id="field-network_public"')[1].split(">")[0]
    saved = client.post(
        form.action,
        data={
            **form.fields,
            "default_visibility": "public",
            "locale": "",
            "network_public": "1",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    settings = client.get("/settings/account").text
    assert "checked" in settings.split('id="field-network_public"')[1].split(">")[0]
    assert "Others can see your network picture." in client.get("/@alice/network").text

    client.cookies.clear()
    assert client.get("/@alice/network").status_code == 200  # signed out, now shown
    sign_in(client, victor.email, victor.password)
    assert 'href="/@alice/network"' in client.get("/@alice").text
    page = client.get("/@alice/network").text
    assert "<h1>@alice's network picture</h1>" in page and "Your network picture" not in page
    assert 'href="/@carol"' in page and _svg(page).count('r="1.8"') == 3
    assert "Change who can see it" not in page

    # victor blocks carol: she is left out of what he sees
    carol = make_user_id(client, "carol", victor)
    ok(client.post(f"/api/v1/accounts/{carol}/block", headers=victor.headers))
    page = client.get("/@alice/network").text
    assert 'href="/@carol"' not in page and 'href="/@bob"' in page
    assert _svg(page).count('r="1.8"') == 2
    # and mutes bob: he is left out too
    ok(
        client.post(
            f"/api/v1/accounts/{make_user_id(client, 'bob', victor)}/mute", headers=victor.headers
        )
    )
    page = client.get("/@alice/network").text
    assert 'href="/@bob"' not in page and _svg(page).count('r="1.8"') == 1
    # alice blocks victor: the picture is not his to see
    ok(client.post(f"/api/v1/accounts/{victor.id}/block", headers=alice.headers))
    assert client.get("/@alice/network").status_code == 404


def make_user_id(client: TestClient, username: str, viewer: User) -> int:
    found = ok(client.get(f"/api/v1/accounts/lookup?acct={username}", headers=viewer.headers))
    return int(found["id"])


def test_no_such_person_is_404(client: TestClient) -> None:
    assert client.get("/@nobody/network").status_code == 404


def _followed_crowd(conn: Connection, owner_id: int, count: int) -> None:
    """``count`` people followed by the owner, in 10 hashtag groups, following each other
    within their group; three posts each."""
    now = datetime.now(UTC)
    tag_ids = [new_id() for _ in range(10)]
    conn.execute(
        insert(tags),
        [
            {"id": t, "name": f"Subject{i}", "name_lower": f"subject{i}", "created_at": now}
            for i, t in enumerate(tag_ids)
        ],
    )
    people = [new_id() for _ in range(count)]
    conn.execute(
        insert(accounts),
        [
            {
                "id": p,
                "username": f"teacher_{i:04d}",
                "username_lower": f"teacher_{i:04d}",
                "display_name": f"Teacher number {i}",
                "created_at": now,
                "updated_at": now,
            }
            for i, p in enumerate(people)
        ],
    )
    rows = [
        {"id": new_id(), "account_id": owner_id, "target_account_id": p, "created_at": now}
        for p in people
    ]
    for i, p in enumerate(people):
        for step in (10, 20, 30):
            rows.append(
                {
                    "id": new_id(),
                    "account_id": p,
                    "target_account_id": people[(i + step) % count],
                    "created_at": now,
                }
            )
    conn.execute(insert(follows), rows)
    posts, tagged = [], []
    for i, p in enumerate(people):
        for _ in range(3):
            sid = new_id()
            posts.append({"id": sid, "account_id": p, "visibility": 0, "created_at": now})
            tagged.append({"status_id": sid, "tag_id": tag_ids[i % 10]})
    conn.execute(insert(statuses), posts)
    conn.execute(insert(status_tags), tagged)


def test_a_network_of_1000_is_under_100_kb(
    client: TestClient, alice: User, runtime: Runtime
) -> None:
    runtime.db.write(_followed_crowd, alice.id, 1000)
    sign_in(client, alice.email, alice.password)
    page = client.get("/@alice/network", headers={"Accept-Encoding": "identity"})
    assert page.status_code == 200
    body = page.content
    assert len(body) < PAGE_LIMIT, len(body)
    svg = _svg(page.text)
    assert svg.count('r="1.8"') == 1000
    assert page.text.count("<tr>") >= 10  # ten groups in the table
    for i in range(10):
        assert f"#Subject{i}" in page.text


def test_the_picture_speaks_spanish(
    client: TestClient, alice: User, make_user: Callable[..., User]
) -> None:
    _network(client, alice, make_user)
    sign_in(client, alice.email, alice.password)
    page = client.get("/@alice/network", headers={"Accept-Language": "es"}).text
    assert "<h1>Tu mapa de contactos</h1>" in page
    assert "Puentes hacia áreas nuevas" in page and "Aún no alcanzado" in page
    assert "Las personas que sigue @alice, en" in _svg(page)
