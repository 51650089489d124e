"""Saved reports: a period rule and the activity list's filters under a name, and the runs
that mail them to their subscribers.

A rule is read on the day the report is opened or sent: on 1 May 2026 "previous quarter"
is January–March 2026 (a year starting in April), "last 12 months" is May 2025 to April
2026, and "financial year to date" is 1 April 2026 to 1 May 2026.
"""

import datetime
from types import SimpleNamespace
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from activities.filters import ActivityFilterSet
from activities.models import Activity
from evaluations.models import Frequency, PeriodRule, ReportSubscription
from evaluations.reports.computation import compute_figures
from evaluations.reports.key_figures import key_figures
from evaluations.reports.periods import ReportPeriods
from jobs.once import once
from kmtracker.lib.dates import add_months
from kmtracker.lib.quarters import Quarter
from mail.send import send_mail_to
from teams.models import Membership
from teams.tenancy import TeamAccess

TEMPLATE = "saved_report"

# Query names of the activity list that are not filters of a saved report: the period rule
# sets the dates, and paging, order and exports do not change what is counted.
NOT_FILTERS = ("date_from", "date_to", "quarter", "page", "export", "o", "columns")


def period_of(rule, today, year_start_month=4):
    """(first day, last day) of `rule` read on `today`."""
    if rule == PeriodRule.PREVIOUS_QUARTER:
        quarter = Quarter.containing(today, year_start_month).previous()
        return quarter.start, quarter.end
    if rule == PeriodRule.LAST_12_MONTHS:
        year, month = add_months(today.year, today.month, -11)
        return datetime.date(year, month, 1), today
    if rule == PeriodRule.YEAR_TO_DATE:
        return Quarter.containing(today, year_start_month).year_start, today
    raise ValueError(f"Unknown period rule {rule!r}")


class SavedReportRun:
    """A saved report as read by `access` on `today`: its period's report figures and the
    activities of the period that its filters choose."""

    def __init__(self, access, saved, today=None):
        self.access, self.saved = access, saved
        self.today = today or timezone.localdate()
        self.start, self.end = period_of(
            saved.period_rule, self.today, access.team.year_start_month
        )
        self.periods = ReportPeriods.for_range(self.start, self.end, access.team.year_start_month)

    @property
    def filters(self):
        """The saved filters without what the period rule decides, nor paging or order."""
        query = QueryDict(self.saved.filters, mutable=True)
        for name in NOT_FILTERS:
            query.pop(name, None)
        for name in [name for name, values in query.lists() if not any(values)]:
            del query[name]
        return query

    @property
    def query(self):
        """The activity list's query: the saved filters, with the period's dates."""
        query = self.filters
        query["date_from"], query["date_to"] = self.start.isoformat(), self.end.isoformat()
        return query

    def _filterset(self, query):
        # The FilterSet reads the team from its request; a job has none, so it gets one.
        return ActivityFilterSet(
            query,
            queryset=self.access.scoped(Activity),
            request=SimpleNamespace(team_access=self.access),
        )

    def activities(self):
        """The period's activities that the saved filters choose (the list's FilterSet)."""
        return self._filterset(self.query).qs

    def chosen(self):
        """The team's activities of any date that the saved filters choose, or None when
        the report has no filters (then it is the team's whole report of the period)."""
        filters = self.filters
        return self._filterset(filters).qs if filters else None

    def described_filters(self):
        """(label, value) of each saved filter, as the reader reads it (pseudonyms for
        evaluators); a value the team no longer has (a deleted type) reads as such."""
        filterset = self._filterset(self.filters)
        form = filterset.form
        form.is_valid()
        described = []
        for name in self.filters:
            if name not in form.fields:
                continue
            field = form.fields[name]
            value = form.cleaned_data.get(name)
            if value in (None, ""):
                shown = "no longer in the team's lists"
            elif hasattr(field, "label_from_instance"):
                shown = field.label_from_instance(value)
            else:
                shown = dict(field.choices).get(value, value)
            described.append((field.label or name.replace("_", " ").capitalize(), str(shown)))
        return described

    def list_url(self):
        team = self.access.team.slug
        return f"{reverse('activities:activity_list', args=[team])}?{self.query.urlencode()}"

    def report_url(self):
        dates = urlencode({"date_from": self.start.isoformat(), "date_to": self.end.isoformat()})
        return f"{reverse('evaluations:report_period', args=[self.access.team.slug])}?{dates}"

    def context(self):
        figures = compute_figures(self.access, self.periods, self.chosen())
        return {
            "saved": self.saved,
            "described_filters": self.described_filters(),
            "periods": self.periods,
            "figures": figures,
            "key_figures": key_figures(figures),
            "activity_count": self.activities().count(),
            "list_url": self.list_url(),
            "report_url": self.report_url(),
        }


def is_due(subscription, day):
    """Monthly subscriptions are due every month; quarterly ones in the first month of each
    quarter of the team's year."""
    if subscription.frequency == Frequency.MONTHLY:
        return True
    start_month = subscription.saved_report.team.year_start_month
    return (day.month - start_month) % 3 == 0


def send_subscriptions(scheduled_for):
    """Send each active subscription due on `scheduled_for`'s day, once per run."""
    moment = datetime.datetime.fromisoformat(scheduled_for)
    day = timezone.localtime(moment).date()
    subscriptions = (
        ReportSubscription.objects.active()
        .select_related("saved_report__team", "user")
        .order_by("pk")
    )
    sent = ended = 0
    for subscription in subscriptions:
        saved, user = subscription.saved_report, subscription.user
        membership = Membership.objects.filter(team=saved.team, user=user, is_active=True).first()
        if membership is None:
            subscription.end("no longer a member of the team")
            ended += 1
            continue
        if not is_due(subscription, day) or not user.email:
            continue
        with once(f"saved-report:{subscription.pk}:{day.isoformat()}") as first_time:
            if not first_time:
                continue
            access = TeamAccess(saved.team, user, membership.role)
            run = SavedReportRun(access, saved, today=day)
            message = send_mail_to(
                user,
                template=TEMPLATE,
                context=run.context(),
                team=saved.team,
                recurring=True,
                kind=f"saved_report_{saved.pk}",
            )
            sent += message is not None
    return {"sent": sent, "ended": ended}
