"""The accessibility statement: public, and linked from every page."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anyone_can_read_the_accessibility_statement(client):
    response = client.get(reverse("accessibility"))

    assert response.status_code == 200
    assert "Accessibility statement for KM Tracker" in response.text
    assert "WCAG" in response.text
    assert "Enforcement procedure" in response.text


def test_every_page_links_to_the_accessibility_statement(client_for, broker):
    response = client_for(broker).get(reverse("team_dashboard", kwargs={"team": "bristol"}))

    assert f'href="{reverse("accessibility")}"' in response.text


def test_the_sign_in_page_links_to_the_accessibility_statement(client):
    response = client.get(reverse("login"))

    assert f'href="{reverse("accessibility")}"' in response.text
