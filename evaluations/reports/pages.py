"""A quarter's report as its readers see it: the frozen figures once signed off, what
changed in the log since, and the index of quarters.

The figures themselves come from `evaluations/reports/computation.py`.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from activities.models import Activity, Category, Outcome
from evaluations.models import QuarterlyReport
from evaluations.reports.changes import signed_off_changes
from evaluations.reports.charts import chart_data, monthly_table
from evaluations.reports.computation import compute_figures
from evaluations.reports.figures import ZERO, ReportFigures
from evaluations.reports.key_figures import key_figures
from evaluations.reports.narrative import filled_narrative
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.dates import day_label
from kmtracker.lib.names import display_name
from kmtracker.lib.quarters import Quarter

# Comparing a snapshot with the log -------------------------------------------


@dataclass
class Difference:
    """A figure whose value in the log, in one column or more, is no longer the value signed off."""

    section: str
    breakdown: str
    unit: str
    frozen: tuple
    current: tuple
    labels: tuple

    @property
    def cells(self):
        """(column heading, frozen value, current value, whether it changed) for each column."""
        return [
            (label, before, after, before != after)
            for label, before, after in zip(self.labels, self.frozen, self.current, strict=True)
        ]

    @property
    def changes(self):
        """{column heading: (frozen value, current value)} for the columns that changed."""
        return {label: (before, after) for label, before, after, changed in self.cells if changed}


def differences(frozen, current, periods):
    """Every figure with a column whose current value differs from the frozen one.

    A row that exists on one side only (a broker who had no activities at
    sign-off) counts as zero on the other.
    """
    frozen_rows = {row.key: (title, row) for title, row in frozen.rows()}
    current_rows = {row.key: (title, row) for title, row in current.rows()}
    keys = list(current_rows) + [key for key in frozen_rows if key not in current_rows]
    found = []
    for key in keys:
        title, row = current_rows.get(key) or frozen_rows[key]
        old = frozen_rows[key][1].values if key in frozen_rows else ZERO
        new = current_rows[key][1].values if key in current_rows else ZERO
        if old != new:
            found.append(Difference(title, row.breakdown, row.unit, old, new, periods.labels))
    return found


# A quarter's report as its readers see it --------------------------------------


@dataclass
class ChangedActivity:
    """An activity of a signed-off quarter that was added, changed or deleted since."""

    pk: int
    title: str
    date: datetime.date
    action: str
    changed_at: datetime.datetime
    still_in_period: bool


def activities_changed_since(access, period, moment):
    """Activities dated in `period` (now or before a change) with history after `moment`.

    Read from the activities' change history (django-simple-history), which
    also keeps deleted activities; one query, newest change first. History
    rows have no `for_user()`: they are narrowed to the team of `access`, whose
    membership the view has already checked (every member reads every activity).
    """
    records = Activity.history.filter(team_id=access.team.pk)
    latest = records.filter(id=OuterRef("id")).order_by("-history_date", "-history_id")
    changed = (
        records.filter(
            history_date__gt=moment,
            id__in=records.filter(date__range=period.range).values("id"),
        )
        .values("id")
        .annotate(
            changed_at=Max("history_date"),
            added=Count("history_id", filter=Q(history_type="+")),
            title=Subquery(latest.values("title")[:1]),
            date=Subquery(latest.values("date")[:1]),
            last_type=Subquery(latest.values("history_type")[:1]),
        )
        .order_by("-changed_at", "-id")
    )
    result = []
    for row in changed:
        if row["last_type"] == "-":
            action = "deleted"
        elif row["added"]:
            action = "added"
        else:
            action = "changed"
        result.append(
            ChangedActivity(
                pk=row["id"],
                title=row["title"],
                date=row["date"],
                action=action,
                changed_at=row["changed_at"],
                still_in_period=period.start <= row["date"] <= period.end,
            )
        )
    return result


class QuarterReport:
    """The report of one quarter: the frozen figures once signed off, else the log's.

    `show_current` shows the log's figures of a signed-off quarter instead.
    """

    def __init__(self, access, quarter, show_current=False, record=None):
        self.access = access
        self.quarter = quarter
        # A quarter in progress is reported to today, and says so.
        self.periods = ReportPeriods.for_quarter(quarter, today=timezone.localdate())
        # `record`: the report already read (a job that mails it has no signed-in reader).
        self.record = record or QuarterlyReport.for_quarter(access, quarter)
        self.show_current = show_current or not self.record.is_signed_off

    @cached_property
    def current(self):
        return compute_figures(self.access, self.periods)

    @cached_property
    def frozen(self):
        if not self.record.is_signed_off:
            return None
        return ReportFigures.from_json(self.record.frozen["figures"])

    @property
    def figures(self):
        """The figures shown and exported."""
        return self.current if self.show_current else self.frozen

    @property
    def narrative_figures(self):
        """The figures the narrative's placeholders stand for: those signed off with it,
        even while the page shows the log's current ones."""
        return self.frozen or self.current

    @cached_property
    def differences(self):
        if self.frozen is None:
            return []
        return differences(self.frozen, self.current, self.periods)

    @cached_property
    def changed_activities(self):
        if not self.record.is_signed_off:
            return []
        return activities_changed_since(
            self.access, self.periods.current, self.record.signed_off_at
        )

    @cached_property
    def changes_since_sign_off(self):
        """Every change to the quarter's activities, outcomes and projects since sign-off,
        with who made it, when and the reason they gave."""
        if not self.record.is_signed_off:
            return []
        period = self.periods.current
        return signed_off_changes(
            self.access.team, period.start, period.end, self.record.signed_off_at
        )

    @cached_property
    def events(self):
        if self.record.pk is None:
            return []
        return list(self.record.events.select_related("user"))

    def status(self):
        """One line saying whose figures these are, for the page, the print and the XLSX."""
        record = self.record
        if record.is_signed_off:
            who = display_name(record.signed_off_by, missing="a former user")
            when = timezone.localtime(record.signed_off_at)
            line = f"Signed off by {who} on {day_label(when.date())} at {when:%H:%M}"
            if self.show_current:
                return f"{line}; showing the log's current figures, not those signed off"
            return line
        now = timezone.localtime()
        return f"Not signed off; figures as in the log on {day_label(now.date())} at {now:%H:%M}"

    def context(self):
        return {
            "team": self.access.team,
            "quarter": self.quarter,
            "report": self.record,
            "periods": self.periods,
            "figures": self.figures,
            "key_figures": key_figures(self.figures),
            "show_current": self.show_current,
            "differences": self.differences,
            "changed_activities": self.changed_activities,
            "changes_since_sign_off": self.changes_since_sign_off,
            "events": self.events,
            "status": self.status(),
            "narrative": filled_narrative(self.record, self.narrative_figures),
            "charts": chart_data(self.figures, self.periods),
            "monthly": monthly_table(self.figures, self.periods),
            "categories": Category.choices,
            "previous_quarter": self.quarter.previous(),
            "next_quarter": self.quarter.next(),
            # Signing off before the quarter ends freezes figures that are still growing.
            "quarter_running": timezone.localdate() <= self.quarter.end,
        }


# The index of reports ----------------------------------------------------------


@dataclass
class QuarterEntry:
    quarter: Quarter
    activities: int = 0
    outcomes: int = 0
    report: object = None


def quarters_with_data(access):
    """Quarters with activities, outcomes or a report, newest first (three queries)."""
    start_month = access.team.year_start_month
    entries = {}

    def entry(day):
        quarter = Quarter.containing(day, start_month)
        return entries.setdefault(quarter, QuarterEntry(quarter))

    for model, attribute in ((Activity, "activities"), (Outcome, "outcomes")):
        months = (
            access.scoped(model)
            .order_by()
            .annotate(month=TruncMonth("date"))
            .values("month")
            .annotate(n=Count("pk"))
        )
        for row in months:
            item = entry(row["month"])
            setattr(item, attribute, getattr(item, attribute) + row["n"])
    reports = QuarterlyReport.objects.for_user(access.user).for_team(access.team)
    for report in reports.select_related("signed_off_by"):
        # A report begun before the year start changed keeps its own quarter.
        quarter = report.quarter.seen_from(start_month)
        entries.setdefault(quarter, QuarterEntry(quarter)).report = report
    return sorted(
        entries.values(), key=lambda item: (item.quarter.start, item.quarter.slug), reverse=True
    )
