"""Forms' one-time tokens are forgotten by a nightly job once no open page can send them."""

import datetime

import pytest
from django.utils import timezone

from jobs.schedule import schedule
from teams import periodic
from teams.models import Submission
from tests.jobs.inline import run_due_jobs


@pytest.mark.django_db
def test_the_clean_up_deletes_tokens_older_than_the_days_kept(settings, team, broker):
    settings.SUBMISSIONS_KEEP_DAYS = 7
    now = timezone.now()
    old = Submission.objects.create(token="o" * 20, team=team, user=broker)
    recent = Submission.objects.create(token="r" * 20, team=team, user=broker)
    Submission.objects.filter(pk=old.pk).update(created_at=now - datetime.timedelta(days=8))
    Submission.objects.filter(pk=recent.pk).update(created_at=now - datetime.timedelta(days=6))

    assert periodic.clean_up.call(scheduled_for="") == {"submissions": 1}
    assert list(Submission.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_the_clean_up_runs_from_the_schedule_through_the_worker(settings, team, broker):
    settings.SUBMISSIONS_KEEP_DAYS = 7
    old = Submission.objects.create(token="o" * 20, team=team, user=broker)
    Submission.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=30)
    )
    cleaning = schedule()["teams.clean_up"]

    cleaning.task.enqueue(scheduled_for=timezone.now().isoformat())
    run_due_jobs()

    assert not Submission.objects.exists()
