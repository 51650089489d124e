"""A lead's report reaches its readers, in a real browser and with real mail: the lead
names an outside recipient, who confirms from the e-mail an SMTP server received; the
lead signs the quarter off and the e-mailed summary, opened as a page, passes axe-core's
WCAG A and AA checks like the new pages (recipients, saved report, Researchfish and its
mapping) do.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from evaluations.models import ReportRecipient
from kmtracker.lib.quarters import Quarter
from tests.browser.conftest import axe_violations, describe, label, screenshot
from tests.browser.test_team_setup_journey import smtp  # noqa: F401 (a fixture)
from tests.jobs.inline import run_due_jobs

pytestmark = pytest.mark.browser

CONFIRM = re.compile(r"https?://\S+?(/reports/confirm/[A-Za-z0-9_-]+/)")


def assert_accessible(page, name):
    screenshot(page, f"reports-{name}")
    violations = axe_violations(page)
    assert not violations, f"{name}:\n{describe(violations)}"


def test_a_signed_off_quarter_reaches_a_confirmed_outside_recipient(
    page_for,
    demo,
    smtp,  # noqa: F811
):
    team = demo.team
    quarter = Quarter.containing(timezone.localdate(), team.year_start_month).previous()
    lead = page_for("lead")
    lead.goto(f"/teams/{team.slug}/reports/recipients/")
    assert_accessible(lead, "recipients")
    lead.get_by_label(label("Or an outside address")).fill("board@bristol.example")
    lead.get_by_label(label("Who it is")).fill("Board")
    lead.get_by_role("button", name="Add recipient").click()
    expect(
        lead.get_by_text("A confirmation link was sent to board@bristol.example")
    ).to_be_visible()

    run_due_jobs()
    (invite,) = [m for m in smtp.inbox.messages if m["To"] == "board@bristol.example"]
    link = CONFIRM.search(invite.get_body(("plain",)).get_content()).group(1)
    board = page_for()
    board.goto(link)
    assert_accessible(board, "confirm")
    board.get_by_role("button", name="Yes, send them to this address").click()
    expect(board.get_by_test_id("confirmed")).to_be_visible()
    assert ReportRecipient.objects.get(address="board@bristol.example").is_confirmed

    lead.goto(f"/teams/{team.slug}/reports/{quarter.slug}/")
    lead.get_by_text("Sign off…").click()
    lead.get_by_role("button", name=f"Sign off {quarter.short_label}").click()
    run_due_jobs()  # the mailing, then its deliveries
    run_due_jobs()
    (report,) = [
        m for m in smtp.inbox.messages if m["To"] == "board@bristol.example" and m is not invite
    ]
    attached = sorted(part.get_filename() for part in report.iter_attachments())
    assert attached == [f"bristol-report-{quarter.slug}.csv", f"bristol-report-{quarter.slug}.xlsx"]
    mail = page_for()
    mail.set_content(report.get_body(("html",)).get_content())
    expect(mail.get_by_role("heading", level=1)).to_contain_text(quarter.label)
    assert_accessible(mail, "signed-off-mail")

    for name, path in (
        ("saved-reports", "reports/saved/"),
        ("researchfish", "reports/researchfish/?date_from=2025-04-01&date_to=2026-03-31"),
        ("researchfish-mapping", "reports/researchfish/mapping/"),
    ):
        lead.goto(f"/teams/{team.slug}/{path}")
        assert_accessible(lead, name)
    lead.goto(f"/teams/{team.slug}/reports/saved/")
    lead.get_by_role("link", name="Previous quarter").click()
    expect(lead.get_by_test_id("subscription")).to_contain_text("monthly")
    assert_accessible(lead, "saved-report")
