"""Running due jobs inside the test, in its transaction: the worker's code without a process."""

from django_tasks_db.models import DBTaskResult

from jobs.worker import Worker


def run_due_jobs():
    """Run every job that is due now, as a worker would; returns how many ran."""
    worker = Worker(batch=True, housekeeping=False, own_connection=False)
    worker.run()
    return worker.jobs_done


def job_row(job_id):
    """The queue's row of a job, as it is now."""
    return DBTaskResult.objects.get(pk=job_id)


def end_pauses():
    """Every job waiting out a pause before its next attempt is due now."""
    from django.utils import timezone
    from django_tasks import TaskResultStatus

    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now()
    )
