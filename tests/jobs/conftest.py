from tests.jobs.live import live_database  # noqa: F401 (a fixture of these tests)
