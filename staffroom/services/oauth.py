"""OAuth 2 authorisation server logic: authorisation requests, codes, grants, revocation.

Writes ``oauth_codes`` and (through ``services.tokens``) ``access_tokens``. Errors are
:class:`OAuthError` with RFC 6749 codes; the HTTP layer renders them as
``{"error": ..., "error_description": ...}`` or as a redirect back to the client.

Codes are 256 random bits, stored as SHA-256 hashes, single use, valid for 10 minutes, bound
to the client, the exact redirect URI and (with PKCE) an S256 code challenge. Mastodon only
accepts S256, so do we: ``plain`` would let a stolen code be redeemed with the challenge itself.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from staffroom.db.tables import access_tokens, oauth_codes
from staffroom.errors import StaffroomError
from staffroom.policies.scopes import narrow, parse_scopes, unknown_scopes
from staffroom.services.apps import App, app_by_client_id
from staffroom.services.tokens import (
    RESOLVED,
    TokenInfo,
    hash_token,
    issue_token,
    resolve_token,
    revoke_token,
)

CODE_LIFETIME = timedelta(minutes=10)
CODE_CHALLENGE_METHODS = ("S256",)
_PKCE_VALUE = re.compile(r"^[A-Za-z0-9\-._~]{43,128}\Z")


class OAuthError(StaffroomError):
    """An RFC 6749 error: ``error`` code, human ``description`` and HTTP status."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(error, error_description=description)
        self.status = status
        self.error = error
        self.description = description


def invalid_client() -> OAuthError:
    return OAuthError(
        "invalid_client",
        "Client authentication failed: unknown client, no client authentication included, "
        "or unsupported authentication method.",
        status=401,
    )


def invalid_grant(reason: str) -> OAuthError:
    return OAuthError("invalid_grant", reason)


def invalid_scope(detail: str) -> OAuthError:
    return OAuthError(
        "invalid_scope", f"The requested scope is invalid, unknown, or malformed: {detail}"
    )


def _now() -> datetime:
    return datetime.now(UTC)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def granted_scopes(app: App, raw: str | None) -> list[str]:
    """The scopes in ``raw`` (default ``read``) if known and allowed for ``app``; else 400."""
    requested = parse_scopes(raw)
    unknown = unknown_scopes(requested)
    if unknown:
        raise invalid_scope(f"unknown scope {' '.join(unknown)}")
    allowed = narrow(requested, list(app.scopes))
    if allowed is None:
        raise invalid_scope("it asks for more than the application registered")
    return allowed


# --- authorisation requests -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """A checked ``/oauth/authorize`` request, ready for the user's decision."""

    app: App
    redirect_uri: str
    scopes: list[str]
    state: str | None
    code_challenge: str | None
    code_challenge_method: str | None


def find_client(conn: Connection, client_id: str | None, redirect_uri: str | None) -> App:
    """The client and a redirect URI it registered; errors here must not redirect."""
    if not client_id:
        raise OAuthError("invalid_request", "The request is missing the client_id parameter.")
    app = app_by_client_id(conn, client_id)
    if app is None:
        raise OAuthError("invalid_client", "No application is registered with this client_id.")
    if not redirect_uri:
        raise OAuthError("invalid_request", "The request is missing the redirect_uri parameter.")
    if redirect_uri not in app.redirect_uris:
        raise OAuthError(
            "invalid_redirect_uri",
            "The redirect URI does not match one registered by the application.",
        )
    return app


def check_authorization(
    app: App,
    redirect_uri: str,
    *,
    response_type: str | None,
    scope: str | None,
    state: str | None,
    code_challenge: str | None,
    code_challenge_method: str | None,
) -> AuthorizationRequest:
    """Validate the rest of an authorisation request; errors may be redirected to the client."""
    if response_type != "code":
        raise OAuthError(
            "unsupported_response_type", "Only the authorization code flow (code) is supported."
        )
    scopes = granted_scopes(app, scope)
    if code_challenge:
        if code_challenge_method not in CODE_CHALLENGE_METHODS:
            raise OAuthError("invalid_request", "The code_challenge_method must be S256.")
        if not _PKCE_VALUE.match(code_challenge):
            raise OAuthError("invalid_request", "The code_challenge is malformed.")
    else:
        code_challenge, code_challenge_method = None, None
    return AuthorizationRequest(
        app, redirect_uri, scopes, state or None, code_challenge, code_challenge_method
    )


def issue_code(conn: Connection, request: AuthorizationRequest, account_id: int) -> str:
    """Store a new authorisation code for ``account_id`` and return its raw value."""
    raw = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(delete(oauth_codes).where(oauth_codes.c.expires_at < now))
    conn.execute(
        insert(oauth_codes).values(
            code_hash=hash_token(raw),
            app_id=request.app.id,
            account_id=account_id,
            redirect_uri=request.redirect_uri,
            scopes=" ".join(request.scopes),
            code_challenge=request.code_challenge,
            code_challenge_method=request.code_challenge_method,
            expires_at=now + CODE_LIFETIME,
        )
    )
    return raw


def already_authorized(conn: Connection, request: AuthorizationRequest, account_id: int) -> bool:
    """True if the user holds a live token for this app with exactly these scopes."""
    rows = conn.execute(
        select(access_tokens.c.scopes)
        .where(access_tokens.c.app_id == request.app.id)
        .where(access_tokens.c.account_id == account_id)
        .where(access_tokens.c.revoked_at.is_(None))
    )
    wanted = set(request.scopes)
    return any(set(row.scopes.split()) == wanted for row in rows)


# --- token grants -------------------------------------------------------------------------


def authenticate_client(conn: Connection, client_id: str | None, client_secret: str | None) -> App:
    """The application whose credentials these are, or ``invalid_client`` (401)."""
    app = app_by_client_id(conn, client_id or "")
    if app is None or not client_secret:
        raise invalid_client()
    if not hmac.compare_digest(app.client_secret.encode(), client_secret.encode()):
        raise invalid_client()
    return app


def _pkce_matches(challenge: str, method: str | None, verifier: str) -> bool:
    if method != "S256" or not _PKCE_VALUE.match(verifier):
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    expected = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return hmac.compare_digest(expected, challenge)


def exchange_code(
    conn: Connection, app: App, code: str, redirect_uri: str | None, code_verifier: str | None
) -> tuple[str, TokenInfo]:
    """Redeem an authorisation code (once) for an access token."""
    row = conn.execute(
        select(oauth_codes).where(oauth_codes.c.code_hash == hash_token(code))
    ).first()
    if row is None or row.app_id != app.id:
        raise invalid_grant("The authorization code is unknown or was issued to another client.")
    if row.used_at is not None:
        raise CodeReused(row.token_id)
    if _utc(row.expires_at) <= _now():
        raise invalid_grant("The authorization code has expired.")
    if redirect_uri != row.redirect_uri:
        raise invalid_grant("The redirect_uri does not match the one used to authorize.")
    if row.code_challenge is None:
        if code_verifier:
            raise invalid_grant("A code_verifier was sent but no code_challenge was used.")
    elif not code_verifier or not _pkce_matches(
        row.code_challenge, row.code_challenge_method, code_verifier
    ):
        raise invalid_grant("The code_verifier does not match the code_challenge.")
    claimed = conn.execute(
        update(oauth_codes)
        .where(oauth_codes.c.code_hash == row.code_hash)
        .where(oauth_codes.c.used_at.is_(None))
        .values(used_at=_now())
    )
    if claimed.rowcount != 1:  # redeemed concurrently
        raise invalid_grant("The authorization code has already been used.")
    raw, info = issue_token(
        conn, app_id=app.id, account_id=row.account_id, scopes=row.scopes.split()
    )
    conn.execute(
        update(oauth_codes)
        .where(oauth_codes.c.code_hash == row.code_hash)
        .values(token_id=info.token_id)
    )
    return raw, info


class CodeReused(OAuthError):
    """A code was redeemed a second time: the token of its first exchange must be revoked
    (RFC 6749 section 4.1.2), in a transaction of its own, since this one fails."""

    def __init__(self, token_id: int | None) -> None:
        super().__init__("invalid_grant", "The authorization code has already been used.")
        self.token_id = token_id


def revoke_token_of_reused_code(conn: Connection, token_id: int) -> None:
    """Revoke the token issued on a code that has now been presented again."""
    conn.execute(
        update(access_tokens)
        .where(access_tokens.c.id == token_id)
        .where(access_tokens.c.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    RESOLVED.forget_all()  # and again once committed: ``Runtime.tokens_revoked``


def issue_app_token(
    conn: Connection, app: App, scopes: list[str], account_id: int | None = None
) -> tuple[str, TokenInfo]:
    """A token for ``app`` alone (client_credentials) or for a user (password grant)."""
    return issue_token(conn, app_id=app.id, account_id=account_id, scopes=scopes)


def revoke_for_client(conn: Connection, app: App, raw: str) -> bool:
    """Revoke ``raw`` if it is ``app``'s; unknown tokens are fine (RFC 7009), others' are not.

    Returns ``False`` when the token belongs to a different client (or to a web session).
    """
    info = resolve_token(conn, raw)
    if info is None:
        return True
    if info.app_id != app.id:
        return False
    revoke_token(conn, raw, client_id=app.client_id)
    return True
