"""projects.csv: exact header and rows, the list's filters, pseudonyms for evaluators."""

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
    "title",
    "kind",
    "status",
    "description",
    "funder",
    "amount_requested",
    "amount_awarded",
    "deadline",
    "submitted_on",
    "decided_on",
    "co_produced",
    "partners",
    "lead_broker",
    "activities",
    "outcomes",
    "created_by",
    "created_at",
    "updated_at",
]


def export(client, team, **params):
    url = reverse("activities:project_list", kwargs={"team": team.slug})
    response = client.get(url, {"export": "csv", **params})
    assert response.status_code == 200
    return response


@pytest.fixture
def project(team, broker):
    with freeze_time("2025-02-03 10:00"):
        project = factories.ProjectFactory(
            team=team,
            title="Frailty evaluation",
            kind="evaluation",
            status="funded",
            description="=Does it work?",
            funder="NIHR",
            amount_requested=Decimal("720000.00"),
            amount_awarded=Decimal("712400.00"),
            deadline=datetime.date(2025, 1, 15),
            submitted_on=datetime.date(2025, 1, 14),
            decided_on=datetime.date(2025, 6, 23),
            co_produced=True,
            lead_broker=broker.broker_profile,
            created_by=broker,
        )
    project.partners.set(
        [
            factories.ContactFactory(team=team, name="Grace Hopper"),
            factories.ContactFactory(team=team, name="Ada Lovelace"),
        ]
    )
    activity = factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, project=project
    )
    factories.ActivityFactory(team=team, lead_broker=broker.broker_profile, project=project)
    factories.OutcomeFactory(team=team, activity=activity, project=project)
    return project


def test_it_writes_the_documented_header_and_rows(client_for, team, broker, project):
    rows = csv_rows(export(client_for(broker), team))

    assert rows == [
        HEADER,
        [
            str(project.pk),
            "Frailty evaluation",
            "evaluation",
            "funded",
            "'=Does it work?",
            "NIHR",
            "720000.00",
            "712400.00",
            "2025-01-15",
            "2025-01-14",
            "2025-06-23",
            "true",
            "Ada Lovelace; Grace Hopper",
            broker.broker_profile.name,
            "2",
            "1",
            broker.get_full_name(),
            "2025-02-03T10:00:00+00:00",
            "2025-02-03T10:00:00+00:00",
        ],
    ]


def test_evaluators_get_pseudonyms_for_partners(client_for, team, evaluator, project):
    content = content_of(export(client_for(evaluator), team))

    assert "Ada" not in content.decode() and "Grace" not in content.decode()
    partners = csv_rows(content)[1][HEADER.index("partners")].split("; ")
    assert sorted(partners) == sorted(c.pseudonym for c in project.partners.all())


def test_it_exports_only_the_filtered_projects(client_for, team, broker, project):
    factories.ProjectFactory(team=team, title="An idea", status="idea")

    records = csv_records(export(client_for(broker), team, status="idea"))

    assert [r["title"] for r in records] == ["An idea"]


# session, user, membership, the access log's record; the projects with lead broker,
# author and counts; partners. On PostgreSQL one COPY computes every column, their
# partners from one aggregated join, between setting and resetting JIT compiling.
QUERIES = 7 if connection.vendor == "postgresql" else 6


@pytest.mark.parametrize("count", [2, 8])
def test_the_export_takes_the_same_queries_for_any_number_of_rows(
    client_for, team, broker, django_assert_num_queries, count
):
    for _ in range(count):
        project = factories.ProjectFactory(team=team, lead_broker=broker.broker_profile)
        project.partners.set(factories.ContactFactory.create_batch(2, team=team))
        factories.ActivityFactory(team=team, lead_broker=broker.broker_profile, project=project)
    client = client_for(broker)

    with django_assert_num_queries(QUERIES):
        records = csv_records(export(client, team))

    assert len(records) == count
    assert {r["activities"] for r in records} == {"1"}
