"""Statuses of the benchmark dataset, generated in memory before they are loaded.

Posts are spread evenly over a time window with time-ordered IDs; authors are drawn by
popularity (popular accounts post more). About 10% are replies (to a recent post, mentioning
its author), 5% reblogs of a recent public post, 15% carry hashtags and 8% a mention.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field

from bulk import Snowflakes, TimeText
from synth import TAGS, compose
from tqdm import tqdm

PUBLIC, UNLISTED, PRIVATE = 0, 1, 2
NO_STATUS = -1


@dataclass
class Posts:
    """Parallel arrays indexed by post number ``k`` (IDs increase with ``k``)."""

    ids: list[int] = field(default_factory=list)
    ms: list[int] = field(default_factory=list)
    author: list[int] = field(default_factory=list)  # account index
    visibility: list[int] = field(default_factory=list)
    reply_to: list[int] = field(default_factory=list)  # post number or NO_STATUS
    reblog_of: list[int] = field(default_factory=list)  # post number or NO_STATUS
    text: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    via_app: list[bool] = field(default_factory=list)
    replies: list[int] = field(default_factory=list)
    reblogs: list[int] = field(default_factory=list)
    favourites: list[int] = field(default_factory=list)
    tags: dict[int, list[int]] = field(default_factory=dict)  # k -> tag numbers
    mentions: dict[int, list[int]] = field(default_factory=dict)  # k -> account indexes
    by_author: list[list[int]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


def generate_posts(
    rng: random.Random,
    *,
    count: int,
    start_ms: int,
    end_ms: int,
    popularity_weights: list[float],
    usernames: list[str],
    base_url: str,
) -> Posts:
    """Generate ``count`` posts between ``start_ms`` and ``end_ms``."""
    accounts = len(usernames)
    posting_weights = [weight**0.5 for weight in popularity_weights]
    authors = rng.choices(range(accounts), weights=posting_weights, k=count)
    mention_targets = rng.choices(range(accounts), weights=popularity_weights, k=count // 8 + 1)
    tag_weights = [1.0 / (rank + 1) for rank in range(len(TAGS))]
    posts = Posts(by_author=[[] for _ in range(accounts)])
    recent: deque[int] = deque(maxlen=3000)  # recent original (non-reblog) posts
    reblogged: set[tuple[int, int]] = set()
    ids = Snowflakes()
    step = max(1, (end_ms - start_ms) // max(count, 1))
    for k in tqdm(range(count), desc="posts (in memory)", unit="post", unit_scale=True):
        ms = start_ms + k * step + rng.randrange(step)
        author = authors[k]
        roll = rng.random()
        reply_to = reblog_of = NO_STATUS
        if roll < 0.05 and recent:
            original = recent[rng.randrange(len(recent))]
            key = (author, original)
            if (
                posts.visibility[original] == PUBLIC
                and posts.author[original] != author
                and key not in reblogged
            ):
                reblog_of = original
                reblogged.add(key)
        elif roll < 0.15 and recent:
            reply_to = recent[rng.randrange(len(recent))]
        visibility = _visibility(rng)
        mentions: list[int] = []
        if reply_to != NO_STATUS:
            visibility = max(visibility, posts.visibility[reply_to])
            if posts.author[reply_to] != author:
                mentions.append(posts.author[reply_to])
        elif reblog_of == NO_STATUS and rng.random() < 0.08:
            target = mention_targets[k // 8]
            if target != author:
                mentions.append(target)
        tags: list[int] = []
        if reblog_of == NO_STATUS and rng.random() < 0.15:
            drawn = rng.choices(range(len(TAGS)), weights=tag_weights, k=rng.randint(1, 2))
            tags = sorted(set(drawn))
        if reblog_of != NO_STATUS:
            text = html = ""
            visibility = PUBLIC
            posts.reblogs[reblog_of] += 1
        else:
            text, html = compose(
                rng,
                base_url,
                mentions=[usernames[m] for m in mentions],
                tags=[TAGS[t] for t in tags],
            )
        if reply_to != NO_STATUS:
            posts.replies[reply_to] += 1
        if tags:
            posts.tags[k] = tags
        if mentions:
            posts.mentions[k] = mentions
        posts.ids.append(ids.at(ms))
        posts.ms.append(ms)
        posts.author.append(author)
        posts.visibility.append(visibility)
        posts.reply_to.append(reply_to)
        posts.reblog_of.append(reblog_of)
        posts.text.append(text)
        posts.html.append(html)
        posts.via_app.append(rng.random() < 0.6)
        posts.replies.append(0)
        posts.reblogs.append(0)
        posts.favourites.append(0)
        posts.by_author[author].append(k)
        if reblog_of == NO_STATUS:
            recent.append(k)
    return posts


def _visibility(rng: random.Random) -> int:
    roll = rng.random()
    return PUBLIC if roll < 0.88 else UNLISTED if roll < 0.95 else PRIVATE


def status_rows(posts: Posts, account_ids: list[int], app_id: int, times: TimeText):
    """Rows for ``statuses`` in id order (see ``STATUS_COLUMNS``)."""
    for k in range(len(posts)):
        reply_to = posts.reply_to[k]
        reblog_of = posts.reblog_of[k]
        yield (
            posts.ids[k],
            account_ids[posts.author[k]],
            posts.text[k],
            posts.html[k],
            "",
            0,
            posts.visibility[k],
            "en",
            posts.ids[reply_to] if reply_to != NO_STATUS else None,
            account_ids[posts.author[reply_to]] if reply_to != NO_STATUS else None,
            posts.ids[reblog_of] if reblog_of != NO_STATUS else None,
            app_id if posts.via_app[k] else None,
            posts.replies[k],
            posts.reblogs[k],
            posts.favourites[k],
            times.at_ms(posts.ms[k]),
        )


STATUS_COLUMNS = (
    "id", "account_id", "text", "content_html", "spoiler_text", "sensitive", "visibility",
    "language", "in_reply_to_id", "in_reply_to_account_id", "reblog_of_id", "app_id",
    "replies_count", "reblogs_count", "favourites_count", "created_at",
)  # fmt: skip
