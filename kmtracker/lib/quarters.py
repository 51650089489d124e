"""Quarters of a team's year.

A team's year starts in `year_start_month` (4 for the NHS financial year, 1
for calendar quarters). Quarter 1 of the year "2025/26" runs April to June
2025; with calendar years the label is just "2025".

A quarter's slug is `2025-q1` in the team's year as it starts now. When the
team's year start changes, reports signed off before keep the quarters they
were cut from; their slugs name that year's first month (`2025-q1-m4`).
"""

import datetime
import re
from dataclasses import dataclass, field, replace

from kmtracker.lib.dates import EARLIEST, LATEST, MONTHS, add_months

_SLUG = re.compile(r"^(\d{4})-q([1-4])(?:-m(1[0-2]|[1-9]))?$")


@dataclass(frozen=True, order=True)
class Quarter:
    """Quarter `number` (1-4) of the team year that starts in `start_year`."""

    start_year: int
    number: int
    start_month: int = 4
    # The team's year start month, when it is no longer this quarter's (the slug then names it).
    team_start_month: int | None = field(default=None, compare=False)

    @classmethod
    def containing(cls, day, start_month=4):
        months_into_year = (day.month - start_month) % 12
        start_year = day.year if day.month >= start_month else day.year - 1
        return cls(start_year, months_into_year // 3 + 1, start_month)

    @classmethod
    def from_slug(cls, slug, start_month=4):
        """Parse `2025-q1` (or `2025-q1-m4`, of a year starting in another month than
        `start_month`); raises ValueError for anything else."""
        match = _SLUG.match(slug or "")
        if not match:
            raise ValueError(f"{slug!r} is not a quarter such as 2025-q1")
        month = int(match[3]) if match[3] else start_month
        if not EARLIEST.year <= int(match[1]) <= LATEST.year:
            raise ValueError(
                f"{slug!r} is a quarter of a year from {EARLIEST.year} to {LATEST.year}"
            )
        return cls(int(match[1]), int(match[2]), month).seen_from(start_month)

    def seen_from(self, team_start_month):
        """This quarter, linked from a team whose year now starts in `team_start_month`."""
        other = team_start_month if team_start_month != self.start_month else None
        return replace(self, team_start_month=other)

    @property
    def slug(self):
        suffix = f"-m{self.start_month}" if self.team_start_month else ""
        return f"{self.start_year}-q{self.number}{suffix}"

    @property
    def start(self):
        year, month = add_months(self.start_year, self.start_month, 3 * (self.number - 1))
        return datetime.date(year, month, 1)

    @property
    def end(self):
        """The last day of the quarter (inclusive)."""
        year, month = add_months(self.start.year, self.start.month, 3)
        return datetime.date(year, month, 1) - datetime.timedelta(days=1)

    @property
    def year_label(self):
        if self.start_month == 1:
            return str(self.start_year)
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def short_label(self):
        return f"{self.year_label} Q{self.number}"

    @property
    def label(self):
        first, last = self.start, self.end
        return (
            f"{self.short_label} ({MONTHS[first.month - 1]}–{MONTHS[last.month - 1]} {last.year})"
        )

    @property
    def year_start(self):
        return datetime.date(self.start_year, self.start_month, 1)

    def previous(self):
        if self.number > 1:
            return replace(self, number=self.number - 1)
        return replace(self, start_year=self.start_year - 1, number=4)

    def next(self):
        if self.number < 4:
            return replace(self, number=self.number + 1)
        return replace(self, start_year=self.start_year + 1, number=1)

    def __str__(self):
        return self.label


def quarters_between(first_day, last_day, start_month=4):
    """Every quarter from the one holding `first_day` to the one holding `last_day`."""
    quarter = Quarter.containing(first_day, start_month)
    last = Quarter.containing(last_day, start_month)
    result = []
    while quarter <= last:
        result.append(quarter)
        quarter = quarter.next()
    return result
