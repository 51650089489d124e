"""A broker makes an API token on their account page, a script pages through Bristol's
activities with it and is refused West Midlands'; an evaluator's token reads pseudonyms
only; a revoked token stops."""

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from activities.models import Activity
from kmtracker.lib.waiting import scaled
from tests.browser.conftest import label

pytestmark = pytest.mark.browser


def make_token(page, name, team):
    page.goto("/")
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("button", name="account").click()  # the user's menu holds the link
    main_nav.get_by_role("link", name="API tokens").click()
    page.get_by_label(label("Name")).fill(name)
    page.get_by_label(label("Team")).select_option(label=team.name)
    page.get_by_role("button", name="Make the token").click()
    secret = page.get_by_test_id("token-secret").input_value()
    expect(page.get_by_test_id("tokens")).to_contain_text(name)
    return secret


def fetch(url, secret):
    """(status, JSON body) of a GET with the token, as a script sends it."""
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request, timeout=scaled(10)) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def every_row(base, path, secret):
    rows, url = [], f"{base}{path}?page_size=100"
    while url:
        status, body = fetch(url, secret)
        assert status == 200, body
        rows += body["results"]
        url = body["next"]
    return rows


def test_a_token_pages_through_its_team_only_and_stops_when_revoked(page_for, demo, live_server):
    page = page_for("broker")
    secret = make_token(page, "Power BI", demo.team)
    assert secret.startswith("kmt_")

    rows = every_row(live_server.url, "/api/v1/teams/bristol/activities/", secret)
    assert len(rows) == Activity.objects.filter(team=demo.team).count() > 100
    assert {row["team"] for row in rows} == {"bristol"}
    status, body = fetch(f"{live_server.url}/api/v1/teams/west-midlands/activities/", secret)
    assert (status, body["error"]) == (404, "No such team.")

    page.reload()  # the secret was shown once: the list names the token, never its secret
    expect(page.get_by_test_id("tokens")).to_contain_text("Power BI")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_test_id("tokens")).to_contain_text("Revoked")
    status, body = fetch(f"{live_server.url}/api/v1/teams/bristol/activities/", secret)
    assert (status, body["error"]) == (401, "This token is revoked.")


def test_an_evaluators_token_reads_pseudonyms_only(page_for, demo, live_server):
    secret = make_token(page_for("evaluator"), "R", demo.team)

    links = every_row(live_server.url, "/api/v1/teams/bristol/activity-contacts/", secret)
    contacts = every_row(live_server.url, "/api/v1/teams/bristol/contacts/", secret)

    assert links and all(re.fullmatch(r"C-\w{8}", row["contact"]) for row in links)
    assert contacts and all(row["name"] == "" and row["email"] == "" for row in contacts)
