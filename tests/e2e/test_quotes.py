"""Quote posts with a real client: Mastodon.py's ``status_post(quoted_status_id=...)``,
``status_quotes``, ``status_quote_revoke`` and ``status_update_quote_approval_policy``
against a live server; every JSON answer is checked against the Mastodon OpenAPI
description."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from mastodon import Mastodon, MastodonAPIError

from tests.e2e.clients import Person

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_mastodon_py_quotes_lists_and_revokes(
    person: Callable[[str], Person], masto: Masto
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice, as_bob = masto(alice), masto(bob)
    original = as_alice.status_post("Retrieval practice works", quote_approval_policy="public")
    assert original["quote_approval"]["automatic"] == ["public"]

    quote = as_bob.status_post("Agreed, with low stakes", quoted_status_id=original["id"])
    assert quote["quote"]["state"] == "accepted"
    assert quote["quote"]["quoted_status"]["id"] == original["id"]
    assert [s["id"] for s in as_alice.status_quotes(original["id"])] == [quote["id"]]
    kinds = [(n["type"], n["status"]["id"]) for n in as_alice.notifications()]
    assert ("quote", quote["id"]) in kinds

    revoked = as_alice.status_quote_revoke(original["id"], quote["id"])
    assert revoked["quote"]["state"] == "revoked" and revoked["quote"]["quoted_status"] is None
    assert as_alice.status(original["id"])["quotes_count"] == 0

    closed = as_alice.status_update_quote_approval_policy(original["id"], "nobody")
    assert closed["quote_approval"]["automatic"] == []
    with pytest.raises(MastodonAPIError):
        as_bob.status_post("Again", quoted_status_id=original["id"])
