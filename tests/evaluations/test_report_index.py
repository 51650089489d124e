"""The reports index: the quarters that have data, newest first, with their sign-off state."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from evaluations.models import QuarterlyReport
from kmtracker.lib.quarters import Quarter
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def index_url(team="bristol"):
    return reverse("evaluations:report_index", kwargs={"team": team})


def activity(team, user, day):
    return factories.ActivityFactory(team=team, lead_broker=user.broker_profile, date=day)


@freeze_time("2025-10-15 10:00")
def test_it_lists_quarters_with_data_newest_first(client_for, team, lead, other_team, other_broker):
    activity(team, lead, datetime.date(2025, 3, 31))  # 2024/25 Q4
    activity(team, lead, datetime.date(2025, 4, 1))  # 2025/26 Q1
    activity(team, lead, datetime.date(2025, 4, 2))
    # Nothing in Q2; an outcome alone makes Q3 a quarter with data.
    factories.OutcomeFactory(
        team=team,
        activity=None,
        project=factories.ProjectFactory(team=team),
        date=datetime.date(2025, 10, 2),
    )
    activity(other_team, other_broker, datetime.date(2025, 8, 1))  # not theirs to see

    response = client_for(lead).get(index_url())

    entries = response.context["entries"]
    assert [(e.quarter.slug, e.activities, e.outcomes) for e in entries] == [
        ("2025-q3", 0, 1),
        ("2025-q1", 2, 0),
        ("2024-q4", 1, 0),
    ]
    page = response.content.decode()
    assert "2025/26 Q1 (Apr–Jun 2025)" in page
    assert (
        reverse("evaluations:report_detail", kwargs={"team": "bristol", "quarter": "2025-q1"})
        in page
    )
    assert "2025/26 Q2" not in page


def test_it_shows_each_quarters_sign_off_state(client_for, team, lead):
    activity(team, lead, datetime.date(2025, 5, 1))
    activity(team, lead, datetime.date(2025, 8, 1))
    activity(team, lead, datetime.date(2025, 11, 1))
    client = client_for(lead)
    with freeze_time("2025-07-03 09:00"):
        client.post(
            reverse("evaluations:report_signoff", kwargs={"team": "bristol", "quarter": "2025-q1"})
        )
    client.post(
        reverse("evaluations:report_narrative", kwargs={"team": "bristol", "quarter": "2025-q2"}),
        {"highlights": "Started", "challenges": "", "plans": ""},
    )

    response = client.get(index_url())

    states = {
        entry.quarter.slug: (
            entry.report.is_signed_off if entry.report else None,
            entry.report.has_narrative if entry.report else None,
        )
        for entry in response.context["entries"]
    }
    assert states == {"2025-q3": (None, None), "2025-q2": (False, True), "2025-q1": (True, False)}
    page = response.content.decode()
    assert "Signed off</span>" in page and "3 Jul 2025 by Lee" in page
    assert "Draft</span>" in page
    assert "Not signed off</span>" in page


def test_a_team_with_nothing_logged_is_told_so(client_for, lead):
    response = client_for(lead).get(index_url())

    assert response.context["entries"] == []
    assert "Nothing has been logged yet" in response.content.decode()


@pytest.mark.parametrize("persona", ["broker", "evaluator", "lead"])
def test_every_member_reads_the_index(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(index_url()).status_code == 200


def test_another_teams_member_gets_404(client_for, team, other_broker):
    assert client_for(other_broker).get(index_url()).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, team):
    response = client.get(index_url())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_navigation_links_to_the_reports(client_for, lead):
    page = client_for(lead).get(index_url()).content.decode()

    assert f'href="{index_url()}">Reports</a>' in page


def test_a_report_keeps_the_quarter_it_was_started_for():
    report = QuarterlyReport(
        start_year=2025, number=2, start=datetime.date(2025, 7, 1), end=datetime.date(2025, 9, 30)
    )

    assert report.quarter == Quarter(2025, 2, 4)
    calendar = QuarterlyReport(
        start_year=2025, number=2, start=datetime.date(2025, 4, 1), end=datetime.date(2025, 6, 30)
    )
    assert calendar.quarter == Quarter(2025, 2, 1)


def test_the_any_period_form_on_the_index_starts_empty_without_errors(client_for, lead):
    response = client_for(lead).get(index_url(), {"utm_source": "newsletter"})

    form = response.context["filter"].form
    assert not form.is_bound
    assert "This field is required" not in response.content.decode()
