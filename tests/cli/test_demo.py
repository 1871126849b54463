"""``staffroom demo`` / ``fill_demo`` against a real database, checked row by row."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import Connection, func, select

from staffroom.cli import demo_events
from staffroom.cli.demo import demo, fill_demo
from staffroom.cli.demo_content import ADMIN_USERNAME, DEMO_PASSWORD, PEOPLE, SINGLES, THREADS
from staffroom.config import Settings
from staffroom.db import Database, create_database
from staffroom.db.tables import (
    account_interests,
    accounts,
    favourites,
    follows,
    home_feed,
    mentions,
    notifications,
    statuses,
    users,
)
from staffroom.services.passwords import verify_password
from staffroom.text import weighted_length
from tests.conftest import DatabaseFactory, User


def _walk(post: Any) -> Iterator[Any]:
    yield post
    for reply in post.replies:
        yield from _walk(reply)


POST_COUNT = sum(1 for root in SINGLES + THREADS for _ in _walk(root))
EVENT_POSTS = demo_events.POST_COUNT  # the events' announcements and last week's chat


@dataclass
class Filled:
    url: str
    db: Database
    output: str


def count(conn: Connection, table: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def cli_env(database_url: str, data_dir: Path) -> dict[str, str]:
    return {
        "STAFFROOM_DATABASE_URL": database_url,
        "STAFFROOM_DATA_DIR": str(data_dir),
        "STAFFROOM_BASE_URL": "http://testserver",
    }


@pytest.fixture(scope="module")
def filled(
    database_factory: DatabaseFactory, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Filled]:
    """One empty database filled once by ``staffroom demo``, shared by the read-only tests."""
    url = database_factory.fresh()
    env = cli_env(url, tmp_path_factory.mktemp("demo-data"))
    result = CliRunner().invoke(demo, [], env=env)
    assert result.exit_code == 0, result.output
    db = create_database(url, pool_size=1)
    yield Filled(url, db, result.output)
    db.dispose()


def test_prints_the_shared_password_and_an_admin_login(filled: Filled) -> None:
    assert f"password is: {DEMO_PASSWORD}" in filled.output
    assert f"Admin login: {ADMIN_USERNAME}@demo.staffroom.test / {DEMO_PASSWORD}" in filled.output
    assert f"{len(PEOPLE)} accounts, {POST_COUNT} posts" in filled.output


def test_accounts_profiles_and_logins(filled: Filled) -> None:
    def read(conn: Connection) -> tuple[Sequence[Any], int]:
        rows = conn.execute(
            select(accounts, users.c.email, users.c.admin, users.c.password_hash).join(
                users, users.c.account_id == accounts.c.id
            )
        ).all()
        return rows, count(conn, account_interests)

    rows, interests = filled.db.read(read)
    by_name = {row.username: row for row in rows}
    assert set(by_name) == {p.username for p in PEOPLE}
    for person in PEOPLE:
        row = by_name[person.username]
        assert row.display_name == person.display_name
        assert row.note == person.bio
        assert 'class="mention hashtag"' in row.note_html
        assert row.email == person.email
        assert row.admin is (person.username == ADMIN_USERNAME)
    assert interests == sum(len(p.interests) for p in PEOPLE)
    assert verify_password(by_name["marta_elt"].password_hash, DEMO_PASSWORD)


def test_posts_fit_and_threads_are_linked(filled: Filled) -> None:
    rows = filled.db.read(lambda c: c.execute(select(statuses)).all())
    originals = [r for r in rows if r.reblog_of_id is None]
    assert len(originals) == POST_COUNT + EVENT_POSTS
    assert all(weighted_length(r.text) <= 140 for r in originals)
    by_id = {r.id: r for r in rows}

    def depth(row: Any) -> int:
        return 1 if row.in_reply_to_id is None else 1 + depth(by_id[row.in_reply_to_id])

    assert max(depth(r) for r in originals) == 4
    for row in originals:
        if row.in_reply_to_id is not None:
            parent = by_id[row.in_reply_to_id]
            assert row.in_reply_to_account_id == parent.account_id
            assert row.id > parent.id  # posted after what it answers
    visibilities = Counter(r.visibility for r in originals)
    assert visibilities[1] >= 2 and visibilities[2] >= 2  # unlisted, followers-only
    reblogs = [r for r in rows if r.reblog_of_id is not None]
    assert len(reblogs) >= 20
    assert all(by_id[r.reblog_of_id].visibility == 0 for r in reblogs)
    assert all(
        'href="http://testserver/tags/' in r.content_html for r in originals if "#" in r.text
    )


def test_account_counters_match_rows(filled: Filled) -> None:
    def read(conn: Connection) -> tuple[Sequence[Any], Sequence[Any], Sequence[Any]]:
        return (
            conn.execute(select(accounts)).all(),
            conn.execute(select(follows.c.account_id, follows.c.target_account_id)).all(),
            conn.execute(select(statuses.c.account_id)).all(),
        )

    rows, follow_rows, status_rows = filled.db.read(read)
    followers = Counter(target for _, target in follow_rows)
    following = Counter(source for source, _ in follow_rows)
    posted = Counter(author for (author,) in status_rows)
    assert 250 <= len(follow_rows) <= 600
    for row in rows:
        assert row.followers_count == followers[row.id], row.username
        assert row.following_count == following[row.id], row.username
        assert row.statuses_count == posted[row.id], row.username
        assert row.followers_count > 0, row.username


def test_status_counters_match_rows(filled: Filled) -> None:
    def read(conn: Connection) -> tuple[Sequence[Any], Sequence[Any]]:
        return (
            conn.execute(select(statuses)).all(),
            conn.execute(select(favourites.c.status_id)).all(),
        )

    rows, fav_rows = filled.db.read(read)
    replies = Counter(r.in_reply_to_id for r in rows if r.in_reply_to_id)
    reblogs = Counter(r.reblog_of_id for r in rows if r.reblog_of_id)
    faves = Counter(status_id for (status_id,) in fav_rows)
    assert len(fav_rows) >= 200
    for row in rows:
        assert row.replies_count == replies[row.id]
        assert row.reblogs_count == reblogs[row.id]
        assert row.favourites_count == faves[row.id]


def test_notifications_mentions_and_home_timelines(filled: Filled) -> None:
    def read(conn: Connection) -> tuple[Counter[str], int, int, int]:
        kinds: Counter[str] = Counter(
            {
                kind: n
                for kind, n in conn.execute(
                    select(notifications.c.type, func.count()).group_by(notifications.c.type)
                )
            }
        )
        return kinds, count(conn, mentions), count(conn, home_feed), count(conn, follows)

    kinds, mention_rows, feed_rows, follow_rows = filled.db.read(read)
    assert kinds["follow"] == follow_rows
    assert kinds["mention"] >= 80 and kinds["favourite"] >= 150 and kinds["reblog"] >= 20
    assert mention_rows >= 90
    assert feed_rows > POST_COUNT  # posts reached followers' home timelines


def test_followers_only_posts_reach_only_followers(filled: Filled) -> None:
    def read(conn: Connection) -> list[tuple[int, int, set[int], set[int]]]:
        found = []
        for status_id, author in conn.execute(
            select(statuses.c.id, statuses.c.account_id).where(statuses.c.visibility == 2)
        ):
            readers = set(
                conn.execute(
                    select(home_feed.c.account_id).where(home_feed.c.status_id == status_id)
                ).scalars()
            )
            fans = set(
                conn.execute(
                    select(follows.c.account_id).where(follows.c.target_account_id == author)
                ).scalars()
            )
            found.append((status_id, author, readers, fans))
        return found

    private = filled.db.read(read)
    assert len(private) >= 2
    for _, author, readers, fans in private:
        assert readers == fans | {author}


def test_demo_twice_is_refused_and_changes_nothing(filled: Filled, tmp_path: Path) -> None:
    url = filled.url
    before = filled.db.read(count, statuses)

    plain = CliRunner().invoke(demo, [], env=cli_env(url, tmp_path))
    forced = CliRunner().invoke(demo, ["--force"], env=cli_env(url, tmp_path))

    assert plain.exit_code == 1
    assert f"already has {len(PEOPLE)} account(s)" in plain.output
    assert "--force" in plain.output
    assert forced.exit_code == 1
    assert "The demo accounts already exist" in forced.output
    assert filled.db.read(count, statuses) == before


def test_fill_demo_skips_an_instance_with_accounts(
    settings: Settings, make_user: Callable[..., User]
) -> None:
    make_user("alice")

    assert fill_demo(settings, only_if_empty=True) is None

    db = create_database(settings.database_url, pool_size=1)
    try:
        assert db.read(count, accounts) == 1
        assert db.read(count, statuses) == 0
    finally:
        db.dispose()


def test_directory_listings_and_starter_packs(filled: Filled) -> None:
    """Most demo people are in the directory with their fields; three starter packs hold
    people with reasons, each of whom was told they were added."""
    from staffroom.cli.demo_network import LISTINGS, PACKS
    from staffroom.db.tables import (
        collection_items,
        collections,
        directory_entries,
        directory_field_values,
    )

    def check(conn: Connection) -> None:
        listed = {
            row.username
            for row in conn.execute(
                select(accounts.c.username).join(
                    directory_entries, directory_entries.c.account_id == accounts.c.id
                )
            )
        }
        assert listed == set(LISTINGS)
        elt = conn.execute(
            select(func.count()).where(
                directory_field_values.c.field == "subject",
                directory_field_values.c.value == "elt",
            )
        ).scalar_one()
        assert elt == sum(1 for listing in LISTINGS.values() if "elt" in listing[0])
        packs = {row.name: row.id for row in conn.execute(select(collections))}
        assert set(packs) == {name for _, name, *_ in PACKS}
        for _, name, _, _, members in PACKS:
            reasons = conn.execute(
                select(collection_items.c.reason).where(
                    collection_items.c.collection_id == packs[name]
                )
            ).scalars()
            assert sorted(reasons) == sorted(reason for _, reason in members)
        told = conn.execute(
            select(func.count()).where(notifications.c.type == "added_to_collection")
        ).scalar_one()
        assert told == sum(len(members) for *_, members in PACKS)

    filled.db.read(check)
    assert "people in the directory" in filled.output


def test_demo_events_a_series_a_past_chat_and_a_conference(filled: Filled) -> None:
    from staffroom.db.tables_events import event_rsvps, events

    rows = filled.db.read(lambda c: c.execute(select(events)).all())
    chats = [r for r in rows if r.hashtag == "ELTChat"]
    assert any(r.topic_state == "decided" and r.series_id for r in chats)  # last week's
    assert sum(1 for r in chats if r.series_id and r.topic is None) >= 4  # coming up
    conference = [r for r in rows if r.kind == "conference"]
    assert len(conference) == 1
    assert sum(1 for r in rows if r.parent_id == conference[0].id) == 2
    rsvps = filled.db.read(lambda c: c.execute(select(event_rsvps)).all())
    assert sum(1 for r in rsvps if r.private) == 1 and len(rsvps) >= 5
