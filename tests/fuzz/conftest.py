"""Hypothesis profiles for the bad-input tests.

"ci" (the default) is reproducible: the same examples on every run, 200 per
property, no deadline (a database-backed example may take a while on a busy
machine). HYPOTHESIS_PROFILE=explore tries new random examples each run; "quick" stops at
the first failure without shrinking it.
"""

import os

from hypothesis import HealthCheck, Phase, settings

# The examples run against fixtures built once per test; each rolls back its own writes.
_QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]

settings.register_profile(
    "ci",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,  # the same examples on every machine, and nothing written to disk
    suppress_health_check=_QUIET,
)
settings.register_profile(
    "explore", max_examples=1000, deadline=None, derandomize=False, suppress_health_check=_QUIET
)
# While fixing: report the first failure found, without minutising it first.
settings.register_profile(
    "quick",
    parent=settings.get_profile("ci"),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
