"""The job settings, checked when the settings load, so that a worker with a value that
cannot work stops at start-up with a message naming the variable.

kmtracker/settings.py reads the variables (docs/deployment.md lists them); this module
imports nothing of Django's that needs settings.
"""

from django.core.exceptions import ImproperlyConfigured


def check_job_settings(settings):
    """Raise ImproperlyConfigured for the first job setting that cannot work."""
    for name in ("JOBS_MAX_ATTEMPTS", "JOBS_HEARTBEAT_SECONDS", "JOBS_KEEP_DAYS"):
        if settings[name] < 1:
            raise ImproperlyConfigured(f"{name}={settings[name]!r} must be 1 or more.")
    for name in ("JOBS_RETRY_DELAY_SECONDS", "JOBS_RETRY_MAX_DELAY_SECONDS"):
        if settings[name] < 0:
            raise ImproperlyConfigured(f"{name}={settings[name]!r} must be 0 or more.")
    if settings["JOBS_WORKER_TIMEOUT_SECONDS"] <= 2 * settings["JOBS_HEARTBEAT_SECONDS"]:
        raise ImproperlyConfigured(
            "JOBS_WORKER_TIMEOUT_SECONDS must be more than twice JOBS_HEARTBEAT_SECONDS, or a "
            "worker that is merely slow to write its heartbeat would be taken for dead."
        )
