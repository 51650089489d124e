"""`manage.py jobs_status` for monitoring: the queue in one line, exit status 1 when the
longest-waiting due job has waited too long. /healthz stays about the web process."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from tests.jobs import tasks
from tests.jobs.inline import run_due_jobs

pytestmark = pytest.mark.django_db


def status(*args):
    out = io.StringIO()
    call_command("jobs_status", *args, stdout=out)
    return out.getvalue()


@freeze_time("2025-06-02 09:00")  # no time passes between the enqueue and the check
def test_a_fresh_queue_is_fine():
    tasks.record_run.enqueue(1)
    assert status().startswith("1 due (oldest waiting 0 s)")


def test_a_job_waiting_longer_than_the_threshold_fails_the_check(client):
    job = tasks.record_run.enqueue(1)
    DBTaskResult.objects.filter(pk=job.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(minutes=10)
    )
    with pytest.raises(CommandError, match="waited 600 s, more than 300 s") as failure:
        status()
    assert failure.value.returncode == 1
    assert json.loads(status("--json", "--max-wait", "900"))["oldest_due_seconds"] >= 600
    assert client.get("/healthz").status_code == 200  # the web process is fine meanwhile


def test_a_job_waiting_out_its_pause_before_a_retry_is_not_late():
    job = tasks.flaky.enqueue(failures=1)
    run_due_jobs()
    DBTaskResult.objects.filter(pk=job.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    figures = json.loads(status("--json"))
    assert figures["due"] == 0 and figures["later"] == 1 and figures["retrying"] == 1
