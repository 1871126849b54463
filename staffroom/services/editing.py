"""Editing a post, as Mastodon does: new text, content warning, sensitivity, language, poll
(``services.polls.replace_poll``) or attachments (``media_ids``, and alt text and focus
through ``media_attributes``: ``services.edit_media``).

Writes the post's row (``edited_at``), its mentions and hashtags, and ``status_edits`` (the
original version is recorded at the first edit, then each new one), and enqueues the
``status_edited`` job, which streams ``status.update`` to the post's audience and notifies
those who reposted it (``update``) and those who quoted it (``quoted_update``). Visibility
and the post replied to cannot change, nor the post it quotes. Who may see the post is
decided afresh from its new mentions (a direct message's audience is the people it
mentions), through the same visibility policy as every read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import Connection, delete, insert, select, update

from staffroom.db.tables import mentions, polls, status_edits, status_tags, statuses
from staffroom.errors import NotFound, ValidationFailed
from staffroom.ids import new_id
from staffroom.jobs import enqueue
from staffroom.jobs.registry import Lease, job_handler
from staffroom.messages import N_
from staffroom.policies.visibility import PUBLIC, VISIBILITY_NAMES
from staffroom.services import delivery, edit_media, event_topic_posts, quotes
from staffroom.services.edit_media import MediaChange
from staffroom.services.media_views import MediaView
from staffroom.services.notify import notify
from staffroom.services.polls import NewPoll, replace_poll
from staffroom.services.posting import NewStatus, check_new_status, render_text, tag_ids_for
from staffroom.services.status_views import StatusView, forget_status, load_view

if TYPE_CHECKING:
    from staffroom.jobs.queue import Job
    from staffroom.runtime import Runtime


KEEP_POLL = "keep"


@dataclass(frozen=True, slots=True)
class Edit:
    """What an author asks to change (absent fields keep their value)."""

    text: str
    spoiler_text: str | None = None
    sensitive: bool | None = None
    language: str | None = None
    # The post's poll after the edit: ``None`` removes it (Mastodon's API, when an edit
    # sends no poll); ``KEEP_POLL``, the default, leaves it as it is.
    poll: NewPoll | str | None = KEEP_POLL
    # The post's attachments after the edit, in order (None: the ones it has).
    media_ids: tuple[int, ...] | None = None
    media_attributes: tuple[MediaChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a post, as ``GET /api/v1/statuses/:id/history`` lists them."""

    content_html: str
    spoiler_text: str
    sensitive: bool
    created_at: datetime
    poll_options: tuple[str, ...] | None = None
    media: tuple[MediaView, ...] = ()


def check_edit(rt: Runtime, edit: Edit, visibility: str = "public") -> None:
    """Validate ``edit`` as a new post would be (length, language) without the database."""
    # Keeping its attachments, a post may have no text: edit_status decides, knowing them.
    kept = (0,) if edit.media_ids is None and not isinstance(edit.poll, NewPoll) else None
    check_new_status(rt.settings, _as_new(edit, visibility, kept))


def _as_new(edit: Edit, visibility: str, media_ids: tuple[int, ...] | None = None) -> NewStatus:
    return NewStatus(
        text=edit.text,
        visibility=visibility,
        spoiler_text=edit.spoiler_text or "",
        sensitive=bool(edit.sensitive),
        language=edit.language,
        poll=edit.poll if isinstance(edit.poll, NewPoll) else None,
        media_ids=(edit.media_ids or ()) if media_ids is None else media_ids,
    )


def _own_post(conn: Connection, account_id: int, status_id: int) -> Any:
    row = conn.execute(select(statuses).where(statuses.c.id == status_id)).first()
    if row is None or row.account_id != account_id:
        raise NotFound()  # someone else's post is not there to edit, as in Mastodon
    if row.reblog_of_id is not None:
        raise ValidationFailed(N_("A repost cannot be edited; edit the post itself."))
    return row


def edit_status(
    conn: Connection, rt: Runtime, account_id: int, status_id: int, edit: Edit
) -> StatusView:
    """Apply ``edit`` to one's own post; returns the post as its author now sees it. An edit
    that changes nothing records no version and notifies no one."""
    row = _own_post(conn, account_id, status_id)
    spoiler = row.spoiler_text if edit.spoiler_text is None else edit.spoiler_text
    sensitive = row.sensitive if edit.sensitive is None else edit.sensitive
    language = edit.language if edit.language is not None else row.language
    wanted = Edit(edit.text, spoiler, bool(sensitive or spoiler), language, edit.poll)
    media_now = edit_media.current(conn, status_id)
    media = edit_media.wanted(
        conn, account_id, status_id, media_now, edit.media_ids, edit.media_attributes
    )
    visibility = VISIBILITY_NAMES[row.visibility]
    check_new_status(rt.settings, _as_new(wanted, visibility, tuple(m.id for m in media)))
    old_options = _poll_options(conn, row.poll_id)
    poll_changed = edit.poll != KEEP_POLL and (edit.poll is not None or row.poll_id is not None)
    if (
        not poll_changed
        and (wanted.text, spoiler, wanted.sensitive, language)
        == (row.text, row.spoiler_text, bool(row.sensitive), row.language)
        and not edit_media.changed(media_now, media)
    ):
        return _view(conn, account_id, status_id)
    now = datetime.now(UTC)
    html, mention_ids = render_text(conn, rt, wanted.text)
    poll_id = row.poll_id
    if poll_changed:
        new_poll = edit.poll if isinstance(edit.poll, NewPoll) else None
        poll_id = replace_poll(conn, status_id, account_id, row.poll_id, new_poll)
    if row.edited_at is None:  # the original, so that the history starts with it
        original = (row.text, row.content_html, row.spoiler_text, row.sensitive, old_options)
        _record(conn, row, original, None, media_now)
    new_options = _poll_options(conn, poll_id)
    version = (wanted.text, html, spoiler, bool(wanted.sensitive), new_options)
    _record(conn, row, version, now, media)
    edit_media.apply(conn, status_id, media_now, media)
    conn.execute(
        update(statuses)
        .where(statuses.c.id == status_id)
        .values(
            text=wanted.text,
            content_html=html,
            spoiler_text=spoiler,
            sensitive=bool(wanted.sensitive),
            language=language,
            edited_at=now,
            poll_id=poll_id,
        )
    )
    conn.execute(delete(mentions).where(mentions.c.status_id == status_id))
    if mention_ids:
        conn.execute(
            insert(mentions), [{"status_id": status_id, "account_id": a} for a in mention_ids]
        )
    conn.execute(delete(status_tags).where(status_tags.c.status_id == status_id))
    tag_ids = tag_ids_for(conn, rt, wanted.text, now)
    if tag_ids:
        conn.execute(insert(status_tags), [{"status_id": status_id, "tag_id": t} for t in tag_ids])
    if row.visibility == PUBLIC and (
        event_topic_posts.has_marker(row.text) or event_topic_posts.has_marker(wanted.text)
    ):
        event_topic_posts.post_edited(conn, status_id, account_id, wanted.text)
    forget_status(status_id)
    enqueue(conn, "status_edited", {"status_id": status_id, "edited_at": now.isoformat()})
    return _view(conn, account_id, status_id)


def _poll_options(conn: Connection, poll_id: int | None) -> list[str] | None:
    if poll_id is None:
        return None
    found = conn.execute(select(polls.c.options).where(polls.c.id == poll_id)).scalar()
    return list(orjson.loads(found)) if found is not None else None


def _record(
    conn: Connection,
    row: Any,
    version: tuple[str, str, str, bool, list[str] | None],
    when: datetime | None,
    media: tuple[MediaView, ...],
) -> None:
    """Keep one version (text, HTML, content warning, sensitive, poll options)."""
    text, html, spoiler, sensitive, options = version
    conn.execute(
        insert(status_edits).values(
            id=new_id(),
            status_id=row.id,
            account_id=row.account_id,
            text=text,
            content_html=html,
            spoiler_text=spoiler,
            sensitive=bool(sensitive),
            media=edit_media.snapshot(media),
            created_at=when or row.created_at,
            poll_options=orjson.dumps(options).decode() if options is not None else None,
        )
    )


def _view(conn: Connection, viewer_id: int, status_id: int) -> StatusView:
    view = load_view(conn, viewer_id, status_id)
    if view is None:  # the author can always see their own post
        raise NotFound()
    return view


def history(
    conn: Connection, viewer_id: int | None, status_id: int
) -> tuple[StatusView, list[Version]]:
    """A post the viewer may see and its versions, oldest first (only the current one if it
    was never edited)."""
    view = load_view(conn, viewer_id, status_id)
    if view is None or view.reblog is not None:
        raise NotFound()
    rows = conn.execute(
        select(
            status_edits.c.content_html,
            status_edits.c.spoiler_text,
            status_edits.c.sensitive,
            status_edits.c.created_at,
            status_edits.c.poll_options,
            status_edits.c.media,
        )
        .where(status_edits.c.status_id == status_id)
        .order_by(status_edits.c.id)
    ).all()
    if not rows:
        row = view.row
        options = view.poll.options if view.poll is not None else None
        first = Version(row.content_html, row.spoiler_text, row.sensitive, row.created_at, options)
        return view, [replace(first, media=view.media)]
    media = edit_media.of_versions(conn, status_id, [r[5] for r in rows], view.media)
    return view, [
        Version(r[0], r[1], bool(r[2]), r[3], tuple(orjson.loads(r[4])) if r[4] else None, m)
        for r, m in zip(rows, media, strict=True)
    ]


def source(conn: Connection, account_id: int, status_id: int) -> Any:
    """The text of one's own post as written (for an editing form)."""
    return _own_post(conn, account_id, status_id)


@job_handler("status_edited")
def status_edited(rt: Runtime, job: Job, lease: Lease) -> None:
    """Stream ``status.update`` where the post went, and notify those who reposted it."""
    status_id = int(job.payload["status_id"])
    edited_at = str(job.payload.get("edited_at", ""))

    def notify_reposters(conn: Connection) -> int | None:
        author = conn.execute(
            select(statuses.c.account_id).where(statuses.c.id == status_id)
        ).scalar()
        if author is None:
            return None  # deleted since: nothing to say
        reposters = conn.execute(
            select(statuses.c.account_id).where(statuses.c.reblog_of_id == status_id)
        ).scalars()
        for reposter in set(reposters):
            notify(
                conn,
                recipient_id=reposter,
                actor_id=author,
                type="update",
                status_id=status_id,
                dedupe=edited_at,
            )
        quotes.notify_quoters(conn, status_id, int(author), edited_at)
        lease.complete_in(conn)
        return int(author)

    if rt.db.write(notify_reposters) is not None:
        delivery.stream_status(rt, status_id, "status.update")
