"""A broker's week: follow-ups marked done and snoozed from the dashboard, the navigation's
search finding a contact by their organisation's acronym, a project moved from submitted
to funded on the pipeline by keyboard alone; and every page fitting the screen."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, Contact, Project
from tests.browser.conftest import DESKTOP, PHONE, screenshot
from tests.browser.pages import PAGES, SCROLLS_SIDEWAYS, records, url_of
from tests.browser.test_keyboard_journey import press, tab_to

pytestmark = pytest.mark.browser

SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def date_keys(page):
    """The order a date field takes its day, month and year as typed, in this browser (it
    follows the browser's own locale): found by typing into a field made for the purpose."""
    probe = page.evaluate_handle(
        """() => { const el = document.createElement("input"); el.type = "date";
        document.body.append(el); el.focus(); return el; }"""
    )
    page.keyboard.type("01022003")
    value = probe.evaluate("el => { const v = el.value; el.remove(); return v; }")
    return {"2003-02-01": "%d%m%Y", "2003-01-02": "%m%d%Y"}[value]


def test_the_broker_marks_a_follow_up_done_and_snoozes_another(page_for, demo):
    page = page_for("broker")
    today = timezone.localdate()
    page.goto("/")
    follow_ups = page.get_by_test_id("follow-ups")
    expect(follow_ups.get_by_role("heading", name=re.compile("Due this week"))).to_be_visible()
    expect(follow_ups.get_by_role("heading", name=re.compile("Overdue"))).to_be_visible()
    # Every day shown has its year.
    days = follow_ups.get_by_test_id("follow-up").locator("small")
    expect(days.first).to_have_text(re.compile(r"\d{1,2} \w{3} \d{4}"))
    screenshot(page, "desktop/journey-week-follow-ups")

    overdue = follow_ups.get_by_test_id("follow-up").filter(has_text="(overdue)").first
    title = overdue.get_by_role("link").first.inner_text()
    overdue.get_by_role("button", name="Done").click()
    expect(page.get_by_role("status").filter(has_text="done")).to_be_visible()
    done = Activity.objects.filter(follow_up_done_at__isnull=False).get()
    assert done.title.startswith(title.rstrip("…")) and done.follow_up_done_by.username == "broker"

    due = follow_ups.get_by_test_id("follow-up").filter(has_not_text="(overdue)").first
    snoozed_title = due.get_by_role("link").first.inner_text()
    until = today + datetime.timedelta(days=10)
    due.get_by_label(re.compile("^Snooze the follow-up")).fill(until.isoformat())
    due.get_by_role("button", name="Snooze").click()
    expect(page.get_by_role("status").filter(has_text="snoozed")).to_be_visible()
    snoozed = Activity.objects.get(follow_up_date=until, title__startswith=snoozed_title[:20])
    assert snoozed.follow_up_done_at is None


def test_the_navigation_search_finds_a_contact_by_the_organisations_acronym(page_for, demo):
    contact = (
        Contact.objects.for_team(demo.team)
        .active()
        .filter(organisation__aliases__contains="BNSSG")
        .order_by("name")
        .first()
    )
    page = page_for("broker")
    page.goto("/")
    search = page.get_by_role("combobox", name=re.compile("^Search"))
    search.focus()
    page.keyboard.type("BNSSG")
    listbox = page.get_by_role("listbox", name="Search results")
    option = listbox.get_by_role("option", name=re.compile(re.escape(contact.name)))
    expect(option).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    screenshot(page, "desktop/journey-week-search")
    while option.get_attribute("aria-selected") != "true":
        page.keyboard.press("ArrowDown")
        expect(search).to_have_attribute("aria-activedescendant", re.compile("gs-option"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(contact.name)


def test_the_broker_moves_a_project_to_funded_with_the_keyboard(page_for, demo):
    project = (
        Project.objects.for_team(demo.team).filter(status="submitted").order_by("title").first()
    )
    decided = timezone.localdate()
    page = page_for("broker")
    page.goto(f"/teams/{demo.team.slug}/projects/pipeline/")
    move_to = page.locator(f"#move-{project.pk}")
    decided_on = page.locator(f"#decided-{project.pk}")
    expect(decided_on).to_be_hidden()  # a submitted project has no decision yet
    keys = date_keys(page)

    tab_to(page, move_to, limit=200)
    page.keyboard.type("Funded")  # a closed select takes the option its typing names
    expect(move_to).to_have_value("funded")
    expect(decided_on).to_be_visible()  # a decision asks for its date
    press(page, "Tab")
    expect(decided_on).to_be_focused()
    page.keyboard.type(decided.strftime(keys))
    expect(decided_on).to_have_value(decided.isoformat())
    # Past the date field's own calendar button, to "Move".
    tab_to(page, page.get_by_test_id(f"move-{project.pk}").get_by_role("button"), limit=3)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("status").filter(has_text="moved to Funded")).to_be_visible()
    funded = page.locator("[data-status=funded]")
    expect(funded.get_by_role("link", name=project.title)).to_be_visible()
    project.refresh_from_db()
    assert (project.status, project.decided_on) == ("funded", decided)


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("role", ["broker", "lead"])
def test_the_navigation_keeps_to_one_line(page_for, demo, role, width):
    page = page_for(role, {"width": width, "height": 800})
    page.goto("/")
    navbar = page.get_by_role("navigation", name="Main")
    height = navbar.evaluate("el => el.getBoundingClientRect().height")
    assert height < 70, f"the navigation is {height} px high at {width} px: it wraps"
    account = navbar.get_by_role("button", name="account")
    account.click()
    expect(navbar.get_by_role("button", name="Sign out")).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 0


def test_the_navigation_folds_away_on_a_phone(page_for, demo):
    page = page_for("broker", PHONE)
    page.goto("/")
    expect(page.get_by_role("combobox", name=re.compile("^Search"))).to_be_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    expect(page.get_by_role("combobox", name=re.compile("^Search"))).to_be_visible()


@pytest.mark.parametrize("role", ["broker", "lead", "evaluator"])
def test_no_page_scrolls_sideways(page_for, demo, role):
    """Every page of the page list, at 390 and 1280 px (the accessibility walk checks the
    same with axe; this one alone is quick enough to run on every change)."""
    objects = records(demo, role)
    page = page_for(role, DESKTOP)
    failures, known = [], set()
    for spec in [spec for spec in PAGES if role in spec.roles]:
        page.set_viewport_size(DESKTOP)
        response = page.goto(url_of(spec, objects))
        assert response.status == 200, spec.name
        if spec.before:
            spec.before(page)
        for size in (DESKTOP, PHONE):
            page.set_viewport_size(size)
            page.evaluate("() => new Promise((done) => requestAnimationFrame(done))")
            if (sideways := page.evaluate(SIDEWAYS)) > 0:
                if spec.name in SCROLLS_SIDEWAYS:
                    known.add(spec.name)
                else:
                    failures.append(f"{spec.name} at {size['width']} px: {sideways} px sideways")
    assert not failures, "\n".join(failures)
    fixed = {n for n in SCROLLS_SIDEWAYS if any(s.name == n and role in s.roles for s in PAGES)}
    assert known == fixed, f"no longer scroll sideways, take off SCROLLS_SIDEWAYS: {fixed - known}"
