"""A month of a broker's calendar logged in a real browser: upload the .ics export, review the
events (contacts matched by e-mail, leave and cancelled meetings left out), adjust one type,
log eight meetings in one go; the same file again adds nothing; and a review where only
three of them are kept."""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, Contact
from tests.activities.calendars import attendee, calendar, event
from tests.browser.conftest import label

pytestmark = pytest.mark.browser

MEETINGS = [
    "ICB frailty programme board",
    "Call with the falls prevention team",
    "Evidence review meeting",
    "Introductions: public health and the ARC",
    "Webinar: using local data",
    "Bid planning with the university",
    "Discharge pathway meeting",
    "Catch-up with the maternity commissioners",
]


def month_of_calendar(team, today):
    """An Outlook export of the last four weeks: the eight meetings, each with a contact of
    the team by e-mail and a stranger, a cancelled meeting and a day of leave."""
    contacts = list(Contact.objects.for_team(team).active().exclude(email="").order_by("pk")[:8])
    events = []
    for n, title in enumerate(MEETINGS):
        day = today - datetime.timedelta(days=3 + 3 * n)
        stamp = f"{day:%Y%m%d}"
        events.append(
            event(
                f"journey-{n}@outlook.example",
                f"{stamp}T100000",
                f"{stamp}T113000",
                title,
                attendee(contacts[n].name, contacts[n].email.upper()),
                attendee("Zoë Ångström", f"zoe{n}@example.org"),
            )
        )
    leave = today - datetime.timedelta(days=5)
    events.append(
        event(
            "leave@outlook.example",
            f"{leave:%Y%m%d}",
            f"{leave + datetime.timedelta(days=1):%Y%m%d}",
            "Annual leave",
            "X-MICROSOFT-CDO-BUSYSTATUS:OOF",
        )
    )
    cancelled = today - datetime.timedelta(days=7)
    events.append(
        event(
            "cancelled@outlook.example",
            f"{cancelled:%Y%m%d}T140000",
            f"{cancelled:%Y%m%d}T150000",
            "Cancelled: steering group",
            "STATUS:CANCELLED",
        )
    )
    return calendar(*events), contacts


def _upload(page, team, content):
    page.goto(f"/teams/{team.slug}/activities/")
    page.get_by_role("link", name="From my calendar").click()
    page.get_by_label(label("Calendar file (.ics)")).set_input_files(
        {"name": "calendar.ics", "mimeType": "text/calendar", "buffer": content}
    )
    page.get_by_role("button", name="Read the calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review the events to log")


def test_a_broker_logs_a_month_of_meetings_from_their_calendar(new_context, demo):
    team = demo.team
    content, contacts = month_of_calendar(team, timezone.localdate())
    before = Activity.objects.for_team(team).count()
    page = new_context("broker").new_page()

    started = time.monotonic()
    _upload(page, team, content)
    rows = page.get_by_test_id("event-row")
    expect(rows).to_have_count(10)
    expect(page.get_by_test_id("left-out")).to_have_count(2)
    expect(page.get_by_test_id("matched")).to_have_count(8)
    page.get_by_label("Type of “Webinar: using local data”").select_option(label="Presentation")
    page.get_by_role("button", name="Log the ticked events").click()
    expect(page.get_by_role("status").filter(has_text="Logged 8 activities")).to_be_visible()
    elapsed = time.monotonic() - started

    logged = Activity.objects.for_team(team).filter(title__in=MEETINGS)
    assert Activity.objects.for_team(team).count() == before + 8
    assert sorted(a.title for a in logged) == sorted(MEETINGS)
    by_title = {a.title: a for a in logged}
    for n, title in enumerate(MEETINGS):
        assert list(by_title[title].contacts.all()) == [contacts[n]]
        assert by_title[title].duration_minutes == 90
    assert by_title["Webinar: using local data"].activity_type.name == "Presentation"
    assert elapsed < 60, f"took {elapsed:.1f} s"
    # Steps: open "From my calendar", choose the file, read it, change one type, log them.
    print(f"\nA month of calendar, eight meetings logged: 5 steps in {elapsed:.1f} s")

    # The same file again: every meeting is marked as logged, nothing is ticked.
    _upload(page, team, content)
    expect(page.get_by_test_id("already")).to_have_count(8)
    assert Activity.objects.for_team(team).count() == before + 8


def test_a_broker_keeps_three_of_the_events(new_context, demo):
    team = demo.team
    content, _contacts = month_of_calendar(team, timezone.localdate())
    before = Activity.objects.for_team(team).count()
    page = new_context("broker").new_page()

    _upload(page, team, content)
    for title in MEETINGS[3:]:
        page.get_by_label(f"Log “{title}”").uncheck()
    page.get_by_role("button", name="Log the ticked events").click()

    expect(page.get_by_role("status").filter(has_text="Logged 3 activities")).to_be_visible()
    new = Activity.objects.for_team(team).exclude(pk__lte=0).order_by("-pk")[:3]
    assert Activity.objects.for_team(team).count() == before + 3
    assert sorted(a.title for a in new) == sorted(MEETINGS[:3])
