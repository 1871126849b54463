"""Full-text search of posts through ``GET /api/v2/search``: words, phrases, prefixes,
accents, Mastodon's operators, who may find what, the index following posts (posting,
editing, deleting, scheduled posts going out) and the parameters' errors."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from starlette.testclient import TestClient

from staffroom import clock
from staffroom.runtime import Runtime
from staffroom.services.accounts import delete_account
from tests.conftest import User
from tests.media import images

Post = Callable[..., str]
Find = Callable[..., list[str]]


def test_words_phrases_prefixes_accents_and_negation(
    make_user: Callable[..., User], post: Post, find: Find
) -> None:
    me, rachel = make_user("me"), make_user("rachel")
    games = post(rachel, "Five minimal-pair games that don't feel like drills #pronunciation")
    pairs = post(rachel, "A pair of minimal changes to my lesson plan")
    spanish = post(rachel, "Una evaluación fácil para el lunes")
    warned = post(rachel, "spoilers inside", spoiler_text="Pronunciación del inglés")

    assert find(me, "minimal pair") == [pairs, games]  # every word, anywhere
    assert find(me, '"minimal pair"') == [games]  # the phrase, in order
    assert find(me, "pronun*") == [warned, games]  # a prefix; the content warning counts
    assert find(me, "evaluacion FACIL") == [spanish]  # accents and case ignored
    assert find(me, "pronunciacion") == [warned]
    assert find(me, "minimal -games") == [pairs]
    assert find(me, 'minimal -"minimal pair"') == [pairs]
    assert find(me, "#pronunciation") == [games]  # the hashtag
    assert find(me, "minimal -#pronunciation") == [pairs]
    assert find(me, "drills lunes") == []


def test_operators(
    client: TestClient, make_user: Callable[..., User], post: Post, find: Find
) -> None:
    me, ana, bo = make_user("me"), make_user("ana"), make_user("bo")
    question = post(
        ana,
        "Poll: do you teach phonics daily?",
        poll={"options": ["yes", "no"], "expires_in": 3600},
    )
    link = post(ana, "Phonics reading list https://example.org/phonics")
    reply = post(bo, "@ana phonics every morning", in_reply_to_id=question)
    sensitive = post(bo, "phonics and exams", sensitive=True)
    spanish = post(bo, "fonética phonics en clase", language="es")
    own = post(me, "my phonics notes", visibility="private")

    assert find(me, "phonics from:ana") == [link, question]
    assert find(me, "phonics from:@bo") == [spanish, sensitive, reply]
    assert find(me, "phonics from:bo@testserver") == [spanish, sensitive, reply]
    assert find(me, "phonics from:bo@elsewhere.example") == []
    assert find(me, "phonics from:me") == [own]
    assert find(me, "phonics from:nobody") == []
    assert find(me, "phonics -from:bo") == [own, link, question]
    assert find(me, "phonics has:poll") == [question]
    assert find(me, "has:link") == [link]
    assert find(me, "phonics has:media") == []
    upload = client.post(
        "/api/v1/media",
        files={"file": ("plan.png", images.png(), "image/png")},
        headers=bo.headers,
    )
    assert upload.status_code == 200, upload.text
    photo = post(bo, "phonics wall display", media_ids=[upload.json()["id"]])
    assert find(me, "phonics has:media") == [photo]
    assert find(me, "has:image from:bo") == [photo]
    assert find(me, "phonics has:video") == []
    assert photo not in find(me, "phonics -has:media")
    assert find(me, "phonics is:reply") == [reply]
    assert find(me, "phonics -is:reply from:bo") == [photo, spanish, sensitive]
    assert find(me, "is:sensitive") == [sensitive]
    assert find(me, "phonics language:es") == [spanish]
    assert find(me, "phonics language:ES-mx") == [spanish]
    today = datetime.now(UTC).date()
    assert find(me, f"phonics before:{today}") == []
    assert find(me, f"phonics after:{today - timedelta(days=1)} from:ana") == [link, question]
    assert find(me, f"phonics during:{today} from:ana") == [link, question]
    assert find(me, f"phonics after:{today}") == []
    assert find(me, "phonics in:library") == [own]  # only what I wrote or took part in
    for bad in ("has:colour", "is:cat", "in:elsewhere", "before:yesterday", "language:x"):
        answer = client.get(
            "/api/v2/search", params={"q": f"phonics {bad}", "type": "statuses"}, headers=me.headers
        )
        assert answer.status_code == 422, bad
        assert "error" in answer.json()


def test_who_may_find_what(
    client: TestClient, make_user: Callable[..., User], post: Post, find: Find
) -> None:
    me, friend, quiet = make_user("me"), make_user("friend"), make_user("quiet")
    client.post(f"/api/v1/accounts/{friend.id}/follow", headers=me.headers)
    public = post(friend, "rubric ideas")
    unlisted = post(friend, "rubric unlisted", visibility="unlisted")
    followers = post(friend, "rubric for followers", visibility="private")
    mentioned = post(friend, "@me rubric just for you", visibility="direct")
    other_dm = post(friend, "@quiet rubric secret", visibility="direct")
    hidden = post(quiet, "rubric from someone who opted out")
    assert (
        client.patch(
            "/api/v1/accounts/update_credentials",
            data={"indexable": "false"},
            headers=quiet.headers,
        ).json()["indexable"]
        is False
    )

    # Public posts of indexable people, plus the viewer's library (here: the mention).
    assert find(me, "rubric") == [mentioned, public]
    assert other_dm not in find(me, "rubric") and followers not in find(me, "rubric")
    assert find(quiet, "rubric") == [hidden, other_dm, public]  # one's own are always found
    # Taking part puts a post in one's library: favourites, bookmarks, reposts.
    client.post(f"/api/v1/statuses/{hidden}/favourite", headers=me.headers)
    client.post(f"/api/v1/statuses/{unlisted}/bookmark", headers=me.headers)
    client.post(f"/api/v1/statuses/{followers}/favourite", headers=me.headers)
    assert find(me, "rubric") == [hidden, mentioned, followers, unlisted, public]
    assert find(me, "rubric in:library") == [hidden, mentioned, followers, unlisted]
    assert find(me, "rubric in:public") == [public]
    # The visibility policy still rules: after unfollowing, the followers-only post is gone.
    client.post(f"/api/v1/accounts/{friend.id}/unfollow", headers=me.headers)
    assert followers not in find(me, "rubric")
    # Blocks and mutes hide their authors' posts.
    client.post(f"/api/v1/accounts/{friend.id}/mute", headers=me.headers)
    assert find(me, "rubric") == [hidden]
    assert find(None, "rubric") == []  # as Mastodon: posts only for a signed-in viewer


def test_the_index_follows_posts_edits_deletes_and_scheduled_posts(
    client: TestClient,
    runtime: Runtime,
    make_user: Callable[..., User],
    post: Post,
    find: Find,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    me, ana = make_user("me"), make_user("ana")
    first = post(ana, "worksheet about fractions")
    assert find(me, "fractions") == [first]
    edited = client.put(
        f"/api/v1/statuses/{first}",
        json={"status": "worksheet about decimals"},
        headers=ana.headers,
    )
    assert edited.status_code == 200, edited.text
    assert find(me, "fractions") == [] and find(me, "decimals") == [first]
    client.put(
        f"/api/v1/statuses/{first}",
        json={"status": "worksheet", "spoiler_text": "decimals"},
        headers=ana.headers,
    )
    assert find(me, "decimals") == [first]
    assert client.delete(f"/api/v1/statuses/{first}", headers=ana.headers).status_code == 200
    assert find(me, "decimals") == [] and find(me, "worksheet") == []

    now = datetime.now(UTC)
    at = now + timedelta(hours=1)
    scheduled = client.post(
        "/api/v1/statuses",
        json={"status": "scheduled percentages", "scheduled_at": at.isoformat()},
        headers=ana.headers,
    )
    assert scheduled.status_code == 200, scheduled.text
    assert find(me, "percentages") == []
    monkeypatch.setattr(clock, "now", lambda: at + timedelta(minutes=1))
    runtime.worker.drain()
    runtime.worker.drain()
    assert len(find(me, "percentages")) == 1
    reblog = client.post(
        f"/api/v1/statuses/{find(me, 'percentages')[0]}/reblog", headers=me.headers
    )
    assert reblog.status_code == 200
    assert len(find(me, "percentages")) == 1  # a repost is not a second hit

    # An account's deletion takes its posts out of the index (the cascade fires the triggers).
    runtime.db.write(delete_account, ana.id)
    assert find(me, "percentages") == []

    def consistent(conn: Any) -> bool:
        if conn.dialect.name == "sqlite":  # FTS5 compares its index with the posts' text
            check = (
                "INSERT INTO statuses_search(statuses_search, rank) VALUES ('integrity-check', 1)"
            )
            conn.execute(text(check))
        return True

    assert runtime.db.write(consistent)


def test_parameters(
    client: TestClient, make_user: Callable[..., User], post: Post, find: Find
) -> None:
    me, ana = make_user("me"), make_user("ana")
    ids = [post(ana, f"quiz number {n}") for n in range(45)]
    newest_first = ids[::-1]
    assert find(me, "quiz") == newest_first[:40]  # limit is at most 40
    assert find(me, "quiz", limit=5, offset=5) == newest_first[5:10]
    assert find(me, "quiz", limit=0) == []
    assert find(me, "quiz", limit=3, max_id=ids[10]) == [ids[9], ids[8], ids[7]]
    assert find(me, "quiz", limit=3, min_id=ids[40]) == newest_first[:3]
    assert find(me, "quiz", min_id=ids[40]) == newest_first[:4]
    assert find(me, "quiz", account_id=me.id) == []
    assert len(find(me, "quiz", account_id=ana.id)) == 40
    unknown = client.get(
        "/api/v2/search", params={"q": "quiz", "account_id": "1"}, headers=me.headers
    )
    assert unknown.status_code == 404
    everything = client.get(
        "/api/v2/search", params={"q": "quiz", "offset": 5, "limit": 2}, headers=me.headers
    ).json()
    assert [s["id"] for s in everything["statuses"]] == newest_first[:2]  # offset needs a type
    assert client.get("/api/v2/search", params={"q": "quiz", "offset": 5}).status_code == 401
    assert client.get("/api/v2/search", params={"q": ""}, headers=me.headers).status_code == 400
    assert (
        client.get(
            "/api/v2/search", params={"q": "quiz", "limit": "many"}, headers=me.headers
        ).status_code
        == 422
    )
    # A lone handle looks for people, not posts, as Mastodon.
    assert find(me, "@ana") == []


def test_postgresql_reads_the_gin_index(runtime: Runtime) -> None:
    """The expression the search writes is the one migration 0022_search indexed."""
    from sqlalchemy import select

    from staffroom.db.tables import statuses
    from staffroom.services.search_index import text_search
    from staffroom.services.search_query import parse

    def plan(conn: Any) -> str:
        if conn.dialect.name != "postgresql":
            return "ix_statuses_search (SQLite: FTS5 drives)"
        parsed = parse('"minimal pair" phon*')
        found = text_search("postgresql", parsed.must, parsed.must_not)
        savepoint = conn.begin_nested()  # (an empty table: leave the planner one index)
        conn.execute(text("DROP INDEX ix_statuses_reblog_of_id_account_id"))
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        query = select(statuses.c.id).where(*found.where)
        compiled = query.compile(conn, compile_kwargs={"literal_binds": True})
        rows = conn.execute(text(f"EXPLAIN {compiled}")).scalars()
        savepoint.rollback()
        return "\n".join(rows)

    assert "ix_statuses_search" in runtime.db.write(plan)
