"""The worker: runs the jobs of the database queue, one at a time, in this process.

django-tasks-db's own `db_worker` neither retries a failed task nor notices a worker
that died holding one (its task stays RUNNING for ever). This worker takes jobs from
the same table in the same way (the next ready row, locked with SKIP LOCKED, so that two
workers never take the same job) and adds:

- retries: a failed attempt goes back to the queue after a growing pause
  (jobs/retry.py), in the same UPDATE that records its error, until the job's attempts
  are spent or it raised PermanentFailure;
- claims that expire: finishing a job updates its row only while this worker still
  holds it (status RUNNING, and the start time of this claim), so an attempt given up
  for lost cannot overwrite the next one;
- a housekeeping thread: this worker's heartbeat, the periodic schedule
  (jobs/schedule.py), and queueing again the jobs of workers that died (jobs/recovery.py);
- one log line per failed attempt, carrying the id of the request that enqueued the job.
"""

import logging
import os
import secrets
import socket
import threading
import time

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import (
    DatabaseError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import F
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks.utils import normalize_json
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from jobs.attempts import attempts, attempts_allowed, describe, error_fields, log_failure
from jobs.declare import PermanentFailure, envelope_of
from jobs.models import WorkerProcess
from jobs.recovery import requeue_abandoned
from jobs.retry import retry_delay
from jobs.schedule import enqueue_due
from kmtracker.lib.log import request_id

logger = logging.getLogger("jobs")


def new_worker_id():
    """Host, process and a random part: unique among workers, readable in the admin."""
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(3)}"


class Worker:
    """Claims ready jobs and runs them until stopped (or, with `batch`, until none is due)."""

    def __init__(
        self,
        *,
        queues=("*",),
        interval=1.0,
        batch=False,
        max_jobs=None,
        housekeeping=True,
        scheduler=True,
        worker_id=None,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        own_connection=True,
    ):
        self.queues = list(queues)
        self.interval = interval
        self.batch = batch
        self.max_jobs = max_jobs
        self.housekeeping = housekeeping
        self.scheduler = scheduler
        self.worker_id = worker_id or new_worker_id()
        self.backend_name = backend_name
        # False inside a caller's transaction (a test's): the connection is not ours to close.
        self.own_connection = own_connection
        self.stopping = threading.Event()
        self.current = None
        self.jobs_done = 0

    def stop(self):
        """Finish the job in hand, then return from run()."""
        self.stopping.set()

    def run(self):
        self.register()
        keeper = Housekeeping(self) if self.housekeeping else None
        if keeper:
            keeper.tick()  # at once, so that a batch run sees what is due now
            keeper.start()
        logger.info("Worker %s started (queues: %s)", self.worker_id, ",".join(self.queues))
        try:
            while not self.stopping.is_set():
                if self.max_jobs is not None and self.jobs_done >= self.max_jobs:
                    break
                try:
                    db_result = self.claim()
                    if db_result is not None:
                        self.execute(db_result)
                        continue
                except DatabaseError as error:
                    # The database restarting must not end the worker: wait, then go on.
                    logger.warning("Worker %s: database unavailable: %s", self.worker_id, error)
                    if self.own_connection:
                        connection.close()
                if self.batch:
                    break
                self.stopping.wait(self.interval)
        finally:
            if keeper:
                keeper.stop()
            WorkerProcess.objects.filter(pk=self.worker_id).delete()
            if self.own_connection:
                connection.close()
            logger.info("Worker %s stopped after %d jobs", self.worker_id, self.jobs_done)

    def register(self):
        WorkerProcess.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "last_seen": timezone.now(),
                "current_job": self.current.pk if self.current else None,
                "claimed_at": self.current.started_at if self.current else None,
            },
        )

    def ready_jobs(self):
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if "*" not in self.queues:
            ready = ready.filter(queue_name__in=self.queues)
        return ready

    def claim(self):
        """The next ready job, marked RUNNING for this worker; None when there is none."""
        if self.own_connection:
            close_old_connections()  # a connection the database dropped, or too old
        ready = self.ready_jobs()
        try:
            with exclusive_transaction(ready.db):
                bookkeeping_commit()
                db_result = ready.get_locked()
                if db_result is None:
                    return None
                db_result.claim(self.worker_id)
                WorkerProcess.objects.filter(pk=self.worker_id).update(
                    current_job=db_result.pk, claimed_at=db_result.started_at
                )
        except OperationalError as error:
            if is_locked_database_exception(error):  # SQLite: another process is writing
                return None
            raise
        return db_result

    def execute(self, db_result):
        """Run one claimed job and record what came of it."""
        token = request_id.set(envelope_of(db_result.args_kwargs).get("request_id"))
        self.current = db_result
        started = time.monotonic()
        try:
            try:
                task = db_result.task
            except (ImportError, AttributeError, SuspiciousOperation) as error:
                self.record_failure(db_result, None, error)
                return
            try:
                task_result = db_result.task_result
                task_started.send(sender=type(task.get_backend()), task_result=task_result)
                args, kwargs = task_result.args, task_result.kwargs
                if task.takes_context:
                    value = task.call(TaskContext(task_result=task_result), *args, **kwargs)
                else:
                    value = task.call(*args, **kwargs)
                value = normalize_json(value)
            except Exception as error:
                self.record_failure(db_result, task, error)
            except BaseException:
                self.release(db_result)  # stopped by force: back to the queue at once
                raise
            else:
                self.record_success(db_result, task, value, time.monotonic() - started)
        finally:
            self.current = None
            self.jobs_done += 1
            request_id.reset(token)

    def record_success(self, db_result, task, value, seconds):
        self.finish(
            db_result,
            status=TaskResultStatus.SUCCESSFUL,
            finished_at=timezone.now(),
            return_value=value,
            exception_class_path="",
            traceback="",
        )
        logger.info(
            "Job %s done in %.3f s",
            task.name,
            seconds,
            extra={"job": task.name, "job_id": str(db_result.pk), "attempt": attempts(db_result)},
        )
        task_finished.send(sender=type(task.get_backend()), task_result=db_result.task_result)

    def record_failure(self, db_result, task, error):
        """Back to the queue after a pause while attempts remain; otherwise FAILED."""
        attempt = attempts(db_result)
        allowed = attempts_allowed(task)
        retry = task is not None and not isinstance(error, PermanentFailure) and attempt < allowed
        retry_at = timezone.now() + retry_delay(attempt) if retry else None
        fields = error_fields(error)
        if retry:
            self.finish(db_result, status=TaskResultStatus.READY, run_after=retry_at, **fields)
        else:
            self.finish(
                db_result,
                status=TaskResultStatus.FAILED,
                finished_at=timezone.now(),
                return_value=None,
                **fields,
            )
        name = task.name if task is not None else db_result.task_path
        log_failure(name, db_result.pk, attempt, allowed, retry_at, describe(error), error)
        if task is not None and not retry:
            task_finished.send(sender=type(task.get_backend()), task_result=db_result.task_result)

    def release(self, db_result):
        """Give a job back untried: this attempt does not count."""
        DBTaskResult.objects.filter(
            pk=db_result.pk, status=TaskResultStatus.RUNNING, started_at=db_result.started_at
        ).update(
            status=TaskResultStatus.READY,
            run_after=timezone.now(),
            worker_ids=db_result.worker_ids[:-1],
        )

    def finish(self, db_result, **fields):
        """Write the outcome of this worker's claim, and free the worker's slot."""
        with transaction.atomic():
            bookkeeping_commit()
            updated = DBTaskResult.objects.filter(
                pk=db_result.pk, status=TaskResultStatus.RUNNING, started_at=db_result.started_at
            ).update(**fields)
            WorkerProcess.objects.filter(pk=self.worker_id).update(
                current_job=None, claimed_at=None, jobs_done=F("jobs_done") + 1
            )
        for name, value in fields.items():
            setattr(db_result, name, value)
        if not updated:
            logger.warning(
                "Job %s: this worker was taken for dead and the job queued again; "
                "this attempt's outcome (%s) is not recorded",
                db_result.pk,
                fields["status"],
                extra={"job_id": str(db_result.pk)},
            )
        return updated


def bookkeeping_commit():
    """Let PostgreSQL commit this transaction without waiting for its disk (synchronous_commit
    off, for this transaction alone): claims and outcomes are then two cheap commits per job
    instead of two disk flushes, which bounded the queue to tens of jobs a second.

    Safe because the queue is at-least-once already: a database crash can lose the last
    fraction of a second of such commits, never corrupt anything, and a lost claim or
    outcome means the job runs again, which its effects (jobs/once.py, committed as
    usual by the job itself) are protected against.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


class Housekeeping(threading.Thread):
    """Every JOBS_HEARTBEAT_SECONDS, beside the job in hand: heartbeat, schedule, recovery.

    A thread, not a step between jobs, so that a long job neither silences the heartbeat
    (and gets its worker taken for dead) nor holds up the schedule.
    """

    def __init__(self, worker):
        super().__init__(name="jobs-housekeeping", daemon=True)
        self.worker = worker
        self.done = threading.Event()

    def run(self):
        try:
            while not self.done.wait(settings.JOBS_HEARTBEAT_SECONDS):
                self.tick()
        finally:
            connection.close()  # this thread's own connection

    def tick(self):
        try:
            updated = WorkerProcess.objects.filter(pk=self.worker.worker_id).update(
                last_seen=timezone.now()
            )
            if not updated:  # taken for dead by another worker while the database was away
                self.worker.register()
            if self.worker.scheduler:
                enqueue_due()
            requeue_abandoned()
        except DatabaseError as error:
            logger.warning(
                "Housekeeping of %s failed, trying again: %s", self.worker.worker_id, error
            )
            connection.close()
        except Exception:  # a bug here must not stop the heartbeat for good
            logger.exception("Housekeeping of %s failed", self.worker.worker_id)

    def stop(self):
        self.done.set()
        self.join(timeout=30)
