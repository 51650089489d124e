"""A broker of another team learns nothing of Bristol: every Bristol URL answers "not found",
as if the team did not exist."""

import re

import pytest
from django.urls import reverse

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
    return sorted(set(urls))


def test_another_teams_broker_finds_no_bristol_url(page_for, demo):
    page = page_for("wm-broker")
    page.goto("/")
    assert page.url.endswith(f"/teams/{demo.other_team.slug}/"), "wm-broker's own team first"

    answers = {}
    for url in bristol_urls(demo):
        response = page.goto(url)
        text = page.locator("body").inner_text()
        if response.status != 404 or not re.search("not found", text, re.I):
            answers[url] = f"{response.status}: {text[:80]!r}"

    assert len(bristol_urls(demo)) > 50
    assert not answers, f"Bristol URLs that answered wm-broker: {answers}"
