"""Shared by the forms of the brokering log: a ModelForm of one team's record."""

import json

from crispy_forms.layout import HTML, Submit
from django import forms
from django.urls import reverse
from django.utils.html import format_html

from activities.models import (
    Contact,
)
from kmtracker.lib.history.writing import change_reason
from kmtracker.lib.inputs import refuse_control_characters
from kmtracker.lib.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from teams.signoff import SignedOffGuard


def set_widget(field, widget):
    """Replace a choice field's widget; the new one must see the field's choices."""
    widget.choices = field.choices
    widget.is_required = field.required
    field.widget = widget


# Where the hints of activities.views.mentions appear, beside the text fields they read.
MENTION_HINTS = HTML(
    '<div id="mention-hints" class="mb-3 mt-n2" aria-live="polite" '
    'data-testid="mention-hints"></div>'
)


REASON_LENGTH = 100  # kept with the history record (simple-history's change reason)


def reason_field():
    return forms.CharField(
        label="Reason for changing a signed-off quarter",
        max_length=REASON_LENGTH,
        help_text="Kept with the change and shown to your team lead with the report.",
    )


def posted_date(form, name):
    """The date posted for the field `name`, or None when absent or not a date."""
    if not form.is_bound:
        return None
    field = form.fields[name]
    value = field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
    try:
        return field.to_python(value)
    except forms.ValidationError:
        return None


def team_url(access, name):
    return reverse(f"activities:{name}", kwargs={"team": access.team.slug})


class TeamModelForm(forms.ModelForm):
    """A ModelForm for a record of the team in `access`."""

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.instance.team = access.team
        refuse_control_characters(self)

    def contact_field(self, name, url_name="contact_search"):
        """Make `name` a searchable choice of the team's contacts, labelled for the viewer."""
        field = self.fields[name]
        field.queryset = Contact.objects.for_team(self.access.team)
        field.label_from_instance = lambda contact: contact.label_for(self.access)
        widget_class = (
            AutocompleteSelectMultiple
            if isinstance(field, forms.ModelMultipleChoiceField)
            else AutocompleteSelect
        )
        set_widget(field, widget_class(url=team_url(self.access, url_name)))

    def watch_mentions(self, record, *names, quick_add=False):
        """As the broker types in the fields `names`, show (in MENTION_HINTS) the people
        the text names: contacts to link to this `record`, titled names to add as contacts
        (in the form's "New contact" dialog when `quick_add`)."""
        values = json.dumps({"record": record, "quick_add": "1" if quick_add else ""})
        for name in names:
            self.fields[name].widget.attrs |= {
                "hx-post": team_url(self.access, "mention_hints"),
                "hx-trigger": "input changed delay:600ms",
                "hx-target": "#mention-hints",
                "hx-include": "closest form",
                "hx-vals": values,
                "hx-sync": "closest form:replace",
            }

    def organisation_field(self, name):
        field = self.fields[name]
        widget_class = (
            AutocompleteSelectMultiple
            if isinstance(field, forms.ModelMultipleChoiceField)
            else AutocompleteSelect
        )
        set_widget(field, widget_class(url=team_url(self.access, "organisation_search")))

    # The date fields that place the record in a quarter of the team's reports.
    signed_off_dates: tuple[str, ...] = ()
    record_name = "record"
    signed_off = None

    def guard_signed_off(self):
        """Ask for a reason (and, in a locked quarter, for a lead) when the record's dates,
        as stored or as posted, fall in a signed-off quarter. Call once the layout is built."""
        days = []
        for name in self.signed_off_dates:
            if self.instance.pk is not None:
                days.append(getattr(self.instance, name))
            days.append(posted_date(self, name))
        guard = SignedOffGuard(self.access, days)
        if not guard.applies:
            return
        self.signed_off = guard
        self.fields["signoff_reason"] = reason_field()
        alert = format_html(
            '<div class="alert alert-warning" role="alert" data-testid="signed-off-warning">'
            "{}</div>",
            guard.locked_message(self.record_name)
            if guard.locked
            else guard.warning(self.record_name),
        )
        layout = getattr(getattr(self, "helper", None), "layout", None)
        if layout is not None:
            at = len(layout.fields)
            if layout.fields and isinstance(layout.fields[-1], Submit):
                at -= 1
            layout.fields[at:at] = [HTML(alert), "signoff_reason"]

    def _post_clean(self):
        super()._post_clean()
        if self.signed_off is not None and self.signed_off.locked:
            self.add_error(None, self.signed_off.locked_message(self.record_name))

    def save(self, commit=True):
        if self.instance.pk is None and hasattr(self.instance, "created_by"):
            self.instance.created_by = self.access.user
        reason = self.cleaned_data.get("signoff_reason")
        if reason:
            with change_reason(reason):
                return self.save_record(commit)
        return self.save_record(commit)

    def save_record(self, commit):
        """ModelForm's save; a form that writes its links itself overrides it."""
        return super().save(commit)


class SignedOffDeleteForm(forms.Form):
    """Deleting a record: a reason when it is dated in a signed-off quarter, refused in
    a locked one unless the editor is a lead."""

    def __init__(self, *args, access, record, dates, record_name="record", **kwargs):
        super().__init__(*args, **kwargs)
        self.record_name = record_name
        self.signed_off = SignedOffGuard(access, [getattr(record, name) for name in dates])
        if self.signed_off.applies:
            self.fields["signoff_reason"] = reason_field()

    @property
    def warning(self):
        if not self.signed_off.applies:
            return ""
        if self.signed_off.locked:
            return self.signed_off.locked_message(self.record_name)
        return self.signed_off.warning(self.record_name)

    def clean(self):
        cleaned = super().clean()
        if self.signed_off.locked:
            raise forms.ValidationError(self.signed_off.locked_message(self.record_name))
        return cleaned

    def reason(self):
        return self.cleaned_data.get("signoff_reason") or ""


def not_negative(value, what="The amount"):
    if value is not None and value < 0:
        raise forms.ValidationError(f"{what} cannot be negative.")
    return value
