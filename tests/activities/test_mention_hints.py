"""Brokers are told, as they type, which people their text names (activities.views.mentions)."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def hints(client, **data):
    return client.post(reverse("activities:mention_hints", args=["bristol"]), data)


def test_it_offers_to_link_a_contact_the_text_names(client_for, broker, team):
    brennan = factories.ContactFactory(team=team, name="Ayesha Brennan")

    response = hints(
        client_for(broker), description="Introduced Dr Brennan to the lead", record="activity"
    )

    assert "mentions <strong>Ayesha Brennan</strong>" in response.text
    assert f'data-link-contact="{brennan.pk}"' in response.text
    assert 'data-target-select="id_contacts"' in response.text
    assert "add as a contact of this activity?" in response.text


def test_a_surname_several_contacts_share_offers_each(client_for, broker, team):
    ayesha = factories.ContactFactory(team=team, name="Ayesha Brennan")
    tom = factories.ContactFactory(team=team, name="Tom Brennan")

    response = hints(client_for(broker), description="Met Dr Brennan")

    assert f'data-link-contact="{ayesha.pk}"' in response.text
    assert f'data-link-contact="{tom.pk}"' in response.text


def test_a_contact_already_chosen_is_said_to_be_there(client_for, broker, team):
    brennan = factories.ContactFactory(team=team, name="Ayesha Brennan")

    response = hints(client_for(broker), title="Ayesha Brennan's bid", contacts=[brennan.pk])

    assert "data-link-contact" not in response.text
    assert "mentions Ayesha Brennan, already a contact here" in response.text


def test_a_projects_partners_are_its_contacts(client_for, broker, team):
    factories.ContactFactory(team=team, name="Ayesha Brennan")

    response = hints(
        client_for(broker), title="Bid with Prof Brennan", partners="", record="project"
    )

    assert 'data-target-select="id_partners"' in response.text


def test_a_titled_name_that_is_no_contact_can_be_added(client_for, broker, team):
    factories.ContactFactory(team=team, name="Ayesha Brennan")
    client = client_for(broker)

    in_dialog = hints(client, description="Dr Brennan and Prof. Kofi Ng met", quick_add="1")
    by_page = hints(client, description="Dr Brennan and Prof. Kofi Ng met")

    assert "mentions <strong>Prof. Kofi Ng</strong>, who is not a contact" in in_dialog.text
    assert 'data-new-contact-name="Prof. Kofi Ng"' in in_dialog.text
    assert "/contacts/new/?name=Prof.%20Kofi%20Ng" in by_page.text
    form = client.get(reverse("activities:contact_add", args=["bristol"]) + "?name=Prof.+Kofi+Ng")
    assert form.context["form"].initial["name"] == "Prof. Kofi Ng"


def test_it_names_nobody_of_another_team(client_for, broker, other_team):
    factories.ContactFactory(team=other_team, name="Ayesha Brennan")

    response = hints(client_for(broker), description="Met Ayesha Brennan")

    assert "Brennan" not in response.text


def test_the_forms_ask_for_hints_as_the_broker_types(client_for, broker):
    client = client_for(broker)
    url = reverse("activities:mention_hints", args=["bristol"])
    for name in ("activity_add", "outcome_add", "project_add"):
        page = client.get(reverse(f"activities:{name}", args=["bristol"]))
        assert f'hx-post="{url}"' in page.text
        assert 'id="mention-hints"' in page.text
