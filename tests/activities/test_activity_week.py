"""The week view: my activities day by day, quick rows for several at once, repeat on dates."""

import datetime

import pytest

from activities.models import Activity
from tests import factories

pytestmark = pytest.mark.django_db

WEEK = "/teams/bristol/activities/week/?week=2026-03-11"  # any day: its week from Monday 9th


def _token(page, name="submission"):
    form = page.context["token"] if name == "submission" else page.context["repeat"]
    return form["submission"].value()


def test_it_shows_my_activities_of_the_week_by_day(client_for, team, broker):
    mine = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, title="Mine", date=datetime.date(2026, 3, 10)
    )
    factories.ActivityFactory(
        team=team,
        lead_broker=factories.BrokerFactory(team=team),
        title="A colleague's",
        date=datetime.date(2026, 3, 10),
    )
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="Next week's",
        date=datetime.date(2026, 3, 16),
    )

    page = client_for(broker).get(WEEK)

    days = page.context["days"]
    assert [day for day, _, _ in days][0] == datetime.date(2026, 3, 9)
    assert {str(day): [a.title for a in logged] for day, logged, _ in days if logged} == {
        "2026-03-10": [mine.title]
    }


def _week_rows(client, team, **rows):
    """What the week's form posts: its token, and each row `d<n>-<field>` given."""
    page = client.get(WEEK)
    meeting = factories.activity_type(team, "Meeting attended")
    data = {"action": "week", "submission": _token(page)}
    for name, value in rows.items():
        data[name.replace("_", "-", 1)] = meeting.pk if value == "meeting" else value
    return data


def test_quick_rows_log_several_activities_at_once_and_only_once(client_for, team, broker):
    client = client_for(broker)
    data = _week_rows(
        client,
        team,
        d0_title="ICB planning meeting",
        d0_activity_type="meeting",
        d0_duration_minutes="60",
        d3_title="Catch-up with public health",
        d3_activity_type="meeting",
    )

    assert client.post(WEEK, data).status_code == 302
    client.post(WEEK, data)  # sent twice: still once

    logged = Activity.objects.filter(team=team).order_by("date")
    assert [(str(a.date), a.title, a.duration_minutes, a.category) for a in logged] == [
        ("2026-03-09", "ICB planning meeting", 60, "relationship_building"),
        ("2026-03-12", "Catch-up with public health", None, "relationship_building"),
    ]
    assert all(a.lead_broker == broker.broker_profile and a.history.count() == 1 for a in logged)


def test_a_row_without_a_type_saves_nothing(client_for, team, broker):
    client = client_for(broker)
    data = _week_rows(client, team, d0_title="Fine", d0_activity_type="meeting", d1_title="No type")

    response = client.post(WEEK, data)

    assert response.status_code == 200
    assert not Activity.objects.exists()


def test_repeat_on_dates_logs_one_activity_on_each_date(client_for, team, broker):
    client = client_for(broker)
    page = client.get(WEEK)
    seminar = factories.activity_type(team, "Seminar delivered")
    data = {
        "action": "repeat",
        "repeat-submission": _token(page, "repeat"),
        "repeat-title": "Evidence surgery",
        "repeat-activity_type": seminar.pk,
        "repeat-duration_minutes": "90",
        "repeat-dates": "2026-03-04, 2026-04-01\n2026-05-06 2026-03-04",
    }

    assert client.post(WEEK, data).status_code == 302

    logged = Activity.objects.filter(team=team, title="Evidence surgery").order_by("date")
    assert [str(a.date) for a in logged] == ["2026-03-04", "2026-04-01", "2026-05-06"]
    assert {a.duration_minutes for a in logged} == {90}


def test_repeat_refuses_a_date_it_cannot_read(client_for, team, broker):
    client = client_for(broker)
    seminar = factories.activity_type(team, "Seminar delivered")
    data = {
        "action": "repeat",
        "repeat-title": "Evidence surgery",
        "repeat-activity_type": seminar.pk,
        "repeat-dates": "2026-03-04, 4th April",
    }

    response = client.post(WEEK, data)

    assert "these are not: 4th, April" in response.content.decode()
    assert not Activity.objects.exists()
