"""The API's rows are the CSV's rows: same columns, same filters, same pseudonyms."""

import datetime

import pytest
from django.urls import reverse

from activities.exports.activities import ACTIVITIES
from activities.exports.contacts import CONTACTS
from activities.exports.organisations import ORGANISATIONS
from activities.exports.outcomes import OUTCOMES
from activities.exports.projects import PROJECTS
from activities.models import Category, Community
from kmtracker.lib.pseudonyms import contact_pseudonym
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, team, **kwargs):
    return reverse(f"api:{name}", kwargs={"team": team.slug, **kwargs})


def test_activities_have_the_csv_columns_in_order(team, broker, api_as):
    contact = factories.ContactFactory(team=team, name="Ada Ng", community=Community.CLINICAL)
    activity = factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="Frailty seminar",
        date=datetime.date(2025, 5, 12),
        attendees=12,
        contacts=[contact],
    )

    response = api_as(broker, team).get(url("activities", team))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["next"] is None and body["previous"] is None
    [row] = body["results"]
    assert list(row) == ACTIVITIES.header
    assert row["id"] == activity.pk
    assert row["date"] == "2025-05-12"
    assert row["team"] == "bristol"
    assert row["title"] == "Frailty seminar"
    assert row["attendees"] == 12
    assert row["duration_minutes"] == 60
    assert row["contacts"] == "Ada Ng"
    assert row["contact_communities"] == "clinical"
    assert row["category"] in Category.values


def test_evaluators_read_pseudonyms_and_redacted_text(team, evaluator, broker, api_as):
    contact = factories.ContactFactory(team=team, name="Ada Ng", email="ada@example.org")
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="Met Ada Ng about frailty",
        description="Wrote to ada@example.org",
        contacts=[contact],
    )
    client = api_as(evaluator, team)

    [activity] = client.get(url("activities", team)).json()["results"]
    [link] = client.get(url("activity_contacts", team)).json()["results"]
    [person] = client.get(url("contacts", team)).json()["results"]

    pseudonym = contact_pseudonym(team.pk, contact.pk)
    assert activity["contacts"] == pseudonym
    assert activity["title"] == f"Met {pseudonym} about frailty"
    assert activity["description"] == "Wrote to [email]"
    assert link["contact"] == pseudonym
    assert person["pseudonym"] == pseudonym
    assert person["name"] == "" and person["email"] == ""


def test_it_filters_with_the_lists_filterset(team, broker, api_as):
    inside = factories.ActivityFactory(team=team, date=datetime.date(2025, 5, 1))
    factories.ActivityFactory(team=team, date=datetime.date(2025, 9, 1))

    response = api_as(broker, team).get(
        url("activities", team), {"date_from": "2025-04-01", "date_to": "2025-06-30"}
    )

    assert [row["id"] for row in response.json()["results"]] == [inside.pk]


def test_a_bad_filter_is_a_json_400_saying_which(team, broker, api_as):
    response = api_as(broker, team).get(url("activities", team), {"date_from": "yesterday"})

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert body["error"] == "The request is not valid."
    assert "date_from" in body["fields"]


def test_pages_follow_each_other_in_id_order_without_gaps(team, broker, api_as):
    made = [factories.ActivityFactory(team=team).pk for _ in range(7)]
    client = api_as(broker, team)

    seen, link = [], url("activities", team) + "?page_size=3"
    while link:
        body = client.get(link).json()
        seen += [row["id"] for row in body["results"]]
        link = body["next"]

    assert seen == sorted(made)


def test_other_rows_lists_answer(team, broker, api_as):
    activity = factories.ActivityFactory(team=team, lead_broker=broker.broker_profile)
    project = factories.ProjectFactory(team=team, title="Frailty bid")
    factories.OutcomeFactory(team=team, activity=activity, project=project)
    factories.ContactFactory(
        team=team, organisation=factories.OrganisationFactory(name="North Bristol Trust")
    )
    client = api_as(broker, team)

    headers = {
        name: list(client.get(url(name, team)).json()["results"][0])
        for name in ("outcomes", "projects", "organisations", "contacts")
    }

    assert headers == {
        "outcomes": OUTCOMES.header,
        "projects": PROJECTS.header,
        "organisations": ORGANISATIONS.header,
        "contacts": CONTACTS.header,
    }


def test_an_unknown_address_is_a_json_404(team, broker, api_as):
    response = api_as(broker, team).get("/api/v1/teams/bristol/activitiez/")

    assert response.status_code == 404
    assert response.json() == {"status": 404, "error": "No such address in the API."}
