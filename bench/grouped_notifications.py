"""Grouped notifications (``/api/v2/notifications``) against the plain list
(``/api/v1/notifications``), same viewer, same server, same run.

The viewer (an active user of the dataset) gets 10,000 notifications spread over 60 days,
written straight into a copy of the dataset: 60% favourites and 15% reposts of their own
posts, 10% follows, 15% mentions (public posts of others), from random accounts; group keys
are then filled by migration 0023's backfill, the rule ``services.notify`` applies at
creation. Measured at saturation (``wrk -t1 -c16``, warm-up then the measured run, server on
CPU 0 and wrk on CPU 1 as in ``bench/run.py``), first page, 40 items each:

1. ``v1``: ``GET /api/v1/notifications?limit=40`` (the ceiling: 40 notifications);
2. ``v2``: ``GET /api/v2/notifications?limit=40`` (40 groups, accounts expanded in full);
3. ``v2 (partial)``: the same with ``expand_accounts=partial_avatars`` (Mastodon.py's
   default);
4. ``v2 (deep)``: ``max_id`` a third of the way down the notifications (an older page).

Target: v2 / v1 >= 0.5 (requests/s), each v2 row. The server's CPU per request is printed
too: on a shared machine the throughput of one row against another moves with the load
(the server may get a third of a core in one row and half in the next), its CPU per request
much less.

    python bench/dataset.py --out /tmp/small.sqlite3 --accounts 2000 --posts 20000 --force
    python bench/grouped_notifications.py --db /tmp/small.sqlite3
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from servers import staffroom_env, start_serve, two_cpus
from web_home import saturate, warm_page_cache

from staffroom.db import migrate
from staffroom.ids import id_at

HERE = Path(__file__).resolve().parent
MIGRATION = (
    HERE.parent
    / "staffroom"
    / "db"
    / "migrations"
    / "versions"
    / "0023_notification_groups.py"
)
RATIO_TARGET = 0.5
MIX = (("favourite", 0.60), ("reblog", 0.15), ("follow", 0.10), ("mention", 0.15))


def pick_viewer(db: Path) -> tuple[int, str]:
    """The active user with the most posts of their own (favourites need targets)."""
    accounts = [int(x) for x in Path(f"{db}.home_accounts.txt").read_text().split()]
    tokens = Path(f"{db}.home_tokens.txt").read_text().split()
    conn = sqlite3.connect(db)
    try:
        sql = "SELECT count(*) FROM statuses WHERE account_id = ?"
        counts = {a: conn.execute(sql, (a,)).fetchone()[0] for a in accounts}
    finally:
        conn.close()
    best = max(range(len(accounts)), key=lambda i: counts[accounts[i]])
    return accounts[best], tokens[best]


def seed(db: Path, viewer: int, count: int, rng: random.Random) -> None:
    """``count`` notifications for ``viewer`` over 60 days, then the group keys."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("DELETE FROM notifications WHERE account_id = ?", (viewer,))
        own = [r[0] for r in conn.execute(
            "SELECT id FROM statuses WHERE account_id = ? AND reblog_of_id IS NULL", (viewer,)
        )]  # fmt: skip
        others = [r[0] for r in conn.execute(
            "SELECT id, account_id FROM statuses WHERE visibility = 0 AND reblog_of_id IS NULL"
            " AND account_id != ? LIMIT 20000", (viewer,)
        )]  # fmt: skip
        authors = dict(conn.execute(
            "SELECT id, account_id FROM statuses WHERE visibility = 0 AND reblog_of_id IS NULL"
            " AND account_id != ? LIMIT 20000", (viewer,)
        ).fetchall())  # fmt: skip
        people = [r[0] for r in conn.execute("SELECT id FROM accounts WHERE id != ?", (viewer,))]
        if not own or not others:
            raise SystemExit("the viewer needs posts of their own, and others' public posts")
        now_ms = int(time.time() * 1000)
        span_ms = 60 * 24 * 3600 * 1000
        moments = sorted(now_ms - rng.randrange(span_ms) for _ in range(count * 2))
        rows: list[tuple[Any, ...]] = []
        seen: set[str] = set()
        kinds = [k for k, _ in MIX]
        weights = [w for _, w in MIX]
        # Favourites and reposts cluster on a few recent posts, as they do.
        hot = own[-40:]
        for moment in moments:
            kind = rng.choices(kinds, weights)[0]
            if kind == "mention":
                status = rng.choice(others)
                actor = authors[status]
            else:
                actor = rng.choice(people)
                status = rng.choice(hot) if kind != "follow" else None
            dedupe = f"{kind}:{actor}:{status or 0}"
            if dedupe in seen:
                continue
            seen.add(dedupe)
            created = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(moment / 1000))
            created += f".{moment % 1000:03d}000"
            rows.append((id_at(moment), viewer, actor, kind, status, dedupe, created))
        # exactly ``count``, spread over the whole span
        rows = [rows[i * len(rows) // count] for i in range(count)] if len(rows) > count else rows
        conn.executemany(
            "INSERT INTO notifications (id, account_id, from_account_id, type, status_id,"
            " dedupe_key, created_at, filtered) VALUES (?, ?, ?, ?, ?, ?, ?, 0)",
            rows,
        )
        conn.commit()
    finally:
        conn.close()
    spec = importlib.util.spec_from_file_location("m0021", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    import sqlalchemy as sa

    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE notifications SET group_key = NULL"))
        module._backfill(connection)
    engine.dispose()


def check(base: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    answer = httpx.get(base + path, headers=headers, timeout=30)
    if answer.status_code != 200:
        raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
    body = answer.json()
    if isinstance(body, list):
        return {"items": len(body), "bytes": len(answer.content)}
    groups = body["notification_groups"]
    return {
        "groups": len(groups),
        "notifications": sum(g["notifications_count"] for g in groups),
        "accounts": len(body["accounts"]),
        "bytes": len(answer.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--port", type=int, default=8772)
    parser.add_argument("--notifications", type=int, default=10_000)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--in-place", action="store_true", help="use --db itself (a copy)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install -y wrk)")

    work = Path(tempfile.mkdtemp(prefix="groupednotifs-"))
    if args.in_place:
        db = args.db
    else:
        db = work / "bench.sqlite3"
        shutil.copyfile(args.db, db)
    for suffix in (".home_accounts.txt", ".home_tokens.txt"):
        if not Path(f"{db}{suffix}").exists():
            shutil.copyfile(f"{args.db}{suffix}", f"{db}{suffix}")
    started = time.monotonic()
    migrate(f"sqlite:///{db}")
    print(f"migrated in {time.monotonic() - started:.1f} s", flush=True)
    viewer, token = pick_viewer(db)
    seed(db, viewer, args.notifications, random.Random(13))
    warm_page_cache(db)

    base = f"http://127.0.0.1:{args.port}"
    env = staffroom_env(f"sqlite:///{db}", base, work)
    load_cpu = 1 if two_cpus() else 0
    server = start_serve("grouped", env, args.port, 0 if two_cpus() else None, work)
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/json",
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        first = httpx.get(f"{base}/api/v1/notifications?limit=80", headers=headers).json()
        deep_id = first[-1]["id"] if first else "0"
        conn = sqlite3.connect(db)
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM notifications WHERE account_id = ? ORDER BY id DESC", (viewer,)
        )]  # fmt: skip
        conn.close()
        deep_id = str(ids[len(ids) // 3]) if ids else deep_id
        paths = {
            "v1": "/api/v1/notifications?limit=40",
            "v2": "/api/v2/notifications?limit=40",
            "v2 (partial)": "/api/v2/notifications?limit=40&expand_accounts=partial_avatars",
            "v2 (deep)": f"/api/v2/notifications?limit=40&max_id={deep_id}",
        }
        facts = {name: check(base, path, headers) for name, path in paths.items()}
        print(f"viewer {viewer}: {len(ids)} notifications; {json.dumps(facts)}", flush=True)
        rows = {name: saturate(server, base, path, headers, args, load_cpu)
                for name, path in paths.items()}  # fmt: skip
    finally:
        server.stop()

    print(f"\n{'row':<14} {'req/s':>9} {'p99 ms (closed)':>16} {'server CPU %':>13} "
          f"{'CPU ms/req':>11}")  # fmt: skip
    for name, row in rows.items():
        row["cpu_ms_per_request"] = round((row["server_cpu_pct"] or 0) * 10 / row["rps"], 2)
        print(f"{name:<14} {row['rps']:>9} {row['p99_ms_closed']!s:>16} "
              f"{row['server_cpu_pct']!s:>13} {row['cpu_ms_per_request']:>11}")  # fmt: skip
    ratios = {name: rows[name]["rps"] / rows["v1"]["rps"] for name in rows if name != "v1"}
    worst = min(ratios.values())
    print("ratios: " + ", ".join(f"{k}/v1 = {v:.3f}" for k, v in ratios.items()))
    cost = {k: rows["v1"]["cpu_ms_per_request"] / rows[k]["cpu_ms_per_request"] for k in ratios}
    print("CPU per request, v1 / row (the same ratio without the machine's noise): "
          + ", ".join(f"{k} {v:.3f}" for k, v in cost.items()))  # fmt: skip
    verdict = "PASS" if worst >= RATIO_TARGET else "FAIL"
    print(f"VERDICT {verdict}: worst v2/v1 {worst:.2f} (target >= {RATIO_TARGET})")
    (work / "result.json").write_text(json.dumps({"facts": facts, **rows}))
    print(f"details: {work / 'result.json'}; server log: {work}")
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
