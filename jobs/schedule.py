"""Periodic jobs: a declarative schedule, and the scheduler step that enqueues what is due.

Each app may have a `periodic.py` whose PERIODIC lists its periodic jobs:

    PERIODIC = [Periodic("mail.weekly_digest", weekly("monday", "07:00"), weekly_digest)]

The task is a job (jobs/declare.py) that takes `scheduled_for`, the due time as an ISO
string (a digest names its week by it). Every worker runs `enqueue_due()` in its
housekeeping thread, every JOBS_HEARTBEAT_SECONDS: nothing else to deploy, and nothing
to forget when a machine is added. That is safe because each occurrence is recorded
under a unique (name, due time) in the same transaction that enqueues its job: of two
schedulers that race, one inserts the occurrence and enqueues; the other's insert
fails and it moves on; a restarted scheduler finds the row and does nothing.
(`manage.py jobs_scheduler` runs the same step alone, for a backend whose workers
are not ours, such as Redis.)
"""

import functools
import importlib
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from jobs.models import Occurrence


@dataclass(frozen=True)
class Periodic:
    """A job run on a cadence: its name (the key of its occurrences), when, and the task."""

    name: str
    cadence: object  # jobs.cadence: daily(...), weekly(...), monthly(...), every(...)
    task: object

    def __str__(self):
        return f"{self.name} ({self.cadence})"


@functools.cache
def schedule():
    """Every app's PERIODIC, by name."""
    found = {}
    for app in apps.get_app_configs():
        if not module_has_submodule(app.module, "periodic"):
            continue
        for periodic in importlib.import_module(f"{app.name}.periodic").PERIODIC:
            if periodic.name in found:
                raise ImproperlyConfigured(f"Two periodic jobs are named {periodic.name!r}.")
            found[periodic.name] = periodic
    return found


def enqueue_due(now=None, periodics=None):
    """Enqueue each periodic job whose latest due time has no occurrence yet.

    Returns the occurrences this call recorded (none when another scheduler was first).
    """
    now = now or timezone.now()
    recorded = []
    for periodic in (periodics or schedule()).values():
        due_at = periodic.cadence.latest(now)
        if Occurrence.objects.filter(name=periodic.name, due_at=due_at).exists():
            continue  # the usual case, answered without a failed insert
        try:
            with transaction.atomic():
                occurrence = Occurrence.objects.create(name=periodic.name, due_at=due_at)
                result = periodic.task.enqueue(scheduled_for=due_at.isoformat())
                occurrence.job_id = str(result.id)
                occurrence.save(update_fields=["job_id"])
        except IntegrityError:
            continue  # another scheduler recorded it between our look and our insert
        recorded.append(occurrence)
    return recorded
