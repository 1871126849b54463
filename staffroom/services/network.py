"""The network picture of ``@username`` (``/@username/network``): read-only.

Who they follow, grouped into clusters by shared hashtags and follows among them, the
people who bridge to areas not reached and those areas (``network_clusters`` does the
analysis). Everything is read in bounded statements:

- whom the owner follows, newest ``MAX_MEMBERS`` follows;
- the people beyond (not followed by the owner): the ``MAX_BEYOND`` followed by the most of
  the ``BEYOND_FROM`` newest follows (counted in SQL), discoverable only;
- which members follow which members and which people beyond (one range of the unique
  index per member, at most ``MAX_EDGES`` rows);
- the hashtags of everyone's newest ``RECENT_POSTS`` public or unlisted posts from the last
  ``RECENT_DAYS`` days (a seek per person on ``ix_statuses_account_id_id``, then that range);
- the names of the people and hashtags shown.

The three heavy reads are plain SQL through ``db.fastsql`` (``bench/network.py``).

Privacy: the owner always sees theirs; anyone else only if the owner turned
``web_preferences.network_public`` on (else ``NotFound``), and never across a block. People
the viewer blocks, who block the viewer or whom the viewer mutes are left out everywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, select, true, update

from staffroom import clock
from staffroom.db import fastsql
from staffroom.db.tables import accounts, blocks, follows, mutes, tags
from staffroom.db.tables import web_preferences as prefs
from staffroom.db.upsert import insert_ignore
from staffroom.errors import NotFound
from staffroom.ids import id_floor
from staffroom.services.accounts import find_by_username
from staffroom.services.blocks import mute_active
from staffroom.services.network_clusters import Analysis, NetworkGraph, analyse

MAX_MEMBERS = 2000
MAX_EDGES = 400_000
MAX_BEYOND = 300
BEYOND_FROM = 400  # the newest follows whose own follows are counted
RECENT_POSTS = 12
RECENT_DAYS = 180
SHOWN_PER_CLUSTER = 8
SHOWN_CLUSTERS = 12


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    username: str
    display_name: str


@dataclass(frozen=True, slots=True)
class ClusterView:
    number: int  # 1-based, as the picture labels it
    size: int
    tags: list[str]
    people: list[Person]  # the first SHOWN_PER_CLUSTER, by username
    member_ids: list[int]
    mutual_pairs: int
    follow_links: int


@dataclass(frozen=True, slots=True)
class BridgeView:
    person: Person
    tags: list[str]
    people: int


@dataclass(frozen=True, slots=True)
class AreaView:
    tag: str
    people: int
    via: list[Person]


@dataclass(frozen=True, slots=True)
class NetworkPicture:
    owner: Person
    own: bool
    public: bool  # may others see it
    followed: int  # people in the picture
    clusters: list[ClusterView]  # at most SHOWN_CLUSTERS; the rest are in ``others``
    others: list[Person]  # in no cluster shown, by username
    links: dict[tuple[int, int], int]  # (number, number) -> follows between the clusters
    bridges: list[BridgeView]
    bridge_ids: set[int]
    areas: list[AreaView]


def network_public(conn: Connection, account_id: int) -> bool:
    """May others see ``account_id``'s network picture?"""
    value = conn.execute(
        select(prefs.c.network_public).where(prefs.c.account_id == account_id)
    ).scalar()
    return bool(value)


def set_network_public(conn: Connection, account_id: int, on: bool) -> None:
    """Show (or hide) one's network picture to others (``web_preferences.network_public``)."""
    now = clock.now()
    # A new row says the first-run path is finished, as a deck row does (services.deck).
    conn.execute(
        insert_ignore(conn, prefs),
        {"account_id": account_id, "first_run": "done", "updated_at": now, "network_public": on},
    )
    conn.execute(
        update(prefs)
        .where(prefs.c.account_id == account_id)
        .values(network_public=on, updated_at=now)
    )


def _blocked(conn: Connection, viewer_id: int | None) -> set[int]:
    """Whom the viewer blocks and who blocks the viewer."""
    if viewer_id is None:
        return set()
    rows = conn.execute(
        select(blocks.c.target_account_id)
        .where(blocks.c.account_id == viewer_id)
        .union(select(blocks.c.account_id).where(blocks.c.target_account_id == viewer_id))
    )
    return {row[0] for row in rows}


def _hidden(conn: Connection, viewer_id: int | None) -> set[int]:
    """Blocked either way, or muted by the viewer: left out of the picture."""
    if viewer_id is None:
        return set()
    muted = conn.execute(
        select(mutes.c.target_account_id).where(mutes.c.account_id == viewer_id, mute_active())
    ).scalars()
    return _blocked(conn, viewer_id) | set(muted)


def _members(conn: Connection, owner_id: int, hidden: set[int]) -> list[int]:
    """Whom the owner follows, newest follow first (at most ``MAX_MEMBERS``)."""
    found = conn.execute(
        select(follows.c.target_account_id)
        .where(follows.c.account_id == owner_id)
        .order_by(follows.c.id.desc())
        .limit(MAX_MEMBERS)
    ).scalars()
    return [m for m in found if m not in hidden]


def _people(conn: Connection, ids: Collection[int]) -> dict[int, Person]:
    if not ids:
        return {}
    rows = conn.execute(
        select(accounts.c.id, accounts.c.username, accounts.c.display_name).where(
            accounts.c.id.in_(list(ids))
        )
    )
    return {row.id: Person(row.id, row.username, row.display_name) for row in rows}


# "+ 0" (SQLite's way): filtered while reading the members' ranges of the unique index
# (account_id, target_account_id), not looked up per pair on the target's index.
_BEYOND_SQL = (
    "SELECT target_account_id FROM follows"
    " WHERE account_id IN (?) AND target_account_id + 0 NOT IN (?) AND target_account_id <> ?"
    " GROUP BY target_account_id ORDER BY count(*) DESC, target_account_id LIMIT ?"
)
_FOLLOWS_TO_SQL = (
    "SELECT account_id, target_account_id FROM follows"
    " WHERE account_id IN (?) AND target_account_id + 0 IN (?) LIMIT ?"
)
# Each person's oldest post to read (a seek of RECENT_POSTS entries on
# ix_statuses_account_id_id), then that range of their posts; "cut" has a LIMIT so SQLite
# keeps it whole rather than folding it into a scan of every post of theirs; "+ 0" keeps
# the planner off the visibility and reblog indexes.
_TAGS_SQL = (
    "SELECT s.account_id, st.tag_id, count(*) FROM"
    " (SELECT a.id AS account_id, coalesce((SELECT o.id FROM statuses o"
    "   WHERE o.account_id = a.id AND o.id >= ? ORDER BY o.id DESC LIMIT 1 OFFSET ?), ?)"
    "   AS since FROM accounts a WHERE a.id IN (?) LIMIT ?) cut"
    " JOIN statuses s ON s.account_id = cut.account_id AND s.id >= cut.since"
    " JOIN status_tags st ON st.status_id = s.id"
    " WHERE s.visibility + 0 IN (0, 1) AND s.reblog_of_id + 0 IS NULL"
    " GROUP BY s.account_id, st.tag_id"
)


def _beyond(conn: Connection, owner_id: int, members: list[int], hidden: set[int]) -> list[int]:
    """The ``MAX_BEYOND`` people followed by the most of the ``BEYOND_FROM`` newest
    members (``members`` newest first; counted in SQL), discoverable and not hidden."""
    counted = fastsql.run_plain(
        conn, _BEYOND_SQL, members[:BEYOND_FROM], members, owner_id, MAX_BEYOND * 2
    )
    ranked = [row[0] for row in counted if row[0] not in hidden]
    if not ranked:
        return []
    open_ = set(
        conn.execute(
            select(accounts.c.id).where(
                accounts.c.id.in_(ranked), accounts.c.discoverable.is_(true())
            )
        ).scalars()
    )
    return [p for p in ranked if p in open_][:MAX_BEYOND]


def _follows_to(conn: Connection, members: list[int], targets: list[int]) -> list[tuple[int, int]]:
    """Which members follow which of ``targets`` (members and the people beyond)."""
    return [
        (row[0], row[1])
        for row in fastsql.run_plain(conn, _FOLLOWS_TO_SQL, members, targets, MAX_EDGES)
    ]


def _tags_of(conn: Connection, ids: list[int]) -> dict[int, Counter[int]]:
    """Hashtags of each person's public or unlisted posts among their newest
    ``RECENT_POSTS`` of the last ``RECENT_DAYS`` days."""
    found: dict[int, Counter[int]] = defaultdict(Counter)
    if not ids:
        return found
    floor = id_floor(int((clock.now() - timedelta(days=RECENT_DAYS)).timestamp() * 1000))
    rows = fastsql.run_plain(conn, _TAGS_SQL, floor, RECENT_POSTS - 1, floor, ids, len(ids))
    for account_id, tag_id, count in rows:
        found[account_id][tag_id] = count
    return found


def _tag_names(conn: Connection, ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = conn.execute(select(tags.c.id, tags.c.name).where(tags.c.id.in_(wanted)))
    return {row.id: row.name for row in rows}


def _owner(conn: Connection, viewer_id: int | None, username: str) -> tuple[Person, bool]:
    row = find_by_username(conn, username)
    if row is None:
        raise NotFound()
    public = network_public(conn, row.id)
    if viewer_id != row.id and (not public or row.id in _blocked(conn, viewer_id)):
        raise NotFound()
    return Person(row.id, row.username, row.display_name), public


def read_graph(conn: Connection, owner_id: int, viewer_id: int | None) -> NetworkGraph:
    """The bounded graph around ``owner_id`` as ``viewer_id`` may see it."""
    hidden = _hidden(conn, viewer_id)
    newest_first = _members(conn, owner_id, hidden)
    if not newest_first:
        return NetworkGraph([], set(), {})
    beyond = _beyond(conn, owner_id, newest_first, hidden)
    members = sorted(newest_first)
    member_set = set(members)
    inside: set[tuple[int, int]] = set()
    outward: dict[int, set[int]] = defaultdict(set)
    for a, b in _follows_to(conn, members, members + beyond):
        if b in member_set:
            inside.add((a, b))
        else:
            outward[a].add(b)
    tagged = _tags_of(conn, members + beyond)
    return NetworkGraph(
        members,
        inside,
        {m: tagged[m] for m in members if m in tagged},
        dict(outward),
        {p: tagged[p] for p in beyond if p in tagged},
    )


def network_picture(conn: Connection, viewer_id: int | None, username: str) -> NetworkPicture:
    """``@username``'s network picture for the viewer (``NotFound`` if they may not see it)."""
    owner, public = _owner(conn, viewer_id, username)
    graph = read_graph(conn, owner.id, viewer_id)
    return _views(conn, owner, owner.id == viewer_id, public, graph, analyse(graph))


def _views(
    conn: Connection,
    owner: Person,
    own: bool,
    public: bool,
    graph: NetworkGraph,
    found: Analysis,
) -> NetworkPicture:
    people = _people(conn, graph.members)
    shown = found.clusters[:SHOWN_CLUSTERS]
    wanted_tags = [t for c in shown for t in c.tags]
    wanted_tags += [t for b in found.bridges for t in b.tags[:3]]
    wanted_tags += [a.tag_id for a in found.areas]
    names = _tag_names(conn, wanted_tags)

    def named(ids: Iterable[int]) -> list[Person]:
        return sorted(
            (people[i] for i in ids if i in people), key=lambda p: (p.username.lower(), p.id)
        )

    clusters = [
        ClusterView(
            i + 1,
            len(c.members),
            [names[t] for t in c.tags if t in names],
            named(c.members)[:SHOWN_PER_CLUSTER],
            c.members,
            c.mutual_pairs,
            c.follow_links,
        )
        for i, c in enumerate(shown)
    ]
    rest = [m for c in found.clusters[SHOWN_CLUSTERS:] for m in c.members] + found.ungrouped
    links = {
        (a + 1, b + 1): n
        for (a, b), n in found.links.items()
        if a < SHOWN_CLUSTERS and b < SHOWN_CLUSTERS
    }
    bridges = [
        BridgeView(people[b.account_id], [names[t] for t in b.tags[:3] if t in names], b.people)
        for b in found.bridges
        if b.account_id in people
    ]
    areas = [
        AreaView(names[a.tag_id], a.people, named(a.via)) for a in found.areas if a.tag_id in names
    ]
    return NetworkPicture(
        owner,
        own,
        public,
        len(graph.members),
        clusters,
        named(rest),
        links,
        bridges,
        {b.person.id for b in bridges},
        areas,
    )
