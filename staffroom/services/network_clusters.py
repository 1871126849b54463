"""The analysis behind the network picture, pure and deterministic (no database).

Input, a ``NetworkGraph``: the people someone follows (``members``), the follows among them,
the hashtags each posts about (counts from recent public posts), and the people just beyond
(``beyond``: followed by members, not followed by the owner) with their hashtags.

- Clusters: weighted label propagation (decision 0022) over one graph whose nodes are the
  members and their hashtags: a follow weighs 1 each way (a mutual follow 2), times one plus
  the neighbours the two share (inside a group many, across groups few); a hashtag edge
  ``TAG_WEIGHT`` times the share of the member's tagged posts that use it. Hashtags used by
  more than half of the members with hashtags say nothing about groups: left out. Members
  start with their heaviest hashtag's label, nodes are visited in ID order and a tie goes to
  the smallest label, so the same graph always gives the same clusters. A cluster is named
  by the hashtags most its own (lift).
- Areas not reached: hashtags that people beyond post about and that no member does.
- Bridges: members who follow people beyond posting about those hashtags.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

TAG_WEIGHT = 2.0
HUB_DEGREE = 60
MAX_ROUNDS = 15
NAME_TAGS = 3
MIN_LIFT = 1.5
MAX_BRIDGES = 10
MAX_AREAS = 12
AREA_VIA = 3


@dataclass(frozen=True, slots=True)
class NetworkGraph:
    """What the analysis reads; IDs are account and tag IDs."""

    members: list[int]
    follows: set[tuple[int, int]]  # (follower, followed), both members
    tags: Mapping[int, Counter[int]]  # member -> tag -> posts
    beyond_follows: Mapping[int, set[int]] = field(default_factory=dict)  # member -> beyond
    beyond_tags: Mapping[int, Counter[int]] = field(default_factory=dict)  # beyond -> tags


@dataclass(frozen=True, slots=True)
class Cluster:
    members: list[int]  # sorted by ID
    tags: list[int]  # naming hashtags, best first
    mutual_pairs: int  # pairs inside the cluster who follow each other
    follow_links: int  # follows inside the cluster


@dataclass(frozen=True, slots=True)
class Bridge:
    account_id: int
    tags: list[int]  # hashtags not reached that this member's follows post about
    people: int  # people beyond whom this member follows and who post about them


@dataclass(frozen=True, slots=True)
class Area:
    tag_id: int
    people: int  # people beyond who post about it
    via: list[int]  # members who lead there


@dataclass(frozen=True, slots=True)
class Analysis:
    clusters: list[Cluster]  # biggest first; the last may be ``ungrouped``
    ungrouped: list[int]  # members with nobody and no hashtag to group them with
    links: dict[tuple[int, int], int]  # (cluster index, cluster index) -> follows between
    bridges: list[Bridge]
    areas: list[Area]


def _graph(g: NetworkGraph) -> dict[int, dict[int, float]]:
    """Undirected weights; hashtag nodes are ``-tag_id`` (account IDs are positive)."""
    adj: dict[int, dict[int, float]] = {m: {} for m in g.members}
    for a, b in g.follows:
        if a in adj and b in adj and a != b:
            adj[a][b] = adj[a].get(b, 0.0) + 1.0
            adj[b][a] = adj[b].get(a, 0.0) + 1.0
    # An edge inside a group shares many neighbours, one across groups few: weigh by them.
    # Hubs (followed by or following many here) link groups rather than make one and cost
    # the most to compare, so their edges keep their plain weight.
    near = {m: set(adj[m]) for m in g.members if len(adj[m]) <= HUB_DEGREE}
    for a, mine in near.items():
        for b in mine:
            theirs = near.get(b)
            if a < b and theirs is not None:
                adj[a][b] = adj[b][a] = adj[a][b] * (1 + len(mine & theirs))
    users: Counter[int] = Counter()
    for m in g.members:
        users.update(g.tags.get(m, Counter()).keys())
    tagged = sum(1 for m in g.members if g.tags.get(m))
    too_common = tagged // 2 if tagged >= 8 else tagged + 1
    for m in g.members:
        counts = {t: c for t, c in g.tags.get(m, Counter()).items() if users[t] <= too_common}
        total = sum(counts.values())
        for t, c in counts.items():
            w = TAG_WEIGHT * c / total
            adj[m][-t] = w
            adj.setdefault(-t, {})[m] = w
    return adj


def propagate(adj: dict[int, dict[int, float]]) -> dict[int, int]:
    """Weighted asynchronous label propagation in ID order, ties to the smallest label.

    Each member starts with the label of their heaviest hashtag (ties: the smallest ID), so
    the first round does not spread whichever label happens to be smallest."""
    labels = {n: n for n in adj}
    for n, weights in adj.items():  # a member starts with their heaviest hashtag's label
        tagged = [(w, m) for m, w in weights.items() if m < 0]
        if n > 0 and tagged:
            labels[n] = max(tagged)[1]  # ties: the largest label, the smallest tag ID
    order = sorted(adj, key=lambda n: (n < 0, abs(n)))
    edges = {n: list(adj[n].items()) for n in order}
    for _ in range(MAX_ROUNDS):
        changed = 0
        for n in order:
            near = edges[n]
            if not near:
                continue
            scores: dict[int, float] = {}
            for m, w in near:
                label = labels[m]
                scores[label] = scores.get(label, 0.0) + w
            best = max(scores.values())
            mine = labels[n]
            if scores.get(mine, -1.0) >= best - 1e-9:
                continue
            labels[n] = min(label for label, score in scores.items() if score >= best - 1e-9)
            changed += 1
        if not changed:
            break
    return labels


def _name(
    members: list[int], tags: Mapping[int, Counter[int]], users: Counter[int], total: int
) -> list[int]:
    """The hashtags most this cluster's own: used here at least ``MIN_LIFT`` times as often
    as across everyone followed, ranked by lift times users here."""
    here: Counter[int] = Counter()
    for m in members:
        here.update(tags.get(m, Counter()).keys())

    def lift(t: int) -> float:
        return (here[t] / len(members)) / (users[t] / total)

    own = [t for t in here if here[t] >= 2 and lift(t) >= MIN_LIFT] or list(here)
    return sorted(own, key=lambda t: (-(here[t] * lift(t)), -here[t], t))[:NAME_TAGS]


def _clusters(g: NetworkGraph) -> tuple[list[Cluster], list[int], dict[int, int]]:
    labels = propagate(_graph(g))
    groups: dict[int, list[int]] = defaultdict(list)
    for m in g.members:
        groups[labels[m]].append(m)
    users: Counter[int] = Counter()
    for m in g.members:
        users.update(g.tags.get(m, Counter()).keys())
    found: list[list[int]] = []
    ungrouped: list[int] = []
    for people in groups.values():
        if len(people) == 1:
            ungrouped.extend(people)
        else:
            found.append(sorted(people))
    found.sort(key=lambda people: (-len(people), people[0]))
    index = {m: i for i, people in enumerate(found) for m in people}
    inside: Counter[int] = Counter()
    mutual: Counter[int] = Counter()
    for a, b in g.follows:
        if a in index and index.get(b) == index[a]:
            inside[index[a]] += 1
            if a < b and (b, a) in g.follows:
                mutual[index[a]] += 1
    clusters = [
        Cluster(people, _name(people, g.tags, users, len(g.members)), mutual[i], inside[i])
        for i, people in enumerate(found)
    ]
    return clusters, sorted(ungrouped), index


def _beyond(g: NetworkGraph) -> tuple[list[Bridge], list[Area]]:
    covered: set[int] = set()
    for m in g.members:
        covered.update(g.tags.get(m, Counter()).keys())
    new_tags = {p: {t for t in counts if t not in covered} for p, counts in g.beyond_tags.items()}
    posters: Counter[int] = Counter()
    for found in new_tags.values():
        posters.update(found)
    bridges: list[Bridge] = []
    via: dict[int, list[int]] = defaultdict(list)
    for m in sorted(g.members):
        reach: set[int] = set()
        people = 0
        for p in g.beyond_follows.get(m, ()):
            leads = new_tags.get(p)
            if leads:
                reach |= leads
                people += 1
        if reach:
            ranked = sorted(reach, key=lambda t: (-posters[t], t))
            bridges.append(Bridge(m, ranked, people))
            for t in reach:
                via[t].append(m)
    bridge_rank = {
        b.account_id: i
        for i, b in enumerate(
            sorted(bridges, key=lambda b: (-len(b.tags), -b.people, b.account_id))
        )
    }
    areas = [
        Area(t, posters[t], sorted(via[t], key=lambda m: bridge_rank[m])[:AREA_VIA])
        for t in sorted(posters, key=lambda t: (-posters[t], -len(via[t]), t))
    ]
    bridges.sort(key=lambda b: bridge_rank[b.account_id])
    return bridges[:MAX_BRIDGES], areas[:MAX_AREAS]


def analyse(g: NetworkGraph) -> Analysis:
    """Clusters, the follows between them, bridges and areas not reached."""
    clusters, ungrouped, index = _clusters(g)
    links: Counter[tuple[int, int]] = Counter()
    for a, b in g.follows:
        ia, ib = index.get(a), index.get(b)
        if ia is not None and ib is not None and ia != ib:
            links[(min(ia, ib), max(ia, ib))] += 1
    bridges, areas = _beyond(g)
    return Analysis(clusters, ungrouped, dict(links), bridges, areas)
