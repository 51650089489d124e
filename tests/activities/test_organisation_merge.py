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


def merge_url(team, organisation, *others):
    url = reverse(
        "activities:organisation_merge", kwargs={"team": team.slug, "pk": organisation.pk}
    )
    return url + "?" + "&".join(f"with={other.pk}" for other in others)


def test_a_lead_merges_side_by_side_choosing_each_field(client_for, lead, team, other_team, pair):
    keep, other = pair
    other.kind = "commissioner"
    other.save()
    mine = factories.ContactFactory(team=team, organisation=other)
    theirs = factories.ContactFactory(team=other_team, organisation=other)
    factories.ContactFactory(team=team, organisation=keep)
    activity = factories.ActivityFactory(team=team, organisations=[keep, other])
    client = client_for(lead)
    page = client.get(merge_url(team, keep, other))
    body = page.content.decode()
    assert page.status_code == 200 and "BNSSG ICB" in body and keep.name in body
    # Keep the first record, with the second's kind.
    data = {"survivor": keep.pk, "name": keep.pk, "kind": other.pk}
    response = client.post(merge_url(team, keep, other), data)
    assert response.status_code == 302
    keep.refresh_from_db()
    assert keep.kind == "commissioner" and keep.alias_list == ["BNSSG ICB", "BNSSG"]
    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert Contact.objects.get(pk=mine.pk).organisation == keep
    assert Contact.objects.get(pk=theirs.pk).organisation == keep
    assert list(Activity.objects.get(pk=activity.pk).organisations.all()) == [keep]
    # History on both sides: the survivor's change and the merged one's deletion, by the lead.
    reason = f"Merged BNSSG ICB into {keep.name}"
    kept, gone = keep.history.first(), Organisation.history.filter(id=other.pk).first()
    assert (kept.history_type, kept.history_change_reason, kept.history_user) == ("~", reason, lead)
    assert (gone.history_type, gone.history_change_reason, gone.history_user) == ("-", reason, lead)


def test_the_survivor_may_take_a_merged_name(client_for, lead, team, pair):
    keep, other = pair
    factories.ContactFactory(team=team, organisation=keep)
    factories.ContactFactory(team=team, organisation=other)
    long_name = keep.name
    data = {"survivor": keep.pk, "name": other.pk, "kind": keep.pk}
    assert client_for(lead).post(merge_url(team, keep, other), data).status_code == 302
    keep.refresh_from_db()
    assert keep.name == "BNSSG ICB" and keep.alias_list == [long_name, "BNSSG"]


def test_brokers_cannot_merge_and_leads_only_what_the_team_works_with(
    client_for, broker, lead, team, pair
):
    keep, other = pair
    factories.ContactFactory(team=team, organisation=keep)
    data = {"survivor": keep.pk, "name": keep.pk, "kind": keep.pk}
    factories.ContactFactory(team=team, organisation=other)
    assert client_for(broker).post(merge_url(team, keep, other), data).status_code == 403
    assert Organisation.objects.count() == 2
    # An organisation the team has nothing to do with is not offered, nor merged.
    stranger = factories.OrganisationFactory(name="Elsewhere Trust")
    client = client_for(lead)
    client.post(merge_url(team, keep, stranger), {**data, "survivor": keep.pk})
    assert Organisation.objects.filter(pk=stranger.pk).exists()
    assert client.get(merge_url(team, stranger, keep)).status_code == 404


def test_aliases_are_edited_in_the_app_and_searched(client_for, broker, evaluator, team):
    icb = factories.OrganisationFactory(name="Integrated Care Board of Bristol")
    factories.ContactFactory(team=team, organisation=icb)
    url = reverse("activities:organisation_edit", kwargs={"team": team.slug, "pk": icb.pk})
    data = {"name": icb.name, "kind": "commissioner", "aliases": " BNSSG ICB ;bnssg icb; BNSSG;"}
    assert client_for(evaluator).post(url, data).status_code == 403
    assert client_for(broker).post(url, data).status_code == 302
    icb.refresh_from_db()
    assert icb.aliases == "BNSSG ICB; BNSSG" and icb.kind == "commissioner"
    assert list(Organisation.objects.search("BNSSG")) == [icb]
    assert icb.history.first().history_user == broker
    # Another organisation's name is refused, whatever its case.
    factories.OrganisationFactory(name="University of Bristol")
    response = client_for(broker).post(url, {**data, "name": "university of bristol"})
    assert response.status_code == 200 and "name" in response.context["form"].errors


def test_an_organisation_the_team_does_not_work_with_is_not_editable(client_for, lead, team):
    stranger = factories.OrganisationFactory(name="Elsewhere Trust")
    url = reverse("activities:organisation_edit", kwargs={"team": team.slug, "pk": stranger.pk})
    assert client_for(lead).get(url).status_code == 404
