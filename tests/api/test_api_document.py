"""The OpenAPI document at a stable address, and its documentation page with no CDN."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_document_is_openapi_3_json_and_names_every_endpoint():
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert sorted(document["paths"]) == [
        "/api/v1/teams/{team}/activities/",
        "/api/v1/teams/{team}/activity-contacts/",
        "/api/v1/teams/{team}/contacts/",
        "/api/v1/teams/{team}/organisations/",
        "/api/v1/teams/{team}/outcomes/",
        "/api/v1/teams/{team}/projects/",
        "/api/v1/teams/{team}/reports/period/",
        "/api/v1/teams/{team}/reports/{quarter}/",
        "/api/v1/teams/{team}/studies/{study}/excerpts/",
        "/api/v1/teams/{team}/studies/{study}/matrix/",
    ]
    activities = document["paths"]["/api/v1/teams/{team}/activities/"]["get"]
    names = {parameter["name"] for parameter in activities["parameters"]}
    assert {"category", "date_from", "quarter", "contact", "q", "cursor", "page_size"} <= names
    assert "o" not in names  # the API's order is the cursor's
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_documentation_page_loads_everything_from_this_installation():
    response = Client().get(reverse("api:docs"))

    assert response.status_code == 200
    page = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources
    assert all(source.startswith("/") for source in sources), sources
    for source in sources:
        if source.startswith("/static/"):
            assert finders.find(source.removeprefix("/static/").split("?")[0]), source
    assert "unsafe" not in response["Content-Security-Policy"]
    assert "<style" not in page and "<script>" not in page  # nothing the policy refuses
    script = Client().get(reverse("api:docs") + "?script=")
    assert script.status_code == 200
    assert "/api/v1/openapi.json" in script.content.decode()
