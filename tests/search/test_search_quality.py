"""Search quality on the demo network (``staffroom demo``): a table of queries and the posts
each must find, for a newcomer who follows nobody and took part in nothing, so what they
find is exactly the public posts of the demo's people (all of whom allow search) that match.

The expected hits are computed from the demo's own posts by a plain-Python reading of each
query (words, phrases, prefixes, hashtags, authors, replies, links), so the table says what
a person would expect, independently of the index."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Connection, select

from staffroom.cli.demo import fill_demo
from staffroom.config import Settings
from staffroom.db.tables import accounts, status_tags, statuses, tags
from staffroom.runtime import Runtime
from tests.conftest import User

Find = Callable[..., list[str]]


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text.lower())
    return re.findall(r"\w+", "".join(c for c in plain if not unicodedata.combining(c)))


def _has_phrase(text: str, phrase: str) -> bool:
    words, wanted = _words(text), _words(phrase)
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


# query -> which public demo post (a row: text, author, reply?, tags) it must find
QUERIES: list[tuple[str, Callable[[Any], bool]]] = [
    ('"minimal-pair games"', lambda p: _has_phrase(p.text, "minimal pair games")),
    ("homework retrieval", lambda p: {"homework", "retrieval"} <= set(_words(p.text))),
    ("retriev*", lambda p: any(w.startswith("retriev") for w in _words(p.text))),
    ("RETRIEVAL", lambda p: "retrieval" in _words(p.text)),
    (
        "homework -retrieval",
        lambda p: "homework" in _words(p.text) and "retrieval" not in _words(p.text),
    ),
    ("#ELTChat", lambda p: "eltchat" in p.tags),
    ("#ELTChat pronunciation", lambda p: "eltchat" in p.tags and "pronunciation" in _words(p.text)),
    (
        "from:rachel_byrne_elt #pronunciation",
        lambda p: p.author == "rachel_byrne_elt" and "pronunciation" in p.tags,
    ),
    ("retrieval is:reply", lambda p: "retrieval" in _words(p.text) and p.reply),
    ("retrieval -is:reply", lambda p: "retrieval" in _words(p.text) and not p.reply),
    ("has:link #chemed", lambda p: "chemed" in p.tags and "https://" in p.text),
    ("has:media", lambda p: False),
    ("has:poll", lambda p: False),
    ("retrieval after:2000-01-01", lambda p: "retrieval" in _words(p.text)),
    ("retrieval before:2000-01-01", lambda p: False),
    ("retrieval in:library", lambda p: False),
    ("naïve pronunciación", lambda p: {"naive", "pronunciacion"} <= set(_words(p.text))),
]


@pytest.fixture
def demo_posts(settings: Settings, runtime: Runtime) -> dict[str, Any]:
    fill_demo(settings, only_if_empty=False)

    def read(conn: Connection) -> dict[str, Any]:
        rows = conn.execute(
            select(statuses.c.id, statuses.c.text, statuses.c.in_reply_to_id, accounts.c.username)
            .join(accounts, accounts.c.id == statuses.c.account_id)
            .where(statuses.c.visibility == 0, statuses.c.reblog_of_id.is_(None))
        ).all()
        tagged: dict[int, set[str]] = {}
        for status_id, name in conn.execute(
            select(status_tags.c.status_id, tags.c.name_lower).join(
                tags, tags.c.id == status_tags.c.tag_id
            )
        ):
            tagged.setdefault(status_id, set()).add(name)
        return {
            str(r.id): _Post(
                r.text, r.username, r.in_reply_to_id is not None, tagged.get(r.id, set())
            )
            for r in rows
        }

    return runtime.db.read(read)


class _Post:
    def __init__(self, text: str, author: str, reply: bool, tags: set[str]) -> None:
        self.text, self.author, self.reply, self.tags = text, author, reply, tags


def test_demo_queries_find_what_a_person_expects(
    demo_posts: dict[str, Any], make_user: Callable[..., User], find: Find
) -> None:
    newcomer = make_user("newcomer")
    assert len(demo_posts) > 100
    for query, expected in QUERIES:
        wanted = sorted((i for i, p in demo_posts.items() if expected(p)), key=int, reverse=True)
        assert find(newcomer, query) == wanted[:40], query
    # The table is not vacuous: most queries find something.
    found = [q for q, e in QUERIES if any(e(p) for p in demo_posts.values())]
    assert len(found) >= 10
