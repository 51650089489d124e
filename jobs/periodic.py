"""The job layer's own periodic job: forgetting what is no longer needed."""

import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.cadence import daily
from jobs.declare import job
from jobs.models import JobEffect, Occurrence, WorkerProcess
from jobs.schedule import Periodic


@job
def clean_up(scheduled_for):
    """Delete finished jobs, effect keys and occurrences older than JOBS_KEEP_DAYS.

    Jobs still queued or running are kept, whatever their age, and so is the latest
    occurrence of each periodic job: without it the scheduler would run it again.
    """
    cutoff = timezone.now() - datetime.timedelta(days=settings.JOBS_KEEP_DAYS)
    latest = Occurrence.objects.values("name").annotate(latest=Max("due_at"))
    keep = [Occurrence.objects.get(name=row["name"], due_at=row["latest"]).pk for row in latest]
    deleted = {
        "jobs": DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()[0],
        "effects": JobEffect.objects.filter(recorded_at__lt=cutoff).delete()[0],
        "occurrences": Occurrence.objects.filter(due_at__lt=cutoff)
        .exclude(pk__in=keep)
        .delete()[0],
        "workers": WorkerProcess.objects.filter(last_seen__lt=cutoff).delete()[0],
    }
    return deleted


PERIODIC = [Periodic("jobs.clean_up", daily("03:30"), clean_up)]
