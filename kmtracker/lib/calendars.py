"""Reading an uploaded iCalendar file (RFC 5545) into the events of a date range, safely;
writing a calendar feed.

What Outlook, Google Calendar and Apple Calendar export: time zones by their IANA
names, by Windows names as Outlook writes them ("GMT Standard Time", with or without
a VTIMEZONE; `icalendar` maps them), in UTC ("Z") or floating (read in the local time
zone); recurring events (RRULE, RDATE) expanded within the range, without their
EXDATEs, and with each occurrence that was moved or changed (RECURRENCE-ID) as
changed. Any problem with the file is an `ImportFileError` (the same as a table's),
never a server error. The bounds are those of a table (`MAX_BYTES`) and a count of
events, before and after recurring ones are expanded.
"""

import datetime
import zoneinfo
from dataclasses import dataclass, field

import icalendar
from dateutil import rrule
from django.http import HttpResponse

from kmtracker.lib.inputs import CONTROL_CHARACTERS
from kmtracker.lib.tables import ImportFileError, too_large

MAX_EVENTS = 5_000  # VEVENTs in the file, recurring ones counted once
MAX_OCCURRENCES = 1_000  # events in the chosen range, recurring ones expanded
MAX_DAYS = 366  # the longest range read at once
# An event whose title is one of these, or has none, tells only that its time is taken.
FREE_BUSY_TITLES = frozenset({"", "busy", "free", "tentative", "private appointment"})
OUT_OF_OFFICE_WORDS = ("out of office", "ooo", "annual leave", "on leave", "holiday", "away")
CANCELLED_PREFIXES = ("cancelled:", "canceled:")

TOO_LARGE = {"kind": "calendar files", "done": "read", "advice": "Export a shorter period."}

CANCELLED = "cancelled"
DECLINED = "declined"
PRIVATE = "private"
FREE_BUSY = "free/busy only"
OUT_OF_OFFICE = "out of office"


@dataclass(frozen=True)
class Attendee:
    """Someone invited to an event: the name and e-mail address the calendar gives."""

    name: str
    email: str
    declined: bool = False


@dataclass
class Event:
    """One occurrence of an event, its times in the local time zone (dates if all-day)."""

    uid: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date | None
    title: str
    location: str = ""
    attendees: list = field(default_factory=list)
    organiser: Attendee | None = None
    status: str = ""
    privacy: str = ""
    busy_status: str = ""
    recurring: bool = False

    @property
    def all_day(self):
        return not isinstance(self.start, datetime.datetime)

    @property
    def date(self):
        return self.start.date() if isinstance(self.start, datetime.datetime) else self.start

    @property
    def start_key(self):
        """The start as stored to know an event again: UTC for timed events, the day else."""
        if isinstance(self.start, datetime.datetime):
            return self.start.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
        return self.start.strftime("%Y%m%d")

    @property
    def duration_minutes(self):
        if self.all_day or self.end is None:
            return None
        minutes = int((self.end - self.start).total_seconds() // 60)
        return minutes if minutes > 0 else None

    def left_out(self, own_emails=()):
        """Why the event is not work to log by default ("" when it may be): cancelled,
        declined by `own_emails`' owner, private, free/busy only, or out of office."""
        title = self.title.strip().lower()
        if self.status == "CANCELLED" or title.startswith(CANCELLED_PREFIXES):
            return CANCELLED
        own = {email.lower() for email in own_emails if email}
        if any(a.declined and a.email.lower() in own for a in self.attendees):
            return DECLINED
        if self.privacy in ("PRIVATE", "CONFIDENTIAL"):
            return PRIVATE
        if title in FREE_BUSY_TITLES:
            return FREE_BUSY
        if self.all_day and (
            self.busy_status == "OOF" or any(word in title for word in OUT_OF_OFFICE_WORDS)
        ):
            return OUT_OF_OFFICE
        return ""


def read_events(content, first, last, tz_name):
    """The events of iCalendar `content` (bytes) from day `first` to day `last`, in
    order of start, times in the time zone `tz_name`; or raise ImportFileError."""
    if last < first:
        raise ImportFileError("The range ends before it starts.")
    if (last - first).days >= MAX_DAYS:
        raise ImportFileError(f"Choose a range of up to {MAX_DAYS} days.")
    local = zoneinfo.ZoneInfo(tz_name)
    calendars = _parse(content)
    events = [e for cal in calendars for e in cal.walk("VEVENT")]
    changed = _changed_occurrences(events, local)
    if len(events) > MAX_EVENTS:
        raise ImportFileError(
            f"The file holds more than {MAX_EVENTS:,} events; export a shorter period."
        )
    window = (
        datetime.datetime.combine(first, datetime.time.min, local),
        datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, local),
    )
    found = []
    for component in events:
        try:
            uid = str(component.get("UID", ""))
            found.extend(_occurrences(component, window, local, changed.get(uid, set())))
        except (ValueError, TypeError, KeyError, OverflowError, AttributeError) as error:
            uid = str(component.get("UID", ""))[:80] or "without a UID"
            why = (
                f"its {error.args[0]} is missing or not valid"
                if isinstance(error, KeyError)
                else error
            )
            raise ImportFileError(f"An event of the file cannot be read ({uid}): {why}.") from None
        if len(found) > MAX_OCCURRENCES:
            raise ImportFileError(
                f"The range holds more than {MAX_OCCURRENCES:,} events; choose a shorter one."
            )
    return sorted(found, key=lambda e: (_sort_key(e.start, local), e.title, e.uid))


def _parse(content):
    if not content:
        raise ImportFileError("The file is empty.")
    if message := too_large(len(content), **TOO_LARGE):
        raise ImportFileError(message)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    if text is None or CONTROL_CHARACTERS.search(text):
        raise ImportFileError(
            "The file is not a calendar text file (.ics): it holds binary data. Export the "
            "calendar as an iCalendar file and upload that."
        )
    if not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise ImportFileError(
            "The file is not an iCalendar file (.ics): it does not start with BEGIN:VCALENDAR. "
            "In Outlook, use File › Save Calendar; in Google Calendar, Settings › Export."
        )
    if "END:VCALENDAR" not in text.upper():
        raise ImportFileError(
            "The file is cut short: it has no END:VCALENDAR. Export the calendar again."
        )
    try:
        return icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise ImportFileError(f"The file cannot be read as an iCalendar file: {error}") from None


def _occurrences(component, window, local, changed):
    start = component.decoded("DTSTART")
    length = _length(component, start)
    event = _event(component, start, length, local)
    if "RRULE" not in component and "RDATE" not in component:
        return [event] if _overlaps(event, window, local) else []
    # A recurring event: each occurrence in the window that was not excluded or changed;
    # the changed ones are events of their own (with a RECURRENCE-ID) in the file.
    rules = rrule.rruleset()
    begin = start if isinstance(start, datetime.datetime) else _midnight(start)
    for recur in _as_list(component.get("RRULE")):
        rules.rrule(_rule(recur, begin, local))
    rules.rdate(begin)
    for name, add in (("RDATE", rules.rdate), ("EXDATE", rules.exdate)):
        for value in _as_list(component.get(name)):
            for when in value.dts:
                add(_like(when.dt, begin))
    lo, hi = window
    if begin.tzinfo is None:
        lo, hi = lo.replace(tzinfo=None), hi.replace(tzinfo=None)
    found = []
    for when in rules.between(lo, hi, inc=True):
        at = when if isinstance(start, datetime.datetime) else when.date()
        if _instant(at, local) not in changed:
            found.append(_event(component, at, length, local, recurring=True))
    return [e for e in found if _overlaps(e, window, local)]


def _rule(recur, begin, local):
    """The RRULE `recur` from `begin`, its UNTIL made as aware or naive as `begin` (files
    mix them, which dateutil refuses)."""
    recur = icalendar.vRecur(recur)
    until = recur.get("UNTIL")
    if until:
        when = until[0]
        if not isinstance(when, datetime.datetime):
            when = datetime.datetime.combine(when, datetime.time.max)
        if begin.tzinfo is None and when.tzinfo is not None:
            when = when.astimezone(local).replace(tzinfo=None)
        elif begin.tzinfo is not None and when.tzinfo is None:
            when = when.replace(tzinfo=begin.tzinfo)
        if when.tzinfo is not None:
            when = when.astimezone(datetime.UTC)
        recur["UNTIL"] = [when]
    return rrule.rrulestr(recur.to_ical().decode(), dtstart=begin)


def _changed_occurrences(events, local):
    """{uid: the starts of the occurrences the file holds as changed events of their own}."""
    changed: dict[str, set] = {}
    for component in events:
        if "RECURRENCE-ID" in component:
            uid = str(component.get("UID", ""))
            changed.setdefault(uid, set()).add(_instant(component.decoded("RECURRENCE-ID"), local))
    return changed


def _length(component, start):
    if "DTEND" in component:
        return component.decoded("DTEND") - start
    if "DURATION" in component:
        return component.decoded("DURATION")
    return None if isinstance(start, datetime.datetime) else datetime.timedelta(days=1)


def _event(component, start, length, local, recurring=False):
    if isinstance(start, datetime.datetime):
        start = (start if start.tzinfo else start.replace(tzinfo=local)).astimezone(local)
    end = start + length if length is not None else None
    attendees = [_person(a) for a in _as_list(component.get("ATTENDEE"))]
    organiser = _person(component["ORGANIZER"]) if "ORGANIZER" in component else None
    return Event(
        uid=str(component.get("UID", "")).strip()[:250],
        start=start,
        end=end,
        title=str(component.get("SUMMARY", "")).strip(),
        location=str(component.get("LOCATION", "")).strip(),
        attendees=[a for a in attendees if a.name or a.email],
        organiser=organiser,
        status=str(component.get("STATUS", "")).upper(),
        privacy=str(component.get("CLASS", "")).upper(),
        busy_status=str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper(),
        recurring=recurring or "RECURRENCE-ID" in component,
    )


def _person(value):
    address = str(value)
    email = address[7:] if address.lower().startswith("mailto:") else ""
    params = getattr(value, "params", {})
    name = str(params.get("CN", "")).strip().strip('"')
    if name.lower() == email.lower():
        name = ""
    declined = str(params.get("PARTSTAT", "")).upper() == "DECLINED"
    return Attendee(name=name, email=email.strip(), declined=declined)


def _as_list(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time.min)


def _like(when, begin):
    """`when` (a date or datetime of RDATE or EXDATE) comparable with `begin`."""
    if not isinstance(when, datetime.datetime):
        when = datetime.datetime.combine(when, begin.time(), begin.tzinfo)
    if begin.tzinfo is None:
        return when.replace(tzinfo=None)
    return when if when.tzinfo else when.replace(tzinfo=begin.tzinfo)


def _instant(when, local):
    if isinstance(when, datetime.datetime):
        aware = when if when.tzinfo else when.replace(tzinfo=local)
        return aware.astimezone(datetime.UTC)
    return when


def _sort_key(start, local):
    if isinstance(start, datetime.datetime):
        return start
    return datetime.datetime.combine(start, datetime.time.min, local)


def _overlaps(event, window, local):
    """True when the event starts in the window (an all-day one: its day is in it)."""
    return window[0] <= _sort_key(event.start, local) < window[1]


# Writing a feed.


def feed_response(name, events):
    """A calendar of all-day `events` ((uid, day, title, description, url)) as a response
    that calendar clients subscribe to; kept by no shared cache."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//KM Tracker//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    for uid, day, title, description, url in events:
        event = icalendar.Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + datetime.timedelta(days=1))
        event.add("summary", title)
        event.add("transp", "TRANSPARENT")
        if description:
            event.add("description", description)
        if url:
            event.add("url", url)
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = 'inline; filename="km-tracker.ics"'
    return response
