"""Delivering posts: the background half of posting, reposting, deleting and notifying.

Jobs (enqueued in the same transaction as their cause, see ``staffroom.jobs``):
- ``deliver_status`` {status_id}: put a new post or repost in every timeline the feed
  (``staffroom.feed``) says it enters: home timelines of followers and of people following
  one of its hashtags, and lists (through the timeline store), notify mentioned accounts,
  then stream ``update`` events to the same timelines and, for public posts, the public
  and hashtag streams.
- ``status_deleted`` {status_id, author_id, visibility, tags, mentioned, conversations}:
  stream ``delete`` to everyone the post had reached (and to the ``direct`` streams of a
  direct post's participants), drop it from the timeline store, and stream the
  conversations the post left (now showing their previous post) as ``conversation`` events.
- ``publish_notification`` {notification_id}: stream a ``notification`` event.
A public original post's hashtags and links are counted for trends in the same last
transaction (``services.trends.record_post``; not in the posting request).
A direct post also goes into its participants' conversations (``services.conversations``)
in the job's last transaction, and reaches their ``direct`` streams as a ``conversation``
event (as in Mastodon; never as ``update``).
(``status_edited``, in ``services/editing.py``, streams ``status.update`` through
:func:`stream_status`.)

Every effect is idempotent (timeline inserts ignore duplicates, notifications have dedupe
keys), so a job that runs twice after a crash changes nothing the second time; a repeated
event is harmless (clients key posts by ID). A job whose post is gone succeeds doing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, select

from staffroom.db import fastsql
from staffroom.db.tables import follows
from staffroom.feed import fanout
from staffroom.feed.audience import Post, Targets, targets
from staffroom.feed.audience import audience as audience  # re-exported (tests, bench)
from staffroom.jobs.registry import Lease, job_batch_handler, job_handler
from staffroom.policies.visibility import DIRECT, PRIVATE, PUBLIC, UNLISTED
from staffroom.services.conversations import (
    record_direct,
    stream_conversation,
    stream_conversations,
)
from staffroom.services.notify import notify
from staffroom.services.trends import record_post
from staffroom.timelines.store import FeedEntry

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime
    from staffroom.services.status_views import StatusView


@dataclass
class _Delivery:
    """What a committed fan-out needs for its events."""

    status_id: int
    author_id: int
    visibility: int
    reblog_of_id: int | None
    reblog_author_id: int | None
    mentioned: list[int]
    tags: list[str]
    reply_to: int | None = None
    # Every timeline the post enters, as the feed decides (``staffroom.feed``).
    targets: Targets = field(default_factory=lambda: Targets([]))
    # Direct posts: whose conversation list changed (``services.conversations``).
    conversations: list[int] = field(default_factory=list)
    # An account with very many followers: its posts are merged into timelines at read time.
    merged_at_read: bool = False


# Plain SQL (``fastsql``): every post is planned here once, and its audience is a few
# hundred rows that SQLAlchemy's result machinery would cost more to fetch than to find.
_STATUS = (
    "SELECT id, account_id, visibility, reblog_of_id, in_reply_to_account_id"
    " FROM statuses WHERE id = ?"
)
_MENTIONED = "SELECT account_id FROM mentions WHERE status_id = ?"
_TAG_NAMES = (
    "SELECT t.name_lower FROM tags t JOIN status_tags st ON st.tag_id = t.id WHERE st.status_id = ?"
)
_FOLLOWERS_COUNT = "SELECT followers_count FROM accounts WHERE id = ?"


def _mentioned(conn: Connection, status_id: int) -> list[int]:
    return [r[0] for r in fastsql.run_plain(conn, _MENTIONED, status_id)]


def _tag_names(conn: Connection, status_id: int) -> list[str]:
    return [r[0] for r in fastsql.run_plain(conn, _TAG_NAMES, status_id)]


def _plan(conn: Connection, rt: Runtime, status_id: int) -> _Delivery | None:
    """Who a post (or repost) goes to; ``None`` if it is gone."""
    found = fastsql.run_plain(conn, _STATUS, status_id)
    if not found:
        return None
    sid, author_id, visibility, reblog_of_id, reply_to = found[0]
    subject_id, original_author = sid, None
    if reblog_of_id is not None:
        original = fastsql.run_plain(conn, _STATUS, reblog_of_id)
        if not original:
            return None
        subject_id, original_author = original[0][0], original[0][1]
    mentioned = _mentioned(conn, subject_id)
    delivery = _Delivery(
        status_id=sid,
        author_id=author_id,
        visibility=visibility,
        reblog_of_id=reblog_of_id,
        reblog_author_id=original_author,
        mentioned=mentioned,
        tags=_tag_names(conn, subject_id),
        reply_to=reply_to if reblog_of_id is None else None,
    )
    post = Post(
        author_id,
        visibility,
        mentioned,
        delivery.tags,
        reply_to=delivery.reply_to,
        reblog=reblog_of_id is not None,
    )
    delivery.targets = targets(conn, post)
    if rt.timelines.merges_large_accounts and visibility != DIRECT:
        followers = fastsql.run_plain(conn, _FOLLOWERS_COUNT, author_id)
        count = followers[0][0] if followers else 0
        delivery.merged_at_read = (count or 0) >= rt.settings.large_account_followers
    return delivery


def _notify_audience(conn: Connection, d: _Delivery) -> None:
    """Mentioned accounts, and the author of the post replied to if they may see it."""
    if d.reblog_of_id is not None:
        return
    for account_id in d.mentioned:
        notify(
            conn,
            recipient_id=account_id,
            actor_id=d.author_id,
            type="mention",
            status_id=d.status_id,
        )
    parent_author = d.reply_to
    if (
        parent_author is not None
        and parent_author not in d.mentioned
        and _sees(conn, parent_author, d.author_id, d.visibility)
    ):
        notify(
            conn,
            recipient_id=parent_author,
            actor_id=d.author_id,
            type="mention",
            status_id=d.status_id,
        )


def _sees(conn: Connection, reader_id: int, author_id: int, visibility: int) -> bool:
    if visibility == DIRECT:
        return False
    if visibility != PRIVATE:
        return True
    found = conn.execute(
        select(follows.c.id).where(
            follows.c.account_id == reader_id, follows.c.target_account_id == author_id
        )
    ).first()
    return found is not None


def _meta(d: _Delivery) -> dict[str, Any]:
    return {
        "author_id": d.author_id,
        "reblog_author_id": d.reblog_author_id,
        "mentioned": d.mentioned,
        "visibility": d.visibility,
    }


def event(kind: str, payload: str, meta: dict[str, Any]) -> str:
    """A broker message: the Mastodon event and payload, plus facts for per-viewer filters."""
    return orjson.dumps({"event": kind, "payload": payload, "meta": meta}).decode()


# Public posts with media also go to the ``public:media`` streams (checked once rendered).
MEDIA_CHANNELS = ("timeline:public:media", "timeline:public:local:media")


def public_channels(tag_names: list[str]) -> list[str]:
    channels = ["timeline:public", "timeline:public:local", *MEDIA_CHANNELS]
    for name in tag_names:
        channels += [f"timeline:hashtag:{name}", f"timeline:hashtag:{name}:local"]
    return channels


def _publish(rt: Runtime, channels: list[str], message: str) -> None:
    for channel in dict.fromkeys(channels):
        rt.broker.publish(channel, message)


@job_handler("deliver_status")
def deliver_status(rt: Runtime, job: Job, lease: Lease) -> None:
    delivery = rt.db.read(_plan, rt, int(job.payload["status_id"]))
    if delivery is None:
        return  # the post is gone: nothing to deliver
    entry = FeedEntry(delivery.status_id, delivery.author_id, delivery.reblog_of_id)
    owners = delivery.targets.home(merged_at_read=delivery.merged_at_read)
    batch = rt.settings.fanout_batch
    starts = list(range(0, len(owners), batch)) or [0]
    for start in starts[:-1]:  # one transaction per batch: progress survives a crash
        rt.db.write(_add_batch, rt, owners[start : start + batch], entry)
        lease.extend()
    rt.db.write(_finish, rt, owners[starts[-1] :], entry, delivery, lease)
    _stream_update(rt, delivery)
    stream_conversations(rt, delivery.conversations, delivery.status_id)


def _finish(
    conn: Connection,
    rt: Runtime,
    owners: list[int],
    entry: FeedEntry,
    delivery: _Delivery,
    lease: Lease,
) -> None:
    """The last batch (with the lists), the notifications and the job's completion: one
    commit."""
    fanout.add(conn, rt.timelines, delivery.targets, entry, homes=owners)
    _notify_audience(conn, delivery)
    if delivery.visibility == PUBLIC and delivery.reblog_of_id is None:
        record_post(conn, delivery.status_id, delivery.author_id)
    if delivery.visibility == DIRECT and delivery.reblog_of_id is None:
        delivery.conversations = record_direct(conn, delivery.status_id, delivery.mentioned)
    lease.complete_in(conn)


@job_batch_handler("deliver_status")
def deliver_statuses(rt: Runtime, jobs: list[Job], leases: list[Lease]) -> None:
    """Several posts at once: small audiences share one transaction (one commit)."""
    plans = rt.db.read(
        lambda conn: [_plan(conn, rt, int(job.payload["status_id"])) for job in jobs]
    )
    batch = rt.settings.fanout_batch
    small: list[tuple[_Delivery, Lease]] = []
    for job, lease, delivery in zip(jobs, leases, plans, strict=True):
        if delivery is None:
            continue  # gone: the worker deletes the job
        owners = delivery.targets.home(merged_at_read=delivery.merged_at_read)
        if len(owners) > batch:
            deliver_status(rt, job, lease)
        else:
            small.append((delivery, lease))
    if small:
        rt.db.write(_finish_many, rt, small)
        for delivery, _ in small:
            _stream_update(rt, delivery)
            stream_conversations(rt, delivery.conversations, delivery.status_id)


def _finish_many(conn: Connection, rt: Runtime, items: list[tuple[_Delivery, Lease]]) -> None:
    for delivery, lease in items:
        entry = FeedEntry(delivery.status_id, delivery.author_id, delivery.reblog_of_id)
        owners = delivery.targets.home(merged_at_read=delivery.merged_at_read)
        _finish(conn, rt, owners, entry, delivery, lease)


def _add_batch(conn: Connection, rt: Runtime, owners: list[int], entry: FeedEntry) -> None:
    rt.timelines.add(conn, owners, entry)


def stream_status(rt: Runtime, status_id: int, kind: str) -> None:
    """Stream event ``kind`` (``status.update`` after an edit) with the post, to the audience
    it was delivered to (computed again, with its current mentions and hashtags)."""
    planned = rt.db.read(_plan, rt, status_id)
    if planned is not None:
        _stream_update(rt, planned, kind)


def _stream_update(rt: Runtime, delivery: _Delivery, kind: str = "update") -> None:
    """Stream the post to whoever is listening (rendered only if someone is)."""
    from staffroom.serializers.statuses import serialize_status
    from staffroom.services.status_views import load_view

    channels = delivery.targets.channels()
    # (A direct post reaches ``direct`` streams as a ``conversation`` event instead.)
    if delivery.visibility == PUBLIC and delivery.reblog_of_id is None:
        channels += public_channels(delivery.tags)
    channels = rt.broker.listened(list(dict.fromkeys(channels)))
    if not channels:
        return
    view = rt.db.read(load_view, delivery.author_id, delivery.status_id)
    if view is not None and not view.media:
        channels = [c for c in channels if c not in MEDIA_CHANNELS]
    if view is None or not channels:
        return
    meta = _meta(delivery)
    quoted = _quote_for_everyone(view.reblog or view)
    if quoted is not None:
        meta["quoted_author_id"] = quoted
    payload = orjson.dumps(serialize_status(view, rt.settings.base_url)).decode()
    _publish(rt, channels, event(kind, payload, meta))


def _quote_for_everyone(view: StatusView) -> int | None:
    """One payload goes to the whole audience, so it shows a quoted post only if that is
    public or unlisted (a followers-only one could reach someone mentioned who does not
    follow its author: they are told ``unauthorized``, as they would be on reading it);
    returns the quoted post's author, whom the hub checks per viewer (blocks, mutes)."""
    quote = view.quote
    if quote is None or quote.status is None:
        return None
    if quote.status.row.visibility not in (PUBLIC, UNLISTED):
        from staffroom.services.quote_views import QuoteView

        view.quote = QuoteView("unauthorized")
        return None
    return int(quote.status.row.account_id)


def deleted_payload(conn: Connection, row: Any) -> dict[str, Any]:
    """The ``status_deleted`` job payload, taken before the row goes."""
    return {
        "status_id": row.id,
        "author_id": row.account_id,
        "visibility": row.visibility,
        "reblog_of_id": row.reblog_of_id,
        "reply_to": row.in_reply_to_account_id,
        "mentioned": _mentioned(conn, row.id),
        "tags": _tag_names(conn, row.id),
    }


@job_handler("status_deleted")
def status_deleted(rt: Runtime, job: Job, lease: Lease) -> None:
    p = job.payload
    author_id, visibility = int(p["author_id"]), int(p["visibility"])
    mentioned = [int(a) for a in p["mentioned"]]

    reblog = p.get("reblog_of_id") is not None
    post = Post(
        author_id,
        visibility,
        mentioned,
        list(p["tags"]),
        reply_to=None if reblog else p.get("reply_to"),
        reblog=reblog,
    )

    def reached(conn: Connection) -> Targets:
        found = targets(conn, post)
        fanout.remove(conn, rt.timelines, found, int(p["status_id"]))
        return found

    recipients = rt.db.write(reached)
    channels = recipients.channels() + [f"timeline:{a}" for a in mentioned]
    if visibility == DIRECT:
        channels += [f"timeline:direct:{a}" for a in [author_id, *mentioned]]
    if visibility == PUBLIC and p.get("reblog_of_id") is None:
        channels += public_channels(list(p["tags"]))
    meta = {
        "author_id": author_id,
        "reblog_author_id": None,
        "mentioned": mentioned,
        "visibility": visibility,
    }
    _publish(rt, channels, event("delete", str(p["status_id"]), meta))
    for owner, conversation_id in p.get("conversations") or ():
        stream_conversation(rt, int(owner), int(conversation_id))


@job_handler("publish_notification")
def publish_notification(rt: Runtime, job: Job, lease: Lease) -> None:
    from staffroom.serializers.notifications import serialize_notification
    from staffroom.services.notifications import find_notification
    from staffroom.services.notify import STAFFROOM_ONLY_TYPES

    found = rt.db.read(find_notification, int(job.payload["notification_id"]))
    if found is None:  # dismissed, or no longer visible to its recipient
        return
    recipient, item = found
    if item.row.type in STAFFROOM_ONLY_TYPES:  # Mastodon apps would not know them (issue 15)
        return
    payload = orjson.dumps(serialize_notification(item, rt.settings.base_url)).decode()
    meta = {
        "author_id": item.account.id,
        "reblog_author_id": None,
        "mentioned": [],
        "visibility": 0,
    }
    rt.broker.publish(f"timeline:{recipient}", event("notification", payload, meta))
