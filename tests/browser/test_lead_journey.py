"""A team lead opens last quarter's report, writes its narrative, signs it off and
downloads it as CSV."""

import csv

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity
from evaluations.models import QuarterlyReport
from kmtracker.lib.quarters import Quarter
from tests.browser.conftest import label

pytestmark = pytest.mark.browser


def test_a_lead_writes_signs_off_and_downloads_the_quarters_report(page_for, demo):
    team = demo.team
    quarter = Quarter.containing(timezone.localdate(), team.year_start_month).previous()
    page = page_for("lead")

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name=quarter.label).click()
    expect(page).to_have_url(f"/teams/{team.slug}/reports/{quarter.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(quarter.label)

    page.get_by_role("link", name="Write narrative").click()
    page.get_by_label(label("Highlights")).fill("Two co-produced bids went in.")
    page.get_by_label(label("Challenges")).fill("Competing requests from the ICB.")
    page.get_by_label(label("Plans for next quarter")).fill("A seminar on **frailty**.")
    page.get_by_role("button", name="Save narrative").click()
    expect(page.get_by_role("status").filter(has_text="Narrative")).to_be_visible()
    narrative = page.get_by_role("region", name="Narrative")
    expect(narrative).to_contain_text("Two co-produced bids went in.")
    expect(narrative.locator("strong", has_text="frailty")).to_be_visible()

    page.get_by_text("Sign off…").click()
    page.get_by_role("button", name=f"Sign off {quarter.short_label}").click()
    expect(page.get_by_role("status").filter(has_text="signed off: its figures")).to_be_visible()
    expect(page.get_by_test_id("report-status")).to_contain_text("Signed off")
    report = QuarterlyReport.objects.get(
        team=team, start_year=quarter.start_year, number=quarter.number
    )
    assert report.signed_off_by.username == "lead"
    assert report.plans == "A seminar on **frailty**."

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    assert download.suggested_filename == f"{team.slug}-report-{quarter.slug}.csv"
    with open(download.path(), newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    assert rows[0] == [
        "section",
        "breakdown",
        "this_quarter",
        "previous_quarter",
        "year_to_date",
        "section_code",
        "breakdown_code",
    ]
    totals = {(row[0], row[1]): row[2:] for row in rows[1:]}
    in_quarter = Activity.objects.for_team(team).in_period(quarter.start, quarter.end).count()
    assert in_quarter > 0
    assert totals["Activities", "All activities"][0] == str(in_quarter)
