"""The forms of the sample page: a draw's quotas, seed and period; an invitee's status."""

from django import forms

from activities.models import Community
from evaluations.models import Invitee
from kmtracker.lib.date_fields import DateField
from kmtracker.lib.widgets import DateInput
from teams.submissions import add_token_field

QUOTA_PREFIX = "quota_"


class DrawForm(forms.Form):
    """How many people of each community to draw, from which period's frame, with which seed."""

    seed = forms.CharField(
        max_length=64,
        required=False,
        help_text="Leave empty for a new random seed; give an earlier draw's seed to repeat it.",
    )
    date_from = DateField(label="Activities from", required=False, widget=DateInput)
    date_to = DateField(label="Activities to", required=False, widget=DateInput)

    def __init__(self, *args, study, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in Community.choices:
            self.fields[QUOTA_PREFIX + code] = forms.IntegerField(
                label=label, min_value=0, max_value=1000, required=False, initial=0
            )
        self.fields["date_from"].initial = study.period_start
        self.fields["date_to"].initial = study.period_end
        add_token_field(self)

    @property
    def quota_fields(self):
        return [self[QUOTA_PREFIX + code] for code in Community.values]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The period must not end before it starts.")
        if not any(cleaned.get(QUOTA_PREFIX + code) for code in Community.values):
            raise forms.ValidationError("Give a quota of at least one person for a community.")
        return cleaned

    @property
    def quotas(self):
        return {code: self.cleaned_data.get(QUOTA_PREFIX + code) or 0 for code in Community.values}


class InviteeStatusForm(forms.Form):
    """A new status for one invitee, and the day it happened (today if left empty)."""

    status = forms.ChoiceField(choices=Invitee.Status.choices)
    on = DateField(label="On", required=False, widget=DateInput)
