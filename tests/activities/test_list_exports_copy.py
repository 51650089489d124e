"""On PostgreSQL, outcomes.csv and projects.csv are written by COPY too (their contacts
and partners from one aggregated join over the rows selected once): the same bytes as
the Python path, for brokers, and for evaluators (pseudonyms, redacted text)."""

import datetime
import decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.exports.outcomes import OUTCOMES
from activities.exports.projects import PROJECTS
from activities.models import Community, Outcome, Project
from kmtracker.lib import files
from teams.tenancy import team_access
from tests import factories
from tests.activities.downloads import content_of, csv_records
from tests.activities.test_activity_export_copy import AWKWARD_TEXTS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's; SQLite writes in Python"
    ),
]


@pytest.fixture
def people(team):
    """Contacts whose names sort differently by case, accent and id; one is named in text."""
    return [
        factories.ContactFactory(team=team, name=name, community=community)
        for name, community in [
            ("Yusuf Brennan", Community.CLINICAL),
            ("carl", Community.COMMISSIONING),
            ("Carl", Community.RESEARCH),
            ("Émile", Community.PATIENT_PUBLIC),
            ("ann", Community.RESEARCH),
        ]
    ]


@pytest.fixture
def awkward_outcomes(team, broker, lead, people):
    project = factories.ProjectFactory(team=team, title="=Project, one")
    for number, text in enumerate(AWKWARD_TEXTS):
        full = number % 2 == 0
        outcome = factories.OutcomeFactory(
            team=team,
            activity=(
                factories.ActivityFactory(
                    team=team, lead_broker=broker.broker_profile, title=f"{text} met Yusuf Brennan"
                )
                if number % 3
                else None
            ),
            project=project if full or number % 3 == 0 else None,
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            type=[Outcome.Type.CONNECTION_MADE, Outcome.Type.CAPABILITY_CHANGE][number % 2],
            capability_dimension="knowledge" if number % 2 else "",
            description=f"{text} with Yusuf Brennan" if full else text or "x",
            evidence=text,
            value_gbp=decimal.Decimal("1250.50") * number if full else None,
            created_by=lead if full else None,
        )
        outcome.contacts.set(people[number % 4 : number % 4 + number % 5])


@pytest.fixture
def awkward_projects(team, broker, lead, people):
    for number, text in enumerate(AWKWARD_TEXTS):
        full = number % 2 == 0
        project = factories.ProjectFactory(
            team=team,
            title=text or "Untitled",
            description=f"{text}, led with Yusuf Brennan",
            funder=text,
            status=[Project.Status.IDEA, Project.Status.SUBMITTED][number % 2],
            amount_requested=decimal.Decimal("99999.99") if full else None,
            amount_awarded=decimal.Decimal("0.00") if number % 4 == 0 else None,
            deadline=datetime.date(2025, 6, 30) if full else None,
            submitted_on=datetime.date(2025, 3, 1) if number % 2 else None,
            co_produced=full,
            lead_broker=broker.broker_profile if full else None,
            created_by=lead if number % 3 else None,
        )
        project.partners.set(people[number % 3 : number % 3 + number % 5])
        for _ in range(number % 3):
            factories.ActivityFactory(team=team, lead_broker=broker.broker_profile, project=project)
        if number % 4 == 1:
            factories.OutcomeFactory(team=team, activity=None, project=project)


def python_bytes(export, queryset, access):
    return content_of(files.csv_response("x.csv", export.header, export.rows(queryset, access)))


def download(client, team, name):
    url = reverse(f"activities:{name}_list", kwargs={"team": team.slug})
    with CaptureQueriesContext(connection) as queries:
        content = content_of(client.get(url, {"export": "csv"}))
    return content, [query["sql"] for query in queries]


@pytest.mark.parametrize(
    ("name", "fixture", "model", "export"),
    [
        ("outcome", "awkward_outcomes", Outcome, OUTCOMES),
        ("project", "awkward_projects", Project, PROJECTS),
    ],
)
def test_copy_writes_the_python_paths_bytes_for_brokers_and_evaluators(
    request, client_for, team, lead, evaluator, name, fixture, model, export
):
    request.getfixturevalue(fixture)
    for user in (lead, evaluator):
        access = team_access(user, team.slug)

        downloaded, queries = download(client_for(user), team, name)

        # The list's own order: compare against the Python path over the list's queryset.
        expected = python_bytes(export, list_queryset(client_for(user), team, name), access)
        assert downloaded == expected
        assert len(csv_records(expected)) == len(AWKWARD_TEXTS)
        copies = [sql for sql in queries if sql.startswith("COPY (WITH export_rows")]
        # One join of the contacts (or partners), aggregated over the rows selected once.
        assert len(copies) == 1
        assert copies[0].count("IN (SELECT export_id FROM export_rows)") == 1
    assert b"Yusuf Brennan" in python_bytes(
        export, team_access(lead, team.slug).scoped(model), team_access(lead, team.slug)
    )
    assert b"Yusuf Brennan" not in downloaded
    assert b"C-" in downloaded


def list_queryset(client, team, name):
    """The queryset the list's export writes (its FilterSet's, in the list's order)."""
    url = reverse(f"activities:{name}_list", kwargs={"team": team.slug})
    response = client.get(url)
    return response.context["filter"].qs
