"""OAuth client applications: registration (``POST /api/v1/apps``) and look-up.

Writes ``apps``. Rules follow Mastodon's (Doorkeeper's) validation: a name of at most 60
characters, one or more absolute redirect URIs without fragments (``urn:ietf:wg:oauth:2.0:oob``
allowed, ``javascript:``/``data:``/``vbscript:`` refused), known scopes only (default ``read``),
and an optional http(s) website.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, insert, select

from staffroom.db.tables import apps
from staffroom.errors import ValidationFailed
from staffroom.ids import new_id
from staffroom.policies.scopes import DEFAULT_SCOPES, parse_scopes, unknown_scopes

OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob"
MAX_NAME_LENGTH = 60
MAX_URI_LENGTH = 2000
_FORBIDDEN_SCHEMES = frozenset({"javascript", "data", "vbscript"})


@dataclass(frozen=True, slots=True)
class AppForm:
    """What a client sends to register itself."""

    name: str
    redirect_uris: list[str]
    scopes: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class App:
    """A registered client application."""

    id: int
    name: str
    website: str | None
    redirect_uris: tuple[str, ...]
    scopes: tuple[str, ...]
    client_id: str
    client_secret: str
    created_at: datetime


def split_redirect_uris(values: list[str]) -> list[str]:
    """Each value may itself hold several whitespace-separated URIs (Doorkeeper's storage)."""
    uris: list[str] = []
    for value in values:
        for uri in value.split():
            if uri not in uris:
                uris.append(uri)
    return uris


def redirect_uri_problem(uri: str) -> str | None:
    """Why ``uri`` cannot be a redirect URI, or ``None`` if it can."""
    if uri == OOB_REDIRECT_URI:
        return None
    if any(ord(ch) < 33 or ord(ch) == 127 for ch in uri):
        return "must not contain spaces or control characters"
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "must be an absolute URI"
    if not parts.scheme:
        return "must be an absolute URI"
    if "#" in uri:
        return "cannot contain a fragment"
    if parts.scheme.lower() in _FORBIDDEN_SCHEMES:
        return "uses a forbidden scheme"
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return "must be an absolute URI"
    return None


def _website_is_valid(website: str) -> bool:
    try:
        parts = urlsplit(website)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _problems(form: AppForm, uris: list[str], scopes: list[str]) -> list[str]:
    problems: list[str] = []
    name = form.name.strip()
    if not name:
        problems.append("Name can't be blank")
    elif len(name) > MAX_NAME_LENGTH:
        problems.append(f"Name is too long (maximum is {MAX_NAME_LENGTH} characters)")
    if not uris:
        problems.append("Redirect URI can't be blank")
    for uri in uris:
        problem = redirect_uri_problem(uri)
        if problem:
            problems.append(f"Redirect URI {problem}: {uri[:200]}")
    if len("\n".join(uris)) > MAX_URI_LENGTH:
        problems.append(f"Redirect URI is too long (maximum is {MAX_URI_LENGTH} characters)")
    unknown = unknown_scopes(scopes)
    if unknown:
        problems.append(f"Scopes doesn't match configured on the server: {' '.join(unknown)}")
    website = (form.website or "").strip()
    if website and (len(website) > MAX_URI_LENGTH or not _website_is_valid(website)):
        problems.append("Website is invalid")
    return problems


def register_app(conn: Connection, form: AppForm, *, owner_account_id: int | None = None) -> App:
    """Validate ``form`` (422 ``Validation failed: ...``) and store a new application."""
    uris = split_redirect_uris(form.redirect_uris)
    scopes = parse_scopes(form.scopes, default=DEFAULT_SCOPES)
    problems = _problems(form, uris, scopes)
    if problems:
        raise ValidationFailed(", ".join(problems))
    app = App(
        id=new_id(),
        name=form.name.strip(),
        website=(form.website or "").strip() or None,
        redirect_uris=tuple(uris),
        scopes=tuple(scopes),
        client_id=secrets.token_urlsafe(32),
        client_secret=secrets.token_urlsafe(32),
        created_at=datetime.now(UTC),
    )
    conn.execute(
        insert(apps).values(
            id=app.id,
            name=app.name,
            website=app.website,
            redirect_uris="\n".join(app.redirect_uris),
            scopes=" ".join(app.scopes),
            client_id=app.client_id,
            client_secret=app.client_secret,
            owner_account_id=owner_account_id,
            created_at=app.created_at,
        )
    )
    return app


def _from_row(row: Any) -> App:
    return App(
        id=row.id,
        name=row.name,
        website=row.website,
        redirect_uris=tuple(row.redirect_uris.split()),
        scopes=tuple(row.scopes.split()),
        client_id=row.client_id,
        client_secret=row.client_secret,
        created_at=row.created_at,
    )


def app_by_client_id(conn: Connection, client_id: str) -> App | None:
    """The application with this ``client_id``, or ``None``."""
    if not client_id or len(client_id) > 64:
        return None
    row = conn.execute(select(apps).where(apps.c.client_id == client_id)).first()
    return None if row is None else _from_row(row)


def app_by_id(conn: Connection, app_id: int) -> App | None:
    row = conn.execute(select(apps).where(apps.c.id == app_id)).first()
    return None if row is None else _from_row(row)
