"""The wall's posts and moderation: modes, pins first, hide, keeping a person off, what
each step tells the live streams, and that only public chat posts ever show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from staffroom.errors import Forbidden, NotFound, ValidationFailed
from staffroom.runtime import Runtime
from staffroom.services import wall
from staffroom.services.wall_views import wall_page
from tests.conftest import User
from tests.gatherings.wall_helpers import event_of, live_event, post

UserFactory = Callable[..., User]


def _shown(runtime: Runtime, event_id: int, viewer: int | None = None) -> tuple[list, list]:
    page = runtime.db.read(wall_page, viewer, event_id)
    return [v.id for v in page.posts.pinned], [v.id for v in page.posts.newest]


def _frames(change: wall.WallChange) -> list[tuple[str, str]]:
    return [(f["type"], f.get("id", "")) for f in change.frames]


def test_post_then_hide_shows_public_chat_posts_newest_first_pinned_on_top(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, ben = make_user("host"), make_user("ana"), make_user("ben")
    event_id = live_event(runtime, host)
    first = post(runtime, ana, "Exit tickets work #EdChat")
    post(runtime, ana, "followers only #EdChat", "private")
    post(runtime, ana, "just you @ben #EdChat", "direct")
    post(runtime, ana, "quiet #EdChat", "unlisted")
    post(runtime, ben, "elsewhere #OtherChat")
    second = post(runtime, ben, "Hinge questions #EdChat")
    third = post(runtime, ana, "Mini whiteboards #edchat")
    assert _shown(runtime, event_id) == ([], [third, second, first])

    change = runtime.db.write(wall.moderate, host.id, event_id, first, "pin")
    assert _frames(change) == [("pin", str(first))]
    change = runtime.db.write(wall.moderate, host.id, event_id, second, "hide")
    assert _frames(change) == [("hide", str(second))]
    assert _shown(runtime, event_id) == ([first], [third])
    change = runtime.db.write(wall.moderate, host.id, event_id, second, "show")
    assert _frames(change) == [("post", str(second))]
    change = runtime.db.write(wall.moderate, host.id, event_id, first, "unpin")
    assert _frames(change) == [("unpin", str(first))]
    assert _shown(runtime, event_id) == ([], [third, second, first])
    # the fragment's "only these" never lets a non-wall post through
    page = runtime.db.read(wall_page, None, event_id, only=[first, first + 1, second])
    assert [v.id for v in page.posts.newest] == [second, first]


def test_approve_first_shows_only_approved_and_switching_modes_moves_posts(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = live_event(runtime, host)
    one = post(runtime, ana, "one #EdChat")
    two = post(runtime, ana, "two #EdChat")
    change = runtime.db.write(wall.set_mode, host.id, event_id, "approve_first")
    assert change.mode == "approve_first"
    assert sorted(_frames(change)) == sorted([("hide", str(one)), ("hide", str(two))])
    assert _shown(runtime, event_id) == ([], [])
    change = runtime.db.write(wall.moderate, host.id, event_id, two, "approve")
    assert _frames(change) == [("post", str(two))]
    assert _shown(runtime, event_id) == ([], [two])
    view = runtime.db.read(wall.moderation_view, host.id, event_id)
    assert [v.id for v in view.pending] == [one]
    assert dict((v.id, label) for v, label in view.posts) == {one: "pending", two: "shown"}
    change = runtime.db.write(wall.set_mode, host.id, event_id, "post_then_hide")
    assert _frames(change) == [("post", str(one))]
    assert _shown(runtime, event_id) == ([], [two, one])


def test_a_person_kept_off_the_wall_never_shows_until_let_back(
    runtime: Runtime, make_user: UserFactory
) -> None:
    host, ana, troll = make_user("host"), make_user("ana"), make_user("troll")
    event_id = live_event(runtime, host)
    good = post(runtime, ana, "good #EdChat")
    bad = post(runtime, troll, "bad #EdChat")
    runtime.db.write(wall.moderate, host.id, event_id, bad, "pin")
    change = runtime.db.write(wall.block, host.id, event_id, troll.id)
    assert _frames(change) == [("hide", str(bad))] and change.blocked == [troll.id]
    later = post(runtime, troll, "still bad #EdChat")
    assert _shown(runtime, event_id) == ([], [good])
    page = runtime.db.read(wall_page, None, event_id, only=[bad, later])
    assert page.posts.pinned == [] and page.posts.newest == []
    view = runtime.db.read(wall.moderation_view, host.id, event_id)
    assert view.blocked == [(troll.id, "troll")]
    change = runtime.db.write(wall.block, host.id, event_id, troll.id, blocked=False)
    assert sorted(_frames(change)) == sorted([("post", str(bad)), ("post", str(later))])
    assert _shown(runtime, event_id) == ([bad], [later, good])


def test_only_hosts_moderate_and_only_chat_posts(runtime: Runtime, make_user: UserFactory) -> None:
    host, ana = make_user("host"), make_user("ana")
    event_id = live_event(runtime, host)
    mine = post(runtime, ana, "mine #EdChat")
    secret = post(runtime, ana, "secret #EdChat", "private")
    with pytest.raises(Forbidden):
        runtime.db.write(wall.moderate, ana.id, event_id, mine, "hide")
    with pytest.raises(Forbidden):
        runtime.db.write(wall.block, ana.id, event_id, host.id)
    with pytest.raises(Forbidden):
        runtime.db.read(wall.moderation_view, ana.id, event_id)
    with pytest.raises(NotFound):
        runtime.db.write(wall.moderate, host.id, event_id, secret, "pin")
    with pytest.raises(ValidationFailed):
        runtime.db.write(wall.moderate, host.id, event_id, mine, "explode")
    with pytest.raises(ValidationFailed):
        runtime.db.write(wall.set_mode, host.id, event_id, "anything")
    with pytest.raises(ValidationFailed):
        runtime.db.write(wall.block, host.id, event_id, host.id)
    assert event_of(runtime, event_id).wall_mode == "post_then_hide"


def test_a_viewer_who_blocks_an_author_does_not_see_them_on_the_wall(
    runtime: Runtime, make_user: UserFactory, client: Any
) -> None:
    host, ana, ben = make_user("host"), make_user("ana"), make_user("ben")
    event_id = live_event(runtime, host)
    a = post(runtime, ana, "from ana #EdChat")
    b = post(runtime, ben, "from ben #EdChat")
    assert client.post(f"/api/v1/accounts/{ana.id}/block", headers=ben.headers).status_code == 200
    assert _shown(runtime, event_id, ben.id) == ([], [b])
    assert _shown(runtime, event_id, None) == ([], [b, a])
    # an author who blocks the host is still on the projector, so the host still moderates
    assert client.post(f"/api/v1/accounts/{host.id}/block", headers=ana.headers).status_code == 200
    view = runtime.db.read(wall.moderation_view, host.id, event_id)
    assert [v.id for v, _ in view.posts] == [b, a]
    runtime.db.write(wall.moderate, host.id, event_id, a, "hide")
    assert _shown(runtime, event_id, None) == ([], [b])
