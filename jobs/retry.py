"""How long a failed job waits before its next attempt."""

import datetime
import random

from django.conf import settings


def retry_delay(failed_attempts):
    """The pause after `failed_attempts` failures: JOBS_RETRY_DELAY_SECONDS, doubling each
    time up to JOBS_RETRY_MAX_DELAY_SECONDS.

    Up to a fifth is added or taken at random, so that jobs that failed together (an SMTP
    server down for an hour) do not all come back in the same second.
    """
    base = settings.JOBS_RETRY_DELAY_SECONDS * 2 ** max(failed_attempts - 1, 0)
    seconds = min(base, settings.JOBS_RETRY_MAX_DELAY_SECONDS) * random.uniform(0.8, 1.2)  # noqa: S311
    return datetime.timedelta(seconds=seconds)
