"""Organisations people can find: their other names and acronyms are searched by every
picker and filter, and name an organisation when a contact is added."""

import pytest
from django.urls import reverse

from activities.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def icb(team):
    return factories.OrganisationFactory(
        name="Bristol, North Somerset and South Gloucestershire ICB",
        kind=Organisation.Kind.COMMISSIONER,
        aliases="BNSSG ICB; BNSSG",
    )


def url(name, team):
    return reverse(f"activities:{name}", kwargs={"team": team.slug})


def test_the_organisation_picker_finds_an_acronym(client_for, broker, team, icb):
    factories.OrganisationFactory(name="University of Bristol", aliases="UoB")
    results = client_for(broker).get(url("organisation_search", team), {"q": "bnssg"}).json()
    assert [r["value"] for r in results["results"]] == [icb.pk]


def test_the_contact_filter_and_search_find_an_acronym(client_for, broker, team, icb):
    at_icb = factories.ContactFactory(team=team, name="Marcus Whitfield", organisation=icb)
    factories.ContactFactory(team=team, name="Someone Else")
    client = client_for(broker)
    listed = client.get(url("contact_list", team), {"q": "BNSSG"}).context["object_list"]
    assert list(listed) == [at_icb]
    found = client.get(url("contact_search", team), {"q": "BNSSG"}).json()["results"]
    assert [r["value"] for r in found] == [at_icb.pk]


def test_the_organisation_list_finds_an_acronym(client_for, lead, team, icb):
    factories.ContactFactory(team=team, organisation=icb)
    other = factories.OrganisationFactory(name="North Bristol NHS Trust")
    factories.ContactFactory(team=team, organisation=other)
    listed = client_for(lead).get(url("organisation_list", team), {"q": "bnssg"})
    assert list(listed.context["object_list"]) == [icb]


def test_an_alias_typed_as_a_new_organisation_is_the_existing_one(team, icb):
    assert list(Organisation.objects.matching_name(" bnssg icb ")) == [icb]
    assert list(Organisation.objects.matching_name("BNSSG I")) == []
