"""The three columns of a report: the period itself, the one before it, the year to date."""

import datetime
from dataclasses import dataclass

from kmtracker.lib.dates import day_label, months_between
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

    @classmethod
    def for_quarter(cls, quarter):
        """A quarter of the team's year, the quarter before it, and its year up to its end."""
        previous = quarter.previous()
        return cls(
            title=quarter.label,
            slug=quarter.slug,
            current=Period(quarter.start, quarter.end),
            previous=Period(previous.start, previous.end),
            year_to_date=Period(quarter.year_start, quarter.end),
            names=("this_quarter", "previous_quarter", "year_to_date"),
            labels=("This quarter", "Previous quarter", "Year to date"),
        )

    @classmethod
    def for_range(cls, start, end, year_start_month=4):
        """Any dates: the period, the period just before it, and the team's year (the one
        holding `end`) up to `end`.

        The period before covers as many whole months when the period is whole
        months (July–September is compared with April–June, a financial year
        with the one before), and as many days otherwise.
        """
        year_start = Quarter.containing(end, year_start_month).year_start
        return cls(
            title=f"{day_label(start)} to {day_label(end)}",
            slug=f"{start:%Y-%m-%d}-to-{end:%Y-%m-%d}",
            current=Period(start, end),
            previous=_period_before(start, end),
            year_to_date=Period(year_start, end),
            names=("this_period", "previous_period", "year_to_date"),
            labels=("This period", "Previous period", "Year to date"),
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
        first = min(self.current.start, self.year_to_date.start)
        return months_between(first, self.current.end)


def _period_before(start, end):
    day = datetime.timedelta(days=1)
    if start.day == 1 and (end + day).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        index = start.year * 12 + start.month - 1 - months
        return Period(datetime.date(index // 12, index % 12 + 1, 1), start - day)
    length = end - start + day
    return Period(start - length, start - day)
