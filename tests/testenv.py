"""Loaded by pytest before Django reads its settings (see pyproject.toml's addopts).

Gives the suite the environment production would require, without anyone
having to export it by hand.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("PSEUDONYM_KEY", "test-only-pseudonym-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")


def pytest_report_header(config):
    """Say how long the waits for processes may take here (a bad value fails at once)."""
    from kmtracker.lib.waiting import SCALE_VARIABLE, timeout_scale

    return f"waits for processes: idle-machine timeouts × {timeout_scale():g} ({SCALE_VARIABLE})"
