"""Direct conversations through Mastodon.py: ``conversations()`` (with paging),
``conversations_read()``, removal, and nobody else's; every JSON answer is checked against the
Mastodon OpenAPI description by the recording proxy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import requests
from mastodon import Mastodon

from tests.e2e.clients import Person
from tests.e2e.harness import eventually

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def _only(client: Mastodon, last_status_id: Any) -> Any:
    found = client.conversations()
    assert [c["last_status"]["id"] for c in found] == [last_status_id], found
    return found[0]


def test_mastodon_py_conversations(person: Callable[[str], Person], masto: Masto) -> None:
    alice, bob, carol = person("alice"), person("bob"), person("carol")
    as_alice, as_bob, as_carol = masto(alice), masto(bob), masto(carol)

    first = as_alice.status_post(f"@{bob.username} cover for me on Friday?", visibility="direct")
    # Conversations are filled by background delivery (as in Mastodon): wait for it.
    theirs = eventually(lambda: _only(as_bob, first["id"]))
    assert theirs["unread"] is True
    assert [a["id"] for a in theirs["accounts"]] == [alice.id]
    mine = _only(as_alice, first["id"])
    assert mine["unread"] is False and [a["id"] for a in mine["accounts"]] == [bob.id]

    read = as_bob.conversations_read(theirs["id"])
    assert read["id"] == theirs["id"] and read["unread"] is False
    assert as_bob.conversations()[0]["unread"] is False

    reply = as_bob.status_post(
        f"@{alice.username} yes, happy to", visibility="direct", in_reply_to_id=first["id"]
    )
    again = eventually(lambda: _only(as_alice, reply["id"]))
    assert again["id"] == mine["id"] and again["unread"] is True
    assert as_carol.conversations() == []

    # Paging: Mastodon.py follows the Link header to older conversations.
    other = as_alice.status_post(f"@{carol.username} lunch?", visibility="direct")
    eventually(lambda: _only(as_carol, other["id"]))
    page = as_alice.conversations(limit=1)
    assert [c["last_status"]["id"] for c in page] == [other["id"]]
    older = as_alice.fetch_next(page)
    assert older is not None and [c["last_status"]["id"] for c in older] == [reply["id"]]

    # Removing (Mastodon.py has no call for it: the plain API) hides it until the next post.
    gone = requests.delete(
        f"{as_bob.api_base_url}/api/v1/conversations/{theirs['id']}",
        headers={"Authorization": f"Bearer {as_bob.access_token}"},
        timeout=10,
    )
    assert gone.status_code == 200
    assert as_bob.conversations() == []
    last = as_alice.status_post(
        f"@{bob.username} thanks!", visibility="direct", in_reply_to_id=reply["id"]
    )
    back = eventually(lambda: _only(as_bob, last["id"]))
    assert back["unread"] is True and back["id"] != theirs["id"]
