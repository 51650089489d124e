"""Recording what came of the work."""

import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils import timezone

from activities.forms.base import MENTION_HINTS, TeamModelForm, not_negative
from activities.models import (
    Activity,
    Outcome,
    Project,
)
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm
from kmtracker.lib.inputs import as_id
from kmtracker.lib.widgets import DateInput


class OutcomeForm(TeamModelForm, VersionedForm):
    """What came of an activity or a project, with its evidence and how sure we are of it."""

    signed_off_dates = ("date",)
    record_name = "outcome"

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
        self.watch_mentions("outcome", "description", "evidence")
        if self.instance.pk is None:
            self.fields["date"].initial = timezone.localdate()
        self.helper = self._helper()
        self.guard_signed_off()

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
            MENTION_HINTS,
            Row(
                Column(InlineRadios("confidence"), css_class="col-md-6"),
                Column("value_gbp", css_class="col-md-6"),
            ),
            "contacts",
            Submit("save", "Save outcome", css_class="btn-primary"),
        )
        return helper

    def clean_value_gbp(self):
        return not_negative(self.cleaned_data["value_gbp"], "The value")

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
