"""Accounts for scale-out tests: a few made through the API, thousands seeded in bulk.

``sign_up`` goes the way a client does (register an app, take an app token with the client
credentials grant, ``POST /api/v1/accounts``). ``seed_followers`` writes account, user and
follow rows straight into the database for crowds too big to sign up one by one, keeping the
denormalised counters right; ``keep_timelines`` marks their Redis home timelines as kept,
exactly as the Redis store does when it rebuilds an empty timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
import redis
from sqlalchemy import Engine, insert, update

from staffroom.db.tables import accounts, follows, users
from staffroom.ids import new_id
from staffroom.services.passwords import hash_password

PASSWORD = "correct horse battery staple"
SCOPES = "read write follow push"
KEEP_SECONDS = 14 * 86400  # the store's default ``active_days``


@dataclass(frozen=True)
class Member:
    """An account signed up through the API, and its user token."""

    id: int
    username: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def _ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, f"{response.request.url}: {response.text}"
    return response.json()


def sign_up(url: str, username: str) -> Member:
    """Create ``username`` through the web process at ``url`` and return it with a token."""
    with httpx.Client(base_url=url, timeout=20) as http:
        app = _ok(
            http.post(
                "/api/v1/apps",
                data={
                    "client_name": "scale-out test",
                    "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
                    "scopes": SCOPES,
                },
            )
        )
        app_token = _ok(
            http.post(
                "/oauth/token",
                data={
                    "grant_type": "client_credentials",
                    "client_id": app["client_id"],
                    "client_secret": app["client_secret"],
                    "scope": SCOPES,
                },
            )
        )["access_token"]
        token = _ok(
            http.post(
                "/api/v1/accounts",
                headers={"Authorization": f"Bearer {app_token}"},
                data={
                    "username": username,
                    "email": f"{username}@example.org",
                    "password": PASSWORD,
                    "agreement": "true",
                    "locale": "en",
                },
            )
        )["access_token"]
        me = _ok(http.get("/api/v1/accounts/verify_credentials", headers=_bearer(token)))
    return Member(int(me["id"]), username, token)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def follow(url: str, who: Member, target: Member) -> None:
    with httpx.Client(base_url=url, timeout=20) as http:
        relation = _ok(http.post(f"/api/v1/accounts/{target.id}/follow", headers=who.headers))
    assert relation["following"] is True, relation


def home_ids(url: str, who: Member) -> list[str]:
    """Status IDs on the first page of ``who``'s home timeline, read through ``url``."""
    response = httpx.get(f"{url}/api/v1/timelines/home", headers=who.headers, timeout=20)
    assert response.status_code == 200, response.text
    return [status["id"] for status in response.json()]


def post(url: str, who: Member, text: str) -> int:
    """Post through ``url``; returns the new status ID once the server has acknowledged it."""
    response = httpx.post(
        f"{url}/api/v1/statuses",
        headers=who.headers,
        data={"status": text, "visibility": "public"},
        timeout=20,
    )
    status = _ok(response)
    assert status["content"], status
    return int(status["id"])


def seed_followers(db: Engine, target_id: int, count: int, prefix: str) -> list[int]:
    """Create ``count`` accounts following ``target_id``; returns their IDs."""
    now = datetime.now(UTC)
    password_hash = hash_password(PASSWORD)  # one hash for all: the crowd never logs in
    ids = [new_id() for _ in range(count)]
    names = [f"{prefix}{n}" for n in range(count)]
    with db.begin() as conn:
        conn.execute(
            insert(accounts),
            [
                {
                    "id": account_id,
                    "username": name,
                    "username_lower": name.lower(),
                    "display_name": "",
                    "note": "",
                    "note_html": "",
                    "locked": False,
                    "bot": False,
                    "discoverable": True,
                    "followers_count": 0,
                    "following_count": 1,
                    "statuses_count": 0,
                    "created_at": now,
                    "updated_at": now,
                }
                for account_id, name in zip(ids, names, strict=True)
            ],
        )
        conn.execute(
            insert(users),
            [
                {
                    "account_id": account_id,
                    "email": f"{name}@example.org",
                    "email_lower": f"{name.lower()}@example.org",
                    "password_hash": password_hash,
                    "admin": False,
                    "locale": "en",
                    "default_visibility": "public",
                    "default_sensitive": False,
                    "created_at": now,
                }
                for account_id, name in zip(ids, names, strict=True)
            ],
        )
        conn.execute(
            insert(follows),
            [
                {
                    "id": new_id(),
                    "account_id": account_id,
                    "target_account_id": target_id,
                    "show_reblogs": True,
                    "notify": False,
                    "created_at": now,
                }
                for account_id in ids
            ],
        )
        conn.execute(
            update(accounts)
            .where(accounts.c.id == target_id)
            .values(followers_count=accounts.c.followers_count + count)
        )
    return ids


def feed_key(account_id: int) -> str:
    return f"staffroom:feed:{account_id}"


def keep_timelines(client: redis.Redis, account_ids: list[int]) -> None:
    """Make these accounts' Redis home timelines kept, empty (the sentinel member ``0``)."""
    pipe = client.pipeline(transaction=False)
    for account_id in account_ids:
        pipe.zadd(feed_key(account_id), {"0": 0})
        pipe.expire(feed_key(account_id), KEEP_SECONDS)
    pipe.execute()


def holders(client: redis.Redis, account_ids: list[int], status_id: int) -> int:
    """How many of these Redis home timelines hold ``status_id``."""
    pipe = client.pipeline(transaction=False)
    for account_id in account_ids:
        pipe.zscore(feed_key(account_id), str(status_id))
    return sum(score is not None for score in pipe.execute())
