"""The three columns of a report: the period itself, the one before it, the year to date,
and what they are called.

A quarter in progress (today falls in it) is reported to today: its columns end
today, and its title and note say so ("to 3 December, day 64 of 92"), since the
previous quarter beside it is a whole one. Any other period charts its own
months, clipped to its days (15 March to 14 April charts 15–31 March and 1–14
April); its year to date runs from the start of the team's year that holds the
period's first day to the period's last day.
"""

import datetime
from dataclasses import dataclass

from kmtracker.lib.dates import MONTHS, day_label, month_end, months_between
from kmtracker.lib.quarters import Quarter


@dataclass(frozen=True)
class Period:
    """Dates from `start` to `end`, both inclusive."""

    start: datetime.date
    end: datetime.date

    def __str__(self):
        return f"{day_label(self.start)} – {day_label(self.end)}"

    @property
    def range(self):
        return (self.start, self.end)

    @property
    def days(self):
        return (self.end - self.start).days + 1


def _day_month(day):
    return f"{day.day} {day:%B}"


@dataclass(frozen=True)
class ReportPeriods:
    """The three columns of a report and how they are named in each output."""

    title: str
    slug: str
    current: Period
    previous: Period
    year_to_date: Period
    names: tuple  # CSV and XLSX column names
    labels: tuple  # column headings on the page
    charted: Period  # the days the chart by month covers
    note: str = ""  # what the columns are, beyond their dates
    progress: str = ""  # a quarter in progress: "to 3 December, day 64 of 92"

    @classmethod
    def for_quarter(cls, quarter, today=None):
        """A quarter of the team's year, the quarter before it, and its year up to its end;
        up to `today` instead while the quarter is in progress (today falls in it)."""
        previous = Period(quarter.previous().start, quarter.previous().end)
        whole = Period(quarter.start, quarter.end)
        if today is None or not whole.start <= today <= whole.end:
            return cls(
                title=quarter.label,
                slug=quarter.slug,
                current=whole,
                previous=previous,
                year_to_date=Period(quarter.year_start, quarter.end),
                names=("this_quarter", "previous_quarter", "year_to_date"),
                labels=("This quarter", "Previous quarter", "Year to date"),
                charted=Period(quarter.year_start, quarter.end),
            )
        current = Period(quarter.start, today)
        progress = f"to {_day_month(today)}, day {current.days} of {whole.days}"
        return cls(
            title=f"{quarter.label}, in progress: {progress}",
            slug=quarter.slug,
            current=current,
            previous=previous,
            year_to_date=Period(quarter.year_start, today),
            names=("this_quarter", "previous_quarter", "year_to_date"),
            labels=("This quarter so far", "Previous quarter (whole)", "Year to date"),
            charted=Period(quarter.year_start, today),
            note=(
                f"This quarter is in progress: its figures and the year to date run to "
                f"{day_label(today)}, day {current.days} of its {whole.days}, while the "
                f"previous quarter beside them is whole ({previous.days} days), so this "
                "quarter's figures will still grow."
            ),
            progress=progress,
        )

    @classmethod
    def for_range(cls, start, end, year_start_month=4):
        """Any dates: the period, the period just before it, and the team's year to date:
        from the start of the team's year that holds `start` to `end`.

        The period before covers as many whole months when the period is whole
        months (July–September is compared with April–June, a financial year
        with the one before), and as many days otherwise. The chart by month
        shows the period's own months, clipped to its days.
        """
        year_start = Quarter.containing(start, year_start_month).year_start
        return cls(
            title=f"{day_label(start)} to {day_label(end)}",
            slug=f"{start:%Y-%m-%d}-to-{end:%Y-%m-%d}",
            current=Period(start, end),
            previous=_period_before(start, end),
            year_to_date=Period(year_start, end),
            names=("this_period", "previous_period", "year_to_date"),
            labels=("This period", "Previous period", "Year to date"),
            charted=Period(start, end),
            note=(
                f"Year to date: from the start of the team's year that holds the period's "
                f"first day ({day_label(year_start)}) to the period's last day "
                f"({day_label(end)}). The chart by month shows the period's own months, "
                "its first and last only from and to the period's days."
            ),
        )

    @property
    def columns(self):
        return (self.current, self.previous, self.year_to_date)

    @property
    def described(self):
        """(heading, period) of each column, to say what the columns cover."""
        return list(zip(self.labels, self.columns, strict=True))

    @property
    def span(self):
        """From the earliest to the latest day of any column: narrows every query."""
        return (
            min(period.start for period in self.columns),
            max(period.end for period in self.columns),
        )

    @property
    def chart_months(self):
        """The months charted: the year to date of a quarter, the whole of any other period."""
        return months_between(self.charted.start, self.charted.end)

    def chart_days(self, month):
        """The days of `month` (its first day) that the chart counts: clipped to `charted`."""
        return Period(max(month, self.charted.start), min(month_end(month), self.charted.end))

    def month_label(self, month):
        """`Mar 2025`, or `15–31 Mar 2025` for a month charted only in part."""
        days = self.chart_days(month)
        name = f"{MONTHS[month.month - 1]} {month.year}"
        if days.start == month and days.end == month_end(month):
            return name
        return f"{days.start.day}–{days.end.day} {name}"


def _period_before(start, end):
    day = datetime.timedelta(days=1)
    if start.day == 1 and (end + day).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        index = start.year * 12 + start.month - 1 - months
        return Period(datetime.date(index // 12, index % 12 + 1, 1), start - day)
    length = end - start + day
    return Period(start - length, start - day)
