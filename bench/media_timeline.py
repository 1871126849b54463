"""The home timeline with media-bearing posts against the same timeline without media.

    python bench/dataset.py --out bench/out/webhome.sqlite3 --accounts 5000 --posts 100000 --force
    python bench/media_timeline.py --db bench/out/webhome.sqlite3 [--share 0.5] [--rounds 3]

Two copies of one dataset, identical but for ``media_attachments``: in ``media``, a share
(``--share``, default half) of the original posts carry one to four images (60% one, 20% two,
10% three, 10% four; a third described), chosen by a hash of each post's time so the choice
is deterministic. Two ``staffroom serve`` processes, one per copy, both pinned to CPU 0 (only
one is loaded at a time), wrk pinned to CPU 1, the same viewer (``bench/web_home.py``'s
choice) on both. Measured, alternating ``--rounds`` times, each at saturation (a warm-up then
the measured run):

- ``api``: ``GET /api/v1/timelines/home?limit=20`` (JSON, gzip as apps ask);
- ``page``: ``GET /`` (the web app's home page, 20 posts, gzip as browsers ask).

Target: media / plain >= 0.85 for the API (the page is reported too); the median of the
rounds decides, the spread is printed. The files behind the rows do not exist: reading a
timeline never opens them.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import tempfile
from pathlib import Path
from typing import Any

from servers import Proc, cpu_seconds, load_average, staffroom_env, start_serve, two_cpus, uptime
from web_home import API_PATH, check, pick_viewer, session_cookie, warm_page_cache, wrk

from staffroom.db import migrate

HERE = Path(__file__).resolve().parent
TARGET = 0.85

# Every media row is made from its post's row in one statement (SQLite), so both copies
# differ only here. ``m`` is the post's millisecond; ``k`` the attachment's position.
ADD_MEDIA = """
WITH positions(k) AS (VALUES (0), (1), (2), (3)),
picked AS (
    SELECT id, account_id, created_at, (id >> 16) AS m FROM statuses
    WHERE reblog_of_id IS NULL AND ((id >> 16) / 10) % 1000 < :share_permille
)
INSERT INTO media_attachments (
    id, account_id, status_id, position, kind, state, content_type, file_key, file_url,
    file_size, preview_key, preview_url, width, height, small_width, small_height, blurhash,
    description, focus_x, focus_y, created_at)
SELECT p.id * 4 + k, p.account_id, p.id, k, 'image', 'ready', 'image/jpeg',
    'media_attachments/' || p.id || k || '/original.jpg',
    '/system/media_attachments/' || p.id || k || '/original.jpg', 2096222,
    'media_attachments/' || p.id || k || '/small.jpg',
    '/system/media_attachments/' || p.id || k || '/small.jpg',
    3325, 2494, 415, 311, 'LEHV6nWB2yk8pyo0adR*.7kCMdnj',
    CASE WHEN (p.m + k) % 3 = 0 THEN 'A photo of the staff room at lunch time, with the '
        || 'kettle, three mugs and a plant on the window sill' ELSE '' END,
    0.0, 0.0, p.created_at
FROM picked p JOIN positions ON k < CASE
    WHEN p.m % 10 < 6 THEN 1 WHEN p.m % 10 < 8 THEN 2 WHEN p.m % 10 < 9 THEN 3 ELSE 4 END
"""


def copy_dataset(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    for suffix in (".home_accounts.txt", ".home_tokens.txt"):
        shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    migrate(f"sqlite:///{target}")


def add_media(db: Path, share: float) -> tuple[int, int]:
    """Give ``share`` of the original posts images; (posts with media, attachments)."""
    conn = sqlite3.connect(db)
    try:
        with conn:
            conn.execute(ADD_MEDIA, {"share_permille": round(share * 1000)})
        row = conn.execute(
            "SELECT count(DISTINCT status_id), count(*) FROM media_attachments"
        ).fetchone()
    finally:
        conn.close()
    return int(row[0]), int(row[1])


def saturate(
    server: Proc, path: str, headers: dict[str, str], args: argparse.Namespace
) -> tuple[float, float]:
    """Requests/s at saturation, and the server's CPU milliseconds per request (less
    sensitive to what else the machine runs than the rate)."""
    cpu = 1 if two_cpus() else None
    wrk(server.url, path, headers, args.warmup, args.connections, cpu)
    before = cpu_seconds(server.pid)
    result = wrk(server.url, path, headers, args.duration, args.connections, cpu)
    used = cpu_seconds(server.pid) - before
    if result["non_2xx"]:
        raise SystemExit(f"{path}: {result['non_2xx']} non-2xx answers under load")
    return float(result["rps"]), 1000 * used / max(int(result["requests"]), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=HERE / "out" / "webhome.sqlite3")
    parser.add_argument("--share", type=float, default=0.5, help="posts with media")
    parser.add_argument("--port", type=int, default=8791, help="and the next one")
    parser.add_argument("--following", type=int, default=150)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not args.db.is_file():
        raise SystemExit(f"no dataset at {args.db}; build one with bench/dataset.py (see --help)")

    work = Path(tempfile.mkdtemp(prefix="media-timeline-"))
    dbs = {"plain": work / "plain.sqlite3", "media": work / "media.sqlite3"}
    for db in dbs.values():
        copy_dataset(args.db, db)
    posts, attachments = add_media(dbs["media"], args.share)
    viewer = pick_viewer(dbs["plain"], args.following)
    print(f"{posts} posts carry {attachments} images; viewer @{viewer['username']} "
          f"(following {viewer['following']}); {uptime()}", flush=True)  # fmt: skip

    server_cpu = 0 if two_cpus() else None
    servers, headers = {}, {}
    try:
        for offset, (name, db) in enumerate(dbs.items()):
            warm_page_cache(db)
            base = f"http://127.0.0.1:{args.port + offset}"
            env = staffroom_env(f"sqlite:///{db}", base, work / name)
            servers[name] = start_serve(name, env, args.port + offset, server_cpu, work / name)
            headers[name] = {
                "api": {
                    "Authorization": f"Bearer {viewer['token']}",
                    "Accept-Encoding": "gzip, deflate",
                },
                "page": {
                    "Cookie": session_cookie(base, viewer["email"]),
                    "Accept-Encoding": "gzip, deflate, br",
                    "Accept-Language": "en",
                },
            }
        for name, server in servers.items():
            api = check(server.url, API_PATH, headers[name]["api"])
            page = check(server.url, "/", headers[name]["page"])
            images = httpx_count_images(server.url, headers[name]["api"])
            print(f"{name}: api {api['bytes']} bytes, page {page['bytes']} bytes (gzip), "
                  f"{images} images on the first page")  # fmt: skip
        rates: dict[str, list[float]] = {}
        costs: dict[str, list[float]] = {}
        for round_ in range(args.rounds):
            for kind, path in (("api", API_PATH), ("page", "/")):
                for name, server in servers.items():
                    rate, cost = saturate(server, path, headers[name][kind], args)
                    rates.setdefault(f"{kind} {name}", []).append(rate)
                    costs.setdefault(f"{kind} {name}", []).append(cost)
            line = ", ".join(
                f"{key} {values[-1]:.0f}/s ({costs[key][-1]:.2f} ms CPU)"
                for key, values in rates.items()
            )
            print(f"round {round_ + 1}: {line}; load {load_average()}", flush=True)
    finally:
        for server in servers.values():
            server.stop()
    report(rates, costs)
    print(f"server logs: {work}")


def httpx_count_images(base: str, headers: dict[str, str]) -> int:
    import httpx

    answer = httpx.get(base + API_PATH, headers=headers, timeout=30).json()
    return sum(len((s.get("reblog") or s)["media_attachments"]) for s in answer)


def report(rates: dict[str, list[float]], costs: dict[str, list[float]]) -> None:
    ratios: dict[str, Any] = {}
    for kind in ("api", "page"):
        per_round = [
            m / p for m, p in zip(rates[f"{kind} media"], rates[f"{kind} plain"], strict=True)
        ]
        ratios[kind] = (
            statistics.median(rates[f"{kind} media"]) / statistics.median(rates[f"{kind} plain"]),
            min(per_round),
            max(per_round),
        )
        ratio, low, high = ratios[kind]
        media = statistics.median(rates[f"{kind} media"])
        plain = statistics.median(rates[f"{kind} plain"])
        print(f"{kind}: media {media:.0f}/s, plain {plain:.0f}/s (medians); media/plain "
              f"{ratio:.3f}, per round {low:.3f}-{high:.3f}; server CPU per request "
              f"{statistics.median(costs[f'{kind} plain']):.2f} ms plain, "
              f"{statistics.median(costs[f'{kind} media']):.2f} ms media")  # fmt: skip
    verdict = "PASS" if ratios["api"][0] >= TARGET else "FAIL"
    print(f"VERDICT {verdict}: home timeline with media / without = {ratios['api'][0]:.3f} "
          f"(API, target >= {TARGET}); web page {ratios['page'][0]:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
