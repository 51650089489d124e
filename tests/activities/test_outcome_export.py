"""outcomes.csv: exact header and rows, the list's filters, pseudonyms for evaluators."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time

from tests import factories
from tests.activities.downloads import content_of, csv_records, csv_rows

pytestmark = pytest.mark.django_db

HEADER = [
    "id",
    "date",
    "type",
    "capability_dimension",
    "description",
    "evidence",
    "confidence",
    "value_gbp",
    "activity_id",
    "activity",
    "project_id",
    "project",
    "contacts",
    "created_by",
    "created_at",
    "updated_at",
]


def export(client, team, **params):
    url = reverse("activities:outcome_list", kwargs={"team": team.slug})
    response = client.get(url, {"export": "csv", **params})
    assert response.status_code == 200
    return response


@pytest.fixture
def outcome(team, broker):
    activity = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, title="Frailty seminar"
    )
    project = factories.ProjectFactory(team=team, title="Frailty evaluation")
    with freeze_time("2025-05-20 08:00"):
        outcome = factories.OutcomeFactory(
            team=team,
            activity=activity,
            project=project,
            type="capability_change",
            capability_dimension="skills",
            date=datetime.date(2025, 5, 20),
            description="Commissioners used the toolkit.",
            evidence="-see minutes",
            confidence="high",
            value_gbp=Decimal("1250.50"),
            created_by=broker,
        )
    outcome.contacts.set([factories.ContactFactory(team=team, name="Ada Lovelace")])
    return outcome


def test_it_writes_the_documented_header_and_rows(client_for, team, broker, outcome):
    rows = csv_rows(export(client_for(broker), team))

    assert rows == [
        HEADER,
        [
            str(outcome.pk),
            "2025-05-20",
            "capability_change",
            "skills",
            "Commissioners used the toolkit.",
            "'-see minutes",
            "high",
            "1250.50",
            str(outcome.activity_id),
            "Frailty seminar",
            str(outcome.project_id),
            "Frailty evaluation",
            "Ada Lovelace",
            broker.get_full_name(),
            "2025-05-20T09:00:00+01:00",
            "2025-05-20T09:00:00+01:00",
        ],
    ]


def test_evaluators_get_pseudonyms(client_for, team, evaluator, outcome):
    content = content_of(export(client_for(evaluator), team))

    assert "Ada" not in content.decode()
    assert csv_rows(content)[1][HEADER.index("contacts")] == outcome.contacts.get().pseudonym


def test_it_exports_only_the_filtered_outcomes(client_for, team, broker, outcome):
    factories.OutcomeFactory(team=team, type="output", activity__lead_broker=broker.broker_profile)

    records = csv_records(export(client_for(broker), team, type="output"))

    assert [r["type"] for r in records] == ["output"]


# session, user, membership, the access log's record; the outcomes with activity,
# project and author; contacts. On PostgreSQL one COPY computes every column, their
# contacts from one aggregated join, between setting and resetting JIT compiling.
QUERIES = 7 if connection.vendor == "postgresql" else 6


@pytest.mark.parametrize("count", [2, 8])
def test_the_export_takes_the_same_queries_for_any_number_of_rows(
    client_for, team, broker, django_assert_num_queries, count
):
    for _ in range(count):
        outcome = factories.OutcomeFactory(
            team=team,
            activity__lead_broker=broker.broker_profile,
            project=factories.ProjectFactory(team=team),
        )
        outcome.contacts.set(factories.ContactFactory.create_batch(2, team=team))
    client = client_for(broker)

    with django_assert_num_queries(QUERIES):
        records = csv_records(export(client, team))

    assert len(records) == count
