"""A follow graph with planted communities, written straight into the tables (fast): each
community has its own interest hashtag, every member follows ``degree`` others, a share
``cross`` of them in other communities."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, insert

from staffroom.db.tables import account_interests, accounts, follows, tags
from staffroom.ids import new_id


@dataclass
class Graph:
    community: dict[int, int] = field(default_factory=dict)  # account -> community
    following: dict[int, set[int]] = field(default_factory=dict)
    username: dict[int, str] = field(default_factory=dict)
    interest: dict[int, str] = field(default_factory=dict)  # account -> its tag name


def plant(
    conn: Connection,
    *,
    communities: int,
    size: int,
    degree: int,
    cross: float = 0.05,
    seed: int = 14,
) -> Graph:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    graph = Graph()
    members: list[list[int]] = []
    account_rows, tag_rows, interest_rows = [], [], []
    for c in range(communities):
        tag_id = new_id()
        tag_rows.append(
            {"id": tag_id, "name": f"room{c}", "name_lower": f"room{c}", "created_at": now}
        )
        ids = []
        for i in range(size):
            account_id = new_id()
            name = f"c{c}p{i}"
            account_rows.append(
                {
                    "id": account_id,
                    "username": name,
                    "username_lower": name,
                    "display_name": "",
                    "note": "",
                    "note_html": "",
                    "locked": False,
                    "bot": False,
                    "discoverable": True,
                    "indexable": True,
                    "followers_count": 0,
                    "following_count": degree,
                    "statuses_count": 1,
                    "last_status_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            interest_rows.append(
                {"id": new_id(), "account_id": account_id, "tag_id": tag_id, "created_at": now}
            )
            graph.community[account_id] = c
            graph.username[account_id] = name
            graph.interest[account_id] = f"room{c}"
            ids.append(account_id)
        members.append(ids)
    everyone = [a for ids in members for a in ids]
    follow_rows = []
    for ids in members:
        for account_id in ids:
            chosen: set[int] = set()
            while len(chosen) < degree:
                pool = everyone if rng.random() < cross else ids
                target = rng.choice(pool)
                if target != account_id:
                    chosen.add(target)
            graph.following[account_id] = chosen
            follow_rows += [
                {
                    "id": new_id(),
                    "account_id": account_id,
                    "target_account_id": target,
                    "created_at": now,
                    "show_reblogs": True,
                    "notify": False,
                }
                for target in chosen
            ]
    conn.execute(insert(accounts), account_rows)
    conn.execute(insert(tags), tag_rows)
    conn.execute(insert(account_interests), interest_rows)
    for start in range(0, len(follow_rows), 20_000):
        conn.execute(insert(follows), follow_rows[start : start + 20_000])
    return graph
