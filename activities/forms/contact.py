"""Adding and changing contacts, in their own form or the activity form's dialog."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from activities.duplicates import Person, candidates
from activities.forms.base import TeamModelForm
from activities.models import (
    Contact,
    DistinctContacts,
    Organisation,
)
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm

# A new organisation typed into the form is nobody's organisation yet.
_NEW_ORGANISATION = -1
# The fields whose change may make a contact look like another one.
_MATCHED_FIELDS = ("name", "email", "phone", "organisation", "new_organisation")


class ContactCleaningMixin:
    """Normalise a contact's details, report a taken email beside its field, and warn
    when the contact looks like one the team already has (`duplicates`).

    The warning holds the save back once: with `different_person` ticked, the
    contact is saved as a new person. Nobody is ever blocked by it.
    """

    duplicates: list = []
    different_person_widget = forms.CheckboxInput

    def add_duplicate_check(self):
        self.duplicates = []
        self.fields["different_person"] = forms.BooleanField(
            label="It's a different person: save anyway",
            required=False,
            widget=self.different_person_widget,
        )

    def save(self, commit=True):
        contact = super().save(commit)
        if commit and self.duplicates and self.cleaned_data.get("different_person"):
            # Told apart once, they are not shown as possible duplicates again.
            for match in self.duplicates:
                DistinctContacts.mark(self.access.team, [contact, match.contact], self.access.user)
        return contact

    @property
    def warned_duplicates(self):
        """The likely duplicates, when they held the save back (not once confirmed)."""
        return self.duplicates if self.has_error(NON_FIELD_ERRORS, "possible_duplicate") else []

    def check_duplicates(self, cleaned):
        """Find the team's contacts that look like this one; warn unless confirmed."""
        if self.instance.pk and not any(name in self.changed_data for name in _MATCHED_FIELDS):
            return
        organisation = cleaned.get("organisation")
        person = Person(
            name=cleaned.get("name") or "",
            email=cleaned.get("email") or "",
            phone=cleaned.get("phone") or "",
            organisation_id=organisation.pk
            if organisation
            else (_NEW_ORGANISATION if cleaned.get("new_organisation") else None),
            pk=self.instance.pk,
        )
        self.duplicates = candidates(self.access.team, person)
        if self.duplicates and not cleaned.get("different_person"):
            self.add_error(
                None,
                forms.ValidationError(
                    "This looks like a contact the team already has: use that one, or "
                    "confirm that it's a different person.",
                    code="possible_duplicate",
                ),
            )

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


class NewOrganisationMixin(forms.Form):
    """An organisation not yet in the list can be named here; it is added on save."""

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
                existing = Organisation.objects.matching_name(new_name).first()
                if existing is not None:
                    cleaned["organisation"] = existing
        self.check_duplicates(cleaned)
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


class ContactQuickForm(ContactCleaningMixin, NewOrganisationMixin, TeamModelForm):
    """The few fields needed to add a contact from the activity form."""

    prefix = "contact"
    # The dialog asks with its own buttons and sends the answer in this field.
    different_person_widget = forms.HiddenInput

    class Meta:
        model = Contact
        fields = ["name", "community", "organisation", "job_title", "email"]

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        self.organisation_field("organisation")
        self.fields["new_organisation"].help_text = ""
        self.add_duplicate_check()


class ContactForm(ContactCleaningMixin, NewOrganisationMixin, TeamModelForm, VersionedForm):
    """Add or edit a contact; an organisation not yet in the list can be named here."""

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
        self.add_duplicate_check()
        self.helper = FormHelper()
        self.helper.form_id = "contact-form"
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
