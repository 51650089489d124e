"""Several workers on one database: each job runs once, each periodic occurrence is
enqueued once, whoever races."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs.models import JobEffect, Occurrence, WorkerProcess
from jobs.schedule import schedule
from tests.jobs import tasks
from tests.jobs.live import running_workers, wait_for, worker_env

JOBS = 500


def test_two_workers_started_together_enqueue_each_periodic_occurrence_once(
    live_database, tmp_path
):
    with running_workers(worker_env(live_database), tmp_path, 2) as workers:
        names = set(schedule())
        wait_for(
            lambda: set(Occurrence.objects.values_list("name", flat=True)) == names,
            "both workers' schedulers to have run",
            workers=workers,
        )
        wait_for(
            lambda: not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists(),
            "the periodic jobs to finish",
            workers=workers,
        )
        # More heartbeats of both workers, each checking the schedule: nothing new comes of them.
        later = timezone.now() + datetime.timedelta(seconds=2)
        wait_for(
            lambda: WorkerProcess.objects.filter(last_seen__gt=later).count() == 2,
            "two more heartbeats of each worker",
            workers=workers,
        )
    assert Occurrence.objects.count() == len(names)
    # One run of each periodic job: the first occurrence of each is due at start.
    paths = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == sorted(periodic.task.module_path for periodic in schedule().values())


def test_two_workers_on_postgresql_run_500_jobs_each_exactly_once(live_database, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("two workers at full speed need PostgreSQL's row locks (SKIP LOCKED)")
    for number in range(JOBS):
        tasks.record_run.enqueue(number)

    with running_workers(worker_env(live_database), tmp_path, 2, "--no-scheduler") as workers:
        wait_for(
            lambda: DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count() == JOBS,
            f"the two workers to run {JOBS} jobs",
            timeout=120,
            workers=workers,
        )
    runs = list(JobEffect.objects.filter(key__startswith="run:").values_list("key", flat=True))
    assert len(runs) == JOBS  # a job run twice would leave two rows
    assert {int(key.split(":")[1]) for key in runs} == set(range(JOBS))
    by_worker = DBTaskResult.objects.values_list("worker_ids", flat=True)
    assert all(len(ids) == 1 for ids in by_worker)  # one attempt each
    assert len({ids[0] for ids in by_worker}) == 2  # and both workers took part
