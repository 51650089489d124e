"""A team sets itself up without a developer, in a real browser and with real mail: the
site administrator creates the team and invites its lead; the lead accepts from the
e-mail an SMTP server received, invites a broker; the broker accepts and logs a first
activity. Nobody opens the Django admin.

The mail is delivered by the job worker's own code (`Worker(batch=True)`), as the
worker process would, to aiosmtpd listening on a port of its own.
"""

import re

import pytest
from playwright.sync_api import expect

from activities.models import Activity, Broker
from teams.models import Membership, Team
from tests.browser.conftest import axe_violations, describe, label, screenshot
from tests.jobs.inline import run_due_jobs
from tests.mail.smtp import SmtpServer, free_port

pytestmark = pytest.mark.browser

PASSWORD = "a long enough passphrase 42"
LINK = re.compile(r"https?://\S+?(/invitations/[A-Za-z0-9_-]+/)")


@pytest.fixture
def smtp(settings, live_server):
    """Mail leaves by SMTP to a real server on 127.0.0.1; links point at the live server."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = live_server.url
    server = SmtpServer(settings.EMAIL_PORT).start()
    yield server
    server.stop()


def link_in_mail_to(smtp, address):
    """Run the queued deliveries, then the invitation link of the mail `address` received."""
    run_due_jobs()
    received = [m for m in smtp.inbox.messages if m["To"] == address]
    assert received, f"no mail to {address}"
    text = received[-1].get_body(("plain",)).get_content()
    return LINK.search(text).group(1)


def assert_accessible(page, name):
    screenshot(page, f"team-setup-{name}")
    violations = axe_violations(page)
    assert not violations, f"{name}:\n{describe(violations)}"


def accept(page, link, *, first, last, username):
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Greater Manchester")
    page.get_by_label(label("First name")).fill(first)
    page.get_by_label(label("Last name")).fill(last)
    page.get_by_label(label("Username")).fill(username)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_label(label("Password again")).fill(PASSWORD)
    page.get_by_label(label("Kind")).select_option(label="Researcher-in-residence")
    page.get_by_label(label("FTE")).fill("0.5")


def test_an_administrator_a_lead_and_a_broker_set_up_a_team(new_context, demo, smtp):
    # The site administrator creates the team and invites its lead.
    admin = new_context("admin").new_page()
    admin.goto("/site/teams/")
    main_nav = admin.get_by_role("navigation", name="Main")
    main_nav.get_by_role("button", name="account").click()  # the user's menu
    main_nav.get_by_role("link", name="Teams").click()  # the menu closes on the site's teams
    admin.get_by_role("link", name="New team").click()
    admin.get_by_label(label("Name")).fill("Greater Manchester")
    admin.get_by_label(label("Address")).fill("bristol")  # taken: said beside the field
    admin.get_by_label(label("Reporting year starts in")).select_option(label="April")
    admin.get_by_label(label("First lead's e-mail address")).fill("gm-lead@example.org")
    admin.get_by_role("button", name="Create team and invite its lead").click()
    expect(admin.get_by_text("Another team already has this address")).to_be_visible()
    assert_accessible(admin, "new-team-errors")
    admin.get_by_label(label("Address")).fill("greater-manchester")
    admin.get_by_role("button", name="Create team and invite its lead").click()
    expect(admin.get_by_role("status").filter(has_text="gm-lead@example.org")).to_be_visible()
    expect(admin.get_by_role("link", name="Greater Manchester")).to_be_visible()
    assert_accessible(admin, "teams")
    team = Team.objects.get(slug="greater-manchester")

    # The lead accepts from the mail and lands on the team's dashboard.
    lead = new_context().new_page()
    accept(lead, link_in_mail_to(smtp, "gm-lead@example.org"), first="Gwen", last="Lead",
           username="gwen")  # fmt: skip
    assert_accessible(lead, "accept")
    lead.get_by_role("button", name="Join Greater Manchester").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Greater Manchester")
    assert Membership.objects.get(team=team, user__username="gwen").role == "lead"
    assert Broker.objects.get(team=team, user__username="gwen").kind == "researcher_in_residence"

    # The lead invites a broker from the members page.
    lead.get_by_role("navigation", name="Main").get_by_role("button", name="More").click()
    lead.get_by_role("navigation", name="Main").get_by_role("link", name="Members").click()
    lead.get_by_label(label("E-mail addresses")).fill("gm-broker@example.org")
    lead.get_by_label(label("Role")).select_option(label="Broker")
    lead.get_by_role("button", name="Send invitations").click()
    expect(lead.get_by_role("status").filter(has_text="gm-broker@example.org")).to_be_visible()
    expect(lead.get_by_test_id("invitations")).to_contain_text("gm-broker@example.org")
    assert_accessible(lead, "members")

    # The broker accepts and logs a first activity.
    broker = new_context().new_page()
    accept(broker, link_in_mail_to(smtp, "gm-broker@example.org"), first="Bryn", last="Broker",
           username="bryn@example.org")  # fmt: skip
    broker.get_by_role("button", name="Join Greater Manchester").click()
    expect(broker.get_by_role("heading", level=1)).to_have_text("Greater Manchester")
    broker.get_by_role("link", name="Log activity").click()
    expect(broker.get_by_test_id("missing-profile")).to_have_count(0)
    broker.get_by_label(label("Type")).select_option(label="Introduction")
    broker.get_by_label(label("Title")).fill("Met the ICB's population health team")
    broker.get_by_label(label("Direction")).select_option(label="Unclear")
    broker.get_by_role("button", name="Save activity").click()
    expect(broker.get_by_role("status").filter(has_text="logged")).to_be_visible()

    activity = Activity.objects.get(team=team)
    assert activity.lead_broker.user.username == "bryn@example.org"
    assert activity.created_by.username == "bryn@example.org"

    # The used link now says so, and the lead sees both members.
    broker.goto(link_in_mail_to(smtp, "gm-broker@example.org"))
    expect(broker.get_by_role("heading", level=1)).to_have_text("You are already a member")
    lead.reload()
    expect(lead.get_by_test_id("members")).to_contain_text("Bryn Broker")
    expect(lead.get_by_test_id("invitations")).to_have_count(0)
