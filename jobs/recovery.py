"""Jobs whose worker died: found by its silence, and queued again.

A worker killed mid-job (SIGKILL, a lost machine, the out-of-memory killer) leaves its
job RUNNING. Every worker's housekeeping calls `requeue_abandoned()`: a worker whose
heartbeat is older than JOBS_WORKER_TIMEOUT_SECONDS is removed, and the job it held
goes back to the queue as a failed attempt (error `WorkerLost`), after the usual pause,
or is marked FAILED when its attempts are spent. The job's effects are protected by
jobs/once.py: what the dead attempt committed is not done again.
"""

import datetime
import socket

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.attempts import attempts, attempts_allowed, log_failure
from jobs.declare import envelope_of
from jobs.models import WorkerProcess
from jobs.retry import retry_delay
from kmtracker.lib.log import request_id


class WorkerLost(Exception):
    """The error recorded for an attempt whose worker stopped answering."""


def requeue_abandoned(now=None):
    """Queue again the jobs of dead workers; returns the ids of the jobs concerned."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOBS_WORKER_TIMEOUT_SECONDS)
    recovered = []
    for worker in WorkerProcess.objects.filter(last_seen__lt=cutoff):
        with transaction.atomic():
            # Only if still silent: a worker that came back meanwhile keeps its job.
            gone, _ = WorkerProcess.objects.filter(pk=worker.pk, last_seen__lt=cutoff).delete()
            if (
                gone
                and worker.current_job
                and _requeue(
                    worker.current_job, worker.claimed_at, f"worker {worker} stopped answering", now
                )
            ):
                recovered.append(worker.current_job)
    # Jobs RUNNING without any live worker holding them: a worker row removed by hand, or a
    # claim whose worker was taken for dead and whose row was made anew.
    held = WorkerProcess.objects.exclude(current_job=None).values("current_job")
    orphans = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).exclude(pk__in=held)
    for job_id, started_at in orphans.values_list("pk", "started_at"):
        if _requeue(job_id, started_at, "no live worker holds it", now):
            recovered.append(job_id)
    return recovered


def _requeue(job_id, claimed_at, reason, now):
    """Back to the queue, or FAILED when spent; False when the claim has moved on."""
    db_result = DBTaskResult.objects.filter(
        pk=job_id, status=TaskResultStatus.RUNNING, started_at=claimed_at
    ).first()
    if db_result is None:
        return False
    try:
        task = db_result.task
        name = task.name
    except (ImportError, AttributeError):
        task, name = None, db_result.task_path
    attempt = attempts(db_result)
    allowed = attempts_allowed(task)
    retry_at = now + retry_delay(attempt) if attempt < allowed else None
    fields = {
        "exception_class_path": f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        "traceback": f"WorkerLost: {reason} (noticed by {socket.gethostname()})\n",
    }
    if retry_at:
        fields |= {"status": TaskResultStatus.READY, "run_after": retry_at}
    else:
        fields |= {"status": TaskResultStatus.FAILED, "finished_at": now}
    moved = DBTaskResult.objects.filter(
        pk=job_id, status=TaskResultStatus.RUNNING, started_at=claimed_at
    ).update(**fields)
    if moved:
        token = request_id.set(envelope_of(db_result.args_kwargs).get("request_id"))
        try:
            log_failure(name, job_id, attempt, allowed, retry_at, f"WorkerLost: {reason}")
        finally:
            request_id.reset(token)
    return bool(moved)
