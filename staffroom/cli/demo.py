"""``staffroom demo``: fill an empty instance with a small professional learning network.

The people and posts are hand-written (``demo_content``); who follows whom, when each post
appears, and who reposts or favourites what come from a seeded random plan, so every run
builds the same network. Everything is written through the domain services (registration,
profiles, follows, posting, interactions), so counters, notifications, home timelines and
rendered HTML are exactly what real use would produce, and in one transaction: a failure
leaves the database as it was.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

import click
from sqlalchemy import Connection, or_, select
from tqdm import tqdm

from staffroom import clock
from staffroom.cli.demo_content import (
    ADMIN_USERNAME,
    DEMO_PASSWORD,
    PEOPLE,
    SINGLES,
    THREADS,
    Person,
    Post,
)
from staffroom.cli.demo_events import fill_events
from staffroom.cli.demo_network import fill_network
from staffroom.config import Settings
from staffroom.db import migrate as run_migrations
from staffroom.db.tables import accounts, users
from staffroom.runtime import Runtime
from staffroom.services.directory_fields import instance_fields
from staffroom.services.follows import follow
from staffroom.services.interactions import favourite, reblog
from staffroom.services.passwords import hash_password
from staffroom.services.posting import NewStatus, post_status
from staffroom.services.profiles import ProfileUpdate, update_profile
from staffroom.services.registration import SignUp, check_sign_up, count_accounts, create_account

SEED = 2026
SPAN_DAYS = 21
# Groups whose members often follow each other across the group boundary.
RELATED_GROUPS = frozenset(
    frozenset(pair)
    for pair in (
        ("elt", "training"),
        ("science", "maths"),
        ("primary", "library"),
        ("primary", "leadership"),
        ("primary", "maths"),
        ("edtech", "training"),
        ("edtech", "library"),
        ("leadership", "training"),
        ("library", "elt"),
    )
)


# --- the plan: a pure function of the content and a seed -----------------------------------


@dataclass(frozen=True, slots=True)
class PlannedPost:
    post: Post
    parent: int | None  # index of the post this one answers


@dataclass(frozen=True, slots=True)
class Event:
    """One action at one moment: ``actor`` posts, reposts or favourites ``post``."""

    when: datetime
    kind: Literal["post", "reblog", "favourite"]
    actor: str
    post: int  # index into ``DemoPlan.posts``


@dataclass(frozen=True, slots=True)
class DemoPlan:
    people: tuple[Person, ...]
    follows: list[tuple[str, str]]  # (follower, followed)
    posts: list[PlannedPost]
    events: list[Event]  # in the order they happen


def flatten(roots: tuple[Post, ...]) -> list[PlannedPost]:
    """Every post of every thread, each parent before its replies."""
    planned: list[PlannedPost] = []

    def walk(post: Post, parent: int | None) -> None:
        planned.append(PlannedPost(post, parent))
        index = len(planned) - 1
        for reply in post.replies:
            walk(reply, index)

    for root in roots:
        walk(root, None)
    return planned


def _follow_chance(a: Person, b: Person) -> float:
    if a.username == ADMIN_USERNAME:
        return 0.9 if b.hub else 0.0
    if b.username == ADMIN_USERNAME:
        return 0.6
    if a.group == b.group:
        return 0.75
    if b.hub:
        return 0.55
    if frozenset((a.group, b.group)) in RELATED_GROUPS:
        return 0.25
    return 0.06


def follow_graph(
    people: tuple[Person, ...], posts: list[PlannedPost], rng: random.Random
) -> list[tuple[str, str]]:
    """Clusters by group, hubs everyone follows, some follow-backs, and repliers following
    the people they answer."""
    edges = {
        (a.username, b.username)
        for a in people
        for b in people
        if a is not b and rng.random() < _follow_chance(a, b)
    }
    for follower, followed in sorted(edges):
        if (followed, follower) not in edges and rng.random() < 0.35:
            edges.add((followed, follower))
    for item in posts:
        if item.parent is not None:
            answered = posts[item.parent].post.author
            if item.post.author != answered and rng.random() < 0.8:
                edges.add((item.post.author, answered))
    return sorted(edges)


def _moment(rng: random.Random, now: datetime, min_days_ago: int) -> datetime:
    """A daytime moment (06:00-22:00 UTC) between ``min_days_ago`` and ``SPAN_DAYS`` ago."""
    day = (now - timedelta(days=rng.randint(min_days_ago, SPAN_DAYS - 1))).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    when = day + timedelta(seconds=rng.uniform(6 * 3600, 22 * 3600))
    return min(when, now - timedelta(hours=1))


def _later(rng: random.Random, after: datetime, mean_minutes: float, now: datetime) -> datetime:
    delay = timedelta(minutes=2 + min(rng.expovariate(1 / mean_minutes), 12 * 60))
    return min(after + delay, now)


def schedule(
    people: tuple[Person, ...],
    posts: list[PlannedPost],
    follows: list[tuple[str, str]],
    rng: random.Random,
    now: datetime,
) -> list[Event]:
    """When each post appears, and who reposts and favourites it afterwards."""
    hubs = {p.username for p in people if p.hub}
    followers: dict[str, set[str]] = {p.username: set() for p in people}
    for follower, followed in follows:
        followers[followed].add(follower)
    everyone = [p.username for p in people]
    events: list[Event] = []
    times: list[datetime] = []
    for index, item in enumerate(posts):
        post = item.post
        if item.parent is None:
            when = _moment(rng, now, 1 if post.replies else 0)
        else:
            when = _later(rng, times[item.parent], 80, now)
        times.append(when)
        events.append(Event(when, "post", post.author, index))
        events.extend(_reactions(rng, index, item, posts, followers, everyone, hubs, when, now))
    order = {id(event): n for n, event in enumerate(events)}  # ties keep causal order
    return sorted(events, key=lambda e: (e.when, order[id(e)]))


def _reactions(
    rng: random.Random,
    index: int,
    item: PlannedPost,
    posts: list[PlannedPost],
    followers: dict[str, set[str]],
    everyone: list[str],
    hubs: set[str],
    when: datetime,
    now: datetime,
) -> Iterator[Event]:
    post = item.post
    fans = followers[post.author]
    has_link = "https://" in post.text
    liked_already = {post.author}
    if item.parent is None:
        fav_chance = 0.12 + 0.08 * (post.author in hubs) + 0.1 * has_link
        share_chance = 0.02 + 0.06 * has_link + 0.03 * (post.author in hubs)
    else:
        fav_chance, share_chance = 0.03, 0.0
        answered = posts[item.parent].post.author
        if answered != post.author and rng.random() < 0.5:
            liked_already.add(answered)
            yield Event(_later(rng, when, 60, now), "favourite", answered, index)
    for name in everyone:
        if name in liked_already:
            continue
        sees = name in fans or (post.visibility == "public" and rng.random() < 0.15)
        if not sees:
            continue
        if rng.random() < fav_chance:
            yield Event(_later(rng, when, 180, now), "favourite", name, index)
        if post.visibility == "public" and rng.random() < share_chance:
            yield Event(_later(rng, when, 240, now), "reblog", name, index)


def plan_demo(seed: int = SEED, now: datetime | None = None) -> DemoPlan:
    """The whole demo network, the same for the same seed."""
    rng = random.Random(seed)
    now = now or datetime.now(UTC)
    posts = flatten(SINGLES + THREADS)
    follows = follow_graph(PEOPLE, posts, rng)
    return DemoPlan(PEOPLE, follows, posts, schedule(PEOPLE, posts, follows, rng, now))


# --- carrying the plan out through the services --------------------------------------------


@dataclass
class DemoSummary:
    accounts: int = 0
    follows: int = 0
    posts: int = 0
    reblogs: int = 0
    favourites: int = 0
    listed: int = 0  # people in the directory
    ids: dict[str, int] = field(default_factory=dict)


def _taken(conn: Connection, people: tuple[Person, ...]) -> list[str]:
    names = [p.username.lower() for p in people]
    emails = [p.email.lower() for p in people]
    rows = conn.execute(
        select(accounts.c.username)
        .join(users, users.c.account_id == accounts.c.id)
        .where(or_(accounts.c.username_lower.in_(names), users.c.email_lower.in_(emails)))
    )
    return sorted(rows.scalars())


def _create_people(
    conn: Connection, rt: Runtime, plan: DemoPlan, password_hash: str, advance: Callable[[], object]
) -> dict[str, int]:
    ids: dict[str, int] = {}
    settings = rt.settings
    for person in plan.people:
        form = SignUp(
            username=person.username,
            email=person.email,
            password=DEMO_PASSWORD,
            display_name=person.display_name,
            admin=person.username == ADMIN_USERNAME,
        )
        check_sign_up(form)
        account_id = create_account(conn, form, password_hash)
        profile = ProfileUpdate(note=person.bio, interests=list(person.interests))
        update_profile(
            conn, account_id, profile, base_url=settings.base_url, domain=settings.domain
        )
        ids[person.username] = account_id
        advance()
    return ids


def _carry_out(
    conn: Connection, rt: Runtime, plan: DemoPlan, password_hash: str, only_if_empty: bool
) -> DemoSummary | None:
    existing = count_accounts(conn)
    if existing and only_if_empty:
        return None
    taken = _taken(conn, plan.people)
    if taken:
        names = ", ".join(f"@{name}" for name in taken[:3]) + (", ..." if len(taken) > 3 else "")
        raise click.ClickException(
            f"The demo accounts already exist ({names}): this instance already has the demo data."
        )
    summary = DemoSummary()
    total = len(plan.people) + len(plan.follows) + len(plan.events)
    with tqdm(total=total, desc="Filling demo", unit="step", disable=None) as bar:
        ids = _create_people(conn, rt, plan, password_hash, bar.update)
        summary.accounts, summary.ids = len(ids), ids
        for follower, followed in plan.follows:
            summary.follows += follow(conn, rt.timelines, ids[follower], ids[followed])
            bar.update()
        status_ids: dict[int, int] = {}  # post index -> status ID
        for event in plan.events:
            actor = ids[event.actor]
            if event.kind == "post":
                item = plan.posts[event.post]
                new = NewStatus(
                    text=item.post.text,
                    visibility=item.post.visibility,
                    in_reply_to_id=None if item.parent is None else status_ids[item.parent],
                    language="en",
                    created_at=event.when,
                )
                status_ids[event.post] = post_status(conn, rt, actor, new)
                summary.posts += 1
            elif event.kind == "reblog":
                reblog(conn, rt, actor, status_ids[event.post], at=event.when)
                summary.reblogs += 1
            else:
                favourite(conn, rt, actor, status_ids[event.post])
                summary.favourites += 1
            bar.update()
        fields = instance_fields(rt.settings.directory_fields_file)
        summary.listed = fill_network(conn, fields, ids)
        fill_events(conn, rt, ids, clock.now())
    return summary


def fill_demo(settings: Settings, *, only_if_empty: bool = True) -> DemoSummary | None:
    """Add the demo network; with ``only_if_empty``, do nothing (and return ``None``) when
    the instance already has accounts. Prints the shared password and the admin login."""
    plan = plan_demo()
    password_hash = hash_password(DEMO_PASSWORD)
    runtime = Runtime.build(settings)
    try:
        summary = runtime.db.write(_carry_out, runtime, plan, password_hash, only_if_empty)
        runtime.worker.drain()  # deliver now: timelines and notifications are ready at start
    finally:
        runtime.close()
    if summary is not None:
        _print_summary(summary)
    return summary


def _print_summary(summary: DemoSummary) -> None:
    click.echo(
        f"Demo ready: {summary.accounts} accounts, {summary.posts} posts, "
        f"{summary.reblogs} reposts, {summary.follows} follows, "
        f"{summary.favourites} favourites, {summary.listed} people in the directory, "
        "3 starter packs."
    )


def demo_accounts_present(settings: Settings) -> bool:
    """Whether the demo's admin account exists (the demo was filled in, now or before)."""
    from staffroom.db import create_database
    from staffroom.services.accounts import find_by_username

    db = create_database(settings.database_url, pool_size=1)
    try:
        return db.read(find_by_username, ADMIN_USERNAME) is not None
    finally:
        db.dispose()


def print_demo_logins() -> None:
    """The demo's shared password, a sample login and the admin login."""
    admin = next(p for p in PEOPLE if p.username == ADMIN_USERNAME)
    sample = PEOPLE[0]
    click.echo(f"Every demo account's password is: {DEMO_PASSWORD}")
    click.echo(f"Log in with an e-mail such as {sample.email} (username @{sample.username}).")
    click.echo(f"Admin login: {admin.email} / {DEMO_PASSWORD}")


@click.command()
@click.option("--force", is_flag=True, help="Add the demo people even if accounts exist.")
def demo(force: bool) -> None:
    """Fill an empty instance with demo teachers, follows and posts."""
    settings = Settings.from_env()
    run_migrations(settings.database_url)
    if not force:
        runtime = Runtime.build(settings)
        try:
            existing = runtime.db.read(count_accounts)
        finally:
            runtime.close()
        if existing:
            raise click.ClickException(
                f"This instance already has {existing} account(s); the demo is meant for an "
                "empty instance. Use --force to add the demo people anyway."
            )
    if fill_demo(settings, only_if_empty=not force) is not None:
        print_demo_logins()
