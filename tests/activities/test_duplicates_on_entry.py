"""Likely duplicates are caught on entry: the contact form and the "New contact" dialog
warn, list what matched, and save once told it's a different person."""

import pytest
from django.urls import reverse

from activities.models import Community, Contact
from tests import factories

pytestmark = pytest.mark.django_db


def url(name, team, pk=None):
    kwargs = {"team": team.slug, **({"pk": pk} if pk else {})}
    return reverse(f"activities:{name}", kwargs=kwargs)


@pytest.fixture
def ayesha(team):
    uob = factories.OrganisationFactory(name="University of Bristol")
    return factories.ContactFactory(
        team=team, name="Dr Ayesha Brennan", organisation=uob, phone="0117 928 9000"
    )


def form_data(**changes):
    data = {
        "name": "Ayesha Brennan",
        "job_title": "",
        "organisation": "",
        "new_organisation": "",
        "new_organisation_kind": "other",
        "community": Community.RESEARCH,
        "email": "",
        "phone": "",
        "notes": "",
        "consent_note": "",
        "version": 1,
    }
    return {**data, **changes}


def dialog_data(**changes):
    data = {
        "contact-name": "Ayesha Brennan",
        "contact-community": Community.RESEARCH,
        "contact-organisation": "",
        "contact-new_organisation": "",
        "contact-new_organisation_kind": "other",
        "contact-job_title": "",
        "contact-email": "",
    }
    return {**data, **changes}


def test_the_form_warns_of_a_similar_name_and_saves_nothing(client, broker, ayesha, team):
    client.force_login(broker)
    response = client.post(url("contact_add", team), form_data(organisation=ayesha.organisation_id))
    assert response.status_code == 200
    assert [m.contact for m in response.context["form"].warned_duplicates] == [ayesha]
    assert b"similar name at the same organisation" in response.content
    assert b"a different person" in response.content
    assert Contact.objects.count() == 1


def test_the_form_saves_once_told_it_is_a_different_person(client, broker, ayesha, team):
    client.force_login(broker)
    data = form_data(organisation=ayesha.organisation_id, different_person="on")
    assert client.post(url("contact_add", team), data).status_code == 302
    assert Contact.objects.filter(name="Ayesha Brennan").count() == 1


def test_the_form_warns_of_the_same_phone_under_another_name(client, broker, ayesha, team):
    client.force_login(broker)
    response = client.post(
        url("contact_add", team), form_data(name="Ann Lee", phone="+44 117 9289000")
    )
    assert [m.why for m in response.context["form"].warned_duplicates] == ["same phone"]


def test_the_form_does_not_warn_for_someone_else(client, broker, ayesha, team):
    client.force_login(broker)
    assert client.post(url("contact_add", team), form_data(name="Aidan Khan")).status_code == 302


def test_the_form_does_not_warn_for_the_same_name_at_another_organisation(
    client, broker, ayesha, team
):
    client.force_login(broker)
    other = factories.OrganisationFactory(name="Bristol ICB")
    response = client.post(url("contact_add", team), form_data(organisation=other.pk))
    assert response.status_code == 302


def test_editing_a_contact_does_not_warn_about_itself_or_unchanged_details(
    client, broker, ayesha, team
):
    twin = factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=None)
    client.force_login(broker)
    data = form_data(name=twin.name, job_title="Reader")
    assert client.post(url("contact_edit", team, twin.pk), data).status_code == 302


def test_the_dialog_answers_with_the_candidates(client, broker, ayesha, team):
    client.force_login(broker)
    response = client.post(url("contact_quick_add", team), dialog_data())
    assert response.status_code == 409
    assert response.json()["duplicates"] == [
        {
            "value": ayesha.pk,
            "text": "Dr Ayesha Brennan (University of Bristol)",
            "why": "similar name, one gives no organisation",
        }
    ]
    assert Contact.objects.count() == 1


def test_the_dialog_adds_the_contact_once_told_it_is_a_different_person(
    client, broker, ayesha, team
):
    client.force_login(broker)
    response = client.post(
        url("contact_quick_add", team), dialog_data(**{"contact-different_person": "1"})
    )
    assert response.status_code == 201
    assert Contact.objects.count() == 2


def test_the_dialog_adds_a_new_organisation_without_leaving(client, broker, team):
    client.force_login(broker)
    data = dialog_data(
        **{"contact-new_organisation": "BNSSG ICB", "contact-new_organisation_kind": "commissioner"}
    )
    response = client.post(url("contact_quick_add", team), data)
    assert response.status_code == 201
    contact = Contact.objects.get()
    assert (contact.organisation.name, contact.organisation.kind) == ("BNSSG ICB", "commissioner")


def test_the_dialog_finds_an_organisation_by_its_alias(client, broker, team):
    icb = factories.OrganisationFactory(
        name="NHS Bristol, North Somerset and South Gloucestershire ICB", aliases="BNSSG ICB; BNSSG"
    )
    client.force_login(broker)
    response = client.post(
        url("contact_quick_add", team), dialog_data(**{"contact-new_organisation": "bnssg"})
    )
    assert response.status_code == 201
    assert Contact.objects.get().organisation == icb
