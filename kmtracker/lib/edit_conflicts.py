"""Two people editing the same record: the second save is refused, and they merge.

An edit form sends the version it was opened at (`VersionedForm`); the save
checks it in the UPDATE (`kmtracker.lib.versioning`). When someone saved in
between, nothing is written and the form comes back with a table of every
field where the editor's version and the saved one differ. The editor keeps
their values, or takes the saved value field by field, and saves again: the
form now carries the saved version, so the save goes through unless yet
another change came first, which shows the table again.
"""

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crispy_forms.layout import HTML, Field
from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import transaction
from django.utils import formats
from simple_history.admin import SimpleHistoryAdmin

from kmtracker.lib.versioning import VersionConflict

if TYPE_CHECKING:
    from django.views.generic import UpdateView as _UpdateViewBase
else:
    _UpdateViewBase = object

MERGE_PREFIX = "merge_"
KEEP_SAVED = "saved"
STALE_IN_ADMIN = (
    "Someone else saved this record after you opened it. Nothing was saved: "
    "open the record again to see their change, then make yours."
)
MISSING_VERSION = (
    "This form does not say which version of the record it changes: "
    "open the edit page again and make your changes there."
)

# Put first in the layout of a versioned form: the differences (on a conflict) and the
# hidden version, inside the <form> so that the per-field choices are sent with it.
CONFLICT_LAYOUT = (HTML('{% include "includes/edit_conflict.html" %}'), Field("version"))


class VersionedForm(forms.ModelForm):
    """A ModelForm that saves only if the record is still at the version it was opened at.

    Editing an existing record needs the version; a new record starts at 1
    whatever is posted. A form opened before its record existed says version 0,
    so that when someone else created the record in the meantime (a quarter's
    report, say) the save is a conflict rather than an overwrite. A posted
    `merge_<field>=saved` replaces the editor's value of that field by the saved
    record's, which is how a conflict is merged.
    """

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version if self.instance.pk else 0
        if self.is_bound:
            self.data = self._merged(self.data)

    def _merged(self, data):
        saved = [
            name
            for name in self.fields
            if name != "version" and data.get(MERGE_PREFIX + name) == KEEP_SAVED
        ]
        if not saved:
            return data
        data = data.copy()
        for name in saved:
            _set_data(data, self.add_prefix(name), self.fields[name], self[name].initial)
        return data

    def clean(self):
        cleaned = super().clean()
        # Without the version the save could overwrite a change it never showed.
        if self.instance.pk is not None and _posted_version((cleaned or {}).get("version")) is None:
            self.add_error(None, MISSING_VERSION)
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # type: ignore[misc]
        version = _posted_version(self.cleaned_data.get("version"))
        if self.instance.pk is not None and version is not None:
            self.instance.version = version


class VersionedAdminForm(VersionedForm):
    """The admin's form of a versioned record: a stale save is a form error.

    The admin has no merge page; the editor reloads the record and makes the
    change again. (The UPDATE still checks the version for a save that races
    this check.)
    """

    def clean(self):
        cleaned = super().clean()
        posted = _posted_version(cleaned.get("version"))
        if self.instance.pk is not None and posted not in (None, self.instance.version):
            self.add_error(None, STALE_IN_ADMIN)
        return cleaned


class VersionedAdmin(SimpleHistoryAdmin):
    """The admin of a versioned record: its change form carries the version as well."""

    form = VersionedAdminForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        # The form declares `version`; naming the non-editable model field would be an error.
        if "fields" not in kwargs:
            kwargs["fields"] = flatten_fieldsets(self.get_fieldsets(request, obj))
        if kwargs["fields"] is not None:  # None: every field of the form
            kwargs["fields"] = [name for name in kwargs["fields"] if name != "version"]
        return super().get_form(request, obj, change, **kwargs)


def _posted_version(text):
    """The posted version as a number, or None for anything else (a tampered field may
    hold other digits than 0-9, or more of them than a number can have)."""
    text = text or ""
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def _set_data(data, key, field, initial):
    """Write `initial` (a form's initial value) into `data` as a browser would post it."""
    value = field.prepare_value(initial)
    if isinstance(field, forms.BooleanField):
        if value:
            data[key] = "on"
        else:
            data.pop(key, None)
    elif isinstance(value, list | tuple):
        items = [str(item) for item in value]
        if hasattr(data, "setlist"):
            data.setlist(key, items)
        else:  # a plain dict, as a form built in code may have
            data[key] = items
    else:
        data[key] = "" if value is None else str(value)


@dataclass
class Difference:
    """One field where the editor's version and the saved record differ."""

    name: str
    label: str
    yours: str
    saved: str


@dataclass
class Conflict:
    """What the conflict page shows: who saved last, and each field that differs."""

    differences: list
    saved_by: object = None
    saved_at: object = None


def save_checked(form):
    """Save `form` in one transaction; VersionConflict (and nothing written) when it is stale."""
    with transaction.atomic():
        return form.save()


def conflict_form(form_class, data, saved, **form_kwargs):
    """The form to show after a refused save, and the Conflict it shows.

    `data` is what the editor posted; `saved` is the record as it is now. The
    form keeps the editor's values, carries the saved version and compares
    field by field against the saved record.
    """
    data = data.copy()
    for key in [key for key in data if key.startswith(MERGE_PREFIX)]:
        del data[key]
    prefix = form_kwargs.get("prefix")
    data[f"{prefix}-version" if prefix else "version"] = str(saved.version)
    form = form_class(data=data, instance=saved, **form_kwargs)
    form.is_valid()  # for the editor's values as the form reads them
    differences = [
        Difference(
            name=name,
            label=str(form[name].label),
            yours=_display(form.fields[name], form.cleaned_data.get(name, form[name].data)),
            saved=_display(form.fields[name], form[name].initial),
        )
        for name in form.changed_data
        if name != "version"
    ]
    # A field posted empty may still clean to the saved value (a category taken from the type).
    differences = [d for d in differences if d.yours != d.saved]
    latest = saved.history.select_related("history_user").first()
    return form, Conflict(
        differences,
        saved_by=latest.history_user if latest else None,
        saved_at=latest.history_date if latest else None,
    )


def _display(field, value):
    """`value` of `field` as a person reads it: labels, not ids or codes."""
    if isinstance(field, forms.ModelChoiceField):
        many = isinstance(value, list | tuple | set) or hasattr(value, "model")  # or a queryset
        items = list(value) if many else [value]
        pks = [getattr(item, "pk", item) for item in items if item not in (None, "")]
        queryset = field.queryset
        assert queryset is not None
        objects = queryset.model._default_manager.filter(pk__in=pks)
        return ", ".join(sorted(field.label_from_instance(obj) for obj in objects)) or "—"
    if isinstance(field, forms.ChoiceField):
        choices = dict(_flat_choices(list(field.choices)))  # type: ignore[arg-type]
        items = list(value) if isinstance(value, list | tuple) else [value]
        return ", ".join(str(choices.get(item, item)) for item in items if item) or "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or "—"
    if value in (None, ""):
        return "—"
    return str(formats.localize(value))


def _flat_choices(choices):
    for key, label in choices:
        if isinstance(label, list | tuple):
            yield from _flat_choices(label)
        else:
            yield key, label


class ConflictViewMixin(_UpdateViewBase):
    """For an UpdateView of a versioned record: a stale save shows the conflict page."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except VersionConflict:
            return self.conflict_response()

    def conflict_response(self):
        self.object = self.get_object()
        kwargs = self.get_form_kwargs()
        data = kwargs.pop("data")
        kwargs.pop("files", None)
        kwargs.pop("instance")
        form, conflict = conflict_form(self.get_form_class(), data, self.get_object(), **kwargs)
        context = self.get_context_data(form=form, conflict=conflict)
        return self.render_to_response(context, status=409)
