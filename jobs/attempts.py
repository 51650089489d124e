"""What the worker and the recovery of dead workers both say about an attempt."""

import logging
import traceback

from django.conf import settings

from jobs.declare import Job

logger = logging.getLogger("jobs")


def attempts(db_result):
    """Attempts so far, this one included: every claim adds its worker's id."""
    return len(db_result.worker_ids)


def attempts_allowed(task):
    if task is None:  # its code cannot be found: trying again will not find it either
        return 1
    return task.attempts_allowed if isinstance(task, Job) else settings.JOBS_MAX_ATTEMPTS


def error_fields(error):
    return {
        "exception_class_path": f"{type(error).__module__}.{type(error).__qualname__}",
        "traceback": "".join(traceback.format_exception(error)),
    }


def describe(error):
    return f"{type(error).__name__}: {error}"


def log_failure(name, job_id, attempt, allowed, retry_at, error, exc_info=None):
    """One line per failed attempt: a warning while it will be retried, an error when not.

    The request id comes from the context variable, which the caller set from the job's
    envelope: the request that enqueued the job.
    """
    logger.log(
        logging.WARNING if retry_at else logging.ERROR,
        "Job %s failed (attempt %d of %d), %s: %s",
        name,
        attempt,
        allowed,
        f"next attempt at {retry_at.isoformat(timespec='seconds')}" if retry_at else "given up",
        error,
        exc_info=exc_info,
        extra={
            "job": name,
            "job_id": str(job_id),
            "attempt": attempt,
            "max_attempts": allowed,
            "retry_at": retry_at.isoformat() if retry_at else None,
            "error": error,
        },
    )
