"""Activities from an uploaded calendar: reading real-world files, the review, logging once."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from activities.calendar_import import candidates, event_key, log_events
from activities.models import Activity, ImportedEvent
from kmtracker.lib.calendars import read_events
from kmtracker.lib.tables import MAX_BYTES
from teams.tenancy import team_access
from tests import factories
from tests.activities.calendars import attendee, calendar, event

pytestmark = pytest.mark.django_db

MARCH = (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
BROKER_EMAIL = "bea.broker@bristol.ac.uk"

WEEKLY = "\n".join(
    [
        event(
            "040000008200E00074C5B7101A82E008000000001",
            "20260302T100000",
            "20260302T110000",
            "Frailty pathway meeting",
            "RRULE:FREQ=WEEKLY;UNTIL=20260330T090000Z;INTERVAL=1;BYDAY=MO;WKST=MO",
            'EXDATE;TZID="GMT Standard Time":20260316T100000',
            f"ORGANIZER;CN=Bea Broker:mailto:{BROKER_EMAIL}",
            attendee("Siobhán O'Brien", "Siobhan.OBrien@nhs.net"),
            "LOCATION:Microsoft Teams Meeting",
            "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
        ),
        event(
            "040000008200E00074C5B7101A82E008000000001",
            "20260324T140000",
            "20260324T150000",
            "Frailty pathway meeting (moved)",
            'RECURRENCE-ID;TZID="GMT Standard Time":20260323T100000',
            attendee("Siobhán O'Brien", "Siobhan.OBrien@nhs.net"),
        ),
    ]
)
GOOGLE = event(
    "7kq1c2@google.com",
    "20260311T130000Z",
    "20260311T143000Z",
    "Webinar: evidence for commissioners",
    attendee("Dr Ayesha Brennan"),
    attendee("", "someone.else@gmail.com"),
)
OTHERS = [
    event("leave-1", "20260312", "20260313", "Annual leave", "X-MICROSOFT-CDO-BUSYSTATUS:OOF"),
    event(
        "cancel-1",
        "20260313T090000",
        "20260313T100000",
        "Cancelled: Bid planning",
        "STATUS:CANCELLED",
    ),
    event(
        "declined-1",
        "20260317T090000",
        "20260317T100000",
        "ICB board",
        attendee("Bea Broker", BROKER_EMAIL, partstat="DECLINED"),
    ),
    event("private-1", "20260317T160000", "20260317T170000", "Dentist", "CLASS:PRIVATE"),
    event("busy-1", "20260318T160000", "20260318T170000", "Busy"),
    event("conf-1", "20260318", "20260319", "Health services research conference"),
    event(
        "bid-1",
        "20260319T090000",
        "20260319T110000",
        "Bid writing session",
        attendee("José Núñez", "jose.nunez@uni.example.ac.uk"),
    ),
    event("april-1", "20260415T090000", "20260415T100000", "Seminar in April"),
]


def month_file():
    return calendar(WEEKLY, GOOGLE, *OTHERS)


@pytest.fixture
def people(team, broker):
    broker.email = BROKER_EMAIL
    broker.save()
    trust = factories.OrganisationFactory(name="North Bristol NHS Trust")
    university = factories.OrganisationFactory(name="University of Bristol")
    return {
        "siobhan": factories.ContactFactory(
            team=team, name="Siobhán O'Brien", email="siobhan.obrien@nhs.net", organisation=trust
        ),
        "ayesha": factories.ContactFactory(
            team=team, name="Ayesha Brennan", organisation=university
        ),
    }


def _read():
    return read_events(month_file(), *MARCH, "Europe/London")


def test_it_expands_a_weekly_outlook_meeting_with_its_exceptions_in_local_time():
    weekly = [e for e in _read() if e.uid.startswith("0400")]

    assert [(e.start.isoformat(), e.title) for e in weekly] == [
        ("2026-03-02T10:00:00+00:00", "Frailty pathway meeting"),
        ("2026-03-09T10:00:00+00:00", "Frailty pathway meeting"),
        # 16 March is excluded; 23 March was moved to the 24th.
        ("2026-03-24T14:00:00+00:00", "Frailty pathway meeting (moved)"),
        # After the clocks change: still 10:00 in London, 09:00 UTC.
        ("2026-03-30T10:00:00+01:00", "Frailty pathway meeting"),
    ]
    assert weekly[-1].start_key == "20260330T090000Z"
    assert {e.duration_minutes for e in weekly} == {60}


def test_it_reads_google_utc_times_and_all_day_events():
    events = {e.uid: e for e in _read()}

    webinar = events["7kq1c2@google.com"]
    assert webinar.start.isoformat() == "2026-03-11T13:00:00+00:00"
    assert webinar.duration_minutes == 90
    conference = events["conf-1"]
    assert conference.all_day and conference.date == datetime.date(2026, 3, 18)
    assert conference.duration_minutes is None
    assert "april-1" not in events  # outside the range


def test_it_reads_a_windows_time_zone_without_its_vtimezone():
    content = calendar(
        event("w-1", "20260610T100000", "20260610T113000", "Meeting", tz="W. Europe Standard Time"),
        timezone=False,
    )

    (found,) = read_events(content, datetime.date(2026, 6, 1), datetime.date(2026, 6, 30), "UTC")

    assert found.start.isoformat() == "2026-06-10T08:00:00+00:00"  # 10:00 in Berlin's summer
    assert found.duration_minutes == 90


def test_it_leaves_out_cancelled_declined_private_free_busy_and_out_of_office(team, broker, people):
    access = team_access(broker, team.slug)

    found = {c.event.uid: c for c in candidates(access, _read())}

    assert {uid: c.left_out for uid, c in found.items() if c.left_out} == {
        "leave-1": "out of office",
        "cancel-1": "cancelled",
        "declined-1": "declined",
        "private-1": "private",
        "busy-1": "free/busy only",
    }
    assert found["conf-1"].kept_by_default  # an all-day event that is not leave


def test_it_matches_attendees_by_email_and_by_name_with_their_organisations(team, broker, people):
    access = team_access(broker, team.slug)

    found = {c.event.title: c for c in candidates(access, _read())}

    weekly = found["Frailty pathway meeting (moved)"]
    assert weekly.contacts == [(people["siobhan"], "by e-mail")]
    assert [o.name for o in weekly.organisations] == ["North Bristol NHS Trust"]
    webinar = found["Webinar: evidence for commissioners"]
    assert webinar.contacts == [(people["ayesha"], "by name")]
    assert webinar.unmatched == ["someone.else@gmail.com"]
    assert found["Bid writing session"].unmatched == ["José Núñez"]


def test_it_suggests_a_type_from_the_words_of_the_title(team, broker, people):
    access = team_access(broker, team.slug)

    found = {c.event.title: c.activity_type.name for c in candidates(access, _read())}

    assert found["Webinar: evidence for commissioners"] == "Seminar delivered"
    assert found["Bid writing session"] == "Bid drafting"
    assert found["Frailty pathway meeting"] == "Meeting attended"
    assert found["Health services research conference"] == "Meeting attended"  # no word


def _upload(client, content=None, first="2026-03-01", last="2026-03-31"):
    url = "/teams/bristol/activities/calendar/"
    file = SimpleUploadedFile("calendar.ics", content or month_file(), "text/calendar")
    return client.post(url, {"file": file, "date_from": first, "date_to": last})


def _review_data(page, keep):
    """What the review form posts with the events titled in `keep` ticked."""
    form = page.context["form"]
    data = {
        "upload": page.context["token"],
        "from": "2026-03-01",
        "to": "2026-03-31",
        "submission": form["submission"].value(),
    }
    for candidate, fields in form.rows():
        if fields is None:
            continue
        if candidate.event.title in keep:
            data[fields[0].html_name] = "on"
        data[fields[1].html_name] = fields[1].value()
        data[fields[2].html_name] = fields[2].value()
    return data


def test_it_logs_the_ticked_events_at_once_with_history_and_adds_nothing_twice(
    client_for, team, broker, people
):
    client = client_for(broker)
    review = client.get(_upload(client)["Location"])
    assert review.status_code == 200
    keep = {"Frailty pathway meeting", "Webinar: evidence for commissioners", "Bid writing session"}
    data = _review_data(review, keep)

    response = client.post(review.request["PATH_INFO"], data)

    assert response.status_code == 302
    logged = Activity.objects.filter(team=team).order_by("date", "pk")
    # Two occurrences of the weekly meeting in the range keep its title; the moved one differs.
    assert [(str(a.date), a.title, a.duration_minutes) for a in logged] == [
        ("2026-03-02", "Frailty pathway meeting", 60),
        ("2026-03-09", "Frailty pathway meeting", 60),
        ("2026-03-11", "Webinar: evidence for commissioners", 90),
        ("2026-03-19", "Bid writing session", 120),
        ("2026-03-30", "Frailty pathway meeting", 60),
    ]
    first = logged[0]
    assert first.lead_broker == broker.broker_profile
    assert list(first.contacts.all()) == [people["siobhan"]]
    assert [o.name for o in first.organisations.all()] == ["North Bristol NHS Trust"]
    assert first.activity_type.name == "Meeting attended"
    assert first.history.count() == 1
    assert ImportedEvent.objects.filter(team=team).count() == 5

    # The same form sent again, then the same file uploaded again: nothing new.
    client.post(review.request["PATH_INFO"], data)
    again = client.get(_upload(client)["Location"])
    assert Activity.objects.filter(team=team).count() == 5
    already = [c.event.title for c, fields in again.context["form"].rows() if fields is None]
    assert sorted(already) == sorted(
        ["Frailty pathway meeting"] * 3
        + ["Webinar: evidence for commissioners", "Bid writing session"]
    )


def test_a_type_of_another_category_is_refused_and_nothing_is_saved(
    client_for, team, broker, people
):
    client = client_for(broker)
    review = client.get(_upload(client)["Location"])
    data = _review_data(review, {"Bid writing session"})
    bid = next(
        c for c in review.context["form"].candidates if c.event.title == "Bid writing session"
    )
    data[f"category-{bid.key}"] = "awareness_raising"

    response = client.post(review.request["PATH_INFO"], data)

    assert response.status_code == 200
    assert "is a type of collaborative project" in response.content.decode()
    assert not Activity.objects.filter(team=team).exists()
    assert not ImportedEvent.objects.exists()


def test_an_event_logged_meanwhile_is_skipped_and_the_others_logged(
    client_for, team, broker, people
):
    client = client_for(broker)
    review = client.get(_upload(client)["Location"])
    data = _review_data(review, {"Bid writing session", "Webinar: evidence for commissioners"})
    bid = next(
        c for c in review.context["form"].candidates if c.event.title == "Bid writing session"
    )
    ImportedEvent.objects.create(team=team, uid=bid.event.uid, start=bid.event.start_key)

    response = client.post(review.request["PATH_INFO"], data)

    assert response.status_code == 302
    titles = list(Activity.objects.filter(team=team).values_list("title", flat=True))
    assert titles == ["Webinar: evidence for commissioners"]


MINUTELY = event(
    "many", "20260301T090000", "20260301T090100", "Tick", "RRULE:FREQ=MINUTELY;COUNT=5000"
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,community\nAyesha,research\n", "does not start with BEGIN:VCALENDAR"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (b"BEGIN:VCALENDAR\r\n" + b"X" * (MAX_BYTES + 1), "calendar files of up to 5 MB"),
        (calendar(MINUTELY), "more than 1,000 events"),
        (b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20260302T100000\r\n", "cut short"),
        (calendar(event("x", "notadate", "20260302T100000", "Broken")), "cannot be read (x)"),
    ],
    ids=["not-icalendar", "binary", "too-large", "too-many-events", "cut-short", "broken"],
)
def test_a_bad_file_gets_a_clear_message_and_saves_nothing(
    client_for, team, broker, content, message
):
    client = client_for(broker)

    response = _upload(client, content)

    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert message in errors, errors
    assert not Activity.objects.exists()


def test_event_keys_are_stable_and_name_uid_and_start():
    (one, two) = [e for e in _read() if e.uid.startswith("0400")][:2]

    assert event_key(one) != event_key(two)
    assert re.fullmatch(r"[0-9a-f]{16}", event_key(one))


def test_an_event_logged_by_another_upload_meanwhile_saves_none_of_the_chosen(team, broker, people):
    access = team_access(broker, team.slug)
    found = [c for c in candidates(access, _read()) if c.kept_by_default]
    chosen = [(c, c.activity_type, c.activity_type.category) for c in found]
    # Another upload logged the last one between this review and its saving.
    ImportedEvent.objects.create(
        team=team, uid=found[-1].event.uid, start=found[-1].event.start_key
    )

    with pytest.raises(IntegrityError):
        log_events(access, chosen)

    assert not Activity.objects.exists()
    assert ImportedEvent.objects.count() == 1


def test_it_reads_an_apple_calendar_with_iana_time_zones():
    apple = calendar(
        event(
            "A1B2C3D4-apple",
            "20260707T093000",
            "20260707T103000",
            "Réunion de l’équipe",
            "RRULE:FREQ=DAILY;COUNT=3",
            tz="Europe/Paris",
        ),
        prodid="-//Apple Inc.//macOS 15.5//EN",
        timezone=False,
    )

    found = read_events(
        apple, datetime.date(2026, 7, 1), datetime.date(2026, 7, 31), "Europe/London"
    )

    assert [e.start.isoformat() for e in found] == [
        "2026-07-07T08:30:00+01:00",
        "2026-07-08T08:30:00+01:00",
        "2026-07-09T08:30:00+01:00",
    ]
    assert found[0].title == "Réunion de l’équipe"
