"""Follow-ups as tasks: the dashboard's week and overdue, done, snoozed, the page and its file."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Activity
from tests import factories
from tests.activities.downloads import csv_records

pytestmark = pytest.mark.django_db

# Wednesday 4 June 2025: its week runs to Sunday 8 June.
TODAY = "2025-06-04"


def day(text):
    return datetime.date.fromisoformat(text)


def follow_up(team, user, title, on, **fields):
    return factories.ActivityFactory(
        team=team, lead_broker=user.broker_profile, title=title, follow_up_date=day(on), **fields
    )


def url(name, team, *args):
    return reverse(f"activities:{name}", args=[team.slug, *args])


@pytest.fixture
def week(team, broker, lead):
    """The broker's follow-ups around TODAY, and one of the lead's."""
    return {
        "old": follow_up(team, broker, "Old overdue", "2025-01-10"),
        "recent": follow_up(team, broker, "Recent overdue", "2025-06-02"),
        "today": follow_up(team, broker, "Due today", "2025-06-04"),
        "sunday": follow_up(team, broker, "Due Sunday", "2025-06-08"),
        "next_week": follow_up(team, broker, "Next week", "2025-06-09"),
        "leads": follow_up(team, lead, "The lead's", "2025-06-03"),
    }


@freeze_time(TODAY)
def test_the_dashboard_shows_this_weeks_and_the_overdue_newest_first_with_years(
    client_for, team, broker, week
):
    response = client_for(broker).get(reverse("team_dashboard", args=[team.slug]))

    context = response.context
    assert [a.title for a in context["this_week"]] == ["Due today", "Due Sunday"]
    assert [a.title for a in context["overdue"]] == ["Recent overdue", "Old overdue"]
    assert (context["this_week_count"], context["overdue_count"]) == (2, 2)
    page = response.content.decode()
    page = page[page.index('data-testid="follow-ups"') :]
    assert "Fri 10 Jan 2025 (overdue)" in page and "Sun 8 Jun 2025</small>" in page
    assert "Next week" not in page and "The lead&#x27;s" not in page
    assert url("follow_up_list", team) in page  # see all


@freeze_time(TODAY)
def test_the_dashboard_counts_more_than_it_lists(client_for, team, broker):
    for number in range(7):
        follow_up(team, broker, f"Overdue {number}", f"2025-05-0{number + 1}")

    context = client_for(broker).get(reverse("team_dashboard", args=[team.slug])).context

    assert context["overdue_count"] == 7
    assert [a.title for a in context["overdue"]] == [f"Overdue {n}" for n in (6, 5, 4, 3, 2)]


@freeze_time(TODAY)
def test_done_records_who_and_when_and_leaves_the_lists(client_for, team, broker, week):
    client = client_for(broker)
    dashboard = reverse("team_dashboard", args=[team.slug])

    response = client.post(url("follow_up_done", team, week["recent"].pk), {"next": dashboard})

    assert response.status_code == 302 and response["Location"] == dashboard
    done = Activity.objects.get(pk=week["recent"].pk)
    assert done.follow_up_done_by == broker
    assert done.follow_up_done_at.isoformat().startswith("2025-06-04")
    assert done.history.order_by("-history_id").first().history_change_reason == "Follow-up done"
    context = client.get(dashboard).context
    assert [a.title for a in context["overdue"]] == ["Old overdue"]


@freeze_time(TODAY)
def test_snooze_moves_the_follow_up_to_a_later_day(client_for, team, broker, week):
    client = client_for(broker)

    client.post(url("follow_up_snooze", team, week["today"].pk), {"until": "2025-06-20"})

    snoozed = Activity.objects.get(pk=week["today"].pk)
    assert snoozed.follow_up_date == day("2025-06-20")
    assert (
        snoozed.history.order_by("-history_id").first().history_change_reason
        == "Follow-up snoozed from 2025-06-04"
    )
    context = client.get(reverse("team_dashboard", args=[team.slug])).context
    assert [a.title for a in context["this_week"]] == ["Due Sunday"]


@freeze_time(TODAY)
def test_a_snooze_to_today_or_before_is_refused(client_for, team, broker, week):
    response = client_for(broker).post(
        url("follow_up_snooze", team, week["today"].pk), {"until": "2025-06-04"}, follow=True
    )

    assert Activity.objects.get(pk=week["today"].pk).follow_up_date == day("2025-06-04")
    assert "Snooze to a day after today." in response.content.decode()


@freeze_time(TODAY)
def test_a_broker_may_not_close_another_brokers_follow_up(client_for, team, broker, week):
    response = client_for(broker).post(url("follow_up_done", team, week["leads"].pk))

    assert response.status_code == 403
    assert Activity.objects.get(pk=week["leads"].pk).follow_up_done_at is None


@freeze_time(TODAY)
def test_the_page_lists_a_brokers_own_open_follow_ups(client_for, team, broker, week):
    week["old"].mark_follow_up_done(broker)

    response = client_for(broker).get(url("follow_up_list", team))

    assert [a.title for a in response.context["object_list"]] == [
        "Next week",
        "Due Sunday",
        "Due today",
        "Recent overdue",
    ]
    assert "whose" not in response.context["filter"].form.fields


@freeze_time(TODAY)
def test_a_lead_sees_the_teams_follow_ups_when_asked(client_for, team, lead, week):
    client = client_for(lead)

    mine = client.get(url("follow_up_list", team)).context["object_list"]
    teams = client.get(url("follow_up_list", team), {"whose": "team"}).context["object_list"]

    assert [a.title for a in mine] == ["The lead's"]
    assert len(teams) == 6


@freeze_time(TODAY)
def test_a_broker_cannot_ask_for_the_teams(client_for, team, broker, week):
    listed = client_for(broker).get(url("follow_up_list", team), {"whose": "team"})

    assert "The lead's" not in [a.title for a in listed.context["object_list"]]


@freeze_time(TODAY)
@pytest.mark.parametrize(
    ("state", "titles"),
    [
        ("overdue", ["Recent overdue"]),
        ("this_week", ["Due today", "Due Sunday"]),
        ("done", ["Old overdue"]),
        ("all", ["Next week", "Due Sunday", "Due today", "Recent overdue", "Old overdue"]),
    ],
)
def test_the_page_filters_by_state(client_for, team, broker, week, state, titles):
    week["old"].mark_follow_up_done(broker)

    listed = client_for(broker).get(url("follow_up_list", team), {"state": state})

    assert sorted(a.title for a in listed.context["object_list"]) == sorted(titles)


@freeze_time(TODAY)
def test_the_page_filters_by_due_dates(client_for, team, broker, week):
    listed = client_for(broker).get(
        url("follow_up_list", team), {"date_from": "2025-06-03", "date_to": "2025-06-08"}
    )

    assert [a.title for a in listed.context["object_list"]] == ["Due Sunday", "Due today"]


@freeze_time(TODAY)
def test_the_export_has_the_pages_rows(client_for, team, broker, week):
    broker.first_name, broker.last_name = "Bea", "Broker"
    broker.save()
    week["old"].mark_follow_up_done(broker)

    response = client_for(broker).get(
        url("follow_up_list", team), {"state": "all", "date_to": "2025-06-02", "export": "csv"}
    )

    assert csv_records(response) == [
        {
            "activity_id": str(week["recent"].pk),
            "follow_up": "2025-06-02",
            "state": "overdue",
            "title": "Recent overdue",
            "lead_broker": "Bea Broker",
            "done_at": "",
            "done_by": "",
        },
        {
            "activity_id": str(week["old"].pk),
            "follow_up": "2025-01-10",
            "state": "done",
            "title": "Old overdue",
            "lead_broker": "Bea Broker",
            "done_at": "2025-06-04T01:00:00+01:00",
            "done_by": "Bea Broker",
        },
    ]
