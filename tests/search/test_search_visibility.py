"""Property: whatever the follows, blocks, mutes, visibilities and ``indexable`` flags, search
never returns a post the visibility policy would not let the viewer open, and always finds
the viewer's own posts and the public posts of indexable people they are not hiding; on
SQLite and PostgreSQL alike. Posts the viewer was mentioned in or favourited are found
whenever the policy lets them see them."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, delete, update

from staffroom.db.tables import accounts, blocks, favourites, follows, mentions, mutes
from staffroom.policies.visibility import PUBLIC, ViewerFacts, may_see
from staffroom.runtime import Runtime
from staffroom.services.posting import NewStatus, post_status
from staffroom.services.registration import SignUp, register
from staffroom.services.search import search_status_ids
from staffroom.services.status_views import _relations  # the facts the policy is given

PEOPLE = 4
pairs = st.sets(st.tuples(st.integers(0, PEOPLE - 1), st.integers(0, PEOPLE - 1)), max_size=6)
post_specs = st.lists(
    st.tuples(
        st.integers(0, PEOPLE - 1),  # author
        st.integers(0, 3),  # visibility
        st.sets(st.integers(0, PEOPLE - 1), max_size=2),  # mentioned
        st.sets(st.integers(0, PEOPLE - 1), max_size=2),  # favourited by
    ),
    min_size=1,
    max_size=8,
)


def _people(runtime: Runtime) -> list[int]:
    return [
        register(runtime.db, SignUp(username=f"p{n}", email=f"p{n}@example.org", password="x" * 12))
        for n in range(PEOPLE)
    ]


def _reset(conn: Connection) -> None:
    for table in (follows, blocks, mutes):
        conn.execute(delete(table))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    follow=pairs,
    block=pairs,
    mute=pairs,
    hidden=st.sets(st.integers(0, PEOPLE - 1)),
    specs=post_specs,
)
def test_search_never_shows_what_the_policy_hides(
    runtime: Runtime,
    follow: set[tuple[int, int]],
    block: set[tuple[int, int]],
    mute: set[tuple[int, int]],
    hidden: set[int],
    specs: list[tuple[int, int, set[int], set[int]]],
) -> None:
    ids = getattr(runtime, "_search_people", None) or _people(runtime)
    runtime._search_people = ids  # type: ignore[attr-defined]
    word = f"needle{next(_ids)}"

    def arrange(conn: Connection) -> list[tuple[int, int, int, frozenset[int], frozenset[int]]]:
        _reset(conn)
        for table, chosen in ((follows, follow), (blocks, block)):
            for a, b in chosen:
                if a != b:
                    conn.execute(table.insert().values(_relation(ids[a], ids[b])))
        for a, b in mute:
            if a != b:
                conn.execute(mutes.insert().values(_relation(ids[a], ids[b])))
        for n, person in enumerate(ids):
            conn.execute(
                update(accounts).where(accounts.c.id == person).values(indexable=n not in hidden)
            )
        made = []
        for author, visibility, mentioned, favs in specs:
            names = " ".join(f"@p{m}" for m in sorted(mentioned))
            status_id = post_status(
                conn,
                runtime,
                ids[author],
                NewStatus(
                    text=f"{word} {names}",
                    visibility=("public", "unlisted", "private", "direct")[visibility],
                ),
            )
            for f in favs:
                conn.execute(
                    favourites.insert().values(
                        id=next(_ids), account_id=ids[f], status_id=status_id, created_at=_now()
                    )
                )
            made.append((status_id, author, visibility, frozenset(mentioned), frozenset(favs)))
        return made

    made = runtime.db.write(arrange)
    for v, viewer in enumerate(ids):

        def read(
            conn: Connection, v: int, viewer: int
        ) -> tuple[list[int], ViewerFacts, dict[int, frozenset[int]]]:
            found = search_status_ids(conn, viewer, word, 40, 0)
            authors = frozenset(ids[a] for _, a, *_ in made)
            following = frozenset(ids[b] for a, b in follow if a == v and a != b)
            facts = _relations(conn, viewer, following & authors)
            real_mentions: dict[int, frozenset[int]] = {}
            for status_id, *_ in made:
                rows = conn.execute(
                    mentions.select().where(mentions.c.status_id == status_id)
                ).all()
                real_mentions[status_id] = frozenset(r.account_id for r in rows)
            return found, facts, real_mentions

        found, facts, real_mentions = runtime.db.read(read, v, viewer)
        for status_id, a, visibility, _mentioned, favs in made:
            author = ids[a]
            visible = may_see(
                facts, author_id=author, visibility=visibility, mentioned=real_mentions[status_id]
            )
            hides = author != viewer and (author in facts.hidden or author in facts.blocked_by)
            if status_id in found:
                assert visible, (v, status_id)
                assert not hides
            if author == viewer:
                assert status_id in found, "one's own posts are always found"
            elif visible and not hides:
                in_library = viewer in real_mentions[status_id] or v in favs
                public_index = visibility == PUBLIC and a not in hidden
                assert (status_id in found) == (in_library or public_index), (v, status_id)


_ids = itertools.count(1)


def _now() -> datetime:
    return datetime.now(UTC)


def _relation(account_id: int, target_id: int) -> dict[str, Any]:
    return {
        "id": next(_ids),
        "account_id": account_id,
        "target_account_id": target_id,
        "created_at": _now(),
    }
