"""What the job layer keeps beside django-tasks' own table of jobs (DBTaskResult).

- `WorkerProcess`: each running worker and the job it holds, with a heartbeat, so that
  another worker can tell that it died and queue its job again (jobs/recovery.py).
- `Occurrence`: each run of a periodic job, under a unique (name, due time), so that two
  schedulers racing enqueue it once (jobs/schedule.py).
- `JobEffect`: keys of effects already done, so that a job that runs twice after a crash
  does its work once (jobs/once.py).
"""

from django.db import models
from django.utils import timezone


class WorkerProcess(models.Model):
    """A running `manage.py jobs_worker`: where it runs, its heartbeat, the job it holds."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)
    # The job it runs, and when it claimed it: together they name one attempt (a lease).
    current_job = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    jobs_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["hostname", "started_at"]
        verbose_name = "worker"

    def __str__(self):
        return f"{self.hostname} (pid {self.pid})"

    def is_alive(self, now=None):
        """Whether its heartbeat is recent enough (settings.JOBS_WORKER_TIMEOUT_SECONDS)."""
        from django.conf import settings

        now = now or timezone.now()
        return (now - self.last_seen).total_seconds() < settings.JOBS_WORKER_TIMEOUT_SECONDS


class Occurrence(models.Model):
    """One due time of a periodic job, recorded before its job is enqueued.

    The unique constraint is what makes the schedule safe to run in every worker:
    whoever inserts the row first enqueues the job; everyone else gets an integrity
    error and moves on, and a restarted scheduler finds the row and does nothing.
    """

    name = models.CharField(max_length=100)
    due_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)
    job_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-due_at", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "due_at"], name="jobs_one_run_per_occurrence")
        ]

    def __str__(self):
        return f"{self.name} at {timezone.localtime(self.due_at):%Y-%m-%d %H:%M}"


class JobEffect(models.Model):
    """The key of an effect that happened: recorded in the effect's own transaction."""

    key = models.CharField(max_length=255, unique=True)
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self):
        return self.key
