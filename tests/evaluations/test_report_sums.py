"""Breakdowns add up to their totals as shown: largest-remainder rounding of hours."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from freezegun import freeze_time

from evaluations.reports.figures import hours_adding_up
from tests import factories
from tests.activities.downloads import content_of

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_three_parts_of_ten_minutes_add_up_to_half_an_hour():
    # 30 min = 0.5 h. Alone, each 10 min (0.167 h) rounds to 0.2, and 0.6 is not 0.5. In tenths
    # (6 min each): 1 whole tenth each (3), remainders 4, 4, 4 min; 2 tenths missing go to
    # the first two of the equal remainders.
    assert hours_adding_up([10, 10, 10]) == [D("0.2"), D("0.2"), D("0.1")]


def test_four_parts_of_seven_minutes_get_the_tenth_rounding_alone_would_lose():
    # 28 min = 0.467 h, shown 0.5. Alone each 7 min rounds to 0.1: 0.4 in all. Whole tenths
    # 1 each (4), remainders 1 min each: the one missing tenth goes to the first.
    assert hours_adding_up([7, 7, 7, 7]) == [D("0.2"), D("0.1"), D("0.1"), D("0.1")]


def test_the_largest_remainder_gets_the_missing_tenth():
    # 5 + 9 + 16 = 30 min = 0.5 h. Whole tenths 0, 1, 2 (3); remainders 5, 3, 4 min:
    # the 2 missing tenths go to 5 (first) and 16 (4 min), not to 9 (3 min).
    assert hours_adding_up([5, 9, 16]) == [D("0.1"), D("0.1"), D("0.3")]


def test_parts_that_round_well_alone_keep_their_rounding():
    # 95 min = 1.583 -> 1.6, 30 min = 0.5; 125 min = 2.083 -> 2.1 = 1.6 + 0.5.
    assert hours_adding_up([95, 30, 0, None]) == [D("1.6"), D("0.5"), D("0.0"), D("0.0")]


@pytest.fixture
def ten_minutes_thrice(team, lead):
    """Three activities of 10 minutes in Q2 2025, each of another category."""
    for type_name in ("Introduction", "Seminar delivered", "Consultation"):
        factories.ActivityFactory(
            team=team,
            lead_broker=lead.broker_profile,
            activity_type=factories.activity_type(team, type_name),
            date=datetime.date(2025, 8, 1),
            duration_minutes=10,
        )


HOURS = {
    "All activities": D("0.5"),
    "Relationship building": D("0.2"),
    "Awareness raising": D("0.2"),
    "Advice and consultation": D("0.1"),
    "Collaborative project": D("0.0"),
}


def report_url():
    return reverse("evaluations:report_detail", kwargs={"team": "bristol", "quarter": "2025-q2"})


@freeze_time("2025-10-15 10:00")
def test_the_page_csv_and_xlsx_show_hours_that_add_up(ten_minutes_thrice, client_for, lead):
    client = client_for(lead)
    page = client.get(report_url()).context["figures"].section("hours")
    shown = {row.breakdown: row.current for row in page.rows}
    rows = csv.reader(io.StringIO(content_of(client.get(report_url(), {"export": "csv"})).decode()))
    in_csv = {row[1]: D(row[2]) for row in rows if row[0] == "Hours of brokering"}
    book = openpyxl.load_workbook(
        io.BytesIO(content_of(client.get(report_url(), {"export": "xlsx"})))
    )
    in_xlsx = {
        row[1].value: D(str(row[2].value))
        for row in book["Report"].iter_rows(min_row=2)
        if row[0].value == "Hours of brokering"
    }

    assert shown == in_csv == in_xlsx == HOURS
    parts = [value for label, value in HOURS.items() if label != "All activities"]
    assert sum(parts) == HOURS["All activities"]
