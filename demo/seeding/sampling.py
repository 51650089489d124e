"""Weighted random choices, the same from the same seed."""

import bisect
import itertools


class Pool:
    """A team's contacts of one community, some engaged far more often than others.

    Contacts join the team's network over time: on a given day only the first
    part of the pool is known, so "new contacts this quarter" is never zero.
    """

    def __init__(self, people, rng):
        self.people = people
        # Heavy-tailed weights: a few key contacts appear again and again.
        weights = [1 / (i + 1) ** 0.8 for i in range(len(people))]
        rng.shuffle(weights)
        self.cumulative = list(itertools.accumulate(weights))

    def pick(self, rng, known_fraction):
        known = max(1, int(len(self.people) * known_fraction))
        index = bisect.bisect_left(self.cumulative, rng.random() * self.cumulative[known - 1])
        return self.people[min(index, known - 1)]


def weighted(rng, weights):
    """One key of `weights` ({choice: weight}), chosen in proportion to its weight."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]
