"""Lists and followed hashtags under load, every figure a ratio within one run.

    python bench/lists.py --db /tmp/copy.sqlite3            # a dataset from bench/dataset.py
    python bench/lists.py --db bench/out/mine.sqlite3 --pristine bench/out/bench.sqlite3

Starts the server as ``bench/run.py`` does (one worker, pinned to CPU 0, wrk on CPU 1) and
measures, in order:

1. ``home``        GET /api/v1/timelines/home?limit=20, rotating active users (the ceiling).
2. ``list``        GET /api/v1/timelines/list/<id>?limit=20 for the same users, each with one
                   kept list of up to 50 of the accounts they follow. Target: >= 0.8 x home.
3. ``post_base``   POST /api/v1/statuses (``#edchat`` in every post), nobody following the
                   tag and no lists: the ceiling for 5.
4. ``post_lists``  1,000 accounts follow 10 other hashtags each and 50
                   kept lists hold every poster: posts/s (target >= 500) and the ratio to 3,
                   then a check that each post reached all 50 lists.
5. ``post_tag``    the same 1,000 also follow ``#edchat`` and read their home timelines
                   (kept): every post enters 1,000 more home
                   timelines (the worst case); a check that each reached all of them.

Writes ``bench/out/lists-latest.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from run import (
    Server,
    max_status_id,
    measure,
    measure_posting,
    side_file,
    warm,
)

from staffroom.db import migrate

HERE = Path(__file__).resolve().parent
LIST_MEMBERS = 50
TAG_FOLLOWERS = 1000
POSTER_LISTS = 50


def _ids() -> Any:
    from staffroom.ids import new_id

    return new_id


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def make_read_lists(db: Path) -> Path:
    """One kept list per active user, holding up to 50 accounts they follow; writes the
    ``token list_id`` lines list.lua reads."""
    new_id = _ids()
    tokens = side_file(db, ".home_tokens.txt").read_text().split()
    conn = sqlite3.connect(db)
    lines = []
    try:
        with conn:
            for token in tokens:
                row = conn.execute(
                    "SELECT account_id FROM access_tokens WHERE token_hash = ?", (_hash(token),)
                ).fetchone()
                owner = int(row[0])
                list_id = new_id()
                conn.execute(
                    "INSERT INTO lists (id, account_id, title, replies_policy, exclusive,"
                    " created_at) VALUES (?, ?, 'Bench', 1, 0, datetime('now'))",
                    (list_id, owner),
                )
                conn.execute(
                    "INSERT INTO list_accounts (list_id, account_id) SELECT ?, target_account_id"
                    " FROM follows WHERE account_id = ? LIMIT ?",
                    (list_id, owner, LIST_MEMBERS),
                )
                # Expired: the first read rebuilds it (as a returning owner's), then it is kept.
                conn.execute(
                    "INSERT INTO list_timelines (list_id, kept_until) VALUES (?, 0)", (list_id,)
                )
                lines.append(f"{token} {list_id}")
    finally:
        conn.close()
    path = side_file(db, ".list_tokens.txt")
    path.write_text("\n".join(lines) + "\n")
    return path


def follow_tags(db: Path, names: list[str], lists: bool) -> dict[str, int]:
    """1,000 accounts each follow every tag in ``names``; with ``lists``, 50 kept lists
    owned by 50 of them hold every poster, else their home timelines become kept (kept
    timelines change what every post costs: the list phase leaves them as they were)."""
    new_id = _ids()
    posters = [_hash(t) for t in side_file(db, ".post_tokens.txt").read_text().split()]
    until = int(time.time()) + 14 * 86400
    conn = sqlite3.connect(db)
    try:
        with conn:
            poster_ids = [
                int(r[0])
                for r in conn.execute(
                    f"SELECT account_id FROM access_tokens WHERE token_hash IN"
                    f" ({','.join('?' * len(posters))})",
                    posters,
                )
            ]
            conn.executemany(
                "INSERT OR IGNORE INTO tags (id, name, name_lower, created_at)"
                " VALUES (?, ?, ?, datetime('now'))",
                [(new_id(), n, n) for n in names],
            )
            tag_ids = [
                conn.execute("SELECT id FROM tags WHERE name_lower = ?", (n,)).fetchone()[0]
                for n in names
            ]
            followers = [
                int(r[0])
                for r in conn.execute(
                    f"SELECT id FROM accounts WHERE id NOT IN ({','.join('?' * len(poster_ids))})"
                    " ORDER BY id DESC LIMIT ?",
                    (*poster_ids, TAG_FOLLOWERS),
                )
            ]
            conn.executemany(
                "INSERT OR IGNORE INTO tag_follows (id, account_id, tag_id, created_at)"
                " VALUES (?, ?, ?, datetime('now'))",
                [(new_id(), a, t) for a in followers for t in tag_ids],
            )
            if not lists:  # the tag followers read their home: their timelines are kept
                conn.executemany(
                    "INSERT OR REPLACE INTO home_timelines (account_id, kept_until) VALUES (?, ?)",
                    [(a, until) for a in followers],
                )
            owners = followers[:POSTER_LISTS] if lists else []
            for owner in owners:
                list_id = new_id()
                conn.execute(
                    "INSERT INTO lists (id, account_id, title, replies_policy, exclusive,"
                    " created_at) VALUES (?, ?, 'Posters', 1, 0, datetime('now'))",
                    (list_id, owner),
                )
                conn.executemany(
                    "INSERT INTO list_accounts (list_id, account_id) VALUES (?, ?)",
                    [(list_id, p) for p in poster_ids],
                )
                conn.execute(
                    "INSERT INTO list_timelines (list_id, kept_until) VALUES (?, ?)",
                    (list_id, until),
                )
    finally:
        conn.close()
    return {"tag_followers": len(followers), "lists": len(owners), "posters": len(poster_ids)}


def reached(db: Path, after_id: int) -> dict[str, int]:
    """How many of the new posts reached each tag follower's kept home and each list."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        posts = conn.execute("SELECT count(*) FROM statuses WHERE id > ?", (after_id,)).fetchone()
        lists = conn.execute(
            "SELECT count(*) FROM list_feed f JOIN lists l ON l.id = f.list_id"
            " WHERE f.status_id > ? AND l.title = 'Posters'",
            (after_id,),
        ).fetchone()
        tagged = conn.execute(
            "SELECT count(*) FROM home_feed h WHERE h.status_id > ? AND h.account_id IN"
            " (SELECT t.account_id FROM tag_follows t JOIN tags g ON g.id = t.tag_id"
            " WHERE g.name_lower = 'edchat')",
            (after_id,),
        ).fetchone()
    finally:
        conn.close()
    return {"posts": posts[0], "list_rows": lists[0], "tag_follower_rows": tagged[0]}


def _ratio(value: float, base: dict[str, Any]) -> float | None:
    return round(value / base["delivered_rps"], 3) if base["delivered_rps"] else None


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--pristine", type=Path, help="copy this dataset to --db first")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument(
        "--tag-duration", type=float, default=3.0, help="seconds of posting to 1,000 followers"
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    two_cpus = (os.cpu_count() or 1) >= 2
    args.server_cpu = 0 if two_cpus else None
    args.client_cpu = 1 if two_cpus else None
    args.cold = False  # run.warm: the page cache is warmed before measuring
    return args


def main() -> None:
    args = parse_args()
    db: Path = args.db.resolve()
    if args.pristine:
        from fanout_lag import copy_dataset

        copy_dataset(args.pristine.resolve(), db)
        for suffix in (".home_tokens.txt", ".home_accounts.txt", ".post_tokens.txt",
                       ".manifest.json"):  # fmt: skip
            source = side_file(args.pristine.resolve(), suffix)
            if source.exists():
                side_file(db, suffix).write_text(source.read_text())
    args.out.mkdir(parents=True, exist_ok=True)
    migrate(f"sqlite:///{db}")
    list_tokens = make_read_lists(db)
    server = Server(db, args.port, args.server_cpu, args.out / "lists-server.log")
    args.server_pid = server.proc.pid
    results: dict[str, Any] = {}
    try:
        server.wait_ready()
        warm(db, args)
        home_url = server.base + "/api/v1/timelines/home?limit=20"
        home_tokens = {"BENCH_TOKENS": str(side_file(db, ".home_tokens.txt"))}
        lists_env = {"BENCH_LISTS": str(list_tokens)}
        # Every list once first: its owner comes back, so it is rebuilt (then kept).
        for line in list_tokens.read_text().split("\n"):
            if line:
                token, list_id = line.split()
                server.get(f"/api/v1/timelines/list/{list_id}?limit=20", token)
                server.get("/api/v1/timelines/home?limit=20", token)
        results["home"] = measure("home", home_url, "home.lua", home_tokens, args)
        results["list"] = measure("list", server.base + "/", "list.lua", lists_env, args)
        results["post_base"] = measure_posting(server, db, args)
        # 1,000 followers of 10 other hashtags each, 50 lists of the posters: what every
        # post pays for tag follows and lists that do not match it, plus 50 list entries.
        others = [f"benchother{i}" for i in range(10)]
        results["setup_lists"] = follow_tags(db, others, lists=True)
        before = max_status_id(db)
        results["post_lists"] = measure_posting(server, db, args)
        results["post_lists"]["reached"] = reached(db, before)
        # The same 1,000 now follow #edchat too: every post enters 1,000 more home timelines.
        results["setup_tag"] = follow_tags(db, ["edchat"], lists=False)
        before = max_status_id(db)
        tag_args = argparse.Namespace(**{**vars(args), "duration": args.tag_duration})
        results["post_tag"] = measure_posting(server, db, tag_args)
        results["post_tag"]["reached"] = reached(db, before)
    finally:
        server.stop()
    home, listed = results["home"]["ok_rps"], results["list"]["ok_rps"]
    base = results["post_base"]
    with_lists, with_tag = results["post_lists"], results["post_tag"]
    summary = {
        "home_rps": home,
        "list_rps": listed,
        "list_over_home": round(listed / home, 3) if home else None,
        "post_base_acknowledged_rps": base["ok_rps"],
        "post_base_delivered_rps": base["delivered_rps"],
        "post_lists_acknowledged_rps": with_lists["ok_rps"],
        "post_lists_delivered_rps": with_lists["delivered_rps"],
        "post_lists_over_base_delivered": _ratio(with_lists["delivered_rps"], base),
        "post_tag_acknowledged_rps": with_tag["ok_rps"],
        "post_tag_delivered_rps": with_tag["delivered_rps"],
        "post_tag_over_base_acknowledged": round(with_tag["ok_rps"] / base["ok_rps"], 3),
        "post_tag_over_base_delivered": _ratio(with_tag["delivered_rps"], base),
        "lists_reached": with_lists["reached"]["list_rows"]
        == with_lists["reached"]["posts"] * POSTER_LISTS,
        "tag_followers_reached": with_tag["reached"]["tag_follower_rows"]
        >= with_tag["reached"]["posts"] * TAG_FOLLOWERS,
    }
    record = {"command": " ".join([Path(sys.executable).name, *sys.argv]), "results": results,
              "summary": summary}  # fmt: skip
    (args.out / "lists-latest.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
