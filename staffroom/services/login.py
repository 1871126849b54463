"""Signing in with e-mail and password, and web sessions backed by access tokens.

Reads ``users``/``accounts``; writes ``access_tokens`` (through ``services.tokens``).
:func:`check_password_login` hashes, so call it from a worker thread.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from staffroom.db import fastsql
from staffroom.db.engine import Database
from staffroom.db.tables import accounts, users
from staffroom.services.onboarding import DONE as FIRST_RUN_DONE
from staffroom.services.passwords import MAX_LENGTH, burn_verify_time, verify_password
from staffroom.services.sessions import page_locale
from staffroom.services.tokens import issue_token, resolve_token, revoke_token

WEB_SESSION_SCOPES = ("read", "write", "follow", "push")


@dataclass(frozen=True, slots=True)
class SessionUser:
    """The account signed in through a web session."""

    account_id: int
    username: str
    display_name: str
    locale: str | None = None  # the pages' language they chose; None follows the browser
    default_visibility: str = "public"  # where the composer starts
    first_run_pending: bool = False  # started the first-run path and not finished it
    data_saver: bool = False  # images in posts only when tapped
    # Notifications newer than the notifications marker (``services.markers``), at most
    # ``UNREAD_CAP``: the navigation's badge at page load.
    unread_notifications: int = 0


def _credentials_for(conn: Connection, email: str) -> tuple[int, str] | None:
    row = conn.execute(
        select(users.c.account_id, users.c.password_hash).where(
            users.c.email_lower == email.strip().lower()
        )
    ).first()
    return None if row is None else (row.account_id, row.password_hash)


def check_password_login(db: Database, email: str, password: str) -> int | None:
    """The account ID for this e-mail and password, else ``None`` (same time either way)."""
    found = db.read(_credentials_for, email) if email and len(email) <= 254 else None
    if found is None or len(password) > MAX_LENGTH:
        burn_verify_time()
        return None
    account_id, password_hash = found
    return account_id if verify_password(password_hash, password) else None


def start_web_session(conn: Connection, account_id: int) -> str:
    """Issue the token a browser session holds (no app, full user scopes); returns it raw."""
    raw, _ = issue_token(conn, app_id=None, account_id=account_id, scopes=list(WEB_SESSION_SCOPES))
    return raw


def end_web_session(conn: Connection, raw: str) -> None:
    revoke_token(conn, raw)


# Every signed-in page reads this: plain SQL on the driver (SQLAlchemy's statement building
# cost several times the primary-key read itself). Read afresh on every request, not kept:
# a new display name or language shows on the very next page, in every process.
# The account's page preferences come with it (the composer's visibility, an unfinished first
# run), so the home page needs no reads of its own beside the timeline. So does the
# navigation's badge: the notifications newer than the notifications marker (not those held
# back by the notification policy; all of them when there is none), counted on the
# ``(account_id, id)`` index and no further than UNREAD_CAP.
UNREAD_CAP = 100
_SESSION_ACCOUNT_SQL = (
    "SELECT a.username, a.display_name, u.locale, u.default_visibility, p.first_run,"
    " p.data_saver,"
    " (SELECT count(*) FROM (SELECT 1 FROM notifications n WHERE n.account_id = ?"
    "   AND NOT n.filtered"
    "   AND n.id > COALESCE((SELECT m.last_read_id FROM markers m WHERE m.account_id = ?"
    f"   AND m.timeline = 'notifications'), 0) LIMIT {UNREAD_CAP}) unread)"
    " FROM accounts a JOIN users u ON u.account_id = a.id"
    " LEFT JOIN web_preferences p ON p.account_id = a.id WHERE a.id = ?"
)


def resolve_web_session(conn: Connection, raw: str) -> SessionUser | None:
    """The signed-in account for a session token, or ``None`` if revoked or not a web token."""
    info = resolve_token(conn, raw)  # kept per process until any revocation (services.tokens)
    if info is None or info.account_id is None or info.app_id is not None:
        return None
    account_id = info.account_id
    rows = fastsql.run_plain(conn, _SESSION_ACCOUNT_SQL, account_id, account_id, account_id)
    if not rows:
        return None
    username, display_name, locale, visibility, first_run, data_saver, unread = rows[0]
    return SessionUser(
        info.account_id,
        username,
        display_name,
        page_locale(locale),
        visibility or "public",
        first_run is not None and first_run != FIRST_RUN_DONE,
        bool(data_saver),
        int(unread),
    )


@dataclass(frozen=True, slots=True)
class Profile:
    """The public basics of a local account (for OpenID-style userinfo)."""

    account_id: int
    username: str
    display_name: str
    avatar_path: str | None


def find_profile(conn: Connection, account_id: int) -> Profile | None:
    row = conn.execute(
        select(accounts.c.username, accounts.c.display_name, accounts.c.avatar_path).where(
            accounts.c.id == account_id
        )
    ).first()
    if row is None:
        return None
    return Profile(account_id, row.username, row.display_name, row.avatar_path)
