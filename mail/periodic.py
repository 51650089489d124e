"""Mail's periodic job: forgetting sent messages and the development outbox."""

import datetime

from django.conf import settings
from django.utils import timezone

from jobs.cadence import daily
from jobs.declare import job
from jobs.schedule import Periodic
from mail.models import OutboxMessage, OutgoingMessage


@job
def clean_up(scheduled_for):
    """Delete messages sent (or given up on) and outbox messages older than MAIL_KEEP_DAYS.

    Messages still queued are kept, whatever their age: they are yet to be delivered.
    """
    cutoff = timezone.now() - datetime.timedelta(days=settings.MAIL_KEEP_DAYS)
    done = OutgoingMessage.objects.exclude(status=OutgoingMessage.Status.QUEUED)
    return {
        "messages": done.filter(created_at__lt=cutoff).delete()[0],
        "outbox": OutboxMessage.objects.filter(received_at__lt=cutoff).delete()[0],
    }


PERIODIC = [Periodic("mail.clean_up", daily("03:40"), clean_up)]
