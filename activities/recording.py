"""Writing the change history where django-simple-history cannot see the change.

A model's `save()` leaves a history record by itself. Statements that write
many rows at once (`QuerySet.update()`, `bulk_create()`) send no signal and
would change the data without a trace; the helpers here write the same
records (many-to-many rows included, so that the next change compares against
the right links), by the user of the request, tagged with its request id.

`change_reason()` names where a change came from when there is no person to
name (a management command, say): every record written inside it carries the
reason.
"""

import contextlib
from contextvars import ContextVar
from types import SimpleNamespace

from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.models import HistoricalRecords

from activities.signals import tag_history_with_request

# Rows are read back and recorded this many at a time, so memory stays flat.
CHUNK_SIZE = 500
_REASON_LENGTH = 100  # simple-history's history_change_reason column

_reason = ContextVar("history_change_reason", default=None)


@contextlib.contextmanager
def change_reason(reason):
    """Record `reason` as the cause of every change made inside the block."""
    token = _reason.set(reason[:_REASON_LENGTH])
    try:
        yield
    finally:
        _reason.reset(token)


def current_change_reason():
    return _reason.get()


def _request_user():
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) and user.pk else None


def _request_tag():
    tag = SimpleNamespace(history_request_id="")
    tag_history_with_request(sender=None, history_instance=tag)
    return {"history_request_id": tag.history_request_id}


def record_history(objects, created, user=None):
    """Write one history record per object of `objects` (saved rows of one model), with
    their many-to-many links as they are now; `created` says "+" rather than "~"."""
    if not objects:
        return []
    model = type(objects[0])
    records = model.history.bulk_history_create(
        objects,
        update=not created,
        default_user=user or _request_user(),
        default_change_reason=current_change_reason() or "",
        custom_historical_attrs=_request_tag(),
    )
    if records is None:  # SIMPLE_HISTORY_ENABLED is off
        return []
    _record_links(model, records)
    return records


def _record_links(model, records):
    """Copy the current many-to-many rows of each recorded object into its record."""
    history_model = model.history.model
    record_of = {record.id: record for record in records}
    for field in getattr(history_model, "_history_m2m_fields", ()):
        through = getattr(model, field.name).through
        source = field.m2m_field_name()
        link_model = getattr(history_model, field.name).model
        columns = [column.attname for column in through._meta.fields]
        rows = through.objects.filter(**{f"{source}__in": list(record_of)}).values(*columns)
        link_model.objects.bulk_create(
            (link_model(history=record_of[row[f"{source}_id"]], **row) for row in rows),
            batch_size=2000,
        )


class RecordedQuerySet(models.QuerySet):
    """Bulk writes that keep the change history, like a save of each row would."""

    def update_with_history(self, user=None, **values):
        """`update(**values)`, then one "changed" history record per row; the number changed.

        Versioned rows move to their next version, so that an edit form opened
        before the update is refused rather than overwriting it.
        """
        fields = {field.name for field in self.model._meta.concrete_fields}
        if "version" in fields:
            values["version"] = F("version") + 1
        if "updated_at" in fields:
            values.setdefault("updated_at", timezone.now())
        changed = 0
        with transaction.atomic(using=self.db):
            pks = list(self.order_by("pk").values_list("pk", flat=True))
            for start in range(0, len(pks), CHUNK_SIZE):
                rows = self.model._base_manager.filter(pk__in=pks[start : start + CHUNK_SIZE])
                changed += rows.update(**values)
                record_history(list(rows.order_by("pk")), created=False, user=user)
        return changed


class RecordedCommand(BaseCommand):
    """A management command whose changes say, in the history, that it made them."""

    def execute(self, *args, **options):
        name = self.__module__.rsplit(".", 1)[-1]
        with change_reason(f"manage.py {name}"):
            return super().execute(*args, **options)
