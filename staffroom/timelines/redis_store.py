"""Home timelines as Redis sorted sets, for several web processes at scale.

One sorted set per kept timeline (``staffroom:feed:<account_id>`` for a home timeline,
``staffroom:list:<list_id>`` for a list's), capped at ``HOME_CAP``
entries. A timeline is *kept* while its owner is active: reading it refreshes a
``active_days`` expiry, fan-out writes only into timelines that exist (a Lua script checks
and writes in one round trip per batch), so inactive users cost nothing. A returning user's
timeline is rebuilt from the database on first read; concurrent readers meanwhile get a page
computed from the database with HTTP 206, as Mastodon answers while regenerating.
Accounts with very many followers are not fanned out: their posts are merged in at read time.
Reposts fall off as in the SQL store (``store.FALL_OFF``), checked in the same script.

Scores are status IDs. IDs exceed a double's 53-bit precision, so ranges are read with a
margin and cut exactly by the integer member.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from typing import Any, cast

import redis
from sqlalchemy import Connection, select

from staffroom.db.tables import statuses
from staffroom.timelines.sources import LargeAccounts, home_ids_from_db, timeline_ids_from_db
from staffroom.timelines.store import (
    FALL_OFF,
    HOME,
    HOME_CAP,
    LIST,
    NEW_KEPT_SECONDS,
    FeedEntry,
    FeedPage,
    recent_posts,
    without_fallen_off,
)

# ARGV: score, member, cap, the original's ID for a repost ("" otherwise), fall-off, expiry.
# A repost is left out where the original, or another repost of it (found through the
# ``:reposts`` hash, original -> repost), is among the newest ``fall-off`` entries.
_ADD_IF_KEPT = """
local added = 0
local original = ARGV[4]
local fall_off = tonumber(ARGV[5])
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then
    local skip = false
    if original ~= '' then
      local rank = redis.call('ZREVRANK', key, original)
      if rank and rank < fall_off then skip = true end
      local reposts = key .. ':reposts'
      if not skip then
        local other = redis.call('HGET', reposts, original)
        if other then
          local other_rank = redis.call('ZREVRANK', key, other)
          if other_rank and other_rank < fall_off then skip = true end
        end
      end
      if not skip then
        if redis.call('HLEN', reposts) > tonumber(ARGV[3]) * 2 then redis.call('DEL', reposts) end
        redis.call('HSET', reposts, original, ARGV[2])
        redis.call('EXPIRE', reposts, ARGV[6])
      end
    end
    if not skip then
      redis.call('ZADD', key, ARGV[1], ARGV[2])
      redis.call('ZREMRANGEBYRANK', key, 0, -(tonumber(ARGV[3]) + 1))
      added = added + 1
    end
  end
end
return added
"""
_MARGIN = 1 << 12  # wider than a double's rounding at these magnitudes


class RedisTimelineStore:
    merges_large_accounts = True

    def __init__(
        self, url: str, *, active_days: int = 14, large_account_followers: int = 10_000
    ) -> None:
        self.redis = redis.Redis.from_url(url)
        self.ttl = active_days * 86400
        self.threshold = large_account_followers
        self.large = LargeAccounts(large_account_followers)
        self._add = self.redis.register_script(_ADD_IF_KEPT)

    @staticmethod
    def key(owner_id: int, kind: str = HOME) -> str:
        return f"staffroom:feed:{owner_id}" if kind == HOME else f"staffroom:{kind}:{owner_id}"

    def add(
        self, conn: Connection, owners: Iterable[int], entry: FeedEntry, *, kind: str = HOME
    ) -> None:
        """Write ``entry`` into the kept timelines among ``owners`` (idempotent)."""
        keys = [self.key(o, kind) for o in set(owners)]
        for start in range(0, len(keys), 500):
            self._add(
                keys=keys[start : start + 500],
                args=[
                    entry.status_id,
                    str(entry.status_id),
                    HOME_CAP,
                    "" if entry.reblog_of_id is None else str(entry.reblog_of_id),
                    FALL_OFF,
                    self.ttl,
                ],
            )

    def remove_status(
        self,
        conn: Connection,
        status_id: int,
        owners: Iterable[int] | None = None,
        *,
        kind: str = HOME,
    ) -> None:
        if owners is None:  # readers skip deleted posts; the delete job passes the owners
            return
        pipe = self.redis.pipeline(transaction=False)
        for owner in set(owners):
            pipe.zrem(self.key(owner, kind), str(status_id))
        pipe.execute()

    def keep_new(self, conn: Connection, owner_id: int, *, kind: str) -> None:
        """A new (empty, so complete) timeline: fan-out keeps it from the start."""
        key = self.key(owner_id, kind)
        pipe = self.redis.pipeline(transaction=True)
        pipe.zadd(key, {"0": 0})
        pipe.expire(key, NEW_KEPT_SECONDS)
        pipe.execute()

    def rebuild(self, conn: Connection, owner_id: int, *, kind: str) -> None:
        """Recompute a timeline now (its rules changed)."""
        self._rebuild(conn, owner_id, kind)

    def drop(self, conn: Connection, owner_id: int, *, kind: str) -> None:
        key = self.key(owner_id, kind)
        self.redis.delete(key, f"{key}:reposts")

    def remove_author(
        self, conn: Connection, owner_id: int, author_id: int, *, kind: str = HOME
    ) -> None:
        key = self.key(owner_id, kind)
        raw = cast(list[bytes], self.redis.zrange(key, 0, -1))
        members = [int(m) for m in raw]
        if not members:
            return
        theirs = conn.execute(
            select(statuses.c.id).where(
                statuses.c.id.in_(members), statuses.c.account_id == author_id
            )
        ).scalars()
        gone = [str(i) for i in theirs]
        if gone:
            self.redis.zrem(key, *gone)

    def backfill_author(self, conn: Connection, owner_id: int, author_id: int) -> None:
        for entry in recent_posts(conn, author_id):
            self.add(conn, [owner_id], entry)

    def backfill_authors(self, conn: Connection, owner_id: int, author_ids: Sequence[int]) -> None:
        for author_id in author_ids:
            self.backfill_author(conn, owner_id, author_id)

    def _rebuild(self, conn: Connection, owner_id: int, kind: str = HOME) -> None:
        found = timeline_ids_from_db(conn, kind, owner_id, limit=HOME_CAP)
        originals: dict[int, int | None] = {}
        if found:
            rows = conn.execute(
                select(statuses.c.id, statuses.c.reblog_of_id).where(statuses.c.id.in_(found))
            ).all()
            originals = {int(r[0]): r[1] for r in rows}
        ids = without_fallen_off(sorted(originals.items(), reverse=True))
        reposts = {str(originals[i]): str(i) for i in reversed(ids) if originals[i] is not None}
        key = self.key(owner_id, kind)
        pipe = self.redis.pipeline(transaction=True)
        pipe.delete(key, f"{key}:reposts")
        if ids:
            pipe.zadd(key, {str(i): i for i in ids})
        else:
            pipe.zadd(key, {"0": 0})  # an empty kept timeline still exists
        if reposts:
            pipe.hset(f"{key}:reposts", mapping=cast(Any, reposts))
            pipe.expire(f"{key}:reposts", self.ttl)
        pipe.expire(key, self.ttl)
        pipe.execute()

    def _range(
        self,
        owner_id: int,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
        kind: str = HOME,
    ) -> tuple[bool, list[int]]:
        """(whether the timeline is kept, one page of it); extends the expiry of a kept one.

        One round trip: ``EXPIRE`` answers whether the key exists, the range comes with it.
        """
        key = self.key(owner_id, kind)
        low = max(since_id or 0, min_id or 0)
        high = "+inf" if max_id is None else max_id + _MARGIN
        low_bound = "-inf" if not low else low - _MARGIN
        pipe = self.redis.pipeline(transaction=False)
        pipe.expire(key, self.ttl)
        if min_id is not None:
            pipe.zrangebyscore(key, low_bound, high, start=0, num=limit + 64)
        else:
            pipe.zrevrangebyscore(key, high, low_bound, start=0, num=limit + 64)
        kept, raw = pipe.execute()
        ids = [int(m) for m in cast(list[bytes], raw)]
        ids = [i for i in ids if i > 0 and (max_id is None or i < max_id) and i > low]
        ids.sort(reverse=min_id is None)
        ids = ids[:limit]
        return bool(kept), sorted(ids, reverse=True)

    def page(
        self,
        conn: Connection,
        owner_id: int,
        *,
        max_id: int | None,
        since_id: int | None,
        min_id: int | None,
        limit: int,
        kind: str = HOME,
    ) -> FeedPage:
        kept, ids = self._range(owner_id, max_id, since_id, min_id, limit, kind)
        if not kept:
            key = self.key(owner_id, kind)
            if self.redis.set(f"{key}:rebuilding", 1, nx=True, ex=60):
                try:
                    self._rebuild(conn, owner_id, kind)
                finally:
                    self.redis.delete(f"{key}:rebuilding")
                kept, ids = self._range(owner_id, max_id, since_id, min_id, limit, kind)
            else:  # someone else is rebuilding: answer from the database meanwhile
                ids = _from_db(conn, kind, owner_id, limit, max_id, since_id, min_id)
                return FeedPage(ids, partial=True)
        if kind == LIST:
            return FeedPage(ids)
        large = self.large.followed_by(conn, owner_id)
        if large:
            merged = home_ids_from_db(
                conn,
                owner_id,
                limit=limit,
                max_id=max_id,
                since_id=since_id,
                min_id=min_id,
                authors=large,
            )
            ids = list(heapq.merge(ids, merged, reverse=True))
            ids = list(dict.fromkeys(ids))
            ids = ids[:limit] if min_id is None else ids[-limit:]
        return FeedPage(ids)


def _from_db(
    conn: Connection,
    kind: str,
    owner_id: int,
    limit: int,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[int]:
    """One page computed from the database (while another process rebuilds)."""
    from staffroom.feed.sources import list_ids_from_db

    find = home_ids_from_db if kind == HOME else list_ids_from_db
    return find(conn, owner_id, limit=limit, max_id=max_id, since_id=since_id, min_id=min_id)
