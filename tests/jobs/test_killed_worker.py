"""A worker killed mid-job (SIGKILL: no clean-up at all) has its job run again by another
worker, and the job's effect happens exactly once, on SQLite and PostgreSQL alike.

The job queues a message under a key (jobs/once.py). Its first attempt hangs, either
inside the transaction of its effect or just after that transaction committed; the test
kills the worker there, starts another, and counts the messages.
"""

import pytest
from django_tasks import TaskResultStatus

from jobs.models import JobEffect, WorkerProcess
from mail.models import OutboxMessage, OutgoingMessage
from tests.jobs import tasks
from tests.jobs.inline import job_row
from tests.jobs.live import WorkerProcess as Worker
from tests.jobs.live import running_workers, wait_for, worker_env


@pytest.mark.parametrize("phase", ["before commit", "after commit"])
def test_the_job_of_a_killed_worker_runs_again_and_its_effect_happens_once(
    live_database, tmp_path, phase
):
    env = worker_env(live_database)
    marker = tmp_path / "hanging"
    result = tasks.send_once.enqueue("welcome:ada", "ada@example.org", str(marker), phase)

    first = Worker(env, tmp_path, "--no-scheduler").start()
    try:
        wait_for(marker.exists, "the first attempt to reach its hanging point", workers=[first])
        first.kill()
    finally:
        first.stop()
    assert job_row(result.id).status == TaskResultStatus.RUNNING  # held by a dead worker
    expected_before = 1 if phase == "after commit" else 0
    assert OutgoingMessage.objects.count() == expected_before

    with running_workers(env, tmp_path, 1, "--no-scheduler") as workers:
        wait_for(
            lambda: job_row(result.id).status == TaskResultStatus.SUCCESSFUL,
            "the second worker to notice the dead one and run its job",
            workers=workers,
        )
        wait_for(OutboxMessage.objects.exists, "the message's delivery", workers=workers)

    row = job_row(result.id)
    assert len(row.worker_ids) == 2  # the killed attempt, then the one that finished
    assert OutgoingMessage.objects.filter(to_address="ada@example.org").count() == 1
    assert OutboxMessage.objects.filter(to="ada@example.org").count() == 1
    assert JobEffect.objects.filter(key="welcome:ada").count() == 1
    assert not WorkerProcess.objects.filter(pid=first.pid).exists()  # the dead one is forgotten
