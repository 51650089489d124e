"""Declaring a background job: `@job` on a module-level function.

A job is a Task of Django's Tasks API (the django-tasks backport of Django 6's
`django.tasks`: on Django 6 the imports below become `django.tasks`), so it is
enqueued the usual way, `send_report.enqueue(report_id)`, and runs in a worker
(`manage.py jobs_worker`). `@job` adds what that API leaves to each backend:

- a number of attempts: the worker tries a failed job again with growing pauses
  (jobs/retry.py) unless it raised `PermanentFailure`;
- an envelope with the id of the request that enqueued it, so that every log line of
  the job, its failure above all, carries that request's id.

Arguments must be JSON values (ids, strings, numbers): the job runs later, in another
process, and reads what it needs from the database then.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, task_backends
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend

from kmtracker.lib.log import request_id

# The keyword argument that carries the envelope; the job function never sees it.
ENVELOPE = "_job"


class PermanentFailure(Exception):
    """Raised by a job when trying again cannot help (a refused address, a deleted record)."""


@dataclass(frozen=True, kw_only=True)
class Job(Task):
    """A Task with a number of attempts, whose enqueue records the request that asked."""

    max_attempts: int | None = None

    @property
    def attempts_allowed(self):
        return self.max_attempts or settings.JOBS_MAX_ATTEMPTS

    def enqueue(self, *args, **kwargs):
        return Task.enqueue(self, *args, **_with_envelope(kwargs))

    async def aenqueue(self, *args, **kwargs):
        return await Task.aenqueue(self, *args, **_with_envelope(kwargs))

    def enqueue_with_transaction(self, *args, **kwargs):
        """Enqueue as part of the caller's transaction, so that the job exists if and only if
        the data it works on was committed.

        With the database backend the job's row is written in that transaction; a backend
        outside the database (Redis) is given the job once the transaction commits.
        """
        if isinstance(self.get_backend(), DatabaseBackend):
            return self.enqueue(*args, **kwargs)
        transaction.on_commit(lambda: self.enqueue(*args, **kwargs))
        return None


def job(
    function=None,
    *,
    queue_name=DEFAULT_TASK_QUEUE_NAME,
    max_attempts=None,
    takes_context=False,
    backend=DEFAULT_TASK_BACKEND_ALIAS,
):
    """Make a module-level function a job: `@job` or `@job(queue_name="mail", max_attempts=10)`."""

    def declare(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            envelope = kwargs.pop(ENVELOPE, None) or {}
            token = request_id.set(envelope.get("request_id") or request_id.get())
            try:
                return func(*args, **kwargs)
            finally:
                request_id.reset(token)

        return Job(
            func=run,
            queue_name=queue_name,
            backend=backend,
            takes_context=takes_context,
            max_attempts=max_attempts,
            priority=0,  # the Redis backend knows no priorities: queues keep mail apart instead
            run_after=None,
        )

    return declare(function) if function else declare


def envelope_of(args_kwargs):
    """The envelope stored with a job's arguments, or {} (a job not declared with @job)."""
    return (args_kwargs.get("kwargs") or {}).get(ENVELOPE) or {}


def backend_is_database():
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def _with_envelope(kwargs):
    return {**kwargs, ENVELOPE: {"request_id": request_id.get()}}
