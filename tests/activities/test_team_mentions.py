"""One matcher per team (activities.mentions): its contacts' names, rebuilt when they change."""

import pytest

from activities.mentions import Redactor, team_matcher
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_knows_only_the_teams_contacts(team, other_team):
    brennan = factories.ContactFactory(team=team, name="Ayesha Brennan")
    factories.ContactFactory(team=other_team, name="Rose Hall")

    found = team_matcher(team).find("Dr Brennan met Dr Hall")

    assert [mention.contact_id for mention in found] == [brennan.pk]


def test_it_is_rebuilt_when_a_contact_is_added_renamed_or_erased(team):
    matcher = team_matcher(team)
    assert team_matcher(team) is matcher
    contact = factories.ContactFactory(team=team, name="Ayesha Brennan")
    assert team_matcher(team).find("Dr Brennan")

    contact.name = "Ayesha Khan"
    contact.save()
    assert not team_matcher(team).find("Dr Brennan")
    assert team_matcher(team).find("Dr Khan")

    contact.erase()
    assert not team_matcher(team).find("Dr Khan")


def test_the_redactor_writes_the_contacts_pseudonym(team):
    contact = factories.ContactFactory(team=team, name="Ayesha Brennan")

    redacted = Redactor(team)("Called Ayesha Brennan on 07700 900123")

    assert redacted == f"Called {contact.pseudonym} on [phone]"
