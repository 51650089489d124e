"""The possible duplicates page: clusters with why, names for brokers and leads,
pseudonyms for evaluators, a bounded number of queries, and the finder's precision."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.duplicates import clusters
from activities.merging import merge_contacts
from demo.duplicates import seed_duplicates
from teams.tenancy import team_access
from tests import factories
from tests.jobs.inline import end_pauses, run_due_jobs

pytestmark = pytest.mark.django_db


def checked():
    """Run the duplicate checks the changes so far asked for, as the worker will once
    their delay is over."""
    end_pauses()
    return run_due_jobs()


def page_url(team):
    return reverse("activities:contact_duplicates", kwargs={"team": team.slug})


@pytest.fixture
def brennans(team):
    uob = factories.OrganisationFactory(name="University of Bristol")
    return [
        factories.ContactFactory(team=team, name=name, organisation=uob)
        for name in ("Dr Ayesha Brennan", "Ayesha Brennan", "Prof. Ayesha Brennan")
    ]


def test_brokers_see_the_cluster_with_names_why_and_a_merge_link(
    client_for, broker, team, brennans
):
    factories.ContactFactory(team=team, name="Someone Else")
    checked()
    response = client_for(broker).get(page_url(team))
    [cluster] = response.context["clusters"]
    assert cluster.contacts == brennans
    assert cluster.reasons == ["similar name at the same organisation"]
    body = response.content.decode()
    assert "Dr Ayesha Brennan" in body and "Compare and merge" in body
    assert "Someone Else" not in body


def test_evaluators_see_pseudonyms_and_cannot_merge(client_for, evaluator, lead, team, brennans):
    merge_contacts(
        team_access(lead, team.slug), brennans[0], [brennans[2]], {"name": brennans[0].name}
    )
    checked()
    body = client_for(evaluator).get(page_url(team)).content.decode()
    assert "Brennan" not in body
    assert brennans[0].pseudonym in body and brennans[1].pseudonym in body
    assert "Compare and merge" not in body
    # The merge, by pseudonyms, to reconcile files exported before it.
    assert brennans[2].pseudonym in body


def test_other_teams_contacts_are_never_in_a_cluster(client_for, broker, team, other_team):
    factories.ContactFactory(team=team, name="Ayesha Brennan")
    factories.ContactFactory(team=other_team, name="Ayesha Brennan")
    assert client_for(broker).get(page_url(team)).context["clusters"] == []


def test_the_page_takes_the_same_queries_however_many_clusters(client_for, broker, team):
    client = client_for(broker)
    for n in range(30):
        organisation = factories.OrganisationFactory()
        for _ in range(2):
            factories.ContactFactory(team=team, name=f"Person{n} Twin", organisation=organisation)
    checked()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page_url(team))
    assert len(response.context["clusters"]) == 30
    # Session, user, membership; the stored check; the clustered contacts with their
    # organisations; the pairs told apart; the merges; the broker profile of the menu.
    assert len(queries) <= 8, [q["sql"] for q in queries.captured_queries]


def test_the_finder_is_precise_on_the_seeded_duplicates(team):
    """Precision and recall of the pairs found, on the demo's seeded duplicates and
    look-alikes that are different people."""
    truth = seed_duplicates(team)
    found = {
        frozenset((one.pk, two.pk))
        for cluster in clusters(team.contacts.all())
        for one, two, _score, _reasons in cluster.links
    }
    true_pairs = {frozenset(pair) for pair in truth.duplicate_pairs}
    hits = found & true_pairs
    precision = len(hits) / len(found)
    recall = len(hits) / len(true_pairs)
    print(f"precision {precision:.2f}, recall {recall:.2f} on {len(true_pairs)} true pairs")
    assert precision >= 0.9
    assert recall >= 0.8


def test_contacts_said_to_be_different_people_are_not_shown_together_again(
    client_for, broker, team, brennans
):
    client = client_for(broker)
    checked()
    assert len(client.get(page_url(team)).context["clusters"]) == 1
    distinct = reverse("activities:contact_distinct", kwargs={"team": team.slug})
    response = client.post(distinct, {"contact": [c.pk for c in brennans]})
    assert response.status_code == 302
    # At once, before any check again.
    assert client.get(page_url(team)).context["clusters"] == []


def test_evaluators_cannot_say_who_is_a_different_person(client_for, evaluator, team, brennans):
    distinct = reverse("activities:contact_distinct", kwargs={"team": team.slug})
    response = client_for(evaluator).post(distinct, {"contact": [c.pk for c in brennans]})
    assert response.status_code == 403
    checked()
    assert len(client_for(evaluator).get(page_url(team)).context["clusters"]) == 1


def test_a_contact_saved_as_a_different_person_is_not_a_possible_duplicate(
    client_for, broker, team
):
    uob = factories.OrganisationFactory(name="University of Bristol")
    factories.ContactFactory(team=team, name="Ayesha Brennan", organisation=uob)
    client = client_for(broker)
    data = {"name": "Dr Ayesha Brennan", "organisation": uob.pk, "community": "research"}
    add = reverse("activities:contact_add", kwargs={"team": team.slug})
    assert client.post(add, {**data, "version": 1, "different_person": "on"}).status_code == 302
    checked()
    assert client.get(page_url(team)).context["check"].is_current
    assert client.get(page_url(team)).context["clusters"] == []
