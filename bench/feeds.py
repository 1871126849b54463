"""Precomputed home timelines (``home_feed`` rows) and favourites of the active users.

A home timeline holds the owner's own posts and those of the accounts they follow, newest
``size`` entries, with a reblog left out when its original (or another reblog of it) came
first, as fan-out on write would have built it.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator

from posts import NO_STATUS, Posts
from tqdm import tqdm


def home_entries(posts: Posts, owner: int, followees: list[int], size: int) -> list[int]:
    """Post numbers in ``owner``'s home timeline, oldest first (at most ``size``)."""
    window = size + size // 2
    sources = [posts.by_author[owner][-window:], *(posts.by_author[f][-window:] for f in followees)]
    newest_first = heapq.merge(*(reversed(s) for s in sources), reverse=True)
    candidates = [k for _, k in zip(range(window), newest_first, strict=False)]
    seen: set[int] = set()
    kept: list[int] = []
    for k in reversed(candidates):  # oldest first, as the entries arrived
        original = posts.reblog_of[k] if posts.reblog_of[k] != NO_STATUS else k
        if original in seen:
            continue
        seen.add(original)
        kept.append(k)
    return kept[-size:]


def build_feeds(posts: Posts, followees: dict[int, list[int]], size: int) -> dict[int, list[int]]:
    """Home timelines of every account in ``followees`` (account index -> post numbers)."""
    return {
        owner: home_entries(posts, owner, followees[owner], size)
        for owner in tqdm(sorted(followees), desc="home timelines", unit="user")
    }


def home_feed_rows(
    posts: Posts, feeds: dict[int, list[int]], account_ids: list[int]
) -> Iterator[tuple[int, int, int, int | None]]:
    """(account_id, status_id, author_id, reblog_of_id) in primary-key order."""
    for owner in sorted(feeds, key=lambda index: account_ids[index]):
        owner_id = account_ids[owner]
        for k in feeds[owner]:
            reblog_of = posts.reblog_of[k]
            yield (
                owner_id,
                posts.ids[k],
                account_ids[posts.author[k]],
                posts.ids[reblog_of] if reblog_of != NO_STATUS else None,
            )


def pick_favourites(
    rng: random.Random, posts: Posts, feeds: dict[int, list[int]], per_user: int
) -> list[tuple[int, int]]:
    """(account index, post number) pairs: each active user likes some posts of their feed."""
    picks: list[tuple[int, int]] = []
    for owner in sorted(feeds):
        likeable = [
            k for k in feeds[owner]
            if posts.reblog_of[k] == NO_STATUS and posts.author[k] != owner
        ]  # fmt: skip
        for k in rng.sample(likeable, min(per_user, len(likeable))):
            posts.favourites[k] += 1
            picks.append((owner, k))
    return picks
