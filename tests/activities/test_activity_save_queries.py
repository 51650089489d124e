"""Logging and editing an activity take a bounded number of queries, whatever its links,
and the batched save leaves every link and the history a save through the related
managers leaves (the row's record, then one after each step that changed a field)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity, Conduit, Topic
from kmtracker.lib.history.reading import history_of
from teams.submissions import new_token
from teams.tenancy import team_access
from tests import factories
from tests.activities.test_activity_form import form_data

pytestmark = pytest.mark.django_db

# session, user, membership+team; the user's broker profile with the lead broker and the
# co-brokers, one query; the signed-off quarters; the type; the contacts, organisations,
# conduits; the topics named or retired; the transaction's savepoint (BEGIN outside a
# test) and its release (COMMIT); the row; its links, one statement per field (5); its
# history records, one statement; their links, one per field (5); the token's claim with
# the row's page, one statement.
ADD_QUERIES = 25
# session, user, membership+team; the activity with its type; the ids of its links, one
# query of every link table; the user's broker profile (may they edit it?); the lead
# broker and the co-brokers; the signed-off quarters; the contacts, organisations,
# conduits; the topics named or retired; savepoint and release; the update; the removed
# and the added links of the two fields changed (4); the history records; their links,
# one per field (5).
EDIT_QUERIES = 25


def url(name, team, **kwargs):
    return reverse(f"activities:{name}", kwargs={"team": team.slug, **kwargs})


@pytest.fixture
def links(team):
    topics = Topic.from_names(team, ["frailty", "maternity", "urgent care"])
    return {
        "contacts": [factories.ContactFactory(team=team, name=f"Contact {n}") for n in range(4)],
        "co_brokers": [factories.BrokerFactory(team=team) for _ in range(2)],
        "organisations": [factories.OrganisationFactory(name=f"Org {n}") for n in range(2)],
        "conduits": list(Conduit.objects.order_by("position")[:3]),
        "topics": topics,
    }


def logged_data(team, broker, links):
    return form_data(
        team,
        broker.broker_profile,
        contacts=[contact.pk for contact in links["contacts"][:3]],
        co_brokers=[co.pk for co in links["co_brokers"]],
        organisations=[organisation.pk for organisation in links["organisations"]],
        conduits=[conduit.pk for conduit in links["conduits"][:2]],
        topics_text="frailty, maternity, urgent care",
        submission=new_token(),
    )


def linked(activity):
    return {
        name: sorted(target.pk for target in getattr(activity, name).all())
        for name in ("co_brokers", "conduits", "contacts", "organisations", "topics")
    }


def recorded(record):
    """A history record's links, as the history keeps them."""
    return {
        name: sorted(row[f"{field}_id"] for row in getattr(record, name).values(f"{field}_id"))
        for name, field in (
            ("co_brokers", "broker"),
            ("conduits", "conduit"),
            ("contacts", "contact"),
            ("organisations", "organisation"),
            ("topics", "topic"),
        )
    }


def pks(objects):
    return sorted(target.pk for target in objects)


def test_logging_an_activity_with_links_of_every_kind_takes_few_queries(
    client_for, team, broker, links
):
    client = client_for(broker)
    data = logged_data(team, broker, links)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("activity_add", team), data)

    assert response.status_code == 302
    assert len(queries) <= ADD_QUERIES, "\n".join(q["sql"][:150] for q in queries)


def test_the_batched_save_keeps_every_link_and_the_history_of_each_step(
    client_for, team, broker, links
):
    client_for(broker).post(url("activity_add", team), logged_data(team, broker, links))

    activity = Activity.objects.get()
    expected = {
        "co_brokers": pks(links["co_brokers"]),
        "conduits": pks(links["conduits"][:2]),
        "contacts": pks(links["contacts"][:3]),
        "organisations": pks(links["organisations"]),
        "topics": pks(links["topics"]),
    }
    assert linked(activity) == expected
    records = list(activity.history.order_by("history_id"))
    # The row's record, then one after each field was set, in the model's order.
    assert [record.history_type for record in records] == ["+", "~", "~", "~", "~", "~"]
    assert {record.history_user for record in records} == {broker}
    assert len({record.history_request_id for record in records}) == 1
    empty = dict.fromkeys(expected, [])
    steps = [empty]
    for name in ("co_brokers", "conduits", "contacts", "organisations", "topics"):
        steps.append({**steps[-1], name: expected[name]})
    assert [recorded(record) for record in records] == steps
    # A history link row is the link row itself, under its own id.
    through = Activity.contacts.through.objects.filter(activity=activity)
    assert sorted(records[-1].contacts.values_list("id", flat=True)) == sorted(
        through.values_list("id", flat=True)
    )
    [created] = history_of(activity, team_access(broker, team.slug))
    assert created.action == "created"
    assert {change.field for change in created.changes} == {
        "Co brokers",
        "Conduits",
        "Contacts",
        "Organisations",
        "Topics",
    }


def edit_data(activity, broker, links):
    contacts, conduits = links["contacts"], links["conduits"]
    data = logged_data(activity.team, broker, links)
    del data["submission"]
    return {
        **data,
        "title": "Frailty hub network",
        "contacts": [contacts[0].pk, contacts[1].pk, contacts[3].pk],
        "conduits": [conduits[0].pk, conduits[2].pk],
        "version": activity.version,
    }


@pytest.fixture
def logged(client_for, team, broker, links):
    client_for(broker).post(url("activity_add", team), logged_data(team, broker, links))
    return Activity.objects.get()


def test_editing_an_activity_with_links_of_every_kind_takes_few_queries(
    client_for, team, broker, links, logged
):
    client = client_for(broker)
    data = edit_data(logged, broker, links)

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("activity_edit", team, pk=logged.pk), data)

    assert response.status_code == 302
    assert len(queries) <= EDIT_QUERIES, "\n".join(q["sql"][:150] for q in queries)


def test_an_edit_records_each_step_and_reads_as_one_change(client_for, team, broker, links, logged):
    before = logged.history.count()
    contacts, conduits = links["contacts"], links["conduits"]

    client_for(broker).post(
        url("activity_edit", team, pk=logged.pk), edit_data(logged, broker, links)
    )

    logged.refresh_from_db()
    assert logged.title == "Frailty hub network"
    assert linked(logged)["contacts"] == pks([contacts[0], contacts[1], contacts[3]])
    assert linked(logged)["conduits"] == pks([conduits[0], conduits[2]])
    records = list(logged.history.order_by("history_id"))[before:]
    # The row (with the links it had), then conduits removed, added, contacts removed, added.
    assert [record.history_type for record in records] == ["~"] * 5
    assert [recorded(record)["conduits"] for record in records] == [
        pks(conduits[:2]),
        [conduits[0].pk],
        pks([conduits[0], conduits[2]]),
        pks([conduits[0], conduits[2]]),
        pks([conduits[0], conduits[2]]),
    ]
    assert [recorded(record)["contacts"] for record in records] == [
        pks(contacts[:3]),
        pks(contacts[:3]),
        pks(contacts[:3]),
        pks(contacts[:2]),
        pks([contacts[0], contacts[1], contacts[3]]),
    ]
    assert {record.title for record in records} == {"Frailty hub network"}
    assert recorded(records[-1]) == linked(logged)
    changed = history_of(logged, team_access(broker, team.slug))[0]
    assert [change.field for change in changed.changes] == ["Title", "Conduits", "Contacts"]
