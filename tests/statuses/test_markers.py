"""Read markers as Mastodon has them (``/api/v1/markers``): a hash keyed by timeline,
versioned (0 when made, one more at each change), 409 when another request changed a marker
meanwhile, one's own only, scopes ``read:statuses`` / ``write:statuses``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from staffroom.services import markers
from tests.conftest import User
from tests.instance.openapi import schema_errors

UserFactory = Callable[..., User]
BOTH = "/api/v1/markers?timeline[]=home&timeline[]=notifications"


def _save(client: TestClient, user: User, **positions: str) -> Any:
    body = {timeline: {"last_read_id": value} for timeline, value in positions.items()}
    return client.post("/api/v1/markers", json=body, headers=user.headers)


def _valid(body: dict[str, Any]) -> dict[str, Any]:
    """The answer as Mastodon's OpenAPI has it: a hash keyed by ``home``/``notifications``
    whose values are ``Marker`` entities (and nothing else in them)."""
    assert set(body) <= {"home", "notifications"}
    for marker in body.values():
        assert schema_errors("Marker", marker) == []
        assert set(marker) == {"last_read_id", "version", "updated_at"}
    return body


def test_create_update_and_versions(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    assert _valid(client.get(BOTH, headers=alice.headers).json()) == {}

    made = _save(client, alice, home="103206604258487607")
    assert made.status_code == 200, made.text
    home = _valid(made.json())["home"]
    assert (home["last_read_id"], home["version"]) == ("103206604258487607", 0)

    # A form post, as most clients send it: both timelines at once.
    both = client.post(
        "/api/v1/markers",
        data={"home[last_read_id]": "103206604258487700", "notifications[last_read_id]": "35"},
        headers=alice.headers,
    )
    assert both.status_code == 200, both.text
    answer = _valid(both.json())
    assert answer["home"]["version"] == 1 and answer["notifications"]["version"] == 0
    assert answer["notifications"]["last_read_id"] == "35"

    same = _save(client, alice, home="103206604258487700").json()
    assert same["home"]["version"] == 1  # nothing changed: no new version
    assert _save(client, alice, home="42").json()["home"]["version"] == 2  # backwards too

    read = _valid(client.get(BOTH, headers=alice.headers).json())
    assert {k: (v["last_read_id"], v["version"]) for k, v in read.items()} == {
        "home": ("42", 2),
        "notifications": ("35", 0),
    }
    only = client.get("/api/v1/markers?timeline[]=notifications", headers=alice.headers).json()
    assert list(only) == ["notifications"]
    assert client.get("/api/v1/markers", headers=alice.headers).json() == {}


def test_unknown_timelines_are_ignored(client: TestClient, make_user: UserFactory) -> None:
    alice = make_user("alice")
    answer = _save(client, alice, home="7", public="9")
    assert answer.status_code == 200 and list(answer.json()) == ["home"]
    nothing = _save(client, alice, lists="9")
    assert nothing.status_code == 200 and nothing.json() == {}
    got = client.get("/api/v1/markers?timeline[]=public&timeline[]=home", headers=alice.headers)
    assert list(got.json()) == ["home"]


@pytest.mark.parametrize("given", ["abc", "-5", "1.5", "99999999999999999999", ""])
def test_a_last_read_id_that_is_not_an_id_is_refused(
    client: TestClient, make_user: UserFactory, given: str
) -> None:
    alice = make_user("alice")
    answer = _save(client, alice, notifications=given)
    assert answer.status_code == 422
    assert "notifications[last_read_id]" in answer.json()["error"]
    assert client.get(BOTH, headers=alice.headers).json() == {}


def test_a_stale_version_is_a_conflict_and_saves_nothing(
    client: TestClient, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = make_user("alice")
    _save(client, alice, home="10", notifications="20")
    _save(client, alice, home="11")  # version 1
    real = markers.read_for_update

    def stale(conn: Any, account_id: int, timeline: str) -> markers.Marker | None:
        found = real(conn, account_id, timeline)
        if found is None or timeline != "home":
            return found
        # What a concurrent request read before this one's change committed.
        return markers.Marker(timeline, 10, found.version - 1, found.updated_at)

    monkeypatch.setattr(markers, "read_for_update", stale)
    answer = _save(client, alice, notifications="21", home="12")
    assert answer.status_code == 409
    assert answer.json() == {"error": "Conflict during update, please try again"}
    monkeypatch.undo()
    after = client.get(BOTH, headers=alice.headers).json()
    assert (after["home"]["last_read_id"], after["home"]["version"]) == ("11", 1)
    assert after["notifications"]["last_read_id"] == "20"  # the whole save was undone


def test_a_marker_made_meanwhile_is_a_conflict(
    client: TestClient, make_user: UserFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = make_user("alice")
    _save(client, alice, home="10")
    monkeypatch.setattr(markers, "read_for_update", lambda conn, account_id, timeline: None)
    assert _save(client, alice, home="12").status_code == 409


def test_others_markers_are_invisible(client: TestClient, make_user: UserFactory) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    _save(client, alice, home="10", notifications="20")
    assert client.get(BOTH, headers=bob.headers).json() == {}
    assert _save(client, bob, home="5").json()["home"]["version"] == 0
    assert client.get(BOTH, headers=alice.headers).json()["home"]["last_read_id"] == "10"


def test_scopes(client: TestClient, make_user: UserFactory) -> None:
    reader = make_user("reader", scopes="read:statuses")
    writer = make_user("writer", scopes="write:statuses")
    notifications_only = make_user("notes", scopes="read:notifications")
    assert client.get(BOTH, headers=reader.headers).status_code == 200
    assert _save(client, reader, home="1").status_code == 403
    assert _save(client, writer, home="1").status_code == 200
    assert client.get(BOTH, headers=writer.headers).status_code == 403
    assert client.get(BOTH, headers=notifications_only.headers).status_code == 403
    assert client.get(BOTH).status_code == 401
    assert client.post("/api/v1/markers", json={"home": {"last_read_id": "1"}}).status_code == 401


def test_a_change_reaches_the_persons_other_streams(
    client: TestClient, make_user: UserFactory
) -> None:
    """``staffroom.marker`` (a Staffroom extension: Mastodon has no marker event) on the
    ``user`` and ``user:notification`` streams of the marker's owner, for tokens that may read
    markers; not for anyone else, not when nothing changed."""
    from tests.streaming.conftest import receive_json, settle

    alice, bob = make_user("alice"), make_user("bob")
    url = "/api/v1/streaming"
    with (
        client.websocket_connect(url, subprotocols=[alice.token]) as mine,
        client.websocket_connect(url, subprotocols=[bob.token]) as theirs,
    ):
        mine.send_json({"type": "subscribe", "stream": "user:notification"})
        theirs.send_json({"type": "subscribe", "stream": "user"})
        settle(mine)
        settle(theirs)
        _save(client, alice, notifications="20")
        frame = receive_json(mine)
        assert (frame["event"], frame["stream"]) == ("staffroom.marker", ["user:notification"])
        payload = json.loads(frame["payload"])
        assert _valid(payload)["notifications"]["last_read_id"] == "20"
        _save(client, alice, notifications="20")  # unchanged: nothing streamed
        _save(client, alice, home="30")
        assert json.loads(receive_json(mine)["payload"])["home"]["version"] == 0
        settle(theirs)  # bob's first frame is the barrier's answer: he heard nothing


def test_a_token_that_may_not_read_markers_hears_nothing() -> None:
    from staffroom.streaming.streams import resolve

    spec = resolve("user:notification", {}, account_id=1, scopes=frozenset({"read:notifications"}))
    assert spec.notifications and not spec.markers
    full = resolve("user:notification", {}, account_id=1, scopes=frozenset({"read"}))
    assert full.markers
