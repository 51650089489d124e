"""Importing activities: upload, a preview with each error beside its row and column, then
an all-or-nothing import that adds nothing the second time."""

import datetime

import pytest
from django.urls import reverse

from activities import imports
from activities.models import Activity, Topic
from kmtracker.lib import tables
from tests import factories
from tests.activities.imports import (
    confirm,
    csv_bytes,
    errors_of,
    import_url,
    preview,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

CATEGORIES = "relationship_building, awareness_raising, advice_consultation, collaborative_project"
SETTINGS = "commissioning, academic, clinical, community, online"

HEADER = [
    "date",
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
    "organisations",
    "topics",
    "attendees",
    "project",
    "follow_up",
]


@pytest.fixture
def world(team, broker, lead):
    """What the rows name: brokers, a contact, an organisation and a project of the team."""
    factories.ContactFactory(team=team, name="Ada Lovelace")
    factories.OrganisationFactory(name="University of Bristol")
    factories.ProjectFactory(team=team, title="Frailty evaluation")
    return team


def row(**changes):
    values = {
        "date": "2025-05-12",
        "lead_broker": "broker",
        "co_brokers": "lead",
        "category": "awareness_raising",
        "activity_type": "Seminar delivered",
        "title": "Frailty seminar",
        "description": "Findings on frailty.",
        "duration_minutes": "90",
        "setting": "academic",
        "direction": "research_informed_commissioning",
        "conduits": "interpersonal; governance",
        "contacts": "Ada Lovelace",
        "organisations": "university of bristol",
        "topics": "frailty; urgent care",
        "attendees": "40",
        "project": "Frailty evaluation",
        "follow_up": "01/06/2025",
    }
    values.update(changes)
    return [values[name] for name in HEADER]


def test_it_previews_then_imports_every_row(client_for, world, broker, lead):
    client = client_for(broker)
    content = csv_bytes(HEADER, [row(), row(title="Second seminar", date="2025-05-13")])

    response, token = preview(client, world, "activities", content)

    assert Activity.objects.count() == 0
    shown = response.context["preview"]
    assert (shown.new, shown.existing, shown.with_errors) == (2, 0, 0)
    assert "Import 2 activities" in response.content.decode()

    done = confirm(client, world, "activities", token, shown.mapping)

    assert done.status_code == 302
    assert done["Location"] == reverse("activities:activity_list", args=[world.slug])
    activity = Activity.objects.get(title="Frailty seminar")
    assert activity.team == world
    assert activity.date == datetime.date(2025, 5, 12)
    assert activity.lead_broker == broker.broker_profile
    assert list(activity.co_brokers.all()) == [lead.broker_profile]
    assert activity.category == "awareness_raising"
    assert activity.activity_type.name == "Seminar delivered"
    assert activity.description == "Findings on frailty."
    assert activity.duration_minutes == 90
    assert activity.setting == "academic"
    assert activity.direction == "research_informed_commissioning"
    assert sorted(c.code for c in activity.conduits.all()) == ["governance", "interpersonal"]
    assert [c.name for c in activity.contacts.all()] == ["Ada Lovelace"]
    assert [o.name for o in activity.organisations.all()] == ["University of Bristol"]
    assert sorted(t.name for t in activity.topics.all()) == ["frailty", "urgent care"]
    assert activity.attendees == 40
    assert activity.project.title == "Frailty evaluation"
    assert activity.follow_up_date == datetime.date(2025, 6, 1)
    assert activity.created_by == broker
    assert activity.history.first().history_user == broker
    assert Activity.objects.count() == 2


def test_a_500_row_file_with_three_bad_rows_shows_three_errors_then_imports_once_fixed(
    client_for, world, broker
):
    client = client_for(broker)
    rows = [row(title=f"Meeting {n}", date="2025-05-12") for n in range(500)]
    rows[10] = row(title="Meeting 10", category="relationship")
    rows[200] = row(title="Meeting 200", date="31/31/2025")
    rows[499] = row(title="Meeting 499", contacts="Stranger Person")

    response, _ = preview(client, world, "activities", csv_bytes(HEADER, rows))

    assert errors_of(response) == [
        (12, "category", f"“relationship” is not a category: use one of {CATEGORIES}."),
        (202, "date", "“31/31/2025” is not a date: write it as YYYY-MM-DD (or DD/MM/YYYY)."),
        (
            501,
            "contacts",
            "No contact of this team is called “Stranger Person”. Import or add the contact first.",
        ),
    ]
    html = response.content.decode()
    assert "3 errors in 3 rows: nothing has been imported" in html
    assert "Import 500" not in html
    assert Activity.objects.count() == 0

    rows[10] = row(title="Meeting 10")
    rows[200] = row(title="Meeting 200")
    rows[499] = row(title="Meeting 499", contacts="Ada Lovelace")
    fixed = csv_bytes(HEADER, rows)
    response, token = preview(client, world, "activities", fixed)
    confirm(client, world, "activities", token, response.context["preview"].mapping)

    assert Activity.objects.count() == 500

    again, token = preview(client, world, "activities", fixed)
    shown = again.context["preview"]
    assert (shown.new, shown.existing, shown.with_errors) == (0, 500, 0)
    assert not shown.can_import
    confirm(client, world, "activities", token, shown.mapping)
    assert Activity.objects.count() == 500


def test_a_confirmation_with_errors_saves_nothing(client_for, world, broker):
    client = client_for(broker)
    content = csv_bytes(HEADER, [row(), row(title="Bad", setting="zoom")])
    response, token = preview(client, world, "activities", content)

    confirmed = confirm(client, world, "activities", token, response.context["preview"].mapping)

    assert confirmed.status_code == 200
    assert errors_of(confirmed) == [
        (3, "setting", f"“zoom” is not a setting: use one of {SETTINGS}."),
    ]
    assert Activity.objects.count() == 0
    assert Topic.objects.filter(team=world).count() == 0


def test_each_error_shows_beside_its_row_and_column(client_for, world, broker):
    response, _ = preview(
        client_for(broker), world, "activities", csv_bytes(HEADER, [row(attendees="many")])
    )

    html = response.content.decode()
    errors = html.split('data-testid="errors"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">2</th>' in errors
    assert "<code>attendees</code>" in errors
    assert "many" in errors
    assert "“many” is not a whole number." in errors


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("category", "relationship", "is not a category"),
        ("setting", "Zoom", "is not a setting"),
        ("direction", "forwards", "is not a direction"),
        ("conduits", "interpersonal; telepathy", "“telepathy” is not a conduit"),
        ("activity_type", "Hackathon", "No activity type of this team is called “Hackathon”"),
        ("lead_broker", "Nobody", "No broker of this team is called “Nobody”"),
        ("co_brokers", "lead; Nobody", "No broker of this team is called “Nobody”"),
        ("contacts", "Stranger", "No contact of this team is called “Stranger”"),
        ("organisations", "Unknown Org", "No organisation is called “Unknown Org”"),
        ("project", "No such project", "No project of this team is called"),
        ("date", "12/31/2025", "is not a date"),
        ("date", "", "This column must have a value."),
        ("title", "", "This column must have a value."),
        ("title", "x" * 251, "at most 250 fit"),
        ("duration_minutes", "-5", "must be 0 or more"),
        ("duration_minutes", "1.5", "is not a whole number"),
        ("duration_minutes", "Infinity", "is not a whole number"),
        ("attendees", "1e12", "is too large; it must be at most 2,147,483,647"),
        ("follow_up", "tomorrow", "is not a date"),
        ("category", "collaborative_project", "is a type of awareness_raising"),
    ],
)
def test_unknown_codes_and_bad_values_are_errors_never_guesses(
    client_for, world, broker, column, value, message
):
    response, _ = preview(
        client_for(broker), world, "activities", csv_bytes(HEADER, [row(**{column: value})])
    )

    [(number, where, text)] = errors_of(response)
    assert (number, where) == (2, column)
    assert message in text


def test_codes_may_be_written_as_their_labels(client_for, world, broker):
    content = csv_bytes(
        HEADER,
        [row(category="Awareness raising", setting="ACADEMIC", direction="Both", conduits="")],
    )

    response, token = preview(client_for(broker), world, "activities", content)
    confirm(client_for(broker), world, "activities", token, response.context["preview"].mapping)

    activity = Activity.objects.get()
    assert (activity.category, activity.setting, activity.direction) == (
        "awareness_raising",
        "academic",
        "both",
    )


def test_a_blank_direction_stays_blank_rather_than_unclear(client_for, world, broker):
    content = csv_bytes(HEADER, [row(direction=""), row(title="Unclear one", direction="unclear")])

    response, token = preview(client_for(broker), world, "activities", content)
    confirm(client_for(broker), world, "activities", token, response.context["preview"].mapping)

    assert dict(Activity.objects.values_list("title", "direction")) == {
        "Frailty seminar": "",
        "Unclear one": "unclear",
    }


def test_a_row_repeated_in_the_file_is_an_error(client_for, world, broker):
    content = csv_bytes(HEADER, [row(), row(description="Again")])

    response, _ = preview(client_for(broker), world, "activities", content)

    assert errors_of(response) == [
        (3, "", "This row repeats row 2 (same date, lead broker and title).")
    ]


def test_a_row_with_the_id_of_a_team_activity_is_already_there(client_for, world, broker):
    ours = factories.ActivityFactory(team=world, lead_broker=broker.broker_profile, title="Old")
    header = ["id", *HEADER]
    content = csv_bytes(header, [[str(ours.pk), *row(title="Renamed since")]])

    response, _ = preview(client_for(broker), world, "activities", content)

    [result] = response.context["preview"].results
    assert result.status == imports.EXISTING
    assert result.note == f"Activity {ours.pk} of this team."


def test_an_id_of_another_teams_activity_is_not_a_match(
    client_for, world, broker, other_team, other_broker
):
    theirs = factories.ActivityFactory(team=other_team, lead_broker=other_broker.broker_profile)
    content = csv_bytes(["id", *HEADER], [[str(theirs.pk), *row()]])

    response, _ = preview(client_for(broker), world, "activities", content)

    assert response.context["preview"].results[0].status == imports.NEW


def test_other_headings_can_be_mapped_to_the_export_columns(client_for, world, broker):
    header = ["Date", "Lead Broker", "Type", "What happened", "Notes to self"]
    content = csv_bytes(header, [["2025-05-12", "broker", "Introduction", "Intro", "x"]])
    client = client_for(broker)

    response, token = preview(client, world, "activities", content)
    shown = response.context["preview"]
    assert shown.mapping == ["date", "lead_broker", "", "", ""]
    assert "The file has no column “activity_type”, “title”" in shown.problems[0]

    mapping = {
        "map-0": "date",
        "map-1": "lead_broker",
        "map-2": "activity_type",
        "map-3": "title",
        "map-4": "",
    }
    remapped = client.get(import_url(world, "activities"), {"upload": token, **mapping})
    shown = remapped.context["preview"]
    assert shown.problems == []
    assert shown.can_import

    confirm(client, world, "activities", token, shown.mapping)
    assert Activity.objects.get().title == "Intro"


def test_two_columns_read_as_one_field_is_a_problem(client_for, world, broker):
    content = csv_bytes(
        ["date", "title", "lead_broker", "activity_type", "Title"],
        [["2025-05-12", "a", "broker", "Introduction", "b"]],
    )

    response, _ = preview(client_for(broker), world, "activities", content)

    assert response.context["preview"].problems == [
        "Two columns are read as “title”: “title” and “title”. Choose one."
    ]


def test_neutralised_cells_of_an_export_are_read_back_as_they_were(client_for, world, broker):
    content = csv_bytes(HEADER, [row(title="'=1+1", description="'-minus")])

    response, token = preview(client_for(broker), world, "activities", content)
    confirm(client_for(broker), world, "activities", token, response.context["preview"].mapping)

    activity = Activity.objects.get()
    assert (activity.title, activity.description) == ("=1+1", "-minus")


def test_it_imports_xlsx_with_real_dates_and_numbers(client_for, world, broker):
    values = row(date=datetime.date(2025, 5, 12), duration_minutes=45, follow_up="")
    content = xlsx_bytes(HEADER, [values])

    response, token = preview(client_for(broker), world, "activities", content, "log.xlsx")
    assert response.context["preview"].table.description == "Excel workbook, sheet “Sheet”"
    confirm(client_for(broker), world, "activities", token, response.context["preview"].mapping)

    activity = Activity.objects.get()
    assert (activity.date, activity.duration_minutes) == (datetime.date(2025, 5, 12), 45)


def test_a_semicolon_separated_file_is_read(client_for, world, broker):
    content = csv_bytes(HEADER, [row(conduits="interpersonal")], delimiter=";")

    response, _ = preview(client_for(broker), world, "activities", content)

    assert response.context["preview"].new == 1
    assert "semicolon-separated" in response.context["preview"].table.description


# Who may import.


def test_a_broker_may_import_only_work_they_take_part_in(client_for, world, broker, lead):
    content = csv_bytes(HEADER, [row(lead_broker="lead", co_brokers="")])

    response, _ = preview(client_for(broker), world, "activities", content)

    assert errors_of(response) == [
        (
            2,
            "lead_broker",
            "You can import only work you lead or co-broker: add yourself as a co-broker.",
        )
    ]


def test_the_lead_may_import_anyones_work(client_for, world, lead):
    content = csv_bytes(HEADER, [row(lead_broker="broker", co_brokers="")])

    response, _ = preview(client_for(lead), world, "activities", content)

    assert errors_of(response) == []


def test_evaluators_may_not_import(client_for, world, evaluator):
    content = csv_bytes(HEADER, [row()])

    response = upload(client_for(evaluator), world, "activities", content)

    assert response.status_code == 403
    assert Activity.objects.count() == 0


def test_an_unknown_or_expired_upload_sends_the_user_back_to_upload(client_for, world, broker):
    url = import_url(world, "activities")

    response = client_for(broker).get(url, {"upload": "not-a-token"})

    assert response.status_code == 302
    assert response["Location"] == url


# Files that cannot be read: a clear message beside the field, never a server error.


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty."),
        (b"date,title\r\n", "The file has a header row but no rows under it."),
        (b"\r\n\r\n", "The file is empty."),
        (b"date,title\x00\r\n2025-05-12,x\r\n", "NUL bytes"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes"),
        (b"date,title\r\n2025-05-12,Caf\xe9\r\n", "not valid UTF-8 text (byte 0xE9 on line 2)"),
        (b"date,title\x07\r\n2025-05-12,x\r\n", "control characters (line 1)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40, "old Excel workbook (.xls)"),
        (b"PK\x03\x04broken zip", "cannot be read as an Excel workbook"),
        (b'date,title\r\n2025-05-12,"' + b"x" * 140_000 + b'"\r\n', "cannot be read as CSV"),
    ],
)
def test_unreadable_files_get_a_clear_message(client_for, world, broker, content, message):
    response = upload(client_for(broker), world, "activities", content)

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert message in error
    assert Activity.objects.count() == 0


def test_a_file_too_large_is_refused_with_its_size(client_for, world, broker, monkeypatch):
    monkeypatch.setattr(tables, "MAX_BYTES", 1024 * 1024)
    content = csv_bytes(HEADER, [row(description="x" * 2_000_000)])

    response = upload(client_for(broker), world, "activities", content)

    [error] = response.context["form"].errors["file"]
    assert error.startswith("The file is 1.9 MB; files of up to 1 MB can be imported.")


def test_too_many_rows_are_refused(client_for, world, broker, monkeypatch):
    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    content = csv_bytes(HEADER, [row(title=str(n)) for n in range(4)])

    response = upload(client_for(broker), world, "activities", content)

    [error] = response.context["form"].errors["file"]
    assert error.startswith("The file has more than 3 rows")


def test_a_windows_1252_file_is_read_when_the_user_says_so(client_for, world, broker):
    content = csv_bytes(HEADER, [row(title="Café – seminar")], encoding="cp1252")

    refused = upload(client_for(broker), world, "activities", content)
    assert "Windows-1252" in refused.context["form"].errors["file"][0]

    response, _ = preview(client_for(broker), world, "activities", content, encoding="cp1252")
    assert response.context["preview"].results[0].values["title"] == "Café – seminar"


def test_utf8_with_a_byte_order_mark_and_utf16_are_read(client_for, world, broker):
    text = csv_bytes(HEADER, [row(title="Zoë’s seminar")]).decode()
    for content in (b"\xef\xbb\xbf" + text.encode(), text.encode("utf-16")):
        response, _ = preview(client_for(broker), world, "activities", content)

        assert response.context["preview"].results[0].values["title"] == "Zoë’s seminar"


# The preview reads what it needs in a fixed number of queries, however many rows.


@pytest.mark.parametrize("count", [3, 30])
def test_checking_rows_takes_the_same_queries_for_any_number(
    world, broker, count, django_assert_num_queries
):
    from teams.tenancy import team_access

    access = team_access(broker, world.slug)
    content = csv_bytes(HEADER, [row(title=f"Seminar {n}") for n in range(count)])
    table = imports.read_table(content)
    importer = imports.ActivityImporter(access)

    # brokers (with users), activity types, contacts, organisations, projects, conduits,
    # the team's activities in the file's dates (and none for its ids: it has no `id`
    # column); the user's broker profile (a broker may import only their own work); the
    # team's signed-off quarters (a new row dated in one needs a reason).
    with django_assert_num_queries(9):
        shown = importer.preview(table)

    assert shown.new == count


def test_an_imported_activity_has_one_created_entry_and_later_edits_show_only_changes(
    client_for, world, broker, lead
):
    from kmtracker.lib.history.reading import history_of
    from teams.tenancy import team_access

    client = client_for(broker)
    response, token = preview(client, world, "activities", csv_bytes(HEADER, [row()]))
    confirm(client, world, "activities", token, response.context["preview"].mapping)
    activity = Activity.objects.get()
    [record] = activity.history.all()
    assert (record.history_type, record.history_user) == ("+", broker)
    assert record.history_request_id

    edit = reverse("activities:activity_edit", args=[world.slug, activity.pk])
    data = {
        "date": "2025-05-12",
        "activity_type": activity.activity_type_id,
        "category": activity.category,
        "title": "Renamed seminar",
        "lead_broker": broker.broker_profile.pk,
        "co_brokers": [lead.broker_profile.pk],
        "contacts": [c.pk for c in activity.contacts.all()],
        "organisations": [o.pk for o in activity.organisations.all()],
        "duration_minutes": "90",
        "setting": "academic",
        "direction": "research_informed_commissioning",
        "conduits": [c.pk for c in activity.conduits.all()],
        "topics_text": "frailty, urgent care",
        "attendees": "40",
        "project": activity.project_id,
        "follow_up_date": "2025-06-01",
        "description": "Findings on frailty.",
        "version": activity.version,
    }
    assert client.post(edit, data).status_code == 302

    changed, created = history_of(activity, team_access(broker, world.slug))
    assert created.action == "created"
    assert [(c.field, c.old, c.new) for c in changed.changes] == [
        ("Title", "Frailty seminar", "Renamed seminar")
    ]


# Saving takes a fixed number of queries per batch of rows, however many rows.
@pytest.mark.parametrize("count", [3, 30])
def test_saving_rows_takes_the_same_queries_for_any_number(
    world, broker, count, django_assert_num_queries
):
    from teams.tenancy import team_access

    access = team_access(broker, world.slug)
    table = imports.read_table(csv_bytes(HEADER, [row(title=f"S {n}") for n in range(count)]))

    # A savepoint and its release around: the lock of the team's row (one import of a
    # team at a time), the 9 queries of checking (above); the team's topics, the new
    # topics, the activities, the rows of their five links, their history records and
    # the history of the five links.
    with django_assert_num_queries(2 + 1 + 9 + 2 + 1 + 5 + 1 + 5):
        imports.ActivityImporter(access).save(table)

    assert Activity.objects.count() == count
