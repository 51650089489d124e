"""A broker logs an activity on a phone (390×844), start to finish, without the page ever
being wider than the screen."""

import pytest
from playwright.sync_api import expect

from activities.models import Activity, Contact
from tests.browser.conftest import PHONE, choose_contact, label, screenshot

pytestmark = pytest.mark.browser


def test_a_broker_logs_an_activity_on_a_phone_without_scrolling_sideways(new_context, demo):
    page = new_context("broker", PHONE, is_mobile=True, has_touch=True).new_page()
    contact = Contact.objects.for_team(demo.team).active().order_by("name").first()

    def fits(step):
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{step}: the page is {width}px wide on a 390px screen"
        screenshot(page, f"phone/journey-{step}")

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.team.name)
    fits("dashboard")

    page.get_by_role("button", name="Toggle navigation").tap()
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Activities")).to_be_visible()
    fits("menu")

    page.get_by_role("main").get_by_role("link", name="Log activity").tap()
    page.get_by_label(label("Type")).select_option(label="Meeting attended")
    page.get_by_label(label("Title")).fill("Urgent care board, explained the evaluation plan")
    choose_contact(page, contact.name.split()[-1], contact.name)
    fits("form")

    page.get_by_role("button", name="New contact").tap()
    dialog = page.get_by_role("dialog", name="New contact")
    dialog.get_by_label(label("Name")).fill("Sam Adeyemi")
    dialog.get_by_label(label("Community")).select_option(label="Clinical")
    fits("new-contact")
    dialog.get_by_role("button", name="Add contact").tap()
    expect(dialog).to_be_hidden()

    page.get_by_label("Duration (minutes)").fill("60")
    page.get_by_label(label("Direction")).select_option(label="Research-informed commissioning")
    page.get_by_role("button", name="Save activity").tap()
    expect(page.get_by_role("status").filter(has_text="logged")).to_be_visible()
    fits("logged")

    activity = Activity.objects.get(team=demo.team, title__startswith="Urgent care board")
    assert activity.duration_minutes == 60
    assert sorted(c.name for c in activity.contacts.all()) == sorted([contact.name, "Sam Adeyemi"])
