"""Who to follow with Mastodon.py against a live server: ``suggestions`` (v2, with Mastodon's
``sources``), ``suggestions_v1`` and ``suggestion_delete``; every JSON answer is checked
against the Mastodon OpenAPI description."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person
from tests.e2e.harness import eventually

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def _by_id(found: list[Any]) -> dict[str, Any]:
    return {str(s["account"]["id"]): s for s in found}


def test_mastodon_py_suggestions(person: Callable[[str], Person], masto: Masto) -> None:
    alice, bob, carol, dan = person("alice"), person("bob"), person("carol"), person("dan")
    as_alice, as_bob, as_carol, as_dan = masto(alice), masto(bob), masto(carol), masto(dan)
    as_carol.status_post("Notes from today's workshop")
    as_dan.status_post("Hello")
    as_bob.account_follow(carol.id)
    as_alice.account_follow(bob.id)

    def carol_is_suggested() -> None:
        found = _by_id(as_alice.suggestions_v2())
        assert str(carol.id) in found
        assert found[str(carol.id)]["sources"] == ["friends_of_friends"]
        assert found[str(carol.id)]["source"] == "past_interactions"
        assert str(bob.id) not in found  # already followed

    eventually(carol_is_suggested)
    assert str(carol.id) in {str(a["id"]) for a in as_alice.suggestions()}
    assert str(carol.id) in {str(a["id"]) for a in as_alice.suggestions_v1()}

    as_alice.suggestion_delete(carol.id)
    as_alice.account_follow(dan.id)
    as_alice.account_unfollow(dan.id)
    assert str(carol.id) not in _by_id(as_alice.suggestions_v2())
    assert str(carol.id) not in {str(a["id"]) for a in as_alice.suggestions_v1()}
