"""Events are the activities of the types a team counts as events.

On the log of tests/evaluations/quarter_fixture.py the events of 2025/26 Q2 are
A4 (Presentation, online, 25 attendees) and A7 (Seminar delivered, academic, 12);
the previous quarter's, A3 (Seminar delivered, academic, 40). Columns: this
quarter, previous quarter, year to date.

Added here, in Q2: A9, a Network event (a type of relationship building, an
event by default) on 10 Aug 2025, academic, 30 attendees; A10, a Newsletter or
blog (awareness raising, not an event) on 12 Aug 2025, online, 500 "attendees".

    events     2+1 = 3 this quarter, 1 before, 4 the year to date
    academic   A7 A9 = 2, A3 = 1, 3
    online     A4 = 1, 0, 1 (A10 is not an event)
    attendees  25+12+30 = 67, 40, 107
"""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from activities.models import ActivityType, Setting
from bench.reference import app_figures, differences, report_figures
from evaluations.reports.computation import compute_figures
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.quarters import Quarter
from teams.tenancy import TeamAccess
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = pytest.mark.django_db

Q2 = Quarter(2025, 2)


def figures(team, lead):
    computed = compute_figures(TeamAccess(team, lead, "lead"), ReportPeriods.for_quarter(Q2))
    return {row.key: row.values for _title, row in computed.rows()}


@pytest.fixture
def log(team, lead, broker, other_team):
    built = build_logbook(team, lead, broker, other_team)
    for title, day, type_name, setting, attendees in [
        ("A9", datetime.date(2025, 8, 10), "Network event", Setting.ACADEMIC, 30),
        ("A10", datetime.date(2025, 8, 12), "Newsletter or blog", Setting.ONLINE, 500),
    ]:
        factories.ActivityFactory(
            team=team,
            title=title,
            date=day,
            activity_type=factories.activity_type(team, type_name),
            lead_broker=built.lee,
            setting=setting,
            attendees=attendees,
        )
    return built


def test_the_default_vocabulary_says_which_types_are_events(team):
    events = set(
        ActivityType.objects.filter(team=team, is_event=True).values_list("name", flat=True)
    )
    assert events == {"Network event", "Seminar delivered", "Presentation"}


def test_events_and_attendees_count_the_event_types(log, team, lead):
    values = figures(team, lead)

    assert values["events.total"] == (3, 1, 4)
    assert values["events.academic"] == (2, 1, 3)
    assert values["events.online"] == (1, 0, 1)
    assert values["attendees.total"] == (67, 40, 107)
    assert values["attendees.online"] == (25, 0, 25)


def test_a_type_the_team_unmarks_is_no_longer_counted(log, team, lead):
    ActivityType.objects.filter(team=team, name="Seminar delivered").update(is_event=False)

    values = figures(team, lead)

    assert values["events.total"] == (2, 0, 2)  # A4 A9 | - | A4 A9
    assert values["attendees.total"] == (55, 0, 55)


def test_a_lead_marks_a_type_as_an_event_in_team_settings(client_for, team, lead):
    newsletter = ActivityType.objects.get(team=team, name="Newsletter or blog")
    edit_url = reverse("team_settings:type_edit", kwargs={"team": team.slug, "pk": newsletter.pk})

    page = client_for(lead).get(edit_url)
    response = client_for(lead).post(
        edit_url,
        {
            "category": newsletter.category,
            "name": newsletter.name,
            "is_event": "on",
            "is_active": "on",
            "version": newsletter.version,
        },
    )

    assert 'name="is_event"' in page.content.decode()
    assert response.status_code == 302
    newsletter.refresh_from_db()
    assert newsletter.is_event is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="hand-written PostgreSQL")
def test_the_hand_written_statement_counts_the_same_events(log, team, lead):
    periods = ReportPeriods.for_quarter(Q2)
    app, app_months = app_figures(compute_figures(TeamAccess(team, lead, "lead"), periods))
    hand, hand_months = report_figures(connection, team.pk, periods)

    assert differences(app, hand) == {}
    assert differences(app_months, hand_months) == {}


# Attendance not recorded (blank) is not attendance of 0.


def test_events_whose_attendance_was_not_recorded_are_counted_apart(log, team, lead):
    # Two more seminars in Q2: one nobody came to (0), one whose count was not recorded.
    for title, attendees in [("A11", 0), ("A12", None)]:
        factories.ActivityFactory(
            team=team,
            title=title,
            date=datetime.date(2025, 9, 1),
            activity_type=factories.activity_type(team, "Seminar delivered"),
            lead_broker=log.lee,
            setting=Setting.ACADEMIC,
            attendees=attendees,
        )

    values = figures(team, lead)

    assert values["events.total"] == (5, 1, 6)  # A4 A7 A9 A11 A12 | A3
    assert values["attendees.total"] == (67, 40, 107)  # 0 and blank add nothing
    assert values["attendees.not_recorded"] == (1, 0, 1)  # A12 only


def test_no_row_of_attendance_not_recorded_when_every_event_has_its_count(log, team, lead):
    assert "attendees.not_recorded" not in figures(team, lead)


def test_the_form_tells_blank_attendance_from_none(client_for, team, broker):
    page = client_for(broker).get(reverse("activities:activity_add", kwargs={"team": team.slug}))

    assert "Leave it blank when the number was not recorded" in page.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="hand-written PostgreSQL")
def test_the_hand_written_statement_counts_the_same_attendance_not_recorded(log, team, lead):
    factories.ActivityFactory(
        team=team,
        date=datetime.date(2025, 9, 1),
        activity_type=factories.activity_type(team, "Seminar delivered"),
        lead_broker=log.lee,
        attendees=None,
    )
    periods = ReportPeriods.for_quarter(Q2)
    app, _months = app_figures(compute_figures(TeamAccess(team, lead, "lead"), periods))
    hand, _hand_months = report_figures(connection, team.pk, periods)

    assert app["attendees.not_recorded"] == (1, 0, 1)
    assert differences(app, hand) == {}
