"""Following by name and the home, hashtag and public timelines, paged to the end."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from mastodon import Mastodon

from tests.e2e.clients import Person, Toot
from tests.e2e.harness import Conformance, LiveServer, eventually

pytestmark = pytest.mark.e2e

Masto = Callable[[Person], Mastodon]


def walk(client: Mastodon, page: Any, limit: int = 2) -> list[str]:
    """Every ID from ``page`` onwards via ``fetch_next``; pages are never over ``limit``."""
    ids: list[str] = []
    for _ in range(100):
        if not page:
            return ids
        assert len(page) <= limit
        ids.extend(str(item["id"]) for item in page)
        page = client.fetch_next(page)
    raise AssertionError(f"pagination did not end: {ids}")


def newest_first(*statuses: Any) -> list[str]:
    return [str(s["id"]) for s in sorted(statuses, key=lambda s: int(s["id"]), reverse=True)]


def in_home(client: Mastodon, *statuses: Any) -> None:
    """Wait until ``statuses`` have been delivered to the client's home timeline."""

    def check() -> None:
        home = {str(s["id"]) for s in client.timeline_home(limit=40)}
        missing = {str(s["id"]) for s in statuses} - home
        assert not missing, f"not (yet) in home: {missing}"

    eventually(check)


def printed_once(output: str, markers: list[str]) -> None:
    for marker in markers:
        assert output.count(marker) == 1, (
            f"{marker!r} shown {output.count(marker)} times:\n{output}"
        )


def test_follow_by_name_with_toot(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob = person("alice"), person("bob")
    as_alice, as_bob = masto(alice), masto(bob)
    earlier = as_bob.status_post("Posted before anyone followed me")
    done = toot(alice).run("follow", bob.username)
    assert f"You are now following {bob.username}" in done.stdout
    relationship = as_alice.account_relationships(bob.id)[0]
    assert relationship["following"] and not relationship["followed_by"]
    assert [a["id"] for a in as_bob.account_followers(bob.id)] == [alice.id]
    assert as_alice.me()["following_count"] == 1
    # Following brings the account's recent posts into the home timeline.
    in_home(as_alice, earlier)
    assert "Posted before anyone followed me" in toot(alice).run("timeline", "--once").stdout


def test_home_timeline_pages(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob, carol, dave = (person(n) for n in ("alice", "bob", "carol", "dave"))
    as_alice, as_bob, as_carol, as_dave = (masto(p) for p in (alice, bob, carol, dave))
    as_alice.account_follow(bob.id)
    as_alice.account_follow(carol.id)
    run = uuid.uuid4().hex[:6]
    expected = [
        as_bob.status_post(f"home-{run}-1 bob"),
        as_carol.status_post(f"home-{run}-2 carol"),
        as_alice.status_post(f"home-{run}-3 alice herself"),
        as_bob.status_post(f"home-{run}-4 bob for followers", visibility="private"),
    ]
    # Not for alice: dave is not followed; the DM is to dave. Posted before the last
    # expected ones, so they are delivered (or not) by the time those arrive.
    as_dave.status_post(f"home-{run}-x dave is not followed")
    as_bob.status_post(f"@{dave.username} home-{run}-y a DM to dave", visibility="direct")
    expected += [
        as_carol.status_post(f"home-{run}-5 carol unlisted", visibility="unlisted"),
        as_bob.status_post(f"home-{run}-6 bob again"),
        as_carol.status_post(f"home-{run}-7 carol again"),
    ]

    in_home(as_alice, *expected)
    first_page = as_alice.timeline_home(limit=2)
    ids = walk(as_alice, first_page)
    assert ids == newest_first(*expected)
    assert len(set(ids)) == len(ids)
    # "Load newer" from the first page (rel="prev", min_id) brings only what came since.
    newer = as_carol.status_post(f"home-{run}-8 carol, later")
    in_home(as_alice, newer)
    newer_page = as_alice.fetch_previous(first_page)
    assert newer_page is not None and [s["id"] for s in newer_page] == [newer["id"]]
    shown = toot(alice).run("timelines", "home", "--limit", "2", "--pager", "--no-clear").stdout
    printed_once(shown, [f"home-{run}-{n}" for n in range(1, 9)])
    assert f"home-{run}-x" not in shown and f"home-{run}-y" not in shown


def test_hashtag_timeline_pages(
    person: Callable[[str], Person], masto: Masto, toot: Callable[[Person], Toot]
) -> None:
    alice, bob, carol = person("alice"), person("bob"), person("carol")
    as_alice, as_bob, as_carol = masto(alice), masto(bob), masto(carol)
    tag = f"ed{uuid.uuid4().hex[:8]}"
    expected = [
        as_alice.status_post(f"tp1-{tag} #{tag}"),
        as_bob.status_post(f"tp2-{tag} #{tag.upper()}"),
        as_carol.status_post(f"tp3-{tag} #{tag} and #other"),
        as_bob.status_post(f"tp4-{tag} #{tag}"),
        as_alice.status_post(f"tp5-{tag} #{tag.capitalize()}"),
    ]
    as_carol.status_post(f"unlisted #{tag}", visibility="unlisted")
    as_carol.status_post(f"followers only #{tag}", visibility="private")
    as_bob.status_post(f"no tag here {tag}")

    ids = walk(as_alice, as_alice.timeline_hashtag(tag, limit=2))
    assert ids == newest_first(*expected)
    assert walk(as_bob, as_bob.timeline_hashtag(tag.upper(), limit=2)) == ids
    cli = toot(carol)
    shown = cli.run("timelines", "tag", tag, "--limit", "2", "--pager", "--no-clear").stdout
    printed_once(shown, [f"tp{n}-{tag}" for n in range(1, 6)])
    legacy = cli.run("timeline", "--tag", tag, "--once", "--count", "20").stdout
    printed_once(legacy, [f"tp{n}-{tag}" for n in range(1, 6)])
    assert "unlisted" not in legacy + shown and "followers only" not in legacy + shown


def test_public_timeline_pages(
    isolated_server: LiveServer,
    conformance: Conformance,
    person: Callable[[str], Person],
    masto: Masto,
    toot: Callable[[Person], Toot],
) -> None:
    alice, bob, carol = person("alice"), person("bob"), person("carol")
    as_alice, as_bob, as_carol = masto(alice), masto(bob), masto(carol)
    expected = [
        as_alice.status_post("public one"),
        as_bob.status_post("public two"),
        as_carol.status_post("public three"),
        as_bob.status_post("public four"),
        as_alice.status_post("public five"),
    ]
    as_carol.status_post("quiet unlisted", visibility="unlisted")
    as_bob.status_post("quiet followers-only", visibility="private")
    as_alice.status_post(f"@{bob.username} quiet direct", visibility="direct")

    ids = walk(as_carol, as_carol.timeline_public(limit=2))
    assert ids == newest_first(*expected)
    assert walk(as_carol, as_carol.timeline_public(limit=2, local=True)) == ids
    anonymous = Mastodon(api_base_url=isolated_server.url, session=conformance.session())
    assert walk(anonymous, anonymous.timeline_public(limit=2)) == ids

    shown = toot(alice).run("timeline", "--public", "--once", "--count", "20").stdout
    printed_once(shown, ["public one", "public two", "public three", "public four", "public five"])
    assert "quiet" not in shown
