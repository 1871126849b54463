"""The network picture for an account following 1,000 people, against its own SQL.

    python bench/network.py --pristine /work/bench/out/pristine.sqlite3 \\
        --db /work/bench/out/netpic-bench.sqlite3

Copies ``--pristine`` to ``--db`` unless ``--db`` exists, migrates it, makes one active
account follow 1,000 people (adding follows of recently active accounts if it follows fewer;
nobody in the dataset follows that many) and shows its picture to others, then in one run:

1. ``sql``   the ceiling: the exact statements the service issues for that picture (captured
             once with sqlite3's trace callback, values bound, then replayed through
             ``sqlite3`` directly, all rows fetched), per picture.
2. ``parts`` in process: reading the graph (SQLAlchemy), the analysis, the SVG.
3. ``page``  GET /@owner/network end to end over HTTP from a running server (one worker,
             pinned to CPU 0 when there are two), sequential requests. Target: p99 <= 500 ms.

Also reports the page's size (raw and gzipped). Writes ``bench/out/network-latest.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

from run import Server, warm_page_cache
from servers import cpu_seconds, load_average, summary_ms, two_cpus

from staffroom.db.migrate import migrate

HERE = Path(__file__).resolve().parent
FOLLOWED = 1000


def prepare(db: Path) -> tuple[int, str]:
    """The owner (an active account) following ``FOLLOWED`` people, picture shown to others."""
    from staffroom.ids import new_id

    tokens = db.with_name(db.name + ".home_accounts.txt").read_text().split()
    owner = int(tokens[0])
    conn = sqlite3.connect(db)
    try:
        with conn:
            (username,) = conn.execute(
                "SELECT username FROM accounts WHERE id = ?", (owner,)
            ).fetchone()
            have = conn.execute(
                "SELECT count(*) FROM follows WHERE account_id = ?", (owner,)
            ).fetchone()[0]
            if have < FOLLOWED:
                extra = conn.execute(
                    "SELECT id FROM accounts WHERE id != ? AND id NOT IN"
                    " (SELECT target_account_id FROM follows WHERE account_id = ?)"
                    " ORDER BY last_status_at DESC, id LIMIT ?",
                    (owner, owner, FOLLOWED - have),
                ).fetchall()
                conn.executemany(
                    "INSERT INTO follows (id, account_id, target_account_id, created_at,"
                    " show_reblogs, notify) VALUES (?, ?, ?, datetime('now'), 1, 0)",
                    [(new_id(), owner, target) for (target,) in extra],
                )
                conn.execute(
                    "UPDATE accounts SET following_count = ? WHERE id = ?", (FOLLOWED, owner)
                )
            conn.execute(
                "INSERT INTO web_preferences (account_id, first_run, data_saver, network_public,"
                " updated_at) VALUES (?, 'done', 0, 1, datetime('now'))"
                " ON CONFLICT (account_id) DO UPDATE SET network_public = 1",
                (owner,),
            )
        followed = conn.execute(
            "SELECT count(*) FROM follows WHERE account_id = ?", (owner,)
        ).fetchone()[0]
        print(f"-- owner @{username} ({owner}) follows {followed}", flush=True)
    finally:
        conn.close()
    return owner, username


def in_process(db: Path, owner: int, rounds: int) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """Time the service's parts in process and capture its statements."""
    from staffroom.db.engine import create_database
    from staffroom.services import network
    from staffroom.services.network_clusters import analyse

    engine = create_database(f"sqlite:///{db}").engine
    captured: list[tuple[str, Any]] = []

    def capture(statement: str) -> None:  # sqlite3 gives the text with its values bound
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            captured.append((statement, None))

    times: dict[str, list[float]] = {"read": [], "analyse": [], "total": []}
    sizes: dict[str, int] = {}
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        raw.set_trace_callback(capture)  # type: ignore[union-attr]
        network.read_graph(conn, owner, None)
        raw.set_trace_callback(None)  # type: ignore[union-attr]
        for _ in range(rounds):
            t0 = time.perf_counter()
            graph = network.read_graph(conn, owner, None)
            t1 = time.perf_counter()
            found = analyse(graph)
            t2 = time.perf_counter()
            times["read"].append(t1 - t0)
            times["analyse"].append(t2 - t1)
            times["total"].append(t2 - t0)
        sizes = {
            "members": len(graph.members),
            "follows_inside": len(graph.follows),
            "beyond": len(graph.beyond_tags),
            "clusters": len(found.clusters),
            "ungrouped": len(found.ungrouped),
            "bridges": len(found.bridges),
            "areas": len(found.areas),
        }
    engine.dispose()
    return {k: summary_ms(v) for k, v in times.items()} | {"graph": sizes}, captured


def replay(db: Path, statements: list[tuple[str, Any]], rounds: int) -> dict[str, float]:
    """The ceiling: the same statements straight through ``sqlite3``, all rows fetched."""
    conn = sqlite3.connect(db)
    try:
        times = []
        for _ in range(rounds):
            t0 = time.perf_counter()
            for statement, params in statements:
                conn.execute(statement, params or ()).fetchall()
            times.append(time.perf_counter() - t0)
        return summary_ms(times)
    finally:
        conn.close()


def page(db: Path, username: str, port: int, rounds: int) -> dict[str, Any]:
    log = HERE / "out" / "network-server.log"
    server = Server(db, port, 0 if two_cpus() else None, log)
    try:
        server.wait_ready()
        path = f"/@{username}/network"
        status, body = server.get(path)
        assert status == 200, (status, body[:300])
        for _ in range(3):
            server.get(path)
        times = []
        cpu_before = cpu_seconds(server.proc.pid)
        for _ in range(rounds):
            t0 = time.perf_counter()
            status, body = server.get(path)
            times.append(time.perf_counter() - t0)
            assert status == 200
        cpu_ms = (cpu_seconds(server.proc.pid) - cpu_before) * 1000 / rounds
        return summary_ms(times) | {
            "server_cpu_ms_per_page": round(cpu_ms, 1),
            "load_average": load_average(),
            "bytes": len(body),
            "gzip_bytes": len(gzip.compress(body)),
            "svg_bytes": body.index(b"</svg>") - body.index(b"<svg"),
        }
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pristine", type=Path, default=Path("/work/bench/out/pristine.sqlite3"))
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    (HERE / "out").mkdir(exist_ok=True)
    if not args.db.exists():
        print(f"-- copying {args.pristine} to {args.db}", flush=True)
        shutil.copyfile(args.pristine, args.db)
    for suffix in (".home_accounts.txt", ".home_tokens.txt"):
        side = args.db.with_name(args.db.name + suffix)
        if not side.exists():
            shutil.copyfile(args.pristine.with_name(args.pristine.name + suffix), side)
    migrate(f"sqlite:///{args.db}")
    owner, username = prepare(args.db)
    print(f"-- read into the page cache in {warm_page_cache(args.db):.1f}s", flush=True)
    parts, statements = in_process(args.db, owner, args.rounds)
    sql = replay(args.db, statements, args.rounds)
    served = page(args.db, username, args.port, args.rounds)
    result = {
        "followed": FOLLOWED,
        "statements": len(statements),
        "sql": sql,
        "parts": parts,
        "page": served,
        "page_p99_over_sql_p99": round(served["p99"] / sql["p99"], 2),
        "target_p99_ms": 500,
        "passed": served["p99"] <= 500 and served["bytes"] < 100 * 1024,
    }
    text = json.dumps(result, indent=2)
    print(text)
    (HERE / "out" / "network-latest.json").write_text(text + "\n")
    sys.exit(0 if result["passed"] else 1)


if __name__ == "__main__":
    main()
