"""Shared by the forms of the brokering log: a ModelForm of one team's record."""

import json

from crispy_forms.layout import HTML
from django import forms
from django.urls import reverse

from activities.models import (
    Contact,
)
from kmtracker.lib.inputs import refuse_control_characters
from kmtracker.lib.widgets import AutocompleteSelect, AutocompleteSelectMultiple


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

    def save(self, commit=True):
        if self.instance.pk is None and hasattr(self.instance, "created_by"):
            self.instance.created_by = self.access.user
        return super().save(commit)


def not_negative(value, what="The amount"):
    if value is not None and value < 0:
        raise forms.ValidationError(f"{what} cannot be negative.")
    return value
