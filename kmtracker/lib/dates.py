"""Months and days as the product writes them ("3 Dec 2026"), month arithmetic, and the
range of dates the product accepts.

Every date a user gives (a form, a filter, an imported cell, a quarter's slug) lies
between EARLIEST and LATEST: far enough from both ends of `datetime.date` that a
period before or after it, a team's year or a quarter's end can always be computed.
"""

import datetime

from django.core.exceptions import ValidationError

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
OUT_OF_RANGE = f"Enter a date from {EARLIEST.year} to {LATEST.year}."

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def day_label(date: datetime.date) -> str:
    """`3 Dec 2026`."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    """(year, month) `count` months after (or before, when negative) `month` of `year`."""
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def month_end(first: datetime.date) -> datetime.date:
    """The last day of the month of `first`."""
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    return following - datetime.timedelta(days=1)


def months_between(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from the one of `first` to the one of `last`."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(datetime.date(year, month, 1))
        year, month = add_months(year, month, 1)
    return months


def in_range(date: datetime.date) -> bool:
    return EARLIEST <= date <= LATEST


def validate_in_range(date):
    """The validator of every date input (model fields, form fields, filters)."""
    if date is not None and not in_range(date):
        raise ValidationError(OUT_OF_RANGE, code="date_range")
