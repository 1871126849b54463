"""Grouped notifications, the notification policy and requests through Mastodon.py against a
live server: ``grouped_notifications`` (with its default ``partial_avatars``),
``grouped_notification``, ``grouped_notification_accounts``,
``unread_grouped_notifications_count``, ``notifications_unread_count``,
``dismiss_grouped_notification``, ``notifications_policy`` /
``update_notifications_policy``, ``notification_requests``, ``accept_notification_request``,
``dismiss_multiple_notification_requests``, ``notifications_merged``; every JSON answer is
checked against the Mastodon OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person
from tests.e2e.harness import eventually

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def _settled(client: Mastodon, groups: int) -> Any:
    page = client.grouped_notifications()
    assert len(page.notification_groups) == groups
    return page


def test_mastodon_py_grouped_notifications(person: Callable[[str], Person], masto: Masto) -> None:
    alice = person("alice")
    as_alice = masto(alice)
    fans = [masto(person(f"fan{i}")) for i in range(3)]
    post = as_alice.status_post("Exit tickets, three ways")
    for fan in fans:
        fan.status_favourite(post["id"])
        fan.account_follow(as_alice.me()["id"])

    page = eventually(lambda: _settled(as_alice, 2))
    groups = page.notification_groups
    assert [(g.type, g.notifications_count) for g in groups] == [("follow", 3), ("favourite", 3)]
    favourites = groups[1]
    assert str(favourites.status_id) == str(post["id"])
    assert len(page.accounts) == 1 and len(page.partial_accounts) == 2
    assert as_alice.unread_grouped_notifications_count() == 2
    assert as_alice.notifications_unread_count()["count"] == 6

    one = as_alice.grouped_notification(favourites.group_key)
    assert one.notification_groups[0].notifications_count == 3
    who = as_alice.grouped_notification_accounts(favourites.group_key)
    assert [a.id for a in who] == [f.me()["id"] for f in reversed(fans)]
    as_alice.dismiss_grouped_notification(favourites.group_key)
    assert [g.type for g in as_alice.grouped_notifications().notification_groups] == ["follow"]


def test_mastodon_py_policy_and_requests(person: Callable[[str], Person], masto: Masto) -> None:
    alice = person("alice")
    as_alice = masto(alice)
    policy = as_alice.notifications_policy()
    assert policy.for_private_mentions == "filter"
    changed = as_alice.update_notifications_policy(for_not_following="filter")
    assert changed.for_not_following == "filter"

    strangers = [masto(person(f"stranger{i}")) for i in range(2)]
    for s in strangers:
        s.status_post(f"@{alice.username} a word in private", visibility="direct")

    def both_waiting() -> list[object]:
        found = as_alice.notification_requests()
        assert len(found) == 2
        return list(found)

    requests: list[Any] = eventually(both_waiting)
    assert as_alice.notifications() == []
    assert len(requests) == 2 and requests[0].notifications_count == "1"
    assert as_alice.notifications_policy().summary.pending_requests_count == 2

    as_alice.accept_notification_request(requests[0].id)
    assert as_alice.notifications_merged() is True
    assert [n.type for n in as_alice.notifications()] == ["mention"]
    as_alice.dismiss_multiple_notification_requests([requests[1].id])
    assert as_alice.notification_requests() == []
