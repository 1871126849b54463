"""The network picture's analysis on graphs whose answer is known: planted clusters are
found and named, bridges and areas not reached are exactly the hand-made ones, and the same
graph always gives the same answer."""

from __future__ import annotations

import random
from collections import Counter

from staffroom.services.network_clusters import NetworkGraph, analyse


def _planted(seed: int, groups: int = 5, size: int = 40) -> tuple[NetworkGraph, list[set[int]]]:
    """``groups`` groups of ``size``: dense follows inside (30%), sparse across (1%); each
    group posts about its own two hashtags, everyone about #edu now and then."""
    rng = random.Random(seed)
    members = list(range(1, groups * size + 1))
    group_of = {m: (m - 1) // size for m in members}
    follows = {
        (a, b)
        for a in members
        for b in members
        if a != b and rng.random() < (0.3 if group_of[a] == group_of[b] else 0.01)
    }
    tags: dict[int, Counter[int]] = {}
    for m in members:
        g = group_of[m]
        counts: Counter[int] = Counter({100 + 2 * g: rng.randint(1, 5)})
        if rng.random() < 0.6:
            counts[101 + 2 * g] = rng.randint(1, 3)
        if rng.random() < 0.7:
            counts[999] = 1  # everybody's hashtag
        if rng.random() < 0.1:  # now and then a hashtag of another group
            counts[100 + 2 * rng.randrange(groups)] += 1
        tags[m] = counts
    truth = [{m for m in members if group_of[m] == g} for g in range(groups)]
    return NetworkGraph(members, follows, tags), truth


def test_planted_clusters_are_found_and_named_by_their_own_hashtags() -> None:
    for seed in (1, 2, 3):
        graph, truth = _planted(seed)
        found = analyse(graph)
        assert len(found.clusters) == len(truth), seed
        for cluster in found.clusters:
            best = max(truth, key=lambda group: len(group & set(cluster.members)))
            assert len(best & set(cluster.members)) >= 0.95 * len(cluster.members)
            g = min(best) // 40
            assert cluster.tags[0] == 100 + 2 * g  # named after its own hashtag
            assert 999 not in cluster.tags  # the hashtag everybody uses names nobody
            assert cluster.mutual_pairs > 0 and cluster.follow_links > cluster.mutual_pairs
        assert not found.ungrouped
        assert all(a < b for a, b in found.links)


def test_follows_alone_find_the_planted_clusters() -> None:
    for seed in (1, 2, 3, 4):
        graph, truth = _planted(seed)
        found = analyse(NetworkGraph(graph.members, graph.follows, {}))
        assert sorted(set(c.members) for c in found.clusters) == sorted(truth, key=min)
        assert all(c.tags == [] for c in found.clusters)


def test_hashtags_alone_group_people_who_do_not_follow_each_other() -> None:
    tags = {m: Counter({1 if m <= 5 else 2: 3}) for m in range(1, 11)}
    found = analyse(NetworkGraph(list(range(1, 11)), set(), tags))
    assert sorted(c.members for c in found.clusters) == [[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]


def test_the_same_graph_always_gives_the_same_picture() -> None:
    graph, _ = _planted(7)
    shuffled = NetworkGraph(
        list(reversed(graph.members)), set(reversed(sorted(graph.follows))), graph.tags
    )
    assert analyse(graph) == analyse(graph) == analyse(shuffled)


def test_bridges_and_areas_not_reached_on_a_hand_made_graph() -> None:
    # Followed: 1, 2, 3 (post #math = 10) and 4 (#science = 11).
    # Beyond: 20 and 21 post #robotics (30), 22 posts #math (covered), 23 posts #art (31).
    # 2 follows 20 and 21; 3 follows 21 and 23; 4 follows 22; 1 follows nobody beyond.
    graph = NetworkGraph(
        members=[1, 2, 3, 4],
        follows={(1, 2), (2, 1), (2, 3), (3, 4)},
        tags={1: Counter({10: 2}), 2: Counter({10: 1}), 3: Counter({10: 4}), 4: Counter({11: 1})},
        beyond_follows={2: {20, 21}, 3: {21, 23}, 4: {22}},
        beyond_tags={
            20: Counter({30: 2}),
            21: Counter({30: 1, 10: 1}),
            22: Counter({10: 5}),
            23: Counter({31: 1}),
        },
    )
    found = analyse(graph)
    assert [(b.account_id, b.tags, b.people) for b in found.bridges] == [
        (3, [30, 31], 2),  # two new hashtags through 21 and 23
        (2, [30], 2),  # one, through 20 and 21
    ]
    assert [(a.tag_id, a.people, a.via) for a in found.areas] == [
        (30, 2, [3, 2]),
        (31, 1, [3]),
    ]
    assert 10 not in {a.tag_id for a in found.areas}  # #math is covered by 1, 2, 3


def test_nobody_followed_gives_an_empty_picture() -> None:
    found = analyse(NetworkGraph([], set(), {}))
    assert found.clusters == [] and found.bridges == [] and found.areas == []
