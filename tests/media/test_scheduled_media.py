"""Images of a scheduled post, as Mastodon keeps them: held by the scheduled post (shown in
its ``media_attachments``), not removed by the clean-up of day-old unattached uploads however
far ahead it is, taken by nothing else, published with it; let go when it is cancelled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from starlette.testclient import TestClient

from staffroom.runtime import Runtime
from tests.conftest import CLOCK_START, ServerClock, User
from tests.media import images
from tests.media.helpers import upload

START = CLOCK_START



def _schedule(client: TestClient, user: User, media_ids: list[str], days: int) -> dict[str, object]:
    answer = client.post(
        "/api/v1/statuses",
        json={
            "status": "Photos from the science fair",
            "media_ids": media_ids,
            "scheduled_at": (START + timedelta(days=days)).isoformat(),
        },
        headers=user.headers,
    )
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_media_wait_for_a_post_scheduled_days_ahead(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], server_clock: ServerClock
) -> None:
    alice = make_user("alice")
    photo = upload(client, alice, images.jpeg(320, 240), description="The winning volcano").json()
    scheduled = _schedule(client, alice, [photo["id"]], days=3)
    assert [m["id"] for m in scheduled["media_attachments"]] == [photo["id"]]  # type: ignore[index]
    assert scheduled["media_attachments"][0]["description"] == "The winning volcano"  # type: ignore[index]

    other = client.post(
        "/api/v1/statuses",
        json={"status": "Mine now", "media_ids": [photo["id"]]},
        headers=alice.headers,
    )
    assert other.status_code == 422
    assert client.delete(f"/api/v1/media/{photo['id']}", headers=alice.headers).status_code == 422

    server_clock.advance(days=2)  # the day-old clean-up is due: it leaves the held image
    runtime.worker.drain()
    server_clock.advance(days=1)
    runtime.worker.drain()
    runtime.worker.drain()

    [posted] = client.get(f"/api/v1/accounts/{alice.id}/statuses").json()
    assert [m["id"] for m in posted["media_attachments"]] == [photo["id"]]
    assert client.get(posted["media_attachments"][0]["url"]).status_code == 200


def test_cancelling_lets_the_media_go(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], server_clock: ServerClock
) -> None:
    alice = make_user("alice")
    photo = upload(client, alice, images.jpeg(320, 240)).json()
    scheduled = _schedule(client, alice, [photo["id"]], days=3)
    listed = client.get("/api/v1/scheduled_statuses", headers=alice.headers).json()
    assert [m["id"] for m in listed[0]["media_attachments"]] == [photo["id"]]

    client.delete(f"/api/v1/scheduled_statuses/{scheduled['id']}", headers=alice.headers)
    reused = client.post(
        "/api/v1/statuses",
        json={"status": "Posted now", "media_ids": [photo["id"]]},
        headers=alice.headers,
    )
    assert reused.status_code == 200, reused.text  # free again, so it can be used now


def test_cancelled_and_unused_media_are_cleaned_up(
    client: TestClient, runtime: Runtime, make_user: Callable[..., User], server_clock: ServerClock
) -> None:
    alice = make_user("alice")
    photo = upload(client, alice, images.jpeg(320, 240)).json()
    scheduled = _schedule(client, alice, [photo["id"]], days=3)
    server_clock.advance(hours=1)
    client.delete(f"/api/v1/scheduled_statuses/{scheduled['id']}", headers=alice.headers)
    server_clock.advance(days=2)
    runtime.worker.drain()
    assert client.get(f"/api/v1/media/{photo['id']}", headers=alice.headers).status_code == 404
