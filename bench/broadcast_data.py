"""The broadcast benchmark's database (``bench/broadcast.py``): one author followed by
``followers`` accounts, with access tokens for the author and ``connected`` followers, written
straight into a SQLite database migrated by ``staffroom.db.migrate``. Side files: the author's
token (``<db>.star_token.txt``) and the followers' (``<db>.follower_tokens.txt``).
"""

from __future__ import annotations

import base64
import hashlib
import random
import time
from pathlib import Path

from bulk import Loader, Snowflakes, TimeText, connect_for_load, finish_load

from staffroom.db import migrate
from staffroom.services.passwords import hash_password

SCOPES = "read write follow push"


def side(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def make_dataset(db: Path, followers: int, connected: int, seed: int = 3) -> None:
    """One author, ``followers`` followers; tokens for the author and ``connected`` followers."""
    rng = random.Random(seed)
    for leftover in (db, side(db, "-wal"), side(db, "-shm")):
        leftover.unlink(missing_ok=True)
    migrate(f"sqlite:///{db}")
    conn = connect_for_load(str(db))
    now_ms = int(time.time() * 1000)
    times, flakes = TimeText(), Snowflakes()
    ids = [flakes.at(now_ms - 86_400_000) for _ in range(followers + 1)]
    created = times.at_ms(now_ms - 86_400_000)
    names = ["star"] + [f"follower{n}" for n in range(1, followers + 1)]
    Loader(
        conn,
        "accounts",
        (
            "id",
            "username",
            "username_lower",
            "display_name",
            "note",
            "note_html",
            "followers_count",
            "following_count",
            "created_at",
            "updated_at",
        ),
    ).load(
        (
            i,
            n,
            n,
            n.title(),
            "",
            "",
            followers if n == "star" else 0,
            0 if n == "star" else 1,
            created,
            created,
        )
        for i, n in zip(ids, names, strict=True)
    )
    password = hash_password("bench-password-1")
    Loader(
        conn,
        "users",
        ("account_id", "email", "email_lower", "password_hash", "last_active_at", "created_at"),
    ).load(
        (i, f"{n}@example.edu", f"{n}@example.edu", password, created, created)
        for i, n in zip(ids, names, strict=True)
    )
    Loader(conn, "follows", ("id", "account_id", "target_account_id", "created_at")).load(
        (flakes.at(now_ms - 3_600_000), i, ids[0], created) for i in ids[1:]
    )
    # Every follower is active (kept timeline): the post is written into all 10,000.
    kept_until = now_ms // 1000 + 14 * 86400
    Loader(conn, "home_timelines", ("account_id", "kept_until")).load(
        (i, kept_until) for i in ids
    )
    app_id = flakes.at(now_ms - 3_600_000)
    Loader(
        conn,
        "apps",
        ("id", "name", "redirect_uris", "scopes", "client_id", "client_secret", "created_at"),
    ).load([(app_id, "bench", "urn:ietf:wg:oauth:2.0:oob", SCOPES, "bench-b", "bench-b", created)])
    raws = [
        base64.urlsafe_b64encode(rng.randbytes(32)).decode().rstrip("=")
        for _ in range(connected + 1)
    ]
    Loader(
        conn, "access_tokens", ("id", "token_hash", "app_id", "account_id", "scopes", "created_at")
    ).load(
        (
            flakes.at(now_ms - 3_600_000),
            hashlib.sha256(raw.encode()).hexdigest(),
            app_id,
            i,
            SCOPES,
            created,
        )
        for raw, i in zip(raws, ids, strict=False)
    )
    finish_load(conn)
    side(db, ".star_token.txt").write_text(raws[0] + "\n")
    side(db, ".follower_tokens.txt").write_text("\n".join(raws[1:]) + "\n")
