"""Sign-up: validate a new account, then create the account and its login in one transaction.

Writes ``accounts`` and ``users``. Password hashing (slow on purpose) happens between the two
steps, outside any transaction: see :func:`register`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from staffroom.db.engine import Database
from staffroom.db.tables import accounts, users
from staffroom.errors import ValidationFailed
from staffroom.ids import new_id
from staffroom.messages import N_, T_
from staffroom.services.passwords import hash_password, password_problem
from staffroom.timelines.store import keep_new_timeline

USERNAME_RE = re.compile(r"^[A-Za-z0-9_]{1,30}\Z")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}\Z")
RESERVED = frozenset(
    {
        "admin",
        "administrator",
        "root",
        "support",
        "help",
        "api",
        "oauth",
        "staffroom",
        "settings",
        "about",
        "auth",
        "login",
        "logout",
        "signup",
        "web",
        "public",
        "local",
        "instance",
        "postmaster",
        "webmaster",
        "abuse",
        "security",
        "www",
        "mail",
    }
)


@dataclass(frozen=True, slots=True)
class SignUp:
    username: str
    email: str
    password: str
    display_name: str = ""
    locale: str = "en"
    admin: bool = False


def _detail(code: str, description: str) -> list[dict[str, str]]:
    return [{"error": code, "description": description}]


def check_sign_up(form: SignUp) -> None:
    """Raise ``ValidationFailed`` (422, with per-field ``details``) for a bad sign-up."""
    problems: dict[str, list[dict[str, str]]] = {}
    messages: list[str] = []
    if not USERNAME_RE.match(form.username):
        messages.append(N_("Username must be 1-30 letters, digits or underscores"))
        problems["username"] = _detail("ERR_INVALID", messages[-1])
    elif form.username.lower() in RESERVED:
        messages.append(N_("Username is reserved"))
        problems["username"] = _detail("ERR_RESERVED", messages[-1])
    if len(form.email) > 254 or not EMAIL_RE.match(form.email):
        messages.append(N_("Email is not a valid address"))
        problems["email"] = _detail("ERR_INVALID", messages[-1])
    problem = password_problem(form.password)
    if problem:
        messages.append(problem)
        problems["password"] = _detail("ERR_INVALID", messages[-1])
    if len(form.display_name) > 30:
        messages.append(T_("Display name is too long (maximum is %(count)s characters)", count=30))
        problems["display_name"] = _detail("ERR_TOO_LONG", messages[-1])
    if messages:
        raise ValidationFailed(", ".join(messages), details=problems)


def _check_free(conn: Connection, form: SignUp) -> None:
    taken: dict[str, list[dict[str, str]]] = {}
    if conn.execute(
        select(accounts.c.id).where(accounts.c.username_lower == form.username.lower())
    ).first():
        taken["username"] = _detail("ERR_TAKEN", N_("Username is already taken"))
    if conn.execute(
        select(users.c.account_id).where(users.c.email_lower == form.email.lower())
    ).first():
        taken["email"] = _detail("ERR_TAKEN", N_("Email is already registered"))
    if taken:
        message = ", ".join(d[0]["description"] for d in taken.values())
        raise ValidationFailed(message, details=taken)


def create_account(conn: Connection, form: SignUp, password_hash: str) -> int:
    """Insert the account and its user row; returns the new account ID."""
    _check_free(conn, form)
    now = datetime.now(UTC)
    account_id = new_id()
    conn.execute(
        insert(accounts).values(
            id=account_id,
            username=form.username,
            username_lower=form.username.lower(),
            display_name=form.display_name,
            note="",
            note_html="",
            locked=False,
            bot=False,
            discoverable=True,
            followers_count=0,
            following_count=0,
            statuses_count=0,
            created_at=now,
            updated_at=now,
        )
    )
    conn.execute(
        insert(users).values(
            account_id=account_id,
            email=form.email,
            email_lower=form.email.lower(),
            password_hash=password_hash,
            admin=form.admin,
            locale=form.locale or "en",
            default_visibility="public",
            default_sensitive=False,
            created_at=now,
        )
    )
    keep_new_timeline(conn, account_id, int(now.timestamp()))
    return account_id


def register(db: Database, form: SignUp) -> int:
    """Validate, hash the password, create the account. Safe to call from a worker thread."""
    check_sign_up(form)
    db.read(_check_free, form)  # fail fast before the slow hash
    password_hash = hash_password(form.password)
    try:
        return db.write(create_account, form, password_hash)
    except IntegrityError:  # lost a race for the same username or e-mail
        raise ValidationFailed(
            "Username or email is already taken",
            details={"username": _detail("ERR_TAKEN", N_("Username is already taken"))},
        ) from None


def count_accounts(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(accounts)).scalar_one())
