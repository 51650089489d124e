"""Fixtures of the brokering log's tests."""

from tests.activities.named import named_world  # noqa: F401 (a fixture of these tests)
