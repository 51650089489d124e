"""Queries per page: the same whatever the page size, for each list of the API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Conduit, Topic
from tests import factories
from tests.api.conftest import make_token, token_client

pytestmark = pytest.mark.django_db


def log_with_related_rows(team, broker, count):
    """`count` activities, each with two contacts, a co-broker, topics, a conduit, an
    organisation and an outcome: enough related rows to reveal a query per row."""
    co_broker = factories.BrokerFactory(team=team)
    topics = [Topic.objects.create(team=team, name=f"Topic {n}") for n in range(2)]
    for n in range(count):
        organisation = factories.OrganisationFactory(name=f"Trust {n}")
        project = factories.ProjectFactory(team=team, lead_broker=broker.broker_profile)
        contacts = [
            factories.ContactFactory(team=team, organisation=organisation) for _ in range(2)
        ]
        activity = factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            contacts=contacts,
            co_brokers=[co_broker],
            topics=topics,
            conduits=[Conduit.objects.first()],
            organisations=[organisation],
            project=project,
        )
        outcome = factories.OutcomeFactory(team=team, activity=activity, project=project)
        outcome.contacts.set(contacts)
        project.partners.set(contacts)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    assert response.json()["results"]
    return [query["sql"] for query in captured.captured_queries]


# Every page: the token (with its user and team), its owner's membership, the team's
# access, then the page's rows and their prefetches, and the access log's record:
# activities prefetch co-brokers, conduits, topics, organisations, contacts and outcomes;
# links their contacts; outcomes and projects their contacts (partners).
EXPECTED = {
    "activities": 3 + 1 + 6 + 1,
    "activity_contacts": 3 + 1 + 1 + 1,
    "contacts": 3 + 1 + 1,
    "organisations": 3 + 1 + 1,
    "outcomes": 3 + 1 + 1 + 1,
    "projects": 3 + 1 + 1 + 1,
}

REDACTED = ("activities", "activity_contacts", "outcomes", "projects")


@pytest.mark.parametrize("name", list(EXPECTED))
@pytest.mark.parametrize("persona", ["broker", "evaluator"])
def test_queries_per_page_do_not_grow_with_the_page_size(team, broker, evaluator, name, persona):
    log_with_related_rows(team, broker, 12)
    user = {"broker": broker, "evaluator": evaluator}[persona]
    client = token_client(make_token(user, team)[1])
    url = reverse(f"api:{name}", kwargs={"team": team.slug})
    client.get(url)  # the token's first use is recorded once (then once a minute at most)

    small = queries_of(client, url + "?page_size=2")
    large = queries_of(client, url + "?page_size=12")
    following = client.get(url + "?page_size=2").json()["next"]
    next_page = queries_of(client, following)

    # Evaluators read free text redacted (and the activity filters search it as they read
    # it) by the team's matcher of names, which asks
    # whether the team's contacts changed since it was built.
    expected = EXPECTED[name] + (1 if persona == "evaluator" and name in REDACTED else 0)
    assert len(small) == len(large) == len(next_page) == expected, "\n".join(large)
