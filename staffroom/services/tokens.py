"""Access tokens: random, shown once, stored as SHA-256 hashes.

Writes ``access_tokens``. Used by the OAuth endpoints (issue) and every authenticated request
(resolve).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, insert, select, update

from staffroom.cache import BoundedCache
from staffroom.db import fastsql
from staffroom.db.tables import access_tokens, apps, users
from staffroom.ids import new_id


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What a valid bearer token grants."""

    token_id: int
    account_id: int | None
    app_id: int | None
    scopes: frozenset[str]
    scope_list: tuple[str, ...]
    created_at: datetime


def issue_token(
    conn: Connection, *, app_id: int | None, account_id: int | None, scopes: list[str]
) -> tuple[str, TokenInfo]:
    """Create a token (256 random bits) and return the raw value, which is never stored."""
    raw = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    token_id = new_id()
    conn.execute(
        insert(access_tokens).values(
            id=token_id,
            token_hash=hash_token(raw),
            app_id=app_id,
            account_id=account_id,
            scopes=" ".join(scopes),
            created_at=now,
        )
    )
    info = TokenInfo(token_id, account_id, app_id, frozenset(scopes), tuple(scopes), now)
    return raw, info


_RESOLVE_SQL = (
    "SELECT id, account_id, app_id, scopes, created_at FROM access_tokens"
    " WHERE token_hash = ? AND revoked_at IS NULL"
)


# How long this process trusts a token it resolved (see ResolvedTokens).
RESOLVED_SECONDS = 10.0
# The broker channel on which a process tells the others that a token was revoked.
REVOKED_CHANNEL = "staffroom:tokens-revoked"


class ResolvedTokens:
    """Valid tokens this process resolved lately, by hash: a client's requests come in runs,
    and each would otherwise look its token up again.

    Revoking must still take effect at once. Every revocation calls :meth:`forget_all`
    (in its transaction, again once it has committed, and in every other process when the
    broker brings the news), which starts a new generation; an entry counts only in the
    generation in which its database read began, so a read that raced a revocation is not
    trusted afterwards. An entry also lapses after ``ttl`` seconds: the bound if a broker
    message is lost. Unknown tokens are not kept (one may be issued by another process).
    """

    def __init__(self, ttl: float = RESOLVED_SECONDS, capacity: int = 100_000) -> None:
        self.ttl = ttl
        self.generation = 0
        self._entries: BoundedCache[str, tuple[int, float, TokenInfo]] = BoundedCache(capacity)

    def get(self, token_hash: str) -> TokenInfo | None:
        entry = self._entries.get(token_hash)
        if entry is None or entry[0] != self.generation or entry[1] < time.monotonic():
            return None
        return entry[2]

    def put(self, token_hash: str, info: TokenInfo, generation: int) -> None:
        """Keep ``info``, read in ``generation`` (taken before the read)."""
        if generation == self.generation:
            self._entries.put(token_hash, (generation, time.monotonic() + self.ttl, info))

    def forget_all(self) -> None:
        self.generation += 1
        self._entries.clear()


RESOLVED = ResolvedTokens()


def resolve_token(conn: Connection, raw: str) -> TokenInfo | None:
    """The grant behind a raw bearer token, or ``None`` if unknown or revoked."""
    if not raw or len(raw) > 512:
        return None
    token_hash = hash_token(raw)
    info = RESOLVED.get(token_hash)
    if info is None:
        generation = RESOLVED.generation
        info = _read_token(conn, token_hash)
        if info is not None:
            RESOLVED.put(token_hash, info, generation)
    return info


def _read_token(conn: Connection, token_hash: str) -> TokenInfo | None:
    rows = fastsql.run_plain(conn, _RESOLVE_SQL, token_hash)
    if not rows:
        return None
    token_id, account_id, app_id, scopes, created = rows[0]
    parsed = _SCOPES.get(scopes)
    if parsed is None:  # a token's scopes are one of a few strings
        scope_list = tuple(scopes.split())
        parsed = (frozenset(scope_list), scope_list)
        if len(_SCOPES) < 1024:
            _SCOPES[scopes] = parsed
    if isinstance(created, str):  # SQLite, read at driver level
        created = datetime.fromisoformat(created).replace(tzinfo=UTC)
    return TokenInfo(token_id, account_id, app_id, parsed[0], parsed[1], created)


_SCOPES: dict[str, tuple[frozenset[str], tuple[str, ...]]] = {}


def revoke_token(conn: Connection, raw: str, *, client_id: str | None = None) -> bool:
    """Revoke a token (optionally only if it belongs to ``client_id``'s app)."""
    stmt = update(access_tokens).where(access_tokens.c.token_hash == hash_token(raw))
    if client_id is not None:
        app_ids = select(apps.c.id).where(apps.c.client_id == client_id).scalar_subquery()
        stmt = stmt.where(access_tokens.c.app_id == app_ids)
    result = conn.execute(stmt.values(revoked_at=datetime.now(UTC)))
    RESOLVED.forget_all()  # and again once committed: ``Runtime.tokens_revoked``
    return bool(result.rowcount)


def revoke_all_for_account(conn: Connection, account_id: int) -> None:
    RESOLVED.forget_all()
    conn.execute(
        update(access_tokens)
        .where(access_tokens.c.account_id == account_id)
        .where(access_tokens.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )


def touch_last_active(conn: Connection, account_id: int) -> None:
    """Mark the account's user as active now."""
    conn.execute(
        update(users)
        .where(users.c.account_id == account_id)
        .values(last_active_at=datetime.now(UTC))
    )
