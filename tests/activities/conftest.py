"""Fixtures of the brokering log's tests."""

from tests.activities.named import named_world  # noqa: F401 (a fixture of these tests)
from tests.jobs.live import live_database  # noqa: F401 (for the digest under real workers)
