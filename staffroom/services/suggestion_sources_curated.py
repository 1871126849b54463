"""Two more sources of whom to follow, from what people curated (read-only):

- ``in_packs``: members of starter packs the viewer used (a follow-all or "follow the ones
  ticked" recorded in ``bulk_follows`` with its ``collection_id``, not undone) whom they
  do not follow: "in 2 packs you used" (evidence: how many, and the packs' names);
- ``directory_subject``: people listed in the directory under one of the viewer's own
  subjects (``directory_field_values``, field ``subject``; the viewer's values are read
  whether or not they are listed themselves): "in the directory under Mathematics"
  (evidence: the subjects' labels, untranslated messages the page translates; a code
  the default field set does not know is shown as it is).

Both are bounded (``LIMIT`` on each read) and leave out ``ctx.excluded()``; ranking and
the exclusions that always apply stay in ``services.suggestions``. Registered into
``suggestion_sources.SOURCES`` by :func:`register_all` (called once by
``services.suggestions``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from staffroom.db.tables import (
    accounts,
    bulk_follows,
    collection_items,
    collections,
    directory_entries,
    directory_field_values,
)
from staffroom.services.directory_fields import DEFAULT_FIELDS
from staffroom.services.suggestion_sources import (
    ACTIVE_DAYS,
    FEATURED,
    POOL,
    SIMILAR,
    Context,
    Reason,
    Source,
    register,
)

PACKS_USED = 50  # newest packs the viewer used that are read
SUBJECT = "subject"
SUBJECTS = 10  # of the viewer's subjects, how many are read
_NAMES = 2  # pack names given as evidence
_SUBJECT_LABELS = dict(next(f.choices for f in DEFAULT_FIELDS if f.name == SUBJECT))


def _in_packs(ctx: Context) -> dict[int, Reason]:
    used = (
        select(bulk_follows.c.collection_id)
        .where(
            bulk_follows.c.account_id == ctx.viewer_id,
            bulk_follows.c.collection_id.is_not(None),
            bulk_follows.c.undone_at.is_(None),
        )
        .order_by(bulk_follows.c.id.desc())
        .limit(PACKS_USED)
    )
    pack_ids = sorted(set(ctx.conn.execute(used).scalars()))
    if not pack_ids:
        return {}
    rows = ctx.conn.execute(
        select(collection_items.c.account_id, collections.c.name)
        .join(collections, collections.c.id == collection_items.c.collection_id)
        .where(
            collection_items.c.collection_id.in_(pack_ids),
            collection_items.c.state == "accepted",
            collection_items.c.account_id.not_in(ctx.excluded()),
        )
        .order_by(collection_items.c.collection_id.desc())
        .limit(POOL * 4)
    )
    packs: dict[int, list[str]] = defaultdict(list)
    for account_id, name in rows:
        packs[account_id].append(name)
    ranked = sorted(packs, key=lambda a: (-len(packs[a]), -a))[:POOL]
    return {
        a: Reason("in_packs", len(packs[a]), labels=tuple(sorted(packs[a])[:_NAMES]))
        for a in ranked
    }


def _directory_subject(ctx: Context) -> dict[int, Reason]:
    mine = list(
        ctx.conn.execute(
            select(directory_field_values.c.value)
            .where(
                directory_field_values.c.account_id == ctx.viewer_id,
                directory_field_values.c.field == SUBJECT,
            )
            .limit(SUBJECTS)
        ).scalars()
    )
    if not mine:
        return {}
    rows = ctx.conn.execute(
        select(directory_field_values.c.account_id, directory_field_values.c.value)
        .join(
            directory_entries, directory_entries.c.account_id == directory_field_values.c.account_id
        )
        .join(accounts, accounts.c.id == directory_field_values.c.account_id)
        .where(
            directory_field_values.c.field == SUBJECT,
            directory_field_values.c.value.in_(mine),
            accounts.c.discoverable.is_(True),
            accounts.c.last_status_at >= ctx.now - timedelta(days=ACTIVE_DAYS),
            directory_field_values.c.account_id.not_in(ctx.excluded()),
        )
        .order_by(accounts.c.last_status_at.desc(), directory_field_values.c.account_id.desc())
        .limit(POOL * 2)
    )
    shared: dict[int, list[str]] = defaultdict(list)
    for account_id, value in rows:
        shared[account_id].append(value)
    ranked = list(shared)[:POOL]  # most recently active first, as read
    order = {value: i for i, value in enumerate(mine)}
    return {
        a: Reason(
            "directory_subject",
            len(shared[a]),
            labels=tuple(
                _SUBJECT_LABELS.get(code, code)
                for code in sorted(shared[a], key=lambda v: order.get(v, 0))
            ),
        )
        for a in ranked
    }


def register_all() -> None:
    """Add both sources to the registry (idempotent: ``register`` replaces by kind)."""
    register(Source("in_packs", FEATURED, 5.0, _in_packs))
    register(Source("directory_subject", SIMILAR, 4.0, _directory_subject))
