"""The organisation list: the organisations a team works with, its filters and its export."""

import datetime

import pytest
from django.urls import reverse

from tests import factories
from tests.activities.downloads import csv_rows

pytestmark = pytest.mark.django_db


def list_url(team):
    return reverse("activities:organisation_list", kwargs={"team": team.slug})


def names(client, team, **params):
    response = client.get(list_url(team), params)
    assert response.status_code == 200
    return [organisation.name for organisation in response.context["object_list"]]


@pytest.fixture
def partners(team, broker, other_team, other_broker):
    """Two organisations of the team (one through a contact, one through an activity),
    one of another team only, and one nobody works with."""
    university = factories.OrganisationFactory(name="University of Bristol", kind="university")
    council = factories.OrganisationFactory(name="Bristol City Council", kind="local_authority")
    factories.ContactFactory(team=team, organisation=university)
    factories.ContactFactory(team=team, organisation=university)
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        organisations=[council, university],
        date=datetime.date(2025, 5, 12),
    )
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        organisations=[council],
        date=datetime.date(2025, 3, 1),
    )
    theirs = factories.OrganisationFactory(name="Birmingham ICB", kind="commissioner")
    factories.ContactFactory(team=other_team, organisation=theirs)
    factories.OrganisationFactory(name="Unused Ltd", kind="commercial")
    return {"university": university, "council": council}


def test_it_lists_only_the_organisations_the_team_works_with(client_for, team, broker, partners):
    assert names(client_for(broker), team) == ["Bristol City Council", "University of Bristol"]


def test_it_counts_the_teams_contacts_and_activities(client_for, team, broker, partners):
    response = client_for(broker).get(list_url(team))

    rows = {o.name: (o.contact_count, o.activity_count) for o in response.context["object_list"]}
    assert rows == {"Bristol City Council": (0, 2), "University of Bristol": (2, 1)}


def test_it_filters_by_kind(client_for, team, broker, partners):
    assert names(client_for(broker), team, kind="university") == ["University of Bristol"]


def test_it_filters_by_name(client_for, team, broker, partners):
    assert names(client_for(broker), team, q="council") == ["Bristol City Council"]


def test_it_sorts_by_activities(client_for, team, broker, partners):
    shown = names(client_for(broker), team, o="-activities")

    assert shown == ["Bristol City Council", "University of Bristol"]


def test_evaluators_see_it_too(client_for, team, evaluator, partners):
    assert names(client_for(evaluator), team) == ["Bristol City Council", "University of Bristol"]


def test_it_exports_what_it_shows(client_for, team, broker, partners):
    response = client_for(broker).get(list_url(team), {"export": "csv", "kind": "local_authority"})

    assert csv_rows(response) == [
        ["id", "name", "kind", "contacts", "activities", "first_activity", "last_activity"],
        [
            str(partners["council"].pk),
            "Bristol City Council",
            "local_authority",
            "0",
            "2",
            "2025-03-01",
            "2025-05-12",
        ],
    ]


# session, user, membership, the access log's record; the organisations with their
# counts and dates.
@pytest.mark.parametrize("count", [2, 8])
def test_the_export_takes_one_query_for_any_number_of_rows(
    client_for, team, broker, django_assert_num_queries, count
):
    for _ in range(count):
        factories.ContactFactory(team=team, organisation=factories.OrganisationFactory())
    client = client_for(broker)

    with django_assert_num_queries(5):
        rows = csv_rows(client.get(list_url(team), {"export": "csv"}))

    assert len(rows) == 1 + count
