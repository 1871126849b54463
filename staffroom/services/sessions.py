"""One's own sign-ins: web sessions and authorised apps, password change, page preferences.

Reads ``access_tokens``/``apps``/``users``; writes ``access_tokens.revoked_at``,
``users.password_hash``, ``users.locale``, ``users.default_visibility`` and
``web_preferences.data_saver``. Every function
that revokes tokens forgets resolved tokens in its transaction; the caller must call
``Runtime.tokens_revoked()`` once it has committed, as the API's revocation does, so that
other processes and open streams learn of it. Hash passwords before calling (slow on purpose).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, select, update

from staffroom.db.tables import access_tokens, accounts, apps, users, web_preferences
from staffroom.db.upsert import insert_ignore
from staffroom.errors import NotFound
from staffroom.services.tokens import RESOLVED, hash_token

# users.locale, read by the web pages: the sign-up default "en" means "follow the browser";
# English chosen on purpose is stored as a private-use tag.
FOLLOW_BROWSER = "en"
CHOSEN_ENGLISH = "en-x-web"


def page_locale(stored: str | None) -> str | None:
    """The pages' language a person chose (``None``: follow the browser's)."""
    if not stored or stored == FOLLOW_BROWSER:
        return None
    return "en" if stored == CHOSEN_ENGLISH else stored.split("-")[0].lower()


def stored_locale(choice: str) -> str:
    """What to store for a choice on the settings page ("" = follow the browser)."""
    if not choice:
        return FOLLOW_BROWSER
    return CHOSEN_ENGLISH if choice == "en" else choice


@dataclass(frozen=True, slots=True)
class Grant:
    """An unrevoked access token of the account: a web session or an app's authorisation."""

    token_id: int
    app_name: str | None  # None: a web browser session
    scopes: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None


def list_grants(conn: Connection, account_id: int) -> list[Grant]:
    """The account's live sessions and app tokens, newest first."""
    rows = conn.execute(
        select(
            access_tokens.c.id,
            apps.c.name,
            access_tokens.c.scopes,
            access_tokens.c.created_at,
            access_tokens.c.last_used_at,
        )
        .select_from(access_tokens.outerjoin(apps, apps.c.id == access_tokens.c.app_id))
        .where(access_tokens.c.account_id == account_id, access_tokens.c.revoked_at.is_(None))
        .order_by(access_tokens.c.id.desc())
    )
    return [
        Grant(row.id, row.name, tuple(row.scopes.split()), row.created_at, row.last_used_at)
        for row in rows
    ]


def token_id_of(conn: Connection, raw: str) -> int | None:
    """The ID of the live token ``raw`` (this browser's session), else ``None``."""
    found = conn.execute(
        select(access_tokens.c.id).where(
            access_tokens.c.token_hash == hash_token(raw), access_tokens.c.revoked_at.is_(None)
        )
    ).first()
    return None if found is None else int(found.id)


def revoke_grant(conn: Connection, account_id: int, token_id: int) -> None:
    """Revoke one of the account's tokens by ID (404 if it is not a live token of theirs)."""
    result = conn.execute(
        update(access_tokens)
        .where(
            access_tokens.c.id == token_id,
            access_tokens.c.account_id == account_id,
            access_tokens.c.revoked_at.is_(None),
        )
        .values(revoked_at=datetime.now(UTC))
    )
    RESOLVED.forget_all()
    if not result.rowcount:
        raise NotFound()


def change_password(
    conn: Connection, account_id: int, password_hash: str, keep_token_id: int | None
) -> None:
    """Store the new hash and revoke every other token of the account (not ``keep``)."""
    conn.execute(
        update(users).where(users.c.account_id == account_id).values(password_hash=password_hash)
    )
    stmt = update(access_tokens).where(
        access_tokens.c.account_id == account_id, access_tokens.c.revoked_at.is_(None)
    )
    if keep_token_id is not None:
        stmt = stmt.where(access_tokens.c.id != keep_token_id)
    RESOLVED.forget_all()
    conn.execute(stmt.values(revoked_at=datetime.now(UTC)))


@dataclass(frozen=True, slots=True)
class AccountPreferences:
    email: str
    locale: str | None  # page_locale(): None follows the browser
    default_visibility: str
    default_quote_policy: str = "public"
    indexable: bool = True  # may search find their public posts


def account_preferences(conn: Connection, account_id: int) -> AccountPreferences:
    row = conn.execute(
        select(
            users.c.email,
            users.c.locale,
            users.c.default_visibility,
            users.c.default_quote_policy,
            accounts.c.indexable,
        )
        .join_from(users, accounts, accounts.c.id == users.c.account_id)
        .where(users.c.account_id == account_id)
    ).first()
    if row is None:
        raise NotFound()
    return AccountPreferences(
        row.email,
        page_locale(row.locale),
        row.default_visibility,
        row.default_quote_policy,
        bool(row.indexable),
    )


def set_data_saver(conn: Connection, account_id: int, on: bool) -> None:
    """Show images in posts only when tapped (``web_preferences.data_saver``)."""
    now = datetime.now(UTC)
    # A new row says the first-run path is finished, as a deck row does (services.deck).
    conn.execute(
        insert_ignore(conn, web_preferences),
        {"account_id": account_id, "first_run": "done", "updated_at": now, "data_saver": on},
    )
    conn.execute(
        update(web_preferences)
        .where(web_preferences.c.account_id == account_id)
        .values(data_saver=on, updated_at=now)
    )


def set_page_locale(conn: Connection, account_id: int, choice: str) -> None:
    """Store the pages' language ("" follows the browser; validated by the caller)."""
    conn.execute(
        update(users).where(users.c.account_id == account_id).values(locale=stored_locale(choice))
    )
