"""Posting, replies and threads, limits, unknown IDs, idempotency."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from mastodon import Mastodon, MastodonAPIError, MastodonNotFoundError

from tests.e2e.clients import Person, Toot
from tests.e2e.harness import LiveServer

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def test_post_with_mastodon_py(
    person: Callable[[str], Person], masto: Masto, server: LiveServer
) -> None:
    alice = person("alice")
    client = masto(alice)
    posted = client.status_post("Marking season again #assessment", visibility="public")
    assert posted["account"]["id"] == alice.id
    assert "Marking season again" in posted["content"]
    assert [t["name"] for t in posted["tags"]] == ["assessment"]
    assert posted["visibility"] == "public"
    assert posted["url"] == f"{server.url}/@{alice.username}/{posted['id']}"
    fetched = client.status(posted["id"])
    assert (fetched["id"], fetched["content"]) == (posted["id"], posted["content"])
    assert client.me()["statuses_count"] == 1


def test_post_with_toot(
    person: Callable[[str], Person], toot: Callable[[Person], Toot], masto: Masto
) -> None:
    alice = person("alice")
    cli = toot(alice)
    shown = cli.run("post", "Hello from the staffroom kettle")
    match = re.search(r"Toot posted: (\S+/@" + alice.username + r"/(\d+))", shown.stdout)
    assert match, shown.stdout
    as_json = cli.json("post", "Second cup of tea")
    assert "Second cup of tea" in as_json["content"]
    mine = masto(alice).account_statuses(alice.id)
    assert [s["id"] for s in mine] == [as_json["id"], match.group(2)]


def test_reply_and_thread(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice, as_bob = masto(alice), masto(bob)
    root = as_alice.status_post("Anyone tried retrieval practice with year 9?")
    reply = as_bob.status_post(f"@{alice.username} yes, weekly quizzes", in_reply_to_id=root["id"])
    answer = as_alice.status_post(f"@{bob.username} thanks!", in_reply_to_id=reply["id"])
    assert (reply["in_reply_to_id"], reply["in_reply_to_account_id"]) == (root["id"], alice.id)
    assert answer["in_reply_to_id"] == reply["id"]
    assert [m["id"] for m in reply["mentions"]] == [alice.id]

    context = as_bob.status_context(root["id"])
    assert context["ancestors"] == []
    assert [s["id"] for s in context["descendants"]] == [reply["id"], answer["id"]]
    context = as_bob.status_context(answer["id"])
    assert [s["id"] for s in context["ancestors"]] == [root["id"], reply["id"]]
    assert as_bob.status(root["id"])["replies_count"] == 1

    thread = toot(bob).run("thread", reply["id"]).stdout
    for text in ("retrieval practice", "weekly quizzes", "thanks!"):
        assert text in thread


def test_over_long_post_is_422(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice = person("alice")
    client = masto(alice)
    assert client.status_post("x" * 140)["id"]
    # Links count as 23 characters whatever their length (here 134 of 140).
    assert client.status_post("l" * 110 + " https://example.org/" + "a" * 60)["id"]
    with pytest.raises(MastodonAPIError) as caught:
        client.status_post("y" * 141)
    status, message = caught.value.args[1], caught.value.args[3]
    assert status == 422
    assert "140" in message and "Validation failed" in message, message
    failed = toot(alice).run("post", "z" * 141, ok=False)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert "140" in failed.stderr, failed.stderr
    assert len(client.account_statuses(alice.id)) == 2  # nothing half-written


def test_unknown_ids_are_404(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice = person("alice")
    client = masto(alice)
    missing = "123456789012345678"
    calls: list[tuple[str, tuple[str, ...], dict[str, str]]] = [
        ("status", (missing,), {}),
        ("status", ("not-a-number",), {}),
        ("status", ("99999999999999999999999",), {}),  # beyond 64 bits
        ("status_context", (missing,), {}),
        ("status_favourite", (missing,), {}),
        ("status_post", ("reply to nothing",), {"in_reply_to_id": missing}),
        ("account", (missing,), {}),
        ("account", ("99999999999999999999999",), {}),
        ("account_follow", (missing,), {}),
    ]
    for name, args, kwargs in calls:
        with pytest.raises(MastodonNotFoundError):
            getattr(client, name)(*args, **kwargs)
            pytest.fail(f"{name}{args} {kwargs} did not raise MastodonNotFoundError")
    failed = toot(alice).run("thread", missing, ok=False)
    assert failed.returncode != 0 and "Traceback" not in failed.stderr
    assert "not found" in failed.stderr.lower(), failed.stderr


def test_idempotency_key_returns_the_same_status(
    person: Callable[[str], Person], masto: Masto
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice = masto(alice)
    first = as_alice.status_post("Only once, please", idempotency_key="e2e-key-1")
    again = as_alice.status_post("Only once, please", idempotency_key="e2e-key-1")
    other = as_alice.status_post("Only once, please", idempotency_key="e2e-key-2")
    assert again["id"] == first["id"]
    assert other["id"] != first["id"]
    # Keys belong to an account: bob using the same key posts his own status.
    bobs = masto(bob).status_post("Only once, please", idempotency_key="e2e-key-1")
    assert bobs["id"] != first["id"] and bobs["account"]["id"] == bob.id
    assert [s["id"] for s in as_alice.account_statuses(alice.id)] == [other["id"], first["id"]]


def test_pin_with_toot_and_mastodon_py(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice = masto(alice)
    intro = as_alice.status_post("About me: EFL teacher, Porto")
    notes = as_alice.status_post("Notes from today's #ELTChat")

    shown = toot(alice).run("pin", intro["id"])
    pinned = as_alice.status_pin(notes["id"])

    assert "pinned" in shown.stdout.lower(), shown.stdout
    assert pinned["pinned"] is True
    featured = masto(bob).account_statuses(alice.id, pinned=True)
    assert [s["id"] for s in featured] == [notes["id"], intro["id"]]
    assert as_alice.status_unpin(intro["id"])["pinned"] is False
    assert [s["id"] for s in as_alice.account_statuses(alice.id, pinned=True)] == [notes["id"]]
    with pytest.raises(MastodonAPIError, match="Only your own posts"):
        masto(bob).status_pin(notes["id"])
