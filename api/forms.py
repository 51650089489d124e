"""Making a personal access token: its name, its team, how long it works."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.utils import timezone

from teams.models import Team

LIFETIMES = (30, 90, 180, 365)


def teams_of(user):
    """The teams a user may make a token for: those they are an active member of (every
    team for a site administrator)."""
    if user.is_superuser:
        return Team.objects.order_by("name")
    return Team.objects.filter(memberships__user=user, memberships__is_active=True).order_by("name")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, so you can tell it apart: “Power BI”."
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    days = forms.TypedChoiceField(coerce=int, label="Works for", initial=90)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams_of(user)
        most = settings.API_TOKEN_MAX_DAYS
        choices = [days for days in LIFETIMES if days <= most] or [most]
        self.fields["days"].choices = [(days, f"{days} days") for days in choices]
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def expires_at(self):
        return timezone.now() + datetime.timedelta(days=self.cleaned_data["days"])
