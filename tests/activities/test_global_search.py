"""The navigation's search: activities, contacts, organisations (names and other names),
projects and outcomes of the team, as the reader may see them."""

import pytest
from django.urls import reverse

from activities.models import Contact
from tests import factories

pytestmark = pytest.mark.django_db


def search(client, team, term, partial=True):
    headers = {"HX-Request": "true"} if partial else {}
    return client.get(
        reverse("activities:global_search", args=[team.slug]), {"q": term}, headers=headers
    )


def found(response):
    """{group label: [result texts]}"""
    return {group.label: [r.text for r in group.results] for group in response.context["groups"]}


@pytest.fixture
def log(team, broker):
    icb = factories.OrganisationFactory(
        name="Bristol, North Somerset and South Gloucestershire ICB", aliases="BNSSG ICB; BNSSG"
    )
    ann = factories.ContactFactory(team=team, name="Ann Lee", organisation=icb)
    factories.ContactFactory(team=team, name="Bo Chan")
    activity = factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        title="Frailty pathway meeting",
        description="Met Ann Lee about the frailty pathway.",
    )
    activity.contacts.add(ann)
    activity.organisations.add(icb)
    factories.ProjectFactory(team=team, title="Frailty evaluation bid", funder="NIHR")
    factories.OutcomeFactory(
        team=team, activity=activity, description="Frailty evidence used in a decision"
    )
    return {"ann": ann, "icb": icb, "activity": activity}


def test_it_finds_a_contact_by_their_organisations_acronym(client_for, team, broker, log):
    response = search(client_for(broker), team, "BNSSG")

    assert found(response) == {
        "Contacts": ["Ann Lee"],
        "Organisations": ["Bristol, North Somerset and South Gloucestershire ICB"],
    }
    page = response.content.decode()
    assert reverse("activities:contact_detail", args=[team.slug, log["ann"].pk]) in page
    assert 'role="option"' in page


def test_it_finds_every_kind_of_record_by_a_word(client_for, team, broker, log):
    assert found(search(client_for(broker), team, "frailty")) == {
        "Activities": ["Frailty pathway meeting"],
        "Projects": ["Frailty evaluation bid"],
        "Outcomes": ["Frailty evidence used in a decision"],
    }


def test_evaluators_find_contacts_as_pseudonyms_and_never_by_name(client_for, team, evaluator, log):
    client = client_for(evaluator)
    pseudonym = Contact.objects.get(pk=log["ann"].pk).pseudonym

    by_organisation = search(client, team, "BNSSG")
    by_name = search(client, team, "Ann Lee")

    assert found(by_organisation)["Contacts"] == [pseudonym]
    assert "Ann Lee" not in by_organisation.content.decode()
    assert found(by_name) == {}  # not the contact, nor the activity whose text names her


def test_it_finds_nothing_of_another_team(client_for, team, other_team, broker, log):
    other = factories.ContactFactory(team=other_team, name="Ann Elsewhere", organisation=log["icb"])
    factories.ProjectFactory(team=other_team, title="Frailty elsewhere")

    results = found(search(client_for(broker), team, "Ann"))
    frailty = found(search(client_for(broker), team, "frailty elsewhere"))

    assert results["Contacts"] == ["Ann Lee"]
    assert other.name not in results["Contacts"]
    assert frailty == {}


def test_the_box_gets_the_list_alone_and_the_form_a_page(client_for, team, broker, log):
    client = client_for(broker)

    partial = search(client, team, "BNSSG").content.decode()
    page = search(client, team, "BNSSG", partial=False).content.decode()

    assert "<html" not in partial and "Ann Lee" in partial
    assert "<h1" in page and "Ann Lee" in page


def test_every_page_has_the_search_combobox(client_for, team, broker):
    page = client_for(broker).get(reverse("team_dashboard", args=[team.slug])).content.decode()

    assert 'role="combobox"' in page and 'aria-controls="global-search-listbox"' in page
    assert f'data-search-url="{reverse("activities:global_search", args=[team.slug])}"' in page


# The activity list's own search: text, and the names of its contacts and organisations.


def listed(client, team, **params):
    response = client.get(reverse("activities:activity_list", args=[team.slug]), params)
    return [activity.title for activity in response.context["object_list"]]


def test_the_activity_search_matches_contact_and_organisation_names(client_for, team, broker, log):
    client = client_for(broker)

    assert listed(client, team, q="BNSSG") == ["Frailty pathway meeting"]
    assert listed(client, team, q="Ann pathway") == ["Frailty pathway meeting"]
    assert listed(client, team, q="Bo Chan") == []


def test_the_activity_search_never_finds_by_a_name_evaluators_do_not_see(
    client_for, team, evaluator, log
):
    client = client_for(evaluator)

    assert listed(client, team, q="Ann Lee") == []  # neither the contact nor the text
    assert listed(client, team, q="BNSSG") == ["Frailty pathway meeting"]


def test_the_search_field_shows_outside_the_filters_and_searches_as_one_types(
    client_for, team, broker
):
    page = client_for(broker).get(reverse("activities:activity_list", args=[team.slug]))
    content = page.content.decode()

    assert content.index('name="q"') < content.index("<details")
    assert "input changed delay:400ms from:find input[name=q]" in content
