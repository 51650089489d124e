"""Writing the change history, whichever way a change is made.

A model's `save()` leaves a history record by itself. Statements that write
many rows at once (`QuerySet.update()`, `bulk_create()`) send no signal and
would change the data without a trace; `record_history()` writes the same
records (many-to-many rows included, so that the next change compares against
the right links), by the user of the request, tagged with its request id, and
`create_with_history()` and `RecordedQuerySet.update_with_history()` build on it.

Every record of one request carries the same `history_request_id`, so that a
form save (the row, then each many-to-many field) reads as one change.
`change_reason()` names where a change came from when there is no person to
name (a management command, say): every record written inside it carries the
reason.
"""

import contextlib
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Cast
from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

# Rows are read back and recorded this many at a time, so memory stays flat.
CHUNK_SIZE = 500
_REASON_LENGTH = 100  # simple-history's history_change_reason column

_reason = ContextVar("history_change_reason", default=None)


class RequestHistory(models.Model):
    """Marks the history records written by one request, so one save reads as one change.

    A form save writes the row and then each many-to-many field, and the
    history keeps a record for each step.
    """

    history_request_id = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        abstract = True


def tracked(**kwargs):
    """History of a model, with the request that made each change."""
    return HistoricalRecords(bases=[RequestHistory], **kwargs)


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


def _current_request():
    return getattr(HistoricalRecords.context, "request", None)


def request_history_id():
    """The id shared by every history record of the request being served ("" outside one)."""
    request = _current_request()
    if request is None:
        return ""
    if not hasattr(request, "history_request_id"):
        request.history_request_id = uuid.uuid4().hex
    return request.history_request_id


def _request_user():
    user = getattr(_current_request(), "user", None)
    return user if getattr(user, "is_authenticated", False) and getattr(user, "pk", None) else None


@receiver(pre_create_historical_record, dispatch_uid="kmtracker.history.tag_record")
def tag_record(sender, history_instance, **kwargs):
    """Give a record saved one at a time its request's id and, without a person, its reason."""
    history_instance.history_request_id = request_history_id()
    reason = current_change_reason()
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = reason


def record_history(objects, created, user=None, links=None, reason=""):
    """Write one history record per object of `objects` (saved rows of one model), with
    their many-to-many links as they are now; `created` says "+" rather than "~".

    `links` ({field name: saved rows of its through table}) spares reading back the
    links of fields whose rows the caller has just written. `reason` is the record's
    change reason when no change_reason() block gives one (None, as a save leaves it).
    """
    if not objects:
        return []
    model = type(objects[0])
    records = model.history.bulk_history_create(
        objects,
        update=not created,
        default_user=user or _request_user(),
        default_change_reason=current_change_reason() or reason,
        custom_historical_attrs={"history_request_id": request_history_id()},
    )
    if records is None:  # SIMPLE_HISTORY_ENABLED is off
        return []
    _record_links(model, records, links or {})
    return records


def _record_links(model, records, known):
    """Copy the current many-to-many rows of each recorded object into its record."""
    history_model = model.history.model
    record_of = {record.id: record for record in records}
    for field in getattr(history_model, "_history_m2m_fields", ()):
        through = getattr(model, field.name).through
        source = field.m2m_field_name()
        link_model = getattr(history_model, field.name).model
        columns = [column.attname for column in through._meta.fields]
        if field.name in known:
            rows = [
                {column: getattr(row, column) for column in columns} for row in known[field.name]
            ]
        else:
            rows = through.objects.filter(**{f"{source}__in": list(record_of)}).values(*columns)
        link_model.objects.bulk_create(
            (link_model(history=record_of[row[f"{source}_id"]], **row) for row in rows),
            batch_size=2000,
        )


def create_with_history(objects, links, user=None):
    """Insert `objects` (unsaved rows of one model) and their many-to-many `links`
    ({field name: [(object, target or its pk)]}) in a few queries, each object with the
    one "created" history record that a form save leaves, links included."""
    model = type(objects[0])
    model.objects.bulk_create(objects)
    written = {}
    for name, pairs in links.items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        written[name] = through.objects.bulk_create(
            through(**{source: obj, f"{target}_id": getattr(other, "pk", other)})
            for obj, other in pairs
        )
    record_history(objects, created=True, user=user, links=written)
    return objects


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


def save_with_links(instance, links, current=None, user=None):
    """Save `instance` and set its many-to-many `links` ({field name: target pks}), leaving
    the rows and the history that saving the row and then calling `set()` on each field
    leave, in a few statements rather than a few per field.

    A form save writes a history record for the row, then one after each step that
    changes a field (fields in the model's order, removals before additions), each
    record keeping the links as they were at that step. Here the same records are
    built in memory and written in one statement, their link rows in one statement per
    field, and each field's removed and added rows in one statement each.

    `current` ({field name: {target pk: through row id}}) is what the row is linked to
    now (read here, one query per field, when not given; nothing for a new row).
    """
    model = type(instance)
    created = instance._state.adding
    instance.skip_history_when_saving = True
    try:
        instance.save()
    finally:
        del instance.skip_history_when_saving
    history_model = model.history.model
    tracked_names = [field.name for field in getattr(history_model, "_history_m2m_fields", ())]
    fields = [model._meta.get_field(name) for name in tracked_names]
    if created:
        current = {name: {} for name in tracked_names}
    elif current is None:
        current = current_links(instance, tracked_names)
    state = {name: dict(current.get(name, {})) for name in tracked_names}
    steps = [("+" if created else "~", _snapshot(state))]
    for field in fields:
        if field.name not in links:
            continue
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        target_column = through._meta.get_field(target).attname
        wanted = list(dict.fromkeys(links[field.name]))
        now = state[field.name]
        removed = [pk for pk in now if pk not in set(wanted)]
        if removed:
            through.objects.filter(**{source: instance, f"{target_column}__in": removed}).delete()
            for pk in removed:
                del now[pk]
            steps.append(("~", _snapshot(state)))
        added = [pk for pk in wanted if pk not in now]
        if added:
            rows = through.objects.bulk_create(
                through(**{source: instance, target_column: pk}) for pk in added
            )
            for row in rows:
                now[getattr(row, target_column)] = row.pk
            steps.append(("~", _snapshot(state)))
    _write_steps(instance, steps, fields, user)
    return instance


def current_links(instance, names):
    """{field name: {target pk: through row id}}: what `instance` is linked to, in one
    query (the link tables' rows, UNION ALL; each field's in the order they were made)."""
    names = list(names)
    parts, targets = [], []
    for index, name in enumerate(names):
        field = type(instance)._meta.get_field(name)
        through = field.remote_field.through
        target = through._meta.get_field(field.m2m_reverse_field_name())
        targets.append(target.target_field)
        # As text, so that tables whose targets have keys of other types share a column.
        rows = through.objects.filter(**{field.m2m_field_name(): instance}).values_list(
            Value(index, output_field=models.IntegerField()),
            Cast(target.attname, output_field=models.TextField()),
            "pk",
        )
        parts.append(rows.order_by())
    links: dict[str, dict] = {name: {} for name in names}
    if not parts:
        return links
    rows = sorted(parts[0].union(*parts[1:], all=True), key=lambda row: (row[0], row[2]))
    for index, target, row_id in rows:
        links[names[index]][targets[index].to_python(target)] = row_id
    return links


def _snapshot(state):
    return {name: dict(rows) for name, rows in state.items()}


def _write_steps(instance, steps, fields, user):
    """One history record per step (as simple-history's signals would write it, tagged
    with the request), then each field's link rows of every record."""
    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    model = type(instance)
    history_model = model.history.model
    who = getattr(instance, "_history_user", None) or user or _request_user()
    reason = getattr(instance, "_change_reason", None) or current_change_reason()
    values = {
        field.attname: getattr(instance, field.attname) for field in history_model.tracked_fields
    }
    records = history_model.objects.bulk_create(
        history_model(
            history_date=getattr(instance, "_history_date", None) or timezone.now(),
            history_type=history_type,
            history_user=who,
            history_change_reason=reason,
            history_request_id=request_history_id(),
            **values,
        )
        for history_type, _links in steps
    )
    for field in fields:
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        target_column = through._meta.get_field(target).attname
        link_model = getattr(history_model, field.name).model
        rows = [
            link_model(
                history=record,
                id=row_id,
                **{f"{source}_id": instance.pk, target_column: pk},
            )
            for record, (_type, links) in zip(records, steps, strict=True)
            for pk, row_id in links[field.name].items()
        ]
        if rows:
            link_model.objects.bulk_create(rows, batch_size=2000)
