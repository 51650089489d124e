"""The weekly digest of follow-ups: each Monday, each broker's due and overdue follow-ups,
once per person per week (however often the job runs, on however many workers), with a
one-click way out."""

import datetime
from datetime import UTC

import pytest
from django_tasks import TaskResultStatus
from freezegun import freeze_time

from activities import periodic
from jobs.models import JobEffect
from jobs.schedule import enqueue_due
from mail.models import OutgoingMessage
from tests import factories
from tests.jobs.inline import job_row, run_due_jobs
from tests.jobs.live import running_workers, wait_for, worker_env


def follow_up(team, user, title, on):
    return factories.ActivityFactory(
        team=team,
        lead_broker=user.broker_profile,
        title=title,
        follow_up_date=datetime.date.fromisoformat(on),
    )


def run_digest(now):
    """The scheduler and a worker at `now` (UTC), as they run in production."""
    schedule = {periodic.NAME: periodic.PERIODIC[0]}
    with freeze_time(now):
        enqueue_due(
            now=datetime.datetime.fromisoformat(now).replace(tzinfo=UTC), periodics=schedule
        )
        run_due_jobs()


@pytest.fixture
def week(team, broker, lead, settings):
    """Monday 2 June 2025: the broker has one overdue follow-up, one this week, one later
    and one done; the lead one this week."""
    settings.TIME_ZONE = "UTC"
    broker.email, lead.email = "bea@example.org", "lee@example.org"
    broker.save()
    lead.save()
    follow_up(team, broker, "Call the ICB back", "2025-05-20")
    follow_up(team, broker, "Send the slides", "2025-06-05")
    follow_up(team, broker, "Next month", "2025-07-01")
    follow_up(team, broker, "Already done", "2025-06-03").mark_follow_up_done(broker)
    follow_up(team, lead, "Lead's chase", "2025-06-08")


@pytest.mark.django_db
def test_each_broker_gets_one_digest_of_their_due_and_overdue(week, broker, lead):
    run_digest("2025-06-02 08:00")
    run_digest("2025-06-03 08:00")  # the same week's occurrence: nothing more

    message = OutgoingMessage.objects.get(to_address__endswith="bea@example.org")
    assert message.subject == "Your follow-ups this week: 2 due or overdue"
    assert "Overdue:\n- Tue 20 May 2025: Call the ICB back" in message.text
    assert "Due this week:\n- Thu 5 Jun 2025: Send the slides" in message.text
    assert "Next month" not in message.text and "Already done" not in message.text
    assert "Lead's chase" not in message.text
    assert "/teams/bristol/follow-ups/" in message.text
    lead_message = OutgoingMessage.objects.get(to_address__endswith="lee@example.org")
    assert "Lead's chase" in lead_message.text
    assert OutgoingMessage.objects.count() == 2


@pytest.mark.django_db
def test_the_job_run_again_in_the_same_week_sends_nothing_more(week, broker):
    periodic.follow_up_digest.call(scheduled_for="2025-06-02T07:00:00+00:00")
    periodic.follow_up_digest.call(scheduled_for="2025-06-04T07:00:00+00:00")  # same week

    assert OutgoingMessage.objects.filter(to_address__endswith="bea@example.org").count() == 1
    assert JobEffect.objects.filter(key__startswith="follow_up_digest:").count() == 2


@pytest.mark.django_db
def test_the_next_week_brings_a_new_digest(week, broker):
    run_digest("2025-06-02 08:00")
    run_digest("2025-06-09 08:00")

    texts = list(
        OutgoingMessage.objects.filter(to_address__endswith="bea@example.org")
        .order_by("pk")
        .values_list("text", flat=True)
    )
    assert len(texts) == 2
    assert "Thu 5 Jun 2025: Send the slides" in texts[1].split("Due this week")[0]  # overdue


@pytest.mark.django_db
def test_nothing_due_means_no_digest(team, broker, settings):
    settings.TIME_ZONE = "UTC"
    broker.email = "bea@example.org"
    broker.save()
    follow_up(team, broker, "Next month", "2025-07-01")

    run_digest("2025-06-02 08:00")

    assert not OutgoingMessage.objects.exists()


@pytest.mark.django_db
def test_one_click_opts_a_person_out_of_the_digest_alone(week, broker, client):
    run_digest("2025-06-02 08:00")
    message = OutgoingMessage.objects.get(to_address__endswith="bea@example.org")
    header = message.headers["List-Unsubscribe"]
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.kind == "follow_up_digest"

    link = header.strip("<>").split("://", 1)[1].split("/", 1)[1]
    response = client.post(f"/{link}", {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    run_digest("2025-06-09 08:00")

    assert OutgoingMessage.objects.filter(to_address__endswith="bea@example.org").count() == 1
    assert OutgoingMessage.objects.filter(to_address__endswith="lee@example.org").count() == 2


def test_two_workers_send_each_person_one_digest_a_week(
    live_database, tmp_path, team, broker, lead, settings
):
    broker.email, lead.email = "bea@example.org", "lee@example.org"
    broker.save()
    lead.save()
    today = datetime.date.today()
    follow_up(team, broker, "Overdue chase", str(today - datetime.timedelta(days=3)))
    follow_up(team, lead, "Lead's chase", str(today - datetime.timedelta(days=1)))
    # The week's occurrence, and the same week's job enqueued again by hand: two jobs that
    # the two workers take at once.
    scheduled = datetime.datetime.now(UTC).isoformat()
    jobs = [periodic.follow_up_digest.enqueue(scheduled_for=scheduled) for _ in range(4)]

    with running_workers(worker_env(live_database), tmp_path, 2, "--no-scheduler") as workers:
        wait_for(
            lambda: all(job_row(job.id).status == TaskResultStatus.SUCCESSFUL for job in jobs),
            "the four runs of the digest",
            workers=workers,
        )

    addresses = sorted(OutgoingMessage.objects.values_list("to_address", flat=True))
    assert [address.rsplit("<", 1)[-1].strip(">") for address in addresses] == [
        "bea@example.org",
        "lee@example.org",
    ]
    assert JobEffect.objects.filter(key__startswith="follow_up_digest:").count() == 2
