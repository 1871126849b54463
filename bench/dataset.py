"""Generate the benchmark dataset straight into a migrated SQLite database.

    python bench/dataset.py --out bench/out/bench.sqlite3            # 100k accounts, 1M posts
    python bench/dataset.py --out /tmp/small.sqlite3 --accounts 2000 --posts 20000

Writes, next to the database: ``<db>.home_tokens.txt`` (bearer tokens of the active users,
one a line) with ``<db>.home_accounts.txt`` (their account IDs, same order),
``<db>.post_tokens.txt`` (tokens of accounts with about the average follower count) and
``<db>.manifest.json`` (parameters and counts). Deterministic for a given ``--seed`` and
``--now``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import random
import sys
import time
from pathlib import Path

from bulk import (
    Loader,
    Snowflakes,
    TimeText,
    connect_for_load,
    drop_secondary_indexes,
    finish_load,
    rebuild_indexes,
)
from feeds import build_feeds, home_feed_rows, pick_favourites
from graph import FollowGraph, Popularity, follow_edges, out_degrees
from posts import STATUS_COLUMNS, generate_posts, status_rows
from synth import TAGS, bio, display_name, paragraph_html, username

from staffroom.db import migrate
from staffroom.services.passwords import hash_password

DAY_MS = 86_400_000
SCOPES = "read write follow push"
PASSWORD = "bench-password-1"
LOADED_TABLES = (
    "accounts", "users", "apps", "access_tokens", "follows", "statuses", "tags",
    "status_tags", "mentions", "home_feed", "home_timelines", "favourites",
)  # fmt: skip


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("bench/out/bench.sqlite3"))
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--avg-followers", type=float, default=150.0)
    parser.add_argument("--zipf", type=float, default=1.0, help="popularity exponent")
    parser.add_argument("--zipf-offset", type=float, default=10.0)
    parser.add_argument("--active", type=int, default=2000, help="users with a home timeline")
    parser.add_argument("--feed-size", type=int, default=800)
    parser.add_argument("--posters", type=int, default=200, help="accounts used for posting")
    parser.add_argument("--favourites-per-user", type=int, default=20)
    parser.add_argument("--days", type=int, default=90, help="posts span this many days")
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--now", type=int, default=None, help="'now' in unix ms")
    parser.add_argument("--base-url", default="http://127.0.0.1:8765")
    parser.add_argument("--force", action="store_true", help="replace an existing database")
    return parser.parse_args(argv)


def side_file(db: Path, suffix: str) -> Path:
    return db.with_name(db.name + suffix)


def raw_token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.getrandbits(256).to_bytes(32, "big")).decode().rstrip("=")


def prepare(path: Path, force: bool) -> None:
    leftovers = [path, *(side_file(path, s) for s in ("-wal", "-shm", "-journal"))]
    if path.exists() and not force:
        raise SystemExit(f"{path} exists; pass --force to replace it")
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    migrate(f"sqlite:///{path}")


def choose_active(rng: random.Random, degrees: list[int], count: int) -> list[int]:
    """Typical users (following 50-1000 accounts) whose home timelines the benchmark reads."""
    candidates = [i for i, d in enumerate(degrees) if 50 <= d <= 1000]
    if len(candidates) < count:
        candidates = [i for i, d in enumerate(degrees) if d >= 1]
    return sorted(rng.sample(candidates, min(count, len(candidates))))


def choose_posters(followers: list[int], average: float, count: int) -> list[int]:
    """The ``count`` accounts whose follower counts are nearest ``average``."""
    by_distance = sorted(range(len(followers)), key=lambda i: (abs(followers[i] - average), i))
    return sorted(by_distance[:count])


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    started = time.monotonic()
    rng = random.Random(args.seed)
    path: Path = args.out.resolve()
    now_ms = args.now if args.now is not None else int(time.time() // 3600 * 3600 * 1000)
    prepare(path, args.force)
    conn = connect_for_load(str(path))
    index_ddl = drop_secondary_indexes(conn, LOADED_TABLES)
    times = TimeText()
    n = args.accounts

    # Accounts: created over the two years before the posting window.
    first_ms, last_ms = now_ms - 730 * DAY_MS, now_ms - (args.days + 5) * DAY_MS
    account_ms = [first_ms + (last_ms - first_ms) * i // max(n, 1) for i in range(n)]
    flakes = Snowflakes()
    account_ids = [flakes.at(ms) for ms in account_ms]
    usernames = [username(rng, i) for i in range(n)]
    popularity = Popularity.zipf(rng, n, args.zipf, args.zipf_offset)
    degrees = out_degrees(rng, n, args.avg_followers)
    active = choose_active(rng, degrees, min(args.active, max(1, n // 20)))

    # Follows, streamed: a follow happens after both accounts exist, before "now".
    graph = FollowGraph(n)
    per_minute: dict[int, int] = {}
    follow_end = now_ms - 3_600_000

    def follow_rows():
        for follower, target in follow_edges(rng, degrees, popularity, graph, set(active)):
            low = max(account_ms[follower], account_ms[target])
            minute = (low + int(rng.random() * (follow_end - low))) // 60_000 * 60_000
            seq = per_minute.get(minute, 0)
            per_minute[minute] = seq + 1
            yield (minute << 16 | seq, account_ids[follower], account_ids[target],
                   times.at_ms(minute), 1, 0)  # fmt: skip

    follow_loader = Loader(
        conn, "follows",
        ("id", "account_id", "target_account_id", "created_at", "show_reblogs", "notify"),
    )  # fmt: skip
    follow_loader.load(follow_rows(), total=sum(degrees))
    per_minute.clear()

    # Posts, home timelines, favourites.
    posts = generate_posts(
        rng,
        count=args.posts,
        start_ms=now_ms - args.days * DAY_MS,
        end_ms=now_ms - 120_000,
        popularity_weights=popularity.weights,
        usernames=usernames,
        base_url=args.base_url,
    )
    feeds = build_feeds(posts, graph.remembered, args.feed_size)
    favourites = pick_favourites(rng, posts, feeds, args.favourites_per_user)

    app_id = flakes.at(now_ms - 2 * DAY_MS)
    Loader(conn, "apps", ("id", "name", "website", "redirect_uris", "scopes", "client_id",
                          "client_secret", "owner_account_id", "created_at")).load(
        [(app_id, "Staffroom bench", None, "urn:ietf:wg:oauth:2.0:oob", SCOPES,
          f"bench-{args.seed}", f"bench-secret-{args.seed}", None, times.at_ms(now_ms))]
    )  # fmt: skip
    Loader(conn, "statuses", STATUS_COLUMNS).load(
        status_rows(posts, account_ids, app_id, times), total=len(posts)
    )
    load_accounts(conn, account_ids, account_ms, usernames, graph, posts, rng, times,
                  active=set(active), now_ms=now_ms)  # fmt: skip
    load_tags_and_mentions(conn, posts, account_ids, now_ms, times)
    Loader(conn, "home_feed", ("account_id", "status_id", "author_id", "reblog_of_id")).load(
        home_feed_rows(posts, feeds, account_ids), total=sum(len(f) for f in feeds.values())
    )
    # The active users' timelines are the kept ones: fan-out writes only into these.
    Loader(conn, "home_timelines", ("account_id", "kept_until")).load(
        [(account_ids[i], now_ms // 1000 + 14 * 86400) for i in sorted(active)]
    )
    fav_rows = []
    fav_ids = Snowflakes()
    for owner, k in sorted(favourites, key=lambda pair: posts.ids[pair[1]]):
        ms = min(posts.ms[k] + rng.randrange(DAY_MS), now_ms - 60_000)
        fav_rows.append((fav_ids.at(ms), account_ids[owner], posts.ids[k], times.at_ms(ms)))
    fav_rows.sort()
    Loader(conn, "favourites", ("id", "account_id", "status_id", "created_at")).load(fav_rows)

    posters = choose_posters(graph.followers, args.avg_followers, args.posters)
    owners = [account_ids[i] for i in active] + [account_ids[i] for i in posters]
    tokens = load_tokens(conn, rng, owners, app_id, now_ms, times)
    home_tokens, post_tokens = tokens[: len(active)], tokens[len(active) :]
    rebuild_indexes(conn, index_ddl)
    finish_load(conn)

    side_file(path, ".home_tokens.txt").write_text("\n".join(home_tokens) + "\n")
    side_file(path, ".home_accounts.txt").write_text(
        "\n".join(str(account_ids[i]) for i in active) + "\n"
    )
    side_file(path, ".post_tokens.txt").write_text("\n".join(post_tokens) + "\n")
    poster_followers = [graph.followers[i] for i in posters]
    feed_sizes = sorted(len(f) for f in feeds.values())
    manifest = {
        "database": str(path),
        "arguments": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "now_ms": now_ms,
        "accounts": n,
        "follows": follow_loader.count,
        "statuses": len(posts),
        "home_feed_rows": sum(feed_sizes),
        "active_users": len(active),
        "feed_size_min_median": [feed_sizes[0], feed_sizes[len(feed_sizes) // 2]]
        if feed_sizes
        else [0, 0],
        "posters": len(posters),
        "poster_followers_mean": sum(poster_followers) / max(len(poster_followers), 1),
        "followers_max": max(graph.followers, default=0),
        "followers_median": sorted(graph.followers)[n // 2] if n else 0,
        "seconds": round(time.monotonic() - started, 1),
    }
    side_file(path, ".manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(json.dumps(manifest, indent=2))


def load_accounts(conn, account_ids, account_ms, usernames, graph, posts, rng, times, *, active,
                  now_ms):  # fmt: skip
    """``accounts`` and ``users`` rows with counters that match the loaded rows.

    ``last_active_at``: within the last day for the active users, else the time of the
    account's last post (or its creation).
    """
    n = len(account_ids)
    statuses_count = [len(posts.by_author[i]) for i in range(n)]
    last_ms = [posts.ms[posts.by_author[i][-1]] if posts.by_author[i] else None for i in range(n)]
    password_hash = hash_password(PASSWORD)  # once: argon2 is deliberately slow

    def account_rows():
        for i in range(n):
            note = bio(rng)
            created = times.at_ms(account_ms[i])
            last = last_ms[i]
            yield (account_ids[i], usernames[i], usernames[i].lower(), display_name(rng), note,
                   paragraph_html(note), None, 0, 0, 1, graph.followers[i], graph.following[i],
                   statuses_count[i], times.at_ms(last) if last is not None else None,
                   created, created)  # fmt: skip

    Loader(conn, "accounts", (
        "id", "username", "username_lower", "display_name", "note", "note_html", "avatar_path",
        "locked", "bot", "discoverable", "followers_count", "following_count", "statuses_count",
        "last_status_at", "created_at", "updated_at",
    )).load(account_rows(), total=n)  # fmt: skip
    seen_ms = [
        now_ms - rng.randrange(DAY_MS) if i in active else last_ms[i] or account_ms[i]
        for i in range(n)
    ]
    Loader(conn, "users", (
        "account_id", "email", "email_lower", "password_hash", "admin", "locale",
        "default_visibility", "default_sensitive", "last_active_at", "created_at",
    )).load(
        ((account_ids[i], f"{usernames[i]}@example.edu", f"{usernames[i].lower()}@example.edu",
          password_hash, 0, "en", "public", 0, times.at_ms(seen_ms[i]),
          times.at_ms(account_ms[i])) for i in range(n)),
        total=n,
    )  # fmt: skip


def load_tags_and_mentions(conn, posts, account_ids, now_ms, times):
    tag_ids = Snowflakes()
    ids = [tag_ids.at(now_ms - 700 * DAY_MS) for _ in TAGS]
    last_used: dict[int, int] = {}
    for k, tags in posts.tags.items():
        for t in tags:
            last_used[t] = max(last_used.get(t, 0), posts.ms[k])
    Loader(conn, "tags", ("id", "name", "name_lower", "created_at", "last_status_at")).load(
        (ids[t], name, name.lower(), times.at_ms(now_ms - 700 * DAY_MS),
         times.at_ms(last_used[t]) if t in last_used else None)
        for t, name in enumerate(TAGS)
    )  # fmt: skip
    Loader(conn, "status_tags", ("status_id", "tag_id")).load(
        ((posts.ids[k], ids[t]) for k in sorted(posts.tags) for t in posts.tags[k]),
        total=sum(len(v) for v in posts.tags.values()),
    )
    Loader(conn, "mentions", ("status_id", "account_id")).load(
        ((posts.ids[k], account_ids[a]) for k in sorted(posts.mentions) for a in posts.mentions[k]),
        total=sum(len(v) for v in posts.mentions.values()),
    )


def load_tokens(conn, rng, owners, app_id, now_ms, times):
    """One access token per owner; returns the raw tokens (only their hashes are stored)."""
    flakes = Snowflakes()
    raws = [raw_token(rng) for _ in owners]
    created = now_ms - 3_600_000
    Loader(conn, "access_tokens", (
        "id", "token_hash", "app_id", "account_id", "scopes", "created_at",
    )).load(
        (flakes.at(created), hashlib.sha256(raw.encode()).hexdigest(), app_id, owner, SCOPES,
         times.at_ms(created)) for raw, owner in zip(raws, owners, strict=True)
    )  # fmt: skip
    return raws


if __name__ == "__main__":
    sys.exit(main())
