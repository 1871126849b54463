"""Search with real clients against a live server: Mastodon.py's ``search_v2`` and ``toot
search``, phrases, prefixes and operators; every JSON answer is checked against the Mastodon
OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person, Toot

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_mastodon_py_search_v2(person: Callable[[str], Person], masto: Masto) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice, as_bob = masto(alice), masto(bob)
    games = as_alice.status_post("Five minimal-pair games for #pronunciation practice")
    pairs = as_alice.status_post("A pair of minimal changes to my lesson")
    secret = as_alice.status_post("minimal pair secrets", visibility="private")

    phrase = as_bob.search_v2('"minimal pair"', result_type="statuses")
    assert [s["id"] for s in phrase["statuses"]] == [games["id"]]
    words = as_bob.search_v2("minimal pair", result_type="statuses")
    assert [s["id"] for s in words["statuses"]] == [pairs["id"], games["id"]]
    assert secret["id"] not in [s["id"] for s in words["statuses"]]
    mine = as_alice.search_v2("minimal from:me", result_type="statuses", limit=2)
    assert [s["id"] for s in mine["statuses"]] == [secret["id"], pairs["id"]]
    older = as_alice.search_v2("minimal", result_type="statuses", max_id=pairs["id"])
    assert [s["id"] for s in older["statuses"]] == [games["id"]]
    by_author = as_bob.search_v2("pronun*", result_type="statuses", account_id=alice.id)
    assert [s["id"] for s in by_author["statuses"]] == [games["id"]]
    everything = as_bob.search_v2("pronunciation")
    assert [t["name"] for t in everything["hashtags"]] == ["pronunciation"]
    assert [s["id"] for s in everything["statuses"]] == [games["id"]]


def test_toot_search_finds_a_phrase(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob = person("alice"), person("bob")
    # The live server is shared by the module's tests: words of this test's own.
    post = masto(alice).status_post("Five quasiminimal-pair gamesque that don't feel like drills")
    other = masto(alice).status_post("Quasiminimal marking, pair of maximal feedback")

    found = toot(bob).json("search", '"quasiminimal pair"', "--type", "statuses")
    assert [s["id"] for s in found["statuses"]] == [str(post["id"])]
    shown = toot(bob).run("search", "gamesque quasimin*").stdout
    assert str(post["id"]) in shown and str(other["id"]) not in shown
