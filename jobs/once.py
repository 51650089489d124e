"""Effects that happen once, however often the job that causes them runs.

A worker that dies mid-job has its job run again (jobs/recovery.py), and two workers may
be given the same occurrence of a periodic job only in name: it is enqueued once. What a
job does in the database is therefore done under a key:

    with once(f"digest:{user.pk}:{week}") as first_time:
        if first_time:
            send_mail_to(user, template="weekly_digest", ...)

The key is recorded in the same transaction as the effect, under a unique constraint:
if the job dies before that transaction commits, neither the key nor the effect stays
and the next attempt does both; if it dies after, the next attempt finds the key and
does nothing. Two attempts at once wait on each other's key, and one does the work.
"""

from contextlib import contextmanager

from django.db import IntegrityError, transaction

from jobs.models import JobEffect


@contextmanager
def once(key):
    """A transaction in which `first_time` tells whether `key` was new (then do the effect)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                JobEffect.objects.create(key=key)
        except IntegrityError:
            yield False
        else:
            yield True
