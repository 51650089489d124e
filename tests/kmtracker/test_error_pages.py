"""Error pages a person understands: styled 400, 403, 404 and 500, each with a way back,
and a 404 that says nothing about which teams exist."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

STYLE_SHEET = "/static/css/kmtracker.css"
# The sign-out form's token differs on every page.
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture(autouse=True)
def production(settings):
    """Error pages are what production shows: DEBUG off."""
    settings.DEBUG = False


def assert_styled(response, status):
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert STYLE_SHEET in page
    assert f"Error {status}" in page
    return page


def test_a_broker_on_a_lead_page_gets_the_styled_403_with_a_way_back(client_for, team, broker):
    response = client_for(broker).get(reverse("audit:access_log", kwargs={"team": team.slug}))

    page = assert_styled(response, 403)
    assert "Your role does not allow this" in page
    assert "As broker in Bristol" in page
    assert f'href="{reverse("team_dashboard", kwargs={"team": team.slug})}"' in page


def test_a_refused_post_in_a_team_gets_the_styled_403(client_for, team, evaluator):
    response = client_for(evaluator).post(
        reverse("activities:contact_add", kwargs={"team": team.slug}), {"name": "Refused"}
    )

    assert "Your role does not allow this" in assert_styled(response, 403)


def test_a_form_without_its_token_gets_the_styled_expired_form_page(team, broker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(broker)

    response = client.post(
        reverse("activities:contact_add", kwargs={"team": team.slug}), {"name": "No token"}
    )

    page = assert_styled(response, 403)
    assert "This form has expired" in page
    assert "CSRF" not in page  # Django's reasons are for developers


def test_another_teams_page_and_a_missing_teams_page_are_the_same_404(
    client_for, team, other_team, other_broker
):
    client = client_for(other_broker)

    existing = client.get(reverse("team_dashboard", kwargs={"team": team.slug}))
    missing = client.get(reverse("team_dashboard", kwargs={"team": "atlantis"}))

    page = assert_styled(existing, 404)
    assert_styled(missing, 404)
    assert TOKEN.sub("", page) == TOKEN.sub("", missing.content.decode())
    assert team.slug not in page and "Bristol" not in page
    assert f'href="{reverse("home")}"' in page


def test_a_missing_record_of_ones_own_team_leads_back_to_its_dashboard(client_for, team, broker):
    response = client_for(broker).get(
        reverse("activities:activity_detail", kwargs={"team": team.slug, "pk": 999999})
    )

    page = assert_styled(response, 404)
    assert "We cannot find that page" in page
    assert f'href="{reverse("team_dashboard", kwargs={"team": team.slug})}"' in page


def test_an_unknown_address_gets_the_styled_404(client_for, broker):
    assert "We cannot find that page" in assert_styled(client_for(broker).get("/nowhere/"), 404)


@pytest.mark.urls("tests.kmtracker.error_urls")
def test_a_failing_view_gets_the_styled_500():
    client = Client(raise_request_exception=False)

    response = client.get("/fail/")

    page = assert_styled(response, 500)
    assert "Something went wrong on our side" in page
    assert 'href="/"' in page
    assert "a bug in a view" not in page


def test_the_500_page_needs_no_request_and_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = render_to_string("500.html")

    assert STYLE_SHEET in page and "Something went wrong" in page
