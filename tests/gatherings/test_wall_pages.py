"""The wall's pages without JavaScript: the projector view signed out (its own layout,
noindex, pinned on top, a Refresh link), the fragment, the hosts' moderation forms, 403 for
others, followers-only and direct posts never on the wall or its fragment, the ended
event's link to the archive."""

from __future__ import annotations

from collections.abc import Callable

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from tests.conftest import User
from tests.gatherings.wall_helpers import live_event, post, submit_form
from tests.oauth.helpers import parse_page, sign_in

UserFactory = Callable[..., User]


def test_projector_view_signed_out_and_its_fragment(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = live_event(runtime, host)
    shown = post(runtime, ana, "Retrieval practice works #EdChat")
    secret = post(runtime, ana, "Followers only note #EdChat", "private")
    direct = post(runtime, ana, "@host a direct word #EdChat", "direct")

    page = client.get(f"/events/{event_id}/wall")
    assert page.status_code == 200
    assert '<meta name="robots" content="noindex">' in page.text
    assert page.headers["x-robots-tag"] == "noindex"
    assert "main-nav" not in page.text  # its own layout, no navigation
    assert "Retrieval practice works" in page.text and f'id="wall-{shown}"' in page.text
    assert "Followers only note" not in page.text and "a direct word" not in page.text
    assert f'href="/events/{event_id}/wall"' in page.text and "Refresh" in page.text
    assert "data-wall-fullscreen" in page.text

    ids = f"{shown},{secret},{direct}"
    fragment = client.get(f"/events/{event_id}/wall/fragment?ids={ids}")
    assert fragment.status_code == 200
    assert f'id="wall-{shown}"' in fragment.text
    assert f"wall-{secret}" not in fragment.text and f"wall-{direct}" not in fragment.text
    since = client.get(f"/events/{event_id}/wall/fragment?since_id={shown}")
    assert "wall-post" not in since.text
    assert client.get("/events/999/wall").status_code == 404


def test_hosts_moderate_with_plain_forms(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, troll = make_user("host"), make_user("ana"), make_user("troll")
    event_id = live_event(runtime, host)
    first = post(runtime, ana, "Pin me #EdChat")
    second = post(runtime, ana, "Hide me #EdChat")
    bad = post(runtime, troll, "Spam spam #EdChat")
    here = f"/events/{event_id}/wall/moderate"
    base = f"/web/events/{event_id}/wall"

    assert client.get(here, follow_redirects=False).status_code == 303  # sign in first
    sign_in(client, ana.email, ana.password)
    assert client.get(here).status_code == 403
    page = client.get(f"/events/{event_id}/qa")  # a page with a signed-in form to borrow
    token = parse_page(page.text).forms[-1].fields
    forbidden = client.post(f"{base}/posts/{second}/hide", data=token)
    assert forbidden.status_code == 403
    assert "Only the event's hosts can do that" in forbidden.text

    client.cookies.clear()
    sign_in(client, host.email, host.password)
    page = client.get(here)
    assert page.status_code == 200 and "Pin me" in page.text
    done = submit_form(client, page.text, f"{base}/posts/{first}/pin")
    assert done.status_code == 303 and done.headers["location"] == here
    page = client.get(here)
    submit_form(client, page.text, f"{base}/posts/{second}/hide")
    page = client.get(here)
    submit_form(client, page.text, f"{base}/people/{troll.id}/block")
    page = client.get(here)
    assert "@troll" in page.text and "Let @troll back" in page.text

    wall = client.get(f"/events/{event_id}/wall").text
    assert wall.index(f'id="wall-{first}"') < wall.index("data-wall-posts")  # pinned on top
    assert f'id="wall-{second}"' not in wall and f'id="wall-{bad}"' not in wall

    page = client.get(here)
    refused = submit_form(client, page.text, f"{base}/mode", mode="sometimes")
    assert refused.status_code == 422
    assert "Choose post then hide or approve first" in refused.text
    submit_form(client, page.text, f"{base}/mode", mode="approve_first")
    page = client.get(here)
    assert "Waiting for approval" in page.text and "Approve" in page.text
    wall = client.get(f"/events/{event_id}/wall").text
    assert f'id="wall-{first}"' in wall  # pinned stays: a pin is an approval


def test_an_ended_event_links_to_its_archive(
    client: TestClient, runtime: Runtime, make_user: UserFactory
) -> None:
    host = make_user("host")
    event_id = live_event(runtime, host, minutes_ago=180)
    for path in (f"/events/{event_id}/wall", f"/events/{event_id}/qa"):
        page = client.get(path)
        assert page.status_code == 200
        assert "This event has ended." in page.text
        assert f'href="/events/{event_id}/transcript"' in page.text
