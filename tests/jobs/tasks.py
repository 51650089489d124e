"""Jobs for the tests: importable by worker processes as `tests.jobs.tasks`."""

import time
import uuid
from pathlib import Path

from django.utils import timezone

from jobs.declare import PermanentFailure, job
from jobs.models import JobEffect
from jobs.once import once
from mail.send import send_mail_to


@job(takes_context=True)
def send_once(context, key, address, marker, phase):
    """Queue one message under `key`; the first attempt writes `marker` and then hangs,
    inside the effect's transaction ("before commit") or after it ("after commit"),
    for the test to kill its worker there."""
    with once(key) as first_time:
        if first_time:
            send_mail_to(address, template="test_message", context={"queued_at": timezone.now()})
        if phase == "before commit" and context.attempt == 1:
            _hang(marker)
    if phase == "after commit" and context.attempt == 1:
        _hang(marker)
    return "sent"


@job
def record_run(number):
    """Each run leaves a row of its own, so that a job run twice shows as two rows."""
    JobEffect.objects.create(key=f"run:{number}:{uuid.uuid4().hex}")


@job(takes_context=True, max_attempts=4)
def flaky(context, failures):
    """Fails its first `failures` attempts, as a server that is down for a while."""
    if context.attempt <= failures:
        raise ConnectionError(f"attempt {context.attempt}: the server did not answer")
    return context.attempt


@job
def refuse():
    raise PermanentFailure("no such recipient")


def _hang(marker):
    Path(marker).write_text("hanging")
    time.sleep(600)
