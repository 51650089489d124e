"""Periods that say what they are: a quarter in progress, any period's months and its year."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from evaluations.reports.charts import chart_data, monthly_table
from evaluations.reports.computation import compute_figures
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.quarters import Quarter
from teams.tenancy import team_access
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = pytest.mark.django_db

D = datetime.date
Q2 = Quarter(2025, 2)  # 1 Jul – 30 Sep 2025: 31 + 31 + 30 = 92 days


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def log(team, lead, broker):
    return build_logbook(team, lead, broker)


def values(figures):
    return {row.key: row.values for _title, row in figures.rows()}


def test_a_quarter_in_progress_runs_to_today_and_says_which_day_it_is():
    periods = ReportPeriods.for_quarter(Q2, today=D(2025, 9, 3))

    # 3 September: 31 days of July + 31 of August + 3 = day 65 of 92.
    assert periods.progress == "to 3 September, day 65 of 92"
    assert periods.title == "2025/26 Q2 (Jul–Sep 2025), in progress: to 3 September, day 65 of 92"
    assert periods.current.range == (D(2025, 7, 1), D(2025, 9, 3))
    assert periods.previous.range == (D(2025, 4, 1), D(2025, 6, 30))  # whole: 91 days
    assert periods.year_to_date.range == (D(2025, 4, 1), D(2025, 9, 3))
    assert periods.labels[0] == "This quarter so far"
    assert "previous quarter beside them is whole (91 days)" in periods.note


def test_a_quarter_that_has_ended_or_is_yet_to_come_is_whole():
    for today in (D(2025, 10, 1), D(2025, 6, 30), None):
        periods = ReportPeriods.for_quarter(Q2, today=today)
        assert periods.current.range == (D(2025, 7, 1), D(2025, 9, 30))
        assert periods.progress == ""


def test_the_figures_of_a_quarter_in_progress_stop_at_today(log, lead):
    access = team_access(lead, log.team.slug)
    figures = values(compute_figures(access, ReportPeriods.for_quarter(Q2, D(2025, 9, 3))))

    # So far: A4 1 Jul, A5 15 Jul, A6 20 Aug (A7 30 Sep not yet) | A2 A3 | A2..A6.
    assert figures["activities.total"] == (3, 2, 5)
    # On 3 Sep: P1 (15 Aug) and P3 (turned down only on 30 Sep) submitted; P7 P8 developing.
    assert figures["pipeline.submitted"] == (2, 2, 2)
    assert figures["pipeline.developing"] == (2, 1, 2)


@freeze_time("2025-09-03 10:00")
def test_the_page_of_a_quarter_in_progress_says_so_beside_its_comparison(log, client_for, lead):
    url = reverse("evaluations:report_detail", kwargs={"team": "bristol", "quarter": "2025-q2"})
    page = client_for(lead).get(url).content.decode()

    assert "In progress: to 3 September, day 65 of 92" in page
    assert "This quarter so far" in page
    assert "Previous quarter (whole)" in page
    assert "run to 3 Sep 2025, day 65 of its 92" in page


def test_any_period_charts_its_own_months_clipped_to_its_days(log, lead):
    factories.ActivityFactory(team=log.team, lead_broker=log.lee, date=D(2025, 3, 1))
    access = team_access(lead, log.team.slug)
    periods = ReportPeriods.for_range(D(2025, 3, 15), D(2025, 4, 14), 4)
    figures = compute_figures(access, periods)

    # 15 Mar – 14 Apr is 31 days; before it, 12 Feb – 14 Mar. The year holding 15 March
    # 2025 began on 1 April 2024.
    assert periods.previous.range == (D(2025, 2, 12), D(2025, 3, 14))
    assert periods.year_to_date.range == (D(2024, 4, 1), D(2025, 4, 14))
    # This period: A1 31 Mar, A2 1 Apr | the 1 March one | all three.
    assert values(figures)["activities.total"] == (2, 1, 3)
    table = monthly_table(figures, periods)
    # March only from the 15th: A1 (relationship building), not the 1 March activity.
    assert table == [
        ("15–31 Mar 2025", [1, 0, 0, 0], 1),
        ("1–14 Apr 2025", [0, 0, 1, 0], 1),  # A2, advice and consultation
    ]
    assert chart_data(figures, periods)["monthly"]["labels"] == ["15–31 Mar 2025", "1–14 Apr 2025"]


def test_any_periods_year_to_date_is_the_year_holding_its_start_and_the_note_says_so():
    periods = ReportPeriods.for_range(D(2025, 3, 15), D(2025, 4, 14), 4)

    assert periods.note.startswith(
        "Year to date: from the start of the team's year that holds the period's first day "
        "(1 Apr 2024) to the period's last day (14 Apr 2025)."
    )


@freeze_time("2025-10-15 10:00")
def test_the_period_page_shows_the_note(log, client_for, lead):
    url = reverse("evaluations:report_period", kwargs={"team": "bristol"})
    page = client_for(lead).get(url, {"date_from": "2025-03-15", "date_to": "2025-04-14"})

    assert "that holds the period&#x27;s first day (1 Apr 2024)" in page.content.decode()
