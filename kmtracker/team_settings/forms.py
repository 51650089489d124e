"""The forms of team settings: the team itself, and each vocabulary's entries.

Names are unique in the team whatever their case (activity types across the
categories, because an import finds a type by its name alone); a duplicate is
an error beside the name and nothing is saved. Every form checks the version
of the record it edits (`kmtracker.lib.edit_conflicts`).
"""

import calendar

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms

from activities.models import ActivityType, Category, Topic
from evaluations.models import LogTag, QuarterlyReport
from kmtracker.lib.edit_conflicts import CONFLICT_LAYOUT, VersionedForm
from kmtracker.lib.inputs import refuse_control_characters
from teams.models import Team

MONTH_CHOICES = [(number, calendar.month_name[number]) for number in range(1, 13)]


def _layout(form, *fields, submit="Save"):
    form.helper = FormHelper()
    form.helper.layout = Layout(*CONFLICT_LAYOUT, *fields, Submit("save", submit))


class TeamSettingsForm(VersionedForm):
    """The team's name, the month its year starts, and whether signed-off quarters are locked.

    A new start month re-cuts the quarters, so it is saved only once the lead
    has seen what changes (`needs_confirmation`, `year_start_summary`) and posts
    again with `confirmed`.
    """

    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Team
        fields = ["name", "year_start_month", "lock_signed_off_quarters"]
        labels = {"name": "Team name", "year_start_month": "The team's year starts in"}
        widgets = {"year_start_month": forms.Select(choices=MONTH_CHOICES)}
        help_texts = {
            "year_start_month": "April for the NHS financial year, January for calendar "
            "quarters. Signed-off reports keep the periods and figures they were signed "
            "off with."
        }

    def __init__(self, *args, access, instance=None, **kwargs):
        super().__init__(*args, instance=instance or access.team, **kwargs)
        self.access = access
        refuse_control_characters(self)
        _layout(
            self,
            "name",
            "year_start_month",
            "lock_signed_off_quarters",
            "confirmed",
            submit="Save team",
        )

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    @property
    def changes_year_start(self):
        return "year_start_month" in self.changed_data

    @property
    def needs_confirmation(self):
        """A new start month that the lead has not yet confirmed."""
        return self.changes_year_start and not self.cleaned_data.get("confirmed")

    def year_start_summary(self):
        """What a new start month changes, in a sentence for the confirmation."""
        month = calendar.month_name[self.cleaned_data["year_start_month"]]
        reports = QuarterlyReport.objects.for_team(self.access.team)
        signed = reports.filter(signed_off_at__isnull=False).count()
        begun = reports.filter(signed_off_at__isnull=True).count()
        if signed == 0:
            kept = "no report has been signed off yet"
        elif signed == 1:
            kept = "1 signed-off report keeps its period and figures"
        else:
            kept = f"{signed} signed-off reports keep their periods and figures"
        line = f"Quarters will be re-cut from {month}; {kept}"
        if begun:
            line += ", and " + (
                "1 report begun but not signed off keeps its period and narrative"
                if begun == 1
                else f"{begun} reports begun but not signed off keep their periods and narratives"
            )
        return line + "."


class VocabularyForm(VersionedForm):
    """An entry of one of the team's vocabularies: its name must be new to the team."""

    name_field = "name"
    kind = "entry"

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.instance.team = access.team
        refuse_control_characters(self)
        _layout(self, *self._meta.fields)

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get(self.name_field) or "").strip()
        if name:
            cleaned[self.name_field] = name
            others = self.access.scoped(self._meta.model).exclude(pk=self.instance.pk)
            if others.filter(**{f"{self.name_field}__iexact": name}).exists():
                self.add_error(
                    self.name_field, f"The team already has a {self.kind} named “{name}”."
                )
        return cleaned


class ActivityTypeForm(VocabularyForm):
    kind = "type of activity"

    class Meta:
        model = ActivityType
        fields = ["category", "name", "is_event", "is_active"]
        help_texts = {
            "is_active": "Untick to retire the type: activities that have it keep it, in "
            "lists and exports, but it is no longer offered for new ones."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices
        if self.instance.pk and self.instance.in_use:
            # Its activities carry the category too: moving the type would contradict them.
            self.fields["category"].disabled = True
            self.fields["category"].help_text = "A type in use stays in its category."

    def save(self, commit=True):
        if self.instance.pk is None:
            self.instance.position = ActivityType.objects.next_position(
                self.access.team, self.instance.category
            )
        return super().save(commit)


class TopicForm(VocabularyForm):
    kind = "topic"

    class Meta:
        model = Topic
        fields = ["name", "is_active"]
        help_texts = {
            "is_active": "Untick to retire the topic: activities keep it, but it is no "
            "longer suggested for new ones."
        }


class LogTagForm(VocabularyForm):
    name_field = "label"
    kind = "tag"

    class Meta:
        model = LogTag
        fields = ["label", "is_active"]
        help_texts = {
            "is_active": "Untick to retire the tag: entries keep it, but it is no longer "
            "offered for new ones."
        }

    def save(self, commit=True):
        if self.instance.pk is None:
            last = LogTag.objects.for_team(self.access.team).order_by("-position").first()
            self.instance.position = last.position + 1 if last else 0
        return super().save(commit)


class TopicMergeForm(forms.Form):
    """Merge one topic into another of the team: its activities move, it goes."""

    into = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        label="Merge into",
        help_text="Every activity of this topic gets the chosen topic instead.",
    )

    def __init__(self, *args, access, topic, **kwargs):
        super().__init__(*args, **kwargs)
        self.access, self.topic = access, topic
        self.fields["into"].queryset = access.scoped(Topic).exclude(pk=topic.pk)
        self.helper = FormHelper()
        self.helper.layout = Layout("into", Submit("merge", "Merge topics"))

    def save(self):
        """Merge; the number of activities that changed."""
        return self.topic.merge_into(self.cleaned_data["into"], user=self.access.user)
