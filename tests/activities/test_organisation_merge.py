"""Merging organisations (an administrator's action: they are shared by every team)."""

import pytest
from django.urls import reverse

from activities.merging import merge_organisations
from activities.models import Activity, Broker, Contact, Organisation
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    keep = factories.OrganisationFactory(
        name="Bristol, North Somerset and South Gloucestershire ICB"
    )
    other = factories.OrganisationFactory(name="BNSSG ICB", aliases="BNSSG")
    return keep, other


def test_every_link_moves_and_the_merged_names_become_aliases(team, other_team, pair):
    keep, other = pair
    mine = factories.ContactFactory(team=team, organisation=other)
    theirs = factories.ContactFactory(team=other_team, organisation=other)
    both = factories.ActivityFactory(team=team, organisations=[keep, other])
    only = factories.ActivityFactory(team=other_team, organisations=[other])
    broker = factories.BrokerFactory(team=team, home_organisation=other, host_organisation=other)

    merge_organisations(keep, [other])

    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert Contact.objects.get(pk=mine.pk).organisation == keep
    assert Contact.objects.get(pk=theirs.pk).organisation == keep
    assert list(Activity.objects.get(pk=both.pk).organisations.all()) == [keep]
    assert list(Activity.objects.get(pk=only.pk).organisations.all()) == [keep]
    broker = Broker.objects.get(pk=broker.pk)
    assert (broker.home_organisation, broker.host_organisation) == (keep, keep)
    keep.refresh_from_db()
    assert keep.alias_list == ["BNSSG ICB", "BNSSG"]
    reason = f"Merged BNSSG ICB into {keep.name}"
    assert Contact.objects.get(pk=mine.pk).history.first().history_change_reason == reason
    assert Activity.objects.get(pk=only.pk).history.first().history_change_reason == reason


def test_the_admin_merges_into_the_oldest(admin_client, pair):
    keep, other = pair
    response = admin_client.post(
        reverse("admin:activities_organisation_changelist"),
        {"action": "merge_into_oldest", "_selected_action": [keep.pk, other.pk]},
    )
    assert response.status_code == 302
    assert list(Organisation.objects.all()) == [keep]
