"""Erasing a contact removes their name from every free text of the team, and its history.

The world of tests/activities/named.py: a sentence naming the contact, her e-mail address
and phone number in every free-text field of the brokers' records. After the erasure no
page, file or history record of the team, for any role, holds any of them.
"""

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.messages import get_messages
from django.db import models
from django.urls import reverse

from activities.erasure import ERASED, erase_contact
from activities.models import Activity, Contact
from audit.models import AccessRecord
from tests import factories
from tests.activities.named import FORBIDDEN, NAME
from tests.test_leak_sentinels import pages, signed_in, text_of
from tests.test_url_matrix import url_for

pytestmark = pytest.mark.django_db


def erase(world):
    contact = world["contact"]
    url = reverse("activities:contact_erase", args=[world["team"].slug, contact.pk])
    return signed_in(world["users"]["broker"]).post(url, follow=True)


def test_the_person_who_erases_is_told_where_the_name_was(named_world):
    response = erase(named_world)

    message = [str(m) for m in get_messages(response.wsgi_request)][-1]
    assert message.startswith("Contact erased: their details are gone and their name was")
    assert "removed from 1 activity, 1 outcome, 1 project" in message
    assert "2 reflective log entries, 1 report narrative" in message


def test_no_page_or_file_holds_the_name_after_erasure(named_world):
    erase(named_world)

    leaks = []
    for role in ("broker", "lead", "evaluator"):
        client = signed_in(named_world["users"][role])
        for name, target, query in pages(role):
            text = text_of(client.get(url_for(name, target, named_world) + query)).lower()
            leaks += [f"{role} {name}{query}: {word}" for word in FORBIDDEN if word in text]

    assert not leaks, "\n".join(leaks)
    assert ERASED in Activity.objects.get(pk=named_world["activity"].pk).description


def leave_traces(world, admin_user):
    """What people do with a name before it is erased: a lead downloads the contact list
    searched by it (the access log keeps the query), a site administrator edits the
    contact in the admin (its recent actions keep the name)."""
    team, contact = world["team"], world["contact"]
    lead = signed_in(world["users"]["lead"])
    contacts = url_for("activities:contact_list", "team", world)
    assert lead.get(contacts + "?q=Brennan&export=csv").status_code == 200
    assert AccessRecord.objects.filter(team=team, query__icontains="brennan").exists()
    # As the admin records a change (its recent actions, on every admin page).
    contact = Contact.objects.get(pk=contact.pk)
    message = [{"changed": {"fields": ["Job title"]}}]
    LogEntry.objects.log_actions(admin_user.pk, [contact], CHANGE, change_message=message)
    assert LogEntry.objects.filter(object_repr__icontains="brennan").exists()


def test_no_row_of_any_table_holds_the_name_after_erasure(named_world, admin_user):
    leave_traces(named_world, admin_user)
    erase(named_world)

    holding = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for row in model._base_manager.values_list(*text_fields) if text_fields else ():
            if any(word in str(row).lower() for word in FORBIDDEN):
                holding.append(f"{model._meta.label}: {row}")

    assert not holding, "\n".join(holding)


def test_other_people_and_other_teams_keep_their_text(team, other_team):
    brennan = factories.ContactFactory(team=team, name="Ayesha Brennan", email="ab@nhs.net")
    factories.ContactFactory(team=team, name="Rose Hall")
    text = "Dr Brennan (ab@nhs.net) and Dr Hall (rh@nhs.net); Brennan Road clinic"
    here = factories.ActivityFactory(team=team, description=text)
    there = factories.ActivityFactory(team=other_team, description=text)

    erasure = erase_contact(Contact.objects.get(pk=brennan.pk))

    here.refresh_from_db()
    there.refresh_from_db()
    assert here.description == (
        f"{ERASED} ({ERASED}) and Dr Hall (rh@nhs.net); Brennan Road clinic"
    )
    assert there.description == text
    assert erasure.summary() == "their name was removed from 1 activity"
    assert NAME not in str(list(here.history.values_list("description", flat=True)))


def test_their_number_goes_however_it_was_typed(team):
    contact = factories.ContactFactory(team=team, name="Ayesha Brennan", phone="07700 900123")
    activity = factories.ActivityFactory(
        team=team, description="Rang +44 7700 900123, then 07700900123; office 0117 496 0123"
    )

    erase_contact(Contact.objects.get(pk=contact.pk))

    activity.refresh_from_db()
    assert activity.description == f"Rang {ERASED}, then {ERASED}; office 0117 496 0123"
