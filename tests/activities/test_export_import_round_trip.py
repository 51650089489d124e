"""The round trip: a team's export, imported into an empty team, gives the same activities.

The new team has the same brokers' users and the same project titles; organisations
are shared; contacts are recreated from the first team's contacts export.
"""

import datetime

import pytest
from django.urls import reverse

from activities import imports
from activities.models import ActivityType, Community, Conduit, Topic
from teams.models import Membership
from teams.tenancy import team_access
from tests import factories
from tests.activities.downloads import content_of, csv_records, xlsx_rows

pytestmark = pytest.mark.django_db

# Columns that belong to the copy rather than to the work it records.
NOT_COPIED = {"id", "team", "outcomes", "created_by", "created_at", "updated_at"}


@pytest.fixture
def source(team, broker, lead):
    """Bristol's log: varied activities, with the awkward values spreadsheets meet."""
    colleague = factories.BrokerFactory(
        team=team, user=factories.UserFactory(username="cora", first_name="Cora", last_name="Co")
    )
    university = factories.OrganisationFactory(name="University of Bristol", kind="university")
    icb = factories.OrganisationFactory(name="BNSSG ICB", kind="commissioner")
    ada = factories.ContactFactory(
        team=team,
        name="Ada Lovelace",
        organisation=university,
        email="ada@uni.example",
        phone="+44 117 496 0000",
    )
    zoe = factories.ContactFactory(
        team=team, name="Zoë O’Brien", organisation=icb, community=Community.COMMISSIONING
    )
    formula = factories.ContactFactory(team=team, name="=Dr Formula", community=Community.OTHER)
    project = factories.ProjectFactory(team=team, title="Frailty evaluation")
    retired = ActivityType.objects.create(
        team=team, category="advice_consultation", name="Old advice", is_active=False
    )
    frailty = Topic.objects.create(team=team, name="frailty")
    conduits = list(Conduit.objects.filter(code__in=["interpersonal", "governance"]))
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        co_brokers=[lead.broker_profile, colleague],
        date=datetime.date(2025, 5, 12),
        activity_type=factories.activity_type(team, "Seminar delivered"),
        title="Frailty seminar",
        description="Line one,\nline two; with “quotes” and, commas.",
        duration_minutes=90,
        setting="academic",
        direction="research_informed_commissioning",
        conduits=conduits,
        contacts=[ada, zoe, formula],
        organisations=[university, icb],
        topics=[frailty, Topic.objects.create(team=team, name="urgent care")],
        attendees=40,
        project=project,
        follow_up_date=datetime.date(2025, 6, 1),
    )
    factories.ActivityFactory(
        team=team,
        lead_broker=lead.broker_profile,
        date=datetime.date(2025, 5, 12),
        activity_type=retired,
        title="-minus: advice given",
        description="",
        duration_minutes=None,
        direction="both",
    )
    factories.ActivityFactory(
        team=team,
        lead_broker=colleague,
        date=datetime.date(2024, 12, 31),
        title="Café ✓ introduction @ the ICB",
        contacts=[zoe],
        topics=[frailty],
    )
    return team


@pytest.fixture
def empty_team(source, broker, lead):
    """A new team with the same brokers' users and project titles, and no activities."""
    target = factories.TeamFactory(name="Copy", slug="copy")
    for profile in source.brokers.all():
        factories.BrokerFactory(team=target, user=profile.user)
    Membership.objects.filter(team=target, user=lead).update(role="lead")
    factories.ProjectFactory(team=target, title="Frailty evaluation")
    ActivityType.objects.create(
        team=target, category="advice_consultation", name="Old advice", is_active=False
    )
    return target


def download(client, team, list_name, export_format="csv"):
    url = reverse(f"activities:{list_name}_list", kwargs={"team": team.slug})
    response = client.get(url, {"export": export_format})
    assert response.status_code == 200
    return response


def comparable(records):
    copied = [{k: v for k, v in record.items() if k not in NOT_COPIED} for record in records]
    return sorted(copied, key=lambda record: (record["date"], record["title"]))


def import_into(team, user, kind, content):
    importer = imports.IMPORTERS[kind](team_access(user, team.slug))
    preview = importer.save(imports.read_table(content))
    assert preview.problems == []
    assert [r.errors for r in preview.results if r.errors] == []
    return preview


def test_the_csv_export_imported_into_an_empty_team_gives_the_same_activities(
    client_for, source, empty_team, lead
):
    client = client_for(lead)
    contacts_file = content_of(download(client, source, "contact"))
    activities_file = content_of(download(client, source, "activity"))

    assert import_into(empty_team, lead, "contacts", contacts_file).new == 3
    assert import_into(empty_team, lead, "activities", activities_file).new == 3

    original = csv_records(activities_file)
    copy = csv_records(content_of(download(client, empty_team, "activity")))
    assert comparable(copy) == comparable(original)
    assert {record["team"] for record in copy} == {"copy"}


def test_the_xlsx_export_round_trips_too(client_for, source, empty_team, lead):
    client = client_for(lead)
    import_into(
        empty_team, lead, "contacts", content_of(download(client, source, "contact", "xlsx"))
    )
    import_into(
        empty_team, lead, "activities", content_of(download(client, source, "activity", "xlsx"))
    )

    def as_records(data):
        header, *rows = xlsx_rows(data)
        return [dict(zip(header, row, strict=True)) for row in rows]

    original = as_records(content_of(download(client, source, "activity", "xlsx")))
    copy = as_records(content_of(download(client, empty_team, "activity", "xlsx")))
    assert comparable(copy) == comparable(original)


def test_importing_the_export_again_adds_nothing(client_for, source, empty_team, lead):
    client = client_for(lead)
    contacts_file = content_of(download(client, source, "contact"))
    activities_file = content_of(download(client, source, "activity"))
    import_into(empty_team, lead, "contacts", contacts_file)
    import_into(empty_team, lead, "activities", activities_file)

    again = import_into(empty_team, lead, "activities", activities_file)
    own = import_into(
        empty_team, lead, "activities", content_of(download(client, empty_team, "activity"))
    )
    contacts_again = import_into(empty_team, lead, "contacts", contacts_file)

    assert (again.new, again.existing) == (0, 3)
    assert (own.new, own.existing) == (0, 3)
    assert (contacts_again.new, contacts_again.existing) == (0, 3)
    assert empty_team.activities.count() == 3
