"""Merging duplicate contacts: every kind of link moves, one link per record, history on
both sides, who may merge, and the quarterly report's figures."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from activities.merging import merge_contacts
from activities.models import Activity, Contact, ContactMerge, DistinctContacts, Outcome, Project
from evaluations.models import Participant
from evaluations.reports.computation import compute_figures
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.quarters import Quarter
from teams.tenancy import team_access
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(team):
    uob = factories.OrganisationFactory(name="University of Bristol")
    keep = factories.ContactFactory(team=team, name="Dr Ayesha Brennan", organisation=uob, email="")
    other = factories.ContactFactory(
        team=team, name="Ayesha Brennan", organisation=None, email="a.brennan@bristol.ac.uk"
    )
    return keep, other


def values_of(contact, **changes):
    fields = ("name", "job_title", "organisation", "community", "email", "phone", "notes")
    return {**{name: getattr(contact, name) for name in fields}, **changes}


def test_every_kind_of_link_moves_to_the_survivor_once(team, lead, twins):
    keep, other = twins
    both = factories.ActivityFactory(team=team, contacts=[keep, other])
    only_other = factories.ActivityFactory(team=team, contacts=[other])
    outcome = factories.OutcomeFactory(team=team, activity=both)
    outcome.contacts.set([other])
    project = factories.ProjectFactory(team=team)
    project.partners.set([other, keep])
    study = factories.StudyFactory(team=team)
    participant = factories.ParticipantFactory(study=study, contact=other)

    merge_contacts(team_access(lead, team.slug), keep, [other], values_of(keep))

    assert not Contact.objects.filter(pk=other.pk).exists()
    assert list(both.contacts.all()) == [keep]
    assert list(only_other.contacts.all()) == [keep]
    assert list(Outcome.objects.get(pk=outcome.pk).contacts.all()) == [keep]
    assert list(Project.objects.get(pk=project.pk).partners.all()) == [keep]
    assert Participant.objects.get(pk=participant.pk).contact == keep


def test_a_study_that_had_both_keeps_one_participant_linked(team, lead, twins):
    keep, other = twins
    study = factories.StudyFactory(team=team)
    first = factories.ParticipantFactory(study=study, contact=keep, code="P01")
    second = factories.ParticipantFactory(study=study, contact=other, code="P02")

    merge_contacts(team_access(lead, team.slug), keep, [other], values_of(keep))

    assert Participant.objects.get(pk=first.pk).contact == keep
    assert Participant.objects.get(pk=second.pk).contact is None


def test_the_survivor_takes_the_chosen_values(team, lead, twins):
    keep, other = twins
    merge_contacts(team_access(lead, team.slug), keep, [other], values_of(keep, email=other.email))
    keep.refresh_from_db()
    assert (keep.name, keep.email, keep.organisation.name) == (
        "Dr Ayesha Brennan",
        "a.brennan@bristol.ac.uk",
        "University of Bristol",
    )


def test_the_merge_is_in_the_history_of_everyone_involved(team, lead, twins):
    keep, other = twins
    activity = factories.ActivityFactory(team=team, contacts=[other])
    merge = merge_contacts(team_access(lead, team.slug), keep, [other], values_of(keep))

    reason = f"Merged {other.pseudonym} into {keep.pseudonym}"
    assert keep.history.first().history_change_reason == reason
    assert keep.history.first().history_user == lead
    gone = Contact.history.filter(id=other.pk).first()
    assert (gone.history_type, gone.history_change_reason, gone.history_user) == ("-", reason, lead)
    latest = Activity.objects.get(pk=activity.pk).history.first()
    assert latest.history_change_reason == reason
    assert [link.contact_id for link in latest.contacts.all()] == [keep.pk]
    assert (merge.merged_ids, merge.merged_pseudonyms) == ([other.pk], [other.pseudonym])
    assert (merge.survivor, merge.survivor_pseudonym, merge.merged_by) == (
        keep,
        keep.pseudonym,
        lead,
    )


def test_the_merged_contacts_history_is_reachable_from_the_survivor(client_for, lead, team, twins):
    keep, other = twins
    merge_contacts(team_access(lead, team.slug), keep, [other], values_of(keep))
    response = client_for(lead).get(
        reverse("activities:contact_history", kwargs={"team": team.slug, "pk": keep.pk})
    )
    merged = dict(response.context["merged_histories"])
    assert [entry.action for entry in merged[other.pseudonym]] == ["deleted", "created"]
    assert f"Merged into it: {other.pseudonym}" in response.content.decode()


def test_a_merge_into_a_contact_that_absorbed_others_keeps_the_earlier_merge(team, lead, twins):
    keep, other = twins
    third = factories.ContactFactory(team=team, name="A. Brennan")
    access = team_access(lead, team.slug)
    first = merge_contacts(access, other, [third], values_of(other))
    merge_contacts(access, keep, [other], values_of(keep))
    assert ContactMerge.objects.get(pk=first.pk).survivor == keep


def test_brokers_merge_but_not_erased_contacts_and_evaluators_never(
    team, broker, lead, evaluator, twins
):
    keep, other = twins
    other.erase()
    with pytest.raises(PermissionDenied):
        merge_contacts(team_access(broker, team.slug), keep, [other], values_of(keep))
    with pytest.raises(PermissionDenied):
        merge_contacts(team_access(evaluator, team.slug), keep, [other], values_of(keep))
    merge_contacts(team_access(lead, team.slug), keep, [other], values_of(keep))
    assert not Contact.objects.filter(pk=other.pk).exists()


def test_another_teams_contact_cannot_be_merged(team, other_team, lead, twins):
    keep, _other = twins
    stranger = factories.ContactFactory(team=other_team, name="Ayesha Brennan")
    with pytest.raises(Exception, match="no longer all in the team"):
        merge_contacts(team_access(lead, team.slug), keep, [stranger], values_of(keep))
    assert Contact.objects.filter(pk=stranger.pk).exists()


def test_the_merge_page_shows_both_side_by_side_and_merges(client_for, broker, team, twins):
    keep, other = twins
    url = reverse("activities:contact_merge", kwargs={"team": team.slug, "pk": keep.pk})
    client = client_for(broker)
    page = client.get(url)
    assert [c.pk for c in page.context["contacts"]] == [keep.pk, other.pk]
    assert b"a.brennan@bristol.ac.uk" in page.content
    data = dict.fromkeys(
        (
            "survivor",
            "name",
            "job_title",
            "organisation",
            "community",
            "phone",
            "notes",
            "consent_note",
        ),
        keep.pk,
    )
    response = client.post(f"{url}?with={other.pk}", {**data, "email": other.pk})
    assert response.status_code == 302
    keep.refresh_from_db()
    assert keep.email == "a.brennan@bristol.ac.uk"
    assert not Contact.objects.filter(pk=other.pk).exists()


Q2 = Quarter(2025, 2)


def test_report_figures_stay_except_where_one_activity_counted_the_person_twice(team, lead, broker):
    log = build_logbook(team, lead, broker)
    access = team_access(lead, team.slug)
    clinical = log.contact["clinical"]
    # A duplicate of the clinical contact, named beside them on A5 (15 July).
    twin = factories.ContactFactory(
        team=team, name="Clinical Contact", community=clinical.community
    )
    log.activity[5].contacts.add(twin)
    periods = ReportPeriods.for_quarter(Q2)

    def figures():
        return {row.key: row.values for _title, row in compute_figures(access, periods).rows()}

    before = figures()
    merge_contacts(access, clinical, [twin], values_of(clinical))
    after = figures()

    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    # Only the person counted twice: one fewer contact (clinical) this quarter and year to date.
    assert set(changed) == {
        "contacts.total",
        "contacts.clinical",
        "new_contacts.total",
        "new_contacts.clinical",
    }
    for key, (old, new) in changed.items():
        assert (old[0] - new[0], old[1] - new[1], old[2] - new[2]) == (1, 0, 1), key


def test_erasing_the_survivor_erases_the_merged_contacts_history_too(team, lead, twins):
    keep, other = twins
    merge_contacts(team_access(lead, team.slug), keep, [other], values_of(keep))
    keep.refresh_from_db()
    keep.erase()
    names = set(Contact.history.filter(id=other.pk).values_list("name", "email"))
    assert names == {(keep.name, "")}


def test_the_survivor_is_told_apart_from_whom_a_merged_contact_was(team, lead, twins):
    keep, other = twins
    stranger = factories.ContactFactory(team=team, name="Ayesha Brennan-Khan")
    DistinctContacts.mark(team, [other, stranger])
    merge_contacts(team_access(lead, team.slug), keep, [other], values_of(keep))
    pair = (min(keep.pk, stranger.pk), max(keep.pk, stranger.pk))
    assert DistinctContacts.objects.pairs() == {pair}
