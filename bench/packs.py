"""A starter pack's follow-all of 150 people, end to end, with its ceiling in the same run.

    python bench/packs.py --db /work/bench/out/packs-bench.sqlite3 [--trials 9]

On a migrated copy of the 100,000-account dataset (``bench/dataset.py``; never the pristine
file): a curator's pack holds 150 active posters (each with at least 40 posts). The server
runs as ``bench/run.py`` starts it (one process pinned to CPU 0). Each trial is a fresh
newcomer who signs in through the web form and reads their home page once (so their home
timeline is kept, as it is for anyone who just signed up), opens the pack's page, then:

1. ``follow_all``  ``POST /web/packs/<id>/follow`` with ``all=1``, timed from request to
                   the ``303`` answer: 150 follows with counters and notifications, the
                   record for undo, and the merge of each person's 40 latest posts into
                   the newcomer's home timeline, committed. Target: at most 300 ms.
2. ``ceiling``     the same work as plain SQL on the same file (Python's sqlite3, one
                   transaction): 150 ``follows`` rows, both counters, the undo record and
                   its targets, and ``INSERT ... SELECT`` of the same 40 latest posts per
                   person into ``home_feed``; for another fresh newcomer each trial.

A first follow-all and its SQL run before the trials and are reported apart
(``cold_first_ms``): the process's first one compiles its statements and reads the
posters' pages from disk. Checks that every trial's home timeline holds the pack's posts. Writes
``bench/out/packs-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from run import Server

from staffroom.db import create_database, migrate
from staffroom.ids import new_id
from staffroom.services.registration import SignUp, register

HERE = Path(__file__).resolve().parent
PACK_SIZE = 150
BACKFILL = 40  # staffroom.timelines.store.BACKFILL
PASSWORD = "bench horse battery staple"
_TOKEN = re.compile(r'name="authenticity_token" value="([^"]+)"')


def make_pack(db: Path) -> tuple[int, list[int]]:
    """A curator and a pack of 150 active posters (seeded, so runs compare)."""
    conn = sqlite3.connect(db)
    try:
        posters = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM accounts WHERE statuses_count >= ? ORDER BY id", (BACKFILL,)
            )
        ]
        rng = random.Random(20261204)
        members = rng.sample(posters, PACK_SIZE)
        curator = rng.choice([p for p in posters if p not in members])
        pack_id = new_id()
        with conn:
            conn.execute(
                "INSERT INTO collections (id, account_id, name, description, language,"
                " sensitive, discoverable, tag_id, created_at, updated_at)"
                " VALUES (?, ?, 'Bench pack', '', NULL, 0, 1, NULL, datetime('now'),"
                " datetime('now'))",
                (pack_id, curator),
            )
            conn.executemany(
                "INSERT INTO collection_items (id, collection_id, account_id, reason, state,"
                " created_at) VALUES (?, ?, ?, '', 'accepted', datetime('now'))",
                [(new_id(), pack_id, m) for m in members],
            )
    finally:
        conn.close()
    return pack_id, members


def newcomers(db: Path, count: int) -> list[tuple[int, str]]:
    database = create_database(f"sqlite:///{db}", pool_size=1)
    try:
        made = []
        for _ in range(count):
            name = f"pk{new_id() % 10**12}"
            email = f"{name}@bench.example"
            made.append((register(database, SignUp(name, email, PASSWORD)), email))
        return made
    finally:
        database.dispose()


def follow_all_over_http(server: Server, email: str, pack_id: int) -> tuple[float, str]:
    with httpx.Client(base_url=server.base, timeout=30) as client:
        page = client.get("/auth/sign_in")
        token = _TOKEN.search(page.text)
        assert token is not None
        signed = client.post(
            "/auth/sign_in",
            data={"authenticity_token": token.group(1), "email": email, "password": PASSWORD},
        )
        assert signed.status_code in (200, 303), signed.status_code
        client.get("/")  # the newcomer has read home: it is kept from now on
        page = client.get(f"/packs/{pack_id}")
        token = _TOKEN.search(page.text)
        assert token is not None and "Follow all" in page.text
        data = {"authenticity_token": token.group(1), "all": "1"}
        start = time.perf_counter()
        answer = client.post(f"/web/packs/{pack_id}/follow", data=data, follow_redirects=False)
        elapsed = (time.perf_counter() - start) * 1000
        assert answer.status_code == 303, answer.status_code
        return elapsed, str(answer.headers["location"])


def follow_all_in_sql(db: Path, account_id: int, members: list[int], pack_id: int) -> float:
    """The ceiling: the same rows as plain SQL in one transaction."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    try:
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            "INSERT INTO follows (id, account_id, target_account_id, created_at, show_reblogs,"
            " notify) VALUES (?, ?, ?, datetime('now'), 1, 0)",
            [(new_id(), account_id, m) for m in members],
        )
        conn.execute(
            "UPDATE accounts SET following_count = following_count + ? WHERE id = ?",
            (len(members), account_id),
        )
        conn.executemany(
            "UPDATE accounts SET followers_count = followers_count + 1 WHERE id = ?",
            [(m,) for m in members],
        )
        record = new_id()
        conn.execute(
            "INSERT INTO bulk_follows (id, account_id, source, undone_at, created_at,"
            " collection_id) VALUES (?, ?, ?, NULL, datetime('now'), ?)",
            (record, account_id, f"pack:{pack_id}", pack_id),
        )
        conn.executemany(
            "INSERT INTO bulk_follow_targets (bulk_follow_id, target_account_id) VALUES (?, ?)",
            [(record, m) for m in members],
        )
        for member in members:
            conn.execute(
                "INSERT OR IGNORE INTO home_feed (account_id, status_id, author_id,"
                " reblog_of_id) SELECT ?, id, account_id, reblog_of_id FROM statuses"
                " WHERE account_id = ? AND visibility <= 2 ORDER BY id DESC LIMIT ?",
                (account_id, member, BACKFILL),
            )
        conn.execute("COMMIT")
        return (time.perf_counter() - start) * 1000
    finally:
        conn.close()


def home_rows(db: Path, account_id: int, members: list[int]) -> int:
    conn = sqlite3.connect(db)
    try:
        marks = ",".join("?" * len(members))
        found = conn.execute(
            f"SELECT COUNT(*) FROM home_feed WHERE account_id = ? AND author_id IN ({marks})",
            (account_id, *members),
        ).fetchone()
        return int(found[0])
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--trials", type=int, default=9)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--cpu", type=int, default=0)
    args = parser.parse_args()
    db = args.db.resolve()
    if "pristine" in db.name:
        sys.exit("refusing to write to the pristine dataset: copy it first")
    migrate(f"sqlite:///{db}")
    pack_id, members = make_pack(db)
    people = newcomers(db, 2 * args.trials + 2)
    server = Server(db, args.port, args.cpu, HERE / "out" / "packs-server.log")
    http: list[float] = []
    sql: list[float] = []
    cold: dict[str, float] = {}
    try:
        server.wait_ready()
        # One follow-all first, not counted: a new process's first one compiles its
        # statements and reads the posters' pages from disk (reported as "cold").
        (account, email), (other, _) = people[-2], people[-1]
        cold["http"] = follow_all_over_http(server, email, pack_id)[0]
        cold["sql"] = follow_all_in_sql(db, other, members, pack_id)
        print(f"cold: http {cold['http']:.1f} ms, sql {cold['sql']:.1f} ms (not counted)")
        for n in range(args.trials):
            (account, email), (other, _) = people[2 * n], people[2 * n + 1]
            elapsed, where = follow_all_over_http(server, email, pack_id)
            assert where.endswith(f"followed={PACK_SIZE}"), where
            rows = home_rows(db, account, members)
            assert rows >= PACK_SIZE, f"home holds {rows} of the pack's posts"
            http.append(elapsed)
            sql.append(follow_all_in_sql(db, other, members, pack_id))
            assert home_rows(db, other, members) == rows
            print(f"trial {n}: http {elapsed:.1f} ms, sql {sql[-1]:.1f} ms, {rows} posts home")
    finally:
        server.stop()
    result: dict[str, Any] = {
        "pack_size": PACK_SIZE,
        "trials": args.trials,
        "cold_first_ms": cold,
        "follow_all_ms": {"median": statistics.median(http), "max": max(http), "all": http},
        "ceiling_sql_ms": {"median": statistics.median(sql), "max": max(sql), "all": sql},
        "ratio_median": statistics.median(http) / statistics.median(sql),
        "target_ms": 300,
    }
    (HERE / "out" / "packs-latest.json").write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "trials"}, indent=2))


if __name__ == "__main__":
    main()
