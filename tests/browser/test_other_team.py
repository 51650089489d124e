"""A broker of another team learns nothing of Bristol: every Bristol URL answers "not found",
as if the team did not exist."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.pages import PAGES, records, url_of

pytestmark = pytest.mark.browser

# URLs that are not pages of their own but still hold Bristol's data.
MORE = [
    ("activities:activity_list", "?export=csv"),
    ("activities:activity_list", "?export=xlsx"),
    ("activities:contact_list", "?export=csv"),
    ("activities:outcome_list", "?export=csv"),
    ("activities:project_list", "?export=csv"),
    ("activities:contact_search", "?q=a"),
    ("activities:organisation_search", "?q=a"),
]


def bristol_urls(demo):
    objects = records(demo, "broker")
    urls = [url_of(page, objects) for page in PAGES if page.target is not None]
    team = {"team": demo.team.slug}
    urls += [reverse(name, kwargs=team) + query for name, query in MORE]
    quarter = team | {"quarter": objects["quarter"].slug}
    urls += [
        reverse("evaluations:report_detail", kwargs=quarter) + "?export=csv",
        reverse("evaluations:report_print", kwargs=quarter),
    ]
    # Pages outside any team (a reset link, an invitation link) are not Bristol's.
    return sorted(url for url in set(urls) if url.startswith(f"/teams/{demo.team.slug}/"))


def test_another_teams_broker_finds_no_bristol_url(page_for, demo):
    page = page_for("wm-broker")
    page.goto("/")
    assert page.url.endswith(f"/teams/{demo.other_team.slug}/"), "wm-broker's own team first"

    urls = bristol_urls(demo)
    assert len(urls) > 50
    # Through the browser's session, without drawing each page: the first is drawn.
    page.goto(urls[0])
    expect(page).to_have_title(re.compile("not found", re.I))
    expect(page.get_by_role("heading", level=1)).to_have_text("We cannot find that page")
    answers = {}
    for url in urls:
        response = page.request.get(url, max_redirects=0)
        text = response.text()
        if response.status != 404 or not re.search("not found", text, re.I):
            answers[url] = f"{response.status}: {text[:80]!r}"

    assert not answers, f"Bristol URLs that answered wm-broker: {answers}"
