"""A report takes a fixed number of queries, however many activities the quarter holds."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Conduit
from bench.reference import app_figures, differences, report_figures
from evaluations.reports.activity_figures import ActivityFigures
from evaluations.reports.computation import Scope, compute_figures
from evaluations.reports.periods import ReportPeriods
from kmtracker.lib.quarters import Quarter
from teams.tenancy import TeamAccess
from tests import factories
from tests.evaluations.quarter_fixture import build_logbook

pytestmark = pytest.mark.django_db

# Reading the log for one report: activities by category × setting × direction × lead
# broker (with hours, events, attendees and the counts per month), by co-broker and by
# conduit (one statement on PostgreSQL, two elsewhere), the brokers' names, the conduits'
# labels, contacts engaged and new by community (one query), projects (their figures and
# pipeline in one query, the titles of those funded without a "bid funded" outcome in
# another), and outcomes.
FIGURE_QUERIES = 8 if connection.vendor == "postgresql" else 9
# Every team page: the session, the user, the membership with its team.
REQUEST_QUERIES = 3


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def busy_quarter(team, lead, broker, count):
    """`count` activities in 2025/26 Q2 (and as many before), each with two co-brokers,
    two contacts, two conduits, an outcome and a project: enough to reveal an N+1."""
    brokers = [lead.broker_profile, broker.broker_profile, factories.BrokerFactory(team=team)]
    conduits = list(Conduit.objects.all()[:2])
    for number in range(count):
        for date in (datetime.date(2025, 7, 1 + number % 28), datetime.date(2025, 5, 3)):
            project = factories.ProjectFactory(
                team=team, status="submitted", submitted_on=date, amount_requested=1000
            )
            activity = factories.ActivityFactory(
                team=team,
                date=date,
                lead_broker=brokers[number % 3],
                co_brokers=[brokers[(number + 1) % 3], brokers[(number + 2) % 3]],
                contacts=factories.ContactFactory.create_batch(2, team=team),
                conduits=conduits,
                project=project,
                attendees=number,
            )
            factories.OutcomeFactory(team=team, activity=activity, project=project, date=date)


def report_url(name="report_detail"):
    return reverse(f"evaluations:{name}", kwargs={"team": "bristol", "quarter": "2025-q2"})


@pytest.mark.parametrize("count", [5, 50])
@freeze_time("2025-10-15 10:00")
def test_a_draft_report_takes_the_same_queries_for_5_or_50_activities(
    team, lead, broker, client_for, django_assert_num_queries, count
):
    busy_quarter(team, lead, broker, count)
    client = client_for(lead)

    # + the quarter's report row (none yet, so no sign-off history to read).
    with django_assert_num_queries(REQUEST_QUERIES + 1 + FIGURE_QUERIES):
        response = client.get(report_url())
    assert response.context["figures"].section("activities").rows[0].values[0] == count


@pytest.mark.parametrize("count", [5, 50])
def test_a_signed_off_report_takes_the_same_queries_for_5_or_50_activities(
    team, lead, broker, client_for, django_assert_num_queries, count
):
    with freeze_time("2025-10-01 10:00"):
        busy_quarter(team, lead, broker, count)
    client = client_for(lead)
    with freeze_time("2025-10-15 10:00"):
        client.post(report_url("report_signoff"))
    with freeze_time("2025-10-16 10:00"):
        factories.ActivityFactory(
            team=team, lead_broker=broker.broker_profile, date=datetime.date(2025, 8, 1)
        )

    # + the report row with its signer, the log's figures (to compare with the frozen ones),
    # the activities changed since sign-off, the changes with their reasons (one query each
    # for activities, outcomes and projects), and the sign-off history.
    with (
        freeze_time("2025-10-20 10:00"),
        django_assert_num_queries(REQUEST_QUERIES + 1 + FIGURE_QUERIES + 2 + 3),
    ):
        response = client.get(report_url())
    assert len(response.context["changed_activities"]) == 1
    assert len(response.context["changes_since_sign_off"]) == 1
    assert response.context["differences"]


@pytest.mark.parametrize("count", [5, 50])
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_the_downloads_take_the_same_queries_for_5_or_50_activities(
    team, lead, broker, client_for, django_assert_num_queries, count, export
):
    busy_quarter(team, lead, broker, count)
    client = client_for(lead)

    # The page's queries, and the access log's record of the download.
    with django_assert_num_queries(REQUEST_QUERIES + 1 + FIGURE_QUERIES + 1):
        response = client.get(report_url(), {"export": export})
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_the_index_takes_the_same_queries_for_5_or_50_activities(
    team, lead, broker, client_for, django_assert_num_queries, count
):
    busy_quarter(team, lead, broker, count)
    client = client_for(lead)

    # Activities per month, outcomes per month, the reports with their signers.
    with django_assert_num_queries(REQUEST_QUERIES + 3):
        response = client.get(reverse("evaluations:report_index", kwargs={"team": "bristol"}))
    assert [entry.quarter.slug for entry in response.context["entries"]] == ["2025-q2", "2025-q1"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own statement")
def test_the_postgresql_statement_counts_co_brokers_and_conduits_as_the_portable_queries(
    team, lead, broker
):
    busy_quarter(team, lead, broker, 5)
    # An activity without a conduit, and one whose lead is also listed as a co-broker.
    factories.ActivityFactory(team=team, date=datetime.date(2025, 8, 2), conduits=[])
    factories.ActivityFactory(
        team=team,
        date=datetime.date(2025, 8, 3),
        lead_broker=lead.broker_profile,
        co_brokers=[lead.broker_profile],
    )
    periods = ReportPeriods.for_quarter(Quarter.containing(datetime.date(2025, 8, 1), 4))
    figures = ActivityFigures(Scope(TeamAccess(team, lead, "lead"), periods))

    fast = figures._read_links_postgresql(connection)
    portable = figures._read_links_portably()

    assert [tally.values for tally in fast] == [tally.values for tally in portable]
    assert fast[1].get(None) != (0, 0, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="hand-written PostgreSQL")
def test_the_benchmarks_hand_written_statement_gives_the_reports_figures(
    team, lead, broker, other_team
):
    build_logbook(team, lead, broker, other_team)
    periods = ReportPeriods.for_quarter(Quarter(2025, 2))
    app, app_months = app_figures(compute_figures(TeamAccess(team, lead, "lead"), periods))
    hand, hand_months = report_figures(connection, team.pk, periods)

    assert differences(app, hand) == {}
    assert differences(app_months, hand_months) == {}
