"""The skewed follow graph: who follows whom, drawn from seeded power laws.

Popularity is Zipf-like: the account of popularity rank ``r`` (a random permutation of
accounts) is picked as a follow target with weight ``1 / (r + 1 + offset) ** exponent``, so a
few accounts are followed by most people and the median account by a few dozen, while the
mean is exactly the requested average. How many accounts each person follows is log-normal
with that same mean.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import accumulate

MAX_FOLLOWING = 7_500


@dataclass
class Popularity:
    """Per-account popularity weight and the cumulative weights used to sample targets."""

    weights: list[float]
    cumulative: list[float]

    @classmethod
    def zipf(cls, rng: random.Random, count: int, exponent: float, offset: float) -> Popularity:
        ranks = list(range(count))
        rng.shuffle(ranks)
        weights = [1.0 / (rank + 1 + offset) ** exponent for rank in ranks]
        return cls(weights, list(accumulate(weights)))


def out_degrees(rng: random.Random, count: int, average: float) -> list[int]:
    """How many accounts each account follows: log-normal, mean ``average``, capped."""
    cap = min(count - 1, MAX_FOLLOWING)
    sigma = 1.0
    mu = math.log(max(average, 1.0)) - sigma * sigma / 2
    raw = [rng.lognormvariate(mu, sigma) for _ in range(count)]
    scale = average * count / sum(raw) if raw else 1.0
    degrees = [min(cap, int(value * scale + rng.random())) for value in raw]
    # Capping loses a little mass; hand it back one follow at a time to uncapped accounts.
    shortfall = round(average * count) - sum(degrees)
    while shortfall > 0:
        index = rng.randrange(count)
        if degrees[index] < cap:
            degrees[index] += 1
            shortfall -= 1
    return degrees


@dataclass
class FollowGraph:
    """Counters filled in while the edges stream past."""

    count: int
    followers: list[int] = field(default_factory=list)
    following: list[int] = field(default_factory=list)
    # followees of the accounts we were asked to remember (the benchmark's active users)
    remembered: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.followers = [0] * self.count
        self.following = [0] * self.count


def draw_targets(
    rng: random.Random, follower: int, degree: int, popularity: Popularity, population: range
) -> list[int]:
    """``degree`` distinct accounts (never ``follower`` itself) drawn by popularity, sorted."""
    chosen: set[int] = set()
    while len(chosen) < degree:
        for target in rng.choices(
            population, cum_weights=popularity.cumulative, k=degree - len(chosen)
        ):
            if target != follower:
                chosen.add(target)
                if len(chosen) == degree:
                    break
    return sorted(chosen)


def follow_edges(
    rng: random.Random,
    degrees: list[int],
    popularity: Popularity,
    graph: FollowGraph,
    remember: set[int],
) -> Iterator[tuple[int, int]]:
    """Yield (follower, target) account indexes in (follower, target) order; count as we go."""
    population = range(graph.count)
    followers = graph.followers
    for follower, degree in enumerate(degrees):
        targets = draw_targets(rng, follower, degree, popularity, population)
        graph.following[follower] = len(targets)
        if follower in remember:
            graph.remembered[follower] = targets
        for target in targets:
            followers[target] += 1
            yield follower, target
