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
# test_quarterly_report.py for the arithmetic behind each value), with the codes of its
# section and breakdown (a broker's is their number: `expected_csv()` fills it in).
# Some rows are longer than the line limit: they are the file's own lines (hence the noqa).
EXPECTED_CSV = """\
section,breakdown,this_quarter,previous_quarter,year_to_date,section_code,breakdown_code
Activities,All activities,4,2,6,activities,total
Activities,Relationship building,1,0,1,activities,category.relationship_building
Activities,Awareness raising,2,1,3,activities,category.awareness_raising
Activities,Advice and consultation,0,1,1,activities,category.advice_consultation
Activities,Collaborative project,1,0,1,activities,category.collaborative_project
Hours of brokering,All activities,2.1,3.5,5.6,hours,total
Hours of brokering,Relationship building,0.5,0.0,0.5,hours,category.relationship_building
Hours of brokering,Awareness raising,1.6,2.0,3.6,hours,category.awareness_raising
Hours of brokering,Advice and consultation,0.0,1.5,1.5,hours,category.advice_consultation
Hours of brokering,Collaborative project,0.0,0.0,0.0,hours,category.collaborative_project
Activities by broker,Bea Baker,2,2,4,brokers,{bea}
Activities by broker,Cal Cole,4,0,4,brokers,{cal}
Activities by broker,Lee Lamb,1,1,2,brokers,{lee}
Activities by setting,Commissioning,0,0,0,settings,commissioning
Activities by setting,Academic,1,2,3,settings,academic
Activities by setting,Clinical,1,0,1,settings,clinical
Activities by setting,Community,0,0,0,settings,community
Activities by setting,Online,1,0,1,settings,online
Activities by setting,Not recorded,1,0,1,settings,blank
Activities by direction,Research-informed commissioning,1,0,1,directions,research_informed_commissioning
Activities by direction,Commissioning-informed research,1,1,2,directions,commissioning_informed_research
Activities by direction,Both,1,1,2,directions,both
Activities by direction,Unclear,1,0,1,directions,unclear
Activities by conduit,Interpersonal relationships,1,1,2,conduits,interpersonal
Activities by conduit,People placement,0,0,0,conduits,people_placement
Activities by conduit,Governance,0,1,1,conduits,governance
Activities by conduit,"Copy, adapt and paste",0,0,0,conduits,copy_adapt_paste
Activities by conduit,Product deployment,1,0,1,conduits,product_deployment
Activities by conduit,Not recorded,2,1,3,conduits,none
Contacts engaged,All contacts,4,2,4,contacts,total
Contacts engaged,Research,1,1,1,contacts,research
Contacts engaged,Commissioning,1,1,1,contacts,commissioning
Contacts engaged,Clinical,1,0,1,contacts,clinical
Contacts engaged,Patients and public,1,0,1,contacts,patient_public
Contacts engaged,Other,0,0,0,contacts,other
New contacts,All new contacts,2,1,3,new_contacts,total
New contacts,Research,0,0,0,new_contacts,research
New contacts,Commissioning,0,1,1,new_contacts,commissioning
New contacts,Clinical,1,0,1,new_contacts,clinical
New contacts,Patients and public,1,0,1,new_contacts,patient_public
New contacts,Other,0,0,0,new_contacts,other
Events held,All events,2,1,3,events,total
Events held,Commissioning,0,0,0,events,commissioning
Events held,Academic,1,1,2,events,academic
Events held,Clinical,0,0,0,events,clinical
Events held,Community,0,0,0,events,community
Events held,Online,1,0,1,events,online
Events: attendees,All events,37,40,77,attendees,total
Events: attendees,Commissioning,0,0,0,attendees,commissioning
Events: attendees,Academic,12,40,52,attendees,academic
Events: attendees,Clinical,0,0,0,attendees,clinical
Events: attendees,Community,0,0,0,attendees,community
Events: attendees,Online,25,0,25,attendees,online
Bids submitted in the period,Submitted,2,2,4,projects,submitted
Bids submitted in the period,Submitted: amount requested (GBP),105000.00,70000.00,175000.00,projects,requested
Bids submitted in the period,Submitted: amount awarded (GBP),0.00,0.00,45000.00,projects,submitted.awarded
Bids submitted in the period,Funded,0,0,1,projects,bids.funded
Bids submitted in the period,Funded: amount requested (GBP),0.00,0.00,50000.00,projects,bids.funded.requested
Bids submitted in the period,Funded: amount awarded (GBP),0.00,0.00,45000.00,projects,bids.funded.awarded
Bids submitted in the period,Unsuccessful,0,0,1,projects,bids.unsuccessful
Bids submitted in the period,Unsuccessful: amount requested (GBP),0.00,0.00,20000.00,projects,bids.unsuccessful.requested
Bids submitted in the period,Withdrawn,1,0,1,projects,bids.withdrawn
Bids submitted in the period,Withdrawn: amount requested (GBP),5000.00,0.00,5000.00,projects,bids.withdrawn.requested
Bids submitted in the period,Still open,1,2,1,projects,bids.open
Bids submitted in the period,Still open: amount requested (GBP),100000.00,70000.00,100000.00,projects,bids.open.requested
Decisions in the period,Funded,1,1,2,decisions,funded
Decisions in the period,Unsuccessful,1,0,1,decisions,unsuccessful
Decisions in the period,Withdrawn,1,0,1,decisions,withdrawn
Decisions in the period,Amount awarded (GBP),45000.00,12000.50,57000.50,decisions,awarded
Decisions in the period,Funded without a “bid funded” outcome,1,1,2,decisions,funded_without_outcome
Open pipeline (at the end of the period),Idea,0,2,0,pipeline,idea
Open pipeline (at the end of the period),Developing,2,1,2,pipeline,developing
Open pipeline (at the end of the period),Submitted,1,2,1,pipeline,submitted
Outcomes by type,All outcomes,2,1,3,outcomes,total
Outcomes by type,Connection made,1,0,1,outcomes,connection_made
Outcomes by type,Collaboration formed,0,0,0,outcomes,collaboration_formed
Outcomes by type,Evaluation started,0,0,0,outcomes,evaluation_started
Outcomes by type,Bid submitted,0,0,0,outcomes,bid_submitted
Outcomes by type,Bid funded,0,0,0,outcomes,bid_funded
Outcomes by type,Evidence used in a decision,0,0,0,outcomes,evidence_used_in_decision
Outcomes by type,Research shaped by commissioning,0,0,0,outcomes,research_shaped_by_commissioning
Outcomes by type,Capability change,1,1,2,outcomes,capability_change
Outcomes by type,Output,0,0,0,outcomes,output
Outcomes by type,Other,0,0,0,outcomes,other
Capability changes by dimension,Knowledge,1,0,1,capability,knowledge
Capability changes by dimension,Attitude,0,0,0,capability,attitude
Capability changes by dimension,Skills,0,0,0,capability,skills
Capability changes by dimension,Confidence,0,1,1,capability,confidence
"""  # noqa: E501


def expected_csv(log):
    return EXPECTED_CSV.format(bea=log.bea.pk, cal=log.cal.pk, lee=log.lee.pk)


@freeze_time("2025-10-15 10:00")
def test_the_csv_has_the_exact_header_and_rows(client_for, lead, log):
    response = client_for(lead).get(report_url(), {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="bristol-report-2025-q2.csv"'
    text = content_of(response).decode("utf-8")
    assert text.splitlines()[0] == (
        "section,breakdown,this_quarter,previous_quarter,year_to_date,section_code,breakdown_code"
    )
    assert text == expected_csv(log)


def test_every_row_has_codes_of_its_own(client_for, lead):
    response = client_for(lead).get(report_url(), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(content_of(response).decode())))[1:]

    codes = [(row[5], row[6]) for row in rows]
    assert len(set(codes)) == len(codes)


@freeze_time("2025-10-15 10:00")
def test_the_xlsx_has_the_same_rows_as_the_csv(client_for, lead, log):
    response = client_for(lead).get(report_url(), {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bristol-report-2025-q2.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(content_of(response)))
    rows = [list(row) for row in workbook["Report"].iter_rows(values_only=True)]
    expected = list(csv.reader(io.StringIO(expected_csv(log))))
    assert rows[0] == expected[0]
    assert len(rows) == len(expected)
    for got, want in zip(rows[1:], expected[1:], strict=True):
        assert got[:2] == want[:2]
        assert [Decimal(str(value)) for value in got[2:5]] == [Decimal(v) for v in want[2:5]]
        assert got[5:] == want[5:]
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

    assert "Activities,All activities,4,2,6,activities,total" in frozen.splitlines()
    assert "Activities,All activities,5,2,7,activities,total" in current.splitlines()


def test_text_a_spreadsheet_would_run_is_neutralised(log, client_for, lead):
    log.cal.user.first_name, log.cal.user.last_name = "=HYPERLINK(1)", ""
    log.cal.user.save()

    text = content_of(client_for(lead).get(report_url(), {"export": "csv"})).decode()
    sheet = openpyxl.load_workbook(
        io.BytesIO(content_of(client_for(lead).get(report_url(), {"export": "xlsx"})))
    )["Report"]

    assert f"Activities by broker,'=HYPERLINK(1),4,0,4,brokers,{log.cal.pk}" in text.splitlines()
    # XLSX keeps the text as written, in a text cell that no spreadsheet runs.
    (cell,) = [cell for cell in sheet["B"] if cell.value == "=HYPERLINK(1)"]
    assert cell.data_type == "s"


@pytest.mark.parametrize("persona", ["broker", "evaluator"])
def test_brokers_and_evaluators_download_the_report(client_for, request, persona, log):
    client = client_for(request.getfixturevalue(persona))

    assert content_of(client.get(report_url(), {"export": "csv"})).decode() == expected_csv(log)
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
    assert rows[0] == [
        "section",
        "breakdown",
        "this_period",
        "previous_period",
        "year_to_date",
        "section_code",
        "breakdown_code",
    ]
    by_key = {(row[0], row[1]): row[2:5] for row in rows[1:]}
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
