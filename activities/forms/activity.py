"""Logging an activity."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from activities.codes import CONDUIT_HELP
from activities.forms.base import MENTION_HINTS, TeamModelForm, team_url
from activities.forms.choices import (
    KnownModelChoiceField,
    KnownModelMultipleChoiceField,
    posted_pks,
)
from activities.models import (
    Activity,
    ActivityType,
    Broker,
    Category,
    Conduit,
    Direction,
    Organisation,
    Project,
    Topic,
)
from activities.querysets import LINK_FIELDS
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm
from kmtracker.lib.history.writing import save_with_links
from kmtracker.lib.widgets import DateInput

NEW_CONTACT_BUTTON = """
<div class="mb-3 mt-n2">
  <button type="button" class="btn btn-outline-secondary btn-sm"
          data-bs-toggle="modal" data-bs-target="#new-contact-modal">
    <i class="bi bi-person-plus" aria-hidden="true"></i> New contact
  </button>
</div>"""


ORGANISATION_HINTS = (
    '<div id="organisation-hints" class="mb-3 mt-n2" aria-live="polite" '
    'data-testid="organisation-hints"></div>'
)

# The form's value of a direction deliberately not recorded (the model keeps it blank).
NOT_RECORDED = "not_recorded"


class ActivityForm(TeamModelForm, VersionedForm):
    signed_off_dates = ("date",)
    record_name = "activity"

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
        field_classes = {
            "activity_type": KnownModelChoiceField,
            "lead_broker": KnownModelChoiceField,
            "co_brokers": KnownModelMultipleChoiceField,
        }
        labels = {
            "activity_type": "Type",
            "co_brokers": "Co-brokers",
            "follow_up_date": "Follow up on",
        }
        help_texts = {
            "category": "Set from the type when left empty.",
            "co_brokers": "Colleagues who brokered this with you.",
            "attendees": "For events: how many attended. Leave it blank when the number was "
            "not recorded, and enter 0 when nobody came: the report tells the two apart.",
        }

    # Checked by the form's own fields, so the model's validation need not ask the
    # database again: the choices exist in the team (lead broker, type, project), and the
    # values the table's check constraints test are whole numbers from 0 and a category
    # among the four.
    checked_by_form = (
        "lead_broker",
        "activity_type",
        "project",
        "duration_minutes",
        "attendees",
        "category",
    )

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, access=access, **kwargs)
        self.current_links = _current_links(self.instance)
        team = access.team
        named = [self.instance.lead_broker_id]
        if self.instance.pk:
            named += [broker.pk for broker in self.instance.co_brokers.all()]
        brokers = Broker.objects.for_team(team).choosable(keep=named).select_related("user")
        self.fields["lead_broker"].queryset = brokers
        self.fields["co_brokers"].queryset = brokers
        if self.is_bound:
            self._know_brokers(keep=named)
        self.fields["co_brokers"].widget.attrs["data-tom-select"] = ""
        types = ActivityType.objects.for_team(team).filter(is_active=True)
        if self.instance.activity_type_id:
            types = ActivityType.objects.for_team(team).filter(is_active=True) | (
                ActivityType.objects.filter(pk=self.instance.activity_type_id)
            )
        type_field = self.fields["activity_type"]
        type_field.queryset = types
        if self.instance.activity_type_id and Activity.activity_type.is_cached(self.instance):
            # An edit read its type with the row: a save that keeps it asks nothing more.
            type_field.known = {self.instance.activity_type_id: self.instance.activity_type}
        # Built when the field is drawn: a valid POST only looks up the type it names.
        type_field.choices = lambda: _grouped_type_choices(types)
        self.fields["category"].required = False
        self._direction_field()
        self.fields["project"].queryset = Project.objects.for_team(team).order_by("title")
        self.fields["conduits"].queryset = Conduit.objects.all()
        self.fields["conduits"].label_from_instance = _conduit_label
        self.fields["organisations"].queryset = Organisation.objects.all()
        self.contact_field("contacts")
        self.fields["contacts"].widget.attrs |= {
            "hx-post": team_url(access, "organisation_hints"),
            "hx-trigger": "change",
            "hx-target": "#organisation-hints",
            "hx-include": "closest form",
            "hx-sync": "closest form:replace",
            # The search's "nobody found" offers this dialog (static/js/kmtracker.js).
            "data-new-contact-modal": "new-contact-modal",
        }
        self.watch_mentions("activity", "title", "description", quick_add=True)
        self.organisation_field("organisations")
        if self.instance.pk:
            # When the form is drawn, not before: a save reads its topics' ids alone.
            self.fields["topics_text"].initial = lambda: ", ".join(
                topic.name for topic in self.instance.topics.all()
            )
        else:
            self.fields["date"].initial = timezone.localdate()
            if access.broker is not None:
                self.fields["lead_broker"].initial = access.broker.pk
        self.missing_profile = self._missing_profile(access)
        self.helper = self._helper()
        self.guard_signed_off()

    def _know_brokers(self, keep):
        """Read the editor's own broker profile and the brokers posted as lead and
        co-brokers in one query, which then answers `access.broker` and both fields."""
        user = self.access.user if hasattr(self.access.user, "broker_profiles") else None
        posted = posted_pks(self, "lead_broker", "co_brokers")
        rows = list(
            Broker.objects.for_team(self.access.team)
            .own_and_named(user, posted, keep=keep)
            .select_related("user")
        )
        if user is not None and "broker" not in vars(self.access):
            # access.broker is a cached property: this is the value it would read.
            self.access.broker = next((row for row in rows if row.user_id == user.pk), None)
        known = {row.pk: row for row in rows if row.is_choosable}
        self.fields["lead_broker"].known = known
        self.fields["co_brokers"].known = known

    def _direction_field(self):
        """Direction has no silent default: the person chooses one, and "not recorded" (kept
        as blank, as an imported row may leave it) is a choice of its own."""
        field = self.fields["direction"]
        field.choices = [
            ("", "Choose a direction…"),
            (NOT_RECORDED, "Not recorded"),
            *Direction.choices,
        ]
        field.required = True
        field.error_messages["required"] = (
            "Choose a direction, or “Not recorded” when it was not noted."
        )
        if self.instance.pk:
            self.initial["direction"] = self.instance.direction or NOT_RECORDED
        elif self.initial.get("direction") == "":
            self.initial["direction"] = NOT_RECORDED
        else:
            self.initial.setdefault("direction", "")

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() | set(self.checked_by_form)

    def clean_direction(self):
        direction = self.cleaned_data["direction"]
        return "" if direction == NOT_RECORDED else direction

    @staticmethod
    def _missing_profile(access):
        """What keeps this user from being a broker of the activity, or "" when nothing does:
        brokers and leads need a broker profile in the team (members page)."""
        if access.broker is not None or getattr(access.user, "is_superuser", False):
            return ""
        return (
            f"You have no broker profile in {access.team.name}, so you cannot be chosen as "
            "a broker of an activity. "
            + (
                "Complete it on the Members page."
                if access.is_lead
                else "Ask your team lead to complete it on the Members page."
            )
        )

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
            HTML(ORGANISATION_HINTS),
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
            MENTION_HINTS,
            Submit("save", "Save activity", css_class="btn-primary"),
        )
        return helper

    def clean_topics_text(self):
        names = [name.strip() for name in self.cleaned_data["topics_text"].split(",")]
        unique = {}
        for name in names:
            if name:
                unique.setdefault(name.lower(), name[:80])
        # A retired topic stays on the activities that have it, but is not given to others.
        kept = {topic.pk for topic in self.instance.topics.all()} if self.instance.pk else set()
        # One query: the team's retired topics and those named here (reused on saving).
        team_topics = Topic.objects.for_team(self.access.team).named_or_retired(unique)
        self._named_topics = [topic for topic in team_topics if topic.name.lower() in unique]
        retired = [
            topic.name
            for topic in team_topics
            if not topic.is_active and topic.name.lower() in unique and topic.pk not in kept
        ]
        if retired:
            raise forms.ValidationError(
                f"“{retired[0]}” is a retired topic of the team: leave it out or choose another."
            )
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
        if self.missing_profile and not self.access.is_lead:
            self.add_error("lead_broker", self.missing_profile)
        elif self._excludes_self(lead, cleaned.get("co_brokers") or []):
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
        self.instance.topics.set(self._topics())

    def _topics(self):
        names = self.cleaned_data["topics_text"]
        return Topic.from_names(self.access.team, names, known=getattr(self, "_named_topics", None))

    def save_record(self, commit):
        """The row and its links in a few statements, with the history a save through the
        related managers leaves (kmtracker.lib.history.writing.save_with_links)."""
        if not commit:
            return super().save_record(commit)
        if self.errors:
            raise ValueError("The activity could not be saved because its data didn't validate.")
        cleaned = self.cleaned_data
        links = {
            name: [target.pk for target in cleaned[name]]
            for name in ("co_brokers", "conduits", "contacts", "organisations")
        }
        links["topics"] = [topic.pk for topic in self._topics()]
        return save_with_links(self.instance, links, current=self.current_links)

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


def _current_links(activity):
    """{field name: {target pk: link row id}} of a saved activity read with
    `with_links()`; None otherwise (save_with_links then reads them)."""
    loaded = getattr(activity, "_prefetched_objects_cache", {})
    if activity.pk is None or any(name not in loaded for name in LINK_FIELDS):
        return None
    rows = {name: list(getattr(activity, name).all()) for name in LINK_FIELDS}
    if not all(hasattr(row, "link_id") for name in LINK_FIELDS for row in rows[name]):
        return None
    return {name: {row.pk: row.link_id for row in rows[name]} for name in LINK_FIELDS}


def _conduit_label(conduit):
    """The conduit's name with its one-line explanation under it."""
    return format_html(
        '{} <span class="d-block small text-body-secondary">{}</span>',
        conduit.label,
        CONDUIT_HELP.get(conduit.code, ""),
    )


def _grouped_type_choices(types):
    labels = dict(Category.choices)
    groups = {}
    for activity_type in types.order_by("category", "position", "name"):
        name = activity_type.name if activity_type.is_active else f"{activity_type.name} (retired)"
        groups.setdefault(activity_type.category, []).append((activity_type.pk, name))
    return [("", "Choose a type…")] + [
        (labels[category], options) for category, options in groups.items()
    ]
