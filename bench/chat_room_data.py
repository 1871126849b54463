"""The chat-room benchmark's database (``bench/chat_room.py``): ``participants`` accounts who
post, ``viewers`` other accounts who only watch the room (lurkers: no viewer posts, so no
viewer receives their own post), every one with a bearer token, and one live event made
through ``services.events.create_event`` by participant 1 with participant 2 as co-host.

Rows are written with SQLAlchemy Core through ``Runtime.db``, so the same code fills a fresh
SQLite file or an (emptied) PostgreSQL database. Side files beside ``out``:
``participant_tokens.txt``, ``viewer_tokens.txt`` and ``event.json`` (id, hashtag).
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from servers import BENCH_SECRET_KEY
from sqlalchemy import Connection, insert

from staffroom import clock
from staffroom.config import Settings
from staffroom.db import migrate, tables
from staffroom.ids import new_id
from staffroom.runtime import Runtime
from staffroom.services.events import EventDraft, create_event
from staffroom.services.login import start_web_session
from staffroom.services.passwords import hash_password
from staffroom.web.session import SESSION_COOKIE, session_cookie_value

SCOPES = "read write follow push"


def _rows(conn: Connection, names: list[str], raws: list[str], password: str) -> list[int]:
    now = clock.now()
    ids = [new_id() for _ in names]
    conn.execute(
        insert(tables.accounts),
        [
            {
                "id": i,
                "username": n,
                "username_lower": n,
                "display_name": n.title(),
                "created_at": now,
                "updated_at": now,
            }
            for i, n in zip(ids, names, strict=True)
        ],
    )
    conn.execute(
        insert(tables.users),
        [
            {
                "account_id": i,
                "email": f"{n}@example.edu",
                "email_lower": f"{n}@example.edu",
                "password_hash": password,
                "last_active_at": now,
                "created_at": now,
            }
            for i, n in zip(ids, names, strict=True)
        ],
    )
    app_id = new_id()
    conn.execute(
        insert(tables.apps).values(
            id=app_id,
            name="bench-chat",
            redirect_uris="urn:ietf:wg:oauth:2.0:oob",
            scopes=SCOPES,
            client_id="bench-chat",
            client_secret="bench-chat",
            created_at=now,
        )
    )
    conn.execute(
        insert(tables.access_tokens),
        [
            {
                "id": new_id(),
                "token_hash": hashlib.sha256(raw.encode()).hexdigest(),
                "app_id": app_id,
                "account_id": i,
                "scopes": SCOPES,
                "created_at": now,
            }
            for raw, i in zip(raws, ids, strict=True)
        ],
    )
    return ids


def make_dataset(
    database_url: str,
    out: Path,
    participants: int,
    viewers: int,
    hashtag: str,
    minutes: int,
    seed: int = 15,
) -> dict[str, Any]:
    """Accounts, tokens and a live event lasting ``minutes`` from five minutes ago; answers
    ``{"event_id", "hashtag", "host_ids"}`` (also written to ``out/event.json``)."""
    rng = random.Random(seed)
    migrate(database_url)
    names = [f"chatter{n}" for n in range(1, participants + 1)]
    names += [f"viewer{n}" for n in range(1, viewers + 1)]
    raws = [base64.urlsafe_b64encode(rng.randbytes(32)).decode().rstrip("=") for _ in names]
    settings = Settings.from_env(
        database_url=database_url, jobs_mode="external", base_url="http://127.0.0.1"
    )
    rt = Runtime.build(settings)
    try:
        ids = rt.db.write(_rows, names, raws, hash_password("bench-password-1"))
        start = datetime.now(UTC) - timedelta(minutes=5)
        draft = EventDraft(
            title="Benchmark chat",
            hashtag=hashtag,
            time_zone="UTC",
            start_local=start.replace(tzinfo=None, second=0, microsecond=0),
            duration_minutes=minutes,
            description="A chat of many people, measured.",
        )
        event_id = rt.db.write(create_event, rt, ids[0], draft, [ids[1]], announce=False)
        # each viewer's browser session, signed as the server signs it (the same secret key,
        # bench/servers.py): the room page's fragment requests are a signed-in reader's
        signing = Settings.from_env(secret_key=BENCH_SECRET_KEY)
        cookies = [
            f"{SESSION_COOKIE}="
            + session_cookie_value(signing, rt.db.write(start_web_session, account_id))
            for account_id in ids[participants:]
        ]
    finally:
        rt.close()
    out.mkdir(parents=True, exist_ok=True)
    (out / "participant_tokens.txt").write_text("\n".join(raws[:participants]) + "\n")
    (out / "viewer_tokens.txt").write_text("\n".join(raws[participants:]) + "\n")
    (out / "viewer_cookies.txt").write_text("\n".join(cookies) + "\n")
    event = {"event_id": event_id, "hashtag": hashtag.lstrip("#"), "host_ids": ids[:2]}
    (out / "event.json").write_text(json.dumps(event) + "\n")
    return event


def fresh_sqlite(db: Path) -> str:
    """Remove a last run's SQLite file (and WAL) and answer the URL of a new one."""
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    return f"sqlite:///{db}"


def fresh_postgres(url: str) -> str:
    """Drop and re-create the database named in ``url`` (a scratch database!)."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url
