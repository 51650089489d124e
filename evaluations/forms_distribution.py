"""Forms of reports that reach people: the quarter's recipients, saved reports and their
subscriptions, and the team's Researchfish mapping."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.contrib.auth import get_user_model

from activities.models import ActivityType, Outcome
from evaluations.models import (
    Frequency,
    PeriodRule,
    ReportRecipient,
    ResearchfishMapping,
    SavedReport,
)
from evaluations.models.researchfish import Audience, EngagementForm, InfluenceType, Reach
from kmtracker.lib.names import display_name
from teams import submissions


class MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return display_name(obj)


class RecipientForm(forms.Form):
    """A member of the team, or an outside address with a name (such as 'Steering group')."""

    member = MemberChoice(queryset=get_user_model().objects.none(), required=False)
    address = forms.EmailField(required=False, label="Or an outside address")
    name = forms.CharField(max_length=200, required=False, label="Who it is")

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        submissions.add_token_field(self)
        self.fields["member"].queryset = (
            get_user_model()
            .objects.filter(memberships__team=access.team, memberships__is_active=True)
            .exclude(email="")
            .order_by("first_name", "username")
        )
        self.helper = FormHelper()
        self.helper.layout = Layout("member", "address", "name", Submit("add", "Add recipient"))

    def clean_address(self):
        return self.cleaned_data["address"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        member, address = cleaned.get("member"), cleaned.get("address")
        if bool(member) == bool(address):
            raise forms.ValidationError("Choose a member or give an outside address (one).")
        team = self.access.team
        taken = ReportRecipient.objects.filter(team=team)
        if member and taken.filter(user=member).exists():
            raise forms.ValidationError("That member receives the report already.")
        if address and taken.filter(user=None, address=address).exists():
            raise forms.ValidationError("That address is a recipient already.")
        return cleaned


class SavedReportForm(forms.ModelForm):
    """A name and a period rule; the activity list's filters come from the page's query."""

    class Meta:
        model = SavedReport
        fields = ["name", "period_rule", "filters"]
        widgets = {"filters": forms.HiddenInput}
        labels = {"period_rule": "Period"}

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        self.fields["period_rule"].choices = PeriodRule.choices
        submissions.add_token_field(self)
        self.helper = FormHelper()
        self.helper.layout = Layout("name", "period_rule", "filters", Submit("save", "Save report"))

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if SavedReport.objects.filter(team=self.access.team, name__iexact=name).exists():
            raise forms.ValidationError("The team has a saved report of that name.")
        return name

    def clean_filters(self):
        return self.cleaned_data["filters"].lstrip("?")


class SubscriptionForm(forms.Form):
    frequency = forms.ChoiceField(choices=Frequency.choices)


def _choice(choices, initial):
    return forms.ChoiceField(
        choices=[("", "—"), *choices],
        required=False,
        initial=initial,
        label="",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class ResearchfishMappingForm(forms.Form):
    """One row of fields per activity type (form, audience, reach) and per outcome type
    (type of influence, audience, reach), read from and saved to ResearchfishMapping."""

    ACTIVITY_FIELDS = (("form", EngagementForm), ("audience", Audience), ("reach", Reach))
    OUTCOME_FIELDS = (
        ("influence_type", InfluenceType),
        ("audience", Audience),
        ("reach", Reach),
    )

    def __init__(self, *args, access, **kwargs):
        super().__init__(*args, **kwargs)
        self.access = access
        mappings = access.scoped(ResearchfishMapping)
        by_type = {m.activity_type_id: m for m in mappings if m.activity_type_id}
        by_outcome = {m.outcome_type: m for m in mappings if m.outcome_type}
        types = access.scoped(ActivityType).order_by("category", "position", "name")
        # (what is mapped, its lookup, its row's prefix, the fields of the row)
        self.rows = [
            (t, {"activity_type": t}, f"type_{t.pk}", self.ACTIVITY_FIELDS, by_type.get(t.pk))
            for t in types
        ] + [
            (label, {"outcome_type": code}, f"outcome_{code}", self.OUTCOME_FIELDS,
             by_outcome.get(code))
            for code, label in Outcome.Type.choices
        ]  # fmt: skip
        shown = []
        for mapped, _lookup, prefix, fields, mapping in self.rows:
            for field, choices in fields:
                self.fields[f"{prefix}_{field}"] = _choice(
                    choices.choices, getattr(mapping or ResearchfishMapping(), field)
                )
            shown.append((mapped, [self[f"{prefix}_{field}"] for field, _ in fields]))
        self.activity_rows, self.outcome_rows = shown[: len(types)], shown[len(types) :]

    def save(self):
        for _mapped, lookup, prefix, fields, _mapping in self.rows:
            values = {field: self.cleaned_data[f"{prefix}_{field}"] for field, _ in fields}
            _save_mapping(self.access.team, lookup, values)


def _save_mapping(team, lookup, values):
    """Create, change or leave the mapping; a change only when a value changed (history).

    Saving the page twice leaves the same mappings, so the form needs no one-time token;
    when two saves create the same mapping at once, get_or_create() lets the second
    read the first's row (the unique constraint decides) instead of failing."""
    mapping = ResearchfishMapping.objects.filter(team=team, **lookup).first()
    if mapping is None:
        if not any(values.values()):
            return
        mapping, created = ResearchfishMapping.objects.get_or_create(
            team=team, **lookup, defaults=values
        )
        if created:
            return
    if any(getattr(mapping, field) != value for field, value in values.items()):
        for field, value in values.items():
            setattr(mapping, field, value)
        mapping.save()
