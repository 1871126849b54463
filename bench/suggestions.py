"""Who to follow for people following about 1,000 accounts, against raw-SQL ceilings.

    python bench/suggestions.py --db bench/out/suggest-bench.sqlite3 [--requests 600]

Needs a migrated copy of the 100,000-account dataset (it writes to it: tokens for the
chosen accounts, their followed hashtags and precomputed candidates). Picks ``--accounts``
accounts following 950-1,100 people; each follows ``#edchat`` and ``#mathschat`` (so the
hashtag sources run too). Measures, in order, in process (the ASGI app called directly, as
``bench/search.py``):

1. ``refresh``   the ``refresh_suggestions`` job's work for each of them (the full count of
                 whom their follows follow: decision 0021), once each;
2. ``api``       GET /api/v2/suggestions?limit=40 (precomputed), rotating over them, each
                 request followed by the ceiling:
   ``ceiling``   the same read in raw SQL on a plain ``sqlite3`` connection: the stored
                 candidates joined to their accounts, minus follows, discoverable and active,
                 40 of them (no other source, blocks, mutes, dismissals, reasons or JSON);
3. ``live``      the service for as many other such accounts never refreshed (the bounded
                 traversal: a sample of their 100 newest follows), and
   ``traversal`` the raw SQL of the unbounded traversal (every follow's follows, grouped):
                 what a request would cost without precomputation.

Prints p50/p99 of each, the ratio ceiling / api, and whether api's p99 is at most 50 ms;
writes ``bench/out/suggestions-latest.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import secrets
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from asgi_costs import _call, _scope

HERE = Path(__file__).resolve().parent
LIMIT_MS = 50.0
CEILING_SQL = (
    "SELECT a.* FROM suggestion_candidates c JOIN accounts a ON a.id = c.target_account_id"
    " WHERE c.account_id = ? AND a.discoverable = 1 AND a.last_status_at >= ?"
    " AND c.target_account_id NOT IN (SELECT target_account_id FROM follows WHERE account_id = ?)"
    " ORDER BY c.followers_in_network DESC LIMIT 40"
)
TRAVERSAL_SQL = (
    "SELECT target_account_id, count(*) FROM follows WHERE account_id IN"
    " (SELECT target_account_id FROM follows WHERE account_id = ?)"
    " AND target_account_id NOT IN (SELECT target_account_id FROM follows WHERE account_id = ?)"
    " GROUP BY target_account_id ORDER BY count(*) DESC LIMIT 40"
)


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _timed(conn: sqlite3.Connection, sql: str, *params: Any) -> float:
    began = time.perf_counter()
    conn.execute(sql, params).fetchall()
    return (time.perf_counter() - began) * 1e3


def _prepare(db: Path, count: int) -> tuple[list[int], list[str], list[int]]:
    """Tokens and followed hashtags for ``count`` accounts following ~1,000 (and ``count``
    more left never refreshed, for the live path)."""
    from staffroom.ids import new_id

    conn = sqlite3.connect(db)
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM accounts WHERE following_count BETWEEN 950 AND 1100"
            " ORDER BY id LIMIT ?",
            (2 * count,),
        )
    ]
    chosen, others = ids[:count], ids[count:]
    tags = [r[0] for r in conn.execute("SELECT id FROM tags WHERE name IN ('edchat', 'mathschat')")]
    tokens = []
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    with conn:
        for account_id in chosen:
            token = secrets.token_urlsafe(32)
            tokens.append(token)
            conn.execute(
                "INSERT INTO access_tokens (id, token_hash, account_id, scopes, created_at)"
                " VALUES (?, ?, ?, 'read write', ?)",
                (new_id(), hashlib.sha256(token.encode()).hexdigest(), account_id, now),
            )
            for tag_id in tags:
                conn.execute(
                    "INSERT OR IGNORE INTO tag_follows (id, account_id, tag_id, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    (new_id(), account_id, tag_id, now),
                )
    conn.close()
    return chosen, tokens, others


async def _main(args: argparse.Namespace) -> dict[str, Any]:
    db = Path(args.db).resolve()
    os.environ["STAFFROOM_DATABASE_URL"] = f"sqlite:///{db}"
    from staffroom.app import create_app
    from staffroom.config import Settings
    from staffroom.runtime import Runtime
    from staffroom.services.suggestion_refresh import refresh_now
    from staffroom.services.suggestions import suggestions

    chosen, tokens, others = _prepare(db, args.accounts)
    rt = Runtime.build(Settings.from_env())
    figures: dict[str, list[float]] = {
        k: [] for k in ("refresh", "api", "ceiling", "live", "traversal")
    }
    for account_id in chosen:
        began = time.perf_counter()
        rt.db.write(refresh_now, account_id)
        figures["refresh"].append((time.perf_counter() - began) * 1e3)
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    active = (datetime.now(UTC) - timedelta(days=90)).strftime("%Y-%m-%d %H:%M:%S")
    app = create_app()
    lifespan = app.router.lifespan_context(app)
    await lifespan.__aenter__()
    try:
        for n in range(args.warmup + args.requests):
            i = n % len(chosen)
            scope = {**_scope("/api/v2/suggestions", "limit=40", tokens[i]), "state": {}}
            began = time.perf_counter()
            status = await _call(app, scope)
            took = (time.perf_counter() - began) * 1e3
            if status != 200:
                raise SystemExit(f"/api/v2/suggestions answered {status}")
            ceiling = _timed(raw, CEILING_SQL, chosen[i], active, chosen[i])
            if n >= args.warmup:
                figures["api"].append(took)
                figures["ceiling"].append(ceiling)
        for n in range(args.live):
            account_id = others[n % len(others)]
            began = time.perf_counter()
            rt.db.read(suggestions, account_id, 40)
            figures["live"].append((time.perf_counter() - began) * 1e3)
            figures["traversal"].append(_timed(raw, TRAVERSAL_SQL, account_id, account_id))
    finally:
        await lifespan.__aexit__(None, None, None)
        rt.close()
    report = {
        name: {"n": len(v), "p50_ms": round(_pct(v, 50), 2), "p99_ms": round(_pct(v, 99), 2)}
        for name, v in figures.items()
    }
    report["ratio_ceiling_over_api_p50"] = round(
        report["ceiling"]["p50_ms"] / report["api"]["p50_ms"], 3
    )
    report["ratio_ceiling_over_api_p99"] = round(
        report["ceiling"]["p99_ms"] / report["api"]["p99_ms"], 3
    )
    report["api_p99_within_50ms"] = report["api"]["p99_ms"] <= LIMIT_MS
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--accounts", type=int, default=30)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--warmup", type=int, default=60)
    parser.add_argument("--live", type=int, default=60)
    report = asyncio.run(_main(parser.parse_args()))
    for name, value in report.items():
        print(f"{name:32} {value}")
    out = HERE / "out" / "suggestions-latest.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
