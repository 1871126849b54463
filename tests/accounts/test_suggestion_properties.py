"""Property: whatever people do, nobody blocked, muted, blocking, opted out or already
followed is ever suggested, and a dismissed person never comes back (hypothesis)."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, delete, update

from staffroom.db.tables import (
    accounts,
    blocks,
    follows,
    mutes,
    suggestion_candidates,
    suggestion_dismissals,
    suggestion_refreshes,
)
from staffroom.errors import StaffroomError
from staffroom.runtime import Runtime
from staffroom.services import blocks as blocking
from staffroom.services import follows as following
from staffroom.services.suggestions import dismiss, suggestions
from tests.conftest import User

PEOPLE = 6
ACTIONS = ("follow", "unfollow", "block", "unblock", "mute", "unmute", "dismiss", "hide", "show")
steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.integers(0, PEOPLE - 1),
        st.integers(0, PEOPLE - 1),
    ),
    max_size=25,
)


def _reset(conn: Connection) -> None:
    for table in (follows, blocks, mutes, suggestion_dismissals, suggestion_candidates):
        conn.execute(delete(table))
    conn.execute(delete(suggestion_refreshes))
    conn.execute(update(accounts).values(discoverable=True))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_nobody_who_must_not_be_suggested_ever_is(
    runtime: Runtime,
    make_user: Callable[..., User],
    post: Callable[..., str],
    steps: list[tuple[str, int, int]],
) -> None:
    people = getattr(runtime, "_property_people", None)
    if people is None:
        people = [make_user(f"p{i}") for i in range(PEOPLE)]
        for person in people:
            post(person, "hello")
        runtime._property_people = people  # type: ignore[attr-defined]
    ids = [p.id for p in people]
    runtime.db.write(_reset)
    store = runtime.timelines
    dismissed: set[tuple[int, int]] = set()
    for action, a, b in steps:
        me, them = ids[a], ids[b]
        try:
            if action == "follow":
                runtime.db.write(following.follow, store, me, them)
            elif action == "unfollow":
                runtime.db.write(following.unfollow, store, me, them)
            elif action == "block":
                runtime.db.write(blocking.block, store, me, them)
            elif action == "unblock":
                runtime.db.write(blocking.unblock, me, them)
            elif action == "mute":
                runtime.db.write(blocking.mute, store, me, them)
            elif action == "unmute":
                runtime.db.write(blocking.unmute, me, them)
            elif action == "dismiss":
                runtime.db.write(dismiss, me, them)
                dismissed.add((me, them))
            else:
                runtime.db.write(
                    lambda c, who=them, on=action == "show": c.execute(
                        update(accounts).where(accounts.c.id == who).values(discoverable=on)
                    )
                )
        except StaffroomError:
            pass  # refused (following oneself, a block in the way): nothing changed
        _check(runtime, ids, dismissed)


def _check(runtime: Runtime, ids: list[int], dismissed: set[tuple[int, int]]) -> None:
    def facts(conn: Connection) -> tuple[set[tuple[int, int]], ...]:
        def pairs(table: object) -> set[tuple[int, int]]:
            return {(r.account_id, r.target_account_id) for r in conn.execute(table.select())}  # type: ignore[attr-defined]

        hidden = {
            r.id for r in conn.execute(accounts.select().where(accounts.c.discoverable.is_(False)))
        }
        return pairs(follows), pairs(blocks), pairs(mutes), {(0, h) for h in hidden}

    followed, blocked, muted, hidden = runtime.db.read(facts)
    hidden_ids = {h for _, h in hidden}
    for viewer in ids:
        for found in runtime.db.read(suggestions, viewer, 80):
            other = found.account.id
            assert other != viewer
            assert (viewer, other) not in followed
            assert (viewer, other) not in blocked and (other, viewer) not in blocked
            assert (viewer, other) not in muted
            assert (viewer, other) not in dismissed
            assert other not in hidden_ids
