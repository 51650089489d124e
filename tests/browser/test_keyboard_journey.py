"""A broker logs an activity with the keyboard alone (Tab, arrow keys, Enter and typing),
and can see where the focus is at every step."""

import pytest
from playwright.sync_api import expect

from activities.models import Activity, Contact
from tests.browser.conftest import label, screenshot

pytestmark = pytest.mark.browser

# The focused element, or the field wrapping it (a searchable select draws its ring round
# the whole field), must show an outline or a focus shadow, and be on screen.
FOCUS_INDICATOR = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return "nothing has the focus";
  const name = focused.tagName.toLowerCase() + (focused.id ? "#" + focused.id : "")
    + " " + (focused.labels?.[0]?.textContent || focused.textContent || "").trim().slice(0, 40);
  const box = focused.getBoundingClientRect();
  if (box.width === 0 || box.height === 0 || box.bottom < 0 || box.top > innerHeight) {
    return name + " is not on screen";
  }
  for (let el = focused, depth = 0; el && depth < 3; el = el.parentElement, depth++) {
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    if (outline || (style.boxShadow && style.boxShadow !== "none")) return "";
  }
  return name + " shows no focus indicator";
}"""


def press(page, key):
    page.keyboard.press(key)
    problem = page.evaluate(FOCUS_INDICATOR)
    assert not problem, f"after {key}: {problem}"


def tab_to(page, locator, limit=40):
    """Press Tab until `locator` has the focus, checking the focus is visible at each step."""
    for _ in range(limit):
        press(page, "Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{limit} presses of Tab did not reach {locator}")


def pick_contact(page, contact):
    """Type a contact's name in the focused contacts field and take the match with Enter."""
    page.keyboard.type(contact.name)
    option = page.get_by_role("option", name=contact.name)
    expect(option).to_be_visible()
    while "active" not in (option.get_attribute("class") or ""):
        press(page, "ArrowDown")
    press(page, "Enter")


def test_a_broker_logs_an_activity_with_the_keyboard_alone(page_for, demo):
    page = page_for("broker")
    first, second = Contact.objects.for_team(demo.team).active().order_by("name")[:2]
    page.goto(f"/teams/{demo.team.slug}/activities/new/")

    press(page, "Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    press(page, "Enter")

    activity_type = page.get_by_label(label("Type"))
    tab_to(page, activity_type)
    press(page, "ArrowDown")  # the first type of the list
    expect(activity_type).not_to_have_value("")
    expect(page.get_by_label(label("Category"))).not_to_have_value("")  # set from the type

    type_chosen = activity_type.input_value()

    tab_to(page, page.get_by_label(label("Title")))
    page.keyboard.type("Keyboard-only introduction")

    contacts = page.get_by_role("combobox", name="Contacts", exact=True)
    tab_to(page, contacts)
    pick_contact(page, first)
    pick_contact(page, second)
    expect(page.locator("#div_id_contacts .ts-control .item")).to_have_count(2)
    screenshot(page, "desktop/journey-keyboard-contacts")

    direction = page.get_by_label(label("Direction"))
    tab_to(page, direction)
    press(page, "ArrowDown")  # "Not recorded": a deliberate choice
    expect(direction).to_have_value("not_recorded")

    tab_to(page, page.get_by_role("button", name="Save activity"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="logged")).to_be_visible()

    activity = Activity.objects.get(team=demo.team, title="Keyboard-only introduction")
    assert activity.activity_type.pk == int(type_chosen)
    assert activity.category == activity.activity_type.category
    assert set(activity.contacts.all()) == {first, second}
