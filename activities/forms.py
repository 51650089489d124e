"""Forms of the brokering log. Each takes the TeamAccess of the request, so that every
choice it offers belongs to the team in play and posted ids of other teams are refused."""

import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from activities.imports import MAX_BYTES, ImportFileError, read_table
from activities.models import (
    Activity,
    ActivityType,
    Broker,
    Category,
    Conduit,
    Contact,
    Organisation,
    Outcome,
    Project,
    Topic,
)
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm
from kmtracker.lib.inputs import as_id, refuse_control_characters
from kmtracker.lib.widgets import AutocompleteSelect, AutocompleteSelectMultiple, DateInput

NEW_CONTACT_BUTTON = """
<div class="mb-3 mt-n2">
  <button type="button" class="btn btn-outline-secondary btn-sm"
          data-bs-toggle="modal" data-bs-target="#new-contact-modal">
    <i class="bi bi-person-plus" aria-hidden="true"></i> New contact
  </button>
</div>"""


def _set_widget(field, widget):
    """Replace a choice field's widget; the new one must see the field's choices."""
    widget.choices = field.choices
    widget.is_required = field.required
    field.widget = widget


def _team_url(access, name):
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
        _set_widget(field, widget_class(url=_team_url(self.access, url_name)))

    def organisation_field(self, name):
        field = self.fields[name]
        widget_class = (
            AutocompleteSelectMultiple
            if isinstance(field, forms.ModelMultipleChoiceField)
            else AutocompleteSelect
        )
        _set_widget(field, widget_class(url=_team_url(self.access, "organisation_search")))

    def save(self, commit=True):
        if self.instance.pk is None and hasattr(self.instance, "created_by"):
            self.instance.created_by = self.access.user
        return super().save(commit)


class ActivityForm(TeamModelForm, VersionedForm):
    topics_text = forms.CharField(
        label="Topics",
        required=False,
        help_text="Separate topics with commas, e.g. frailty, urgent care.",
    )

    class Meta:
        model = Activity
        fields = [
            "date",
            "activity_type",
            "category",
            "title",
            "lead_broker",
            "co_brokers",
            "contacts",
            "organisations",
            "duration_minutes",
            "setting",
            "direction",
            "conduits",
            "attendees",
            "project",
            "follow_up_date",
            "description",
        ]
        widgets = {
            "date": DateInput,
            "follow_up_date": DateInput,
            "conduits": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {
            "activity_type": "Type",
            "co_brokers": "Co-brokers",
            "follow_up_date": "Follow up on",
        }
        help_texts = {
            "category": "Set from the type when left empty.",
            "co_brokers": "Colleagues who brokered this with you.",
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        team = access.team
        brokers = Broker.objects.for_team(team).select_related("user")
        self.fields["lead_broker"].queryset = brokers
        self.fields["co_brokers"].queryset = brokers
        self.fields["co_brokers"].widget.attrs["data-tom-select"] = ""
        types = ActivityType.objects.for_team(team).filter(is_active=True)
        if self.instance.activity_type_id:
            types = ActivityType.objects.for_team(team).filter(is_active=True) | (
                ActivityType.objects.filter(pk=self.instance.activity_type_id)
            )
        type_field = self.fields["activity_type"]
        type_field.queryset = types
        type_field.choices = _grouped_type_choices(types)
        self.fields["category"].required = False
        self.fields["project"].queryset = Project.objects.for_team(team).order_by("title")
        self.fields["conduits"].queryset = Conduit.objects.all()
        self.fields["organisations"].queryset = Organisation.objects.all()
        self.contact_field("contacts")
        self.organisation_field("organisations")
        if self.instance.pk:
            self.fields["topics_text"].initial = ", ".join(
                topic.name for topic in self.instance.topics.all()
            )
        else:
            self.fields["date"].initial = timezone.localdate()
            if access.broker is not None:
                self.fields["lead_broker"].initial = access.broker.pk
        self.helper = self._helper()

    def _helper(self):
        helper = FormHelper()
        helper.layout = Layout(
            *CONFLICT_LAYOUT,
            Row(
                Column("date", css_class="col-sm-4"),
                Column("activity_type", css_class="col-sm-4"),
                Column("category", css_class="col-sm-4"),
            ),
            "title",
            Row(
                Column("lead_broker", css_class="col-md-6"),
                Column("co_brokers", css_class="col-md-6"),
            ),
            Field("contacts"),
            HTML(NEW_CONTACT_BUTTON),
            "organisations",
            Row(
                Column("duration_minutes", css_class="col-sm-4"),
                Column("setting", css_class="col-sm-4"),
                Column("direction", css_class="col-sm-4"),
            ),
            Fieldset("", "conduits", css_class="mb-0"),
            Row(
                Column("topics_text", css_class="col-md-6"),
                Column("attendees", css_class="col-md-6"),
            ),
            Row(
                Column("project", css_class="col-md-6"),
                Column("follow_up_date", css_class="col-md-6"),
            ),
            "description",
            Submit("save", "Save activity", css_class="btn-primary"),
        )
        return helper

    def clean_topics_text(self):
        names = [name.strip() for name in self.cleaned_data["topics_text"].split(",")]
        unique = {}
        for name in names:
            if name:
                unique.setdefault(name.lower(), name[:80])
        return list(unique.values())

    def clean(self):
        cleaned = super().clean()
        activity_type = cleaned.get("activity_type")
        category = cleaned.get("category")
        if activity_type is not None:
            if not category:
                cleaned["category"] = activity_type.category
                self.instance.category = activity_type.category
            elif category != activity_type.category:
                self.add_error(
                    "activity_type",
                    f"“{activity_type}” is a type of "
                    f"{activity_type.get_category_display().lower()}, not of "
                    f"{Category(category).label.lower()}.",
                )
        elif not category:
            self.add_error("category", "Choose a type or a category.")
        lead = cleaned.get("lead_broker")
        co_brokers = cleaned.get("co_brokers")
        if lead is not None and co_brokers is not None:
            cleaned["co_brokers"] = [broker for broker in co_brokers if broker != lead]
        if self._excludes_self(lead, cleaned.get("co_brokers") or []):
            self.add_error(
                "lead_broker",
                "You can log only work you lead or co-broker: add yourself as a co-broker.",
            )
        return cleaned

    def _excludes_self(self, lead, co_brokers):
        """A broker (not a lead) may only record work they take part in."""
        own = self.access.broker
        if self.access.is_lead or lead is None or own is None:
            return False
        return lead != own and own not in co_brokers

    def _save_m2m(self):
        super()._save_m2m()
        self.instance.topics.set(
            Topic.from_names(self.access.team, self.cleaned_data["topics_text"])
        )

    @classmethod
    def initial_from(cls, activity):
        """Initial values for "log a similar one": everything but the date and description."""
        return {
            "activity_type": activity.activity_type_id,
            "category": activity.category,
            "title": activity.title,
            "lead_broker": activity.lead_broker_id,
            "co_brokers": [broker.pk for broker in activity.co_brokers.all()],
            "contacts": [contact.pk for contact in activity.contacts.all()],
            "organisations": [organisation.pk for organisation in activity.organisations.all()],
            "duration_minutes": activity.duration_minutes,
            "setting": activity.setting,
            "direction": activity.direction,
            "conduits": [conduit.pk for conduit in activity.conduits.all()],
            "topics_text": ", ".join(topic.name for topic in activity.topics.all()),
            "attendees": activity.attendees,
            "project": activity.project_id,
            "follow_up_date": None,
        }


def _grouped_type_choices(types):
    labels = dict(Category.choices)
    groups = {}
    for activity_type in types.order_by("category", "position", "name"):
        groups.setdefault(activity_type.category, []).append((activity_type.pk, activity_type.name))
    return [("", "Choose a type…")] + [
        (labels[category], options) for category, options in groups.items()
    ]


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


def _not_negative(value, what="The amount"):
    if value is not None and value < 0:
        raise forms.ValidationError(f"{what} cannot be negative.")
    return value


class OutcomeForm(TeamModelForm, VersionedForm):
    """What came of an activity or a project, with its evidence and how sure we are of it."""

    # A team may hold 100,000 activities: the activity choice offers a bounded list.
    RECENT_ACTIVITY_DAYS = 365
    RECENT_ACTIVITY_LIMIT = 200

    class Meta:
        model = Outcome
        fields = [
            "activity",
            "project",
            "type",
            "capability_dimension",
            "date",
            "description",
            "evidence",
            "confidence",
            "value_gbp",
            "contacts",
        ]
        widgets = {
            "date": DateInput,
            "confidence": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
            "evidence": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "activity": "Activities of the last twelve months, newest first.",
            "capability_dimension": "For a capability change only: what changed.",
            "evidence": "What shows that this happened: an email, minutes, a document.",
            "confidence": "How sure you are, given the evidence, that this came of the work.",
            "value_gbp": "Optional, e.g. funding secured.",
            "contacts": "People in whom or through whom the outcome showed.",
        }

    def __init__(self, *args, access, preset_activity=None, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        team = access.team
        activity = self.fields["activity"]
        activity.queryset = Activity.objects.for_team(team)  # what a posted id must be one of
        activity.choices = self._activity_choices(preset_activity)  # what the form offers
        if preset_activity is not None:
            activity.help_text = ""
        self.fields["project"].queryset = Project.objects.for_team(team).order_by("title")
        self.fields["project"].empty_label = "No project"
        self.fields["type"].choices = [("", "Choose a type…"), *Outcome.Type.choices]
        self.fields["value_gbp"].widget.attrs["min"] = "0"
        self.contact_field("contacts")
        if self.instance.pk is None:
            self.fields["date"].initial = timezone.localdate()
        self.helper = self._helper()

    def _activity_choices(self, preset):
        """The preset activity alone, or the team's recent activities and the chosen one."""
        if preset is not None:
            rows = [preset]
        else:
            activities = (
                Activity.objects.for_team(self.access.team)
                .only("pk", "date", "title")
                .order_by("-date", "-pk")
            )
            since = timezone.localdate() - datetime.timedelta(days=self.RECENT_ACTIVITY_DAYS)
            rows = list(activities.filter(date__gte=since)[: self.RECENT_ACTIVITY_LIMIT])
            chosen = as_id(str(self._chosen_activity() or ""))
            if chosen is not None and all(row.pk != chosen for row in rows):
                rows.extend(activities.filter(pk=chosen))
                rows.sort(key=lambda row: (row.date, row.pk), reverse=True)
        return [("", "No activity")] + [(row.pk, _activity_label(row)) for row in rows]

    def _chosen_activity(self):
        if self.is_bound:
            return self.data.get(self.add_prefix("activity"))
        return self.initial.get("activity")

    def _helper(self):
        helper = FormHelper()
        helper.layout = Layout(
            *CONFLICT_LAYOUT,
            Row(
                Column("activity", css_class="col-md-6"),
                Column("project", css_class="col-md-6"),
            ),
            Row(
                Column("type", css_class="col-md-5"),
                Column("capability_dimension", css_class="col-md-4"),
                Column("date", css_class="col-md-3"),
            ),
            "description",
            "evidence",
            Row(
                Column(InlineRadios("confidence"), css_class="col-md-6"),
                Column("value_gbp", css_class="col-md-6"),
            ),
            "contacts",
            Submit("save", "Save outcome", css_class="btn-primary"),
        )
        return helper

    def clean_value_gbp(self):
        return _not_negative(self.cleaned_data["value_gbp"], "The value")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("type")
        dimension = cleaned.get("capability_dimension")
        if kind == Outcome.Type.CAPABILITY_CHANGE and not dimension:
            self.add_error(
                "capability_dimension",
                "Choose what changed: knowledge, attitude, skills or confidence.",
            )
        elif kind and kind != Outcome.Type.CAPABILITY_CHANGE and dimension:
            self.add_error(
                "capability_dimension",
                "Leave this empty: only a capability change has a dimension.",
            )
        if not (
            cleaned.get("activity")
            or cleaned.get("project")
            or self.has_error("activity")
            or self.has_error("project")
        ):
            message = "Link the outcome to an activity, a project or both."
            self.add_error("activity", message)
            self.add_error("project", message)
        return cleaned


def _activity_label(activity):
    return f"{activity.date.day} {activity.date:%b %Y} · {activity.title[:80]}"


class ProjectForm(TeamModelForm, VersionedForm):
    """A collaborative project: a bid, an evaluation or a service improvement."""

    # A project still in preparation or awaiting a decision has been awarded nothing yet.
    UNDECIDED = (Project.Status.IDEA, Project.Status.DEVELOPING, Project.Status.SUBMITTED)

    class Meta:
        model = Project
        fields = [
            "title",
            "kind",
            "status",
            "lead_broker",
            "funder",
            "deadline",
            "amount_requested",
            "amount_awarded",
            "submitted_on",
            "decided_on",
            "co_produced",
            "partners",
            "description",
        ]
        widgets = {
            "deadline": DateInput,
            "submitted_on": DateInput,
            "decided_on": DateInput,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        labels = {"co_produced": "Co-produced", "decided_on": "Decision on"}
        help_texts = {
            "amount_awarded": "Once the project is funded.",
            "decided_on": "When the funder's decision came.",
            "partners": "Contacts who are partners or co-applicants.",
        }

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        self.fields["lead_broker"].queryset = Broker.objects.for_team(access.team).select_related(
            "user"
        )
        for name in ("amount_requested", "amount_awarded"):
            self.fields[name].widget.attrs["min"] = "0"
        self.contact_field("partners")
        if self.instance.pk is None and access.broker is not None:
            self.fields["lead_broker"].initial = access.broker.pk
        self.helper = self._helper()

    def _helper(self):
        helper = FormHelper()
        helper.layout = Layout(
            *CONFLICT_LAYOUT,
            "title",
            Row(
                Column("kind", css_class="col-md-4"),
                Column("status", css_class="col-md-4"),
                Column("lead_broker", css_class="col-md-4"),
            ),
            Row(
                Column("funder", css_class="col-md-8"),
                Column("deadline", css_class="col-md-4"),
            ),
            Row(
                Column("amount_requested", css_class="col-md-6"),
                Column("amount_awarded", css_class="col-md-6"),
            ),
            Row(
                Column("submitted_on", css_class="col-md-6"),
                Column("decided_on", css_class="col-md-6"),
            ),
            "co_produced",
            "partners",
            "description",
            Submit("save", "Save project", css_class="btn-primary"),
        )
        return helper

    def clean_amount_requested(self):
        return _not_negative(self.cleaned_data["amount_requested"])

    def clean_amount_awarded(self):
        return _not_negative(self.cleaned_data["amount_awarded"])

    def clean(self):
        cleaned = super().clean()
        submitted = cleaned.get("submitted_on")
        decided = cleaned.get("decided_on")
        if submitted and decided and decided < submitted:
            self.add_error(
                "decided_on",
                f"The decision cannot come before the submission ({submitted:%d %b %Y}).",
            )
        status = cleaned.get("status")
        if cleaned.get("amount_awarded") is not None and status in self.UNDECIDED:
            self.add_error(
                "amount_awarded",
                f"A project that is “{Project.Status(status).label.lower()}” has no award yet: "
                "clear the amount or change the status.",
            )
        return cleaned


class ImportUploadForm(forms.Form):
    """The file to import; it is read here, so that any problem shows beside the field."""

    file = forms.FileField(
        label="CSV or XLSX file",
        help_text="Up to 5 MB and 10,000 rows, with the columns of the export.",
    )
    encoding = forms.ChoiceField(
        label="Encoding of a CSV file",
        choices=[
            ("utf-8", "UTF-8 (Excel's “CSV UTF-8”, and most other programs)"),
            ("cp1252", "Windows-1252 (Excel's older “CSV (Comma delimited)”)"),
        ],
        initial="utf-8",
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        if upload.size > MAX_BYTES:
            self.add_error(
                "file",
                f"The file is {upload.size / 1024 / 1024:.1f} MB; files of up to "
                f"{MAX_BYTES // 1024 // 1024} MB can be imported. Split it into smaller files.",
            )
            return cleaned
        cleaned["content"] = upload.read()
        try:
            read_table(cleaned["content"], cleaned.get("encoding") or "utf-8")
        except ImportFileError as error:
            self.add_error("file", str(error))
        return cleaned
