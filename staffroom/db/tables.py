"""The relational schema (SQLAlchemy Core tables). Alembic migrations mirror this file.

IDs are 64-bit time-ordered integers (see ``staffroom.ids``). Counters on accounts and
statuses are denormalised and updated in the same transaction as the rows they count.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)


def _id() -> Column[int]:
    return Column("id", BigInteger, primary_key=True, autoincrement=False)


def _account_fk(name: str = "account_id", nullable: bool = False) -> Column[int]:
    return Column(
        name, BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=nullable
    )


def _created() -> Column[object]:
    return Column("created_at", DateTime(timezone=True), nullable=False)


accounts = Table(
    "accounts",
    metadata,
    _id(),
    Column("username", String(30), nullable=False),
    Column("username_lower", String(30), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False, default=""),
    Column("note", Text, nullable=False, default=""),
    Column("note_html", Text, nullable=False, default=""),
    Column("avatar_path", String(255), nullable=True),
    Column("header_path", String(255), nullable=True),
    Column("locked", Boolean, nullable=False, default=False),
    Column("bot", Boolean, nullable=False, default=False),
    Column("discoverable", Boolean, nullable=False, default=True),
    # May full-text search find this person's public posts (Mastodon's, migration 0022_search).
    Column("indexable", Boolean, nullable=False, default=True, server_default="1"),
    Column("followers_count", Integer, nullable=False, default=0),
    Column("following_count", Integer, nullable=False, default=0),
    Column("statuses_count", Integer, nullable=False, default=0),
    Column("last_status_at", DateTime(timezone=True), nullable=True),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # What a timeline read checks of each author (SQLite only: migration 0006 says why).
    Index(
        "ix_accounts_current",
        "id",
        "updated_at",
        "followers_count",
        "following_count",
        "statuses_count",
        "last_status_at",
        unique=True,
    ).ddl_if(dialect="sqlite"),
)

users = Table(
    "users",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("email", String(254), nullable=False),
    Column("email_lower", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("admin", Boolean, nullable=False, default=False),
    Column("locale", String(16), nullable=False, default="en"),
    Column("default_visibility", String(10), nullable=False, default="public"),
    Column("default_sensitive", Boolean, nullable=False, default=False),
    Column("default_language", String(16), nullable=True),
    Column("default_quote_policy", String(10), nullable=False, default="public"),
    Column("last_active_at", DateTime(timezone=True), nullable=True),
    _created(),
    # who may add this person to a starter pack: anyone | followed (people they follow) |
    # nobody (services.collections)
    Column("pack_policy", String(10), nullable=False, default="anyone", server_default="anyone"),
)

account_interests = Table(
    "account_interests",
    metadata,
    _id(),
    _account_fk(),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    _created(),
    UniqueConstraint("account_id", "tag_id"),
)

# The web app's per-account state: the deck's columns (a JSON list of {"kind", "arg"}) and
# where the person is in the first-run path ("interests", "people", "hello", "done").
web_preferences = Table(
    "web_preferences",
    metadata,
    Column(
        "account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("deck", JSON, nullable=True),
    Column("first_run", String(16), nullable=False, default="interests"),
    # Data saver: images in posts show only when tapped (migration 0014).
    Column("data_saver", Boolean, nullable=False, default=False),
    # Others may open one's network picture, /@username/network (migration 0029).
    Column("network_public", Boolean, nullable=False, default=False, server_default="0"),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One "follow all" (first run, a directory page, a starter pack): whom it followed that the
# person did not already follow, so that "undo" unfollows exactly those.
bulk_follows = Table(
    "bulk_follows",
    metadata,
    _id(),
    _account_fk(),
    Column("source", String(100), nullable=False),  # e.g. "first-run", "pack:123"
    Column("undone_at", DateTime(timezone=True), nullable=True),
    _created(),
    # the starter pack a follow-all came from (migration 0027)
    Column(
        "collection_id",
        BigInteger,
        ForeignKey("collections.id", ondelete="SET NULL"),
        nullable=True,
        index=True,
    ),
    Index("ix_bulk_follows_account_id_id", "account_id", "id"),
)
bulk_follow_targets = Table(
    "bulk_follow_targets",
    metadata,
    Column(
        "bulk_follow_id",
        BigInteger,
        ForeignKey("bulk_follows.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "target_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

apps = Table(
    "apps",
    metadata,
    _id(),
    Column("name", String(200), nullable=False),
    Column("website", String(2000), nullable=True),
    Column("redirect_uris", Text, nullable=False),
    Column("scopes", String(2000), nullable=False),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("client_secret", String(64), nullable=False),
    _account_fk("owner_account_id", nullable=True),
    _created(),
)

oauth_codes = Table(
    "oauth_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("app_id", BigInteger, ForeignKey("apps.id", ondelete="CASCADE"), nullable=False),
    _account_fk(),
    Column("redirect_uri", Text, nullable=False),
    Column("scopes", String(2000), nullable=False),
    Column("code_challenge", String(128), nullable=True),
    Column("code_challenge_method", String(10), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Column("token_id", BigInteger, nullable=True),  # issued on the first exchange
)

access_tokens = Table(
    "access_tokens",
    metadata,
    _id(),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("app_id", BigInteger, ForeignKey("apps.id", ondelete="CASCADE"), nullable=True),
    _account_fk(nullable=True),
    Column("scopes", String(2000), nullable=False),
    _created(),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
    Column("last_used_at", DateTime(timezone=True), nullable=True),
)

tags = Table(
    "tags",
    metadata,
    _id(),
    Column("name", String(100), nullable=False),
    Column("name_lower", String(100), nullable=False, unique=True),
    _created(),
    Column("last_status_at", DateTime(timezone=True), nullable=True),
)

statuses = Table(
    "statuses",
    metadata,
    _id(),
    _account_fk(),
    Column("text", Text, nullable=False, default=""),
    Column("content_html", Text, nullable=False, default=""),
    Column("spoiler_text", Text, nullable=False, default=""),
    Column("sensitive", Boolean, nullable=False, default=False),
    # 0 public, 1 unlisted, 2 private (followers only), 3 direct
    Column("visibility", SmallInteger, nullable=False),
    Column("language", String(16), nullable=True),
    Column("in_reply_to_id", BigInteger, nullable=True),
    Column("in_reply_to_account_id", BigInteger, nullable=True),
    Column(
        "reblog_of_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=True
    ),
    Column("app_id", BigInteger, ForeignKey("apps.id", ondelete="SET NULL"), nullable=True),
    Column("replies_count", Integer, nullable=False, default=0),
    Column("reblogs_count", Integer, nullable=False, default=0),
    Column("favourites_count", Integer, nullable=False, default=0),
    _created(),
    Column("edited_at", DateTime(timezone=True), nullable=True),
    # The post's poll, if it has one (migration 0015; no foreign key: polls point here).
    Column("poll_id", BigInteger, nullable=True),
    # Quotes (migration 0016): the quoted post, fixed at posting (no foreign key: a deleted
    # quoted post leaves this row unchanged and the quote reads as deleted); who may quote
    # this post (0 public, 1 followers, 2 nobody) and its accepted quotes, both changing
    # without an edit, so the narrow check of cached rows reads them.
    Column("quoted_status_id", BigInteger, nullable=True),
    Column("quote_approval_policy", SmallInteger, nullable=False, default=0, server_default="0"),
    Column("quotes_count", Integer, nullable=False, default=0, server_default="0"),
    Index("ix_statuses_account_id_id", "account_id", "id"),
    Index("ix_statuses_in_reply_to_id", "in_reply_to_id"),
    Index("ix_statuses_reblog_of_id_account_id", "reblog_of_id", "account_id"),
    Index("ix_statuses_visibility_id", "visibility", "id"),
    # What a timeline read checks of each post (SQLite only: migration 0006 says why).
    Index(
        "ix_statuses_current",
        "id",
        "account_id",
        "visibility",
        "replies_count",
        "reblogs_count",
        "favourites_count",
        "edited_at",
        "quote_approval_policy",
        "quotes_count",
        unique=True,
    ).ddl_if(dialect="sqlite"),
)

# Uploaded media (migration 0014). A row is written at upload, unattached (``status_id``
# NULL) until a post takes it with ``media_ids``; unattached rows are removed after a day.
# ``state``: "ready", or "processing" while ``POST /api/v2/media`` work is pending, or
# "failed". ``file_url``/``preview_url`` are what storage answered (a path under the base
# URL for local disk, absolute for object storage); ``file_key``/``preview_key`` name the
# stored objects. Sizes are after processing; focus is Mastodon's (-1..1, 0 = centre).
media_attachments = Table(
    "media_attachments",
    metadata,
    _id(),
    _account_fk(),
    Column("status_id", BigInteger, ForeignKey("statuses.id", ondelete="SET NULL"), nullable=True),
    Column("position", SmallInteger, nullable=False, default=0),
    Column("kind", String(16), nullable=False, default="image"),
    Column("state", String(16), nullable=False),
    Column("content_type", String(64), nullable=True),
    Column("file_key", String(255), nullable=True),
    Column("file_url", String(1000), nullable=True),
    Column("file_size", Integer, nullable=True),
    Column("preview_key", String(255), nullable=True),
    Column("preview_url", String(1000), nullable=True),
    Column("width", Integer, nullable=True),
    Column("height", Integer, nullable=True),
    Column("small_width", Integer, nullable=True),
    Column("small_height", Integer, nullable=True),
    Column("blurhash", String(100), nullable=True),
    Column("description", Text, nullable=False, default=""),
    Column("focus_x", Float, nullable=False, default=0.0),
    Column("focus_y", Float, nullable=False, default=0.0),
    _created(),
    # The scheduled post that will take it (migration 0019): not unattached meanwhile.
    Column(
        "scheduled_status_id",
        BigInteger,
        ForeignKey("scheduled_statuses.id", ondelete="SET NULL"),
        nullable=True,
    ),
    Index("ix_media_attachments_status_id", "status_id"),
    Index("ix_media_attachments_account_id_id", "account_id", "id"),
    Index("ix_media_attachments_scheduled_status_id", "scheduled_status_id"),
)

# Polls (migration 0015): at most one per post. ``options`` and ``tallies`` are JSON lists
# (titles; votes per option), kept with ``votes_count``/``voters_count`` in each vote's
# transaction. ``ended``: the ``poll_ended`` job has notified its author and voters.
polls = Table(
    "polls",
    metadata,
    _id(),
    Column("status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=False),
    _account_fk(),
    Column("options", Text, nullable=False),
    Column("multiple", Boolean, nullable=False, default=False),
    Column("hide_totals", Boolean, nullable=False, default=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("votes_count", Integer, nullable=False, default=0),
    Column("voters_count", Integer, nullable=False, default=0),
    Column("tallies", Text, nullable=False),
    Column("ended", Boolean, nullable=False, default=False),
    _created(),
    UniqueConstraint("status_id"),
)

# One row per chosen option; a person chooses an option of a poll at most once.
poll_votes = Table(
    "poll_votes",
    metadata,
    _id(),
    Column("poll_id", BigInteger, ForeignKey("polls.id", ondelete="CASCADE"), nullable=False),
    _account_fk(),
    Column("choice", SmallInteger, nullable=False),
    _created(),
    UniqueConstraint("poll_id", "account_id", "choice"),
    Index("ix_poll_votes_account_id", "account_id"),  # for the account-delete cascade
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    _account_fk(),
    Column("key", String(255), nullable=False),
    Column("status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=False),
    _created(),
    UniqueConstraint("account_id", "key"),
    Index("ix_idempotency_keys_status_id", "status_id"),  # for the delete cascade
)

mentions = Table(
    "mentions",
    metadata,
    Column(
        "status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Index("ix_mentions_account_id_status_id", "account_id", "status_id"),
)

status_tags = Table(
    "status_tags",
    metadata,
    Column(
        "status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_status_tags_tag_id_status_id", "tag_id", "status_id"),
)


def _status_flag_table(name: str) -> Table:
    """Favourites, bookmarks and pins: one row per (account, status), paginated by their own
    id."""
    return Table(
        name,
        metadata,
        _id(),
        _account_fk(),
        Column(
            "status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=False
        ),
        _created(),
        UniqueConstraint("account_id", "status_id"),
        Index(f"ix_{name}_status_id", "status_id"),
    )


favourites = _status_flag_table("favourites")
bookmarks = _status_flag_table("bookmarks")
status_pins = _status_flag_table("status_pins")  # one's own posts featured on one's profile

# Quote posts (migration 0016): one row per quoting post; ``state`` is "accepted" (a local
# quote allowed by the quoted post's policy) or "revoked" (by the quoted post's author).
quotes = Table(
    "quotes",
    metadata,
    Column(
        "status_id",
        BigInteger,
        ForeignKey("statuses.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    _account_fk(),
    Column("quoted_status_id", BigInteger, nullable=False),
    _account_fk("quoted_account_id"),
    Column("state", String(16), nullable=False),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_quotes_quoted_status_id_status_id", "quoted_status_id", "status_id"),
    Index("ix_quotes_quoted_account_id", "quoted_account_id"),
    Index("ix_quotes_account_id", "account_id"),
)

# Posts to publish later: what was asked (JSON), published by the ``publish_scheduled`` job.
scheduled_statuses = Table(
    "scheduled_statuses",
    metadata,
    _id(),
    _account_fk(),
    Column("scheduled_at", DateTime(timezone=True), nullable=False),
    Column("params", Text, nullable=False),
    _created(),
    Index("ix_scheduled_statuses_account_id_id", "account_id", "id"),
)

# Every version of an edited post, oldest first (the original recorded at the first edit).
status_edits = Table(
    "status_edits",
    metadata,
    _id(),
    Column("status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=False),
    _account_fk(),
    Column("text", Text, nullable=False),
    Column("content_html", Text, nullable=False),
    Column("spoiler_text", Text, nullable=False),
    Column("sensitive", Boolean, nullable=False),
    # The version's attachments as JSON (migration 0018; null: the post's, edits before it).
    Column("media", Text, nullable=True),
    _created(),
    Column("poll_options", Text, nullable=True),  # the version's poll options (JSON), if any
    Index("ix_status_edits_status_id_id", "status_id", "id"),
)


# Direct conversations as each participant lists them (``/api/v1/conversations``, migration
# 0017): one row per (account, thread, other participants), as Mastodon's
# ``account_conversations``. ``conversation_key`` is the thread's key (the key of the direct
# post replied to, else the thread's first post); ``participant_ids`` the other participants'
# IDs, sorted, comma-joined; ``last_status_id`` the newest direct post in it. Removing a
# conversation deletes the row; the next post in the thread makes a new one.
account_conversations = Table(
    "account_conversations",
    metadata,
    _id(),
    _account_fk(),
    Column("conversation_key", BigInteger, nullable=False),
    Column("participant_ids", String(1000), nullable=False),
    Column("last_status_id", BigInteger, nullable=False),
    Column("unread", Boolean, nullable=False, default=False),
    _created(),
    UniqueConstraint("account_id", "conversation_key", "participant_ids"),
    Index("ix_account_conversations_account_id_last_status_id", "account_id", "last_status_id"),
)
# The direct posts in each listed conversation (a post goes with its rows: foreign keys).
conversation_statuses = Table(
    "conversation_statuses",
    metadata,
    Column(
        "conversation_id",
        BigInteger,
        ForeignKey("account_conversations.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), primary_key=True
    ),
    Index("ix_conversation_statuses_status_id", "status_id"),
)


def _relation_table(name: str, *extra: Column[object]) -> Table:
    """Follows, blocks and mutes: ``account_id`` acts on ``target_account_id``."""
    return Table(
        name,
        metadata,
        _id(),
        _account_fk(),
        _account_fk("target_account_id"),
        _created(),
        *extra,
        UniqueConstraint("account_id", "target_account_id"),
        # Covering: "who follows X" reads the index alone (one random page per follower
        # otherwise: 2.8-21.8 ms against 0.06 ms for 150 followers, docs/PERFORMANCE.md).
        Index(f"ix_{name}_target_account_id_account_id", "target_account_id", "account_id"),
    )


follows = _relation_table(
    "follows",
    Column("show_reblogs", Boolean, nullable=False, default=True),
    Column("notify", Boolean, nullable=False, default=False),
)
blocks = _relation_table("blocks")
mutes = _relation_table(
    "mutes",
    Column("hide_notifications", Boolean, nullable=False, default=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),
)

# Endorsements (migration 0024): accounts a person features on their profile (Mastodon's
# ``account_pins``); only people one follows, removed with the follow.
account_pins = _relation_table("account_pins")

notifications = Table(
    "notifications",
    metadata,
    _id(),
    _account_fk(),
    _account_fk("from_account_id"),
    # mention, status, reblog, follow, follow_request, favourite, poll, update
    Column("type", String(32), nullable=False),
    Column("status_id", BigInteger, ForeignKey("statuses.id", ondelete="CASCADE"), nullable=True),
    # one notification per (recipient, cause): replays of the same event add nothing
    Column("dedupe_key", String(100), nullable=False),
    _created(),
    # Mastodon's grouping key, set at creation for groupable types ("favourite-<status>-
    # <hour bucket>", "follow-<hour bucket>"); NULL means "ungrouped-<id>" (services.notify)
    Column("group_key", String(64), nullable=True),
    # held back by the recipient's notification policy until its request is accepted
    Column("filtered", Boolean, nullable=False, default=False),
    # added_to_collection / collection_update: the pack (migration 0027)
    Column(
        "collection_id",
        BigInteger,
        ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    ),
    # event_reminder / event_topic: the event (migration 0030)
    Column(
        "event_id",
        BigInteger,
        ForeignKey("events.id", ondelete="CASCADE"),
        nullable=True,
        index=True,
    ),
    UniqueConstraint("account_id", "dedupe_key"),
    Index("ix_notifications_account_id_id", "account_id", "id"),
    Index("ix_notifications_status_id", "status_id"),  # deleting a post finds its own
    # a group's count, newest members and page bounds (services.notification_groups)
    Index("ix_notifications_account_id_group_key_id", "account_id", "group_key", "id"),
)

# What a person wants done with notifications from strangers (Mastodon's NotificationPolicy
# v2): each field is "accept", "filter" or "drop"; no row means Mastodon's defaults.
notification_policies = Table(
    "notification_policies",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("for_not_following", String(8), nullable=False),
    Column("for_not_followers", String(8), nullable=False),
    Column("for_new_accounts", String(8), nullable=False),
    Column("for_private_mentions", String(8), nullable=False),
    Column("for_limited_accounts", String(8), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# One per (recipient, sender) with filtered notifications waiting (Mastodon's
# NotificationRequest); accepting releases them, dismissing deletes them.
notification_requests = Table(
    "notification_requests",
    metadata,
    _id(),
    _account_fk(),
    _account_fk("from_account_id"),
    Column(
        "last_status_id", BigInteger, ForeignKey("statuses.id", ondelete="SET NULL"), nullable=True
    ),
    Column("notifications_count", Integer, nullable=False),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("account_id", "from_account_id"),
)

# Senders whose notifications are never filtered for this recipient (an accepted request).
notification_permissions = Table(
    "notification_permissions",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "from_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    _created(),
)

# Where a person stopped reading a timeline (``home``, ``notifications``), as Mastodon's
# markers; ``version`` is compared-and-set on every change (``services.markers``).
markers = Table(
    "markers",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("timeline", String(32), primary_key=True),
    Column("last_read_id", BigInteger, nullable=False),
    Column("version", Integer, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

home_feed = Table(
    "home_feed",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    # No foreign key to statuses: a cascade would look the post up in every timeline (a
    # full scan: 228 ms per deleted post at 1.6 M rows, holding SQLite's write lock). The
    # ``status_deleted`` job removes the entries from its audience's timelines; readers skip
    # entries whose post is gone.
    Column("status_id", BigInteger, primary_key=True),
    # author of the entry (the reblogger for a reblog), so unfollow/block can drop entries
    Column("author_id", BigInteger, nullable=False),
    # the original post for a reblog, so one post shows once
    Column("reblog_of_id", BigInteger, nullable=True),
    # No index on (account_id, author_id): removing an author's entries scans one timeline
    # (bounded) by the primary key, while the index doubled the pages each fan-out writes.
    # SQLite: the rows live in the primary key's B-tree (migration 0007).
    sqlite_with_rowid=False,
)

# Home timelines that fan-out keeps current: one row per owner active in the last
# ``active_days`` (``kept_until`` in Unix seconds). Other timelines are rebuilt from the
# database when their owner comes back (``timelines.store.SqlTimelineStore``).
home_timelines = Table(
    "home_timelines",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("kept_until", BigInteger, nullable=False),
)

instance_settings = Table(
    "instance_settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", JSON, nullable=False),
)

# Durable background work (outbox): a row is written in the same transaction as the change
# that needs it, claimed by a worker with a lease, deleted when done, kept with ``failed_at``
# after its last attempt so an admin can see and retry it.
jobs = Table(
    "jobs",
    metadata,
    _id(),
    Column("kind", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("run_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("max_attempts", Integer, nullable=False, default=8),
    Column("locked_by", String(100), nullable=True),
    Column("locked_until", DateTime(timezone=True), nullable=True),
    Column("last_error", Text, nullable=True),
    Column("failed_at", DateTime(timezone=True), nullable=True),
    _created(),
    Index("ix_jobs_failed_at_run_at", "failed_at", "run_at"),
)

# Keyword and post filters, as Mastodon's ``custom_filters`` (v2 filters; v1 is answered from
# their keywords). ``context`` is a comma-separated subset of home, notifications, public,
# thread, account; ``action`` 0 warn, 1 hide, 2 blur. ``updated_at`` changes with the
# filter or any of its keywords and posts (``services.filter_rules`` keys compiled rules by
# it). Matching reads the viewer's rows through ``ix_custom_filters_account_id``.
custom_filters = Table(
    "custom_filters",
    metadata,
    _id(),
    _account_fk(),
    Column("title", Text, nullable=False),
    Column("context", String(100), nullable=False),
    Column("action", SmallInteger, nullable=False, default=0),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_custom_filters_account_id", "account_id"),
)

custom_filter_keywords = Table(
    "custom_filter_keywords",
    metadata,
    _id(),
    Column(
        "custom_filter_id",
        BigInteger,
        ForeignKey("custom_filters.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("keyword", Text, nullable=False),
    Column("whole_word", Boolean, nullable=False, default=True),
    _created(),
    Index("ix_custom_filter_keywords_custom_filter_id", "custom_filter_id"),
)

# A post in a filter; no foreign key to statuses (a deleted post simply stops matching, and a
# cascade would scan this table for every deleted post).
custom_filter_statuses = Table(
    "custom_filter_statuses",
    metadata,
    _id(),
    Column(
        "custom_filter_id",
        BigInteger,
        ForeignKey("custom_filters.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("status_id", BigInteger, nullable=False),
    _created(),
    UniqueConstraint("custom_filter_id", "status_id"),
)

# Trends (migration 0024). ``trend_activity`` is the record of use: one row per kind (0 tag,
# 1 link, 2 post interaction), target, hour (since the epoch) and account, so an account
# counts once per target and hour however often it repeats itself; ``uses`` counts its posts
# (a tag's daily history). Rows older than eight days are pruned by the refresh job; no
# foreign keys (the refresh joins the live rows, so deleted accounts or posts drop out).
trend_activity = Table(
    "trend_activity",
    metadata,
    Column("kind", SmallInteger, primary_key=True),
    Column("target_id", BigInteger, primary_key=True),
    Column("hour", Integer, primary_key=True),
    Column("account_id", BigInteger, primary_key=True),
    Column("uses", Integer, nullable=False, default=1),
    Index("ix_trend_activity_hour", "hour"),
)

# Links shared in public posts, by URL (no preview is fetched: Staffroom does not reach
# other sites); ``url_hash`` (SHA-256 of the URL) keeps the unique index small.
trend_links = Table(
    "trend_links",
    metadata,
    _id(),
    Column("url", Text, nullable=False),
    Column("url_hash", String(64), nullable=False, unique=True),
    _created(),
)

# What trends now, as the last refresh scored it (the cache the API reads): ``score`` is the
# decayed score; ``max_score``/``max_score_at`` the peak it decays from (Mastodon's).
trends = Table(
    "trends",
    metadata,
    Column("kind", SmallInteger, primary_key=True),
    Column("target_id", BigInteger, primary_key=True),
    Column("score", Float, nullable=False),
    Column("max_score", Float, nullable=False),
    Column("max_score_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_trends_kind_score", "kind", "score"),
)

# An admin's decision on whether a tag, link or post may trend ("approved" / "rejected").
trend_reviews = Table(
    "trend_reviews",
    metadata,
    Column("kind", SmallInteger, primary_key=True),
    Column("target_id", BigInteger, primary_key=True),
    Column("state", String(10), nullable=False),
    Column("reviewed_at", DateTime(timezone=True), nullable=False),
)

# Lists and followed hashtags (migration 0025, ``staffroom.feed``). A list is private to its
# owner; members need not be followed; a list may also hold hashtags. ``replies_policy``:
# 0 followed, 1 list (Mastodon's default), 2 none. ``exclusive``: members' posts leave home.
lists = Table(
    "lists",
    metadata,
    _id(),
    _account_fk(),
    Column("title", String(200), nullable=False),
    Column("replies_policy", SmallInteger, nullable=False, default=1),
    Column("exclusive", Boolean, nullable=False, default=False),
    _created(),
    Index("ix_lists_account_id_id", "account_id", "id"),
)

list_accounts = Table(
    "list_accounts",
    metadata,
    Column("list_id", BigInteger, ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    # Delivery asks "which lists hold this author" for every post: one index seek.
    Index("ix_list_accounts_account_id_list_id", "account_id", "list_id"),
)

list_tags = Table(
    "list_tags",
    metadata,
    Column("list_id", BigInteger, ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_list_tags_tag_id_list_id", "tag_id", "list_id"),
)

tag_follows = Table(
    "tag_follows",
    metadata,
    _id(),  # pages ``GET /api/v1/followed_tags``
    _account_fk(),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), nullable=False),
    _created(),
    UniqueConstraint("account_id", "tag_id"),
    # Delivery asks "who follows these tags" for every public post with hashtags.
    Index("ix_tag_follows_tag_id_account_id", "tag_id", "account_id"),
)

# List timelines, kept like home timelines: entries in ``list_feed`` for lists whose owner
# read them in the last ``active_days`` (``list_timelines``), rebuilt on the next read.
list_feed = Table(
    "list_feed",
    metadata,
    Column("list_id", BigInteger, ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True),
    Column("status_id", BigInteger, primary_key=True),
    Column("author_id", BigInteger, nullable=False),
    Column("reblog_of_id", BigInteger, nullable=True),
    sqlite_with_rowid=False,
)

list_timelines = Table(
    "list_timelines",
    metadata,
    Column("list_id", BigInteger, ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True),
    Column("kept_until", BigInteger, nullable=False),
)

# The directory (migration 0026, ``services/directory.py``). A row in ``directory_entries``
# is a person's opt-in (no row: not listed); ``directory_field_values`` holds one row per
# (field, value) they chose among the instance's fields (``services/directory_fields.py``):
# subject, level, country, languages, role by default. Filtering by a field is a seek on
# ``(field, value, account_id)``; "which fields has this person" is the primary key.
directory_entries = Table(
    "directory_entries",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("why_follow", String(200), nullable=False, default=""),
    Column("listed_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # "new": the most recently listed first.
    Index("ix_directory_entries_listed_at_account_id", "listed_at", "account_id"),
)

directory_field_values = Table(
    "directory_field_values",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("field", String(32), primary_key=True),
    Column("value", String(64), primary_key=True),
    Index("ix_directory_field_values_field_value_account_id", "field", "value", "account_id"),
)

# Starter packs: Mastodon's collections (migration 0027, services.collections). A pack is
# a named, described, shareable set of people, each with the owner's one-line reason, plus
# hashtags and some of the owner's lists. ``collection_items.state`` is Mastodon's
# ``accepted`` or ``revoked`` (the person removed themselves: they stay out of the pack and
# cannot be added again). ``bulk_follows.collection_id`` links a pack's follow-all.
collections = Table(
    "collections",
    metadata,
    _id(),
    _account_fk(),
    Column("name", String(100), nullable=False),
    Column("description", Text, nullable=False, default=""),
    Column("language", String(16), nullable=True),
    Column("sensitive", Boolean, nullable=False, default=False),
    Column("discoverable", Boolean, nullable=False, default=True),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="SET NULL"), nullable=True),
    _created(),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Index("ix_collections_account_id_id", "account_id", "id"),
)

collection_items = Table(
    "collection_items",
    metadata,
    _id(),
    Column(
        "collection_id",
        BigInteger,
        ForeignKey("collections.id", ondelete="CASCADE"),
        nullable=False,
    ),
    _account_fk(),
    Column("reason", String(200), nullable=False, default=""),
    Column("state", String(10), nullable=False, default="accepted"),
    _created(),
    UniqueConstraint("collection_id", "account_id"),
    # "the packs this person is in" (in_collections, suggestions' "in N packs you used")
    Index("ix_collection_items_account_id_collection_id", "account_id", "collection_id"),
)

collection_tags = Table(
    "collection_tags",
    metadata,
    Column(
        "collection_id",
        BigInteger,
        ForeignKey("collections.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("tag_id", BigInteger, ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
)

collection_lists = Table(
    "collection_lists",
    metadata,
    Column(
        "collection_id",
        BigInteger,
        ForeignKey("collections.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("list_id", BigInteger, ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True),
)

# Who-to-follow dismissals (migration 0028): ``target_account_id`` is never suggested to
# ``account_id`` again (``DELETE /api/v1/suggestions/:id``, the web panel's Dismiss).
suggestion_dismissals = Table(
    "suggestion_dismissals",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "target_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    _created(),
)

# "Followed by N people you follow", precomputed per person by the ``refresh_suggestions`` job
# (decision 0021): the strongest ``POOL`` candidates with their exact count at ``computed_at``
# in ``suggestion_refreshes``, which also says whether a refresh is pending (``stale``).
suggestion_candidates = Table(
    "suggestion_candidates",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "target_account_id",
        BigInteger,
        ForeignKey("accounts.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("followers_in_network", Integer, nullable=False),
    # The ``suggestion_edge`` job and deleting an account find rows by the candidate.
    Index("ix_suggestion_candidates_target_account_id", "target_account_id", "account_id"),
)

suggestion_refreshes = Table(
    "suggestion_refreshes",
    metadata,
    Column(
        "account_id", BigInteger, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("computed_at", DateTime(timezone=True), nullable=True),
    Column("partial", Boolean, nullable=False, default=False),
    # Holds every candidate (fewer than POOL): one missing has a count of 0.
    Column("complete", Boolean, nullable=False, default=False),
    Column("stale", Boolean, nullable=False, default=True),
    Column("version", Integer, nullable=False, default=0),  # bumped by every change
)


# Events, chats, rooms and walls (issue 15) live in their own module on the same metadata.
from staffroom.db import tables_events as _tables_events  # noqa: E402,F401
