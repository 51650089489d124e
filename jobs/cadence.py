"""When a periodic job is due: daily, weekly or monthly at a local time, or every N minutes.

A cadence answers one question, `latest(now)`: the most recent due time at or before
`now`. The scheduler runs that occurrence unless it is already recorded, so a worker
that was stopped over the due time runs it when it comes back, once, and never the
ones before. Local times are in settings.TIME_ZONE: "daily at 07:00" stays 07:00 across
the change to and from summer time (on the night the clocks go back, a time that
happens twice is due once, the first time; one that does not happen is due an hour on).
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _time(at):
    return at if isinstance(at, datetime.time) else datetime.time.fromisoformat(at)


def _at(day, at):
    return timezone.make_aware(datetime.datetime.combine(day, at))


@dataclass(frozen=True)
class Daily:
    at: datetime.time

    def latest(self, now):
        today = timezone.localtime(now).date()
        due = _at(today, self.at)
        return due if due <= now else _at(today - datetime.timedelta(days=1), self.at)

    def __str__(self):
        return f"daily at {self.at:%H:%M}"


@dataclass(frozen=True)
class Weekly:
    weekday: int  # Monday is 0
    at: datetime.time

    def latest(self, now):
        today = timezone.localtime(now).date()
        day = today - datetime.timedelta(days=(today.weekday() - self.weekday) % 7)
        due = _at(day, self.at)
        return due if due <= now else _at(day - datetime.timedelta(days=7), self.at)

    def __str__(self):
        return f"weekly on {WEEKDAYS[self.weekday].title()} at {self.at:%H:%M}"


@dataclass(frozen=True)
class Monthly:
    day: int  # 1 to 28, so that every month has it
    at: datetime.time

    def latest(self, now):
        today = timezone.localtime(now).date()
        due = _at(today.replace(day=self.day), self.at)
        if due <= now:
            return due
        last_month = today.replace(day=1) - datetime.timedelta(days=1)
        return _at(last_month.replace(day=self.day), self.at)

    def __str__(self):
        return f"monthly on day {self.day} at {self.at:%H:%M}"


@dataclass(frozen=True)
class Every:
    minutes: int

    def latest(self, now):
        """Whole multiples of the interval since midnight UTC: the same instants everywhere."""
        step = self.minutes * 60
        seconds = int(now.timestamp()) // step * step
        return datetime.datetime.fromtimestamp(seconds, datetime.UTC)

    def __str__(self):
        return f"every {self.minutes} minutes"


def daily(at):
    """`daily("03:30")`"""
    return Daily(_time(at))


def weekly(on, at):
    """`weekly("monday", "07:00")`"""
    return Weekly(WEEKDAYS.index(on.lower()), _time(at))


def monthly(day, at):
    """`monthly(1, "06:00")`: the first of each month."""
    if not 1 <= day <= 28:
        raise ValueError("A monthly job's day must be 1 to 28, which every month has.")
    return Monthly(day, _time(at))


def every(minutes):
    """`every(15)`: at :00, :15, :30 and :45 (the interval must divide a day)."""
    if minutes < 1 or (24 * 60) % minutes:
        raise ValueError("The interval must be a whole number of minutes that divides a day.")
    return Every(minutes)
