"""An evaluator filters the team's activities and downloads them as CSV (contacts as
pseudonyms only), then opens the team's evaluation and codes a passage of an interview."""

import csv
import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from activities.exports import LIST_EXPORTS
from activities.models import Activity, Category, Contact
from tests.browser.conftest import label

pytestmark = pytest.mark.browser

PSEUDONYM = re.compile(r"^C-[0-9A-Za-z]{8}$")
FREE_TEXT = {"title", "description"}


def test_an_evaluator_filters_activities_and_downloads_them_pseudonymised(page_for, demo):
    team = demo.team
    page = page_for("evaluator")
    wanted = Activity.objects.for_team(team).filter(category=Category.AWARENESS_RAISING)

    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Activities").click()
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label(label("Category")).select_option(label="Awareness raising")
    results = page.locator("#results")
    expect(results.get_by_text(f"{wanted.count()} activities", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"category=awareness_raising"))

    with page.expect_download() as download_info:
        results.get_by_role("link", name="Download CSV").click()
    with open(download_info.value.path(), newline="", encoding="utf-8-sig") as file:
        rows = list(csv.DictReader(file))

    assert list(rows[0]) == LIST_EXPORTS["activities"].header
    assert sorted(int(row["id"]) for row in rows) == sorted(wanted.values_list("pk", flat=True))
    assert {row["category"] for row in rows} == {"awareness_raising"}
    labels = [label for row in rows for label in row["contacts"].split("; ") if label]
    assert labels, "the demo's seminars have contacts"
    assert all(PSEUDONYM.match(label) for label in labels), labels[:5]
    # Titles and descriptions are the brokers' own words, which may name people (the demo's
    # do); every other column must not.
    cells = "\n".join(
        value for row in rows for column, value in row.items() if column not in FREE_TEXT
    )
    names = Contact.objects.for_team(team).filter(activities__in=wanted).values_list("name")
    leaked = {name for (name,) in names if name in cells}
    assert not leaked, f"contact names in the evaluator's CSV: {sorted(leaked)[:5]}"


def test_an_evaluator_codes_a_passage_of_an_interview(page_for, demo):
    try:
        reverse("evaluations:study_list", kwargs={"team": demo.team.slug})
    except NoReverseMatch:
        pytest.skip("Evaluation studies are not built yet (no evaluations:study_list URL)")
    from evaluations.models import Excerpt, Study, Theme

    study = Study.objects.get(team=demo.team)
    theme = Theme.objects.filter(study=study, parent__isnull=False).order_by("pk").first()
    page = page_for("evaluator")
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("button", name="More").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evaluations").click()
    page.get_by_role("link", name=study.title).click()
    page.get_by_role("link", name="Interview with P01").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview with P01")

    passage = "they hold knowledge I do not have"
    page.get_by_role("textbox", name="Passage").fill(passage)
    page.get_by_role("checkbox", name=theme.name, exact=True).check()
    page.get_by_role("button", name="Code passage").click()
    expect(page.get_by_role("status").filter(has_text="Passage coded")).to_be_visible()

    excerpt = Excerpt.objects.get(source__study=study, text=passage)
    assert list(excerpt.themes.all()) == [theme]
    assert excerpt.coder.username == "evaluator"
