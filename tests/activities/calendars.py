"""Calendar files as Outlook, Google Calendar and Apple Calendar export them, made in the tests."""

OUTLOOK_TIMEZONE = """BEGIN:VTIMEZONE
TZID:GMT Standard Time
BEGIN:STANDARD
DTSTART:16011028T020000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
TZOFFSETFROM:+0100
TZOFFSETTO:-0000
END:STANDARD
BEGIN:DAYLIGHT
DTSTART:16010325T010000
RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
TZOFFSETFROM:-0000
TZOFFSETTO:+0100
END:DAYLIGHT
END:VTIMEZONE"""


def calendar(*events, prodid="-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN", timezone=True):
    """The bytes of a VCALENDAR holding `events` (VEVENT texts), with CRLF line ends."""
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", "METHOD:PUBLISH"]
    if timezone:
        parts.append(OUTLOOK_TIMEZONE)
    parts += [*events, "END:VCALENDAR"]
    return ("\r\n".join("\n".join(parts).splitlines()) + "\r\n").encode("utf-8")


def event(uid, start, end, title, *lines, tz="GMT Standard Time"):
    """A VEVENT; `start` and `end` as 20260310T100000 (local to `tz`), ...Z (UTC), or
    8 digits for an all-day event."""

    def when(name, value):
        if len(value) == 8:
            return f"{name};VALUE=DATE:{value}"
        if value.endswith("Z") or tz is None:
            return f"{name}:{value}"
        return f'{name};TZID="{tz}":{value}'

    return "\n".join(
        [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            "DTSTAMP:20260401T080000Z",
            when("DTSTART", start),
            when("DTEND", end),
            f"SUMMARY:{title}",
            *lines,
            "END:VEVENT",
        ]
    )


def attendee(name, email=None, partstat="ACCEPTED"):
    address = f"mailto:{email}" if email else "invalid:nomail"
    cn = f';CN="{name}"' if name else ""
    return f"ATTENDEE{cn};ROLE=REQ-PARTICIPANT;PARTSTAT={partstat}:{address}"
