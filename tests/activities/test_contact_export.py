"""contacts.csv: exact header and rows, filters, and no personal details for evaluators."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from activities.models import Community
from tests import factories
from tests.activities.downloads import content_of, csv_records, csv_rows

pytestmark = pytest.mark.django_db

HEADER = [
    "id",
    "pseudonym",
    "name",
    "job_title",
    "organisation",
    "organisation_kind",
    "community",
    "email",
    "phone",
    "notes",
    "consent_note",
    "first_engaged",
    "activities",
    "erased",
    "created_at",
    "updated_at",
]
PERSONAL = ["name", "job_title", "email", "phone", "notes", "consent_note"]


def export(client, team, **params):
    url = reverse("activities:contact_list", kwargs={"team": team.slug})
    response = client.get(url, {"export": "csv", **params})
    assert response.status_code == 200
    return response


@pytest.fixture
def ada(team, broker):
    university = factories.OrganisationFactory(name="University of Bristol", kind="university")
    with freeze_time("2025-01-10 12:00"):
        ada = factories.ContactFactory(
            team=team,
            name="Ada Lovelace",
            job_title="Professor of Frailty",
            organisation=university,
            community=Community.RESEARCH,
            email="ada@uni.example",
            phone="+44 117 496 0000",
            notes="Prefers mornings",
            consent_note="Agreed by email",
        )
    for day in (datetime.date(2025, 5, 12), datetime.date(2025, 3, 1)):
        factories.ActivityFactory(
            team=team, lead_broker=broker.broker_profile, date=day, contacts=[ada]
        )
    return ada


def test_brokers_get_every_column(client_for, team, broker, ada):
    rows = csv_rows(export(client_for(broker), team))

    assert rows == [
        HEADER,
        [
            str(ada.pk),
            ada.pseudonym,
            "Ada Lovelace",
            "Professor of Frailty",
            "University of Bristol",
            "university",
            "research",
            "ada@uni.example",
            "'+44 117 496 0000",
            "Prefers mornings",
            "Agreed by email",
            "2025-03-01",
            "2",
            "false",
            "2025-01-10T12:00:00+00:00",
            "2025-01-10T12:00:00+00:00",
        ],
    ]


def test_evaluators_get_the_pseudonym_and_no_personal_details(client_for, team, evaluator, ada):
    content = content_of(export(client_for(evaluator), team))

    text = content.decode()
    for secret in ["Ada", "Lovelace", "Frailty", "ada@uni", "496", "mornings", "Agreed"]:
        assert secret not in text
    header, row = csv_rows(content)
    assert header == HEADER
    record = dict(zip(header, row, strict=True))
    assert record["pseudonym"] == ada.pseudonym
    assert [record[column] for column in PERSONAL] == [""] * len(PERSONAL)
    assert record["organisation"] == "University of Bristol"
    assert record["community"] == "research"


def test_evaluators_rows_are_not_in_the_order_of_names(client_for, team, evaluator):
    zed = factories.ContactFactory(team=team, name="Zed")
    amy = factories.ContactFactory(team=team, name="Amy")

    records = csv_records(export(client_for(evaluator), team))

    assert [r["id"] for r in records] == [str(zed.pk), str(amy.pk)]


def test_the_phone_number_keeps_its_plus_sign(client_for, team, broker, ada):
    record = csv_records(export(client_for(broker), team))[0]

    assert record["phone"].lstrip("'") == "+44 117 496 0000"


def test_it_exports_only_the_filtered_contacts(client_for, team, broker, ada):
    factories.ContactFactory(team=team, name="Grace Hopper", community=Community.COMMISSIONING)

    by_community = csv_records(export(client_for(broker), team, community="commissioning"))
    by_search = csv_records(export(client_for(broker), team, q="lovelace"))

    assert [r["name"] for r in by_community] == ["Grace Hopper"]
    assert [r["name"] for r in by_search] == ["Ada Lovelace"]


def test_an_erased_contact_is_exported_as_erased(client_for, team, broker, ada):
    ada.erase()

    record = csv_records(export(client_for(broker), team))[0]

    assert record["erased"] == "true"
    assert record["name"] == f"Erased contact {ada.pseudonym}"
    assert record["email"] == record["phone"] == record["notes"] == ""


def test_it_exports_nothing_of_other_teams(client_for, team, broker, other_team):
    factories.ContactFactory(team=other_team, name="Wyn Outsider")

    assert csv_records(export(client_for(broker), team)) == []


# session, user, membership, the access log's record; the contacts with their
# organisations, first activity date and activity count: no query per contact.
@pytest.mark.parametrize("count", [2, 8])
def test_the_export_takes_the_same_queries_for_any_number_of_rows(
    client_for, team, broker, django_assert_num_queries, count
):
    for _ in range(count):
        contact = factories.ContactFactory(team=team, organisation=factories.OrganisationFactory())
        factories.ActivityFactory(team=team, lead_broker=broker.broker_profile, contacts=[contact])
    client = client_for(broker)

    with django_assert_num_queries(5):
        records = csv_records(export(client, team))

    assert len(records) == count
