"""Tenancy's periodic job: forgetting one-time form tokens once no page can send them."""

import datetime

from django.conf import settings
from django.utils import timezone

from jobs.cadence import daily
from jobs.declare import job
from jobs.schedule import Periodic
from teams.models import Submission


@job
def clean_up(scheduled_for):
    """Delete the Submissions older than SUBMISSIONS_KEEP_DAYS.

    A token only guards against the same page being sent twice: a page left open
    longer than that is sent with a token nobody remembers, and saves as new.
    """
    cutoff = timezone.now() - datetime.timedelta(days=settings.SUBMISSIONS_KEEP_DAYS)
    return {"submissions": Submission.objects.filter(created_at__lt=cutoff).delete()[0]}


PERIODIC = [Periodic("teams.clean_up", daily("03:50"), clean_up)]
