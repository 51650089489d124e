"""Heavy-tailed weights, shares of a total, and cumulative weights for `bisect`."""

import itertools


def zipf(count, exponent):
    """Heavy-tailed weights for `count` items: the first few get most of the picks."""
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def shares_of(total, weights, minimum):
    """`total` split in proportion to `weights`, each share at least `minimum`."""
    whole = sum(weights)
    shares = [max(minimum, int(total * weight / whole)) for weight in weights]
    shares[0] += max(0, total - sum(shares))
    return shares


def cumulative_choice(weights):
    """(items as plain text, cumulative weights) of a {item: weight} mapping, for bisect.

    Plain text: a choices member hashes by its name, not its value.
    """
    return [str(item) for item in weights], list(itertools.accumulate(weights.values()))
