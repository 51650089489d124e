"""Periodic jobs: cadences in local time, one run per occurrence whatever restarts or
races, and the clean-up job that the schedule ships with."""

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from jobs import periodic as jobs_periodic
from jobs.cadence import daily, every, monthly, weekly
from jobs.models import JobEffect, Occurrence, WorkerProcess
from jobs.schedule import Periodic, enqueue_due, schedule
from mail import periodic as mail_periodic
from mail.models import OutboxMessage, OutgoingMessage
from tests.jobs import tasks
from tests.jobs.inline import run_due_jobs

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(*args):
    return datetime.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    "cadence, now, due",
    [
        (daily("03:30"), at(2025, 6, 2, 9, 0), at(2025, 6, 2, 3, 30)),
        (daily("03:30"), at(2025, 6, 2, 3, 29), at(2025, 6, 1, 3, 30)),
        (daily("03:30"), at(2025, 6, 2, 3, 30), at(2025, 6, 2, 3, 30)),
        # The clocks go forward at 01:00 on 30 March 2025: 07:00 stays 07:00 local time.
        (daily("07:00"), at(2025, 3, 30, 8, 0), at(2025, 3, 30, 7, 0)),
        (weekly("monday", "07:00"), at(2025, 6, 4, 12, 0), at(2025, 6, 2, 7, 0)),
        (weekly("monday", "07:00"), at(2025, 6, 2, 6, 59), at(2025, 5, 26, 7, 0)),
        (monthly(1, "06:00"), at(2025, 6, 15), at(2025, 6, 1, 6, 0)),
        (monthly(1, "06:00"), at(2025, 3, 1, 5, 0), at(2025, 2, 1, 6, 0)),
        (every(15), at(2025, 6, 2, 10, 44, 59), at(2025, 6, 2, 10, 30)),
    ],
)
def test_a_cadence_gives_its_latest_due_time(cadence, now, due, settings):
    settings.TIME_ZONE = "Europe/London"
    assert cadence.latest(now) == due


def test_a_time_that_happens_twice_when_the_clocks_go_back_is_due_once(settings):
    settings.TIME_ZONE = "Europe/London"
    cadence = daily("01:30")  # 26 October 2025: 01:00-02:00 happens twice
    first = cadence.latest(datetime.datetime(2025, 10, 26, 0, 45, tzinfo=datetime.UTC))
    second = cadence.latest(datetime.datetime(2025, 10, 26, 1, 45, tzinfo=datetime.UTC))
    assert first == second


def test_bad_cadences_are_refused():
    for make in (
        lambda: monthly(31, "06:00"),
        lambda: every(7),
        lambda: weekly("caturday", "1:00"),
    ):
        with pytest.raises(ValueError):
            make()


@pytest.mark.django_db
def test_each_occurrence_is_enqueued_once_across_restarts_and_racing_schedulers():
    heartbeat = {"test.heartbeat": Periodic("test.heartbeat", daily("03:30"), tasks.record_run)}
    morning = at(2025, 6, 2, 9, 0)

    (first,) = enqueue_due(morning, heartbeat)
    assert first.due_at == at(2025, 6, 2, 3, 30) and first.job_id
    assert enqueue_due(morning + datetime.timedelta(hours=5), heartbeat) == []  # same day
    schedule.cache_clear()  # a restarted process: the occurrence is in the database
    assert enqueue_due(morning, heartbeat) == []
    (job,) = DBTaskResult.objects.all()
    assert job.args_kwargs["kwargs"]["scheduled_for"] == "2025-06-02T03:30:00+01:00"

    # Another scheduler recorded tomorrow's between our look and our insert: the unique
    # constraint refuses ours, and nothing is enqueued twice.
    Occurrence.objects.create(name="test.heartbeat", due_at=at(2025, 6, 3, 3, 30))
    assert enqueue_due(morning + datetime.timedelta(days=1), heartbeat) == []
    assert DBTaskResult.objects.count() == 1
    assert len(enqueue_due(morning + datetime.timedelta(days=2), heartbeat)) == 1


@pytest.mark.django_db
def test_the_schedule_lists_the_clean_up_jobs_and_the_digest():
    assert {name: str(periodic.cadence) for name, periodic in schedule().items()} == {
        "jobs.clean_up": "daily at 03:30",
        "mail.clean_up": "daily at 03:40",
        "teams.clean_up": "daily at 03:50",
        "evaluations.signed_off_changes": "daily at 07:00",
        "evaluations.saved_report_subscriptions": "monthly on day 1 at 06:00",
        "activities.follow_up_digest": "weekly on Monday at 07:00",
    }


@pytest.mark.django_db
def test_the_clean_up_forgets_what_is_old_and_keeps_what_is_pending(settings):
    settings.JOBS_KEEP_DAYS = settings.MAIL_KEEP_DAYS = 14
    long_ago = timezone.now() - datetime.timedelta(days=30)
    done = tasks.record_run.enqueue(1)
    pending = tasks.record_run.enqueue(2)
    run_due_jobs()
    DBTaskResult.objects.filter(pk=done.id).update(finished_at=long_ago)
    DBTaskResult.objects.filter(pk=pending.id).update(
        status=TaskResultStatus.READY, enqueued_at=long_ago
    )
    JobEffect.objects.update(recorded_at=long_ago)
    old = Occurrence.objects.create(name="test.daily", due_at=long_ago)
    latest = Occurrence.objects.create(name="test.monthly", due_at=long_ago)
    WorkerProcess.objects.create(worker_id="gone", hostname="old", pid=1, last_seen=long_ago)
    Occurrence.objects.create(name="test.daily", due_at=timezone.now())
    message = OutgoingMessage.objects.create(
        to_address="a@example.org",
        subject="s",
        text="t",
        html="h",
        message_id="<1@x>",
        status=OutgoingMessage.Status.SENT,
        created_at=long_ago,
    )
    unsent = OutgoingMessage.objects.create(
        to_address="b@example.org",
        subject="s",
        text="t",
        html="h",
        message_id="<2@x>",
        created_at=long_ago,
    )
    OutboxMessage.objects.create(subject="old", received_at=long_ago)

    assert jobs_periodic.clean_up.call(scheduled_for="") == {
        "jobs": 1,
        "effects": 2,
        "occurrences": 1,
        "workers": 1,
    }
    assert mail_periodic.clean_up.call(scheduled_for="") == {"messages": 1, "outbox": 1}
    assert DBTaskResult.objects.filter(pk=pending.id).exists()
    assert not Occurrence.objects.filter(pk=old.pk).exists()
    assert Occurrence.objects.filter(pk=latest.pk).exists()  # or the scheduler would rerun it
    assert not OutgoingMessage.objects.filter(pk=message.pk).exists()
    assert OutgoingMessage.objects.filter(pk=unsent.pk).exists()


@pytest.mark.django_db
def test_the_scheduler_command_alone_enqueues_what_is_due_once():
    out = io.StringIO()
    call_command("jobs_scheduler", "--once", stdout=out)
    call_command("jobs_scheduler", "--once", stdout=out)
    # The three clean-ups, the digests of signed-off changes and of follow-ups and the
    # saved reports' run, the first time only.
    assert out.getvalue().count("Enqueued") == 6
    assert DBTaskResult.objects.count() == 6
