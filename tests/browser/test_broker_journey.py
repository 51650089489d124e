"""A broker's week, in a real browser: sign in, log an activity with two contacts (one of
them added from the form), find it again, edit it, log a similar one and record an
outcome of it; and how few steps a typical activity takes."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import Activity, Category, Contact, Outcome
from tests.browser.conftest import choose_contact, label

pytestmark = pytest.mark.browser

TITLE = "Introduced the frailty leads to the falls researchers"


def existing_contact(team):
    """A contact of the team whose name the search finds by its surname."""
    return Contact.objects.for_team(team).active().order_by("name").first()


def surname(contact):
    return contact.name.split()[-1]


def test_a_broker_logs_finds_edits_repeats_and_records_an_outcome(new_context, demo):
    page = new_context().new_page()
    known = existing_contact(demo.team)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    # Sign in.
    page.goto("/")
    page.get_by_label("Username").fill("broker")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo.team.name)

    # Log an activity with a known contact and one added from the form.
    page.get_by_role("link", name="Log activity").click()
    page.get_by_label(label("Date")).fill(yesterday.isoformat())
    page.get_by_label(label("Type")).select_option(label="Introduction")
    expect(page.get_by_label(label("Category"))).to_have_value(Category.RELATIONSHIP_BUILDING)
    page.get_by_label(label("Title")).fill(TITLE)
    page.get_by_label(label("Direction")).select_option(label="Both")
    choose_contact(page, surname(known), known.name)
    page.get_by_role("button", name="New contact").click()
    dialog = page.get_by_role("dialog", name="New contact")
    dialog.get_by_label(label("Name")).fill("Priya Okonjo")
    dialog.get_by_label(label("Community")).select_option(label="Commissioning")
    dialog.get_by_role("button", name="Add contact").click()
    expect(dialog).to_be_hidden()
    chosen = page.locator("#div_id_contacts .ts-control .item")
    expect(chosen).to_have_count(2)
    expect(chosen.filter(has_text="Priya Okonjo")).to_have_count(1)
    page.get_by_role("button", name="Save activity").click()
    expect(page.get_by_role("status").filter(has_text="logged")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    activity = Activity.objects.get(team=demo.team, title=TITLE)
    assert activity.date == yesterday
    assert activity.lead_broker.user.username == "broker"
    assert sorted(c.name for c in activity.contacts.all()) == sorted([known.name, "Priya Okonjo"])

    # Find it again by filtering the list.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Activities").click()
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("Search titles, descriptions, contacts and organisations").fill(
        "frailty leads falls"
    )
    page.get_by_role("button", name="Apply filters").click()
    results = page.locator("#results")
    expect(results.get_by_text("1 activity", exact=True)).to_be_visible()
    results.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Edit it.
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_role("button", name="Save activity").click()
    expect(page.get_by_role("status").filter(has_text="saved")).to_be_visible()
    expect(page.get_by_text("45 minutes")).to_be_visible()
    activity.refresh_from_db()
    assert activity.duration_minutes == 45

    # Log a similar one: everything but the date and description comes from the first.
    page.get_by_role("link", name="Log a similar one").click()
    expect(page.get_by_label(label("Title"))).to_have_value(TITLE)
    expect(page.locator("#div_id_contacts .ts-control .item")).to_have_count(2)
    page.get_by_label(label("Title")).fill(TITLE + ", second meeting")
    page.get_by_role("button", name="Save activity").click()
    expect(page.get_by_role("status").filter(has_text="logged")).to_be_visible()

    similar = Activity.objects.get(team=demo.team, title=TITLE + ", second meeting")
    assert similar.date == timezone.localdate()
    assert similar.activity_type == activity.activity_type
    assert similar.duration_minutes == 45
    assert set(similar.contacts.all()) == set(activity.contacts.all())

    # Record an outcome of it.
    page.get_by_role("link", name="Record an outcome").click()
    page.get_by_label(label("Type")).select_option(label="Connection made")
    page.get_by_label(label("Description")).fill("The falls team now meets the frailty leads.")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_role("status").filter(has_text="Outcome recorded.")).to_be_visible()

    outcome = Outcome.objects.get(team=demo.team, activity=similar)
    assert outcome.type == Outcome.Type.CONNECTION_MADE
    assert outcome.description == "The falls team now meets the frailty leads."


class Counted:
    """The page's fields, counting every interaction a user makes with them."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def fill(self, locator, value):
        self.count += 1
        locator.fill(value)

    def select(self, locator, **option):
        self.count += 1
        locator.select_option(**option)

    def click(self, locator):
        self.count += 1
        locator.click()


def test_a_typical_activity_takes_at_most_9_interactions(page_for, demo):
    """Date, type, title, direction and two contacts, then Save: the category follows from
    the type, a contact is two interactions (type part of the name, pick it), and the
    direction is chosen (it has no silent default)."""
    page = page_for("broker")
    first, second = Contact.objects.for_team(demo.team).active().order_by("name")[:2]
    page.goto(f"/teams/{demo.team.slug}/activities/new/")
    form = Counted(page)

    form.fill(page.get_by_label(label("Date")), "2026-01-15")
    form.select(page.get_by_label(label("Type")), label="Seminar delivered")
    form.fill(page.get_by_label(label("Title")), "Seminar on the frailty evidence")
    form.select(page.get_by_label(label("Direction")), label="Unclear")
    for contact in (first, second):
        form.fill(page.get_by_role("combobox", name="Contacts", exact=True), surname(contact))
        form.click(page.get_by_role("option", name=re.compile(re.escape(contact.name))))
    form.click(page.get_by_role("button", name="Save activity"))
    expect(page.get_by_role("status").filter(has_text="logged")).to_be_visible()

    activity = Activity.objects.get(team=demo.team, title="Seminar on the frailty evidence")
    assert activity.date == datetime.date(2026, 1, 15)
    assert activity.category == Category.AWARENESS_RAISING
    assert activity.activity_type.name == "Seminar delivered"
    assert set(activity.contacts.all()) == {first, second}
    assert form.count <= 9, f"{form.count} interactions to log a typical activity"


def test_the_new_contact_dialog_offers_the_contact_the_team_has(new_context, demo):
    """Typing someone the team has brings them up; "use this one" links them instead."""
    page = new_context().new_page()
    page.goto("/")
    page.get_by_label("Username").fill("broker")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Log activity").click()
    page.get_by_role("button", name="New contact").click()
    dialog = page.get_by_role("dialog", name="New contact")
    dialog.get_by_label(label("Name")).fill("Ayesha Brennan")  # seeded twice in the demo
    dialog.get_by_label(label("Community")).select_option(label="Research")
    dialog.get_by_role("button", name="Add contact").click()
    warning = dialog.get_by_role("alert").filter(has_text="looks like a contact")
    expect(warning).to_be_visible()
    warning.get_by_role("button", name="Use this one").first.click()
    expect(dialog).to_be_hidden()
    chosen = page.locator("#div_id_contacts .ts-control .item")
    expect(chosen.filter(has_text="Ayesha Brennan")).to_have_count(1)
    assert Contact.objects.filter(team=demo.team, name__contains="Ayesha Brennan").count() == 3


def test_the_new_contact_dialog_starts_from_the_name_searched_for(new_context, demo):
    """Someone not found in the contacts' search is the one to add: the search offers the
    dialog, which opens with the typed name in its first field, which has the focus; the
    "New contact" button does the same once the list is closed."""
    page = new_context().new_page()
    page.goto("/")
    page.get_by_label("Username").fill("broker")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Log activity").click()
    search = page.locator("#div_id_contacts .ts-control input")
    search.click()
    search.press_sequentially("Zanele Okafor")
    page.get_by_role("button", name="Add “Zanele Okafor” as a new contact").click()
    dialog = page.get_by_role("dialog", name="New contact")
    name = dialog.get_by_label(label("Name"))
    expect(name).to_have_value("Zanele Okafor")
    expect(name).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    search.click()
    search.press_sequentially("Ruth")
    search.press("Escape")
    page.get_by_role("button", name="New contact").click()
    expect(name).to_have_value(re.compile("Ruth"))
    expect(name).to_be_focused()


def test_the_new_contact_dialog_adds_a_different_person_once_told(new_context, demo):
    page = new_context().new_page()
    page.goto("/")
    page.get_by_label("Username").fill("broker")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Log activity").click()
    page.get_by_role("button", name="New contact").click()
    dialog = page.get_by_role("dialog", name="New contact")
    dialog.get_by_label(label("Name")).fill("Hannah Lowe")  # seeded in the demo
    dialog.get_by_label(label("Community")).select_option(label="Research")
    dialog.get_by_role("button", name="Add contact").click()
    dialog.get_by_role("button", name="It's a different person: add it").click()
    expect(dialog).to_be_hidden()
    chosen = page.locator("#div_id_contacts .ts-control .item")
    expect(chosen.filter(has_text="Hannah Lowe")).to_have_count(1)
    assert Contact.objects.filter(team=demo.team, name="Hannah Lowe").count() == 2
