"""A broker types a description naming people, and links them from the hints beside it."""

import pytest
from playwright.sync_api import expect

from activities.models import Contact
from tests.browser.conftest import label

pytestmark = pytest.mark.browser


def test_a_broker_links_a_named_contact_and_adds_a_titled_name(new_context, demo):
    known = Contact.objects.for_team(demo.team).active().order_by("name").first()
    surname = known.name.split()[-1]
    page = new_context().new_page()
    page.goto("/")
    page.get_by_label("Username").fill("broker")
    page.get_by_label("Password").fill(demo.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Log activity").click()

    page.get_by_label(label("Description")).fill(
        f"Introduced Dr {surname} to Prof. Kofi Ng, the falls lead."
    )
    hints = page.get_by_test_id("mention-hints")
    expect(hints).to_contain_text(f"mentions {known.name}")
    offer = hints.get_by_role("listitem").filter(has_text=f"mentions {known.name} —")
    offer.get_by_role("button", name="add as a contact of this activity?").click()
    chosen = page.locator("#div_id_contacts .ts-control .item")
    expect(chosen.filter(has_text=known.name)).to_have_count(1)

    hints.get_by_role("button", name="add as a new contact?").click()
    dialog = page.get_by_role("dialog", name="New contact")
    expect(dialog.get_by_label(label("Name"))).to_have_value("Prof. Kofi Ng")
    dialog.get_by_label(label("Community")).select_option(label="Research")
    dialog.get_by_role("button", name="Add contact").click()
    expect(dialog).to_be_hidden()
    expect(chosen).to_have_count(2)
