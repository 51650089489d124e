"""A failed job is tried again after a growing pause, until its attempts are spent; each
failure is one JSON log line with the id of the request that enqueued the job."""

import datetime
import json
import logging

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from freezegun import freeze_time

from jobs.retry import retry_delay
from kmtracker.lib.log import JsonFormatter, RequestIdFilter, request_id
from tests.jobs import tasks
from tests.jobs.inline import job_row, run_due_jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pauses(settings):
    settings.JOBS_RETRY_DELAY_SECONDS = 30
    settings.JOBS_RETRY_MAX_DELAY_SECONDS = 3600


def test_the_pause_doubles_after_each_failure_up_to_its_limit():
    for failures, expected in [(1, 30), (2, 60), (3, 120), (8, 3600), (20, 3600)]:
        seconds = retry_delay(failures).total_seconds()
        assert expected * 0.8 <= seconds <= expected * 1.2, (failures, seconds)


def test_a_failing_job_waits_then_is_tried_again_until_it_succeeds():
    result = tasks.flaky.enqueue(failures=2)
    start = timezone.now()

    # At `start` exactly: the pause is measured from the failure, however long a busy
    # machine takes to get there.
    with freeze_time(start):
        assert run_due_jobs() == 1
    row = job_row(result.id)
    assert row.status == TaskResultStatus.READY  # waiting, with its error kept
    assert row.exception_class_path == "builtins.ConnectionError"
    assert "attempt 1: the server did not answer" in row.traceback
    assert datetime.timedelta(seconds=24) <= row.run_after - start <= datetime.timedelta(seconds=37)
    assert run_due_jobs() == 0  # not before its pause is over

    with freeze_time(start + datetime.timedelta(seconds=40)):
        assert run_due_jobs() == 1
    row = job_row(result.id)
    assert row.status == TaskResultStatus.READY and len(row.worker_ids) == 2
    assert row.run_after - start >= datetime.timedelta(
        seconds=40 + 48
    )  # the second pause is longer

    with freeze_time(start + datetime.timedelta(minutes=5)):
        assert run_due_jobs() == 1
    row = job_row(result.id)
    assert row.status == TaskResultStatus.SUCCESSFUL
    assert row.return_value == 3 and len(row.worker_ids) == 3
    assert row.traceback == ""


def test_a_job_whose_attempts_are_spent_fails_with_its_last_error():
    result = tasks.flaky.enqueue(failures=10)  # more than its 4 attempts
    moment = timezone.now()
    for _ in range(4):
        moment += datetime.timedelta(hours=2)
        with freeze_time(moment):
            assert run_due_jobs() == 1
    row = job_row(result.id)
    assert row.status == TaskResultStatus.FAILED
    assert len(row.worker_ids) == 4
    assert "attempt 4: the server did not answer" in row.traceback
    with freeze_time(moment + datetime.timedelta(days=1)):
        assert run_due_jobs() == 0


def test_a_permanent_failure_is_not_tried_again():
    result = tasks.refuse.enqueue()
    assert run_due_jobs() == 1
    row = job_row(result.id)
    assert row.status == TaskResultStatus.FAILED and len(row.worker_ids) == 1
    assert row.exception_class_path == "jobs.declare.PermanentFailure"


def test_each_failure_is_one_json_line_with_the_request_id_that_enqueued_the_job(caplog):
    token = request_id.set("req-7f3a")
    try:
        result = tasks.flaky.enqueue(failures=1)
    finally:
        request_id.reset(token)
    assert job_row(result.id).args_kwargs["kwargs"]["_job"] == {"request_id": "req-7f3a"}

    with caplog.at_level(logging.INFO, logger="jobs"):
        run_due_jobs()
    failures = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(failures) == 1
    RequestIdFilter().filter(failures[0])
    line = JsonFormatter().format(failures[0])
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["request_id"] == "req-7f3a"
    assert entry["level"] == "WARNING"  # it will be retried; the last failure is an ERROR
    assert entry["job"] == "flaky" and entry["job_id"] == str(result.id)
    assert entry["attempt"] == 1 and entry["max_attempts"] == 4
    assert entry["error"] == "ConnectionError: attempt 1: the server did not answer"
    assert "Traceback" in entry["exception"]


def test_the_job_function_never_sees_the_envelope():
    result = tasks.flaky.enqueue(failures=0)
    run_due_jobs()
    assert job_row(result.id).return_value == 1  # flaky() accepts no unknown keyword argument
