"""Readable change history of a record: who changed what, and when.

django-simple-history stores a copy of the record at each save. Here the
copies are compared pairwise and ids are turned into labels in one query per
related model. A record that people may see only under a pseudonym says so
itself: it has `label_for(access)` (the name `access` may see), and its model
lists in `PSEUDONYMISED_FIELDS` what viewers who see pseudonyms may know
changed, never what it was.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import formats, timezone

HISTORY_LIMIT = 40
_ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}
# Bookkeeping that every save changes, or that never changes after creation.
_SKIPPED = {"updated_at", "created_at", "created_by", "team", "version"}
HIDDEN = "(hidden)"


@dataclass
class Change:
    field: str
    old: str
    new: str
    hidden: bool = False  # the viewer may know that it changed, not what it was


@dataclass
class HistoryEntry:
    when: object
    who: object
    action: str
    request_id: str = ""
    reason: str = ""
    changes: list = field(default_factory=list)


def history_of(obj, access, limit=HISTORY_LIMIT):
    """The latest `limit` changes to `obj`, newest first."""
    records = list(obj.history.select_related("history_user")[: limit + 1])
    model = type(obj)
    links = _link_rows(records)
    # Fields the application sets itself (a sign-off, an erasure) count too, though no
    # form edits them and diff_against compares only editable fields.
    set_by_app = [
        field
        for field in (records[0].tracked_fields if records else [])
        if not field.editable and not field.primary_key and field.name not in _SKIPPED
    ]
    raw = []
    for index, record in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if older is not None:
            # Many-to-many fields are compared from the rows loaded above: diff_against
            # would run two queries per field for every pair of records.
            delta = record.diff_against(older, excluded_fields=list(links))
            changes = [
                (change.field, change.old, change.new)
                for change in delta.changes
                if change.field not in _SKIPPED
            ]
            changes += [
                (field.name, getattr(older, field.attname), getattr(record, field.attname))
                for field in set_by_app
                if getattr(older, field.attname) != getattr(record, field.attname)
            ]
            for name, rows in links.items():
                old, new = rows[older.history_id], rows[record.history_id]
                if old != new:
                    changes.append((name, old, new))
        raw.append((record, changes))
    labeller = _Labeller(model, access)
    for _record, changes in raw:
        for name, old, new in changes:
            labeller.collect(name, old)
            labeller.collect(name, new)
    entries = [
        HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            action=_ACTIONS.get(record.history_type, record.history_type),
            request_id=getattr(record, "history_request_id", ""),
            reason=record.history_change_reason or "",
            changes=[
                Change(
                    labeller.verbose_name(name),
                    labeller.label(name, old),
                    labeller.label(name, new),
                    hidden=labeller.hides(name),
                )
                for name, old, new in changes
            ],
        )
        for record, changes in raw
    ]
    return _merge_saves(entries)


def _link_rows(records):
    """The many-to-many rows kept with each record, in one query per field.

    `{field name: {history_id: [row, ...]}}`, each row a dict of the link's
    columns (`{"activity": 1, "contact": 7}`) in the order diff_against uses.
    """
    if not records:
        return {}
    history_model = type(records[0])
    ids = [record.history_id for record in records]
    links = {}
    for model_field in history_model._history_m2m_fields:
        link_model = getattr(history_model, model_field.name).model
        columns = [
            column.name
            for column in link_model._meta.fields
            if column.editable and column.name not in ("id", "m2m_history_id", "history")
        ]
        rows: dict[int, list[dict]] = {history_id: [] for history_id in ids}
        stored = (
            link_model.objects.filter(history_id__in=ids)
            .order_by(model_field.m2m_reverse_field_name())
            .values("history_id", *columns)
        )
        for row in stored:
            rows[row.pop("history_id")].append(row)
        links[model_field.name] = rows
    return links


def _merge_saves(entries):
    """Fold the records written by one request (a save and its many-to-many steps).

    A many-to-many field changed by removing and then adding rows leaves two
    records; the merged entry shows the value before the first and after the last.
    """
    merged: list[HistoryEntry] = []
    for entry in reversed(entries):  # oldest first
        last = merged[-1] if merged else None
        if (
            last is not None
            and entry.action == "changed"
            and entry.request_id
            and entry.request_id == last.request_id
        ):
            _fold(last.changes, entry.changes)
            last.when = entry.when
        else:
            merged.append(entry)
    merged.reverse()
    for entry in merged:
        entry.changes = [
            change for change in entry.changes if change.old != change.new or change.hidden
        ]
    return [entry for entry in merged if entry.action != "changed" or entry.changes]


def _fold(changes, later):
    """Add `later` changes to `changes`, keeping one change per field."""
    by_field = {change.field: change for change in changes}
    for change in later:
        if change.field in by_field:
            by_field[change.field].new = change.new
        else:
            changes.append(change)
            by_field[change.field] = change


class _Labeller:
    """Turns stored values (codes, ids, lists of link rows) into what a person reads."""

    def __init__(self, model, access):
        self.model = model
        self.access = access
        self.wanted = {}
        self.loaded = {}

    def _field(self, name):
        return self.model._meta.get_field(name)

    def verbose_name(self, name):
        return str(self._field(name).verbose_name).capitalize()

    def _related_ids(self, name, value):
        model_field = self._field(name)
        if isinstance(model_field, models.ManyToManyField):
            target = model_field.related_model._meta.model_name  # type: ignore[union-attr]
            source = self.model._meta.model_name
            key = target if target != source else f"to_{target}"
            return [row.get(key) for row in value or [] if row.get(key) is not None]
        if isinstance(model_field, models.ForeignKey):
            return [value] if value is not None else []
        return []

    def collect(self, name, value):
        model_field = self._field(name)
        if model_field.is_relation:
            ids = self.wanted.setdefault(model_field.related_model, set())
            ids.update(self._related_ids(name, value))

    def _load(self, related_model):
        if related_model not in self.loaded:
            ids = self.wanted.get(related_model, set())
            # The labels may name a required relation (a broker is their user's name).
            rows = related_model._base_manager.select_related()
            # A label is a name: the words the access log watches (a contact's details, a
            # source's text) are left unread, so that naming a record is not reading it.
            rows = rows.defer(*getattr(related_model, "ACCESS_LOGGED_FIELDS", ()))
            self.loaded[related_model] = rows.in_bulk(ids)
        return self.loaded[related_model]

    def _object_label(self, obj):
        label_for = getattr(obj, "label_for", None)
        return label_for(self.access) if label_for else str(obj)

    def hides(self, name):
        """Evaluators see that a contact's details changed, never what they were."""
        return (
            self.access is not None
            and not self.access.sees_contact_names
            and name in getattr(self.model, "PSEUDONYMISED_FIELDS", ())
        )

    def label(self, name, value):
        if self.hides(name):
            return HIDDEN
        model_field = self._field(name)
        if model_field.is_relation:
            objects = self._load(model_field.related_model)
            labels = [
                self._object_label(objects[pk]) if pk in objects else f"#{pk} (deleted)"
                for pk in self._related_ids(name, value)
            ]
            return ", ".join(sorted(labels)) or "—"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value or "—"))
        if value in (None, ""):
            return "—"
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "j M Y, H:i")
        return str(value)
