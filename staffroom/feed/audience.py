"""For one post, every timeline it enters (decided at delivery and again at deletion).

- Home timelines of the author's followers (minus those who block or mute the author and
  those who put the author in an exclusive list); a reply to someone else only for
  followers who follow that person too; a repost only for followers who show reposts; a
  direct post only for mentioned followers.
- Home timelines of people following one of its hashtags (public original posts only;
  never from someone they block or mute or who blocks them, nor from a member of one of
  their exclusive lists).
- Lists whose members include the author, or whose hashtags the post carries (public
  original posts), filtered by :func:`staffroom.feed.rules.list_takes`.

Plain SQL (``fastsql``): every post is planned here once. Each query is an index seek that
finds nothing when nobody follows the tag or lists the author, so posts that reach no list
or tag follower cost two cheap statements more than before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from staffroom.db import fastsql
from staffroom.feed.rules import ListFacts, list_takes, tag_delivers
from staffroom.policies.visibility import DIRECT, PRIVATE

_AUDIENCES: dict[tuple[bool, bool, bool], str] = {}
_NOT_HIDING = (
    " AND {col} NOT IN (SELECT b.account_id FROM blocks b WHERE b.target_account_id = ?)"
    " AND {col} NOT IN (SELECT m.account_id FROM mutes m WHERE m.target_account_id = ?"
    " AND (m.expires_at IS NULL OR m.expires_at > ?))"
)
_NOT_EXCLUSIVE = (
    " AND {col} NOT IN (SELECT l.account_id FROM list_accounts la"
    " JOIN lists l ON l.id = la.list_id WHERE la.account_id = ? AND l.exclusive)"
)
_TAG_FOLLOWERS = (
    "SELECT DISTINCT tf.account_id FROM tag_follows tf"
    " WHERE tf.tag_id IN (SELECT t.id FROM tags t WHERE t.name_lower IN (?))"
    " AND tf.account_id <> ?"
    " AND tf.account_id NOT IN (SELECT b.target_account_id FROM blocks b WHERE b.account_id = ?)"
    + _NOT_HIDING.format(col="tf.account_id")
    + _NOT_EXCLUSIVE.format(col="tf.account_id")
)
# A list's owner who blocks or mutes the author, or whom the author blocks, gets nothing
# (unless the owner is the author). Parameters: the author four times, then the time.
_OWNER_SEES = (
    " AND (l.account_id = ? OR (l.account_id NOT IN"
    " (SELECT b.target_account_id FROM blocks b WHERE b.account_id = ?)"
    + _NOT_HIDING.format(col="l.account_id")
    + "))"
)
_MEMBER_LISTS = (
    "SELECT l.id, l.account_id, l.replies_policy FROM list_accounts la"
    " JOIN lists l ON l.id = la.list_id WHERE la.account_id = ?" + _OWNER_SEES
)
_TAG_LISTS = (
    "SELECT l.id, l.account_id, l.replies_policy FROM list_tags lt"
    " JOIN lists l ON l.id = lt.list_id"
    " WHERE lt.tag_id IN (SELECT t.id FROM tags t WHERE t.name_lower IN (?))" + _OWNER_SEES
)
# Whom candidate list owners follow among the author and the account replied to (needed
# only for followers-only posts and replies to others).
_OWNER_FOLLOWS = (
    "SELECT account_id, target_account_id FROM follows"
    " WHERE account_id IN (?) AND target_account_id IN (?)"
)
_REPLY_MEMBER = "SELECT list_id FROM list_accounts WHERE account_id = ? AND list_id IN (?)"


@dataclass(frozen=True, slots=True)
class Post:
    """The facts of a post (or repost) that decide where it goes."""

    author_id: int
    visibility: int
    mentioned: list[int]
    tags: list[str]  # lower-case names
    reply_to: int | None = None  # the account replied to (None for a repost)
    reblog: bool = False


@dataclass(slots=True)
class Targets:
    """Every timeline a post enters."""

    followers: list[int]  # home timelines of the author (first) and followers
    tag_followers: list[int] = field(default_factory=list)  # home, by a followed hashtag
    lists: list[int] = field(default_factory=list)

    def home(self, *, merged_at_read: bool = False) -> list[int]:
        """Home timelines to write (only the author's, plus tag followers', when the
        author's posts are merged into their followers' timelines at read time)."""
        base = self.followers[:1] if merged_at_read else self.followers
        return list(dict.fromkeys([*base, *self.tag_followers]))

    def channels(self) -> list[str]:
        """The broker channels of these timelines (the streams ``user`` and ``list``)."""
        homes = dict.fromkeys([*self.followers, *self.tag_followers])
        return [f"timeline:{a}" for a in homes] + [f"timeline:list:{i}" for i in self.lists]


def _now(conn: Connection) -> Any:
    return fastsql.timestamp(conn, datetime.now(UTC))


def _audience_query(reblog: bool, direct: bool, reply: bool) -> str:
    """The follower query for one combination of cases, built once. Its parameters: the
    author, then the mentioned accounts (direct), then the account replied to twice (reply),
    then the author twice and the time (blocks, mutes), then the author (exclusive lists)."""
    key = (reblog, direct, reply)
    query = _AUDIENCES.get(key)
    if query is not None:
        return query
    parts = ["SELECT f.account_id FROM follows f WHERE f.target_account_id = ?"]
    if reblog:
        parts.append("AND f.show_reblogs")
    if direct:
        parts.append("AND f.account_id IN (?)")
    if reply:
        parts.append(
            "AND (f.account_id = ? OR f.account_id IN"
            " (SELECT also.account_id FROM follows also WHERE also.target_account_id = ?))"
        )
    query = " ".join(parts) + _NOT_HIDING.format(col="f.account_id")
    query += _NOT_EXCLUSIVE.format(col="f.account_id")
    _AUDIENCES[key] = query
    return query


def audience(
    conn: Connection,
    author_id: int,
    visibility: int,
    mentioned: list[int],
    *,
    reply_to: int | None = None,
    reblog: bool = False,
) -> list[int]:
    """Accounts whose home timeline a post belongs in as a follower's (the author first).

    Followers, minus those who block or mute the author or list them exclusively; for a
    reply to someone else, only followers who follow that person too; for a repost, only
    followers who show reposts; for a direct post, only mentioned followers.
    """
    reply = reply_to is not None and reply_to != author_id
    direct = visibility == DIRECT
    params: list[Any] = [author_id]
    if direct:
        params.append(mentioned)
    if reply:
        params += [reply_to, reply_to]
    params += [author_id, author_id, _now(conn), author_id]
    rows = fastsql.run_plain(conn, _audience_query(reblog, direct, reply), *params)
    return [author_id, *[r[0] for r in rows if r[0] != author_id]]


# One statement finds every candidate beyond the followers: lists holding the author ('l'),
# and for a post that travels by hashtag, lists holding one of its hashtags ('l') and the
# people following one ('t'). Index seeks that find nothing for most posts.
_CANDIDATES = (
    "SELECT 'l', l.id, l.account_id, l.replies_policy"
    + _MEMBER_LISTS[len("SELECT l.id, l.account_id, l.replies_policy") :]
)
_CANDIDATES_BY_TAG = (
    _CANDIDATES
    + " UNION ALL SELECT 'l', l.id, l.account_id, l.replies_policy"
    + _TAG_LISTS[len("SELECT l.id, l.account_id, l.replies_policy") :]
    + " UNION ALL SELECT 't', x.account_id, 0, 0 FROM ("
    + _TAG_FOLLOWERS
    + ") x"
)


def _candidates(conn: Connection, post: Post) -> tuple[list[int], list[tuple[int, int, int]]]:
    """(tag followers whose home the post enters, candidate lists (id, owner, policy))."""
    if post.visibility == DIRECT:
        return [], []
    a = post.author_id
    now = _now(conn)
    owner_sees = [a, a, a, a, now]
    if post.tags and tag_delivers(visibility=post.visibility, reblog=post.reblog):
        params = [a, *owner_sees, post.tags, *owner_sees, post.tags, a, a, a, a, now, a]
        rows = fastsql.run_plain(conn, _CANDIDATES_BY_TAG, *params)
    else:
        rows = fastsql.run_plain(conn, _CANDIDATES, a, *owner_sees)
    followers = [int(r[1]) for r in rows if r[0] == "t"]
    found = [(int(r[1]), int(r[2]), int(r[3])) for r in rows if r[0] == "l"]
    return followers, found


def tag_followers(conn: Connection, post: Post) -> list[int]:
    """People following one of the post's hashtags whose home timeline it enters."""
    return _candidates(conn, post)[0]


def list_targets(conn: Connection, post: Post) -> list[int]:
    """The lists a post enters (members' posts and, for public original posts, the lists'
    hashtags), each checked by :func:`list_takes`."""
    return _lists_taking(conn, post, _candidates(conn, post)[1])


def _lists_taking(conn: Connection, post: Post, found: list[tuple[int, int, int]]) -> list[int]:
    if not found:
        return []
    candidates = {list_id: (owner, policy) for list_id, owner, policy in found}
    owners = sorted({owner for owner, _ in candidates.values()})
    a = post.author_id
    targets_followed = [a] if post.reply_to is None else [a, post.reply_to]
    follows: set[tuple[int, int]] = set()
    if post.visibility == PRIVATE or (post.reply_to is not None and post.reply_to != a):
        rows = fastsql.run_plain(conn, _OWNER_FOLLOWS, owners, targets_followed)
        follows = {(int(r[0]), int(r[1])) for r in rows}
    members_of: set[int] = set()
    if post.reply_to is not None and post.reply_to != a:
        rows = fastsql.run_plain(conn, _REPLY_MEMBER, post.reply_to, sorted(candidates))
        members_of = {int(r[0]) for r in rows}
    taken = []
    for list_id, (owner, policy) in candidates.items():
        facts = ListFacts(
            owner_id=owner,
            policy=policy,
            owner_hides_author=False,  # such owners were left out by the query
            owner_follows_author=(owner, a) in follows,
            owner_follows_reply_to=post.reply_to is not None and (owner, post.reply_to) in follows,
            reply_to_is_member=list_id in members_of,
        )
        if list_takes(facts, author_id=a, visibility=post.visibility, reply_to=post.reply_to):
            taken.append(list_id)
    return sorted(taken)


def targets(conn: Connection, post: Post) -> Targets:
    """Every timeline ``post`` enters."""
    followers = audience(
        conn,
        post.author_id,
        post.visibility,
        post.mentioned,
        reply_to=post.reply_to,
        reblog=post.reblog,
    )
    by_tag, found = _candidates(conn, post)
    return Targets(followers, by_tag, _lists_taking(conn, post, found))
