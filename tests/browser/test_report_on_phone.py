"""The quarterly report on a phone (390×844): every part of it readable without the page
ever being wider than the screen: the report as the log gives it, signed off with its
differences, the print layout, the narrative form with its figures, and a period's report."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity
from evaluations.models import QuarterlyReport
from evaluations.reports.pages import QuarterReport
from kmtracker.lib.quarters import Quarter
from teams.tenancy import team_access
from tests.browser.conftest import PHONE, screenshot

pytestmark = pytest.mark.browser

# The innermost elements that reach past the screen's right edge, to say what to fix.
WIDER_THAN_SCREEN = """() => Array.from(document.querySelectorAll("body *"))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .filter(e => getComputedStyle(e.parentElement.closest(".table-responsive") || document.body)
    .overflowX === "visible")
  .filter(e => !Array.from(e.children).some(
    c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
  .slice(0, 8)
  .map(e => `${e.tagName.toLowerCase()}.${e.className} ${e.getBoundingClientRect().right}`)"""


def test_the_report_fits_a_phone_screen(new_context, demo):
    team = demo.team
    quarter = Quarter.containing(timezone.localdate(), team.year_start_month).previous()
    lead = demo.users["lead"]
    QuarterlyReport.objects.filter(team=team).delete()
    record = QuarterlyReport.of_quarter(team, quarter)
    record.highlights = "We logged {activities.total} activities and met {contacts.total} people."
    record.save()
    page = new_context("lead", PHONE, is_mobile=True, has_touch=True).new_page()
    base = f"/teams/{team.slug}/reports/{quarter.slug}/"

    def fits(step):
        width = page.evaluate("() => document.documentElement.scrollWidth")
        screenshot(page, f"phone/report-{step}")
        wide = page.evaluate(WIDER_THAN_SCREEN) if width > PHONE["width"] else []
        assert width <= PHONE["width"], f"{step}: the page is {width}px wide: {wide}"

    page.goto(base)
    expect(page.get_by_role("heading", level=1)).to_contain_text(quarter.label)
    expect(page.get_by_role("region", name="Narrative")).to_contain_text("We logged")
    fits("open")

    page.goto(base + "narrative/")
    expect(page.get_by_role("heading", name="Figures you can write")).to_be_visible()
    fits("narrative-form")

    # Signed off, then changed: the differences table is the widest part of the page.
    QuarterReport(team_access(lead, team.slug), quarter).record.sign_off(
        lead, QuarterReport(team_access(lead, team.slug), quarter).current
    )
    Activity.objects.filter(team=team, date__range=(quarter.start, quarter.end)).first().delete()
    page.goto(base)
    expect(page.get_by_test_id("report-status")).to_contain_text("Signed off")
    fits("signed-off")
    page.goto(base + "?figures=current")
    fits("current-figures")

    page.goto(base + "print/")
    fits("print")

    start, end = quarter.start.replace(day=15), quarter.end
    page.goto(f"/teams/{team.slug}/reports/period/?date_from={start}&date_to={end}")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fits("period")
