"""Rules the database itself keeps, new teams' vocabulary, erasure and pseudonyms."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from activities.models import DEFAULT_ACTIVITY_TYPES, Activity, ActivityType, Contact, Outcome
from kmtracker.lib.pseudonyms import contact_pseudonym
from teams.models import Team
from tests import factories

pytestmark = pytest.mark.django_db


def refused(make):
    """True when the database refuses what `make()` writes."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


# Numbers and dates.


@pytest.mark.parametrize("field", ["duration_minutes", "attendees"])
def test_the_database_refuses_negative_activity_numbers(team, field):
    assert refused(lambda: factories.ActivityFactory(team=team, **{field: -1}))
    assert not refused(lambda: factories.ActivityFactory(team=team, **{field: 0}))


@pytest.mark.parametrize("field", ["amount_requested", "amount_awarded"])
def test_the_database_refuses_negative_project_amounts(team, field):
    assert refused(lambda: factories.ProjectFactory(team=team, **{field: Decimal("-0.01")}))
    assert not refused(lambda: factories.ProjectFactory(team=team, **{field: Decimal("0")}))


def test_the_database_refuses_a_negative_outcome_value(team):
    assert refused(lambda: factories.OutcomeFactory(team=team, value_gbp=Decimal("-5")))
    assert not refused(lambda: factories.OutcomeFactory(team=team, value_gbp=Decimal("5")))


def test_a_project_cannot_be_decided_before_it_was_submitted(team):
    submitted = datetime.date(2025, 3, 1)

    assert refused(
        lambda: factories.ProjectFactory(
            team=team, submitted_on=submitted, decided_on=datetime.date(2025, 2, 28)
        )
    )
    assert not refused(
        lambda: factories.ProjectFactory(team=team, submitted_on=submitted, decided_on=submitted)
    )
    assert not refused(
        lambda: factories.ProjectFactory(team=team, submitted_on=None, decided_on=submitted)
    )


@pytest.mark.parametrize(("month", "accepted"), [(0, False), (1, True), (12, True), (13, False)])
def test_a_teams_year_starts_in_one_of_twelve_months(month, accepted):
    assert refused(lambda: Team.objects.create(name="T", slug="t", year_start_month=month)) is (
        not accepted
    )


def test_an_activity_category_must_be_one_of_the_four(team):
    assert refused(lambda: factories.ActivityFactory(team=team, category="gossip"))


# Contacts' email addresses.


def test_a_teams_contacts_have_different_emails_whatever_the_case(team, other_team):
    factories.ContactFactory(team=team, email="ann.archer@nhs.net")

    assert refused(lambda: factories.ContactFactory(team=team, email="Ann.Archer@NHS.net"))
    assert not refused(
        lambda: factories.ContactFactory(team=other_team, email="ann.archer@nhs.net")
    )
    assert not refused(lambda: factories.ContactFactory(team=team, email="bob@nhs.net"))


def test_many_contacts_may_have_no_email(team):
    for _ in range(3):
        factories.ContactFactory(team=team, email="")

    assert Contact.objects.filter(team=team, email="").count() == 3


# Outcomes.


def test_an_outcome_belongs_to_an_activity_or_a_project(team):
    activity = factories.ActivityFactory(team=team)
    project = factories.ProjectFactory(team=team)

    assert refused(lambda: factories.OutcomeFactory(team=team, activity=None, project=None))
    assert not refused(lambda: factories.OutcomeFactory(team=team, activity=activity, project=None))
    assert not refused(lambda: factories.OutcomeFactory(team=team, activity=None, project=project))
    assert not refused(
        lambda: factories.OutcomeFactory(team=team, activity=activity, project=project)
    )


def test_only_a_capability_change_has_a_dimension(team):
    assert refused(
        lambda: factories.OutcomeFactory(
            team=team, type=Outcome.Type.CONNECTION_MADE, capability_dimension="skills"
        )
    )
    assert not refused(
        lambda: factories.OutcomeFactory(
            team=team, type=Outcome.Type.CAPABILITY_CHANGE, capability_dimension="skills"
        )
    )
    assert not refused(
        lambda: factories.OutcomeFactory(
            team=team, type=Outcome.Type.CAPABILITY_CHANGE, capability_dimension=""
        )
    )


# Vocabulary.


def test_a_new_team_gets_the_default_activity_types():
    team = Team.objects.create(name="Wessex", slug="wessex")

    types = ActivityType.objects.filter(team=team)
    assert sorted((t.category, t.name) for t in types) == sorted(
        (str(category), name) for category, name in DEFAULT_ACTIVITY_TYPES
    )
    assert all(t.is_active for t in types)


def test_saving_a_team_again_adds_no_types(team):
    count = team.activity_types.count()

    team.name = "Bristol and Bath"
    team.save()
    ActivityType.objects.add_defaults(team)

    assert team.activity_types.count() == count == len(DEFAULT_ACTIVITY_TYPES)


# Erasure.


def test_erasing_a_contact_keeps_its_activity_links_and_scrubs_its_history(team):
    organisation = factories.OrganisationFactory(name="Bristol ICB")
    contact = factories.ContactFactory(
        team=team,
        name="Dr Ann Archer",
        job_title="Frailty lead",
        email="ann@nhs.net",
        phone="0117 000 0000",
        notes="Prefers mornings.",
        consent_note="Agreed at the March network event.",
        organisation=organisation,
        community="commissioning",
    )
    contact.name = "Dr Ann Archer-Smith"
    contact.save()
    activity = factories.ActivityFactory(team=team, contacts=[contact])
    pseudonym = contact.pseudonym

    contact.erase()

    contact.refresh_from_db()
    assert contact.is_erased
    assert contact.name == f"Erased contact {pseudonym}"
    assert (contact.job_title, contact.email, contact.phone, contact.notes) == ("", "", "", "")
    assert contact.consent_note == ""
    assert (contact.community, contact.organisation) == ("commissioning", organisation)
    assert list(activity.contacts.all()) == [contact]
    assert contact.pseudonym == pseudonym
    history = list(contact.history.values("name", "email", "phone", "notes", "job_title"))
    assert len(history) == 3
    for record in history:
        assert record == {
            "name": f"Erased contact {pseudonym}",
            "email": "",
            "phone": "",
            "notes": "",
            "job_title": "",
        }
    assert not Contact.history.filter(name__icontains="Archer").exists()


def test_an_erased_contact_frees_its_email_for_a_new_contact(team):
    contact = factories.ContactFactory(team=team, email="ann@nhs.net")
    contact.erase()

    assert not refused(lambda: factories.ContactFactory(team=team, email="ann@nhs.net"))


# Pseudonyms.


def test_pseudonyms_are_stable_and_look_like_c_and_eight_characters(team):
    contact = factories.ContactFactory(team=team)

    assert re.fullmatch(r"C-[A-Z2-7]{8}", contact.pseudonym)
    assert Contact.objects.get(pk=contact.pk).pseudonym == contact.pseudonym
    assert contact_pseudonym(team.pk, contact.pk) == contact.pseudonym


def test_pseudonyms_differ_between_contacts_and_between_teams(team, other_team):
    contacts = [factories.ContactFactory(team=team) for _ in range(20)]

    assert len({contact.pseudonym for contact in contacts}) == 20
    assert contact_pseudonym(team.pk, contacts[0].pk) != contact_pseudonym(
        other_team.pk, contacts[0].pk
    )


def test_pseudonyms_depend_on_the_secret_key(team, settings):
    contact = factories.ContactFactory(team=team)
    before = contact.pseudonym

    settings.PSEUDONYM_KEY = "another-key"

    assert contact.pseudonym != before
    assert re.fullmatch(r"C-[A-Z2-7]{8}", contact.pseudonym)


def test_an_activity_can_tell_who_brokered_it(team):
    lead, co, outsider = (factories.BrokerFactory(team=team) for _ in range(3))
    activity = factories.ActivityFactory(team=team, lead_broker=lead, co_brokers=[co])

    assert activity.is_brokered_by(lead)
    assert Activity.objects.get(pk=activity.pk).is_brokered_by(co)
    assert not activity.is_brokered_by(outsider)
    assert not activity.is_brokered_by(None)
