"""Adding and changing contacts, in their own form or the activity form's dialog."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db import transaction

from activities.forms.base import TeamModelForm
from activities.models import (
    Contact,
    Organisation,
)
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm


class ContactCleaningMixin:
    """Normalise a contact's details and report a taken email beside its field."""

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        # The database refuses a second contact of the team with this email; the
        # form's own constraint check skips that rule (its `team` is not a form
        # field), so say it here, beside the field, rather than fail on save.
        taken = (
            Contact.objects.for_team(self.access.team)
            .filter(email__iexact=email)
            .exclude(pk=self.instance.pk)
        )
        if email and taken.exists():
            raise forms.ValidationError(
                "Another contact of this team has this email address.", code="unique"
            )
        return email


class ContactQuickForm(ContactCleaningMixin, TeamModelForm):
    """The few fields needed to add a contact from the activity form."""

    prefix = "contact"

    class Meta:
        model = Contact
        fields = ["name", "community", "organisation", "job_title", "email"]

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        self.organisation_field("organisation")


class ContactForm(ContactCleaningMixin, TeamModelForm, VersionedForm):
    """Add or edit a contact; an organisation not yet in the list can be named here."""

    new_organisation = forms.CharField(
        label="Or a new organisation",
        max_length=200,
        required=False,
        help_text="When the organisation is not in the list; an existing one of the same "
        "name is used instead.",
    )
    new_organisation_kind = forms.ChoiceField(
        label="Kind of new organisation",
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.OTHER,
        required=False,
    )

    class Meta:
        model = Contact
        fields = [
            "name",
            "job_title",
            "organisation",
            "community",
            "email",
            "phone",
            "notes",
            "consent_note",
        ]
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "consent_note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        self.organisation_field("organisation")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *CONFLICT_LAYOUT,
            Row(Column("name", css_class="col-md-6"), Column("job_title", css_class="col-md-6")),
            Row(
                Column("organisation", css_class="col-md-6"),
                Column("community", css_class="col-md-6"),
            ),
            Row(
                Column("new_organisation", css_class="col-md-6"),
                Column("new_organisation_kind", css_class="col-md-6"),
            ),
            Row(Column("email", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
            "notes",
            "consent_note",
            Submit("save", "Save contact", css_class="btn-primary"),
        )

    def clean_phone(self):
        return " ".join(self.cleaned_data["phone"].split())

    def clean_new_organisation(self):
        return " ".join(self.cleaned_data["new_organisation"].split())

    def clean(self):
        cleaned = super().clean()
        new_name = cleaned.get("new_organisation")
        if new_name:
            if cleaned.get("organisation") is not None:
                self.add_error(
                    "new_organisation",
                    "Choose an organisation from the list or name a new one, not both.",
                )
            else:
                existing = Organisation.objects.filter(name__iexact=new_name).first()
                if existing is not None:
                    cleaned["organisation"] = existing
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        new_name = self.cleaned_data.get("new_organisation")
        if new_name and self.instance.organisation_id is None:
            self.instance.organisation, _ = Organisation.objects.get_or_create(
                name__iexact=new_name,
                defaults={
                    "name": new_name,
                    "kind": self.cleaned_data.get("new_organisation_kind")
                    or Organisation.Kind.OTHER,
                },
            )
        return super().save(commit)
