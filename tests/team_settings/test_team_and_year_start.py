"""The team's name and year start in team settings: a new start month is confirmed first,
and signed-off quarterly reports keep their periods and figures.

The fixture, worked by hand. The team's year starts in April; its log:

    date         category                 in 2025/26 Q1 (Apr–Jun 2025)?
    15 Mar 2025  relationship building    no: the previous quarter (Jan–Mar)
    10 Apr 2025  awareness raising        yes
    10 Apr 2025  awareness raising        yes
    20 Jun 2025  relationship building    yes

Signed off, 2025/26 Q1 shows: all activities 3 this quarter, 1 the previous quarter,
3 the year to date; awareness raising 2, 0, 2; relationship building 1, 1, 1.

Then the year starts in January. The report keeps 1 Apr – 30 Jun 2025 and those
figures (under the slug `2025-q1-m4`), even after another April activity is logged;
the re-cut quarters have reports of their own: 2025 Q1 is January–March (1 activity),
2025 Q2 is April–June, not signed off, whose year to date (January–June) is 4.
"""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Category
from evaluations.models import QuarterlyReport
from teams.models import Team
from tests import factories

pytestmark = pytest.mark.django_db

SETTINGS = reverse("team_settings:settings", kwargs={"team": "bristol"})


def report_url(slug):
    return reverse("evaluations:report_detail", kwargs={"team": "bristol", "quarter": slug})


def values(figures_json, key):
    rows = [row for section in figures_json["sections"] for row in section["rows"]]
    return next(tuple(int(v) for v in row["values"]) for row in rows if row["key"] == key)


def shown(response, key):
    rows = response.context["figures"].rows()
    return next(tuple(row.values) for _title, row in rows if row.key == key)


def log(team, day, type_name):
    activity_type = factories.activity_type(team, type_name)
    return factories.ActivityFactory(team=team, date=day, activity_type=activity_type)


@pytest.fixture
def signed_off(team, lead, client_for):
    log(team, datetime.date(2025, 3, 15), "Introduction")
    log(team, datetime.date(2025, 4, 10), "Seminar delivered")
    log(team, datetime.date(2025, 4, 10), "Presentation")
    log(team, datetime.date(2025, 6, 20), "Meeting attended")
    with freeze_time("2025-07-10 12:00"):
        response = client_for(lead).post(
            reverse("evaluations:report_signoff", kwargs={"team": "bristol", "quarter": "2025-q1"})
        )
    assert response.status_code == 302
    return QuarterlyReport.objects.get(team=team)


def change_year_start(client, team, month, confirmed):
    data = {"name": team.name, "year_start_month": month, "version": team.version}
    return client.post(SETTINGS, data | ({"confirmed": "on"} if confirmed else {}))


def test_the_signed_off_figures_are_those_worked_by_hand(signed_off):
    frozen = signed_off.frozen["figures"]

    assert values(frozen, "activities.total") == (3, 1, 3)
    assert values(frozen, f"activities.category.{Category.AWARENESS_RAISING}") == (2, 0, 2)
    assert values(frozen, f"activities.category.{Category.RELATIONSHIP_BUILDING}") == (1, 1, 1)


def test_a_new_year_start_is_confirmed_before_it_is_saved(client_for, team, lead, signed_off):
    QuarterlyReport.objects.create(
        team=team, start_year=2025, number=2, start="2025-07-01", end="2025-09-30"
    )

    response = change_year_start(client_for(lead), team, 1, confirmed=False)

    assert response.status_code == 200
    assert response.context["confirmation"] == (
        "Quarters will be re-cut from January; 1 signed-off report keeps its period and "
        "figures, and 1 report begun but not signed off keeps its period and narrative."
    )
    assert "Re-cut the quarters and save" in response.content.decode()
    assert Team.objects.get(pk=team.pk).year_start_month == 4


def test_a_confirmed_year_start_keeps_signed_off_reports_and_their_figures(
    client_for, team, lead, signed_off
):
    frozen_before = signed_off.frozen
    client = client_for(lead)

    response = change_year_start(client, team, 1, confirmed=True)
    log(team, datetime.date(2025, 4, 30), "Introduction")  # logged late

    assert response.status_code == 302
    team.refresh_from_db()
    assert team.year_start_month == 1
    assert team.history.first().history_user == lead
    report = QuarterlyReport.objects.get(pk=signed_off.pk)
    assert report.is_signed_off
    assert (report.start, report.end) == (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    assert report.frozen == frozen_before
    old = client.get(report_url("2025-q1-m4"))
    assert old.context["report"] == report
    assert shown(old, "activities.total") == (3, 1, 3)
    assert old.context["periods"].current.start == datetime.date(2025, 4, 1)
    # The re-cut quarters are open, with the log's figures.
    january = client.get(report_url("2025-q1"))
    april = client.get(report_url("2025-q2"))
    assert not january.context["report"].is_signed_off
    assert shown(january, "activities.total")[0] == 1
    assert not april.context["report"].is_signed_off
    assert shown(april, "activities.total") == (4, 1, 5)


def test_the_report_index_lists_the_old_report_under_its_own_quarter(
    client_for, team, lead, signed_off
):
    client = client_for(lead)
    change_year_start(client, team, 1, confirmed=True)

    entries = client.get(reverse("evaluations:report_index", kwargs={"team": "bristol"})).context[
        "entries"
    ]

    by_slug = {entry.quarter.slug: entry for entry in entries}
    assert by_slug["2025-q1-m4"].report == signed_off
    assert by_slug["2025-q1-m4"].quarter.label == "2025/26 Q1 (Apr–Jun 2025)"
    assert by_slug["2025-q2"].report is None
    assert by_slug["2025-q2"].activities == 3


def test_the_lead_reopens_a_report_of_the_earlier_year_start_under_its_slug(
    client_for, team, lead, signed_off
):
    client = client_for(lead)
    change_year_start(client, team, 1, confirmed=True)
    page = client.get(report_url("2025-q1-m4"))
    reopen = reverse(
        "evaluations:report_reopen", kwargs={"team": "bristol", "quarter": "2025-q1-m4"}
    )

    assert reopen in page.content.decode()
    assert client.post(reopen, {"note": "Late entries"}).status_code == 302
    signed_off.refresh_from_db()
    assert not signed_off.is_signed_off
    assert (signed_off.start, signed_off.end) == (
        datetime.date(2025, 4, 1),
        datetime.date(2025, 6, 30),
    )


def test_a_lead_renames_the_team(client_for, team, lead):
    response = client_for(lead).post(
        SETTINGS, {"name": "  Bristol KM  ", "year_start_month": 4, "version": team.version}
    )

    assert response.status_code == 302
    team.refresh_from_db()
    assert team.name == "Bristol KM"
    assert team.history.first().history_user == lead


def test_a_stale_team_form_is_refused(client_for, team, lead):
    opened_at = team.version
    Team.objects.get(pk=team.pk).save()

    response = client_for(lead).post(
        SETTINGS, {"name": "Mine", "year_start_month": 4, "version": opened_at}
    )

    assert response.status_code == 409
    assert Team.objects.get(pk=team.pk).name == "Bristol"


@pytest.mark.parametrize("persona", ["broker", "evaluator"])
def test_only_the_lead_opens_team_settings(client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(SETTINGS).status_code == 403


def test_the_team_navigation_links_to_settings_for_leads_only(client_for, lead, broker):
    dashboard = reverse("team_dashboard", kwargs={"team": "bristol"})

    assert SETTINGS in client_for(lead).get(dashboard).content.decode()
    assert SETTINGS not in client_for(broker).get(dashboard).content.decode()
