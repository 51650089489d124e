"""Outputs of a report: CSV and XLSX with the same rows as the page, the A4 print layout,
and the same report for any period chosen with the activity FilterSet's dates."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from freezegun import freeze_time

from tests import factories
from tests.activities.downloads import content_of
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("log")]


@pytest.fixture
def log(team, lead, broker, other_team):
    with freeze_time("2025-10-01 12:00"):
        return build_logbook(team, lead, broker, other_team)


def report_url(name="report_detail", quarter="2025-q2"):
    return reverse(f"evaluations:{name}", kwargs={"team": "bristol", "quarter": quarter})


def period_url(name="report_period"):
    return reverse(f"evaluations:{name}", kwargs={"team": "bristol"})


# Every row of the hand-worked log's 2025/26 Q2 report (see quarter_fixture.py and
# test_quarterly_report.py for the arithmetic behind each value).
EXPECTED_CSV = """\
section,breakdown,this_quarter,previous_quarter,year_to_date
Activities,All activities,4,2,6
Activities,Relationship building,1,0,1
Activities,Awareness raising,2,1,3
Activities,Advice and consultation,0,1,1
Activities,Collaborative project,1,0,1
Hours of brokering,All activities,2.1,3.5,5.6
Hours of brokering,Relationship building,0.5,0.0,0.5
Hours of brokering,Awareness raising,1.6,2.0,3.6
Hours of brokering,Advice and consultation,0.0,1.5,1.5
Hours of brokering,Collaborative project,0.0,0.0,0.0
Activities by broker,Bea Baker,2,2,4
Activities by broker,Cal Cole,4,0,4
Activities by broker,Lee Lamb,1,1,2
Activities by setting,Commissioning,0,0,0
Activities by setting,Academic,1,2,3
Activities by setting,Clinical,1,0,1
Activities by setting,Community,0,0,0
Activities by setting,Online,1,0,1
Activities by setting,Not recorded,1,0,1
Activities by direction,Research-informed commissioning,1,0,1
Activities by direction,Commissioning-informed research,1,1,2
Activities by direction,Both,1,1,2
Activities by direction,Unclear,1,0,1
Activities by conduit,Interpersonal relationships,1,1,2
Activities by conduit,People placement,0,0,0
Activities by conduit,Governance,0,1,1
Activities by conduit,"Copy, adapt and paste",0,0,0
Activities by conduit,Product deployment,1,0,1
Activities by conduit,Not recorded,2,1,3
Contacts engaged,All contacts,4,2,4
Contacts engaged,Research,1,1,1
Contacts engaged,Commissioning,1,1,1
Contacts engaged,Clinical,1,0,1
Contacts engaged,Patients and public,1,0,1
Contacts engaged,Other,0,0,0
New contacts,All new contacts,2,1,3
New contacts,Research,0,0,0
New contacts,Commissioning,0,1,1
New contacts,Clinical,1,0,1
New contacts,Patients and public,1,0,1
New contacts,Other,0,0,0
Awareness raising: events held,All events,2,1,3
Awareness raising: events held,Commissioning,0,0,0
Awareness raising: events held,Academic,1,1,2
Awareness raising: events held,Clinical,0,0,0
Awareness raising: events held,Community,0,0,0
Awareness raising: events held,Online,1,0,1
Awareness raising: attendees,All events,37,40,77
Awareness raising: attendees,Commissioning,0,0,0
Awareness raising: attendees,Academic,12,40,52
Awareness raising: attendees,Clinical,0,0,0
Awareness raising: attendees,Community,0,0,0
Awareness raising: attendees,Online,25,0,25
Bids submitted in the period,Submitted,2,2,4
Bids submitted in the period,Submitted: amount requested (GBP),105000.00,70000.00,175000.00
Bids submitted in the period,Submitted: amount awarded (GBP),0.00,0.00,45000.00
Bids submitted in the period,Funded,0,0,1
Bids submitted in the period,Funded: amount requested (GBP),0.00,0.00,50000.00
Bids submitted in the period,Funded: amount awarded (GBP),0.00,0.00,45000.00
Bids submitted in the period,Unsuccessful,0,0,1
Bids submitted in the period,Unsuccessful: amount requested (GBP),0.00,0.00,20000.00
Bids submitted in the period,Withdrawn,1,0,1
Bids submitted in the period,Withdrawn: amount requested (GBP),5000.00,0.00,5000.00
Bids submitted in the period,Still open,1,2,1
Bids submitted in the period,Still open: amount requested (GBP),100000.00,70000.00,100000.00
Decisions in the period,Funded,1,1,2
Decisions in the period,Unsuccessful,1,0,1
Decisions in the period,Withdrawn,1,0,1
Decisions in the period,Amount awarded (GBP),45000.00,12000.50,57000.50
Decisions in the period,Funded without a “bid funded” outcome,1,1,2
Open pipeline (at the end of the period),Idea,0,2,0
Open pipeline (at the end of the period),Developing,2,1,2
Open pipeline (at the end of the period),Submitted,1,2,1
Outcomes by type,All outcomes,2,1,3
Outcomes by type,Connection made,1,0,1
Outcomes by type,Collaboration formed,0,0,0
Outcomes by type,Evaluation started,0,0,0
Outcomes by type,Bid submitted,0,0,0
Outcomes by type,Bid funded,0,0,0
Outcomes by type,Evidence used in a decision,0,0,0
Outcomes by type,Research shaped by commissioning,0,0,0
Outcomes by type,Capability change,1,1,2
Outcomes by type,Output,0,0,0
Outcomes by type,Other,0,0,0
Capability changes by dimension,Knowledge,1,0,1
Capability changes by dimension,Attitude,0,0,0
Capability changes by dimension,Skills,0,0,0
Capability changes by dimension,Confidence,0,1,1
"""


@freeze_time("2025-10-15 10:00")
def test_the_csv_has_the_exact_header_and_rows(client_for, lead):
    response = client_for(lead).get(report_url(), {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bristol-report-2025-q2.csv"'
    text = content_of(response).decode("utf-8")
    assert text.splitlines()[0] == "section,breakdown,this_quarter,previous_quarter,year_to_date"
    assert text == EXPECTED_CSV


@freeze_time("2025-10-15 10:00")
def test_the_xlsx_has_the_same_rows_as_the_csv(client_for, lead):
    response = client_for(lead).get(report_url(), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bristol-report-2025-q2.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(content_of(response)))
    rows = [list(row) for row in workbook["Report"].iter_rows(values_only=True)]
    expected = list(csv.reader(io.StringIO(EXPECTED_CSV)))
    assert rows[0] == expected[0]
    assert len(rows) == len(expected)
    for got, want in zip(rows[1:], expected[1:], strict=True):
        assert got[:2] == want[:2]
        assert [Decimal(str(value)) for value in got[2:]] == [Decimal(value) for value in want[2:]]
    about = dict(workbook["About"].iter_rows(values_only=True))
    assert about["this_quarter"] == "2025-07-01 to 2025-09-30"
    assert about["status"].startswith("Not signed off")


@freeze_time("2025-10-15 10:00")
def test_the_xlsx_keeps_numbers_as_numbers(client_for, lead):
    response = client_for(lead).get(report_url(), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(content_of(response)))["Report"]
    cells = {(row[0].value, row[1].value): row for row in sheet.iter_rows(min_row=2)}

    awarded = cells[("Decisions in the period", "Amount awarded (GBP)")]
    assert awarded[3].value == 12000.5 and awarded[3].number_format == "#,##0.00"
    assert cells[("Hours of brokering", "All activities")][2].number_format == "0.0"
    assert cells[("Activities", "All activities")][2].value == 4


def test_a_signed_off_report_exports_the_frozen_figures_unless_asked_for_current(
    log, client_for, lead
):
    client = client_for(lead)
    with freeze_time("2025-10-15 10:00"):
        client.post(report_url("report_signoff"))
    with freeze_time("2025-10-20 10:00"):
        factories.ActivityFactory(
            team=log.team, lead_broker=log.bea, date=datetime.date(2025, 9, 1)
        )

    frozen = content_of(client.get(report_url(), {"export": "csv"})).decode()
    current = content_of(client.get(report_url(), {"export": "csv", "figures": "current"})).decode()

    assert "Activities,All activities,4,2,6" in frozen.splitlines()
    assert "Activities,All activities,5,2,7" in current.splitlines()


def test_text_a_spreadsheet_would_run_is_neutralised(log, client_for, lead):
    log.cal.user.first_name, log.cal.user.last_name = "=HYPERLINK(1)", ""
    log.cal.user.save()

    text = content_of(client_for(lead).get(report_url(), {"export": "csv"})).decode()
    sheet = openpyxl.load_workbook(
        io.BytesIO(content_of(client_for(lead).get(report_url(), {"export": "xlsx"})))
    )["Report"]

    assert "Activities by broker,'=HYPERLINK(1),4,0,4" in text.splitlines()
    # XLSX keeps the text as written, in a text cell that no spreadsheet runs.
    (cell,) = [cell for cell in sheet["B"] if cell.value == "=HYPERLINK(1)"]
    assert cell.data_type == "s"


@pytest.mark.parametrize("persona", ["broker", "evaluator"])
def test_brokers_and_evaluators_download_the_report(client_for, request, persona):
    client = client_for(request.getfixturevalue(persona))

    assert content_of(client.get(report_url(), {"export": "csv"})).decode() == EXPECTED_CSV
    assert client.get(report_url(), {"export": "xlsx"}).status_code == 200


# Print layout.


@freeze_time("2025-10-15 10:00")
def test_the_print_layout_is_a4_without_navigation(client_for, lead):
    response = client_for(lead).get(report_url("report_print"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "css/print.css" in page
    assert 'aria-label="Main"' not in page  # no navigation bar
    assert 'data-key="activities.total"' in page
    assert 'id="chart-monthly"' in page and 'data-chart="monthly"' in page


def test_the_print_stylesheet_sets_a4_and_keeps_tables_and_charts_whole():
    css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    unbroken = {
        selector.strip()
        for selectors, body in rules
        if "break-inside: avoid" in body
        for selector in selectors.split(",")
    }

    assert "size: A4 portrait" in css
    assert {"table", "figure", ".report-chart", ".report-block"} <= unbroken


# Any period, chosen with the activity FilterSet's date range.


@freeze_time("2025-10-15 10:00")
def test_it_reports_any_period_beside_the_period_before_and_the_year_to_date(client_for, lead):
    response = client_for(lead).get(
        period_url(), {"date_from": "2025-04-01", "date_to": "2025-09-30", "export": "csv"}
    )

    rows = list(csv.reader(io.StringIO(content_of(response).decode())))
    assert rows[0] == ["section", "breakdown", "this_period", "previous_period", "year_to_date"]
    by_key = {(row[0], row[1]): row[2:] for row in rows[1:]}
    # This period: A2..A7. The six months before (Oct 2024 – Mar 2025): A1.
    # Year to date (from 1 April 2025): A2..A7.
    assert by_key[("Activities", "All activities")] == ["6", "1", "6"]
    # P4 1 Feb, P5 1 Mar before.
    assert by_key[("Bids submitted in the period", "Submitted")] == ["4", "2", "4"]


@freeze_time("2025-10-15 10:00")
def test_the_period_page_shows_the_report_and_links_its_downloads(client_for, lead):
    response = client_for(lead).get(
        period_url(), {"date_from": "2025-07-01", "date_to": "2025-09-30"}
    )

    assert response.status_code == 200
    figures = response.context["figures"]
    # Whole months: compared with April–June, as in the quarter's report.
    assert figures.section("activities").rows[0].values == (4, 2, 6)
    page = response.content.decode()
    assert "?date_from=2025-07-01&amp;date_to=2025-09-30&amp;export=csv" in page
    assert (
        period_url("report_period_print") + "?date_from=2025-07-01&amp;date_to=2025-09-30" in page
    )


def test_the_period_print_layout(client_for, lead):
    response = client_for(lead).get(
        period_url("report_period_print"), {"date_from": "2025-07-01", "date_to": "2025-09-30"}
    )

    assert response.status_code == 200
    assert 'data-key="activities.total"' in response.content.decode()


def test_the_period_form_says_what_is_wrong_next_to_the_field(client_for, lead):
    response = client_for(lead).get(
        period_url(), {"date_from": "2025-09-30", "date_to": "2025-07-01"}
    )

    assert response.status_code == 200
    assert response.context["periods"] is None
    assert response.context["filter"].form.errors == {
        "date_to": ["The end of the period must not be before its start."]
    }
    assert "The end of the period must not be before its start." in response.content.decode()


def test_the_period_form_needs_both_dates(client_for, lead):
    response = client_for(lead).get(period_url(), {"date_from": "2025-07-01"})

    assert response.context["periods"] is None
    assert list(response.context["filter"].form.errors) == ["date_to"]


def test_without_dates_the_period_page_shows_only_the_form(client_for, lead):
    response = client_for(lead).get(period_url())

    assert response.status_code == 200
    assert response.context["periods"] is None
    assert list(response.context["filter"].form.fields) == ["date_from", "date_to"]
