"""The period of an "any period" report, chosen with the activity FilterSet's date range."""

import datetime

from django import forms

from activities.filters import ActivityFilterSet

LONGEST_PERIOD = datetime.timedelta(days=5 * 366)


class PeriodForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the period must not be before its start.")
        elif start and end and end - start > LONGEST_PERIOD:
            self.add_error("date_to", "Choose a period of five years or less.")
        return cleaned


class ReportPeriodFilterSet(ActivityFilterSet):
    """ActivityFilterSet's `date_from` and `date_to`, both required, and nothing else.

    The report counts projects and outcomes as well as activities, so the
    activity list's other filters (category, broker, ...) would not apply to
    every figure: only the dates are offered.
    """

    PERIOD_FILTERS = ("date_from", "date_to")

    class Meta(ActivityFilterSet.Meta):
        form = PeriodForm

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.filters):
            if name not in self.PERIOD_FILTERS:
                del self.filters[name]

    def scope_choices(self, access):
        """No related-record filters are kept, so there is nothing to scope (and no query)."""

    def adjust_form(self, form):
        for name in self.PERIOD_FILTERS:
            form.fields[name].required = True
        form.fields["date_to"].help_text = "Both dates are included."

    @property
    def period(self):
        """(first day, last day) once the form is valid."""
        return self.form.cleaned_data["date_from"], self.form.cleaned_data["date_to"]
