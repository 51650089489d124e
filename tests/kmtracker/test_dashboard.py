"""The home page, the team dashboard and the health check."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests import factories

pytestmark = pytest.mark.django_db


def dashboard_url(team):
    return reverse("team_dashboard", kwargs={"team": team.slug})


def activity(user, **fields):
    profile = user.broker_profile
    return factories.ActivityFactory(team=profile.team, lead_broker=profile, **fields)


def shown(response, key):
    return [activity.title for activity in response.context[key]]


# The team dashboard.


def test_it_shows_my_recent_activities_newest_first(client_for, team, broker, lead):
    activity(broker, title="Mine, older", date=datetime.date(2025, 5, 1))
    activity(broker, title="Mine, newer", date=datetime.date(2025, 5, 9))
    activity(
        lead,
        title="Co-brokered",
        date=datetime.date(2025, 5, 5),
        co_brokers=[broker.broker_profile],
    )
    activity(lead, title="The lead's own", date=datetime.date(2025, 5, 10))

    response = client_for(broker).get(dashboard_url(team))

    assert response.status_code == 200
    assert shown(response, "recent") == ["Mine, newer", "Co-brokered", "Mine, older"]
    assert "My recent activities" in response.content.decode()


def test_it_shows_at_most_ten_recent_activities(client_for, team, broker):
    for day in range(1, 13):
        activity(broker, title=f"Day {day}", date=datetime.date(2025, 5, day))

    response = client_for(broker).get(dashboard_url(team))

    assert shown(response, "recent") == [f"Day {day}" for day in range(12, 2, -1)]


def test_it_shows_evaluators_the_teams_recent_activities(client_for, team, broker, evaluator):
    activity(broker, title="A broker's work")

    response = client_for(evaluator).get(dashboard_url(team))

    assert shown(response, "recent") == ["A broker's work"]
    assert "My recent activities" not in response.content.decode()


@freeze_time("2025-05-15")  # a Thursday: its week ends on Sunday 18 May
def test_it_lists_my_follow_ups_due_this_week_and_overdue(client_for, team, broker, lead):
    activity(broker, title="Overdue", follow_up_date=datetime.date(2025, 5, 10))
    activity(broker, title="Today", follow_up_date=datetime.date(2025, 5, 15))
    activity(broker, title="In a week", follow_up_date=datetime.date(2025, 5, 22))
    activity(broker, title="In eight days", follow_up_date=datetime.date(2025, 5, 23))
    activity(broker, title="No follow-up", follow_up_date=None)
    activity(lead, title="The lead's", follow_up_date=datetime.date(2025, 5, 16))
    activity(
        lead,
        title="Co-brokered",
        follow_up_date=datetime.date(2025, 5, 17),
        co_brokers=[broker.broker_profile],
    )

    response = client_for(broker).get(dashboard_url(team))

    assert shown(response, "this_week") == ["Today", "Co-brokered"]
    assert shown(response, "overdue") == ["Overdue"]
    content = response.content.decode()
    assert "Sat 10 May 2025 (overdue)" in content  # overdue ones say so, with the year


@freeze_time("2025-05-15")
def test_it_counts_this_quarters_activities_by_category(client_for, team, broker, lead):
    seminar = factories.activity_type(team, "Seminar delivered")
    bid = factories.activity_type(team, "Bid drafting")
    activity(broker, date=datetime.date(2025, 3, 31))  # last quarter
    activity(broker, date=datetime.date(2025, 4, 1))
    activity(lead, date=datetime.date(2025, 6, 30))  # everyone's work counts
    activity(broker, date=datetime.date(2025, 7, 1), activity_type=seminar)  # next quarter
    activity(broker, date=datetime.date(2025, 5, 2), activity_type=seminar)
    activity(broker, date=datetime.date(2025, 5, 3), activity_type=bid)

    response = client_for(broker).get(dashboard_url(team))

    assert response.context["quarter"].short_label == "2025/26 Q1"
    assert response.context["category_counts"] == [
        ("Relationship building", 2),
        ("Awareness raising", 1),
        ("Advice and consultation", 0),
        ("Collaborative project", 1),
    ]
    content = response.content.decode()
    assert "This quarter: 2025/26 Q1 (Apr–Jun 2025)" in content
    assert "?quarter=2025-q1" in content


@freeze_time("2025-05-15")
def test_it_counts_calendar_quarters_for_a_team_whose_year_starts_in_january(client_for, broker):
    team = broker.broker_profile.team
    team.year_start_month = 1
    team.save()
    activity(broker, date=datetime.date(2025, 3, 31))
    activity(broker, date=datetime.date(2025, 4, 1))

    response = client_for(broker).get(dashboard_url(team))

    assert response.context["quarter"].short_label == "2025 Q2"
    assert dict(response.context["category_counts"])["Relationship building"] == 1


@pytest.mark.parametrize(
    ("persona", "has_button"), [("broker", True), ("lead", True), ("evaluator", False)]
)
def test_only_brokers_and_leads_get_the_log_activity_button(
    request, client_for, team, persona, has_button
):
    user = request.getfixturevalue(persona)

    content = client_for(user).get(dashboard_url(team)).content.decode()

    add_url = reverse("activities:activity_add", kwargs={"team": team.slug})
    assert (f'href="{add_url}"' in content) is has_button
    assert ("Log activity" in content) is has_button


def test_it_shows_nothing_of_another_teams_work(client_for, team, broker, other_broker):
    activity(other_broker, title="Theirs", follow_up_date=datetime.date(2025, 5, 15))

    response = client_for(broker).get(dashboard_url(team))

    assert "Theirs" not in response.content.decode()
    assert sum(count for _label, count in response.context["category_counts"]) == 0


def test_a_broker_of_another_team_gets_not_found(client_for, team, other_broker):
    assert client_for(other_broker).get(dashboard_url(team)).status_code == 404


@freeze_time("2025-05-15")
def test_the_dashboard_needs_the_same_queries_however_much_there_is(
    client_for, team, broker, lead, django_assert_num_queries
):
    for day in range(1, 15):
        activity(
            broker,
            date=datetime.date(2025, 5, day),
            follow_up_date=datetime.date(2025, 5, 15 + day % 4),
            co_brokers=[lead.broker_profile],
        )
        activity(broker, follow_up_date=datetime.date(2025, 5, day % 14 + 1))  # overdue
        activity(lead, date=datetime.date(2025, 5, day), co_brokers=[broker.broker_profile])
    client = client_for(broker)

    # 1 session, 2 user, 3 membership with team (team_access), 4 the user's broker
    # profile, 5 this quarter's counts by category, 6 recent activities, 7 follow-ups due
    # this week and 8 how many, 9 overdue ones and 10 how many (each follow-up with its
    # type, lead broker and user, team).
    with django_assert_num_queries(10):
        response = client.get(dashboard_url(team))

    assert len(response.context["recent"]) == 10
    assert len(response.context["this_week"]) == len(response.context["overdue"]) == 5
    assert (response.context["this_week_count"], response.context["overdue_count"]) == (14, 14)


# Home.


def test_home_goes_straight_to_the_only_team(client_for, team, broker):
    response = client_for(broker).get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == dashboard_url(team)


def test_home_lists_the_teams_of_a_member_of_several(client_for, team, other_team, broker):
    factories.MembershipFactory(user=broker, team=other_team, role="evaluator")
    factories.TeamFactory(name="Not mine", slug="not-mine")

    response = client_for(broker).get(reverse("home"))

    content = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.context["teams"]] == ["Bristol", "West Midlands"]
    assert f'href="{dashboard_url(team)}"' in content
    assert f'href="{dashboard_url(other_team)}"' in content
    assert "Not mine" not in content


def test_home_tells_a_user_without_a_team_what_to_do(client_for, team):
    loner = factories.UserFactory(username="loner")

    response = client_for(loner).get(reverse("home"))

    assert response.status_code == 200
    assert "You are not a member of any team yet" in response.content.decode()


def test_home_sends_anonymous_users_to_sign_in(client):
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# Health.


def test_healthz_answers_without_login(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]
