"""The state of the queue in a few figures, for `manage.py jobs_status` and its monitor."""

import datetime

from django.db.models import Case, F, Min, When
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from jobs.models import WorkerProcess


def queue_status(now=None):
    """Counts by state, how long the longest-waiting due job has waited, the live workers."""
    now = now or timezone.now()
    jobs = DBTaskResult.objects.all()
    due = jobs.ready()
    # A job is due from its enqueue, or from the end of its pause when it waits to be tried
    # again or was deferred: a job waiting out its back-off is not late.
    due_since = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    waiting_since = due.aggregate(since=Min(due_since))["since"]
    queued = jobs.filter(status=TaskResultStatus.READY)
    due_count = due.count()
    return {
        "due": due_count,
        "later": queued.count() - due_count,
        "retrying": queued.exclude(traceback="").count(),
        "running": jobs.filter(status=TaskResultStatus.RUNNING).count(),
        "failed_last_day": jobs.filter(
            status=TaskResultStatus.FAILED, finished_at__gte=now - datetime.timedelta(days=1)
        ).count(),
        "oldest_due_seconds": max((now - waiting_since).total_seconds(), 0) if waiting_since else 0,
        "workers": [str(worker) for worker in WorkerProcess.objects.all() if worker.is_alive(now)],
    }
