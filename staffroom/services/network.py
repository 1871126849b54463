"""The network picture of ``@username`` (``/@username/network``): read-only.

Who they follow, grouped into clusters by shared hashtags and follows among them, the
people who bridge to areas not reached and those areas (``network_clusters`` does the
analysis). Everything is read in six bounded statements:

- whom the owner follows, newest ``MAX_MEMBERS`` follows;
- their names;
- whom those people follow (``MAX_EDGES`` rows, in the order of the unique index);
- the people beyond (followed by members, not by the owner): the ``MAX_BEYOND`` followed by
  the most members, discoverable only;
- the hashtags of everyone's newest ``RECENT_POSTS`` public or unlisted posts from the last
  ``RECENT_DAYS`` days (a window per person over ``ix_statuses_account_id_id``);
- the names of the hashtags shown.

Privacy: the owner always sees theirs; anyone else only if the owner turned
``web_preferences.network_public`` on (else ``NotFound``), and never across a block. People
the viewer blocks, who block the viewer or whom the viewer mutes are left out everywhere.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Connection, and_, func, select, true, update

from staffroom import clock
from staffroom.db.tables import accounts, blocks, follows, mutes, status_tags, statuses, tags
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
    found = conn.execute(
        select(follows.c.target_account_id)
        .where(follows.c.account_id == owner_id)
        .order_by(follows.c.id.desc())
        .limit(MAX_MEMBERS)
    ).scalars()
    return sorted(m for m in found if m not in hidden)


def _people(conn: Connection, ids: Collection[int]) -> dict[int, Person]:
    if not ids:
        return {}
    rows = conn.execute(
        select(accounts.c.id, accounts.c.username, accounts.c.display_name).where(
            accounts.c.id.in_(list(ids))
        )
    )
    return {row.id: Person(row.id, row.username, row.display_name) for row in rows}


def _beyond(conn: Connection, owner_id: int, members: list[int], hidden: set[int]) -> list[int]:
    """The ``MAX_BEYOND`` people followed by the most members: counted in SQL over the
    members' ranges of the unique index; discoverable and not hidden only."""
    counted = conn.execute(
        select(follows.c.target_account_id)
        .where(
            follows.c.account_id.in_(members),
            # "+ 0": filtered while reading the members' ranges, not looked up per member
            (follows.c.target_account_id + 0).not_in(members),
            follows.c.target_account_id != owner_id,
        )
        .group_by(follows.c.target_account_id)
        .order_by(func.count().desc(), follows.c.target_account_id)
        .limit(MAX_BEYOND * 2)
    ).scalars()
    ranked = [p for p in counted if p not in hidden]
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
    rows = conn.execute(
        select(follows.c.account_id, follows.c.target_account_id)
        .where(follows.c.account_id.in_(members), (follows.c.target_account_id + 0).in_(targets))
        .limit(MAX_EDGES)
    )
    return [(row[0], row[1]) for row in rows]


def _tags_of(conn: Connection, ids: list[int]) -> dict[int, Counter[int]]:
    """Hashtags of each person's public or unlisted posts among their newest
    ``RECENT_POSTS`` of the last ``RECENT_DAYS`` days.

    First each person's oldest ID to read (a seek of ``RECENT_POSTS`` entries on
    ``ix_statuses_account_id_id``), then that range of their posts: a heavy poster costs no
    more than anyone else."""
    found: dict[int, Counter[int]] = defaultdict(Counter)
    if not ids:
        return found
    floor = id_floor(int((clock.now() - timedelta(days=RECENT_DAYS)).timestamp() * 1000))
    older = statuses.alias("older")
    since = (
        select(older.c.id)
        .where(older.c.account_id == accounts.c.id, older.c.id >= floor)
        .order_by(older.c.id.desc())
        .limit(1)
        .offset(RECENT_POSTS - 1)
        .scalar_subquery()
    )
    cut = (
        select(accounts.c.id.label("account_id"), func.coalesce(since, floor).label("since"))
        .where(accounts.c.id.in_(ids))
        .limit(len(ids))  # kept whole: SQLite does not fold a subquery with a LIMIT
        .subquery()
    )
    rows = conn.execute(
        select(statuses.c.account_id, status_tags.c.tag_id, func.count())
        .select_from(
            cut.join(
                statuses,
                and_(statuses.c.account_id == cut.c.account_id, statuses.c.id >= cut.c.since),
            ).join(status_tags, status_tags.c.status_id == statuses.c.id)
        )
        # "+ 0": no index on these two, the planner must start from ``cut`` (SQLite's way)
        .where((statuses.c.visibility + 0).in_((0, 1)), (statuses.c.reblog_of_id + 0).is_(None))
        .group_by(statuses.c.account_id, status_tags.c.tag_id)
    )
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
    members = _members(conn, owner_id, hidden)
    if not members:
        return NetworkGraph([], set(), {})
    member_set = set(members)
    beyond = _beyond(conn, owner_id, members, hidden)
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
